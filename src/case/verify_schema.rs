//! The schema check of the plain `verify`: the case's tables, indexes and triggers against what
//! its schema version defines, made by running this build's migrations up to that version in
//! an empty in-memory database. A dropped, added or altered object (the custody log's
//! append-only triggers, say) is named.

use std::collections::BTreeMap;

use rusqlite::Connection;

use super::{Case, INDEXES, MIGRATIONS, Result, VerifyProblem};

/// (type, name) -> SQL text, of every schema object but SQLite's own statistics tables.
fn objects(conn: &Connection) -> rusqlite::Result<BTreeMap<(String, String), String>> {
    let mut st = conn.prepare(
        "SELECT type, name, coalesce(sql, '') FROM sqlite_master
         WHERE name NOT LIKE 'sqlite_stat%'",
    )?;
    let rows = st.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    rows.collect()
}

/// What schema version `version` defines, built in memory.
fn expected(version: i32) -> rusqlite::Result<BTreeMap<(String, String), String>> {
    let conn = Connection::open_in_memory()?;
    for (i, sql) in MIGRATIONS.iter().enumerate().take(version.max(0) as usize) {
        conn.execute_batch(sql)?;
        if i == 0 {
            conn.execute_batch(INDEXES)?;
        }
    }
    objects(&conn)
}

impl Case {
    pub(super) fn check_schema(&self, problems: &mut Vec<VerifyProblem>) -> Result<()> {
        let e = |err| self.err(err);
        let version: i32 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(e)?;
        let want = expected(version).map_err(e)?;
        let have = objects(&self.conn).map_err(e)?;
        for ((kind, name), sql) in &want {
            match have.get(&(kind.clone(), name.clone())) {
                None => problems.push(VerifyProblem {
                    what: format!("schema: {kind} {name}"),
                    why: format!(
                        "is missing; schema version {version} defines it (it was dropped)"
                    ),
                }),
                Some(h) if h != sql => problems.push(VerifyProblem {
                    what: format!("schema: {kind} {name}"),
                    why: format!(
                        "differs from what schema version {version} defines: {h:?}, expected {sql:?}"
                    ),
                }),
                Some(_) => {}
            }
        }
        for (kind, name) in have.keys() {
            if !want.contains_key(&(kind.clone(), name.clone())) {
                problems.push(VerifyProblem {
                    what: format!("schema: {kind} {name}"),
                    why: format!("is not part of schema version {version} (it was added)"),
                });
            }
        }
        Ok(())
    }
}
