//! Typed facades over [`Case`], one per area of the case file: `case.timeline()`,
//! `case.findings()`, … borrow the case and carry that area's queries, and
//! `case.writes()` borrows it mutably for the writes outside an import. `Case` itself keeps
//! what is about the file (create, open, path, meta, checks, snapshots). The method bodies
//! live in the area's file (`timeline.rs`, `findings.rs`, …) and reach the connection and the
//! shared helpers through `Deref` to the case, so a facade costs one borrow and nothing else.

use std::ops::{Deref, DerefMut};

use super::Case;

/// Declares a read facade: the struct and its `Deref` to the case. The accessors are written
/// out in the `impl Case` below, where the layering test counts `Case`'s public methods.
macro_rules! read_facade {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name<'c> {
            case: &'c Case,
        }

        impl Deref for $name<'_> {
            type Target = Case;
            #[inline]
            fn deref(&self) -> &Case {
                self.case
            }
        }
    };
}

read_facade!(
    /// The timeline and the event table: filters, column and hour indexes, marks, table
    /// pages, neighbours, accounts and systems (`timeline.rs`).
    Timeline
);
read_facade!(
    /// What the findings scans read: event scans and ranges, account-subject rows, finding
    /// parameters, dispositions and source retention (`findings.rs`).
    Findings
);
read_facade!(
    /// Data subjects: lookups by key, their events and links, names and access coverage
    /// (`subject.rs`, subject links of `read.rs`).
    Subjects
);
read_facade!(
    /// People and accounts: the person list, a person's events and aggregate, unmapped
    /// accounts, approvals, milestones and the roster state (`person_agg.rs`, `read.rs`,
    /// `roster.rs`, `roster_state.rs`).
    People
);
read_facade!(
    /// Imported sources: the source list, rejects, raw lines, stored originals, event detail
    /// and line repairs (`read.rs`, `deep.rs`, `repair.rs`), the extras' size (`write.rs`), the
    /// forms of a source's timestamps and one event's row (`time_forms.rs`).
    Sources
);
read_facade!(
    /// Annotations on the case, its events and findings (`annotation.rs`).
    Annotations
);
read_facade!(
    /// The chain of custody: its entries, head and last entry (`read.rs`, `export_read.rs`,
    /// `verify_custody.rs`; the chain's format is `custody.rs`).
    Custody
);
read_facade!(
    /// What exports read: lookups, event selections and report texts (`export_read.rs`,
    /// `report_text.rs`).
    Export
);
read_facade!(
    /// Integrity checks: `verify`, its derived-table checks (`verify*.rs`) and the stored
    /// schema (`mod.rs`).
    Integrity
);

impl Case {
    /// The timeline and the event table.
    #[inline]
    pub fn timeline(&self) -> Timeline<'_> {
        Timeline { case: self }
    }

    /// What the findings scans read.
    #[inline]
    pub fn findings(&self) -> Findings<'_> {
        Findings { case: self }
    }

    /// Data subjects.
    #[inline]
    pub fn subjects(&self) -> Subjects<'_> {
        Subjects { case: self }
    }

    /// People, accounts and rosters.
    #[inline]
    pub fn people(&self) -> People<'_> {
        People { case: self }
    }

    /// Imported sources, rejects and raw lines.
    #[inline]
    pub fn sources(&self) -> Sources<'_> {
        Sources { case: self }
    }

    /// Annotations.
    #[inline]
    pub fn annotations(&self) -> Annotations<'_> {
        Annotations { case: self }
    }

    /// The chain of custody.
    #[inline]
    pub fn custody(&self) -> Custody<'_> {
        Custody { case: self }
    }

    /// What exports read.
    #[inline]
    pub fn export(&self) -> Export<'_> {
        Export { case: self }
    }

    /// Integrity checks.
    #[inline]
    pub fn integrity(&self) -> Integrity<'_> {
        Integrity { case: self }
    }

    /// The writes outside an import, borrowing the case mutably.
    #[inline]
    pub fn writes(&mut self) -> Writes<'_> {
        Writes { case: self }
    }
}

/// The writes outside an import (which is [`super::SourceImport`]): finding parameters,
/// dispositions, retention, annotations, custody entries, line repairs, report texts, the
/// vocabulary seed and the benchmark's copy, each in its area's file. `set_meta` stays on
/// `Case` (the file's own metadata).
pub struct Writes<'c> {
    case: &'c mut Case,
}

impl Deref for Writes<'_> {
    type Target = Case;
    #[inline]
    fn deref(&self) -> &Case {
        self.case
    }
}

impl DerefMut for Writes<'_> {
    #[inline]
    fn deref_mut(&mut self) -> &mut Case {
        self.case
    }
}
