//! `themis discover` end to end: on a generated corpus a planted phrase that no theme covers,
//! written in different sentences of reports of several regions, is the first candidate; on the
//! shipped corpus the formats have their shape and the thresholds hold.

mod common;

use common::Workspace;
use serde_json::Value;

const AREAS: [&str; 6] = [
    "Northvale",
    "Eastmoor",
    "Westford",
    "Southby",
    "Highcross",
    "Lowmere",
];

/// A report of `region` and `year`; `planted` adds three concern sentences about broken
/// printers, each worded for this report.
fn report(area: &str, region: &str, year: i32, planted: bool) -> String {
    let mut text = format!(
        "Inspection of probation services in {area}\n\n\
         This report covers the inspection of the {area} probation delivery unit in {region} in {year}.\n\n"
    );
    let findings = [
        format!("Caseloads in {area} were high and practitioners told us their workload was unmanageable."),
        format!("Leaders in {area} communicated a clear vision for the service."),
        format!("Unpaid work placements in {area} were available for most people on probation."),
        format!("The approved premises near {area} provided safe accommodation for residents."),
    ];
    for (i, finding) in findings.iter().enumerate() {
        text.push_str(finding);
        text.push(' ');
        if planted {
            text.push_str(&match i {
                0 => format!(
                    "Broken printers in the {area} office had not been repaired for {} weeks.",
                    year - 2010
                ),
                1 => format!(
                    "Staff complained that broken printers in {area} delayed their letters."
                ),
                2 => format!("In {year} broken printers meant letters from {area} went out late."),
                _ => String::new(),
            });
        }
        text.push_str("\n\n");
    }
    text
}

fn planted_corpus() -> (Workspace, usize) {
    let ws = Workspace::empty();
    let regions = ["North West", "South West", "Wales"];
    let mut planted = 0;
    let mut manifest = String::new();
    for (i, area) in AREAS.iter().enumerate() {
        manifest.push_str(&format!(
            "[[report]]\nfile = \"{}.txt\"\nid = \"{}\"\ntitle = \"Inspection of probation services in {area}\"\nregion = \"{}\"\nyear = {}\ntype = \"pdu-inspection\"\n\n",
            area.to_lowercase(),
            area.to_lowercase(),
            regions[i % regions.len()],
            2019 + i
        ));
        let with = i + 1 < AREAS.len();
        planted += usize::from(with);
        ws.write(
            &format!("{}.txt", area.to_lowercase()),
            report(area, regions[i % regions.len()], 2019 + i as i32, with),
        );
    }
    ws.write("reports.toml", manifest);
    (ws, planted)
}

#[test]
fn test_a_planted_phrase_no_theme_covers_is_found_first() {
    let (ws, planted) = planted_corpus();
    // The planted sentences are concerns the taxonomy does not cover.
    let tagged = ws
        .run_with_stdin(
            &["tag", "--json", "-"],
            b"Broken printers in the Northvale office had not been repaired for 9 weeks.",
        )
        .expect_code(0);
    let sentence: Value = tagged
        .stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["kind"] == "sentence")
        .unwrap();
    assert_eq!(sentence["themes"], serde_json::json!([]));
    assert_eq!(sentence["polarity"], "concern");

    let report: Value = ws
        .run(&["discover", "--json", "--examples", "3"])
        .expect_code(0)
        .json();
    assert_eq!(report["reports"].as_u64().unwrap() as usize, AREAS.len());
    let top = &report["candidates"][0];
    assert_eq!(top["phrase"], "broken printers", "{report:#}");
    // Its counts are those of the tagger's own sentences.
    let files: Vec<String> = AREAS
        .iter()
        .map(|a| {
            ws.corpus()
                .join(format!("{}.txt", a.to_lowercase()))
                .display()
                .to_string()
        })
        .collect();
    let mut args = vec!["tag", "--json"];
    args.extend(files.iter().map(String::as_str));
    let (mut concern, mut uncovered) = (0, 0);
    for line in ws.run(&args).expect_code(0).stdout.lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        let text = r["text"].as_str().unwrap_or_default().to_lowercase();
        if r["kind"] == "sentence" && r["polarity"] == "concern" && text.contains("broken printers")
        {
            concern += 1;
            uncovered += usize::from(r["themes"].as_array().unwrap().is_empty());
        }
    }
    assert!(
        concern >= 2 * planted,
        "most planted sentences are concerns: {concern}"
    );
    assert_eq!(top["concern_sentences"].as_u64().unwrap() as usize, concern);
    assert_eq!(top["uncovered"].as_u64().unwrap() as usize, uncovered);
    assert_eq!(top["reports"].as_array().unwrap().len(), planted);
    assert_eq!(top["regions"].as_array().unwrap().len(), 3);
    assert_eq!(top["rule"], "match = [\"broken printers\"]");
    // Examples: one a report, newest first, each a sentence with the phrase.
    let examples = top["examples"].as_array().unwrap();
    assert_eq!(examples.len(), 3);
    let years: Vec<i64> = examples
        .iter()
        .map(|e| e["year"].as_i64().unwrap())
        .collect();
    assert!(years.windows(2).all(|w| w[0] > w[1]), "{years:?}");
    for e in examples {
        assert!(e["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("broken printers"));
    }
    // Names are not candidates: every area's name recurs, but it is where, not what.
    for c in report["candidates"].as_array().unwrap() {
        let phrase = c["phrase"].as_str().unwrap();
        assert!(
            !AREAS.iter().any(|a| phrase.contains(&a.to_lowercase())),
            "{phrase}"
        );
    }

    // The thresholds: in more reports than it has, or more regions, it is gone.
    let strict: Value = ws
        .run(&[
            "discover",
            "--json",
            "--min-reports",
            &(planted + 1).to_string(),
        ])
        .json();
    assert!(!strict["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["phrase"] == "broken printers"));
    let strict: Value = ws.run(&["discover", "--json", "--min-regions", "4"]).json();
    assert!(strict["candidates"].as_array().unwrap().is_empty());
    // One region: it is still found (a region filter asks for one region by default).
    let wales: Value = ws
        .run(&["discover", "--json", "--region", "North West"])
        .expect_code(0)
        .json();
    assert_eq!(wales["candidates"][0]["phrase"], "broken printers");
}

#[test]
fn test_formats_and_errors_on_the_shipped_corpus() {
    let ws = Workspace::with_corpus();
    let text = ws.run(&["discover", "--limit", "3"]).expect_code(0).stdout;
    assert!(text.starts_with("Candidate themes: "), "{text}");
    assert!(text.contains("\n1. “"), "{text}");
    assert!(text.contains("   rule: match = [\""), "{text}");
    let json: Value = ws.run(&["discover", "--json", "--limit", "0"]).json();
    assert_eq!(json["reports"], 5);
    let candidates = json["candidates"].as_array().unwrap();
    assert_eq!(
        candidates.len() as u64,
        json["candidate_count"].as_u64().unwrap()
    );
    for c in candidates {
        assert!(c["reports"].as_array().unwrap().len() >= 2);
        assert!(c["regions"].as_array().unwrap().len() >= 2);
        let (concern, uncovered) = (
            c["concern_sentences"].as_u64().unwrap(),
            c["uncovered"].as_u64().unwrap(),
        );
        assert!(uncovered * 2 >= concern, "{c}");
    }
    let scores: Vec<f64> = candidates
        .iter()
        .map(|c| c["score"].as_f64().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first");
    let csv = ws
        .run(&["discover", "--format", "csv"])
        .expect_code(0)
        .stdout;
    assert!(csv.starts_with(
        "phrase,score,concern_sentences,uncovered,other_sentences,reports,regions,years,example,rule\r\n"
    ));
    let md = ws
        .run(&["discover", "--format", "md"])
        .expect_code(0)
        .stdout;
    assert!(
        md.contains("| Phrase | Concern sentences | Without a theme |"),
        "{md}"
    );
    ws.run(&["discover", "--max-covered", "1.5"]).expect_code(2);
    ws.run(&["discover", "--min-reports", "0"]).expect_code(2);
    let none = ws
        .run(&["discover", "--min-reports", "6"])
        .expect_code(1)
        .stdout;
    assert!(none.contains("No candidate found."));
}
