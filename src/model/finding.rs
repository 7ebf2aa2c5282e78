//! The closed vocabularies of findings: the rules, the units a finding counts in, and the
//! statuses of an investigator's disposition. Each is written to case files, exports and
//! `--json` output as the same text as before they were types (`cross_border`, `access
//! events`, `dismissed`), through `as_str`, `FromStr` and serde; a text that is none of them
//! is an error that names it.

use std::fmt;
use std::str::FromStr;

/// A text that is not one of a vocabulary's words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} {text:?} is not one of {known}")]
pub struct UnknownWord {
    /// What the word should have been (`rule`, `disposition`, `unit`).
    pub what: &'static str,
    pub text: String,
    /// The accepted words, comma-separated.
    pub known: String,
}

/// An enum of unit variants, each with its stored text: `as_str`, `ALL` (in order),
/// `FromStr`, `Display`, serde as the text, comparison with text, and `Debug` as the quoted
/// text (so messages that print one with `{:?}` read as they did when it was a string).
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident, $what:literal, { $($(#[$vmeta:meta])* $variant:ident => $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order they are listed.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stored text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }

            /// The stored texts, comma-separated (for messages).
            pub fn known() -> String {
                Self::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(s: &str) -> Result<Self, UnknownWord> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownWord {
                        what: $what,
                        text: s.to_string(),
                        known: Self::known(),
                    }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
    };
}

word_enum!(
    /// A findings rule, in the order findings are listed.
    Rule, "rule", {
        CrossBorder => "cross_border",
        OutsideApproval => "outside_approval",
        Unsupervised => "unsupervised",
        AfterRevocation => "after_revocation",
        OffHours => "off_hours",
        Bulk => "bulk",
        NewReach => "new_reach",
        CoverageGap => "coverage_gap",
    }
);

word_enum!(
    /// What a finding (or the impact table) counts.
    CountUnit, "unit", {
        AccessEvents => "access events",
        RefusedAttempts => "refused attempts",
        Records => "records",
        DistinctDataSubjects => "distinct data subjects",
        HoursWithoutEvents => "hours without events",
        HoursNotRetained => "hours not retained",
    }
);

word_enum!(
    /// The investigator's decision on a finding.
    DispositionStatus, "disposition", {
        Open => "open",
        Confirmed => "confirmed",
        Dismissed => "dismissed",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_through_text_and_json() {
        for r in Rule::ALL {
            assert_eq!(r.as_str().parse::<Rule>(), Ok(*r));
            let json = serde_json::to_string(r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
            assert_eq!(serde_json::from_str::<Rule>(&json).unwrap(), *r);
        }
        for u in CountUnit::ALL {
            assert_eq!(u.as_str().parse::<CountUnit>(), Ok(*u));
        }
        for s in DispositionStatus::ALL {
            assert_eq!(s.as_str().parse::<DispositionStatus>(), Ok(*s));
        }
        assert_eq!(
            format!("{:?}", DispositionStatus::Dismissed),
            "\"dismissed\""
        );
    }

    #[test]
    fn an_unknown_word_is_named() {
        let e = "maybe".parse::<DispositionStatus>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "disposition \"maybe\" is not one of open, confirmed, dismissed"
        );
        assert!(serde_json::from_str::<Rule>("\"nope\"").is_err());
    }
}
