//! The parser's interning maps: a fast unkeyed hash while they are small, SipHash beyond.
//!
//! The std map's SipHash is built to resist hash flooding and costs more than the lookup itself
//! for the short names of an invoice. A multiply-rotate hash is several times cheaper but has
//! fixed collisions that hostile input can aim at, so a map that grows past what a real
//! document declares (a few hundred element names, a dozen namespaces) is moved to SipHash
//! with random keys: until then, forced collisions cost at most `FAST_LIMIT²` comparisons.

use std::collections::HashMap;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Entries kept under the fast hash. Far above the distinct names of real invoices (UBL and
/// CII examples use under 300), low enough that colliding keys up to it stay cheap.
const FAST_LIMIT: usize = 1024;

/// Entries reserved up front, so a typical document never rehashes.
const INITIAL: usize = 128;

/// FxHash-style: each word is mixed in with a rotate, xor and one multiplication.
///
/// Unkeyed, so only for maps whose keys hostile input cannot insert: the parser's maps while
/// they are small (see above), and lookup tables built from trusted names, such as the rule
/// tables' element names, which a document's names are only looked up in.
#[derive(Default)]
pub struct MulRotate(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl MulRotate {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for MulRotate {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut b = [0; 8];
            b.copy_from_slice(w);
            self.add(u64::from_le_bytes(b));
        }
        let tail = words.remainder();
        if !tail.is_empty() {
            let mut b = [0; 8];
            if let Some(dst) = b.get_mut(..tail.len()) {
                dst.copy_from_slice(tail);
            }
            self.add(u64::from_le_bytes(b));
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map from keys to the indices the parser numbers them with.
pub(super) enum Index<K> {
    Fast(HashMap<K, u32, BuildHasherDefault<MulRotate>>),
    Keyed(HashMap<K, u32, RandomState>),
}

impl<K: Hash + Eq> Index<K> {
    pub(super) fn new() -> Self {
        Index::Fast(HashMap::with_capacity_and_hasher(
            INITIAL,
            Default::default(),
        ))
    }

    pub(super) fn get<Q>(&self, key: &Q) -> Option<u32>
    where
        K: std::borrow::Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        match self {
            Index::Fast(map) => map.get(key).copied(),
            Index::Keyed(map) => map.get(key).copied(),
        }
    }

    /// The index of `key`, set to `next` if the key is new.
    pub(super) fn get_or_insert(&mut self, key: K, next: u32) -> u32 {
        if let Index::Fast(map) = self
            && map.len() >= FAST_LIMIT
        {
            let keyed = std::mem::take(map).into_iter().collect();
            *self = Index::Keyed(keyed);
        }
        match self {
            Index::Fast(map) => *map.entry(key).or_insert(next),
            Index::Keyed(map) => *map.entry(key).or_insert(next),
        }
    }
}

impl<K: Hash + Eq> FromIterator<(K, u32)> for Index<K> {
    fn from_iter<I: IntoIterator<Item = (K, u32)>>(iter: I) -> Self {
        let mut index = Index::new();
        for (key, value) in iter {
            index.get_or_insert(key, value);
        }
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_to_keyed_hashing_past_the_limit_and_keeps_every_entry() {
        let mut index: Index<String> = Index::new();
        let n = FAST_LIMIT as u32 + 10;
        for i in 0..n {
            assert_eq!(index.get_or_insert(format!("n{i}"), i), i);
        }
        assert!(matches!(index, Index::Keyed(_)));
        for i in 0..n {
            assert_eq!(index.get(format!("n{i}").as_str()), Some(i));
            assert_eq!(index.get_or_insert(format!("n{i}"), n), i);
        }
        assert_eq!(index.get("missing"), None);
    }

    #[test]
    fn the_fast_hash_tells_short_keys_apart() {
        let hash = |s: &str| {
            let mut h = MulRotate::default();
            s.hash(&mut h);
            h.finish()
        };
        assert_ne!(hash("ID"), hash("IE"));
        assert_ne!(hash("Name"), hash("name"));
        assert_ne!(hash("abcdefgh1"), hash("abcdefgh2"));
    }
}
