//! The quality an API key issued by the API must have.

use serde_json_path::JsonPath;

#[derive(Clone, Debug)]
pub struct KeyQuality {
    pub path_text: String,
    pub path: JsonPath,
    pub min_length: usize,
    pub min_entropy_bits: f64,
}

/// A conservative entropy estimate in bits: the length times the smaller of the
/// alphabet's bits per character (hex 4, Base64 6, …) and the observed per-character
/// Shannon entropy (slightly raised, since a short sample underestimates it). A key of
/// repeated or patterned characters scores low whatever its alphabet.
pub fn entropy_bits(key: &str) -> f64 {
    let n = key.chars().count();
    if n == 0 {
        return 0.0;
    }
    let mut counts = std::collections::HashMap::new();
    for c in key.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
    }
    let shannon: f64 = counts
        .values()
        .map(|&k| {
            let p = k as f64 / n as f64;
            -p * p.log2()
        })
        .sum();
    let classes = [
        key.chars().any(|c| c.is_ascii_lowercase()),
        key.chars().any(|c| c.is_ascii_uppercase()),
        key.chars().any(|c| c.is_ascii_digit()),
        key.chars().any(|c| !c.is_ascii_alphanumeric()),
    ];
    let hex = key.chars().all(|c| c.is_ascii_hexdigit());
    let alphabet = if hex {
        16.0
    } else {
        [26.0, 26.0, 10.0, 2.0]
            .iter()
            .zip(classes)
            .filter(|(_, present)| *present)
            .map(|(size, _)| size)
            .sum::<f64>()
    };
    // `+ 0.0`: a key of one repeated character has a Shannon sum of -0.0, which would
    // print as "about -0 bits".
    n as f64 * alphabet.log2().min(shannon * 1.25) + 0.0
}

#[cfg(test)]
mod tests {
    use super::entropy_bits;

    #[test]
    fn a_repeated_character_scores_zero_not_minus_zero() {
        assert_eq!(format!("{:.0}", entropy_bits("aaaaaaaa")), "0");
    }

    #[test]
    fn random_keys_score_high_and_patterns_low() {
        // 32 hex characters drawn at random carry 128 bits.
        assert!(entropy_bits("9f86d081884c7d659a2feaa0c55ad015") >= 120.0);
        assert!(entropy_bits("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") < 1.0);
        assert!(entropy_bits("abababababababababababababababab") < 48.0);
        assert!(entropy_bits("k3Jd9_Qm2ZxV8pLw0RtY6uHs4NcB1aEf7GjKq5WeTz") > 200.0);
    }
}
