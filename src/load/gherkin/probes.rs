//! Probe steps: a data table whose keys are exactly the YAML probe's keys becomes the raw
//! probe entry, every value keeping its cell's position, and the one lowering turns that
//! into the model. So a probe means the same in both syntaxes (defaults, references and
//! their redaction, refusal of literal credentials) and fails validation the same way.
//! Lists are comma-separated in one cell, as a YAML flow list without its brackets.

use super::scenario::FeatureCx;
use super::table::{Cell, Row};
use crate::load::lower;
use crate::load::raw::{
    OneOrMany, RawEnumeration, RawHeaders, RawOAuthProbe, RawProbe, RawRateLimit, RawTlsProbe,
    RawTokens, RawVariant, RawWebhooks, S, SpannedMap,
};
use crate::load::suggest::did_you_mean;
use crate::load::{SourceFile, SuiteDiagnostic};
use crate::model::Probe;

#[cfg(test)]
pub use super::probe_kinds::KINDS;
pub use super::probe_kinds::ProbeKind;

/// Lowers one probe step's table; `index` numbers the probes of the feature (for the
/// labels secrets are redacted as). `step` is where the step is written.
pub fn lower(
    feature: &FeatureCx<'_>,
    index: usize,
    kind: ProbeKind,
    rows: &[Row],
    step: (u64, u64),
) -> Result<Probe, Vec<SuiteDiagnostic>> {
    let mut f = Fields {
        rows,
        source: feature.source,
        errors: Vec::new(),
    };
    f.check_keys(kind, step);
    // Values are converted even after a key problem, so every problem is reported at once.
    match f.raw(kind) {
        Some(raw) if f.errors.is_empty() => {
            let mut cx = feature.lowering();
            let probe = lower::probe(&mut cx, index, &raw, feature.demo);
            cx.finish(probe)
        }
        _ => Err(f.errors),
    }
}

/// The table's values, converted to what the raw probe entry holds.
struct Fields<'a> {
    rows: &'a [Row],
    source: &'a SourceFile,
    errors: Vec<SuiteDiagnostic>,
}

impl Fields<'_> {
    fn error(&mut self, cell: &Cell, message: String, help: String) {
        let mut d = SuiteDiagnostic::new(self.source, cell.line, cell.col, message);
        d.help(help);
        self.errors.push(d);
    }

    /// Masks the value of the row just reported when it is a credential: under a
    /// misspelt key, the general masking does not know it is one.
    fn mask_if_credential(&mut self, row: &Row, best: Option<&str>) {
        if crate::load::mask::looks_like_credential(best, &row.value.text)
            && let Some(d) = self.errors.last_mut()
        {
            let span = self.source.span(row.value.line, row.value.col);
            d.mask(self.source, span.offset()..span.offset() + span.len());
        }
    }

    /// Unknown keys (with a "did you mean"), missing required keys, empty values.
    fn check_keys(&mut self, kind: ProbeKind, step: (u64, u64)) {
        let keys = kind.keys();
        let names: Vec<&str> = keys.iter().map(|k| k.name).collect();
        let what = kind.yaml_name();
        for row in self.rows {
            let name = row.key.text.as_str();
            let Some(key) = keys.iter().find(|k| k.name == name) else {
                let help = match did_you_mean(name, names.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`? Keys: {}", names.join(", ")),
                    None => format!("keys: {}", names.join(", ")),
                };
                self.error(&row.key, format!("unknown key `{name}` of `{what}`"), help);
                self.mask_if_credential(row, did_you_mean(name, names.iter().copied()));
                continue;
            };
            if row.value.text.trim().is_empty() {
                let help = if key.required {
                    "give it a value".to_string()
                } else {
                    "give it a value, or leave the row out for the default".to_string()
                };
                self.error(&row.value, format!("`{name}` has no value"), help);
            }
        }
        for key in keys.iter().filter(|k| k.required) {
            if !self.rows.iter().any(|r| r.key.text == key.name) {
                let mut d = SuiteDiagnostic::new(
                    self.source,
                    step.0,
                    step.1,
                    format!("`{what}` needs `{}`", key.name),
                );
                d.help(format!("add a row `| {} | … |` to the table", key.name));
                self.errors.push(d);
            }
        }
    }

    /// The raw entry. Fields that convert (and may report a problem) come first in each
    /// literal, required texts (`?`, checked before) last: every problem is reported.
    fn raw(&mut self, kind: ProbeKind) -> Option<RawProbe> {
        Some(match kind {
            ProbeKind::RateLimit => RawProbe::RateLimit(RawRateLimit {
                burst: self.number("burst"),
                expect_within: self.number("expect_within"),
                retry_after: self.text("retry_after"),
                json: self.payload("json"),
                form: self.map("form"),
                body: self.cell("body").map(|c| c.text.clone()),
                headers: self.map("headers"),
                as_role: self.text("as"),
                request: self.text("request")?,
            }),
            ProbeKind::Webhooks => RawProbe::Webhooks(RawWebhooks {
                tolerance: self.number("tolerance"),
                header: self.text("header"),
                payload: self.payload("payload")?,
                request: self.text("request")?,
                scheme: self.text("scheme")?,
                secret: self.text("secret")?,
            }),
            ProbeKind::Headers => RawProbe::Headers(RawHeaders {
                requests: self.split("requests"),
                as_role: self.text("as")?,
            }),
            ProbeKind::Tokens => RawProbe::Tokens(RawTokens {
                mutations: self.list("mutations"),
                fuzz: self.number("fuzz"),
                max_wait: self.duration("max_wait"),
                signing_key: self.text("signing_key"),
                leeway: self.duration("leeway"),
                wordlist: self.text("wordlist"),
                as_role: self.text("as")?,
                request: self.text("request")?,
            }),
            ProbeKind::OAuth => RawProbe::Oauth(RawOAuthProbe {
                as_roles: self.list("as"),
                checks: self.list("checks"),
                max_token_lifetime: self.duration("max_token_lifetime"),
                request: self.text("request"),
                server: self.text("server")?,
            }),
            ProbeKind::Tls => RawProbe::Tls(RawTlsProbe {
                urls: self.cell("urls").map(Cell::spanned).map(|at| {
                    let items = OneOrMany(self.split("urls"));
                    S::new(items, at.at)
                }),
                min_version: self.duration("min_version"),
                min_days_to_expiry: self.number("min_days_to_expiry"),
                min_rsa_bits: self.number("min_rsa_bits"),
                hsts_min_age: self.number("hsts_min_age"),
                plain_http: self.text("plain_http"),
                client_cert_required: self.boolean("client_cert_required"),
            }),
            ProbeKind::Enumeration => RawProbe::Enumeration(RawEnumeration {
                tries: self.number("tries"),
                threshold: self.duration("threshold"),
                as_role: self.text("as"),
                unknown: self.variant("unknown")?,
                wrong_secret: self.variant("wrong_secret")?,
                request: self.text("request")?,
            }),
        })
    }

    fn cell(&self, key: &str) -> Option<&Cell> {
        self.rows
            .iter()
            .find(|r| r.key.text == key)
            .map(|r| &r.value)
    }

    fn text(&self, key: &str) -> Option<S<String>> {
        self.cell(key).map(Cell::spanned)
    }

    fn number<T: std::str::FromStr>(&mut self, key: &str) -> Option<S<T>> {
        let cell = self.cell(key)?.clone();
        match cell.text.trim().parse() {
            Ok(n) => {
                let at = cell.spanned();
                Some(S::new(n, at.at))
            }
            Err(_) => {
                let message = format!("`{key}` is a whole number, not `{}`", cell.text);
                self.error(&cell, message, "write digits only, e.g. `50`".into());
                None
            }
        }
    }

    /// `true` or `false`, as YAML writes them.
    fn boolean(&mut self, key: &str) -> Option<S<bool>> {
        let cell = self.cell(key)?.clone();
        match cell.text.trim() {
            "true" => Some(S::new(true, cell.spanned().at)),
            "false" => Some(S::new(false, cell.spanned().at)),
            other => {
                let message = format!("`{key}` is `true` or `false`, not `{other}`");
                self.error(&cell, message, "write `true` or `false`".into());
                None
            }
        }
    }

    /// `120` is a number of seconds, `90s`/`2m`/`1h` a text: as YAML reads them.
    fn duration(&self, key: &str) -> Option<S<serde_json::Value>> {
        let cell = self.cell(key)?;
        let text = cell.text.trim();
        let value = match text.parse::<u64>() {
            Ok(n) => serde_json::Value::from(n),
            Err(_) => serde_json::Value::from(text),
        };
        let at = cell.spanned();
        Some(S::new(value, at.at))
    }

    /// The comma-separated items of a cell, each at its own column.
    fn split(&mut self, key: &str) -> Vec<S<String>> {
        let Some(cell) = self.cell(key).cloned() else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut offset = 0u64;
        for piece in cell.text.split(',') {
            let lead = piece.chars().take_while(|c| c.is_whitespace()).count() as u64;
            let item = piece.trim();
            if item.is_empty() {
                let message = format!("`{key}` has an empty item");
                let help = "items are separated by single commas: `a, b`".to_string();
                self.error(&cell, message, help);
            } else {
                out.push(cell.spanned_at(item.to_string(), offset + lead));
            }
            offset += piece.chars().count() as u64 + 1;
        }
        out
    }

    fn list(&mut self, key: &str) -> Option<S<OneOrMany<String>>> {
        let cell = self.cell(key)?.spanned();
        let items = self.split(key).into_iter().map(|s| s.value).collect();
        Some(S::new(OneOrMany(items), cell.at))
    }

    /// A flow mapping of texts (`{ X-Trace: abc }`), each key at the cell's position.
    fn map(&mut self, key: &str) -> Option<SpannedMap<String>> {
        let cell = self.cell(key)?.clone();
        self.converted(&cell, super::flow::texts(&cell))
    }

    /// A request variant, written as the YAML probe writes it.
    fn variant(&mut self, key: &str) -> Option<S<RawVariant>> {
        let cell = self.cell(key)?.clone();
        let at = cell.spanned().at;
        match super::variant::variant(&cell.text, S::new((), at)) {
            Ok(v) => Some(S::new(v, at)),
            Err(why) => {
                let message = format!("`{key}` {why}");
                let help = r#"e.g. `{ json: { username: "nobody-{{run.id}}", password: "${env:PASSWORD}" } }`"#;
                self.error(&cell, message, help.to_string());
                None
            }
        }
    }

    /// JSON, or a YAML flow mapping as the YAML probe writes it.
    fn payload(&mut self, key: &str) -> Option<serde_json::Value> {
        let cell = self.cell(key)?.clone();
        self.converted(&cell, super::flow::json(&cell, key))
    }

    fn converted<T>(&mut self, cell: &Cell, value: Result<T, super::flow::Refused>) -> Option<T> {
        match value {
            Ok(v) => Some(v),
            Err(r) => {
                self.error(cell, r.message, r.help);
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of each probe's table are exactly the YAML probe's fields: serde lists
    /// them when it refuses an unknown one.
    #[test]
    fn table_keys_are_the_yaml_keys() {
        for kind in KINDS {
            let yaml = format!("{}:\n  zzz_unknown: 1\n", kind.yaml_name());
            let err = match serde_saphyr::from_str::<RawProbe>(&yaml) {
                Ok(_) => panic!("{yaml} parsed"),
                Err(e) => e.to_string(),
            };
            let expected = err
                .lines()
                .find_map(|l| l.split("expected one of").nth(1))
                .unwrap_or_else(|| panic!("{err}"));
            let mut yaml_keys: Vec<String> = expected
                .split(',')
                .map(|s| s.trim().trim_matches('`').to_string())
                .collect();
            let mut ours: Vec<String> = kind.keys().iter().map(|k| k.name.to_string()).collect();
            yaml_keys.sort();
            ours.sort();
            assert_eq!(ours, yaml_keys, "{kind:?}: {err}");
        }
    }
}
