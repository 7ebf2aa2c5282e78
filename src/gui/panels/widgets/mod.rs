//! Widgets shared by several panels (a panel imports no other panel, so what two panels
//! draw alike lives here).

mod zone_picker;

pub use zone_picker::{ZonePick, ZonePicker};
