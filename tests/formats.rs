//! End-to-end tests of PDF and HTML reports (fixtures in tests/data/formats/, made from the
//! shipped corpus as that folder's README describes).

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::Workspace;
use serde_json::Value;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/formats")
        .join(name)
}

fn workspace_with(files: &[&str]) -> Workspace {
    let ws = Workspace::empty();
    for name in files {
        std::fs::copy(fixture(name), ws.corpus().join(name)).unwrap();
    }
    ws
}

fn json(ws: &Workspace, args: &[&str]) -> Value {
    let run = ws.run(args).expect_code(0);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.stdout))
}

#[test]
fn test_bad_pdfs_are_reported_per_file_and_the_rest_indexed() {
    let ws = workspace_with(&[
        "letter.pdf",
        "report.html",
        "nav-heavy.html",
        "encrypted.pdf",
        "scanned.pdf",
        "truncated.pdf",
        "not-a-pdf.pdf",
    ]);
    let run = ws.run(&["index", "--json"]);
    assert_eq!(run.code, 2, "{run:?}");
    let err = &run.stderr;
    assert!(
        err.contains("encrypted.pdf") && err.contains("encrypted"),
        "{err}"
    );
    assert!(err.contains("scanned.pdf") && err.contains("OCR"), "{err}");
    assert!(
        err.contains("truncated.pdf") && err.contains("truncated"),
        "{err}"
    );
    assert!(
        err.contains("not-a-pdf.pdf") && err.contains("not a PDF"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let summary: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(summary["reports"], 3);
    assert_eq!(summary["errors"], 4);
}

#[test]
fn test_pdf_citations_carry_pages_and_extracted_offsets() {
    let ws = workspace_with(&["letter.pdf"]);
    let shown = json(&ws, &["show", "letter", "--json"]);
    let text = shown["text"].as_str().unwrap();
    assert_eq!(shown["offsets"], "extracted");
    let pages = shown["pages"].as_array().unwrap();
    assert!(pages.len() >= 3, "{pages:?}");
    // The running header and the bare page numbers are gone.
    assert!(
        !text.contains("Regional review letter to Greater Manchester RPD"),
        "running header left in"
    );
    assert!(
        text.lines().all(|l| l.trim().parse::<u32>().is_err()),
        "a bare page number is left"
    );
    // Hyphenated words are joined.
    assert!(text.contains("mitigations") && text.contains("Probation"));

    let page_of = |needle: &str| -> u64 {
        let results = json(&ws, &["search", needle, "--json"]);
        let excerpt = &results["reports"][0]["excerpts"][0];
        let (a, b) = (
            excerpt["start"].as_u64().unwrap() as usize,
            excerpt["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            &text[a..b],
            excerpt["text"].as_str().unwrap(),
            "offsets index the extracted text"
        );
        assert_eq!(results["reports"][0]["offsets"], "extracted");
        excerpt["page"]
            .as_u64()
            .expect("PDF excerpts carry their page")
    };
    assert_eq!(page_of("\"Many thanks for the cooperation\""), 1);
    let later = page_of("\"number of mitigations\"");
    assert!(later >= 2, "a later sentence is on a later page: {later}");

    let page2 = ws
        .run(&["show", "letter", "--page", "2"])
        .expect_code(0)
        .stdout;
    assert!(!page2.is_empty() && text.contains(page2.lines().next().unwrap()));
    ws.run(&["show", "letter", "--page", "99"]).expect_code(2);

    let listing = ws
        .run(&["search", "\"number of mitigations\""])
        .expect_code(0)
        .stdout;
    assert!(listing.contains(&format!("p. {later}]")), "{listing}");

    let tags = ws
        .run(&["tag", "--json", fixture("letter.pdf").to_str().unwrap()])
        .expect_code(0)
        .stdout;
    let first_sentence: Value = tags
        .lines()
        .nth(1)
        .map(|l| serde_json::from_str(l).unwrap())
        .unwrap();
    assert_eq!(first_sentence["offsets"], "extracted");
    assert_eq!(first_sentence["page"], 1);
}

/// The HTML version of the South West report must search and count like the text version.
/// Tolerance: identical hit counts for the phrase queries, identical scores, and theme counts
/// within 2 sentences per theme and 5% overall — the HTML's headings and table rows are
/// segmented a little differently from the web-text version (a heading may become a unit of
/// its own), which moves a few tags, not the findings.
#[test]
fn test_html_version_matches_text_version() {
    let html = workspace_with(&["report.html", "nav-heavy.html"]);
    let text = Workspace::empty();
    std::fs::copy(
        common::shipped_corpus().join("004_66209604aff7130f.txt"),
        text.corpus().join("004_66209604aff7130f.txt"),
    )
    .unwrap();
    for query in [
        "\"information sharing\" AND police",
        "vetting",
        "\"fewer than half\"",
        "workload",
    ] {
        let hits = |ws: &Workspace| {
            let results = json(ws, &["search", query, "--json", "--region", "South West"]);
            results["total_hits"].as_u64().unwrap()
        };
        assert_eq!(hits(&html), hits(&text), "{query}");
    }
    let counts = |ws: &Workspace| -> BTreeMap<String, i64> {
        json(ws, &["themes", "--json"])["themes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["id"].as_str().unwrap().to_string(),
                    t["sentences"].as_i64().unwrap(),
                )
            })
            .collect()
    };
    let (from_html, from_text) = (counts(&html), counts(&text));
    let total = |c: &BTreeMap<String, i64>| c.values().sum::<i64>();
    assert!((total(&from_html) - total(&from_text)).abs() * 20 <= total(&from_text));
    for (theme, n) in &from_text {
        assert!(
            (from_html[theme] - n).abs() <= 2,
            "{theme}: html {} vs text {n}",
            from_html[theme]
        );
    }
    let scores = json(&html, &["scores", "--json"]);
    let sw = &scores["reports"][0];
    assert_eq!(
        ["assessment", "planning", "implementation", "reviewing"].map(|q| sw[q].as_f64().unwrap()),
        [45.0, 59.0, 30.0, 39.0]
    );
    // Navigation, cookie banners and "Back to top" never become passages.
    ws_has_no_chrome(&html);
}

fn ws_has_no_chrome(ws: &Workspace) {
    for chrome in ["cookie", "\"Back to top\"", "\"Skip to content\""] {
        let run = ws.run(&["search", chrome, "--json"]);
        let results: Value = serde_json::from_str(&run.stdout).unwrap();
        assert_eq!(
            results["total_hits"], 0,
            "{chrome} leaked into passages: {}",
            run.stdout
        );
    }
}
