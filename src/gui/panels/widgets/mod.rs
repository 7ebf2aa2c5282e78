//! Widgets shared by several panels (a panel imports no other panel, so what two panels
//! draw alike lives here).

mod counting;
mod zone_picker;

pub use counting::counting_ui;
pub use zone_picker::{ZonePick, ZonePicker};
