//! One generated access event, the operations it can record, and how each
//! access file spells it.
//!
//! Events are small `Copy` values whose subject lists live in a shared arena
//! so that generating millions of them allocates nothing per event.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use super::cast::{ACCOUNT_ID, ACCOUNTS, EMAIL, IMAGE_MEDIA, MESSAGE_TEXT, NAME, PHONE, System};
use super::clock::{self, Zone};

/// The four access files, in manifest order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LogFile {
    ShAdmin,
    JpAudit,
    KrMedia,
    Contractor,
}

pub(crate) const LOG_FILES: [LogFile; 4] = [
    LogFile::ShAdmin,
    LogFile::JpAudit,
    LogFile::KrMedia,
    LogFile::Contractor,
];

impl LogFile {
    pub(crate) fn name(self) -> &'static str {
        match self {
            LogFile::ShAdmin => "sh_admin_tool.csv",
            LogFile::JpAudit => "jp_db_audit.csv",
            LogFile::KrMedia => "kr_media_access.jsonl",
            LogFile::Contractor => "contractor_review_export.csv",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// What an event did. Each operation fixes the file, system, action and
/// object, and the data categories an importer should derive for it (from
/// the explicit column, the profile rules or the category alias).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    ShQueryUser,
    ShViewContacts,
    ShExportUsers,
    ShViewReport,
    ShExportReports,
    /// The refused attempt after revocation: no categories, no subjects.
    ShDenied,
    JpSelectUsers,
    JpUpdateUsers,
    JpSelectContacts,
    JpStats,
    JpSelectReports,
    JpUpdateQueue,
    KrGet,
    CtrPost,
    CtrReport,
}

impl Op {
    pub(crate) fn file(self) -> LogFile {
        use Op::*;
        match self {
            ShQueryUser | ShViewContacts | ShExportUsers | ShViewReport | ShExportReports
            | ShDenied => LogFile::ShAdmin,
            JpSelectUsers | JpUpdateUsers | JpSelectContacts | JpStats | JpSelectReports
            | JpUpdateQueue => LogFile::JpAudit,
            KrGet => LogFile::KrMedia,
            CtrPost | CtrReport => LogFile::Contractor,
        }
    }

    pub(crate) fn system(self) -> System {
        use Op::*;
        match self {
            ShQueryUser | ShViewContacts | ShExportUsers | ShDenied | JpSelectUsers
            | JpUpdateUsers | JpSelectContacts | JpStats => System::MsgDb,
            ShViewReport | ShExportReports | JpSelectReports | JpUpdateQueue => System::ReportDb,
            KrGet => System::Media,
            CtrPost | CtrReport => System::ReviewConsole,
        }
    }

    /// Categories as the importer must end up with them. For the Japan
    /// audit log these follow the profile's rules: `users` → name, phone,
    /// email, account_id; `user_contacts` → phone, email; `reports*` →
    /// message_text, account_id; `stats_daily` and `report_queue` match no
    /// rule (and carry no subjects).
    pub(crate) fn categories(self) -> u8 {
        use Op::*;
        match self {
            ShQueryUser | JpSelectUsers | JpUpdateUsers => NAME | PHONE | EMAIL | ACCOUNT_ID,
            ShViewContacts | JpSelectContacts => PHONE | EMAIL,
            ShExportUsers => NAME | ACCOUNT_ID,
            ShViewReport | ShExportReports | JpSelectReports => MESSAGE_TEXT | ACCOUNT_ID,
            ShDenied | JpStats | JpUpdateQueue => 0,
            KrGet => IMAGE_MEDIA,
            CtrPost | CtrReport => MESSAGE_TEXT,
        }
    }

    fn action(self) -> &'static str {
        use Op::*;
        match self {
            ShQueryUser | ShDenied => "query_user",
            ShViewContacts => "view_contacts",
            ShExportUsers | ShExportReports => "export_list",
            ShViewReport => "view_report",
            JpSelectUsers | JpSelectContacts | JpStats | JpSelectReports => "SELECT",
            JpUpdateUsers | JpUpdateQueue => "UPDATE",
            KrGet => "GET",
            CtrPost => "投稿確認",
            CtrReport => "通報確認",
        }
    }

    fn object(self) -> &'static str {
        use Op::*;
        match self {
            ShQueryUser | ShExportUsers | ShDenied | JpSelectUsers | JpUpdateUsers => "users",
            ShViewContacts | JpSelectContacts => "user_contacts",
            ShViewReport | ShExportReports | JpSelectReports => "reports",
            JpStats => "stats_daily",
            JpUpdateQueue => "report_queue",
            KrGet | CtrPost | CtrReport => "",
        }
    }
}

/// One access event. `ts` is UTC milliseconds; the subjects are
/// `arena[sub_start .. sub_start + sub_len]` of whichever arena the event
/// belongs to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ev {
    pub ts: i64,
    pub seq: u32,
    pub account: u8,
    pub op: Op,
    pub ok: bool,
    pub ip_host: u8,
    pub sub_start: u32,
    pub sub_len: u16,
    pub records: u32,
    /// Japan audit: DB session number; Korea: bytes; contractor: post
    /// number; Shanghai: approval index + 1 for the ticket column (0 none).
    pub aux: u32,
    /// Korea: file name bits; contractor: note index.
    pub aux2: u32,
}

/// Notes the monitoring staff append to the contractor's 対象 column; they
/// make the CP932 round trip exercise real kanji and kana.
pub(crate) const CONTRACTOR_NOTES: [&str; 5] = [
    "",
    "（画像付き）",
    "（要再確認）",
    "（通報多数）",
    "（削除済み）",
];

/// Header lines of the access files.
pub(crate) const SH_HEADER: &str =
    "time,operator,client_ip,target,action,object,categories,subject_ids,records,result,ticket\n";
pub(crate) const JP_HEADER: &str =
    "timestamp,db_user,client_addr,server,command,table_name,rows,status,session_id,subject_ids\n";
pub(crate) const CTR_HEADER: &str =
    "日時,担当者,端末IP,システム,操作,対象,データ区分,ユーザーID,件数,結果\n";

fn cp932(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "{text:?} is not representable in CP932");
    bytes.into_owned()
}

/// CP932 bytes of the Japanese pieces of the contractor export, encoded
/// once; everything else on its rows is ASCII and so identical in CP932.
struct Cp932Pieces {
    post: Vec<u8>,
    report: Vec<u8>,
    category: Vec<u8>,
    done: Vec<u8>,
    notes: Vec<Vec<u8>>,
}

/// Buffered writers of the four access files plus the per-row scratch line.
pub(crate) struct Sinks {
    files: [BufWriter<File>; 4],
    line: Vec<u8>,
    cp: Cp932Pieces,
    subject_ids: Vec<[u8; 13]>,
    tickets: Vec<String>,
}

const SINK_BUFFER: usize = 1 << 20;

impl Sinks {
    pub(crate) fn create(
        dir: &Path,
        subject_ids: Vec<[u8; 13]>,
        tickets: Vec<String>,
    ) -> std::io::Result<Self> {
        let open = |f: LogFile| -> std::io::Result<BufWriter<File>> {
            Ok(BufWriter::with_capacity(
                SINK_BUFFER,
                File::create(dir.join(f.name()))?,
            ))
        };
        let mut files = [
            open(LogFile::ShAdmin)?,
            open(LogFile::JpAudit)?,
            open(LogFile::KrMedia)?,
            open(LogFile::Contractor)?,
        ];
        files[0].write_all(SH_HEADER.as_bytes())?;
        files[1].write_all(JP_HEADER.as_bytes())?;
        files[3].write_all(&cp932(CTR_HEADER))?;
        let cp = Cp932Pieces {
            post: cp932(Op::CtrPost.action()),
            report: cp932(Op::CtrReport.action()),
            category: cp932("投稿本文"),
            done: cp932("完了"),
            notes: CONTRACTOR_NOTES.iter().map(|n| cp932(n)).collect(),
        };
        Ok(Sinks {
            files,
            line: Vec::with_capacity(512),
            cp,
            subject_ids,
            tickets,
        })
    }

    /// Writes a literal row (used for the deliberately malformed rows).
    pub(crate) fn write_raw(&mut self, file: LogFile, row: &str) -> std::io::Result<()> {
        self.files[file.index()].write_all(row.as_bytes())
    }

    pub(crate) fn write(&mut self, ev: &Ev, subjects: &[u32]) -> std::io::Result<()> {
        self.line.clear();
        let account = &ACCOUNTS[usize::from(ev.account)];
        let b = &mut self.line;
        let file = ev.op.file();
        match file {
            LogFile::ShAdmin => {
                clock::push_naive_dash(b, ev.ts, Zone::Shanghai);
                push_who_and_what(b, account, ev);
                push_categories(b, ev.op.categories());
                b.push(b',');
                push_subjects(b, &self.subject_ids, subjects);
                b.push(b',');
                clock::push_u64(b, u64::from(ev.records));
                b.extend_from_slice(if ev.ok { b",ok," } else { b",denied," });
                if ev.aux > 0 {
                    b.extend_from_slice(self.tickets[ev.aux as usize - 1].as_bytes());
                }
            }
            LogFile::JpAudit => {
                clock::push_rfc3339_ms(b, ev.ts, Zone::Tokyo);
                push_who_and_what(b, account, ev);
                clock::push_u64(b, u64::from(ev.records));
                b.extend_from_slice(b",success,s-");
                push_hex(b, u64::from(ev.aux & 0xffff), 4);
                b.push(b',');
                push_subjects(b, &self.subject_ids, subjects);
            }
            LogFile::KrMedia => {
                let subject = &self.subject_ids[subjects[0] as usize];
                b.extend_from_slice(b"{\"ts\":\"");
                clock::push_utc_ms(b, ev.ts);
                b.extend_from_slice(b"\",\"account\":\"");
                b.extend_from_slice(account.name.as_bytes());
                b.extend_from_slice(b"\",\"ip\":\"");
                push_ip(b, account.ip_prefix, ev.ip_host);
                b.extend_from_slice(
                    b"\",\"host\":\"kr-media-01\",\"op\":\"GET\",\"path\":\"/media/",
                );
                b.extend_from_slice(subject);
                b.push(b'/');
                push_hex(b, u64::from(ev.aux2), 8);
                b.extend_from_slice(b".jpg\",\"subject\":\"");
                b.extend_from_slice(subject);
                b.extend_from_slice(b"\",\"status\":200,\"bytes\":");
                clock::push_u64(b, u64::from(ev.aux));
                b.push(b'}');
            }
            LogFile::Contractor => {
                clock::push_naive_slash(b, ev.ts, Zone::Tokyo);
                b.push(b',');
                b.extend_from_slice(account.name.as_bytes());
                b.push(b',');
                push_ip(b, account.ip_prefix, ev.ip_host);
                b.extend_from_slice(b",jp-review-console,");
                b.extend_from_slice(if ev.op == Op::CtrPost {
                    &self.cp.post
                } else {
                    &self.cp.report
                });
                b.extend_from_slice(b",post:");
                clock::push_u64(b, u64::from(ev.aux));
                b.extend_from_slice(&self.cp.notes[ev.aux2 as usize]);
                b.push(b',');
                b.extend_from_slice(&self.cp.category);
                b.push(b',');
                b.extend_from_slice(&self.subject_ids[subjects[0] as usize]);
                b.push(b',');
                clock::push_u64(b, u64::from(ev.records));
                b.push(b',');
                b.extend_from_slice(&self.cp.done);
            }
        }
        b.push(b'\n');
        self.files[file.index()].write_all(&self.line)
    }

    pub(crate) fn finish(self) -> std::io::Result<()> {
        for mut f in self.files {
            f.flush()?;
        }
        Ok(())
    }
}

/// `,account,ip,system,action,object,`: the columns the Shanghai and Japan CSV logs share.
fn push_who_and_what(b: &mut Vec<u8>, account: &super::cast::Account, ev: &Ev) {
    b.push(b',');
    b.extend_from_slice(account.name.as_bytes());
    b.push(b',');
    push_ip(b, account.ip_prefix, ev.ip_host);
    b.push(b',');
    b.extend_from_slice(ev.op.system().name().as_bytes());
    b.push(b',');
    b.extend_from_slice(ev.op.action().as_bytes());
    b.push(b',');
    b.extend_from_slice(ev.op.object().as_bytes());
    b.push(b',');
}

fn push_ip(b: &mut Vec<u8>, prefix: &str, host: u8) {
    b.extend_from_slice(prefix.as_bytes());
    clock::push_u64(b, u64::from(host));
}

fn push_hex(b: &mut Vec<u8>, v: u64, digits: u32) {
    for i in (0..digits).rev() {
        let nib = ((v >> (4 * i)) & 0xf) as u8;
        b.push(if nib < 10 {
            b'0' + nib
        } else {
            b'a' + nib - 10
        });
    }
}

fn push_categories(b: &mut Vec<u8>, mask: u8) {
    let mut first = true;
    for (i, name) in super::cast::CATEGORY_NAMES.iter().enumerate() {
        if mask & (1 << i) != 0 {
            if !first {
                b.push(b';');
            }
            first = false;
            b.extend_from_slice(name.as_bytes());
        }
    }
}

fn push_subjects(b: &mut Vec<u8>, ids: &[[u8; 13]], subjects: &[u32]) {
    for (i, &s) in subjects.iter().enumerate() {
        if i > 0 {
            b.push(b';');
        }
        b.extend_from_slice(&ids[s as usize]);
    }
}

/// `U` + 12 lowercase hex digits.
pub(crate) fn subject_id(bits: u64) -> [u8; 13] {
    let mut out = Vec::with_capacity(13);
    out.push(b'U');
    push_hex(&mut out, bits & 0xffff_ffff_ffff, 12);
    out.try_into().expect("13 bytes")
}
