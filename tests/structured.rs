//! End-to-end tests of recommendations, scores, ratings and key facts on the shipped corpus.

mod common;

use common::Workspace;
use serde_json::Value;

fn json(ws: &Workspace, args: &[&str]) -> Value {
    let run = ws.run(args).expect_code(0);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.stdout))
}

#[test]
fn test_scores_exact_values_and_average() {
    let ws = Workspace::with_corpus();
    let scores = json(&ws, &["scores", "--json"]);
    let reports = scores["reports"].as_array().unwrap();
    let by_region = |region: &str| {
        reports
            .iter()
            .find(|r| r["region"] == region)
            .unwrap()
            .clone()
    };
    let gm = by_region("Greater Manchester");
    let sw = by_region("South West");
    let four = |r: &Value| {
        ["assessment", "planning", "implementation", "reviewing"].map(|q| r[q].as_f64().unwrap())
    };
    assert_eq!(four(&gm), [49.0, 63.0, 47.0, 51.0]);
    assert_eq!(four(&sw), [45.0, 59.0, 30.0, 39.0]);
    assert_eq!(four(&scores["average"]), [47.0, 61.0, 38.5, 45.0]);

    // Annexe two ratings of the 2023 letter.
    let ratings = scores["ratings"].as_array().unwrap();
    let overall = ratings
        .iter()
        .find(|r| r["subject"] == "Manchester North" && r["standard"].is_null())
        .unwrap();
    assert_eq!(overall["rating"], "Requires improvement");
    assert_eq!(overall["score"], "10/24");
    let assessment = ratings
        .iter()
        .find(|r| r["subject"] == "Manchester North" && r["standard"] == "2.2")
        .unwrap();
    assert_eq!(assessment["rating"], "Inadequate");

    let csv = ws.run(&["scores", "--format", "csv"]).expect_code(0).stdout;
    assert!(csv.contains("Greater Manchester 2026,49,63,47,51"), "{csv}");
    let md = ws.run(&["scores", "--format", "md"]).expect_code(0).stdout;
    assert!(
        md.contains("| South West 2026 | 45 | 59 | 30 | 39 |"),
        "{md}"
    );
}

#[test]
fn test_recommendation_counts_and_addressees() {
    let ws = Workspace::with_corpus();
    let all = json(&ws, &["recommendations", "--json"]);
    let list = all["recommendations"].as_array().unwrap();
    let count = |report: &str, addressee: &str| {
        list.iter()
            .filter(|r| r["report"] == report && r["addressee"] == addressee)
            .count()
    };
    for report in ["gm-dipp-2026", "sw-dipp-2026"] {
        assert_eq!(count(report, "region"), 3, "{report}");
        assert_eq!(count(report, "hmpps"), 3, "{report}");
    }
    let letter = "gm-regional-letter-2023";
    assert_eq!(count(letter, "pdu"), 14);
    assert_eq!(count(letter, "region"), 10);
    assert_eq!(count(letter, "hmpps"), 4);
    let pdus: std::collections::BTreeSet<&str> = list
        .iter()
        .filter(|r| r["report"] == letter && r["addressee"] == "pdu")
        .map(|r| r["addressee_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        pdus.into_iter().collect::<Vec<_>>(),
        ["Manchester North", "Tameside", "Wigan"]
    );

    let hmpps = json(
        &ws,
        &[
            "recommendations",
            "--addressee",
            "hmpps",
            "--region",
            "South West",
            "--json",
        ],
    );
    assert_eq!(hmpps["recommendations"].as_array().unwrap().len(), 3);
    let vetting = json(
        &ws,
        &[
            "recommendations",
            "--theme",
            "vetting-recruitment",
            "--json",
        ],
    );
    let texts: Vec<&str> = vetting["recommendations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["text"].as_str().unwrap())
        .collect();
    assert!(
        texts
            .iter()
            .filter(|t| t.contains("vetting delays"))
            .count()
            >= 2,
        "{texts:?}"
    );
}

#[test]
fn test_recurring_recommendations() {
    let ws = Workspace::with_corpus();
    let groups = json(&ws, &["recommendations", "--recurring", "--json"]);
    let groups = groups["groups"].as_array().unwrap();
    let find = |needle: &str| {
        groups
            .iter()
            .find(|g| {
                g["recommendations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .all(|r| r["text"].as_str().unwrap().contains(needle))
            })
            .unwrap_or_else(|| panic!("no group for {needle}: {groups:#?}"))
            .clone()
    };
    for needle in [
        "vetting delays",
        "metrics in dashboards",
        "learning needs analysis",
    ] {
        let group = find(needle);
        let reports: std::collections::BTreeSet<&str> = group["recommendations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["report"].as_str().unwrap())
            .collect();
        assert_eq!(
            reports.into_iter().collect::<Vec<_>>(),
            ["gm-dipp-2026", "sw-dipp-2026"]
        );
    }
}

#[test]
fn test_facts_side_by_side() {
    let ws = Workspace::with_corpus();
    let facts = json(&ws, &["facts", "--json"]);
    let reports = facts["reports"].as_array().unwrap();
    let gm = reports
        .iter()
        .find(|r| r["region"] == "Greater Manchester")
        .unwrap();
    let value = |name: &str| {
        gm["facts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap()["value"]
            .as_f64()
            .unwrap()
    };
    assert_eq!(value("people_supervised"), 16013.0);
    assert_eq!(value("staffing_po_percent"), 72.0);
    assert_eq!(value("recall_rate_percent"), 24.88);
    assert_eq!(value("programme_completion_sexual_percent"), 35.71);
    let text = ws.run(&["facts"]).expect_code(0).stdout;
    assert!(text.contains("16013") && text.contains("16821"), "{text}");
}

#[test]
fn test_malformed_score_table_is_reported_not_guessed() {
    let ws = Workspace::empty();
    ws.write(
        "broken.txt",
        "Dynamic Inspection of Public Protection in Wales\n\nScoring (Back to top)\n\
         | Key question | Percentage ‘Yes’ |\n\
         | Does assessment focus sufficiently on keeping other people safe? | 41% |\n\
         | Does planning focus sufficiently on keeping other people safe? | |\n",
    );
    let run = ws.run(&["index", "--json"]);
    assert!(
        run.stderr.contains("broken.txt") && run.stderr.contains("line"),
        "{}",
        run.stderr
    );
    let scores = json(&ws, &["scores", "--json"]);
    let report = &scores["reports"][0];
    assert_eq!(report["assessment"], 41.0);
    assert!(
        report["planning"].is_null(),
        "a missing percentage is not guessed: {report}"
    );
    assert!(
        report["reviewing"].is_null(),
        "a table cut short is not guessed: {report}"
    );
}

/// Asserts RFC 4180 line endings: every record ends with CRLF, no bare LF.
fn assert_crlf(csv: &str) {
    assert!(csv.ends_with("\r\n"), "{csv:?}");
    assert_eq!(
        csv.matches("\r\n").count(),
        csv.matches('\n').count(),
        "LF without CR: {csv:?}"
    );
}

#[test]
fn test_every_csv_output_has_crlf_line_endings() {
    let ws = Workspace::with_corpus();
    for args in [
        &["scores", "--format", "csv"][..],
        &["facts", "--format", "csv"],
        &["recommendations", "--format", "csv"],
        &["recommendations", "--recurring", "--format", "csv"],
        &["report", "--format", "csv"],
        &["search", "vetting", "--format", "csv"],
    ] {
        let csv = ws.run(args).expect_code(0).stdout;
        assert!(csv.lines().count() > 1, "{args:?}: {csv}");
        assert_crlf(&csv);
    }
    // Nothing recurs within one region: the CSV is its header alone.
    let csv = ws
        .run(&[
            "recommendations",
            "--recurring",
            "--region",
            "South West",
            "--format",
            "csv",
        ])
        .expect_code(1)
        .stdout;
    assert_eq!(
        csv,
        "group,report,year,region,addressee,addressee_name,number,text,themes\r\n"
    );
}

/// Two fact labels share their first 70 characters ("Percentage of accredited programme
/// requirements completed for individuals …"); the text table must still tell them apart.
#[test]
fn test_facts_text_table_keeps_long_labels_distinct() {
    let ws = Workspace::with_corpus();
    let text = ws.run(&["facts"]).expect_code(0).stdout;
    assert!(!text.contains('…'), "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
    // A row starts on a line that is not indented, its values at the end; wrapped
    // continuation lines are indented and hold only the rest of the label.
    let mut labels: Vec<String> = Vec::new();
    for line in text.lines().skip(1) {
        let mut words: Vec<&str> = line.split_whitespace().collect();
        if !line.starts_with("  ") {
            while words
                .last()
                .is_some_and(|w| w.parse::<f64>().is_ok() || *w == "–")
            {
                words.pop();
            }
        }
        if line.starts_with("  ") {
            let last = labels.last_mut().expect("a row before its continuation");
            last.push(' ');
            last.push_str(&words.join(" "));
        } else {
            labels.push(words.join(" "));
        }
    }
    let prefix = "Percentage of accredited programme requirements completed for individuals";
    for label in [
        format!(
            "{prefix} convicted of a sexual offence (in the 12 months prior to inspection) (%)"
        ),
        format!(
            "{prefix} not convicted of a sexual offence (in the 12 months prior to inspection) (%)"
        ),
    ] {
        assert!(labels.contains(&label), "{label} not in {labels:#?}");
    }
    let distinct: std::collections::BTreeSet<&String> = labels.iter().collect();
    assert_eq!(distinct.len(), labels.len(), "{labels:#?}");
}

#[test]
fn test_enum_options_accept_their_spellings_only() {
    let ws = Workspace::with_corpus();
    let polarity = ws
        .run(&["report", "--polarity", "Concern", "--format", "csv"])
        .expect_code(0)
        .stdout;
    let lower = ws
        .run(&["report", "--polarity", "concern", "--format", "csv"])
        .expect_code(0)
        .stdout;
    assert_eq!(polarity, lower);
    for args in [
        &["report", "--by", "colour"][..],
        &["report", "--metric", "per100k"],
        &["report", "--polarity", "angry"],
        &["report", "--format", "xml"],
        &["scores", "--format", "json"],
        &["findings", "--format", "xml"],
        &["recommendations", "--addressee", "HMPPS"],
    ] {
        let run = ws.run(args).expect_code(2);
        assert!(
            run.stderr.contains("invalid value"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

/// Issue 21, item 13: the South West scoring and key-facts tables as a PDF whose rows wrap in
/// their cells and run together in the text layer (tests/data/formats/wrapped-tables.pdf, see
/// its README). Every score and fact is either the shipped text's value or missing with a
/// warning (printed by the index run, naming the file) that names it: never another number.
#[test]
fn test_wrapped_pdf_table_rows_read_as_the_text_or_are_reported_missing() {
    let ws = Workspace::empty();
    let formats = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats");
    std::fs::copy(
        formats.join("wrapped-tables.pdf"),
        ws.corpus().join("sw-pdf.pdf"),
    )
    .unwrap();
    std::fs::copy(
        common::shipped_corpus().join("004_66209604aff7130f.txt"),
        ws.corpus().join("sw-text.txt"),
    )
    .unwrap();
    let index = ws.run(&["index"]).expect_code(0);
    let warnings: Vec<String> = index
        .stderr
        .lines()
        .filter(|l| l.contains("sw-pdf.pdf") && l.contains("warning"))
        .map(str::to_lowercase)
        .collect();
    let warned = |what: &str| warnings.iter().any(|w| w.contains(what));

    let scores = json(&ws, &["scores", "--json"]);
    let report = |id: &str| {
        scores["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["report"] == id)
            .unwrap_or_else(|| panic!("{id}: {scores}"))
            .clone()
    };
    let (pdf, text) = (report("sw-pdf"), report("sw-text"));
    for q in ["assessment", "planning", "implementation", "reviewing"] {
        assert!(text[q].is_f64(), "{q}: {text}");
        assert!(
            pdf[q] == text[q] || (pdf[q].is_null() && warned(q)),
            "{q}: the PDF reads {} where the text says {} ({warnings:?})",
            pdf[q],
            text[q]
        );
    }

    let facts = json(&ws, &["facts", "--json"]);
    let facts_of = |file: &str| -> Vec<(String, f64)> {
        facts["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r.to_string().contains(file))
            .map(|r| {
                r["facts"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| {
                        (
                            f["name"].as_str().unwrap().to_string(),
                            f["value"].as_f64().unwrap(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let (pdf, text) = (facts_of("sw-pdf"), facts_of("sw-text"));
    assert_eq!(text.len(), 16, "{text:?}");
    for fact in &pdf {
        assert!(text.contains(fact), "{fact:?} is not in the text: {text:?}");
    }
    // What a warning would call each fact.
    let mention = |name: &str| match name.split('_').next().unwrap() {
        "people" => "people supervised",
        "mappa" => "mappa",
        "victim" => "victim satisfaction",
        "staffing" => "staffing",
        "caseload" => "caseload",
        "recall" => "recall rate",
        "rar" => "rar days",
        "programme" if name.contains("non_sexual") => "not convicted of a sexual",
        "programme" => "sexual offence",
        _ => "classification",
    };
    for fact in &text {
        assert!(
            pdf.contains(fact) || warned(mention(&fact.0)),
            "{fact:?} is neither read nor reported: {pdf:?} {warnings:?}"
        );
    }
}
