//! Roster reads used by the importers (e.g. which persons exist) live with the writes in
//! `write.rs`; this module holds roster queries for analysis and display.

use super::Result;
use super::facade::People;

/// An approval with names resolved.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ApprovalRow {
    pub person_key: String,
    pub system: String,
    pub valid_from_us: i64,
    pub valid_to_us: i64,
    pub approver_key: Option<String>,
    pub overseer_key: Option<String>,
    pub ticket: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct MilestoneRow {
    pub at_us: i64,
    pub raw_at: String,
    pub label: String,
    pub kind: String,
    pub scope_kind: String,
    pub scope_value: Option<String>,
}

impl People<'_> {
    pub fn approvals(&self) -> Result<Vec<ApprovalRow>> {
        let rows = self.query_vec("SELECT p.person_key, s.name, a.valid_from_us, a.valid_to_us, ap.person_key, ov.person_key, a.ticket
                 FROM approval a JOIN person p ON p.id = a.person_id JOIN system s ON s.id = a.system_id
                 LEFT JOIN person ap ON ap.id = a.approver_id LEFT JOIN person ov ON ov.id = a.overseer_id
                 ORDER BY a.valid_from_us", [], |r| {
                Ok(ApprovalRow {
                    person_key: r.get(0)?,
                    system: r.get(1)?,
                    valid_from_us: r.get(2)?,
                    valid_to_us: r.get(3)?,
                    approver_key: r.get(4)?,
                    overseer_key: r.get(5)?,
                    ticket: r.get(6)?,
                })
            })?;
        Ok(rows)
    }

    pub fn milestones(&self) -> Result<Vec<MilestoneRow>> {
        let rows = self.query_vec("SELECT at_us, raw_at, label, kind, scope_kind, scope_value FROM milestone ORDER BY at_us", [], |r| {
                Ok(MilestoneRow {
                    at_us: r.get(0)?,
                    raw_at: r.get(1)?,
                    label: r.get(2)?,
                    kind: r.get(3)?,
                    scope_kind: r.get(4)?,
                    scope_value: r.get(5)?,
                })
            })?;
        Ok(rows)
    }
}
