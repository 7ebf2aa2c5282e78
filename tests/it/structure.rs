//! Function length in the non-test code of `src/`, read from the source text: none over 150
//! lines and at most 12 over 100 (issue 17), so a function that grows past a screenful is
//! split when it is written, not in a later clean-up.

use std::path::{Path, PathBuf};

const HARD_LIMIT: usize = 150;
const SOFT_LIMIT: usize = 100;
const OVER_SOFT_ALLOWED: usize = 12;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "tests") {
                rust_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| x == "rs")
            && p.file_name().is_some_and(|n| n != "tests.rs")
        {
            out.push(p);
        }
    }
}

/// The source with comments, string and character literals blanked (newlines kept), so braces
/// and keywords found in it are code.
fn code_only(text: &str) -> Vec<u8> {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to.min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (mut depth, mut j) = (1, i + 2);
                while j < b.len() && depth > 0 {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 1;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 1;
                    }
                    j += 1;
                }
                blank(&mut out, i, j);
                i = j;
            }
            b'r' if matches!(b.get(i + 1), Some(b'#') | Some(b'"'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                let start = i + 2 + hashes;
                let end = b[start..]
                    .windows(close.len())
                    .position(|w| w == close.as_slice())
                    .map_or(b.len(), |p| start + p + close.len());
                blank(&mut out, i, end);
                i = end;
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i, j + 1);
                i = j + 1;
            }
            b'\'' => {
                // A character literal ('x', '\n', '\u{..}'), not a lifetime ('a).
                let end = if b.get(i + 1) == Some(&b'\\') {
                    b[i + 2..]
                        .iter()
                        .position(|&c| c == b'\'')
                        .map(|p| i + 2 + p)
                } else {
                    let ch = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (b.get(i + 1 + ch) == Some(&b'\'')).then_some(i + 1 + ch)
                };
                match end {
                    Some(e) => {
                        blank(&mut out, i, e + 1);
                        i = e + 1;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    out
}

fn is_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Each function with a body: (first line, name, lines from `fn` to its closing brace).
/// Test modules (`#[cfg(test)] mod … { }`) are skipped; a nested function counts in its outer one.
fn functions(text: &str) -> Vec<(usize, String, usize)> {
    let code = code_only(text);
    let line_of = |pos: usize| code[..pos].iter().filter(|&&c| c == b'\n').count() + 1;
    let matching = |open: usize| {
        let mut depth = 0usize;
        for (k, &c) in code.iter().enumerate().skip(open) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        return k;
                    }
                }
                _ => {}
            }
        }
        code.len() - 1
    };
    let mut found = Vec::new();
    let mut i = 0;
    while i + 2 < code.len() {
        let boundary = i == 0 || !is_word(code[i - 1]);
        if boundary && code[i..].starts_with(b"#[cfg(test)]") {
            let rest = &code[i + 12..];
            let item = rest
                .iter()
                .position(|c| !c.is_ascii_whitespace())
                .unwrap_or(0);
            if rest[item..].starts_with(b"mod ")
                && let Some(p) = rest.iter().position(|&c| c == b'{' || c == b';')
            {
                i = if rest[p] == b'{' {
                    matching(i + 12 + p) + 1
                } else {
                    i + 12 + p + 1
                };
                continue;
            }
        }
        if boundary && code[i..].starts_with(b"fn ") {
            let name_start = i + 3;
            let name_len = code[name_start..]
                .iter()
                .take_while(|&&c| is_word(c))
                .count();
            let name =
                String::from_utf8_lossy(&code[name_start..name_start + name_len]).into_owned();
            match code[i..].iter().position(|&c| c == b'{' || c == b';') {
                Some(p) if code[i + p] == b'{' => {
                    let close = matching(i + p);
                    found.push((line_of(i), name, line_of(close) - line_of(i) + 1));
                    i = close + 1;
                }
                Some(p) => i += p + 1,
                None => break,
            }
            continue;
        }
        i += 1;
    }
    found
}

#[test]
fn the_scanner_measures_what_it_should() {
    let src = "fn a() {\n    let s = \"}\";\n    let c = '}';\n    // }\n    x::<'a>();\n}\n\
               trait T { fn decl(&self); }\n\
               #[cfg(test)]\nmod tests {\n    fn long() {\n\n\n    }\n}\n\
               fn b() { let r = r#\"{\"#; fn inner() {} }\n";
    let f = functions(src);
    assert_eq!(
        f,
        vec![(1, "a".to_string(), 6), (15, "b".to_string(), 1)],
        "{f:?}"
    );
}

#[test]
fn functions_stay_short() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut long = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        for (line, name, len) in functions(&text) {
            if len > SOFT_LIMIT {
                let rel = f.strip_prefix(&src).unwrap().display().to_string();
                long.push((len, format!("src/{rel}:{line} {name}")));
            }
        }
    }
    long.sort_by(|a, b| b.cmp(a));
    let list = long
        .iter()
        .map(|(n, w)| format!("{n:4} lines  {w}"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(files.len() > 50, "found the sources");
    assert!(
        long.iter().all(|(n, _)| *n <= HARD_LIMIT),
        "functions over {HARD_LIMIT} lines:\n{list}"
    );
    assert!(
        long.len() <= OVER_SOFT_ALLOWED,
        "{} functions over {SOFT_LIMIT} lines (at most {OVER_SOFT_ALLOWED}):\n{list}",
        long.len()
    );
}
