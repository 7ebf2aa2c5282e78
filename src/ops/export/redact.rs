//! Redaction of personal data in exports: subject identifiers, phone numbers, e-mail addresses
//! and message text are kept, masked (`090-****-1234`, `t***@example.com`) or pseudonymised
//! with a keyed hash (HMAC-SHA256 under the case's `pseudonym_key`), so the same subject gets
//! the same token in every export of one case and an unrelated one in any other case.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How personal data is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum RedactionMode {
    #[default]
    Keep,
    Mask,
    Pseudonymise,
}

impl RedactionMode {
    pub const ALL: [RedactionMode; 3] = [
        RedactionMode::Keep,
        RedactionMode::Mask,
        RedactionMode::Pseudonymise,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RedactionMode::Keep => "keep",
            RedactionMode::Mask => "mask",
            RedactionMode::Pseudonymise => "pseudonymise",
        }
    }

    pub fn parse(s: &str) -> Option<RedactionMode> {
        match s.to_ascii_lowercase().as_str() {
            "keep" | "none" => Some(RedactionMode::Keep),
            "mask" => Some(RedactionMode::Mask),
            "pseudonymise" | "pseudonymize" | "pseudonym" | "hash" => {
                Some(RedactionMode::Pseudonymise)
            }
            _ => None,
        }
    }
}

/// HMAC-SHA256 (RFC 2104) over the `sha2` crate.
pub fn hmac_sha256(key: &[u8], msg: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut k = [0u8; BLOCK];
    if key.len() > BLOCK {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut ipad = [0x36u8; BLOCK];
    let mut opad = [0x5cu8; BLOCK];
    for i in 0..BLOCK {
        ipad[i] ^= k[i];
        opad[i] ^= k[i];
    }
    let inner = Sha256::new()
        .chain_update(ipad)
        .chain_update(msg)
        .finalize();
    let outer = Sha256::new()
        .chain_update(opad)
        .chain_update(inner)
        .finalize();
    outer.into()
}

/// Applies one redaction mode with one case's key.
#[derive(Debug, Clone)]
pub struct Redactor {
    mode: RedactionMode,
    key: Vec<u8>,
}

impl Redactor {
    /// `key` is the case's `pseudonym_key` (hex); required only for pseudonymising.
    pub fn new(mode: RedactionMode, key: Option<&str>) -> Result<Redactor, String> {
        let key = match (mode, key) {
            (RedactionMode::Pseudonymise, None) => {
                return Err(
                    "the case has no pseudonym_key (meta); open it once for editing to add one"
                        .into(),
                );
            }
            (_, Some(k)) => k.as_bytes().to_vec(),
            (_, None) => Vec::new(),
        };
        Ok(Redactor { mode, key })
    }

    pub fn mode(&self) -> RedactionMode {
        self.mode
    }

    /// A token for a normalized identifier: `ps_` and 16 hex digits of its keyed hash.
    pub fn token(&self, normalized: &str) -> String {
        let mac = hmac_sha256(&self.key, normalized.as_bytes());
        let mut s = String::with_capacity(19);
        s.push_str("ps_");
        s.push_str(&crate::case::hex(&mac[..8]));
        s
    }

    /// A subject key (already normalized) of kind `id`, `phone` or `email`.
    pub fn subject<'a>(&self, key: &'a str, kind: &str) -> Cow<'a, str> {
        match self.mode {
            RedactionMode::Keep => Cow::Borrowed(key),
            RedactionMode::Pseudonymise => Cow::Owned(self.token(key)),
            RedactionMode::Mask => Cow::Owned(match kind {
                "email" => mask_email(key),
                "phone" => mask_phone(key),
                _ => mask_id(key),
            }),
        }
    }

    /// Free text (an event's object): e-mail addresses and phone numbers in it are redacted;
    /// when the event carries message text, the whole text is.
    pub fn text<'a>(&self, text: &'a str, is_message: bool) -> Cow<'a, str> {
        match self.mode {
            RedactionMode::Keep => Cow::Borrowed(text),
            _ if is_message => Cow::Owned(match self.mode {
                RedactionMode::Pseudonymise => format!("[message text {}]", self.token(text)),
                _ => format!("[message text, {} characters]", text.chars().count()),
            }),
            _ => self.identifiers_in(text),
        }
    }

    /// Replaces e-mail addresses and phone numbers found in `text`.
    fn identifiers_in<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let spans = find_identifiers(text);
        if spans.is_empty() {
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len());
        let mut pos = 0;
        for (start, end, kind) in spans {
            out.push_str(&text[pos..start]);
            let found = &text[start..end];
            let normalized = crate::model::subject::normalize(found)
                .map(|(k, _)| k)
                .unwrap_or_else(|| found.to_string());
            match (self.mode, kind) {
                (RedactionMode::Pseudonymise, _) => out.push_str(&self.token(&normalized)),
                (_, IdKind::Email) => out.push_str(&mask_email(found)),
                (_, IdKind::Phone) => out.push_str(&mask_phone(found)),
            }
            pos = end;
        }
        out.push_str(&text[pos..]);
        Cow::Owned(out)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IdKind {
    Email,
    Phone,
}

fn is_email_local(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-')
}

fn is_email_domain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-')
}

/// Byte spans of e-mail addresses and phone numbers (10 to 15 digits, separators `-` ` ` `.`
/// `(` `)`, an optional leading `+`) in `text`, in order, not overlapping.
fn find_identifiers(text: &str) -> Vec<(usize, usize, IdKind)> {
    let b = text.as_bytes();
    let mut spans: Vec<(usize, usize, IdKind)> = Vec::new();
    // E-mails: around each '@'.
    for (at, _) in text.match_indices('@') {
        let mut s = at;
        while s > 0 && is_email_local(b[s - 1]) {
            s -= 1;
        }
        let mut e = at + 1;
        while e < b.len() && is_email_domain(b[e]) {
            e += 1;
        }
        while e > at + 1 && matches!(b[e - 1], b'.' | b'-') {
            e -= 1;
        }
        let domain = &text[at + 1..e];
        if s < at && domain.contains('.') && spans.last().is_none_or(|l| l.1 <= s) {
            spans.push((s, e, IdKind::Email));
        }
    }
    // Phones: runs of digits and separators outside e-mails.
    let mut i = 0;
    let mut phones = Vec::new();
    while i < b.len() {
        let starts =
            b[i].is_ascii_digit() || (b[i] == b'+' && b.get(i + 1).is_some_and(u8::is_ascii_digit));
        let glued = i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if !starts || glued {
            i += 1;
            continue;
        }
        let mut e = i + 1;
        let mut digits = usize::from(b[i].is_ascii_digit());
        while e < b.len() {
            let c = b[e];
            if c.is_ascii_digit() {
                digits += 1;
            } else if !(matches!(c, b'-' | b' ' | b'.' | b'(' | b')')
                && b.get(e + 1)
                    .is_some_and(|n| n.is_ascii_digit() || *n == b'('))
            {
                break;
            }
            e += 1;
        }
        let glued_after = e < b.len() && (b[e].is_ascii_alphabetic() || b[e] == b'_');
        if (10..=15).contains(&digits) && !glued_after {
            phones.push((i, e, IdKind::Phone));
        }
        i = e;
    }
    for p in phones {
        if !spans.iter().any(|s| p.0 < s.1 && s.0 < p.1) {
            spans.push(p);
        }
    }
    spans.sort_unstable_by_key(|s| s.0);
    spans
}

/// `taro@example.com` -> `t***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => mask_id(email),
    }
}

/// `090-1234-5678` -> `090-****-5678`: the first three and the last four digits stay, the
/// digits between become `*`, separators stay.
pub fn mask_phone(phone: &str) -> String {
    let total = phone.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    phone
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if seen <= 3 || seen > total.saturating_sub(4) {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

/// A user id: its first character and last four stay (`U1234abcd5678` -> `U********5678`);
/// ids of six characters or fewer become all `*` after the first.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let n = chars.len();
    let keep_tail = if n > 6 { 4 } else { 0 };
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 || i >= n - keep_tail {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            crate::case::hex(&mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn masks_keep_the_shape() {
        assert_eq!(mask_phone("090-1234-1234"), "090-****-1234");
        assert_eq!(mask_email("taro@example.com"), "t***@example.com");
        assert_eq!(mask_id("U1234abcd5678"), "U********5678");
    }

    #[test]
    fn identifiers_in_free_text_are_redacted() {
        let r = Redactor::new(RedactionMode::Mask, None).unwrap();
        let out = r.text(
            "mail Taro@Example.com or call +81 90-1234-5678; post:31875081",
            false,
        );
        assert_eq!(
            out,
            "mail T***@Example.com or call +81 9*-****-5678; post:31875081"
        );
        let p = Redactor::new(RedactionMode::Pseudonymise, Some("k")).unwrap();
        let a = p.text("to taro@example.com", false);
        let b = p.text("TARO@example.com!", false);
        let token = p.token("taro@example.com");
        assert_eq!(a, format!("to {token}"));
        assert_eq!(b, format!("{token}!"), "same subject, same token");
        assert_ne!(
            Redactor::new(RedactionMode::Pseudonymise, Some("other"))
                .unwrap()
                .token("taro@example.com"),
            token,
            "another case's key gives another token"
        );
    }

    #[test]
    fn message_text_is_withheld_whole() {
        let r = Redactor::new(RedactionMode::Mask, None).unwrap();
        assert_eq!(
            r.text("secret words", true),
            "[message text, 12 characters]"
        );
        assert_eq!(
            Redactor::new(RedactionMode::Keep, None)
                .unwrap()
                .text("secret", true),
            "secret"
        );
    }
}
