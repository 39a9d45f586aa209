//! Turns a YAML parse or shape error into a diagnostic at its position, with a "did you
//! mean" for misspelt field names. Neither the message (serde quotes values it refuses)
//! nor the shown line gives away a credential, also one under a misspelt key.

use super::super::suggest::did_you_mean;
use super::super::{SourceFile, SuiteDiagnostic, mask};

pub fn diagnose(err: &serde_saphyr::Error, source: &SourceFile) -> SuiteDiagnostic {
    let options = serde_saphyr::render_options! { snippets: serde_saphyr::SnippetMode::Off };
    let rendered = err.without_snippet().render_with_options(options);
    let message = mask::mask_well_known(strip_position(&rendered));
    let (line, column) = err
        .location()
        .map(|l| (l.line().max(1), l.column().max(1)))
        .unwrap_or((1, 1));
    let mut diag = SuiteDiagnostic::new(source, line, column, message.clone());
    if let Some(unknown) = UnknownField::parse(&message) {
        diag.label("unknown field").help(unknown.help());
        // A credential under a misspelt key is no literal the general masking knows of.
        let key = source.offset(line, column);
        if let Some(value) = mask::value_after_key(&source.text, key)
            && mask::looks_like_credential(unknown.best, &source.text[value.clone()])
        {
            diag.mask(source, value);
        }
    } else if message == "missing field `token`" {
        // Only a `login:` role has a `token:` it cannot do without.
        diag.help("a `login:` says where its answer carries the token: `token: $.auth_token`, `token: { header: X-Auth-Token }` or `token: { cookie: session }`");
    } else if message.contains("flow") && source.line_text(line).contains("${") {
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

/// serde's "unknown field `alow`, expected one of request, allow, deny".
struct UnknownField<'m> {
    candidates: Vec<&'m str>,
    /// The known field closest to the misspelt one.
    best: Option<&'m str>,
}

impl<'m> UnknownField<'m> {
    fn parse(message: &'m str) -> Option<Self> {
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
        let best = did_you_mean(field, candidates.iter().copied());
        Some(Self { candidates, best })
    }

    /// "did you mean `allow`? Known fields: …"
    fn help(&self) -> String {
        match self.best {
            Some(best) => format!(
                "did you mean `{best}`? Known fields: {}",
                self.candidates.join(", ")
            ),
            None => format!("known fields: {}", self.candidates.join(", ")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_field() {
        let unknown =
            UnknownField::parse("unknown field `alow`, expected one of request, allow, deny");
        assert_eq!(
            unknown.map(|u| u.help()).as_deref(),
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
