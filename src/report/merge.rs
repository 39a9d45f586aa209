//! `authspec merge`'s core: the `RunDocument`s of a run's shards into the one an unsharded
//! run writes. Planned checks go back in the whole plan's order (`plan_index`); a
//! host-wide check (once per origin and detector) that several shards found is one check,
//! its worst outcome kept; OpenAPI coverage is joined and judged again; counts and the
//! exit code are recomputed, problems concatenated.
//! Documents that are not shards of one run (another suite set, selection, seed or
//! version, a shard twice or missing) are refused, naming the file.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::HashMap;

use super::document::{Counts, OutcomeEntry, ResultEntry, RunDocument, RunInfo, ShardEntry};
use crate::exit_codes;

/// Why the documents cannot be merged, naming the file at fault.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct MergeError {
    pub file: String,
    pub reason: String,
}

/// One input: its file name (as messages name it) and its document.
pub struct Shard {
    pub file: String,
    pub doc: RunDocument,
}

/// The document of the run the shards are parts of.
pub fn merge(mut shards: Vec<Shard>) -> Result<RunDocument, MergeError> {
    let Some(first) = shards.first() else {
        return Err(MergeError {
            file: "(none)".into(),
            reason: "no report to merge".into(),
        });
    };
    let count = shard_of(&first.doc.run).count;
    check_same_run(&shards)?;
    shards.sort_by_key(|s| shard_of(&s.doc.run).index);
    check_every_shard_once(&shards, count)?;
    let info = common_info(&shards);
    let mut planned: Vec<(usize, &str, ResultEntry)> = Vec::new();
    let mut found: Vec<(usize, ResultEntry)> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    for shard in &shards {
        let entries = match &shard.doc.results {
            super::document::Results::Kept(v) => Cow::Borrowed(v.as_slice()),
            spilled => Cow::Owned(spilled.to_vec().map_err(|e| MergeError {
                file: shard.file.clone(),
                reason: e.to_string(),
            })?),
        };
        for r in entries.iter() {
            match r.plan_index {
                Some(i) => {
                    if let Some(other) = seen.insert(r.id.clone(), shard.file.clone()) {
                        return Err(MergeError {
                            file: shard.file.clone(),
                            reason: format!(
                                "check {} is also in {other}: the reports are not shards of one run",
                                r.id
                            ),
                        });
                    }
                    planned.push((i, &shard.file, r.clone()));
                }
                None => found.push((suite_position(&info, &r.file), r.clone())),
            }
        }
    }
    planned.sort_by_key(|(i, _, _)| *i);
    let mut results: Vec<ResultEntry> = planned.into_iter().map(|(_, _, r)| r).collect();
    results.extend(host_wide(found));
    let coverages: Vec<&[super::document::CoverageEntry]> =
        shards.iter().map(|s| s.doc.coverage.as_slice()).collect();
    let coverage = super::coverage::join(&coverages, &results);
    super::coverage::rejudge(&mut results, &coverage);
    let problems: Vec<_> = shards
        .iter()
        .flat_map(|s| s.doc.problems.iter().cloned())
        .collect();
    let codes: Vec<u8> = shards.iter().map(|s| s.doc.summary.exit_code).collect();
    let duration = shards
        .iter()
        .map(|s| s.doc.summary.duration_seconds)
        .fold(0.0, f64::max);
    let summary = counts(&results, &codes, !problems.is_empty(), duration);
    Ok(RunDocument {
        schema_version: shards[0].doc.schema_version,
        tool: shards[0].doc.tool.clone(),
        run: info,
        summary,
        results: results.into(),
        problems,
        coverage,
    })
}

/// An unsharded run is shard 1 of 1.
fn shard_of(run: &RunInfo) -> ShardEntry {
    run.shard.unwrap_or(ShardEntry { index: 1, count: 1 })
}

/// Same tool version, shard count, selection and seed; the same suites in every shard
/// whose suites loaded.
fn check_same_run(shards: &[Shard]) -> Result<(), MergeError> {
    let first = &shards[0];
    let base = &first.doc.run;
    let suites = shards.iter().find(|s| !s.doc.run.suites.is_empty());
    let seed = shards
        .iter()
        .find_map(|s| s.doc.run.seed.map(|n| (n, &s.file)));
    for s in shards {
        let run = &s.doc.run;
        let refuse = |reason: String| MergeError {
            file: s.file.clone(),
            reason,
        };
        if s.doc.tool.version != first.doc.tool.version {
            return Err(refuse(format!(
                "written by authspec {}, {} by authspec {}: merge the shards of one run",
                s.doc.tool.version, first.file, first.doc.tool.version
            )));
        }
        if shard_of(run).count != shard_of(base).count {
            return Err(refuse(format!(
                "is shard {}, {} is shard {}: merge the shards of one run",
                describe(run),
                first.file,
                describe(base)
            )));
        }
        if (&run.filter, &run.tags) != (&base.filter, &base.tags) {
            return Err(refuse(format!(
                "ran with {}, {} with {}: the shards of one run select the same checks",
                selection(run),
                first.file,
                selection(base)
            )));
        }
        if let (Some(n), Some((m, other))) = (run.seed, seed)
            && n != m
        {
            return Err(refuse(format!(
                "ran with --seed {n}, {other} with --seed {m}: the shards of one run share a seed"
            )));
        }
        if let Some(with) = suites
            && !run.suites.is_empty()
            && run.suites != with.doc.run.suites
        {
            return Err(refuse(format!(
                "ran other suites than {} ({} against {}): merge the shards of one run",
                with.file,
                names(&run.suites),
                names(&with.doc.run.suites)
            )));
        }
    }
    Ok(())
}

/// After sorting by index: each of `1..=count` exactly once.
fn check_every_shard_once(shards: &[Shard], count: u32) -> Result<(), MergeError> {
    for pair in shards.windows(2) {
        if shard_of(&pair[0].doc.run).index == shard_of(&pair[1].doc.run).index {
            return Err(MergeError {
                file: pair[1].file.clone(),
                reason: format!(
                    "is shard {} again (so is {}): give each shard's report once",
                    describe(&pair[1].doc.run),
                    pair[0].file
                ),
            });
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|i| !shards.iter().any(|s| shard_of(&s.doc.run).index == *i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError {
            file: shards[0].file.clone(),
            reason: format!(
                "is one of {count} shards, and the report of shard {} is missing: a merge of some shards is not the run",
                missing.join(", ")
            ),
        });
    }
    Ok(())
}

fn describe(run: &RunInfo) -> String {
    let s = shard_of(run);
    format!("{}/{}", s.index, s.count)
}

fn selection(run: &RunInfo) -> String {
    let mut parts = Vec::new();
    if let Some(f) = &run.filter {
        parts.push(format!("--filter {f:?}"));
    }
    if let Some(t) = &run.tags {
        parts.push(format!("--tags {t:?}"));
    }
    if parts.is_empty() {
        "no --filter or --tags".into()
    } else {
        parts.join(" ")
    }
}

fn names(suites: &[super::document::SuiteEntry]) -> String {
    let files: Vec<&str> = suites.iter().map(|s| s.file.as_str()).collect();
    files.join(", ")
}

/// The merged run's: not a shard, the suites of any shard that loaded them, the seed if
/// one was given.
fn common_info(shards: &[Shard]) -> RunInfo {
    let base = &shards[0].doc.run;
    RunInfo {
        shard: None,
        seed: shards.iter().find_map(|s| s.doc.run.seed),
        filter: base.filter.clone(),
        tags: base.tags.clone(),
        suites: shards
            .iter()
            .map(|s| &s.doc.run.suites)
            .find(|s| !s.is_empty())
            .cloned()
            .unwrap_or_default(),
    }
}

fn suite_position(info: &RunInfo, file: &str) -> usize {
    info.suites
        .iter()
        .position(|s| s.file == file)
        .unwrap_or(usize::MAX)
}

/// Worst outcome first, then the suite's position and the example's request line.
type Rank = (Reverse<u8>, usize, String);

/// Host-wide checks of every shard, one per origin and detector: the worst outcome, and
/// among equals the one an unsharded run names (its example response is the least by
/// suite and request line), in the run's order (origin, then detector).
fn host_wide(found: Vec<(usize, ResultEntry)>) -> Vec<ResultEntry> {
    let mut by_key: Vec<(HostKey, Rank, ResultEntry)> = Vec::new();
    for (suite, r) in found {
        let key = HostKey::of(&r);
        let rank = (Reverse(badness(&r.outcome)), suite, request_line(&r));
        match by_key.iter_mut().find(|(k, _, _)| *k == key) {
            Some(kept) if rank < kept.1 => {
                kept.1 = rank;
                kept.2 = r;
            }
            Some(_) => {}
            None => by_key.push((key, rank, r)),
        }
    }
    by_key.sort_by(|a, b| a.0.cmp(&b.0));
    by_key.into_iter().map(|(_, _, r)| r).collect()
}

/// What a host-wide check is about: (scheme, `host:port`, detector), as the run orders
/// them. Read from the id (`file#leakage[host:port].detector`) and the example request's
/// URL; a check of another shape keys on its whole id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct HostKey(String, String, String);

impl HostKey {
    fn of(r: &ResultEntry) -> Self {
        let entry = r.id.split_once('#').map_or(r.id.as_str(), |(_, e)| e);
        let scheme = example(r)
            .and_then(|q| q.url.split_once("://").map(|(s, _)| s.to_string()))
            .unwrap_or_default();
        match entry
            .strip_prefix("leakage[")
            .and_then(|rest| rest.split_once("]."))
        {
            Some((host, detector)) => HostKey(scheme, host.into(), detector.into()),
            None => HostKey(scheme, entry.into(), String::new()),
        }
    }
}

fn example(r: &ResultEntry) -> Option<&super::document::RequestEntry> {
    match &r.outcome {
        OutcomeEntry::Fail { finding } => finding.evidence.request.as_ref(),
        OutcomeEntry::Error { error } => error.evidence.request.as_ref(),
        _ => None,
    }
}

fn request_line(r: &ResultEntry) -> String {
    example(r).map_or_else(String::new, |q| format!("{} {}", q.method, q.url))
}

/// Fail over error over skipped over pass.
fn badness(o: &OutcomeEntry) -> u8 {
    match o {
        OutcomeEntry::Fail { .. } => 3,
        OutcomeEntry::Error { .. } => 2,
        OutcomeEntry::Skipped { .. } => 1,
        OutcomeEntry::Pass => 0,
    }
}

/// The merged counts; the exit code is the counts' (0, 1, 3), unless a shard ended worse
/// for another reason: invalid input (2) or a signal outranks a finding, a harness
/// failure that stopped a shard (3) outranks a pass.
/// The merged counts and exit code: 1 for a finding, else 3 for an error or a shard
/// that stopped short (`stopped`: a run problem), else 0, as the merged results say
/// (a shard's own 0, 1 or 3 may be judged again here: `openapi coverage`); from the
/// shards' codes only what no result shows, invalid input and signals, and the worst.
fn counts(results: &[ResultEntry], codes: &[u8], stopped: bool, duration: f64) -> Counts {
    let mut c = Counts {
        total: results.len(),
        passed: 0,
        failed: 0,
        errors: 0,
        skipped: 0,
        exit_code: exit_codes::SUCCESS,
        duration_seconds: duration,
    };
    for r in results {
        match r.outcome {
            OutcomeEntry::Pass => c.passed += 1,
            OutcomeEntry::Fail { .. } => c.failed += 1,
            OutcomeEntry::Error { .. } => c.errors += 1,
            OutcomeEntry::Skipped { .. } => c.skipped += 1,
        }
    }
    let own = if c.failed > 0 {
        exit_codes::CHECKS_FAILED
    } else if c.errors > 0 || stopped {
        exit_codes::CHECKS_ERRORED
    } else {
        exit_codes::SUCCESS
    };
    let judged = [
        exit_codes::SUCCESS,
        exit_codes::CHECKS_FAILED,
        exit_codes::CHECKS_ERRORED,
    ];
    c.exit_code = codes
        .iter()
        .copied()
        .filter(|code| !judged.contains(code))
        .chain([own])
        .max_by_key(|code| gravity(*code))
        .unwrap_or(own);
    c
}

/// How much an exit code says is wrong: a pass, then errors, a finding, a signal, and
/// invalid input.
fn gravity(code: u8) -> u8 {
    match code {
        exit_codes::SUCCESS => 0,
        exit_codes::CHECKS_ERRORED => 1,
        exit_codes::CHECKS_FAILED => 2,
        exit_codes::INVALID_INPUT => 4,
        _ => 3,
    }
}
