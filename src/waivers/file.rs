//! The waiver file: YAML, one entry per accepted finding, each with what it matches (a
//! rule id and/or a check-name pattern), a reason, an owner and an `expires` date. A bad
//! entry is invalid input at its file:line:column, before anything is sent.

use std::path::Path;

use regex::Regex;
use serde::Deserialize;
use serde_saphyr::Spanned;
use time::Date;

use crate::load::{LoadError, SourceFile, SuiteDiagnostic, parse_yaml};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    waivers: Vec<Spanned<RawWaiver>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWaiver {
    rule: Option<Spanned<String>>,
    check: Option<Spanned<String>>,
    reason: Option<String>,
    owner: Option<String>,
    expires: Option<Spanned<String>>,
}

/// One accepted finding.
#[derive(Clone, Debug)]
pub struct Waiver {
    /// A rule id (`leak.version_banner`), `*` matching any run of characters.
    pub rule: Option<String>,
    /// A check-name pattern (`DELETE /orders/* as reader: deny`), `*` as above.
    pub check: Option<String>,
    pub reason: String,
    pub owner: String,
    /// The last day (UTC) the waiver holds.
    pub expires: Date,
    /// `file:line:column` of the entry.
    pub at: String,
    rule_re: Option<Regex>,
    check_re: Option<Regex>,
}

impl Waiver {
    /// Whether a finding of `rule` in the check named `check` is this waiver's.
    pub fn matches(&self, rule: &str, check: &str) -> bool {
        self.rule_re.as_ref().is_none_or(|r| r.is_match(rule))
            && self.check_re.as_ref().is_none_or(|r| r.is_match(check))
    }
}

/// The waivers of one file, in file order: the first that matches a finding applies.
#[derive(Clone, Debug, Default)]
pub struct Waivers {
    pub list: Vec<Waiver>,
}

impl Waivers {
    pub fn load(path: &Path) -> Result<Self, LoadError> {
        let source = SourceFile::read(path)?;
        let raw: RawFile = parse_yaml(&source).map_err(LoadError::Invalid)?;
        let mut list = Vec::new();
        let mut problems = Vec::new();
        for entry in raw.waivers {
            match waiver(entry, &source) {
                Ok(w) => list.push(w),
                Err(d) => problems.push(*d),
            }
        }
        if problems.is_empty() {
            Ok(Waivers { list })
        } else {
            Err(LoadError::Invalid(problems))
        }
    }
}

fn waiver(entry: Spanned<RawWaiver>, source: &SourceFile) -> Result<Waiver, Box<SuiteDiagnostic>> {
    let at = entry.referenced;
    let problem = |line: u64, column: u64, message: &str, help: &str| {
        let mut d = SuiteDiagnostic::new(source, line, column, message);
        d.help(help);
        Box::new(d)
    };
    let raw = entry.value;
    let missing = |field: &str, help: &str| {
        problem(
            at.line(),
            at.column(),
            &format!("waiver without `{field}`"),
            help,
        )
    };
    if raw.rule.is_none() && raw.check.is_none() {
        return Err(missing(
            "rule` or `check",
            "say what it waives: `rule: leak.version_banner` and/or `check: \"GET /orders as reader: *\"`",
        ));
    }
    let reason = raw
        .reason
        .filter(|r| !r.trim().is_empty())
        .ok_or_else(|| missing("reason", "say why the finding is accepted: `reason: …`"))?;
    let owner = raw
        .owner
        .filter(|o| !o.trim().is_empty())
        .ok_or_else(|| missing("owner", "say who accepted it: `owner: team-payments`"))?;
    let expires = raw.expires.ok_or_else(|| {
        missing(
            "expires",
            "every waiver ends: `expires: 2027-03-31` (the last day it holds, UTC)",
        )
    })?;
    let date = parse_date(&expires.value).ok_or_else(|| {
        let l = expires.referenced;
        problem(
            l.line(),
            l.column(),
            &format!("{:?} is not a date", expires.value),
            "write the last day the waiver holds as YYYY-MM-DD",
        )
    })?;
    Ok(Waiver {
        rule_re: raw.rule.as_ref().map(|r| pattern(&r.value)),
        check_re: raw.check.as_ref().map(|c| pattern(&c.value)),
        rule: raw.rule.map(|r| r.value),
        check: raw.check.map(|c| c.value),
        reason,
        owner,
        expires: date,
        at: source.location(at.line(), at.column()).to_string(),
    })
}

/// A whole-string pattern in which `*` matches any run of characters and nothing else
/// is special: check names are full of `?`, `[`, `(` and `.`.
fn pattern(text: &str) -> Regex {
    let body: Vec<String> = text.split('*').map(regex::escape).collect();
    // Escaped literals joined by `.*` always compile.
    #[allow(clippy::expect_used)]
    Regex::new(&format!("^{}$", body.join(".*"))).expect("an escaped pattern compiles")
}

fn parse_date(text: &str) -> Option<Date> {
    let mut parts = text.trim().splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let day: u8 = parts.next()?.parse().ok()?;
    Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_whole_names_with_star_only() {
        let p = pattern("DELETE /orders/* as reader: deny");
        assert!(p.is_match("DELETE /orders/1 as reader: deny"));
        assert!(!p.is_match("DELETE /orders/1 as reader: deny (again)"));
        assert!(pattern("a.b").is_match("a.b") && !pattern("a.b").is_match("axb"));
        assert!(pattern("tls *: hsts").is_match("tls localhost:8443: hsts"));
    }

    #[test]
    fn dates_are_calendar_days() {
        assert_eq!(
            parse_date("2027-03-31"),
            Date::from_calendar_date(2027, time::Month::March, 31).ok()
        );
        assert!(parse_date("2027-02-30").is_none());
        assert!(parse_date("next week").is_none());
    }
}
