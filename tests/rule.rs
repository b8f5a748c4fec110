//! `themis rule test` end to end on the shipped corpus: its counts are those of the index's own
//! sentences (as `themis export` writes them), its overlap is their themes, and bad rules are
//! errors that say where.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::Workspace;
use serde_json::Value;

/// The index's sentences as `themis export` (NDJSON, one a sentence) gives them.
fn sentences(ws: &Workspace) -> Vec<Value> {
    ws.run(&["export", "--quiet"])
        .expect_code(0)
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn is_vet_word(word: &str) -> bool {
    matches!(word, "vet" | "vets" | "vetted" | "vetting")
}

#[test]
fn test_a_word_rule_counts_the_sentences_with_the_word_and_their_themes() {
    let ws = Workspace::with_corpus();
    let preview: Value = ws
        .run(&["rule", "test", "vetting", "--json", "--sample", "100"])
        .expect_code(0)
        .json();
    let all = sentences(&ws);
    // "vetting" is stemmed as the text is: vet, vets, vetted and vetting all match.
    let matched: Vec<&Value> = all
        .iter()
        .filter(|s| {
            s["text"]
                .as_str()
                .unwrap()
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(is_vet_word)
        })
        .collect();
    assert!(matched.len() >= 5, "{}", matched.len());
    assert_eq!(preview["sentences"].as_u64().unwrap() as usize, all.len());
    assert_eq!(
        preview["matched_sentences"].as_u64().unwrap() as usize,
        matched.len()
    );
    let reports: BTreeSet<&str> = matched
        .iter()
        .map(|s| s["report"].as_str().unwrap())
        .collect();
    assert_eq!(
        preview["matched_reports"].as_u64().unwrap() as usize,
        reports.len()
    );
    let mut overlap: BTreeMap<String, u64> = BTreeMap::new();
    for s in &matched {
        for t in s["themes"].as_array().unwrap() {
            *overlap.entry(t.as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    let reported: BTreeMap<String, u64> = preview["overlap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_u64().unwrap()))
        .collect();
    assert_eq!(reported, overlap);
    assert_eq!(
        preview["overlap"][0][0], "vetting-recruitment",
        "most overlap first"
    );
    let untagged = matched
        .iter()
        .filter(|s| s["themes"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(preview["untagged"].as_u64().unwrap() as usize, untagged);
    // The sample: every matched sentence (asked for 100), one a report first, newest first.
    let sample = preview["sample"].as_array().unwrap();
    assert_eq!(sample.len(), matched.len());
    let first_years: Vec<i64> = sample[..reports.len()]
        .iter()
        .map(|m| m["year"].as_i64().unwrap())
        .collect();
    assert!(
        first_years.windows(2).all(|w| w[0] >= w[1]),
        "{first_years:?}"
    );
    let first_reports: BTreeSet<&str> = sample[..reports.len()]
        .iter()
        .map(|m| m["report"].as_str().unwrap())
        .collect();
    assert_eq!(first_reports, reports);
}

#[test]
fn test_operators_filters_text_and_errors() {
    let ws = Workspace::with_corpus();
    let near: Value = ws
        .run(&["rule", "test", "vetting NEAR/5 (delay*|long)", "--json"])
        .expect_code(0)
        .json();
    let word: Value = ws.run(&["rule", "test", "vetting", "--json"]).json();
    let (near_n, word_n) = (
        near["matched_sentences"].as_u64().unwrap(),
        word["matched_sentences"].as_u64().unwrap(),
    );
    assert!(near_n >= 1 && near_n < word_n, "{near_n} {word_n}");
    let excluded: Value = ws
        .run(&["rule", "test", "vetting AND NOT (delay*|long)", "--json"])
        .json();
    assert!(excluded["matched_sentences"].as_u64().unwrap() < word_n);
    let wales: Value = ws
        .run(&[
            "rule",
            "test",
            "vetting",
            "--region",
            "South West",
            "--json",
        ])
        .expect_code(0)
        .json();
    assert_eq!(wales["reports"], 1);
    assert!(wales["matched_sentences"].as_u64().unwrap() < word_n);

    let text = ws
        .run(&["rule", "test", "vetting", "--sample", "2"])
        .expect_code(0)
        .stdout;
    assert!(
        text.starts_with(&format!("Rule \"vetting\" matches {word_n} sentences in ")),
        "{text}"
    );
    assert!(
        text.contains("Themes they carry now: vetting-recruitment "),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.starts_with("  20")).count(),
        2,
        "{text}"
    );

    let none = ws.run(&["rule", "test", "zzzqqq"]).expect_code(1).stdout;
    assert!(none.contains("matches 0 sentences"));
    let bad = ws
        .run(&["rule", "test", "vetting NEAR/ delay"])
        .expect_code(2);
    assert!(
        bad.stderr.contains("cannot be read: column"),
        "{}",
        bad.stderr
    );
    ws.run(&["rule", "test", "(vetting"]).expect_code(2);
}

#[test]
fn test_themes_add_puts_a_previewed_rule_into_the_index_taxonomy_and_it_persists() {
    let ws = Workspace::with_corpus();
    let rule = "gaps in public protection";
    let preview: Value = ws
        .run(&["rule", "test", rule, "--json"])
        .expect_code(0)
        .json();
    let previewed = preview["matched_sentences"].as_u64().unwrap();
    assert!(previewed >= 2);

    let out = ws.dir.path().join("my-themes.toml");
    let added: Value = ws
        .run(&[
            "themes",
            "add",
            "public-protection-gaps",
            "--label",
            "Gaps in public protection",
            "--rule",
            rule,
            "--category",
            "protection",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ])
        .expect_code(0)
        .json();
    // The index is re-tagged with it: the sentences the preview found now carry it.
    assert_eq!(added["sentences"].as_u64().unwrap(), previewed);
    assert_eq!(added["reports"], preview["matched_reports"]);
    // Later commands, without --themes, keep the index's new taxonomy.
    let themes: Value = ws.run(&["themes", "--json"]).expect_code(0).json();
    let entry = themes["themes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "public-protection-gaps")
        .expect("the new theme is in the index's taxonomy");
    assert_eq!(entry["sentences"].as_u64().unwrap(), previewed);
    assert_eq!(entry["category"], "protection");
    let search: Value = ws
        .run(&["search", "theme:public-protection-gaps", "--json"])
        .expect_code(0)
        .json();
    assert!(search["total_reports"].as_u64().unwrap() >= 1);
    let again: Value = ws.run(&["rule", "test", rule, "--json"]).json();
    assert_eq!(again["overlap"][0][0], "public-protection-gaps");
    // The written file is a whole taxonomy: 29 built-in themes and the new one.
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.matches("\n[[theme]]\n").count(), 30, "{text}");
    let tagged = ws
        .run_with_stdin(
            &["tag", "--json", "--themes", out.to_str().unwrap(), "-"],
            b"There were serious gaps in public protection work.",
        )
        .expect_code(0);
    assert!(
        tagged.stdout.contains("public-protection-gaps"),
        "{}",
        tagged.stdout
    );

    // Errors: the id taken, a rule that cannot be read, an unknown category. Nothing changes.
    let taken = ws
        .run(&[
            "themes",
            "add",
            "public-protection-gaps",
            "--label",
            "X",
            "--rule",
            "x",
        ])
        .expect_code(2);
    assert!(
        taken.stderr.contains("already has a theme"),
        "{}",
        taken.stderr
    );
    let bad = ws
        .run(&[
            "themes",
            "add",
            "other",
            "--label",
            "X",
            "--rule",
            "a NEAR/ b",
        ])
        .expect_code(2);
    assert!(bad.stderr.contains("column"), "{}", bad.stderr);
    let category = ws
        .run(&[
            "themes",
            "add",
            "other",
            "--label",
            "X",
            "--rule",
            "x",
            "--category",
            "nope",
        ])
        .expect_code(2);
    assert!(
        category.stderr.contains("unknown category"),
        "{}",
        category.stderr
    );
    let after: Value = ws.run(&["themes", "--json"]).json();
    assert_eq!(after["themes"].as_array().unwrap().len(), 30);
}

#[test]
fn test_themes_add_from_search_writes_the_query_as_rules() {
    let ws = Workspace::with_corpus();
    let added: Value = ws
        .run(&[
            "themes",
            "add",
            "vetting-delays",
            "--label",
            "Vetting delays",
            "--from-search",
            "\"vetting delays\"~5 OR (vetting AND backlog*)",
            "--json",
        ])
        .expect_code(0)
        .json();
    assert_eq!(
        added["rules"],
        serde_json::json!(["vetting NEAR/5 delays", "vetting AND backlog*"])
    );
    // Its sentences are those the two rules find, previewed one by one.
    let mut found = BTreeSet::new();
    for rule in ["vetting NEAR/5 delays", "vetting AND backlog*"] {
        let preview: Value = ws
            .run(&["rule", "test", rule, "--json", "--sample", "100"])
            .json();
        for m in preview["sample"].as_array().unwrap() {
            found.insert(m["text"].as_str().unwrap().to_string());
        }
    }
    assert!(!found.is_empty());
    assert_eq!(added["sentences"].as_u64().unwrap() as usize, found.len());
    let bad = ws
        .run(&[
            "themes",
            "add",
            "x",
            "--label",
            "X",
            "--from-search",
            "region:Wales vetting",
        ])
        .expect_code(2);
    assert!(
        bad.stderr.contains("cannot be written as rules"),
        "{}",
        bad.stderr
    );
}
