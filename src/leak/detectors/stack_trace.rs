//! ## What it detects
//! Stack traces and exception dumps in a response body: JVM frames and exception class
//! names (Java, Kotlin, Scala), Python tracebacks, Node.js frames, Go panics and goroutine
//! dumps, Rust panics, .NET exceptions and frames, PHP fatal errors and `#0` traces, and
//! Ruby backtraces. Patterns also match inside JSON strings (escaped quotes, `\n`).
//!
//! ## Why is this bad?
//! A trace tells an attacker the language, framework, library versions, source layout
//! and often the code path and input that broke it. It is a map for the next attack,
//! and a sign that errors reach clients unhandled.
//!
//! ## Classification
//! CWE-209: Generation of Error Message Containing Sensitive Information.
//! OWASP API Security Top 10: API8:2023 Security Misconfiguration.
//!
//! ## Reported as
//! One leak per language, e.g. `Java stack trace`, with the first matching line as
//! evidence.

use std::sync::LazyLock;

use super::{Catalogue, body_leaks};
use crate::leak::{Detector, Leak, Response};

/// (language, pattern); patterns of one language are tried in order.
const SOURCES: &[(&str, &str)] = &[
    // at com.x.Y.method(Y.java:42); at java.base/java.lang.Thread.run(Thread.java:833)
    (
        "Java",
        r"\bat (?:[\w$.@-]*/+)?(?:[\w$]+\.)+[\w$<>]+\((?:[\w$-]+\.(?:java|kt|scala|groovy):\d+|Native Method|Unknown Source)\)",
    ),
    (
        "Java",
        r"\b(?:java|javax|jakarta)\.(?:[a-z]\w*\.)+[A-Z]\w*(?:Exception|Error)\b",
    ),
    (
        "Java",
        r"\bCaused by: (?:[\w$]+\.)+[A-Z][\w$]*(?:Exception|Error|Throwable)\b",
    ),
    ("Java", r#"\bException in thread \\?"[^"\\\n]{1,80}\\?" "#),
    ("Python", r"\bTraceback \(most recent call last\):"),
    (
        "Python",
        r#"\bFile \\?"[^"\n]{1,300}?\.py\\?", line \d+(?:, in [\w<>.]+)?"#,
    ),
    // at Object.<anonymous> (/srv/app.js:10:5); at process.x (node:internal/...:95:5)
    (
        "Node.js",
        r"\bat (?:async )?(?:new )?(?:[\w$.<>\[\]]+(?: \[as [\w$]+\])? \()?(?:node:[\w/.-]+|(?:webpack-internal:///|file://)?(?:\.{0,2}/|[A-Za-z]:\\{1,2})[^\s():\x22]+\.(?:[cm]?js|[cm]?ts|jsx|tsx)):\d+:\d+\)?",
    ),
    ("Go", r#"\bpanic: runtime error: [^\n"\\]{0,120}"#),
    ("Go", r"\bgoroutine \d+ \[[\w ,.]+\]:"),
    ("Go", r"[\w./-]+\.go:\d+ \+0x[0-9a-f]+"),
    (
        "Rust",
        r#"\bthread '[^'\n]{1,100}' panicked at [^\n"\\]{0,120}"#,
    ),
    ("Rust", r"\bat \.{0,2}/[\w./-]+\.rs:\d+:\d+"),
    (
        ".NET",
        r#"\b(?:System|Microsoft)\.(?:[A-Za-z]\w*\.)*[A-Za-z]\w*Exception: [^\n"\\]{0,120}"#,
    ),
    (
        ".NET",
        r"\bat (?:[\w`<>\[\],]+\.)+[\w`<>\[\]|]+\([^()\n]*\) in [^\n]{1,300}?:line \d+",
    ),
    (
        ".NET",
        r"\bat (?:System|Microsoft)\.(?:[\w`<>]+\.)+[\w`<>|]+\([^()\n]*\)",
    ),
    (".NET", r"--- End of stack trace from previous location"),
    (
        "PHP",
        r"\b(?:PHP )?(?:Fatal error|Parse error|Warning|Notice|Deprecated)(?:</b>)?:\s+[^\n]{0,300}? in (?:<b>)?(?:/|[A-Za-z]:\\{1,2})[^\s<:\x22]+\.php(?:</b>)?(?::\d+| on line (?:<b>)?\d+)",
    ),
    ("PHP", r"#\d+ (?:/|[A-Za-z]:\\{1,2})[^\s(]+\.php\(\d+\): "),
    ("PHP", r"\bStack trace:(?:\s|\\n|<br\s*/?>)+#0 "),
    // app/models/user.rb:12:in `find' (Ruby < 3.4) or 'User.find' (3.4+)
    (
        "Ruby",
        r"[\w./~-]+\.(?:rb|erb|rake):\d+:in [`'][^'\n]{1,100}'",
    ),
];

static PATTERNS: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::new(SOURCES));

/// Stack traces and exception dumps in the body.
pub struct StackTrace;

impl Detector for StackTrace {
    fn id(&self) -> &'static str {
        "stack_trace"
    }

    fn scan(&self, response: &Response<'_>) -> Vec<Leak> {
        let what = |language: &str| format!("{language} stack trace");
        body_leaks(
            self.id(),
            &PATTERNS,
            response.body,
            what,
            209,
            "API8:2023 Security Misconfiguration",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leak::detectors::testing::scan_body;

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(PATTERNS.len(), SOURCES.len());
        assert!(PATTERNS.iter().all(|(_, p)| p.compiles()));
    }

    #[test]
    fn fires_on_real_traces() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str)] = &[
            ("Java (Spring)", "java.lang.NullPointerException: null\n\tat com.acme.shop.OrderService.place(OrderService.java:42)\n\tat java.base/java.lang.Thread.run(Thread.java:833)", "Java stack trace"),
            ("Java, frame only", "\tat org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:197)", "Java stack trace"),
            ("Java, Caused by", "Caused by: org.hibernate.exception.SQLGrammarException: could not extract ResultSet", "Java stack trace"),
            ("Kotlin in JSON", r#"{"trace":"Exception in thread \"main\" kotlin.KotlinNullPointerException\n\tat MainKt.main(Main.kt:3)"}"#, "Java stack trace"),
            ("Python (Flask)", "Traceback (most recent call last):\n  File \"/app/x.py\", line 3, in f\n    return 1/0\nZeroDivisionError: division by zero", "Python stack trace"),
            ("Python in JSON", r#"{"detail":"  File \"/usr/lib/python3.11/json/decoder.py\", line 355, in raw_decode"}"#, "Python stack trace"),
            ("Node.js (Express)", "TypeError: Cannot read properties of undefined (reading 'id')\n    at Object.<anonymous> (/srv/app.js:10:5)", "Node.js stack trace"),
            ("Node.js internals", "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)", "Node.js stack trace"),
            ("Node.js anonymous", "    at /usr/src/app/node_modules/express/lib/router/index.js:284:15", "Node.js stack trace"),
            ("Go", "panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation]\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d", "Go stack trace"),
            ("Go net/http", "goroutine 34 [running]:\nnet/http.(*conn).serve.func1()", "Go stack trace"),
            ("Rust", "thread 'main' panicked at src/main.rs:2:5:\nexplicit panic\nnote: run with `RUST_BACKTRACE=1`", "Rust stack trace"),
            ("Rust, older format", "thread 'tokio-runtime-worker' panicked at 'called `Option::unwrap()` on a `None` value', src/handlers.rs:88:14", "Rust stack trace"),
            (".NET", "System.NullReferenceException: Object reference not set to an instance of an object.", ".NET stack trace"),
            (".NET frame with file", "   at Shop.Api.Controllers.OrdersController.Get(Int32 id) in C:\\src\\Shop.Api\\OrdersController.cs:line 42", ".NET stack trace"),
            (".NET in JSON", r#"{"stack":"   at Microsoft.AspNetCore.Mvc.Infrastructure.ControllerActionInvoker.Next(State& next, Scope& scope)"}"#, ".NET stack trace"),
            ("PHP", "<br />\n<b>Fatal error</b>:  Uncaught Exception: boom in /var/www/html/x.php:12\nStack trace:\n#0 /var/www/html/index.php(7): f()\n#1 {main}", "PHP stack trace"),
            ("PHP warning", "Warning: Undefined variable $user in /var/www/app/profile.php on line 31", "PHP stack trace"),
            ("Ruby (Rails)", "app/models/user.rb:12:in `find'\n\tfrom /usr/lib/ruby/3.0.0/irb.rb:5:in `start'", "Ruby stack trace"),
            ("Ruby 3.4 quoting", "app/models/user.rb:12:in 'User.find'", "Ruby stack trace"),
        ];
        for (name, body, what) in cases {
            let leaks = scan_body(&StackTrace, body);
            assert!(
                leaks.iter().any(|l| l.what == *what),
                "{name}: expected {what}, got {leaks:?}"
            );
            assert!(
                leaks
                    .iter()
                    .all(|l| l.cwe == 209 && l.detector == "stack_trace")
            );
        }
    }

    #[test]
    fn quiet_on_look_alikes() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("product copy", r#"{"name":"Exception Gloves","description":"Exceptional grip. Error-free fit."}"#),
            ("plain Caused by", r#"{"delay_reason":"Caused by: heavy snow at Denver"}"#),
            ("meeting time", r#"{"note":"Meet at Cafe (Main St) at 10:30 (booth 5:2)"}"#),
            ("English panic", r#"{"title":"Don't panic: the guide"}"#),
            ("file name field", r#"{"message":"File \"report.pdf\" uploaded","line":3}"#),
            ("thread field", r#"{"thread":"main","status":"panicked? no"}"#),
            ("timestamp field", r#"{"at":"2024-05-01T10:00:00Z","by":"system"}"#),
            ("Ruby file mention", r#"{"files":["app/models/user.rb"],"lines":12}"#),
            ("PHP mention", r#"{"tip":"Warning: read index.php carefully"}"#),
            ("Java in prose", r#"{"skills":["Java","Python","Go"],"exception":"none"}"#),
            ("JSON path field", r#"{"path":"/orders/1","href":"/api/v1/users"}"#),
        ];
        for (name, body) in cases {
            let leaks = scan_body(&StackTrace, body);
            assert!(leaks.is_empty(), "{name}: unexpected {leaks:?}");
        }
    }

    #[test]
    fn one_leak_per_language() {
        let body = "at a.B.c(B.java:1)\nat a.B.d(B.java:2)\njava.lang.IllegalStateException\n\
                    Traceback (most recent call last):\n  File \"/app/y.py\", line 9, in g";
        let leaks = scan_body(&StackTrace, body);
        let whats: Vec<&str> = leaks.iter().map(|l| l.what.as_str()).collect();
        assert_eq!(whats, ["Java stack trace", "Python stack trace"]);
        assert_eq!(leaks[0].evidence, "at a.B.c(B.java:1)");
    }
}
