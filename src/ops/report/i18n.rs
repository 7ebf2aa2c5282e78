//! The report's fixed wording in English and Japanese. Data is the same in both; only these
//! strings differ.

use crate::ops::export::Lang;

/// The report's message `id` in `lang` (the `report` catalog, `assets/i18n/*/report.ftl`);
/// an unknown id comes back as itself, and `tests/it/i18n.rs` checks that every id named exists.
pub fn t(lang: Lang, id: &str) -> String {
    crate::i18n::t(lang, id)
}

/// A data category's name in the report's language (custom categories stay as named).
pub fn category(lang: Lang, name: &str) -> String {
    if lang == Lang::En {
        return name.to_string();
    }
    let ja = match name {
        "name" => "氏名",
        "phone" => "電話番号",
        "email" => "メールアドレス",
        "account_id" => "アカウントID",
        "message_text" => "メッセージ本文",
        "image_media" => "画像・動画",
        "address" => "住所",
        "payment" => "決済情報",
        "location" => "位置情報",
        "credential" => "認証情報",
        _ => return name.to_string(),
    };
    format!("{ja} ({name})")
}

/// A country code as the report names it: `Japan (JP)` / `日本 (JP)`; a code the table does
/// not hold stays as written, and an empty code is empty.
pub fn country(lang: Lang, code: &str) -> String {
    crate::i18n::country_with_code(lang, code)
}

/// [`country`], or "(unknown)" for an empty code.
pub fn country_or_unknown(lang: Lang, code: &str) -> String {
    if code.trim().is_empty() {
        t(lang, "report-unknown-country")
    } else {
        country(lang, code)
    }
}

/// How a source's times were read, from the forms its events' timestamps had: which carried
/// their own offset (and which offsets), which were epoch numbers, which were naive and read in
/// the source's zone (`zone`, with how it was chosen, from the recorded `rule`).
pub fn time_forms(lang: Lang, f: &crate::case::TimeForms, zone: &str, rule: &str) -> String {
    let total = f.with_offset() + f.epoch + f.naive;
    if total == 0 {
        return zone.to_string();
    }
    let how = zone_how(lang, rule);
    let all = |n: u64| if n == total && total > 1 { "yes" } else { "no" };
    let mut parts = Vec::new();
    if f.with_offset() > 0 {
        let offsets: Vec<String> = f
            .offsets
            .iter()
            .map(|(o, n)| {
                let o = match o.as_str() {
                    "Z" => t(lang, "report-forms-z"),
                    "other" => t(lang, "report-forms-other-zone"),
                    o => o.to_string(),
                };
                if f.offsets.len() > 1 {
                    format!("{o}: {}", crate::model::plural::grouped(*n))
                } else {
                    o
                }
            })
            .collect();
        let n = f.with_offset();
        parts.push(crate::tr!(
            lang,
            "report-forms-offset",
            all = all(n),
            count = n,
            offsets = offsets.join(&t(lang, "report-sep-list"))
        ));
    }
    if f.epoch > 0 {
        parts.push(crate::tr!(
            lang,
            "report-forms-epoch",
            all = all(f.epoch),
            count = f.epoch
        ));
    }
    if f.naive > 0 {
        parts.push(crate::tr!(
            lang,
            "report-forms-naive",
            all = all(f.naive),
            count = f.naive,
            zone = zone,
            how = how.as_str()
        ));
    } else {
        parts.push(crate::tr!(
            lang,
            "report-forms-zone-unused",
            zone = zone,
            how = how.as_str()
        ));
    }
    let mut s = parts.join(&t(lang, "report-sep-clause"));
    if let Some(first) = s.chars().next()
        && first.is_ascii_lowercase()
    {
        s = first.to_ascii_uppercase().to_string() + &s[1..];
    }
    s.push_str(&t(lang, "report-sentence-end"));
    s
}

/// How the source's zone was chosen, as its recorded rule says.
fn zone_how(lang: Lang, rule: &str) -> String {
    let id = if rule.contains("(declared)") {
        "report-zone-declared"
    } else if rule.contains("(from the mapping profile)") {
        "report-zone-profile"
    } else if rule.contains("DEFAULT: no zone was declared") {
        "report-zone-default"
    } else {
        "report-zone-recorded"
    };
    t(lang, id)
}

/// A zone choice as the importer writes it in a rule (`declared`, `from the mapping profile`,
/// `DEFAULT: no zone was declared`), in `lang`.
fn rule_zone_how(lang: Lang, how: &str) -> Option<String> {
    Some(match how {
        "declared" => t(lang, "report-zone-declared"),
        "from the mapping profile" => t(lang, "report-zone-profile"),
        "DEFAULT: no zone was declared" => t(lang, "report-zone-default"),
        _ => return None,
    })
}

/// `… read in ZONE (HOW)` of a rule's clause: the zone and how it was chosen, in `lang`.
fn read_in(lang: Lang, rest: &str) -> Option<(String, String)> {
    let (zone, how) = rest.strip_suffix(')')?.split_once(" (")?;
    if zone.is_empty() || zone.contains(' ') {
        return None;
    }
    Some((zone.to_string(), rule_zone_how(lang, how)?))
}

/// One clause of a recorded reading rule, in `lang`; `None` for a clause the importers do not
/// write (the whole rule is then quoted as written).
fn rule_clause(lang: Lang, c: &str) -> Option<String> {
    use crate::tr;
    Some(match c {
        "offsets and Z in the text are kept" | "offsets and Z in text are kept" => {
            t(lang, "report-rule-offsets-kept")
        }
        "DST folds take the earlier instant and are flagged" => t(lang, "report-rule-dst-fold"),
        "DST gaps use the offset before the gap and are flagged" => t(lang, "report-rule-dst-gap"),
        "Parquet TIMESTAMP columns adjusted to UTC and INT96 columns are UTC instants" => {
            t(lang, "report-rule-parquet-utc")
        }
        "such events are flagged year-inferred" => t(lang, "report-rule-syslog-flag"),
        _ => {
            if let Some(rest) = c.strip_prefix("naive times are read in ") {
                let (zone, how) = read_in(lang, rest)?;
                tr!(lang, "report-rule-naive", zone = zone, how = how)
            } else if let Some(rest) = c.strip_prefix(
                "TIMESTAMP columns not adjusted to UTC, DATE columns and naive time text are read in ",
            ) {
                let (zone, how) = read_in(lang, rest)?;
                tr!(lang, "report-rule-parquet-naive", zone = zone, how = how)
            } else if let Some(f) = c.strip_prefix("format ") {
                // The format as the import wrote it (Debug-quoted): an identifier.
                tr!(lang, "report-rule-format", format = f)
            } else if let Some(rest) =
                c.strip_prefix("RFC 3164 lines have no year: the first line is in ")
            {
                let (year, rest) = rest.split_once(" (")?;
                let (how, tail) = rest.split_once(") ")?;
                if tail != "and the year advances by one whenever the month goes back by six or more (December -> January)"
                    || !year.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                {
                    return None;
                }
                let how = match how {
                    "declared with --year" => t(lang, "report-rule-year-declared"),
                    "DEFAULT: the current year, no --year given" => {
                        t(lang, "report-rule-year-default")
                    }
                    _ => return None,
                };
                tr!(lang, "report-rule-syslog-year", year = year, how = how)
            } else {
                return None;
            }
        }
    })
}

/// A source's recorded reading rule in `lang`: the known clauses the importers write (see
/// `ingest::Plan::time_rule`), each translated, joined as the language writes clauses; `None`
/// when a clause is not one of them (then the rule is quoted as written, and said so).
pub fn reading_rule(lang: Lang, rule: &str) -> Option<String> {
    let clauses: Vec<String> = rule
        .split("; ")
        .map(|c| rule_clause(lang, c.trim()))
        .collect::<Option<_>>()?;
    if clauses.is_empty() {
        return None;
    }
    let mut s = clauses.join(&t(lang, "report-sep-clause"));
    if lang == Lang::Ja {
        s.push_str(&t(lang, "report-sentence-end"));
    }
    Some(s)
}

/// The redaction mode in `lang` (English: its name, `keep`, `mask`, `pseudonymise`).
pub fn redaction(lang: Lang, mode: crate::ops::export::RedactionMode) -> String {
    use crate::ops::export::RedactionMode;
    t(
        lang,
        match mode {
            RedactionMode::Keep => "report-redaction-keep",
            RedactionMode::Mask => "report-redaction-mask",
            RedactionMode::Pseudonymise => "report-redaction-pseudonymise",
        },
    )
}

/// An annotation's kind in `lang` (English: `star`, `tag`, `note`).
pub fn annotation_kind(lang: Lang, kind: crate::case::AnnotationKind) -> String {
    use crate::case::AnnotationKind;
    t(
        lang,
        match kind {
            AnnotationKind::Star => "report-annotation-star",
            AnnotationKind::Tag => "report-annotation-tag",
            AnnotationKind::Note => "report-annotation-note",
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_ids_exist_and_counts_are_singular_for_one_and_counters_in_japanese() {
        assert_eq!(t(Lang::Ja, "report-cause"), "4. 原因");
        assert_eq!(category(Lang::Ja, "phone"), "電話番号 (phone)");
        use crate::tr;
        assert_eq!(
            tr!(Lang::En, "report-count-events", count = 1u64),
            "1 event"
        );
        assert_eq!(
            tr!(Lang::En, "report-count-events", count = 6208u64),
            "6,208 events"
        );
        assert_eq!(
            tr!(Lang::En, "report-count-actors", count = 28u64),
            "28 persons and accounts"
        );
        assert_eq!(
            tr!(Lang::En, "report-count-subjects", count = 1u64),
            "1 person (distinct data subject)"
        );
        assert_eq!(
            tr!(Lang::Ja, "report-count-events", count = 1u64),
            "1件（イベント）"
        );
        assert_eq!(
            tr!(Lang::Ja, "report-count-entries", count = 1234u64),
            "1,234件"
        );
        use crate::model::CountUnit;
        assert_eq!(
            crate::analysis::findings::unit_count(Lang::En, CountUnit::AccessEvents, 1),
            "1 access event"
        );
        assert_eq!(
            crate::analysis::findings::unit_count(Lang::En, CountUnit::HoursWithoutEvents, 1),
            "1 hour without events"
        );
        for u in CountUnit::ALL {
            // English says what `count_phrase` says.
            for n in [1u64, 2, 12] {
                assert_eq!(
                    crate::analysis::findings::unit_count(Lang::En, *u, n),
                    crate::analysis::findings::count_phrase(n, u.as_str(), false)
                );
            }
            assert!(!crate::analysis::findings::unit_count(Lang::Ja, *u, 3).contains(u.as_str()));
        }
    }

    #[test]
    fn recorded_reading_rules_are_translated_clause_by_clause_or_not_at_all() {
        let rule = "offsets and Z in the text are kept; naive times are read in Asia/Tokyo (declared); DST folds take the earlier instant and are flagged; DST gaps use the offset before the gap and are flagged; format \"%Y/%m/%d %H:%M:%S\"";
        assert_eq!(
            reading_rule(Lang::Ja, rule).unwrap(),
            "文中のオフセット及びZはそのまま採用。オフセットのない時刻はAsia/Tokyo（指定）の時刻として読込。夏時間の終了で重複する時刻は早い方の時点とし、その旨を記録。夏時間の開始で存在しない時刻は開始前のオフセットを用い、その旨を記録。時刻の書式 \"%Y/%m/%d %H:%M:%S\"。"
        );
        // The English of the clauses is the rule as the importers write it.
        assert_eq!(reading_rule(Lang::En, rule).unwrap(), rule);
        let syslog = "offsets and Z in the text are kept; naive times are read in UTC (DEFAULT: no zone was declared); DST folds take the earlier instant and are flagged; DST gaps use the offset before the gap and are flagged; RFC 3164 lines have no year: the first line is in 2018 (declared with --year) and the year advances by one whenever the month goes back by six or more (December -> January); such events are flagged year-inferred";
        // (In English the default zone reads "the default: …", as the time forms say it; the
        // English report quotes the rule as recorded.)
        assert!(
            reading_rule(Lang::En, syslog)
                .unwrap()
                .contains("(declared with --year)")
        );
        let ja = reading_rule(Lang::Ja, syslog).unwrap();
        assert!(
            ja.contains("最初の行を2018年（--year オプションで指定）とし"),
            "{ja}"
        );
        assert!(ja.contains("UTC（既定値：タイムゾーンの指定なし）"), "{ja}");
        let parquet = "Parquet TIMESTAMP columns adjusted to UTC and INT96 columns are UTC instants; TIMESTAMP columns not adjusted to UTC, DATE columns and naive time text are read in UTC (from the mapping profile); offsets and Z in text are kept";
        assert!(
            reading_rule(Lang::Ja, parquet)
                .unwrap()
                .contains("マッピングプロファイルによる")
        );
        // A clause the importers do not write: not translated (quoted as written).
        assert_eq!(reading_rule(Lang::Ja, "times as the vendor says"), None);
        assert_eq!(
            reading_rule(Lang::Ja, "naive times are read in UTC (because)"),
            None
        );
        assert_eq!(reading_rule(Lang::Ja, ""), None);
    }

    #[test]
    fn report_country_names_name_the_country_and_keep_the_code() {
        assert_eq!(country(Lang::En, "JP"), "Japan (JP)");
        assert_eq!(country(Lang::Ja, "CN"), "中国 (CN)");
        assert_eq!(country(Lang::En, "XK"), "XK");
        assert_eq!(country_or_unknown(Lang::Ja, " "), "（不明）");
    }

    #[test]
    fn report_methodology_time_forms_say_which_times_carried_their_offset() {
        use crate::case::TimeForms;
        let rule = "offsets and Z in the text are kept; naive times are read in UTC (DEFAULT: no zone was declared); DST folds take the earlier instant and are flagged";
        let all_offset = TimeForms {
            source_id: 1,
            offsets: vec![("+09:00".into(), 5000)],
            epoch: 0,
            naive: 0,
        };
        assert_eq!(
            time_forms(Lang::En, &all_offset, "UTC", rule),
            "All 5,000 times carried their own UTC offset (+09:00); the zone UTC (the default: no zone was declared) was not needed."
        );
        assert_eq!(
            time_forms(Lang::Ja, &all_offset, "UTC", rule),
            "全5,000件の時刻は自身のUTCオフセット（+09:00）付き。タイムゾーン UTC（既定値：タイムゾーンの指定なし）は使用されていません。"
        );
        let mixed = TimeForms {
            source_id: 1,
            offsets: vec![("+09:00".into(), 10), ("Z".into(), 2)],
            epoch: 0,
            naive: 1,
        };
        assert_eq!(
            time_forms(
                Lang::En,
                &mixed,
                "Asia/Tokyo",
                "naive times are read in Asia/Tokyo (declared)"
            ),
            "12 times carried their own UTC offset (+09:00: 10, Z, UTC: 2); 1 time had no offset and was read in Asia/Tokyo (declared)."
        );
        let naive = TimeForms {
            source_id: 1,
            offsets: vec![],
            epoch: 0,
            naive: 3,
        };
        assert_eq!(
            time_forms(Lang::En, &naive, "UTC", rule),
            "All 3 times had no offset and were read in UTC (the default: no zone was declared)."
        );
        // A roster without events: the zone alone.
        assert_eq!(
            time_forms(Lang::En, &TimeForms::default(), "UTC", rule),
            "UTC"
        );
    }
}
