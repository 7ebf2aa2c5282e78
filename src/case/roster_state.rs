//! What the rosters put in a case, read out in a form two cases can be compared in: rows keyed
//! by their natural key (person id, account name, system name, subject key, alias, or for
//! approvals and milestones the source line they came from), fields as text. The verify
//! re-derives the rosters from their stored originals into a scratch case
//! ([`Case::scratch`]) and compares its state with the case's (`ops::verify_inputs`).

use super::facade::{People, Writes};
use std::collections::BTreeMap;
use std::path::PathBuf;

use rusqlite::Connection;

use super::{Case, Result, sql_err};
use crate::model::Vocabulary;

/// One row: (field, value as text), in a fixed field order.
pub type RosterFields = Vec<(&'static str, String)>;

/// One table's rows by natural key.
type Rows = BTreeMap<String, RosterFields>;

/// A row's source id as the state shows it (through the caller's id mapping).
type SourceName<'a> = dyn Fn(Option<i64>) -> String + 'a;

/// Per table, per natural key, the row's fields.
#[derive(Debug, Default, PartialEq)]
pub struct RosterState {
    pub tables: BTreeMap<&'static str, BTreeMap<String, RosterFields>>,
}

/// The tables whose rows an access import creates bare (a name and nothing else) when an event
/// names an account, system or subject no roster has: such rows are not re-derived.
pub const BARE_TABLES: &[&str] = &["account", "system", "subject"];

/// Whether a row holds nothing but what an access import writes (its name and a kind).
pub fn is_bare(fields: &RosterFields) -> bool {
    fields
        .iter()
        .all(|(f, v)| *f == "kind" || v == "None" || v == "0")
}

fn opt<T: std::fmt::Debug>(v: Option<T>) -> String {
    match v {
        Some(v) => format!("{v:?}"),
        None => "None".into(),
    }
}

impl Case {
    /// An empty case in memory, for re-deriving rosters: never written to disk.
    pub fn scratch() -> Result<Case> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory().map_err(|e| sql_err(&path, e))?;
        let mut case = Case {
            conn,
            damage: super::damage::DamageCheck::not_needed(),
            path,
            read_only: false,
            _writer: None,
            _copy: None,
            spill_run: None,
        };
        case.migrate()?;
        Ok(case)
    }
}

impl Writes<'_> {
    /// Adds `vocab`'s category names at their bits, so rows read with it get the same bits.
    pub fn seed_vocabulary(&mut self, vocab: &Vocabulary) -> Result<()> {
        self.with_tx(|c| {
            let mut st = c.prepare("INSERT OR IGNORE INTO category(bit, name) VALUES (?1, ?2)")?;
            for (bit, name) in vocab.entries() {
                st.execute(rusqlite::params![bit, name])?;
            }
            Ok(())
        })
    }
}

impl People<'_> {
    /// The roster tables and the rejects of `sources`; every source id is written through
    /// `source_id` (a scratch case's ids become the case's).
    pub fn roster_state(
        &self,
        sources: &[i64],
        source_id: &dyn Fn(i64) -> i64,
    ) -> Result<RosterState> {
        let sid = |v: Option<i64>| opt(v.map(source_id));
        let mut out = RosterState::default();
        out.tables.insert("person", self.person_rows(&sid)?);
        out.tables.insert("account", self.account_rows(&sid)?);
        out.tables.insert("system", self.system_rows(&sid)?);
        out.tables.insert("approval", self.approval_rows(&sid)?);
        out.tables.insert("milestone", self.milestone_rows(&sid)?);
        out.tables.insert("subject", self.subject_rows()?);
        out.tables.insert("subject_alias", self.alias_rows()?);
        out.tables
            .insert("reject", self.reject_rows(sources, &sid)?);
        Ok(out)
    }

    /// `person` by person id.
    fn person_rows(&self, sid: &SourceName) -> Result<Rows> {
        let person = self.query_vec(
            "SELECT person_key, display_name, native_name, organization, country, role, zone,
                    source_id, line FROM person",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                    r.get::<_, Option<i64>>(8)?,
                ))
            },
        )?;
        Ok(person
            .into_iter()
            .map(|(k, name, native, org, country, role, zone, s, line)| {
                (
                    k,
                    vec![
                        ("display_name", format!("{name:?}")),
                        ("native_name", opt(native)),
                        ("organization", opt(org)),
                        ("country", opt(country)),
                        ("role", opt(role)),
                        ("zone", opt(zone)),
                        ("source", sid(s)),
                        ("line", opt(line)),
                    ],
                )
            })
            .collect())
    }

    /// `account` by account name, with its person's id.
    fn account_rows(&self, sid: &SourceName) -> Result<Rows> {
        let account = self.query_vec(
            "SELECT a.name, p.person_key, a.note, a.source_id, a.line
             FROM account a LEFT JOIN person p ON p.id = a.person_id",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<i64>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                ))
            },
        )?;
        Ok(account
            .into_iter()
            .map(|(k, person, note, s, line)| {
                (
                    k,
                    vec![
                        ("person", opt(person)),
                        ("note", opt(note)),
                        ("source", sid(s)),
                        ("line", opt(line)),
                    ],
                )
            })
            .collect())
    }

    /// `system` by system name.
    fn system_rows(&self, sid: &SourceName) -> Result<Rows> {
        let system = self.query_vec(
            "SELECT name, country, categories, description, source_id, line FROM system",
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                ))
            },
        )?;
        Ok(system
            .into_iter()
            .map(|(k, country, cats, desc, s, line)| {
                (
                    k,
                    vec![
                        ("country", opt(country)),
                        ("categories", cats.to_string()),
                        ("description", opt(desc)),
                        ("source", sid(s)),
                        ("line", opt(line)),
                    ],
                )
            })
            .collect())
    }

    /// `approval` by the source line it came from, people and systems by name.
    fn approval_rows(&self, sid: &SourceName) -> Result<Rows> {
        let approval = self.query_vec(
            "SELECT p.person_key, s.name, a.valid_from_us, a.valid_to_us, ap.person_key,
                    ov.person_key, a.ticket, a.source_id, a.line
             FROM approval a
             LEFT JOIN person p ON p.id = a.person_id
             LEFT JOIN system s ON s.id = a.system_id
             LEFT JOIN person ap ON ap.id = a.approver_id
             LEFT JOIN person ov ON ov.id = a.overseer_id
             ORDER BY a.id",
            [],
            |r| {
                Ok((
                    r.get::<_, Option<String>>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                    r.get::<_, Option<i64>>(8)?,
                ))
            },
        )?;
        let mut approvals = BTreeMap::new();
        for (person, system, from, to, approver, overseer, ticket, s, line) in approval {
            let key = line_key(&approvals, &sid(s), line);
            approvals.insert(
                key,
                vec![
                    ("person", opt(person)),
                    ("system", opt(system)),
                    ("valid_from_us", from.to_string()),
                    ("valid_to_us", to.to_string()),
                    ("approver", opt(approver)),
                    ("overseer", opt(overseer)),
                    ("ticket", opt(ticket)),
                ],
            );
        }
        Ok(approvals)
    }

    /// `milestone` by the source line it came from.
    fn milestone_rows(&self, sid: &SourceName) -> Result<Rows> {
        let milestone = self.query_vec(
            "SELECT at_us, raw_at, label, kind, scope_kind, scope_value, source_id, line
             FROM milestone ORDER BY id",
            [],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<i64>>(6)?,
                    r.get::<_, Option<i64>>(7)?,
                ))
            },
        )?;
        let mut milestones = BTreeMap::new();
        for (at, raw, label, kind, scope_kind, scope_value, s, line) in milestone {
            let key = line_key(&milestones, &sid(s), line);
            milestones.insert(
                key,
                vec![
                    ("at_us", at.to_string()),
                    ("raw_at", format!("{raw:?}")),
                    ("label", format!("{label:?}")),
                    ("kind", format!("{kind:?}")),
                    ("scope_kind", format!("{scope_kind:?}")),
                    ("scope_value", opt(scope_value)),
                ],
            );
        }
        Ok(milestones)
    }

    /// `subject` by subject key.
    fn subject_rows(&self) -> Result<Rows> {
        let subject = self.query_vec("SELECT key, kind, country FROM subject", [], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        Ok(subject
            .into_iter()
            .map(|(k, kind, country)| {
                (
                    k,
                    vec![("kind", format!("{kind:?}")), ("country", opt(country))],
                )
            })
            .collect())
    }

    /// `subject_alias` by alias, with its subject's key.
    fn alias_rows(&self) -> Result<Rows> {
        let alias = self.query_vec(
            "SELECT a.alias, s.key FROM subject_alias a LEFT JOIN subject s ON s.id = a.subject_id",
            [],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?)),
        )?;
        Ok(alias
            .into_iter()
            .map(|(k, subject)| (k, vec![("subject", opt(subject))]))
            .collect())
    }

    /// The rejects of `sources` by the source line they came from.
    fn reject_rows(&self, sources: &[i64], sid: &SourceName) -> Result<Rows> {
        let mut rejects = BTreeMap::new();
        for &s in sources {
            let rows = self.query_vec(
                "SELECT line, reason, raw FROM reject WHERE source_id = ?1 ORDER BY id",
                [s],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )?;
            for (line, reason, raw) in rows {
                let key = line_key(&rejects, &sid(Some(s)), Some(line));
                rejects.insert(
                    key,
                    vec![
                        ("reason", format!("{reason:?}")),
                        ("raw", format!("{raw:?}")),
                    ],
                );
            }
        }
        Ok(rejects)
    }
}

/// `source Some(2) line 5`, with ` #2`, ` #3`... for further rows from the same line.
fn line_key(map: &BTreeMap<String, RosterFields>, source: &str, line: Option<i64>) -> String {
    let base = format!("source {source} line {}", opt(line));
    if !map.contains_key(&base) {
        return base;
    }
    (2..)
        .map(|n| format!("{base} #{n}"))
        .find(|k| !map.contains_key(k))
        .unwrap_or(base)
}
