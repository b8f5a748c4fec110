//! `themis export` on the shipped corpus: every format is valid NDJSON (bulk action and
//! document lines paired), its documents are the index's (every sentence's text is the file's
//! bytes at its offsets, the themes count what `themes` counts), the start of the press
//! release's documents and the mappings equal golden files in `tests/data/export/`, and the
//! mapping goes where the help says.
//!
//! `THEMIS_BLESS=1 cargo test --release --test export` rewrites the golden files.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use common::Workspace;
use serde_json::Value;

const FORMATS: [&str; 4] = ["opensearch", "elasticsearch", "quickwit", "ndjson"];

/// The report whose first documents are kept as golden: the shortest of the corpus.
const GOLDEN_REPORT: &str = "gm-press-release-2017";
const GOLDEN_DOCUMENTS: usize = 4;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/export")
}

/// Compares `actual` with the golden file `name`, or rewrites it under `THEMIS_BLESS=1`.
fn assert_golden(name: &str, actual: &str) {
    let path = golden_dir().join(name);
    if std::env::var_os("THEMIS_BLESS").is_some() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (THEMIS_BLESS=1 writes it)", path.display()));
    assert!(
        expected == actual,
        "{} differs from the export (THEMIS_BLESS=1 rewrites it after a deliberate change)\n--- golden\n{expected}\n--- now\n{actual}",
        path.display()
    );
}

/// Every line parsed as a JSON object; the text must end with a newline.
fn json_lines(text: &str) -> Vec<Value> {
    assert!(text.ends_with('\n'), "NDJSON ends with a newline");
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("line {}: {e}: {line}", i + 1));
            assert!(value.is_object(), "line {}: not an object", i + 1);
            value
        })
        .collect()
}

/// Splits bulk NDJSON into (action, document) pairs, checking each action.
fn bulk_pairs(lines: Vec<Value>) -> Vec<(Value, Value)> {
    assert_eq!(lines.len() % 2, 0, "an action line for every document");
    let mut ids = HashSet::new();
    lines
        .chunks(2)
        .map(|pair| {
            let (action, doc) = (pair[0].clone(), pair[1].clone());
            let create = &action["create"];
            assert_eq!(create["_index"], "themis", "{action}");
            assert_eq!(
                action.as_object().unwrap().len(),
                1,
                "only `create`: {action}"
            );
            let id = create["_id"].as_str().unwrap().to_string();
            assert_eq!(
                id,
                format!("{}:{}", doc["file"].as_str().unwrap(), doc["start"])
            );
            assert!(ids.insert(id.clone()), "duplicate id {id}");
            assert!(
                doc.get("create").is_none(),
                "a document where an action should be"
            );
            (action, doc)
        })
        .collect()
}

fn theme_counts(docs: &[Value]) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for doc in docs {
        for theme in doc["themes"].as_array().unwrap() {
            *counts
                .entry(theme.as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    counts
}

fn index_theme_counts(ws: &Workspace) -> BTreeMap<String, u64> {
    let themes: Value = ws.run(&["themes", "--json"]).expect_code(0).json();
    themes["themes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["sentences"].as_u64().unwrap() > 0)
        .map(|t| {
            (
                t["id"].as_str().unwrap().to_string(),
                t["sentences"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The golden excerpt: the first documents of one report, as written (with action lines).
fn golden_excerpt(text: &str, bulk: bool) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let per_doc = if bulk { 2 } else { 1 };
    let marker = format!("\"report\":\"{GOLDEN_REPORT}\"");
    let first = lines
        .iter()
        .position(|l| l.contains(&marker))
        .expect("the golden report is exported")
        + 1
        - per_doc;
    lines[first..first + GOLDEN_DOCUMENTS * per_doc]
        .iter()
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn test_every_format_is_the_index_as_valid_ndjson_and_matches_its_golden_file() {
    let ws = Workspace::with_corpus();
    ws.run(&["index", "--quiet"]).expect_code(0);
    let check: Value = ws.run(&["check", "--json"]).expect_code(0).json();
    let index_themes = index_theme_counts(&ws);
    let mut ndjson_docs: Option<Vec<Value>> = None;
    for format in FORMATS {
        let out = ws.dir.path().join(format!("{format}.ndjson"));
        let run = ws
            .run(&["export", "--format", format, "--out", out.to_str().unwrap()])
            .expect_code(0);
        let text = std::fs::read_to_string(&out).unwrap();
        let lines = json_lines(&text);
        let bulk = matches!(format, "opensearch" | "elasticsearch");
        let docs: Vec<Value> = if bulk {
            bulk_pairs(lines).into_iter().map(|(_, doc)| doc).collect()
        } else {
            lines
        };
        assert!(
            run.stderr
                .contains(&format!("exported {} sentences of 5 reports", docs.len())),
            "{}",
            run.stderr
        );

        // The index's own counts: tagged sentences, and sentences per theme.
        let tagged = docs
            .iter()
            .filter(|d| !d["themes"].as_array().unwrap().is_empty())
            .count() as u64;
        assert_eq!(
            tagged,
            check["tagged_sentences"].as_u64().unwrap(),
            "{format}"
        );
        assert_eq!(theme_counts(&docs), index_themes, "{format}");
        let reports: HashSet<&str> = docs.iter().map(|d| d["report"].as_str().unwrap()).collect();
        assert_eq!(reports.len() as u64, check["reports"].as_u64().unwrap());

        // Each document is its file's bytes, with its report's metadata.
        for doc in &docs {
            let file = ws.corpus().join(doc["file"].as_str().unwrap());
            let bytes = std::fs::read(file).unwrap();
            let (a, b) = (
                doc["start"].as_u64().unwrap() as usize,
                doc["end"].as_u64().unwrap() as usize,
            );
            assert_eq!(
                std::str::from_utf8(&bytes[a..b]).unwrap(),
                doc["text"].as_str().unwrap()
            );
            assert_eq!(doc["offsets"], "source");
            let tagged = !doc["themes"].as_array().unwrap().is_empty();
            assert_eq!(doc.get("polarity").is_some(), tagged, "{doc}");
            assert!(doc["timestamp"].as_str().unwrap().ends_with("T00:00:00Z"));
        }
        let letter = docs
            .iter()
            .find(|d| d["report"] == "gm-regional-letter-2023")
            .unwrap();
        assert_eq!(letter["region"], "Greater Manchester");
        assert_eq!(letter["year"], 2023);
        assert_eq!(letter["date"], "2023-05-25");
        assert_eq!(letter["timestamp"], "2023-05-25T00:00:00Z");
        assert_eq!(letter["type"], "regional-letter");

        // The same documents whatever the engine.
        match &ndjson_docs {
            None => ndjson_docs = Some(docs.clone()),
            Some(first) => assert_eq!(first, &docs, "{format}"),
        }

        assert_golden(&format!("{format}.ndjson"), &golden_excerpt(&text, bulk));
        let mapping_name = match format {
            "quickwit" => Some(format!("{format}.index-config.json")),
            "ndjson" => None,
            _ => Some(format!("{format}.mapping.json")),
        };
        if let Some(name) = mapping_name {
            let path = ws.dir.path().join(&name);
            let mapping = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let value: Value = serde_json::from_str(&mapping).expect("mapping is JSON");
            assert_golden(&name, &mapping);
            check_mapping_covers(format, &value, &docs);
        }
    }
}

/// Every field a document has is in the mapping, with the types the issue asks for.
fn check_mapping_covers(format: &str, mapping: &Value, docs: &[Value]) {
    let fields: HashSet<String> = docs
        .iter()
        .flat_map(|d| d.as_object().unwrap().keys().cloned())
        .collect();
    if format == "quickwit" {
        let doc_mapping = &mapping["doc_mapping"];
        let mapped: BTreeMap<&str, &Value> = doc_mapping["field_mappings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| (f["name"].as_str().unwrap(), f))
            .collect();
        for field in &fields {
            assert!(mapped.contains_key(field.as_str()), "{field} not mapped");
        }
        assert_eq!(doc_mapping["mode"], "strict");
        assert_eq!(doc_mapping["timestamp_field"], "timestamp");
        assert_eq!(mapped["timestamp"]["type"], "datetime");
        assert_eq!(
            doc_mapping["tag_fields"],
            serde_json::json!(["themes", "region", "year"])
        );
        assert_eq!(mapped["themes"]["type"], "array<text>");
        assert_eq!(mapped["themes"]["tokenizer"], "raw");
        assert_eq!(mapped["text"]["tokenizer"], "default");
        assert_eq!(mapped["text"]["record"], "position");
    } else {
        let properties = &mapping["mappings"]["properties"];
        for field in &fields {
            assert!(properties.get(field).is_some(), "{field} not mapped");
        }
        assert_eq!(mapping["mappings"]["dynamic"], "strict");
        for keyword in ["report", "region", "type", "themes", "polarity"] {
            assert_eq!(properties[keyword]["type"], "keyword", "{keyword}");
        }
        assert_eq!(properties["text"]["analyzer"], "english");
        assert_eq!(properties["timestamp"]["type"], "date");
    }
}

#[test]
fn test_passages_are_the_index_passages_with_their_sentences_tags() {
    let ws = Workspace::with_corpus();
    ws.run(&["index", "--quiet"]).expect_code(0);
    let check: Value = ws.run(&["check", "--json"]).expect_code(0).json();
    let passages = ws
        .run(&["export", "--unit", "passage", "--quiet"])
        .expect_code(0);
    let passages = json_lines(&passages.stdout);
    assert_eq!(passages.len() as u64, check["passages"].as_u64().unwrap());
    let sentences = ws.run(&["export", "--quiet"]).expect_code(0);
    let sentences = json_lines(&sentences.stdout);
    // A passage's themes and polarities are those of the sentences inside it.
    let mut inside = 0;
    for passage in &passages {
        let (a, b) = (passage["start"].as_u64(), passage["end"].as_u64());
        let own: Vec<&Value> = sentences
            .iter()
            .filter(|s| s["file"] == passage["file"])
            .filter(|s| s["start"].as_u64() >= a && s["end"].as_u64() <= b)
            .collect();
        assert!(!own.is_empty() && own.len() <= 3, "{passage}");
        inside += own.len();
        let mut themes: Vec<&str> = own
            .iter()
            .flat_map(|s| s["themes"].as_array().unwrap())
            .map(|t| t.as_str().unwrap())
            .collect();
        themes.sort();
        themes.dedup();
        let listed: Vec<&str> = passage["themes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap())
            .collect();
        assert_eq!(listed, themes, "{passage}");
        let polarities: HashSet<&str> = own.iter().filter_map(|s| s["polarity"].as_str()).collect();
        let listed: HashSet<&str> = passage["polarity"]
            .as_array()
            .map(|p| p.iter().map(|v| v.as_str().unwrap()).collect())
            .unwrap_or_default();
        assert_eq!(listed, polarities, "{passage}");
    }
    assert_eq!(
        inside,
        sentences.len(),
        "every sentence in exactly one passage"
    );
}

#[test]
fn test_the_mapping_goes_beside_the_output_or_where_asked() {
    let ws = Workspace::with_corpus();
    let dir = ws.dir.path();
    // Documents on stdout: no mapping unless asked, and stderr says how to get it.
    let run = ws
        .run(&["export", "--format", "elasticsearch"])
        .expect_code(0);
    json_lines(&run.stdout);
    assert!(run.stderr.contains("add --mapping FILE"), "{}", run.stderr);
    assert!(!dir.join("themis.mapping.json").exists());
    let mapping = dir.join("m.json");
    let run = ws
        .run(&[
            "export",
            "--format",
            "quickwit",
            "--index-name",
            "reports",
            "--mapping",
            mapping.to_str().unwrap(),
        ])
        .expect_code(0);
    json_lines(&run.stdout);
    let config: Value = serde_json::from_str(&std::fs::read_to_string(&mapping).unwrap()).unwrap();
    assert_eq!(config["index_id"], "reports");

    // The mapping on stdout, the documents in a file, and a summary as JSON.
    let out = dir.join("docs.ndjson");
    let run = ws
        .run(&[
            "export",
            "--format",
            "opensearch",
            "--out",
            out.to_str().unwrap(),
            "--mapping",
            "-",
        ])
        .expect_code(0);
    let printed: Value = serde_json::from_str(&run.stdout).expect("the mapping on stdout");
    assert!(printed["mappings"]["properties"]["themes"].is_object());
    assert!(!dir.join("docs.mapping.json").exists());
    let run = ws
        .run(&[
            "export",
            "--format",
            "opensearch",
            "--unit",
            "passage",
            "--out",
            out.to_str().unwrap(),
            "--json",
        ])
        .expect_code(0);
    let summary: Value = run.json();
    assert_eq!(summary["unit"], "passage");
    assert_eq!(summary["reports"], 5);
    assert_eq!(summary["documents"], summary["passages"]);
    assert_eq!(
        summary["mapping"],
        dir.join("docs.mapping.json").to_str().unwrap()
    );
    let lines = std::fs::read_to_string(&out).unwrap().lines().count() as u64;
    assert_eq!(lines, 2 * summary["documents"].as_u64().unwrap());
    assert!(!dir.join("docs.ndjson.partial").exists());

    // Mistakes are errors that say what to do.
    for (args, says) in [
        (
            vec!["export", "--mapping", "m.json"],
            "ndjson has no mapping",
        ),
        (
            vec!["export", "--format", "opensearch", "--mapping", "-"],
            "add --out FILE",
        ),
        (vec!["export", "--json"], "add --out FILE"),
        (
            vec![
                "export",
                "--format",
                "opensearch",
                "--out",
                "no/such/dir/x.ndjson",
            ],
            "cannot write",
        ),
    ] {
        let run = ws.run(&args).expect_code(2);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn test_an_empty_index_exports_nothing_with_exit_1() {
    let ws = Workspace::empty();
    let run = ws.run(&["export"]).expect_code(1);
    assert!(run.stdout.is_empty());
    assert!(
        run.stderr.contains("exported 0 sentences"),
        "{}",
        run.stderr
    );
}

/// A PDF's sentences come out as `themis tag` reads them: the same offsets into the extracted
/// text, the same pages (a passage can cross a page break), themes and polarity.
#[test]
fn test_a_pdf_exports_its_sentences_with_their_own_pages() {
    let ws = Workspace::empty();
    let pdf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats/letter.pdf");
    std::fs::copy(&pdf, ws.corpus().join("letter.pdf")).unwrap();
    let exported = json_lines(&ws.run(&["export", "--quiet"]).expect_code(0).stdout);
    let tagged: Vec<Value> = ws
        .run(&[
            "tag",
            "--json",
            ws.corpus().join("letter.pdf").to_str().unwrap(),
        ])
        .expect_code(0)
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["kind"] == "sentence")
        .map(|r| (r["start"].as_u64().unwrap(), r))
        .collect::<BTreeMap<u64, Value>>()
        .into_values()
        .collect();
    let by_start: BTreeMap<u64, &Value> = tagged
        .iter()
        .map(|r| (r["start"].as_u64().unwrap(), r))
        .collect();
    let mut pages = HashSet::new();
    for doc in &exported {
        assert_eq!(doc["offsets"], "extracted");
        let start = doc["start"].as_u64().unwrap();
        let sentence = by_start
            .get(&start)
            .unwrap_or_else(|| panic!("no tagged sentence at {start}: {doc}"));
        for key in ["end", "text", "page", "themes", "section"] {
            assert_eq!(doc[key], sentence[key], "{key}: {doc}");
        }
        if !doc["themes"].as_array().unwrap().is_empty() {
            assert_eq!(doc["polarity"], sentence["polarity"], "{doc}");
        }
        pages.insert(doc["page"].as_u64().unwrap());
    }
    assert!(pages.len() >= 4, "pages {pages:?}");
    // Every sentence but the headings is exported.
    assert!(
        exported.len() * 10 >= tagged.len() * 9,
        "{} of {}",
        exported.len(),
        tagged.len()
    );
}

/// After an incremental update (a report changed, one removed), the export has the index's
/// live documents only: none of the replaced or deleted ones.
#[test]
fn test_an_updated_index_exports_only_its_live_documents() {
    let ws = Workspace::with_corpus();
    ws.run(&["index", "--quiet"]).expect_code(0);
    let file = ws.corpus().join("004_66209604aff7130f.txt");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\n\nVetting delays were still causing vacancies to go unfilled for months.\n");
    std::fs::write(&file, text).unwrap();
    std::fs::remove_file(ws.corpus().join("002_5d4a424a9be3597c.txt")).unwrap();
    ws.run(&["index", "--quiet"]).expect_code(0);
    let check: Value = ws.run(&["check", "--json"]).expect_code(0).json();
    assert_eq!(check["reports"], 4);
    let docs = json_lines(&ws.run(&["export", "--quiet"]).expect_code(0).stdout);
    let tagged = docs
        .iter()
        .filter(|d| !d["themes"].as_array().unwrap().is_empty())
        .count() as u64;
    assert_eq!(tagged, check["tagged_sentences"].as_u64().unwrap());
    assert_eq!(theme_counts(&docs), index_theme_counts(&ws));
    assert!(
        !docs.iter().any(|d| d["report"] == GOLDEN_REPORT),
        "a removed report"
    );
    let ids: HashSet<(String, u64)> = docs
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap().to_string(),
                d["start"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(ids.len(), docs.len(), "no document twice");
    assert!(docs
        .iter()
        .any(|d| d["text"]
            == "Vetting delays were still causing vacancies to go unfilled for months."));
}

/// Quickwit refuses a document without a timestamp: an undated report's documents get the
/// epoch there (and stderr says so), and no timestamp elsewhere.
#[test]
fn test_undated_reports_get_the_epoch_for_quickwit_only() {
    let ws = Workspace::empty();
    ws.write(
        "note.txt",
        "Staff told us they felt overwhelmed by their caseloads.\n",
    );
    let quickwit = ws.run(&["export", "--format", "quickwit"]).expect_code(0);
    let docs = json_lines(&quickwit.stdout);
    assert_eq!(docs.len(), 1);
    assert!(
        docs[0].get("year").is_none() && docs[0].get("date").is_none(),
        "{}",
        docs[0]
    );
    assert_eq!(docs[0]["timestamp"], "1970-01-01T00:00:00Z");
    assert!(
        quickwit
            .stderr
            .contains("undated reports (no date, no year): 1 document given the timestamp 1970-01-01T00:00:00Z"),
        "{}",
        quickwit.stderr
    );
    let plain = ws.run(&["export", "--format", "opensearch"]).expect_code(0);
    let docs = bulk_pairs(json_lines(&plain.stdout));
    assert!(docs[0].1.get("timestamp").is_none(), "{}", docs[0].1);
    assert!(
        plain.stderr.contains("1 document without a timestamp"),
        "{}",
        plain.stderr
    );
}
