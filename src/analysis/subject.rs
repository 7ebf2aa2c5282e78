//! Data-subject lookup: "who saw this person's data". An identifier (user id, phone, e-mail) is
//! normalized as the importer normalized it, resolved directly or through an alias, and answered
//! with every event that touched the subject. When nothing did, the answer says so together with
//! the span the access logs cover — never a bare empty list.

use std::io::Write;

use chrono_tz::Tz;
use serde::Serialize;

use crate::case::{Case, Result, SubjectEventRow, SubjectRow};
use crate::model::CategorySet;
use crate::model::subject::normalize;
use crate::model::time::{format_in_zone, format_utc};

/// One event that touched the subject.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubjectHit {
    pub event_id: i64,
    pub ts_us: i64,
    pub person_key: Option<String>,
    pub person_name: Option<String>,
    pub account: Option<String>,
    /// Where the acting person works; `None` for accounts no roster maps.
    pub actor_country: Option<String>,
    pub system: Option<String>,
    /// Where the system stores its data.
    pub system_country: Option<String>,
    pub categories: Vec<String>,
    pub action: Option<String>,
    pub outcome: Option<String>,
    pub records: Option<i64>,
    /// Outcome neither denied nor failed.
    pub access: bool,
}

/// The answer for one identifier.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct SubjectAnswer {
    /// The identifier as given.
    pub query: String,
    /// The identifier after the importer's normalisation (`None`: blank).
    pub normalized: Option<String>,
    /// The subject it resolved to, if the case knows it.
    pub subject: Option<SubjectRow>,
    /// Resolved through an alias (a phone or e-mail of the subject) rather than its key.
    pub via_alias: bool,
    /// Events that touched the subject, oldest first (refused attempts included, marked).
    pub hits: Vec<SubjectHit>,
    /// Access events among the hits (events, not sessions or persons).
    pub access_events: usize,
    /// Distinct persons (or unmapped accounts) among the hits.
    pub distinct_actors: usize,
    /// The access logs' coverage (UTC µs).
    pub coverage_from_us: Option<i64>,
    pub coverage_to_us: Option<i64>,
    /// A sentence: how many events, or "no access recorded in sources covering ...".
    pub message: String,
}

/// The logs' coverage as dates in UTC: `2018-05-31 .. 2021-03-31`.
pub fn coverage_text(from_us: Option<i64>, to_us: Option<i64>) -> String {
    let day = |us: Option<i64>| {
        us.map(format_utc)
            .map(|s| s.chars().take(10).collect::<String>())
            .unwrap_or_else(|| "?".into())
    };
    format!("{} .. {} (UTC dates)", day(from_us), day(to_us))
}

/// A subject resolver that keeps the vocabulary and coverage for many lookups.
pub struct SubjectLookup<'a> {
    case: &'a Case,
    vocab: crate::model::Vocabulary,
    coverage: (Option<i64>, Option<i64>),
}

impl<'a> SubjectLookup<'a> {
    pub fn new(case: &'a Case) -> Result<Self> {
        Ok(SubjectLookup {
            case,
            vocab: case.vocabulary()?,
            coverage: case.access_coverage()?,
        })
    }

    pub fn answer(&self, query: &str) -> Result<SubjectAnswer> {
        let normalized = normalize(query).map(|(k, _)| k);
        let found = match &normalized {
            Some(k) => self.case.subject_by_key(k)?,
            None => None,
        };
        let (subject, via_alias) = match found {
            Some((s, alias)) => (Some(s), alias),
            None => (None, false),
        };
        let rows = match &subject {
            Some(s) => self.case.subject_events(s.id)?,
            None => Vec::new(),
        };
        let hits: Vec<SubjectHit> = rows.into_iter().map(|r| self.hit(r)).collect();
        let access_events = hits.iter().filter(|h| h.access).count();
        let actors: std::collections::HashSet<_> = hits
            .iter()
            .filter(|h| h.access)
            .map(|h| h.person_key.clone().or_else(|| h.account.clone()))
            .collect();
        let cover = coverage_text(self.coverage.0, self.coverage.1);
        let message = match (&normalized, &subject) {
            (None, _) => "blank identifier".to_string(),
            (Some(_), _) if access_events == 0 && hits.is_empty() => {
                let known = if subject.is_some() {
                    "known subject; "
                } else {
                    "identifier not in the subjects roster; "
                };
                format!("{known}no access recorded in sources covering {cover}")
            }
            _ => {
                let refused = hits.len() - access_events;
                let mut m = format!(
                    "{access_events} access events by {} persons/accounts",
                    actors.len()
                );
                if refused > 0 {
                    m.push_str(&format!(", {refused} refused attempts"));
                }
                m.push_str(&format!(" (sources cover {cover})"));
                m
            }
        };
        Ok(SubjectAnswer {
            query: query.to_string(),
            normalized,
            subject,
            via_alias,
            access_events,
            distinct_actors: actors.len(),
            hits,
            coverage_from_us: self.coverage.0,
            coverage_to_us: self.coverage.1,
            message,
        })
    }

    fn hit(&self, r: SubjectEventRow) -> SubjectHit {
        let e = r.event;
        SubjectHit {
            event_id: e.id,
            ts_us: e.ts_us,
            access: super::is_access(e.outcome.as_deref()),
            person_key: e.person_key,
            person_name: r.person_name,
            account: e.account,
            actor_country: r.actor_country,
            system: e.system,
            system_country: r.system_country,
            categories: self.vocab.names(CategorySet(e.categories)),
            action: e.action,
            outcome: e.outcome,
            records: e.records,
        }
    }
}

/// Answers one identifier.
pub fn lookup_subject(case: &Case, query: &str) -> Result<SubjectAnswer> {
    SubjectLookup::new(case)?.answer(query)
}

/// Answers many identifiers (blank lines skipped), in the given order.
pub fn lookup_subjects(case: &Case, queries: &[String]) -> Result<Vec<SubjectAnswer>> {
    let l = SubjectLookup::new(case)?;
    queries
        .iter()
        .filter(|q| !q.trim().is_empty())
        .map(|q| l.answer(q))
        .collect()
}

/// Identifiers from pasted text or a file: one per line (or comma/semicolon separated); a
/// header line `id`/`subject`/`identifier` is skipped.
pub fn parse_identifier_list(text: &str) -> Vec<String> {
    text.lines()
        .flat_map(|l| l.split([',', ';', '\t']))
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .filter(|t| {
            !matches!(
                t.to_lowercase().as_str(),
                "id" | "subject" | "identifier" | "subject_id"
            )
        })
        .map(str::to_string)
        .collect()
}

/// Answers many identifiers straight into CSV (as [`write_csv`]), one identifier at a time, so
/// a long list never holds every event in memory. Returns (identifiers answered, identifiers
/// with access events).
pub fn lookup_subjects_to_csv(
    case: &Case,
    queries: &[String],
    display_zone: Tz,
    mut out: impl Write,
) -> Result<(usize, usize)> {
    let l = SubjectLookup::new(case)?;
    let io = |e: std::io::Error| crate::case::CaseError::Invalid(format!("writing CSV: {e}"));
    let mut first = true;
    let (mut answered, mut touched) = (0, 0);
    for q in queries.iter().filter(|q| !q.trim().is_empty()) {
        let a = l.answer(q)?;
        answered += 1;
        touched += usize::from(a.access_events > 0);
        let mut buf = Vec::new();
        write_csv(std::slice::from_ref(&a), display_zone, &mut buf).map_err(io)?;
        // Every chunk starts with the header; keep only the first.
        let body = if first {
            &buf[..]
        } else {
            let nl = buf
                .iter()
                .position(|b| *b == b'\n')
                .map_or(buf.len(), |i| i + 1);
            &buf[nl..]
        };
        first = false;
        out.write_all(body).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok((answered, touched))
}

/// Writes a bulk answer as CSV: one row per (identifier, event); an identifier nothing touched
/// gets one row with no event and the coverage message. Times in UTC and in `display_zone`.
pub fn write_csv(
    answers: &[SubjectAnswer],
    display_zone: Tz,
    out: impl Write,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let local_col = format!("time ({})", display_zone.name());
    w.write_record([
        "query",
        "normalized",
        "subject_key",
        "subject_country",
        "event_id",
        "time_utc",
        local_col.as_str(),
        "person_id",
        "person",
        "account",
        "actor_country",
        "system",
        "system_country",
        "categories",
        "action",
        "outcome",
        "records",
        "note",
    ])?;
    for a in answers {
        let key = a
            .subject
            .as_ref()
            .map(|s| s.key.clone())
            .unwrap_or_default();
        let country = a
            .subject
            .as_ref()
            .and_then(|s| s.country.clone())
            .unwrap_or_default();
        let norm = a.normalized.clone().unwrap_or_default();
        if a.hits.is_empty() {
            w.write_record([
                a.query.as_str(),
                &norm,
                &key,
                &country,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                &a.message,
            ])?;
        }
        for h in &a.hits {
            let s = |v: &Option<String>| v.clone().unwrap_or_default();
            w.write_record([
                a.query.clone(),
                norm.clone(),
                key.clone(),
                country.clone(),
                h.event_id.to_string(),
                format_utc(h.ts_us),
                format_in_zone(h.ts_us, display_zone),
                s(&h.person_key),
                s(&h.person_name),
                s(&h.account),
                s(&h.actor_country),
                s(&h.system),
                s(&h.system_country),
                h.categories.join(" "),
                s(&h.action),
                s(&h.outcome),
                h.records.map(|r| r.to_string()).unwrap_or_default(),
                if h.access {
                    String::new()
                } else {
                    "refused attempt".into()
                },
            ])?;
        }
    }
    w.flush()
}
