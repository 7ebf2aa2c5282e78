//! Data-subject identifiers and the one normalisation every importer and lookup applies.
//!
//! - e-mail addresses (text with one `@` and a dot after it) are lowercased;
//! - phone numbers (only digits, spaces, `+ - ( ) .`, at least 7 digits) keep the digits and a
//!   leading `+`: `+81-90-1234-5678` -> `+819012345678`;
//! - anything else is trimmed and kept as written (user ids are case-sensitive).

use super::text::Text;

/// What kind of identifier a normalized subject key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectKind {
    Email,
    Phone,
    Id,
}

impl SubjectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectKind::Email => "email",
            SubjectKind::Phone => "phone",
            SubjectKind::Id => "id",
        }
    }
}

/// Normalizes one identifier; `None` for blank text.
pub fn normalize(raw: &str) -> Option<(String, SubjectKind)> {
    normalize_text(raw).map(|(k, kind)| (k.into(), kind))
}

/// [`normalize`] into a [`Text`]: a key of up to 30 bytes costs no allocation.
pub fn normalize_text(raw: &str) -> Option<(Text, SubjectKind)> {
    let t = raw.trim();
    if t.is_empty() {
        return None;
    }
    if let Some((local, domain)) = t.split_once('@')
        && !local.is_empty()
        && domain.contains('.')
        && !domain.contains('@')
    {
        return Some((t.to_lowercase().into(), SubjectKind::Email));
    }
    let phone_chars = t
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'+' | b'-' | b'(' | b')' | b'.'));
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    if phone_chars && digits >= 7 && t.contains(['-', ' ', '+', '(']) {
        let mut key = String::with_capacity(digits + 1);
        if t.starts_with('+') {
            key.push('+');
        }
        key.extend(t.chars().filter(char::is_ascii_digit));
        return Some((key.into(), SubjectKind::Phone));
    }
    Some((Text::new(t), SubjectKind::Id))
}

/// Splits a multi-valued cell (`;`, `|` or `,` separated) into normalized keys, dropping blanks
/// and repeats while keeping the first-seen order.
pub fn split_normalized(cell: &str, out: &mut Vec<Text>) {
    for part in cell.split([';', '|', ',']) {
        if let Some((key, _)) = normalize_text(part)
            && !out.contains(&key)
        {
            out.push(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_each_kind() {
        assert_eq!(
            normalize(" Taro@Example.JP "),
            Some(("taro@example.jp".into(), SubjectKind::Email))
        );
        assert_eq!(
            normalize("+81-90-1234-5678"),
            Some(("+819012345678".into(), SubjectKind::Phone))
        );
        assert_eq!(
            normalize("090 1234 5678"),
            Some(("09012345678".into(), SubjectKind::Phone))
        );
        assert_eq!(
            normalize("U0a1b2c3d4e5f"),
            Some(("U0a1b2c3d4e5f".into(), SubjectKind::Id))
        );
        // A plain number is an id, not a phone: ids are often numeric.
        assert_eq!(normalize("12345678").unwrap().1, SubjectKind::Id);
        assert_eq!(normalize("  "), None);
        let mut v = Vec::new();
        split_normalized("a;b| a ;;c", &mut v);
        assert_eq!(v, vec!["a", "b", "c"]);
    }
}
