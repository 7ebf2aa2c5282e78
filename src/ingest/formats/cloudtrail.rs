//! AWS CloudTrail: files as delivered (`{"Records": [...]}`, often pretty-printed), a bare JSON
//! array of records, and the JSON Lines of `aws cloudtrail lookup-events`, whose `EventTime`
//! carries a local offset while the embedded `CloudTrailEvent` string is the UTC record: the
//! embedded record is the event (one event per line).

use std::borrow::Cow;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use super::{Item, LineFormat, Rec, reject};
use crate::ingest::Field;
use crate::ingest::extra::ExtraBuf;

#[derive(Default)]
pub(crate) struct CloudTrail {
    /// Unmapped fields are not collected for a record that has its lines to itself: they are
    /// read again from the stored original when asked for ([`extra_of`]). A record sharing a
    /// line with another still gets them collected (`{}` when there are none), because its
    /// lines alone do not say which record it is.
    extras_in_original: bool,
    /// `None` until the first non-empty line decides: JSON Lines or one document.
    lines_mode: Option<bool>,
    doc: String,
    /// Byte offset of each buffered line's start, with its line number.
    starts: Vec<(usize, u64)>,
}

impl CloudTrail {
    pub fn new(extras_in_original: bool) -> CloudTrail {
        CloudTrail {
            extras_in_original,
            ..CloudTrail::default()
        }
    }
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
            out.push(record(t, no, no, text, !self.extras_in_original));
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
        let Some(open) = array_start(&doc) else {
            out.push(reject(
                1,
                "CloudTrail document without a Records array or a top-level array",
                &doc,
            ));
            return;
        };
        let scan = DocScan {
            doc: &doc,
            starts: &self.starts,
            extras_in_original: self.extras_in_original,
        };
        let (closed_at, open_element) = scan.elements(open, out);
        scan.truncation(open, closed_at, open_element, out);
    }
}

/// A whole CloudTrail document (not JSON Lines), read element by element.
struct DocScan<'a> {
    doc: &'a str,
    /// Byte offset of each line's start, with its line number.
    starts: &'a [(usize, u64)],
    extras_in_original: bool,
}

impl DocScan<'_> {
    fn line_of(&self, byte: usize) -> u64 {
        let i = self.starts.partition_point(|(s, _)| *s <= byte);
        self.starts[i.saturating_sub(1)].1
    }

    /// A Records entry that is not an object: a reject that says what it is.
    fn not_object(&self, text: &str, at: usize, out: &mut Vec<Item>) {
        let t = text.trim();
        let what = match t.as_bytes().first() {
            Some(b'"') => "a string",
            Some(b'[') => "an array",
            Some(b'n') => "null",
            Some(b't' | b'f') => "a boolean",
            _ => "a number",
        };
        out.push(reject(
            self.line_of(at),
            format!("Records entry is {what}, not an object (a CloudTrail record): {t}"),
            t,
        ));
    }

    /// The entry `doc[s..=e]`, which opened with `{` or `[` and closed at `e`.
    fn bracketed(&self, s: usize, e: usize, out: &mut Vec<Item>) {
        let text = &self.doc[s..=e];
        if self.doc.as_bytes()[s] == b'[' {
            self.not_object(text, s, out);
            return;
        }
        let (l0, l1) = (self.line_of(s), self.line_of(e));
        let shared = !alone_on_its_lines(self.doc, s, e);
        let mut item = record(text, l0, l1, text, !self.extras_in_original || shared);
        if let Item::Rec(r) = &mut item
            && self.extras_in_original
            && shared
            && r.extra.is_none()
        {
            // A row says "nothing unmapped": the lines are not read again.
            r.extra = Some("{}".into());
        }
        out.push(item);
    }

    /// Scans the array that opens at `open`, tracking strings and nesting. Every element is
    /// a row read: an object is a record, anything else (a string, a number, null, an array)
    /// a reject that says what it is. Returns where the array closed, if it did, and the
    /// element still open at the end of the document.
    fn elements(&self, open: usize, out: &mut Vec<Item>) -> (Option<usize>, Option<(usize, bool)>) {
        let (doc, bytes) = (self.doc, self.doc.as_bytes());
        let (mut depth, mut in_str, mut esc) = (0usize, false, false);
        // Where the current top-level element starts, and whether it is a scalar (it then
        // ends at the next top-level `,` or `]`).
        let mut start: Option<(usize, bool)> = None;
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
                b'"' => {
                    if depth == 0 && start.is_none() {
                        start = Some((i, true));
                    }
                    in_str = true;
                }
                b'{' | b'[' => {
                    if depth == 0 && start.is_none() {
                        start = Some((i, false));
                    }
                    depth += 1;
                }
                b'}' | b']' if depth == 0 => {
                    if let Some((s, true)) = start.take() {
                        self.not_object(&doc[s..i], s, out);
                    }
                    return (Some(i), start);
                }
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0
                        && let Some((s, false)) = start
                    {
                        start = None;
                        self.bracketed(s, i, out);
                    }
                }
                b',' if depth == 0 => {
                    if let Some((s, true)) = start.take() {
                        self.not_object(&doc[s..i], s, out);
                    }
                }
                b if depth == 0 && !b.is_ascii_whitespace() && start.is_none() => {
                    start = Some((i, true));
                }
                _ => {}
            }
        }
        (None, start)
    }

    /// The rejects of a cut-off document (a copy stopped early, a file still being written).
    fn truncation(
        &self,
        open: usize,
        closed_at: Option<usize>,
        open_element: Option<(usize, bool)>,
        out: &mut Vec<Item>,
    ) {
        let (doc, bytes) = (self.doc, self.doc.as_bytes());
        let last_line = self.starts.last().map_or(1, |(_, l)| *l);
        match closed_at {
            None => {
                if let Some((s, _)) = open_element {
                    out.push(reject(
                        self.line_of(s),
                        format!(
                            "the document ends inside this Records entry (lines {}-{last_line}): the file is truncated",
                            self.line_of(s)
                        ),
                        &doc[s..],
                    ));
                }
                out.push(reject(
                    last_line,
                    "the document ends before its Records array closes (no `]`): the file is truncated; the entries before were read",
                    "",
                ));
            }
            Some(i) if bytes[i] == b']' && bytes[..open].contains(&b'{') => {
                if !doc[i + 1..].contains('}') {
                    out.push(reject(
                        last_line,
                        "the document ends after its Records array without the closing `}`: the file is truncated",
                        "",
                    ));
                }
            }
            Some(_) => {}
        }
    }
}

/// Whether `doc[s..=e]` has its lines to itself: only blanks before it on its first line, and
/// only blanks and the array's comma after it on its last.
fn alone_on_its_lines(doc: &str, s: usize, e: usize) -> bool {
    let line_start = doc[..s].rfind('\n').map_or(0, |i| i + 1);
    let rest = &doc[e + 1..];
    let after = &rest[..rest.find('\n').unwrap_or(rest.len())];
    doc[line_start..s].trim().is_empty() && matches!(after.trim(), "" | ",")
}

/// The record a stored event's lines hold (lines `line..=line_end` of the original, as
/// [`crate::case::Sources::raw_lines`] gives them), read again with its unmapped fields, for an
/// event imported with `extras_in_original`. `Err` names why the lines are not one record.
pub(crate) fn extra_of(lines: &str) -> Result<Option<String>, String> {
    let t = lines.trim();
    let t = t.strip_suffix(',').unwrap_or(t).trim_end();
    match record(t, 1, 1, t, true) {
        Item::Rec(r) => Ok(r.extra),
        Item::Reject(r) => Err(r.reason),
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

/// A JSON string borrowed from the input when it has no escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Str<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Str<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Str<'de>, E> {
                Ok(Str(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// The members of a JSON object in source order, values unparsed (borrowed JSON text).
struct Members<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Members<'de>, A::Error> {
                let mut out = Vec::with_capacity(24);
                while let Some(k) = map.next_key::<Str<'de>>()? {
                    out.push((k.0, map.next_value::<&'de RawValue>()?));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// A string value; `None` for null, other types and blank text.
fn text<'a>(raw: &'a RawValue) -> Option<Cow<'a, str>> {
    if !raw.get().starts_with('"') {
        return None;
    }
    serde_json::from_str::<Str>(raw.get())
        .ok()
        .map(|s| s.0)
        .filter(|s| !s.trim().is_empty())
}

#[derive(Deserialize)]
struct Resource<'a> {
    #[serde(rename = "ARN", borrow)]
    arn: Option<Cow<'a, str>>,
    #[serde(rename = "accountId", borrow)]
    account_id: Option<Cow<'a, str>>,
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Response<'a> {
    #[serde(rename = "ConsoleLogin", borrow)]
    console_login: Option<Cow<'a, str>>,
}

/// One record; `keep_extra` collects its unmapped fields (otherwise they are left to
/// [`extra_of`]).
fn record(text: &str, line: u64, line_end: u64, raw: &str, keep_extra: bool) -> Item {
    let top: Members = match serde_json::from_str(text) {
        Ok(c) => c,
        Err(e) => return reject(line, format!("not a CloudTrail record: {e}"), raw),
    };
    // lookup-events: the embedded record is the event; EventTime is the same instant in local
    // time, and the other outer keys repeat the embedded record's.
    if let Some((_, inner)) = top.0.iter().find(|(k, _)| k == "CloudTrailEvent") {
        let Some(inner) = self::text(inner) else {
            return reject(line, "CloudTrailEvent is not a string", raw);
        };
        return match serde_json::from_str::<Members>(&inner) {
            Ok(c) => fill(&c, line, line_end, raw, keep_extra),
            Err(e) => reject(line, format!("CloudTrailEvent is not a record: {e}"), raw),
        };
    }
    fill(&top, line, line_end, raw, keep_extra)
}

/// Maps the record's keys to the event's fields; every key (or `userIdentity` member) whose
/// value is not stored in a column goes, as written, into the extra fields.
fn fill(v: &Members, line: u64, line_end: u64, raw: &str, keep_extra: bool) -> Item {
    let own = |c: Option<Cow<str>>| c.map(Cow::into_owned);
    let mut r = Rec::new(line, raw);
    r.line_end = line_end;
    let mut extra = if keep_extra {
        ExtraBuf::with_capacity(raw.len())
    } else {
        ExtraBuf::off()
    };
    let mut resources: Option<(Vec<Resource>, &RawValue)> = None;
    let mut params: Option<&RawValue> = None;
    let mut error_code = None;
    let mut console = None;
    // A repeated key keeps every value: the first is read as usual, later ones are extra
    // fields `key (2)`, ... and the record lists the keys that repeated.
    let mut seen: Vec<&str> = Vec::with_capacity(v.0.len());
    let mut dups: Vec<String> = Vec::new();
    for (k, val) in &v.0 {
        if let Some(n) = repeated(&mut seen, k) {
            extra.raw("", &format!("{k} ({n})"), val.get());
            dups.push(k.to_string());
            continue;
        }
        match k.as_ref() {
            "eventTime" => r.set_opt(Field::Time, own(text(val))),
            "sourceIPAddress" => r.set_opt(Field::SrcIp, own(text(val))),
            "eventSource" => r.set_opt(Field::System, own(text(val))),
            "eventName" => r.set_opt(Field::Action, own(text(val))),
            "userIdentity" => identity(val, &mut r, &mut extra, &mut dups),
            "resources" => match serde_json::from_str::<Vec<Resource>>(val.get()) {
                Ok(list) => resources = Some((list, *val)),
                Err(_) => extra.raw("", k, val.get()),
            },
            "requestParameters" => params = Some(*val),
            "errorCode" => {
                error_code = text(val);
                extra.raw("", k, val.get());
            }
            "responseElements" => {
                console = serde_json::from_str::<Response>(val.get())
                    .ok()
                    .and_then(|x| x.console_login);
                extra.raw("", k, val.get());
            }
            _ => extra.raw("", k, val.get()),
        }
    }
    let arns: Vec<&str> = resources
        .iter()
        .flat_map(|(list, _)| list.iter())
        .filter_map(|x| x.arn.as_deref())
        .collect();
    let object = if arns.is_empty() {
        match params {
            Some(p) if p.get().trim_start().starts_with('{') => {
                let mut o = String::with_capacity(p.get().len());
                crate::ingest::extra::compact_into(&mut o, p.get());
                (o != "{}").then_some(o)
            }
            _ => None,
        }
    } else {
        Some(arns.join(";"))
    };
    // What the object did not take stays an extra field.
    if let Some(p) = params
        && (object.is_none() || !arns.is_empty())
        && p.get() != "null"
    {
        extra.raw("", "requestParameters", p.get());
    }
    if let Some((list, raw_list)) = &resources {
        let only_arns = list
            .iter()
            .all(|x| x.arn.is_some() && x.account_id.is_none() && x.kind.is_none());
        if !only_arns {
            extra.raw("", "resources", raw_list.get());
        }
    }
    r.set_opt(Field::Object, object);
    let outcome = match (error_code.as_deref(), console.as_deref()) {
        (Some(code), _) if code.contains("AccessDenied") || code.contains("Unauthorized") => {
            "denied"
        }
        (Some(_), _) => "failed",
        (None, Some(s)) => s,
        (None, None) => "success",
    };
    r.set(Field::Outcome, outcome);
    if !dups.is_empty() {
        let list = Value::String(dups.join(", ")).to_string();
        extra.raw("", crate::ingest::json_dup::DUPLICATE_KEYS, &list);
    }
    r.extra = extra.finish();
    Item::Rec(r)
}

/// `Some(n)` when `key` is already in `seen` (this is its `n`th value); records it either way.
fn repeated<'k>(seen: &mut Vec<&'k str>, key: &'k str) -> Option<usize> {
    let before = seen.iter().filter(|s| **s == key).count();
    seen.push(key);
    (before > 0).then_some(before + 1)
}

/// `userIdentity`: the account (the first of arn, userName, principalId, invokedBy) and the
/// session (accessKeyId); its other members are extra fields (`userIdentity.type`, ...).
fn identity(raw: &RawValue, r: &mut Rec, extra: &mut ExtraBuf, dups: &mut Vec<String>) {
    let Ok(m) = serde_json::from_str::<Members>(raw.get()) else {
        extra.raw("", "userIdentity", raw.get());
        return;
    };
    let account_key = ["arn", "userName", "principalId", "invokedBy"]
        .into_iter()
        .find(|want| m.0.iter().any(|(k, v)| k == want && text(v).is_some()));
    let mut seen: Vec<&str> = Vec::with_capacity(m.0.len());
    for (k, v) in &m.0 {
        if let Some(n) = repeated(&mut seen, k) {
            extra.raw("userIdentity", &format!("{k} ({n})"), v.get());
            dups.push(format!("userIdentity.{k}"));
            continue;
        }
        if Some(k.as_ref()) == account_key {
            r.set_opt(Field::Account, text(v).map(Cow::into_owned));
        } else if k == "accessKeyId" && text(v).is_some() {
            r.set_opt(Field::Session, text(v).map(Cow::into_owned));
        } else {
            extra.raw("userIdentity", k, v.get());
        }
    }
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
    // `lookup-events` lines embed the record; delivered records have the keys themselves.
    super::json_fraction(
        objects,
        &[&["CloudTrailEvent"], &["eventTime", "eventSource"]],
    )
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

    #[test]
    fn a_repeated_key_keeps_every_value_and_is_flagged() {
        let doc = concat!(
            r#"{"Records": [{"eventTime": "2024-01-01T00:00:00Z", "eventName": "GetObject", "#,
            r#""eventName": "PutObject", "userIdentity": {"arn": "arn:a", "type": "IAMUser", "#,
            r#""type": "Root"}, "awsRegion": "ap-northeast-1", "awsRegion": "us-east-1"}]}"#,
            "\n"
        );
        let out = run(doc);
        let Item::Rec(r) = &out[0] else { panic!() };
        assert_eq!(
            r.fields[Field::Action as usize].as_deref(),
            Some("GetObject")
        );
        let extra: Value = serde_json::from_str(r.extra.as_deref().unwrap()).unwrap();
        assert_eq!(extra["eventName (2)"], "PutObject");
        assert_eq!(extra["awsRegion"], "ap-northeast-1");
        assert_eq!(extra["awsRegion (2)"], "us-east-1");
        assert_eq!(extra["userIdentity.type"], "IAMUser");
        assert_eq!(extra["userIdentity.type (2)"], "Root");
        assert_eq!(
            extra["_duplicate_keys"],
            "eventName, userIdentity.type, awsRegion"
        );
    }
}
