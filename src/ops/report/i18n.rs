//! The report's fixed wording in English and Japanese. Data is the same in both; only these
//! strings differ.

use crate::ops::export::Lang;

/// The text of `key` in `lang`; an unknown key is returned as is (and a test checks that every
/// key used has both languages).
pub fn t(lang: Lang, key: &'static str) -> &'static str {
    for (k, en, ja) in TEXTS {
        if *k == key {
            return match lang {
                Lang::En => en,
                Lang::Ja => ja,
            };
        }
    }
    key
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

/// `n` with its unit in `lang`: the English singular (key `one`) or plural (key `many`), or
/// the Japanese counter, which has no plural (key `many`).
pub fn count(lang: Lang, n: u64, one: &'static str, many: &'static str) -> String {
    match lang {
        Lang::En => crate::model::plural::count(n, t(lang, one), t(lang, many)),
        Lang::Ja => format!("{} {}", crate::model::plural::grouped(n), t(lang, many)),
    }
}

/// ISO 3166-1 alpha-2 codes with their English and Japanese names: the countries and regions a
/// case of this kind names (East and South-East Asia, the Americas, Europe and the EU, Oceania,
/// the larger economies elsewhere). A code not listed is shown as the code alone.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AE", "United Arab Emirates", "アラブ首長国連邦"),
    ("AR", "Argentina", "アルゼンチン"),
    ("AT", "Austria", "オーストリア"),
    ("AU", "Australia", "オーストラリア"),
    ("BD", "Bangladesh", "バングラデシュ"),
    ("BE", "Belgium", "ベルギー"),
    ("BG", "Bulgaria", "ブルガリア"),
    ("BR", "Brazil", "ブラジル"),
    ("CA", "Canada", "カナダ"),
    ("CH", "Switzerland", "スイス"),
    ("CL", "Chile", "チリ"),
    ("CN", "China", "中国"),
    ("CO", "Colombia", "コロンビア"),
    ("CY", "Cyprus", "キプロス"),
    ("CZ", "Czechia", "チェコ"),
    ("DE", "Germany", "ドイツ"),
    ("DK", "Denmark", "デンマーク"),
    ("EE", "Estonia", "エストニア"),
    ("EG", "Egypt", "エジプト"),
    ("ES", "Spain", "スペイン"),
    ("FI", "Finland", "フィンランド"),
    ("FR", "France", "フランス"),
    ("GB", "United Kingdom", "英国"),
    ("GR", "Greece", "ギリシャ"),
    ("HK", "Hong Kong", "香港"),
    ("HR", "Croatia", "クロアチア"),
    ("HU", "Hungary", "ハンガリー"),
    ("ID", "Indonesia", "インドネシア"),
    ("IE", "Ireland", "アイルランド"),
    ("IL", "Israel", "イスラエル"),
    ("IN", "India", "インド"),
    ("IS", "Iceland", "アイスランド"),
    ("IT", "Italy", "イタリア"),
    ("JP", "Japan", "日本"),
    ("KH", "Cambodia", "カンボジア"),
    ("KR", "Republic of Korea", "韓国"),
    ("LA", "Laos", "ラオス"),
    ("LI", "Liechtenstein", "リヒテンシュタイン"),
    ("LK", "Sri Lanka", "スリランカ"),
    ("LT", "Lithuania", "リトアニア"),
    ("LU", "Luxembourg", "ルクセンブルク"),
    ("LV", "Latvia", "ラトビア"),
    ("MM", "Myanmar", "ミャンマー"),
    ("MN", "Mongolia", "モンゴル"),
    ("MO", "Macao", "マカオ"),
    ("MT", "Malta", "マルタ"),
    ("MX", "Mexico", "メキシコ"),
    ("MY", "Malaysia", "マレーシア"),
    ("NL", "Netherlands", "オランダ"),
    ("NO", "Norway", "ノルウェー"),
    ("NP", "Nepal", "ネパール"),
    ("NZ", "New Zealand", "ニュージーランド"),
    ("PE", "Peru", "ペルー"),
    ("PH", "Philippines", "フィリピン"),
    ("PK", "Pakistan", "パキスタン"),
    ("PL", "Poland", "ポーランド"),
    ("PT", "Portugal", "ポルトガル"),
    ("RO", "Romania", "ルーマニア"),
    ("RU", "Russia", "ロシア"),
    ("SA", "Saudi Arabia", "サウジアラビア"),
    ("SE", "Sweden", "スウェーデン"),
    ("SG", "Singapore", "シンガポール"),
    ("SI", "Slovenia", "スロベニア"),
    ("SK", "Slovakia", "スロバキア"),
    ("TH", "Thailand", "タイ"),
    ("TR", "Türkiye", "トルコ"),
    ("TW", "Taiwan", "台湾"),
    ("UA", "Ukraine", "ウクライナ"),
    ("US", "United States", "米国"),
    ("VN", "Viet Nam", "ベトナム"),
    ("ZA", "South Africa", "南アフリカ"),
];

/// A country code as the report names it: `Japan (JP)` / `日本 (JP)`; a code the table does
/// not hold stays as written, and an empty code is empty.
pub fn country(lang: Lang, code: &str) -> String {
    let upper = code.trim().to_ascii_uppercase();
    match COUNTRIES.iter().find(|(c, _, _)| *c == upper) {
        Some((c, en, ja)) => match lang {
            Lang::En => format!("{en} ({c})"),
            Lang::Ja => format!("{ja} ({c})"),
        },
        None => code.to_string(),
    }
}

/// [`country`], or "(unknown)" for an empty code.
pub fn country_or_unknown(lang: Lang, code: &str) -> String {
    if code.trim().is_empty() {
        t(lang, "unknown_country").to_string()
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
    let all = |n: u64| n == total && total > 1;
    let mut parts = Vec::new();
    if f.with_offset() > 0 {
        let offsets: Vec<String> = f
            .offsets
            .iter()
            .map(|(o, n)| {
                let o = match (o.as_str(), lang) {
                    ("Z", Lang::En) => "Z, UTC".to_string(),
                    ("Z", Lang::Ja) => "Z、UTC".to_string(),
                    ("other", Lang::En) => "a zone named in the text".to_string(),
                    ("other", Lang::Ja) => "文中のタイムゾーン名".to_string(),
                    (o, _) => o.to_string(),
                };
                if f.offsets.len() > 1 {
                    format!("{o}: {}", crate::model::plural::grouped(*n))
                } else {
                    o
                }
            })
            .collect();
        let n = f.with_offset();
        parts.push(match lang {
            Lang::En => format!(
                "{}{} carried {} own UTC offset ({})",
                if all(n) { "all " } else { "" },
                crate::model::plural::count(n, "time", "times"),
                if n == 1 { "its" } else { "their" },
                offsets.join(", ")
            ),
            Lang::Ja => format!(
                "{}{}件の時刻は自身のUTCオフセット（{}）付き",
                if all(n) { "全" } else { "" },
                crate::model::plural::grouped(n),
                offsets.join("、")
            ),
        });
    }
    if f.epoch > 0 {
        parts.push(match lang {
            Lang::En => format!(
                "{}{} were epoch numbers (UTC)",
                if all(f.epoch) { "all " } else { "" },
                crate::model::plural::count(f.epoch, "time", "times")
            ),
            Lang::Ja => format!(
                "{}件はエポック秒（UTC）",
                crate::model::plural::grouped(f.epoch)
            ),
        });
    }
    if f.naive > 0 {
        parts.push(match lang {
            Lang::En => format!(
                "{}{} had no offset and {} read in {zone} ({how})",
                if all(f.naive) { "all " } else { "" },
                crate::model::plural::count(f.naive, "time", "times"),
                if f.naive == 1 { "was" } else { "were" }
            ),
            Lang::Ja => format!(
                "{}件はオフセットがなく、{zone}（{how}）の時刻として読込",
                crate::model::plural::grouped(f.naive)
            ),
        });
    } else {
        parts.push(match lang {
            Lang::En => format!("the zone {zone} ({how}) was not needed"),
            Lang::Ja => format!("タイムゾーン {zone}（{how}）は使用されていません"),
        });
    }
    let mut s = parts.join(match lang {
        Lang::En => "; ",
        Lang::Ja => "。",
    });
    if lang == Lang::En
        && let Some(first) = s.get(..1)
    {
        s = first.to_uppercase() + &s[1..];
    }
    s.push(match lang {
        Lang::En => '.',
        Lang::Ja => '。',
    });
    s
}

/// How the source's zone was chosen, as its recorded rule says.
fn zone_how(lang: Lang, rule: &str) -> &'static str {
    let key = if rule.contains("(declared)") {
        "zone_declared"
    } else if rule.contains("(from the mapping profile)") {
        "zone_profile"
    } else if rule.contains("DEFAULT: no zone was declared") {
        "zone_default"
    } else {
        "zone_recorded"
    };
    t(lang, key)
}

pub const TEXTS: &[(&str, &str, &str)] = &[
    (
        "title",
        "Report on access to personal data",
        "個人データへのアクセスに関する報告書",
    ),
    (
        "ppc_heading",
        "Items of the breach report to the Personal Information Protection Commission (PPC)",
        "個人情報保護委員会への漏えい等報告の事項",
    ),
    (
        "gdpr_heading",
        "Notification of a personal data breach (GDPR Art. 33)",
        "個人データ侵害の通知（GDPR第33条）",
    ),
    ("case", "Case", "案件"),
    ("generated", "Generated", "作成日時"),
    ("investigator", "Investigator", "調査担当者"),
    ("display_zone", "Display time zone", "表示タイムゾーン"),
    ("scope", "Scope", "対象範囲"),
    ("redaction", "Redaction", "マスキング"),
    ("tool", "Tool", "ツール"),
    ("outline", "1. Outline", "1. 概要"),
    (
        "items",
        "2. Items of personal data",
        "2. 漏えい等が発生し、又は発生したおそれがある個人データの項目",
    ),
    (
        "persons",
        "3. Number of persons affected",
        "3. 漏えい等が発生し、又は発生したおそれがある個人データに係る本人の数",
    ),
    ("cause", "4. Cause", "4. 原因"),
    (
        "secondary",
        "5. Secondary damage or risk of it",
        "5. 二次被害又はそのおそれの有無及びその内容",
    ),
    (
        "response",
        "6. Response to affected persons",
        "6. 本人への対応の実施状況",
    ),
    (
        "announcement",
        "7. Public announcement",
        "7. 公表の実施状況",
    ),
    (
        "prevention",
        "8. Measures to prevent recurrence",
        "8. 再発防止のための措置",
    ),
    (
        "other",
        "9. Other matters for reference",
        "9. その他参考となる事項",
    ),
    (
        "gdpr_nature",
        "(a) Nature of the breach: categories and approximate numbers of data subjects and records",
        "(a) 侵害の性質（データ主体及び記録の種類とおおよその数）",
    ),
    (
        "gdpr_contact",
        "(b) Contact point (data protection officer)",
        "(b) 連絡先（データ保護責任者）",
    ),
    (
        "gdpr_consequences",
        "(c) Likely consequences",
        "(c) 想定される結果",
    ),
    (
        "gdpr_measures",
        "(d) Measures taken or proposed",
        "(d) 講じた又は講じる予定の措置",
    ),
    ("from_case", "From the case data", "案件データより"),
    (
        "narrative_missing",
        "Not yet written. Enter it in the app: Export → Report text.",
        "未記入です。アプリの「エクスポート → 報告書の文章」で入力してください。",
    ),
    ("category", "Data category", "データ項目"),
    ("events", "events", "件（イベント）"),
    ("event", "event", "件（イベント）"),
    ("entry", "entry", "件"),
    ("entries", "entries", "件"),
    (
        "subject_unit_one",
        "person (distinct data subject)",
        "人（重複なしの本人数）",
    ),
    (
        "actor_unit_one",
        "person or account",
        "件（人物・アカウント）",
    ),
    (
        "actors_unit",
        "persons and accounts",
        "件（人物・アカウント）",
    ),
    ("recorded_rule", "Recorded rule", "記録された読込規則"),
    ("zone_declared", "declared", "指定"),
    (
        "zone_profile",
        "from the mapping profile",
        "マッピングプロファイルによる",
    ),
    (
        "zone_default",
        "the default: no zone was declared",
        "既定値：タイムゾーンの指定なし",
    ),
    ("zone_recorded", "as recorded", "記録のとおり"),
    ("event_missing", "not in the case", "本案件にありません"),
    ("access_events", "Access events", "アクセス（イベント数）"),
    ("refused", "Refused attempts", "拒否された試行"),
    ("subjects", "Distinct data subjects", "本人の数（重複なし）"),
    (
        "subjects_unit",
        "persons (distinct data subjects)",
        "人（重複なしの本人数）",
    ),
    ("country", "Country of the data subject", "本人の国・地域"),
    ("unknown_country", "(unknown)", "（不明）"),
    ("total", "Total", "合計"),
    ("at_least", "at least", "少なくとも"),
    (
        "coverage_note",
        "Counts come from the access logs in the case and cover only the periods those logs cover; where logs are missing the true numbers may be higher (\"at least\").",
        "件数は本案件に取り込んだアクセスログに基づき、ログが存在する期間のみを対象とします。ログの欠落がある場合、実際の数はこれを上回る可能性があります（「少なくとも」）。",
    ),
    ("findings", "Findings", "調査結果（検出事項）"),
    (
        "findings_none",
        "The rules found nothing in this scope.",
        "この対象範囲ではルールに該当する事項はありません。",
    ),
    ("findings_unit", "Findings", "件数（検出事項）"),
    ("finding", "Finding", "検出事項"),
    ("evidence_events", "evidence events", "件の根拠イベント"),
    ("evidence_event", "evidence event", "件の根拠イベント"),
    ("rule", "Rule", "ルール"),
    ("definition", "Definition", "定義"),
    ("count", "Count", "件数"),
    ("disposition", "Disposition", "判断"),
    ("severity", "Severity", "重大度"),
    ("persons_col", "Persons", "人物"),
    ("period", "Period", "期間"),
    ("timeline", "Timeline of access events", "アクセスの時系列"),
    (
        "timeline_note",
        "Access events per month by the actor's organization; red rules are milestones. Months in the display zone.",
        "月ごと・組織ごとのアクセス数。赤線はマイルストーン。月は表示タイムゾーンによる。",
    ),
    (
        "by_country_chart",
        "Distinct data subjects by country",
        "国・地域別の本人数",
    ),
    (
        "actors",
        "Persons and accounts who accessed the data",
        "データにアクセスした人物・アカウント",
    ),
    ("person", "Person", "人物"),
    ("organization", "Organization", "組織"),
    ("actor_country", "Works in", "勤務国"),
    ("first", "First", "初回"),
    ("last", "Last", "最終"),
    ("systems", "Systems", "システム"),
    ("system", "System", "システム"),
    ("storage_country", "Data stored in", "保存国"),
    (
        "annotations",
        "Investigator's annotations",
        "調査担当者の注記",
    ),
    ("no_annotations", "No annotations.", "注記はありません。"),
    ("target", "On", "対象"),
    ("kind", "Kind", "種別"),
    ("text", "Text", "内容"),
    ("author", "By", "記入者"),
    ("at", "At", "日時"),
    (
        "appendix",
        "Appendix A. Chronology per person",
        "付録A. 人物別の時系列",
    ),
    (
        "appendix_note",
        "One row per day with an event of the person (days in the display zone).",
        "イベントのあった日ごとに1行（日付は表示タイムゾーン）。",
    ),
    ("date", "Date", "日付"),
    ("methodology", "Appendix B. Methodology", "付録B. 調査方法"),
    ("sources", "Sources", "取込元ファイル"),
    ("file", "File", "ファイル"),
    ("format", "Format", "形式"),
    ("zone", "Zone", "タイムゾーン"),
    ("rows_read", "Rows read", "読込行数"),
    ("rows_imported", "Imported", "取込件数"),
    ("rows_rejected", "Rejected", "除外件数"),
    (
        "rejects_heading",
        "Rejected rows that could change these counts",
        "これらの件数に影響し得る除外行",
    ),
    (
        "rejects_note",
        "rows of access logs could not be read at import (for example an impossible date or an empty time), so they are in none of the counts above, yet each may record an access; those counts are therefore at least the figures given. The command retrace rejects CASE --mentions shows each row's text.",
        "行のアクセスログは取込時に読み取れず（存在しない日付、空の時刻など）、上記のどの件数にも含まれていませんが、いずれもアクセスを記録している可能性があります。したがって上記の件数は「少なくとも」の値です。各行の内容はコマンド retrace rejects CASE --mentions で確認できます。",
    ),
    ("rejects_place", "File:line", "ファイル:行"),
    ("rejects_reason", "Why it was rejected", "除外の理由"),
    (
        "rejects_mentions",
        "Known accounts, persons and data subjects it mentions",
        "記載されている既知のアカウント・人物・本人",
    ),
    (
        "rejects_more",
        "more rejected rows: the command retrace rejects CASE --mentions lists them.",
        "行の除外行があります。コマンド retrace rejects CASE --mentions で一覧できます。",
    ),
    (
        "rejects_incomplete",
        "Not every rejected row was read for mentions (there are more than 100,000).",
        "除外行が100,000行を超えるため、すべての行は照合されていません。",
    ),
    ("kind_src", "Kind", "種類"),
    ("definitions", "Definitions", "定義"),
    (
        "def_access",
        "An access event is an event whose outcome is neither denied nor failed; refused attempts are counted separately. A data subject is affected when an access event touched it.",
        "アクセスとは結果が拒否・失敗でないイベントをいいます。拒否された試行は別に数えます。アクセスのあったイベントが対象とした本人を影響を受けた本人とします。",
    ),
    ("rule_params", "Rules' parameters", "ルールのパラメータ"),
    (
        "custody_head",
        "Custody log head (SHA-256 chain)",
        "証拠保全ログの先頭ハッシュ（SHA-256連鎖）",
    ),
    (
        "custody_signature",
        "Custody log head signature (Ed25519)",
        "証拠保全ログ先頭の署名（Ed25519）",
    ),
    ("unsigned", "unsigned", "署名なし"),
    ("case_id", "Case id", "案件ID"),
    ("event_id", "event", "イベント"),
    ("range", "range", "期間"),
    (
        "no_events",
        "No events in scope.",
        "対象範囲にイベントはありません。",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_both_languages_and_keys_are_unique() {
        let mut seen = std::collections::HashSet::new();
        for (k, en, ja) in TEXTS {
            assert!(seen.insert(*k), "duplicate key {k}");
            assert!(!en.is_empty() && !ja.is_empty(), "{k}");
        }
        assert_eq!(t(Lang::Ja, "cause"), "4. 原因");
        // Every key the report asks for exists (a missing one would print the bare key).
        for src in [include_str!("html.rs"), include_str!("mod.rs")] {
            for pat in ["tr(\"", "t(lang, \"", "i18n::t(lang, \""] {
                for (i, _) in src.match_indices(pat) {
                    let before = src[..i].chars().next_back().unwrap_or(' ');
                    if before.is_alphanumeric() || before == '_' {
                        continue; // e.g. push_str("...")
                    }
                    let rest = &src[i + pat.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    assert!(
                        TEXTS.iter().any(|(k, _, _)| *k == key),
                        "no text for key {key:?}"
                    );
                }
            }
        }
        assert_eq!(category(Lang::Ja, "phone"), "電話番号 (phone)");
    }

    #[test]
    fn plurals_in_the_report_singular_for_one_and_counters_in_japanese() {
        for (one, many) in [
            ("event", "events"),
            ("entry", "entries"),
            ("subject_unit_one", "subjects_unit"),
            ("actor_unit_one", "actors_unit"),
            ("evidence_event", "evidence_events"),
        ] {
            for k in [one, many] {
                assert!(TEXTS.iter().any(|(key, _, _)| *key == k), "no text for {k}");
            }
        }
        assert_eq!(count(Lang::En, 1, "event", "events"), "1 event");
        assert_eq!(count(Lang::En, 6208, "event", "events"), "6,208 events");
        assert_eq!(
            count(Lang::En, 28, "actor_unit_one", "actors_unit"),
            "28 persons and accounts"
        );
        assert_eq!(
            count(Lang::En, 1, "subject_unit_one", "subjects_unit"),
            "1 person (distinct data subject)"
        );
        assert_eq!(count(Lang::Ja, 1, "event", "events"), "1 件（イベント）");
        assert_eq!(count(Lang::Ja, 1234, "entry", "entries"), "1,234 件");
    }

    #[test]
    fn report_country_names_name_the_country_and_keep_the_code() {
        assert_eq!(country(Lang::En, "JP"), "Japan (JP)");
        assert_eq!(country(Lang::Ja, "JP"), "日本 (JP)");
        assert_eq!(country(Lang::En, "kr"), "Republic of Korea (KR)");
        assert_eq!(country(Lang::Ja, "CN"), "中国 (CN)");
        // A code the table does not hold stays as written; an empty one is "unknown".
        assert_eq!(country(Lang::En, "XK"), "XK");
        assert_eq!(country(Lang::En, ""), "");
        assert_eq!(country_or_unknown(Lang::Ja, " "), "（不明）");
        let codes: Vec<&str> = COUNTRIES.iter().map(|c| c.0).collect();
        let mut sorted = codes.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(codes, sorted, "codes sorted and unique");
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
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
