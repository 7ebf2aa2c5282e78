//! Syslog auth logs (`/var/log/auth.log`, `secure`): RFC 3164 lines (`Mar 11 19:26:39 host
//! sshd[3]: ...`, no year, no zone) and RFC 5424 lines (`<34>1 2003-10-11T22:14:15.003Z host
//! app procid msgid [sd] msg`). RFC 3164 times are read in the source zone (`--tz`) in a
//! reference year (`--year`, the year of the first line); the year advances when the month goes
//! back (December -> January). sshd and PAM messages give account, address and outcome.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

use super::{Item, LineFormat, Rec, reject};
use crate::ingest::{Field, Plan};
use crate::model::time::TsFlags;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

pub(crate) struct Syslog {
    year: i32,
    last_month: Option<u32>,
}

impl Syslog {
    pub fn new(plan: &Plan) -> Syslog {
        Syslog {
            year: plan.reference_year(),
            last_month: None,
        }
    }
}

/// `Mar 11 19:26:39` at the start of a line: (month 1-12, day, time, rest).
fn rfc3164_head(line: &str) -> Option<(u32, u32, NaiveTime, &str)> {
    let l = line
        .strip_prefix('<')
        .map_or(line, |r| r.find('>').map_or(line, |i| &r[i + 1..]));
    let b = l.as_bytes();
    if b.len() < 16 || b[3] != b' ' {
        return None;
    }
    // `get`, not indexing: a mangled line may put a multi-byte character across these cuts.
    let month = MONTHS.iter().position(|m| Some(*m) == l.get(..3))? as u32 + 1;
    let day: u32 = l.get(4..6)?.trim().parse().ok()?;
    let time = NaiveTime::parse_from_str(l.get(7..15)?, "%H:%M:%S").ok()?;
    Some((month, day, time, l.get(15..)?.trim_start()))
}

fn rfc5424(line: &str) -> Option<(&str, Vec<&str>, &str)> {
    let r = line.strip_prefix('<')?;
    let gt = r.find('>')?;
    let rest = r[gt + 1..].strip_prefix("1 ")?;
    let mut parts = rest.splitn(6, ' ');
    let ts = parts.next()?;
    let host = parts.next()?;
    let app = parts.next()?;
    let procid = parts.next()?;
    let msgid = parts.next()?;
    let tail = parts.next().unwrap_or("");
    // Structured data: `-` or one or more `[...]` blocks.
    let mut sd = "";
    let msg = if let Some(t) = tail.strip_prefix("- ") {
        t
    } else if tail == "-" {
        ""
    } else if tail.starts_with('[') {
        let mut depth = 0i32;
        let mut end = tail.len();
        let mut esc = false;
        for (i, c) in tail.char_indices() {
            match c {
                _ if esc => esc = false,
                '\\' => esc = true,
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 && !tail[i + 1..].starts_with('[') {
                        end = i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        sd = &tail[..end];
        tail[end..].trim_start()
    } else {
        tail
    };
    Some((
        ts,
        vec![host, app, procid, msgid, sd],
        msg.trim_start_matches('\u{feff}'),
    ))
}

pub(super) fn looks_like(line: &str) -> bool {
    rfc3164_head(line).is_some() || rfc5424(line).is_some()
}

/// `sshd[123]:` -> ("sshd", Some("123")).
fn program(tag: &str) -> (&str, Option<&str>) {
    let tag = tag.trim_end_matches(':');
    match tag.find('[') {
        Some(i) => (&tag[..i], Some(tag[i + 1..].trim_end_matches(']'))),
        None => (tag, None),
    }
}

/// Fills account, address, action and outcome from sshd / PAM / sudo messages.
fn read_message(prog: &str, msg: &str, r: &mut Rec) {
    let words: Vec<&str> = msg.split_whitespace().collect();
    let after = |w: &str| {
        words
            .iter()
            .position(|x| *x == w)
            .and_then(|i| words.get(i + 1))
    };
    let mut action = prog.to_string();
    if prog.starts_with("sshd") {
        if let (Some(kind @ ("Accepted" | "Failed")), Some(method)) =
            (words.first().copied(), words.get(1))
        {
            action = format!("ssh login ({method})");
            let mut user = after("for").copied();
            if user == Some("invalid") {
                user = words
                    .iter()
                    .position(|x| *x == "user")
                    .and_then(|i| words.get(i + 1))
                    .copied();
            }
            r.set_opt(Field::Account, user);
            r.set(
                Field::Outcome,
                if kind == "Accepted" {
                    "success"
                } else {
                    "failed"
                },
            );
        } else if words.first() == Some(&"Invalid") && words.get(1) == Some(&"user") {
            action = "ssh login (invalid user)".into();
            r.set_opt(Field::Account, words.get(2).copied());
            r.set(Field::Outcome, "failed");
        } else if words.first() == Some(&"Connection") && words.get(1) == Some(&"from") {
            action = "ssh connection".into();
        } else if words.first() == Some(&"Disconnected") || msg.contains("Connection closed") {
            action = "ssh disconnect".into();
            r.set_opt(Field::Account, after("user").copied());
        }
        r.set_opt(Field::SrcIp, after("from").copied());
    }
    if msg.contains("session opened for user") || msg.contains("session closed for user") {
        let opened = msg.contains("opened");
        action = format!("session {}", if opened { "opened" } else { "closed" });
        r.set_opt(
            Field::Account,
            after("user").map(|u| u.split('(').next().unwrap_or(u).to_string()),
        );
    }
    if prog == "sudo"
        && let Some(i) = msg.find(" : ")
    {
        action = "sudo".into();
        r.set(Field::Account, msg[..i].trim());
        if let Some(c) = msg.find("COMMAND=") {
            r.set(Field::Object, &msg[c + 8..]);
        }
        r.set(
            Field::Outcome,
            if msg.contains("NOT in sudoers") || msg.contains("incorrect password") {
                "denied"
            } else {
                "success"
            },
        );
    }
    r.set(Field::Action, action);
    if !r.has(Field::Object) {
        r.set(Field::Object, msg);
    }
}

impl LineFormat for Syslog {
    fn line(&mut self, no: u64, text: &str, out: &mut Vec<Item>) {
        if text.trim().is_empty() {
            return;
        }
        let mut r = Rec::new(no, text);
        if let Some((month, day, time, rest)) = rfc3164_head(text) {
            if let Some(last) = self.last_month
                && month + 6 <= last
            {
                // Checked: a --year near i32::MAX must not wrap to a year long past.
                let Some(next) = self.year.checked_add(1) else {
                    out.push(reject(
                        no,
                        format!(
                            "the year after {} (the month went back from {last} to {month}) is out of range",
                            self.year
                        ),
                        text,
                    ));
                    return;
                };
                self.year = next;
            }
            self.last_month = Some(month);
            let Some(date) = NaiveDate::from_ymd_opt(self.year, month, day) else {
                out.push(reject(
                    no,
                    format!("no such date: day {day} of month {month} in {}", self.year),
                    text,
                ));
                return;
            };
            let ndt = NaiveDateTime::new(date, time);
            r.set(Field::Time, ndt.format("%Y-%m-%d %H:%M:%S").to_string());
            r.raw_ts = Some(raw_3164_ts(text));
            r.flags = TsFlags::YEAR_INFERRED;
            let mut it = rest.splitn(3, ' ');
            let host = it.next().unwrap_or("");
            let tag = it.next().unwrap_or("");
            let msg = it.next().unwrap_or("").trim();
            let (prog, pid) = program(tag);
            r.set(Field::System, host);
            r.set_opt(Field::Session, pid.map(|p| format!("{host}:{prog}[{p}]")));
            read_message(prog, msg, &mut r);
            keep_message(msg, &mut r);
            out.push(Item::Rec(r));
        } else if let Some((ts, f, msg)) = rfc5424(text) {
            r.set(Field::Time, ts);
            let (host, app, procid) = (f[0], f[1], f[2]);
            if host != "-" {
                r.set(Field::System, host);
            }
            if procid != "-" {
                r.set(Field::Session, format!("{host}:{app}[{procid}]"));
            }
            read_message(app, msg, &mut r);
            keep_message(msg, &mut r);
            for (k, v) in [("msgid", f[3]), ("structured_data", f[4])] {
                if !v.is_empty() && v != "-" {
                    r.pairs.push((k.to_string(), v.to_string()));
                }
            }
            out.push(Item::Rec(r));
        } else {
            out.push(reject(
                no,
                "not a syslog line: expected `Mmm dd hh:mm:ss host tag: message` (RFC 3164) or `<PRI>1 TIMESTAMP ...` (RFC 5424)",
                text,
            ));
        }
    }

    fn finish(&mut self, _out: &mut Vec<Item>) {}
}

/// The whole message is an extra field when the object holds only part of it (sudo's COMMAND).
fn keep_message(msg: &str, r: &mut Rec) {
    if r.fields[Field::Object as usize].as_deref() != Some(msg) && !msg.is_empty() {
        r.pairs.push(("message".to_string(), msg.to_string()));
    }
}

fn raw_3164_ts(text: &str) -> String {
    let l = text
        .strip_prefix('<')
        .and_then(|r| r.find('>').map(|i| &r[i + 1..]))
        .unwrap_or(text);
    l[..15].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(year: i32, text: &str) -> Vec<Rec> {
        let mut s = Syslog {
            year,
            last_month: None,
        };
        let mut out = Vec::new();
        for (i, l) in text.lines().enumerate() {
            s.line(i as u64 + 1, l, &mut out);
        }
        out.into_iter()
            .map(|i| match i {
                Item::Rec(r) => r,
                Item::Reject(r) => panic!("{r:?}"),
            })
            .collect()
    }

    #[test]
    fn a_year_past_the_32_bit_limit_is_a_reject_not_a_wrap() {
        let mut s = Syslog {
            year: i32::MAX,
            last_month: None,
        };
        let mut out = Vec::new();
        s.line(1, "Dec 31 23:59:59 h sshd[7]: x", &mut out);
        s.line(2, "Jan  1 00:00:01 h sshd[7]: y", &mut out);
        assert_eq!(s.year, i32::MAX);
        match &out[1] {
            Item::Reject(r) => assert!(format!("{r:?}").contains("out of range"), "{r:?}"),
            Item::Rec(r) => panic!("line 2 was read: {r:?}"),
        }
    }

    #[test]
    fn year_rolls_over_and_sshd_is_read() {
        let recs = run(
            2023,
            "Dec 31 23:59:59 h sshd[7]: Failed password for invalid user bob from 10.0.0.1 port 22 ssh2\nJan  1 00:00:01 h sshd[7]: Accepted publickey for alice from 10.0.0.2 port 1 ssh2\n",
        );
        assert_eq!(recs[0].fields[0].as_deref(), Some("2023-12-31 23:59:59"));
        assert_eq!(recs[1].fields[0].as_deref(), Some("2024-01-01 00:00:01"));
        assert_eq!(
            recs[0].fields[Field::Account as usize].as_deref(),
            Some("bob")
        );
        assert_eq!(
            recs[1].fields[Field::SrcIp as usize].as_deref(),
            Some("10.0.0.2")
        );
        assert_eq!(recs[1].raw_ts.as_deref(), Some("Jan  1 00:00:01"));
    }

    #[test]
    fn rfc5424_with_structured_data() {
        let recs = run(
            2000,
            "<165>1 2003-10-11T22:14:15.003Z mymachine.example.com sshd 812 ID47 [exampleSDID@32473 iut=\"3\"] Accepted password for carol from 192.0.2.9 port 5 ssh2\n",
        );
        assert_eq!(
            recs[0].fields[0].as_deref(),
            Some("2003-10-11T22:14:15.003Z")
        );
        assert_eq!(
            recs[0].fields[Field::Account as usize].as_deref(),
            Some("carol")
        );
        assert_eq!(
            recs[0].fields[Field::Outcome as usize].as_deref(),
            Some("success")
        );
    }
}
