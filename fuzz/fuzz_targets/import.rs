//! One input = a selector byte and a file. The selector picks how the file is read: detected
//! (0), declared as one of the formats (1..=18), or as a roster (19..=25, detected or declared
//! kind). The file goes through `ingest::plan` and `ingest::parse_access` /
//! `ingest::roster::parse`, the path `retrace import` takes. A panic, a row count that does not
//! add up, or a reject without a line or a reason is a crash.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use retrace::ingest::{self, Format, SourceOptions};
use retrace::model::Vocabulary;
use retrace::model::roster::SourceKind;

fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("retrace-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&sel, file)) = data.split_first() else {
        return;
    };
    let n_formats = Format::ALL.len() as u8;
    let mut opts = SourceOptions {
        year: Some(2021),
        ..Default::default()
    };
    let sel = sel % (n_formats + 1 + SourceKind::ALL.len() as u8);
    if sel >= 1 && sel <= n_formats {
        opts.format = Some(Format::ALL[sel as usize - 1]);
    } else if sel > n_formats {
        let k = (sel - n_formats - 1) as usize;
        // Access (index 0) stands for "detect the roster kind from the header".
        opts.kind = (k > 0).then(|| SourceKind::ALL[k]);
    }
    let path = scratch().join("input");
    std::fs::write(&path, file).unwrap();
    let Ok(plan) = ingest::plan(&path, &opts) else {
        return;
    };
    let mut vocab = Vocabulary::default();
    if plan.kind != SourceKind::Access {
        if let Ok(p) = ingest::roster::parse(&path, &plan, &mut vocab) {
            assert_eq!(p.rows_read, (p.rows.len() + p.rejects.len()) as u64);
            for r in &p.rejects {
                assert!(r.line > 0 && !r.reason.trim().is_empty(), "{r:?}");
            }
        }
        return;
    }
    let (mut events, mut rejects) = (0u64, 0u64);
    let r = ingest::parse_access(
        &path,
        &plan,
        &mut vocab,
        &mut |b| {
            for e in &b.events {
                assert!(e.line > 0 && e.line_end >= e.line, "event lines {e:?}");
            }
            for r in &b.rejects {
                assert!(r.line > 0 && !r.reason.trim().is_empty(), "{r:?}");
            }
            events += b.events.len() as u64;
            rejects += b.rejects.len() as u64;
            true
        },
        &mut |_| {},
    );
    if let Ok(stats) = r {
        assert_eq!(
            stats.rows_read,
            events + rejects,
            "rows read = events + rejects"
        );
    }
});
