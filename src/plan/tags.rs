//! Tag expressions as Cucumber spells them (`@smoke and not @slow`), parsed by the
//! cucumber project's gherkin crate and evaluated against a check's tags.

use gherkin::tagexpr::TagOperation;

#[derive(Debug, Clone)]
pub struct TagExpr(TagOperation);

#[derive(Debug, thiserror::Error)]
#[error("invalid tag expression `{text}`: {reason}")]
pub struct TagExprError {
    pub text: String,
    pub reason: String,
}

impl TagExpr {
    pub fn parse(text: &str) -> Result<Self, TagExprError> {
        text.parse::<TagOperation>()
            .map(TagExpr)
            .map_err(|e| TagExprError {
                text: text.to_string(),
                reason: e.to_string(),
            })
    }

    /// `tags` are without `@`.
    pub fn matches(&self, tags: &[String]) -> bool {
        eval(&self.0, tags)
    }
}

fn eval(op: &TagOperation, tags: &[String]) -> bool {
    match op {
        TagOperation::And(a, b) => eval(a, tags) && eval(b, tags),
        TagOperation::Or(a, b) => eval(a, tags) || eval(b, tags),
        TagOperation::Not(a) => !eval(a, tags),
        TagOperation::Tag(t) => tags.iter().any(|x| x == t.trim_start_matches('@')),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(t: &[&str]) -> Vec<String> {
        t.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn evaluates_cucumber_tag_expressions() {
        let cases = [
            ("@smoke", &["smoke"][..], true),
            ("@smoke and not @slow", &["smoke", "slow"][..], false),
            ("@smoke and not @slow", &["smoke"][..], true),
            ("not @leak", &[][..], true),
            ("(@a or @b) and @c", &["b", "c"][..], true),
            ("(@a or @b) and @c", &["a"][..], false),
        ];
        for (expr, t, want) in cases {
            assert_eq!(
                TagExpr::parse(expr).unwrap().matches(&tags(t)),
                want,
                "{expr} on {t:?}"
            );
        }
    }

    #[test]
    fn a_malformed_expression_is_an_error() {
        let e = TagExpr::parse("@smoke and").unwrap_err();
        assert!(
            e.to_string()
                .contains("invalid tag expression `@smoke and`"),
            "{e}"
        );
    }
}
