//! Data-subject lookup: "who saw this person's data". An identifier (user id, phone, e-mail) is
//! normalized as the importer normalized it, resolved directly or through an alias, and answered
//! with every event that touched the subject. When nothing did, the answer says so together with
//! the span the access logs cover — never a bare empty list.

use std::collections::HashMap;
use std::io::Write;

use chrono_tz::Tz;
use serde::Serialize;

use super::Result;
use super::rejects::{RejectCallouts, RejectedRow, reject_callouts};
use crate::case::{Case, LinkedEvent, LinkedEvents, LookupNames, SubjectEventRow, SubjectRow};
use crate::i18n::Lang;
use crate::model::plural::count;
use crate::model::subject::normalize;
use crate::model::time::{format_in_zone, format_utc};
use crate::model::{CategorySet, Outcome};

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
    pub outcome: Option<Outcome>,
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
    /// A sentence: how many events, or "no access recorded in sources covering ...", and
    /// the rejected rows that mention the subject, if any.
    pub message: String,
    /// Rejected rows of access sources that mention the subject (`analysis::rejects`): the
    /// counts above may lack them, so they are "at least".
    pub rejected_rows: Vec<RejectedRow>,
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

/// [`coverage_text`] in `lang` (the English is the same text).
pub fn coverage_text_in(lang: Lang, from_us: Option<i64>, to_us: Option<i64>) -> String {
    let day = |us: Option<i64>| match us {
        Some(us) => match lang {
            Lang::En => format_utc(us).chars().take(10).collect::<String>(),
            Lang::Ja => chrono::DateTime::from_timestamp_micros(us).map_or_else(
                || format_utc(us),
                |d| crate::i18n::format_date(lang, d.date_naive()),
            ),
        },
        None => crate::tr!(lang, "analysis-subject-unknown-date"),
    };
    crate::tr!(
        lang,
        "analysis-subject-cover",
        from = day(from_us),
        to = day(to_us)
    )
}

impl SubjectAnswer {
    /// [`SubjectAnswer::message`] in `lang`, from the answer's own fields (the English equals
    /// `message`).
    pub fn message_in(&self, lang: Lang) -> String {
        let cover = coverage_text_in(lang, self.coverage_from_us, self.coverage_to_us);
        let mut m = if self.normalized.is_none() {
            crate::tr!(lang, "analysis-subject-blank")
        } else if self.access_events == 0 && self.hits.is_empty() {
            crate::tr!(
                lang,
                "analysis-subject-none",
                known = if self.subject.is_some() { "yes" } else { "no" },
                cover = cover
            )
        } else {
            crate::tr!(
                lang,
                "analysis-subject-found",
                events = self.access_events,
                actors = self.distinct_actors,
                refused = self.hits.len() - self.access_events,
                cover = cover
            )
        };
        if !self.rejected_rows.is_empty() {
            m.push_str(&rejected_note_in(lang, &self.rejected_rows));
        }
        m
    }
}

/// [`rejected_note`] in `lang`.
fn rejected_note_in(lang: Lang, rows: &[RejectedRow]) -> String {
    let places: Vec<String> = rows
        .iter()
        .take(5)
        .map(|r| {
            crate::tr!(
                lang,
                "analysis-subject-rejected-place",
                place = r.place(),
                reason = crate::i18n::reject_reason(lang, &r.row.reason)
            )
        })
        .collect();
    crate::tr!(
        lang,
        "analysis-subject-rejected",
        rows = rows.len().to_string(),
        form = if rows.len() == 1 { "one" } else { "many" },
        places = places.join(&crate::tr!(lang, "analysis-list-separator")),
        more = if rows.len() > 5 { "yes" } else { "no" }
    )
}

/// A subject resolver that keeps the vocabulary and coverage for many lookups.
pub struct SubjectLookup<'a> {
    case: &'a Case,
    vocab: crate::model::Vocabulary,
    coverage: (Option<i64>, Option<i64>),
    rejects: RejectCallouts,
}

impl<'a> SubjectLookup<'a> {
    pub fn new(case: &'a Case) -> Result<Self> {
        Ok(SubjectLookup {
            case,
            vocab: case.vocabulary()?,
            coverage: case.subjects().access_coverage()?,
            rejects: reject_callouts(case)?,
        })
    }

    /// The identifier normalized, the subject it resolves to, and whether through an alias.
    fn resolve(&self, query: &str) -> Result<(Option<String>, Option<SubjectRow>, bool)> {
        let normalized = normalize(query).map(|(k, _)| k);
        let found = match &normalized {
            Some(k) => self.case.subjects().subject_by_key(k)?,
            None => None,
        };
        Ok(match found {
            Some((s, alias)) => (normalized, Some(s), alias),
            None => (normalized, None, false),
        })
    }

    pub fn answer(&self, query: &str) -> Result<SubjectAnswer> {
        let (normalized, subject, via_alias) = self.resolve(query)?;
        let rows = match &subject {
            Some(s) => self.case.subjects().subject_events(s.id)?,
            None => Vec::new(),
        };
        let hits: Vec<SubjectHit> = rows.into_iter().map(|r| self.hit(r)).collect();
        Ok(self.finish(query, normalized, subject, via_alias, hits))
    }

    /// Answers many identifiers (blank ones skipped), in the given order, handing each answer
    /// to `sink` as it is ready. Identifiers are taken in batches of up to
    /// [`BULK_BATCH_LINKS`] (subject, event) links: the batch's event ids are sorted and read
    /// in one ordered pass over `event` (names from memory), instead of one query per
    /// identifier seeking each event. Answers equal [`SubjectLookup::answer`]'s.
    pub fn answer_many(
        &self,
        queries: &[String],
        sink: impl FnMut(SubjectAnswer) -> Result<()>,
    ) -> Result<()> {
        self.answer_in_batches(queries, BULK_BATCH_LINKS, sink)
    }

    /// [`SubjectLookup::answer_many`] with batches of about `batch_links` links.
    pub fn answer_in_batches(
        &self,
        queries: &[String],
        batch_links: usize,
        mut sink: impl FnMut(SubjectAnswer) -> Result<()>,
    ) -> Result<()> {
        let names = self.case.subjects().lookup_names()?;
        let mut categories: HashMap<u64, Vec<String>> = HashMap::new();
        let queries: Vec<&String> = queries.iter().filter(|q| !q.trim().is_empty()).collect();
        let mut next = 0;
        while next < queries.len() {
            let mut batch = Vec::new();
            let mut links = 0;
            while next < queries.len() && (batch.is_empty() || links < batch_links) {
                let q = queries[next];
                let (normalized, subject, via_alias) = self.resolve(q)?;
                let ids = match &subject {
                    Some(s) => self.case.subjects().subject_event_ids(s.id)?,
                    None => Vec::new(),
                };
                links += ids.len();
                batch.push((q, normalized, subject, via_alias, ids));
                next += 1;
            }
            // (event id, identifier in the batch), in event id order: one ordered read of the
            // events, then one merge hands each identifier its events.
            let mut pairs: Vec<(i64, u32)> = batch
                .iter()
                .enumerate()
                .flat_map(|(i, b)| b.4.iter().map(move |id| (*id, i as u32)))
                .collect();
            pairs.sort_unstable();
            let mut all: Vec<i64> = pairs.iter().map(|p| p.0).collect();
            all.dedup();
            let linked = self.case.subjects().events_by_sorted_ids(&all)?;
            let events = &linked.events;
            let mut per: Vec<Vec<u32>> = batch
                .iter()
                .map(|b| Vec::with_capacity(b.4.len()))
                .collect();
            let mut e = 0;
            for (id, i) in pairs {
                while e < events.len() && events[e].id < id {
                    e += 1;
                }
                // An id without an event (a damaged case) gives no hit.
                if e < events.len() && events[e].id == id {
                    per[i as usize].push(e as u32);
                }
            }
            for ((q, normalized, subject, via_alias, _), positions) in batch.into_iter().zip(per) {
                let mut rows: Vec<&LinkedEvent> =
                    positions.iter().map(|p| &events[*p as usize]).collect();
                rows.sort_by_key(|e| (e.ts_us, e.id));
                let hits = rows
                    .into_iter()
                    .map(|e| self.linked_hit(e, &linked, &names, &mut categories))
                    .collect();
                sink(self.finish(q, normalized, subject, via_alias, hits))?;
            }
        }
        Ok(())
    }

    fn linked_hit(
        &self,
        e: &LinkedEvent,
        linked: &LinkedEvents,
        names: &LookupNames,
        categories: &mut HashMap<u64, Vec<String>>,
    ) -> SubjectHit {
        let account = names.accounts.get(&i64::from(e.account_id));
        let system = names.systems.get(&i64::from(e.system_id));
        let outcome = linked.value(e.outcome);
        SubjectHit {
            event_id: e.id,
            ts_us: e.ts_us,
            access: super::is_access(outcome),
            person_key: account.and_then(|a| a.person_key.clone()),
            person_name: account.and_then(|a| a.person_name.clone()),
            account: account.map(|a| a.name.clone()),
            actor_country: account.and_then(|a| a.person_country.clone()),
            system: system.map(|s| s.0.clone()),
            system_country: system.and_then(|s| s.1.clone()),
            categories: categories
                .entry(e.categories)
                .or_insert_with(|| self.vocab.names(CategorySet(e.categories)))
                .clone(),
            action: linked.value(e.action).map(str::to_string),
            outcome: outcome.map(Outcome::from_stored),
            records: e.records,
        }
    }

    fn finish(
        &self,
        query: &str,
        normalized: Option<String>,
        subject: Option<SubjectRow>,
        via_alias: bool,
        hits: Vec<SubjectHit>,
    ) -> SubjectAnswer {
        let access_events = hits.iter().filter(|h| h.access).count();
        let actors: std::collections::HashSet<_> = hits
            .iter()
            .filter(|h| h.access)
            .map(|h| h.person_key.clone().or_else(|| h.account.clone()))
            .collect();
        let cover = coverage_text(self.coverage.0, self.coverage.1);
        let rejected_rows: Vec<RejectedRow> = subject
            .as_ref()
            .map(|s| self.rejects.for_subject(&s.key).cloned().collect())
            .unwrap_or_default();
        let mut message = match (&normalized, &subject) {
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
                    "{} by {}",
                    count(access_events, "access event", "access events"),
                    count(actors.len(), "person or account", "persons/accounts")
                );
                if refused > 0 {
                    m.push_str(&format!(
                        ", {}",
                        count(refused, "refused attempt", "refused attempts")
                    ));
                }
                m.push_str(&format!(" (sources cover {cover})"));
                m
            }
        };
        if !rejected_rows.is_empty() {
            message.push_str(&rejected_note(&rejected_rows));
        }
        SubjectAnswer {
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
            rejected_rows,
        }
    }

    fn hit(&self, r: SubjectEventRow) -> SubjectHit {
        let e = r.event;
        SubjectHit {
            event_id: e.id,
            ts_us: e.ts_us,
            access: crate::model::is_access_outcome(e.outcome.as_ref()),
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

/// "; at least: 1 rejected row mentions this subject (sh_admin_tool.csv:46: reason)".
fn rejected_note(rows: &[RejectedRow]) -> String {
    let places: Vec<String> = rows
        .iter()
        .take(5)
        .map(|r| format!("{}: {}", r.place(), r.row.reason))
        .collect();
    format!(
        "; at least: {} rejected {} of an access log {} this subject, not counted ({}{})",
        rows.len(),
        if rows.len() == 1 { "row" } else { "rows" },
        if rows.len() == 1 {
            "mentions"
        } else {
            "mention"
        },
        places.join("; "),
        if rows.len() > 5 { "; …" } else { "" }
    )
}

/// Answers one identifier.
pub fn lookup_subject(case: &Case, query: &str) -> Result<SubjectAnswer> {
    SubjectLookup::new(case)?.answer(query)
}

/// (subject, event) links per batch of a bulk lookup: bounds the memory a batch's events take
/// (~100 bytes each, so up to ~400 MB). Each batch is one ordered pass over the part of `event`
/// its ids span, so fewer, larger batches read less.
pub const BULK_BATCH_LINKS: usize = 4_000_000;

/// Answers many identifiers (blank lines skipped), in the given order.
pub fn lookup_subjects(case: &Case, queries: &[String]) -> Result<Vec<SubjectAnswer>> {
    let l = SubjectLookup::new(case)?;
    let mut out = Vec::new();
    l.answer_many(queries, |a| {
        out.push(a);
        Ok(())
    })?;
    Ok(out)
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

/// Answers many identifiers straight into CSV (as [`write_csv`]), a batch at a time (see
/// [`SubjectLookup::answer_many`]), so a long list never holds every event in memory. Returns (identifiers answered, identifiers
/// with access events).
pub fn lookup_subjects_to_csv(
    case: &Case,
    queries: &[String],
    display_zone: Tz,
    mut out: impl Write,
) -> Result<(usize, usize)> {
    let l = SubjectLookup::new(case)?;
    let io = super::AnalysisError::WritingCsv;
    let mut first = true;
    let (mut answered, mut touched) = (0, 0);
    l.answer_many(queries, |a| {
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
        out.write_all(body).map_err(io)
    })?;
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
    // The project's one CSV writer: text cells neutralised against formulas.
    let mut w = crate::model::csv::CsvWriter::new(out);
    let local = LocalTime::new();
    let local_col = format!("time ({})", display_zone.name());
    w.row([
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
            w.row([
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
        // Borrowed fields: a bulk answer writes millions of rows.
        fn s(v: &Option<String>) -> &str {
            v.as_deref().unwrap_or("")
        }
        for h in &a.hits {
            let (id, utc, local) = (
                h.event_id.to_string(),
                format_utc(h.ts_us),
                local.format(h.ts_us, display_zone),
            );
            let categories = h.categories.join(" ");
            let records = h.records.map(|r| r.to_string()).unwrap_or_default();
            w.row([
                a.query.as_str(),
                &norm,
                &key,
                &country,
                &id,
                &utc,
                &local,
                s(&h.person_key),
                s(&h.person_name),
                s(&h.account),
                s(&h.actor_country),
                s(&h.system),
                s(&h.system_country),
                &categories,
                s(&h.action),
                h.outcome.as_ref().map_or("", Outcome::as_str),
                &records,
                if h.access { "" } else { "refused attempt" },
            ])?;
        }
        rejected_csv_rows(&mut w, a, [&norm, &key, &country])?;
    }
    w.flush()
}

/// One CSV row per rejected row that mentions the answer's subject: no event, the place and
/// reason in the note.
fn rejected_csv_rows<W: Write>(
    w: &mut crate::model::csv::CsvWriter<W>,
    a: &SubjectAnswer,
    [norm, key, country]: [&str; 3],
) -> std::io::Result<()> {
    for r in &a.rejected_rows {
        let note = format!(
            "rejected row {} ({}), not counted: {}",
            r.place(),
            r.row.reason,
            r.mentions_text()
        );
        let mut cells = vec![a.query.as_str(), norm, key, country];
        cells.extend([""; 13]);
        cells.push(&note);
        w.row(cells)?;
    }
    Ok(())
}

/// [`format_in_zone`] with its formats parsed once: a bulk answer formats millions of times.
struct LocalTime {
    whole: Vec<chrono::format::Item<'static>>,
    micros: Vec<chrono::format::Item<'static>>,
}

impl LocalTime {
    fn new() -> LocalTime {
        use chrono::format::StrftimeItems;
        LocalTime {
            whole: StrftimeItems::new("%Y-%m-%d %H:%M:%S %:z").collect(),
            micros: StrftimeItems::new("%Y-%m-%d %H:%M:%S%.6f %:z").collect(),
        }
    }

    fn format(&self, ts_us: i64, zone: Tz) -> String {
        match chrono::DateTime::from_timestamp_micros(ts_us) {
            Some(dt) => {
                let items = if ts_us % 1_000_000 == 0 {
                    &self.whole
                } else {
                    &self.micros
                };
                dt.with_timezone(&zone)
                    .format_with_items(items.iter())
                    .to_string()
            }
            None => format_in_zone(ts_us, zone),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_time_formats_as_format_in_zone() {
        let f = LocalTime::new();
        for ts in [
            0,
            1_614_151_200_000_000,
            1_614_151_200_123_456,
            -1,
            i64::MAX,
        ] {
            for zone in [
                chrono_tz::UTC,
                chrono_tz::Asia::Tokyo,
                chrono_tz::Asia::Kolkata,
            ] {
                assert_eq!(f.format(ts, zone), format_in_zone(ts, zone), "{ts} {zone}");
            }
        }
    }
}
