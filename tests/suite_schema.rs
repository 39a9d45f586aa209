//! `authspec schema suite`: the JSON Schema of suites and `authspec.yaml`, generated from
//! the types that load them. The copy the samples point editors at is the command's
//! output; every sample and acceptance file validates against it, and a misspelt field
//! does not.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use authspec::load::{SourceFile, parse_yaml};
use common::*;

fn schema() -> serde_json::Value {
    let run = authspec(&["schema", "suite"], &[], &repo_root());
    assert_eq!(run.code, 0, "{}", run.all_output());
    serde_json::from_str(&run.stdout).expect("the schema is JSON")
}

/// A YAML file as the loader reads it (references inside `{ … }` need no quotes).
fn yaml(path: &Path) -> serde_json::Value {
    let source = SourceFile::read(path).unwrap();
    parse_yaml(&source).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()))
}

fn yaml_files(dir: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repo_root().join(dir))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    files.sort();
    files
}

#[test]
fn the_committed_schema_is_what_the_command_prints() {
    let committed: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("scenarios/suite.schema.json")).unwrap(),
    )
    .unwrap();
    assert!(
        committed == schema(),
        "scenarios/suite.schema.json is stale: run `cargo run -- schema suite > scenarios/suite.schema.json`"
    );
}

#[test]
fn every_sample_and_acceptance_file_validates() {
    let validator = jsonschema::validator_for(&schema()).expect("a valid JSON Schema");
    let mut files = yaml_files("scenarios");
    files.extend(yaml_files("features"));
    files.extend(yaml_files("tests/acceptance"));
    files.extend(yaml_files("tests/acceptance/gherkin"));
    files.extend(yaml_files("tests/acceptance/faults"));
    assert!(files.len() >= 9, "{files:?}");
    for file in files {
        let doc = yaml(&file);
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
}

#[test]
fn samples_point_editors_at_the_schema() {
    let mut files = yaml_files("scenarios");
    files.extend(yaml_files("features"));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap_or_default();
        let target = first
            .strip_prefix("# yaml-language-server: $schema=")
            .unwrap_or_else(|| panic!("{} has no schema line", file.display()));
        let schema = file.parent().unwrap().join(target);
        assert!(
            schema.exists(),
            "{}: {target} does not exist",
            file.display()
        );
    }
}

#[test]
fn a_misspelt_field_or_a_wrong_type_fails_validation() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let good = yaml(&repo_root().join("scenarios/orders.yaml"));
    assert!(validator.is_valid(&good));
    for bad in [
        "suite: s\ntarget: demo\naccess:\n  - request: GET /x\n    alow: [reader]\n",
        "suite: s\ntarget: { base_url: x, tls: { verify: maybe } }\n",
        "suite: s\ntarget: demo\nscenarios:\n  - name: n\n    expect: { status: ok }\n",
        "target: demo\nroles: { a: { bearer: x, token: y } }\n",
    ] {
        let doc: serde_json::Value =
            parse_yaml(&SourceFile::from_text(Path::new("bad.yaml"), bad)).unwrap();
        assert!(!validator.is_valid(&doc), "accepted:\n{bad}");
    }
}
