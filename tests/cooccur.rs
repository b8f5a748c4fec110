//! `themis cooccur` end to end: on the shipped corpus its counts are those of `themis tag`'s own
//! sentences and of `themis themes`; on a generated corpus, a planted pair that always comes
//! together is found first, with the reports it is in.

mod common;

use std::collections::BTreeMap;

use common::Workspace;
use serde_json::Value;

/// Sentences of the shipped corpus as `themis tag --json` tags them: their theme sets.
fn tagged_sentences(ws: &Workspace) -> Vec<Vec<String>> {
    let corpus = ws.corpus();
    let mut files: Vec<String> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["tag", "--json"];
    args.extend(files.iter().map(String::as_str));
    let out = ws.run(&args).expect_code(0);
    out.stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["kind"] == "sentence")
        .map(|r| {
            let mut themes: Vec<String> = r["themes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            themes.sort();
            themes
        })
        .collect()
}

#[test]
fn test_sentence_pairs_are_the_tagger_s_own_and_marginals_are_the_theme_counts() {
    let ws = Workspace::with_corpus();
    let report: Value = ws
        .run(&["cooccur", "--limit", "0", "--min-count", "1", "--json"])
        .expect_code(0)
        .json();
    assert_eq!(report["within"], "sentence");
    // Every pair count equals the sentences `themis tag` gives both themes.
    let mut expected: BTreeMap<(String, String), u64> = BTreeMap::new();
    for themes in tagged_sentences(&ws) {
        for (i, a) in themes.iter().enumerate() {
            for b in &themes[i + 1..] {
                *expected.entry((a.clone(), b.clone())).or_default() += 1;
            }
        }
    }
    let pairs = report["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), expected.len());
    assert_eq!(
        report["pair_count"].as_u64().unwrap() as usize,
        expected.len()
    );
    let themes: Value = ws.run(&["themes", "--json"]).expect_code(0).json();
    let sentences_of = |id: &str| -> u64 {
        themes
            .as_array()
            .or_else(|| themes["themes"].as_array())
            .unwrap()
            .iter()
            .find(|t| t["id"] == id)
            .map(|t| t["sentences"].as_u64().unwrap())
            .unwrap()
    };
    let mut previous = u64::MAX;
    for pair in pairs {
        let (a, b) = (pair["a"].as_str().unwrap(), pair["b"].as_str().unwrap());
        let key = if a < b { (a, b) } else { (b, a) };
        let count = pair["count"].as_u64().unwrap();
        assert_eq!(
            expected.get(&(key.0.to_string(), key.1.to_string())),
            Some(&count),
            "{a} + {b}"
        );
        assert!(count <= previous, "most frequent first");
        previous = count;
        assert_eq!(pair["count_a"].as_u64().unwrap(), sentences_of(a), "{a}");
        assert_eq!(pair["count_b"].as_u64().unwrap(), sentences_of(b), "{b}");
        // Lift from the counts, over every sentence of the corpus.
        let units = report["units"].as_f64().unwrap();
        let lift = count as f64 * units
            / (pair["count_a"].as_f64().unwrap() * pair["count_b"].as_f64().unwrap());
        assert!(
            (pair["lift"].as_f64().unwrap() - lift).abs() < 0.001,
            "{pair}"
        );
        // The example is a sentence tagged with both.
        for example in pair["examples"].as_array().unwrap() {
            let text = example["text"].as_str().unwrap();
            assert!(!text.is_empty());
        }
    }
    // Information sharing with domestic abuse and safeguarding is the corpus's leading pair.
    assert_eq!(
        (pairs[0]["a"].as_str(), pairs[0]["b"].as_str()),
        (
            Some("information-sharing"),
            Some("domestic-abuse-safeguarding")
        )
    );
}

#[test]
fn test_wider_units_hold_the_narrower_pairs_and_theme_lists_partners() {
    let ws = Workspace::with_corpus();
    let counts = |within: &str| -> BTreeMap<(String, String), u64> {
        let report: Value = ws
            .run(&[
                "cooccur",
                "--within",
                within,
                "--limit",
                "0",
                "--min-count",
                "1",
                "--json",
            ])
            .expect_code(0)
            .json();
        report["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| {
                (
                    (
                        p["a"].as_str().unwrap().into(),
                        p["b"].as_str().unwrap().into(),
                    ),
                    p["count"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let (sentence, passage, report) = (counts("sentence"), counts("passage"), counts("report"));
    // A pair in one sentence is in that sentence's passage and report (two such sentences of
    // one passage count once there; a passage can also join two sentences' themes).
    for pair in sentence.keys() {
        assert!(passage.contains_key(pair), "{pair:?}");
    }
    for pair in passage.keys() {
        let r = report.get(pair).copied().unwrap_or(0);
        assert!((1..=5).contains(&r), "{pair:?}: {r} reports");
    }
    assert!(passage.len() >= sentence.len() && report.len() >= passage.len());
    let partners: Value = ws
        .run(&["cooccur", "--theme", "vetting-recruitment", "--json"])
        .expect_code(0)
        .json();
    let pairs = partners["pairs"].as_array().unwrap();
    assert!(!pairs.is_empty());
    assert!(pairs
        .iter()
        .all(|p| p["a"] == "vetting-recruitment" || p["b"] == "vetting-recruitment"));
}

#[test]
fn test_formats_filters_and_exit_codes() {
    let ws = Workspace::with_corpus();
    let text = ws.run(&["cooccur", "--limit", "2"]).expect_code(0).stdout;
    assert!(
        text.starts_with("Themes together in one sentence (polarity: all): "),
        "{text}"
    );
    assert!(text.contains("; showing 2\n"), "{text}");
    assert!(
        text.contains("• Information sharing with partners + Domestic abuse and safeguarding\n")
    );
    let csv = ws
        .run(&[
            "cooccur", "--within", "report", "--format", "csv", "--limit", "3",
        ])
        .expect_code(0)
        .stdout;
    let header = csv.lines().next().unwrap();
    assert_eq!(
        header,
        "theme_a,label_a,theme_b,label_b,count,count_a,count_b,reports,lift,npmi,example_report,example_year,example"
    );
    assert!(csv.contains("\r\n"), "CSV rows end in CRLF");
    assert_eq!(csv.lines().count(), 4);
    let md = ws
        .run(&["cooccur", "--format", "md", "--limit", "1"])
        .expect_code(0)
        .stdout;
    assert!(
        md.contains("| Theme | Theme | Sentences | Reports | Lift | Example |"),
        "{md}"
    );
    // Nothing found is exit 1 with a sentence saying so; bad values are errors (exit 2).
    let none = ws
        .run(&["cooccur", "--min-count", "100000"])
        .expect_code(1)
        .stdout;
    assert!(none.contains("No two themes come together in at least 100000 sentences."));
    let empty: Value = ws
        .run(&["cooccur", "--region", "London", "--json"])
        .expect_code(1)
        .json();
    assert_eq!(empty["reports"], 0);
    let bad = ws.run(&["cooccur", "--theme", "nope"]).expect_code(2);
    assert!(bad.stderr.contains("nope"));
    ws.run(&["cooccur", "--within", "page"]).expect_code(2);
}

/// A report of `n` sentences: the planted sentence, then filler each raising one theme.
fn synthetic_report(year: i32, region: &str, planted: bool) -> String {
    let mut text = format!("Inspection of probation services in {region}, {year}\n\n");
    let filler = [
        "Caseloads were high and practitioners told us their workload was unmanageable.",
        "Unpaid work placements were available for most people on probation.",
        "The approved premises provided safe accommodation for residents.",
        "Leaders communicated a clear vision for the service.",
    ];
    for (i, sentence) in filler.iter().cycle().take(12).enumerate() {
        if planted && i % 4 == 1 {
            text.push_str(PLANTED);
            text.push(' ');
        }
        text.push_str(sentence);
        text.push(if i % 3 == 2 { '\n' } else { ' ' });
    }
    text
}

const PLANTED: &str =
    "Long delays in vetting new recruits meant vacancies went unfilled for months.";

#[test]
fn test_a_planted_pair_that_always_comes_together_is_found_first() {
    let ws = Workspace::empty();
    // What the tagger gives the planted sentence: the pair the corpus must show first.
    let tagged = ws
        .run_with_stdin(&["tag", "--json", "-"], PLANTED.as_bytes())
        .expect_code(0);
    let planted: Vec<String> = tagged
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["kind"] == "sentence")
        .unwrap()["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        planted,
        ["vetting-recruitment", "staffing-shortages"],
        "the planted sentence's themes"
    );
    let regions = ["North West", "South West", "Wales"];
    let mut planted_reports = 0;
    for (i, year) in (2018..2026).enumerate() {
        let region = regions[i % regions.len()];
        let planted = i % 2 == 0;
        planted_reports += usize::from(planted);
        ws.write(
            &format!("report-{year}.txt"),
            synthetic_report(year, region, planted),
        );
    }
    let report: Value = ws.run(&["cooccur", "--json"]).expect_code(0).json();
    let top = &report["pairs"][0];
    assert_eq!(top["a"], "vetting-recruitment");
    assert_eq!(top["b"], "staffing-shortages");
    // Planted three times in each of half the reports, and never apart.
    assert_eq!(top["count"].as_u64().unwrap() as usize, 3 * planted_reports);
    assert_eq!(top["reports"].as_u64().unwrap() as usize, planted_reports);
    assert_eq!(top["count_a"], top["count"]);
    assert_eq!(top["count_b"], top["count"]);
    assert!(top["npmi"].as_f64().unwrap() > 0.5, "{top}");
    assert_eq!(top["examples"].as_array().unwrap().len(), 1);
    assert_eq!(top["examples"][0]["text"], PLANTED);
    // The newest planted report is quoted.
    assert_eq!(top["examples"][0]["year"], 2024);
}
