//! The `retrace` binary end to end.
