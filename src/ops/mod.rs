//! Operations both front ends call: import files, build the sample case, generate data sets,
//! verify a case, benchmark. Each long one takes a progress sink and a cancel token.

pub mod bench;
mod bench_parquet;
pub mod export;
pub mod filter_bench;
mod import;
pub mod lookup_bench;
mod pipe;
pub mod repair_lines;
pub mod report;
pub mod sample;
pub mod verify_deep;
pub mod verify_inputs;
mod verify_lines;

pub use import::{
    FileImport, ImportReport, ImportRequest, ImportWatch, import_file, import_files,
    is_already_imported,
};

/// Who is acting: `RETRACE_INVESTIGATOR`, else the name saved in this machine's settings
/// (`retrace investigator NAME`, or asked once by the app), else the login name, else "unknown".
pub fn investigator() -> String {
    std::env::var("RETRACE_INVESTIGATOR")
        .ok()
        .filter(|s| !s.trim().is_empty())
        .or_else(export::settings::saved_investigator)
        .ok_or(std::env::VarError::NotPresent)
        .or_else(|_| std::env::var("USER"))
        .or_else(|_| std::env::var("USERNAME"))
        .ok()
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "unknown".into())
}
