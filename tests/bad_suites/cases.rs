//! The bad suites of `tests/bad_suites.rs`, one row per kind of mistake; the snapshot
//! tests (`tests/snapshots.rs`) record the full error of each row.
#![allow(dead_code)]

pub struct Case {
    pub name: &'static str,
    pub yaml: &'static str,
    /// `file:line:column` expected in stderr.
    pub at: &'static str,
    /// Substrings expected in stderr.
    pub says: &'static [&'static str],
}

pub const HEAD: &str = "suite: s\ntarget:\n  base_url: http://127.0.0.1:9\nroles:\n  anonymous: {}\n  reader:\n    bearer: ${env:READER_TOKEN}\n  writer:\n    bearer: ${env:READER_TOKEN}\n";

pub fn cases() -> Vec<Case> {
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
            // Unquoted references parse inside flow collections, at their exact column.
            name: "unknown reference kind in a flow mapping",
            yaml: "  ghost: { bearer: ${envv:READER_TOKEN} }\naccess:\n  - request: GET /\n    deny: [ghost]\n",
            at: "bad.yaml:10:20",
            says: &["envv", "references are `${env:NAME}`"],
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

impl Case {
    /// The whole suite file: `yaml` as is when it starts with `suite:`, else after `HEAD`
    /// (a `yaml` indented by two spaces continues HEAD's `roles:` block).
    pub fn suite(&self) -> String {
        if self.yaml.starts_with("suite:") {
            self.yaml.to_string()
        } else if self.yaml.starts_with("  ") {
            format!(
                "{}{}",
                HEAD.trim_end_matches('\n'),
                format_args!("\n{}", self.yaml)
            )
        } else {
            format!("{HEAD}{}", self.yaml)
        }
    }
}
