//! `METHOD /path` request lines, as both front ends write them.

use super::suggest::did_you_mean;
use crate::model::{METHODS, method as standard};

/// A problem with a request line: the message and a help.
pub struct BadRequestLine {
    pub message: String,
    pub help: String,
}

pub fn parse(line: &str) -> Result<(&'static str, String), BadRequestLine> {
    let mut words = line.split_whitespace();
    let (Some(method), Some(path), None) = (words.next(), words.next(), words.next()) else {
        return Err(BadRequestLine {
            message: format!("`{line}` is not a request line"),
            help:
                "write it as `METHOD /path`, e.g. `GET /orders` (encode spaces in the path as %20)"
                    .into(),
        });
    };
    let Some(method) = standard(method) else {
        let help = match did_you_mean(&method.to_ascii_uppercase(), METHODS) {
            Some(m) => format!("did you mean `{m}`?"),
            None => format!("methods: {}", METHODS.join(", ")),
        };
        return Err(BadRequestLine {
            message: format!("unknown HTTP method `{method}`"),
            help,
        });
    };
    if !path.starts_with('/') {
        return Err(BadRequestLine {
            message: format!("the path `{path}` must start with `/`"),
            help: "paths are relative to `target.base_url`".into(),
        });
    }
    Ok((method, path.to_string()))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn parses_and_explains() {
        assert_eq!(parse("GET /orders").ok(), Some(("GET", "/orders".into())));
        assert_eq!(
            parse("get /orders").err().map(|e| e.help),
            Some("did you mean `GET`?".into())
        );
        assert!(parse("GET orders").is_err());
        assert!(parse("GET /a b").is_err());
    }
}
