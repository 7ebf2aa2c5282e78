//! The words Retrace shows, in English and Japanese: Fluent catalogs under
//! `assets/i18n/<lang>/*.ftl`, compiled into the binary so that a clone needs nothing beside
//! it. Every string the app shows and the report's fixed wording go through [`t`] / [`tr!`](crate::tr!);
//! counts are Fluent plurals (`{ $count -> [one] … *[other] … }` in English, a counter such as
//! `{ $count }件` in Japanese) and numbers are written with their digits grouped (`12,345`).
//!
//! The command line keeps English output for scripts; the language applies to the app and, when
//! asked (`export --lang ja`), to the report and CSV headers.
//!
//! Catalog rules, checked by `tests/it/i18n.rs`: both languages have exactly the same message
//! ids, each with the same variables; a Japanese message equal to its English one must be marked
//! with the comment `# same` right above it (identifiers, units such as "UTC"); every id the
//! code names exists.

mod country;
mod rejects;
mod time;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::{Deserialize, Serialize};

pub use country::{country, country_field, country_name, country_or_unknown, country_with_code};
pub use rejects::reject_reason;
pub use time::{format_date, format_in_zone, weekday};

/// A language the app and the report are written in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ja];

    /// The code used on the command line, in settings and in file names: `en`, `ja`.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The language's own name, as the language switch shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }

    /// `en`, `ja` and their common spellings (`english`, `japanese`, `jp`).
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "ja" | "jp" | "japanese" | "日本語" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The language of a POSIX locale (`ja_JP.UTF-8`, `en_US`, `ja`); `None` for `C`, `POSIX`,
    /// an empty value or a language Retrace does not speak.
    pub fn from_locale(locale: &str) -> Option<Lang> {
        let lang = locale
            .split(['_', '.', '@', '-'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match lang.as_str() {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language asked for: `explicit` (`--lang`), else `RETRACE_LANG`, else the system
    /// locale (`LC_ALL`, `LC_MESSAGES`, `LANG`, in POSIX order), else English. An explicit value
    /// that is not a language is an error naming it.
    pub fn detect(explicit: Option<&str>) -> Result<Option<Lang>, String> {
        if let Some(s) = explicit {
            return Lang::parse(s)
                .map(Some)
                .ok_or_else(|| format!("--lang {s:?}: use en or ja"));
        }
        if let Ok(s) = std::env::var("RETRACE_LANG")
            && !s.trim().is_empty()
        {
            return Lang::parse(&s)
                .map(Some)
                .ok_or_else(|| format!("RETRACE_LANG={s:?}: use en or ja"));
        }
        Ok(None)
    }

    /// The system locale's language (`LC_ALL`, then `LC_MESSAGES`, then `LANG`: the first that
    /// is set and not empty decides), English when it names none Retrace speaks.
    pub fn system() -> Lang {
        Self::system_from(|k| std::env::var(k).ok())
    }

    /// [`Lang::system`] with the environment given, for tests.
    pub fn system_from(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| var(k).filter(|v| !v.trim().is_empty()))
            .next()
            .and_then(|v| Lang::from_locale(&v))
            .unwrap_or(Lang::En)
    }
}

/// One catalog file: its name and its text in English and Japanese.
struct Catalog {
    name: &'static str,
    en: &'static str,
    ja: &'static str,
}

macro_rules! catalogs {
    ($($name:literal),* $(,)?) => {
        &[$(Catalog {
            name: $name,
            en: include_str!(concat!("../../assets/i18n/en/", $name, ".ftl")),
            ja: include_str!(concat!("../../assets/i18n/ja/", $name, ".ftl")),
        }),*]
    };
}

/// Every catalog, one per area of the app (a new area adds its line here and its two files).
#[rustfmt::skip]
const CATALOGS: &[Catalog] = catalogs![
    "chips",
    "categories",
    "analysis",
    "common",
    "csv-headers",
    "custody",
    "desk",
    "detail",
    "export",
    "findings",
    "findings-text",
    "messages",
    "import",
    "open",
    "params",
    "person",
    "rejects",
    "report",
    "side",
    "subject",
    "table",
    "timeline",
    "toolbar",
];

type Bundle = FluentBundle<FluentResource>;

fn bundles() -> &'static [Bundle; 2] {
    static BUNDLES: OnceLock<[Bundle; 2]> = OnceLock::new();
    BUNDLES.get_or_init(|| [build(Lang::En), build(Lang::Ja)])
}

fn build(lang: Lang) -> Bundle {
    let id: unic_langid::LanguageIdentifier = lang.as_str().parse().expect("a language id");
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Isolation marks (U+2068/U+2069) would show as boxes in egui and in plain-text exports.
    bundle.set_use_isolating(false);
    bundle.set_formatter(Some(format_value));
    for c in CATALOGS {
        let text = match lang {
            Lang::En => c.en,
            Lang::Ja => c.ja,
        };
        let res = FluentResource::try_new(text.to_string()).unwrap_or_else(|(_, errors)| {
            panic!("assets/i18n/{}/{}.ftl: {errors:?}", lang.as_str(), c.name)
        });
        bundle.add_resource(res).unwrap_or_else(|errors| {
            panic!("assets/i18n/{}/{}.ftl: {errors:?}", lang.as_str(), c.name)
        });
    }
    bundle
}

/// Whole numbers with their digits grouped (`12,345`, as both languages write them); other
/// numbers as Fluent writes them.
fn format_value<M>(v: &FluentValue, _: &M) -> Option<String> {
    match v {
        FluentValue::Number(n)
            if n.options.use_grouping
                && n.options.minimum_fraction_digits.is_none()
                && n.value.fract() == 0.0
                && n.value.abs() < 9.0e15 =>
        {
            Some(crate::model::plural::grouped(n.value as i64))
        }
        _ => None,
    }
}

/// A value for a message's variable: text, or a number (which selects plural forms).
#[derive(Debug, Clone)]
pub struct Arg(FluentValue<'static>);

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg(FluentValue::String(Cow::Owned(s.to_string())))
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg(FluentValue::String(Cow::Owned(s)))
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::from(s.as_str())
    }
}
impl From<Cow<'_, str>> for Arg {
    fn from(s: Cow<'_, str>) -> Arg {
        Arg::from(s.into_owned())
    }
}
macro_rules! number_arg {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg(FluentValue::from(n))
            }
        }
    )*};
}
number_arg!(u8, u16, u32, u64, usize, i32, i64, f64);

/// The message `id` in `lang`. An id missing from the catalogs comes back as itself, so that
/// the gap is visible on screen (and `tests/it/i18n.rs` fails on it).
pub fn t(lang: Lang, id: &str) -> String {
    t_args(lang, id, &[])
}

/// The message `id` in `lang` with its variables.
pub fn t_args(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let bundle = &bundles()[lang as usize];
    let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
        return id.to_string();
    };
    let mut fargs = FluentArgs::with_capacity(args.len());
    for (k, v) in args {
        fargs.set(*k, v.0.clone());
    }
    let mut errors = Vec::new();
    bundle
        .format_pattern(pattern, Some(&fargs), &mut errors)
        .into_owned()
}

/// Whether `id` is a message of the catalogs.
pub fn has(id: &str) -> bool {
    bundles()[0].has_message(id)
}

/// A data category's name in `lang`: the built-in categories (`name`, `phone`, `email`, …) by
/// the `categories` catalog (氏名, 電話番号, …), a custom category as it is written.
pub fn category_name(lang: Lang, name: &str) -> String {
    named(lang, "category-", name)
}

/// Data categories by their names in `lang` ([`category_name`]), listed the language's way
/// (`name, phone` / `氏名、電話番号`).
pub fn category_list<S: AsRef<str>>(lang: Lang, names: &[S]) -> String {
    names
        .iter()
        .map(|n| category_name(lang, n.as_ref()))
        .collect::<Vec<_>>()
        .join(&t(lang, "list-separator"))
}

/// An event outcome's name in `lang`: `success`, `denied`, `failed` and `other` by the
/// `categories` catalog (成功, 拒否, 失敗, その他), any other outcome as it is written.
pub fn outcome_name(lang: Lang, outcome: &str) -> String {
    named(lang, "outcome-", outcome)
}

/// A source's kind (`access`, `people`, `accounts`, …, as the case stores it) in `lang`
/// (アクセスログ, 人物名簿, …); a kind the catalog does not name as stored.
pub fn source_kind(lang: Lang, kind: &str) -> String {
    named(lang, "source-kind-", kind)
}

/// The message `prefix` + `key` when the catalogs have it, else `key` as it is.
fn named(lang: Lang, prefix: &str, key: &str) -> String {
    let id = format!("{prefix}{key}");
    if has(&id) {
        t(lang, &id)
    } else {
        key.to_string()
    }
}

/// `tr!(lang, "id")` or `tr!(lang, "id", count = n, name = s)`: the message in `lang`.
#[macro_export]
macro_rules! tr {
    ($lang:expr, $id:literal $(,)?) => {
        $crate::i18n::t($lang, $id)
    };
    ($lang:expr, $id:literal, $($k:ident = $v:expr),+ $(,)?) => {
        $crate::i18n::t_args(
            $lang,
            $id,
            &[$((stringify!($k), $crate::i18n::Arg::from($v))),+],
        )
    };
}

/// A message's variables and whether it is marked `# same` (for the catalog checks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageShape {
    pub vars: BTreeSet<String>,
    pub same: bool,
    pub text: String,
    pub catalog: &'static str,
}

/// Every message of `lang`'s catalogs by id, with its shape; the errors of a catalog that does
/// not parse, and ids defined twice, as errors.
pub fn catalog_shapes(lang: Lang) -> Result<BTreeMap<String, MessageShape>, Vec<String>> {
    use fluent_syntax::ast;
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for c in CATALOGS {
        let text = match lang {
            Lang::En => c.en,
            Lang::Ja => c.ja,
        };
        let res = match fluent_syntax::parser::parse(text) {
            Ok(r) => r,
            Err((_, e)) => {
                errors.push(format!("{}/{}.ftl: {e:?}", lang.as_str(), c.name));
                continue;
            }
        };
        for entry in res.body {
            let ast::Entry::Message(m) = entry else {
                continue;
            };
            let same = m
                .comment
                .as_ref()
                .is_some_and(|cm| cm.content.iter().any(|l| l.trim() == "same"));
            let mut vars = BTreeSet::new();
            if let Some(p) = &m.value {
                pattern_vars(p, &mut vars);
            }
            for a in &m.attributes {
                pattern_vars(&a.value, &mut vars);
            }
            let start = m.id.name;
            let shape = MessageShape {
                vars,
                same,
                text: m
                    .value
                    .as_ref()
                    .map(|p| format!("{p:?}"))
                    .unwrap_or_default(),
                catalog: c.name,
            };
            if out.insert(start.to_string(), shape).is_some() {
                errors.push(format!(
                    "{}/{}.ftl: {start} is defined twice",
                    lang.as_str(),
                    c.name
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn pattern_vars(p: &fluent_syntax::ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    use fluent_syntax::ast::PatternElement;
    for el in &p.elements {
        if let PatternElement::Placeable { expression } = el {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(e: &fluent_syntax::ast::Expression<&str>, out: &mut BTreeSet<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression};
    let inline = |ie: &InlineExpression<&str>, out: &mut BTreeSet<String>| match ie {
        InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_string());
        }
        InlineExpression::Placeable { expression } => expression_vars(expression, out),
        InlineExpression::FunctionReference { arguments, .. } => {
            for a in &arguments.positional {
                if let InlineExpression::VariableReference { id } = a {
                    out.insert(id.name.to_string());
                }
            }
        }
        _ => {}
    };
    match e {
        Expression::Inline(ie) => inline(ie, out),
        Expression::Select { selector, variants } => {
            inline(selector, out);
            for v in variants {
                pattern_vars(&v.value, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_name_their_language_and_c_is_english() {
        assert_eq!(Lang::from_locale("ja_JP.UTF-8"), Some(Lang::Ja));
        assert_eq!(Lang::from_locale("ja"), Some(Lang::Ja));
        assert_eq!(Lang::from_locale("en_GB.utf8"), Some(Lang::En));
        assert_eq!(Lang::from_locale("C.UTF-8"), None);
        assert_eq!(Lang::from_locale("fr_FR"), None);
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(Lang::system_from(env(&[("LANG", "ja_JP.UTF-8")])), Lang::Ja);
        assert_eq!(
            Lang::system_from(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "ja_JP.UTF-8")])),
            Lang::En,
            "LC_ALL wins over LANG"
        );
        assert_eq!(
            Lang::system_from(env(&[("LC_ALL", ""), ("LANG", "ja_JP.UTF-8")])),
            Lang::Ja,
            "an empty LC_ALL is not set"
        );
        assert_eq!(Lang::system_from(env(&[("LANG", "C")])), Lang::En);
        assert_eq!(Lang::system_from(env(&[])), Lang::En);
    }

    #[test]
    fn counts_are_plural_in_english_and_counters_in_japanese_with_grouped_digits() {
        assert_eq!(tr!(Lang::En, "count-events", count = 1u64), "1 event");
        assert_eq!(
            tr!(Lang::En, "count-events", count = 12345u64),
            "12,345 events"
        );
        assert_eq!(tr!(Lang::En, "count-events", count = 0usize), "0 events");
        assert_eq!(tr!(Lang::Ja, "count-events", count = 12u64), "12件");
        assert_eq!(tr!(Lang::Ja, "count-events", count = 1234u64), "1,234件");
        assert_eq!(tr!(Lang::Ja, "count-persons", count = 3u64), "3人");
        assert_eq!(tr!(Lang::Ja, "count-sessions", count = 5u64), "5セッション");
    }

    #[test]
    fn an_unknown_id_comes_back_as_itself_and_text_variables_stay_as_given() {
        assert_eq!(t(Lang::Ja, "no-such-message"), "no-such-message");
        assert!(has("count-events"));
        assert!(!has("no-such-message"));
        // No isolation marks around placeables.
        assert!(!tr!(Lang::En, "count-events", count = 2u64).contains('\u{2068}'));
    }

    #[test]
    fn built_in_categories_and_outcomes_have_japanese_names_and_custom_ones_stay() {
        assert_eq!(category_name(Lang::Ja, "name"), "氏名");
        assert_eq!(category_name(Lang::Ja, "phone"), "電話番号");
        assert_eq!(category_name(Lang::Ja, "credential"), "認証情報");
        assert_eq!(category_name(Lang::En, "email"), "email");
        assert_eq!(category_name(Lang::Ja, "loyalty_tier"), "loyalty_tier");
        assert_eq!(outcome_name(Lang::Ja, "denied"), "拒否");
        assert_eq!(outcome_name(Lang::En, "failed"), "failed");
        assert_eq!(outcome_name(Lang::Ja, "timeout"), "timeout");
        assert_eq!(source_kind(Lang::Ja, "access"), "アクセスログ");
        assert_eq!(source_kind(Lang::En, "people"), "people");
        assert_eq!(source_kind(Lang::Ja, "vendor_feed"), "vendor_feed");
        assert_eq!(
            category_list(Lang::Ja, &["name", "phone"]),
            "氏名、電話番号"
        );
        assert_eq!(category_list(Lang::En, &["name", "vip"]), "name, vip");
    }
}
