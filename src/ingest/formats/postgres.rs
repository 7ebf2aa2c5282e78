//! PostgreSQL logs: csvlog (fixed columns), and stderr logs whose lines start with a
//! `log_line_prefix` (default `%m [%p] %q%u@%d `; detected among common ones or given in the
//! mapping profile as `log_line_prefix`). pgaudit `AUDIT:` messages give class, command,
//! object and statement. Continuation lines (starting with a tab) and the DETAIL / STATEMENT /
//! HINT / CONTEXT lines that follow a message belong to that message's record. Lines the
//! prefix does not read are tried with the other common prefixes (a file that spans a change
//! of `log_line_prefix`).

use super::{Item, LineFormat, Rec, reject, strip_port};
use crate::ingest::{Field, Plan};

pub const DEFAULT_PREFIX: &str = "%m [%p] %q%u@%d ";

/// Prefixes tried when none is declared, most specific first.
pub const COMMON_PREFIXES: &[&str] = &[
    "%t [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
    "%m [%p]: [%l-1] user=%u,db=%d,app=%a,client=%h ",
    "%t [%p]: [%l-1] user=%u,db=%d ",
    "%m [%p] %q%u@%d ",
    "%t [%p] %q%u@%d ",
    "%m [%p] ",
    "%t [%p] ",
    "%t [%p-%l] %q%u@%d ",
    "",
];

const SEVERITIES: &[&str] = &[
    "LOG",
    "NOTICE",
    "WARNING",
    "ERROR",
    "FATAL",
    "PANIC",
    "INFO",
    "DEBUG",
    "DEBUG1",
    "DEBUG2",
    "DEBUG3",
    "DEBUG4",
    "DEBUG5",
    "STATEMENT",
    "DETAIL",
    "HINT",
    "CONTEXT",
    "LOCATION",
    "QUERY",
];

/// Values taken from a line's prefix.
#[derive(Default, Debug, Clone)]
struct Prefix<'a> {
    time: Option<&'a str>,
    pid: Option<&'a str>,
    user: Option<&'a str>,
    db: Option<&'a str>,
    host: Option<&'a str>,
    session: Option<&'a str>,
}

/// Matches `prefix` at the start of `line`; returns the values and the rest of the line.
fn match_prefix<'a>(prefix: &str, line: &'a str) -> Option<(Prefix<'a>, &'a str)> {
    let p: Vec<char> = prefix.chars().collect();
    let mut vals = Prefix::default();
    let mut pos = 0usize; // byte position in line
    let mut i = 0usize;
    // `%q`: where non-session lines stop, with the values read up to there.
    let mut checkpoint: Option<(usize, Prefix<'a>)> = None;
    let fail = |checkpoint: Option<(usize, Prefix<'a>)>, _vals: Prefix<'a>| {
        checkpoint.map(|(c, v)| (v, &line[c..]))
    };
    while i < p.len() {
        if p[i] == '%' && i + 1 < p.len() {
            let esc = p[i + 1];
            i += 2;
            match esc {
                '%' => {
                    if !line[pos..].starts_with('%') {
                        return fail(checkpoint, vals);
                    }
                    pos += 1;
                }
                'q' => checkpoint = Some((pos, vals.clone())),
                'm' | 't' => {
                    // `2024-01-02 03:04:05[.678] ZONE`: three words.
                    let rest = &line[pos..];
                    let mut end = 0;
                    for _ in 0..3 {
                        let r = &rest[end..];
                        let w = r.trim_start_matches(' ');
                        let skip = r.len() - w.len();
                        let wl = w.find(' ').unwrap_or(w.len());
                        end += skip + wl;
                    }
                    let t = &rest[..end];
                    let b = t.as_bytes();
                    if b.len() < 19 || b[4] != b'-' || b[10] != b' ' || b[13] != b':' {
                        return fail(checkpoint, vals);
                    }
                    vals.time = Some(t);
                    pos += end;
                }
                _ => {
                    // A value runs to the next literal character of the prefix (or a space).
                    let stop = p.get(i).copied().filter(|c| *c != '%').unwrap_or(' ');
                    let rest = &line[pos..];
                    let end = match rest.find(stop) {
                        Some(e) => e,
                        None if stop == ' ' => rest.len(),
                        None => return fail(checkpoint, vals),
                    };
                    let v = &rest[..end];
                    let v_opt = (!v.is_empty() && v != "[unknown]").then_some(v);
                    match esc {
                        'p' => {
                            if !v.bytes().all(|b| b.is_ascii_digit()) || v.is_empty() {
                                return fail(checkpoint, vals);
                            }
                            vals.pid = Some(v);
                        }
                        'u' => vals.user = v_opt,
                        'd' => vals.db = v_opt,
                        'h' | 'r' => vals.host = v_opt,
                        'c' => vals.session = v_opt,
                        'n' => vals.time = v_opt,
                        _ => {}
                    }
                    pos += end;
                }
            }
        } else {
            let mut buf = [0u8; 4];
            let s = p[i].encode_utf8(&mut buf);
            if !line[pos..].starts_with(&*s) {
                return fail(checkpoint, vals);
            }
            pos += s.len();
            i += 1;
        }
    }
    Some((vals, &line[pos..]))
}

/// `LOG:  message` -> ("LOG", "message").
fn severity(rest: &str) -> Option<(&str, &str)> {
    let (sev, msg) = rest.split_once(':')?;
    SEVERITIES.contains(&sev).then(|| (sev, msg.trim_start()))
}

/// PostgreSQL timestamps end in a zone abbreviation or an offset: makes them readable.
fn pg_time(t: &str) -> String {
    let t = t.trim();
    let Some((dt, zone)) = t.rsplit_once(' ') else {
        return t.to_string();
    };
    if zone.starts_with('+') || zone.starts_with('-') {
        let z = if zone.len() == 3 {
            format!("{zone}:00")
        } else {
            zone.to_string()
        };
        return format!("{dt}{z}");
    }
    match zone {
        "UTC" | "GMT" | "Z" => format!("{dt}Z"),
        _ => match crate::model::time::parse_zone(zone) {
            Ok(tz) => match chrono::NaiveDateTime::parse_from_str(dt, "%Y-%m-%d %H:%M:%S%.f") {
                Ok(ndt) => match crate::model::time::localize_in(tz, ndt) {
                    Ok(p) => crate::model::time::format_utc(p.ts_us),
                    Err(_) => dt.to_string(),
                },
                Err(_) => dt.to_string(),
            },
            // An abbreviation we cannot place: read in the source zone.
            Err(_) => dt.to_string(),
        },
    }
}

/// Fills action, object, account, outcome from the message text.
fn read_message(sev: &str, msg: &str, r: &mut Rec) {
    if let Some(audit) = msg.strip_prefix("AUDIT: ") {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(audit.as_bytes());
        let mut rec = csv::StringRecord::new();
        if rdr.read_record(&mut rec).unwrap_or(false) && rec.len() >= 8 {
            // AUDIT_TYPE,STATEMENT_ID,SUBSTATEMENT_ID,CLASS,COMMAND,OBJECT_TYPE,OBJECT_NAME,STATEMENT,PARAMETER
            r.set(Field::Action, format!("{} ({})", &rec[4], &rec[3]));
            if rec[6].is_empty() {
                r.set(Field::Object, &rec[7]);
            } else {
                r.set(
                    Field::Object,
                    format!("{} {}", &rec[5], &rec[6]).trim().to_string(),
                );
            }
            r.set(Field::Outcome, "success");
            return;
        }
    }
    let lower = msg.to_ascii_lowercase();
    let stmt = ["statement: ", "execute ", "bind "]
        .iter()
        .find_map(|k| lower.find(k).map(|i| (i, *k)));
    if let Some((i, k)) = stmt {
        let mut sql = &msg[i + k.len()..];
        if k != "statement: "
            && let Some(c) = sql.find(": ")
        {
            sql = &sql[c + 2..];
        }
        let verb = sql
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        r.set(Field::Action, verb.trim_end_matches(';').to_string());
        r.set(Field::Object, sql.trim());
    } else if let Some(u) = msg.strip_prefix("connection authorized: ") {
        r.set(Field::Action, "connection authorized");
        for kv in u.split_whitespace() {
            if let Some(user) = kv.strip_prefix("user=") {
                r.set(Field::Account, user);
            }
        }
        r.set(Field::Outcome, "success");
    } else if let Some(rest) = msg.strip_prefix("password authentication failed for user ") {
        r.set(Field::Action, "authentication");
        r.set(Field::Account, rest.trim_matches('"'));
        r.set(Field::Outcome, "failed");
    } else {
        r.set(Field::Action, sev);
        r.set(Field::Object, msg);
    }
    if matches!(sev, "ERROR" | "FATAL" | "PANIC") {
        r.set(Field::Outcome, "failed");
    }
}

/// csvlog: one CSV record per entry (quoted fields may span lines).
#[derive(Default)]
pub(crate) struct CsvLog {
    buf: String,
    start: u64,
}

pub(super) fn looks_like_csvlog(line: &str) -> bool {
    let b = line.as_bytes();
    b.len() > 30
        && b[4] == b'-'
        && b[10] == b' '
        && b[..30].contains(&b',')
        && SEVERITIES.iter().any(|s| line.contains(&format!(",{s},")))
}

/// The csvlog columns, in order (PostgreSQL documentation, "Using CSV-Format Log Output").
const CSVLOG_COLUMNS: [&str; 26] = [
    "log_time",
    "user_name",
    "database_name",
    "process_id",
    "connection_from",
    "session_id",
    "session_line_num",
    "command_tag",
    "session_start_time",
    "virtual_transaction_id",
    "transaction_id",
    "error_severity",
    "sql_state_code",
    "message",
    "detail",
    "hint",
    "internal_query",
    "internal_query_pos",
    "context",
    "query",
    "query_pos",
    "location",
    "application_name",
    "backend_type",
    "leader_pid",
    "query_id",
];

impl CsvLog {
    fn record(text: &str, line: u64, line_end: u64, out: &mut Vec<Item>) {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut rec = csv::StringRecord::new();
        match rdr.read_record(&mut rec) {
            Ok(true) if rec.len() >= 14 => {
                let mut r = Rec::new(line, text);
                r.line_end = line_end;
                r.set(Field::Time, pg_time(&rec[0]));
                r.raw_ts = Some(rec[0].to_string());
                r.set(Field::Account, &rec[1]);
                r.set(Field::System, &rec[2]);
                r.set_opt(
                    Field::SrcIp,
                    Some(strip_port(&rec[4])).filter(|h| !h.starts_with('[')),
                );
                r.set(Field::Session, &rec[5]);
                read_message(&rec[11], &rec[13], &mut r);
                if rec[11] == *"ERROR" && rec.len() > 19 && !rec[19].is_empty() {
                    r.set(Field::Object, &rec[19]);
                }
                r.pairs = super::column_pairs(&CSVLOG_COLUMNS, &rec, 1);
                out.push(Item::Rec(r));
            }
            Ok(_) => out.push(reject(
                line,
                "csvlog record with fewer than 14 columns",
                text,
            )),
            Err(e) => out.push(reject(
                line,
                format!("cannot read the CSV record: {e}"),
                text,
            )),
        }
    }
}

impl LineFormat for CsvLog {
    fn line(&mut self, no: u64, text: &str, out: &mut Vec<Item>) {
        if self.buf.is_empty() {
            if text.trim().is_empty() {
                return;
            }
            self.start = no;
        } else {
            self.buf.push('\n');
        }
        self.buf.push_str(text);
        if self.buf.bytes().filter(|b| *b == b'"').count() % 2 == 0 {
            let t = std::mem::take(&mut self.buf);
            CsvLog::record(&t, self.start, no, out);
        }
    }

    fn finish(&mut self, out: &mut Vec<Item>) {
        if !self.buf.is_empty() {
            let t = std::mem::take(&mut self.buf);
            out.push(reject(
                self.start,
                "csvlog record cut off: unbalanced quotes at the end of the file",
                &t,
            ));
        }
    }
}

/// stderr log with a `log_line_prefix`. A line the prefix does not read is tried with the
/// other common prefixes, so a file written before and after a change of `log_line_prefix`
/// reads whole.
pub(crate) struct Stderr {
    prefix: String,
    /// The common prefixes (with a time) other than `prefix`, tried in order.
    others: Vec<&'static str>,
    pending: Option<Rec>,
    /// A rejected line, held so that its continuation lines join it rather than the record
    /// before it.
    held: Option<crate::ingest::Reject>,
}

impl Stderr {
    pub fn new(plan: &Plan) -> Stderr {
        let prefix = plan
            .log_line_prefix
            .clone()
            .unwrap_or_else(|| DEFAULT_PREFIX.to_string());
        let others = COMMON_PREFIXES
            .iter()
            .copied()
            .filter(|p| !p.is_empty() && *p != prefix)
            .collect();
        Stderr {
            prefix,
            others,
            pending: None,
            held: None,
        }
    }

    fn flush(&mut self, out: &mut Vec<Item>) {
        if let Some(r) = self.held.take() {
            out.push(Item::Reject(r));
        }
        if let Some(r) = self.pending.take() {
            if r.has(Field::Time) {
                out.push(Item::Rec(r));
            } else {
                let what = r.fields[Field::Action as usize].clone().unwrap_or_default();
                out.push(reject(
                    r.line,
                    format!(
                        "no timestamp: the log_line_prefix {:?} has no %m, %t or %n ({what})",
                        self.prefix
                    ),
                    &r.raw,
                ));
            }
        }
    }

    /// Ends the record before and holds a reject for `no`, which its continuation lines join.
    /// Appends a line that belongs to the record above it: to the held reject, else to the
    /// pending record (which `on_record` may then amend). `false` when there is neither.
    fn attach(&mut self, no: u64, text: &str, on_record: impl FnOnce(&mut Rec)) -> bool {
        if let Some(h) = &mut self.held {
            h.raw.push('\n');
            h.raw.push_str(text);
            return true;
        }
        if let Some(r) = &mut self.pending {
            r.line_end = no;
            r.raw.push('\n');
            r.raw.push_str(text);
            on_record(r);
            return true;
        }
        false
    }

    fn hold(&mut self, no: u64, reason: String, text: &str, out: &mut Vec<Item>) {
        self.flush(out);
        self.held = Some(crate::ingest::Reject {
            line: no,
            reason,
            raw: text.to_string(),
        });
    }

    /// The prefix values, severity and message of a log line, by the main prefix or else the
    /// first other common prefix that reads it.
    fn read<'a>(&self, text: &'a str) -> Result<(Prefix<'a>, &'a str, &'a str), String> {
        let mut main_rest = None;
        for p in std::iter::once(self.prefix.as_str()).chain(self.others.iter().copied()) {
            if let Some((vals, rest)) = match_prefix(p, text) {
                if let Some((sev, msg)) = severity(rest) {
                    return Ok((vals, sev, msg));
                }
                if p == self.prefix {
                    main_rest = Some(());
                }
            }
        }
        Err(match main_rest {
            Some(()) => {
                "not a PostgreSQL log line: no LOG/NOTICE/ERROR/... severity after the prefix"
                    .to_string()
            }
            None => format!(
                "line does not start with the log_line_prefix {:?} (nor with another common prefix)",
                self.prefix
            ),
        })
    }
}

/// Counts the lines a prefix reads as log lines.
fn prefix_hits(prefix: &str, lines: &[&str]) -> usize {
    lines
        .iter()
        .filter(|l| {
            match_prefix(prefix, l)
                .and_then(|(_, rest)| severity(rest))
                .is_some()
        })
        .count()
}

/// The common prefix that reads the most lines (with a time, when any does).
pub fn guess_prefix(lines: &[&str]) -> String {
    // The first of equally good prefixes wins (`max_by_key` keeps the last, hence `rev`).
    COMMON_PREFIXES
        .iter()
        .rev()
        .max_by_key(|p| (prefix_hits(p, lines), !p.is_empty(), p.len()))
        .map_or(DEFAULT_PREFIX.to_string(), |p| p.to_string())
}

pub(super) fn sniff_stderr(lines: &[&str]) -> f32 {
    // Continuation lines (a tab first) belong to the line above; a file may use more than
    // one prefix: the share of the other lines that some common prefix with a time reads.
    let lines: Vec<&str> = lines
        .iter()
        .copied()
        .filter(|l| !l.starts_with('\t'))
        .collect();
    if lines.is_empty() {
        return 0.0;
    }
    let timed = lines
        .iter()
        .filter(|l| {
            COMMON_PREFIXES.iter().filter(|p| !p.is_empty()).any(|p| {
                match_prefix(p, l)
                    .and_then(|(_, rest)| severity(rest))
                    .is_some()
            })
        })
        .count();
    let f = timed as f32 / lines.len() as f32;
    let audit = lines
        .iter()
        .any(|l| l.contains("AUDIT: SESSION,") || l.contains("AUDIT: OBJECT,"));
    if audit { f.max(0.6) } else { f }
}

impl LineFormat for Stderr {
    fn line(&mut self, no: u64, text: &str, out: &mut Vec<Item>) {
        // A continuation line (the rest of a multi-line message, DETAIL or context, such as
        // the pg_hba.conf line a connection matched) belongs to the record above it.
        if text.starts_with('\t')
            && self.attach(no, text, |r| {
                if let Some(o) = &mut r.fields[Field::Object as usize] {
                    o.push(' ');
                    o.push_str(text.trim());
                }
            })
        {
            return;
        }
        if text.trim().is_empty() {
            return;
        }
        let (vals, sev, msg) = match self.read(text) {
            Ok(v) => v,
            Err(why) => {
                self.hold(no, why, text, out);
                return;
            }
        };
        if matches!(
            sev,
            "STATEMENT" | "DETAIL" | "HINT" | "CONTEXT" | "LOCATION" | "QUERY"
        ) {
            let attached = self.attach(no, text, |r| {
                if sev == "STATEMENT" {
                    r.set(Field::Object, msg);
                }
            });
            if attached {
                return;
            }
        }
        self.flush(out);
        let mut r = Rec::new(no, text);
        if let Some(t) = vals.time {
            r.set(Field::Time, pg_time(t));
            r.raw_ts = Some(t.to_string());
        }
        r.set_opt(Field::Account, vals.user);
        r.set_opt(Field::System, vals.db);
        r.set_opt(Field::SrcIp, vals.host.map(strip_port));
        r.set_opt(Field::Session, vals.session.or(vals.pid));
        read_message(sev, msg, &mut r);
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
    fn default_prefix_and_pgaudit() {
        let line = "2024-05-01 10:00:00.123 UTC [42] alice@sales LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.customer,\"select * from customer\",<not logged>";
        let (v, rest) = match_prefix(DEFAULT_PREFIX, line).unwrap();
        assert_eq!(v.user, Some("alice"));
        assert_eq!(v.db, Some("sales"));
        let (sev, msg) = severity(rest).unwrap();
        let mut r = Rec::new(1, line);
        read_message(sev, msg, &mut r);
        assert_eq!(
            r.fields[Field::Action as usize].as_deref(),
            Some("SELECT (READ)")
        );
        assert_eq!(
            r.fields[Field::Object as usize].as_deref(),
            Some("TABLE public.customer")
        );
        assert_eq!(
            pg_time("2024-05-01 10:00:00.123 UTC"),
            "2024-05-01 10:00:00.123Z"
        );
        // %q: a background process line stops at %q.
        let (v, rest) = match_prefix(
            DEFAULT_PREFIX,
            "2024-05-01 10:00:00.123 UTC [7] LOG:  checkpoint starting",
        )
        .unwrap();
        assert_eq!(v.user, None);
        assert!(rest.starts_with("LOG:"));
    }

    #[test]
    fn cet_abbreviation_is_placed() {
        assert_eq!(
            pg_time("2021-01-22 10:03:22.785 CET"),
            "2021-01-22T09:03:22.785Z"
        );
    }
}
