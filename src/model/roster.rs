//! Roster rows: the facts that turn log identities into people, systems and places.
//! Column layouts are documented in the README ("Roster files").

use serde::{Deserialize, Serialize};

use super::category::CategorySet;

/// Which kind of file an import reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Access,
    People,
    Accounts,
    Systems,
    Approvals,
    Milestones,
    Subjects,
}

impl SourceKind {
    pub const ALL: [SourceKind; 7] = [
        SourceKind::Access,
        SourceKind::People,
        SourceKind::Accounts,
        SourceKind::Systems,
        SourceKind::Approvals,
        SourceKind::Milestones,
        SourceKind::Subjects,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Access => "access",
            SourceKind::People => "people",
            SourceKind::Accounts => "accounts",
            SourceKind::Systems => "systems",
            SourceKind::Approvals => "approvals",
            SourceKind::Milestones => "milestones",
            SourceKind::Subjects => "subjects",
        }
    }
    pub fn parse(s: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Person {
    pub key: String,
    pub display_name: String,
    pub native_name: Option<String>,
    pub organization: Option<String>,
    /// ISO 3166 alpha-2 country where the person works.
    pub country: Option<String>,
    pub role: Option<String>,
    /// IANA zone the person works in.
    pub zone: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AccountLink {
    pub account: String,
    pub person_key: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemInfo {
    pub name: String,
    /// Country where the system stores its data.
    pub country: Option<String>,
    pub categories: CategorySet,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approval {
    pub person_key: String,
    pub system: String,
    pub valid_from_us: i64,
    pub valid_to_us: i64,
    pub approver_key: Option<String>,
    pub overseer_key: Option<String>,
    pub ticket: Option<String>,
}

/// Who a milestone applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Scope {
    All,
    Organization(String),
    Person(String),
    /// A bare name (`Hoshizora Technology`): resolved at import against the case's
    /// organizations and people, and stored as `org:` or `person:`; never stored as such.
    Name(String),
}

impl Scope {
    pub fn parse(s: &str) -> Result<Scope, String> {
        let t = s.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("all") {
            return Ok(Scope::All);
        }
        if let Some(org) = t.strip_prefix("org:") {
            return Ok(Scope::Organization(org.trim().to_string()));
        }
        if let Some(p) = t.strip_prefix("person:") {
            return Ok(Scope::Person(p.trim().to_string()));
        }
        Ok(Scope::Name(t.to_string()))
    }
    pub fn kind(&self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Organization(_) => "org",
            Scope::Person(_) => "person",
            Scope::Name(_) => "name",
        }
    }
    pub fn value(&self) -> Option<&str> {
        match self {
            Scope::All => None,
            Scope::Organization(v) | Scope::Person(v) | Scope::Name(v) => Some(v),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Milestone {
    pub at_us: i64,
    pub raw_at: String,
    pub label: String,
    pub kind: String,
    pub scope: Scope,
}

/// A data subject known from the operator's records: its country and other identifiers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubjectInfo {
    pub key: String,
    pub country: Option<String>,
    /// Other normalized identifiers of the same subject (phone, e-mail).
    pub aliases: Vec<String>,
}
