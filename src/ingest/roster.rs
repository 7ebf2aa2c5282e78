//! Roster CSV files: people, accounts, systems, approvals, milestones, subjects. Columns are
//! found through the plan's roster mapping (`roster_map`: the field's own name, synonyms, or a
//! profile); columns no field reads are listed on the plan (`unread_columns`), not read; a row
//! missing a required value is a reject. Layouts are documented in the README.

use std::collections::HashMap;
use std::path::Path;

use chrono::Duration;

use super::{IngestError, Plan, Reject, clip, roster_map, text};
use crate::model::roster::{
    AccountLink, Approval, Milestone, Person, Scope, SourceKind, SubjectInfo, SystemInfo,
};
use crate::model::subject::normalize;
use crate::model::time::{TimeParser, TsFlags};
use crate::model::{CategorySet, Vocabulary};

/// One parsed roster row.
#[derive(Debug, Clone, PartialEq)]
pub enum RosterRow {
    Person(Person),
    Account(AccountLink),
    System(SystemInfo),
    Approval(Approval),
    Milestone(Milestone),
    Subject(SubjectInfo),
}

pub use super::roster_map::columns;

/// Parsed rows with their line numbers, rejects, and the number of data rows read.
pub struct RosterParse {
    pub rows: Vec<(u64, RosterRow)>,
    pub rejects: Vec<Reject>,
    pub rows_read: u64,
}

pub fn parse(path: &Path, plan: &Plan, vocab: &mut Vocabulary) -> Result<RosterParse, IngestError> {
    let file = std::fs::File::open(path).map_err(|e| IngestError::io(path, e))?;
    parse_from(Box::new(file), path, plan, vocab)
}

/// [`parse`] of bytes read elsewhere (the import's one read of the file); `path` names the
/// file in messages.
pub fn parse_from(
    input: Box<dyn std::io::Read + '_>,
    path: &Path,
    plan: &Plan,
    vocab: &mut Vocabulary,
) -> Result<RosterParse, IngestError> {
    let kind = plan.kind;
    let mapping = plan.roster_mapping.clone().unwrap_or_default();
    let reader = text::DecodeReader::new(input, plan.encoding);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(plan.delimiter)
        .flexible(true)
        .from_reader(super::lines::LineTrack::new(reader));
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| IngestError::file(path, format!("line 1: cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (field, col) in &mapping.columns {
        let Some(i) = roster_map::header_index(&headers, col) else {
            return Err(IngestError::file(
                path,
                format!(
                    "the mapping names column {col:?} for the {} field {field}, but the header has no such column (header: {})",
                    kind.as_str(),
                    headers.join(", ")
                ),
            ));
        };
        index.insert(field.as_str(), i);
    }
    let missing = mapping.missing(kind);
    if !missing.is_empty() {
        let fields: Vec<&str> = roster_map::fields(kind).collect();
        return Err(IngestError::file(
            path,
            format!(
                "a {kind} roster needs the column(s) {}; the header has: {}. Name the columns in a mapping profile (--map) with kind = \"{kind}\" and [columns] {} = \"<header>\" (fields: {})",
                missing.join(", "),
                headers.join(", "),
                missing[0],
                fields.join(", "),
                kind = kind.as_str(),
            ),
        ));
    }
    let time = TimeParser::new(plan.tz(), None);
    let mut out = RosterParse {
        rows: Vec::new(),
        rejects: Vec::new(),
        rows_read: 0,
    };
    let mut rec = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                out.rows_read += 1;
                out.rejects.push(Reject {
                    line: e
                        .position()
                        .map_or(0, |p| rdr.get_mut().record_line(p.byte())),
                    reason: format!("unreadable CSV record: {e}"),
                    raw: String::new(),
                });
                continue;
            }
        }
        // From the byte position: the csv crate's line counter counts LF only.
        let line = rec
            .position()
            .map_or(0, |p| rdr.get_mut().record_line(p.byte()));
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        out.rows_read += 1;
        let get = |c: &str| -> Option<String> {
            index
                .get(c)
                .and_then(|i| rec.get(*i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        match row(kind, &get, &time, vocab) {
            Ok(r) => out.rows.push((line, r)),
            Err(reason) => out.rejects.push(Reject {
                line,
                reason,
                raw: clip(&rec.iter().collect::<Vec<_>>().join(",")),
            }),
        }
    }
    Ok(out)
}

impl RosterRow {
    /// One line for previews: `system "jp-report-db" country=JP categories=[name, phone]`.
    pub fn describe(&self, vocab: &Vocabulary) -> String {
        let opt = |k: &str, v: &Option<String>| {
            v.as_ref()
                .map(|v| format!(" {k}={v:?}"))
                .unwrap_or_default()
        };
        let at = crate::model::time::format_utc;
        match self {
            RosterRow::Person(p) => format!(
                "person {:?} {:?}{}{}{}{}{}",
                p.key,
                p.display_name,
                opt("native_name", &p.native_name),
                opt("organization", &p.organization),
                opt("country", &p.country),
                opt("role", &p.role),
                opt("zone", &p.zone)
            ),
            RosterRow::Account(a) => format!(
                "account {:?} -> person {:?}{}",
                a.account,
                a.person_key,
                opt("note", &a.note)
            ),
            RosterRow::System(x) => format!(
                "system {:?}{} categories=[{}]{}",
                x.name,
                opt("country", &x.country),
                vocab.names(x.categories).join(", "),
                opt("description", &x.description)
            ),
            RosterRow::Approval(a) => format!(
                "approval person {:?} on {:?} from {} to {}{}{}{}",
                a.person_key,
                a.system,
                at(a.valid_from_us),
                at(a.valid_to_us),
                opt("approver", &a.approver_key),
                opt("overseer", &a.overseer_key),
                opt("ticket", &a.ticket)
            ),
            RosterRow::Milestone(m) => format!(
                "milestone {} {:?} kind={:?} scope={}{}",
                at(m.at_us),
                m.label,
                m.kind,
                m.scope.kind(),
                m.scope.value().map(|v| format!(":{v}")).unwrap_or_default()
            ),
            RosterRow::Subject(x) => format!(
                "subject {:?}{} aliases=[{}]",
                x.key,
                opt("country", &x.country),
                x.aliases.join(", ")
            ),
        }
    }
}

/// The first `n` rows of a roster file as the import would read them, for previews; a failure
/// to read rows at all comes back as a reject on line 0 with the reason.
pub fn preview_rows(
    path: &Path,
    plan: &Plan,
    vocab: &mut Vocabulary,
    n: usize,
) -> (Vec<(u64, RosterRow)>, Vec<Reject>) {
    match parse(path, plan, vocab) {
        Ok(mut p) => {
            p.rows.truncate(n);
            p.rejects.truncate(n);
            (p.rows, p.rejects)
        }
        Err(e) => (
            Vec::new(),
            vec![Reject {
                line: 0,
                reason: e.to_string(),
                raw: String::new(),
            }],
        ),
    }
}

/// The cells of one roster row, by field name (empty cells are `None`).
struct Cells<'a>(&'a dyn Fn(&str) -> Option<String>);

impl Cells<'_> {
    fn get(&self, c: &str) -> Option<String> {
        (self.0)(c)
    }

    fn need(&self, c: &str) -> Result<String, String> {
        self.get(c).ok_or_else(|| format!("{c} is empty"))
    }

    fn country(&self, c: &str) -> Result<Option<String>, String> {
        match self.get(c) {
            None => Ok(None),
            Some(v) if v.len() == 2 && v.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                Ok(Some(v.to_ascii_uppercase()))
            }
            Some(v) => Err(format!(
                "{c} {v:?} is not an ISO 3166 two-letter country code"
            )),
        }
    }
}

fn row(
    kind: SourceKind,
    get: &dyn Fn(&str) -> Option<String>,
    time: &TimeParser,
    vocab: &mut Vocabulary,
) -> Result<RosterRow, String> {
    let cells = Cells(get);
    Ok(match kind {
        SourceKind::People => person_row(&cells)?,
        SourceKind::Accounts => RosterRow::Account(AccountLink {
            account: cells.need("account")?,
            person_key: cells.need("person_id")?,
            note: match (cells.get("system"), cells.get("note")) {
                (Some(s), Some(n)) => Some(format!("system {s}; {n}")),
                (Some(s), None) => Some(format!("system {s}")),
                (None, n) => n,
            },
        }),
        SourceKind::Systems => system_row(&cells, vocab)?,
        SourceKind::Approvals => approval_row(&cells, time)?,
        SourceKind::Milestones => {
            let raw_at = cells.need("at")?;
            let at = time.parse(&raw_at).map_err(|e| format!("at: {e}"))?;
            RosterRow::Milestone(Milestone {
                at_us: at.ts_us,
                raw_at,
                label: cells.need("label")?,
                kind: cells.need("kind")?,
                scope: Scope::parse(&cells.get("scope").unwrap_or_default())?,
            })
        }
        SourceKind::Subjects => {
            let (key, _) = normalize(&cells.need("subject_id")?).ok_or("subject_id is empty")?;
            let aliases = ["phone", "email"]
                .iter()
                .filter_map(|c| cells.get(c).and_then(|v| normalize(&v)).map(|(k, _)| k))
                .filter(|k| *k != key)
                .collect();
            RosterRow::Subject(SubjectInfo {
                key,
                country: cells.country("country")?,
                aliases,
            })
        }
        SourceKind::Access => return Err("not a roster".into()),
    })
}

fn person_row(cells: &Cells) -> Result<RosterRow, String> {
    let zone = match cells.get("zone") {
        Some(z) => Some(crate::model::parse_zone(&z)?.name().to_string()),
        None => None,
    };
    Ok(RosterRow::Person(Person {
        key: cells.need("person_id")?,
        display_name: cells.need("display_name")?,
        native_name: cells.get("native_name"),
        organization: cells.get("organization"),
        country: cells.country("country")?,
        role: cells.get("role"),
        zone,
    }))
}

fn system_row(cells: &Cells, vocab: &mut Vocabulary) -> Result<RosterRow, String> {
    let mut set = CategorySet::default();
    for c in cells
        .get("categories")
        .unwrap_or_default()
        .split([';', ',', '|'])
        .filter(|c| !c.trim().is_empty())
    {
        set.insert(
            vocab
                .bit_or_insert(c)
                .ok_or("no room for more custom categories (64)")?,
        );
    }
    Ok(RosterRow::System(SystemInfo {
        name: cells.need("system")?,
        country: cells.country("country")?,
        categories: set,
        description: cells.get("description"),
    }))
}

fn approval_row(cells: &Cells, time: &TimeParser) -> Result<RosterRow, String> {
    let from = time
        .parse(&cells.need("valid_from")?)
        .map_err(|e| format!("valid_from: {e}"))?;
    let to = time
        .parse(&cells.need("valid_to")?)
        .map_err(|e| format!("valid_to: {e}"))?;
    // A date-only end means the whole of that day.
    let to_us = if to.flags.has(TsFlags::DATE_ONLY) {
        to.ts_us + Duration::days(1).num_microseconds().unwrap_or(0) - 1
    } else {
        to.ts_us
    };
    if to_us < from.ts_us {
        return Err("valid_to is before valid_from".into());
    }
    Ok(RosterRow::Approval(Approval {
        person_key: cells.need("person_id")?,
        system: cells.need("system")?,
        valid_from_us: from.ts_us,
        valid_to_us: to_us,
        approver_key: cells.get("approver"),
        overseer_key: cells.get("overseer"),
        ticket: cells.get("ticket"),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{SourceOptions, plan};

    #[test]
    fn people_roster_parses_and_rejects_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("people.csv");
        std::fs::write(
            &p,
            "person_id,display_name,native_name,organization,country,role,zone\n\
             P01,Chen Siyuan,陈思远,Hoshizora Technology (Shanghai),CN,engineer,Asia/Shanghai\n\
             P02,,x,y,JP,z,Asia/Tokyo\n\
             P03,Bad Zone,,Org,JP,r,Mars/Base\n",
        )
        .unwrap();
        let opts = SourceOptions {
            kind: Some(SourceKind::People),
            ..Default::default()
        };
        let pl = plan(&p, &opts).unwrap();
        let mut v = Vocabulary::default();
        let r = parse(&p, &pl, &mut v).unwrap();
        assert_eq!(r.rows_read, 3);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(r.rejects.len(), 2);
        assert_eq!(r.rejects[0].line, 3);
        assert!(r.rejects[0].reason.contains("display_name is empty"));
        assert!(r.rejects[1].reason.contains("unknown time zone"));
    }
}
