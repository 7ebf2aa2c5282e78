//! Domain types with no IO: events as the importers produce them, data categories, outcomes,
//! roster rows, and the time helpers that turn timestamp text into UTC microseconds.
//!
//! Everything here is plain data; the case file (`case`) stores it and the importers (`ingest`)
//! produce it.

pub mod category;
pub mod encoding;
pub mod event;
pub mod roster;
pub mod subject;
pub mod time;

pub use category::{CategorySet, Vocabulary};
pub use event::{NewEvent, Outcome};
pub use time::{TsFlags, parse_zone};
