//! The session rule, once: a session is a maximal run of one person's access events in time
//! order whose consecutive gaps are shorter than the gap. The person tables kept at import,
//! the person page and the findings all cut sessions here, so they agree.

/// The default session gap in minutes: a new session starts when a person's next access comes
/// this long or later after their previous one.
pub const SESSION_GAP_MINUTES: i64 = 30;

/// [`SESSION_GAP_MINUTES`] in microseconds: the gap the stored per-person sessions are cut with.
pub const SESSION_GAP_US: i64 = SESSION_GAP_MINUTES * US_PER_MINUTE;

/// Microseconds in a minute.
pub const US_PER_MINUTE: i64 = 60_000_000;

/// Whether an access at `next_us` belongs to the session of one at `prev_us` (earlier): the
/// rule itself, a gap shorter than `gap_us`.
pub fn same_session(prev_us: i64, next_us: i64, gap_us: i64) -> bool {
    next_us - prev_us < gap_us
}

/// Cuts access times, fed in time order, into sessions.
#[derive(Debug, Clone, Copy)]
pub struct Sessionizer {
    gap_us: i64,
    last_us: Option<i64>,
}

impl Sessionizer {
    pub fn new(gap_us: i64) -> Sessionizer {
        Sessionizer {
            gap_us,
            last_us: None,
        }
    }

    /// Takes the next access time; true when it opens a new session (the first access, or one
    /// `gap_us` or more after the previous access).
    pub fn opens_session(&mut self, ts_us: i64) -> bool {
        let opens = self
            .last_us
            .is_none_or(|last| !same_session(last, ts_us, self.gap_us));
        self.last_us = Some(ts_us);
        opens
    }
}

/// A session over a time-ordered list: its first and last access time and the index range
/// `lo..=hi` of the list (items inside the range that are not accesses belong to no session).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionSpan {
    pub start_us: i64,
    pub end_us: i64,
    pub lo: usize,
    pub hi: usize,
}

/// The sessions of `items` (sorted by time): `ts` gives an item's time, `access` whether it is
/// an access (other items are skipped).
pub fn session_spans<T>(
    items: &[T],
    ts: impl Fn(&T) -> i64,
    access: impl Fn(&T) -> bool,
    gap_us: i64,
) -> Vec<SessionSpan> {
    let mut cut = Sessionizer::new(gap_us);
    let mut out: Vec<SessionSpan> = Vec::new();
    for (i, item) in items.iter().enumerate().filter(|(_, e)| access(e)) {
        let t = ts(item);
        if cut.opens_session(t) {
            out.push(SessionSpan {
                start_us: t,
                end_us: t,
                lo: i,
                hi: i,
            });
        } else if let Some(s) = out.last_mut() {
            s.end_us = t;
            s.hi = i;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_at_the_gap_and_skips_non_accesses() {
        // (ts minutes, access)
        let evs = [
            (0, true),
            (29, true),
            (40, false),
            (59, true),
            (89, true),
            (90, false),
        ];
        let spans = session_spans(&evs, |e| e.0 * US_PER_MINUTE, |e| e.1, SESSION_GAP_US);
        let got: Vec<(usize, usize)> = spans.iter().map(|s| (s.lo, s.hi)).collect();
        // 29 -> 59 is 30 minutes: a new session; 59 -> 89 is 30 minutes again.
        assert_eq!(got, vec![(0, 1), (3, 3), (4, 4)]);
        assert_eq!(spans[0].end_us, 29 * US_PER_MINUTE);
    }
}
