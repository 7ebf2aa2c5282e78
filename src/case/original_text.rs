//! The SQL function `retrace_original_has(source_id, line, line_end, text)`: whether lines
//! `line..=line_end` of a source's stored original contain `text`, ignoring ASCII case as
//! `LIKE` does, as written or as JSON escapes it (quotes, backslashes). The timeline's text
//! search uses it for the events of sources that keep their unmapped fields only in the
//! original (`"extra_fields": "original"` in the source's mapping; CloudTrail by default);
//! for every other source it is 0 at once.
//!
//! Each chunk of an original is decompressed at most once per searched text: the lines of the
//! chunk that contain the text are kept (a few numbers), so the cost does not depend on the
//! order SQLite visits the events in. A match that straddles two chunks is not seen; chunks are
//! cut at line ends, so that only happens inside a line longer than 16 MiB.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use memchr::memmem;
use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::model::encoding::{TextEncoding, count_line_ends, find_line_end};

/// What the function knows about one source.
struct Source {
    searched: bool,
    encoding: TextEncoding,
    /// (seq, first_line) of each chunk, in order.
    chunks: Vec<(i64, i64)>,
}

struct State {
    /// The case file, read through a connection of the function's own (`reader`): a function
    /// cannot borrow the connection running it without `unsafe`.
    path: PathBuf,
    reader: Option<Connection>,
    sources: HashMap<i64, Source>,
    /// Per searched text (lower-cased): a query's several words are searched side by side,
    /// so each keeps its own hits rather than one evicting the other's on every event.
    needles: HashMap<String, Needle>,
}

/// What is known for one searched text.
struct Needle {
    /// The forms searched ([`needle_forms`]).
    forms: Vec<String>,
    /// (source, seq) -> the chunk's lines that contain the text, ascending.
    hits: HashMap<(i64, i64), Vec<i64>>,
}

/// More texts than this at once (a long query) start the cache over.
const MAX_NEEDLES: usize = 16;

pub(super) fn register(conn: &Connection, path: &Path) -> rusqlite::Result<()> {
    let state = Mutex::new(State {
        path: path.to_path_buf(),
        reader: None,
        sources: HashMap::new(),
        needles: HashMap::new(),
    });
    // The query language's `regexp` goes on every connection with this one.
    super::query_sql::register(conn)?;
    conn.create_scalar_function(
        "retrace_original_has",
        4,
        FunctionFlags::SQLITE_UTF8,
        move |ctx| {
            let mut st = state.lock().unwrap_or_else(|p| p.into_inner());
            has(ctx, &mut st)
        },
    )
}

fn has(ctx: &Context, st: &mut State) -> rusqlite::Result<bool> {
    let source: i64 = ctx.get(0)?;
    let (line, line_end): (i64, i64) = (ctx.get(1)?, ctx.get(2)?);
    let needle = ctx.get::<String>(3)?.to_ascii_lowercase();
    if needle.is_empty() {
        return Ok(true);
    }
    if st.needles.len() >= MAX_NEEDLES && !st.needles.contains_key(&needle) {
        st.needles.clear();
    }
    if st.reader.is_none() {
        st.reader = Some(Connection::open_with_flags(
            &st.path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?);
    }
    let State {
        reader,
        sources,
        needles,
        ..
    } = st;
    let Needle { forms, hits } = needles.entry(needle).or_insert_with_key(|n| Needle {
        forms: needle_forms(n),
        hits: HashMap::new(),
    });
    let conn = reader.as_ref().expect("opened above");
    let src = match sources.entry(source) {
        Entry::Occupied(e) => e.into_mut(),
        Entry::Vacant(e) => match load_source(conn, source)? {
            Some(s) => e.insert(s),
            // Not (yet) a committed source: nothing cached, nothing matched.
            None => return Ok(false),
        },
    };
    if !src.searched {
        return Ok(false);
    }
    let first = src
        .chunks
        .partition_point(|c| c.1 <= line)
        .saturating_sub(1);
    for &(seq, first_line) in &src.chunks[first..] {
        if first_line > line_end {
            break;
        }
        let key = (source, seq);
        let lines = match hits.entry(key) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(chunk_hits(
                conn,
                source,
                seq,
                first_line,
                src.encoding,
                forms,
            )?),
        };
        let i = lines.partition_point(|l| *l < line);
        if lines.get(i).is_some_and(|l| *l <= line_end) {
            return Ok(true);
        }
    }
    Ok(false)
}

fn load_source(conn: &Connection, id: i64) -> rusqlite::Result<Option<Source>> {
    let row: Option<(String, String)> = conn
        .query_row(
            "SELECT mapping_json, encoding FROM source WHERE id = ?1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((mapping, encoding)) = row else {
        return Ok(None);
    };
    let searched = super::read::extras_in_original(&mapping);
    let mut chunks = Vec::new();
    if searched {
        let mut st = conn.prepare(
            "SELECT seq, first_line FROM source_chunk WHERE source_id = ?1 ORDER BY seq",
        )?;
        chunks = st
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(Some(Source {
        searched,
        encoding: TextEncoding::parse(&encoding).unwrap_or(TextEncoding::Utf8),
        chunks,
    }))
}

/// The lines of one chunk that contain any of `forms` (the needle's, lower-cased).
fn chunk_hits(
    conn: &Connection,
    source: i64,
    seq: i64,
    first_line: i64,
    encoding: TextEncoding,
    forms: &[String],
) -> rusqlite::Result<Vec<i64>> {
    let (byte_start, data): (i64, Vec<u8>) = conn.query_row(
        "SELECT byte_start, data FROM source_chunk WHERE source_id = ?1 AND seq = ?2",
        params![source, seq],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let raw = zstd::decode_all(&data[..]).map_err(|e| {
        rusqlite::Error::UserFunctionError(
            format!("stored original of source {source} (chunk {seq}) is damaged: {e}").into(),
        )
    })?;
    let bom = if byte_start == 0 {
        encoding.bom_in(&raw)
    } else {
        0
    };
    let mut text = match encoding {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => raw[bom..].to_vec(),
        _ => encoding.decode_lossy(&raw[bom..]).into_bytes(),
    };
    text.make_ascii_lowercase();
    Ok(lines_containing(&text, first_line, forms))
}

/// The needle as written and, when different, as it appears inside a JSON string.
fn needle_forms(needle: &str) -> Vec<String> {
    let json = super::timeline::json_string_body(needle);
    if json == needle {
        vec![json]
    } else {
        vec![needle.to_string(), json]
    }
}

/// Line numbers (the text's first line is `first_line`) of the lines holding any of `needles`.
/// `text` is UTF-8 (decoded and lower-cased); lines end as everywhere else
/// ([`find_line_end`]).
fn lines_containing(text: &[u8], first_line: i64, needles: &[String]) -> Vec<i64> {
    let mut out = Vec::new();
    for n in needles {
        let (mut line, mut at) = (first_line, 0usize);
        for pos in memmem::find_iter(text, n.as_bytes()) {
            if pos < at {
                continue;
            }
            line += count_line_ends(TextEncoding::Utf8, &text[at..pos]) as i64;
            out.push(line);
            // On to the next line: one hit per line is enough.
            at = find_line_end(TextEncoding::Utf8, text, pos).map_or(text.len(), |(i, len)| {
                line += 1;
                i + len
            });
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_the_chunk_start() {
        let text = b"aaa\nbxb\nccc\nxx x\n";
        assert_eq!(lines_containing(text, 10, &["x".into()]), vec![11, 13]);
        assert_eq!(lines_containing(text, 1, &["c\nx".into()]), vec![3]);
        assert!(lines_containing(text, 1, &["zz".into()]).is_empty());
    }

    #[test]
    fn the_json_form_of_a_quoted_needle_is_searched_too() {
        assert_eq!(needle_forms("plain"), vec!["plain".to_string()]);
        assert_eq!(
            needle_forms("say \"hi\""),
            vec!["say \"hi\"".to_string(), "say \\\"hi\\\"".to_string()]
        );
        let text = br#"{"a":"say \"hi\""}"#;
        assert_eq!(
            lines_containing(text, 1, &needle_forms("say \"hi\"")),
            vec![1]
        );
    }
}
