//! Approvals and the events they cover: the one rule ([`covers`]: same system, valid_from ≤
//! ts ≤ valid_to, for the approval's person) and what an event's ticket says about it
//! ([`ticket_cover`]), so that a ticket written on an event its approval does not cover is
//! called out instead of reading as an authorization.

use crate::case::ApprovalRow;

/// Whether `approval` covers an event at `ts_us` on `system` (the approval's person is
/// checked by the caller, or with [`covers_event`]).
pub fn covers(approval: &ApprovalRow, system: Option<&str>, ts_us: i64) -> bool {
    Some(approval.system.as_str()) == system
        && approval.valid_from_us <= ts_us
        && ts_us <= approval.valid_to_us
}

/// [`covers`], for the event's person too.
pub fn covers_event(
    approval: &ApprovalRow,
    person_key: Option<&str>,
    system: Option<&str>,
    ts_us: i64,
) -> bool {
    Some(approval.person_key.as_str()) == person_key && covers(approval, system, ts_us)
}

/// What the rosters say about the ticket written on an event.
#[derive(Debug, Clone, PartialEq)]
pub enum TicketCover {
    /// An approval with this ticket covers the event (its person, system and time).
    Covers(ApprovalRow),
    /// Approvals carry this ticket, but none covers the event: they are listed.
    DoesNotCover(Vec<ApprovalRow>),
    /// No approval in the rosters carries this ticket.
    NoApproval,
}

/// The approvals carrying `ticket` and whether one covers an event of `person_key` on
/// `system` at `ts_us`.
pub fn ticket_cover(
    approvals: &[ApprovalRow],
    ticket: &str,
    person_key: Option<&str>,
    system: Option<&str>,
    ts_us: i64,
) -> TicketCover {
    let with_ticket: Vec<&ApprovalRow> = approvals
        .iter()
        .filter(|a| a.ticket.as_deref() == Some(ticket))
        .collect();
    if with_ticket.is_empty() {
        return TicketCover::NoApproval;
    }
    match with_ticket
        .iter()
        .find(|a| covers_event(a, person_key, system, ts_us))
    {
        Some(a) => TicketCover::Covers((*a).clone()),
        None => TicketCover::DoesNotCover(with_ticket.into_iter().cloned().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approval(person: &str, system: &str, from: i64, to: i64, ticket: &str) -> ApprovalRow {
        ApprovalRow {
            person_key: person.into(),
            system: system.into(),
            valid_from_us: from,
            valid_to_us: to,
            approver_key: None,
            overseer_key: None,
            ticket: Some(ticket.into()),
        }
    }

    #[test]
    fn a_ticket_covers_only_its_person_system_and_period() {
        let approvals = vec![
            approval("P1", "db", 100, 200, "T-1"),
            approval("P2", "db", 100, 900, "T-2"),
        ];
        let at =
            |person, system, ts| ticket_cover(&approvals, "T-1", Some(person), Some(system), ts);
        assert!(matches!(at("P1", "db", 100), TicketCover::Covers(_)));
        assert!(matches!(at("P1", "db", 200), TicketCover::Covers(_)));
        // After the approval ended, on another system, or for another person: not covered.
        for (person, system, ts) in [("P1", "db", 201), ("P1", "crm", 150), ("P2", "db", 150)] {
            match at(person, system, ts) {
                TicketCover::DoesNotCover(a) => assert_eq!(a.len(), 1),
                other => panic!("{person} {system} {ts}: {other:?}"),
            }
        }
        assert_eq!(
            ticket_cover(&approvals, "T-9", Some("P1"), Some("db"), 150),
            TicketCover::NoApproval
        );
    }
}
