//! Turns the suite arguments into loaded suites, or prints why not (exit 2); and tells,
//! before loading, whether any of them refers to the demo target's endpoints.

use super::args::SuiteArgs;
use super::diagnostics::{load_problems, print_load_error};
use super::inputs;
use super::output::Out;
use crate::load::{LoadContext, LoadOptions, load_paths};
use crate::model::Suite;
use crate::report::junit::RunProblem;

/// The suites of `args`, or every problem (printed, and returned for the report).
pub fn suites(
    args: &SuiteArgs,
    ctx: &LoadContext,
    out: &Out,
) -> Result<Vec<Suite>, Vec<RunProblem>> {
    let paths = inputs::paths(args);
    if paths.is_empty() {
        let message = "no suites given, and there is no scenarios/ or features/ directory here";
        out.error(message);
        return Err(vec![RunProblem {
            name: "suites".into(),
            kind: super::diagnostics::INVALID_SUITE,
            message: message.into(),
            detail: String::new(),
        }]);
    }
    let options = LoadOptions {
        ctx,
        redactor: out.redactor(),
        config: args.config.clone(),
    };
    load_paths(&paths, &options).map_err(|e| {
        print_load_error(&e, out);
        load_problems(&e)
    })
}

/// Whether a suite of `args`, or a config one of them uses, writes a `${demo:…}`
/// reference. Those resolve at load time, so the demo's ports must be bound before
/// loading; every other run leaves them alone. When in doubt (a file that cannot be
/// read), the answer is yes: binding needlessly costs little, not binding fails a suite.
pub fn mentions_demo(args: &SuiteArgs) -> bool {
    let Some(files) = inputs::files(args) else {
        return true;
    };
    files.iter().any(|p| match std::fs::read_to_string(p) {
        Ok(text) => has_demo_reference(&text),
        Err(_) => true,
    })
}

/// `${demo:url}`, `${ demo : https_url }`: the loader trims kind and argument.
fn has_demo_reference(text: &str) -> bool {
    text.match_indices("${").any(|(i, _)| {
        let rest = text[i + 2..].trim_start();
        rest.strip_prefix("demo")
            .is_some_and(|r| r.trim_start().starts_with(':'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn finds_demo_references_as_the_loader_reads_them() {
        assert!(has_demo_reference("base_url: ${demo:url}"));
        assert!(has_demo_reference("x: ${ demo : https_url }"));
        assert!(!has_demo_reference(
            "base_url: https://api.example.com ${env:TOKEN}"
        ));
        assert!(!has_demo_reference("# the demo: not a reference"));
    }

    #[test]
    fn a_suite_without_demo_references_does_not_need_the_demo_bound() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.yaml");
        std::fs::write(&plain, "target: { base_url: http://127.0.0.1:9 }\n").unwrap();
        let args = |p: &Path| SuiteArgs {
            paths: vec![p.to_path_buf()],
            config: None,
            env_file: None,
        };
        assert!(!mentions_demo(&args(&plain)));
        let demo = dir.path().join("demo.yaml");
        std::fs::write(&demo, "roles: { r: { bearer: ${demo:reader_token} } }\n").unwrap();
        assert!(mentions_demo(&args(dir.path())));
        std::fs::write(
            dir.path().join("authspec.yaml"),
            "target: { base_url: ${demo:url} }\n",
        )
        .unwrap();
        assert!(mentions_demo(&args(&plain)));
    }
}
