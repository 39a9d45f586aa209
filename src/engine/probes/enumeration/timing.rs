//! `timing`: `tries` requests of each variant, interleaved so that drift of the server or
//! the network weighs on both alike; the medians are compared. A difference beyond the
//! threshold is a warning, not a failure: one run's timings are evidence, not proof.

use std::time::{Duration, Instant};

use super::probe::{UNKNOWN, WRONG_SECRET, send};
use crate::engine::probes::{CaseResult, harness};
use crate::engine::request::context::Context;
use crate::model::EnumerationProbe;
use crate::results::Outcome;

pub async fn run(ctx: &Context, si: usize, probe: &EnumerationProbe) -> CaseResult {
    let mut times: [Vec<Duration>; 2] = [Vec::new(), Vec::new()];
    for n in 1..=probe.tries {
        for (i, (name, request)) in [
            (UNKNOWN, &probe.unknown),
            (WRONG_SECRET, &probe.wrong_secret),
        ]
        .into_iter()
        .enumerate()
        {
            let started = Instant::now();
            if let Err(e) = send(ctx, si, probe, request).await {
                return CaseResult::of(harness(
                    format!("timed request {n} of {name} could not be made: {e}"),
                    e,
                ));
            }
            times[i].push(started.elapsed());
        }
    }
    let [u, w] = times.map(median);
    let ms = |d: Duration| format!("{} ms", d.as_millis());
    let gap = u.abs_diff(w);
    let said = format!(
        "median answer time over {} tries each: {UNKNOWN} {}, {WRONG_SECRET} {}",
        probe.tries,
        ms(u),
        ms(w)
    );
    let mut r = CaseResult::of(Outcome::Pass);
    if gap > probe.threshold {
        let slower = if u > w { UNKNOWN } else { WRONG_SECRET };
        r.warnings.push(format!(
            "{said}: the {slower} variant is {} slower, more than the {} threshold, so \
             response times may tell whether an account exists (CWE-208)",
            ms(gap),
            ms(probe.threshold)
        ));
    } else {
        r.info.push(said);
    }
    r
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    match v.len() {
        0 => Duration::ZERO,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_odd_and_even_counts() {
        let ms = Duration::from_millis;
        assert_eq!(median(vec![ms(9), ms(1), ms(5)]), ms(5));
        assert_eq!(median(vec![ms(1), ms(3), ms(100), ms(5)]), ms(4));
        assert_eq!(median(Vec::new()), Duration::ZERO);
    }
}
