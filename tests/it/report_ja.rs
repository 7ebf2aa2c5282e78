//! The Japanese PPC report of the sample case (issue 19, part 4): every item of the PPC's
//! breach report is a heading, and the findings' tables name rules, severities, statuses,
//! titles and explanations in Japanese. What is still English (the import's recorded reading
//! rules and the rules' parameter descriptions) is listed in the closing note.

use retrace::ops::export::{ExportScope, Lang};

use crate::report_wording::report;
use crate::util::{self, TestDir};

const PPC_ITEMS: [&str; 9] = [
    "概要",
    "漏えい等が発生し、又は発生したおそれがある個人データの項目",
    "本人の数",
    "原因",
    "二次被害又はそのおそれの有無及びその内容",
    "本人への対応の実施状況",
    "公表の実施状況",
    "再発防止のための措置",
    "その他参考となる事項",
];

/// The text of every table cell of the report.
fn cells(html: &str) -> Vec<String> {
    html.split("<td")
        .skip(1)
        .filter_map(|c| {
            let body = &c[c.find('>')? + 1..];
            let end = body.find("</td>")?;
            Some(body[..end].to_string())
        })
        .collect()
}

#[test]
fn the_japanese_ppc_report_has_every_item_and_japanese_findings() {
    let t = TestDir::new();
    let (mut case, _) = util::build_sample_case(&t);
    let ja = report(&mut case, ExportScope::Case, Lang::Ja, &t.path("ja"));
    let headings: Vec<&str> = ja
        .split("<h3>")
        .skip(1)
        .filter_map(|h| h.split("</h3>").next())
        .collect();
    for item in PPC_ITEMS {
        assert!(
            headings.iter().any(|h| h.contains(item)),
            "the PPC item {item} is a heading: {headings:?}"
        );
    }
    let cells = cells(&ja);
    assert!(
        cells.len() > 100,
        "found the tables ({} cells)",
        cells.len()
    );
    for english in [
        "cross_border",
        "off_hours",
        "unsupervised",
        "high",
        "low",
        "open",
    ] {
        let hits: Vec<&String> = cells.iter().filter(|c| c.as_str() == english).collect();
        assert!(
            hits.is_empty(),
            "a cell reads {english:?} in the Japanese report"
        );
    }
    assert!(
        ja.contains("越境アクセス"),
        "the cross-border rule by its Japanese name"
    );
    assert!(ja.contains("未判断"), "open findings say so in Japanese");
    assert!(!ja.contains(" open<"), "group statuses in Japanese");
    let en = report(&mut case, ExportScope::Case, Lang::En, &t.path("en"));
    assert!(
        en.contains(">cross_border<"),
        "English keeps the rule identifiers"
    );
}
