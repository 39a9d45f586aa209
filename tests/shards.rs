//! `--shard i/n`: the shards of a run hold every check of the unsharded run exactly once,
//! with the same verdict (a shard runs the proofs its denies need; `openapi coverage`,
//! a verdict on the whole run, is left to `authspec merge`, which gives the unsharded
//! run's), and a bad shard is invalid input.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;

/// Every test case of a JUnit report by suite and name, with its outcome. The report
/// is authspec's own and validated against the schema, so a plain scan reads it.
fn outcomes(report: &Path) -> BTreeMap<String, &'static str> {
    let xml = std::fs::read_to_string(report).unwrap();
    let mut all = BTreeMap::new();
    for case in xml.split("<testcase ").skip(1) {
        let head = &case[..case.find('>').unwrap()];
        let attr = |name: &str| {
            let from = head
                .find(&format!(" {name}=\""))
                .or_else(|| head.starts_with(&format!("{name}=\"")).then_some(0));
            let rest = &head[from.unwrap() + name.len() + 2..];
            let rest = rest.trim_start_matches('"');
            unescape(&rest[..rest.find('"').unwrap()])
        };
        let body = if head.ends_with('/') {
            ""
        } else {
            &case[..case.find("</testcase>").unwrap()]
        };
        let outcome = if body.contains("<failure") {
            "failed"
        } else if body.contains("<error") {
            "error"
        } else if body.contains("<skipped") {
            "skipped"
        } else {
            "passed"
        };
        let key = format!("{} :: {}", attr("classname"), without_ports(&attr("name")));
        assert!(
            all.insert(key.clone(), outcome).is_none(),
            "{key} twice in {}",
            report.display()
        );
    }
    all
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The demo binds new ports on every run; a check's name holds its origin.
fn without_ports(name: &str) -> String {
    let mut out = String::new();
    let mut rest = name;
    while let Some(i) = rest.find(':') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push_str("PORT");
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn three_shards_hold_every_check_of_the_run_once_with_the_same_verdict() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole.xml");
    let run = authspec(
        &["run", "--junit", whole.to_str().unwrap()],
        &[],
        &repo_root(),
    );
    assert_eq!(run.code, 1, "{}", run.all_output());
    let expected = outcomes(&whole);
    assert!(expected.len() > 30, "only {} checks", expected.len());

    let mut seen: BTreeMap<String, Vec<(usize, &'static str)>> = BTreeMap::new();
    let mut documents = Vec::new();
    for i in 1..=3 {
        let report = dir.path().join(format!("shard-{i}.xml"));
        let document = dir.path().join(format!("shard-{i}.json"));
        let shard = format!("{i}/3");
        let run = authspec(
            &[
                "run",
                "--shard",
                &shard,
                "--junit",
                report.to_str().unwrap(),
                "--json",
                document.to_str().unwrap(),
            ],
            &[],
            &repo_root(),
        );
        assert!(
            run.code == 0 || run.code == 1,
            "shard {shard}: {}",
            run.all_output()
        );
        assert_valid_junit(&report);
        let got = outcomes(&report);
        assert!(!got.is_empty(), "shard {shard} ran nothing");
        assert!(got.len() < expected.len(), "shard {shard} ran everything");
        for (name, outcome) in got {
            seen.entry(name).or_default().push((i, outcome));
        }
        documents.push(document.to_str().unwrap().to_string());
    }
    assert_eq!(
        seen.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "the shards together do not hold the run's checks"
    );
    for (name, shards) in &seen {
        // A server-wide finding is judged from whatever responses a shard saw, so every
        // shard that saw the banner reports it; every other check is in one shard.
        if !name.contains(" :: leakage ") {
            assert_eq!(shards.len(), 1, "{name} ran in shards {shards:?}");
        }
        for (i, outcome) in shards {
            // Coverage is the whole run's: a shard leaves it to `authspec merge`.
            let expected = if name.ends_with(" :: openapi coverage") {
                "skipped"
            } else {
                expected[name]
            };
            assert_eq!(*outcome, expected, "{name} in shard {i}/3");
        }
    }
    assert!(
        seen.keys().any(|n| n.ends_with(" :: openapi coverage")),
        "the demo run has no coverage check"
    );
    // Merged, the shards are the unsharded run, coverage verdict included.
    let merged = dir.path().join("merged.xml");
    let mut args = vec!["merge", "--junit", merged.to_str().unwrap()];
    args.extend(documents.iter().map(String::as_str));
    let run = authspec(&args, &[], &repo_root());
    assert_eq!(run.code, 1, "{}", run.all_output());
    assert_eq!(outcomes(&merged), expected);
}

#[test]
fn a_shard_that_is_not_i_of_n_is_invalid_input() {
    let run = authspec(&["run", "--shard", "4/3"], &[], &repo_root());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(run.stderr.contains("not a shard"), "{}", run.stderr);
}
