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
        .all(|r| r.report_type.as_str() == "regional-letter"));

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

/// Report ids of a result, in order.
fn report_ids(results: &SearchResults) -> Vec<String> {
    results.reports.iter().map(|r| r.report.clone()).collect()
}

#[test]
fn test_every_matching_report_is_eligible() {
    let ws = Workspace::with_corpus();
    let all = search(&ws, &["", "--limit", "10"]);
    assert_eq!(all.reports.len(), 5, "{:?}", report_ids(&all));
    assert_eq!(all.total_reports, 5);
    let manchester = search(&ws, &["title:manchester", "--limit", "10"]);
    assert_eq!(manchester.reports.len(), 4, "{:?}", report_ids(&manchester));
    for report in &all.reports {
        assert!(report.hits >= report.excerpts.len() as u64);
    }
    assert_eq!(
        all.reports.iter().map(|r| r.hits).sum::<u64>(),
        all.total_hits
    );
}

#[test]
fn test_one_huge_report_does_not_crowd_out_the_others() {
    let ws = Workspace::with_corpus();
    // Thousands of short passages that each say "vetting delays" twice: they outscore every
    // passage of the other reports, and outnumber any fixed top-N window.
    let huge = "Vetting delays and more vetting delays.\n\n".repeat(6000);
    ws.write("huge.txt", huge);
    let results = search(&ws, &["vetting delays", "--per-report", "20"]);
    let ids = report_ids(&results);
    assert!(ids.len() >= 3, "only {ids:?}");
    assert_eq!(results.total_reports, ids.len() as u64);
    assert_eq!(results.reports[0].hits, 6000, "{ids:?}");
}

#[test]
fn test_results_do_not_depend_on_how_the_index_was_built() {
    let ws = Workspace::with_corpus();
    let first = ws
        .run(&["search", "theme:vetting-recruitment", "--json"])
        .expect_code(0)
        .stdout;
    for _ in 0..3 {
        ws.run(&["index", "--rebuild"]).expect_code(0);
        let again = ws
            .run(&["search", "theme:vetting-recruitment", "--json"])
            .expect_code(0)
            .stdout;
        assert_eq!(first, again);
    }
    // Equal best scores are ordered by report id.
    let results: SearchResults = serde_json::from_str(&first).unwrap();
    for pair in results.reports.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if a.excerpts[0].score == b.excerpts[0].score {
            assert!(a.report < b.report, "{} before {}", a.report, b.report);
        }
    }
}

#[test]
fn test_header_says_how_many_match_and_how_many_are_shown() {
    let ws = Workspace::with_corpus();
    let all = search(&ws, &["vetting", "--limit", "2", "--per-report", "1"]);
    let text = ws
        .run(&["search", "vetting", "--limit", "2", "--per-report", "1"])
        .expect_code(0)
        .stdout;
    let header = format!(
        "{} passages in {} reports match; showing 2 from 2.",
        all.total_hits, all.total_reports
    );
    assert!(text.starts_with(&header), "{text}");
    assert!(all.total_reports > 2);
}

#[test]
fn test_all_shows_every_matching_passage() {
    let ws = Workspace::with_corpus();
    let results = search(&ws, &["information", "--all"]);
    let shown: usize = results.reports.iter().map(|r| r.excerpts.len()).sum();
    assert_eq!(shown as u64, results.total_hits);
    assert!(shown > 30, "{shown}");
    assert_eq!(results.reports.len() as u64, results.total_reports);
}

#[test]
fn test_zero_limits_are_usage_errors() {
    let ws = Workspace::with_corpus();
    for flag in ["--limit", "--per-report"] {
        let run = ws.run(&["search", "vetting", flag, "0"]).expect_code(2);
        assert!(run.stderr.contains("at least 1"), "{}", run.stderr);
    }
}

#[test]
fn test_csv_and_markdown_have_one_row_per_excerpt() {
    let ws = Workspace::with_corpus();
    let results = search(&ws, &["vetting", "--all"]);
    let csv = ws
        .run(&["search", "vetting", "--all", "--format", "csv"])
        .expect_code(0)
        .stdout;
    assert!(csv.starts_with(
        "report,title,region,year,type,file,offsets,section,page,start,end,score,themes,text\r\n"
    ));
    assert!(csv.ends_with("\r\n"));
    assert!(!csv.replace("\r\n", "").contains('\n'), "LF outside CRLF");
    let records = csv.matches("\r\n").count() - 1;
    assert_eq!(records as u64, results.total_hits);
    let first = &results.reports[0].excerpts[0];
    assert!(csv.contains(&format!(",{},{},", first.start, first.end)));

    let md = ws
        .run(&["search", "vetting", "--all", "--format", "md"])
        .expect_code(0)
        .stdout;
    let rows = md.lines().filter(|l| l.starts_with("| ")).count();
    assert_eq!(
        rows as u64,
        results.total_hits + 1,
        "header + one per excerpt"
    );
    assert!(md.contains("|---|"));
}

#[test]
fn test_field_values_in_queries_are_checked_like_flags() {
    let ws = Workspace::with_corpus();
    let by_query = search(&ws, &["region:\"south west\" vetting"]);
    let by_flag = search(&ws, &["vetting", "--region", "South West"]);
    assert_eq!(by_query.total_hits, by_flag.total_hits);
    assert!(by_query.total_hits > 0);
    for (query, listed) in [
        ("region:Nowhere", "South West"),
        ("theme:bogus", "vetting-recruitment"),
        ("type:bogus", "dynamic-inspection"),
        ("report:bogus", "themis report --by report"),
    ] {
        let run = ws.run(&["search", query]).expect_code(2);
        assert!(run.stderr.contains(listed), "{query}: {}", run.stderr);
    }
    let run = ws
        .run(&["search", "vetting", "--report", "bogus"])
        .expect_code(2);
    assert!(run.stderr.contains("bogus"), "{}", run.stderr);
    let run = ws
        .run(&["search", "vetting", "--theme", "bogus"])
        .expect_code(2);
    assert!(run.stderr.contains("vetting-recruitment"), "{}", run.stderr);
}

#[test]
fn test_syntax_errors_name_the_problem() {
    let ws = Workspace::with_corpus();
    for (query, says) in [
        ("AND", "`AND` needs a word on each side"),
        ("vetting OR", "`OR` needs a word on each side"),
        ("title:", "`title:` needs a value"),
        ("vetting^", "needs a boost number"),
        ("\"vetting delays", "quote is not closed"),
        ("(vetting", "parentheses are not balanced"),
    ] {
        let run = ws.run(&["search", query]).expect_code(2);
        assert!(run.stderr.contains(says), "{query}: {}", run.stderr);
    }
}

#[test]
fn test_required_words_make_the_others_optional() {
    let ws = Workspace::with_corpus();
    let vetting = search(&ws, &["vetting", "--all"]);
    let required = search(&ws, &["+vetting police", "--all"]);
    assert_eq!(required.total_hits, vetting.total_hits);
    let boosted = search(&ws, &["vetting^2 delays"]);
    assert!(boosted.total_hits > 0);
}

#[test]
fn test_context_stays_inside_the_excerpts_section() {
    let ws = Workspace::with_corpus();
    let results = search(&ws, &["", "--all", "--context", "3"]);
    let mut with_context = 0;
    for report in &results.reports {
        for excerpt in &report.excerpts {
            for line in excerpt.before.iter().chain(&excerpt.after) {
                with_context += 1;
                assert!(!line.contains("(Back to top)"), "{line}");
            }
        }
    }
    assert!(with_context > 100);
}
