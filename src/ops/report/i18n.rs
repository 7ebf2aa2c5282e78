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
}
