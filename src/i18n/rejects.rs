//! Why an import refused a row, in the reader's language: the reasons the importers write
//! (`ingest`, `model::time`) are recognised by their form and translated (the `rejects`
//! catalog, `reject-reason-*`), any other reason is quoted as written and labelled so. The
//! stored reason is English and stays so; the report, the rejects viewer and the side panel
//! show it through [`reject_reason`].

use super::{Lang, t};

/// Why a row was rejected, as the importer recorded it, in `lang`: the known forms
/// translated; any other reason quoted as written and labelled so (English: as recorded).
pub fn reject_reason(lang: Lang, reason: &str) -> String {
    if lang == Lang::En {
        return reason.to_string();
    }
    match known_reject_reason(lang, reason) {
        Some(r) => r,
        None => crate::tr!(lang, "reject-reason-as-written", reason = reason),
    }
}

/// A quoted value as the importers write one (`"2019-02-30 10:00:00"`, Rust's `{:?}`): the
/// whole of `s`, quotes included.
fn quoted(s: &str) -> Option<&str> {
    (s.len() >= 2 && s.starts_with('"') && s.ends_with('"')).then_some(s)
}

/// The reasons the importers give for a row they cannot make an event of (`ingest` and
/// `model::time`), in `lang`; `None` for any other.
fn known_reject_reason(lang: Lang, reason: &str) -> Option<String> {
    use crate::tr;
    Some(match reason {
        "no timestamp: the time column is empty" => t(lang, "reject-reason-no-time"),
        "empty timestamp" => t(lang, "reject-reason-empty-time"),
        _ => {
            if let Some((why, _)) = reason.split_once(" in \"") {
                let value = quoted(&reason[why.len() + " in ".len()..])?;
                let id = match why {
                    "no such date" => "reject-reason-no-such-date",
                    "no such time of day" => "reject-reason-no-such-time",
                    "offset out of range" => "reject-reason-offset-range",
                    _ => return None,
                };
                crate::i18n::t_args(lang, id, &[("value", value.into())])
            } else if let Some(v) = reason.strip_prefix("unrecognised timestamp ") {
                tr!(lang, "reject-reason-unrecognised-time", value = quoted(v)?)
            } else if let Some(v) = reason
                .strip_prefix("epoch number ")
                .and_then(|r| r.strip_suffix(" is out of range"))
            {
                tr!(lang, "reject-reason-epoch-range", value = quoted(v)?)
            } else if let Some(v) = reason
                .strip_prefix("records ")
                .and_then(|r| r.strip_suffix(" is not a whole number ≥ 0"))
            {
                tr!(lang, "reject-reason-records", value = quoted(v)?)
            } else if let Some(rest) = reason.strip_prefix("time ") {
                let (value, rest) = rest.split_once(" reads as ")?;
                let read = rest.strip_suffix(", outside 1970-01-01 .. 2099-12-31 UTC, the range accepted for access events (a placeholder or a damaged value, not an access)")?;
                tr!(
                    lang,
                    "reject-reason-time-range",
                    value = quoted(value)?,
                    read = read
                )
            } else if let Some(rest) = reason.strip_prefix("local time ") {
                let (time, zone) = rest.split_once(" cannot be placed in zone ")?;
                tr!(lang, "reject-reason-local-time", time = time, zone = zone)
            } else {
                return None;
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reasons_of_the_importers_read_in_japanese_and_others_are_quoted() {
        for (reason, ja) in [
            (
                "no timestamp: the time column is empty",
                "時刻なし（時刻の列が空）",
            ),
            (
                "no such date in \"2019-02-30 10:00:00\"",
                "存在しない日付（\"2019-02-30 10:00:00\"）",
            ),
            (
                "epoch number \"99999999999999999\" is out of range",
                "エポック秒が範囲外（\"99999999999999999\"）",
            ),
        ] {
            assert_eq!(reject_reason(Lang::Ja, reason), ja);
            assert_eq!(reject_reason(Lang::En, reason), reason);
            // The English messages say what the importers say.
            assert_eq!(known_reject_reason(Lang::En, reason).unwrap(), reason);
        }
        assert_eq!(
            reject_reason(Lang::Ja, "unreadable CSV record: oops"),
            "「unreadable CSV record: oops」（記録された原文のまま引用）"
        );
    }
}
