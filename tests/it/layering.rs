//! The module layering of DESIGN.md, checked on the source text: rusqlite only in `case/`,
//! no front-end crate below the front ends, no layer importing one above it, and in the app
//! panels that import no panel and do no file IO. Module paths are matched (`use crate::x`,
//! `crate::x::`, `egui::`) in the code with its comments taken out, not words in comments.

use std::path::{Path, PathBuf};

/// The source without `//` comments (doc comments included).
fn code_of(text: &str) -> String {
    text.lines()
        .map(|l| l.find("//").map_or(l, |i| &l[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `code` uses the module path `path` (`crate::case`, `rusqlite`, `super::export`):
/// the path not continued by more of an identifier, and not the tail of a longer path.
fn uses_path(code: &str, path: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices(path).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = code[i + path.len()..].chars().next();
        !before.is_some_and(|c| ident(c) || c == ':') && !after.is_some_and(ident)
    })
}

fn sources() -> (PathBuf, Vec<PathBuf>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    crate::util::rust_files(&src, &mut files);
    assert!(files.len() > 10, "found the sources");
    (src, files)
}

#[test]
fn modules_only_use_the_layers_below_them() {
    let (src, files) = sources();
    // module -> what it must not mention
    let rules: &[(&str, &[&str])] = &[
        (
            "model",
            &[
                "rusqlite",
                "crate::case",
                "crate::ingest",
                "crate::ops",
                "crate::cli",
                "crate::gui",
            ],
        ),
        (
            "case",
            &[
                "crate::analysis",
                "crate::ingest",
                "crate::ops",
                "crate::cli",
                "crate::gui",
            ],
        ),
        (
            "ingest",
            &["rusqlite", "crate::ops", "crate::cli", "crate::gui"],
        ),
        (
            "synth",
            &[
                "rusqlite",
                "crate::case",
                "crate::ops",
                "crate::cli",
                "crate::gui",
            ],
        ),
        (
            "i18n",
            &[
                "rusqlite",
                "crate::case",
                "crate::analysis",
                "crate::ingest",
                "crate::ops",
                "crate::cli",
                "crate::gui",
            ],
        ),
        (
            "jobs",
            &["rusqlite", "crate::ops", "crate::cli", "crate::gui"],
        ),
        (
            "analysis",
            &[
                "rusqlite",
                "crate::ingest",
                "crate::ops",
                "crate::cli",
                "crate::gui",
            ],
        ),
        ("ops", &["rusqlite", "crate::cli", "crate::gui"]),
        ("cli", &["rusqlite", "crate::gui", "egui", "eframe", "rfd"]),
        ("gui", &["rusqlite", "crate::cli"]),
    ];
    let mut violations = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .to_string();
        let module = top.trim_end_matches(".rs");
        let text = code_of(&std::fs::read_to_string(f).unwrap());
        for (m, banned) in rules {
            if *m != module {
                continue;
            }
            for b in *banned {
                if uses_path(&text, b) {
                    violations.push(format!("{}: uses {b}", rel.display()));
                }
            }
        }
        if module != "gui" && module != "cli" {
            for b in ["egui", "eframe", "egui_extras", "egui_kittest", "rfd"] {
                if uses_path(&text, b) {
                    violations.push(format!("{}: uses {b}", rel.display()));
                }
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layering violations:\n{}",
        violations.join("\n")
    );
}

/// The app's panels read a view and push commands: none imports another panel (shared
/// widgets live in `panels/mod.rs`), and none touches a file, a case connection, a thread or a
/// dialog — the app does, in its job runner and workers.
#[test]
fn panels_import_no_panel_and_do_no_file_io() {
    let (src, files) = sources();
    let panels_dir = src.join("gui").join("panels");
    let panels: Vec<String> = files
        .iter()
        .filter(|f| f.parent() == Some(panels_dir.as_path()))
        .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().to_string()))
        .filter(|n| n != "mod")
        .collect();
    assert!(panels.len() > 5, "found the panels: {panels:?}");
    // Paths whose use means a side effect (a file, a case connection, a thread, a dialog).
    let side_effects = [
        "std::fs",
        "std::thread",
        "fs::read",
        "fs::read_to_string",
        "fs::write",
        "fs::create_dir_all",
        "fs::remove_file",
        "fs::rename",
        "File::open",
        "File::create",
        "thread::spawn",
        "thread::Builder",
        "Case::open",
        "Case::open_read_only",
        "Case::create",
        "rfd",
        "Job::start",
        "settings::load",
        "settings::save",
        "settings::saved_investigator",
        "ops::investigator",
        "signing::process_key",
    ];
    let mut violations = Vec::new();
    for f in files.iter().filter(|f| f.starts_with(&panels_dir)) {
        let rel = f.strip_prefix(&src).unwrap().display().to_string();
        let me = f.file_stem().unwrap().to_string_lossy().to_string();
        let text = code_of(&std::fs::read_to_string(f).unwrap());
        for p in panels.iter().filter(|p| **p != me) {
            for path in [format!("super::{p}"), format!("crate::gui::panels::{p}")] {
                if uses_path(&text, &path) {
                    violations.push(format!("{rel}: imports the panel {path}"));
                }
            }
        }
        for b in side_effects {
            if uses_path(&text, b) {
                violations.push(format!("{rel}: {b} (side effects belong to the app)"));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "panel violations:\n{}",
        violations.join("\n")
    );
}

/// The path matcher itself: module paths count, comments and longer names do not.
#[test]
fn the_layering_check_matches_paths_not_words() {
    let code =
        code_of("use crate::case::Case; // not crate::gui here\nlet x = crate::ingest_more;");
    assert!(uses_path(&code, "crate::case"));
    assert!(!uses_path(&code, "crate::gui"), "a comment is not a use");
    assert!(
        !uses_path(&code, "crate::ingest"),
        "a longer name is not the module"
    );
    assert!(uses_path("egui::Ui", "egui"));
    assert!(
        !uses_path("a::egui::Ui", "egui"),
        "the tail of another path"
    );
    assert!(!uses_path("regui::x", "egui"));
}

/// The public inherent methods of `Case`, from the source text of its `impl Case {` blocks
/// (`file: name`). An `impl Case` that is not at the start of a line (in a macro, say) would
/// hide its methods from the count, so it is reported as one.
fn case_methods(src: &Path, files: &[PathBuf]) -> Vec<String> {
    let case_dir = src.join("case");
    let mut out = Vec::new();
    for f in files.iter().filter(|f| f.starts_with(&case_dir)) {
        let rel = f.strip_prefix(src).unwrap().display().to_string();
        let text = code_of(&std::fs::read_to_string(f).unwrap());
        let mut in_impl = false;
        for line in text.lines() {
            if line == "impl Case {" {
                in_impl = true;
            } else if in_impl && line == "}" {
                in_impl = false;
            } else if in_impl && let Some(rest) = line.strip_prefix("    pub fn ") {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                out.push(format!("{rel}: {name}"));
            } else if !in_impl
                && line.trim_start().starts_with("impl Case")
                && line != "impl Case {"
            {
                out.push(format!(
                    "{rel}: an `impl Case` the count cannot read: {line}"
                ));
            }
        }
    }
    out
}

/// Issue 17: `Case` is no god type. It keeps what is about the file (create, open, path,
/// meta, checks, snapshots) and hands out one typed facade per area (`case.timeline()`,
/// `case.findings()`, …, `case.writes()`); a new query goes on its area's facade. The count
/// was 88 before the split, 29 after it (19 about the file, 10 facade accessors).
#[test]
fn case_keeps_the_file_and_hands_out_facades() {
    let (src, files) = sources();
    let methods = case_methods(&src, &files);
    assert!(
        methods.iter().any(|m| m.ends_with(": timeline")),
        "found the facades: {methods:?}"
    );
    assert!(
        methods.len() <= 30,
        "{} public methods on `Case` (at most 30): put area queries on their facade \
         (case/facade.rs)\n{}",
        methods.len(),
        methods.join("\n")
    );
}

/// Issue 17: the SQLite side files (`-wal`, `-shm`, `-journal`) are named only in `case/`,
/// which owns the file and its side files; elsewhere a string literal ending in one (a path
/// built from one) is a violation. Words in messages (`its -journal is still there`) are not.
/// And the `CaseError::Invalid` catch-all is constructed by the case layer alone; other
/// layers have their own error types.
#[test]
fn side_files_and_case_errors_stay_in_case() {
    let (src, files) = sources();
    let case_dir = src.join("case");
    let mut violations = Vec::new();
    for f in files.iter().filter(|f| !f.starts_with(&case_dir)) {
        let rel = f.strip_prefix(&src).unwrap();
        let text = code_of(&std::fs::read_to_string(f).unwrap());
        for side in ["-wal\"", "-shm\"", "-journal\""] {
            if text.contains(side) {
                violations.push(format!(
                    "{}: names the side file {}",
                    rel.display(),
                    side.trim_end_matches('"')
                ));
            }
        }
        if text.contains("CaseError::Invalid") {
            violations.push(format!("{}: constructs CaseError::Invalid", rel.display()));
        }
    }
    assert!(
        violations.is_empty(),
        "outside case/:\n{}",
        violations.join("\n")
    );
}
