//! JSON parsing that keeps every value of a duplicated key. `serde_json::Value` keeps only the
//! last one and says nothing; a log writer that repeats a key (two `user` fields) wrote both.
//! Here the first value stays under its key, where the mapping reads it, and each later one is
//! kept beside it as `key (2)`, `key (3)`, ... (among the event's extra fields), and the keys
//! that repeated are listed so the reader can flag the record.

use std::cell::RefCell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The extra field that lists the keys a record repeats.
pub(crate) const DUPLICATE_KEYS: &str = "_duplicate_keys";

/// Parses one JSON text; the second value lists the repeated keys (dotted paths), in order.
pub(crate) fn parse(text: &str) -> Result<(Value, Vec<String>), serde_json::Error> {
    let dups = RefCell::new(Vec::new());
    let mut de = serde_json::Deserializer::from_str(text);
    let value = Seed {
        dups: &dups,
        path: None,
    }
    .deserialize(&mut de)?;
    de.end()?;
    Ok((value, dups.into_inner()))
}

/// `"user, a.b"` under [`DUPLICATE_KEYS`] in an object, when keys repeated.
pub(crate) fn flag(v: &mut Value, dups: &[String]) {
    if let (Value::Object(m), false) = (v, dups.is_empty()) {
        m.insert(DUPLICATE_KEYS.to_string(), Value::String(dups.join(", ")));
    }
}

#[derive(Clone, Copy)]
struct Seed<'a> {
    dups: &'a RefCell<Vec<String>>,
    /// The key path of the value being read (only walked when a duplicate is found).
    path: Option<&'a Path<'a>>,
}

struct Path<'a> {
    key: &'a str,
    parent: Option<&'a Path<'a>>,
}

fn dotted(path: Option<&Path>, key: &str) -> String {
    let mut parts = vec![key];
    let mut p = path;
    while let Some(x) = p {
        parts.push(x.key);
        p = x.parent;
    }
    parts.reverse();
    parts.join(".")
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let here = Path {
                key: &key,
                parent: self.path,
            };
            let v = map.next_value_seed(Seed {
                dups: self.dups,
                path: Some(&here),
            })?;
            if !out.contains_key(&key) {
                out.insert(key, v);
                continue;
            }
            self.dups.borrow_mut().push(dotted(self.path, &key));
            let mut n = 2;
            while out.contains_key(&format!("{key} ({n})")) {
                n += 1;
            }
            out.insert(format!("{key} ({n})"), v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_of_a_repeated_key_is_kept() {
        let (v, dups) = parse(r#"{"user":"a","n":{"x":1,"x":2},"user":"b","user":"c"}"#).unwrap();
        assert_eq!(v["user"], "a");
        assert_eq!(v["user (2)"], "b");
        assert_eq!(v["user (3)"], "c");
        assert_eq!(v["n"]["x (2)"], 2);
        assert_eq!(dups, vec!["n.x", "user", "user"]);
        let (plain, none) = parse(r#"{"a":[1,2.5,null,true]}"#).unwrap();
        assert!(none.is_empty());
        assert_eq!(plain, serde_json::json!({"a":[1,2.5,null,true]}));
        assert!(
            parse(r#"{"a":"\ud800"}"#).is_err(),
            "a lone surrogate is an error"
        );
        assert!(parse(r#"{"a":1} x"#).is_err());
    }
}
