//! MySQL / MariaDB general query log. Old style: `YYMMDD H:MM:SS\t<id> <Command>\t<argument>`,
//! local time, written only when the second changes (later lines of the same second start with
//! tabs and carry the last time); new style: ISO time with `Z` or an offset on every line.
//! Multi-line queries continue on lines without an id and command. Queries are joined to the
//! connecting user by thread id (`Connect user@host on db`; `Init DB` changes the database).

use std::collections::HashMap;

use super::{Item, LineFormat, Rec, reject};
use crate::ingest::Field;

const COMMANDS: &[&str] = &[
    "Init DB",
    "Field List",
    "Change user",
    "Binlog Dump",
    "Close stmt",
    "Reset stmt",
    "Long Data",
    "Create DB",
    "Drop DB",
    "Set option",
    "Register Slave",
    "Table Dump",
    "Delayed insert",
    "Connect Out",
    "Connect",
    "Query",
    "Quit",
    "Prepare",
    "Execute",
    "Fetch",
    "Sleep",
    "Statistics",
    "Ping",
    "Kill",
    "Refresh",
    "Shutdown",
    "Debug",
    "Processlist",
    "Daemon",
    "Time",
];

/// A connection: user, host, database.
type Conn = (Option<String>, Option<String>, Option<String>);

#[derive(Default)]
pub(crate) struct General {
    /// Last time seen: (time field, raw text).
    time: Option<(String, String)>,
    threads: HashMap<String, Conn>,
    pending: Option<Rec>,
}

/// Splits a leading timestamp off: (time field, raw, rest).
fn lead_time(line: &str) -> Option<(String, &str, &str)> {
    let b = line.as_bytes();
    if b.len() >= 15
        && b[..6].iter().all(u8::is_ascii_digit)
        && b[6] == b' '
        && b[9] == b':'
        && b[12] == b':'
    {
        // Bytes 0-6, 9 and 12 are ASCII; the others may not be (`get`, not indexing).
        let raw = line.get(..15)?;
        let (yy, mm, dd) = (&line[0..2], &line[2..4], &line[4..6]);
        let hour: u32 = line.get(7..9)?.trim().parse().ok()?;
        let t = format!("20{yy}-{mm}-{dd} {hour:02}:{}", line.get(10..15)?);
        return Some((t, raw, &line[15..]));
    }
    if b.len() >= 20 && b[4] == b'-' && b[7] == b'-' && b[10] == b'T' {
        let end = line.find(['\t', ' ']).unwrap_or(line.len());
        let raw = &line[..end];
        return Some((raw.to_string(), raw, &line[end..]));
    }
    None
}

/// `   42 Query\tSELECT 1` -> ("42", "Query", "SELECT 1").
fn id_command(rest: &str) -> Option<(&str, &'static str, &str)> {
    let r = rest.trim_start();
    let digits = r.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let id = &r[..digits];
    let after = r[digits..].trim_start_matches([' ', '\t']);
    if after.len() == r[digits..].len() {
        return None;
    }
    let cmd = COMMANDS.iter().find(|c| {
        after.starts_with(**c)
            && after[c.len()..]
                .chars()
                .next()
                .is_none_or(|ch| ch == ' ' || ch == '\t')
    })?;
    Some((id, cmd, after[cmd.len()..].trim()))
}

pub(super) fn sniff(lines: &[&str]) -> f32 {
    let mut timed = 0;
    let mut known = 0;
    for l in lines {
        let rest = lead_time(l).map(|(_, _, r)| r);
        if rest.is_some_and(|r| id_command(r).is_some()) {
            timed += 1;
            known += 1;
        } else if id_command(l).is_some() || is_header(l) {
            known += 1;
        } else if l.starts_with(' ') || l.starts_with('\t') {
            known += 1; // continuation
        }
    }
    if timed == 0 || lines.is_empty() {
        return 0.0;
    }
    known as f32 / lines.len() as f32
}

fn is_header(l: &str) -> bool {
    l.contains(", Version: ") && l.contains("started with")
        || l.starts_with("Tcp port:")
        || l.starts_with("Time ") && l.contains("Id Command")
}

impl General {
    fn flush(&mut self, out: &mut Vec<Item>) {
        if let Some(r) = self.pending.take() {
            out.push(Item::Rec(r));
        }
    }
}

impl LineFormat for General {
    fn line(&mut self, no: u64, text: &str, out: &mut Vec<Item>) {
        if text.trim().is_empty() {
            return;
        }
        let (rest, timed) = match lead_time(text) {
            Some((t, raw, rest)) => {
                self.time = Some((t, raw.to_string()));
                (rest, true)
            }
            None => (text, false),
        };
        let Some((id, cmd, arg)) = id_command(rest) else {
            if !timed && let Some(r) = &mut self.pending {
                r.line_end = no;
                r.raw.push('\n');
                r.raw.push_str(text);
                let obj = r.fields[Field::Object as usize].get_or_insert_with(String::new);
                obj.push(' ');
                obj.push_str(text.trim());
                return;
            }
            if is_header(text) {
                return;
            }
            out.push(reject(
                no,
                "not a general-log line: expected [time] <thread id> <command> <argument>",
                text,
            ));
            return;
        };
        self.flush(out);
        let Some((t, raw)) = self.time.clone() else {
            out.push(reject(
                no,
                "no time yet: the log starts with a line that carries no time",
                text,
            ));
            return;
        };
        let mut r = Rec::new(no, text);
        r.set(Field::Time, t);
        r.raw_ts = Some(raw);
        r.set(Field::Action, cmd);
        r.set(Field::Session, id);
        match cmd {
            "Connect" => {
                let denied = arg.starts_with("Access denied");
                let (user, host, db) = if denied {
                    let q: Vec<&str> = arg.split('\'').collect();
                    (
                        q.get(1).map(|s| s.to_string()),
                        q.get(3).map(|s| s.to_string()),
                        None,
                    )
                } else {
                    let (who, db) = arg.split_once(" on ").unwrap_or((arg, ""));
                    let db = db.split(" using ").next().unwrap_or("").trim();
                    let (u, h) = who.split_once('@').unwrap_or((who, ""));
                    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
                    (some(u), some(h), some(db))
                };
                r.set(Field::Outcome, if denied { "denied" } else { "success" });
                if !denied {
                    self.threads
                        .insert(id.to_string(), (user.clone(), host.clone(), db.clone()));
                }
                r.set_opt(Field::Account, user);
                r.set_opt(Field::SrcIp, host);
                r.set_opt(Field::System, db);
            }
            _ => {
                if cmd == "Init DB"
                    && let Some(t) = self.threads.get_mut(id)
                {
                    t.2 = Some(arg.to_string());
                }
                if let Some((u, h, db)) = self.threads.get(id) {
                    r.set_opt(Field::Account, u.clone());
                    r.set_opt(Field::SrcIp, h.clone());
                    r.set_opt(Field::System, db.clone());
                }
                r.set(Field::Object, arg);
                if cmd == "Quit" {
                    self.threads.remove(id);
                }
            }
        }
        self.pending = Some(r);
    }

    fn finish(&mut self, out: &mut Vec<Item>) {
        self.flush(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_threads_and_carries_time() {
        let text = "051007 21:55:24\t     42 Connect     root@localhost on db1\n\t\t     42 Query       SELECT foo \n           FROM tbl\n2024-01-02T03:04:05.000000Z\t   42 Init DB\tother\n";
        let mut g = General::default();
        let mut out = Vec::new();
        for (i, l) in text.lines().enumerate() {
            g.line(i as u64 + 1, l, &mut out);
        }
        g.finish(&mut out);
        let recs: Vec<Rec> = out
            .into_iter()
            .map(|i| match i {
                Item::Rec(r) => r,
                Item::Reject(r) => panic!("{r:?}"),
            })
            .collect();
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[1].fields[0].as_deref(), Some("2005-10-07 21:55:24"));
        assert_eq!(
            recs[1].fields[Field::Account as usize].as_deref(),
            Some("root")
        );
        assert_eq!(
            recs[1].fields[Field::Object as usize].as_deref(),
            Some("SELECT foo FROM tbl")
        );
        assert_eq!((recs[1].line, recs[1].line_end), (2, 3));
        assert_eq!(
            recs[2].fields[Field::System as usize].as_deref(),
            Some("other")
        );
    }
}
