//! ## What it detects
//! Server-side file system paths in a response body: Unix absolute paths under the
//! usual server roots (`/var/www/html/index.php`, `/usr/local/lib/python3.11/...`,
//! `/etc/nginx/nginx.conf`, `/home/deploy/app/config/database.yml`, `/app/src/server.js`)
//! and Windows paths (`C:\inetpub\wwwroot\default.aspx`, `D:\apps\api\web.config`),
//! also when JSON-escaped (`\\`, `\/`).
//!
//! ## Why is this bad?
//! A path reveals the operating system, the deployment layout, user names, framework and
//! library versions (`site-packages`, `node_modules`), which is what an attacker needs to
//! aim path traversal, local file inclusion or a known-CVE exploit.
//!
//! ## Classification
//! CWE-200: Exposure of Sensitive Information to an Unauthorized Actor.
//! OWASP API Security Top 10: API8:2023 Security Misconfiguration.
//!
//! ## Reported as
//! At most one `Unix server path` and one `Windows server path`. URL paths
//! (`"href": "/orders/1"`, `/api/v1/users`), paths inside `https://` URLs and MIME types
//! never count. Roots that double as web routes (`/app`, `/home/<user>`, `/data`, ...)
//! count only with a server-side file tail (`.py`, `.php`, `.yml`, a dot directory...).

use std::borrow::Cow;
use std::sync::LazyLock;

use super::Pattern;
use crate::leak::{Detector, Leak, Response};

/// An absolute Unix path of two or more segments, not inside a URL or a longer token.
const UNIX: &str = r"(?:^|[^\w.:/~\\-]|\\[nrt])(/[\w.@+~-]+(?:/[\w.@+~-]+)+)";
/// A drive-letter path of two or more segments; directories may contain spaces.
const WINDOWS: &str =
    r"(?:^|[^\w\\]|\\[nrt])([A-Za-z]:\\{1,2}(?:[\w.$@~()-]+(?: [\w.$@~()-]+)*\\{1,2})+[\w.$@~-]+)";

// Both start with a class: what every match contains is named instead.
static UNIX_RE: LazyLock<Pattern> = LazyLock::new(|| Pattern::containing(UNIX, &["/"]));
static WINDOWS_RE: LazyLock<Pattern> = LazyLock::new(|| Pattern::containing(WINDOWS, &[":\\"]));

/// Roots that are never web routes: any path below them counts.
const STRONG_ROOTS: &[&str] = &["etc", "root", "proc", "opt", "srv", "tmp"];
const VAR_DIRS: &[&str] = &[
    "www", "log", "lib", "run", "cache", "tmp", "task", "spool", "mail", "app",
];
const USR_DIRS: &[&str] = &[
    "lib", "lib64", "local", "share", "src", "bin", "sbin", "include",
];
/// Roots that may also be web routes: they count only with a server-side file tail.
const WEAK_ROOTS: &[&str] = &["app", "home", "Users", "data", "mnt", "workspace", "code"];
/// Extensions of source, config, log and binary files (not web assets).
const SERVER_EXTS: &[&str] = &[
    "py",
    "pyc",
    "rb",
    "erb",
    "js",
    "mjs",
    "cjs",
    "ts",
    "php",
    "phtml",
    "inc",
    "java",
    "class",
    "jar",
    "war",
    "kt",
    "scala",
    "go",
    "rs",
    "cs",
    "dll",
    "exe",
    "so",
    "c",
    "cpp",
    "h",
    "pl",
    "pm",
    "ex",
    "exs",
    "sh",
    "conf",
    "cfg",
    "ini",
    "env",
    "yml",
    "yaml",
    "toml",
    "properties",
    "log",
    "sql",
    "db",
    "sqlite",
    "sqlite3",
    "pem",
    "key",
    "crt",
    "lock",
    "twig",
    "jsp",
    "aspx",
    "config",
];

/// Server-side file system paths in the body.
pub struct FilePath;

impl Detector for FilePath {
    fn id(&self) -> &'static str {
        "file_path"
    }

    fn scan(&self, response: &Response<'_>) -> Vec<Leak> {
        // PHP's json_encode escapes every slash.
        let body: Cow<'_, str> = if response.body.contains("\\/") {
            Cow::Owned(response.body.replace("\\/", "/"))
        } else {
            Cow::Borrowed(response.body)
        };
        let unix = UNIX_RE.for_text(&body).and_then(|re| {
            re.captures_iter(&body)
                .filter_map(|c| c.get(1))
                .map(|m| m.as_str())
                .find(|path| is_server_path(path))
        });
        let windows = WINDOWS_RE
            .for_text(&body)
            .and_then(|re| re.captures(&body))
            .and_then(|c| c.get(1))
            .map(|m| m.as_str());
        [("Unix server path", unix), ("Windows server path", windows)]
            .into_iter()
            .filter_map(|(what, path)| {
                path.map(|p| Leak {
                    detector: self.id(),
                    what: what.to_string(),
                    evidence: p.to_string(),
                    cwe: 200,
                    owasp: "API8:2023 Security Misconfiguration",
                })
            })
            .collect()
    }
}

/// Whether an absolute Unix path (two or more segments) lies under a server root.
fn is_server_path(path: &str) -> bool {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let (first, second) = match segments.as_slice() {
        [first, second, ..] => (*first, *second),
        _ => return false,
    };
    let strong = STRONG_ROOTS.contains(&first)
        || (first == "var" && VAR_DIRS.contains(&second) && segments.len() >= 3)
        || (first == "usr" && USR_DIRS.contains(&second) && segments.len() >= 3);
    if strong {
        return true;
    }
    if !WEAK_ROOTS.contains(&first) {
        return false;
    }
    let hidden_dir = segments[1..]
        .iter()
        .any(|s| s.len() > 1 && s.starts_with('.') && *s != "..");
    let server_ext = segments
        .last()
        .and_then(|s| s.rsplit_once('.'))
        .is_some_and(|(stem, ext)| !stem.is_empty() && SERVER_EXTS.contains(&ext));
    hidden_dir || server_ext
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leak::detectors::testing::scan_body;

    #[test]
    fn every_pattern_compiles() {
        assert!(UNIX_RE.compiles() && WINDOWS_RE.compiles());
    }

    #[test]
    fn fires_on_server_paths() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str, &str)] = &[
            ("PHP (Apache)", "Warning: include(): Failed opening in /var/www/html/inc/db.php on line 4", "Unix server path", "/var/www/html/inc/db.php"),
            ("PHP json_encode", r#"{"file":"\/var\/www\/html\/index.php"}"#, "Unix server path", "/var/www/html/index.php"),
            ("Python (Django)", r#"{"trace":"File \"/usr/local/lib/python3.11/site-packages/django/core/handlers.py\""}"#, "Unix server path", "/usr/local/lib/python3.11/site-packages/django/core/handlers.py"),
            ("Node.js in Docker", "    at Server.<anonymous> (/app/src/server.js:10:5)", "Unix server path", "/app/src/server.js"),
            ("Rails", "/home/deploy/shop/releases/20240501/app/models/user.rb:12", "Unix server path", "/home/deploy/shop/releases/20240501/app/models/user.rb"),
            ("nginx config", "open() \"/etc/nginx/conf.d/default.conf\" failed", "Unix server path", "/etc/nginx/conf.d/default.conf"),
            ("path traversal result", r#"{"content":"root:x:0:0","read":"/etc/passwd"}"#, "Unix server path", "/etc/passwd"),
            ("AWS Lambda", "Error: Cannot find module '/var/task/handler.js'", "Unix server path", "/var/task/handler.js"),
            ("Java (Tomcat)", r#"{"log":"/opt/tomcat/logs/catalina.out"}"#, "Unix server path", "/opt/tomcat/logs/catalina.out"),
            ("SSH dir in home", r#"{"key_file":"/home/ubuntu/.ssh/id_rsa"}"#, "Unix server path", "/home/ubuntu/.ssh/id_rsa"),
            ("JSON-escaped newline", r#"{"error":"failed\n/srv/api/config.yml missing"}"#, "Unix server path", "/srv/api/config.yml"),
            ("ASP.NET (IIS)", "Source File: C:\\inetpub\\wwwroot\\shop\\default.aspx    Line: 12", "Windows server path", "C:\\inetpub\\wwwroot\\shop\\default.aspx"),
            (".NET in JSON", r#"{"stack":"in D:\\apps\\Shop.Api\\OrdersController.cs:line 42"}"#, "Windows server path", "D:\\\\apps\\\\Shop.Api\\\\OrdersController.cs"),
            ("Windows Program Files", "C:\\Program Files\\dotnet\\shared\\System.Private.CoreLib.dll", "Windows server path", "C:\\Program Files\\dotnet\\shared\\System.Private.CoreLib.dll"),
        ];
        for (name, body, what, evidence) in cases {
            let leaks = scan_body(&FilePath, body);
            assert_eq!(leaks.len(), 1, "{name}: {leaks:?}");
            assert_eq!(leaks[0].what, *what, "{name}");
            assert_eq!(leaks[0].evidence, *evidence, "{name}");
        }
    }

    #[test]
    fn quiet_on_look_alikes() {
        #[rustfmt::skip]
        let cases: &[(&str, &str)] = &[
            ("HAL links", r#"{"_links":{"self":{"href":"/orders/1"},"users":"/api/v1/users"}}"#),
            ("JSON field named path", r#"{"path":"/orders/1/items","method":"GET"}"#),
            ("absolute URLs", r#"{"docs":"https://example.com/var/www/guide.php","cdn":"//cdn.example.com/etc/x.conf"}"#),
            ("MIME types", r#"{"accept":["application/json","text/html","image/svg+xml"]}"#),
            ("SPA routes", r#"{"links":["/app/dashboard","/home/feed/latest","/data/exports/2024"]}"#),
            ("static assets", r#"{"logo":"/app/assets/logo.png","css":"/home/theme/site.css"}"#),
            ("dates and ratios", r#"{"date":"2024/05/01","ratio":"16/9","fraction":"1/2/3"}"#),
            ("file URI root only", r#"{"dir":"/var/www","tmp":"/tmp"}"#),
            ("regex in JSON", r#"{"pattern":"^[A-Z]:\\d+$","escape":"\\w\\d"}"#),
            ("Windows-like time", r#"{"at":"T:10:30","drive":"C:"}"#),
        ];
        for (name, body) in cases {
            let leaks = scan_body(&FilePath, body);
            assert!(leaks.is_empty(), "{name}: unexpected {leaks:?}");
        }
    }

    #[test]
    fn one_leak_per_kind() {
        let body = "/var/www/a.php /var/www/b.php C:\\x\\a.cs C:\\y\\b.cs";
        let leaks = scan_body(&FilePath, body);
        let found: Vec<(&str, &str)> = leaks
            .iter()
            .map(|l| (l.what.as_str(), l.evidence.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("Unix server path", "/var/www/a.php"),
                ("Windows server path", "C:\\x\\a.cs")
            ]
        );
    }
}
