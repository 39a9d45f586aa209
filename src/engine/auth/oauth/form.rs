//! HTML forms of login and consent pages, read with the html5gum tokenizer: action,
//! method, the fields a browser would submit (hidden and default values kept) and the
//! first submit button.

use html5gum::{Token, Tokenizer};

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Form {
    pub action: Option<String>,
    /// Upper case: `GET` or `POST`.
    pub method: String,
    pub fields: Vec<(String, String)>,
    pub has_password: bool,
}

pub fn forms(html: &str) -> Vec<Form> {
    let mut out: Vec<Form> = Vec::new();
    let mut open = false;
    let mut submit_taken = false;
    for token in Tokenizer::new(html).flatten() {
        match token {
            Token::StartTag(tag) => {
                let attr = |name: &str| {
                    tag.attributes
                        .get(name.as_bytes())
                        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                };
                match tag.name.as_slice() {
                    b"form" => {
                        out.push(Form {
                            action: attr("action").filter(|a| !a.is_empty()),
                            method: attr("method")
                                .unwrap_or_else(|| "GET".into())
                                .to_ascii_uppercase(),
                            ..Form::default()
                        });
                        open = true;
                        submit_taken = false;
                    }
                    b"input" | b"button" if open => {
                        let Some(form) = out.last_mut() else { continue };
                        let kind = attr("type").unwrap_or_else(|| {
                            if tag.name.as_slice() == b"button" {
                                "submit".into()
                            } else {
                                "text".into()
                            }
                        });
                        let kind = kind.to_ascii_lowercase();
                        let Some(name) = attr("name") else { continue };
                        let value = attr("value").unwrap_or_default();
                        match kind.as_str() {
                            // Only the button that is pressed is submitted: the first one.
                            "submit" | "image" => {
                                if !submit_taken {
                                    form.fields.push((name, value));
                                    submit_taken = true;
                                }
                            }
                            "checkbox" | "radio" => {
                                if tag.attributes.contains_key(b"checked".as_slice()) {
                                    form.fields.push((
                                        name,
                                        if value.is_empty() { "on".into() } else { value },
                                    ));
                                }
                            }
                            "reset" | "button" | "file" => {}
                            other => {
                                form.has_password |= other == "password";
                                form.fields.push((name, value));
                            }
                        }
                    }
                    _ => {}
                }
            }
            Token::EndTag(tag) if tag.name.as_slice() == b"form" => open = false,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_login_form_like_a_browser_would() {
        let html = r#"<html><body>
            <form method="post" action="/login?tx=1">
              <input type="hidden" name="csrf" value="c1">
              <input name="login" type="text">
              <input name="password" type="password">
              <input type="checkbox" name="remember" checked>
              <input type="checkbox" name="spam">
              <button type="submit" name="action" value="signin">Sign in</button>
              <button type="submit" name="action" value="cancel">Cancel</button>
            </form>
            <form action="/other"><input name="q" value="x"></form>
        </body></html>"#;
        let f = forms(html);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].method, "POST");
        assert_eq!(f[0].action.as_deref(), Some("/login?tx=1"));
        assert!(f[0].has_password);
        let names: Vec<(&str, &str)> = f[0]
            .fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            names,
            [
                ("csrf", "c1"),
                ("login", ""),
                ("password", ""),
                ("remember", "on"),
                ("action", "signin")
            ]
        );
        assert_eq!(f[1].method, "GET");
    }
}
