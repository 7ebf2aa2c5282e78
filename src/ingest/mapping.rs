//! Column mapping: which column of a source feeds which event field, guessed from headers or
//! given by a mapping profile (TOML or JSON), plus the rules that add data categories.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::model::category::normalize_name;
use crate::model::roster::SourceKind;
use crate::model::{CategorySet, Vocabulary};

/// The event fields a column can feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Time,
    Account,
    SrcIp,
    System,
    Action,
    Object,
    Categories,
    Subjects,
    Records,
    Outcome,
    Session,
    Ticket,
}

impl Field {
    pub const ALL: [Field; 12] = [
        Field::Time,
        Field::Account,
        Field::SrcIp,
        Field::System,
        Field::Action,
        Field::Object,
        Field::Categories,
        Field::Subjects,
        Field::Records,
        Field::Outcome,
        Field::Session,
        Field::Ticket,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::Time => "time",
            Field::Account => "account",
            Field::SrcIp => "src_ip",
            Field::System => "system",
            Field::Action => "action",
            Field::Object => "object",
            Field::Categories => "categories",
            Field::Subjects => "subjects",
            Field::Records => "records",
            Field::Outcome => "outcome",
            Field::Session => "session",
            Field::Ticket => "ticket",
        }
    }

    pub fn parse(s: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == s.trim())
    }

    /// Header names (normalized: lowercase, letters and digits only) that suggest this field.
    fn synonyms(self) -> &'static [&'static str] {
        match self {
            Field::Time => synonym_table::TIME,
            Field::Account => synonym_table::ACCOUNT,
            Field::SrcIp => synonym_table::SRC_IP,
            Field::System => synonym_table::SYSTEM,
            Field::Action => synonym_table::ACTION,
            Field::Object => synonym_table::OBJECT,
            Field::Categories => synonym_table::CATEGORIES,
            Field::Subjects => synonym_table::SUBJECTS,
            Field::Records => synonym_table::RECORDS,
            Field::Outcome => synonym_table::OUTCOME,
            Field::Session => synonym_table::SESSION,
            Field::Ticket => synonym_table::TICKET,
        }
    }
}

/// Each field's header synonyms, as data; normalized (see [`normalize_header`]), in
/// preference order.
mod synonym_table {
    pub(super) const TIME: &[&str] = &[
        "time",
        "timestamp",
        "datetime",
        "date",
        "eventtime",
        "ts",
        "logtime",
        "createdat",
        "creationtime",
        "when",
        "accesstime",
        "occurredat",
        "日時",
        "時刻",
        "日付",
        "アクセス日時",
    ];
    pub(super) const ACCOUNT: &[&str] = &[
        "user",
        "username",
        "account",
        "accountname",
        "actor",
        "operator",
        "login",
        "dbuser",
        "principal",
        "userprincipalname",
        "useridentity",
        "担当者",
        "操作者",
        "ユーザ名",
        "アカウント",
    ];
    pub(super) const SRC_IP: &[&str] = &[
        "srcip",
        "sourceip",
        "clientip",
        "client",
        "clientaddr",
        "clientaddress",
        "ip",
        "ipaddress",
        "remoteaddr",
        "remoteip",
        "sourceipaddress",
        "callerip",
        "端末ip",
        "接続元",
        "接続元ip",
        "ipアドレス",
    ];
    pub(super) const SYSTEM: &[&str] = &[
        "host",
        "hostname",
        "server",
        "system",
        "db",
        "database",
        "target",
        "targetsystem",
        "service",
        "instance",
        "システム",
        "サーバ",
        "サーバー",
        "接続先",
    ];
    pub(super) const ACTION: &[&str] = &[
        "action",
        "operation",
        "command",
        "op",
        "eventname",
        "verb",
        "method",
        "activity",
        "操作",
        "処理",
    ];
    pub(super) const OBJECT: &[&str] = &[
        "object",
        "table",
        "tablename",
        "resource",
        "query",
        "statement",
        "path",
        "url",
        "objectname",
        "対象",
        "テーブル",
    ];
    pub(super) const CATEGORIES: &[&str] = &[
        "categories",
        "category",
        "datacategories",
        "datacategory",
        "データ区分",
        "データ種別",
    ];
    pub(super) const SUBJECTS: &[&str] = &[
        "subjects",
        "subjectids",
        "subjectid",
        "subject",
        "datasubject",
        "datasubjects",
        "affectedusers",
        "ユーザーid",
        "対象ユーザー",
        "対象者",
    ];
    pub(super) const RECORDS: &[&str] = &[
        "records",
        "rows",
        "recordcount",
        "rowcount",
        "affectedrows",
        "count",
        "件数",
    ];
    pub(super) const OUTCOME: &[&str] = &["outcome", "status", "result", "statuscode", "結果"];
    pub(super) const SESSION: &[&str] = &[
        "session",
        "sessionid",
        "sessionkey",
        "セッション",
        "セッションid",
    ];
    pub(super) const TICKET: &[&str] = &[
        "ticket",
        "ticketid",
        "approval",
        "approvalid",
        "requestid",
        "チケット",
        "申請番号",
    ];
}

/// Lowercases and keeps only letters and digits (any script), so `Src-IP`, `src_ip` and
/// `SrcIP` compare equal.
pub fn normalize_header(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Every header, normalized.
pub(super) fn normalize_headers(headers: &[String]) -> Vec<String> {
    headers.iter().map(|h| normalize_header(h)).collect()
}

/// The first header (normalized) that no field has taken yet and equals one of `synonyms`,
/// trying the synonyms in order.
pub(super) fn first_unused(
    normalized: &[String],
    used: &[bool],
    synonyms: &[&str],
) -> Option<usize> {
    synonyms.iter().find_map(|syn| {
        normalized
            .iter()
            .enumerate()
            .find(|(i, n)| !used[*i] && n.as_str() == *syn)
            .map(|(i, _)| i)
    })
}

/// A category rule: when every glob given matches (`*` any run, `?` one character, whole
/// value, case-insensitive), the event gains `categories`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryRule {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    pub categories: Vec<String>,
}

/// A mapping profile file. Every key is optional; see the README for the format.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// What the file is: `access` (the default) or a roster kind (`people`, `accounts`,
    /// `systems`, `approvals`, `milestones`, `subjects`); for a roster, `[columns]` maps the
    /// roster's fields to the file's headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `csv` or `jsonl`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// IANA zone for naive timestamps (`--tz` overrides it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// chrono strftime pattern, when auto-detection is not wanted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_format: Option<String>,
    /// CSV delimiter (one character; `\t` for tab).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// A system name for every event, when the file has no system column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// PostgreSQL stderr logs: the server's `log_line_prefix` (default `%m [%p] %q%u@%d `).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub log_line_prefix: Option<String>,
    /// field -> column name (CSV header, or JSON key with `.` for nesting). For a roster
    /// profile, roster field -> header; one header may feed two fields; `""` maps nothing.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Source category word -> vocabulary name (e.g. `"投稿本文" = "message_text"`).
    #[serde(default)]
    pub category_aliases: BTreeMap<String, String>,
    #[serde(default)]
    pub category_rules: Vec<CategoryRule>,
    /// Where the unmapped fields of a record live: `"original"` (read again from the stored
    /// original when shown or searched; the default for CloudTrail, whose records are mostly
    /// unmapped JSON) or `"stored"` (copied into `event_extra`, for plain-SQL readers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_fields: Option<String>,
    /// CSV rows with more cells than the header: `"reject"` (the default: the row is a reject
    /// naming its line and both counts) or `"keep"` (the cells past the header are kept among
    /// the extra fields as `_cell_N`, N counting from 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_cells: Option<String>,
}

impl Profile {
    pub fn load(path: &Path) -> Result<Profile, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read mapping profile: {e}", path.display()))?;
        let is_json = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"));
        let p: Profile = if is_json {
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
        } else {
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?
        };
        p.validate()
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(p)
    }

    pub fn validate(&self) -> Result<(), String> {
        let kind = match self.kind.as_deref() {
            None => SourceKind::Access,
            Some(k) => SourceKind::parse(k.trim()).ok_or_else(|| {
                let kinds: Vec<&str> = SourceKind::ALL.iter().map(|k| k.as_str()).collect();
                format!("kind {k:?} is not one of {}", kinds.join(", "))
            })?,
        };
        if kind != SourceKind::Access {
            let fields: Vec<&str> = super::roster_map::fields(kind).collect();
            for k in self.columns.keys() {
                if !fields.contains(&k.as_str()) {
                    return Err(format!(
                        "[columns] names {k:?}, which is not a field of a {} roster; its fields are {}",
                        kind.as_str(),
                        fields.join(", ")
                    ));
                }
            }
            if let Some(f) = &self.format
                && f != "csv"
            {
                return Err(format!(
                    "format {f:?}: {} rosters are CSV files",
                    kind.as_str()
                ));
            }
        }
        for k in self.columns.keys().filter(|_| kind == SourceKind::Access) {
            if Field::parse(k).is_none() {
                let valid: Vec<_> = Field::ALL.iter().map(|f| f.as_str()).collect();
                return Err(format!(
                    "[columns] names unknown field {k:?}; fields are {}",
                    valid.join(", ")
                ));
            }
        }
        if let Some(f) = &self.format
            && !matches!(f.as_str(), "csv" | "jsonl" | "parquet")
        {
            return Err(format!("format {f:?} is not csv, jsonl or parquet"));
        }
        if let Some(d) = &self.delimiter
            && parse_delimiter(d).is_none()
        {
            return Err(format!(
                "delimiter {d:?} must be one ASCII character or \\t"
            ));
        }
        for (i, r) in self.category_rules.iter().enumerate() {
            if r.system.is_none() && r.object.is_none() && r.action.is_none() {
                return Err(format!(
                    "category_rules[{i}] gives no system, object or action to match"
                ));
            }
        }
        Ok(())
    }

    /// TOML text of this profile, for `--save-profile`.
    pub fn to_toml(&self) -> String {
        let mut out =
            String::from("# Retrace mapping profile (see README, \"Mapping profiles\")\n");
        out.push_str(&toml::to_string_pretty(self).unwrap_or_default());
        out
    }
}

pub fn parse_delimiter(d: &str) -> Option<u8> {
    match d {
        "\\t" | "\t" | "tab" => Some(b'\t'),
        s if s.len() == 1 && s.is_ascii() => Some(s.as_bytes()[0]),
        _ => None,
    }
}

/// Field -> column name, as used for one import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Mapping {
    pub columns: BTreeMap<Field, String>,
    /// Whether each column came from the profile (`false`: guessed from the header).
    #[serde(skip)]
    pub from_profile: BTreeMap<Field, bool>,
}

impl Mapping {
    /// Guesses from headers; profile columns override guesses.
    pub fn build(headers: &[String], profile: &Profile) -> Mapping {
        let mut m = Mapping::default();
        let mut used = vec![false; headers.len()];
        let normalized = normalize_headers(headers);
        for (k, col) in &profile.columns {
            if let Some(f) = Field::parse(k) {
                m.columns.insert(f, col.clone());
                m.from_profile.insert(f, true);
                if let Some(i) = headers.iter().position(|h| h == col) {
                    used[i] = true;
                }
            }
        }
        for f in Field::ALL {
            if m.columns.contains_key(&f) {
                continue;
            }
            // Synonym order is preference order: `timestamp` beats `date` when both exist.
            if let Some(i) = first_unused(&normalized, &used, f.synonyms()) {
                used[i] = true;
                m.columns.insert(f, headers[i].clone());
                m.from_profile.insert(f, false);
            }
        }
        m
    }

    pub fn get(&self, f: Field) -> Option<&str> {
        self.columns.get(&f).map(String::as_str)
    }
}

/// Turns category words and rules into a category set for one event.
#[derive(Debug, Clone)]
pub struct Categorizer {
    aliases: BTreeMap<String, String>,
    rules: Vec<(CategoryRule, CategorySet)>,
}

impl Categorizer {
    pub fn new(profile: &Profile, vocab: &mut Vocabulary) -> Result<Categorizer, String> {
        let mut rules = Vec::new();
        for r in &profile.category_rules {
            let mut set = CategorySet::default();
            for c in &r.categories {
                let bit = vocab.bit_or_insert(c).ok_or_else(|| {
                    format!("category {c:?}: no room for more custom categories (64)")
                })?;
                set.insert(bit);
            }
            rules.push((r.clone(), set));
        }
        let aliases = profile
            .category_aliases
            .iter()
            .map(|(k, v)| (k.trim().to_string(), v.clone()))
            .collect();
        Ok(Categorizer { aliases, rules })
    }

    /// Categories named in a cell (`;`, `,`, `|` or whitespace separated; aliases applied;
    /// unknown names become custom categories) plus those of matching rules.
    pub fn categorize(
        &self,
        cell: Option<&str>,
        system: Option<&str>,
        object: Option<&str>,
        action: Option<&str>,
        vocab: &mut Vocabulary,
    ) -> Result<CategorySet, String> {
        let mut set = CategorySet::default();
        if let Some(cell) = cell {
            for word in cell
                .split([';', ',', '|', ' ', '\t'])
                .filter(|w| !w.trim().is_empty())
            {
                let word = word.trim();
                let name = self.aliases.get(word).map_or(word, String::as_str);
                let bit = vocab.bit_or_insert(&normalize_name(name)).ok_or_else(|| {
                    format!("category {name:?}: no room for more custom categories (64)")
                })?;
                set.insert(bit);
            }
        }
        for (rule, cats) in &self.rules {
            let ok = |pat: &Option<String>, val: Option<&str>| match pat {
                None => true,
                Some(p) => val.is_some_and(|v| glob_match(p, v)),
            };
            if ok(&rule.system, system) && ok(&rule.object, object) && ok(&rule.action, action) {
                set = set.union(*cats);
            }
        }
        Ok(set)
    }
}

/// Whole-value glob with `*` and `?`, ASCII case-insensitive.
pub fn glob_match(pattern: &str, value: &str) -> bool {
    // Byte-wise matching is exact for ASCII and for literal non-ASCII text; only `?` against
    // a multi-byte character needs characters, so that case takes the slower path.
    if pattern.contains('?') && !value.is_ascii() {
        let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
        let v: Vec<char> = value.chars().map(|c| c.to_ascii_lowercase()).collect();
        return glob_units(&p, &v, '*', '?', |a, b| a == b);
    }
    glob_units(pattern.as_bytes(), value.as_bytes(), b'*', b'?', |a, b| {
        a.eq_ignore_ascii_case(&b)
    })
}

fn glob_units<T: PartialEq + Copy>(
    p: &[T],
    v: &[T],
    any: T,
    one: T,
    eq: impl Fn(T, T) -> bool,
) -> bool {
    let (mut pi, mut vi) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while vi < v.len() {
        if pi < p.len() && (p[pi] == one || eq(p[pi], v[vi])) {
            pi += 1;
            vi += 1;
        } else if pi < p.len() && p[pi] == any {
            star = Some(pi);
            mark = vi;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            vi = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == any {
        pi += 1;
    }
    pi == p.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_common_headers() {
        let headers: Vec<String> = [
            "Timestamp",
            "db_user",
            "client_addr",
            "server",
            "command",
            "table_name",
            "rows",
            "status",
            "session_id",
            "subject_ids",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let m = Mapping::build(&headers, &Profile::default());
        assert_eq!(m.get(Field::Time), Some("Timestamp"));
        assert_eq!(m.get(Field::Account), Some("db_user"));
        assert_eq!(m.get(Field::SrcIp), Some("client_addr"));
        assert_eq!(m.get(Field::System), Some("server"));
        assert_eq!(m.get(Field::Object), Some("table_name"));
        assert_eq!(m.get(Field::Records), Some("rows"));
        assert_eq!(m.get(Field::Subjects), Some("subject_ids"));
        assert_eq!(m.get(Field::Ticket), None);
    }

    #[test]
    fn guesses_japanese_headers_and_profile_overrides() {
        let headers: Vec<String> = ["日時", "担当者", "端末IP", "対象"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let m = Mapping::build(&headers, &Profile::default());
        assert_eq!(m.get(Field::Time), Some("日時"));
        assert_eq!(m.get(Field::SrcIp), Some("端末IP"));
        let mut p = Profile::default();
        p.columns.insert("object".into(), "担当者".into());
        let m = Mapping::build(&headers, &p);
        assert_eq!(m.get(Field::Object), Some("担当者"));
        assert_eq!(m.get(Field::Account), None, "a column feeds one field");
    }

    #[test]
    fn profile_rejects_unknown_fields() {
        let p: Profile = toml::from_str("[columns]\nwhen = \"x\"").unwrap();
        assert!(p.validate().unwrap_err().contains("unknown field"));
        assert!(toml::from_str::<Profile>("colums = 1").is_err());
    }

    #[test]
    fn rules_and_aliases_categorize() {
        let p: Profile = toml::from_str(
            r#"
            [category_aliases]
            "投稿本文" = "message_text"
            [[category_rules]]
            object = "reports*"
            categories = ["message_text", "account_id"]
            [[category_rules]]
            system = "kr-media-*"
            categories = ["image_media"]
            "#,
        )
        .unwrap();
        let mut v = Vocabulary::default();
        let c = Categorizer::new(&p, &mut v).unwrap();
        let s = c
            .categorize(None, Some("jp-report-db"), Some("reports"), None, &mut v)
            .unwrap();
        assert_eq!(v.names(s), vec!["account_id", "message_text"]);
        let s = c
            .categorize(
                Some("投稿本文;name"),
                Some("KR-MEDIA-01"),
                None,
                None,
                &mut v,
            )
            .unwrap();
        assert_eq!(v.names(s), vec!["name", "message_text", "image_media"]);
        assert!(!glob_match("users", "user_contacts"));
        assert!(glob_match("*users*", "public.users_x"));
        assert!(glob_match("KR-*", "kr-media-01"));
        assert!(glob_match("?応*", "対応履歴"));
        assert!(!glob_match("?応", "対応履歴"));
        assert!(glob_match("*", ""));
    }
}
