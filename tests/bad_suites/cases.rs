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
    /// Substrings that must not be in stderr or stdout (a literal credential).
    pub hides: &'static [&'static str],
}

pub const HEAD: &str = "suite: s\ntarget:\n  base_url: http://127.0.0.1:9\nroles:\n  anonymous: {}\n  reader:\n    bearer: ${env:READER_TOKEN}\n  writer:\n    bearer: ${env:READER_TOKEN}\n";

pub fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "yaml syntax error",
            yaml: "suite: s\ntarget: demo\naccess: [\n  - request: GET /\n",
            at: "bad.yaml:4:3",
            says: &["error: bad.yaml:4:3", "only valid inside a block"],
            hides: &[],
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
            hides: &[],
        },
        Case {
            name: "unknown role in as",
            yaml: "scenarios:\n  - name: x\n    as: raeder\n    request: GET /\n",
            at: "bad.yaml:12:9",
            says: &["unknown role `raeder`", "did you mean `reader`?"],
            hides: &[],
        },
        Case {
            name: "unknown field",
            yaml: "access:\n  - request: GET /orders\n    alow: [reader]\n",
            at: "bad.yaml:12:5",
            says: &["unknown field `alow`", "did you mean `allow`?"],
            hides: &[],
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
            hides: &[],
        },
        Case {
            name: "duplicate key",
            yaml: "access:\n  - request: GET /\n    allow: [reader]\n    allow: [writer]\n",
            at: "bad.yaml:13:5",
            says: &["duplicate"],
            hides: &[],
        },
        Case {
            // Unquoted references parse inside flow collections, at their exact column.
            name: "unknown reference kind in a flow mapping",
            yaml: "  ghost: { bearer: ${envv:READER_TOKEN} }\naccess:\n  - request: GET /\n    deny: [ghost]\n",
            at: "bad.yaml:10:20",
            says: &["envv", "references are `${env:NAME}`"],
            hides: &[],
        },
        Case {
            name: "bad request line",
            yaml: "access:\n  - request: FETCH /orders\n    allow: [reader]\n",
            at: "bad.yaml:11:14",
            says: &["unknown HTTP method `FETCH`"],
            hides: &[],
        },
        Case {
            name: "capture used before it is defined",
            yaml: "scenarios:\n  - name: x\n    as: reader\n    request: GET /orders/{{id}}\n",
            at: "bad.yaml:13:14",
            says: &["`{{id}}` is not captured by an earlier step"],
            hides: &[],
        },
        Case {
            // Masked although `beare` is no credential key: a GitHub token's format is known.
            name: "credential in a well-known format under a misspelt key",
            yaml: "  ghost:\n    beare: \"ghp_FAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKEFAKE\"\naccess:\n  - request: GET /\n    deny: [ghost]\n",
            at: "bad.yaml:11:5",
            says: &["unknown field `beare`", "did you mean `bearer`?"],
            hides: &["ghp_", "FAKEFAKE"],
        },
        Case {
            // Masked because the key it misspells holds credentials.
            name: "credential under a misspelt key",
            yaml: "  ghost:\n    api_key: { header: X-Key, vaule: \"k3Jd9-Qm2ZxV8pLw0RtY\" }\naccess:\n  - request: GET /\n    deny: [ghost]\n",
            at: "bad.yaml:11:31",
            says: &["unknown field `vaule`", "did you mean `value`?"],
            hides: &["k3Jd9", "pLw0RtY"],
        },
        Case {
            name: "secret reference with no such secret",
            yaml: "  ghost:\n    bearer: ${secret:ops_password}\naccess:\n  - request: GET /\n    deny: [ghost]\n",
            at: "bad.yaml:11:13",
            says: &[
                "no secret `ops_password` is defined under `secrets:`",
                "define it: `secrets:",
            ],
            hides: &[],
        },
        Case {
            name: "secret command that is missing",
            yaml: "suite: s\ntarget:\n  base_url: http://127.0.0.1:9\nsecrets:\n  ops_password:\n    command: [authspec-no-such-cli, read, op://vault/ops/password]\nroles:\n  ops:\n    basic: { username: ops, password: \"${secret:ops_password}\" }\naccess:\n  - request: GET /ops/health\n    allow: [ops]\n",
            at: "bad.yaml:6:14",
            says: &[
                "the command of secret `ops_password` (`authspec-no-such-cli read op://vault/ops/password`) could not be started",
                "needed by `roles.ops.basic.password`",
                "run the command by hand",
            ],
            hides: &[],
        },
        Case {
            name: "secret command with a reference in it",
            yaml: "suite: s\ntarget:\n  base_url: http://127.0.0.1:9\nsecrets:\n  pw:\n    command: [vault, kv, get, \"-field=${env:FIELD}\", secret/ops]\nroles:\n  ops:\n    bearer: ${secret:pw}\naccess:\n  - request: GET /\n    allow: [ops]\n",
            at: "bad.yaml:6:14",
            says: &["`secrets.pw.command` takes no `${…}` reference"],
            hides: &[],
        },
        Case {
            name: "unclosed reference in a json body",
            yaml: "access:\n  - request: POST /notes\n    json: { body: \"${env:READER_TOKEN\" }\n    allow: [reader]\n",
            at: "bad.yaml:11:14",
            says: &[
                "a `${` is not closed with `}`",
                "needed by `json.body`",
                "write `$${` for a literal `${`",
            ],
            hides: &[],
        },
        Case {
            // Never sent as written: an unknown kind inside a body is an error too.
            name: "unknown reference kind in a json body",
            yaml: "access:\n  - request: POST /notes\n    json: { p: [\"${vault:kv/ops}\"] }\n    allow: [reader]\n",
            at: "bad.yaml:11:14",
            says: &["unknown reference kind `vault`", "needed by `json.p[0]`"],
            hides: &[],
        },
        Case {
            name: "expectation template nobody captures",
            yaml: "scenarios:\n  - name: x\n    as: reader\n    request: GET /\n    expect: { json: { $.m: \"{{nope}}\" } }\n",
            at: "bad.yaml:14:23",
            says: &["`{{nope}}` is not captured by an earlier step"],
            hides: &[],
        },
        Case {
            name: "basic user name with a colon",
            yaml: "  ops:\n    basic: { username: \"a:b\", password: \"${env:READER_TOKEN}\" }\naccess:\n  - request: GET /\n    allow: [ops]\n",
            at: "bad.yaml:11:24",
            says: &["a Basic user name is not empty and has no `:`", "RFC 7617"],
            hides: &[],
        },
        Case {
            name: "setup step with an access expectation",
            yaml: "setup:\n  - request: GET /\n    expect: { access: allow }\naccess:\n  - request: GET /\n    allow: [reader]\n",
            at: "bad.yaml:12:23",
            says: &["a `setup:` step takes no `access:`"],
            hides: &[],
        },
        Case {
            name: "login with an unknown key",
            yaml: "  alice:\n    login:\n      request: POST /auth/login\n      json: { username: alice }\n      tokn: $.auth_token\naccess:\n  - request: GET /\n    allow: [alice]\n",
            at: "bad.yaml:14:7",
            says: &["unknown field `tokn`", "did you mean `token`?"],
            hides: &[],
        },
        Case {
            name: "login without a token",
            yaml: "  alice:\n    login:\n      request: POST /auth/login\n      json: { username: alice }\naccess:\n  - request: GET /\n    allow: [alice]\n",
            at: "bad.yaml:13:7",
            says: &["missing field `token`", "`token: $.auth_token`"],
            hides: &[],
        },
        Case {
            name: "login token path that does not parse",
            yaml: "  alice:\n    login:\n      request: POST /auth/login\n      token: \"$.[auth\"\naccess:\n  - request: GET /\n    allow: [alice]\n",
            at: "bad.yaml:13:14",
            says: &["invalid JSONPath `$.[auth`", "JSONPath starts at `$`"],
            hides: &[],
        },
        Case {
            name: "login and bearer on one role",
            yaml: "  alice:\n    bearer: ${env:READER_TOKEN}\n    login:\n      request: POST /auth/login\n      token: $.auth_token\naccess:\n  - request: GET /\n    allow: [alice]\n",
            at: "bad.yaml:10:3",
            says: &[
                "role `alice` has more than one of `bearer`, `api_key`, `oauth2`, `basic`, `login`",
                "give each role one credential",
            ],
            hides: &[],
        },
        Case {
            name: "login token in a header and a cookie",
            yaml: "  alice:\n    login:\n      request: POST /auth/login\n      token: { header: X-Auth-Token, cookie: session }\naccess:\n  - request: GET /\n    allow: [alice]\n",
            at: "bad.yaml:13:14",
            says: &[
                "`token:` names exactly one of `header` or `cookie`",
                "`token: { header: X-Auth-Token }`",
            ],
            hides: &[],
        },
        Case {
            name: "login sending a cookie with a prefix",
            yaml: "  alice:\n    login:\n      request: POST /auth/login\n      token: { cookie: session }\n      send: { cookie: sid, prefix: \"Token \" }\naccess:\n  - request: GET /\n    allow: [alice]\n",
            at: "bad.yaml:14:36",
            says: &["a cookie takes no `prefix`"],
            hides: &[],
        },
        Case {
            name: "login with a variable nothing captures",
            yaml: "  alice:\n    login:\n      request: POST /auth/login\n      json: { username: \"alice-{{nope}}\" }\n      token: $.auth_token\naccess:\n  - request: GET /\n    allow: [alice]\n",
            at: "bad.yaml:12:16",
            says: &["`{{nope}}` is not captured"],
            hides: &[],
        },
        Case {
            name: "rate_limit with two bodies",
            yaml: "probes:\n  - rate_limit:\n      request: POST /auth/login\n      json: { username: alice }\n      body: \"x\"\n",
            at: "bad.yaml:12:16",
            says: &["a request has one of `json:`, `form:` or `body:`, not more"],
            hides: &[],
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
