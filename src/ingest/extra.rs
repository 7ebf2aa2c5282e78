//! A record's fields that map to no event column, kept as one compact JSON object per event
//! (`event_extra.fields`): `{"userAgent":"aws-cli/2.0","requestID":"...","tlsDetails.tlsVersion":
//! "TLSv1.2"}`. Keys are the source's own names, nested ones as dotted paths; values are JSON
//! scalars, or arrays and deeper objects as compact JSON. An event with nothing left over has
//! no object (`None`), so the common all-mapped CSV costs nothing.

use serde_json::Value;

/// Objects nested deeper than this are kept whole as one JSON value.
const MAX_DEPTH: usize = 3;

/// Builds the JSON object text without an intermediate tree.
#[derive(Default)]
pub(crate) struct ExtraBuf {
    buf: String,
    /// Nothing is collected: the record's unmapped fields are read again from the stored
    /// original when asked for (see `ingest::event_detail`).
    off: bool,
}

impl ExtraBuf {
    pub fn with_capacity(n: usize) -> ExtraBuf {
        ExtraBuf {
            buf: String::with_capacity(n),
            off: false,
        }
    }

    /// A buffer that keeps nothing.
    pub fn off() -> ExtraBuf {
        ExtraBuf {
            buf: String::new(),
            off: true,
        }
    }

    /// Writes `,"prefix.key":` (no dot when `prefix` is empty).
    fn key(&mut self, prefix: &str, key: &str) {
        self.buf.push(if self.buf.is_empty() { '{' } else { ',' });
        self.buf.push('"');
        if !prefix.is_empty() {
            escape_into(&mut self.buf, prefix);
            self.buf.push('.');
        }
        escape_into(&mut self.buf, key);
        self.buf.push_str("\":");
    }

    /// A text value.
    pub fn text(&mut self, prefix: &str, key: &str, value: &str) {
        if self.off {
            return;
        }
        self.key(prefix, key);
        self.buf.push('"');
        escape_into(&mut self.buf, value);
        self.buf.push('"');
    }

    /// A value given as JSON text (as written in the source), stored without its whitespace;
    /// null and empty values are left out.
    pub fn raw(&mut self, prefix: &str, key: &str, json: &str) {
        if self.off || matches!(json.trim(), "null" | "\"\"" | "{}" | "[]") {
            return;
        }
        self.key(prefix, key);
        compact_into(&mut self.buf, json);
    }

    /// A parsed JSON value: objects are flattened into dotted keys (to `MAX_DEPTH`), nulls and
    /// empty strings and objects are left out; `skip(path)` leaves out paths the caller mapped.
    pub fn value(&mut self, prefix: &str, key: &str, v: &Value, skip: &dyn Fn(&str) -> bool) {
        if self.off {
            return;
        }
        let path;
        let full: &str = if prefix.is_empty() {
            key
        } else {
            path = format!("{prefix}.{key}");
            &path
        };
        self.value_at(full, v, 0, skip);
    }

    fn value_at(&mut self, path: &str, v: &Value, depth: usize, skip: &dyn Fn(&str) -> bool) {
        if skip(path) {
            return;
        }
        match v {
            Value::Null => {}
            Value::String(s) if s.trim().is_empty() => {}
            Value::String(s) => self.text("", path, s),
            Value::Object(m) if m.is_empty() => {}
            Value::Object(m) if depth < MAX_DEPTH => {
                for (k, inner) in m {
                    self.value_at(&format!("{path}.{k}"), inner, depth + 1, skip);
                }
            }
            other => {
                self.key("", path);
                self.buf.push_str(&other.to_string());
            }
        }
    }

    /// The object, or `None` when nothing was added.
    pub fn finish(mut self) -> Option<String> {
        if self.buf.is_empty() {
            return None;
        }
        self.buf.push('}');
        Some(self.buf)
    }
}

/// The fields of a parsed JSON object (flattened), leaving out the paths `skip` names.
pub(crate) fn from_object(v: &Value, skip: &dyn Fn(&str) -> bool) -> Option<String> {
    let Value::Object(m) = v else {
        return None;
    };
    let mut out = ExtraBuf::default();
    for (k, inner) in m {
        out.value("", k, inner, skip);
    }
    out.finish()
}

/// Key/value pairs a reader found, minus the ones whose value an event column holds verbatim:
/// each column value accounts for the first pair (in record order) with that exact value, so a
/// value the record repeats under another key stays, and no value the source wrote is lost.
pub(crate) fn from_pairs(pairs: &[(String, String)], columns: &[Option<&str>]) -> Option<String> {
    if pairs.is_empty() {
        return None;
    }
    let mut used = [false; 16];
    let mut out = ExtraBuf::default();
    for (k, v) in pairs {
        let v = v.trim();
        if v.is_empty() || v == "-" {
            continue;
        }
        let hit = columns
            .iter()
            .enumerate()
            .position(|(i, c)| i < used.len() && !used[i] && c.is_some_and(|c| c.trim() == v));
        match hit {
            Some(i) => used[i] = true,
            None => out.text("", k, v),
        }
    }
    out.finish()
}

/// Flattens a JSON object into (dotted key, text) pairs for [`from_pairs`]: strings as they are,
/// other scalars as their JSON text, arrays and objects deeper than `MAX_DEPTH` as compact JSON.
pub(crate) fn pairs_of(v: &Value, out: &mut Vec<(String, String)>) {
    fn walk(path: String, v: &Value, depth: usize, out: &mut Vec<(String, String)>) {
        match v {
            Value::Null => {}
            Value::String(s) => out.push((path, s.clone())),
            Value::Object(m) if m.is_empty() => {}
            Value::Object(m) if depth < MAX_DEPTH => {
                for (k, inner) in m {
                    let p = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    walk(p, inner, depth + 1, out);
                }
            }
            other => out.push((path, other.to_string())),
        }
    }
    if let Value::Object(_) = v {
        walk(String::new(), v, 0, out);
    }
}

/// Appends `s` with JSON string escapes (no quotes).
pub(crate) fn escape_into(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if esc.is_empty() {
            out.push_str(&format!("\\u{b:04x}"));
        } else {
            out.push_str(esc);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Appends valid JSON text without the whitespace outside its strings.
pub(crate) fn compact_into(out: &mut String, json: &str) {
    let b = json.as_bytes();
    let (mut i, mut start) = (0, 0);
    while i < b.len() {
        match b[i] {
            b'"' => {
                // Jump to the closing quote: the next `"` not escaped by an odd run of `\`.
                let mut j = i + 1;
                loop {
                    match json[j..].find('"') {
                        Some(k) => {
                            let q = j + k;
                            let slashes = b[..q].iter().rev().take_while(|c| **c == b'\\').count();
                            j = q + 1;
                            if slashes % 2 == 0 {
                                break;
                            }
                        }
                        None => {
                            j = b.len();
                            break;
                        }
                    }
                }
                i = j;
            }
            b' ' | b'\n' | b'\r' | b'\t' => {
                out.push_str(&json[start..i]);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    out.push_str(&json[start..]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_valid_compact_json() {
        let mut b = ExtraBuf::default();
        b.text("", "a\"b", "line\nbreak\u{1}");
        b.raw(
            "p",
            "list",
            "[ 1, \"x y\" ,\n {\"k\" : 2}, \"a\\\\\", \"b\\\" c\" ]",
        );
        let s = b.finish().unwrap();
        assert_eq!(
            s,
            r#"{"a\"b":"line\nbreak\u0001","p.list":[1,"x y",{"k":2},"a\\","b\" c"]}"#
        );
        let v: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["a\"b"], "line\nbreak\u{1}");
        assert!(ExtraBuf::default().finish().is_none());
    }

    #[test]
    fn objects_flatten_and_mapped_paths_are_skipped() {
        let v: Value = serde_json::from_str(
            r#"{"ts":"t","user":{"name":"u","type":"IAM"},"n":3,"z":null,"e":"","a":[1,2]}"#,
        )
        .unwrap();
        let s = from_object(&v, &|p| p == "ts" || p == "user.name").unwrap();
        assert_eq!(s, r#"{"a":[1,2],"n":3,"user.type":"IAM"}"#);
        assert!(from_object(&v, &|_| true).is_none());
        assert!(from_object(&Value::from("x"), &|_| false).is_none());
    }

    #[test]
    fn each_column_value_accounts_for_one_pair() {
        let pairs = vec![
            ("user".to_string(), "alice".to_string()),
            ("login".to_string(), "alice".to_string()),
            ("pid".to_string(), "42".to_string()),
            ("dash".to_string(), "-".to_string()),
        ];
        let s = from_pairs(&pairs, &[Some("alice"), None, Some("nope")]).unwrap();
        assert_eq!(s, r#"{"login":"alice","pid":"42"}"#);
        assert!(from_pairs(&pairs[..1], &[Some("alice")]).is_none());
    }
}
