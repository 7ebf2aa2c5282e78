//! The rejected rows of access logs that could change the report's counts: for the whole case
//! every one (any of them may record an access); for a subject export those that mention one
//! of its subjects; for any other scope those that mention one of its actors (persons with
//! events in scope, the persons exported, accounts), or, naming no known actor, one of its
//! subjects (`analysis::rejects`). When there are any, the
//! report's counts say "at least" and the rows are listed with file, line and reason (not
//! their text, which may hold personal data the export redacts).

use std::collections::HashSet;
use std::fmt::Write;

use anyhow::Result;

use super::Tally;
use super::html::esc;
use super::i18n::t;
use crate::analysis::rejects::{Mention, MentionKind, RejectedRow, reject_callouts};
use crate::case::Case;
use crate::ops::export::{ExportScope, Lang, Redactor};

/// At most this many rows are listed; the rest are counted.
const LISTED: usize = 100;

/// The rejected rows that could change the counts of `scope`, and whether some rejected rows
/// were not read for mentions (more than `analysis::rejects::CHECK_LIMIT`).
pub fn rejects_in_scope(
    case: &Case,
    scope: &ExportScope,
    tally: &Tally,
) -> Result<(Vec<RejectedRow>, bool)> {
    let callouts = reject_callouts(case)?;
    let incomplete = callouts.incomplete();
    if matches!(scope, ExportScope::Case) {
        return Ok((callouts.rows, incomplete));
    }
    let lookups = case.export().export_lookups()?;
    let subjects: HashSet<&str> = tally
        .subjects
        .iter()
        .filter_map(|id| lookups.subjects.get(id).map(|s| s.key.as_str()))
        .collect();
    let persons: Vec<&str> = match scope {
        ExportScope::Persons(keys) => keys.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    let actor_in_scope = |m: &Mention| {
        m.person_key
            .as_deref()
            .is_some_and(|k| tally.actors.contains_key(k) || persons.contains(&k))
            || (m.kind == MentionKind::Account
                && tally.actors.contains_key(&format!("account:{}", m.text)))
    };
    let is_actor = |m: &Mention| m.person_key.is_some() || m.kind == MentionKind::Account;
    let subject_in_scope = |m: &Mention| {
        m.subject_key
            .as_deref()
            .is_some_and(|k| subjects.contains(k))
    };
    // A row whose actor is known would be that actor's access: it counts for a scope of
    // actors when the actor is in it. A subject export counts every access to its subjects.
    let in_scope = |r: &RejectedRow| {
        let m = &r.mentions;
        match scope {
            ExportScope::Subjects(_) => m.iter().any(subject_in_scope),
            _ if m.iter().any(is_actor) => m.iter().any(actor_in_scope),
            _ => m.iter().any(subject_in_scope),
        }
    };
    let rows = callouts.rows.into_iter().filter(|r| in_scope(r)).collect();
    Ok((rows, incomplete))
}

/// What a row mentions, subjects redacted as the export is.
fn mentions(r: &RejectedRow, redactor: &Redactor) -> String {
    r.mentions
        .iter()
        .map(|m| match m.kind {
            MentionKind::Subject => {
                let key = m.subject_key.as_deref().unwrap_or(&m.text);
                let kind = crate::model::subject::normalize(key).map_or("id", |(_, k)| k.as_str());
                format!("subject {}", redactor.subject(key, kind))
            }
            _ => m.describe(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The list of rejected rows under the counts: file:line, reason, what each mentions.
pub fn rejects_block(
    rows: &[RejectedRow],
    incomplete: bool,
    lang: Lang,
    redactor: &Redactor,
) -> String {
    let mut o = String::new();
    if rows.is_empty() && !incomplete {
        return o;
    }
    let tr = |k: &'static str| esc(t(lang, k));
    let _ = write!(
        o,
        "<h3>{}</h3><p class=\"note\">{} {}</p>",
        tr("rejects_heading"),
        rows.len(),
        tr("rejects_note")
    );
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        tr("rejects_place"),
        tr("rejects_reason"),
        tr("rejects_mentions")
    );
    for r in rows.iter().take(LISTED) {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.place()),
            esc(&r.row.reason),
            esc(&mentions(r, redactor))
        );
    }
    o.push_str("</table>");
    if rows.len() > LISTED {
        let _ = write!(
            o,
            "<p class=\"note\">+{} {}</p>",
            rows.len() - LISTED,
            tr("rejects_more")
        );
    }
    if incomplete {
        let _ = write!(o, "<p class=\"note\">{}</p>", tr("rejects_incomplete"));
    }
    o
}
