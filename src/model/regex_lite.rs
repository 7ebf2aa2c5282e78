//! A small regular-expression matcher for the query language's `/regex/` terms, so that the
//! `regex` crate (and its three dependencies) is not needed for one SQL function. It compiles
//! to a Thompson NFA and runs it over the text once (time linear in pattern × text, no
//! backtracking, so no pattern can make a search take exponential time).
//!
//! Syntax: literals, `.`, `[...]` / `[^...]` with ranges, `\d \w \s` and their negations,
//! `\` before any other punctuation for itself, `\t \n \r`, `^` `$`, `|`, `(...)` and
//! `(?:...)`, `*` `+` `?` `{n}` `{n,}` `{n,m}` (a trailing `?` is accepted: laziness does
//! not change whether there is a match), and `(?i)` at the start for ignoring case. A search
//! is unanchored: the pattern may match anywhere in the text.

use std::fmt;

/// What is wrong with a pattern, at a byte offset of the pattern; `message` is the kind's
/// English words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegexError {
    pub byte: usize,
    pub kind: RegexErrorKind,
    pub message: String,
}

impl fmt::Display for RegexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// What is wrong with a pattern ([`fmt::Display`]: in English; the app's catalogs have a
/// `regex-err-*` message for each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegexErrorKind {
    TooDeep,
    NothingToRepeat,
    /// `{body}` with a count above the limit.
    BadRepetition(String),
    UnexpectedEnd,
    UnsupportedGroup,
    CloseExpected,
    TrailingBackslash,
    /// `\c` that is not an escape the syntax has.
    UnsupportedEscape(char),
    UnclosedClass,
    NegatedClassInClass,
    ClassEndsRange,
    /// A range `lo-hi` with `hi` before `lo`.
    BackwardsRange(char, char),
    TooLarge,
    UnmatchedClose,
}

/// The most a counted repetition may ask for.
pub const MAX_REPEAT: u32 = 1000;

impl fmt::Display for RegexErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use RegexErrorKind as K;
        match self {
            K::TooDeep => f.write_str("the regex is nested too deeply"),
            K::NothingToRepeat => f.write_str("nothing to repeat"),
            K::BadRepetition(body) => {
                write!(f, "bad repetition {{{body}}} (at most {MAX_REPEAT})")
            }
            K::UnexpectedEnd => f.write_str("unexpected end"),
            K::UnsupportedGroup => f.write_str("only (?:...) and a leading (?i) are supported"),
            K::CloseExpected => f.write_str("expected ')'"),
            K::TrailingBackslash => f.write_str("a '\\' at the end"),
            K::UnsupportedEscape(c) => write!(f, "unsupported escape \\{c}"),
            K::UnclosedClass => f.write_str("this [ has no closing ']'"),
            K::NegatedClassInClass => f.write_str("a negated class inside [...] is not supported"),
            K::ClassEndsRange => f.write_str("a class cannot end a range"),
            K::BackwardsRange(lo, hi) => write!(f, "range {lo}-{hi} is backwards"),
            K::TooLarge => f.write_str("the regex is too large"),
            K::UnmatchedClose => f.write_str("')' without a matching '('"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Class {
    negated: bool,
    ranges: Vec<(char, char)>,
}

impl Class {
    fn has(&self, c: char, fold: bool) -> bool {
        let within = |c: char| self.ranges.iter().any(|&(a, b)| a <= c && c <= b);
        let hit = within(c)
            || (fold && (within(c.to_ascii_lowercase()) || within(c.to_ascii_uppercase())));
        hit != self.negated
    }
}

#[derive(Debug, Clone)]
enum Node {
    Char(char),
    Any,
    Class(Class),
    Start,
    End,
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
}

#[derive(Debug, Clone)]
enum Inst {
    Char(char),
    Any,
    Class(Class),
    Split(usize, usize),
    Jmp(usize),
    Start,
    End,
    Match,
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Regex {
    prog: Vec<Inst>,
    fold: bool,
}

/// Programs longer than this are refused (`a{1000}{1000}` would be a million states).
const MAX_INSTS: usize = 20_000;

struct Parser<'a> {
    src: &'a str,
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, kind: RegexErrorKind) -> RegexError {
        RegexError {
            byte: self.pos,
            message: kind.to_string(),
            kind,
        }
    }

    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    fn eat(&mut self, s: &str) -> bool {
        if self.src[self.pos..].starts_with(s) {
            self.pos += s.len();
            true
        } else {
            false
        }
    }

    fn alt(&mut self) -> Result<Node, RegexError> {
        self.depth += 1;
        if self.depth > 100 {
            return Err(self.err(RegexErrorKind::TooDeep));
        }
        let mut items = vec![self.concat()?];
        while self.eat("|") {
            items.push(self.concat()?);
        }
        self.depth -= 1;
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::Concat(Vec::new()))
        } else {
            Node::Alt(items)
        })
    }

    fn concat(&mut self) -> Result<Node, RegexError> {
        let mut items = Vec::new();
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            let atom = self.atom()?;
            items.push(self.quantified(atom)?);
        }
        Ok(Node::Concat(items))
    }

    fn quantified(&mut self, mut atom: Node) -> Result<Node, RegexError> {
        loop {
            let at = self.pos;
            let (min, max) = match self.peek() {
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('?') => (0, Some(1)),
                Some('{') => match self.counted()? {
                    Some(q) => q,
                    None => return Ok(atom),
                },
                _ => return Ok(atom),
            };
            if self.src[at..].starts_with(['*', '+', '?']) {
                self.pos += 1;
            }
            if matches!(atom, Node::Start | Node::End) {
                self.pos = at;
                return Err(self.err(RegexErrorKind::NothingToRepeat));
            }
            // A lazy marker does not change whether the text matches.
            self.eat("?");
            atom = Node::Repeat {
                node: Box::new(atom),
                min,
                max,
            };
        }
    }

    /// `{n}`, `{n,}` or `{n,m}`; `None` (nothing read) when `{` does not start one.
    fn counted(&mut self) -> Result<Option<(u32, Option<u32>)>, RegexError> {
        let start = self.pos;
        let rest = &self.src[start + 1..];
        let Some(close) = rest.find('}') else {
            return Ok(None);
        };
        let body = &rest[..close];
        let num = |s: &str| s.parse::<u32>().ok().filter(|n| *n <= MAX_REPEAT);
        let q = match body.split_once(',') {
            None => num(body).map(|n| (n, Some(n))),
            Some((a, "")) => num(a).map(|n| (n, None)),
            Some((a, b)) => match (num(a), num(b)) {
                (Some(a), Some(b)) if a <= b => Some((a, Some(b))),
                _ => None,
            },
        };
        match q {
            Some(q) => {
                self.pos = start + 1 + close + 1;
                Ok(Some(q))
            }
            None if body.chars().all(|c| c.is_ascii_digit() || c == ',') && !body.is_empty() => {
                Err(self.err(RegexErrorKind::BadRepetition(body.to_string())))
            }
            None => Ok(None),
        }
    }

    fn atom(&mut self) -> Result<Node, RegexError> {
        let at = self.pos;
        let Some(c) = self.bump() else {
            return Err(self.err(RegexErrorKind::UnexpectedEnd));
        };
        Ok(match c {
            '.' => Node::Any,
            '^' => Node::Start,
            '$' => Node::End,
            '(' => {
                if self.eat("?:") {
                } else if self.src[self.pos..].starts_with('?') {
                    return Err(self.err(RegexErrorKind::UnsupportedGroup));
                }
                let inner = self.alt()?;
                if !self.eat(")") {
                    return Err(self.err(RegexErrorKind::CloseExpected));
                }
                inner
            }
            '[' => Node::Class(self.class()?),
            '\\' => self.escape(false)?,
            '*' | '+' | '?' => {
                self.pos = at;
                return Err(self.err(RegexErrorKind::NothingToRepeat));
            }
            c => Node::Char(c),
        })
    }

    /// After `\`: a class shorthand, a control character or a literal.
    fn escape(&mut self, in_class: bool) -> Result<Node, RegexError> {
        let Some(c) = self.bump() else {
            return Err(self.err(RegexErrorKind::TrailingBackslash));
        };
        let class = |negated, ranges: &[(char, char)]| {
            Node::Class(Class {
                negated,
                ranges: ranges.to_vec(),
            })
        };
        const DIGIT: &[(char, char)] = &[('0', '9')];
        const WORD: &[(char, char)] = &[('0', '9'), ('A', 'Z'), ('a', 'z'), ('_', '_')];
        const SPACE: &[(char, char)] = &[('\t', '\r'), (' ', ' ')];
        Ok(match c {
            'd' => class(false, DIGIT),
            'D' => class(true, DIGIT),
            'w' => class(false, WORD),
            'W' => class(true, WORD),
            's' => class(false, SPACE),
            'S' => class(true, SPACE),
            'n' => Node::Char('\n'),
            't' => Node::Char('\t'),
            'r' => Node::Char('\r'),
            c if !c.is_alphanumeric() => Node::Char(c),
            c if in_class => Node::Char(c),
            c => {
                self.pos -= c.len_utf8();
                return Err(self.err(RegexErrorKind::UnsupportedEscape(c)));
            }
        })
    }

    fn class(&mut self) -> Result<Class, RegexError> {
        let negated = self.eat("^");
        let mut ranges = Vec::new();
        let mut first = true;
        loop {
            let Some(c) = self.bump() else {
                return Err(self.err(RegexErrorKind::UnclosedClass));
            };
            let lo = match c {
                ']' if !first => break,
                '\\' => match self.escape(true)? {
                    Node::Char(c) => c,
                    Node::Class(k) if !k.negated => {
                        ranges.extend(k.ranges);
                        first = false;
                        continue;
                    }
                    _ => return Err(self.err(RegexErrorKind::NegatedClassInClass)),
                },
                c => c,
            };
            first = false;
            let hi = if self.src[self.pos..].starts_with('-')
                && !self.src[self.pos..].starts_with("-]")
            {
                self.pos += 1;
                match self.bump() {
                    Some('\\') => match self.escape(true)? {
                        Node::Char(c) => c,
                        _ => return Err(self.err(RegexErrorKind::ClassEndsRange)),
                    },
                    Some(c) => c,
                    None => return Err(self.err(RegexErrorKind::UnclosedClass)),
                }
            } else {
                lo
            };
            if hi < lo {
                return Err(self.err(RegexErrorKind::BackwardsRange(lo, hi)));
            }
            ranges.push((lo, hi));
        }
        Ok(Class { negated, ranges })
    }
}

fn compile(node: &Node, prog: &mut Vec<Inst>) -> Result<(), RegexError> {
    if prog.len() > MAX_INSTS {
        return Err(RegexError {
            byte: 0,
            message: RegexErrorKind::TooLarge.to_string(),
            kind: RegexErrorKind::TooLarge,
        });
    }
    match node {
        Node::Char(c) => prog.push(Inst::Char(*c)),
        Node::Any => prog.push(Inst::Any),
        Node::Class(k) => prog.push(Inst::Class(k.clone())),
        Node::Start => prog.push(Inst::Start),
        Node::End => prog.push(Inst::End),
        Node::Concat(v) => {
            for n in v {
                compile(n, prog)?;
            }
        }
        Node::Alt(v) => {
            // split L1, next; L1: a; jmp end; next: split L2, ... ; last: z
            let mut jumps = Vec::new();
            for (i, n) in v.iter().enumerate() {
                if i + 1 < v.len() {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(n, prog)?;
                    jumps.push(prog.len());
                    prog.push(Inst::Jmp(0));
                    let next = prog.len();
                    prog[split] = Inst::Split(split + 1, next);
                } else {
                    compile(n, prog)?;
                }
            }
            let end = prog.len();
            for j in jumps {
                prog[j] = Inst::Jmp(end);
            }
        }
        Node::Repeat { node, min, max } => {
            for _ in 0..*min {
                compile(node, prog)?;
            }
            match max {
                None => {
                    let split = prog.len();
                    prog.push(Inst::Split(split + 1, 0));
                    compile(node, prog)?;
                    prog.push(Inst::Jmp(split));
                    let end = prog.len();
                    prog[split] = Inst::Split(split + 1, end);
                }
                Some(max) => {
                    let mut splits = Vec::new();
                    for _ in *min..*max {
                        splits.push(prog.len());
                        prog.push(Inst::Split(0, 0));
                        compile(node, prog)?;
                    }
                    let end = prog.len();
                    for s in splits {
                        prog[s] = Inst::Split(s + 1, end);
                    }
                }
            }
        }
    }
    Ok(())
}

impl Regex {
    pub fn new(pattern: &str) -> Result<Regex, RegexError> {
        let (fold, body_at) = if pattern.starts_with("(?i)") {
            (true, 4)
        } else {
            (false, 0)
        };
        let mut p = Parser {
            src: pattern,
            pos: body_at,
            depth: 0,
        };
        let node = p.alt()?;
        if p.pos < pattern.len() {
            return Err(p.err(RegexErrorKind::UnmatchedClose));
        }
        let mut prog = Vec::new();
        compile(&node, &mut prog)?;
        prog.push(Inst::Match);
        if fold {
            for i in &mut prog {
                if let Inst::Char(c) = i {
                    *c = c.to_ascii_lowercase();
                }
            }
        }
        Ok(Regex { prog, fold })
    }

    /// Adds `pc` and what it reaches without reading a character to `list`.
    fn add(
        &self,
        list: &mut Vec<usize>,
        seen: &mut [usize],
        step: usize,
        pc: usize,
        at: (bool, bool),
    ) {
        // An explicit stack: a long chain of splits must not overflow the call stack.
        let mut stack = vec![pc];
        while let Some(pc) = stack.pop() {
            if seen[pc] == step {
                continue;
            }
            seen[pc] = step;
            match &self.prog[pc] {
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Jmp(a) => stack.push(*a),
                Inst::Start if at.0 => stack.push(pc + 1),
                Inst::End if at.1 => stack.push(pc + 1),
                Inst::Start | Inst::End => {}
                _ => list.push(pc),
            }
        }
    }

    /// Whether the pattern matches anywhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        let mut seen = vec![usize::MAX; self.prog.len()];
        let (mut now, mut next) = (Vec::new(), Vec::new());
        let mut step = 0;
        let mut chars = text.chars().peekable();
        let mut start = true;
        loop {
            let end = chars.peek().is_none();
            // Unanchored: a match may begin at every position.
            self.add(&mut now, &mut seen, step, 0, (start, end));
            if now.iter().any(|&pc| matches!(self.prog[pc], Inst::Match)) {
                return true;
            }
            let Some(c) = chars.next() else {
                return false;
            };
            let c = if self.fold { c.to_ascii_lowercase() } else { c };
            step += 1;
            let end_next = chars.peek().is_none();
            for &pc in &now {
                let hit = match &self.prog[pc] {
                    Inst::Char(x) => *x == c,
                    Inst::Any => true,
                    Inst::Class(k) => k.has(c, self.fold),
                    _ => false,
                };
                if hit {
                    self.add(&mut next, &mut seen, step, pc + 1, (false, end_next));
                }
            }
            std::mem::swap(&mut now, &mut next);
            next.clear();
            start = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Regex;

    fn m(p: &str, t: &str) -> bool {
        Regex::new(p).unwrap().is_match(t)
    }

    #[test]
    fn query_language_regex_matches_like_a_regex_engine() {
        assert!(m("abc", "xxabcxx"));
        assert!(!m("^abc", "xabc"));
        assert!(m("^abc$", "abc"));
        assert!(!m("^abc$", "abcd"));
        assert!(m("a.c", "abc"));
        assert!(m("colou?r", "color"));
        assert!(m("colou?r", "colour"));
        assert!(m("^a+b*$", "aaab"));
        assert!(!m("^a+b*$", "b"));
        assert!(m("(cat|dog)s", "dogs"));
        assert!(!m("^(cat|dog)s$", "cows"));
        assert!(m("^[a-c]+\\d{2,3}$", "abc12"));
        assert!(!m("^[a-c]+\\d{2,3}$", "abc1"));
        assert!(!m("^[a-c]+\\d{2,3}$", "abc1234"));
        assert!(m("[^0-9]", "12a"));
        assert!(!m("^[^0-9]+$", "12a"));
        assert!(m("(?i)^CHEN", "chen siyuan"));
        assert!(!m("^CHEN", "chen siyuan"));
        assert!(m("10\\.0\\.\\d+\\.\\d+", "src 10.0.3.77"));
        assert!(!m("10\\.0\\.", "10x0x"));
        assert!(m("^$", ""));
        assert!(m("a{3}", "aaa"));
        assert!(!m("^a{3}$", "aa"));
        assert!(m("^(ab){2,}$", "ababab"));
        assert!(m("x*", ""));
        // Linear time: this would take forever in a backtracking engine.
        let long = "a".repeat(5000);
        assert!(!m("^(a|aa)*(a|aa)*(a|aa)*b$", &long));
    }

    #[test]
    fn query_language_regex_errors_name_the_place() {
        for (p, byte) in [
            ("a(b", 3),
            ("*a", 0),
            ("[a-", 3),
            ("a)", 1),
            ("\\q", 1),
            ("(?P<x>a)", 1),
        ] {
            let e = Regex::new(p).unwrap_err();
            assert_eq!(e.byte, byte, "{p}: {e}");
        }
    }
}
