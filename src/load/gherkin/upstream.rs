//! Steps about the stub upstreams of the feature's `authspec.yaml`: `Given the upstream
//! "NAME" …` says how it misbehaves during the scenario (one `upstream_faults` entry per
//! upstream), and `Then` steps bound the latest response's time (`within:`) and say what
//! the upstream received (`expect.upstream.NAME`). They fill the raw fields a YAML
//! scenario has, at the step's position, and the one lowering judges them: an unknown
//! upstream or a bad duration is the same error, at the step.

use super::matcher::Arg;
use super::scenario::{State, position, text};
use super::steps::{FaultStep, Op};
use crate::load::raw::{
    Pos, RawCount, RawExpect, RawFault, RawFaultAnswer, RawRange, RawUpstreamExpect, S, SpannedMap,
};

/// What the short forms mean: the sizes and times the YAML help suggests.
const HUGE_BODY: &str = "20MiB";
const SLOW_BODY: &str = "30s";

/// `Given the upstream "NAME" …`: the scenario's fault for that upstream.
pub(super) fn fault(st: &mut State<'_, '_>, step: &gherkin::Step, kind: FaultStep, args: &[Arg]) {
    let at = position(step);
    let name = S::new(text(args, 0), at);
    if st.faults.iter().any(|(n, _)| n.value == name.value) {
        return st.error(
            step,
            format!(
                "the upstream `{}` already has a fault in this scenario",
                name.value
            ),
            "an upstream misbehaves one way per scenario: give each fault a scenario of its own",
        );
    }
    let int = |i: usize| match args.get(i) {
        Some(Arg::Int(n)) => *n,
        _ => 0,
    };
    let value = |v: &str| S::new(serde_json::Value::String(v.to_string()), at);
    let mut f = RawFault::default();
    match kind {
        FaultStep::Delay => f.delay = Some(value(&text(args, 1))),
        FaultStep::Status => f.status = Some(S::new(int(1), at)),
        FaultStep::StatusWith => {
            let doc = step.docstring.as_deref().map(str::trim).unwrap_or_default();
            match serde_json::from_str(doc) {
                Ok(json) => f.json = Some(json),
                Err(e) => {
                    return st.error(
                        step,
                        format!("the doc string is not JSON: {e}"),
                        "put the upstream's JSON body between \"\"\" lines under the step",
                    );
                }
            }
            f.status = Some(S::new(int(1), at));
        }
        FaultStep::Sequence => {
            let Some(Arg::Ints(codes)) = args.get(1) else {
                return;
            };
            let answers = codes.iter().map(|c| RawFaultAnswer::Status(*c)).collect();
            f.sequence = Some(S::new(answers, at));
        }
        FaultStep::Reset => f.reset = Some(S::new(true, at)),
        FaultStep::Truncated => f.malformed = Some(S::new("truncated".into(), at)),
        FaultStep::NotJson => f.malformed = Some(S::new("not_json".into(), at)),
        FaultStep::HugeBody => f.huge_body = Some(value(HUGE_BODY)),
        FaultStep::HugeBodyOf => f.huge_body = Some(value(&text(args, 1))),
        FaultStep::SlowBody => f.slow_body = Some(value(SLOW_BODY)),
        FaultStep::SlowBodyOver => f.slow_body = Some(value(&text(args, 1))),
    }
    st.faults.push((name, f));
}

/// `Then the response arrives within …` and `Then the upstream "NAME" received …`/`was
/// retried …`, on the latest request's expectation.
pub(super) fn expect(st: &mut State<'_, '_>, step: &gherkin::Step, op: Op, args: &[Arg]) {
    let Some(last) = st.steps.last_mut() else {
        return st.error(
            step,
            "no request yet",
            "a `Then` step checks the latest response: add `When I send \"METHOD /path\"` before it",
        );
    };
    let at = position(step);
    let int = |i: usize| match args.get(i) {
        Some(Arg::Int(n)) => usize::from(*n),
        _ => 0,
    };
    let e = last.expect.get_or_insert_with(RawExpect::default);
    match op {
        Op::Within => {
            e.within = Some(S::new(serde_json::Value::String(text(args, 0)), at));
        }
        Op::UpstreamReceived => {
            entry(e, text(args, 0), at).requests = Some(S::new(RawCount::Exactly(int(1)), at));
        }
        Op::UpstreamReceivedBetween => {
            let range = RawRange {
                min: Some(int(1)),
                max: Some(int(2)),
            };
            entry(e, text(args, 0), at).requests = Some(S::new(RawCount::Range(range), at));
        }
        Op::UpstreamBackoff => {
            entry(e, text(args, 0), at).backoff = Some(S::new("increasing".into(), at));
        }
        _ => {}
    }
}

/// The expectation of upstream `name` on this step, made on first use: every step about
/// one upstream adds to one entry, as one YAML `upstream.NAME:` map.
fn entry(e: &mut RawExpect, name: String, at: Pos) -> &mut RawUpstreamExpect {
    let map = e.upstream.get_or_insert_with(SpannedMap::default);
    let i = match map.0.iter().position(|(k, _)| k.value == name) {
        Some(i) => i,
        None => {
            map.0.push((S::new(name, at), RawUpstreamExpect::default()));
            map.0.len() - 1
        }
    };
    &mut map.0[i].1
}

/// The scenario's faults as its raw `upstream_faults:`.
pub(super) fn faults(faults: Vec<(S<String>, RawFault)>) -> Option<SpannedMap<RawFault>> {
    (!faults.is_empty()).then_some(SpannedMap(faults))
}
