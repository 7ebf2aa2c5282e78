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

/// `mi_option_purge_delay` in mimalloc v3's option enum (the `-sys` crate names no constant for
/// it); its default there, 1000 ms, confirms the number before it is changed.
const MI_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const MI_PURGE_DELAY_DEFAULT_MS: std::ffi::c_long = 1000;

/// Pages mimalloc has freed go back to the system 100 ms after they empty instead of 1 s.
/// An import frees batches on the writer thread that the parser allocated, at a high rate:
/// peak RSS of a 7.5 M-row import 524, 525 MiB (default) against 481, 481 MiB, its time the
/// same within the machine's drift (0 ms gave 464–469 MiB but 3 % more time). A delay the user
/// set through `MIMALLOC_PURGE_DELAY` is kept. Call before the work starts. The crate's one
/// use of `unsafe`: two calls into the allocator's own option table, no pointers.
#[allow(unsafe_code)]
pub fn return_freed_memory_sooner() {
    // SAFETY: plain calls into the allocator's option table, valid at any time.
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_PURGE_DELAY) == MI_PURGE_DELAY_DEFAULT_MS
            && std::env::var_os("MIMALLOC_PURGE_DELAY").is_none()
        {
            libmimalloc_sys::mi_option_set(MI_PURGE_DELAY, 100);
        }
    }
}

#[cfg(test)]
#[allow(unsafe_code)]
mod allocator_tests {
    #[test]
    fn the_purge_delay_option_is_the_one_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        super::return_freed_memory_sooner();
        // SAFETY: as above.
        let now = unsafe { libmimalloc_sys::mi_option_get(super::MI_PURGE_DELAY) };
        assert_eq!(now, 100);
        // The option next to it is the deprecated eager-commit delay, whose default is 1: had
        // the enum moved, the number would name another option and its default would differ.
        let next = unsafe { libmimalloc_sys::mi_option_get(super::MI_PURGE_DELAY - 1) };
        assert_eq!(next, 1);
    }
}
