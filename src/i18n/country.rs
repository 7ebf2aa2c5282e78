//! Countries and regions by their ISO 3166-1 alpha-2 code, named in English and Japanese: for
//! the report (`日本 (JP)`), the findings' texts and the app (`日本` in Japanese, the code as
//! the case holds it in English).

use super::Lang;

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

fn find(code: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    let upper = code.trim().to_ascii_uppercase();
    COUNTRIES.iter().find(|(c, _, _)| *c == upper)
}

/// The country's name in `lang` (`Japan`, `日本`), `None` for a code the table does not hold.
pub fn country_name(lang: Lang, code: &str) -> Option<&'static str> {
    find(code).map(|(_, en, ja)| match lang {
        Lang::En => *en,
        Lang::Ja => *ja,
    })
}

/// A country code as the report names it: `Japan (JP)` / `日本 (JP)`; a code the table does
/// not hold stays as written, and an empty code is empty.
pub fn country_with_code(lang: Lang, code: &str) -> String {
    match find(code) {
        Some((c, en, ja)) => match lang {
            Lang::En => format!("{en} ({c})"),
            Lang::Ja => format!("{ja} ({c})"),
        },
        None => code.to_string(),
    }
}

/// A country code as the app and the findings' texts show it: in English the code as written
/// (`CN`, as the rosters and exports have it), in Japanese the country's name (`中国`); a code
/// the table does not hold stays as written.
pub fn country(lang: Lang, code: &str) -> String {
    match (lang, country_name(lang, code)) {
        (Lang::Ja, Some(name)) => name.to_string(),
        _ => code.to_string(),
    }
}

/// [`country`] of a code that may be missing (`?` when it is, as the app shows an unknown).
pub fn country_or_unknown(lang: Lang, code: Option<&str>) -> String {
    code.map_or_else(|| "?".to_string(), |c| country(lang, c))
}

/// A country code as a field of a person or a system shows it: in English the code as written,
/// in Japanese the name with the code (`中国 (CN)`), so that the roster's value stays visible.
pub fn country_field(lang: Lang, code: &str) -> String {
    match lang {
        Lang::En => code.to_string(),
        Lang::Ja => country_with_code(lang, code),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_are_named_in_japanese_and_keep_their_code_in_english() {
        assert_eq!(country_with_code(Lang::En, "JP"), "Japan (JP)");
        assert_eq!(country_with_code(Lang::Ja, "JP"), "日本 (JP)");
        assert_eq!(country_with_code(Lang::En, "kr"), "Republic of Korea (KR)");
        assert_eq!(country_with_code(Lang::Ja, "CN"), "中国 (CN)");
        assert_eq!(country(Lang::Ja, "CN"), "中国");
        assert_eq!(country(Lang::Ja, " kr "), "韓国");
        assert_eq!(country(Lang::En, "CN"), "CN");
        assert_eq!(
            country(Lang::En, "kr"),
            "kr",
            "English keeps the code as written"
        );
        // A code the table does not hold stays as written.
        assert_eq!(country_with_code(Lang::En, "XK"), "XK");
        assert_eq!(country(Lang::Ja, "XK"), "XK");
        assert_eq!(country_with_code(Lang::En, ""), "");
        assert_eq!(country_name(Lang::Ja, "ZZ"), None);
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
        assert!(
            COUNTRIES
                .iter()
                .all(|(_, _, ja)| !ja.bytes().any(|b| b.is_ascii_alphabetic())),
            "no Latin letter in a Japanese name"
        );
    }
}
