//! An access event as an importer produces it, before the case interns its names.

use super::category::CategorySet;
use super::text::Text;

/// One access record, normalized. Names (account, system) are still text; the case turns them
/// into ids when it stores the event.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewEvent {
    /// First physical line of the record in the source file (1-based).
    pub line: u64,
    /// Last physical line of the record (equal to `line` for one-line records).
    pub line_end: u64,
    pub ts_us: i64,
    /// The timestamp exactly as written in the source.
    pub raw_ts: Text,
    /// `TsFlags` bits.
    pub ts_flags: u16,
    pub account: Option<Text>,
    pub src_ip: Option<Text>,
    pub system: Option<Text>,
    pub action: Option<Text>,
    pub object: Option<Text>,
    pub categories: CategorySet,
    /// Data-subject identifiers, normalized (see `model::subject`).
    pub subjects: Vec<Text>,
    /// Records touched; defaults to the number of subjects when the source gives none.
    pub records: Option<i64>,
    pub outcome: Option<Outcome>,
    pub session: Option<Text>,
    pub ticket: Option<Text>,
    /// The record's fields that map to no column above, as a compact JSON object
    /// (`{"userAgent":"...","requestID":"..."}`, nested keys dotted); `None` when every field
    /// mapped. Stored in `event_extra`.
    pub extra: Option<String>,
}

/// What came of an access: a small closed set, plus the source's own word when it fits none.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Outcome {
    Success,
    Denied,
    Failed,
    Other(String),
}

/// The outcomes of refused attempts, as stored: an event with one of them is evidence, but
/// nobody saw data through it. This list is the one definition of an access, in Rust
/// ([`is_access`]) and in SQL ([`access_sql`]).
pub const REFUSED_OUTCOMES: [&str; 2] = ["denied", "failed"];

/// An access is an event whose outcome is not one of [`REFUSED_OUTCOMES`] (`denied`, `failed`).
/// Events with no outcome count as accesses.
pub fn is_access(outcome: Option<&str>) -> bool {
    !outcome.is_some_and(|o| REFUSED_OUTCOMES.contains(&o))
}

/// [`is_access`] as an SQL expression over the outcome column `column` (`outcome`,
/// `e.outcome`): true for an access, also when the outcome is NULL.
pub fn access_sql(column: &str) -> String {
    let refused: Vec<String> = REFUSED_OUTCOMES.iter().map(|o| format!("'{o}'")).collect();
    format!("coalesce({column}, '') NOT IN ({})", refused.join(", "))
}

/// [`is_access`] of a typed outcome.
pub fn is_access_outcome(outcome: Option<&Outcome>) -> bool {
    is_access(outcome.map(Outcome::as_str))
}

impl serde::Serialize for Outcome {
    /// As stored: `success`, `denied`, `failed` or the source's word.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Outcome {
    /// An outcome as a case stores it ([`Outcome::as_str`]): the closed words exactly, any
    /// other text the source's own word.
    pub fn from_stored(text: &str) -> Outcome {
        match text {
            "success" => Outcome::Success,
            "denied" => Outcome::Denied,
            "failed" => Outcome::Failed,
            other => Outcome::Other(other.to_string()),
        }
    }

    /// Normalizes a source's outcome text (`ok`, `200`, `拒否`, ...).
    pub fn from_text(text: &str) -> Option<Outcome> {
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        let lower = t.to_lowercase();
        let o = match lower.as_str() {
            "ok" | "success" | "succeeded" | "successful" | "allowed" | "allow" | "permit"
            | "granted" | "true" | "pass" | "passed" | "done" | "completed" | "成功" | "完了"
            | "許可" => Outcome::Success,
            "denied" | "deny" | "forbidden" | "refused" | "rejected" | "blocked"
            | "unauthorized" | "unauthorised" | "拒否" | "不許可" => Outcome::Denied,
            "fail" | "failed" | "failure" | "error" | "false" | "失敗" | "エラー" => {
                Outcome::Failed
            }
            _ => match lower.parse::<u16>() {
                Ok(code) if (200..400).contains(&code) => Outcome::Success,
                Ok(401 | 403) => Outcome::Denied,
                Ok(code) if code >= 400 => Outcome::Failed,
                _ => Outcome::Other(t.to_string()),
            },
        };
        Some(o)
    }

    pub fn as_str(&self) -> &str {
        match self {
            Outcome::Success => "success",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
            Outcome::Other(s) => s,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_outcomes_read_back_as_they_were() {
        for text in ["success", "denied", "failed", "partial", "Success", ""] {
            assert_eq!(Outcome::from_stored(text).as_str(), text);
        }
        assert_eq!(Outcome::from_stored("denied"), Outcome::Denied);
    }

    #[test]
    fn refused_outcomes_are_the_closed_ones() {
        assert_eq!(
            REFUSED_OUTCOMES,
            [Outcome::Denied.as_str(), Outcome::Failed.as_str()]
        );
    }

    #[test]
    fn outcomes_normalize() {
        assert_eq!(Outcome::from_text("OK"), Some(Outcome::Success));
        assert_eq!(Outcome::from_text("200"), Some(Outcome::Success));
        assert_eq!(Outcome::from_text("403"), Some(Outcome::Denied));
        assert_eq!(Outcome::from_text("完了"), Some(Outcome::Success));
        assert_eq!(Outcome::from_text("拒否"), Some(Outcome::Denied));
        assert_eq!(Outcome::from_text("500"), Some(Outcome::Failed));
        assert_eq!(
            Outcome::from_text("partial"),
            Some(Outcome::Other("partial".into()))
        );
        assert_eq!(Outcome::from_text("  "), None);
    }
}
