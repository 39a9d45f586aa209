//! Lowers the suite-wide settings a suite and an `authspec.yaml` share besides roles:
//! `leakage:` (which detectors run) and `policy:` (the refusal statuses).

use super::context::Cx;
use crate::load::raw::{Pos, RawLeakage, RawPolicy, S};
use crate::load::suggest::did_you_mean;
use crate::model::{DETECTOR_IDS, Leakage, Policy};

/// `leakage:`; unknown detector ids are errors with a suggestion.
pub fn leakage(cx: &mut Cx<'_>, raw: Option<&S<RawLeakage>>) -> Option<Leakage> {
    let raw = raw?;
    let known = DETECTOR_IDS;
    match &raw.value {
        RawLeakage::Switch(s) if s == "off" => Some(Leakage {
            enabled: false,
            ignore: Vec::new(),
        }),
        RawLeakage::Switch(s) if s == "on" => Some(Leakage::default()),
        RawLeakage::Switch(s) => {
            cx.error(&raw.at, format!("`leakage: {s}` is neither on nor off"))
                .help("`leakage: off`, or `leakage: { ignore: [stack_trace, …] }`");
            None
        }
        RawLeakage::Ignore(ids) => {
            for id in ids.iter().filter(|id| !known.contains(&id.value.as_str())) {
                let help = match did_you_mean(&id.value, known.iter().copied()) {
                    Some(best) => {
                        format!("did you mean `{best}`? Detectors: {}", known.join(", "))
                    }
                    None => format!("detectors: {}", known.join(", ")),
                };
                cx.error(&id.at, format!("unknown leak detector `{}`", id.value))
                    .help(help);
            }
            Some(Leakage {
                enabled: true,
                ignore: ids.iter().map(|i| i.value.clone()).collect(),
            })
        }
    }
}

/// `policy:`; `at` is where to point when the block itself is wrong.
pub fn policy(cx: &mut Cx<'_>, raw: Option<&RawPolicy>, at: &Pos) -> Option<Policy> {
    let statuses = raw?.deny_status.as_ref()?;
    for s in statuses {
        if !(400..=599).contains(&s.value) {
            cx.error(&s.at, format!("`{}` is not a refusal status", s.value))
                .help("deny statuses are 4xx or 5xx codes such as 401, 403, 404");
        }
    }
    if statuses.is_empty() {
        cx.error(at, "`policy.deny_status` is empty");
    }
    Some(Policy {
        deny_status: statuses.iter().map(|s| s.value).collect(),
    })
}
