//! Evidence fidelity (issue 15): every event cites the lines that hold its record, whatever the
//! line ends; nothing read is dropped without a reject or a flag; UTF-16 without a BOM; one read
//! of the file; leap seconds and zone abbreviations.

use std::path::Path;

use retrace::case::Case;
use retrace::ingest::{Profile, SourceOptions};
use retrace::jobs::{CancelToken, NoProgress};
use retrace::model::TsFlags;
use retrace::model::encoding::TextEncoding;
use retrace::model::time::format_utc;

use crate::util::{TestDir, import, import_forced, options, retrace};

/// (line, line_end, the record's text as `show` prints it) of every event of the case's last
/// source, in file order.
fn cited(case: &Case) -> Vec<(i64, i64, String)> {
    let s = case.sources().list().unwrap().pop().unwrap();
    let (Some(first), Some(last)) = (s.first_event_id, s.last_event_id) else {
        return Vec::new();
    };
    (first..=last)
        .map(|id| {
            let d = case.sources().event_detail(id).unwrap().unwrap();
            (d.row.line, d.line_end, d.raw_text)
        })
        .collect()
}

/// The line (1-based) byte `at` is on, counted here one byte at a time: LF, CRLF and a lone
/// CR end a line.
fn line_at(text: &[u8], at: usize) -> i64 {
    let mut line = 1;
    for i in 0..at {
        let ends = match text[i] {
            b'\n' => true,
            b'\r' => text.get(i + 1) != Some(&b'\n'),
            _ => false,
        };
        if ends {
            line += 1;
        }
    }
    line
}

fn spawn<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> std::thread::JoinHandle<T> {
    std::thread::Builder::new()
        .name("lines-test".into())
        .spawn(f)
        .expect("spawn")
}

fn deep_problems(case: &Case) -> Vec<String> {
    retrace::ops::verify_deep::verify_deep(case, &NoProgress, &CancelToken::new())
        .unwrap()
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.what, p.why))
        .collect()
}

/// One CSV in many dialects: LF, CRLF, lone CR, mixed; a BOM; blank lines; quoted cells over
/// lines with either ending; the last line with and without its line end.
#[test]
fn every_line_ending_dialect_cites_the_record_lines() {
    let rows = [
        "2024-01-01T00:00:00Z,alice,SELECT",
        "2024-01-01T00:00:01Z,bob,\"two{NL}lines\"",
        "2024-01-01T00:00:02Z,carol,UPDATE",
    ];
    let dialects: [(&str, &[u8], &str, &str, bool); 9] = [
        ("lf", b"", "\n", "\n", true),
        ("crlf", b"", "\r\n", "\r\n", true),
        ("cr", b"", "\r", "\r", true),
        ("crlf, LF in cells", b"", "\r\n", "\n", true),
        ("lf, CRLF in cells", b"", "\n", "\r\n", true),
        ("bom crlf", b"\xEF\xBB\xBF", "\r\n", "\r\n", true),
        ("crlf, no final line end", b"", "\r\n", "\r\n", false),
        ("cr, no final line end", b"\xEF\xBB\xBF", "\r", "\r", false),
        ("mixed", b"", "\r\n\n\r", "\r", true),
    ];
    for (name, bom, nl, cell_nl, final_end) in dialects {
        let t = TestDir::new();
        let mut case = t.new_case();
        let mut text = bom.to_vec();
        let mut spans = Vec::new();
        text.extend_from_slice(format!("time,user,action{nl}{nl}").as_bytes());
        for (i, r) in rows.iter().enumerate() {
            let r = r.replace("{NL}", cell_nl);
            spans.push((text.len(), text.len() + r.len(), r.clone()));
            text.extend_from_slice(r.as_bytes());
            if i + 1 < rows.len() || final_end {
                text.extend_from_slice(nl.as_bytes());
            }
            // A blank line between the first rows.
            if i == 0 {
                text.extend_from_slice(nl.as_bytes());
            }
        }
        let want: Vec<(i64, i64, String)> = spans
            .into_iter()
            .map(|(a, b, r)| (line_at(&text, a), line_at(&text, b - 1), r))
            .collect();
        let p = t.write("dialect.csv", &text);
        import(&mut case, &p, SourceOptions::default()).unwrap();
        let got = cited(&case);
        assert_eq!(got.len(), 3, "{name}");
        for ((gl, ge, gt), (wl, we, wt)) in got.iter().zip(&want) {
            assert_eq!((gl, ge), (wl, we), "{name}: {wt:?}");
            // `show` prints the record's lines; line ends inside read as line breaks.
            let norm = |s: &str| s.replace("\r\n", "\n").replace('\r', "\n");
            assert_eq!(norm(gt), norm(wt), "{name}");
        }
        assert_eq!(deep_problems(&case), Vec::<String>::new(), "{name}");
    }
}

#[test]
fn the_issue_reproduction_shows_the_row_not_the_header() {
    let t = TestDir::new();
    let csv = t.write(
        "c.csv",
        "time,user,host,action\r\n2024-01-01T00:00:00Z,alice,h1,SELECT\r\n",
    );
    let case = t.path("c.retrace");
    let (code, _, err) = retrace(&["import", case.to_str().unwrap(), csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = retrace(&["show", case.to_str().unwrap(), "1"]);
    assert_eq!(code, 0);
    assert!(out.contains("line 2 "), "{out}");
    assert!(
        out.contains("2024-01-01T00:00:00Z,alice,h1,SELECT"),
        "{out}"
    );
    assert!(!out.contains("raw:     time,user"), "{out}");
}

#[test]
fn json_lines_and_line_formats_cite_lines_with_cr_and_crlf() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let p = t.write(
        "a.jsonl",
        "\u{feff}{\"time\":\"2024-01-01T00:00:00Z\",\"user\":\"a\"}\r\n\r\n{\"time\":\"2024-01-01T00:00:01Z\",\"user\":\"b\"}\r{\"time\":\"2024-01-01T00:00:02Z\",\"user\":\"c\"}",
    );
    import(&mut case, &p, SourceOptions::default()).unwrap();
    let lines: Vec<(i64, i64)> = cited(&case).iter().map(|c| (c.0, c.1)).collect();
    assert_eq!(lines, vec![(1, 1), (3, 3), (4, 4)]);
    assert!(cited(&case)[2].2.contains("\"c\""));
    // A line format (RFC 5424 syslog) with lone CR line ends.
    let p = t.write(
        "auth.log",
        "<38>1 2024-01-01T00:00:00Z host sshd 1 - - Accepted password for alice from 10.0.0.1 port 22 ssh2\r<38>1 2024-01-01T00:00:05Z host sshd 1 - - Accepted password for bob from 10.0.0.2 port 22 ssh2\r",
    );
    import(&mut case, &p, SourceOptions::default()).unwrap();
    let got = cited(&case);
    assert_eq!(got.len(), 2);
    assert_eq!((got[1].0, got[1].1), (2, 2));
    assert!(got[1].2.contains("bob"), "{:?}", got[1]);
    assert_eq!(deep_problems(&case), Vec::<String>::new());
}

/// A case whose events cite the line before their record (as an import before this fix did
/// for CRLF files): `verify --deep` names them, by its own line count, and `repair-lines`
/// puts them right with a custody entry.
#[test]
fn wrong_lines_are_named_by_verify_deep_and_fixed_by_repair_lines() {
    let t = TestDir::new();
    let path = t.path("old.retrace");
    let mut case = Case::create(&path, "old").unwrap();
    let p = t.write(
        "w.csv",
        "time,user\r\n2024-01-01T00:00:00Z,alice\r\n\r\n2024-01-01T00:00:01Z,bob\r\nnot a time,x\r\n",
    );
    import(&mut case, &p, SourceOptions::default()).unwrap();
    // What the old line counter stored: one line too low (the header for the first row).
    case.execute_raw_for_tests(
        "UPDATE event SET line = line - 1; UPDATE reject SET line = line - 1;",
    )
    .unwrap();
    let problems = deep_problems(&case);
    assert!(
        problems
            .iter()
            .any(|p| p.contains("event 1") && p.contains("do not hold its record")),
        "{problems:#?}"
    );
    assert!(
        problems
            .iter()
            .any(|p| p.contains("event 2") && p.contains("do not hold its record")),
        "{problems:#?}"
    );
    drop(case);
    let case_arg = path.to_str().unwrap();
    let (code, out, err) = retrace(&["repair-lines", case_arg, "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("would change the lines of 2 events, 1 rejects"),
        "{out}"
    );
    let (code, out, err) = retrace(&["repair-lines", case_arg]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("changed the lines of 2 events, 1 rejects"),
        "{out}"
    );
    let case = Case::open_read_only(&path).unwrap();
    assert_eq!(deep_problems(&case), Vec::<String>::new());
    let lines: Vec<(i64, i64)> = cited(&case).iter().map(|c| (c.0, c.1)).collect();
    assert_eq!(lines, vec![(2, 2), (4, 4)]);
    assert_eq!(case.sources().rejects(None, 10).unwrap()[0].line, 5);
    let custody = case.custody().custody_entries().unwrap();
    let last = custody.last().unwrap();
    assert_eq!(last.action, "repair-lines");
    assert!(
        last.details.contains("\"events_changed\":2"),
        "{}",
        last.details
    );
    // Nothing left to repair.
    let (_, out, _) = retrace(&["repair-lines", case_arg]);
    assert!(
        out.contains("changed the lines of 0 events, 0 rejects"),
        "{out}"
    );
}

#[test]
fn a_row_with_more_fields_than_the_header_is_a_reject_or_keeps_them_by_profile() {
    let t = TestDir::new();
    let text = "time,user,object\n2024-01-01T00:00:00Z,alice,SELECT name, phone FROM users\n2024-01-01T00:00:01Z,bob,\"SELECT a, b\"\n";
    let p = t.write("wide.csv", text);
    let mut case = t.new_case();
    let r = import(&mut case, &p, SourceOptions::default()).unwrap();
    assert_eq!((r.result.rows_imported, r.result.rows_rejected), (1, 1));
    assert_eq!(r.rejects[0].line, 2);
    assert!(
        r.rejects[0]
            .reason
            .contains("row has 4 fields, the header has 3"),
        "{}",
        r.rejects[0].reason
    );
    let keep = Profile {
        extra_cells: Some("keep".into()),
        ..Profile::default()
    };
    let mut case = Case::create(&t.path("keep.retrace"), "keep").unwrap();
    let r = import(&mut case, &p, options(None, None, Some(keep))).unwrap();
    assert_eq!((r.result.rows_imported, r.result.rows_rejected), (2, 0));
    let d = case.sources().event_detail(1).unwrap().unwrap();
    assert_eq!(d.row.object.as_deref(), Some("SELECT name"));
    assert_eq!(d.extra["_cell_4"], "phone FROM users");
    assert_eq!(deep_problems(&case), Vec::<String>::new());
}

#[test]
fn duplicate_json_keys_keep_every_value_and_are_flagged() {
    let t = TestDir::new();
    let p = t.write(
        "dup.jsonl",
        "{\"time\":\"2024-01-01T00:00:00Z\",\"user\":\"alice\",\"user\":\"mallory\"}\n",
    );
    let mut case = t.new_case();
    import(&mut case, &p, SourceOptions::default()).unwrap();
    let d = case.sources().event_detail(1).unwrap().unwrap();
    assert_eq!(d.row.account.as_deref(), Some("alice"));
    assert_eq!(d.extra["user (2)"], "mallory");
    assert_eq!(d.extra["_duplicate_keys"], "user");
    // The same in a structured JSON format (Azure activity).
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats/azure_activity.jsonl");
    let first = std::fs::read_to_string(fixture)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    let dup = first.replacen('{', "{\"note\":\"one\",\"note\":\"two\",", 1);
    let p = t.write("azure.jsonl", format!("{dup}\n"));
    let r = import(&mut case, &p, SourceOptions::default()).unwrap();
    assert_eq!(r.plan.format.as_str(), "azure-activity");
    let s = case.sources().list().unwrap().pop().unwrap();
    let d = case
        .sources()
        .event_detail(s.first_event_id.unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(d.extra["note"], "one", "{:?}", d.extra);
    assert_eq!(d.extra["note (2)"], "two", "{:?}", d.extra);
    assert_eq!(d.extra["_duplicate_keys"], "note");
    assert_eq!(deep_problems(&case), Vec::<String>::new());
}

#[test]
fn invalid_text_is_a_reject_never_a_replacement_character() {
    let t = TestDir::new();
    let mut case = t.new_case();
    // A bad byte in an unmapped CSV column.
    let p = t.write(
        "bad.csv",
        b"time,user,note\n2024-01-01T00:00:00Z,alice,ok\n2024-01-01T00:00:01Z,bob,caf\xe9\n"
            .as_slice(),
    );
    let r = import(&mut case, &p, SourceOptions::default()).unwrap();
    assert_eq!((r.result.rows_imported, r.result.rows_rejected), (1, 1));
    assert!(
        r.rejects[0].reason.contains("invalid text"),
        "{:?}",
        r.rejects
    );
    assert_eq!(r.rejects[0].line, 3);
    // A lone surrogate in JSON.
    let p = t.write(
        "sur.jsonl",
        "{\"time\":\"2024-01-01T00:00:00Z\",\"user\":\"\\ud800\"}\n{\"time\":\"2024-01-01T00:00:01Z\",\"user\":\"ok\"}\n",
    );
    let r = import(&mut case, &p, SourceOptions::default()).unwrap();
    assert_eq!((r.result.rows_imported, r.result.rows_rejected), (1, 1));
    assert!(
        r.rejects[0].reason.contains("invalid JSON"),
        "{:?}",
        r.rejects
    );
    // Shift_JIS with a lead byte no trail byte follows: the row is a reject.
    let (mut sjis, _, _) = encoding_rs::SHIFT_JIS.encode("日時,担当者\n2021/02/24 10:00:00,山田\n");
    let mut sjis = sjis.to_mut().clone();
    sjis.extend_from_slice(b"2021/02/24 10:00:01,\x81\n2021/02/24 10:00:02,ok\n");
    let p = t.write("sjis.csv", &sjis);
    let profile = Profile {
        columns: [("time", "日時"), ("account", "担当者")]
            .into_iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect(),
        ..Profile::default()
    };
    let r = import(
        &mut case,
        &p,
        SourceOptions {
            encoding: Some(TextEncoding::ShiftJis),
            profile: Some(profile),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        (r.result.rows_imported, r.result.rows_rejected),
        (2, 1),
        "{:?}",
        r.rejects
    );
    assert_eq!(r.rejects[0].line, 3);
    assert!(r.rejects[0].reason.contains("invalid"), "{:?}", r.rejects);
    let accounts: Vec<String> = (1..=10)
        .filter_map(|id| case.sources().event_detail(id).unwrap())
        .filter_map(|d| d.row.account)
        .collect();
    assert!(
        accounts.iter().all(|a| !a.contains('\u{fffd}')),
        "{accounts:?}"
    );
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    text.encode_utf16()
        .flat_map(|u| {
            if big_endian {
                u.to_be_bytes()
            } else {
                u.to_le_bytes()
            }
        })
        .collect()
}

#[test]
fn utf16_without_a_bom_keeps_every_character_declared_or_detected() {
    let text = "user,time\n太郎,2024-01-01T00:00:00Z\nbob,2024-01-01T00:00:01Z\n";
    for (big_endian, name) in [(false, "utf-16le"), (true, "utf-16be")] {
        for declared in [true, false] {
            let t = TestDir::new();
            let mut case = t.new_case();
            let p = t.write("u16.csv", utf16(text, big_endian));
            let opts = SourceOptions {
                encoding: declared.then(|| TextEncoding::parse(name).unwrap()),
                ..Default::default()
            };
            let r = import(&mut case, &p, opts).unwrap();
            assert_eq!(r.plan.encoding.as_str(), name);
            assert_eq!(
                r.plan.encoding_how.as_str(),
                if declared { "declared" } else { "nul-pattern" }
            );
            assert_eq!(r.plan.headers, vec!["user", "time"], "{name} {declared}");
            let d = case.sources().event_detail(1).unwrap().unwrap();
            assert_eq!(d.row.account.as_deref(), Some("太郎"), "{name} {declared}");
            assert_eq!(d.raw_text, "太郎,2024-01-01T00:00:00Z");
            assert_eq!(deep_problems(&case), Vec::<String>::new());
        }
    }
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_read_once_and_imported() {
    let t = TestDir::new();
    let fifo = t.path("pipe.csv");
    let status = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(status.success());
    let writer = {
        let fifo = fifo.clone();
        spawn(move || {
            std::fs::write(&fifo, "time,user\n2024-01-01T00:00:00Z,alice\n").unwrap();
        })
    };
    let case_path = t.path("case.retrace");
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let (case_path, fifo) = (case_path.clone(), fifo.clone());
        spawn(move || {
            let mut case = Case::create(&case_path, "pipe").unwrap();
            let r = import(&mut case, &fifo, SourceOptions::default())
                .map(|r| (r.result.rows_imported, r.file.ends_with("pipe.csv")));
            tx.send(r.map_err(|e| e.to_string())).unwrap();
        });
    }
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the import of a pipe must not hang");
    assert_eq!(
        got,
        Ok((1, true)),
        "one row, reported under the pipe's path"
    );
    writer.join().unwrap();
    let case = Case::open_read_only(&case_path).unwrap();
    let s = &case.sources().list().unwrap()[0];
    assert_eq!(s.file_name, "pipe.csv");
    assert_eq!(deep_problems(&case), Vec::<String>::new());
    // A preview cannot read a pipe without consuming it: it says so at once.
    let err = retrace::ingest::plan(&fifo, &SourceOptions::default()).unwrap_err();
    assert!(err.to_string().contains("named pipe"), "{err}");
}

#[test]
fn a_file_appended_to_while_it_is_imported_fails_and_leaves_nothing() {
    let t = TestDir::new();
    let p = t.path("growing.csv");
    let mut text = String::from("time,user\n");
    for i in 0..100_000 {
        text.push_str(&format!("2024-01-01T00:00:00Z,user{i}\n"));
    }
    std::fs::write(&p, &text).unwrap();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let appender = {
        let (p, stop) = (p.clone(), stop.clone());
        spawn(move || {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new().append(true).open(&p).unwrap();
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                f.write_all(b"2024-01-02T00:00:00Z,late\n").unwrap();
                std::thread::sleep(std::time::Duration::from_micros(200));
            }
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut case = t.new_case();
    let r = import_forced(&mut case, &p, SourceOptions::default(), true);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    appender.join().unwrap();
    let err = format!("{:#}", r.expect_err("the import must fail"));
    assert!(err.contains("the file changed while it was read"), "{err}");
    assert!(case.sources().list().unwrap().is_empty());
    assert_eq!(case.summary().unwrap().events, 0);
}

#[test]
fn a_leap_second_is_flagged_and_read_as_the_last_microsecond_of_its_minute() {
    let t = TestDir::new();
    let p = t.write(
        "leap.csv",
        "time,user\n2016-12-31T23:59:60Z,alice\n2017-01-01T00:00:00Z,bob\n",
    );
    let mut case = t.new_case();
    import(&mut case, &p, SourceOptions::default()).unwrap();
    let a = case.sources().event_detail(1).unwrap().unwrap();
    let b = case.sources().event_detail(2).unwrap().unwrap();
    assert_eq!(format_utc(a.row.ts_us), "2016-12-31T23:59:59.999999Z");
    assert!(TsFlags(a.ts_flags).has(TsFlags::LEAP_SECOND));
    assert!(!TsFlags(b.ts_flags).has(TsFlags::LEAP_SECOND));
    assert!(a.row.ts_us < b.row.ts_us);
    // Through a time_format too.
    let p = t.write("leap2.csv", "time,user\n31/12/2016 23:59:60,alice\n");
    let profile = Profile {
        time_format: Some("%d/%m/%Y %H:%M:%S".into()),
        ..Profile::default()
    };
    import(&mut case, &p, options(None, None, Some(profile))).unwrap();
    let c = case.sources().event_detail(3).unwrap().unwrap();
    assert_eq!(format_utc(c.row.ts_us), "2016-12-31T23:59:59.999999Z");
    assert!(TsFlags(c.ts_flags).has(TsFlags::LEAP_SECOND));
}

#[test]
fn zone_abbreviations_resolve_by_the_source_zone_or_the_table_and_ambiguous_ones_are_rejects() {
    let t = TestDir::new();
    let p = t.write(
        "abbr.csv",
        "time,user\n2024-07-01 10:00:00 CEST,a\n2024-07-01 04:00:00 EDT,b\n2024-07-01 15:30:00 IST,c\n",
    );
    let mut case = t.new_case();
    let r = import(&mut case, &p, SourceOptions::default()).unwrap();
    assert_eq!((r.result.rows_imported, r.result.rows_rejected), (2, 1));
    assert!(
        r.rejects[0].reason.contains("IST is ambiguous") && r.rejects[0].reason.contains("--tz"),
        "{}",
        r.rejects[0].reason
    );
    for id in [1, 2] {
        let d = case.sources().event_detail(id).unwrap().unwrap();
        assert_eq!(format_utc(d.row.ts_us), "2024-07-01T08:00:00Z");
        assert!(TsFlags(d.ts_flags).has(TsFlags::ZONE_ABBREVIATION));
    }
    // A declared zone that uses the abbreviation settles it.
    let mut case = Case::create(&t.path("ist.retrace"), "ist").unwrap();
    let r = import(&mut case, &p, options(None, Some("Asia/Kolkata"), None)).unwrap();
    assert_eq!((r.result.rows_imported, r.result.rows_rejected), (3, 0));
    let d = case.sources().event_detail(3).unwrap().unwrap();
    assert_eq!(format_utc(d.row.ts_us), "2024-07-01T10:00:00Z");
}

#[test]
fn a_time_format_that_cannot_be_valid_is_refused_before_any_row() {
    let t = TestDir::new();
    let p = t.write("f.csv", "time,user\n10:00,alice\n");
    let mut case = t.new_case();
    for (fmt, why) in [
        ("%H:%M", "cannot read a timestamp"),
        ("%Y-%m-%d %Q", "not a valid"),
    ] {
        let profile = Profile {
            time_format: Some(fmt.into()),
            ..Profile::default()
        };
        let err = import(&mut case, &p, options(None, None, Some(profile)))
            .unwrap_err()
            .to_string();
        assert!(err.contains(why) && err.contains(fmt), "{fmt}: {err}");
    }
    assert!(case.sources().list().unwrap().is_empty());
}

/// Done-when of issue 15: psort's UTC and CET/CEST renderings of the same events, summer and
/// winter, in and around the autumn DST fold, land on the same UTC instants.
#[test]
fn psort_l2tcsv_in_utc_and_cest_give_the_same_instants() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/formats");
    let t = TestDir::new();
    let mut case = t.new_case();
    let mut instants = Vec::new();
    for name in ["psort_l2tcsv_summer_utc.csv", "psort_l2tcsv_cest.csv"] {
        let r = import(&mut case, &dir.join(name), SourceOptions::default()).unwrap();
        assert_eq!(r.result.rows_rejected, 0, "{name}: {:?}", r.rejects);
        let s = case.sources().list().unwrap().pop().unwrap();
        let ts: Vec<i64> = (s.first_event_id.unwrap()..=s.last_event_id.unwrap())
            .map(|id| case.sources().event_detail(id).unwrap().unwrap().row.ts_us)
            .collect();
        instants.push(ts);
    }
    assert_eq!(instants[0], instants[1]);
    assert_eq!(format_utc(instants[1][0]), "2012-07-14T04:17:38Z");
    // 02:30 CEST and 02:30 CET on 2012-10-28 are an hour apart.
    assert_eq!(instants[1][3] - instants[1][2], 3_600_000_000);
    assert_eq!(deep_problems(&case), Vec::<String>::new());
}

/// Schema 11 stores an event's last line as its distance from the first (`line_span`, 0 for a
/// one-line record); migration 011 turns a schema 10 case's `line_end` into it, and every
/// event cites the same lines before and after.
#[test]
fn migration_11_keeps_every_cited_line() {
    let t = TestDir::new();
    let path = t.path("span.retrace");
    let mut case = Case::create(&path, "span").unwrap();
    let p = t.write(
        "m.csv",
        "time,user,note\n2024-01-01T00:00:00Z,alice,one\n2024-01-01T00:00:01Z,bob,\"two\r\nthree\nfour\"\n\n2024-01-01T00:00:02Z,carol,x\n",
    );
    import(&mut case, &p, SourceOptions::default()).unwrap();
    let before = cited(&case);
    assert_eq!(
        before.iter().map(|c| (c.0, c.1)).collect::<Vec<_>>(),
        vec![(2, 2), (3, 5), (7, 7)]
    );
    let spans = || -> Vec<i64> {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut st = conn
            .prepare("SELECT line_span FROM event ORDER BY id")
            .unwrap();
        st.query_map([], |r| r.get(0))
            .unwrap()
            .map(|r| r.unwrap())
            .collect()
    };
    assert_eq!(spans(), vec![0, 2, 0]);
    // The case as schema 10 wrote it.
    case.execute_raw_for_tests(&format!(
        "{} PRAGMA user_version = 10;",
        crate::util::SCHEMA_10_LINE_END
    ))
    .unwrap();
    drop(case);
    // Opened for review it is not upgraded, and still cites the same lines.
    assert_eq!(cited(&Case::open_read_only(&path).unwrap()), before);
    let case = Case::open(&path).unwrap();
    assert_eq!(spans(), vec![0, 2, 0]);
    assert_eq!(cited(&case), before);
    assert_eq!(deep_problems(&case), Vec::<String>::new());
}
