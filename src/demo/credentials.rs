//! The demo's credentials: random for every process, so none is ever written down.
//! Suites refer to them as `${demo:NAME}`; `authspec demo` prints them as environment
//! variables.

#[derive(Clone)]
pub struct DemoCredentials {
    pub reader_token: String,
    pub writer_token: String,
    pub admin_token: String,
    pub partner_key: String,
    /// Signs the demo's Stripe-style webhooks.
    pub webhook_secret: String,
}

impl DemoCredentials {
    pub fn random() -> Self {
        Self {
            reader_token: random_token("demo_rd"),
            writer_token: random_token("demo_wr"),
            admin_token: random_token("demo_ad"),
            partner_key: random_token("demo_pk"),
            webhook_secret: random_token("whsec_demo"),
        }
    }

    /// By the names `${demo:NAME}` uses.
    pub fn references(&self) -> Vec<(&'static str, String)> {
        vec![
            ("reader_token", self.reader_token.clone()),
            ("writer_token", self.writer_token.clone()),
            ("admin_token", self.admin_token.clone()),
            ("partner_key", self.partner_key.clone()),
            ("webhook_secret", self.webhook_secret.clone()),
        ]
    }
}

impl std::fmt::Debug for DemoCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DemoCredentials(«redacted»)")
    }
}

fn random_token(prefix: &str) -> String {
    let mut bytes = [0u8; 18];
    // The kernel's generator first: aws-lc's seeds itself from CPU jitter on first use,
    // about 60 ms of every run, and every run makes these tokens. Failure of both means
    // the OS has no randomness; fall back to time-derived bytes rather than abort a demo
    // (these tokens guard nothing real).
    if os_random(&mut bytes).is_err() && aws_lc_rs::rand::fill(&mut bytes).is_err() {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default();
        bytes[..16].copy_from_slice(&nanos.to_le_bytes());
    }
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{prefix}_{hex}")
}

/// `bytes` from the kernel's random generator.
pub fn os_random(bytes: &mut [u8]) -> std::io::Result<()> {
    use std::io::Read;
    std::fs::File::open("/dev/urandom")?.read_exact(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_distinct() {
        let a = DemoCredentials::random();
        let b = DemoCredentials::random();
        assert_ne!(a.reader_token, b.reader_token);
        assert_ne!(a.reader_token, a.writer_token);
        assert!(a.partner_key.starts_with("demo_pk_") && a.partner_key.len() > 40);
        assert!(!format!("{a:?}").contains(&a.reader_token));
    }
}
