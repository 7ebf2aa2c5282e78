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

/// Cells (arrays and map) an import's accumulator holds before it spills them as a sorted
/// run (the map's share, 1 Mi pairs, is ~66 MiB).
pub(super) const SPILL_CELLS: usize = DENSE_MAX_CELLS + (1 << 20);

/// One gathered row as a spilled run holds it: (account, subject, categories, events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Row(i64, i64, u64, i64);

impl super::links::Record for Row {
    const BYTES: usize = 32;
    fn put(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        for v in [self.0, self.1, self.2 as i64, self.3] {
            out.write_all(&v.to_le_bytes())?;
        }
        Ok(())
    }
    fn get(b: &[u8]) -> Self {
        let w = |i: usize| {
            let mut a = [0u8; 8];
            a.copy_from_slice(&b[i * 8..i * 8 + 8]);
            i64::from_le_bytes(a)
        };
        Row(w(0), w(1), w(2) as u64, w(3))
    }
}

/// Where an import's accumulator spills, and from how many cells on.
pub(super) struct SpillTo {
    pub path: std::path::PathBuf,
    pub cells: usize,
}

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
    /// An import's: where the cells go as sorted runs when they pass the budget, so the
    /// accumulator stays bounded however many (account, subject) pairs a file has.
    spill_to: Option<SpillTo>,
    spill: Option<super::links::Spill<Row>>,
}

impl Accumulator {
    /// An accumulator that spills (see [`Accumulator::bound`]).
    pub(super) fn spilling(to: SpillTo) -> Accumulator {
        Accumulator {
            spill_to: Some(to),
            ..Default::default()
        }
    }

    /// Spills the cells as a sorted run if they passed the budget (a spilling accumulator;
    /// called between batches).
    pub(super) fn bound(&mut self) -> std::io::Result<()> {
        match &self.spill_to {
            Some(to) if self.dense_cells + self.pairs.len() > to.cells => self.spill_run(),
            _ => Ok(()),
        }
    }

    /// What a failure of the spill file says.
    pub(super) fn describe(&self, e: &std::io::Error) -> String {
        let path = self.spill_to.as_ref().map(|t| t.path.as_path());
        super::links::describe(path.unwrap_or(std::path::Path::new("")), e)
    }

    /// Writes the cells (not the totals) as one sorted run and empties them.
    fn spill_run(&mut self) -> std::io::Result<()> {
        let Some(to) = &self.spill_to else {
            return Ok(());
        };
        if self.spill.is_none() {
            self.spill = Some(super::links::Spill::create(&to.path)?);
        }
        let mut pairs: Vec<Row> = std::mem::take(&mut self.pairs)
            .into_iter()
            .map(|((a, s), (c, n))| Row(a, s, c, n))
            .collect();
        pairs.sort_unstable();
        let mut dense = std::mem::take(&mut self.dense);
        dense.sort_unstable_by_key(|(a, _)| *a);
        self.slots.clear();
        self.dense_cells = 0;
        let cells = dense.iter().flat_map(|(account, cells)| {
            cells
                .iter()
                .enumerate()
                .filter(|(_, (_, n))| *n > 0)
                .map(move |(id, &(c, n))| Row(*account, id as i64, c, n))
        });
        // Both in (account, subject) order: merged into one run.
        let mut a = cells.peekable();
        let mut b = pairs.into_iter().peekable();
        let merged = std::iter::from_fn(move || match (a.peek(), b.peek()) {
            (Some(x), Some(y)) if y < x => b.next(),
            (Some(_), _) => a.next(),
            (None, _) => b.next(),
        });
        match self.spill.as_mut() {
            Some(spill) => spill.write_run(merged),
            None => Ok(()),
        }
    }

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
    pub(super) fn merge_into(mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.spill.is_none() {
            return merge(conn, self.into_pairs());
        }
        // The spilled runs, the cells still held (a last run) and the totals, merged in key
        // order; a key in several runs is added up.
        let io = |acc: &Accumulator, e: std::io::Error| {
            rusqlite::Error::ToSqlConversionFailure(acc.describe(&e).into())
        };
        self.spill_run().map_err(|e| io(&self, e))?;
        let mut totals: Vec<Row> = std::mem::take(&mut self.totals)
            .into_iter()
            .map(|(a, (c, n))| Row(a, 0, c, n))
            .collect();
        totals.sort_unstable();
        let mut batch: Vec<[i64; 4]> = Vec::with_capacity(MERGE_BATCH);
        let mut cur: Option<Row> = None;
        let flush = |batch: &mut Vec<[i64; 4]>| -> rusqlite::Result<()> {
            let r = upsert(conn, batch);
            batch.clear();
            r
        };
        let Some(spill) = self.spill.as_ref() else {
            return Ok(());
        };
        spill
            .merge(totals, |r| -> rusqlite::Result<()> {
                match &mut cur {
                    Some(c) if (c.0, c.1) == (r.0, r.1) => {
                        c.2 |= r.2;
                        c.3 += r.3;
                    }
                    _ => {
                        if let Some(c) = cur.replace(r) {
                            batch.push([c.0, c.1, c.2 as i64, c.3]);
                            if batch.len() == MERGE_BATCH {
                                flush(&mut batch)?;
                            }
                        }
                    }
                }
                Ok(())
            })
            .map_err(|e| match e {
                Ok(e) => io(&self, e),
                Err(e) => e,
            })?;
        if let Some(c) = cur {
            batch.push([c.0, c.1, c.2 as i64, c.3]);
        }
        flush(&mut batch)
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

/// Rows the merge of spilled runs writes at a time.
const MERGE_BATCH: usize = 1 << 16;

/// Merges `pairs` into the table, in key order.
fn merge(conn: &Connection, pairs: Pairs) -> rusqlite::Result<()> {
    let mut rows: Vec<[i64; 4]> = pairs
        .into_iter()
        .map(|((account, subject), (cats, n))| [account, subject, cats as i64, n])
        .collect();
    rows.sort_unstable();
    upsert(conn, &rows)
}

/// Adds `rows` (key order) to the table's.
fn upsert(conn: &Connection, rows: &[[i64; 4]]) -> rusqlite::Result<()> {
    super::write::insert_int_rows(
        conn,
        "INSERT OR FAIL INTO account_subject(account_id, subject_id, categories, events) VALUES ",
        "ON CONFLICT(account_id, subject_id) DO UPDATE SET
           categories = categories | excluded.categories, events = events + excluded.events",
        rows,
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
