//! The one redaction pass over a result: every text field — message, notes, request,
//! problems, expected, actual (headers too), the hint, leak excerpts, the harness error's
//! own text — loses every registered secret before the result leaves the engine.

use super::error::{CheckError, ErrorKind, HarnessError};
use super::evidence::{Evidence, Problem};
use super::outcome::{CheckResult, Outcome};
use crate::redact::Redactor;

impl CheckResult {
    /// Removes every registered secret from every text of the result.
    pub fn redacted(mut self, redactor: &Redactor) -> Self {
        let r = |s: &mut String| *s = redactor.redact(s);
        r(&mut self.name);
        self.warnings
            .iter_mut()
            .chain(self.info.iter_mut())
            .for_each(r);
        match &mut self.outcome {
            Outcome::Fail(f) => {
                r(&mut f.message);
                evidence(&mut f.evidence, redactor);
            }
            Outcome::Error(e) => error(e, redactor),
            Outcome::Skipped(reason) => r(reason),
            Outcome::Pass => {}
        }
        self
    }
}

fn error(e: &mut CheckError, redactor: &Redactor) {
    let r = |s: &mut String| *s = redactor.redact(s);
    r(&mut e.message);
    evidence(&mut e.evidence, redactor);
    if let ErrorKind::Harness(h) | ErrorKind::SuiteUnavailable(h) = &mut e.kind {
        match h {
            HarnessError::Transport(t) => {
                r(&mut t.chain);
                t.request.iter_mut().for_each(r);
            }
            HarnessError::AuthServer {
                error,
                error_description,
                text,
            } => {
                r(text);
                error
                    .iter_mut()
                    .chain(error_description.iter_mut())
                    .for_each(r);
            }
            HarnessError::Request { reason }
            | HarnessError::Setup { reason }
            | HarnessError::OAuth { reason } => r(reason),
            HarnessError::Token { cause, .. } => {
                let mut inner = CheckError::new(
                    ErrorKind::Harness((**cause).clone()),
                    String::new(),
                    Evidence::default(),
                );
                error(&mut inner, redactor);
                if let ErrorKind::Harness(h) = inner.kind {
                    **cause = h;
                }
            }
            HarnessError::SutExited { report } | HarnessError::SutNotReady { report } => r(report),
            HarnessError::Io { what, reason, .. } => {
                r(what);
                r(reason);
            }
            // The request line may carry a query key.
            HarnessError::BodyTooLarge { request, .. } => r(request),
        }
    }
}

fn evidence(e: &mut Evidence, redactor: &Redactor) {
    let r = |s: &mut String| *s = redactor.redact(s);
    e.notes.iter_mut().for_each(r);
    e.expected.iter_mut().for_each(r);
    e.hint.iter_mut().for_each(r);
    if let Some(q) = &mut e.request {
        r(&mut q.url);
        q.role.iter_mut().for_each(r);
    }
    if let Some(a) = &mut e.actual {
        r(&mut a.status);
        a.excerpt.iter_mut().for_each(r);
        for (_, v) in &mut a.headers {
            r(v);
        }
    }
    for p in &mut e.problems {
        match p {
            Problem::Text(t) => r(t),
            Problem::Leak(l) => {
                r(&mut l.what);
                r(&mut l.excerpt);
                l.whose.iter_mut().for_each(r);
            }
        }
    }
    for l in &mut e.leaks {
        r(&mut l.what);
        r(&mut l.excerpt);
        l.whose.iter_mut().for_each(r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::{Actual, Finding, rule};
    use std::time::Duration;

    #[test]
    fn redaction_reaches_message_and_detail() {
        let r = Redactor::new();
        r.add("reader.bearer", "fake-tok-42");
        let result = CheckResult {
            id: "x".into(),
            suite: "s".into(),
            file: "f".into(),
            name: "n".into(),
            outcome: Outcome::Fail(Finding::of(
                &rule::ACCESS_DENY,
                "saw fake-tok-42",
                Evidence {
                    notes: vec!["body: fake-tok-42".into()],
                    actual: Some(Actual {
                        status: "200 OK".into(),
                        excerpt: None,
                        headers: vec![("x-token".into(), "fake-tok-42".into())],
                    }),
                    hint: Some("is fake-tok-42 right?".into()),
                    ..Evidence::default()
                },
            )),
            duration: Duration::ZERO,
            warnings: Vec::new(),
            info: Vec::new(),
            waived: None,
        }
        .redacted(&r);
        let Outcome::Fail(f) = result.outcome else {
            panic!("not a failure")
        };
        assert!(!f.message.contains("fake-tok-42") && !f.detail().contains("fake-tok-42"));
        assert!(f.detail().contains("«redacted:reader.bearer»"));
    }
}
