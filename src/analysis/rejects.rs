//! Rejected rows that mention someone the case knows. A row an import refused (an impossible
//! date, an empty time) is in no count, yet a rejected row of an access log may well record
//! an access: when its text names a known account, person or data subject, the figures about
//! them are lower bounds, and every place that gives those figures says so.
//!
//! How a mention is found (the rule, and its limits, are in `docs/rejects.md`): the row's raw
//! text is cut into *cells* at the delimiters of the formats Retrace reads (`,` `;` tab `|`,
//! quotes, brackets, braces, `=`) and each cell into *words* at white space; a cell or word
//! that equals an account name (exactly, as logs write them), a roster person id (exactly), or
//! that the importer's normalisation turns into a subject key or alias is a mention; a
//! person's display name (4 characters or more, any case) or native name (2 or more) anywhere
//! in the text is one too. Only rows of access sources are read; roster rows name people by
//! design.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use super::Result;
use crate::case::{Case, RejectRow};
use crate::model::subject::normalize;

/// At most this many rejected rows of access sources are read for mentions; a case with more
/// says how many were read ([`RejectCallouts::checked`]).
pub const CHECK_LIMIT: usize = 100_000;

/// What a mention names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    /// A log account of the case (mapped to a person or not).
    Account,
    /// A person of the roster, by id or name.
    Person,
    /// A data subject, by key or alias.
    Subject,
}

impl MentionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Account => "account",
            MentionKind::Person => "person",
            MentionKind::Subject => "subject",
        }
    }
}

/// One known name found in a rejected row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Mention {
    pub kind: MentionKind,
    /// The text as found in the row.
    pub text: String,
    /// The roster person it points to: the person named, or the one the account maps to.
    pub person_key: Option<String>,
    pub person_name: Option<String>,
    /// The subject's key (for a subject found by an alias, the key it resolves to).
    pub subject_key: Option<String>,
}

impl Mention {
    /// `account wang.yuhang (P14 Wang Yuhang)`, `person Chen Siyuan (P13)`, `subject
    /// Uf87a0b0b9978`.
    pub fn describe(&self) -> String {
        let who = |k: &str, n: &str| {
            if n == self.text {
                format!(" ({k})")
            } else {
                format!(" ({k} {n})")
            }
        };
        let tail = match (self.kind, &self.person_key, &self.person_name) {
            (MentionKind::Account, None, _) => " (unmapped)".to_string(),
            (_, Some(k), Some(n)) if k != &self.text => who(k, n),
            (_, Some(_), Some(n)) => format!(" ({n})"),
            (MentionKind::Subject, ..) => match &self.subject_key {
                Some(key) if key != &self.text => format!(" (alias of {key})"),
                _ => String::new(),
            },
            _ => String::new(),
        };
        format!("{} {}{tail}", self.kind.as_str(), self.text)
    }

    /// [`Mention::describe`] in `lang` (the English is the same text).
    pub fn describe_in(&self, lang: crate::i18n::Lang) -> String {
        let tail = match (self.kind, &self.person_key, &self.person_name) {
            (MentionKind::Account, None, _) => crate::tr!(lang, "analysis-mention-unmapped"),
            (_, Some(k), Some(n)) if k != &self.text && n == &self.text => {
                crate::tr!(lang, "analysis-mention-of", of = k.as_str())
            }
            (_, Some(k), Some(n)) if k != &self.text => {
                crate::tr!(lang, "analysis-mention-of", of = format!("{k} {n}"))
            }
            (_, Some(_), Some(n)) => crate::tr!(lang, "analysis-mention-of", of = n.as_str()),
            (MentionKind::Subject, ..) => match &self.subject_key {
                Some(key) if key != &self.text => {
                    crate::tr!(lang, "analysis-mention-alias-of", key = key.as_str())
                }
                _ => String::new(),
            },
            _ => String::new(),
        };
        crate::tr!(
            lang,
            "analysis-mention",
            kind = self.kind.as_str(),
            text = self.text.as_str(),
            tail = tail
        )
    }
}

/// A rejected row with the known names it mentions (none for roster sources).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectedRow {
    #[serde(flatten)]
    pub row: RejectRow,
    /// The kind of source it was rejected from (`access`, `people`, …).
    pub source_kind: String,
    pub mentions: Vec<Mention>,
}

impl RejectedRow {
    /// `sh_admin_tool.csv:46`
    pub fn place(&self) -> String {
        format!("{}:{}", self.row.file_name, self.row.line)
    }

    /// The mentions in words, comma-separated.
    pub fn mentions_text(&self) -> String {
        self.mentions
            .iter()
            .map(Mention::describe)
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// [`RejectedRow::mentions_text`] in `lang`.
    pub fn mentions_text_in(&self, lang: crate::i18n::Lang) -> String {
        self.mentions
            .iter()
            .map(|m| m.describe_in(lang))
            .collect::<Vec<_>>()
            .join(&crate::tr!(lang, "analysis-mention-separator"))
    }

    /// Whether the row mentions this roster person (by name, id or one of their accounts).
    pub fn mentions_person(&self, person_key: &str) -> bool {
        self.mentions
            .iter()
            .any(|m| m.person_key.as_deref() == Some(person_key))
    }

    /// Whether the row mentions this subject (its key, or an alias of it).
    pub fn mentions_subject(&self, subject_key: &str) -> bool {
        self.mentions
            .iter()
            .any(|m| m.subject_key.as_deref() == Some(subject_key))
    }

    /// Whether the row mentions this log account.
    pub fn mentions_account(&self, account: &str) -> bool {
        self.mentions
            .iter()
            .any(|m| m.kind == MentionKind::Account && m.text == account)
    }
}

/// The rejected rows of the case's access sources, each with what it mentions.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RejectCallouts {
    /// Rejected rows of access sources, read for mentions (at most [`CHECK_LIMIT`]).
    pub rows: Vec<RejectedRow>,
    /// Rejected rows of access sources in the case (unit: rows).
    pub access_rejects: u64,
    /// Of those, how many were read for mentions (unit: rows).
    pub checked: u64,
}

impl RejectCallouts {
    /// The rows that mention a known account, person or subject.
    pub fn mentioning(&self) -> impl Iterator<Item = &RejectedRow> {
        self.rows.iter().filter(|r| !r.mentions.is_empty())
    }

    /// The rows that mention a known person (by name, id or account mapped to them).
    pub fn mentioning_people(&self) -> impl Iterator<Item = &RejectedRow> {
        self.rows
            .iter()
            .filter(|r| r.mentions.iter().any(|m| m.person_key.is_some()))
    }

    pub fn for_person<'a>(&'a self, person_key: &'a str) -> impl Iterator<Item = &'a RejectedRow> {
        self.rows
            .iter()
            .filter(move |r| r.mentions_person(person_key))
    }

    pub fn for_subject<'a>(
        &'a self,
        subject_key: &'a str,
    ) -> impl Iterator<Item = &'a RejectedRow> {
        self.rows
            .iter()
            .filter(move |r| r.mentions_subject(subject_key))
    }

    /// The persons the rows mention, by roster key.
    pub fn persons(&self) -> BTreeSet<&str> {
        self.rows
            .iter()
            .flat_map(|r| r.mentions.iter().filter_map(|m| m.person_key.as_deref()))
            .collect()
    }

    /// Whether some access-source rejects were not read for mentions (more than the limit).
    pub fn incomplete(&self) -> bool {
        self.checked < self.access_rejects
    }
}

/// The names of the case a rejected row is matched against.
pub struct Matcher {
    /// Account name -> (person key, person name).
    accounts: HashMap<String, (Option<String>, Option<String>)>,
    /// Person key -> display name.
    person_keys: HashMap<String, String>,
    /// (display name in lower case, native name, key, display name).
    names: Vec<(String, Option<String>, String, String)>,
}

impl Matcher {
    pub fn new(case: &Case) -> Result<Matcher> {
        let persons = case.people().persons()?;
        let by_id: HashMap<i64, (&str, &str)> = persons
            .iter()
            .map(|p| (p.id, (p.key.as_str(), p.display_name.as_str())))
            .collect();
        let accounts = case
            .timeline()
            .account_links()?
            .into_iter()
            .map(|a| {
                let p = a.person_id.and_then(|id| by_id.get(&id));
                let key = p.map(|p| p.0.to_string());
                let name = p.map(|p| p.1.to_string());
                (a.name, (key, name))
            })
            .collect();
        Ok(Matcher {
            accounts,
            person_keys: persons
                .iter()
                .map(|p| (p.key.clone(), p.display_name.clone()))
                .collect(),
            names: persons
                .iter()
                .map(|p| {
                    (
                        p.display_name.to_lowercase(),
                        p.native_name.clone().filter(|n| n.chars().count() >= 2),
                        p.key.clone(),
                        p.display_name.clone(),
                    )
                })
                .collect(),
        })
    }

    /// The known names `raw` mentions, each once, sorted.
    pub fn mentions(&self, case: &Case, raw: &str) -> Result<Vec<Mention>> {
        let mut out: BTreeSet<Mention> = BTreeSet::new();
        for piece in pieces(raw) {
            if let Some((key, name)) = self.accounts.get(piece) {
                out.insert(Mention {
                    kind: MentionKind::Account,
                    text: piece.to_string(),
                    person_key: key.clone(),
                    person_name: name.clone(),
                    subject_key: None,
                });
            }
            if let Some(name) = self.person_keys.get(piece) {
                out.insert(person_mention(piece, piece, name));
            }
            if let Some((key, _)) = normalize(piece)
                && let Some((s, _)) = case.subjects().subject_by_key(&key)?
            {
                out.insert(Mention {
                    kind: MentionKind::Subject,
                    text: piece.to_string(),
                    person_key: None,
                    person_name: None,
                    subject_key: Some(s.key),
                });
            }
        }
        let lower = raw.to_lowercase();
        for (display, native, key, name) in &self.names {
            if display.chars().count() >= 4 && lower.contains(display.as_str()) {
                out.insert(person_mention(name, key, name));
            }
            if let Some(n) = native
                && raw.contains(n.as_str())
            {
                out.insert(person_mention(n, key, name));
            }
        }
        Ok(out.into_iter().collect())
    }
}

fn person_mention(text: &str, key: &str, name: &str) -> Mention {
    Mention {
        kind: MentionKind::Person,
        text: text.to_string(),
        person_key: Some(key.to_string()),
        person_name: Some(name.to_string()),
        subject_key: None,
    }
}

/// The cells of a raw row (cut at format delimiters) and the words of each (cut at white
/// space), trimmed, each once.
fn pieces(raw: &str) -> Vec<&str> {
    let cell_break = |c: char| {
        matches!(
            c,
            ',' | ';' | '\t' | '|' | '"' | '\'' | '{' | '}' | '[' | ']' | '=' | '\r' | '\n'
        )
    };
    let mut out: Vec<&str> = Vec::new();
    for cell in raw.split(cell_break) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        out.push(cell);
        for word in cell.split_whitespace() {
            let word = word.trim_matches(|c: char| matches!(c, '(' | ')' | '<' | '>' | ':'));
            if !word.is_empty() && word != cell {
                out.push(word);
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Every rejected row of the case's access sources (up to [`CHECK_LIMIT`]) with what each
/// mentions.
pub fn reject_callouts(case: &Case) -> Result<RejectCallouts> {
    let matcher = Matcher::new(case)?;
    let mut out = RejectCallouts::default();
    for s in case.sources().list()? {
        if s.kind != "access" || s.rows_rejected <= 0 {
            continue;
        }
        out.access_rejects += s.rows_rejected as u64;
        let room = CHECK_LIMIT.saturating_sub(out.rows.len());
        if room == 0 {
            continue;
        }
        for row in case.sources().rejects(Some(s.id), room)? {
            let mentions = matcher.mentions(case, &row.raw)?;
            out.rows.push(RejectedRow {
                row,
                source_kind: s.kind.clone(),
                mentions,
            });
        }
    }
    out.checked = out.rows.len() as u64;
    Ok(out)
}

/// The rejected rows of one source (or all), at most `limit`, each with what it mentions
/// (access sources only; roster rows get none).
pub fn rejected_rows(case: &Case, source: Option<i64>, limit: usize) -> Result<Vec<RejectedRow>> {
    let matcher = Matcher::new(case)?;
    let kinds: HashMap<i64, String> = case
        .sources()
        .list()?
        .into_iter()
        .map(|s| (s.id, s.kind))
        .collect();
    let mut out = Vec::new();
    for row in case.sources().rejects(source, limit)? {
        let kind = kinds.get(&row.source_id).cloned().unwrap_or_default();
        let mentions = if kind == "access" {
            matcher.mentions(case, &row.raw)?
        } else {
            Vec::new()
        };
        out.push(RejectedRow {
            row,
            source_kind: kind,
            mentions,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_cells_and_their_words() {
        let p = pieces(r#"2019-02-30 10:00:00,wang.yuhang,"Chen Siyuan",{"user":"a@b.example"}"#);
        for want in [
            "2019-02-30 10:00:00",
            "2019-02-30",
            "10:00:00",
            "wang.yuhang",
            "Chen Siyuan",
            "Chen",
            "a@b.example",
            "user",
        ] {
            assert!(p.contains(&want), "{want} in {p:?}");
        }
        assert!(!p.iter().any(|x| x.is_empty()));
    }
}
