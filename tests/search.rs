//! End-to-end tests of `themis search` on the shipped corpus.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::Workspace;
use themis::search::SearchResults;

fn search(ws: &Workspace, args: &[&str]) -> SearchResults {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    ws.run(&all).expect_code(0).json()
}

/// Every highlight slices a word of the source file that the query asked for.
fn highlighted_words(ws: &Workspace, results: &SearchResults) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for report in &results.reports {
        let bytes = std::fs::read(ws.corpus().join(&report.file)).unwrap();
        for excerpt in &report.excerpts {
            assert_eq!(
                &bytes[excerpt.start..excerpt.end],
                excerpt.text.as_bytes(),
                "excerpt offsets must slice the source file exactly"
            );
            for [a, b] in &excerpt.highlights {
                assert!(excerpt.start <= *a && a < b && *b <= excerpt.end);
                let word =
                    std::str::from_utf8(&bytes[*a..*b]).expect("highlight on char boundaries");
                words.insert(word.to_lowercase());
            }
        }
    }
    words
}

#[test]
fn test_first_search_builds_index_and_finds_vetting_in_three_reports() {
    let ws = Workspace::with_corpus();
    let results = search(&ws, &["vetting", "--limit", "10"]);
    let reports: BTreeSet<_> = results.reports.iter().map(|r| r.report.clone()).collect();
    assert!(
        reports.len() >= 3,
        "vetting should be found in at least 3 reports: {reports:?}"
    );
    assert!(
        ws.index().join("meta.json").is_file(),
        "the first search builds the index"
    );
    let words = highlighted_words(&ws, &results);
    assert!(words.iter().all(|w| w.starts_with("vet")), "{words:?}");
}

#[test]
fn test_phrase_matches_hyphenated_form() {
    let ws = Workspace::with_corpus();
    let results = search(&ws, &["\"information sharing\"", "--per-report", "50"]);
    let texts: Vec<&str> = results
        .reports
        .iter()
        .flat_map(|r| r.excerpts.iter().map(|e| e.text.as_str()))
        .collect();
    let lower: Vec<String> = texts.iter().map(|t| t.to_lowercase()).collect();
    assert!(
        lower.iter().any(|t| t.contains("information sharing")),
        "spaced form found"
    );
    assert!(
        lower.iter().any(|t| t.contains("information-sharing")),
        "hyphenated form found"
    );
    let words = highlighted_words(&ws, &results);
    assert!(
        words.contains("information") && words.contains("sharing"),
        "{words:?}"
    );
}

#[test]
fn test_stemming_matches_delay_and_delayed() {
    let ws = Workspace::with_corpus();
    // The shipped corpus only says "delays"; add a report with the other forms.
    ws.write(
        "extra/allocation-note.txt",
        "Allocation note\n\nThere was a delay in allocating cases. Some reviews were delayed by weeks.\n",
    );
    let results = search(&ws, &["delays", "--limit", "20", "--per-report", "50"]);
    let words = highlighted_words(&ws, &results);
    assert!(words.contains("delay"), "{words:?}");
    assert!(words.contains("delayed"), "{words:?}");
    assert!(words.contains("delays"), "{words:?}");
}

#[test]
fn test_filters_region_type_year_report() {
    let ws = Workspace::with_corpus();
    let south_west = search(
        &ws,
        &[
            "\"information sharing\" AND police",
            "--region",
            "south west",
        ],
    );
    assert!(!south_west.reports.is_empty());
    assert!(south_west
        .reports
        .iter()
        .all(|r| r.region.as_deref() == Some("South West")));

    let letters = search(&ws, &["staff", "--type", "regional-letter"]);
    assert!(!letters.reports.is_empty());
    assert!(letters
        .reports
        .iter()
        .all(|r| r.report_type == "regional-letter"));

    let old = search(&ws, &["probation", "--year", "2017"]);
    assert!(!old.reports.is_empty());
    assert!(old.reports.iter().all(|r| r.year == Some(2017)));

    let recent = search(&ws, &["probation", "--since", "2024"]);
    assert!(!recent.reports.is_empty());
    assert!(recent.reports.iter().all(|r| r.year.unwrap() >= 2024));

    let one = search(&ws, &["staff", "--report", "gm-bbc-news-2023"]);
    assert_eq!(one.reports.len(), 1);
    assert_eq!(one.reports[0].report, "gm-bbc-news-2023");
}

#[test]
fn test_limits_and_context() {
    let ws = Workspace::with_corpus();
    let results = search(
        &ws,
        &[
            "staff",
            "--limit",
            "2",
            "--per-report",
            "1",
            "--context",
            "1",
        ],
    );
    assert_eq!(results.reports.len(), 2);
    assert!(results.reports.iter().all(|r| r.excerpts.len() == 1));
    assert!(results.total_hits > 2);
    let with_context = results
        .reports
        .iter()
        .flat_map(|r| &r.excerpts)
        .filter(|e| !e.before.is_empty() || !e.after.is_empty())
        .count();
    assert!(with_context > 0, "--context 1 shows neighbouring sentences");
}

#[test]
fn test_no_hits_exits_1_and_bad_query_exits_2() {
    let ws = Workspace::with_corpus();
    let none = ws.run(&["search", "xylophonequartz"]).expect_code(1);
    assert!(none.stdout.contains("No passages match"));
    let bad = ws.run(&["search", "\"unbalanced"]).expect_code(2);
    assert!(bad.stderr.contains("bad query"), "{}", bad.stderr);
    let field = ws.run(&["search", "colour:red"]).expect_code(2);
    assert!(field.stderr.contains("colour"), "{}", field.stderr);
    let region = ws
        .run(&["search", "staff", "--region", "Narnia"])
        .expect_code(2);
    assert!(
        region.stderr.contains("unknown region"),
        "{}",
        region.stderr
    );
}

#[test]
fn test_text_output_is_grouped_and_plain_without_color() {
    let ws = Workspace::with_corpus();
    let run = ws.run(&["search", "vetting delays"]).expect_code(0);
    assert!(run
        .stdout
        .contains("Dynamic Inspection of Public Protection in South West region"));
    assert!(run.stdout.contains("**vetting**"), "{}", run.stdout);
    assert!(
        !run.stdout.contains('\x1b'),
        "NO_COLOR output has no escape codes"
    );
}

#[test]
fn test_apostrophes_in_queries_are_words_not_quotes() {
    let ws = Workspace::with_corpus();
    for query in [
        "children's services",
        "children’s",
        "\"children's services\" AND police",
    ] {
        let results = search(&ws, &[query]);
        assert!(results.total_hits > 0, "{query}");
        let words = highlighted_words(&ws, &results);
        assert!(
            words.iter().any(|w| w.starts_with("children")),
            "{query}: {words:?}"
        );
    }
}

#[test]
fn test_and_not_excludes_like_minus() {
    let ws = Workspace::with_corpus();
    let and_not = search(&ws, &["vetting AND NOT police"]);
    let minus = search(&ws, &["vetting -police"]);
    assert!(and_not.total_hits > 0);
    assert_eq!(and_not.total_hits, minus.total_hits);
    for report in &and_not.reports {
        for e in &report.excerpts {
            assert!(!e.text.to_lowercase().contains("police"), "{}", e.text);
        }
    }
}

/// A Markdown report titled after `town`, with `paragraphs` paragraphs about vetting and
/// supervision; `aside` is one more paragraph.
fn titled_report(town: &str, paragraphs: usize, aside: &str) -> String {
    let mut text = format!("# Inspection of probation services in {town}\n\n");
    for n in 1..=paragraphs {
        text.push_str(&format!(
            "Finding {n}. Vetting of new staff took many weeks, so cases waited for an \
             allocated officer. Managers checked supervision records in {n} of the cases we \
             read.\n\n"
        ));
    }
    text.push_str(aside);
    text.push_str("\n\n");
    text
}

/// The passages of each report that `query` finds, by file, sorted.
fn passages_found(ws: &Workspace, query: &str) -> BTreeMap<String, Vec<String>> {
    let results = search(ws, &[query, "--limit", "100", "--per-report", "1000"]);
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for report in results.reports {
        let texts = report.excerpts.into_iter().map(|e| e.text);
        found.entry(report.file).or_default().extend(texts);
    }
    for texts in found.values_mut() {
        texts.sort();
    }
    found
}

/// Checks that `quillbury` finds every passage of the Quillbury report and only the passages of
/// the other `reports` that name it, alone and combined with other clauses.
fn check_title_routing(ws: &Workspace, reports: &[&str]) {
    let every = passages_found(ws, "");
    let by_title = passages_found(ws, "quillbury");
    for file in reports {
        let all = every.get(*file).map(Vec::as_slice).unwrap_or_default();
        assert!(!all.is_empty(), "{file} has passages");
        // `passages_found` sorts, so the expected passages keep the order of `all`.
        let expected: Vec<&String> = all
            .iter()
            .filter(|t| file.starts_with("quillbury") || t.contains("Quillbury"))
            .collect();
        let got: Vec<&String> = by_title.get(*file).into_iter().flatten().collect();
        assert_eq!(got, expected, "passages of {file} found by `quillbury`");
    }
    assert!(by_title.keys().all(|f| reports.contains(&f.as_str())));

    // Title words combine with text words, phrases and exclusions like any other field.
    let both = passages_found(ws, "quillbury vetting");
    assert_eq!(both.keys().collect::<Vec<_>>(), vec!["quillbury.md"]);
    assert_eq!(
        both["quillbury.md"].len(),
        by_title["quillbury.md"].len() - 1
    );
    // A boosted word still matches through the title.
    assert_eq!(passages_found(ws, "quillbury^2 vetting"), both);
    let phrase = passages_found(ws, "title:\"services in quillbury\"");
    assert_eq!(phrase.keys().collect::<Vec<_>>(), vec!["quillbury.md"]);
    let excluded = passages_found(ws, "vetting -title:quillbury");
    assert!(!excluded.contains_key("quillbury.md") && excluded.len() == reports.len() - 1);
}

#[test]
fn test_title_words_find_the_passages_of_reports_so_titled_across_updates() {
    // The title is indexed on report documents only; title words reach a report's passages
    // through their position next to it. Incremental updates (delete, re-add, add) must keep
    // every report's passages matched, and only its passages.
    let ws = Workspace::empty();
    ws.write(
        "quillbury.md",
        titled_report("Quillbury", 40, "Staff were committed."),
    );
    ws.write(
        "marrowfield.md",
        titled_report(
            "Marrowfield",
            25,
            "Staff moved here from Quillbury last year.",
        ),
    );
    ws.write(
        "tansley.md",
        titled_report("Tansley", 30, "The office was busy."),
    );
    ws.run(&["index"]).expect_code(0);

    check_title_routing(&ws, &["marrowfield.md", "quillbury.md", "tansley.md"]);

    // Replace the report before Quillbury's, add one after, remove another, re-index each time.
    ws.write(
        "marrowfield.md",
        titled_report("Marrowfield", 60, "Quillbury staff helped."),
    );
    ws.run(&["index"]).expect_code(0);
    check_title_routing(&ws, &["marrowfield.md", "quillbury.md", "tansley.md"]);
    ws.write(
        "zennor.md",
        titled_report("Zennor", 5, "Nothing about that town."),
    );
    std::fs::remove_file(ws.corpus().join("tansley.md")).unwrap();
    ws.write(
        "quillbury.md",
        titled_report("Quillbury", 3, "Short this time."),
    );
    ws.run(&["index"]).expect_code(0);
    check_title_routing(&ws, &["marrowfield.md", "quillbury.md", "zennor.md"]);
}

#[test]
fn test_title_words_find_their_passages_after_segments_are_merged() {
    // A merge rewrites segments; it must keep each report's passages just before its report
    // document, as the batch put them.
    let ws = Workspace::empty();
    ws.write(
        "tansley.md",
        titled_report("Tansley", 30, "The office was busy."),
    );
    ws.run(&["index"]).expect_code(0);
    ws.write(
        "quillbury.md",
        titled_report("Quillbury", 40, "Staff were committed."),
    );
    ws.run(&["index"]).expect_code(0);
    ws.write(
        "marrowfield.md",
        titled_report(
            "Marrowfield",
            25,
            "Staff moved here from Quillbury last year.",
        ),
    );
    ws.write("tansley.md", titled_report("Tansley", 12, "Quieter now."));
    ws.run(&["index"]).expect_code(0);

    let index = tantivy::Index::open_in_dir(ws.index()).unwrap();
    let segments = index.searchable_segment_ids().unwrap();
    assert!(segments.len() >= 2, "{} segments", segments.len());
    let mut writer: tantivy::IndexWriter = index.writer(50_000_000).unwrap();
    writer.merge(&segments).wait().unwrap();
    writer.wait_merging_threads().unwrap();
    assert_eq!(index.searchable_segment_ids().unwrap().len(), 1);

    ws.run(&["check"]).expect_code(0);
    check_title_routing(&ws, &["marrowfield.md", "quillbury.md", "tansley.md"]);
}
