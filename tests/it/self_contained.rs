//! A clone with nothing beside it runs every test: no test, fixture script or source file names
//! a folder outside the repository (the project's own machines have a `shared` folder beside
//! the checkout; a user's, a packager's or CI's clone does not).

use std::path::{Path, PathBuf};

fn text_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            // Build output and the fuzzer's generated corpus are not sources.
            if !p.ends_with("target") && !p.ends_with("corpus") && !p.ends_with("artifacts") {
                text_files(&p, out);
            }
        } else if p.extension().is_some_and(|x| {
            ["rs", "sh", "toml", "md", "yml", "yaml"]
                .iter()
                .any(|e| x == *e)
        }) || p.file_name().is_some_and(|n| n == "run")
        {
            out.push(p);
        }
    }
}

#[test]
fn no_test_or_source_reads_beside_the_checkout() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["src", "tests", "fuzz", ".ci"] {
        text_files(&root.join(dir), &mut files);
    }
    files.push(root.join("Cargo.toml"));
    assert!(
        files.len() > 50,
        "the scan found the sources: {}",
        files.len()
    );
    // Spelled in two pieces so that this file does not match itself.
    let needle = format!("..{}shared", '/');
    let mut offenders = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if line.contains(&needle) {
                offenders.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "files name a folder beside the checkout:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn every_vendored_sample_is_listed_with_its_hash() {
    let dir = crate::util::realdata("");
    let sources = std::fs::read_to_string(dir.join("SOURCES.md")).unwrap();
    let mut n = 0;
    for sub in std::fs::read_dir(&dir).unwrap() {
        let sub = sub.unwrap().path();
        if !sub.is_dir() || sub.ends_with("LICENSES") {
            continue;
        }
        for f in std::fs::read_dir(&sub).unwrap() {
            let f = f.unwrap().path();
            let bytes = std::fs::read(&f).unwrap();
            let sha = sha256_hex(&bytes);
            let name = f.file_name().unwrap().to_string_lossy().into_owned();
            assert!(
                sources.contains(&format!("file: {name}\n")),
                "{name} has an entry in SOURCES.md"
            );
            assert!(
                sources.contains(&format!("bytes: {}  sha256: {sha}", bytes.len())),
                "{name}: SOURCES.md gives its size and SHA-256 ({} bytes, {sha})",
                bytes.len()
            );
            n += 1;
        }
    }
    assert!(n >= 20, "{n} samples");
    assert!(dir.join("LICENSES/Apache-2.0.txt").is_file());
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
