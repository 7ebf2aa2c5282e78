//! Ingest: reads source files into events and roster rows. Owns format and encoding
//! detection, the column mapping, time-zone resolution and rejects. It never touches the UI and
//! never writes the case itself: `ops` feeds what it produces to `case::SourceImport`.

pub mod chunk;
mod delimited;
mod extra;
pub mod formats;
mod json_dup;
mod jsonl;
pub(crate) mod lines;
pub mod mapping;
pub mod roster;
pub mod roster_map;
pub mod text;

use std::fs::File;
use std::io::Read;
use std::path::Path;

use chrono_tz::Tz;
use serde::Serialize;

use crate::model::encoding::TextEncoding;
use crate::model::roster::SourceKind;
use crate::model::time::{TimeParser, parse_zone};
use crate::model::{NewEvent, Text, Vocabulary};
pub use mapping::{Field, Mapping, Profile};
pub use text::EncodingHow;

/// A field value longer than this is damage (or an attack), not an account or an object: its
/// row is rejected rather than stored.
pub const MAX_FIELD_BYTES: usize = 1 << 20;

/// Access events must fall in [1970-01-01, 2100-01-01) UTC: year 0, year 9999 and negative
/// epochs are placeholders or damage, and one of them would stretch the case's time span (and
/// its timeline) over millennia. Such rows are rejects with the time they read as.
pub const EARLIEST_EVENT_US: i64 = 0;
pub const LATEST_EVENT_US: i64 = 4_102_444_800_000_000;

/// Events are handed on in batches of this many.
pub const BATCH_SIZE: usize = 4096;

/// File formats the importers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Delimited text with a header; columns mapped by name.
    Csv,
    /// One JSON object per line; keys mapped by name.
    Jsonl,
    CloudTrail,
    Syslog,
    Auditd,
    PgCsv,
    PgStderr,
    MysqlGeneral,
    MysqlAudit,
    Teleport,
    GcpAudit,
    M365,
    AzureActivity,
    Workspace,
    WindowsJson,
    TimesketchCsv,
    TimesketchJsonl,
    L2tCsv,
    /// Apache Parquet (a file, or a directory of them); columns mapped by name.
    Parquet,
}

impl Format {
    pub const ALL: [Format; 19] = [
        Format::Csv,
        Format::Jsonl,
        Format::CloudTrail,
        Format::Syslog,
        Format::Auditd,
        Format::PgCsv,
        Format::PgStderr,
        Format::MysqlGeneral,
        Format::MysqlAudit,
        Format::Teleport,
        Format::GcpAudit,
        Format::M365,
        Format::AzureActivity,
        Format::Workspace,
        Format::WindowsJson,
        Format::TimesketchCsv,
        Format::TimesketchJsonl,
        Format::L2tCsv,
        Format::Parquet,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::CloudTrail => "cloudtrail",
            Format::Syslog => "syslog",
            Format::Auditd => "auditd",
            Format::PgCsv => "postgres-csv",
            Format::PgStderr => "postgres",
            Format::MysqlGeneral => "mysql-general",
            Format::MysqlAudit => "mysql-audit",
            Format::Teleport => "teleport",
            Format::GcpAudit => "gcp-audit",
            Format::M365 => "m365",
            Format::AzureActivity => "azure-activity",
            Format::Workspace => "workspace",
            Format::WindowsJson => "windows-json",
            Format::TimesketchCsv => "timesketch-csv",
            Format::TimesketchJsonl => "timesketch-jsonl",
            Format::L2tCsv => "l2tcsv",
            Format::Parquet => "parquet",
        }
    }

    /// What the format is, for help and the README.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Csv => "delimited text with a header",
            Format::Jsonl => "JSON Lines, keys mapped by name",
            Format::CloudTrail => {
                "AWS CloudTrail ({\"Records\":[...]}, JSON array, lookup-events JSON Lines)"
            }
            Format::Syslog => "syslog auth / sshd (RFC 3164, RFC 5424)",
            Format::Auditd => "Linux auditd records",
            Format::PgCsv => "PostgreSQL csvlog (with pgaudit)",
            Format::PgStderr => "PostgreSQL stderr log with log_line_prefix (with pgaudit)",
            Format::MysqlGeneral => "MySQL / MariaDB general query log",
            Format::MysqlAudit => "Percona / MySQL Enterprise audit log (JSON)",
            Format::Teleport => "Teleport audit events (JSON Lines)",
            Format::GcpAudit => "Google Cloud audit logs (JSON Lines)",
            Format::M365 => "Microsoft 365 Management Activity (JSON Lines)",
            Format::AzureActivity => "Azure activity log (JSON Lines)",
            Format::Workspace => "Google Workspace Reports API activities (JSON Lines)",
            Format::WindowsJson => {
                "Windows Security events as JSON (evtx_dump, Winlogbeat, flat exports)"
            }
            Format::TimesketchCsv => "Timesketch CSV / psort dynamic",
            Format::TimesketchJsonl => "Timesketch JSONL / psort json_line",
            Format::L2tCsv => "Plaso psort l2tcsv",
            Format::Parquet => {
                "Apache Parquet (a file or a Hive-partitioned directory), columns mapped by name"
            }
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "csv" | "tsv" => Some(Format::Csv),
            "jsonl" | "ndjson" | "json-lines" => Some(Format::Jsonl),
            "auth" | "auth.log" | "sshd" => Some(Format::Syslog),
            "pgaudit" | "postgres-stderr" | "postgresql" => Some(Format::PgStderr),
            "csvlog" | "postgresql-csv" => Some(Format::PgCsv),
            "psort-dynamic" | "timesketch" => Some(Format::TimesketchCsv),
            "psort-json" | "json_line" => Some(Format::TimesketchJsonl),
            "o365" | "microsoft-365" => Some(Format::M365),
            _ => Format::ALL.into_iter().find(|f| f.as_str() == t),
        }
    }

    /// Formats with their own reader (not the column-mapped CSV / JSON Lines readers).
    pub fn is_structured(self) -> bool {
        !formats::source_fields(self).is_empty()
            && !matches!(self, Format::TimesketchCsv | Format::TimesketchJsonl)
    }

    /// Formats whose records can be read again from their own lines for their unmapped fields
    /// (see [`Plan::extras_in_original`]).
    pub fn reads_extras_again(self) -> bool {
        self == Format::CloudTrail
    }
}

impl Serialize for Format {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// How the format was chosen.
#[derive(Debug, Clone, Serialize)]
pub struct Detection {
    /// 0..=1; 1 when the user named the format.
    pub confidence: f32,
    /// The user named it (`--format`, profile).
    pub declared: bool,
    /// The next best formats.
    pub others: Vec<formats::Candidate>,
}

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{file}: {why}")]
    File { file: String, why: String },
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    /// A stored event whose record cannot be read again for its unmapped fields.
    #[error(
        "event {id}: the record at {file} lines {line}-{line_end} cannot be read again for its unmapped fields: {why}"
    )]
    Reread {
        id: i64,
        file: String,
        line: i64,
        line_end: i64,
        why: String,
    },
    #[error(transparent)]
    Case(#[from] crate::case::CaseError),
}

impl IngestError {
    fn file(path: &Path, why: impl Into<String>) -> IngestError {
        IngestError::File {
            file: path.display().to_string(),
            why: why.into(),
        }
    }
    fn io(path: &Path, source: std::io::Error) -> IngestError {
        IngestError::Io {
            file: path.display().to_string(),
            source,
        }
    }
}

/// What the user said about a file; anything left `None` is detected or defaulted.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    pub kind: Option<SourceKind>,
    pub format: Option<Format>,
    pub encoding: Option<TextEncoding>,
    /// `--tz`: overrides the profile's zone.
    pub tz: Option<String>,
    pub profile: Option<Profile>,
    /// `--year`: the year of the first line for formats that write no year (RFC 3164 syslog).
    pub year: Option<i32>,
}

/// Where the zone for naive timestamps came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ZoneHow {
    /// `--tz` (or the GUI's zone picker).
    Declared,
    Profile,
    /// Nothing was declared: UTC, said so in the output and recorded on the source.
    Default,
}

/// Everything decided about a file before its rows are read; shown as the import preview.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    pub file_name: String,
    pub kind: SourceKind,
    pub format: Format,
    #[serde(serialize_with = "ser_encoding")]
    pub encoding: TextEncoding,
    pub encoding_how: EncodingHow,
    pub delimiter: u8,
    pub headers: Vec<String>,
    pub mapping: Mapping,
    /// Roster files: which header feeds which roster field.
    pub roster_mapping: Option<roster_map::RosterMapping>,
    /// Columns of the file that nothing reads: a roster's columns no field takes, an access
    /// CSV's columns that are neither mapped nor kept as extra fields (no header). Reported in
    /// the import output and recorded on the source.
    pub unread_columns: Vec<String>,
    /// The kind was named (`--kind`, the profile's `kind`), not detected from the header.
    pub kind_declared: bool,
    pub zone: String,
    pub zone_how: ZoneHow,
    pub time_format: Option<String>,
    #[serde(skip)]
    pub profile: Profile,
    pub size_bytes: u64,
    pub detection: Detection,
    /// Reference year for formats without one (declared or the current year).
    pub year: Option<i32>,
    pub year_declared: bool,
    /// PostgreSQL stderr logs: the `log_line_prefix` the lines are read with.
    pub log_line_prefix: Option<String>,
    /// The records' unmapped fields are not stored in `event_extra` but read again from the
    /// stored original when shown or searched (CloudTrail, unless the profile says
    /// `extra_fields = "stored"`). Recorded in the source's mapping as `extra_fields`.
    pub extras_in_original: bool,
}

fn ser_encoding<S: serde::Serializer>(e: &TextEncoding, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(e.as_str())
}

impl Serialize for EncodingHow {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Plan {
    pub fn tz(&self) -> Tz {
        parse_zone(&self.zone).unwrap_or(Tz::UTC)
    }

    /// `cloudtrail (detected, 98%)`.
    pub fn format_label(&self) -> String {
        let d = &self.detection;
        if d.declared {
            format!("{} (declared)", self.format.as_str())
        } else {
            format!(
                "{} (detected, {:.0}%)",
                self.format.as_str(),
                d.confidence * 100.0
            )
        }
    }

    /// `detected, 98%; next: jsonl 100%, teleport 0%` or `declared`.
    pub fn detection_label(&self) -> String {
        let d = &self.detection;
        if d.declared {
            return "declared".to_string();
        }
        let mut s = format!("detected, {:.0}%", d.confidence * 100.0);
        if !d.others.is_empty() {
            let others: Vec<String> = d
                .others
                .iter()
                .map(|c| format!("{} {:.0}%", c.format.as_str(), c.confidence * 100.0))
                .collect();
            s.push_str(&format!("; next: {}", others.join(", ")));
        }
        s
    }

    /// The year of the first line for formats that write none.
    pub fn reference_year(&self) -> i32 {
        self.year.unwrap_or_else(|| {
            use chrono::Datelike;
            chrono::Utc::now().year()
        })
    }

    /// Said in the import output when a syslog file's year was assumed, not declared.
    pub fn year_note(&self) -> Option<String> {
        (self.format == Format::Syslog && !self.year_declared).then(|| {
            format!(
                "RFC 3164 syslog lines carry no year and none was given: the first line was taken to be in {} (the current year; recorded on the source). Give --year YEAR for the year of the first line",
                self.reference_year()
            )
        })
    }

    /// The rule recorded on the source for how times were placed.
    pub fn time_rule(&self) -> String {
        let base = self.zone_rule();
        if self.format != Format::Syslog {
            return base;
        }
        let how = if self.year_declared {
            "declared with --year"
        } else {
            "DEFAULT: the current year, no --year given"
        };
        format!(
            "{base}; RFC 3164 lines have no year: the first line is in {} ({how}) and the year advances by one whenever the month goes back by six or more (December -> January); such events are flagged year-inferred",
            self.reference_year()
        )
    }

    fn zone_rule(&self) -> String {
        if self.format == Format::Parquet {
            return format!(
                "Parquet TIMESTAMP columns adjusted to UTC and INT96 columns are UTC instants; TIMESTAMP columns not adjusted to UTC, DATE columns and naive time text are read in {} ({}); offsets and Z in text are kept",
                self.zone,
                match self.zone_how {
                    ZoneHow::Declared => "declared",
                    ZoneHow::Profile => "from the mapping profile",
                    ZoneHow::Default => "DEFAULT: no zone was declared",
                }
            );
        }
        let how = match self.zone_how {
            ZoneHow::Declared => "declared",
            ZoneHow::Profile => "from the mapping profile",
            ZoneHow::Default => "DEFAULT: no zone was declared",
        };
        let fmt = self
            .time_format
            .as_deref()
            .map(|f| format!("; format {f:?}"))
            .unwrap_or_default();
        format!(
            "offsets and Z in the text are kept; naive times are read in {} ({how}); DST folds take the earlier instant and are flagged; DST gaps use the offset before the gap and are flagged{fmt}",
            self.zone
        )
    }

    /// Where the records' unmapped fields are kept, in words.
    pub fn unmapped_fields(&self) -> &'static str {
        if self.extras_in_original {
            "read from the stored original when shown or searched (--extra-fields stored copies them into event_extra)"
        } else {
            "stored in event_extra"
        }
    }

    /// The mapping and options as JSON, stored on the source.
    pub fn mapping_json(&self) -> String {
        let columns = match &self.roster_mapping {
            Some(r) => serde_json::json!(r.columns),
            None => serde_json::json!(self.mapping.columns),
        };
        serde_json::json!({
            "columns": columns,
            "unread_columns": self.unread_columns,
            "delimiter": (self.delimiter as char).to_string(),
            "time_format": self.time_format,
            "year": self.year,
            "log_line_prefix": self.log_line_prefix,
            "system": self.profile.system,
            "category_aliases": self.profile.category_aliases,
            "category_rules": self.profile.category_rules,
            "extra_fields": if self.extras_in_original { "original" } else { "stored" },
            "extra_cells": self.profile.extra_cells,
        })
        .to_string()
    }

    /// The effective mapping as a profile, to save, edit and reuse.
    pub fn to_profile(&self) -> Profile {
        let mut p = self.profile.clone();
        p.format = Some(self.format.as_str().into());
        p.encoding = Some(self.encoding.as_str().into());
        if self.zone_how != ZoneHow::Default {
            p.timezone = Some(self.zone.clone());
        }
        p.log_line_prefix = self.log_line_prefix.clone();
        if self.format == Format::Csv {
            p.delimiter = Some(match self.delimiter {
                b'\t' => "\\t".to_string(),
                d => (d as char).to_string(),
            });
        }
        p.columns = self
            .mapping
            .columns
            .iter()
            .map(|(f, c)| (f.as_str().to_string(), c.clone()))
            .collect();
        if let Some(r) = &self.roster_mapping {
            p.kind = Some(self.kind.as_str().into());
            p.format = Some("csv".into());
            p.columns = r.columns.clone();
        }
        p
    }
}

/// Reads the head of a file and decides format, encoding, headers, mapping and zone.
pub fn plan(path: &Path, opts: &SourceOptions) -> Result<Plan, IngestError> {
    let (size_bytes, head) = read_head(path)?;
    let mut profile = opts.profile.clone().unwrap_or_default();
    if formats::parquet::wanted(&head, opts, &profile) {
        return formats::parquet::plan(path, size_bytes, opts, profile);
    }
    let (encoding, encoding_how, decoded) = decode_head(path, &head, opts, &profile)?;
    let first_line = decoded.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (kind, kind_declared, format, detection) =
        kind_and_format(path, opts, &profile, &decoded, first_line)?;
    let delimiter = delimiter_of(&profile, first_line, path);
    let headers = headers_of(path, format, delimiter, first_line, &decoded)?;
    if matches!(format, Format::TimesketchCsv | Format::TimesketchJsonl) {
        timesketch_columns(&headers, &mut profile);
    }
    let (mapping, roster_mapping, unread_columns) = mappings(format, kind, &headers, &profile);
    let log_line_prefix = (format == Format::PgStderr).then(|| {
        profile.log_line_prefix.clone().unwrap_or_else(|| {
            let lines: Vec<&str> = decoded
                .lines()
                .filter(|l| !l.trim().is_empty())
                .take(50)
                .collect();
            formats::postgres::guess_prefix(&lines)
        })
    });
    let (zone, zone_how) = zone_of(path, opts, &profile)?;
    if let Some(f) = profile.time_format.as_deref() {
        crate::model::time::check_time_format(f).map_err(|e| IngestError::file(path, e))?;
    }
    let extras_in_original = match profile.extra_fields.as_deref() {
        None | Some("original") => format.reads_extras_again(),
        Some("stored") => false,
        Some(other) => {
            return Err(IngestError::file(
                path,
                format!("extra_fields is {other:?}: expected \"stored\" or \"original\""),
            ));
        }
    };
    Ok(Plan {
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        kind,
        format,
        encoding,
        encoding_how,
        delimiter,
        headers,
        mapping,
        roster_mapping,
        unread_columns,
        kind_declared,
        zone,
        zone_how,
        time_format: profile.time_format.clone(),
        size_bytes,
        profile,
        detection,
        year: opts.year,
        year_declared: opts.year.is_some(),
        log_line_prefix,
        extras_in_original,
    })
}

/// The file's size and its first 64 KiB; refuses directories, pipes, devices and empty files.
fn read_head(path: &Path) -> Result<(u64, Vec<u8>), IngestError> {
    let meta = std::fs::metadata(path).map_err(|e| IngestError::io(path, e))?;
    if meta.is_dir() {
        return Err(IngestError::file(
            path,
            "is a directory, not a file (a directory is imported as a Parquet dataset, and this one holds no .parquet file)",
        ));
    }
    if !meta.is_file() {
        // Reading the head of a pipe would consume it: `import` copies a pipe once to a
        // temporary file (ops::import) and plans that.
        return Err(IngestError::file(
            path,
            "is a named pipe or device, not a regular file: it can be read only once, so it cannot be previewed; `retrace import` reads it once into a temporary copy",
        ));
    }
    let mut head = Vec::with_capacity(64 * 1024);
    File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut head))
        .map_err(|e| IngestError::io(path, e))?;
    if head.is_empty() {
        return Err(IngestError::file(path, "is empty: no header, no rows"));
    }
    Ok((meta.len(), head))
}

/// The head's encoding (declared or detected) and its text, with every line end as LF.
fn decode_head(
    path: &Path,
    head: &[u8],
    opts: &SourceOptions,
    profile: &Profile,
) -> Result<(TextEncoding, EncodingHow, String), IngestError> {
    let declared_enc = match (&opts.encoding, &profile.encoding) {
        (Some(e), _) => Some(*e),
        (None, Some(name)) => Some(TextEncoding::parse(name).ok_or_else(|| {
            IngestError::file(
                path,
                format!("mapping profile names unknown encoding {name:?}"),
            )
        })?),
        (None, None) => None,
    };
    let (encoding, encoding_how) = text::detect(head, declared_enc);
    // Undecodable bytes come out as text::UNDECODABLE; for the head, which is only looked at,
    // U+FFFD does.
    let mut decoded_bytes = Vec::with_capacity(head.len());
    text::DecodeReader::new(head, encoding)
        .read_to_end(&mut decoded_bytes)
        .map_err(|e| IngestError::io(path, e))?;
    // The head is only looked at (format, header, keys), by code that splits lines at LF:
    // CRLF and lone CR become LF here, as every line end is one to the readers.
    let decoded = String::from_utf8_lossy(&decoded_bytes)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    if decoded.contains('\0') && encoding == TextEncoding::Utf8 {
        return Err(IngestError::file(
            path,
            "looks binary (NUL bytes in the first 64 KiB); not a text log. If it is UTF-16 without a BOM, declare --encoding utf-16le",
        ));
    }
    Ok((encoding, encoding_how, decoded))
}

/// The source kind (and whether it was named) and the format with how it was chosen.
fn kind_and_format(
    path: &Path,
    opts: &SourceOptions,
    profile: &Profile,
    decoded: &str,
    first_line: &str,
) -> Result<(SourceKind, bool, Format, Detection), IngestError> {
    let profile_kind = match profile.kind.as_deref() {
        Some(k) => Some(SourceKind::parse(k.trim()).ok_or_else(|| {
            IngestError::file(
                path,
                format!("the mapping profile names unknown kind {k:?}"),
            )
        })?),
        None => None,
    };
    let declared_kind = opts.kind.or(profile_kind);
    let declared_format = opts
        .format
        .or_else(|| profile.format.as_deref().and_then(Format::parse))
        // A roster is a CSV file.
        .or_else(|| {
            declared_kind
                .is_some_and(|k| k != SourceKind::Access)
                .then_some(Format::Csv)
        });
    let (format, detection) = match declared_format {
        Some(f) => (
            f,
            Detection {
                confidence: 1.0,
                declared: true,
                others: Vec::new(),
            },
        ),
        None => detect_format(path, decoded, first_line)?,
    };
    let kind = match declared_kind {
        Some(k) => k,
        None if matches!(format, Format::Csv | Format::TimesketchCsv) => {
            let d = delimiter_of(profile, first_line, path);
            let header: Vec<String> = first_line
                .split(d as char)
                .map(|h| h.trim().trim_matches('"').to_ascii_lowercase())
                .collect();
            detect_kind(&header)
        }
        None => SourceKind::Access,
    };
    if kind != SourceKind::Access && !matches!(format, Format::Csv | Format::TimesketchCsv) {
        return Err(IngestError::file(
            path,
            format!("{} rosters are CSV files", kind.as_str()),
        ));
    }
    Ok((kind, declared_kind.is_some(), format, detection))
}

/// The profile's delimiter, else the one the first line suggests.
fn delimiter_of(profile: &Profile, first_line: &str, path: &Path) -> u8 {
    match profile
        .delimiter
        .as_deref()
        .and_then(mapping::parse_delimiter)
    {
        Some(d) => d,
        None => sniff_delimiter(first_line, path),
    }
}

/// The column names: a CSV's header, the keys of the first JSON objects, or a structured
/// format's fixed source fields.
fn headers_of(
    path: &Path,
    format: Format,
    delimiter: u8,
    first_line: &str,
    decoded: &str,
) -> Result<Vec<String>, IngestError> {
    Ok(match format {
        Format::Csv | Format::TimesketchCsv => {
            let mut rdr = csv::ReaderBuilder::new()
                .delimiter(delimiter)
                .has_headers(false)
                .flexible(true)
                .from_reader(first_line.as_bytes());
            let mut rec = csv::StringRecord::new();
            rdr.read_record(&mut rec).map_err(|e| {
                IngestError::file(path, format!("line 1: cannot read the header: {e}"))
            })?;
            rec.iter().map(|h| h.trim().to_string()).collect()
        }
        Format::Jsonl | Format::TimesketchJsonl => jsonl::keys_of_first_objects(decoded),
        f => formats::source_fields(f)
            .iter()
            .map(|(_, src)| src.to_string())
            .collect(),
    })
}

/// The access mapping, the roster mapping (rosters only) and the columns nothing reads.
fn mappings(
    format: Format,
    kind: SourceKind,
    headers: &[String],
    profile: &Profile,
) -> (Mapping, Option<roster_map::RosterMapping>, Vec<String>) {
    let mapping = if format.is_structured() {
        let mut m = Mapping::default();
        for (f, src) in formats::source_fields(format) {
            m.columns.insert(*f, src.to_string());
            m.from_profile.insert(*f, false);
        }
        m
    } else if kind == SourceKind::Access {
        Mapping::build(headers, profile)
    } else {
        Mapping::default()
    };
    let roster_mapping = (kind != SourceKind::Access)
        .then(|| roster_map::RosterMapping::build(kind, headers, profile));
    let unread_columns = match &roster_mapping {
        Some(r) => roster_map::unread(headers, r),
        // Access CSV: every named column is mapped or kept as an extra field; a column
        // without a header name has no key to be kept under.
        None if matches!(format, Format::Csv | Format::TimesketchCsv) => (0..headers.len())
            .filter(|i| headers[*i].trim().is_empty())
            .filter(|i| !mapping.columns.values().any(|c| c == &headers[*i]))
            .map(|i| roster_map::column_label(headers, i))
            .collect(),
        None => Vec::new(),
    };
    (mapping, roster_mapping, unread_columns)
}

/// The zone for naive timestamps (its canonical name) and where it came from.
fn zone_of(
    path: &Path,
    opts: &SourceOptions,
    profile: &Profile,
) -> Result<(String, ZoneHow), IngestError> {
    let (zone, zone_how) = match (&opts.tz, &profile.timezone) {
        (Some(z), _) => (z.clone(), ZoneHow::Declared),
        (None, Some(z)) => (z.clone(), ZoneHow::Profile),
        (None, None) => ("UTC".to_string(), ZoneHow::Default),
    };
    let zone = parse_zone(&zone)
        .map_err(|e| IngestError::file(path, e))?
        .name()
        .to_string();
    Ok((zone, zone_how))
}

/// Picks the format from the head of the file, or refuses with the closest ones.
fn detect_format(
    path: &Path,
    decoded: &str,
    first_line: &str,
) -> Result<(Format, Detection), IngestError> {
    let cands = formats::detect(decoded);
    let others = |skip: Format| -> Vec<formats::Candidate> {
        cands
            .iter()
            .filter(|c| c.format != skip && c.confidence > 0.0)
            .take(3)
            .cloned()
            .collect()
    };
    if let Some(best) = cands.first().filter(|c| c.confidence >= 0.5) {
        return Ok((
            best.format,
            Detection {
                confidence: best.confidence,
                declared: false,
                others: others(best.format),
            },
        ));
    }
    if first_line.trim_start().starts_with('{') {
        let lines: Vec<&str> = decoded
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(20)
            .collect();
        let ok = lines
            .iter()
            .filter(|l| serde_json::from_str::<serde_json::Value>(l).is_ok_and(|v| v.is_object()))
            .count();
        let confidence = ok as f32 / lines.len().max(1) as f32;
        if confidence >= 0.5 {
            return Ok((
                Format::Jsonl,
                Detection {
                    confidence,
                    declared: false,
                    others: others(Format::Jsonl),
                },
            ));
        }
    }
    let delimited = [',', '\t', ';', '|']
        .iter()
        .any(|d| first_line.contains(*d));
    if delimited && !first_line.trim_start().starts_with('{') {
        return Ok((
            Format::Csv,
            Detection {
                confidence: 0.5,
                declared: false,
                others: others(Format::Csv),
            },
        ));
    }
    let closest: Vec<String> = cands
        .iter()
        .take(3)
        .map(|c| format!("{} {:.0}%", c.format.as_str(), c.confidence * 100.0))
        .collect();
    let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
    Err(IngestError::file(
        path,
        format!(
            "cannot tell the format: the first lines fit none of the known formats (closest: {}). Name one with --format: {}",
            closest.join(", "),
            names.join(", ")
        ),
    ))
}

/// Timesketch / psort columns, unless the profile maps the field already.
fn timesketch_columns(headers: &[String], profile: &mut Profile) {
    let pick = |names: &[&str]| {
        names
            .iter()
            .find(|n| headers.iter().any(|h| h == *n))
            .map(|n| n.to_string())
    };
    let presets: [(Field, &[&str]); 5] = [
        (Field::Time, &["datetime", "timestamp"]),
        (Field::Action, &["timestamp_desc"]),
        (Field::Object, &["message"]),
        (Field::Account, &["username", "user_sid", "user"]),
        (Field::System, &["hostname", "computer_name", "host"]),
    ];
    for (f, names) in presets {
        if !profile.columns.contains_key(f.as_str())
            && let Some(c) = pick(names)
        {
            profile.columns.insert(f.as_str().to_string(), c);
        }
    }
}

/// An event's detail with every unmapped field: [`Sources::event_detail`](crate::case::Sources::event_detail), plus, for a source
/// that keeps them only in its original ([`Plan::extras_in_original`]), the fields of the
/// record read again from the event's stored lines.
pub fn event_detail(
    case: &crate::case::Case,
    id: i64,
) -> Result<Option<crate::case::EventDetail>, IngestError> {
    let Some(mut d) = case.sources().event_detail(id)? else {
        return Ok(None);
    };
    if d.source.format == Format::Parquet.as_str() {
        // A Parquet file has no lines to show: the row's columns are the event's fields and
        // its extra fields; the text says which row of which row group it is.
        let group = d
            .extra
            .get(formats::parquet::ROW_GROUP_KEY)
            .map_or_else(|| "?".to_string(), |g| g.to_string());
        d.raw_text = format!(
            "Parquet row {} of {} (row group {group}); its columns are the fields above and the extra fields",
            d.row.line, d.source.file_name
        );
    }
    if !d.extra_in_original {
        return Ok(Some(d));
    }
    let invalid = |why: String| IngestError::Reread {
        id,
        file: d.source.file_name.clone(),
        line: d.row.line,
        line_end: d.line_end,
        why,
    };
    let format = Format::parse(&d.source.format)
        .ok_or_else(|| invalid(format!("unknown format {:?}", d.source.format)))?;
    let text = formats::extra_of(format, &d.raw_text)
        .ok_or_else(|| invalid(format!("{} records are not read again", format.as_str())))?
        .map_err(invalid)?;
    if let Some(text) = text {
        match serde_json::from_str(&text) {
            Ok(serde_json::Value::Object(m)) => d.extra = m,
            _ => return Err(invalid("the fields are not a JSON object".into())),
        }
    }
    Ok(Some(d))
}

/// A CSV whose header fits a roster layout (every column read, by name or synonym; or, with
/// no time column, the required columns of one layout alone) is that roster; anything else is
/// an access log. (`--kind` or a profile's `kind` overrides.) See [`roster_map::detect`].
pub fn detect_kind(header: &[String]) -> SourceKind {
    let has_time = Mapping::build(header, &Profile::default())
        .get(Field::Time)
        .is_some();
    roster_map::detect(header, has_time).unwrap_or(SourceKind::Access)
}

fn sniff_delimiter(line: &str, path: &Path) -> u8 {
    let is_tsv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    if is_tsv {
        return b'\t';
    }
    [b',', b'\t', b';', b'|']
        .into_iter()
        .max_by_key(|d| (line.bytes().filter(|b| b == d).count(), *d == b','))
        .unwrap_or(b',')
}

/// A row that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    pub line: u64,
    pub reason: String,
    pub raw: String,
}

/// What the parser hands on.
#[derive(Debug, Default)]
pub struct Batch {
    pub events: Vec<NewEvent>,
    pub rejects: Vec<Reject>,
}

impl Batch {
    /// Time to hand the batch on.
    pub fn is_full(&self) -> bool {
        self.events.len() + self.rejects.len() >= BATCH_SIZE
    }
    pub fn is_empty(&self) -> bool {
        self.events.is_empty() && self.rejects.is_empty()
    }

    /// Reports `bytes_read` and hands the batch on, leaving it empty; `false` when the sink
    /// says stop.
    pub(crate) fn hand_on(
        &mut self,
        bytes_read: u64,
        progress: &mut dyn FnMut(u64),
        sink: &mut dyn FnMut(Batch) -> bool,
    ) -> bool {
        progress(bytes_read);
        sink(std::mem::take(self))
    }

    /// At the end of a parse: reports `bytes_read` and hands on what is left.
    pub(crate) fn hand_on_rest(
        self,
        bytes_read: u64,
        progress: &mut dyn FnMut(u64),
        sink: &mut dyn FnMut(Batch) -> bool,
    ) {
        progress(bytes_read);
        if !self.is_empty() {
            sink(self);
        }
    }
}

/// Totals of a parse.
#[derive(Debug, Clone, Default)]
pub struct ParseStats {
    pub rows_read: u64,
    pub bytes_read: u64,
}

/// Reads all rows of an access file. `sink` receives batches and returns `false` to stop
/// (cancel); `progress` gets bytes read so far.
pub fn parse_access(
    path: &Path,
    plan: &Plan,
    vocab: &mut Vocabulary,
    sink: &mut dyn FnMut(Batch) -> bool,
    progress: &mut dyn FnMut(u64),
) -> Result<ParseStats, IngestError> {
    time_is_mapped(path, plan)?;
    if plan.format == Format::Parquet {
        return parse_access_from(
            Box::new(std::io::empty()),
            path,
            plan,
            vocab,
            sink,
            progress,
        );
    }
    let file = File::open(path).map_err(|e| IngestError::io(path, e))?;
    parse_access_from(Box::new(file), path, plan, vocab, sink, progress)
}

/// [`parse_access`] of bytes read elsewhere (the import's one read of the file, see
/// [`chunk::chunk_file_tee`]); `path` names the file in messages.
pub fn parse_access_from(
    input: Box<dyn Read + '_>,
    path: &Path,
    plan: &Plan,
    vocab: &mut Vocabulary,
    sink: &mut dyn FnMut(Batch) -> bool,
    progress: &mut dyn FnMut(u64),
) -> Result<ParseStats, IngestError> {
    time_is_mapped(path, plan)?;
    let row_ctx = RowContext::new(plan, vocab).map_err(|e| IngestError::file(path, e))?;
    if plan.format == Format::Parquet {
        // Parquet is read from its footer first: from the file, whose size and modification
        // time are checked to be the same after the read (the bytes stored are read beside).
        drop(input);
        return formats::parquet::parse(path, plan, &row_ctx, vocab, sink, progress);
    }
    let reader = text::DecodeReader::new(
        std::io::BufReader::with_capacity(256 * 1024, input),
        plan.encoding,
    );
    if let Some(fmt) = formats::reader_for(plan) {
        return formats::parse(reader, path, fmt, &row_ctx, vocab, sink, progress);
    }
    match plan.format {
        Format::Jsonl | Format::TimesketchJsonl => {
            jsonl::parse(reader, path, plan, &row_ctx, vocab, sink, progress)
        }
        _ => delimited::parse(reader, path, plan, &row_ctx, vocab, sink, progress),
    }
}

/// A generic CSV or JSON Lines plan must say which column holds the time; checked before the
/// file is opened (so the reason comes first) and again for bytes read elsewhere.
fn time_is_mapped(path: &Path, plan: &Plan) -> Result<(), IngestError> {
    if !plan.format.is_structured() && plan.mapping.get(Field::Time).is_none() {
        return Err(no_time_column(path, plan));
    }
    Ok(())
}

fn no_time_column(path: &Path, plan: &Plan) -> IngestError {
    let cols = if plan.headers.is_empty() {
        "(none found)".to_string()
    } else {
        plan.headers.join(", ")
    };
    // A header that fits no layout: say which layouts come closest and what they lack,
    // not only what an access log lacks.
    let rosters = if plan.kind_declared || plan.headers.is_empty() {
        String::new()
    } else {
        format!(
            ". Nor is it a roster: the closest layouts are {} (give --kind KIND, or a mapping profile with kind = \"KIND\" and [columns] naming the headers)",
            roster_map::closest_hint(&plan.headers)
        )
    };
    IngestError::file(
        path,
        format!(
            "no column maps to the event time; columns are: {cols}. Give a mapping profile (--map) with [columns] time = \"...\" for an access log{rosters}"
        ),
    )
}

/// The first `n` rows of an access file as the import would read them (events and rejects
/// in file order), for previews. A failure to read rows at all comes back as a reject on
/// line 0, so a preview can still show the plan with the reason.
pub fn preview_rows(
    path: &Path,
    plan: &Plan,
    vocab: &mut Vocabulary,
    n: usize,
) -> (Vec<NewEvent>, Vec<Reject>) {
    let mut rows = Vec::new();
    let mut rejects = Vec::new();
    let r = parse_access(
        path,
        plan,
        vocab,
        &mut |b| {
            rows.extend(b.events);
            rejects.extend(b.rejects);
            rows.len() + rejects.len() < n
        },
        &mut |_| {},
    );
    if let Err(e) = r {
        rejects.push(Reject {
            line: 0,
            reason: e.to_string(),
            raw: String::new(),
        });
    }
    rows.truncate(n);
    (rows, rejects)
}

/// The field values of one row, before conversion.
#[derive(Default)]
pub(crate) struct RawRow<'a> {
    pub values: [Option<&'a str>; 12],
}

impl<'a> RawRow<'a> {
    fn get(&self, f: Field) -> Option<&'a str> {
        self.values[f as usize]
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }
}

/// Converts raw rows to events: times, categories, subjects.
pub(crate) struct RowContext {
    time: TimeParser,
    categorizer: mapping::Categorizer,
    constant_system: Option<String>,
}

impl RowContext {
    fn new(plan: &Plan, vocab: &mut Vocabulary) -> Result<RowContext, String> {
        if let Some(f) = plan.time_format.as_deref() {
            crate::model::time::check_time_format(f)?;
        }
        Ok(RowContext {
            time: TimeParser::new(plan.tz(), plan.time_format.as_deref()),
            categorizer: mapping::Categorizer::new(&plan.profile, vocab)?,
            constant_system: plan.profile.system.clone(),
        })
    }

    pub(crate) fn to_event(
        &self,
        row: &RawRow,
        line: u64,
        line_end: u64,
        vocab: &mut Vocabulary,
    ) -> Result<NewEvent, String> {
        for (f, v) in Field::ALL.iter().zip(&row.values) {
            if let Some(v) = v.filter(|v| v.len() > MAX_FIELD_BYTES) {
                return Err(format!(
                    "the {} value is {} bytes, longer than the {MAX_FIELD_BYTES}-byte limit for one field",
                    f.as_str(),
                    v.len()
                ));
            }
        }
        let raw_ts = row
            .get(Field::Time)
            .ok_or("no timestamp: the time column is empty")?;
        let ts = self.time.parse(raw_ts)?;
        if !(EARLIEST_EVENT_US..LATEST_EVENT_US).contains(&ts.ts_us) {
            return Err(format!(
                "time {raw_ts:?} reads as {}, outside 1970-01-01 .. 2099-12-31 UTC, the range accepted for access events (a placeholder or a damaged value, not an access)",
                crate::model::time::format_utc(ts.ts_us)
            ));
        }
        let own = |f: Field| row.get(f).map(Text::new);
        let system = own(Field::System).or_else(|| self.constant_system.as_deref().map(Text::new));
        let object = own(Field::Object);
        let action = own(Field::Action);
        let categories = self.categorizer.categorize(
            row.get(Field::Categories),
            system.as_deref(),
            object.as_deref(),
            action.as_deref(),
            vocab,
        )?;
        let mut subjects = Vec::new();
        if let Some(cell) = row.get(Field::Subjects) {
            crate::model::subject::split_normalized(cell, &mut subjects);
        }
        let records = match row.get(Field::Records) {
            Some(r) => Some(
                r.parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| format!("records {r:?} is not a whole number ≥ 0"))?,
            ),
            None if !subjects.is_empty() => Some(subjects.len() as i64),
            None => None,
        };
        Ok(NewEvent {
            line,
            line_end,
            ts_us: ts.ts_us,
            raw_ts: Text::new(raw_ts),
            ts_flags: ts.flags.0,
            account: own(Field::Account),
            src_ip: own(Field::SrcIp),
            system,
            action,
            object,
            categories,
            subjects,
            records,
            outcome: row
                .get(Field::Outcome)
                .and_then(crate::model::Outcome::from_text),
            session: own(Field::Session),
            ticket: own(Field::Ticket),
            extra: None,
        })
    }
}

/// Keeps reject text readable and bounded.
pub(crate) fn clip(raw: &str) -> String {
    const MAX: usize = 4096;
    if raw.len() <= MAX {
        return raw.to_string();
    }
    let mut end = MAX;
    while !raw.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &raw[..end], raw.len())
}
