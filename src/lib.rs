//! Retrace: reconstruct who saw which personal data, and when, from access records.
//!
//! Data flows one way: files -> [`ingest`] -> [`case`] (one SQLite file) -> analysis -> export.
//! [`ops`] holds the operations both front ends call; [`cli`] is the command line and [`gui`]
//! the desktop app.
//! Layering: `model` <- `case` <- `ingest` <- `ops` <- `cli`; only `case` touches SQLite.

pub mod analysis;
pub mod case;
pub mod cli;
pub mod gui;
pub mod i18n;
pub mod ingest;
pub mod jobs;
pub mod model;
pub mod ops;
pub mod signing;
pub mod synth;

/// mimalloc: imports allocate many small strings on the parser thread and free them on the
/// writer thread, a pattern the system allocator handles poorly (measured: ~15% of import
/// instructions were in glibc malloc/free).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
