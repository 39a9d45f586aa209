//! `weak_secret` once its key is guessed: the key becomes a secret of the run (redacted
//! from here on, shown only masked), and each token forged with it is sent as the role.
//! The case fails either way: the finding says whether this API also accepted the forgery.

use crate::engine::probes::{CaseResult, failure};
use crate::engine::request::context::Context;
use crate::model::TokensProbe;
use crate::mutation::{Guess, masked};
use crate::results::{Evidence, LeakLine, Problem, RequestInfo};

/// What became of one forged token.
enum Forged {
    Accepted(String),
    Refused(String),
    NotSent(String),
}

/// The failure for a guessed key, after sending the tokens forged with it.
pub async fn judged(ctx: &Context, si: usize, probe: &TokensProbe, guess: Guess) -> CaseResult {
    let suite = &ctx.suites[si].suite;
    let role = &suite.role(probe.role).name;
    // The key signs tokens the issuer's verifiers accept: a secret now. Guessed: a common
    // word turning up in a response is no evidence that the key leaked, and inside
    // another word (`weak_secret`) it is not the key.
    ctx.redactor
        .add_guessed(&format!("{role}.hs_key"), &guess.key);
    let shown = masked(&guess.key);
    let mut seen = Vec::new();
    let mut leaks: Vec<LeakLine> = Vec::new();
    for f in &guess.forged {
        ctx.redactor
            .add_quiet(&format!("{role}.forged_token"), &f.token);
        let got = match ctx
            .send_with_token(si, probe.role, &probe.request, &f.token)
            .await
        {
            Ok(ex) => {
                leaks.extend(ctx.leak_lines(si, &ex, &[]).into_iter().map(|l| LeakLine {
                    whose: Some(f.label.clone()),
                    ..l
                }));
                if (200..300).contains(&ex.status) {
                    Forged::Accepted(ex.status_line())
                } else {
                    Forged::Refused(ex.status_line())
                }
            }
            Err(e) => Forged::NotSent(e.to_string()),
        };
        seen.push((f.label.as_str(), got));
    }
    // Not the candidate's position: with the list at hand, it would name the key.
    let found = format!(
        "the token's {} key is a well-known secret ({shown}, found in {})",
        guess.alg, guess.source
    );
    let accepted = seen.iter().find_map(|(label, g)| match g {
        Forged::Accepted(status) => Some(format!("{label} → {status}")),
        _ => None,
    });
    let not_sent = seen.iter().find_map(|(label, g)| match g {
        Forged::NotSent(e) => Some(format!("{label} → could not be sent: {e}")),
        _ => None,
    });
    let message = match (accepted, not_sent) {
        (Some(first), _) => format!("{found}; the API accepted a token forged with it: {first}"),
        (None, Some(first)) => {
            format!("{found}; whether the API accepts forged tokens is unknown: {first}")
        }
        (None, None) => format!(
            "{found}; the API refused the tokens forged with it, but anyone who has the key \
             can mint tokens that every verifier trusting it accepts"
        ),
    };
    let problems = seen
        .iter()
        .map(|(label, g)| {
            Problem::Text(match g {
                Forged::Accepted(s) => format!("{label} → {s}: accepted"),
                Forged::Refused(s) => format!("{label} → {s}: refused"),
                Forged::NotSent(e) => format!("{label} → could not be sent: {e}"),
            })
        })
        .collect();
    CaseResult::of(failure(
        message,
        Evidence {
            request: Some(RequestInfo::new(&probe.request.line(), Some(role))),
            problems,
            expected: Some(format!(
                "an {} key no list of known secrets holds (256 random bits or more)",
                guess.alg
            )),
            hint: Some(
                "rotate the key to a random one (`openssl rand -base64 32`) kept outside the \
                 source, and revoke every token signed with the old one"
                    .into(),
            ),
            leaks,
            ..Evidence::default()
        },
    ))
}
