//! The module layering of DESIGN.md, checked on the source text: rusqlite only in `case/`,
//! no front-end crate below the front ends, and no layer importing one above it.

use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn modules_only_use_the_layers_below_them() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
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
            &["crate::ingest", "crate::ops", "crate::cli", "crate::gui"],
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
        let text = std::fs::read_to_string(f).unwrap();
        for (m, banned) in rules {
            if *m != module {
                continue;
            }
            for b in *banned {
                if text.contains(b) {
                    violations.push(format!("{}: mentions {b}", rel.display()));
                }
            }
        }
        if module != "gui" {
            for b in ["egui", "eframe", "rfd::"] {
                if text.contains(b) && module != "cli" {
                    violations.push(format!("{}: mentions {b}", rel.display()));
                }
            }
        }
    }
    assert!(files.len() > 10, "found the sources");
    assert!(
        violations.is_empty(),
        "layering violations:\n{}",
        violations.join("\n")
    );
}
