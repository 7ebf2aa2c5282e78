//! SQL for the query language (`model::query`): one condition per query, naming `e` (event),
//! `a` (account), `p` (person) and `s` (system) as every filter clause does. Every value is a
//! bound parameter (`?`); `LIKE` patterns are escaped with `\`. The SQL function
//! `regexp(pattern, text)` (registered on every connection) runs `model::regex_lite`.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;

use super::timeline::{FilterTerm, escape_like, json_string_body};
use crate::model::query::{Expr, Field, Match, Query, QueryError};
use crate::model::regex_lite::Regex;

/// The columns a bare glob or regex is matched against: those of the free-text filter.
const TEXT_COLUMNS: [&str; 9] = [
    "a.name",
    "p.display_name",
    "p.native_name",
    "s.name",
    "e.action",
    "e.object",
    "e.src_ip",
    "e.raw_ts",
    "e.ticket",
];

/// The stored unmapped fields of the event (JSON text), NULL when it has none.
const EXTRA: &str = "(SELECT x.fields FROM event_extra x WHERE x.event_id = e.id)";

fn columns(field: Field) -> &'static [&'static str] {
    match field {
        Field::Account => &["a.name"],
        Field::Person => &["p.display_name", "p.native_name", "p.person_key"],
        Field::Organization => &["p.organization"],
        Field::ActorCountry => &["p.country"],
        Field::System => &["s.name"],
        Field::StorageCountry => &["s.country"],
        Field::Action => &["e.action"],
        Field::Object => &["e.object"],
        Field::Outcome => &["e.outcome"],
        Field::Ip => &["e.src_ip"],
        Field::Ticket => &["e.ticket"],
        Field::Session => &["e.session_key"],
        Field::RawTime => &["e.raw_ts"],
        Field::Source => &["(SELECT src.file_name FROM source src WHERE src.id = e.source_id)"],
        // Category and Extra are written by their own arms below.
        Field::Category | Field::Extra => &[],
    }
}

/// A `LIKE` pattern for a glob: `*` is any text, everything else literal.
fn glob_like(glob: &str) -> String {
    escape_like(glob).replace('*', "%")
}

/// `col` matches `m` as a whole value (literal, glob) or anywhere (regex).
fn one(col: &str, m: &Match, sql: &mut String, values: &mut Vec<Value>) {
    match m {
        Match::Literal(t) => {
            sql.push_str(&format!("{col} LIKE ? ESCAPE '\\'"));
            values.push(Value::Text(escape_like(t)));
        }
        Match::Glob(g) => {
            sql.push_str(&format!("{col} LIKE ? ESCAPE '\\'"));
            values.push(Value::Text(glob_like(g)));
        }
        Match::Regex(r) => {
            sql.push_str(&format!("regexp(?, {col})"));
            values.push(Value::Text(r.clone()));
        }
    }
}

fn any_of(cols: &[&str], m: &Match, sql: &mut String, values: &mut Vec<Value>) {
    sql.push('(');
    for (i, col) in cols.iter().enumerate() {
        if i > 0 {
            sql.push_str(" OR ");
        }
        one(col, m, sql, values);
    }
    sql.push(')');
}

/// A bare term: a literal is the free-text filter itself (columns, unmapped fields stored or
/// in the original); a glob is a substring pattern and a regex a search, over the same
/// columns and the stored unmapped fields (as JSON text).
fn bare(m: &Match, sql: &mut String, values: &mut Vec<Value>) {
    match m {
        Match::Literal(t) => {
            let (s, v) = FilterTerm::Text(t.clone()).sql();
            sql.push_str(&s);
            values.extend(v);
        }
        Match::Glob(g) => {
            let inner = Match::Glob(format!("*{g}*"));
            sql.push('(');
            any_of(&TEXT_COLUMNS, &inner, sql, values);
            sql.push_str(&format!(" OR {EXTRA} LIKE ? ESCAPE '\\')"));
            values.push(Value::Text(format!(
                "%{}%",
                glob_like(&json_string_body(g))
            )));
        }
        Match::Regex(_) => {
            sql.push('(');
            any_of(&TEXT_COLUMNS, m, sql, values);
            sql.push_str(" OR ");
            one(EXTRA, m, sql, values);
            sql.push(')');
        }
    }
}

/// `extra:` — the unmapped fields: a literal or glob anywhere in their JSON text (a literal
/// also in the original, as the free-text filter does), a regex searched in it.
fn extra(m: &Match, sql: &mut String, values: &mut Vec<Value>) {
    match m {
        Match::Literal(t) => {
            sql.push_str(&format!(
                "coalesce({EXTRA} LIKE ? ESCAPE '\\', retrace_original_has(e.source_id, e.line, e.line + e.line_span, ?))"
            ));
            values.push(Value::Text(format!(
                "%{}%",
                escape_like(&json_string_body(t))
            )));
            values.push(Value::Text(t.clone()));
        }
        Match::Glob(g) => {
            sql.push_str(&format!("{EXTRA} LIKE ? ESCAPE '\\'"));
            values.push(Value::Text(format!(
                "%{}%",
                glob_like(&json_string_body(g))
            )));
        }
        Match::Regex(_) => one(EXTRA, m, sql, values),
    }
}

/// `category:` — events with a category whose name matches.
fn category(m: &Match, sql: &mut String, values: &mut Vec<Value>) {
    sql.push_str("(e.categories & (SELECT coalesce(sum(1 << c.bit), 0) FROM category c WHERE ");
    one("c.name", m, sql, values);
    sql.push_str(")) != 0");
}

impl FilterTerm {
    /// The filter term for text typed in the free-text box (or given to `--query`): a single
    /// word or phrase is the plain free-text term, as it always was; anything else a query.
    /// Times in `time:[..]` are read in `zone`.
    pub fn parse_query(text: &str, zone: chrono_tz::Tz) -> Result<FilterTerm, QueryError> {
        let q = Query::parse(text, zone)?;
        Ok(match q.expr {
            Expr::Any(Match::Literal(t)) => FilterTerm::Text(t),
            _ => FilterTerm::Query(q),
        })
    }
}

/// Appends the condition for `expr` and its values.
pub(super) fn write(expr: &Expr, sql: &mut String, values: &mut Vec<Value>) {
    match expr {
        Expr::Any(m) => bare(m, sql, values),
        Expr::Field(Field::Category, m) => category(m, sql, values),
        Expr::Field(Field::Extra, m) => extra(m, sql, values),
        Expr::Field(f, m) => any_of(columns(*f), m, sql, values),
        Expr::Time { from, to } => {
            sql.push('(');
            let mut first = true;
            for (b, op) in [(from, ">="), (to, "<")] {
                if let Some(b) = b {
                    if !first {
                        sql.push_str(" AND ");
                    }
                    first = false;
                    sql.push_str(&format!("e.ts_us {op} ?"));
                    values.push(Value::Integer(b.us));
                }
            }
            if first {
                sql.push('1');
            }
            sql.push(')');
        }
        // A NULL column makes a comparison NULL; NOT NULL is still NULL, which would drop the
        // event: a term that does not hold is false here.
        Expr::Not(e) => {
            sql.push_str("NOT coalesce(");
            write(e, sql, values);
            sql.push_str(", 0)");
        }
        Expr::And(v) | Expr::Or(v) => {
            let op = if matches!(expr, Expr::And(_)) {
                " AND "
            } else {
                " OR "
            };
            sql.push('(');
            for (i, e) in v.iter().enumerate() {
                if i > 0 {
                    sql.push_str(op);
                }
                write(e, sql, values);
            }
            sql.push(')');
        }
    }
}

/// The condition for a whole query, and its values.
pub(super) fn condition(expr: &Expr) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut values = Vec::new();
    write(expr, &mut sql, &mut values);
    (sql, values)
}

/// Registers `regexp(pattern, text)`: 1 when the pattern matches anywhere in the text, NULL
/// when the text is NULL. A pattern is compiled once per statement.
pub(super) fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "regexp",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let re: std::sync::Arc<Regex> = ctx.get_or_create_aux(0, |v| {
                let pattern = v.as_str().map_err(|e| e.to_string())?;
                Regex::new(pattern).map_err(|e| format!("regex {pattern:?}: {e}"))
            })?;
            Ok(ctx
                .get_raw(1)
                .as_str_or_null()?
                .map(|text| re.is_match(text)))
        },
    )
}
