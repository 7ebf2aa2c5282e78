//! Findings' titles and explanations in the reader's language. The rules keep their English
//! `title` / `explanation` (exports, the custody log and tests read them) and also record a
//! structured message (Fluent id + arguments) from which the text is rendered in any language
//! (assets/i18n/*/findings-text.ftl). A finding without a message renders its English text.

use crate::i18n::{self, Arg, Lang};

use super::{Finding, Rule};

/// A value for one variable of a finding's message. Numbers are kept as text where the
/// English wording prints them ungrouped, so the English rendering equals the `format!` one.
#[derive(Debug, Clone, PartialEq)]
pub enum MsgArg {
    Text(String),
    Count(u64),
    /// A word a message selects its wording by (`in_force`, `yes`): not data, never shown.
    Select(&'static str),
    /// A data category's name: shown through `findings-category` (the Japanese name of a
    /// standard category, a custom one as named).
    Category(String),
    /// Messages rendered in the same language and joined by `findings-list-separator`.
    List(Vec<Msg>),
    /// Country codes (ISO 3166-1 alpha-2, as the rosters hold them): in English the codes as
    /// written, joined by commas (`CN, KR`); in Japanese the countries' names (`中国、韓国`), a
    /// code without a name as written.
    Countries(Vec<String>),
    /// An instant (UTC µs): RFC 3339 in English (`format_utc`), the Japanese form in Japanese
    /// (`2021年2月24日（水） 01:15:03 UTC`).
    Time(i64),
}

/// A Fluent message id and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Msg {
    pub id: &'static str,
    pub args: Vec<(&'static str, MsgArg)>,
}

impl Msg {
    pub fn new(id: &'static str) -> Msg {
        Msg {
            id,
            args: Vec::new(),
        }
    }

    pub fn text(mut self, name: &'static str, value: impl Into<String>) -> Msg {
        self.args.push((name, MsgArg::Text(value.into())));
        self
    }

    pub fn count(mut self, name: &'static str, value: u64) -> Msg {
        self.args.push((name, MsgArg::Count(value)));
        self
    }

    pub fn select(mut self, name: &'static str, value: &'static str) -> Msg {
        self.args.push((name, MsgArg::Select(value)));
        self
    }

    pub fn category(mut self, name: &'static str, value: impl Into<String>) -> Msg {
        self.args.push((name, MsgArg::Category(value.into())));
        self
    }

    /// One country code (see [`MsgArg::Countries`]).
    pub fn country(self, name: &'static str, code: impl Into<String>) -> Msg {
        self.countries(name, [code.into()])
    }

    /// Country codes, in the order given (see [`MsgArg::Countries`]).
    pub fn countries<S: Into<String>>(
        mut self,
        name: &'static str,
        codes: impl IntoIterator<Item = S>,
    ) -> Msg {
        let codes = codes.into_iter().map(Into::into).collect();
        self.args.push((name, MsgArg::Countries(codes)));
        self
    }

    pub fn time(mut self, name: &'static str, ts_us: i64) -> Msg {
        self.args.push((name, MsgArg::Time(ts_us)));
        self
    }

    pub fn list(mut self, name: &'static str, parts: Vec<Msg>) -> Msg {
        self.args.push((name, MsgArg::List(parts)));
        self
    }

    pub fn render(&self, lang: Lang) -> String {
        let args: Vec<(&str, Arg)> = self
            .args
            .iter()
            .map(|(k, v)| {
                let a = match v {
                    MsgArg::Text(s) => Arg::from(s.as_str()),
                    MsgArg::Count(n) => Arg::from(*n),
                    MsgArg::Select(s) => Arg::from(*s),
                    MsgArg::Category(c) => {
                        Arg::from(crate::tr!(lang, "findings-category", category = c.as_str()))
                    }
                    MsgArg::Countries(codes) => Arg::from(
                        codes
                            .iter()
                            .map(|c| i18n::country(lang, c))
                            .collect::<Vec<_>>()
                            .join(&crate::tr!(lang, "findings-country-separator")),
                    ),
                    MsgArg::Time(ts) => Arg::from(match lang {
                        Lang::En => crate::model::time::format_utc(*ts),
                        Lang::Ja => i18n::format_in_zone(lang, *ts, chrono_tz::UTC),
                    }),
                    MsgArg::List(parts) => Arg::from(
                        parts
                            .iter()
                            .map(|m| m.render(lang))
                            .collect::<Vec<_>>()
                            .join(&crate::tr!(lang, "findings-list-separator")),
                    ),
                };
                (*k, a)
            })
            .collect();
        i18n::t_args(lang, self.id, &args)
    }

    /// The data values of the message and of its parts (texts, counts, category names), for
    /// checks that a translation shows no other English.
    pub fn data_values(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (_, v) in &self.args {
            match v {
                MsgArg::Text(s) | MsgArg::Category(s) => out.push(s.clone()),
                MsgArg::Count(n) => out.push(n.to_string()),
                MsgArg::Countries(codes) => out.extend(codes.iter().cloned()),
                MsgArg::Time(ts) => out.push(i18n::format_in_zone(Lang::Ja, *ts, chrono_tz::UTC)),
                MsgArg::Select(_) => {}
                MsgArg::List(parts) => out.extend(parts.iter().flat_map(Msg::data_values)),
            }
        }
        out
    }
}

/// The messages of a finding's title and explanation (none: the English text is used).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FindingText {
    pub title: Option<Msg>,
    pub explanation: Option<Msg>,
}

impl Finding {
    /// The title in `lang` (its English text when no message was recorded).
    pub fn title_in(&self, lang: Lang) -> String {
        self.text
            .title
            .as_ref()
            .map_or_else(|| self.title.clone(), |m| m.render(lang))
    }

    /// The explanation in `lang` (its English text when no message was recorded).
    pub fn explanation_in(&self, lang: Lang) -> String {
        self.text
            .explanation
            .as_ref()
            .map_or_else(|| self.explanation.clone(), |m| m.render(lang))
    }
}

impl Rule {
    /// The rule's name for readers: its identifier in English (`cross_border`, as exports
    /// and the README name it), a translated name in Japanese.
    pub fn name_in(self, lang: Lang) -> String {
        match lang {
            Lang::En => self.as_str().to_string(),
            Lang::Ja => match self {
                Rule::CrossBorder => crate::tr!(lang, "findings-rule-cross-border"),
                Rule::OutsideApproval => crate::tr!(lang, "findings-rule-outside-approval"),
                Rule::Unsupervised => crate::tr!(lang, "findings-rule-unsupervised"),
                Rule::AfterRevocation => crate::tr!(lang, "findings-rule-after-revocation"),
                Rule::OffHours => crate::tr!(lang, "findings-rule-off-hours"),
                Rule::Bulk => crate::tr!(lang, "findings-rule-bulk"),
                Rule::NewReach => crate::tr!(lang, "findings-rule-new-reach"),
                Rule::CoverageGap => crate::tr!(lang, "findings-rule-coverage-gap"),
            },
        }
    }
}

/// A severity in `lang` (the stored word is English).
pub fn severity_in(lang: Lang, s: super::Severity) -> String {
    use super::Severity;
    match s {
        Severity::Info => crate::tr!(lang, "findings-severity-info"),
        Severity::Low => crate::tr!(lang, "findings-severity-low"),
        Severity::Medium => crate::tr!(lang, "findings-severity-medium"),
        Severity::High => crate::tr!(lang, "findings-severity-high"),
    }
}

/// A disposition status in `lang` (the stored word is English).
pub fn status_in(lang: Lang, s: crate::model::DispositionStatus) -> String {
    use crate::model::DispositionStatus;
    match s {
        DispositionStatus::Open => crate::tr!(lang, "findings-status-open"),
        DispositionStatus::Confirmed => crate::tr!(lang, "findings-status-confirmed"),
        DispositionStatus::Dismissed => crate::tr!(lang, "findings-status-dismissed"),
    }
}

/// `count` in a finding's unit, through the catalog (`findings-count-*`): `1,234 access
/// events` / `1,234件のアクセスイベント`, singular for one. The one way the app and the report
/// say what a finding counts.
pub fn unit_count(lang: Lang, unit: crate::model::CountUnit, count: u64) -> String {
    use crate::model::CountUnit;
    let id = match unit {
        CountUnit::AccessEvents => "findings-count-access-events",
        CountUnit::RefusedAttempts => "findings-count-refused-attempts",
        CountUnit::Records => "findings-count-records",
        CountUnit::DistinctDataSubjects => "findings-count-distinct-data-subjects",
        CountUnit::HoursWithoutEvents => "findings-count-hours-without-events",
        CountUnit::HoursNotRetained => "findings-count-hours-not-retained",
    };
    crate::i18n::t_args(lang, id, &[("count", count.into())])
}

/// [`super::count_phrase`] of `unit` in `lang`: in English the rules' own phrase, as the
/// finding stores it (`1234 access events`, digits ungrouped); in Japanese [`unit_count`],
/// `少なくとも` before it when the count is a bound.
pub fn count_phrase_in(
    lang: Lang,
    count: u64,
    unit: crate::model::CountUnit,
    at_least: bool,
) -> String {
    if lang == Lang::En {
        return super::count_phrase(count, unit.as_str(), at_least);
    }
    let n = unit_count(lang, unit, count);
    if at_least {
        crate::tr!(lang, "findings-count-at-least", phrase = n)
    } else {
        n
    }
}

impl Finding {
    /// [`Finding::count_text`] in `lang`.
    pub fn count_text_in(&self, lang: Lang) -> String {
        count_phrase_in(lang, self.count, self.unit, self.at_least)
    }
}
