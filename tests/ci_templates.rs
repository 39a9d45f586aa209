//! The CI templates in `ci/` really gate: each is valid for its CI system (GitHub Actions
//! and GitLab CI against their published schemas, with check-jsonschema, which `.ci/run`
//! installs), installs authspec the way the README says, runs the suites in shards with
//! reports that exist as flags, merges the shards' JSON reports (`authspec merge`) into
//! the reports it publishes, and deploys only after the merge, which gates.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::*;

fn template(name: &str) -> String {
    std::fs::read_to_string(repo_root().join("ci").join(name)).unwrap()
}

/// check-jsonschema's copy of a CI system's own schema; a missing tool fails clearly.
fn assert_valid(schema: &str, file: &str) {
    let out = Command::new("python3")
        .args(["-m", "check_jsonschema", "--builtin-schema", schema])
        .arg(repo_root().join("ci").join(file))
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{file} does not validate against {schema} (check-jsonschema is installed by .ci/run):\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The install command of the README's "Installing" section.
fn readme_install() -> String {
    let readme = std::fs::read_to_string(repo_root().join("README.md")).unwrap();
    readme
        .lines()
        .find(|l| l.trim_start().starts_with("cargo install --locked --git"))
        .expect("the README says how to install authspec")
        .trim()
        .to_string()
}

/// Every `--flag` the templates pass to `authspec run` or `authspec merge` exists (of the
/// command the line, or the folded command it continues, runs).
fn assert_run_flags_exist(text: &str) {
    let run = authspec(&["run", "--help"], &[], &repo_root()).stdout;
    let merge = authspec(&["merge", "--help"], &[], &repo_root()).stdout;
    let mut help = &run;
    for line in text.lines() {
        if line.contains("authspec merge") {
            help = &merge;
        } else if line.contains("authspec run") {
            help = &run;
        }
        if !line.contains("--") {
            continue;
        }
        for word in line.split_whitespace().filter(|w| w.starts_with("--")) {
            let flag = word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || c == '-'));
            if ["--locked", "--git", "--tag"].contains(&flag) {
                continue;
            }
            assert!(
                help.contains(flag),
                "`{flag}` is no flag of the authspec command on:\n{line}"
            );
        }
    }
}

#[test]
fn the_github_workflow_is_valid_shards_publishes_and_gates_the_deploy() {
    assert_valid("vendor.github-workflows", "github-actions.yml");
    let t = template("github-actions.yml");
    assert!(
        t.contains(
            &readme_install()
                .replace("<authspec repository>", "\"$AUTHSPEC_GIT\"")
                .replace("<version>", "\"$AUTHSPEC_REF\"")
        ),
        "{}",
        readme_install()
    );
    assert!(t.contains("--shard ${{ matrix.shard }}/3") && t.contains("shard: [1, 2, 3]"));
    assert!(
        t.contains("github/codeql-action/upload-sarif") && t.contains("security-events: write")
    );
    assert!(t.contains("publish-unit-test-result-action"));
    assert!(
        t.contains("needs: [authspec, report]"),
        "the deploy must need the gate"
    );
    // The report job merges the shards' JSON and publishes the merged reports.
    assert!(t.contains("authspec merge shards/*/authspec.json"), "{t}");
    assert!(
        t.contains("files: reports/authspec.xml")
            && t.contains("sarif_file: reports/authspec.sarif")
    );
    assert!(t.contains("--json shard/authspec.json"));
    assert_run_flags_exist(&t);
}

#[test]
fn the_gitlab_pipeline_is_valid_shards_reports_junit_and_gates_the_deploy() {
    assert_valid("vendor.gitlab-ci", "gitlab-ci.yml");
    let t = template("gitlab-ci.yml");
    assert!(
        t.contains(
            &readme_install()
                .replace("<authspec repository>", "\"$AUTHSPEC_GIT\"")
                .replace("<version>", "\"$AUTHSPEC_REF\"")
        )
    );
    assert!(
        !t.contains("--path ."),
        "installing from the project's own checkout installs the wrong thing"
    );
    assert!(t.contains("parallel: 3") && t.contains("--shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\""));
    assert!(t.contains("junit: authspec-report.xml"));
    assert!(t.contains("authspec merge authspec-shard-*.json"));
    assert!(t.contains("--json \"authspec-shard-$CI_NODE_INDEX.json\""));
    assert!(t.contains("needs: [authspec]") && t.contains("needs: [authspec-report]"));
    assert_run_flags_exist(&t);
}

/// Jenkins checks a pipeline only on a Jenkins server, which no package installs: the
/// template is held to what matters for a gate.
#[test]
fn the_jenkinsfile_shards_in_parallel_and_refuses_empty_results() {
    let t = template("Jenkinsfile");
    assert!(
        t.contains(
            &readme_install()
                .replace("<authspec repository>", "\"$AUTHSPEC_GIT\"")
                .replace("<version>", "\"$AUTHSPEC_REF\"")
        )
    );
    assert!(t.contains("parallel(") && t.contains("--shard ${i}/3"));
    assert!(t.contains("allowEmptyResults: false"));
    assert!(t.contains("authspec merge shard-1.json shard-2.json shard-3.json"));
    assert!(t.contains("junit testResults: 'authspec.xml'"));
    let shards = t.find("stage('Shards')").unwrap();
    assert!(shards < t.find("stage('API security gate')").unwrap());
    let gate = t.find("stage('API security gate')").unwrap();
    let deploy = t.find("stage('Deploy')").unwrap();
    assert!(gate < deploy, "the deploy stage comes after the gate");
    assert_eq!(
        t.matches('{').count(),
        t.matches('}').count(),
        "unbalanced braces"
    );
    assert_run_flags_exist(&t);
}
