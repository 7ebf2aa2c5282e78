//! Schema 4: `account_subject`, per (account, data subject) the union of the categories of the
//! account's access events that touched the subject, and how many there were (see
//! `sql/004_account_subject.sql`). It depends on events only, so an access import folds its
//! events into an [`Accumulator`] as they are parsed and merges it in at the end; a case
//! upgraded to schema 4 has it rebuilt from every event. The impact tables read it instead of
//! `event`.

use std::collections::HashMap;

use rusqlite::{Connection, params};

use super::write::FastHash;

/// (account, subject) -> (categories, events); subject 0: the account's totals.
type Pairs = HashMap<(i64, i64), (u64, i64), FastHash>;

/// The rows of one import's events, gathered while they are parsed (off the writer thread).
#[derive(Default)]
pub struct Accumulator {
    pairs: Pairs,
    /// The accounts' totals rows (subject 0), apart: a few rows, touched by every event.
    totals: HashMap<i64, (u64, i64), FastHash>,
}

impl Accumulator {
    /// Adds one event: `account` 0 for none; only access events that touched subjects count.
    pub(super) fn add(&mut self, account: i64, categories: u64, access: bool, subjects: &[i64]) {
        if !access || subjects.is_empty() {
            return;
        }
        for &id in subjects {
            let e = self.pairs.entry((account, id)).or_default();
            e.0 |= categories;
            e.1 += 1;
        }
        let e = self.totals.entry(account).or_default();
        e.0 |= categories;
        e.1 += 1;
    }

    fn into_pairs(self) -> Pairs {
        let mut pairs = self.pairs;
        pairs.extend(self.totals.into_iter().map(|(a, v)| ((a, 0), v)));
        pairs
    }

    /// Merges the gathered rows into the table (inside the import's transaction).
    pub(super) fn merge_into(self, conn: &Connection) -> rusqlite::Result<()> {
        merge(conn, self.into_pairs())
    }
}

/// Adds the access events with `lo <= id <= hi` to `acc`, as an import would have.
fn collect(conn: &Connection, lo: i64, hi: i64, acc: &mut Accumulator) -> rusqlite::Result<()> {
    let mut st = conn.prepare(
        "SELECT coalesce(account_id, 0), categories, subject_ids FROM event
         WHERE id BETWEEN ?1 AND ?2 AND subject_ids IS NOT NULL
           AND coalesce(outcome, '') NOT IN ('denied', 'failed')",
    )?;
    let mut rows = st.query(params![lo, hi])?;
    let mut ids = Vec::new();
    while let Some(r) = rows.next()? {
        let account: i64 = r.get(0)?;
        let cats = r.get::<_, i64>(1)? as u64;
        let Some(text) = r.get_ref(2)?.as_str_or_null()? else {
            continue;
        };
        ids.clear();
        ids.extend(
            text.split_ascii_whitespace()
                .filter_map(|id| id.parse::<i64>().ok()),
        );
        acc.add(account, cats, true, &ids);
    }
    Ok(())
}

/// Merges `pairs` into the table, in key order.
fn merge(conn: &Connection, pairs: Pairs) -> rusqlite::Result<()> {
    let mut rows: Vec<[i64; 4]> = pairs
        .into_iter()
        .map(|((account, subject), (cats, n))| [account, subject, cats as i64, n])
        .collect();
    rows.sort_unstable();
    super::write::insert_int_rows(
        conn,
        "INSERT OR FAIL INTO account_subject(account_id, subject_id, categories, events) VALUES ",
        "ON CONFLICT(account_id, subject_id) DO UPDATE SET
           categories = categories | excluded.categories, events = events + excluded.events",
        &rows,
    )
}

/// Computes the rows of every event in the case (upgrade to schema 4, and `verify`).
pub(super) fn compute_all(conn: &Connection) -> rusqlite::Result<Vec<(i64, i64, u64, i64)>> {
    let mut acc = Accumulator::default();
    collect(conn, i64::MIN, i64::MAX, &mut acc)?;
    let mut rows: Vec<(i64, i64, u64, i64)> = acc
        .into_pairs()
        .into_iter()
        .map(|((a, s), (c, n))| (a, s, c, n))
        .collect();
    rows.sort_unstable();
    Ok(rows)
}

/// Rebuilds the table from every event (the upgrade to schema 4).
pub(super) fn rebuild_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM account_subject", [])?;
    let mut acc = Accumulator::default();
    collect(conn, i64::MIN, i64::MAX, &mut acc)?;
    acc.merge_into(conn)
}
