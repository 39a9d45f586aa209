//! Where a run's report entries go as its results arrive: the first ones kept in memory,
//! and past `IN_MEMORY` all of them spilled to an unnamed temporary file as JSON lines,
//! with each one's place in the reports' order. `finish` hands them over as `Results`
//! (`entries.rs`) for the report writers to read back.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::Arc;

use super::document::ResultEntry;
use super::entries::{Results, Spilled};

/// Where a run's entries go as its results arrive: each with its place in the reports'
/// order (a check's plan index; host-wide findings after every planned check, in the
/// order they arrived). The first entries stay in memory; past `limit` they all move to
/// a temporary file and the rest follow them there. A small run never pays for writing
/// and reading back JSON, and a large one still holds a few bytes per check.
pub struct Spill {
    sink: Sink,
    /// Entries kept in memory at most before they are spilled.
    limit: usize,
}

enum Sink {
    File {
        file: BufWriter<File>,
        at: u64,
        index: Vec<(usize, u64, u32)>,
        /// The first write that failed: the reports cannot be written.
        failed: Option<io::Error>,
    },
    /// Under the limit, or no temporary file could be made.
    Memory(Vec<(usize, ResultEntry)>),
}

/// Entries a run keeps in memory before it spills them: a few MiB at most (an entry with
/// evidence is a few KiB), the size of the suites most runs are.
pub const IN_MEMORY: usize = 2_048;

impl Spill {
    /// A spill that keeps up to `IN_MEMORY` entries in memory, then moves to a new
    /// temporary file (stays in memory if none can be made).
    pub fn new() -> Self {
        Self::with_limit(IN_MEMORY)
    }

    /// A spill that moves to a file past `limit` entries in memory.
    pub fn with_limit(limit: usize) -> Self {
        Self {
            sink: Sink::Memory(Vec::new()),
            limit,
        }
    }

    /// A spill that keeps its entries in memory.
    pub fn in_memory() -> Self {
        Self::with_limit(usize::MAX)
    }

    pub fn push(&mut self, place: usize, entry: ResultEntry) {
        if let Sink::Memory(v) = &mut self.sink {
            if v.len() < self.limit {
                v.push((place, entry));
                return;
            }
            let Ok(f) = tempfile::tempfile() else {
                // No file to spill to: memory it is, for the rest of the run.
                self.limit = usize::MAX;
                v.push((place, entry));
                return;
            };
            let kept = std::mem::take(v);
            self.sink = Sink::File {
                file: BufWriter::with_capacity(64 * 1024, f),
                at: 0,
                index: Vec::with_capacity(kept.len() * 2),
                failed: None,
            };
            for (place, entry) in kept {
                self.write(place, &entry);
            }
        }
        self.write(place, &entry);
    }

    fn write(&mut self, place: usize, entry: &ResultEntry) {
        let Sink::File {
            file,
            at,
            index,
            failed,
        } = &mut self.sink
        else {
            return;
        };
        if failed.is_some() {
            return;
        }
        let mut text = match serde_json::to_vec(entry) {
            Ok(t) => t,
            Err(e) => {
                *failed = Some(io::Error::other(e));
                return;
            }
        };
        text.push(b'\n');
        let Ok(len) = u32::try_from(text.len()) else {
            *failed = Some(io::Error::other("a result entry over 4 GiB"));
            return;
        };
        match file.write_all(&text) {
            Ok(()) => {
                index.push((place, *at, len));
                *at += u64::from(len);
            }
            Err(e) => *failed = Some(e),
        }
    }

    /// The entries in their places' order (stable: equal places keep their arrival
    /// order), or why they cannot be read back.
    pub fn finish(self) -> io::Result<Results> {
        match self.sink {
            Sink::Memory(mut v) => {
                v.sort_by_key(|(place, _)| *place);
                Ok(Results::Kept(v.into_iter().map(|(_, e)| e).collect()))
            }
            Sink::File {
                file,
                mut index,
                failed,
                ..
            } => {
                if let Some(e) = failed {
                    return Err(e);
                }
                let file = file.into_inner().map_err(|e| e.into_error())?;
                index.sort_by_key(|(place, _, _)| *place);
                let index = index.into_iter().map(|(_, at, len)| (at, len)).collect();
                Ok(Results::Spilled(Arc::new(Spilled { file, index })))
            }
        }
    }
}

impl Default for Spill {
    fn default() -> Self {
        Self::new()
    }
}
