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
use super::html::{CODE, esc, esc_with_code};
use super::i18n::t;
use crate::analysis::rejects::{Mention, MentionKind, RejectedRow, reject_callouts};
use crate::case::Case;
use crate::ops::export::{ExportScope, Lang, Redactor};

/// The command that lists the rejected rows with their text.
const COMMAND: &str = "retrace rejects CASE --mentions";

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

/// What a row mentions, in `lang`, subjects redacted as the export is (English as
/// [`Mention::describe`] says it).
fn mentions(r: &RejectedRow, lang: Lang, redactor: &Redactor) -> String {
    r.mentions
        .iter()
        .map(|m| match m.kind {
            MentionKind::Subject => {
                let key = m.subject_key.as_deref().unwrap_or(&m.text);
                let kind = crate::model::subject::normalize(key).map_or("id", |(_, k)| k.as_str());
                crate::tr!(
                    lang,
                    "report-mention-subject",
                    text = redactor.subject(key, kind)
                )
            }
            _ => mention(m, lang),
        })
        .collect::<Vec<_>>()
        .join(&t(lang, "report-sep-list"))
}

/// One known name a rejected row mentions: its kind, its text, and whom it names.
fn mention(m: &Mention, lang: Lang) -> String {
    use crate::tr;
    let base = match m.kind {
        MentionKind::Account => tr!(lang, "report-mention-account", text = m.text.as_str()),
        MentionKind::Person => tr!(lang, "report-mention-person", text = m.text.as_str()),
        MentionKind::Subject => tr!(lang, "report-mention-subject", text = m.text.as_str()),
    };
    let who = |w: String| tr!(lang, "report-mention-who", mention = base.as_str(), who = w);
    match (m.kind, &m.person_key, &m.person_name) {
        (MentionKind::Account, None, _) => {
            tr!(lang, "report-mention-unmapped", mention = base.as_str())
        }
        (_, Some(k), Some(n)) if k != &m.text => {
            if n == &m.text {
                who(k.clone())
            } else {
                who(format!("{k} {n}"))
            }
        }
        (_, Some(_), Some(n)) => who(n.clone()),
        (MentionKind::Subject, ..) => match &m.subject_key {
            Some(key) if key != &m.text => tr!(
                lang,
                "report-mention-alias",
                mention = base.as_str(),
                key = key.as_str()
            ),
            _ => base,
        },
        _ => base,
    }
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
    let _ = write!(
        o,
        "<h3>{}</h3><p class=\"note\">{}</p>",
        esc(&t(lang, "report-rejects-heading")),
        esc_with_code(
            &crate::tr!(
                lang,
                "report-rejects-note",
                count = rows.len(),
                command = CODE
            ),
            COMMAND
        )
    );
    let _ = write!(
        o,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>",
        esc(&t(lang, "report-rejects-place")),
        esc(&t(lang, "report-rejects-reason")),
        esc(&t(lang, "report-rejects-mentions"))
    );
    for r in rows.iter().take(LISTED) {
        let _ = write!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&r.place()),
            esc(&crate::i18n::reject_reason(lang, &r.row.reason)),
            esc(&mentions(r, lang, redactor))
        );
    }
    o.push_str("</table>");
    if rows.len() > LISTED {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            esc_with_code(
                &crate::tr!(
                    lang,
                    "report-rejects-more",
                    count = rows.len() - LISTED,
                    command = CODE
                ),
                COMMAND
            )
        );
    }
    if incomplete {
        let _ = write!(
            o,
            "<p class=\"note\">{}</p>",
            esc(&t(lang, "report-rejects-incomplete"))
        );
    }
    o
}
