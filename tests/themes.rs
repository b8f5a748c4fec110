//! End-to-end tests of the theme commands on the shipped corpus: tag, themes, themes show,
//! search --theme, findings and report.

mod common;

use std::collections::BTreeSet;

use common::Workspace;
use serde_json::Value;
use themis::findings::FindingsReport;

fn json(ws: &Workspace, args: &[&str]) -> Value {
    let run = ws.run(args).expect_code(0);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.stdout))
}

#[test]
fn test_tag_json_lines_offsets_slice_the_file() {
    let ws = Workspace::with_corpus();
    let file = ws.corpus().join("004_66209604aff7130f.txt");
    let bytes = std::fs::read(&file).unwrap();
    let run = ws
        .run(&["tag", "--json", file.to_str().unwrap()])
        .expect_code(0);
    let records: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records[0]["kind"], "document");
    assert_eq!(records[0]["region"], "South West");
    let sentences: Vec<&Value> = records.iter().filter(|r| r["kind"] == "sentence").collect();
    assert!(sentences.len() > 100);
    let mut vetting = 0;
    for s in &sentences {
        let (a, b) = (
            s["start"].as_u64().unwrap() as usize,
            s["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(
            std::str::from_utf8(&bytes[a..b]).unwrap(),
            s["text"].as_str().unwrap()
        );
        assert!(["concern", "strength", "neutral"].contains(&s["polarity"].as_str().unwrap()));
        if s["themes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "vetting-recruitment")
        {
            vetting += 1;
        }
    }
    assert!(vetting >= 2, "the South West report raises vetting delays");
}

#[test]
fn test_tag_reads_stdin_and_readable_listing() {
    let ws = Workspace::empty();
    let input =
        b"Vetting took up to five months, so new staff could not start. The weather was fine.";
    let run = ws
        .run_with_stdin(&["tag", "--json", "-"], input)
        .expect_code(0);
    let sentences: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["kind"] == "sentence")
        .collect();
    assert_eq!(sentences.len(), 2);
    assert!(sentences[0]["themes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "vetting-recruitment"));
    assert_eq!(sentences[0]["polarity"], "concern");
    assert!(sentences[1]["themes"].as_array().unwrap().is_empty());
    let listing = ws.run_with_stdin(&["tag", "-"], input).expect_code(0);
    assert!(
        listing.stdout.contains("Vetting and recruitment") || listing.stdout.contains("vetting"),
        "{}",
        listing.stdout
    );
}

#[test]
fn test_themes_counts_and_show() {
    let ws = Workspace::with_corpus();
    let themes = json(&ws, &["themes", "--json"]);
    let list = themes["themes"].as_array().unwrap();
    assert_eq!(list.len(), 29);
    let vetting = list
        .iter()
        .find(|t| t["id"] == "vetting-recruitment")
        .unwrap();
    assert!(vetting["sentences"].as_u64().unwrap() >= 4);
    assert!(vetting["reports"].as_u64().unwrap() >= 3);
    assert_eq!(vetting["regions"], 2);

    let show = json(
        &ws,
        &[
            "themes",
            "show",
            "vetting-recruitment",
            "--region",
            "South West",
            "--json",
        ],
    );
    let reports = show["reports"].as_array().unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0]["region"], "South West");
    let all = json(&ws, &["themes", "show", "vetting-recruitment", "--json"]);
    let years: Vec<i64> = all["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["year"].as_i64().unwrap())
        .collect();
    let mut sorted = years.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(years, sorted, "newest report first");
    let concern = json(
        &ws,
        &[
            "themes",
            "show",
            "vetting-recruitment",
            "--polarity",
            "concern",
            "--json",
        ],
    );
    for r in concern["reports"].as_array().unwrap() {
        for s in r["sentences"].as_array().unwrap() {
            assert_eq!(s["polarity"], "concern");
        }
    }
    ws.run(&["themes", "show", "no-such-theme"]).expect_code(2);
}

#[test]
fn test_search_theme_filter() {
    let ws = Workspace::with_corpus();
    let results = json(
        &ws,
        &[
            "search",
            "",
            "--theme",
            "vetting-recruitment",
            "--per-report",
            "20",
            "--json",
        ],
    );
    let mut count = 0;
    for r in results["reports"].as_array().unwrap() {
        for e in r["excerpts"].as_array().unwrap() {
            assert!(e["themes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t == "vetting-recruitment"));
            count += 1;
        }
    }
    assert!(count >= 3);
    let both = json(
        &ws,
        &[
            "search",
            "",
            "--theme",
            "vetting-recruitment",
            "--theme",
            "staffing-shortages",
            "--json",
        ],
    );
    for r in both["reports"].as_array().unwrap() {
        for e in r["excerpts"].as_array().unwrap() {
            let themes: BTreeSet<&str> = e["themes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            assert!(
                themes.contains("vetting-recruitment") && themes.contains("staffing-shortages")
            );
        }
    }
}

#[test]
fn test_findings_vetting_recurs_in_greater_manchester_and_across_regions() {
    let ws = Workspace::with_corpus();
    let run = ws
        .run(&["findings", "--region", "Greater Manchester", "--json"])
        .expect_code(0);
    let report: FindingsReport = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report.regions.len(), 1);
    let gm = &report.regions[0];
    assert_eq!(gm.region, "Greater Manchester");
    let vetting = gm
        .findings
        .iter()
        .find(|f| f.theme == "vetting-recruitment")
        .expect("vetting recurs in GM");
    assert!(
        vetting.years.contains(&2023) && vetting.years.contains(&2026),
        "{:?}",
        vetting.years
    );
    assert!(vetting.first_year <= Some(2023) && vetting.last_year == Some(2026));
    assert!(vetting.reports.len() >= 2);
    for mention in &vetting.reports {
        let evidence = mention
            .evidence
            .as_ref()
            .expect("a representative sentence per report");
        assert!(!evidence.text.is_empty());
    }
    // Most widespread first.
    let sizes: Vec<usize> = gm.findings.iter().map(|f| f.reports.len()).collect();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");

    let run = ws
        .run(&["findings", "--across-regions", "--json"])
        .expect_code(0);
    let systemic: FindingsReport = serde_json::from_str(&run.stdout).unwrap();
    let vetting = systemic
        .systemic
        .iter()
        .find(|f| f.theme == "vetting-recruitment")
        .expect("systemic");
    assert_eq!(vetting.regions, ["Greater Manchester", "South West"]);
    assert_eq!(vetting.evidence.len(), 2);
    // The quotes are findings about vetting, whose own wording is a concern, not a note on
    // where workforce data came from that mentions recruitment.
    for evidence in &vetting.evidence {
        assert!(
            evidence.text.contains("vetting"),
            "quote from {}: {}",
            evidence.report,
            evidence.text
        );
    }

    let md = ws.run(&["findings", "--format", "md"]).expect_code(0);
    assert!(md.stdout.contains("## Greater Manchester"), "{}", md.stdout);
    ws.run(&["findings", "--min-reports", "99"]).expect_code(1);
}

#[test]
fn test_findings_quote_the_newest_reports_and_count_them_all() {
    let ws = Workspace::with_corpus();
    let args = ["findings", "--region", "Greater Manchester"];
    let all: FindingsReport =
        serde_json::from_str(&ws.run(&[&args[..], &["--json"]].concat()).stdout).unwrap();
    let capped: FindingsReport = serde_json::from_str(
        &ws.run(&[&args[..], &["--json", "--max-reports", "1"]].concat())
            .stdout,
    )
    .unwrap();
    let (all, capped) = (&all.regions[0].findings, &capped.regions[0].findings);
    assert_eq!(all.len(), capped.len(), "capping quotes changes no finding");
    for (a, c) in all.iter().zip(capped) {
        assert_eq!(a.theme, c.theme);
        assert_eq!(
            a.report_count,
            a.reports.len(),
            "the default quotes all 4 GM reports"
        );
        assert_eq!(c.report_count, a.report_count);
        assert_eq!(c.reports.len(), 1);
        assert_eq!(
            c.reports[0], a.reports[0],
            "the newest report is the one quoted"
        );
    }
    let text = ws
        .run(&[&args[..], &["--max-reports", "1"]].concat())
        .expect_code(0)
        .stdout;
    assert!(text.contains("more (older; --max-reports 0"), "{text}");

    let all = json(&ws, &["themes", "show", "vetting-recruitment", "--json"]);
    let capped = json(
        &ws,
        &[
            "themes",
            "show",
            "vetting-recruitment",
            "--max-reports",
            "2",
            "--json",
        ],
    );
    let count = all["report_count"].as_u64().unwrap();
    assert_eq!(count, all["reports"].as_array().unwrap().len() as u64);
    assert_eq!(capped["report_count"].as_u64(), Some(count));
    assert_eq!(capped["reports"].as_array().unwrap().len(), 2);
    assert_eq!(capped["reports"][0], all["reports"][0], "newest first");
}

#[test]
fn test_theme_counts_agree_with_the_tagged_sentences() {
    // `themes` counts from the report documents' fast fields; `themes show` quotes the tags
    // stored with the passages: both come from the same tagging and must agree, in all and for
    // one polarity.
    let ws = Workspace::with_corpus();
    let themes = json(&ws, &["themes", "--json"]);
    let listed = |id: &str, polarity: &str| -> (u64, u64) {
        let run = ws.run(&["themes", "show", id, "--polarity", polarity, "--json"]);
        if run.stdout.trim().is_empty() {
            return (0, 0);
        }
        let shown: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let reports = shown["reports"].as_array().unwrap();
        let sentences = reports
            .iter()
            .map(|r| r["sentences"].as_array().unwrap().len() as u64)
            .sum();
        (sentences, shown["report_count"].as_u64().unwrap())
    };
    let mut compared = 0;
    for theme in themes["themes"].as_array().unwrap() {
        let id = theme["id"].as_str().unwrap();
        let counted = theme["sentences"].as_u64().unwrap();
        if counted == 0 {
            continue;
        }
        let (sentences, reports) = listed(id, "all");
        assert_eq!(sentences, counted, "{id}");
        assert_eq!(reports, theme["reports"].as_u64().unwrap(), "{id}");
        let concern = theme["concern"].as_u64().unwrap();
        if concern > 0 {
            assert_eq!(listed(id, "concern").0, concern, "{id} concern");
        }
        compared += 1;
    }
    assert!(compared >= 20, "only {compared} themes had sentences");
}

#[test]
fn test_report_formats_agree() {
    let ws = Workspace::with_corpus();
    let model = json(&ws, &["report", "--format", "json"]);
    let themes = json(&ws, &["themes", "--json"]);
    let total_sentences: u64 = themes["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["sentences"].as_u64().unwrap())
        .sum();
    assert_eq!(
        model["grand_total"].as_f64().unwrap() as u64,
        total_sentences,
        "report and themes count the same tags"
    );
    let groups: Vec<&str> = model["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["label"].as_str().unwrap())
        .collect();
    assert_eq!(groups, ["Greater Manchester", "South West"]);

    let csv = ws
        .run(&["report", "--format", "csv", "--by", "year"])
        .expect_code(0)
        .stdout;
    let header = csv.lines().next().unwrap();
    assert!(
        header.starts_with("theme_id,theme,category,2017,2023,2026,total"),
        "{header}"
    );
    assert_eq!(csv.lines().count(), 1 + 29 + 1);

    let table = ws.run(&["report", "--by", "report"]).expect_code(0).stdout;
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");

    let out = ws.dir.path().join("report.html");
    ws.run(&["report", "--format", "html", "--out", out.to_str().unwrap()])
        .expect_code(0);
    let html = std::fs::read_to_string(out).unwrap();
    assert!(html.contains("<svg") && !html.contains("<script"));

    let md = ws
        .run(&[
            "report",
            "--format",
            "md",
            "--metric",
            "per10k",
            "--polarity",
            "concern",
        ])
        .expect_code(0)
        .stdout;
    assert!(md.contains("| ---") || md.contains("|---"), "{md}");
}

#[test]
fn test_changed_taxonomy_retags_on_next_run() {
    let ws = Workspace::with_corpus();
    ws.run(&["index"]).expect_code(0);
    let custom = ws.dir.path().join("custom.toml");
    let default =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/themes.toml")).unwrap();
    // Same taxonomy plus a comment: a different file, so a different fingerprint.
    std::fs::write(&custom, format!("# edited\n{default}")).unwrap();
    let run = ws
        .run(&["index", "--json", "--themes", custom.to_str().unwrap()])
        .expect_code(0);
    let summary: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(summary["indexed"], 5, "every report re-tagged: {summary}");
    let again = ws
        .run(&["index", "--json", "--themes", custom.to_str().unwrap()])
        .expect_code(0);
    let summary: Value = serde_json::from_str(&again.stdout).unwrap();
    assert_eq!(summary["indexed"], 0);

    std::fs::write(&custom, "[[theme]]\nid = \"x\"\nlabel = \"X\"\ncategory = \"nonsense\"\ndescription = \"d\"\nmatch = [\"vetting\"]\n").unwrap();
    let bad = ws
        .run(&["index", "--themes", custom.to_str().unwrap()])
        .expect_code(2);
    assert!(bad.stderr.contains("nonsense"), "{}", bad.stderr);
}

#[test]
fn test_findings_for_a_region_without_reports_and_an_empty_index() {
    let ws = Workspace::with_corpus();
    let run = ws.run(&["findings", "--region", "London"]).expect_code(1);
    assert_eq!(run.stdout.trim(), "London: 0 reports indexed.");
    let json: FindingsReport = ws
        .run(&["findings", "--region", "London", "--json"])
        .expect_code(1)
        .json();
    assert_eq!(json.regions.len(), 1);
    assert_eq!(json.regions[0].reports, 0);
    let run = ws.run(&["findings", "--min-reports", "0"]).expect_code(2);
    assert!(run.stderr.contains("at least 1"), "{}", run.stderr);

    let empty = Workspace::empty();
    let run = empty.run(&["findings"]).expect_code(1);
    assert_eq!(run.stdout.trim(), "No reports indexed.");
    let run = empty.run(&["findings", "--across-regions"]).expect_code(1);
    assert!(run.stdout.contains("0 regions compared"), "{}", run.stdout);
}

#[test]
fn test_systemic_findings_say_how_many_regions_were_compared() {
    let ws = Workspace::with_corpus();
    let report: FindingsReport = ws
        .run(&["findings", "--across-regions", "--json"])
        .expect_code(0)
        .json();
    assert_eq!(report.regions_compared, 2);
    assert_eq!(report.min_reports, 2);
    assert!(report.systemic.iter().all(|f| f.regions.len() >= 2));
    let text = ws
        .run(&["findings", "--across-regions"])
        .expect_code(0)
        .stdout;
    assert!(
        text.starts_with(
            "Systemic findings (concern): themes raised in at least 2 of the 2 regions compared"
        ),
        "{text}"
    );
    // One region alone cannot make a finding systemic, whatever --min-reports says.
    let gm_only = Workspace::with_corpus();
    std::fs::remove_file(gm_only.corpus().join("004_66209604aff7130f.txt")).unwrap();
    let report: FindingsReport = gm_only
        .run(&[
            "findings",
            "--across-regions",
            "--min-reports",
            "1",
            "--json",
        ])
        .expect_code(1)
        .json();
    assert_eq!(report.regions_compared, 1);
    assert!(report.systemic.is_empty());
    ws.run(&["findings", "--across-regions", "--min-share", "1.5"])
        .expect_code(2);
}

/// Every quoted concern is a sentence that `themis tag` tags as a concern with the finding's
/// theme, at the same offsets: a quote never stands for a finding its tags do not carry.
#[test]
fn test_concern_quotes_are_sentences_tagged_concern_with_the_theme() {
    let ws = Workspace::with_corpus();
    let report: FindingsReport = ws.run(&["findings", "--json"]).expect_code(0).json();
    let manifest = std::fs::read_to_string(ws.corpus().join("reports.toml")).unwrap();
    let mut checked = 0;
    for region in &report.regions {
        for finding in &region.findings {
            for mention in &finding.reports {
                let Some(evidence) = &mention.evidence else {
                    continue;
                };
                let file = manifest
                    .split("[[report]]")
                    .find(|entry| entry.contains(&format!("id = \"{}\"", mention.report)))
                    .and_then(|entry| entry.split("file = \"").nth(1))
                    .and_then(|rest| rest.split('"').next())
                    .expect("file of report");
                let tagged = ws
                    .run(&["tag", "--json", ws.corpus().join(file).to_str().unwrap()])
                    .expect_code(0)
                    .stdout;
                let sentence: Value = tagged
                    .lines()
                    .map(|l| serde_json::from_str::<Value>(l).unwrap())
                    .find(|r| {
                        r["kind"] == "sentence"
                            && r["start"] == evidence.start as u64
                            && r["end"] == evidence.end as u64
                    })
                    .unwrap_or_else(|| panic!("no tagged sentence at {evidence:?}"));
                assert_eq!(sentence["polarity"], "concern", "{evidence:?}");
                assert!(
                    sentence["themes"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|t| t == finding.theme.as_str()),
                    "{} not in {sentence}",
                    finding.theme
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "{checked}");
}

/// A CSV field parser enough for our writer's output: quoted fields may hold commas, doubled
/// quotes and line breaks; records end in CRLF.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = vec![];
    let mut record = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
    }
    records
}

#[test]
fn test_findings_csv_has_a_row_per_finding_with_its_quotes() {
    let ws = Workspace::with_corpus();
    let json: serde_json::Value = ws.run(&["findings", "--json"]).expect_code(0).json();
    let csv = ws
        .run(&["findings", "--format", "csv"])
        .expect_code(0)
        .stdout;
    assert!(csv.ends_with("\r\n"));
    let records = csv_records(&csv);
    assert_eq!(
        records[0],
        [
            "region",
            "regions",
            "theme_id",
            "theme",
            "reports",
            "first_year",
            "last_year",
            "years",
            "concern",
            "strength",
            "quoted_reports",
            "quotes"
        ]
    );
    let findings: Vec<&serde_json::Value> = json["regions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap().iter())
        .collect();
    assert_eq!(records.len() - 1, findings.len());
    let gm_vetting = records
        .iter()
        .find(|r| r[0] == "Greater Manchester" && r[2] == "vetting-recruitment")
        .expect("vetting recurs in Greater Manchester");
    let quotes: Vec<&str> = gm_vetting[11].split('\n').collect();
    assert_eq!(quotes.len().to_string(), gm_vetting[10]);
    assert!(
        quotes[0].starts_with("gm-dipp-2026 (2026): “"),
        "{quotes:?}"
    );
    // Systemic findings: an empty region and the regions raising the theme.
    let systemic = ws
        .run(&["findings", "--across-regions", "--format", "csv"])
        .expect_code(0)
        .stdout;
    let rows = csv_records(&systemic);
    assert!(rows.len() > 1);
    for row in &rows[1..] {
        assert_eq!(row[0], "");
        assert!(row[1].contains("Greater Manchester; South West"), "{row:?}");
    }
}
