//! The rules' parameters: documented defaults, overridden per case by rows of
//! `finding_param` (rule, key, JSON value). One table ([`SPECS`]) names every parameter, so the
//! CLI, the app and the README list the same set.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::{Case, CaseError, Result};

/// Who `outside_approval` looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalScope {
    /// Only people who hold at least one approval in the case: those for whom approvals are
    /// the access-control regime. Staff who never needed one (the operator's own employees)
    /// would otherwise make every one of their sessions a finding.
    ApprovalHolders,
    /// Every person in the roster.
    Everyone,
}

impl ApprovalScope {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalScope::ApprovalHolders => "approval_holders",
            ApprovalScope::Everyone => "everyone",
        }
    }
}

/// Every parameter of every rule, with its current value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Params {
    /// `session.gap_minutes`: a session ends when the next access comes this long or later.
    pub session_gap_minutes: i64,
    /// `outside_approval.scope`.
    pub outside_approval_scope: ApprovalScope,
    /// `unsupervised.window_minutes`: how far before a session's start and after its end the
    /// overseer's activity on the same system counts as oversight.
    pub unsupervised_window_minutes: i64,
    /// `off_hours.start_hour`: working hours start (local hour, 0–23, inclusive).
    pub off_hours_start_hour: u32,
    /// `off_hours.end_hour`: working hours end (local hour, 1–24, exclusive).
    pub off_hours_end_hour: u32,
    /// `off_hours.weekends`: Saturday and Sunday count as off-hours.
    pub off_hours_weekends: bool,
    /// `bulk.max_records`: a session touching at least this many records is bulk.
    pub bulk_max_records: i64,
    /// `bulk.norm_factor`: … or more than this many times the person's 95th-percentile session.
    pub bulk_norm_factor: f64,
    /// `bulk.min_records`: the norm test applies only to sessions of at least this many records.
    pub bulk_min_records: i64,
    /// `bulk.min_sessions`: … and only to people with at least this many sessions.
    pub bulk_min_sessions: i64,
    /// `new_reach.baseline_days`: first touches within this many days of a person's first
    /// access are their baseline, not findings.
    pub new_reach_baseline_days: i64,
    /// `coverage_gap.min_hours`: a gap is at least this many hours without an event.
    pub gap_min_hours: i64,
    /// `coverage_gap.factor`: … and at least this many times the source's 99th-percentile
    /// silence.
    pub gap_factor: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            session_gap_minutes: crate::analysis::DEFAULT_SESSION_GAP_MINUTES,
            outside_approval_scope: ApprovalScope::ApprovalHolders,
            unsupervised_window_minutes: 20,
            off_hours_start_hour: 8,
            off_hours_end_hour: 20,
            off_hours_weekends: true,
            bulk_max_records: 1000,
            bulk_norm_factor: 2.0,
            bulk_min_records: 100,
            bulk_min_sessions: 20,
            new_reach_baseline_days: 30,
            gap_min_hours: 24,
            gap_factor: 2.0,
        }
    }
}

/// One parameter: where it lives and what it means.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ParamSpec {
    pub rule: &'static str,
    pub key: &'static str,
    pub description: &'static str,
}

/// Every parameter, in the order the app and the CLI list them.
pub const SPECS: &[ParamSpec] = &[
    ParamSpec {
        rule: "session",
        key: "gap_minutes",
        description: "a session ends when a person's next access comes this many minutes or later after the previous one (all rules work on sessions)",
    },
    ParamSpec {
        rule: "outside_approval",
        key: "scope",
        description: "\"approval_holders\": only people who hold at least one approval; \"everyone\": every person in the roster",
    },
    ParamSpec {
        rule: "unsupervised",
        key: "window_minutes",
        description: "the overseer must have activity on the same system from this many minutes before the session's start to this many after its end",
    },
    ParamSpec {
        rule: "off_hours",
        key: "start_hour",
        description: "working hours start at this local hour (0-23, in the person's own zone)",
    },
    ParamSpec {
        rule: "off_hours",
        key: "end_hour",
        description: "working hours end at this local hour (1-24, exclusive)",
    },
    ParamSpec {
        rule: "off_hours",
        key: "weekends",
        description: "true: Saturday and Sunday (local) are off-hours all day",
    },
    ParamSpec {
        rule: "bulk",
        key: "max_records",
        description: "a session that touches at least this many records is bulk",
    },
    ParamSpec {
        rule: "bulk",
        key: "norm_factor",
        description: "a session is also bulk when its records exceed this many times the person's 95th-percentile session",
    },
    ParamSpec {
        rule: "bulk",
        key: "min_records",
        description: "the norm test applies only to sessions of at least this many records",
    },
    ParamSpec {
        rule: "bulk",
        key: "min_sessions",
        description: "the norm test applies only to people with at least this many sessions",
    },
    ParamSpec {
        rule: "new_reach",
        key: "baseline_days",
        description: "systems and categories first touched within this many days of the person's first access are their baseline",
    },
    ParamSpec {
        rule: "coverage_gap",
        key: "min_hours",
        description: "a gap is a run of at least this many whole UTC hours without any event of a source",
    },
    ParamSpec {
        rule: "coverage_gap",
        key: "factor",
        description: "and at least this many times the source's 99th-percentile run of empty hours (what is normal for it)",
    },
];

impl Params {
    /// The defaults with the case's stored overrides applied. A stored value this build cannot
    /// use is an error naming it.
    pub fn from_case(case: &Case) -> Result<Params> {
        let mut p = Params::default();
        for row in case.finding_params()? {
            let value: serde_json::Value = serde_json::from_str(&row.value).map_err(|e| {
                CaseError::Invalid(format!(
                    "stored parameter {}.{} is not JSON ({e})",
                    row.rule, row.key
                ))
            })?;
            p.set(&row.rule, &row.key, &value).map_err(|e| {
                CaseError::Invalid(format!("stored parameter {}.{}: {e}", row.rule, row.key))
            })?;
        }
        Ok(p)
    }

    /// The current value of one parameter.
    pub fn get(&self, rule: &str, key: &str) -> Option<serde_json::Value> {
        use serde_json::json;
        Some(match (rule, key) {
            ("session", "gap_minutes") => json!(self.session_gap_minutes),
            ("outside_approval", "scope") => json!(self.outside_approval_scope.as_str()),
            ("unsupervised", "window_minutes") => json!(self.unsupervised_window_minutes),
            ("off_hours", "start_hour") => json!(self.off_hours_start_hour),
            ("off_hours", "end_hour") => json!(self.off_hours_end_hour),
            ("off_hours", "weekends") => json!(self.off_hours_weekends),
            ("bulk", "max_records") => json!(self.bulk_max_records),
            ("bulk", "norm_factor") => json!(self.bulk_norm_factor),
            ("bulk", "min_records") => json!(self.bulk_min_records),
            ("bulk", "min_sessions") => json!(self.bulk_min_sessions),
            ("new_reach", "baseline_days") => json!(self.new_reach_baseline_days),
            ("coverage_gap", "min_hours") => json!(self.gap_min_hours),
            ("coverage_gap", "factor") => json!(self.gap_factor),
            _ => return None,
        })
    }

    /// Sets one parameter, checking its type and range; the error says what is accepted.
    pub fn set(
        &mut self,
        rule: &str,
        key: &str,
        value: &serde_json::Value,
    ) -> std::result::Result<(), String> {
        let int = |lo: i64, hi: i64| -> std::result::Result<i64, String> {
            match value.as_i64() {
                Some(v) if (lo..=hi).contains(&v) => Ok(v),
                _ => Err(format!(
                    "expects a whole number from {lo} to {hi}, not {value}"
                )),
            }
        };
        let float = |lo: f64| -> std::result::Result<f64, String> {
            match value.as_f64() {
                Some(v) if v >= lo && v.is_finite() => Ok(v),
                _ => Err(format!("expects a number of at least {lo}, not {value}")),
            }
        };
        match (rule, key) {
            ("session", "gap_minutes") => self.session_gap_minutes = int(1, 7 * 24 * 60)?,
            ("outside_approval", "scope") => {
                self.outside_approval_scope = match value.as_str() {
                    Some("approval_holders") => ApprovalScope::ApprovalHolders,
                    Some("everyone") => ApprovalScope::Everyone,
                    _ => {
                        return Err(format!(
                            "expects \"approval_holders\" or \"everyone\", not {value}"
                        ));
                    }
                }
            }
            ("unsupervised", "window_minutes") => {
                self.unsupervised_window_minutes = int(0, 7 * 24 * 60)?
            }
            ("off_hours", "start_hour") => self.off_hours_start_hour = int(0, 23)? as u32,
            ("off_hours", "end_hour") => self.off_hours_end_hour = int(1, 24)? as u32,
            ("off_hours", "weekends") => {
                self.off_hours_weekends = value
                    .as_bool()
                    .ok_or_else(|| format!("expects true or false, not {value}"))?
            }
            ("bulk", "max_records") => self.bulk_max_records = int(1, i64::MAX)?,
            ("bulk", "norm_factor") => self.bulk_norm_factor = float(1.0)?,
            ("bulk", "min_records") => self.bulk_min_records = int(0, i64::MAX)?,
            ("bulk", "min_sessions") => self.bulk_min_sessions = int(1, i64::MAX)?,
            ("new_reach", "baseline_days") => self.new_reach_baseline_days = int(0, 100_000)?,
            ("coverage_gap", "min_hours") => self.gap_min_hours = int(1, 1_000_000)?,
            ("coverage_gap", "factor") => self.gap_factor = float(0.0)?,
            _ => {
                return Err(format!(
                    "no parameter {rule}.{key}; the parameters are {}",
                    SPECS
                        .iter()
                        .map(|s| format!("{}.{}", s.rule, s.key))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if self.off_hours_start_hour >= self.off_hours_end_hour {
            return Err(format!(
                "off_hours.start_hour ({}) must be before off_hours.end_hour ({})",
                self.off_hours_start_hour, self.off_hours_end_hour
            ));
        }
        Ok(())
    }

    /// Parses `rule.key=value` (value as JSON, or as a bare word for text parameters).
    pub fn parse_assignment(
        text: &str,
    ) -> std::result::Result<(String, String, serde_json::Value), String> {
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| format!("{text:?}: expected rule.key=value"))?;
        let (rule, key) = name.trim().split_once('.').ok_or_else(|| {
            format!("{name:?}: expected rule.key (for example unsupervised.window_minutes)")
        })?;
        let value = value.trim();
        let json = serde_json::from_str(value)
            .unwrap_or_else(|_| serde_json::Value::String(value.to_string()));
        Ok((rule.to_string(), key.to_string(), json))
    }

    /// The parameters one rule uses (plus the session gap every rule depends on), for a
    /// finding's `parameters`.
    pub fn for_rule(&self, rule: &str) -> BTreeMap<String, serde_json::Value> {
        SPECS
            .iter()
            .filter(|s| s.rule == rule || (s.rule == "session" && rule != "coverage_gap"))
            .filter_map(|s| Some((format!("{}.{}", s.rule, s.key), self.get(s.rule, s.key)?)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spec_has_a_value_and_round_trips() {
        let mut p = Params::default();
        for s in SPECS {
            let v = p.get(s.rule, s.key).expect(s.key);
            p.set(s.rule, s.key, &v).unwrap();
        }
        assert_eq!(p, Params::default());
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        let mut p = Params::default();
        let e = p
            .set("unsupervised", "window_minutes", &serde_json::json!(-3))
            .unwrap_err();
        assert!(e.contains("whole number"), "{e}");
        let e = p.set("nope", "x", &serde_json::json!(1)).unwrap_err();
        assert!(e.contains("no parameter nope.x"), "{e}");
        let e = p
            .set("off_hours", "start_hour", &serde_json::json!(21))
            .unwrap_err();
        assert!(e.contains("before"), "{e}");
    }

    #[test]
    fn assignments_parse_json_or_bare_words() {
        let (r, k, v) = Params::parse_assignment("outside_approval.scope=everyone").unwrap();
        assert_eq!((r.as_str(), k.as_str()), ("outside_approval", "scope"));
        assert_eq!(v, serde_json::json!("everyone"));
        let (_, _, v) = Params::parse_assignment("bulk.norm_factor = 4.5").unwrap();
        assert_eq!(v, serde_json::json!(4.5));
        assert!(Params::parse_assignment("bulk").is_err());
    }
}
