//! Tagging as a map step: `themis tag --json -` reading NDJSON reports on stdin (one a line,
//! bad lines named by number and the rest tagged), tagging them exactly as a file is tagged,
//! and the Dask example (examples/dask/theme_counts.py) counting theme x region x year over
//! the shipped corpus to exactly what `themis report --by region` and `--by year` count.

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use common::Workspace;
use serde_json::{json, Value};

fn records(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn test_ndjson_reports_are_tagged_line_by_line_and_bad_lines_are_named() {
    let ws = Workspace::empty();
    let vetting =
        "Vetting took up to five months, so new staff could not start. The weather was fine.";
    let input = [
        json!({"id": "a", "text": vetting, "region": "south west", "year": 2024}).to_string(),
        r#"{"id": "b", "text": "Caseloads were too high.""#.to_string(),
        String::new(),
        json!({"id": "c", "text": "x", "region": "Narnia"}).to_string(),
        "Caseloads were too high.".to_string(),
        json!({"id": "empty", "text": "  "}).to_string(),
        json!({"id": "d", "text": "Caseloads were too high.", "title": "D", "type": "pdu-inspection"})
            .to_string(),
    ]
    .join("\n");
    let run = ws.run_with_stdin(&["tag", "--json", "-"], input.as_bytes());
    let run = run.expect_code(2);
    // Each problem names its line; the empty report is a warning, as an empty file is.
    for (line, says) in [
        (2, "error: line 2: not a JSON report: EOF while parsing"),
        (4, "error: line 4: unknown region `Narnia`"),
        (5, "error: line 5: not a JSON report (in NDJSON input"),
        (6, "warning: line 6: `text`: skipped: empty file"),
    ] {
        assert!(run.stderr.contains(says), "line {line}: {}", run.stderr);
    }
    assert_eq!(run.stderr.lines().count(), 4, "{}", run.stderr);

    let records = records(&run.stdout);
    let documents: Vec<&Value> = records.iter().filter(|r| r["kind"] == "document").collect();
    assert_eq!(documents.len(), 2, "reports a and d were tagged");
    assert_eq!(documents[0]["report"], "a");
    assert_eq!(
        documents[0]["region"], "South West",
        "spelled as the index spells it"
    );
    assert_eq!(documents[0]["year"], 2024);
    assert_eq!(documents[1]["report"], "d");
    assert_eq!(documents[1]["type"], "pdu-inspection");
    assert_eq!(
        documents[1]["region"],
        Value::Null,
        "a manifest entry's unknown stays unknown"
    );
    let a: Vec<&Value> = records
        .iter()
        .filter(|r| r["kind"] == "sentence" && r["report"] == "a")
        .collect();
    assert_eq!(a.len(), 2);
    for sentence in &a {
        let (start, end) = (
            sentence["start"].as_u64().unwrap() as usize,
            sentence["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&vetting[start..end], sentence["text"].as_str().unwrap());
    }
    assert!(a[0]["themes"]
        .as_array()
        .unwrap()
        .contains(&json!("vetting-recruitment")));
    assert_eq!(a[0]["polarity"], "concern");
}

#[test]
fn test_a_report_given_as_json_is_tagged_as_its_file_is() {
    let ws = Workspace::with_corpus();
    let rel = "004_66209604aff7130f.txt";
    let text = std::fs::read_to_string(ws.corpus().join(rel)).unwrap();
    let line = json!({"id": "sw-dipp-2026", "file": rel, "text": text, "title": "T",
        "type": "dynamic-inspection", "region": "South West", "year": 2026});
    let piped = ws
        .run_with_stdin(&["tag", "--json", "-"], format!("{line}\n").as_bytes())
        .expect_code(0);
    let from_file = ws
        .run(&["tag", "--json", ws.corpus().join(rel).to_str().unwrap()])
        .expect_code(0);
    let sentences = |stdout: &str| -> Vec<Value> {
        records(stdout)
            .into_iter()
            .filter(|r| r["kind"] == "sentence")
            .map(|r| {
                json!([
                    r["start"],
                    r["end"],
                    r["text"],
                    r["themes"],
                    r["polarity"],
                    r["section"]
                ])
            })
            .collect()
    };
    let piped = sentences(&piped.stdout);
    assert!(piped.len() > 100);
    assert_eq!(piped, sentences(&from_file.stdout));
}

/// `python3` with `dask` importable, or why not.
fn python_with_dask() -> Result<(), String> {
    let probe = Command::new("python3")
        .args(["-c", "import dask.bag, tomllib"])
        .output()
        .map_err(|e| format!("python3 cannot be run: {e}"))?;
    if probe.status.success() {
        Ok(())
    } else {
        Err(format!(
            "python3 cannot import dask.bag and tomllib (pip install dask; Python 3.11+): {}",
            String::from_utf8_lossy(&probe.stderr).trim()
        ))
    }
}

/// `themis report --by GROUP --format json` as (theme, group key) -> count, zeros left out;
/// and each group's (reports, sentences).
type Matrix = BTreeMap<(String, String), u64>;
fn report_matrix(ws: &Workspace, by: &str) -> (Matrix, BTreeMap<String, (u64, u64)>) {
    let report: Value = ws
        .run(&["report", "--by", by, "--format", "json"])
        .expect_code(0)
        .json();
    let keys: Vec<String> = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"].as_str().unwrap().to_string())
        .collect();
    let mut matrix = BTreeMap::new();
    for row in report["rows"].as_array().unwrap() {
        for (key, value) in keys.iter().zip(row["values"].as_array().unwrap()) {
            let value = value.as_f64().unwrap();
            assert_eq!(value.fract(), 0.0, "sentence counts are whole");
            if value > 0.0 {
                let theme = row["id"].as_str().unwrap().to_string();
                matrix.insert((theme, key.clone()), value as u64);
            }
        }
    }
    let groups = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["key"].as_str().unwrap().to_string(),
                (
                    g["reports"].as_u64().unwrap(),
                    g["sentences"].as_u64().unwrap(),
                ),
            )
        })
        .collect();
    (matrix, groups)
}

#[test]
fn test_the_dask_example_counts_what_the_report_counts() {
    if let Err(why) = python_with_dask() {
        if std::env::var_os("CI").is_some() {
            panic!("the Dask example cannot run in CI: {why} (.ci/run installs dask)");
        }
        eprintln!("skipped locally: {why}");
        return;
    }
    let ws = Workspace::with_corpus();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dask/theme_counts.py");
    let run = Command::new("python3")
        .arg(&script)
        .arg(ws.corpus())
        .args([
            "--themis",
            env!("CARGO_BIN_EXE_themis"),
            "--partitions",
            "3",
            "--json",
        ])
        .output()
        .expect("run python3");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the example failed: {stderr}");
    assert!(stderr.trim().is_empty(), "nothing to warn about: {stderr}");
    let counts: Value = serde_json::from_slice(&run.stdout).expect("the example's JSON");

    // theme x region x year, summed over years and over regions.
    let mut by_region = Matrix::new();
    let mut by_year = Matrix::new();
    for row in counts["themes"].as_array().unwrap() {
        let theme = row["theme"].as_str().unwrap().to_string();
        let n = row["sentences"].as_u64().unwrap();
        let region = row["region"]
            .as_str()
            .expect("every shipped report has a region");
        let year = row["year"]
            .as_u64()
            .expect("every shipped report has a year");
        *by_region
            .entry((theme.clone(), region.to_string()))
            .or_default() += n;
        *by_year.entry((theme, year.to_string())).or_default() += n;
    }
    let (index_by_region, region_groups) = report_matrix(&ws, "region");
    let (index_by_year, year_groups) = report_matrix(&ws, "year");
    assert!(
        by_region.len() > 40,
        "{} theme x region cells",
        by_region.len()
    );
    assert_eq!(by_region, index_by_region);
    assert_eq!(by_year, index_by_year);

    // And each group's reports and sentences.
    let mut regions: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut years: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for group in counts["groups"].as_array().unwrap() {
        let (reports, sentences) = (
            group["reports"].as_u64().unwrap(),
            group["sentences"].as_u64().unwrap(),
        );
        for (map, key) in [
            (&mut regions, group["region"].as_str().unwrap().to_string()),
            (&mut years, group["year"].to_string()),
        ] {
            let entry = map.entry(key).or_default();
            entry.0 += reports;
            entry.1 += sentences;
        }
    }
    assert_eq!(regions, region_groups);
    assert_eq!(years, year_groups);
}
