//! Turns a YAML parse or shape error into a diagnostic at its position, with a "did you
//! mean" for misspelt field names.

use super::super::suggest::did_you_mean;
use super::super::{SourceFile, SuiteDiagnostic};

pub fn diagnose(err: &serde_saphyr::Error, source: &SourceFile) -> SuiteDiagnostic {
    let options = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
    let rendered = err.without_snippet().render_with_options(options);
    let message = strip_position(&rendered).to_string();
    let (line, column) = err
        .location()
        .map(|l| (l.line().max(1), l.column().max(1)))
        .unwrap_or((1, 1));
    let mut diag = SuiteDiagnostic::new(source, line, column, message.clone());
    let text_line = source
        .text
        .lines()
        .nth(line.saturating_sub(1) as usize)
        .unwrap_or("");
    if let Some(help) = unknown_field_suggestion(&message) {
        diag.label("unknown field").help(help);
    } else if message.contains("flow") && text_line.contains("${") {
        // `{` and `}` end a YAML flow mapping, so a reference inside one must be quoted.
        diag.help("inside `{ … }` or `[ … ]`, quote references: `password: \"${env:NAME}\"`");
    }
    diag
}

/// serde-saphyr appends " at line L, column C"; the diagnostic shows the position itself.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => &message[..i],
        _ => message,
    }
}

/// From "unknown field `alow`, expected one of request, allow, deny": "did you mean `allow`?"
fn unknown_field_suggestion(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (field, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected")?.1;
    let expected = expected
        .trim_start()
        .strip_prefix("one of")
        .unwrap_or(expected);
    let candidates: Vec<&str> = expected
        .split([',', ' '])
        .map(|s| s.trim().trim_matches('`'))
        .filter(|s| !s.is_empty() && *s != "or")
        .collect();
    match did_you_mean(field, candidates.iter().copied()) {
        Some(best) => Some(format!(
            "did you mean `{best}`? Known fields: {}",
            candidates.join(", ")
        )),
        None => Some(format!("known fields: {}", candidates.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_field() {
        let help =
            unknown_field_suggestion("unknown field `alow`, expected one of request, allow, deny");
        assert_eq!(
            help.as_deref(),
            Some("did you mean `allow`? Known fields: request, allow, deny")
        );
    }

    #[test]
    fn strips_the_trailing_position() {
        assert_eq!(
            strip_position("missing field `suite` at line 1, column 1"),
            "missing field `suite`"
        );
        assert_eq!(strip_position("plain"), "plain");
    }
}
