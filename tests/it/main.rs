//! Integration tests: one binary, shared helpers in `util`.

mod case_file;
mod cli;
mod formats;
mod gui;
mod import;
mod layering;
mod sample;
mod util;
