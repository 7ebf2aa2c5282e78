//! Timesketch JSON Lines: one event a line with the three fields Timesketch requires
//! (`message`, `datetime` in ISO 8601, `timestamp_desc`) and Retrace's own fields beside them,
//! so a panel can upload the export to its Timesketch server as is (and Retrace's own
//! `timesketch-jsonl` reader imports it back).
//!
//! Subject identifiers are not written, only how many there are (`subjects_count`): a shared
//! timeline server is a wider audience than the case. The object text is redacted as in
//! every export.

use std::fs::File;
use std::io::{self, Write};

use serde::Serialize;

use super::rows::{FileSink, OutRow};

#[derive(Serialize)]
struct Line<'r> {
    message: &'r str,
    datetime: &'r str,
    timestamp_desc: &'r str,
    /// Timesketch's conventional user and host fields, so its views show them.
    username: &'r str,
    hostname: &'r str,
    person_id: &'r str,
    person: &'r str,
    organization: &'r str,
    actor_country: &'r str,
    account: &'r str,
    src_ip: &'r str,
    system: &'r str,
    storage_country: &'r str,
    action: &'r str,
    object: &'r str,
    categories: &'r str,
    subjects_count: usize,
    records: Option<i64>,
    outcome: &'r str,
    session: &'r str,
    ticket: &'r str,
    source_file: &'r str,
    source_line: i64,
    source_line_end: i64,
    event_id: i64,
    display_zone: &'r str,
    time_local: &'r str,
    data_type: &'static str,
}

/// What the event says in one line: `alice (P13): SELECT customers on crm-db [success]`.
fn message(r: &OutRow<'_>) -> String {
    let who = match (r.account, r.person_id) {
        ("", "") => "(no account)".to_string(),
        (a, "") => a.to_string(),
        ("", p) => p.to_string(),
        (a, p) => format!("{a} ({p})"),
    };
    let mut m = who;
    m.push_str(": ");
    m.push_str(if r.action.is_empty() {
        "access"
    } else {
        r.action
    });
    if !r.object.is_empty() {
        m.push(' ');
        m.push_str(r.object);
    }
    if !r.system.is_empty() {
        m.push_str(" on ");
        m.push_str(r.system);
    }
    if !r.outcome.is_empty() {
        m.push_str(" [");
        m.push_str(r.outcome);
        m.push(']');
    }
    m
}

/// Writes rows as Timesketch JSON Lines.
pub struct TimesketchOut {
    w: io::BufWriter<FileSink>,
    zone: String,
}

impl TimesketchOut {
    pub fn new(file: File, zone: &str) -> io::Result<TimesketchOut> {
        Ok(TimesketchOut {
            w: io::BufWriter::with_capacity(1 << 16, FileSink::new(file)?),
            zone: zone.to_string(),
        })
    }

    pub fn write(&mut self, r: &OutRow<'_>) -> io::Result<()> {
        let message = message(r);
        let subjects_count = r.subjects.split(';').filter(|s| !s.is_empty()).count();
        let line = Line {
            message: &message,
            datetime: r.time_utc,
            // Timesketch's "what this time is": the access the record logs.
            timestamp_desc: if r.action.is_empty() {
                "Access"
            } else {
                r.action
            },
            username: r.account,
            hostname: r.system,
            person_id: r.person_id,
            person: r.person,
            organization: r.organization,
            actor_country: r.actor_country,
            account: r.account,
            src_ip: r.src_ip,
            system: r.system,
            storage_country: r.system_country,
            action: r.action,
            object: r.object,
            categories: r.categories,
            subjects_count,
            records: r.records,
            outcome: r.outcome,
            session: r.session,
            ticket: r.ticket,
            source_file: r.source_file,
            source_line: r.line,
            source_line_end: r.line_end,
            event_id: r.event_id,
            display_zone: &self.zone,
            time_local: r.time_local,
            data_type: "retrace:access",
        };
        serde_json::to_writer(&mut self.w, &line)?;
        self.w.write_all(b"\n")
    }

    pub fn finish(self) -> io::Result<(String, u64)> {
        let sink = self.w.into_inner().map_err(|e| e.into_error())?;
        sink.finish()
    }
}
