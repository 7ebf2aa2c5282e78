//! Data categories: a small extensible vocabulary stored as a 64-bit set per event.
//!
//! Bits 0..16 are the built-in vocabulary and never change meaning; custom categories get the
//! next free bit when first seen, recorded in the case's `category` table.

use serde::{Deserialize, Serialize};

/// The built-in categories, in bit order. Their bit numbers are part of the case-file format.
pub const BUILTIN: &[&str] = &[
    "name",
    "phone",
    "email",
    "account_id",
    "message_text",
    "image_media",
    "address",
    "payment",
    "location",
    "credential",
];

/// First bit handed out to custom categories.
pub const FIRST_CUSTOM_BIT: u32 = 16;

/// A set of categories as a bit set (bit n = category with id n).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CategorySet(pub u64);

impl CategorySet {
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
    pub fn insert(&mut self, bit: u32) {
        self.0 |= 1u64 << bit;
    }
    pub fn contains(self, bit: u32) -> bool {
        self.0 & (1u64 << bit) != 0
    }
    pub fn union(self, other: CategorySet) -> CategorySet {
        CategorySet(self.0 | other.0)
    }
    pub fn bits(self) -> impl Iterator<Item = u32> {
        // One step per bit set, lowest first (the impact tables call this per subject).
        let mut rest = self.0;
        std::iter::from_fn(move || {
            (rest != 0).then(|| {
                let bit = rest.trailing_zeros();
                rest &= rest - 1;
                bit
            })
        })
    }
}

/// The names behind category bits for one case: built-ins plus the case's custom ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vocabulary {
    /// (bit, name), sorted by bit.
    entries: Vec<(u32, String)>,
}

impl Default for Vocabulary {
    fn default() -> Self {
        Vocabulary {
            entries: BUILTIN
                .iter()
                .enumerate()
                .map(|(i, n)| (i as u32, (*n).to_string()))
                .collect(),
        }
    }
}

impl Vocabulary {
    pub fn from_entries(mut entries: Vec<(u32, String)>) -> Self {
        entries.sort_by_key(|e| e.0);
        Vocabulary { entries }
    }
    pub fn entries(&self) -> &[(u32, String)] {
        &self.entries
    }
    pub fn bit_of(&self, name: &str) -> Option<u32> {
        let norm = normalize_name(name);
        self.entries.iter().find(|e| e.1 == norm).map(|e| e.0)
    }
    pub fn name_of(&self, bit: u32) -> Option<&str> {
        self.entries
            .iter()
            .find(|e| e.0 == bit)
            .map(|e| e.1.as_str())
    }
    /// The bit for `name`, adding a custom category if it is new. `None` when all 64 bits are
    /// taken or the name is empty.
    pub fn bit_or_insert(&mut self, name: &str) -> Option<u32> {
        let norm = normalize_name(name);
        if norm.is_empty() {
            return None;
        }
        if let Some(b) = self.bit_of(&norm) {
            return Some(b);
        }
        let next = self
            .entries
            .iter()
            .map(|e| e.0 + 1)
            .max()
            .unwrap_or(0)
            .max(FIRST_CUSTOM_BIT);
        if next >= 64 {
            return None;
        }
        self.entries.push((next, norm));
        Some(next)
    }
    /// Names of the categories in `set`, in bit order.
    pub fn names(&self, set: CategorySet) -> Vec<String> {
        set.bits()
            .map(|b| {
                self.name_of(b)
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("category#{b}"))
            })
            .collect()
    }
}

/// Category names are compared lowercased with spaces and dashes folded to `_`.
pub fn normalize_name(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_have_stable_bits_and_custom_ones_follow() {
        let mut v = Vocabulary::default();
        assert_eq!(v.bit_of("phone"), Some(1));
        assert_eq!(v.bit_of("Message Text"), Some(4));
        assert_eq!(v.bit_or_insert("health"), Some(FIRST_CUSTOM_BIT));
        assert_eq!(v.bit_or_insert("health"), Some(FIRST_CUSTOM_BIT));
        assert_eq!(v.bit_or_insert("biometric"), Some(FIRST_CUSTOM_BIT + 1));
        let mut s = CategorySet::default();
        s.insert(1);
        s.insert(FIRST_CUSTOM_BIT);
        assert_eq!(v.names(s), vec!["phone", "health"]);
    }
}
