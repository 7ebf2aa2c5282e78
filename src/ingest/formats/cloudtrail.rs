//! AWS CloudTrail: files as delivered (`{"Records": [...]}`, often pretty-printed), a bare JSON
//! array of records, and the JSON Lines of `aws cloudtrail lookup-events`, whose `EventTime`
//! carries a local offset while the embedded `CloudTrailEvent` string is the UTC record: the
//! embedded record is the event (one event per line).

use serde_json::Value;

use super::{Item, LineFormat, Rec, jget, jstr, reject};
use crate::ingest::Field;

#[derive(Default)]
pub(crate) struct CloudTrail {
    /// `None` until the first non-empty line decides: JSON Lines or one document.
    lines_mode: Option<bool>,
    doc: String,
    /// Byte offset of each buffered line's start, with its line number.
    starts: Vec<(usize, u64)>,
}

impl LineFormat for CloudTrail {
    fn line(&mut self, no: u64, text: &str, out: &mut Vec<Item>) {
        if self.lines_mode.is_none() {
            if text.trim().is_empty() {
                return;
            }
            let t = text.trim();
            self.lines_mode = Some(
                t.starts_with('{')
                    && !t.starts_with("{\"Records\"")
                    && serde_json::from_str::<Value>(t).is_ok(),
            );
        }
        if self.lines_mode == Some(true) {
            let t = text.trim();
            if t.is_empty() {
                return;
            }
            match serde_json::from_str::<Value>(t) {
                Ok(v) => out.push(record(&v, no, no, text)),
                Err(e) => out.push(reject(no, format!("invalid JSON: {e}"), text)),
            }
        } else {
            self.starts.push((self.doc.len(), no));
            self.doc.push_str(text);
            self.doc.push('\n');
        }
    }

    fn finish(&mut self, out: &mut Vec<Item>) {
        if self.lines_mode != Some(false) {
            return;
        }
        let doc = std::mem::take(&mut self.doc);
        let line_of = |byte: usize| -> u64 {
            let i = self.starts.partition_point(|(s, _)| *s <= byte);
            self.starts[i.saturating_sub(1)].1
        };
        let bytes = doc.as_bytes();
        let Some(open) = array_start(&doc) else {
            out.push(reject(
                1,
                "CloudTrail document without a Records array or a top-level array",
                &doc,
            ));
            return;
        };
        // Scan the array's elements, tracking strings and nesting.
        let (mut depth, mut in_str, mut esc) = (0usize, false, false);
        let mut start = None;
        for (i, &b) in bytes.iter().enumerate().skip(open + 1) {
            if in_str {
                match (esc, b) {
                    (true, _) => esc = false,
                    (false, b'\\') => esc = true,
                    (false, b'"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => in_str = true,
                b'{' | b'[' => {
                    if depth == 0 {
                        start = Some(i);
                    }
                    depth += 1;
                }
                b'}' | b']' if depth == 0 => break,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0
                        && let Some(s) = start.take()
                    {
                        let text = &doc[s..=i];
                        let (l0, l1) = (line_of(s), line_of(i));
                        match serde_json::from_str::<Value>(text) {
                            Ok(v) => out.push(record(&v, l0, l1, text)),
                            Err(e) => out.push(reject(l0, format!("invalid JSON: {e}"), text)),
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Byte index of the `[` that opens the record array.
fn array_start(doc: &str) -> Option<usize> {
    let t = doc.trim_start();
    let lead = doc.len() - t.len();
    if t.starts_with('[') {
        return Some(lead);
    }
    let k = doc.find("\"Records\"")?;
    doc[k..].find('[').map(|i| k + i)
}

fn record(v: &Value, line: u64, line_end: u64, raw: &str) -> Item {
    // lookup-events: the embedded record is the event; EventTime is the same instant in local time.
    let inner;
    let v = match v.get("CloudTrailEvent").and_then(Value::as_str) {
        Some(s) => match serde_json::from_str::<Value>(s) {
            Ok(x) => {
                inner = x;
                &inner
            }
            Err(e) => return reject(line, format!("CloudTrailEvent is not JSON: {e}"), raw),
        },
        None => v,
    };
    if !v.is_object() {
        return reject(line, "not a JSON object", raw);
    }
    let mut r = Rec::new(line, raw);
    r.line_end = line_end;
    r.set_opt(Field::Time, jstr(v, "eventTime"));
    r.set_opt(
        Field::Account,
        jstr(v, "userIdentity.arn")
            .or_else(|| jstr(v, "userIdentity.userName"))
            .or_else(|| jstr(v, "userIdentity.principalId"))
            .or_else(|| jstr(v, "userIdentity.invokedBy")),
    );
    r.set_opt(Field::SrcIp, jstr(v, "sourceIPAddress"));
    r.set_opt(Field::System, jstr(v, "eventSource"));
    r.set_opt(Field::Action, jstr(v, "eventName"));
    let object = jget(v, "resources")
        .and_then(Value::as_array)
        .and_then(|a| {
            let arns: Vec<&str> = a
                .iter()
                .filter_map(|x| x.get("ARN").and_then(Value::as_str))
                .collect();
            (!arns.is_empty()).then(|| arns.join(";"))
        })
        .or_else(|| match jget(v, "requestParameters") {
            Some(p @ Value::Object(m)) if !m.is_empty() => Some(p.to_string()),
            _ => None,
        });
    r.set_opt(Field::Object, object);
    let outcome = match (
        jstr(v, "errorCode"),
        jstr(v, "responseElements.ConsoleLogin"),
    ) {
        (Some(code), _) if code.contains("AccessDenied") || code.contains("Unauthorized") => {
            "denied".to_string()
        }
        (Some(_), _) => "failed".to_string(),
        (None, Some(s)) => s,
        (None, None) => "success".to_string(),
    };
    r.set(Field::Outcome, outcome);
    r.set_opt(Field::Session, jstr(v, "userIdentity.accessKeyId"));
    Item::Rec(r)
}

/// Confidence that the head is CloudTrail.
pub(super) fn sniff(head: &str, objects: &[Option<Value>]) -> f32 {
    let t = head.trim_start();
    let ct_keys = head.contains("\"eventTime\"") && head.contains("\"eventSource\"");
    if t.starts_with('{') && head[..head.len().min(200)].contains("\"Records\"") && ct_keys {
        return 0.98;
    }
    if t.starts_with('[') && ct_keys {
        return 0.95;
    }
    if objects.is_empty() {
        return 0.0;
    }
    let hits = objects
        .iter()
        .filter(|o| {
            o.as_ref().is_some_and(|o| {
                o.get("CloudTrailEvent").is_some()
                    || (o.get("eventTime").is_some() && o.get("eventSource").is_some())
            })
        })
        .count();
    hits as f32 / objects.len() as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Vec<Item> {
        let mut f = CloudTrail::default();
        let mut out = Vec::new();
        for (i, l) in text.lines().enumerate() {
            f.line(i as u64 + 1, l, &mut out);
        }
        f.finish(&mut out);
        out
    }

    #[test]
    fn records_document_keeps_line_spans() {
        let doc = "{\"Records\": [\n {\n  \"eventTime\": \"2024-01-01T00:00:00Z\",\n  \"eventSource\": \"s3.amazonaws.com\", \"x\": \"]}\"\n },\n {\"eventTime\": \"2024-01-01T00:00:01Z\", \"errorCode\": \"AccessDenied\"}\n]}\n";
        let out = run(doc);
        assert_eq!(out.len(), 2);
        let Item::Rec(a) = &out[0] else { panic!() };
        assert_eq!((a.line, a.line_end), (2, 5));
        let Item::Rec(b) = &out[1] else { panic!() };
        assert_eq!((b.line, b.line_end), (6, 6));
        assert_eq!(b.fields[Field::Outcome as usize].as_deref(), Some("denied"));
    }
}
