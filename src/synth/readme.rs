//! The README of a generated data set: what is fictional, what each file
//! looks like, and the ground truth as tables.
//!
//! It is rendered from the [`GroundTruth`] rather than written by hand so
//! that the numbers in the prose can never drift from ground_truth.json
//! (a test compares the bundled README with a fresh rendering).

use std::fmt::Write;

use super::cast::{ACCOUNTS, CATEGORY_NAMES, COUNTRIES, MAPPED_ACCOUNTS, ORGS, PEOPLE, SYSTEMS};
use super::scenario::{self, Date};
use super::subjects::population;
use super::{CountryCategoryCount, GroundTruth, SAMPLE_SEED};

fn date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.0, d.1, d.2)
}

fn opt(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("—")
}

/// A category × country pivot of one country × category table.
fn pivot(out: &mut String, cells: &[CountryCategoryCount]) {
    let countries: Vec<&str> = COUNTRIES.iter().map(|c| c.0).collect();
    let _ = writeln!(out, "| category | {} |", countries.join(" | "));
    let _ = writeln!(out, "|---|{}", "---:|".repeat(countries.len()));
    for cat in CATEGORY_NAMES {
        let row: Vec<u64> = countries
            .iter()
            .map(|c| {
                cells
                    .iter()
                    .find(|x| x.category == cat && x.country == *c)
                    .map_or(0, |x| x.subjects)
            })
            .collect();
        if row.iter().all(|&n| n == 0) {
            continue;
        }
        let row: Vec<String> = row.iter().map(u64::to_string).collect();
        let _ = writeln!(out, "| {cat} | {} |", row.join(" | "));
    }
    out.push('\n');
}

/// Markdown README describing a data set and its ground truth.
pub fn readme_markdown(gt: &GroundTruth) -> String {
    let mut o = String::new();
    write_intro(&mut o, gt);
    write_organizations(&mut o);
    write_people(&mut o);
    write_systems(&mut o);
    write_files(&mut o, gt);
    write_storyline(&mut o);
    write_bad_rows(&mut o);
    write_truth(&mut o, gt);
    write_findings(&mut o, gt);
    o
}

/// The title, what is fictional, and how the set was made.
fn write_intro(o: &mut String, gt: &GroundTruth) {
    let sample = gt.seed == SAMPLE_SEED && gt.background_events == 6000;
    let _ = writeln!(
        o,
        "# Retrace {} data set (fictional)\n",
        if sample { "sample" } else { "synthetic" }
    );
    o.push_str(
        "**Everything in this folder is fictional.** The organizations, people, log \
         accounts, subject ids, phone numbers and e-mail addresses were invented for \
         Retrace. The storyline is modelled on public facts of the 2021 reports about \
         LINE: engineers at a Shanghai affiliate could reach personal data of users held \
         on servers in Japan (at least 32 accesses between August 2018 and 24 February \
         2021); a Tokyo monitoring contractor had posts and images reviewed by a \
         subcontractor in Dalian; images were stored in South Korea. No name belongs to \
         a real person or company, and no figure below is a figure of the real case.\n\n",
    );
    let _ = writeln!(
        o,
        "Written by Retrace's generator (`src/synth`, `retrace gen DIR --events N`) with \
         seed {} and {} background events. The same seed and size always give \
         byte-identical files. `ground_truth.json` holds every figure below in \
         machine-readable form.\n",
        gt.seed, gt.background_events
    );
}

/// The organizations of the story.
fn write_organizations(o: &mut String) {
    o.push_str("## Organizations\n\n");
    o.push_str("| Organization | Native name | Country | City | Part in the story |\n");
    o.push_str("|---|---|---|---|---|\n");
    for org in &ORGS {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            org.name, org.native, org.country, org.city, org.part
        );
    }
    o.push('\n');
}

/// The people and their accounts, and the accounts mapped to nobody.
fn write_people(o: &mut String) {
    o.push_str("## People and accounts\n\n");
    o.push_str("| person_id | Name | Native name | Organization | Role | Zone | Accounts |\n");
    o.push_str("|---|---|---|---|---|---|---|\n");
    for (i, p) in PEOPLE.iter().enumerate() {
        let accounts: Vec<String> = ACCOUNTS[..MAPPED_ACCOUNTS]
            .iter()
            .filter(|a| a.person == Some(i))
            .map(|a| match a.system {
                Some(s) => format!("`{}` (on {})", a.name, s.name()),
                None => format!("`{}`", a.name),
            })
            .collect();
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            p.id,
            p.display,
            p.native,
            super::cast::org_info(p.org).name,
            p.role,
            p.zone.iana(),
            accounts.join(", ")
        );
    }
    let unmapped: Vec<String> = ACCOUNTS[MAPPED_ACCOUNTS..]
        .iter()
        .map(|a| format!("`{}`", a.name))
        .collect();
    let _ = writeln!(
        o,
        "\nThe logs also contain {} — accounts that accounts.csv maps to nobody, so the \
         tool has unattributed accounts to report.\n",
        unmapped.join(", ")
    );
}

/// The systems and the category vocabulary.
fn write_systems(o: &mut String) {
    o.push_str("## Systems\n\n| System | Country | Categories held | Description |\n");
    o.push_str("|---|---|---|---|\n");
    for s in SYSTEMS {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} |",
            s.name(),
            s.country(),
            super::cast::category_list(s.categories()).join(", "),
            s.description()
        );
    }
    o.push_str(
        "\nData-category vocabulary: `name, phone, email, account_id, message_text, \
         image_media`.\n\n",
    );
}

/// Every file with its kind, rows, time stamps and encoding, then the details of each.
fn write_files(o: &mut String, gt: &GroundTruth) {
    o.push_str("## Files\n\n");
    o.push_str(
        "All CSV files are comma-separated with a header row, RFC 4180 quoting and `\\n` \
         line ends, UTF-8 without BOM except the contractor export. Multi-valued cells \
         (categories, subject ids) are separated by `;`. Import them in this order:\n\n",
    );
    o.push_str("| File | Kind | Data rows | Time stamps | Encoding |\n|---|---|---:|---|---|\n");
    let rows = |name: &str| {
        gt.files
            .iter()
            .find(|f| f.name == name)
            .map_or(0, |f| f.rows_read)
    };
    let approvals = gt.shanghai.engineers.len() * scenario::WINDOWS.len();
    let roster = [
        ("people.csv", "people", PEOPLE.len()),
        ("accounts.csv", "accounts", MAPPED_ACCOUNTS),
        ("systems.csv", "systems", SYSTEMS.len()),
        (
            "subjects.csv",
            "subjects",
            population(gt.background_events) as usize,
        ),
        ("approvals.csv", "approvals", approvals),
        ("milestones.csv", "milestones", scenario::milestones().len()),
    ];
    for (name, kind, n) in roster {
        let stamps = match kind {
            "approvals" | "milestones" => "RFC 3339, `+09:00`",
            _ => "—",
        };
        let _ = writeln!(o, "| `{name}` | {kind} | {n} | {stamps} | UTF-8 |");
    }
    let logs = [
        (
            "sh_admin_tool.csv",
            "naive local Asia/Shanghai `YYYY-MM-DD HH:MM:SS`",
            "UTF-8",
        ),
        (
            "jp_db_audit.csv",
            "RFC 3339 with milliseconds and `+09:00`",
            "UTF-8",
        ),
        (
            "kr_media_access.jsonl",
            "RFC 3339 UTC with milliseconds (`Z`)",
            "UTF-8",
        ),
        (
            "contractor_review_export.csv",
            "naive local Asia/Tokyo `YYYY/MM/DD HH:MM:SS`",
            "**CP932 (Shift_JIS)**",
        ),
    ];
    for (name, stamps, enc) in logs {
        let _ = writeln!(
            o,
            "| `{name}` | access | {} | {stamps} | {enc} |",
            rows(name)
        );
    }
    o.push('\n');
    o.push_str(FILE_DETAILS);
}

/// Milestones, approval windows and the background.
fn write_storyline(o: &mut String) {
    o.push_str("## The storyline\n\n");
    o.push_str("Milestones (milestones.csv, local Tokyo midnight):\n\n");
    o.push_str("| At | Kind | Scope | Label |\n|---|---|---|---|\n");
    for (at, label, kind, scope) in scenario::milestones() {
        let _ = writeln!(
            o,
            "| {} | {kind} | {scope} | {label} |",
            super::clock::offset_string(at, super::clock::Zone::Tokyo)
        );
    }
    o.push_str(
        "\nApprovals (approvals.csv): every Shanghai engineer holds the same windows, \
         approved by P03 and each naming P01 or P02 as overseer; a window runs from \
         00:00:00 of its first day to 23:59:59 of its last day, Tokyo time.\n\n",
    );
    o.push_str("| System | From | To |\n|---|---|---|\n");
    for (system, first, last) in scenario::WINDOWS {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} |",
            system.name(),
            date(first),
            date(last)
        );
    }
    let spans = |v: &[(Date, Date)]| -> String {
        v.iter()
            .map(|(a, b)| format!("{} .. {}", date(*a), date(*b)))
            .collect::<Vec<_>>()
            .join(" and ")
    };
    let _ = writeln!(
        o,
        "\nNo approval at all is in force {}; jp-report-db is not approved {}. The \
         uncovered sessions fall in those stretches. Overseers are kept away (no event \
         of theirs within 8 hours) from every Shanghai session except through their \
         supervision queries, which sit within 10 minutes of the session they \
         supervise.\n",
        spans(&scenario::NO_APPROVAL),
        spans(&scenario::REPORT_DB_UNAPPROVED)
    );
    o.push_str(
        "Background: routine access by Tokyo staff to the Japan databases (and a few to \
         the Korea media store), Korea operations staff and a sync job on `kr-media-01`, \
         Kanade staff on `jp-review-console`, a nightly `svc_batch` job and a \
         `tmp_ops3` account that only exists from 2019-04-01 to 2019-09-30; spread over \
         2018-06-01 .. 2021-03-31 with a working-hours and weekday bias. Dalian \
         reviewers work from 2020-01-06 to 2021-03-22 on both the review console (posts) \
         and the media store (images).\n\n",
    );
}

/// The rows the importer must reject.
fn write_bad_rows(o: &mut String) {
    o.push_str("## Deliberately bad rows\n\n");
    o.push_str(
        "Three rows must be rejected by the importer (they count as rows read, not \
         imported, and are part of no other figure):\n\n\
         - `sh_admin_tool.csv`: a row timed `2019-02-30 10:00:00` (no such date) and a row \
         with an empty `time`;\n\
         - `jp_db_audit.csv`: a row timed `2020-06-31T10:00:00+09:00`.\n\n",
    );
}

const FILE_DETAILS: &str = r#"### Rosters

- `people.csv`: `person_id,display_name,native_name,organization,country,role,zone` — country is ISO 3166 alpha-2 of the organization, zone an IANA name. Organization names contain commas and are quoted.
- `accounts.csv`: `account,person_id,system` — a blank system means the account name means that person everywhere; the four `…@hoshizora.example` accounts are mapped for `kr-media-01` only.
- `systems.csv`: `system,country,categories,description`.
- `subjects.csv`: `subject_id,country,phone,email` — ids are `U` + 12 lowercase hex digits; countries JP 70 %, TW 15 %, TH 10 %, ID 5 %; one subject in twenty has a phone (`+81-90-1234-5678`, `+886-912-345-678`, `+66-81-234-5678`, `+62-812-3456-7890` style) and an e-mail address, the rest leave both blank.
- `approvals.csv`: `person_id,system,valid_from,valid_to,approver,overseer,ticket` — approver and overseer are person ids; tickets look like `SEC-2019-041`.
- `milestones.csv`: `at,label,kind,scope` — scope is `all`, `org:<organization>` or `person:<person_id>`.

### Access logs

- `sh_admin_tool.csv` — the Shanghai affiliate's admin tool. Header `time,operator,client_ip,target,action,object,categories,subject_ids,records,result,ticket`. `time` is naive local time in Asia/Shanghai (no profile: the importer guesses the columns from the header and is told the zone). `target` is the system, `action` one of `query_user`, `view_contacts`, `view_report`, `export_list`, `object` the table, `categories` explicit, `subject_ids` 1–20 ids, `records` ≥ the number of ids, `result` `ok` or `denied`, `ticket` the approval ticket quoted by the engineer (blank when none; it is not evidence of coverage — approvals.csv is).
- `jp_db_audit.csv` + `jp_db_audit.profile.toml` — the Japan database audit log. Header `timestamp,db_user,client_addr,server,command,table_name,rows,status,session_id,subject_ids`; `command` `SELECT`/`UPDATE`, `status` `success`. There is no category column: the profile's rules give `users` → name, phone, email, account_id; `user_contacts` → phone, email; `reports*` → message_text, account_id. Rows on `stats_daily` and `report_queue` match no rule and carry no subjects.
- `kr_media_access.jsonl` + `kr_media_access.profile.toml` — the Korea media store, one JSON object per line: `ts` (UTC), `account`, `ip`, `host` (`kr-media-01`), `op` (`GET`), `path` (`/media/<subject>/<file>.jpg`), `subject`, `status` (`200`), `bytes`. One image per event; there is no records key (records = number of subjects = 1). The profile's rule on `system = "kr-media-01"` gives image_media.
- `contractor_review_export.csv` + `contractor_review_export.profile.toml` — the monitoring contractor's export, CP932-encoded with Japanese headers `日時,担当者,端末IP,システム,操作,対象,データ区分,ユーザーID,件数,結果`. `日時` is naive Asia/Tokyo `YYYY/MM/DD HH:MM:SS`; `操作` is `投稿確認` (post review) or `通報確認` (report review); `対象` is `post:<number>`, sometimes followed by a note such as `（画像付き）`; `データ区分` is `投稿本文`, which the profile's `[category_aliases]` maps to message_text; `件数` 1; `結果` `完了` (done).

Successful outcomes are `ok`, `success`, `200` and `完了`; the only refused event is the one `denied` row of the Shanghai admin tool.

"#;

/// The ground truth, section by section, as tables.
fn write_truth(o: &mut String, gt: &GroundTruth) {
    write_truth_import(o, gt);
    write_truth_shanghai(o, gt);
    write_truth_sessions(o, gt);
    write_truth_dalian(o, gt);
    write_truth_subjects(o, gt);
    write_truth_people(o, gt);
}

/// The definitions, and what each file imports.
fn write_truth_import(o: &mut String, gt: &GroundTruth) {
    o.push_str("## Ground truth\n\n");
    o.push_str(
        "Definitions: an event's person is the person its account maps to. A session is a \
         maximal run of one person's successful events, across all files sorted by UTC \
         time, with gaps under 30 minutes; refused events belong to no session and are \
         counted as denied. Active days are distinct local dates in the person's zone. A \
         session is covered when every event lies inside an approval (valid_from ≤ ts ≤ \
         valid_to) for that person and that event's system, and supervised when the \
         covering approval's overseer has an event on the same system from 20 minutes \
         before its start to 20 minutes after its end. Distinct subjects by country × \
         category count, per subject country and category, the distinct subjects \
         appearing in an event that carries the category. Times are UTC.\n\n",
    );

    let _ = writeln!(
        o,
        "### Import\n\n{} events are imported: {} background + {} scenario events \
         (the Shanghai admin tool rows and the overseers' supervision queries).\n",
        gt.total_events, gt.background_events, gt.scenario_events
    );
    o.push_str("| File | Rows read | Imported | Rejected |\n|---|---:|---:|---:|\n");
    for f in &gt.files {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} |",
            f.name, f.rows_read, f.imported, f.rejected
        );
    }
    o.push('\n');
}

/// The Shanghai engineers' figures and their sessions per engineer.
fn write_truth_shanghai(o: &mut String, gt: &GroundTruth) {
    let s = &gt.shanghai;
    o.push_str("### Shanghai engineers\n\n");
    o.push_str("| Figure | Value |\n|---|---:|\n");
    let figures: [(&str, String); 12] = [
        ("Access sessions", s.sessions_total.to_string()),
        ("Covered by an approval", s.covered.to_string()),
        ("Not covered", s.uncovered.to_string()),
        ("Covered and supervised", s.supervised.to_string()),
        ("Covered but unsupervised", s.unsupervised.to_string()),
        ("Successful events", s.events.to_string()),
        ("Records touched", s.records.to_string()),
        ("Distinct subjects", s.distinct_subjects.to_string()),
        ("First access", opt(&s.first_access).to_string()),
        ("Last access", opt(&s.last_access).to_string()),
        (
            "Denied attempts after revocation",
            s.denied_after_revocation.to_string(),
        ),
        (
            "Successful accesses after revocation",
            s.successful_after_revocation.to_string(),
        ),
    ];
    for (k, v) in figures {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    let _ = writeln!(o, "\nAccess was revoked at {}.", s.access_revoked_at);
    for d in &s.denied_attempts {
        let _ = writeln!(
            o,
            "The refused attempt: {} on `{}` at {}.",
            d.person_id, d.system, d.at
        );
    }
    o.push_str(
        "\n| Engineer | Name | Sessions | Covered | Uncovered | Supervised | Unsupervised |\n\
         |---|---|---:|---:|---:|---:|---:|\n",
    );
    for e in &s.sessions_per_engineer {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            e.person_id,
            e.display_name,
            e.sessions,
            e.covered,
            e.uncovered,
            e.supervised,
            e.unsupervised
        );
    }
}

/// The Shanghai engineers' sessions, one row each.
fn write_truth_sessions(o: &mut String, gt: &GroundTruth) {
    let s = &gt.shanghai;
    o.push_str(
        "\nThe sessions (overseer events counted on the session's system):\n\n\
         | # | Engineer | Start | End | System | Events | Subjects | Records | Covered | \
         Ticket | Overseer | Supervised | Overseer events ±20 min / ±6 h |\n\
         |---:|---|---|---|---|---:|---:|---:|---|---|---|---|---|\n",
    );
    for (i, x) in s.sessions.iter().enumerate() {
        let covered = match &x.uncovered_reason {
            None => "yes".to_string(),
            Some(r) => format!("no ({})", r.replace('_', " ")),
        };
        let supervised = match x.supervised {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "—",
        };
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} / {} |",
            i + 1,
            x.person_id,
            x.start,
            x.end,
            x.systems.join(", "),
            x.events,
            x.distinct_subjects,
            x.records,
            covered,
            opt(&x.approval_ticket),
            opt(&x.overseer),
            supervised,
            x.overseer_events_within_20min,
            x.overseer_events_within_6h
        );
    }
    o.push('\n');
}

/// The Dalian reviewers' figures.
fn write_truth_dalian(o: &mut String, gt: &GroundTruth) {
    let d = &gt.dalian;
    o.push_str("### Dalian reviewers\n\n| Figure | Value |\n|---|---:|\n");
    let figures: [(&str, String); 9] = [
        ("Events", d.events.to_string()),
        (
            "Post reviews (contractor export)",
            d.post_reviews.to_string(),
        ),
        ("Image views (Korea media log)", d.image_views.to_string()),
        ("Records", d.records.to_string()),
        ("Distinct subjects", d.distinct_subjects.to_string()),
        ("First event", opt(&d.first_event).to_string()),
        ("Last event", opt(&d.last_event).to_string()),
        (
            "Events before the contract started",
            d.events_before_contract.to_string(),
        ),
        (
            "Events after access ended",
            d.events_after_revocation.to_string(),
        ),
    ];
    for (k, v) in figures {
        let _ = writeln!(o, "| {k} | {v} |");
    }
    o.push('\n');
}

/// Distinct subjects by country × category, and the subjects' figures.
fn write_truth_subjects(o: &mut String, gt: &GroundTruth) {
    o.push_str("### Distinct subjects by country × category\n\n");
    o.push_str("Shanghai engineers:\n\n");
    pivot(o, &gt.country_category.shanghai);
    o.push_str("Dalian reviewers:\n\n");
    pivot(o, &gt.country_category.dalian);
    o.push_str("Whole case (every imported event, unattributed accounts included):\n\n");
    pivot(o, &gt.country_category.whole_case);

    let st = &gt.subjects;
    o.push_str("### Subjects\n\n| Figure | Value |\n|---|---:|\n");
    let _ = writeln!(o, "| Subjects in subjects.csv | {} |", st.total);
    for c in &st.by_country {
        let _ = writeln!(o, "| … living in {} | {} |", c.country, c.subjects);
    }
    let _ = writeln!(
        o,
        "| … with phone and e-mail | {} |\n\
         | Touched by any event | {} |\n\
         | Touched by the Shanghai engineers | {} |\n\
         | Touched by the Dalian reviewers | {} |\n\
         | Touched by unattributed accounts | {} |\n",
        st.with_phone_and_email,
        st.touched_whole_case,
        st.touched_by_shanghai,
        st.touched_by_dalian,
        st.touched_by_unattributed
    );
}

/// Every person's and every unattributed account's figures.
fn write_truth_people(o: &mut String, gt: &GroundTruth) {
    o.push_str("### People\n\n");
    o.push_str(
        "| Person | Name | Events | Denied | Sessions | Active days | Distinct subjects | \
         Records | Systems | Categories | First event | Last event |\n\
         |---|---|---:|---:|---:|---:|---:|---:|---|---|---|---|\n",
    );
    for p in &gt.people {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            p.person_id,
            p.display_name,
            p.events,
            p.denied_events,
            p.sessions,
            p.active_days,
            p.distinct_subjects,
            p.records,
            p.systems.join(", "),
            p.categories.join(", "),
            opt(&p.first_event),
            opt(&p.last_event)
        );
    }
    o.push_str("\n### Unattributed accounts\n\n");
    o.push_str(
        "| Account | Events | Distinct subjects | Records | Systems | Categories | \
         First event | Last event |\n|---|---:|---:|---:|---|---|---|---|\n",
    );
    for a in &gt.unattributed_accounts {
        let _ = writeln!(
            o,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} |",
            a.account,
            a.events,
            a.distinct_subjects,
            a.records,
            a.systems.join(", "),
            a.categories.join(", "),
            opt(&a.first_event),
            opt(&a.last_event)
        );
    }
}

/// The findings' ground truth (`GroundTruth::findings`), at the rules' default parameters.
/// The findings' ground truth (`GroundTruth::findings`), at the rules' default parameters.
fn write_findings(o: &mut String, gt: &GroundTruth) {
    write_findings_rules(o);
    write_findings_per_person(o, gt);
    write_findings_reach(o, gt);
}

/// What the findings rules count.
fn write_findings_rules(o: &mut String) {
    o.push_str("\n### Findings\n\n");
    o.push_str(
        "What `retrace findings` must report at its default parameters (the rules and \
         parameters are defined in the Retrace README, \"Findings\"): sessions as above; \
         cross-border = a session with an access to a system that stores its data outside the \
         country the person works in; outside approval = an approval holder's session with an \
         access no approval covers; unsupervised = a covered session whose overseer had no \
         access on the same system from 20 minutes before to 20 minutes after it; off-hours = \
         a session with an access outside 08:00–20:00 Monday–Friday in the person's own zone; \
         bulk = a session of at least 1000 records, or of at least 100 records and more than \
         twice the person's 95th-percentile session (people with at least 20 sessions); new \
         reach = the first access to a system or a data category more than 30 days after the \
         person's first access; coverage gap = a silence of an access file of at least 24 \
         empty UTC hours and at least twice its 99th-percentile silence.\n\n",
    );
}

/// The findings per person, and their totals.
fn write_findings_per_person(o: &mut String, gt: &GroundTruth) {
    let f = &gt.findings;
    let mut people: Vec<&str> = Vec::new();
    for list in [
        &f.cross_border,
        &f.outside_approval,
        &f.unsupervised,
        &f.off_hours,
        &f.bulk,
        &f.new_reach_systems,
        &f.new_reach_categories,
    ] {
        for p in list.iter() {
            if !people.contains(&p.person_id.as_str()) {
                people.push(&p.person_id);
            }
        }
    }
    people.sort_unstable();
    o.push_str(
        "Findings per person (findings / what they count):\n\n\
         | Person | Cross-border (sessions / accesses) | Outside approval (sessions / accesses) | \
         Unsupervised (sessions / accesses) | Off-hours (sessions / accesses) | Bulk (sessions / \
         records) | New reach: systems | New reach: categories |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    let cell = |list: &[super::PersonFindings], id: &str, both: bool| -> String {
        match list.iter().find(|p| p.person_id == id) {
            Some(p) if both => format!("{} / {}", p.findings, p.count),
            Some(p) => p.findings.to_string(),
            None if both => "0 / 0".to_string(),
            None => "0".to_string(),
        }
    };
    let total = |list: &[super::PersonFindings]| -> (u64, u64) {
        (
            list.iter().map(|p| p.findings).sum(),
            list.iter().map(|p| p.count).sum(),
        )
    };
    for id in &people {
        let _ = writeln!(
            o,
            "| {id} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&f.cross_border, id, true),
            cell(&f.outside_approval, id, true),
            cell(&f.unsupervised, id, true),
            cell(&f.off_hours, id, true),
            cell(&f.bulk, id, true),
            cell(&f.new_reach_systems, id, false),
            cell(&f.new_reach_categories, id, false),
        );
    }
    let both = |t: (u64, u64)| format!("{} / {}", t.0, t.1);
    let _ = writeln!(
        o,
        "| **all** | {} | {} | {} | {} | {} | {} | {} |\n",
        both(total(&f.cross_border)),
        both(total(&f.outside_approval)),
        both(total(&f.unsupervised)),
        both(total(&f.off_hours)),
        both(total(&f.bulk)),
        total(&f.new_reach_systems).0,
        total(&f.new_reach_categories).0,
    );
}

/// Accesses after revocation, coverage gaps, and whose data was reached from abroad or by each organization.
fn write_findings_reach(o: &mut String, gt: &GroundTruth) {
    let f = &gt.findings;
    let _ = writeln!(
        o,
        "After revocation: {} successful accesses; {} refused attempt(s):\n",
        f.access_after_revocation,
        f.refused_after_revocation.len()
    );
    for d in &f.refused_after_revocation {
        let _ = writeln!(o, "- {} on `{}` at {}", d.person_id, d.system, d.at);
    }
    o.push('\n');
    if f.coverage_gaps.is_empty() {
        o.push_str("Coverage gaps: none (every count is exact, not \"at least\").\n\n");
    } else {
        o.push_str("Coverage gaps (counts that span one are \"at least\"):\n\n");
        for g in &f.coverage_gaps {
            let _ = writeln!(
                o,
                "- `{}`: {} empty hours, {} .. {}",
                g.file, g.empty_hours, g.from, g.to
            );
        }
        o.push('\n');
    }
    o.push_str(
        "Whose data was reached from abroad (distinct subjects in cross-border accesses):\n\n",
    );
    o.push_str("| Subject country | Distinct subjects |\n|---|---:|\n");
    for c in &f.cross_border_subjects {
        let _ = writeln!(o, "| {} | {} |", c.country, c.subjects);
    }
    o.push('\n');
    pivot(o, &f.cross_border_by_category);
    o.push_str("### Impact per organization\n\nDistinct subjects by country × category, per organization of the acting person (successful events):\n\n");
    for org in &f.by_organization {
        let _ = writeln!(
            o,
            "{} — {} distinct subjects:\n",
            org.organization, org.distinct_subjects
        );
        if org.cells.is_empty() {
            o.push_str("(no subject touched)\n\n");
        } else {
            pivot(o, &org.cells);
        }
    }
}
