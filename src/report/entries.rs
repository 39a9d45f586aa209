//! A document's result entries, in plan order, as the report writers read them: held in
//! memory (a shard's document that `authspec merge` read, a test's, a run of up to a few
//! thousand checks), or spilled to an unnamed temporary file (`spill.rs` writes it) and
//! read back one at a time by each report writer. At 100,000 checks the entries
//! are most of what a run would otherwise hold until its end; spilled, a run keeps 24
//! bytes per check for them. The file holds entries already redacted, is never named
//! (`tempfile::tempfile`: `O_TMPFILE` where there is one) and goes when the run ends.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::document::{OutcomeEntry, ResultEntry};

/// The result entries of a document, in the order the reports show them.
#[derive(Clone)]
pub enum Results {
    Kept(Vec<ResultEntry>),
    Spilled(Arc<Spilled>),
}

/// Entries written to a temporary file: where each one starts and how long it is, in
/// report order. The file holds them in the order they arrived (deny cells after the
/// role proofs, concurrent checks interleaved), so each is read at its offset: no shared
/// position. A `Reader` reads a window of the file at a time, since report order and
/// arrival order are mostly the same: one read for a few hundred entries, not one each.
pub struct Spilled {
    pub(super) file: File,
    pub(super) index: Vec<(u64, u32)>,
}

impl Results {
    pub fn len(&self) -> usize {
        match self {
            Results::Kept(v) => v.len(),
            Results::Spilled(s) => s.index.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entry `i` (`i < len()`); reading a spilled one back can fail. For a pass over
    /// many, `reader` reads fewer times.
    pub fn get(&self, i: usize) -> io::Result<Cow<'_, ResultEntry>> {
        match self {
            Results::Kept(v) => v
                .get(i)
                .map(Cow::Borrowed)
                .ok_or_else(|| io::Error::other(format!("no result entry {i}"))),
            Results::Spilled(_) => self.reader().get(i),
        }
    }

    /// A reader for entries mostly asked for in order (a report's pass over them).
    pub fn reader(&self) -> Reader<'_> {
        Reader {
            results: self,
            window: Vec::new(),
            held: 0,
            at: 0,
        }
    }

    /// Every entry, in order.
    pub fn iter(&self) -> impl Iterator<Item = io::Result<Cow<'_, ResultEntry>>> + '_ {
        let mut reader = self.reader();
        (0..self.len()).map(move |i| reader.get(i))
    }

    /// What a first pass over the entries needs of each (a report's counts, which come
    /// before its cases): read without building the rest of a spilled entry.
    pub fn glances(&self) -> impl Iterator<Item = io::Result<Glance>> + '_ {
        let mut reader = self.reader();
        (0..self.len()).map(move |i| match self {
            Results::Kept(v) => v
                .get(i)
                .map(Glance::of)
                .ok_or_else(|| io::Error::other(format!("no result entry {i}"))),
            Results::Spilled(s) => reader.read(s, i),
        })
    }

    /// Every entry, owned (a spilled document read back whole: for tests and `merge`).
    pub fn to_vec(&self) -> io::Result<Vec<ResultEntry>> {
        self.iter().map(|r| r.map(Cow::into_owned)).collect()
    }
}

impl Spilled {
    fn place(&self, i: usize) -> io::Result<(u64, u32)> {
        self.index
            .get(i)
            .copied()
            .ok_or_else(|| io::Error::other(format!("no result entry {i}")))
    }
}

/// Entry text read back as `T`, which may take only some of its fields.
fn parse<T: serde::de::DeserializeOwned>(text: &[u8]) -> io::Result<T> {
    serde_json::from_slice(text)
        .map_err(|e| io::Error::other(format!("a spilled result entry does not read back: {e}")))
}

/// Bytes of a spill file a `Reader` reads at once (a few hundred pass entries).
const WINDOW: usize = 64 * 1024;

/// Reads entries by position; a spilled one from a window of the file read at once,
/// which serves the entries around it while they are in it.
pub struct Reader<'a> {
    results: &'a Results,
    window: Vec<u8>,
    /// The bytes of `window` read from the file, from `at` on.
    held: usize,
    at: u64,
}

impl<'a> Reader<'a> {
    /// Entry `i` (`i < len()`); reading a spilled one back can fail.
    pub fn get(&mut self, i: usize) -> io::Result<Cow<'a, ResultEntry>> {
        match self.results {
            Results::Kept(_) => self.results.get(i),
            Results::Spilled(s) => self.read(s, i).map(Cow::Owned),
        }
    }

    fn read<T: serde::de::DeserializeOwned>(&mut self, s: &Spilled, i: usize) -> io::Result<T> {
        let (start, len) = s.place(i)?;
        let len = len as usize;
        let end = start + len as u64;
        if start < self.at || end > self.at + self.held as u64 {
            // Concurrent checks finish in about the order they started, not exactly: the
            // window reaches back half its size for the entries that came in before
            // those before them.
            let from = start.saturating_sub(WINDOW as u64 / 2);
            let want = (end - from) as usize;
            if self.window.len() < want.max(WINDOW) {
                self.window.resize(want.max(WINDOW), 0);
            }
            self.held = fill(&s.file, &mut self.window, from)?;
            self.at = from;
            if self.held < want {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("spilled result entry {i} is cut short"),
                ));
            }
        }
        let from = (start - self.at) as usize;
        parse(&self.window[from..from + len])
    }
}

/// Reads into `buf` from `at` until it is full or the file ends: how much it read.
fn fill(file: &File, buf: &mut [u8], at: u64) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read_at(&mut buf[got..], at + got as u64) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// An entry's suite file and name, how it ended and how long it took.
#[derive(Debug, PartialEq, Deserialize)]
pub struct Glance {
    pub file: String,
    pub suite: String,
    pub duration_seconds: f64,
    #[serde(rename = "outcome")]
    pub status: Status,
}

/// How an entry ended, without what it found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    Error,
    Skipped,
}

impl Glance {
    fn of(r: &ResultEntry) -> Self {
        Self {
            file: r.file.clone(),
            suite: r.suite.clone(),
            duration_seconds: r.duration_seconds,
            status: match r.outcome {
                OutcomeEntry::Pass => Status::Pass,
                OutcomeEntry::Fail { .. } => Status::Fail,
                OutcomeEntry::Error { .. } => Status::Error,
                OutcomeEntry::Skipped { .. } => Status::Skipped,
            },
        }
    }
}

impl Default for Results {
    fn default() -> Self {
        Results::Kept(Vec::new())
    }
}

impl From<Vec<ResultEntry>> for Results {
    fn from(v: Vec<ResultEntry>) -> Self {
        Results::Kept(v)
    }
}

impl fmt::Debug for Results {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Results::Kept(v) => f.debug_tuple("Kept").field(v).finish(),
            Results::Spilled(s) => write!(f, "Spilled({} entries)", s.index.len()),
        }
    }
}

/// A JSON array, read back entry by entry.
impl Serialize for Results {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = s.serialize_seq(Some(self.len()))?;
        for r in self.iter() {
            seq.serialize_element(r.map_err(S::Error::custom)?.as_ref())?;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Results {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<ResultEntry>::deserialize(d).map(Results::Kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::document::OutcomeEntry;
    use crate::report::spill::Spill;

    fn entry(id: &str, seconds: f64) -> ResultEntry {
        ResultEntry {
            id: id.into(),
            plan_index: None,
            suite: "s".into(),
            file: "s.yaml".into(),
            name: format!("check {id}"),
            location: None,
            tags: vec!["t".into()],
            duration_seconds: seconds,
            outcome: OutcomeEntry::Skipped {
                reason: "because".into(),
                waiver: None,
            },
            warnings: Vec::new(),
            info: vec!["i".into()],
        }
    }

    fn json(r: &Results) -> String {
        serde_json::to_string(r).unwrap()
    }

    #[test]
    fn a_spill_reads_back_in_place_order_what_memory_keeps_and_both_serialize_alike() {
        let pushes = [
            (2, "c", 0.1),
            (0, "a", 1e-9),
            (usize::MAX, "h1", 0.3),
            (1, "b", 2.5),
            (usize::MAX, "h2", 0.0),
        ];
        // Two entries in memory, then a file: those two are moved there too.
        let mut file = Spill::with_limit(2);
        let mut memory = Spill::in_memory();
        for (place, id, s) in pushes {
            file.push(place, entry(id, s));
            memory.push(place, entry(id, s));
        }
        let file = file.finish().unwrap();
        let memory = memory.finish().unwrap();
        assert!(matches!(file, Results::Spilled(_)), "{file:?}");
        let ids: Vec<String> = file.iter().map(|r| r.unwrap().id.clone()).collect();
        assert_eq!(ids, ["a", "b", "c", "h1", "h2"]);
        assert_eq!(json(&file), json(&memory));
        // Out of order too (the JUnit writer reads a file's cases by position).
        assert_eq!(file.get(3).unwrap().id, "h1");
        assert_eq!(file.get(0).unwrap().duration_seconds, 1e-9);
        assert!(file.get(5).is_err());
        let glances = |r: &Results| -> Vec<Glance> { r.glances().map(|g| g.unwrap()).collect() };
        assert_eq!(glances(&file), glances(&memory));
        assert_eq!(glances(&file)[0].duration_seconds, 1e-9);
    }

    #[test]
    fn a_reader_reads_entries_across_windows_in_any_order() {
        // Entries past several windows, arrived out of order, one larger than a window.
        let mut spill = Spill::with_limit(0);
        let n = 2_000;
        for place in (0..n).rev() {
            let mut e = entry(&place.to_string(), 0.0);
            if place == 700 {
                e.name = "x".repeat(WINDOW * 2);
            }
            spill.push(place, e);
        }
        let results = spill.finish().unwrap();
        let ids: Vec<String> = results.iter().map(|r| r.unwrap().id.clone()).collect();
        assert_eq!(ids, (0..n).map(|i| i.to_string()).collect::<Vec<_>>());
        let mut reader = results.reader();
        for i in [1999, 0, 700, 701, 3, 1500, 699] {
            let got = reader.get(i).unwrap();
            assert_eq!(got.id, i.to_string());
            assert_eq!(got.name.len() > WINDOW, i == 700);
        }
        assert!(reader.get(n).is_err());
        assert_eq!(results.glances().filter(|g| g.is_ok()).count(), n);
    }

    #[test]
    fn a_glance_reads_how_each_entry_ended() {
        let mut spill = Spill::with_limit(0);
        let mut pass = entry("p", 0.25);
        pass.outcome = OutcomeEntry::Pass;
        pass.file = "other \"file\".yaml".into();
        spill.push(0, pass);
        spill.push(1, entry("s", 0.5));
        let got: Vec<(String, Status)> = spill
            .finish()
            .unwrap()
            .glances()
            .map(|g| g.map(|g| (g.file, g.status)).unwrap())
            .collect();
        assert_eq!(
            got,
            [
                ("other \"file\".yaml".to_string(), Status::Pass),
                ("s.yaml".to_string(), Status::Skipped)
            ]
        );
    }

    #[test]
    fn a_spilled_document_deserializes_as_kept_entries() {
        let mut spill = Spill::with_limit(0);
        spill.push(0, entry("a", 0.5));
        let text = json(&spill.finish().unwrap());
        let back: Results = serde_json::from_str(&text).unwrap();
        assert!(matches!(&back, Results::Kept(v) if v.len() == 1 && v[0].id == "a"));
    }
}
