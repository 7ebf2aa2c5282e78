//! JSON Lines access logs: one JSON object per line; fields found by key, with `.` to reach
//! into nested objects (`userIdentity.arn`).

use std::io::{BufReader, Read};
use std::path::Path;

use serde_json::Value;

use super::{Batch, Field, IngestError, ParseStats, Plan, RawRow, Reject, RowContext, clip};
use crate::model::Vocabulary;

/// Keys of the first objects, nested ones as dotted paths, in first-seen order.
pub(super) fn keys_of_first_objects(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()).take(20) {
        if let Ok(Value::Object(map)) = serde_json::from_str::<Value>(line) {
            collect_keys(&map, "", &mut keys);
        }
    }
    keys
}

fn collect_keys(map: &serde_json::Map<String, Value>, prefix: &str, out: &mut Vec<String>) {
    for (k, v) in map {
        let path = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        if let Value::Object(inner) = v
            && prefix.matches('.').count() < 3
        {
            collect_keys(inner, &path, out);
        } else if !out.contains(&path) {
            out.push(path);
        }
    }
}

/// Scalar text of a JSON value; arrays of scalars join with `;`.
pub(super) fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(text_of).collect();
            Some(parts.join(";"))
        }
        Value::Object(_) => Some(v.to_string()),
    }
}

pub(super) fn parse<R: Read>(
    reader: R,
    path: &Path,
    plan: &Plan,
    ctx: &RowContext,
    vocab: &mut Vocabulary,
    sink: &mut dyn FnMut(Batch) -> bool,
    progress: &mut dyn FnMut(u64),
) -> Result<ParseStats, IngestError> {
    let mut rdr = BufReader::with_capacity(256 * 1024, reader);
    let keys: Vec<(Field, String)> = Field::ALL
        .iter()
        .filter_map(|f| plan.mapping.get(*f).map(|c| (*f, c.to_string())))
        .collect();
    let mut stats = ParseStats::default();
    let mut batch = Batch::default();
    let mut buf = Vec::with_capacity(4096);
    let mut line: u64 = 0;
    let mut texts: Vec<Option<String>> = vec![None; 12];
    loop {
        buf.clear();
        let n = super::lines::read_line(&mut rdr, &mut buf)
            .map_err(|e| IngestError::file(path, format!("line {}: {e}", line + 1)))?;
        if n == 0 {
            break;
        }
        line += 1;
        stats.bytes_read += n as u64;
        let text = match std::str::from_utf8(&buf) {
            Ok(t) => t,
            Err(e) => {
                stats.rows_read += 1;
                batch.rejects.push(Reject {
                    line,
                    reason: format!(
                        "invalid text at byte {}: not UTF-8 (or not the file's encoding)",
                        e.valid_up_to()
                    ),
                    raw: clip(&String::from_utf8_lossy(&buf)),
                });
                continue;
            }
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            continue;
        }
        stats.rows_read += 1;
        let result = match super::json_dup::parse(trimmed) {
            Ok((mut v @ Value::Object(_), dups)) => {
                super::json_dup::flag(&mut v, &dups);
                for t in texts.iter_mut() {
                    *t = None;
                }
                for (f, key) in &keys {
                    texts[*f as usize] = super::formats::jget(&v, key).and_then(text_of);
                }
                let mut row = RawRow::default();
                for (slot, t) in row.values.iter_mut().zip(&texts) {
                    *slot = t.as_deref();
                }
                ctx.to_event(&row, line, line, vocab).map(|mut ev| {
                    ev.extra = super::extra::from_object(&v, &|p| {
                        keys.iter().any(|(_, k)| k.as_str() == p)
                    });
                    ev
                })
            }
            Ok(_) => Err("not a JSON object".to_string()),
            Err(e) => Err(format!("invalid JSON: {e}")),
        };
        match result {
            Ok(ev) => batch.events.push(ev),
            Err(reason) => batch.rejects.push(Reject {
                line,
                reason,
                raw: clip(trimmed),
            }),
        }
        if batch.is_full() && !batch.hand_on(stats.bytes_read, progress, sink) {
            return Ok(stats);
        }
    }
    batch.hand_on_rest(stats.bytes_read, progress, sink);
    Ok(stats)
}
