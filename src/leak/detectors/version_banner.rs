//! ## What it detects
//! Software version banners in response headers: a `Server` header that carries a
//! version (`nginx/1.22.1`, `Apache/2.4.41 (Ubuntu)`, `Microsoft-IIS/10.0`,
//! `Jetty(9.4.44.v20210927)`), and any value of `X-Powered-By` (`Express`, `PHP/8.1.2`,
//! `ASP.NET`), `X-AspNet-Version`, `X-AspNetMvc-Version` and `X-Generator`. Also the
//! version footer of a web server's default error page in the body
//! (`<center>nginx/1.22.1</center>`, `<address>Apache/2.4.41 (Ubuntu) Server at ...`).
//!
//! ## Why is this bad?
//! A product and version narrow an attack to the CVEs that apply to it, for free and
//! without a single probe that could be noticed. The framework headers are never needed
//! by clients; they are defaults nobody turned off.
//!
//! ## Classification
//! CWE-200: Exposure of Sensitive Information to an Unauthorized Actor.
//! OWASP API Security Top 10: API8:2023 Security Misconfiguration.
//!
//! ## Reported as
//! A server-scope detector: one check per origin (`leakage 127.0.0.1:8080: version_banner`)
//! with how many responses showed it, never a failure of the check that received one.
//! One leak per header name, e.g. `Server version banner` with `Server: nginx/1.22.1`,
//! and one `error page version banner`. A `Server` header without a version (`nginx`,
//! `cloudflare`, `Kestrel`, `ECS (dcb/7F5E)`) is not reported; `Via` is not inspected.

use std::sync::LazyLock;

use super::Pattern;
use crate::leak::{Detector, Leak, Response, Scope};

/// `product/1.2.3` or `product(1.2.3)` inside a `Server` value.
const SERVER_VERSION: &str = r"[A-Za-z][\w.+-]*(?:/v?\d+(?:\.\d+)*\b|\(v?\d+\.\d+[\w.-]*\))";
/// The footer of nginx, Apache httpd and Tomcat default error pages.
const ERROR_PAGE: &str = r"<(?:center|address|h3)>((?:Apache Tomcat|[A-Za-z][\w.+-]*)/\d+(?:\.\d+)+[^<\n]{0,80})</(?:center|address|h3)>";

static SERVER_RE: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(SERVER_VERSION));
static ERROR_PAGE_RE: LazyLock<Pattern> = LazyLock::new(|| Pattern::new(ERROR_PAGE));

/// (lower-case name, display name); any non-empty value is a banner.
const FRAMEWORK_HEADERS: &[(&str, &str)] = &[
    ("x-powered-by", "X-Powered-By"),
    ("x-aspnet-version", "X-AspNet-Version"),
    ("x-aspnetmvc-version", "X-AspNetMvc-Version"),
    ("x-generator", "X-Generator"),
];

/// Product and version banners in headers (and default error pages).
pub struct VersionBanner;

impl VersionBanner {
    fn leak(&self, what: String, evidence: String) -> Leak {
        Leak {
            detector: self.id(),
            what,
            evidence,
            cwe: 200,
            owasp: "API8:2023 Security Misconfiguration",
        }
    }
}

impl Detector for VersionBanner {
    fn id(&self) -> &'static str {
        "version_banner"
    }

    /// A banner is how the server is configured, not what one response did: reported once
    /// per origin, it would otherwise fail every check that received a response.
    fn scope(&self) -> Scope {
        Scope::Server
    }

    fn scan(&self, response: &Response<'_>) -> Vec<Leak> {
        let mut leaks = Vec::new();
        let value_of = |name: &'static str| {
            response
                .headers
                .iter()
                .filter(move |(n, _)| n == name)
                .map(|(_, v)| v.trim())
        };
        let server =
            value_of("server").find(|v| SERVER_RE.for_text(v).is_some_and(|re| re.is_match(v)));
        if let Some(value) = server {
            leaks.push(self.leak(
                "Server version banner".to_string(),
                format!("Server: {value}"),
            ));
        }
        for (name, display) in FRAMEWORK_HEADERS {
            if let Some(value) = value_of(name).find(|v| !v.is_empty()) {
                leaks.push(self.leak(format!("{display} banner"), format!("{display}: {value}")));
            }
        }
        let footer = ERROR_PAGE_RE
            .for_text(response.body)
            .and_then(|re| re.captures(response.body))
            .and_then(|c| c.get(1));
        if let Some(m) = footer {
            leaks.push(self.leak(
                "error page version banner".to_string(),
                m.as_str().trim().to_string(),
            ));
        }
        leaks
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(headers: &[(&str, &str)], body: &str) -> Vec<Leak> {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        VersionBanner.scan(&Response {
            headers: &headers,
            body,
            run_secrets: &[],
            own_hosts: &[],
        })
    }

    #[test]
    fn every_pattern_compiles() {
        assert!(SERVER_RE.compiles() && ERROR_PAGE_RE.compiles());
    }

    #[test]
    fn fires_on_banners() {
        #[rustfmt::skip]
        let cases: &[(&str, (&str, &str), &str, &str)] = &[
            ("nginx", ("server", "nginx/1.22.1"), "Server version banner", "Server: nginx/1.22.1"),
            ("Apache httpd on Ubuntu", ("server", "Apache/2.4.41 (Ubuntu)"), "Server version banner", "Server: Apache/2.4.41 (Ubuntu)"),
            ("IIS", ("server", "Microsoft-IIS/10.0"), "Server version banner", "Server: Microsoft-IIS/10.0"),
            ("Werkzeug (Flask dev server)", ("server", "Werkzeug/3.0.1 Python/3.12.2"), "Server version banner", "Server: Werkzeug/3.0.1 Python/3.12.2"),
            ("Jetty", ("server", "Jetty(9.4.44.v20210927)"), "Server version banner", "Server: Jetty(9.4.44.v20210927)"),
            ("Apache, ServerTokens Major", ("server", "Apache/2"), "Server version banner", "Server: Apache/2"),
            ("Express", ("x-powered-by", "Express"), "X-Powered-By banner", "X-Powered-By: Express"),
            ("PHP", ("x-powered-by", "PHP/8.1.2-1ubuntu2.14"), "X-Powered-By banner", "X-Powered-By: PHP/8.1.2-1ubuntu2.14"),
            ("ASP.NET", ("x-powered-by", "ASP.NET"), "X-Powered-By banner", "X-Powered-By: ASP.NET"),
            ("ASP.NET runtime", ("x-aspnet-version", "4.0.30319"), "X-AspNet-Version banner", "X-AspNet-Version: 4.0.30319"),
            ("ASP.NET MVC", ("x-aspnetmvc-version", "5.2"), "X-AspNetMvc-Version banner", "X-AspNetMvc-Version: 5.2"),
            ("Drupal", ("x-generator", "Drupal 10 (https://www.drupal.org)"), "X-Generator banner", "X-Generator: Drupal 10 (https://www.drupal.org)"),
        ];
        for (name, header, what, evidence) in cases {
            let leaks = scan(&[("content-type", "application/json"), *header], "{}");
            assert_eq!(leaks.len(), 1, "{name}: {leaks:?}");
            assert_eq!(leaks[0].what, *what, "{name}");
            assert_eq!(leaks[0].evidence, *evidence, "{name}");
        }
    }

    #[test]
    fn fires_on_default_error_pages() {
        #[rustfmt::skip]
        let cases: &[(&str, &str, &str)] = &[
            ("nginx 404", "<html><body><center><h1>404 Not Found</h1></center><hr><center>nginx/1.22.1</center></body></html>", "nginx/1.22.1"),
            ("Apache httpd 403", "<hr>\n<address>Apache/2.4.41 (Ubuntu) Server at api.example.com Port 443</address>", "Apache/2.4.41 (Ubuntu) Server at api.example.com Port 443"),
            ("Tomcat 500", "<hr class=\"line\" /><h3>Apache Tomcat/9.0.65</h3></body></html>", "Apache Tomcat/9.0.65"),
        ];
        for (name, body, evidence) in cases {
            let leaks = scan(&[("server", "nginx")], body);
            assert_eq!(leaks.len(), 1, "{name}: {leaks:?}");
            assert_eq!(leaks[0].what, "error page version banner", "{name}");
            assert_eq!(leaks[0].evidence, *evidence, "{name}");
        }
    }

    /// (name, headers, body)
    type QuietCase = (
        &'static str,
        &'static [(&'static str, &'static str)],
        &'static str,
    );

    #[test]
    fn quiet_on_look_alikes() {
        #[rustfmt::skip]
        let cases: &[QuietCase] = &[
            ("nginx without version", &[("server", "nginx")], "{}"),
            ("Cloudflare", &[("server", "cloudflare"), ("cf-ray", "8a1b2c3d4e5f6a7b-AMS")], "{}"),
            ("Kestrel", &[("server", "Kestrel")], "{}"),
            ("Edgecast", &[("server", "ECS (dcb/7F5E)")], "{}"),
            ("S3 and GFE", &[("server", "AmazonS3"), ("via", "1.1 google")], "{}"),
            ("empty X-Powered-By", &[("x-powered-by", "  ")], "{}"),
            ("API version headers", &[("x-api-version", "2.1.0"), ("api-version", "2024-05-01")], "{}"),
            ("Varnish via", &[("via", "1.1 varnish (Varnish/7.4)")], "{}"),
            ("version in JSON body", &[("server", "envoy")], r#"{"version":"nginx/1.22.1","sdk":"Apache/2.4"}"#),
            ("centered product name", &[], "<center>Welcome to Shop v2</center>"),
        ];
        for (name, headers, body) in cases {
            let leaks = scan(headers, body);
            assert!(leaks.is_empty(), "{name}: unexpected {leaks:?}");
        }
    }

    #[test]
    fn one_leak_per_header() {
        let leaks = scan(
            &[
                ("server", "nginx/1.22.1"),
                ("server", "Apache/2.4.41"),
                ("x-powered-by", "PHP/8.1.2"),
                ("x-powered-by", "Express"),
            ],
            "",
        );
        let evidence: Vec<&str> = leaks.iter().map(|l| l.evidence.as_str()).collect();
        assert_eq!(
            evidence,
            ["Server: nginx/1.22.1", "X-Powered-By: PHP/8.1.2"]
        );
    }
}
