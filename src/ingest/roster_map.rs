//! Roster column mapping: which header of a roster file feeds which roster field, guessed from
//! the header (the field's own name, then common synonyms such as `storage_country` for a
//! system's country or `from`/`to` for an approval's validity) or given by a mapping profile
//! with `kind = "..."` and a `[columns]` table. A profile may map one header to two fields
//! (`overseer = "approver"`). Also: which roster layout a header fits, the closest layouts when
//! it fits none, and the columns no field reads (reported, never dropped silently).

use std::collections::BTreeMap;

use serde::Serialize;

use super::mapping::{Profile, first_unused, normalize_header, normalize_headers};
use crate::model::roster::SourceKind;

/// Required and optional fields per roster kind.
pub fn columns(kind: SourceKind) -> (&'static [&'static str], &'static [&'static str]) {
    match kind {
        SourceKind::People => (
            &["person_id", "display_name"],
            &["native_name", "organization", "country", "role", "zone"],
        ),
        SourceKind::Accounts => (&["account", "person_id"], &["system", "note"]),
        SourceKind::Systems => (&["system"], &["country", "categories", "description"]),
        SourceKind::Approvals => (
            &["person_id", "system", "valid_from", "valid_to"],
            &["approver", "overseer", "ticket"],
        ),
        SourceKind::Milestones => (&["at", "label", "kind"], &["scope"]),
        SourceKind::Subjects => (&["subject_id"], &["country", "phone", "email"]),
        SourceKind::Access => (&[], &[]),
    }
}

/// Every field of a roster kind, required first.
pub fn fields(kind: SourceKind) -> impl Iterator<Item = &'static str> {
    let (r, o) = columns(kind);
    r.iter().chain(o).copied()
}

/// Header names (normalized: lowercase letters and digits) that feed a field when the file
/// does not use the field's own name; in preference order. Only names that mean the field in
/// that kind of roster: `date` is a milestone's `at`, never an approval's bound.
fn synonyms(kind: SourceKind, field: &str) -> &'static [&'static str] {
    use SourceKind::*;
    match (kind, field) {
        (People | Accounts | Approvals, "person_id") => &[
            "personid",
            "personkey",
            "person",
            "employeeid",
            "staffid",
            "employee",
        ],
        (People, "display_name") => &["displayname", "name", "fullname", "personname"],
        (People, "native_name") => &["nativename", "localname", "namenative"],
        (People, "organization") => &[
            "organization",
            "organisation",
            "org",
            "company",
            "employer",
            "vendor",
        ],
        (People, "country") => &["country", "countrycode", "workcountry"],
        (People, "role") => &["role", "jobtitle", "position"],
        (People, "zone") => &["zone", "timezone", "tz"],
        (Accounts, "account") => &["account", "accountname", "username", "login", "user"],
        (Accounts | Approvals, "system") => &["system", "systemname", "host", "server"],
        (Accounts, "note") => &["note", "notes", "comment", "comments"],
        (Systems, "system") => &["system", "systemname", "host", "hostname", "server", "name"],
        (Systems, "country") => &[
            "country",
            "storagecountry",
            "datacountry",
            "hostingcountry",
            "countrycode",
        ],
        (Systems, "categories") => &["categories", "category", "datacategories", "datacategory"],
        (Systems, "description") => &["description", "desc", "purpose"],
        (Approvals, "valid_from") => &[
            "validfrom",
            "from",
            "start",
            "startdate",
            "begin",
            "since",
            "grantedat",
        ],
        (Approvals, "valid_to") => &[
            "validto",
            "to",
            "end",
            "enddate",
            "until",
            "expires",
            "expiresat",
        ],
        (Approvals, "approver") => &["approver", "approvedby"],
        (Approvals, "overseer") => &["overseer", "supervisor", "overseenby"],
        (Approvals, "ticket") => &["ticket", "ticketid", "requestid"],
        (Milestones, "at") => &["at", "date", "datetime", "timestamp", "time", "when"],
        (Milestones, "label") => &["label", "title", "milestone", "name"],
        (Milestones, "kind") => &["kind", "type", "milestonekind"],
        (Milestones, "scope") => &["scope", "appliesto"],
        (Subjects, "subject_id") => &[
            "subjectid",
            "subject",
            "customerid",
            "customer",
            "clientid",
            "memberid",
            "datasubject",
        ],
        (Subjects, "country") => &["country", "countrycode", "residence", "residencecountry"],
        (Subjects, "phone") => &["phone", "phonenumber", "tel", "telephone", "mobile"],
        (Subjects, "email") => &["email", "emailaddress", "mail"],
        _ => &[],
    }
}

/// Roster field -> header, as used for one import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RosterMapping {
    pub columns: BTreeMap<String, String>,
    /// Whether each column came from the profile (`false`: guessed from the header).
    #[serde(skip)]
    pub from_profile: BTreeMap<String, bool>,
}

impl RosterMapping {
    /// Guesses from the header; profile columns override guesses. A profile column that is
    /// empty (`note = ""`) leaves its field unmapped. A header the profile gives to one field
    /// still feeds the field of its own name, so `overseer = "approver"` reads that column as
    /// both approver and overseer; synonyms only take headers nothing else took.
    pub fn build(kind: SourceKind, headers: &[String], profile: &Profile) -> RosterMapping {
        let mut m = RosterMapping::default();
        let normalized = normalize_headers(headers);
        let mut used = vec![false; headers.len()];
        let mut declared = Vec::new();
        for (field, col) in &profile.columns {
            declared.push(field.as_str());
            if col.trim().is_empty() {
                continue;
            }
            m.columns.insert(field.clone(), col.clone());
            m.from_profile.insert(field.clone(), true);
            if let Some(i) = header_index(headers, col) {
                used[i] = true;
            }
        }
        // The field's own name first, for every field, then synonyms in field order.
        for field in fields(kind) {
            if declared.contains(&field) {
                continue;
            }
            let own = normalize_header(field);
            if let Some(i) = normalized.iter().position(|n| *n == own) {
                used[i] = true;
                m.columns.insert(field.to_string(), headers[i].clone());
                m.from_profile.insert(field.to_string(), false);
            }
        }
        for field in fields(kind) {
            if declared.contains(&field) || m.columns.contains_key(field) {
                continue;
            }
            if let Some(i) = first_unused(&normalized, &used, synonyms(kind, field)) {
                used[i] = true;
                m.columns.insert(field.to_string(), headers[i].clone());
                m.from_profile.insert(field.to_string(), false);
            }
        }
        m
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.columns.get(field).map(String::as_str)
    }

    /// Required fields of `kind` that no column feeds.
    pub fn missing(&self, kind: SourceKind) -> Vec<&'static str> {
        columns(kind)
            .0
            .iter()
            .filter(|f| !self.columns.contains_key(**f))
            .copied()
            .collect()
    }
}

/// The position of `col` in the header: the exact name, else the same name ignoring case,
/// spaces and punctuation.
pub fn header_index(headers: &[String], col: &str) -> Option<usize> {
    headers.iter().position(|h| h == col).or_else(|| {
        let want = normalize_header(col);
        (!want.is_empty())
            .then(|| headers.iter().position(|h| normalize_header(h) == want))
            .flatten()
    })
}

/// How a column that nothing reads is named: its header, or its position when it has none.
pub fn column_label(headers: &[String], i: usize) -> String {
    match headers.get(i).map(|h| h.trim()) {
        Some(h) if !h.is_empty() => h.to_string(),
        _ => format!("column {} (no header)", i + 1),
    }
}

/// The columns of the header that no field reads, in file order.
pub fn unread(headers: &[String], mapping: &RosterMapping) -> Vec<String> {
    let read: Vec<usize> = mapping
        .columns
        .values()
        .filter_map(|c| header_index(headers, c))
        .collect();
    (0..headers.len())
        .filter(|i| !read.contains(i))
        .map(|i| column_label(headers, i))
        .collect()
}

/// How well a header fits one roster layout.
#[derive(Debug, Clone)]
pub struct LayoutFit {
    pub kind: SourceKind,
    pub mapping: RosterMapping,
    pub missing: Vec<&'static str>,
    pub unread: Vec<String>,
}

/// Every roster layout's fit to the header, closest first (fewest missing fields, then the
/// most columns read).
pub fn fits(headers: &[String]) -> Vec<LayoutFit> {
    let mut out: Vec<LayoutFit> = SourceKind::ALL
        .into_iter()
        .filter(|k| *k != SourceKind::Access)
        .map(|kind| {
            let mapping = RosterMapping::build(kind, headers, &Profile::default());
            LayoutFit {
                kind,
                missing: mapping.missing(kind),
                unread: unread(headers, &mapping),
                mapping,
            }
        })
        .collect();
    out.sort_by_key(|f| (f.missing.len(), f.unread.len()));
    out
}

/// The roster kind a CSV header is, or `None` (an access log). A header every column of which
/// a layout reads, with all its required fields, is that roster. A header with no time column
/// (so no access log) whose required fields one layout alone has is that roster too, with its
/// other columns reported as not read.
pub fn detect(headers: &[String], has_time_column: bool) -> Option<SourceKind> {
    let fits = fits(headers);
    if let Some(f) = fits
        .iter()
        .find(|f| f.missing.is_empty() && f.unread.is_empty())
    {
        return Some(f.kind);
    }
    if has_time_column {
        return None;
    }
    let complete: Vec<&LayoutFit> = fits.iter().filter(|f| f.missing.is_empty()).collect();
    match complete.as_slice() {
        [only] => Some(only.kind),
        [a, b, ..] if a.unread.len() < b.unread.len() => Some(a.kind),
        _ => None,
    }
}

/// The closest layouts with what each lacks: `systems (missing: system), subjects (missing:
/// subject_id)`.
pub fn closest_hint(headers: &[String]) -> String {
    let fits = fits(headers);
    let best = fits.first().map_or(0, |f| f.missing.len());
    fits.iter()
        .filter(|f| f.missing.len() <= best + 1)
        .take(3)
        .map(|f| {
            if f.missing.is_empty() {
                format!(
                    "{} (has every required column; not read: {})",
                    f.kind.as_str(),
                    f.unread.join(", ")
                )
            } else {
                format!("{} (missing: {})", f.kind.as_str(), f.missing.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn synonyms_fill_roster_fields() {
        let m = RosterMapping::build(
            SourceKind::Systems,
            &h(&["system", "storage_country", "categories"]),
            &Profile::default(),
        );
        assert_eq!(m.get("country"), Some("storage_country"));
        let m = RosterMapping::build(
            SourceKind::Approvals,
            &h(&["person_id", "system", "from", "to"]),
            &Profile::default(),
        );
        assert_eq!(m.get("valid_from"), Some("from"));
        assert_eq!(m.get("valid_to"), Some("to"));
        assert!(m.missing(SourceKind::Approvals).is_empty());
    }

    #[test]
    fn a_profile_header_can_feed_two_fields() {
        let mut p = Profile::default();
        p.columns.insert("overseer".into(), "approver".into());
        let headers = h(&["person_id", "system", "valid_from", "valid_to", "approver"]);
        let m = RosterMapping::build(SourceKind::Approvals, &headers, &p);
        assert_eq!(m.get("approver"), Some("approver"));
        assert_eq!(m.get("overseer"), Some("approver"));
        assert!(unread(&headers, &m).is_empty());
    }

    #[test]
    fn detection_and_closest_layouts() {
        assert_eq!(
            detect(&h(&["system", "storage_country", "categories"]), false),
            Some(SourceKind::Systems)
        );
        assert_eq!(
            detect(&h(&["customer_id", "country"]), false),
            Some(SourceKind::Subjects)
        );
        assert_eq!(
            detect(&h(&["date", "label", "kind"]), true),
            Some(SourceKind::Milestones)
        );
        assert_eq!(detect(&h(&["time", "user", "host", "action"]), true), None);
        let hint = closest_hint(&h(&["sys", "storage_country"]));
        assert!(hint.contains("systems (missing: system)"), "{hint}");
    }
}
