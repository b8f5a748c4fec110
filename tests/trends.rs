//! `themis trends` on the shipped corpus: years and counts agree with `themis report --by year`,
//! shares are per 10,000 sentences of the year's reports, and every format has its shape.

mod common;

use common::Workspace;
use serde_json::Value;

fn json(ws: &Workspace, args: &[&str]) -> Value {
    ws.run(args).expect_code(0).json()
}

#[test]
fn test_trends_agree_with_the_report_by_year() {
    let ws = Workspace::with_corpus();
    for polarity in ["concern", "all", "strength"] {
        let trends = json(
            &ws,
            &[
                "trends",
                "--theme",
                "vetting-recruitment",
                "--polarity",
                polarity,
                "--json",
            ],
        );
        let report = json(
            &ws,
            &[
                "report",
                "--by",
                "year",
                "--format",
                "json",
                "--polarity",
                polarity,
            ],
        );
        let reports = json(
            &ws,
            &[
                "report",
                "--by",
                "year",
                "--format",
                "json",
                "--metric",
                "reports",
                "--polarity",
                polarity,
            ],
        );
        assert_eq!(trends["polarity"], polarity);
        let series = &trends["series"].as_array().unwrap()[0];
        assert!(series["region"].is_null());
        // The years with reports are the report's groups, with the same reports and sentences.
        let years: Vec<(String, u64, u64)> = series["years"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|y| y["reports"].as_u64().unwrap() > 0)
            .map(|y| {
                (
                    y["year"].as_i64().unwrap().to_string(),
                    y["reports"].as_u64().unwrap(),
                    y["sentences"].as_u64().unwrap(),
                )
            })
            .collect();
        let groups: Vec<(String, u64, u64)> = report["groups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| {
                (
                    g["label"].as_str().unwrap().to_string(),
                    g["reports"].as_u64().unwrap(),
                    g["sentences"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(years, groups, "{polarity}");
        let first = series["years"][0]["year"].as_i64().unwrap();
        let last = series["years"].as_array().unwrap().last().unwrap()["year"]
            .as_i64()
            .unwrap();
        assert_eq!((first, last), (2017, 2026));

        let row = |m: &Value| -> Vec<f64> {
            m["rows"]
                .as_array()
                .unwrap()
                .iter()
                .find(|r| r["id"] == "vetting-recruitment")
                .map_or(vec![0.0; groups.len()], |r| {
                    r["values"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_f64().unwrap())
                        .collect()
                })
        };
        let (sentences, raising) = (row(&report), row(&reports));
        let theme = &series["themes"][0];
        assert_eq!(theme["id"], "vetting-recruitment");
        let points: Vec<&Value> = theme["points"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| !p["per10k"].is_null())
            .collect();
        assert_eq!(points.len(), groups.len());
        for (i, point) in points.iter().enumerate() {
            let n = point["sentences"].as_u64().unwrap();
            assert_eq!(n as f64, sentences[i], "{polarity} {}", groups[i].0);
            assert_eq!(
                point["reports"].as_u64().unwrap() as f64,
                raising[i],
                "{polarity}"
            );
            let share = point["per10k"].as_f64().unwrap();
            let expected = n as f64 * 10_000.0 / groups[i].2 as f64;
            assert!((share - expected).abs() < 1e-9, "{share} {expected}");
        }
        // Years without reports have no share.
        let gaps = theme["points"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["per10k"].is_null())
            .count();
        assert_eq!(gaps, 10 - groups.len());
    }
    // Concern about vetting: first raised in 2023, in 2 years, not persistent; no direction
    // (2017 has one report, so no window of three years qualifies).
    let trends = json(&ws, &["trends", "--theme", "vetting-recruitment", "--json"]);
    let theme = &trends["series"][0]["themes"][0];
    assert_eq!(theme["since"], 2023);
    assert_eq!(theme["years_raised"], 2);
    assert_eq!(theme["persistent"], false);
    assert!(theme["direction"].is_null());
    assert_eq!(trends["rules"]["persistent_years"], 3);
}

#[test]
fn test_trends_formats_and_exit_codes() {
    let ws = Workspace::with_corpus();
    let text = ws.run(&["trends"]).expect_code(0).stdout;
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("concern sentences per 10,000"),
        "{text}"
    );
    assert_eq!(
        lines[1],
        "Years: 2017 (1 report, 25 sentences) · 2023 (2 reports, 381 sentences) · 2026 (2 reports, 446 sentences)"
    );
    let vetting = lines
        .iter()
        .find(|l| l.starts_with("Vetting and recruitment"))
        .unwrap();
    assert!(
        vetting.contains("→") && vetting.contains("since 2023"),
        "{vetting}"
    );
    assert!(
        lines.iter().any(|l| l.contains("persistent")),
        "some theme is raised in all three years: {text}"
    );

    let csv = ws
        .run(&[
            "trends",
            "--theme",
            "vetting-recruitment",
            "--format",
            "csv",
        ])
        .expect_code(0)
        .stdout;
    assert!(csv.ends_with("\r\n") && !csv.replace("\r\n", "").contains('\n'));
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        rows[0],
        "theme_id,theme,year,year_reports,year_sentences,sentences,reports,per10k,since,persistent,direction"
    );
    assert_eq!(rows.len(), 1 + 3, "one row per year with reports: {csv}");
    assert!(rows[1].starts_with("vetting-recruitment,Vetting and recruitment,2017,1,25,0,0,0,"));

    let md = ws
        .run(&[
            "trends",
            "--theme",
            "vetting-recruitment",
            "--by-region",
            "--format",
            "md",
        ])
        .expect_code(0)
        .stdout;
    assert!(md.contains("Greater Manchester — Years: 2017"), "{md}");
    assert!(md.contains("| Region | Theme | Year |"), "{md}");
    assert!(
        md.contains("| South West | Vetting and recruitment | 2026 |"),
        "{md}"
    );

    let by_region = json(&ws, &["trends", "--by-region", "--json"]);
    let regions: Vec<&str> = by_region["series"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["region"].as_str().unwrap())
        .collect();
    assert_eq!(regions, ["Greater Manchester", "South West"]);

    let none = ws.run(&["trends", "--region", "London"]).expect_code(1);
    assert!(none.stdout.contains("No reports match."), "{}", none.stdout);
    ws.run(&["trends", "--since", "2030", "--json"])
        .expect_code(1);
    ws.run(&["trends", "--theme", "no-such-theme"])
        .expect_code(2);
    ws.run(&["trends", "--type", "no-such-type"]).expect_code(2);
    ws.run(&["trends", "--region", "Atlantis"]).expect_code(2);
}
