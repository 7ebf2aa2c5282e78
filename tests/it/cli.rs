//! The `retrace` binary end to end: exit codes, JSON output, messages.

use crate::util::{TestDir, retrace};

#[test]
fn import_info_show_verify_round_trip() {
    let t = TestDir::new();
    let f = t.write(
        "admin.csv",
        "time,operator,target,object,subject_ids,result\n2019-03-05 14:22:10,chen.siyuan,jp-msg-db,users,U1;U2,ok\nbad,x,y,z,,ok\n",
    );
    let case = t.path("c.retrace");
    let (case_s, f_s) = (case.to_str().unwrap(), f.to_str().unwrap());
    let (code, out, err) = retrace(&["import", case_s, f_s, "--tz", "Asia/Shanghai", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let imp = &v["imports"][0];
    assert_eq!(imp["rows_read"], 2);
    assert_eq!(imp["rows_imported"], 1);
    assert_eq!(imp["rows_rejected"], 1);
    assert_eq!(imp["plan"]["zone"], "Asia/Shanghai");
    assert_eq!(imp["rejects"][0]["line"], 3);

    let (code, out, _) = retrace(&["info", case_s, "--json"]);
    assert_eq!(code, 0);
    let info: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(info["events"], 1);
    assert_eq!(info["sources"][0]["imported_by"], "cli-tester");
    assert_eq!(info["sources"][0]["sha256"].as_str().unwrap().len(), 64);

    let (code, out, _) = retrace(&["show", case_s, "1", "--tz", "Asia/Tokyo"]);
    assert_eq!(code, 0);
    assert!(out.contains("2019-03-05 06:22:10 +00:00"), "{out}");
    assert!(out.contains("2019-03-05 15:22:10 +09:00"), "{out}");
    assert!(
        out.contains("raw:     2019-03-05 14:22:10,chen.siyuan"),
        "{out}"
    );
    assert!(out.contains("admin.csv line 2"), "{out}");

    let (code, out, _) = retrace(&["verify", case_s]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("OK"), "{out}");

    // A second import of the same bytes is refused with exit 1 and a reason.
    let (code, _, err) = retrace(&["import", case_s, f_s]);
    assert_eq!(code, 1);
    assert!(err.contains("already imported"), "{err}");

    let (code, out, _) = retrace(&["rejects", case_s]);
    assert_eq!(code, 0);
    assert!(out.contains("admin.csv:3:"), "{out}");
}

#[test]
fn preview_shows_the_guess_and_saves_a_profile_that_imports() {
    let t = TestDir::new();
    let f = t.write(
        "db.csv",
        "Timestamp,DB_User,Server,Table_Name\n2020-01-01T00:00:00+09:00,db_sato,jp-msg-db,users\n",
    );
    let prof = t.path("db.toml");
    let (code, out, err) = retrace(&[
        "preview",
        f.to_str().unwrap(),
        "--save-profile",
        prof.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("account    <- DB_User"), "{out}");
    assert!(out.contains("guessed"), "{out}");
    assert!(out.contains("2019-12-31T15:00:00Z"), "{out}");
    let saved = std::fs::read_to_string(&prof).unwrap();
    assert!(saved.contains("account = \"DB_User\""), "{saved}");
    let case = t.path("c.retrace");
    let (code, _, err) = retrace(&[
        "import",
        case.to_str().unwrap(),
        f.to_str().unwrap(),
        "--map",
        prof.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn bad_input_gives_clear_errors_and_exit_codes() {
    let t = TestDir::new();
    let notes = t.write("notes.txt", "hello\n");
    let (code, _, err) = retrace(&["info", notes.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("not a Retrace case"), "{err}");
    let (code, _, err) = retrace(&[
        "import",
        t.path("c.retrace").to_str().unwrap(),
        notes.to_str().unwrap(),
        "--tz",
        "Mars/Base",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown time zone"), "{err}");
    let empty = t.write("empty.csv", "");
    let (code, _, err) = retrace(&[
        "import",
        t.path("c.retrace").to_str().unwrap(),
        empty.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("empty.csv") && err.contains("empty"), "{err}");
    let (code, _, _) = retrace(&["import"]);
    assert_eq!(code, 2, "usage errors exit 2");
}
