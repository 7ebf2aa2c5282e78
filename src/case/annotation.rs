//! Annotations: a star, a tag or a note on one event or on a time range, made by the
//! investigator in the timeline or the detail pane. Each one is also written to the custody
//! log in the same transaction, so the log shows who marked what and when.

use super::facade::{Annotations, Writes};
use rusqlite::params;
use serde::Serialize;

use super::{CaseError, Result, custody};

/// What an annotation is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnnotationKind {
    Star,
    Tag,
    Note,
}

impl AnnotationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AnnotationKind::Star => "star",
            AnnotationKind::Tag => "tag",
            AnnotationKind::Note => "note",
        }
    }

    pub fn parse(s: &str) -> Option<AnnotationKind> {
        match s {
            "star" => Some(AnnotationKind::Star),
            "tag" => Some(AnnotationKind::Tag),
            "note" => Some(AnnotationKind::Note),
            _ => None,
        }
    }
}

/// What an annotation is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum AnnotationTarget {
    Event(i64),
    /// `[from_us, to_us)`, UTC µs.
    Range {
        from_us: i64,
        to_us: i64,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Annotation {
    pub id: i64,
    pub target: AnnotationTarget,
    pub kind: AnnotationKind,
    /// The tag or the note; empty for a star.
    pub text: String,
    pub author: String,
    pub created_us: i64,
}

impl Writes<'_> {
    /// Adds an annotation and its custody entry in one transaction; returns its id.
    pub fn add_annotation(
        &mut self,
        target: AnnotationTarget,
        kind: AnnotationKind,
        text: &str,
        author: &str,
    ) -> Result<i64> {
        if kind != AnnotationKind::Star && text.trim().is_empty() {
            return Err(CaseError::Invalid(format!(
                "a {} needs text; nothing was saved",
                kind.as_str()
            )));
        }
        let (event_id, from_us, to_us) = match target {
            AnnotationTarget::Event(id) => (Some(id), None, None),
            AnnotationTarget::Range { from_us, to_us } => {
                if to_us <= from_us {
                    return Err(CaseError::Invalid(format!(
                        "annotation range ends ({to_us} µs) before it starts ({from_us} µs)"
                    )));
                }
                (None, Some(from_us), Some(to_us))
            }
        };
        if let Some(id) = event_id {
            let n: i64 = self
                .conn
                .query_row("SELECT count(*) FROM event WHERE id = ?1", [id], |r| {
                    r.get(0)
                })
                .map_err(|e| self.err(e))?;
            if n == 0 {
                return Err(CaseError::Invalid(format!("no event {id} in this case")));
            }
        }
        let now = crate::model::time::now_us();
        self.with_tx(|c| {
            c.execute(
                "INSERT INTO annotation(event_id, from_us, to_us, kind, text, author, created_us)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![event_id, from_us, to_us, kind.as_str(), text, author, now],
            )?;
            let id = c.last_insert_rowid();
            custody::append(
                c,
                author,
                "annotate",
                &serde_json::json!({
                    "annotation_id": id,
                    "kind": kind.as_str(),
                    "event_id": event_id,
                    "from_us": from_us,
                    "to_us": to_us,
                    "text": text,
                }),
            )?;
            Ok(id)
        })
    }
}

impl Writes<'_> {
    /// Adds the same star, tag or note to each of `event_ids` (the table's bulk action), in
    /// one transaction: all or none. Each annotation gets its own custody entry, as a single
    /// one does, so `verify` names each; the entries also say how many were added together.
    /// An event already carrying the same star or tag is skipped. Returns the new ids.
    pub fn add_event_annotations(
        &mut self,
        event_ids: &[i64],
        kind: AnnotationKind,
        text: &str,
        author: &str,
    ) -> Result<Vec<i64>> {
        if kind != AnnotationKind::Star && text.trim().is_empty() {
            return Err(CaseError::Invalid(format!(
                "a {} needs text; nothing was saved",
                kind.as_str()
            )));
        }
        let mut ids: Vec<i64> = event_ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let json = super::timeline::events_json(&ids);
        let found: i64 = self
            .conn
            .query_row(
                "SELECT count(*) FROM event WHERE id IN (SELECT value FROM json_each(?1))",
                [&json],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        if found != ids.len() as i64 {
            return Err(CaseError::Invalid(format!(
                "{} of the {} events are not in this case; nothing was saved",
                ids.len() as i64 - found,
                ids.len()
            )));
        }
        let now = crate::model::time::now_us();
        self.with_tx(|c| {
            // A note may be written twice on purpose; a second equal star or tag adds nothing.
            let already: Vec<i64> = if kind == AnnotationKind::Note {
                Vec::new()
            } else {
                let mut st = c.prepare(
                    "SELECT DISTINCT event_id FROM annotation
                     WHERE kind = ?1 AND coalesce(text, '') = ?2
                       AND event_id IN (SELECT value FROM json_each(?3))",
                )?;
                st.query_map(params![kind.as_str(), text, json], |r| r.get(0))?
                    .collect::<rusqlite::Result<_>>()?
            };
            let todo: Vec<i64> = ids.into_iter().filter(|i| !already.contains(i)).collect();
            let mut added = Vec::with_capacity(todo.len());
            for event_id in &todo {
                c.execute(
                    "INSERT INTO annotation(event_id, from_us, to_us, kind, text, author, created_us)
                     VALUES (?1, NULL, NULL, ?2, ?3, ?4, ?5)",
                    params![event_id, kind.as_str(), text, author, now],
                )?;
                let id = c.last_insert_rowid();
                custody::append(
                    c,
                    author,
                    "annotate",
                    &serde_json::json!({
                        "annotation_id": id,
                        "kind": kind.as_str(),
                        "event_id": event_id,
                        "from_us": null,
                        "to_us": null,
                        "text": text,
                        "batch": todo.len(),
                    }),
                )?;
                added.push(id);
            }
            Ok(added)
        })
    }
}

impl Annotations<'_> {
    /// Every annotation, oldest first.
    pub fn list(&self) -> Result<Vec<Annotation>> {
        self.query_vec(
            "SELECT id, event_id, from_us, to_us, kind, coalesce(text, ''), author, created_us
             FROM annotation ORDER BY created_us, id",
            [],
            |r| {
                let target = match r.get::<_, Option<i64>>(1)? {
                    Some(id) => AnnotationTarget::Event(id),
                    None => AnnotationTarget::Range {
                        from_us: r.get::<_, Option<i64>>(2)?.unwrap_or(0),
                        to_us: r.get::<_, Option<i64>>(3)?.unwrap_or(0),
                    },
                };
                let kind: String = r.get(4)?;
                Ok(Annotation {
                    id: r.get(0)?,
                    target,
                    kind: AnnotationKind::parse(&kind).unwrap_or(AnnotationKind::Note),
                    text: r.get(5)?,
                    author: r.get(6)?,
                    created_us: r.get(7)?,
                })
            },
        )
    }

    /// Annotations of one event, oldest first.
    pub fn event_annotations(&self, event_id: i64) -> Result<Vec<Annotation>> {
        Ok(self
            .annotations()
            .list()?
            .into_iter()
            .filter(|a| a.target == AnnotationTarget::Event(event_id))
            .collect())
    }
}
