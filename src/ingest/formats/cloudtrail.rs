//! AWS CloudTrail: files as delivered (`{"Records": [...]}`, often pretty-printed), a bare JSON
//! array of records, and the JSON Lines of `aws cloudtrail lookup-events`, whose `EventTime`
//! carries a local offset while the embedded `CloudTrailEvent` string is the UTC record: the
//! embedded record is the event (one event per line).

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;

use super::{Item, LineFormat, Rec, reject};
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
            out.push(record(t, no, no, text));
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
                        out.push(record(text, l0, l1, text));
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

/// The keys of a CloudTrail record that map; everything else is skipped while parsing (and
/// kept in the stored original).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ct<'a> {
    #[serde(borrow)]
    event_time: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user_identity: Option<Ident<'a>>,
    #[serde(rename = "sourceIPAddress", borrow)]
    source_ip_address: Option<Cow<'a, str>>,
    #[serde(borrow)]
    event_source: Option<Cow<'a, str>>,
    #[serde(borrow)]
    event_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    resources: Option<Vec<Resource<'a>>>,
    request_parameters: Option<Value>,
    #[serde(borrow)]
    error_code: Option<Cow<'a, str>>,
    response_elements: Option<Value>,
    /// lookup-events: the record as a JSON string.
    #[serde(rename = "CloudTrailEvent")]
    cloud_trail_event: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Ident<'a> {
    #[serde(borrow)]
    arn: Option<Cow<'a, str>>,
    #[serde(borrow)]
    user_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    principal_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    invoked_by: Option<Cow<'a, str>>,
    #[serde(borrow)]
    access_key_id: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Resource<'a> {
    #[serde(rename = "ARN", borrow)]
    arn: Option<Cow<'a, str>>,
}

fn record(text: &str, line: u64, line_end: u64, raw: &str) -> Item {
    let ct: Ct = match serde_json::from_str(text) {
        Ok(c) => c,
        Err(e) => return reject(line, format!("not a CloudTrail record: {e}"), raw),
    };
    // lookup-events: the embedded record is the event; EventTime is the same instant in local time.
    if let Some(inner) = &ct.cloud_trail_event {
        return match serde_json::from_str::<Ct>(inner) {
            Ok(c) => fill(&c, line, line_end, raw),
            Err(e) => reject(line, format!("CloudTrailEvent is not a record: {e}"), raw),
        };
    }
    fill(&ct, line, line_end, raw)
}

fn fill(v: &Ct, line: u64, line_end: u64, raw: &str) -> Item {
    let own = |c: &Option<Cow<str>>| c.as_deref().map(str::to_string);
    let mut r = Rec::new(line, raw);
    r.line_end = line_end;
    r.set_opt(Field::Time, own(&v.event_time));
    if let Some(u) = &v.user_identity {
        r.set_opt(
            Field::Account,
            own(&u.arn)
                .or_else(|| own(&u.user_name))
                .or_else(|| own(&u.principal_id))
                .or_else(|| own(&u.invoked_by)),
        );
        r.set_opt(Field::Session, own(&u.access_key_id));
    }
    r.set_opt(Field::SrcIp, own(&v.source_ip_address));
    r.set_opt(Field::System, own(&v.event_source));
    r.set_opt(Field::Action, own(&v.event_name));
    let arns: Vec<&str> = v
        .resources
        .iter()
        .flatten()
        .filter_map(|x| x.arn.as_deref())
        .collect();
    let object = if arns.is_empty() {
        match &v.request_parameters {
            Some(p @ Value::Object(m)) if !m.is_empty() => Some(p.to_string()),
            _ => None,
        }
    } else {
        Some(arns.join(";"))
    };
    r.set_opt(Field::Object, object);
    let console = v
        .response_elements
        .as_ref()
        .and_then(|e| e.get("ConsoleLogin"))
        .and_then(Value::as_str);
    let outcome = match (v.error_code.as_deref(), console) {
        (Some(code), _) if code.contains("AccessDenied") || code.contains("Unauthorized") => {
            "denied"
        }
        (Some(_), _) => "failed",
        (None, Some(s)) => s,
        (None, None) => "success",
    };
    r.set(Field::Outcome, outcome);
    Item::Rec(r)
}

/// Confidence that the head is CloudTrail.
pub(super) fn sniff(head: &str, objects: &[Option<Value>]) -> f32 {
    let t = head.trim_start();
    let ct_keys = head.contains("\"eventTime\"") && head.contains("\"eventSource\"");
    // Bytes, not `&head[..200]`: the 200th byte may fall inside a character.
    let records_near_start = head.as_bytes()[..head.len().min(200)]
        .windows(9)
        .any(|w| w == b"\"Records\"");
    if t.starts_with('{') && records_near_start && ct_keys {
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
