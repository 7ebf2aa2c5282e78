//! The rules' parameters: documented defaults, overridden per case by rows of
//! `finding_param` (rule, key, JSON value). One table ([`SPECS`]) names every parameter, so the
//! CLI, the app and the README list the same set.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use crate::analysis::{AnalysisError, Result};
use crate::case::Case;

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
    /// `cross_border.ip_countries`: `"CIDR=CC"` entries giving the actor's country from the
    /// source IP for accounts with no person (or a person without a country) in the roster.
    pub cross_border_ip_countries: Vec<String>,
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
            cross_border_ip_countries: Vec::new(),
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

impl ParamSpec {
    /// What the parameter means, in `lang` (the English equals `description`).
    pub fn description_in(&self, lang: crate::i18n::Lang) -> String {
        match (self.rule, self.key) {
            ("cross_border", "ip_countries") => {
                crate::tr!(lang, "param-cross-border-ip-countries-description")
            }
            ("session", "gap_minutes") => crate::tr!(lang, "param-session-gap-minutes-description"),
            ("outside_approval", "scope") => {
                crate::tr!(lang, "param-outside-approval-scope-description")
            }
            ("unsupervised", "window_minutes") => {
                crate::tr!(lang, "param-unsupervised-window-minutes-description")
            }
            ("off_hours", "start_hour") => {
                crate::tr!(lang, "param-off-hours-start-hour-description")
            }
            ("off_hours", "end_hour") => crate::tr!(lang, "param-off-hours-end-hour-description"),
            ("off_hours", "weekends") => crate::tr!(lang, "param-off-hours-weekends-description"),
            ("bulk", "max_records") => crate::tr!(lang, "param-bulk-max-records-description"),
            ("bulk", "norm_factor") => crate::tr!(lang, "param-bulk-norm-factor-description"),
            ("bulk", "min_records") => crate::tr!(lang, "param-bulk-min-records-description"),
            ("bulk", "min_sessions") => crate::tr!(lang, "param-bulk-min-sessions-description"),
            ("new_reach", "baseline_days") => {
                crate::tr!(lang, "param-new-reach-baseline-days-description")
            }
            ("coverage_gap", "min_hours") => {
                crate::tr!(lang, "param-coverage-gap-min-hours-description")
            }
            ("coverage_gap", "factor") => crate::tr!(lang, "param-coverage-gap-factor-description"),
            _ => self.description.to_string(),
        }
    }
}

/// Every parameter, in the order the app and the CLI list them.
pub const SPECS: &[ParamSpec] = &[
    ParamSpec {
        rule: "cross_border",
        key: "ip_countries",
        description: "list of \"CIDR=CC\" (IPv4 or IPv6, e.g. \"10.86.0.0/16=CN\"): for accounts with no person in the roster, or whose person has no country, the actor's country is that of the most specific CIDR containing the event's source IP (empty: such accounts are not judged)",
    },
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
        for row in case.findings().finding_params()? {
            let stored = |why: String| AnalysisError::StoredParameter {
                rule: row.rule.clone(),
                key: row.key.clone(),
                why,
            };
            let value: serde_json::Value = serde_json::from_str(&row.value)
                .map_err(|e| stored(format!(" is not JSON ({e})")))?;
            p.set(&row.rule, &row.key, &value)
                .map_err(|e| stored(format!(": {e}")))?;
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
            ("cross_border", "ip_countries") => json!(self.cross_border_ip_countries),
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
            ("cross_border", "ip_countries") => {
                let list = value.as_array().ok_or_else(|| {
                    format!("expects a list of \"CIDR=CC\" strings (e.g. [\"10.86.0.0/16=CN\"]), not {value}")
                })?;
                let mut entries = Vec::with_capacity(list.len());
                for v in list {
                    let text = v.as_str().ok_or_else(|| {
                        format!("expects a list of \"CIDR=CC\" strings, not the entry {v}")
                    })?;
                    IpCountries::parse_entry(text)?;
                    entries.push(text.trim().to_string());
                }
                self.cross_border_ip_countries = entries;
            }
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

/// One `CIDR=CC` entry of `cross_border.ip_countries`, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct IpCountryEntry {
    /// The network address (host bits cleared), IPv4-mapped IPv6 as IPv4.
    pub net: IpAddr,
    pub prefix: u8,
    pub country: String,
    /// The entry as written.
    pub text: String,
}

impl IpCountryEntry {
    fn contains(&self, ip: IpAddr) -> bool {
        match (self.net, ip) {
            (IpAddr::V4(n), IpAddr::V4(a)) => mask_v4(u32::from(a), self.prefix) == u32::from(n),
            (IpAddr::V6(n), IpAddr::V6(a)) => mask_v6(u128::from(a), self.prefix) == u128::from(n),
            _ => false,
        }
    }
}

fn mask_v4(a: u32, prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        a & (u32::MAX << (32 - u32::from(prefix)))
    }
}

fn mask_v6(a: u128, prefix: u8) -> u128 {
    if prefix == 0 {
        0
    } else {
        a & (u128::MAX << (128 - u32::from(prefix)))
    }
}

/// `cross_border.ip_countries`, parsed: the actor's country of a source IP.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IpCountries {
    pub entries: Vec<IpCountryEntry>,
}

impl IpCountries {
    /// Parses the entries; an invalid one is an error naming it.
    pub fn parse(entries: &[String]) -> std::result::Result<IpCountries, String> {
        Ok(IpCountries {
            entries: entries
                .iter()
                .map(|e| IpCountries::parse_entry(e))
                .collect::<std::result::Result<_, _>>()?,
        })
    }

    /// One `CIDR=CC` entry (a bare address is a /32 or /128).
    pub fn parse_entry(text: &str) -> std::result::Result<IpCountryEntry, String> {
        let bad = |why: String| format!("entry {text:?}: {why}");
        let (cidr, cc) = text
            .trim()
            .rsplit_once('=')
            .ok_or_else(|| bad("expected CIDR=CC, e.g. \"10.86.0.0/16=CN\"".into()))?;
        let cc = cc.trim();
        if cc.len() != 2 || !cc.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(bad(format!(
                "{cc:?} is not a country code (two capital letters, ISO 3166 alpha-2)"
            )));
        }
        let cidr = cidr.trim();
        let (addr, len) = match cidr.split_once('/') {
            Some((a, l)) => (a, Some(l)),
            None => (cidr, None),
        };
        let ip: IpAddr = addr
            .trim()
            .parse()
            .map_err(|_| bad(format!("{addr:?} is not an IPv4 or IPv6 address")))?;
        let ip = ip.to_canonical();
        let max: u8 = if ip.is_ipv4() { 32 } else { 128 };
        let prefix = match len {
            None => max,
            Some(l) => match l.trim().parse::<u8>() {
                Ok(n) if n <= max => n,
                _ => return Err(bad(format!("prefix length {l:?} is not 0 to {max}"))),
            },
        };
        let net = match ip {
            IpAddr::V4(a) => IpAddr::V4(Ipv4Addr::from(mask_v4(u32::from(a), prefix))),
            IpAddr::V6(a) => IpAddr::V6(Ipv6Addr::from(mask_v6(u128::from(a), prefix))),
        };
        Ok(IpCountryEntry {
            net,
            prefix,
            country: cc.to_string(),
            text: text.trim().to_string(),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The most specific entry containing the source IP text (`None` when the text is no
    /// address or no entry contains it). Accepts `addr`, `addr:port` and `[v6]:port`.
    pub fn lookup(&self, src_ip: &str) -> Option<&IpCountryEntry> {
        let t = src_ip.trim();
        let ip = t
            .parse::<IpAddr>()
            .ok()
            .or_else(|| t.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))?
            .to_canonical();
        self.entries
            .iter()
            .filter(|e| e.contains(ip))
            .max_by_key(|e| e.prefix)
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

    #[test]
    fn ip_countries_match_v4_v6_most_specific_first() {
        let m = IpCountries::parse(&[
            "10.0.0.0/8=JP".to_string(),
            "10.86.0.0/16=CN".to_string(),
            "10.86.12.0/24=SG".to_string(),
            "2001:db8::/32=DE".to_string(),
            "2001:db8:1::/48=FR".to_string(),
        ])
        .unwrap();
        let cc = |ip: &str| m.lookup(ip).map(|e| e.country.as_str());
        assert_eq!(cc("10.86.12.34"), Some("SG"));
        assert_eq!(cc("10.86.13.1"), Some("CN"));
        assert_eq!(cc("10.1.2.3"), Some("JP"));
        assert_eq!(cc("11.0.0.1"), None);
        assert_eq!(cc("10.86.99.1:443"), Some("CN"));
        assert_eq!(cc("::ffff:10.86.99.1"), Some("CN"));
        assert_eq!(cc("2001:db8:1::5"), Some("FR"));
        assert_eq!(cc("2001:db8:2::5"), Some("DE"));
        assert_eq!(cc("[2001:db8:1::5]:22"), Some("FR"));
        assert_eq!(cc("2001:db9::1"), None);
        assert_eq!(cc("not an ip"), None);
        assert_eq!(m.lookup("10.86.12.34").unwrap().text, "10.86.12.0/24=SG");
        // Host bits are cleared; a bare address is one host.
        let one = IpCountries::parse(&["192.168.1.7/24=KR".into(), "8.8.8.8=US".into()]).unwrap();
        assert_eq!(one.lookup("192.168.1.200").unwrap().country, "KR");
        assert_eq!(one.lookup("8.8.8.8").unwrap().country, "US");
        assert!(one.lookup("8.8.8.9").is_none());
    }

    #[test]
    fn bad_ip_country_entries_are_named() {
        for bad in [
            "10.86.0.0/16",
            "10.86.0.0/33=CN",
            "10.86.0/16=CN",
            "10.86.0.0/16=China",
            "2001:db8::/129=DE",
        ] {
            let e = IpCountries::parse_entry(bad).unwrap_err();
            assert!(e.contains(&format!("{bad:?}")), "{e}");
        }
        let mut p = Params::default();
        let e = p
            .set(
                "cross_border",
                "ip_countries",
                &serde_json::json!(["10.86.0.0/16=CN", "300.1.1.1/8=US"]),
            )
            .unwrap_err();
        assert!(e.contains("300.1.1.1/8=US"), "{e}");
        assert!(p.cross_border_ip_countries.is_empty());
        let e = p
            .set(
                "cross_border",
                "ip_countries",
                &serde_json::json!("10.0.0.0/8=CN"),
            )
            .unwrap_err();
        assert!(e.contains("list"), "{e}");
        p.set(
            "cross_border",
            "ip_countries",
            &serde_json::json!(["10.86.0.0/16=CN"]),
        )
        .unwrap();
        assert_eq!(p.cross_border_ip_countries, vec!["10.86.0.0/16=CN"]);
    }
}
