//! Importing access logs and rosters: time, encodings, mapping, rejects, provenance.

use retrace::case::Case;
use retrace::ingest::Profile;
use retrace::jobs::{CancelToken, NoProgress};
use retrace::model::TsFlags;
use retrace::model::roster::SourceKind;
use retrace::ops::{self, ImportRequest};

use crate::util::{TestDir, import, import_forced, options};

const HEADER: &str = "time,user,src_ip,system,action,object,categories,subjects,records,outcome\n";

#[test]
fn one_instant_three_spellings_one_utc_value() {
    let t = TestDir::new();
    let mut case = t.new_case();
    // 2021-02-24 10:00:00 +09:00 == 09:00:00 in Shanghai == 1614128400000 ms.
    let a = t.write(
        "tokyo.csv",
        format!("{HEADER}2021-02-24T10:00:00+09:00,u1,,db,q,users,name,S1,1,ok\n"),
    );
    let b = t.write(
        "shanghai.csv",
        format!("{HEADER}2021-02-24 09:00:00,u2,,db,q,users,name,S1,1,ok\n"),
    );
    let c = t.write(
        "epoch.jsonl",
        "{\"time\": 1614128400000, \"user\": \"u3\", \"system\": \"db\"}\n",
    );
    import(&mut case, &a, options(None, None, None)).unwrap();
    let rb = import(&mut case, &b, options(None, Some("Asia/Shanghai"), None)).unwrap();
    import(&mut case, &c, options(None, None, None)).unwrap();
    assert_eq!(rb.plan.zone, "Asia/Shanghai");
    let mut ts = Vec::new();
    for id in 1..=3 {
        let d = case.sources().event_detail(id).unwrap().unwrap();
        ts.push(d.row.ts_us);
        let flags = TsFlags(d.ts_flags);
        match id {
            1 => assert!(flags.has(TsFlags::OFFSET)),
            2 => assert!(flags.has(TsFlags::NAIVE)),
            _ => assert!(flags.has(TsFlags::EPOCH)),
        }
    }
    assert_eq!(ts, vec![1_614_128_400_000_000; 3]);
    // The raw text is kept as written.
    assert_eq!(
        case.sources().event_detail(2).unwrap().unwrap().raw_ts,
        "2021-02-24 09:00:00"
    );
    let src = case.sources().list().unwrap();
    assert_eq!(src[1].zone, "Asia/Shanghai");
    assert!(
        src[1].time_rule.contains("Asia/Shanghai (declared)"),
        "{}",
        src[1].time_rule
    );
    assert!(src[0].time_rule.contains("DEFAULT"), "{}", src[0].time_rule);
}

#[test]
fn cp932_file_keeps_japanese_text_intact() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let text = "日時,担当者,システム,操作,対象,データ区分,ユーザーID,件数,結果\n\
                2020/06/01 10:00:00,山田太郎,jp-review-console,投稿確認,通報された投稿「こんにちは」,投稿本文,U0001,1,完了\n";
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable);
    let p = t.write("export.csv", &bytes);
    let profile: Profile = toml::from_str(
        "timezone = \"Asia/Tokyo\"\ntime_format = \"%Y/%m/%d %H:%M:%S\"\n[category_aliases]\n\"投稿本文\" = \"message_text\"\n",
    )
    .unwrap();
    let r = import(&mut case, &p, options(None, None, Some(profile))).unwrap();
    assert_eq!(r.plan.encoding.as_str(), "shift_jis");
    assert_eq!(r.result.rows_imported, 1);
    let d = case.sources().event_detail(1).unwrap().unwrap();
    assert_eq!(d.row.account.as_deref(), Some("山田太郎"));
    assert_eq!(
        d.row.object.as_deref(),
        Some("通報された投稿「こんにちは」")
    );
    assert_eq!(
        d.row.outcome.as_ref().map(retrace::model::Outcome::as_str),
        Some("success")
    );
    assert_eq!(
        case.vocabulary()
            .unwrap()
            .names(retrace::model::CategorySet(d.row.categories)),
        vec!["message_text"]
    );
    // The raw line comes back from the stored CP932 bytes, decoded.
    assert!(d.raw_text.contains("山田太郎"), "{}", d.raw_text);
    assert_eq!(
        d.row.ts_us, 1_590_973_200_000_000,
        "10:00 Tokyo = 01:00 UTC"
    );
    // And a people roster in CP932 keeps native names.
    let people = "person_id,display_name,native_name,organization,country,role,zone\nP9,Yamada Taro,山田太郎,奏モニタリング株式会社,JP,reviewer,Asia/Tokyo\n";
    let (pb, _, _) = encoding_rs::SHIFT_JIS.encode(people);
    let pp = t.write("people.csv", &pb);
    import(&mut case, &pp, options(None, None, None)).unwrap();
    let persons = case.people().persons().unwrap();
    assert_eq!(persons[0].native_name.as_deref(), Some("山田太郎"));
    assert_eq!(
        persons[0].organization.as_deref(),
        Some("奏モニタリング株式会社")
    );
}

#[test]
fn utf16_and_utf8_bom_files_import() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let text = format!(
        "{HEADER}2021-01-01T00:00:00Z,김민준,,kr-media-01,GET,/a.jpg,image_media,S1,1,200\n"
    );
    let mut u16 = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        u16.extend_from_slice(&u.to_le_bytes());
    }
    let p = t.write("u16.csv", &u16);
    let r = import(&mut case, &p, options(None, None, None)).unwrap();
    assert_eq!(r.plan.encoding.as_str(), "utf-16le");
    let d = case.sources().event_detail(1).unwrap().unwrap();
    assert_eq!(d.row.account.as_deref(), Some("김민준"));
    assert!(
        d.raw_text.starts_with("2021-01-01T00:00:00Z,김민준"),
        "{}",
        d.raw_text
    );
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(text.replace("김민준", "lee").as_bytes());
    let p = t.write("bom.csv", &bom);
    let r = import(&mut case, &p, options(None, None, None)).unwrap();
    assert_eq!(r.plan.encoding.as_str(), "utf-8-bom");
    assert_eq!(
        r.plan.mapping.get(retrace::ingest::Field::Time),
        Some("time"),
        "BOM is not part of the header"
    );
    assert!(case.integrity().verify(&|| false).unwrap().is_clean());
}

#[test]
fn duplicate_import_is_refused_unless_forced() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let p = t.write(
        "a.csv",
        format!("{HEADER}2021-01-01T00:00:00Z,u,,db,q,t,,,,ok\n"),
    );
    import(&mut case, &p, options(None, None, None)).unwrap();
    let copy = t.write("renamed.csv", std::fs::read(&p).unwrap());
    let err = import(&mut case, &copy, options(None, None, None)).unwrap_err();
    let msg = format!("{err:#}");
    assert!(msg.contains("already imported"), "{msg}");
    assert!(msg.contains("a.csv"), "{msg}");
    assert_eq!(case.sources().list().unwrap().len(), 1);
    import_forced(&mut case, &copy, options(None, None, None), true).unwrap();
    assert_eq!(case.sources().list().unwrap().len(), 2);
}

#[test]
fn rejects_are_counted_with_line_and_reason() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let p = t.write(
        "mixed.csv",
        format!(
            "{HEADER}2021-01-01T00:00:00Z,u,,db,q,t,,,,ok\n\
             2021-13-01T00:00:00Z,u,,db,q,t,,,,ok\n\
             \n\
             2021-01-02T00:00:00Z,u,,db,q,t,,,many,ok\n\
             2021-01-03T00:00:00Z,u\n\
             2021-01-04T00:00:00Z,u,,db,q,t,,,3,ok\n"
        ),
    );
    let r = import(&mut case, &p, options(None, None, None)).unwrap();
    assert_eq!(r.result.rows_read, 5, "the blank line is not a row");
    assert_eq!(r.result.rows_imported, 2);
    assert_eq!(r.result.rows_rejected, 3);
    assert_eq!(
        r.result.rows_read,
        r.result.rows_imported + r.result.rows_rejected
    );
    let rej = case.sources().rejects(None, 10).unwrap();
    let got: Vec<(i64, bool)> = rej.iter().map(|r| (r.line, !r.reason.is_empty())).collect();
    assert_eq!(got, vec![(3, true), (5, true), (6, true)]);
    assert!(rej[0].reason.contains("no such date"), "{}", rej[0].reason);
    assert!(
        rej[1].reason.contains("records \"many\""),
        "{}",
        rej[1].reason
    );
    assert!(rej[2].reason.contains("fields"), "{}", rej[2].reason);
    assert!(rej[0].raw.contains("2021-13-01"));
    // Multi-line records and a last line without a line break keep exact line numbers.
    let p = t.write(
        "multi.csv",
        format!("{HEADER}\n2021-01-01T00:00:00Z,u,,db,q,\"a\nb\",,,,ok\n\n\n2021-01-05T00:00:00Z,u,,db,q,t,,,x,ok"),
    );
    let r = import(&mut case, &p, options(None, None, None)).unwrap();
    assert_eq!((r.result.rows_imported, r.result.rows_rejected), (1, 1));
    let evs = case
        .sources()
        .source_events(r.result.source_id, 10)
        .unwrap();
    assert_eq!(evs[0].line, 3);
    assert_eq!(
        case.sources()
            .event_detail(evs[0].id)
            .unwrap()
            .unwrap()
            .line_end,
        4
    );
    assert_eq!(
        case.sources()
            .rejects(Some(r.result.source_id), 10)
            .unwrap()[0]
            .line,
        7
    );
}

#[test]
fn dst_fold_is_flagged_not_guessed_silently() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let p = t.write(
        "ny.csv",
        format!("{HEADER}2021-11-07 01:30:00,u,,db,q,t,,,,ok\n"),
    );
    import(&mut case, &p, options(None, Some("America/New_York"), None)).unwrap();
    let d = case.sources().event_detail(1).unwrap().unwrap();
    assert!(TsFlags(d.ts_flags).has(TsFlags::AMBIGUOUS));
}

#[test]
fn profile_maps_columns_and_rules_add_categories() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let p = t.write(
        "audit.csv",
        "when_utc,who,srv,tbl,rowcount,sid\n2021-01-01T00:00:00Z,db_sato,jp-msg-db,users,7,U1;U2\n2021-01-01T00:05:00Z,db_sato,jp-msg-db,stats_daily,1,\n",
    );
    let prof_path = t.write(
        "audit.toml",
        "[columns]\ntime = \"when_utc\"\naccount = \"who\"\nsystem = \"srv\"\nobject = \"tbl\"\nrecords = \"rowcount\"\nsubjects = \"sid\"\n\
         [[category_rules]]\nobject = \"users\"\ncategories = [\"name\", \"phone\"]\n",
    );
    let profile = Profile::load(&prof_path).unwrap();
    import(&mut case, &p, options(None, None, Some(profile))).unwrap();
    let vocab = case.vocabulary().unwrap();
    let d1 = case.sources().event_detail(1).unwrap().unwrap();
    assert_eq!(
        vocab.names(retrace::model::CategorySet(d1.row.categories)),
        vec!["name", "phone"]
    );
    assert_eq!(d1.row.records, Some(7));
    assert_eq!(d1.subjects, vec!["U1", "U2"]);
    let d2 = case.sources().event_detail(2).unwrap().unwrap();
    assert_eq!(d2.row.categories, 0);
    // The mapping used is stored on the source.
    let src = &case.sources().list().unwrap()[0];
    assert!(
        src.mapping_json.contains("when_utc"),
        "{}",
        src.mapping_json
    );
}

#[test]
fn a_mapping_naming_a_missing_column_fails_and_leaves_no_source() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let p = t.write(
        "a.csv",
        format!("{HEADER}2021-01-01T00:00:00Z,u,,db,q,t,,,,ok\n"),
    );
    let profile: Profile = toml::from_str("[columns]\naccount = \"operator\"\n").unwrap();
    let err = import(&mut case, &p, options(None, None, Some(profile))).unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("\"operator\"") && msg.contains("a.csv"),
        "{msg}"
    );
    assert!(case.sources().list().unwrap().is_empty());
    assert_eq!(case.summary().unwrap().events, 0);
    // The case is still usable.
    import(&mut case, &p, options(None, None, None)).unwrap();
    assert!(case.integrity().verify(&|| false).unwrap().is_clean());
}

#[test]
fn no_time_column_is_a_clear_error() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let p = t.write("a.csv", "who,what\nx,y\n");
    let err = import(&mut case, &p, options(None, None, None)).unwrap_err();
    let msg = format!("{err:#}");
    assert!(
        msg.contains("no column maps to the event time") && msg.contains("who, what"),
        "{msg}"
    );
}

#[test]
fn cancelled_import_leaves_nothing() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let rows: String = (0..20_000)
        .map(|i| format!("2021-01-01T00:00:{:02}Z,u{i},,db,q,t,,,,ok\n", i % 60))
        .collect();
    let p = t.write("big.csv", format!("{HEADER}{rows}"));
    let cancel = CancelToken::new();
    cancel.cancel();
    let req = ImportRequest {
        path: p,
        options: options(None, None, None),
        force: false,
        imported_by: "t".into(),
    };
    let err = ops::import_file(&mut case, &req, &NoProgress, &cancel).unwrap_err();
    assert!(format!("{err:#}").contains("cancelled"), "{err:#}");
    assert!(case.sources().list().unwrap().is_empty());
    assert_eq!(case.summary().unwrap().accounts, 0);
}

#[test]
fn corrupted_source_blob_fails_verify_naming_the_source() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let p = t.write(
        "a.csv",
        format!("{HEADER}2021-01-01T00:00:00Z,u,,db,q,t,,,,ok\n"),
    );
    import(&mut case, &p, options(None, None, None)).unwrap();
    assert!(case.integrity().verify(&|| false).unwrap().is_clean());
    drop(case);
    {
        let c = rusqlite::Connection::open(t.path("case.retrace")).unwrap();
        // Same length, one byte different: only the hash can tell.
        let data: Vec<u8> = c
            .query_row(
                "SELECT data FROM source_chunk WHERE source_id = 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let mut raw = zstd::decode_all(&data[..]).unwrap();
        let i = raw.iter().position(|b| *b == b'u').unwrap();
        raw[i] = b'v';
        let forged = zstd::encode_all(&raw[..], 3).unwrap();
        c.execute(
            "UPDATE source_chunk SET data = ?1 WHERE source_id = 1",
            [forged],
        )
        .unwrap();
    }
    let case = Case::open(&t.path("case.retrace")).unwrap();
    let r = case.integrity().verify(&|| false).unwrap();
    assert!(!r.is_clean());
    let text: Vec<String> = r
        .problems
        .iter()
        .map(|p| format!("{}: {}", p.what, p.why))
        .collect();
    assert!(
        text.iter()
            .any(|l| l.contains("source 1 (a.csv)") && l.contains("hash")),
        "{text:?}"
    );
}

#[test]
fn roster_kinds_are_detected_from_headers_and_link_accounts() {
    let t = TestDir::new();
    let mut case = t.new_case();
    let people = t.write(
        "people.csv",
        "person_id,display_name,native_name,organization,country,role,zone\nP1,Chen Siyuan,陈思远,Shanghai Co,CN,engineer,Asia/Shanghai\n",
    );
    let accounts = t.write(
        "accounts.csv",
        "account,person_id,system\nchen.siyuan,P1,\nghost,P404,\n",
    );
    let events = t.write("ev.csv", format!("{HEADER}2021-01-01T00:00:00Z,chen.siyuan,,db,q,t,,,,ok\n2021-01-01T00:00:00Z,someone,,db,q,t,,,,ok\n"));
    let r = import(&mut case, &people, options(None, None, None)).unwrap();
    assert_eq!(r.plan.kind, SourceKind::People);
    let r = import(&mut case, &accounts, options(None, None, None)).unwrap();
    assert_eq!(r.plan.kind, SourceKind::Accounts);
    assert_eq!((r.result.rows_imported, r.result.rows_rejected), (1, 1));
    assert!(r.rejects[0].reason.contains("P404"));
    import(&mut case, &events, options(None, None, None)).unwrap();
    let evs = case.people().person_events("P1").unwrap();
    assert_eq!(evs.len(), 1);
    assert_eq!(evs[0].account.as_deref(), Some("chen.siyuan"));
    let s = case.summary().unwrap();
    assert_eq!((s.persons, s.accounts, s.unmapped_accounts), (1, 2, 1));
    assert_eq!(s.custody_entries, 3);
}

/// `retrace bench --format`: the generated CloudTrail and auth.log files are read by
/// auto-detection without a reject, and every CloudTrail event keeps its unmapped fields: in
/// the original by default (no `event_extra` row), in `event_extra` when told to store them.
#[test]
fn format_bench_files_import_cleanly() {
    let t = TestDir::new();
    for format in ops::bench::BENCH_FORMATS {
        let r = ops::bench::format_bench(
            format,
            256 << 10,
            7,
            None,
            Some(&t.path(format)),
            &NoProgress,
            &CancelToken::new(),
        )
        .unwrap_or_else(|e| panic!("{format}: {e:#}"));
        assert!(r.records > 100, "{format}: {}", r.records);
        assert_eq!(r.events_imported, r.records, "{format}");
        assert_eq!(r.rows_rejected, 0, "{format}");
        match format {
            "cloudtrail" => {
                assert_eq!(r.format, "cloudtrail");
                assert!(r.extras_in_original);
                assert_eq!(r.extra_rows, 0);
                let dir = t.path("stored");
                let stored = ops::bench::format_bench(
                    format,
                    256 << 10,
                    7,
                    Some("stored"),
                    Some(&dir),
                    &NoProgress,
                    &CancelToken::new(),
                )
                .unwrap();
                assert!(!stored.extras_in_original);
                assert_eq!(stored.extra_rows as u64, stored.records);
                // Every record's fields, read again, are the ones stored.
                let a = retrace::case::Case::open_read_only(
                    &t.path(format).join("bench-cloudtrail.retrace"),
                )
                .unwrap();
                let b = retrace::case::Case::open_read_only(&dir.join("bench-cloudtrail.retrace"))
                    .unwrap();
                for id in 1..=r.events_imported as i64 {
                    let x = retrace::ingest::event_detail(&a, id).unwrap().unwrap();
                    let y = retrace::ingest::event_detail(&b, id).unwrap().unwrap();
                    assert!(!x.extra.is_empty() && x.extra_in_original, "event {id}");
                    assert_eq!(x.extra, y.extra, "event {id}");
                }
            }
            "parquet" => {
                assert_eq!(r.format, "parquet");
                // Every column of the bench's extract is mapped or kept as an extra field.
                assert_eq!(r.rows_rejected, 0, "{format}");
            }
            _ => {
                assert_eq!(r.format, "syslog");
                // Only sudo lines keep their whole message as an extra field.
                assert!(r.extra_rows > 0 && (r.extra_rows as u64) < r.records / 4);
            }
        }
    }
}
