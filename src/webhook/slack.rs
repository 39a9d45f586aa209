//! Slack: `X-Slack-Request-Timestamp: <unix>` and
//! `X-Slack-Signature: v0=<hex HMAC-SHA256(secret, "v0:<ts>:<body>")>`. Receivers must
//! reject requests older than five minutes. Reference: docs.slack.dev, "Verifying
//! requests from Slack".

use super::{Delivery, Scheme, hex, hmac_sha256};

pub struct Slack;

impl Scheme for Slack {
    fn sign(&self, secret: &str, d: &Delivery<'_>) -> Result<Vec<(String, String)>, String> {
        let signed = format!("v0:{}:{}", d.timestamp, d.body);
        let mac = hex(&hmac_sha256(secret.as_bytes(), signed.as_bytes()));
        Ok(vec![
            ("X-Slack-Request-Timestamp".into(), d.timestamp.to_string()),
            ("X-Slack-Signature".into(), format!("v0={mac}")),
        ])
    }

    fn signature_headers(&self) -> Vec<&str> {
        vec!["X-Slack-Signature"]
    }

    fn has_timestamp(&self) -> bool {
        true
    }

    fn requires_replay_protection(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_slacks_documented_example() {
        // The worked example of Slack's "Verifying requests from Slack" (a fake secret).
        let body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        let d = Delivery {
            body,
            timestamp: 1_531_420_618,
            id: "",
        };
        let headers = Slack.sign("8f742231b10e8888abcd99yyyzzz85a5", &d).unwrap();
        assert_eq!(
            headers[1].1,
            "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
        );
    }
}
