//! The failures of analysis itself, beside those of the case it reads (`CaseError`, passed
//! through unchanged). Each message is the one the commands and panels show.

use crate::case::CaseError;

#[derive(Debug, thiserror::Error)]
pub enum AnalysisError {
    /// Reading the case failed; the case's own message (it names the file).
    #[error(transparent)]
    Case(#[from] CaseError),
    /// A rule name the command line or a caller gave that is no rule.
    #[error("no rule {rule:?}; the rules are {known}")]
    UnknownRule { rule: String, known: String },
    /// A findings parameter stored in the case that this build cannot use.
    #[error("stored parameter {rule}.{key}{why}")]
    StoredParameter {
        rule: String,
        key: String,
        /// ` is not JSON (...)` or `: <reason>`, as the message reads.
        why: String,
    },
    /// `cross_border.ip_countries` does not parse.
    #[error("{0}")]
    IpCountries(String),
    /// A scan thread could not be started.
    #[error("cannot start a scan thread: {0}")]
    ThreadStart(#[source] std::io::Error),
    /// A scan thread panicked; names the scan.
    #[error("{0} panicked")]
    ThreadPanicked(&'static str),
    /// Writing an answer out (CSV) failed.
    #[error("writing CSV: {0}")]
    WritingCsv(#[source] std::io::Error),
}

pub type Result<T> = std::result::Result<T, AnalysisError>;
