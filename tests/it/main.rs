//! Integration tests: one binary, shared helpers in `util`.

mod case_file;
mod cli;
mod crash;
mod custody;
mod export;
mod findings;
mod formats;
mod fuzz;
mod gui;
mod gui_errors;
mod gui_export;
mod gui_findings;
mod gui_lookup;
mod hostile;
mod import;
mod injection;
mod layering;
mod person;
mod sample;
mod signing;
mod subject;
mod tamper;
mod tamper_inputs;
mod util;
