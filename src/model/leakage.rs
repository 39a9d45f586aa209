//! Which leak detectors run on a suite's responses, and the detector ids a suite may
//! name (the loader checks against them; the catalogue's test keeps them equal).

/// Every detector id a suite may name in `leakage: { ignore: […] }`: the built-in
/// detectors in report order, then the secret canary.
pub const DETECTOR_IDS: &[&str] = &[
    "stack_trace",
    "database_error",
    "file_path",
    "internal_address",
    "version_banner",
    "secret_format",
    "secret_canary",
];

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leakage {
    pub enabled: bool,
    /// Detector ids turned off.
    pub ignore: Vec<String>,
}

impl Default for Leakage {
    fn default() -> Self {
        Self {
            enabled: true,
            ignore: Vec::new(),
        }
    }
}

impl Leakage {
    pub fn runs(&self, detector: &str) -> bool {
        self.enabled && !self.ignore.iter().any(|d| d == detector)
    }

    /// What the report must say when detection is reduced.
    pub fn notice(&self) -> Option<String> {
        if !self.enabled {
            Some("leakage detection is off for this suite (`leakage: off`)".into())
        } else if !self.ignore.is_empty() {
            Some(format!(
                "leak detectors turned off for this suite: {}",
                self.ignore.join(", ")
            ))
        } else {
            None
        }
    }
}
