//! Operations both front ends call: import files, build the sample case, generate data sets,
//! verify a case, benchmark. Each long one takes a progress sink and a cancel token.

pub mod bench;
mod import;
pub mod lookup_bench;
pub mod sample;

pub use import::{ImportReport, ImportRequest, import_file};

/// Who is acting: `RETRACE_INVESTIGATOR`, else the login name, else "unknown".
pub fn investigator() -> String {
    std::env::var("RETRACE_INVESTIGATOR")
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}
