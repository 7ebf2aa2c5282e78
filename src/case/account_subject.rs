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

/// Cells the per-account arrays may hold in all (16 bytes each: 64 MiB).
const DENSE_MAX_CELLS: usize = 1 << 22;

/// The rows of one import's events, gathered while they are parsed (off the writer thread).
///
/// Subject ids are dense (numbered from 1 as subjects are first seen), and accounts are few:
/// each account's cells are an array indexed by subject id, one cache miss per link where a
/// hash map of (account, subject) pairs took two (at 10 M events it held 1.7 M pairs, far
/// beyond the caches). Cells the arrays cannot take within `DENSE_MAX_CELLS` go to the map.
#[derive(Default)]
pub struct Accumulator {
    /// account -> its index in `dense`.
    slots: HashMap<i64, usize, FastHash>,
    /// Per account: subject id -> (categories, events); events 0 = no row.
    dense: Vec<(i64, Vec<(u64, i64)>)>,
    dense_cells: usize,
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
        let slot = match self.slots.get(&account) {
            Some(s) => *s,
            None => {
                self.dense.push((account, Vec::new()));
                self.slots.insert(account, self.dense.len() - 1);
                self.dense.len() - 1
            }
        };
        let cells = &mut self.dense[slot].1;
        for &id in subjects {
            let i = id as usize;
            if id >= 0 && i >= cells.len() {
                // Grow to cover `i` (doubling, so a rising run of ids is amortized) if the
                // budget allows.
                let want = (i + 1).max(cells.len() * 2).min(i + 1 + (1 << 16));
                if self.dense_cells + (want - cells.len()) <= DENSE_MAX_CELLS {
                    self.dense_cells += want - cells.len();
                    cells.resize(want, (0, 0));
                }
            }
            let e = match cells.get_mut(i) {
                Some(e) if id >= 0 => e,
                _ => self.pairs.entry((account, id)).or_default(),
            };
            e.0 |= categories;
            e.1 += 1;
        }
        let e = self.totals.entry(account).or_default();
        e.0 |= categories;
        e.1 += 1;
    }

    fn into_pairs(self) -> Pairs {
        let mut pairs = self.pairs;
        for (account, cells) in self.dense {
            for (id, (cats, n)) in cells.into_iter().enumerate() {
                if n > 0 {
                    // A pair may have gone to the map before its array grew over it.
                    let e = pairs.entry((account, id as i64)).or_default();
                    e.0 |= cats;
                    e.1 += n;
                }
            }
        }
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
    let mut st = conn.prepare(&format!(
        "SELECT coalesce(account_id, 0), categories, subject_ids FROM event
         WHERE id BETWEEN ?1 AND ?2 AND subject_ids IS NOT NULL AND {}",
        crate::model::access_sql("outcome")
    ))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The arrays and the map together give what one map of every pair gives, including ids
    /// beyond the arrays' budget.
    #[test]
    fn arrays_and_map_add_up_to_every_pair() {
        let mut acc = Accumulator::default();
        let mut want: Pairs = HashMap::default();
        let mut x: u64 = 7;
        for step in 0..20_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let account = (x % 5) as i64;
            let far = if step % 97 == 0 { 5_000_000 } else { 0 };
            let subjects = [(x >> 8) as i64 % 3000 + 1 + far, (x >> 20) as i64 % 40 + 1];
            let cats = 1u64 << (x % 6);
            let access = step % 11 != 0;
            acc.add(account, cats, access, &subjects);
            if access {
                for s in subjects {
                    let e = want.entry((account, s)).or_default();
                    e.0 |= cats;
                    e.1 += 1;
                }
                let e = want.entry((account, 0)).or_default();
                e.0 |= cats;
                e.1 += 1;
            }
        }
        assert!(!acc.pairs.is_empty(), "ids past the budget went to the map");
        assert_eq!(acc.into_pairs(), want);
    }
}
