//! Issue 15's acceptance file, unchanged, against the notes API of `common/notes_api.rs`
//! in its two variants. The flawed one has four seeded flaws: any logged-in user reads
//! any note, the login says whether the user or the password was wrong (which both the
//! scenario and the enumeration probe's `same_body` find), its JWT key is `secret`, and
//! nothing limits failed logins.
//! The sound twin has none. The run must fail exactly the checks of those flaws against
//! the first and pass against the second, and no password, token, note secret or
//! certificate key may appear in any report.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;
#[path = "common/notes_api.rs"]
mod notes_api;

use std::path::Path;

use common::*;
use notes_api::{NotesApi, Options, Variant};

/// The suite's own directory: the file unchanged, and what it reads beside it (the ops
/// password its `secrets:` command prints, the admin's client certificate and key).
fn suite_dir(api: &NotesApi, dir: &Path, ops_password: &str) {
    std::fs::copy(
        repo_root().join("tests/acceptance/notes.yaml"),
        dir.join("notes.yaml"),
    )
    .unwrap();
    api.write_fixtures(dir, ops_password);
}

struct Outcome {
    code: i32,
    failed: Vec<String>,
    errors: Vec<String>,
    skipped: Vec<String>,
    /// Console and every report, as written.
    output: String,
    issued: Vec<String>,
}

async fn run(flawed: bool) -> (Outcome, Vec<String>) {
    let ops_password = fake_secret("ops");
    let secrets = [
        fake_secret("alice"),
        fake_secret("bob"),
        fake_secret("note"),
        fake_secret("admin"),
    ];
    let variant = if flawed {
        Variant::Flawed
    } else {
        Variant::Sound
    };
    let api = NotesApi::start(Options::new(variant, &ops_password, &secrets[3])).await;
    let dir = tempfile::tempdir().unwrap();
    suite_dir(&api, dir.path(), &ops_password);
    let url = api.url();
    let env = [
        ("NOTES_API_URL", url.as_str()),
        ("ALICE_PASSWORD", secrets[0].as_str()),
        ("BOB_PASSWORD", secrets[1].as_str()),
        ("NOTE_SECRET", secrets[2].as_str()),
        ("ADMIN_TOKEN", secrets[3].as_str()),
    ];
    let d = dir.path();
    let out = |f: &str| d.join(f).to_str().unwrap().to_string();
    let (junit, json, sarif, html) = (out("r.xml"), out("r.json"), out("r.sarif"), out("r.html"));
    let run = authspec(
        &[
            "run",
            "notes.yaml",
            "--junit",
            &junit,
            "--json",
            &json,
            "--sarif",
            &sarif,
            "--html",
            &html,
        ],
        &env,
        d,
    );
    let report = d.join("r.xml");
    assert_valid_junit(&report);
    let names = |kind: &str| -> Vec<String> {
        let n = count(&report, &format!("//testcase[{kind}]"));
        let mut v: Vec<String> = (1..=n)
            .map(|i| xpath(&report, &format!("string((//testcase[{kind}])[{i}]/@name)")))
            .collect();
        v.sort();
        v
    };
    let mut output = run.all_output();
    for f in [&junit, &json, &sarif, &html] {
        output.push_str(&std::fs::read_to_string(f).unwrap());
    }
    let mut secrets: Vec<String> = secrets.to_vec();
    secrets.push(ops_password);
    secrets.push(api.admin_key_pem.clone());
    let issued = api.issued();
    (
        Outcome {
            code: run.code,
            failed: names("failure"),
            errors: names("error"),
            skipped: names("skipped"),
            output,
            issued,
        },
        secrets,
    )
}

/// No secret of the run, no line of the key, no token the API issued, nor a third of
/// one (its signature), appears in any output.
fn assert_nothing_leaks(o: &Outcome, secrets: &[String]) {
    for s in secrets {
        for line in s
            .lines()
            .filter(|l| l.len() > 20 && !l.starts_with("-----"))
        {
            assert!(!o.output.contains(line), "a secret line leaked: {line}");
        }
    }
    assert!(!o.issued.is_empty(), "the API issued no token");
    for t in &o.issued {
        let signature = t.rsplit('.').next().unwrap();
        assert!(!o.output.contains(signature), "an issued token leaked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sound_notes_api_passes_every_check() {
    let (o, secrets) = run(false).await;
    assert_eq!(o.code, 0, "{}", o.output);
    assert!(o.failed.is_empty(), "{:?}", o.failed);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    assert!(o.skipped.is_empty(), "{:?}", o.skipped);
    assert_nothing_leaks(&o, &secrets);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flawed_notes_api_fails_exactly_its_four_flaws() {
    let (o, secrets) = run(true).await;
    assert_eq!(o.code, 1, "{}", o.output);
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    let failed = o.failed.join("\n");
    for flaw in [
        "another user's note is not readable",
        "login does not say which part was wrong",
        "weak_secret",
        "same_body",
        "rate_limit",
    ] {
        assert_eq!(
            o.failed.iter().filter(|n| n.contains(flaw)).count(),
            1,
            "{flaw} in:\n{failed}"
        );
    }
    assert_eq!(o.failed.len(), 5, "{failed}");
    assert!(o.output.contains("se****"), "the weak key is named masked");
    assert_nothing_leaks(&o, &secrets);
}
