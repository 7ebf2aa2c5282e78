//! Schema 4: `account_subject`, per (account, data subject) the union of the categories of the
//! account's access events that touched the subject, and how many there were (see
//! `sql/004_account_subject.sql`). It depends on events only, so it is merged in at the end of
//! each access import from that import's events (their ids are `source.first_event_id ..
//! last_event_id`) and rebuilt from every event when a case is upgraded to schema 4. The impact
//! tables read it instead of `event`.

use std::collections::HashMap;

use rusqlite::{Connection, params};

/// (account, subject) -> (categories, events); subject 0: the account's totals.
type Pairs = HashMap<(i64, i64), (u64, i64)>;

/// Adds the access events with `lo <= id <= hi` to `pairs`.
fn collect(conn: &Connection, lo: i64, hi: i64, pairs: &mut Pairs) -> rusqlite::Result<()> {
    let mut st = conn.prepare(
        "SELECT coalesce(account_id, 0), categories, subject_ids FROM event
         WHERE id BETWEEN ?1 AND ?2 AND subject_ids IS NOT NULL
           AND coalesce(outcome, '') NOT IN ('denied', 'failed')",
    )?;
    let mut rows = st.query(params![lo, hi])?;
    while let Some(r) = rows.next()? {
        let account: i64 = r.get(0)?;
        let cats = r.get::<_, i64>(1)? as u64;
        let Some(ids) = r.get_ref(2)?.as_str_or_null()? else {
            continue;
        };
        let mut any = false;
        for id in ids.split_ascii_whitespace() {
            let Ok(id) = id.parse::<i64>() else {
                continue;
            };
            any = true;
            let e = pairs.entry((account, id)).or_default();
            e.0 |= cats;
            e.1 += 1;
        }
        if any {
            let e = pairs.entry((account, 0)).or_default();
            e.0 |= cats;
            e.1 += 1;
        }
    }
    Ok(())
}

/// Merges `pairs` into the table, in key order.
fn merge(conn: &Connection, pairs: Pairs) -> rusqlite::Result<()> {
    let mut rows: Vec<((i64, i64), (u64, i64))> = pairs.into_iter().collect();
    rows.sort_unstable_by_key(|r| r.0);
    let mut up = conn.prepare_cached(
        "INSERT INTO account_subject(account_id, subject_id, categories, events)
         VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(account_id, subject_id) DO UPDATE SET
           categories = categories | excluded.categories, events = events + excluded.events",
    )?;
    for ((account, subject), (cats, n)) in rows {
        up.execute(params![account, subject, cats as i64, n])?;
    }
    Ok(())
}

/// Computes the rows of every event in the case (upgrade to schema 4, and `verify`).
pub(super) fn compute_all(conn: &Connection) -> rusqlite::Result<Vec<(i64, i64, u64, i64)>> {
    let mut pairs = Pairs::new();
    collect(conn, i64::MIN, i64::MAX, &mut pairs)?;
    let mut rows: Vec<(i64, i64, u64, i64)> = pairs
        .into_iter()
        .map(|((a, s), (c, n))| (a, s, c, n))
        .collect();
    rows.sort_unstable();
    Ok(rows)
}

/// Rebuilds the table from every event (the upgrade to schema 4).
pub(super) fn rebuild_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM account_subject", [])?;
    let mut pairs = Pairs::new();
    collect(conn, i64::MIN, i64::MAX, &mut pairs)?;
    merge(conn, pairs)
}

/// The import hook: merges in the events of source `source_id` (just written, inside its
/// transaction). A roster import has no events and changes nothing.
pub(super) fn refresh_after_import(conn: &Connection, source_id: i64) -> rusqlite::Result<()> {
    let (first, last): (Option<i64>, Option<i64>) = conn.query_row(
        "SELECT first_event_id, last_event_id FROM source WHERE id = ?1",
        [source_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (Some(lo), Some(hi)) = (first, last) else {
        return Ok(());
    };
    let mut pairs = Pairs::new();
    collect(conn, lo, hi, &mut pairs)?;
    merge(conn, pairs)
}
