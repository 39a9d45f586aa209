//! Sharding: `--shard i/n` keeps the checks whose stable id falls in shard `i` of `n`, so
//! a long run splits over a CI system's parallel runners and the shards together hold
//! every check exactly once, the same way on every runner and every run.

use std::fmt;
use std::str::FromStr;

/// Shard `index` (1-based) of `count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    index: u32,
    count: u32,
}

impl Shard {
    /// 1-based.
    pub fn index(&self) -> u32 {
        self.index
    }

    pub fn count(&self) -> u32 {
        self.count
    }

    /// Whether the check with this id belongs to this shard.
    pub fn holds(&self, check_id: &str) -> bool {
        fnv1a(check_id.as_bytes()) % u64::from(self.count) == u64::from(self.index - 1)
    }
}

/// FNV-1a: fixed by its definition, unlike std's hasher, so every runner and every
/// release of authspec puts a check in the same shard.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wrong = || format!("{s:?} is not a shard: write I/N, with 1 <= I <= N (e.g. 2/3)");
        let (i, n) = s.split_once('/').ok_or_else(wrong)?;
        let index: u32 = i.trim().parse().map_err(|_| wrong())?;
        let count: u32 = n.trim().parse().map_err(|_| wrong())?;
        if index == 0 || count == 0 || index > count {
            return Err(wrong());
        }
        Ok(Shard { index, count })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_in_exactly_one_shard() {
        let shards: Vec<Shard> = (1..=3).map(|i| format!("{i}/3").parse().unwrap()).collect();
        let mut sizes = [0usize; 3];
        for n in 0..300 {
            let id = format!("scenarios/orders.yaml#access[{n}].deny.reader");
            let holders: Vec<usize> = (0..3).filter(|&s| shards[s].holds(&id)).collect();
            assert_eq!(holders.len(), 1, "{id} is in shards {holders:?}");
            sizes[holders[0]] += 1;
        }
        // Not a balance guarantee, only that no shard is starved on ordinary ids.
        assert!(sizes.iter().all(|&s| s > 60), "{sizes:?}");
    }

    #[test]
    fn the_hash_is_fixed() {
        // FNV-1a's published test vector: a change here would move checks between shards.
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn bad_shards_are_refused() {
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "1/3/4"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad} was accepted");
        }
        assert_eq!("2/3".parse::<Shard>().unwrap().to_string(), "2/3");
    }
}
