//! Linux auditd records: `type=USER_AUTH msg=audit(1783414613.119:441): pid=... uid=0 auid=...
//! ses=4 msg='op=... acct="root" exe="..." hostname=? addr=1.2.3.4 terminal=ssh res=failed'`,
//! optionally enriched (`UID="root" AUID="unset"`, log_format=ENRICHED). One event per line.

use super::{Item, LineFormat, Rec, reject};
use crate::ingest::Field;

pub(crate) struct Auditd;

pub(super) fn looks_like(line: &str) -> bool {
    let l = line
        .strip_prefix("node=")
        .map_or(line, |r| r.split_once(' ').map_or(line, |(_, rest)| rest));
    l.starts_with("type=") && l.contains(" msg=audit(")
}

/// `key=value` pairs, values bare, `"quoted"` or `'quoted'` (the inner `msg='...'` is read too).
fn pairs(s: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i] == b' ' || b[i] == b'\'') {
            i += 1;
        }
        let ks = i;
        while i < b.len() && b[i] != b'=' && b[i] != b' ' {
            i += 1;
        }
        if i >= b.len() || b[i] != b'=' {
            continue;
        }
        let key = &s[ks..i];
        i += 1;
        let (vs, ve);
        if i < b.len() && b[i] == b'"' {
            vs = i + 1;
            let end = s[vs..].find('"').map_or(b.len(), |e| vs + e);
            ve = end;
            i = (end + 1).min(b.len());
        } else if i < b.len() && b[i] == b'\'' {
            // Nested `msg='...'`: its pairs follow as ordinary pairs.
            i += 1;
            continue;
        } else {
            vs = i;
            while i < b.len() && b[i] != b' ' && b[i] != b'\'' {
                i += 1;
            }
            ve = i;
        }
        out.push((key, &s[vs..ve]));
    }
    out
}

impl LineFormat for Auditd {
    fn line(&mut self, no: u64, text: &str, out: &mut Vec<Item>) {
        if text.trim().is_empty() {
            return;
        }
        let Some(a) = text.find("msg=audit(") else {
            out.push(reject(no, "not an auditd record: no msg=audit(...)", text));
            return;
        };
        let rest = &text[a + 10..];
        let Some(close) = rest.find(')') else {
            out.push(reject(
                no,
                "auditd record without the closing ) of msg=audit(",
                text,
            ));
            return;
        };
        let stamp = &rest[..close];
        let (epoch, serial) = stamp.split_once(':').unwrap_or((stamp, ""));
        let kv = pairs(text);
        let get = |k: &str| {
            kv.iter()
                .rev()
                .find(|(key, v)| *key == k && !v.is_empty() && *v != "?" && *v != "(null)")
                .map(|(_, v)| *v)
        };
        let mut r = Rec::new(no, text);
        r.set(Field::Time, epoch);
        r.raw_ts = Some(stamp.to_string());
        let _ = serial;
        let kind = get("type").unwrap_or("");
        r.set(
            Field::Action,
            match get("op") {
                Some(op) => format!("{kind} ({op})"),
                None => kind.to_string(),
            },
        );
        let auid = get("AUID").filter(|u| *u != "unset");
        r.set_opt(
            Field::Account,
            get("acct")
                .or(auid)
                .or(get("UID"))
                .or(get("auid").filter(|u| *u != "4294967295")),
        );
        r.set_opt(Field::SrcIp, get("addr"));
        r.set_opt(Field::System, get("node").or(get("hostname")));
        r.set_opt(Field::Object, get("cmd").or(get("exe")));
        r.set_opt(Field::Outcome, get("res"));
        r.set_opt(Field::Session, get("ses").filter(|s| *s != "4294967295"));
        r.pairs = kv
            .iter()
            .filter(|(k, v)| *k != "msg" && *v != "?" && *v != "(null)")
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        out.push(Item::Rec(r));
    }

    fn finish(&mut self, _out: &mut Vec<Item>) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enriched_user_auth() {
        let line = r#"type=USER_AUTH msg=audit(1783414613.119:441): pid=2124 uid=0 auid=4294967295 ses=4294967295 subj=x msg='op=pubkey acct="root" exe="/usr/libexec/openssh/sshd-session" hostname=? addr=172.23.112.1 terminal=ssh res=failed'UID="root" AUID="unset""#;
        let mut out = Vec::new();
        Auditd.line(1, line, &mut out);
        let Item::Rec(r) = &out[0] else { panic!() };
        let f = |x: Field| r.fields[x as usize].as_deref();
        assert_eq!(f(Field::Time), Some("1783414613.119"));
        assert_eq!(f(Field::Account), Some("root"));
        assert_eq!(f(Field::SrcIp), Some("172.23.112.1"));
        assert_eq!(f(Field::Action), Some("USER_AUTH (pubkey)"));
        assert_eq!(f(Field::Outcome), Some("failed"));
        assert_eq!(f(Field::Session), None);
    }
}
