//! Schema 6: `subject_event`, per data subject and source the ids of the events that touched
//! the subject (a JSON array, ascending). An import writes its rows at the end (`write.rs`);
//! this module recomputes them from `event.subject_ids`, for the upgrade to schema 6 and for
//! `verify --deep`.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};

/// (subject, source) -> event ids, ascending.
pub(super) type Links = BTreeMap<(i64, i64), Vec<i64>>;

/// Every link, from one pass over `event` in id order.
pub(super) fn compute_all(conn: &Connection) -> rusqlite::Result<Links> {
    let mut out = Links::new();
    let mut st = conn.prepare(
        "SELECT id, source_id, subject_ids FROM event WHERE subject_ids IS NOT NULL ORDER BY id",
    )?;
    let mut rows = st.query([])?;
    while let Some(r) = rows.next()? {
        let (id, source): (i64, i64) = (r.get(0)?, r.get(1)?);
        let Some(text) = r.get_ref(2)?.as_str_or_null()? else {
            continue;
        };
        for s in text
            .split_ascii_whitespace()
            .filter_map(|t| t.parse::<i64>().ok())
        {
            let ids = out.entry((s, source)).or_default();
            if ids.last() != Some(&id) {
                ids.push(id);
            }
        }
    }
    Ok(out)
}

/// Stores the row of `subject` and `source`: `ids` (ascending) as a JSON array, written into
/// `buf` (reused across rows).
pub(super) fn insert(
    conn: &Connection,
    subject: i64,
    source: i64,
    ids: impl IntoIterator<Item = i64>,
    buf: &mut String,
) -> rusqlite::Result<()> {
    buf.clear();
    let n = push_json_ids(ids, buf);
    conn.prepare_cached(
        "INSERT INTO subject_event(subject_id, source_id, events, event_ids) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![subject, source, n, buf.as_str()])?;
    Ok(())
}

/// Appends `ids` to `buf` as a JSON array (`[1,2,3]`); returns how many there were.
pub(super) fn push_json_ids(ids: impl IntoIterator<Item = i64>, buf: &mut String) -> i64 {
    let mut digits = [0u8; 20];
    buf.push('[');
    let mut n = 0i64;
    for id in ids {
        if n > 0 {
            buf.push(',');
        }
        buf.push_str(crate::model::itoa_i64(id, &mut digits));
        n += 1;
    }
    buf.push(']');
    n
}

/// Refills the table from every event (the upgrade to schema 6).
pub(super) fn rebuild_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM subject_event", [])?;
    let mut buf = String::new();
    for ((subject, source), ids) in compute_all(conn)? {
        insert(conn, subject, source, ids, &mut buf)?;
    }
    Ok(())
}
