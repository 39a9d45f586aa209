//! A probe written as a Gherkin table runs exactly as the same probe in YAML: the same
//! case names and outcomes against the same kind of server, with the scenario's tags.

use std::sync::Mutex;

use authspec::demo::{DemoCredentials, DemoServer};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::common::*;

const CONFIG: &str = "target:\n  base_url: ${env:API_URL}\nroles:\n  user:\n    bearer: ${env:T}\n";

/// Every test case of a report as `name: outcome`, sorted.
fn outcomes(report: &std::path::Path) -> Vec<String> {
    let mut out: Vec<String> = (1..=count(report, "//testcase"))
        .map(|i| {
            let case = format!("(//testcase)[{i}]");
            let name = xpath(report, &format!("string({case}/@name)"));
            let outcome = ["failure", "error", "skipped"]
                .into_iter()
                .find(|o| count(report, &format!("{case}/{o}")) == 1)
                .unwrap_or("pass");
            format!("{name}: {outcome}")
        })
        .collect();
    out.sort();
    out
}

/// Runs `file` of `dir` with a JUnit report; returns the exit code, output and outcomes.
fn run(dir: &std::path::Path, file: &str, env: &[(&str, &str)]) -> (i32, String, Vec<String>) {
    let report = dir.join(format!("{file}.xml"));
    let run = authspec(
        &["run", file, "--junit", report.to_str().unwrap()],
        env,
        dir,
    );
    assert_ne!(run.code, 2, "{file}: {}", run.all_output());
    (run.code, run.all_output(), outcomes(&report))
}

async fn limiter(limit_after: Option<u32>) -> MockServer {
    let server = MockServer::start().await;
    let n = Mutex::new(0u32);
    Mock::given(any())
        .respond_with(move |_: &Request| {
            let mut n = n.lock().unwrap();
            *n += 1;
            match limit_after {
                Some(l) if *n > l => ResponseTemplate::new(429).insert_header("Retry-After", "30"),
                _ => ResponseTemplate::new(200),
            }
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limit_in_gherkin_matches_yaml_and_carries_the_scenario_tags() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "authspec.yaml", CONFIG);
    write(
        dir.path(),
        "rl.yaml",
        "suite: rl\nprobes:\n  - rate_limit:\n      as: user\n      request: GET /search\n      burst: 20\n      expect_within: 10\n      retry_after: required\n",
    );
    write(
        dir.path(),
        "rl.feature",
        "Feature: rl\n  @rl\n  Scenario: search is rate limited\n    Then the rate limit probe passes with:\n      | as            | user        |\n      | request       | GET /search |\n      | burst         | 20          |\n      | expect_within | 10          |\n      | retry_after   | required    |\n",
    );
    let token = fake_secret("user");
    for (limit, code, outcome) in [(Some(5), 0, "pass"), (None, 1, "failure")] {
        let mut seen = Vec::new();
        for file in ["rl.yaml", "rl.feature"] {
            let server = limiter(limit).await;
            let url = server.uri();
            let env = [("API_URL", url.as_str()), ("T", token.as_str())];
            let (got, output, cases) = run(dir.path(), file, &env);
            assert_eq!(got, code, "{file} {limit:?}: {output}");
            assert!(!output.contains(&token), "the token leaked");
            seen.push(cases);
        }
        assert_eq!(
            seen[0],
            [format!("rate_limit GET /search as user: {outcome}")]
        );
        assert_eq!(seen[0], seen[1], "{limit:?}");
    }
    let server = limiter(Some(5)).await;
    let env = [("API_URL", server.uri()), ("T", token.clone())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let tagged = authspec(&["run", "rl.feature", "--tags", "@rl"], &env, dir.path());
    assert!(
        tagged.stdout.contains("1 checks: 1 passed"),
        "{}",
        tagged.stdout
    );
    let untagged = authspec(
        &["run", "rl.feature", "--tags", "not @rl"],
        &env,
        dir.path(),
    );
    assert_eq!(untagged.code, 2, "nothing is selected: {}", untagged.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_in_gherkin_match_yaml_against_verifying_and_naive_receivers() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "authspec.yaml", CONFIG);
    write(
        dir.path(),
        "wh.yaml",
        "suite: wh\nprobes:\n  - webhooks:\n      request: POST /webhooks/payments\n      scheme: stripe\n      secret: ${env:HOOK_SECRET}\n      payload: { type: payment_intent.succeeded, id: evt_1 }\n      tolerance: 300\n",
    );
    write(
        dir.path(),
        "wh.feature",
        "Feature: wh\n  Scenario: payment webhooks are verified\n    Then the webhooks probe passes with:\n      | request   | POST /webhooks/payments                       |\n      | scheme    | stripe                                        |\n      | secret    | ${env:HOOK_SECRET}                            |\n      | payload   | { type: payment_intent.succeeded, id: evt_1 } |\n      | tolerance | 300                                           |\n",
    );
    // The demo's receiver verifies Stripe signatures (and accepts a redelivery: a warning).
    let creds = DemoCredentials::random();
    let secret = creds.webhook_secret.clone();
    let demo = DemoServer::start(creds, None).await.unwrap();
    let naive = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&naive)
        .await;
    let token = fake_secret("user");
    for (url, code, failures) in [(demo.url(), 0, 0), (naive.uri(), 1, 4)] {
        let env = [
            ("API_URL", url.as_str()),
            ("T", token.as_str()),
            ("HOOK_SECRET", secret.as_str()),
        ];
        let (yc, yout, yaml) = run(dir.path(), "wh.yaml", &env);
        let (gc, gout, gherkin) = run(dir.path(), "wh.feature", &env);
        assert_eq!((yc, gc), (code, code), "{yout}\n{gout}");
        assert_eq!(yaml.len(), 6, "{yaml:?}");
        assert_eq!(yaml, gherkin);
        assert_eq!(
            gherkin.iter().filter(|c| c.ends_with(": failure")).count(),
            failures,
            "{gherkin:?}"
        );
        assert!(
            gherkin.contains(
                &"webhooks POST /webhooks/payments (stripe): valid_signature_accepted: pass"
                    .to_string()
            ),
            "{gherkin:?}"
        );
        assert!(!gout.contains(&secret), "the webhook secret leaked");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn headers_and_tokens_in_gherkin_match_yaml() {
    let token = fake_secret("user");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/orders"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("X-Content-Type-Options", "nosniff")
                .set_body_json(serde_json::json!({"items": []})),
        )
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "authspec.yaml", CONFIG);
    write(
        dir.path(),
        "p.yaml",
        "suite: p\nprobes:\n  - headers:\n      as: user\n      requests: [GET /orders, GET /other]\n  - tokens:\n      as: user\n      request: GET /orders\n      mutations: [truncated, random]\n",
    );
    write(
        dir.path(),
        "p.feature",
        "Feature: p\n  Scenario: headers\n    Then the headers probe passes with:\n      | as       | user                   |\n      | requests | GET /orders, GET /other |\n\n  Scenario: tokens\n    Then the tokens probe passes with:\n      | as        | user              |\n      | request   | GET /orders       |\n      | mutations | truncated, random |\n",
    );
    let url = server.uri();
    let env = [("API_URL", url.as_str()), ("T", token.as_str())];
    let (yc, _, yaml) = run(dir.path(), "p.yaml", &env);
    let (gc, gout, gherkin) = run(dir.path(), "p.feature", &env);
    assert_eq!(yc, gc, "{gout}");
    assert_eq!(yaml.len(), 2 * 4 + 2, "{yaml:?}");
    assert_eq!(yaml, gherkin);
    for case in [
        "tokens GET /orders as user: truncated: pass",
        "headers GET /other as user: framing: failure",
    ] {
        assert!(gherkin.contains(&case.to_string()), "{case} in {gherkin:?}");
    }
}

#[test]
fn oauth_probe_tables_lower_like_yaml() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "authspec.yaml",
        "target:\n  base_url: http://127.0.0.1:9\nauth_servers:\n  corp:\n    token_endpoint: http://127.0.0.1:9/token\n    client_id: app\n    client_secret: ${env:CLIENT_SECRET}\nroles:\n  reader:\n    oauth2: { server: corp, grant: client_credentials, scopes: [api:read] }\n",
    );
    write(
        dir.path(),
        "o.yaml",
        "suite: o\nprobes:\n  - oauth: { server: corp, as: [reader], max_token_lifetime: 1h, checks: [client_auth_required, token_lifetime] }\n",
    );
    write(
        dir.path(),
        "o.feature",
        "Feature: o\n  Scenario: the authorization server\n    Then the oauth probe passes with:\n      | server             | corp                                 |\n      | as                 | reader                               |\n      | max_token_lifetime | 1h                                   |\n      | checks             | client_auth_required, token_lifetime |\n",
    );
    let secret = fake_secret("client");
    let env = [("CLIENT_SECRET", secret.as_str())];
    for file in ["o.yaml", "o.feature"] {
        let run = authspec(&["validate", file], &env, dir.path());
        assert_eq!(run.code, 0, "{file}: {}", run.all_output());
        assert!(run.stdout.contains("2 check(s)"), "{file}: {}", run.stdout);
    }
    let bad = "Feature: o\n  Scenario: s\n    Then the oauth probe passes with:\n      | server             | corp   |\n      | max_token_lifetime | soon   |\n      | checks             | pkce_requird |\n";
    write(dir.path(), "o.feature", bad);
    let run = authspec(&["validate", "o.feature"], &env, dir.path());
    assert_eq!(run.code, 2);
    for says in [
        "o.feature:6:30: unknown oauth check `pkce_requird`",
        "did you mean `pkce_required`?",
        "o.feature:5:30: `max_token_lifetime` is a duration",
    ] {
        assert!(run.stderr.contains(says), "{says} in\n{}", run.stderr);
    }
}
