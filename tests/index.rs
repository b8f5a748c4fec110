//! End-to-end tests of `themis index`: incremental updates, metadata, and bad input.

mod common;

use common::Workspace;
use serde_json::Value;

fn index(ws: &Workspace, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec!["index", "--json"];
    args.extend_from_slice(extra);
    let run = ws.run(&args);
    let summary: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}\n{}", run.stdout, run.stderr));
    (run.code, summary, run.stderr)
}

fn tag_documents(ws: &Workspace) -> Vec<Value> {
    let files: Vec<String> = (0..5)
        .map(|i| {
            std::fs::read_dir(ws.corpus())
                .unwrap()
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .find(|p| {
                    p.file_name()
                        .unwrap()
                        .to_string_lossy()
                        .starts_with(&format!("00{i}_"))
                })
                .unwrap()
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec!["tag", "--json"];
    args.extend(files.iter().map(String::as_str));
    let run = ws.run(&args).expect_code(0);
    run.stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|v| v["kind"] == "document")
        .collect()
}

#[test]
fn test_incremental_reindexing() {
    let ws = Workspace::with_corpus();
    let (code, first, _) = index(&ws, &[]);
    assert_eq!(code, 0);
    assert_eq!(first["reports"], 5);
    assert_eq!(first["indexed"], 5);
    let passages = first["passages"].as_u64().unwrap();
    assert!(passages > 100, "{first}");

    let (_, again, _) = index(&ws, &[]);
    assert_eq!(
        again["indexed"], 0,
        "unchanged corpus indexes nothing: {again}"
    );
    assert_eq!(again["unchanged"], 5);
    assert_eq!(again["passages"].as_u64().unwrap(), passages);

    let press = ws.corpus().join("002_5d4a424a9be3597c.txt");
    let mut text = std::fs::read_to_string(&press).unwrap();
    text.push_str("\nInspectors found a quokka in the probation office.\n");
    std::fs::write(&press, text).unwrap();
    let (_, edited, _) = index(&ws, &[]);
    assert_eq!(
        edited["indexed"], 1,
        "only the edited file is re-indexed: {edited}"
    );
    assert_eq!(edited["unchanged"], 4);
    let found = ws.run(&["search", "quokka", "--json"]).expect_code(0);
    assert!(found.stdout.contains("gm-press-release-2017"));

    std::fs::remove_file(&press).unwrap();
    let (_, removed, _) = index(&ws, &[]);
    assert_eq!(removed["removed"], 1);
    assert_eq!(removed["reports"], 4);
    ws.run(&["search", "quokka"]).expect_code(1);
    let south_west = ws.run(&["search", "Glenys", "--json"]).expect_code(1);
    assert!(!south_west.stdout.contains("gm-press-release-2017"));

    let (_, rebuilt, _) = index(&ws, &["--rebuild"]);
    assert_eq!(rebuilt["indexed"], 4);
}

#[test]
fn test_manifest_metadata_for_all_five() {
    let ws = Workspace::with_corpus();
    let run = ws
        .run(&[
            "search",
            "probation",
            "--json",
            "--limit",
            "10",
            "--per-report",
            "1",
        ])
        .expect_code(0);
    let results: Value = serde_json::from_str(&run.stdout).unwrap();
    let reports = results["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 5);
    let find = |id: &str| reports.iter().find(|r| r["report"] == id).unwrap().clone();
    let gm = find("gm-dipp-2026");
    assert_eq!(
        gm["title"],
        "Dynamic Inspection of Public Protection in Greater Manchester"
    );
    assert_eq!(gm["region"], "Greater Manchester");
    assert_eq!(gm["year"], 2026);
    assert_eq!(gm["type"], "dynamic-inspection");
    let letter = find("gm-regional-letter-2023");
    assert_eq!(letter["year"], 2023);
    assert_eq!(letter["type"], "regional-letter");
    assert_eq!(find("gm-press-release-2017")["year"], 2017);
    assert_eq!(find("gm-bbc-news-2023")["type"], "news-article");
    assert_eq!(find("sw-dipp-2026")["region"], "South West");
}

#[test]
fn test_inference_without_manifest() {
    let ws = Workspace::without_manifest();
    let docs = tag_documents(&ws);
    assert_eq!(docs.len(), 5);
    let regions: Vec<&str> = docs
        .iter()
        .map(|d| d["region"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(
        regions,
        [
            "Greater Manchester",
            "Greater Manchester",
            "Greater Manchester",
            "Greater Manchester",
            "South West"
        ]
    );
    // The letter states its date.
    assert_eq!(docs[1]["year"], 2023);
    assert_eq!(docs[1]["date"], "2023-05-25");
    // Types are inferred from the text.
    assert_eq!(docs[1]["type"], "regional-letter");
    assert_eq!(docs[0]["type"], "dynamic-inspection");
    assert_eq!(docs[3]["type"], "news-article");
    // Indexing without a manifest works and uses the inferred metadata.
    let (code, summary, _) = index(&ws, &[]);
    assert_eq!(code, 0);
    assert_eq!(summary["reports"], 5);
    let sw = ws
        .run(&["search", "vetting", "--region", "South West", "--json"])
        .expect_code(0);
    assert!(sw.stdout.contains("004_66209604aff7130f.txt"));
}

#[test]
fn test_bad_files_are_reported_and_the_rest_indexed() {
    let ws = Workspace::with_corpus();
    ws.write("empty.txt", "");
    ws.write("binary.txt", b"\x00\x01\x02\x03binary\x00");
    ws.write(
        "latin1.txt",
        b"Caf\xe9 culture\n\nThe probation caf\xe9 had long delays in vetting.\n",
    );
    ws.write("report.docx", b"PK\x03\x04");
    ws.write(
        "nested/deeper/ok.md",
        "# A note\n\nStaff shortages in the Wigan PDU were severe.\n",
    );
    let unreadable = ws.write("unreadable.txt", "secret");
    let can_lock = set_unreadable(&unreadable);

    let (code, summary, stderr) = index(&ws, &[]);
    assert_eq!(
        code, 2,
        "a file that could not be read makes the exit code 2"
    );
    assert!(
        stderr.contains("empty.txt") && stderr.contains("empty"),
        "{stderr}"
    );
    assert!(
        stderr.contains("binary.txt") && stderr.contains("binary"),
        "{stderr}"
    );
    assert!(
        stderr.contains("latin1.txt") && stderr.contains("UTF-8"),
        "{stderr}"
    );
    assert!(
        stderr.contains("report.docx") && stderr.contains("unsupported"),
        "{stderr}"
    );
    if can_lock {
        assert!(stderr.contains("unreadable.txt"), "{stderr}");
    }
    // 5 shipped + latin1 + nested ok.md are indexed (+ the "unreadable" file when running as
    // root, where permissions do not stop reading).
    assert_eq!(
        summary["reports"],
        if can_lock { 7 } else { 8 },
        "{summary}"
    );
    assert_eq!(summary["errors"], if can_lock { 2 } else { 1 }, "{summary}");
    assert_eq!(
        summary["skipped"], 2,
        "empty and docx are skipped with warnings: {summary}"
    );
    let cafe = ws.run(&["search", "café", "--json"]).expect_code(0);
    assert!(cafe.stdout.contains("latin1.txt"), "{}", cafe.stdout);
    ws.run(&["search", "Wigan PDU", "--json"]).expect_code(0);
}

#[test]
fn test_missing_corpus_is_a_clear_error() {
    let ws = Workspace::empty();
    std::fs::remove_dir(ws.corpus()).unwrap();
    let run = ws.run(&["index"]).expect_code(2);
    assert!(
        run.stderr.contains("corpus folder") && run.stderr.contains("does not exist"),
        "{}",
        run.stderr
    );
    let search = ws.run(&["search", "vetting"]).expect_code(2);
    assert!(
        search.stderr.contains("does not exist"),
        "{}",
        search.stderr
    );
}

#[test]
fn test_foreign_index_gets_a_rebuild_message() {
    let ws = Workspace::with_corpus();
    std::fs::create_dir_all(ws.index()).unwrap();
    std::fs::write(ws.index().join("meta.json"), "{\"not\": \"tantivy\"}").unwrap();
    let run = ws.run(&["search", "vetting"]).expect_code(2);
    assert!(
        run.stderr.contains("themis index --rebuild"),
        "{}",
        run.stderr
    );
    index(&ws, &["--rebuild"]);
    ws.run(&["search", "vetting"]).expect_code(0);
}

/// Makes a file unreadable; returns false when the OS ignores it (e.g. running as root).
fn set_unreadable(path: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o000)).unwrap();
        std::fs::read(path).is_err()
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[test]
fn test_empty_corpus_gives_an_empty_index_not_an_error() {
    let ws = Workspace::empty();
    let run = ws.run(&["search", "vetting"]).expect_code(1);
    assert!(run.stdout.contains("No passages match"), "{run:?}");
    let (code, summary, _) = index(&ws, &[]);
    assert_eq!(code, 0);
    assert_eq!(summary["reports"], 0);
}

#[test]
fn test_commands_update_a_stale_index_before_answering() {
    let ws = Workspace::with_corpus();
    ws.run(&["index"]).expect_code(0);
    // Up to date: no update, no message.
    let quiet = ws.run(&["search", "vetting"]).expect_code(0);
    assert_eq!(quiet.stderr, "", "an up-to-date index is used as is");

    ws.write(
        "added.txt",
        "Zanzibarish caseloads were reviewed by managers.\n",
    );
    let run = ws.run(&["search", "zanzibarish"]).expect_code(0);
    assert!(
        run.stderr.contains("1 corpus file changed"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("added.txt") || run.stdout.contains("Zanzibarish"));

    // A changed file is re-read; a removed one disappears.
    ws.write("added.txt", "Quixotically long vetting.\n");
    ws.run(&["search", "quixotically"]).expect_code(0);
    ws.run(&["search", "zanzibarish"]).expect_code(1);
    std::fs::remove_file(ws.corpus().join("added.txt")).unwrap();
    let run = ws.run(&["report", "--json"]).expect_code(0);
    assert!(run.stderr.contains("changed"), "{}", run.stderr);
    ws.run(&["search", "quixotically"]).expect_code(1);
    // And once up to date, quiet again.
    assert_eq!(ws.run(&["search", "vetting"]).expect_code(0).stderr, "");
}

#[test]
fn test_a_manifest_entry_without_its_file_is_a_named_warning() {
    let ws = Workspace::with_corpus();
    let manifest = std::fs::read_to_string(ws.corpus().join("reports.toml")).unwrap();
    let extra = "\n[[report]]\nfile = \"missing-report.txt\"\nid = \"ghost-2024\"\ntitle = \"Ghost\"\ntype = \"press-release\"\n";
    std::fs::write(ws.corpus().join("reports.toml"), manifest + extra).unwrap();
    let run = ws.run(&["index"]).expect_code(0);
    assert!(
        run.stderr.contains("missing-report.txt") && run.stderr.contains("not found"),
        "{}",
        run.stderr
    );
}
