//! The catalogue: every built-in detector, one per file, in report order.

use super::{
    database_error, file_path, internal_address, secret_format, stack_trace, version_banner,
};
use crate::leak::Detector;

/// Every built-in detector, in report order.
pub fn all() -> Vec<Box<dyn Detector>> {
    vec![
        Box::new(stack_trace::StackTrace),
        Box::new(database_error::DatabaseError),
        Box::new(file_path::FilePath),
        Box::new(internal_address::InternalAddress),
        Box::new(version_banner::VersionBanner),
        Box::new(secret_format::SecretFormat),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_snake_case() {
        let ids: Vec<&str> = all().iter().map(|d| d.id()).collect();
        assert_eq!(ids.len(), 6);
        for (i, id) in ids.iter().enumerate() {
            assert!(!ids[i + 1..].contains(id), "duplicate id {id}");
            assert!(id.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
    }

    /// The loader checks `leakage: { ignore: […] }` against the model's list.
    #[test]
    fn the_model_names_every_detector_and_the_canary() {
        let mut ids: Vec<&str> = all().iter().map(|d| d.id()).collect();
        ids.push("secret_canary");
        assert_eq!(crate::model::DETECTOR_IDS, ids.as_slice());
    }
}
