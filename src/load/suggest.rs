//! "Did you mean" suggestions for names close to a known one.

/// The closest candidate to `name`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// The help for an unknown role: the closest name, then every known one.
pub fn unknown_role_help(name: &str, known: &[String]) -> String {
    let mut help = match did_you_mean(name, known.iter().map(String::as_str)) {
        Some(best) => format!("did you mean `{best}`? "),
        None => String::new(),
    };
    help.push_str(&format!("roles: {}", known.join(", ")));
    help
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn suggests_close_names_only() {
        let roles = ["reader", "writer", "anonymous"];
        assert_eq!(did_you_mean("writr", roles), Some("writer"));
        assert_eq!(did_you_mean("raeder", roles), Some("reader"));
        assert_eq!(did_you_mean("admin", roles), None);
    }
}
