//! `--max-body`: how much of a response body is read and judged. Written as bytes or with
//! a binary unit (`1MiB`, `16MiB`, `512KiB`); shown the same way in every message that
//! names it, so a reader can copy it back into the flag.

use std::fmt;
use std::str::FromStr;

/// The most bytes of a (decoded) response body authspec reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyLimit(pub usize);

impl BodyLimit {
    pub const DEFAULT: BodyLimit = BodyLimit(16 << 20);

    pub fn bytes(self) -> usize {
        self.0
    }
}

impl Default for BodyLimit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

const UNITS: [(&str, usize); 4] = [
    ("GiB", 1 << 30),
    ("MiB", 1 << 20),
    ("KiB", 1 << 10),
    ("B", 1),
];

impl fmt::Display for BodyLimit {
    /// `16 MiB`, `1536 KiB`, `100 B`: the largest unit that divides it exactly.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (unit, size) = UNITS
            .iter()
            .find(|(_, size)| self.0.is_multiple_of(*size) && self.0 >= *size)
            .copied()
            .unwrap_or(("B", 1));
        write!(f, "{} {unit}", self.0 / size)
    }
}

impl FromStr for BodyLimit {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let digits = text
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(digits);
        let bad = || {
            format!(
                "{text:?} is not a size: write bytes (`1048576`) or `KiB`, `MiB`, `GiB` (`16MiB`)"
            )
        };
        let n: usize = number.parse().map_err(|_| bad())?;
        let unit = unit.trim();
        let size = if unit.is_empty() {
            1
        } else {
            UNITS
                .iter()
                .find(|(u, _)| u.eq_ignore_ascii_case(unit))
                .map(|(_, s)| *s)
                .ok_or_else(bad)?
        };
        let bytes = n.checked_mul(size).ok_or_else(bad)?;
        if bytes == 0 {
            return Err("the body limit must be at least 1 byte".into());
        }
        Ok(BodyLimit(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_bytes_and_binary_units_and_prints_them_back() {
        for (text, bytes, shown) in [
            ("16MiB", 16 << 20, "16 MiB"),
            ("1MiB", 1 << 20, "1 MiB"),
            ("1 mib", 1 << 20, "1 MiB"),
            ("512KiB", 512 << 10, "512 KiB"),
            ("1048576", 1 << 20, "1 MiB"),
            ("100", 100, "100 B"),
            ("1500", 1500, "1500 B"),
            ("2GiB", 2 << 30, "2 GiB"),
        ] {
            let limit: BodyLimit = text.parse().unwrap();
            assert_eq!(limit.bytes(), bytes, "{text}");
            assert_eq!(limit.to_string(), shown, "{text}");
        }
        for bad in [
            "",
            "MiB",
            "16MB",
            "-1",
            "0",
            "1.5MiB",
            "99999999999999999999GiB",
        ] {
            assert!(bad.parse::<BodyLimit>().is_err(), "{bad}");
        }
        assert_eq!(BodyLimit::default().to_string(), "16 MiB");
    }
}
