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

/// `[1,2,3]`.
pub(super) fn json_ids(ids: impl IntoIterator<Item = i64>, out: &mut String) {
    let mut digits = [0u8; 20];
    out.clear();
    out.push('[');
    for (i, id) in ids.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(crate::model::itoa_i64(id, &mut digits));
    }
    out.push(']');
}

/// Refills the table from every event (the upgrade to schema 6).
pub(super) fn rebuild_all(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM subject_event", [])?;
    let mut st = conn.prepare(
        "INSERT INTO subject_event(subject_id, source_id, events, event_ids) VALUES (?1, ?2, ?3, ?4)",
    )?;
    let mut text = String::new();
    for ((subject, source), ids) in compute_all(conn)? {
        json_ids(ids.iter().copied(), &mut text);
        st.execute(params![subject, source, ids.len() as i64, text])?;
    }
    Ok(())
}
