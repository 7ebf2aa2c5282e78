//! Fonts: egui's defaults plus a bundled CJK subset (Noto Sans CJK, SIL OFL 1.1; see
//! `assets/README.md`) as the last fallback of both families, so Japanese, Chinese and Korean
//! names and messages render on any machine.

use egui::{FontData, FontInsert, FontPriority, InsertFontFamily};

/// Noto Sans CJK JP cut down to JIS X 0208, GB 2312 and KS X 1001 Hangul (see assets/).
static CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJK-Subset.otf");

pub fn install(ctx: &egui::Context) {
    ctx.add_font(FontInsert::new(
        "noto-sans-cjk-subset",
        FontData::from_static(CJK_FONT),
        vec![
            InsertFontFamily {
                family: egui::FontFamily::Proportional,
                priority: FontPriority::Lowest,
            },
            InsertFontFamily {
                family: egui::FontFamily::Monospace,
                priority: FontPriority::Lowest,
            },
        ],
    ));
}
