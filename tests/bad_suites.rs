//! Bad suites exit 2 with a pointer at file:line:column, the offending line, and a hint;
//! nothing is sent. Table-driven: one row per kind of mistake.

#[path = "bad_suites/cases.rs"]
mod cases;
mod common;

use cases::{HEAD, cases};
use common::*;

#[test]
fn each_bad_suite_exits_2_with_a_pointer() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases() {
        let yaml = case.suite();
        write(dir.path(), "bad.yaml", &yaml);
        for command in [&["run"][..], &["validate", "--require-env"]] {
            let run = authspec(
                &[command, &["bad.yaml"]].concat(),
                &[("READER_TOKEN", "fake-reader")],
                dir.path(),
            );
            assert_eq!(
                run.code,
                2,
                "{}/{command:?}: {}",
                case.name,
                run.all_output()
            );
            assert!(
                run.stderr.contains(case.at),
                "{}: expected {} in\n{}",
                case.name,
                case.at,
                run.stderr
            );
            for s in case.says {
                assert!(
                    run.stderr.contains(s),
                    "{}: expected {s:?} in\n{}",
                    case.name,
                    run.stderr
                );
            }
            for s in case.hides {
                assert!(
                    !run.all_output().contains(s),
                    "{}: {s:?} is shown in\n{}",
                    case.name,
                    run.all_output()
                );
            }
            assert!(
                run.stdout.is_empty(),
                "{}: nothing runs, nothing is reported",
                case.name
            );
        }
    }
}

#[test]
fn a_literal_credential_is_refused_and_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    let literal = fake_secret("literal");
    write(
        dir.path(),
        "lit.yaml",
        &format!(
            "suite: s\ntarget: demo\nroles:\n  reader:\n    bearer: \"{literal}\"\naccess:\n  - request: GET /orders\n    allow: [reader]\n"
        ),
    );
    let run = authspec(&["run", "lit.yaml"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(run.stderr.contains("lit.yaml:5:13"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("literal credential in `roles.reader.bearer`"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("${env:NAME}"), "{}", run.stderr);
    assert!(
        !run.stderr.contains(&literal[..20]),
        "the literal was echoed:\n{}",
        run.stderr
    );
}

#[test]
fn every_problem_of_a_file_is_reported_at_once() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "many.yaml",
        &format!(
            "{HEAD}access:\n  - request: GET /a\n    allow: [nobody]\n  - request: GET /b\n    deny: [somebody]\n"
        ),
    );
    let run = authspec(
        &["validate", "many.yaml"],
        &[("READER_TOKEN", "fake-reader")],
        dir.path(),
    );
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("many.yaml:12:13"), "{}", run.stderr);
    assert!(run.stderr.contains("many.yaml:14:12"), "{}", run.stderr);
    assert!(run.stderr.contains("2 problem(s)"), "{}", run.stderr);
}

#[test]
fn literals_with_non_ascii_or_commas_are_masked_and_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let second = fake_secret("second");
    write(
        dir.path(),
        "p.yaml",
        &format!(
            "suite: s\ntarget: demo\nroles:\n  a:\n    bearer: \"sk_live_ü€€€€€\"\n  b:\n    bearer: {second}\n  c: {{ bearer: \"fake_AAA,{second}\" }}\nscenarios:\n  - name: n\n    as: a\n    request: GET /x\n"
        ),
    );
    let run = authspec(&["validate", "p.yaml"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    assert!(run.stderr.contains("p.yaml:7:13"), "{}", run.stderr);
    assert!(
        !run.stderr.contains(&second[..12]),
        "a literal was echoed:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("€"), "{}", run.stderr);
    // A shape error elsewhere in the file must not print the literal either.
    write(
        dir.path(),
        "q.yaml",
        &format!("suite: s\ntarget: demo\nroles:\n  a:\n    bearer: {second}\n    bearr: x\n"),
    );
    let run = authspec(&["validate", "q.yaml"], &[], dir.path());
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown field `bearr`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(&second[..12]), "{}", run.stderr);
}

#[test]
fn request_headers_refuse_literal_credentials_and_invalid_names() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, &str, &str)] = &[
        (
            "    headers: { Authorization: \"Bearer fake-literal-abc\" }\n",
            "bad.yaml:13:16",
            "literal credential in header `Authorization`",
        ),
        (
            "    headers: { \"X Bad Name\": v }\n",
            "bad.yaml:13:16",
            "`X Bad Name` is not a valid header name",
        ),
        (
            "    query: { api_key: fake-literal-abc }\n",
            "bad.yaml:13:14",
            "literal credential in query parameter `api_key`",
        ),
        (
            "    headers: { X-Trace: \"${env:UNSET_TRACE}\" }\n",
            "bad.yaml:13:16",
            "environment variable UNSET_TRACE is not set",
        ),
    ];
    for (extra, at, says) in cases {
        write(
            dir.path(),
            "bad.yaml",
            &format!("{HEAD}access:\n  - request: GET /\n    allow: [reader]\n{extra}"),
        );
        let run = authspec(
            &["validate", "--require-env", "bad.yaml"],
            &[("READER_TOKEN", "fake-reader")],
            dir.path(),
        );
        assert_eq!(run.code, 2, "{extra}: {}", run.all_output());
        assert!(
            run.stderr.contains(at) && run.stderr.contains(says),
            "{extra}: expected {at} and {says:?} in\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("fake-literal-abc"), "{}", run.stderr);
    }
}

/// A reference inside `target.base_url` fills one part of the URL: a value that would
/// make part of the secret the fragment, the user info, the path or the query is refused,
/// naming the reference and the field, never showing the value.
#[test]
fn a_secret_that_changes_the_base_urls_structure_is_refused_and_not_echoed() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "url.yaml",
        "suite: s\ntarget:\n  base_url: https://${env:API_HOST}.example.test/v1\nroles:\n  anonymous: {}\naccess:\n  - request: GET /orders\n    deny: [anonymous]\n",
    );
    let secret = fake_secret("host");
    for c in ["#", "@", "/", "?", "\\", " ", "\t"] {
        let value = format!("{}{c}{}", &secret[..20], &secret[20..]);
        let run = authspec(
            &["validate", "url.yaml"],
            &[("API_HOST", &value)],
            dir.path(),
        );
        assert_eq!(run.code, 2, "{c:?}: {}", run.all_output());
        for says in [
            "url.yaml:3:13",
            "the value of `${env:API_HOST}` in `target.base_url` would change the URL's structure",
        ] {
            assert!(
                run.stderr.contains(says),
                "{c:?}: {says} in\n{}",
                run.stderr
            );
        }
        for piece in [&secret[..12], &secret[20..32], &secret[secret.len() - 12..]] {
            assert!(
                !run.all_output().contains(piece),
                "{c:?}: the value was shown:\n{}",
                run.all_output()
            );
        }
    }
    // A value that fills one host label is fine.
    let run = authspec(
        &["validate", "url.yaml"],
        &[("API_HOST", "tenant-1")],
        dir.path(),
    );
    assert_eq!(run.code, 0, "{}", run.all_output());
}

/// `validate` lints without secrets: an unset variable is named, not an error, and every
/// other mistake is still found; `--require-env` demands the variables.
#[test]
fn validate_needs_no_secrets_unless_asked_to() {
    let dir = tempfile::tempdir().unwrap();
    let ok = format!(
        "{HEAD}  ghost:\n    bearer: ${{env:GHOST_TOKEN_UNSET}}\naccess:\n  - request: GET /\n    deny: [ghost]\n"
    );
    write(dir.path(), "ok.yaml", &ok);
    let lint = authspec(&["validate", "ok.yaml"], &[], dir.path());
    assert_eq!(lint.code, 0, "{}", lint.all_output());
    assert!(
        lint.stdout
            .contains("not set here, so not checked: READER_TOKEN, GHOST_TOKEN_UNSET"),
        "{}",
        lint.stdout
    );
    let strict = authspec(&["validate", "--require-env", "ok.yaml"], &[], dir.path());
    assert_eq!(strict.code, 2, "{}", strict.all_output());
    assert!(
        strict.stderr.contains("READER_TOKEN is not set"),
        "{}",
        strict.stderr
    );
    let run = authspec(&["run", "ok.yaml"], &[], dir.path());
    assert_eq!(run.code, 2, "{}", run.all_output());
    // Without secrets, a real mistake is still refused.
    write(
        dir.path(),
        "bad.yaml",
        &format!("{ok}  - request: GET /x\n    deny: [nobody]\n"),
    );
    let bad = authspec(&["validate", "bad.yaml"], &[], dir.path());
    assert_eq!(bad.code, 2, "{}", bad.all_output());
    assert!(bad.stderr.contains("nobody"), "{}", bad.stderr);
}
