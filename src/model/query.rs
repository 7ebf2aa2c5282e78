//! The query language of the timeline's free-text box: `field:value`, quoted phrases, `AND` /
//! `OR` / `NOT` (a space between terms is `AND`), parentheses, `*` wildcards, `/regex/` and
//! `time:[FROM TO]`. A lexer and a recursive-descent parser turn the text into an [`Expr`];
//! errors name the character column they are at. No storage here: `case::query_sql` turns an
//! [`Expr`] into SQL with every value a bound parameter.
//!
//! Meaning: a bare word or phrase is a case-insensitive substring of the free-text columns (as
//! the box always did); `field:value` is the whole value, case-insensitive, where `*` stands
//! for any text; `/regex/` searches (unanchored) and `field:/regex/` searches that field.

use std::fmt;

use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::regex_lite::{Regex, RegexErrorKind};
use super::time::TimeParser;

/// A field a term can name. [`Field::names`] gives each its name and aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Field {
    Account,
    Person,
    Organization,
    ActorCountry,
    System,
    StorageCountry,
    Action,
    Object,
    Outcome,
    Ip,
    Ticket,
    Category,
    Source,
    Session,
    RawTime,
    Extra,
}

impl Field {
    pub const ALL: [Field; 16] = [
        Field::Account,
        Field::Person,
        Field::Organization,
        Field::ActorCountry,
        Field::System,
        Field::StorageCountry,
        Field::Action,
        Field::Object,
        Field::Outcome,
        Field::Ip,
        Field::Ticket,
        Field::Category,
        Field::Source,
        Field::Session,
        Field::RawTime,
        Field::Extra,
    ];

    /// The name printed first, then the aliases accepted (all lower case; typed names are
    /// matched ignoring case).
    pub fn names(self) -> &'static [&'static str] {
        match self {
            Field::Account => &["account", "acct", "user"],
            Field::Person => &["person", "who"],
            Field::Organization => &["org", "organization", "company"],
            Field::ActorCountry => &["country", "actor_country"],
            Field::System => &["system", "sys"],
            Field::StorageCountry => &["stored", "storage", "storage_country"],
            Field::Action => &["action"],
            Field::Object => &["object", "obj"],
            Field::Outcome => &["outcome", "result"],
            Field::Ip => &["ip", "src_ip"],
            Field::Ticket => &["ticket"],
            Field::Category => &["category", "cat"],
            Field::Source => &["source", "file"],
            Field::Session => &["session"],
            Field::RawTime => &["raw_time", "raw_ts"],
            Field::Extra => &["extra"],
        }
    }

    pub fn name(self) -> &'static str {
        self.names()[0]
    }

    /// The field a typed name means, ignoring case.
    pub fn from_name(name: &str) -> Option<Field> {
        let lower = name.to_ascii_lowercase();
        Field::ALL
            .into_iter()
            .find(|f| f.names().contains(&lower.as_str()))
    }

    /// Whether the field is about the account or the person behind it, so that a query of
    /// such fields alone can be answered per account (from the timeline's aggregates).
    pub fn is_account_level(self) -> bool {
        matches!(
            self,
            Field::Account | Field::Person | Field::Organization | Field::ActorCountry
        )
    }
}

/// What a term matches.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Match {
    /// Text as written (a bare word without `*`, or a quoted phrase).
    Literal(String),
    /// A bare word with `*` wildcards (any text, also none).
    Glob(String),
    /// A regular expression (see `model::regex_lite` for the syntax).
    Regex(String),
}

/// One end of a `time:[FROM TO]` range: the text as typed and the instant it means (UTC µs).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct TimeBound {
    pub text: String,
    pub us: i64,
}

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Expr {
    /// A bare word, phrase, glob or regex: searched in every free-text column.
    Any(Match),
    Field(Field, Match),
    /// Events at or after `from` and before `to` (`None`: open).
    Time {
        from: Option<TimeBound>,
        to: Option<TimeBound>,
    },
    Not(Box<Expr>),
    And(Vec<Expr>),
    Or(Vec<Expr>),
}

impl Expr {
    /// Whether every term names an account-level field (see [`Field::is_account_level`]) and
    /// none is negated: `NOT org:X` holds for events without an account, which no set of
    /// accounts can stand for.
    pub fn is_account_level(&self) -> bool {
        match self {
            Expr::Any(_) | Expr::Time { .. } | Expr::Not(_) => false,
            Expr::Field(f, _) => f.is_account_level(),
            Expr::And(v) | Expr::Or(v) => v.iter().all(Expr::is_account_level),
        }
    }

    /// `And` (or `Or`) of `items`, with nested ones of the same kind flattened, so that
    /// printing and parsing again gives the same tree.
    fn join(and: bool, items: Vec<Expr>) -> Expr {
        let mut out = Vec::with_capacity(items.len());
        for e in items {
            match (and, e) {
                (true, Expr::And(v)) | (false, Expr::Or(v)) => out.extend(v),
                (_, e) => out.push(e),
            }
        }
        if out.len() == 1 {
            return out.pop().unwrap_or(Expr::And(Vec::new()));
        }
        if and { Expr::And(out) } else { Expr::Or(out) }
    }
}

/// A query as the filter keeps it: the text (as the parser prints it back), the zone its
/// times were read in, and the tree.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Query {
    pub text: String,
    pub zone: String,
    pub expr: Expr,
}

impl Query {
    /// Parses `text`; times in `time:[..]` are read in `zone` (an IANA name).
    pub fn parse(text: &str, zone: Tz) -> Result<Query, QueryError> {
        let expr = parse(text, zone)?;
        Ok(Query {
            text: expr.to_string(),
            zone: zone.name().to_string(),
            expr,
        })
    }
}

impl Query {
    /// The query in words for a chip or a manifest; a query with times names their zone.
    pub fn describe(&self) -> String {
        if self.expr.has_time() {
            format!("{} (times in {})", self.text, self.zone)
        } else {
            self.text.clone()
        }
    }
}

impl Expr {
    /// The span `[from, to)` in µs that every event the expression keeps lies in (`None`: open
    /// on that side), from its `time:[..]` terms: an `AND` keeps the intersection, an `OR` the
    /// union, anything else is unbounded. A scan of `event` need read no further.
    pub fn time_bounds(&self) -> (Option<i64>, Option<i64>) {
        match self {
            Expr::Time { from, to } => (from.as_ref().map(|b| b.us), to.as_ref().map(|b| b.us)),
            Expr::Any(_) | Expr::Field(..) | Expr::Not(_) => (None, None),
            Expr::And(v) => v.iter().map(Expr::time_bounds).fold((None, None), |a, b| {
                let lo = match (a.0, b.0) {
                    (Some(x), Some(y)) => Some(x.max(y)),
                    (x, y) => x.or(y),
                };
                let hi = match (a.1, b.1) {
                    (Some(x), Some(y)) => Some(x.min(y)),
                    (x, y) => x.or(y),
                };
                (lo, hi)
            }),
            Expr::Or(v) => {
                let all: Vec<_> = v.iter().map(Expr::time_bounds).collect();
                let lo = all.iter().map(|b| b.0).collect::<Option<Vec<_>>>();
                let hi = all.iter().map(|b| b.1).collect::<Option<Vec<_>>>();
                (
                    lo.and_then(|l| l.into_iter().min()),
                    hi.and_then(|h| h.into_iter().max()),
                )
            }
        }
    }

    /// Whether a `time:[..]` term is in the tree.
    pub fn has_time(&self) -> bool {
        match self {
            Expr::Time { .. } => true,
            Expr::Any(_) | Expr::Field(..) => false,
            Expr::Not(e) => e.has_time(),
            Expr::And(v) | Expr::Or(v) => v.iter().any(Expr::has_time),
        }
    }
}

/// Where a query is wrong and why. `column` counts characters from 1; `byte` is the offset;
/// `kind` says what is wrong (the app writes it in its language), `message` in English (the
/// command line's words).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub column: usize,
    pub byte: usize,
    pub kind: QueryErrorKind,
    pub message: String,
}

/// What is wrong with a query, with the values its message names. [`fmt::Display`] gives
/// the English message; the app's catalogs have one `query-err-*` message for each kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryErrorKind {
    EmptyPhrase,
    UnclosedPhrase,
    EmptyRegex,
    /// The regex's own error (`model::regex_lite`).
    InRegex(RegexErrorKind),
    UnclosedRegex,
    TimeBracket,
    /// A `name:` that names no field (the name as typed).
    UnknownField(String),
    /// `name:` with nothing after it (the name as typed, or the field's name).
    ValueAfter(String),
    Empty,
    UnmatchedClose,
    Unexpected,
    TooDeep,
    TermAtEnd,
    /// No `)` for the `(` at this column.
    CloseParen(usize),
    TermBeforeOperator,
    Brackets,
    Term,
    TimeClose,
    TimeOrder,
    TimeExpected,
    /// A `time:[..]` end that is not a time: the text as typed and the time parser's error.
    NotATime {
        text: String,
        detail: String,
    },
}

impl fmt::Display for QueryErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use QueryErrorKind as K;
        match self {
            K::EmptyPhrase => f.write_str("empty phrase \"\""),
            K::UnclosedPhrase => f.write_str("this phrase has no closing '\"'"),
            K::EmptyRegex => f.write_str("empty regular expression //"),
            K::InRegex(e) => write!(f, "in the regex: {e}"),
            K::UnclosedRegex => f.write_str("this regex has no closing '/'"),
            K::TimeBracket => f.write_str("expected '[' after 'time:' (time:[FROM TO])"),
            K::UnknownField(name) => write!(
                f,
                "unknown field {name:?} (fields: {}); put text with ':' in quotes to search for it",
                field_list()
            ),
            K::ValueAfter(name) => write!(f, "expected a value after '{name}:'"),
            K::Empty => f.write_str("the query is empty"),
            K::UnmatchedClose => f.write_str("')' without a matching '('"),
            K::Unexpected => f.write_str("unexpected text"),
            K::TooDeep => f.write_str("the query is nested too deeply"),
            K::TermAtEnd => f.write_str("expected a term here, where the query ends"),
            K::CloseParen(column) => {
                write!(f, "expected ')' to close the '(' at column {column}")
            }
            K::TermBeforeOperator => f.write_str("expected a term before this operator"),
            K::Brackets => f.write_str(
                "'[' and ']' are only for time:[FROM TO]; put text with brackets in quotes",
            ),
            K::Term => f.write_str("expected a term"),
            K::TimeClose => f.write_str("expected ']' to close time:[FROM TO]"),
            K::TimeOrder => f.write_str("the end of time:[FROM TO] is not after its start"),
            K::TimeExpected => f.write_str(
                "expected a time (e.g. 2021-02-24 or \"2021-02-24 10:00\") or * in time:[FROM TO]",
            ),
            K::NotATime { text, detail } => write!(f, "{text:?} is not a time: {detail}"),
        }
    }
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at column {}: {}", self.column, self.message)
    }
}

impl std::error::Error for QueryError {}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    LBracket,
    RBracket,
    And,
    Or,
    Not,
    /// A bare word (`quoted` false) or a quoted phrase.
    Word {
        text: String,
        quoted: bool,
    },
    Regex(String),
    /// `name:` directly followed by its value.
    Field(Field),
    /// `time:`, followed by `[FROM TO]`.
    Time,
}

/// A token and the byte offset it starts at.
type Spanned = (Tok, usize);

/// Characters that end a bare word.
fn is_delim(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"' | '[' | ']')
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    out: Vec<Spanned>,
}

fn error_at(src: &str, byte: usize, kind: QueryErrorKind) -> QueryError {
    let mut byte = byte.min(src.len());
    while !src.is_char_boundary(byte) {
        byte -= 1;
    }
    let column = src
        .get(..byte)
        .map_or(byte, |s| s.chars().count())
        .saturating_add(1);
    QueryError {
        column,
        byte,
        message: kind.to_string(),
        kind,
    }
}

impl Lexer<'_> {
    fn err(&self, byte: usize, kind: QueryErrorKind) -> QueryError {
        error_at(self.src, byte, kind)
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn run(mut self) -> Result<Vec<Spanned>, QueryError> {
        while let Some(c) = self.peek() {
            let start = self.pos;
            match c {
                c if c.is_whitespace() => self.pos += c.len_utf8(),
                '(' | ')' | '[' | ']' => {
                    self.pos += 1;
                    let tok = match c {
                        '(' => Tok::LParen,
                        ')' => Tok::RParen,
                        '[' => Tok::LBracket,
                        _ => Tok::RBracket,
                    };
                    self.out.push((tok, start));
                }
                '"' => {
                    let text = self.quoted()?;
                    self.out.push((Tok::Word { text, quoted: true }, start));
                }
                '/' => {
                    let re = self.regex()?;
                    self.out.push((Tok::Regex(re), start));
                }
                _ => self.word()?,
            }
        }
        Ok(self.out)
    }

    /// A quoted phrase from `"` to `"`; `\"` and `\\` stand for `"` and `\`.
    fn quoted(&mut self) -> Result<String, QueryError> {
        let start = self.pos;
        self.pos += 1;
        let mut text = String::new();
        let mut chars = self.src[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => {
                    self.pos += i + 1;
                    if text.is_empty() {
                        return Err(self.err(start, QueryErrorKind::EmptyPhrase));
                    }
                    return Ok(text);
                }
                '\\' => match chars.next() {
                    Some((_, n)) => text.push(n),
                    None => break,
                },
                c => text.push(c),
            }
        }
        Err(self.err(start, QueryErrorKind::UnclosedPhrase))
    }

    /// A regex from `/` to `/`; `\/` stands for `/`, every other `\x` is left to the regex.
    fn regex(&mut self) -> Result<String, QueryError> {
        let start = self.pos;
        self.pos += 1;
        let mut re = String::new();
        let mut chars = self.src[self.pos..].char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '/' => {
                    self.pos += i + 1;
                    if re.is_empty() {
                        return Err(self.err(start, QueryErrorKind::EmptyRegex));
                    }
                    if let Err(e) = Regex::new(&re) {
                        return Err(self.err(start + 1 + e.byte, QueryErrorKind::InRegex(e.kind)));
                    }
                    return Ok(re);
                }
                '\\' => match chars.next() {
                    Some((_, '/')) => re.push('/'),
                    Some((_, n)) => {
                        re.push('\\');
                        re.push(n);
                    }
                    None => break,
                },
                c => re.push(c),
            }
        }
        Err(self.err(start, QueryErrorKind::UnclosedRegex))
    }

    /// A bare word, an operator, or `field:` with its value.
    fn word(&mut self) -> Result<(), QueryError> {
        let start = self.pos;
        let rest = &self.src[start..];
        let end = rest.find(is_delim).unwrap_or(rest.len());
        let word = &rest[..end];
        if let Some(colon) = word.find(':') {
            let name = &word[..colon];
            // A field name starts with a letter: `10:00` and `::1` are words.
            if name.starts_with(|c: char| c.is_ascii_alphabetic())
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                if name.eq_ignore_ascii_case("time") {
                    self.out.push((Tok::Time, start));
                    self.pos = start + colon + 1;
                    if self.peek() != Some('[') {
                        return Err(self.err(self.pos, QueryErrorKind::TimeBracket));
                    }
                    return Ok(());
                }
                let Some(field) = Field::from_name(name) else {
                    return Err(self.err(start, QueryErrorKind::UnknownField(name.to_string())));
                };
                self.out.push((Tok::Field(field), start));
                self.pos = start + colon + 1;
                let value = &word[colon + 1..];
                if value.is_empty() || value.starts_with('/') {
                    // The value is the next token: a phrase, a regex or a `[` range.
                    let next = self.peek();
                    if next.is_none_or(char::is_whitespace) || next == Some(')') {
                        return Err(
                            self.err(self.pos, QueryErrorKind::ValueAfter(name.to_string()))
                        );
                    }
                    return Ok(());
                }
                self.out.push((
                    Tok::Word {
                        text: value.to_string(),
                        quoted: false,
                    },
                    self.pos,
                ));
                self.pos = start + end;
                return Ok(());
            }
        }
        let tok = match word {
            w if w.eq_ignore_ascii_case("AND") => Tok::And,
            w if w.eq_ignore_ascii_case("OR") => Tok::Or,
            w if w.eq_ignore_ascii_case("NOT") => Tok::Not,
            w => Tok::Word {
                text: w.to_string(),
                quoted: false,
            },
        };
        self.out.push((tok, start));
        self.pos = start + end;
        Ok(())
    }
}

/// The field names, for messages and the reference.
pub fn field_list() -> String {
    Field::ALL
        .iter()
        .map(|f| f.name())
        .chain(["time"])
        .collect::<Vec<_>>()
        .join(", ")
}

/// Deeper nesting than this is refused (the parser recurses once per level).
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    src: &'a str,
    toks: Vec<Spanned>,
    at: usize,
    depth: usize,
    zone: Tz,
}

/// Parses a query; times are read in `zone`.
pub fn parse(src: &str, zone: Tz) -> Result<Expr, QueryError> {
    let toks = Lexer {
        src,
        pos: 0,
        out: Vec::new(),
    }
    .run()?;
    let mut p = Parser {
        src,
        toks,
        at: 0,
        depth: 0,
        zone,
    };
    if p.toks.is_empty() {
        return Err(error_at(src, 0, QueryErrorKind::Empty));
    }
    let e = p.or()?;
    match p.toks.get(p.at) {
        None => Ok(e),
        Some((Tok::RParen, at)) => Err(p.err(*at, QueryErrorKind::UnmatchedClose)),
        Some((_, at)) => Err(p.err(*at, QueryErrorKind::Unexpected)),
    }
}

impl Parser<'_> {
    fn err(&self, byte: usize, kind: QueryErrorKind) -> QueryError {
        error_at(self.src, byte, kind)
    }

    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.at).map(|t| &t.0)
    }

    /// Byte offset of the next token (the end of the text when there is none).
    fn here(&self) -> usize {
        self.toks.get(self.at).map_or(self.src.len(), |t| t.1)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Tok::Or) {
            self.at += 1;
            items.push(self.and()?);
        }
        Ok(Expr::join(false, items))
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut items = vec![self.unary()?];
        loop {
            match self.peek() {
                Some(Tok::And) => self.at += 1,
                Some(Tok::Or | Tok::RParen) | None => break,
                Some(_) => {} // a space between terms: AND
            }
            items.push(self.unary()?);
        }
        Ok(Expr::join(true, items))
    }

    fn unary(&mut self) -> Result<Expr, QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(self.here(), QueryErrorKind::TooDeep));
        }
        let e = if self.peek() == Some(&Tok::Not) {
            self.at += 1;
            self.unary().map(|e| Expr::Not(Box::new(e)))
        } else {
            self.primary()
        };
        self.depth -= 1;
        e
    }

    fn primary(&mut self) -> Result<Expr, QueryError> {
        let at = self.here();
        let Some((tok, _)) = self.toks.get(self.at).cloned() else {
            return Err(self.err(at, QueryErrorKind::TermAtEnd));
        };
        self.at += 1;
        match tok {
            Tok::LParen => {
                let e = self.or()?;
                match self.peek() {
                    Some(Tok::RParen) => {
                        self.at += 1;
                        Ok(e)
                    }
                    _ => Err(self.err(
                        self.here(),
                        QueryErrorKind::CloseParen(
                            error_at(self.src, at, QueryErrorKind::Term).column,
                        ),
                    )),
                }
            }
            Tok::Word { text, quoted } => Ok(Expr::Any(word_match(text, quoted))),
            Tok::Regex(re) => Ok(Expr::Any(Match::Regex(re))),
            Tok::Field(field) => self.field_value(field, at),
            Tok::Time => self.time_range(),
            Tok::RParen => Err(self.err(at, QueryErrorKind::UnmatchedClose)),
            Tok::And | Tok::Or => Err(self.err(at, QueryErrorKind::TermBeforeOperator)),
            Tok::LBracket | Tok::RBracket => Err(self.err(at, QueryErrorKind::Brackets)),
            Tok::Not => Err(self.err(at, QueryErrorKind::Term)),
        }
    }

    fn field_value(&mut self, field: Field, at: usize) -> Result<Expr, QueryError> {
        let value_at = self.here();
        match self.toks.get(self.at).cloned() {
            Some((Tok::Word { text, quoted }, _)) => {
                self.at += 1;
                Ok(Expr::Field(field, word_match(text, quoted)))
            }
            Some((Tok::Regex(re), _)) => {
                self.at += 1;
                Ok(Expr::Field(field, Match::Regex(re)))
            }
            _ => Err(self.err(
                value_at.max(at),
                QueryErrorKind::ValueAfter(field.name().to_string()),
            )),
        }
    }
}

/// A bare word with `*` is a glob; everything else is literal.
fn word_match(text: String, quoted: bool) -> Match {
    if !quoted && text.contains('*') {
        Match::Glob(text)
    } else {
        Match::Literal(text)
    }
}

impl Parser<'_> {
    /// `[FROM TO]` after `time:`: each end a time (bare or quoted) or `*` (open), an optional
    /// `TO` between them.
    fn time_range(&mut self) -> Result<Expr, QueryError> {
        // The lexer made sure that `[` follows.
        self.at += 1;
        let from = self.time_bound(false)?;
        if let Some(Tok::Word {
            text,
            quoted: false,
        }) = self.peek()
            && text.eq_ignore_ascii_case("TO")
        {
            self.at += 1;
        }
        let to = self.time_bound(true)?;
        match self.peek() {
            Some(Tok::RBracket) => self.at += 1,
            _ => return Err(self.err(self.here(), QueryErrorKind::TimeClose)),
        }
        if let (Some(a), Some(b)) = (&from, &to)
            && b.us <= a.us
        {
            return Err(self.err(self.here(), QueryErrorKind::TimeOrder));
        }
        Ok(Expr::Time { from, to })
    }

    fn time_bound(&mut self, end: bool) -> Result<Option<TimeBound>, QueryError> {
        let at = self.here();
        let Some((Tok::Word { text, quoted }, _)) = self.toks.get(self.at).cloned() else {
            return Err(self.err(at, QueryErrorKind::TimeExpected));
        };
        self.at += 1;
        if !quoted && text == "*" {
            return Ok(None);
        }
        let us = read_time(&text, end, self.zone).map_err(|e| self.err(at, e))?;
        Ok(Some(TimeBound { text, us }))
    }
}

/// A time as typed, in `zone`. A date alone as the end of a range means the end of that day.
fn read_time(text: &str, end: bool, zone: Tz) -> Result<i64, QueryErrorKind> {
    let parser = TimeParser::new(zone, None);
    let parsed = parser.parse(text).map_err(|e| QueryErrorKind::NotATime {
        text: text.to_string(),
        detail: e.to_string(),
    })?;
    if end && parsed.flags.0 & super::TsFlags::DATE_ONLY != 0 {
        if let Ok(d) = chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            && let Some(next) = d.succ_opt()
            && let Ok(p) = parser.parse(&next.format("%Y-%m-%d").to_string())
        {
            return Ok(p.ts_us);
        }
        return Ok(parsed.ts_us + 86_400_000_000);
    }
    Ok(parsed.ts_us)
}

/// Whether a literal can be printed as a bare word and read back as the same literal.
fn bare_ok(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('/')
        && !text.contains(|c: char| is_delim(c) || matches!(c, ':' | '*' | '\\'))
        && !["AND", "OR", "NOT", "TO"]
            .iter()
            .any(|k| text.eq_ignore_ascii_case(k))
}

fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            f.write_str("\\")?;
        }
        write!(f, "{c}")?;
    }
    f.write_str("\"")
}

impl fmt::Display for Match {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Match::Literal(t) if bare_ok(t) => f.write_str(t),
            Match::Literal(t) => write_quoted(f, t),
            Match::Glob(g) => f.write_str(g),
            Match::Regex(r) => write!(f, "/{}/", r.replace('/', "\\/")),
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A child is put in parentheses when it binds more loosely than its parent.
        let child = |f: &mut fmt::Formatter<'_>, e: &Expr, parent_and: bool| -> fmt::Result {
            let loose = match e {
                Expr::Or(_) => true,
                Expr::And(_) => !parent_and,
                _ => false,
            };
            if loose {
                write!(f, "({e})")
            } else {
                write!(f, "{e}")
            }
        };
        match self {
            Expr::Any(m) => write!(f, "{m}"),
            Expr::Field(field, m) => write!(f, "{}:{m}", field.name()),
            Expr::Time { from, to } => {
                f.write_str("time:[")?;
                for (i, b) in [from, to].into_iter().enumerate() {
                    if i == 1 {
                        f.write_str(" ")?;
                    }
                    match b {
                        Some(b) if bare_ok(&b.text) => f.write_str(&b.text)?,
                        Some(b) => write_quoted(f, &b.text)?,
                        None => f.write_str("*")?,
                    }
                }
                f.write_str("]")
            }
            Expr::Not(e) => {
                f.write_str("NOT ")?;
                child(f, e, false)
            }
            Expr::And(v) | Expr::Or(v) => {
                let and = matches!(self, Expr::And(_));
                for (i, e) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(if and { " AND " } else { " OR " })?;
                    }
                    child(f, e, and)?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Expr {
        parse(s, chrono_tz::UTC).unwrap_or_else(|e| panic!("{s:?}: {e}"))
    }

    fn err(s: &str) -> QueryError {
        parse(s, chrono_tz::UTC).expect_err(s)
    }

    fn lit(s: &str) -> Match {
        Match::Literal(s.into())
    }

    #[test]
    fn query_language_parses_fields_phrases_operators_and_precedence() {
        assert_eq!(p("chen"), Expr::Any(lit("chen")));
        assert_eq!(
            p("\"reported message\""),
            Expr::Any(lit("reported message"))
        );
        assert_eq!(
            p("ACCOUNT:sh-chen"),
            Expr::Field(Field::Account, lit("sh-chen"))
        );
        assert_eq!(
            p("org:Hoshizora* outcome:denied"),
            Expr::And(vec![
                Expr::Field(Field::Organization, Match::Glob("Hoshizora*".into())),
                Expr::Field(Field::Outcome, lit("denied")),
            ])
        );
        // NOT binds tighter than AND, AND tighter than OR.
        assert_eq!(
            p("a OR b c"),
            Expr::Or(vec![
                Expr::Any(lit("a")),
                Expr::And(vec![Expr::Any(lit("b")), Expr::Any(lit("c"))]),
            ])
        );
        assert_eq!(
            p("NOT a AND (b or c)"),
            Expr::And(vec![
                Expr::Not(Box::new(Expr::Any(lit("a")))),
                Expr::Or(vec![Expr::Any(lit("b")), Expr::Any(lit("c"))]),
            ])
        );
        assert_eq!(
            p("object:/^users?\\./"),
            Expr::Field(Field::Object, Match::Regex("^users?\\.".into()))
        );
        assert_eq!(
            p("ip:10.0.0.1:22"),
            Expr::Field(Field::Ip, lit("10.0.0.1:22"))
        );
        assert_eq!(p("10:00"), Expr::Any(lit("10:00")));
        assert_eq!(
            p("object:\"say \\\"hi\\\"\""),
            Expr::Field(Field::Object, lit("say \"hi\""))
        );
    }

    #[test]
    fn time_bounds_narrow_through_and_widen_through_or() {
        let utc = chrono_tz::UTC;
        let day = 86_400_000_000i64;
        let b = |q: &str| parse(q, utc).unwrap().time_bounds();
        let (a, z) = b("time:[2021-02-01 2021-02-28]");
        let (a, z) = (a.unwrap(), z.unwrap());
        assert_eq!(z - a, 28 * day);
        assert_eq!(
            b("time:[2021-02-01 2021-02-28] AND NOT outcome:success"),
            (Some(a), Some(z))
        );
        assert_eq!(
            b("time:[2021-02-01 2021-02-28] AND time:[2021-02-10 *]"),
            (Some(a + 9 * day), Some(z))
        );
        assert_eq!(
            b("time:[2021-02-10 2021-02-28] OR time:[2021-02-01 2021-02-05]"),
            (Some(a), Some(z))
        );
        assert_eq!(b("time:[2021-02-01 2021-02-28] OR system:x"), (None, None));
        assert_eq!(b("NOT time:[2021-02-01 2021-02-28]"), (None, None));
        assert_eq!(b("outcome:denied"), (None, None));
    }

    #[test]
    fn query_language_reads_times_in_the_zone_and_a_date_end_as_the_whole_day() {
        let tokyo: Tz = "Asia/Tokyo".parse().unwrap();
        let e = parse("time:[2021-02-24 2021-02-24]", tokyo).unwrap();
        let Expr::Time {
            from: Some(a),
            to: Some(b),
        } = e
        else {
            panic!("{e:?}")
        };
        // 2021-02-24 00:00 +09:00 = 2021-02-23T15:00Z, and the end is a day later.
        assert_eq!(a.us, 1_614_092_400_000_000);
        assert_eq!(b.us - a.us, 86_400_000_000);
        let e = p("time:[\"2021-02-24 10:00\" TO *]");
        assert!(
            matches!(
                e,
                Expr::Time {
                    from: Some(_),
                    to: None
                }
            ),
            "{e:?}"
        );
        assert!(
            err("time:[2021-02-25 2021-02-24]")
                .message
                .contains("not after")
        );
        assert_eq!(err("time:[yesterday *]").column, 7);
        let q = Query::parse("time:[2021-02-24 *] outcome:denied", tokyo).unwrap();
        assert!(
            q.describe().ends_with("(times in Asia/Tokyo)"),
            "{}",
            q.describe()
        );
    }

    #[test]
    fn query_language_errors_point_at_the_column() {
        for (q, column, says) in [
            ("(org:x", 7, "expected ')'"),
            ("a )", 3, "without a matching '('"),
            ("colour:red", 1, "unknown field \"colour\""),
            ("account: x", 9, "expected a value after 'account:'"),
            ("a AND", 6, "expected a term"),
            ("OR a", 1, "expected a term before this operator"),
            ("\"open", 1, "no closing"),
            ("/a(b/", 5, "in the regex"),
            ("time:2021", 6, "expected '['"),
            ("time:[2021-02-24", 17, "expected a time"),
            ("", 1, "empty"),
            ("名前 (x", 6, "expected ')'"),
        ] {
            let e = err(q);
            assert_eq!(e.column, column, "{q:?}: {e}");
            assert!(e.message.contains(says), "{q:?}: {e}");
        }
        assert_eq!(
            err("(org:x").to_string(),
            "at column 7: expected ')' to close the '(' at column 1"
        );
        let deep = "(".repeat(10_000);
        assert!(err(&deep).message.contains("nested too deeply"));
    }

    /// A fixed pseudo-random stream of query-ish text: operators, fields, quotes, slashes,
    /// brackets, backslashes, wildcards and non-ASCII.
    fn fuzz_inputs(n: usize) -> Vec<String> {
        const PIECES: [&str; 34] = [
            " ",
            " ",
            "a",
            "chen",
            "AND",
            "OR",
            "NOT",
            "not",
            "(",
            ")",
            "\"",
            "\\",
            "/",
            "*",
            ":",
            "account:",
            "org:",
            "time:",
            "[",
            "]",
            "2021-02-24",
            "TO",
            "x*y",
            "名",
            "%",
            "_",
            "'",
            "object:/a+/",
            "\"p q\"",
            "ip:",
            "-",
            "é",
            "\t",
            "outcome:denied",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..n)
            .map(|_| {
                let len = (next() % 12) as usize;
                (0..len)
                    .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn query_language_never_panics_and_prints_back_to_the_same_tree() {
        let mut parsed = 0;
        for input in fuzz_inputs(30_000) {
            match parse(&input, chrono_tz::UTC) {
                Ok(e) => {
                    parsed += 1;
                    let printed = e.to_string();
                    let again = parse(&printed, chrono_tz::UTC)
                        .unwrap_or_else(|err| panic!("{input:?} -> {printed:?}: {err}"));
                    assert_eq!(again, e, "{input:?} printed as {printed:?}");
                }
                Err(e) => {
                    assert!(e.byte <= input.len(), "{input:?}: {e:?}");
                    assert!(input.is_char_boundary(e.byte), "{input:?}: {e:?}");
                }
            }
        }
        // The stream is not all errors.
        assert!(parsed > 3_000, "only {parsed} inputs parsed");
    }
}
