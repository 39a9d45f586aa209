//! The few messages whose words depend on the syntax a suite is written in: the one
//! lowering checks a YAML `capture:` and a Gherkin `I remember` step the same way, but
//! each user is told what to write in their own syntax.

/// The front end a raw suite came from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FrontEnd {
    #[default]
    Yaml,
    Gherkin,
}

impl FrontEnd {
    /// A `{{var}}` no earlier step defines: the message and its help.
    pub fn uncaptured(self, var: &str, captured: &[String]) -> (String, String) {
        match self {
            FrontEnd::Yaml => {
                let help = if captured.is_empty() {
                    "variables come from `capture:` in an earlier step of the same scenario"
                        .to_string()
                } else {
                    format!("variables captured so far: {}", captured.join(", "))
                };
                (
                    format!("`{{{{{var}}}}}` is not captured by an earlier step"),
                    help,
                )
            }
            FrontEnd::Gherkin => (
                format!("`{{{{{var}}}}}` is not remembered by an earlier step"),
                "add `And I remember \"$.path\" as \"NAME\"` after an earlier request".into(),
            ),
        }
    }

    /// The label under an unknown role: a YAML value sits under `roles:`'s siblings, a
    /// Gherkin step names it in prose.
    pub fn unknown_role_label(self) -> &'static str {
        match self {
            FrontEnd::Yaml => "not defined under `roles:`",
            FrontEnd::Gherkin => "here",
        }
    }

    /// A tls probe without URLs while the target is not https://: message and help.
    pub fn tls_without_urls(self) -> (&'static str, &'static str) {
        match self {
            FrontEnd::Yaml => (
                "the tls probe has no `urls:` and the target is not https://",
                "list the https:// URLs to check under `tls: { urls: [...] }`",
            ),
            FrontEnd::Gherkin => (
                "a tls probe has no `urls` and the target is not https://",
                "add a row `| urls | https://… |` to its table",
            ),
        }
    }
}
