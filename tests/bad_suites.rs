//! Bad suites exit 2 with a pointer at file:line:column, the offending line, and a hint;
//! nothing is sent. Table-driven: one row per kind of mistake.

mod common;

use common::*;

struct Case {
    name: &'static str,
    yaml: &'static str,
    /// `file:line:column` expected in stderr.
    at: &'static str,
    /// Substrings expected in stderr.
    says: &'static [&'static str],
}

const HEAD: &str = "suite: s\ntarget:\n  base_url: http://127.0.0.1:9\nroles:\n  anonymous: {}\n  reader:\n    bearer: ${env:READER_TOKEN}\n  writer:\n    bearer: ${env:READER_TOKEN}\n";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "yaml syntax error",
            yaml: "suite: s\ntarget: demo\naccess: [\n  - request: GET /\n",
            at: "bad.yaml:4:3",
            says: &["error: bad.yaml:4:3", "only valid inside a block"],
        },
        Case {
            name: "unknown role in access",
            yaml: "access:\n  - request: GET /orders\n    allow: [reader, writr]\n",
            at: "bad.yaml:12:21",
            says: &[
                "unknown role `writr`",
                "did you mean `writer`?",
                "allow: [reader, writr]",
            ],
        },
        Case {
            name: "unknown role in as",
            yaml: "scenarios:\n  - name: x\n    as: raeder\n    request: GET /\n",
            at: "bad.yaml:12:9",
            says: &["unknown role `raeder`", "did you mean `reader`?"],
        },
        Case {
            name: "unknown field",
            yaml: "access:\n  - request: GET /orders\n    alow: [reader]\n",
            at: "bad.yaml:12:5",
            says: &["unknown field `alow`", "did you mean `allow`?"],
        },
        Case {
            name: "missing environment variable",
            yaml: "  ghost:\n    bearer: ${env:GHOST_TOKEN_UNSET}\naccess:\n  - request: GET /\n    deny: [ghost]\n",
            at: "bad.yaml:11:13",
            says: &[
                "environment variable GHOST_TOKEN_UNSET is not set",
                "roles.ghost.bearer",
                "export GHOST_TOKEN_UNSET=",
            ],
        },
        Case {
            name: "duplicate key",
            yaml: "access:\n  - request: GET /\n    allow: [reader]\n    allow: [writer]\n",
            at: "bad.yaml:13:5",
            says: &["duplicate"],
        },
        Case {
            name: "bad request line",
            yaml: "access:\n  - request: FETCH /orders\n    allow: [reader]\n",
            at: "bad.yaml:11:14",
            says: &["unknown HTTP method `FETCH`"],
        },
        Case {
            name: "capture used before it is defined",
            yaml: "scenarios:\n  - name: x\n    as: reader\n    request: GET /orders/{{id}}\n",
            at: "bad.yaml:13:14",
            says: &["`{{id}}` is not captured by an earlier step"],
        },
    ]
}

#[test]
fn each_bad_suite_exits_2_with_a_pointer() {
    let dir = tempfile::tempdir().unwrap();
    for case in cases() {
        let yaml = if case.yaml.starts_with("suite:") {
            case.yaml.to_string()
        } else if case.yaml.starts_with("  ") {
            format!(
                "{}{}",
                HEAD.trim_end_matches('\n'),
                format_args!("\n{}", case.yaml)
            )
        } else {
            format!("{HEAD}{}", case.yaml)
        };
        write(dir.path(), "bad.yaml", &yaml);
        for command in ["run", "validate"] {
            let run = authspec(
                &[command, "bad.yaml"],
                &[("READER_TOKEN", "fake-reader")],
                dir.path(),
            );
            assert_eq!(run.code, 2, "{}/{command}: {}", case.name, run.all_output());
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
