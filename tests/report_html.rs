//! `themis report --format html`, the analyst's report, end to end. On the shipped corpus: the
//! header's facts, full theme labels and region names, every in-page link resolving to an
//! element of the page, each evidence section counting the sentences `themis tag` gives its
//! cell (and `themis themes show`, another path through the index, agreeing), each heatmap
//! number the count of the section it links to; filters, exit codes, a pinned date. On a
//! corpus generated here: a theme planted more every year rises in the chart's data, and a pair
//! planted always together is the matrix's largest cell.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::Workspace;
use scraper::{Html, Selector};
use serde_json::Value;

const EPOCH: &str = "1767225600";

fn html(ws: &Workspace, args: &[&str]) -> String {
    let mut all = vec!["report", "--format", "html"];
    all.extend(args);
    ws.run_with_env(&all, &[("SOURCE_DATE_EPOCH", EPOCH)])
        .expect_code(0)
        .stdout
}

fn select(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// Every `href="#…"` has an element with that id, ids are unique, and nothing is fetched.
fn assert_self_contained(page: &Html) -> usize {
    let mut ids = BTreeSet::new();
    for el in page.select(&select("[id]")) {
        let id = el.value().attr("id").unwrap();
        assert!(ids.insert(id.to_string()), "id `{id}` twice");
    }
    let mut links = 0;
    for el in page.select(&select("[href], [src]")) {
        let target = el.value().attr("href").or(el.value().attr("src")).unwrap();
        let id = target
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("a link out of the page: {target}"));
        assert!(ids.contains(id), "`{target}` leads nowhere");
        links += 1;
    }
    assert_eq!(page.select(&select("script, link, img, iframe")).count(), 0);
    links
}

/// Sentence counts of cells, by (polarity, theme, column).
type Cells = BTreeMap<(String, String, String), u64>;
/// Sentence counts of pairs, by (theme, theme).
type Pairs = BTreeMap<(String, String), u64>;

/// Every evidence section: (polarity, theme, column) or the pair → its sentence count.
fn sections(page: &Html) -> (Cells, Pairs) {
    let mut cells = BTreeMap::new();
    let mut pairs = BTreeMap::new();
    for section in page.select(&select("section.evidence")) {
        let v = section.value();
        let n: u64 = section
            .select(&select(".count"))
            .next()
            .unwrap()
            .value()
            .attr("data-sentences")
            .unwrap()
            .parse()
            .unwrap();
        let quoted = section.select(&select("li")).count() as u64;
        assert!(
            quoted <= 5 && quoted <= n,
            "at most 5 quoted: {quoted} of {n}"
        );
        if let Some(pair) = v.attr("data-pair") {
            let (a, b) = pair.split_once(' ').unwrap();
            pairs.insert((a.to_string(), b.to_string()), n);
        } else {
            let key = (
                v.attr("data-polarity").unwrap().to_string(),
                v.attr("data-theme").unwrap().to_string(),
                v.attr("data-column").unwrap().to_string(),
            );
            cells.insert(key, n);
        }
    }
    (cells, pairs)
}

/// Region and year of each shipped file, from the manifest.
fn manifest(ws: &Workspace) -> BTreeMap<String, (String, i64)> {
    let text = std::fs::read_to_string(ws.corpus().join("reports.toml")).unwrap();
    let doc: toml::Value = toml::from_str(&text).unwrap();
    doc["report"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["file"].as_str().unwrap().to_string(),
                (
                    r["region"].as_str().unwrap().to_string(),
                    r["year"].as_integer().unwrap(),
                ),
            )
        })
        .collect()
}

/// `themis tag --json` of every corpus file: (region, year, polarity, themes) per sentence.
fn tagged(ws: &Workspace) -> Vec<(String, i64, String, Vec<String>)> {
    let files = manifest(ws);
    let mut out = Vec::new();
    for (file, (region, year)) in &files {
        let path = ws.corpus().join(file);
        let run = ws
            .run(&["tag", "--json", path.to_str().unwrap()])
            .expect_code(0);
        for line in run.stdout.lines() {
            let r: Value = serde_json::from_str(line).unwrap();
            if r["kind"] != "sentence" {
                continue;
            }
            let themes = r["themes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap().to_string())
                .collect();
            out.push((
                region.clone(),
                *year,
                r["polarity"].as_str().unwrap().to_string(),
                themes,
            ));
        }
    }
    out
}

#[test]
fn test_the_shipped_corpus_report_counts_what_tag_counts() {
    let ws = Workspace::with_corpus();
    let text = html(&ws, &[]);
    assert_eq!(text, html(&ws, &[]), "the same page twice");
    let page = Html::parse_document(&text);
    let links = assert_self_contained(&page);
    assert!(links > 100, "{links} links");
    let body: String = page.root_element().text().collect();
    for fact in [
        "Themes in 5 reports (2017–2026)",
        "5 reports with 852 sentences.",
        "Years: 2017 (1), 2023 (2), 2026 (2).",
        "Regions: Greater Manchester (4), South West (1).",
        "the built-in taxonomy, 29 themes, fingerprint",
        "2026-01-01 00:00 UTC by themis",
        "At most 5 sentences quoted per number",
        // A full label, longer than any chart used to draw.
        "Management oversight and quality assurance",
    ] {
        assert!(body.contains(fact), "`{fact}` missing");
    }
    let model = page.select(&select("dd.model code")).next().unwrap();
    assert_eq!(
        model.text().collect::<String>().len(),
        16,
        "a model version"
    );
    let columns: Vec<String> = page
        .select(&select("svg.heatmap.concern text.column"))
        .map(|t| t.text().last().unwrap().to_string())
        .collect();
    assert_eq!(columns, ["Greater Manchester", "South West"]);

    // Each section's count is the tagger's own, per region and polarity, and per pair.
    let (cells, pairs) = sections(&page);
    let sentences = tagged(&ws);
    let mut expected_cells: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    let mut expected_pairs: BTreeMap<(String, String), u64> = BTreeMap::new();
    for (region, _, polarity, themes) in &sentences {
        for theme in themes {
            *expected_cells
                .entry((polarity.clone(), theme.clone(), region.clone()))
                .or_default() += 1;
        }
        for a in themes {
            for b in themes {
                *expected_pairs.entry((a.clone(), b.clone())).or_default() += 1;
            }
        }
    }
    assert!(cells.len() > 50, "{} cell sections", cells.len());
    for (key, n) in &cells {
        assert_eq!(expected_cells.get(key), Some(n), "{key:?}");
    }
    assert!(!pairs.is_empty());
    for (key, n) in &pairs {
        assert_eq!(expected_pairs.get(key), Some(n), "{key:?}");
    }
    // Every concern and strength cell the tagger has is on the page.
    for ((polarity, theme, region), n) in &expected_cells {
        if polarity != "neutral" {
            let key = (polarity.clone(), theme.clone(), region.clone());
            assert_eq!(cells.get(&key), Some(n), "{key:?} has no section");
        }
    }

    // Each heatmap number is the count of the section it links to.
    let counts: BTreeMap<String, u64> = page
        .select(&select("section.evidence"))
        .map(|s| {
            let n = s
                .select(&select(".count"))
                .next()
                .unwrap()
                .value()
                .attr("data-sentences");
            (
                s.value().attr("id").unwrap().to_string(),
                n.unwrap().parse().unwrap(),
            )
        })
        .collect();
    let mut linked = 0;
    for a in page.select(&select("svg.heatmap a")) {
        let id = &a.value().attr("href").unwrap()[1..];
        let shown: u64 = a
            .select(&select("text"))
            .next()
            .unwrap()
            .text()
            .collect::<String>()
            .parse()
            .unwrap();
        assert_eq!(counts.get(id), Some(&shown), "{id}");
        linked += 1;
    }
    // A finding's sentence count is its section's.
    let mut findings = 0;
    for a in page.select(&select("li.finding a")) {
        let text: String = a.text().collect();
        let Some(n) = text.strip_suffix(" concern sentences") else {
            continue;
        };
        let id = &a.value().attr("href").unwrap()[1..];
        assert_eq!(counts.get(id), Some(&n.parse().unwrap()), "{id}");
        findings += 1;
    }
    assert!(findings >= 5, "{findings} findings");
    // By region, every cell section is a heatmap cell's (findings link to the same ones).
    assert_eq!(linked, cells.len());

    // The command a section gives for the sentences it does not quote lists them all.
    let mut run_commands = 0;
    for section in page.select(&select("section.evidence[data-column]")) {
        let Some(code) = section.select(&select(".more code")).next() else {
            continue;
        };
        let command: String = code.text().collect();
        let args = shell_words(command.strip_prefix("themis ").unwrap());
        assert_eq!(args[..2], ["themes", "show"], "{command}");
        let mut args: Vec<&str> = args.iter().map(String::as_str).collect();
        args.push("--json");
        let listed: Value = ws.run(&args).expect_code(0).json();
        let listed: u64 = listed["reports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["sentences"].as_array().unwrap().len() as u64)
            .sum();
        let n = section
            .select(&select(".count"))
            .next()
            .unwrap()
            .value()
            .attr("data-sentences");
        assert_eq!(Some(listed.to_string().as_str()), n, "{command}");
        run_commands += 1;
        if run_commands == 4 {
            break;
        }
    }
    assert_eq!(run_commands, 4);

    // Another path through the index agrees: `themes show` for a cell.
    let show: Value = ws
        .run(&[
            "themes",
            "show",
            "staffing-shortages",
            "--region",
            "Greater Manchester",
            "--polarity",
            "concern",
            "--max-reports",
            "0",
            "--json",
        ])
        .expect_code(0)
        .json();
    let listed: usize = show["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["sentences"].as_array().unwrap().len())
        .sum();
    let key = (
        "concern".into(),
        "staffing-shortages".into(),
        "Greater Manchester".into(),
    );
    assert_eq!(cells.get(&key).copied(), Some(listed as u64));
}

/// Words of a command line, double quotes grouping.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => words.push(String::new()),
            c => words.last_mut().unwrap().push(c),
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

#[test]
fn test_by_year_filters_dates_and_exit_codes() {
    let ws = Workspace::with_corpus();
    let text = html(&ws, &["--by", "year"]);
    let page = Html::parse_document(&text);
    assert_self_contained(&page);
    let columns: Vec<String> = page
        .select(&select("svg.heatmap.concern text.column"))
        .map(|t| t.text().last().unwrap().to_string())
        .collect();
    assert_eq!(columns, ["2017", "2023", "2026"], "years ascending");
    // Year cells count what the tagger gives each year; findings still link to region cells.
    let (cells, _) = sections(&page);
    let mut expected: BTreeMap<(String, String, String), u64> = BTreeMap::new();
    for (region, year, polarity, themes) in tagged(&ws) {
        for theme in themes {
            *expected
                .entry((polarity.clone(), theme.clone(), year.to_string()))
                .or_default() += 1;
            *expected
                .entry((polarity.clone(), theme, region.clone()))
                .or_default() += 1;
        }
    }
    assert!(cells.keys().any(|(_, _, c)| c == "2023"));
    assert!(
        cells.keys().any(|(_, _, c)| c == "Greater Manchester"),
        "findings' evidence"
    );
    for (key, n) in &cells {
        assert_eq!(expected.get(key), Some(n), "{key:?}");
    }
    assert!(
        text.contains("--year 2023"),
        "the command for the rest of a year's cell"
    );

    // Reports as columns: five heads, no two alike (two of the titles start the same).
    let by_report = Html::parse_document(&html(&ws, &["--by", "report"]));
    assert_self_contained(&by_report);
    let heads: BTreeSet<String> = by_report
        .select(&select("svg.heatmap.concern text.column"))
        .map(|t| t.text().last().unwrap().to_string())
        .collect();
    assert_eq!(heads.len(), 5, "{heads:?}");
    assert!(heads.contains("South West 2026"), "{heads:?}");

    // A filter narrows every part, and says so; one that leaves nothing is exit 1.
    let south_west = html(&ws, &["--region", "south west", "--polarity", "concern"]);
    assert!(south_west.contains("<dt>Reports compared</dt><dd>only region South West</dd>"));
    assert!(south_west.contains("Themes in 1 report (2026)"));
    assert!(
        !south_west.contains("svg class=\"heatmap strength\""),
        "concern only"
    );
    assert!(!south_west.contains("data-column=\"Greater Manchester\""));
    let out = ws.dir.path().join("none.html");
    let none = ws.run(&[
        "report",
        "--format",
        "html",
        "--region",
        "London",
        "--out",
        out.to_str().unwrap(),
    ]);
    let none = none.expect_code(1);
    assert!(
        none.stderr.contains("no indexed report matches"),
        "{}",
        none.stderr
    );
    assert!(!out.exists(), "nothing written");
    ws.run(&["report", "--region", "Atlantis"]).expect_code(2);
    // The matrix formats take the filter too.
    let csv = ws
        .run(&["report", "--format", "csv", "--region", "South West"])
        .expect_code(0)
        .stdout;
    assert!(
        csv.starts_with("theme_id,theme,category,South West,total\r\n"),
        "{csv}"
    );

    // The date: SOURCE_DATE_EPOCH when set (and an error when it is not a number).
    assert!(text.contains("2026-01-01 00:00 UTC"));
    let bad = ws
        .run_with_env(
            &["report", "--format", "html"],
            &[("SOURCE_DATE_EPOCH", "yesterday")],
        )
        .expect_code(2);
    assert!(bad.stderr.contains("SOURCE_DATE_EPOCH"), "{}", bad.stderr);
}

const PLANTED: &str =
    "Long delays in vetting new recruits meant vacancies went unfilled for months.";
// A sentence is tagged with what its page is about so far, and in the latest years this one
// fills two thirds of its reports: it is one whose themes stay the same however much of the
// page it is ("Caseloads were high and practitioners told us their workload was
// unmanageable" also gets staff wellbeing on a page that is mostly about workload).
const RISING: &str = "Workloads were too high in every team.";
const FILLER: [&str; 3] = [
    "Unpaid work placements were available for most people on probation.",
    "The approved premises provided safe accommodation for residents.",
    "Leaders communicated a clear vision for the service.",
];

fn themes_of(ws: &Workspace, sentence: &str) -> Vec<String> {
    let run = ws
        .run_with_stdin(&["tag", "--json", "-"], sentence.as_bytes())
        .expect_code(0);
    run.stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|r| r["kind"] == "sentence")
        .unwrap()["themes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn test_a_generated_corpus_shows_its_planted_trend_and_pair() {
    let ws = Workspace::empty();
    let pair = themes_of(&ws, PLANTED);
    let rising = themes_of(&ws, RISING);
    assert_eq!(pair.len(), 2, "the planted pair: {pair:?}");
    assert_eq!(rising.len(), 1, "the rising theme: {rising:?}");
    assert!(!pair.contains(&rising[0]));
    for filler in FILLER {
        let themes = themes_of(&ws, filler);
        assert!(
            themes.len() <= 1
                && !themes
                    .iter()
                    .any(|t| pair.contains(t) || rising.contains(t)),
            "{filler}: {themes:?}"
        );
    }
    // Eight years, three reports a year in three regions: 60 filler sentences, the pair three
    // times, and the rising sentence 1, 2, 4, … 128 times (its share at least 1.5 times as
    // large over the last three years, which `rising` asks).
    let regions = ["North West", "South West", "Wales"];
    let mut manifest = String::new();
    for (i, year) in (2018..2026).enumerate() {
        for (r, region) in regions.iter().enumerate() {
            let mut sentences: Vec<&str> = (0..60).map(|k| FILLER[k % 3]).collect();
            for at in [0, 20, 40] {
                sentences.insert(at, PLANTED);
            }
            for k in 0..(1usize << i) {
                sentences.insert((k * 7) % sentences.len(), RISING);
            }
            let mut text = format!("Inspection of probation services in {region}, {year}\n\n");
            for chunk in sentences.chunks(5) {
                text.push_str(&chunk.join(" "));
                text.push_str("\n\n");
            }
            let file = format!("r-{year}-{r}.txt");
            ws.write(&file, text);
            manifest.push_str(&format!(
                "[[report]]\nfile = \"{file}\"\nid = \"r-{year}-{r}\"\ntitle = \"Inspection of probation services in {region}, {year}\"\nregion = \"{region}\"\nyear = {year}\ntype = \"dynamic-inspection\"\n\n"
            ));
        }
    }
    ws.write("reports.toml", manifest);
    let text = html(&ws, &["--polarity", "all"]);
    let page = Html::parse_document(&text);
    assert_self_contained(&page);

    // The rising theme's chart: a point a year, each above the one before.
    let theme = &rising[0];
    let chart = page
        .select(&select(&format!("figure.trend[data-theme=\"{theme}\"]")))
        .next()
        .unwrap_or_else(|| panic!("no chart of {theme}"));
    let mut by_polarity: BTreeMap<String, Vec<(i32, f64)>> = BTreeMap::new();
    for point in chart.select(&select("circle.point")) {
        let v = point.value();
        let polarity = v
            .attr("class")
            .unwrap()
            .split(' ')
            .nth(1)
            .unwrap()
            .to_string();
        by_polarity.entry(polarity).or_default().push((
            v.attr("data-year").unwrap().parse().unwrap(),
            v.attr("data-value").unwrap().parse().unwrap(),
        ));
    }
    let (_, points) = by_polarity
        .iter()
        .max_by(|a, b| {
            a.1.iter()
                .map(|p| p.1)
                .sum::<f64>()
                .total_cmp(&b.1.iter().map(|p| p.1).sum())
        })
        .unwrap();
    let years: Vec<i32> = points.iter().map(|p| p.0).collect();
    assert_eq!(years, (2018..2026).collect::<Vec<_>>());
    assert!(
        points.windows(2).all(|w| w[1].1 > w[0].1),
        "rising: {points:?}"
    );
    let flags = chart
        .select(&select(".flags"))
        .next()
        .unwrap()
        .text()
        .collect::<String>();
    assert!(flags.contains("rising"), "{flags}");

    // The planted pair is the matrix's largest number, linking to its 3 × 24 sentences.
    let mut best: Option<(u64, String)> = None;
    for a in page.select(&select("svg.matrix a")) {
        let n: u64 = a
            .select(&select("text"))
            .next()
            .unwrap()
            .text()
            .collect::<String>()
            .parse()
            .unwrap();
        let href = a.value().attr("href").unwrap().to_string();
        if best.as_ref().is_none_or(|(m, _)| n > *m) {
            best = Some((n, href));
        }
    }
    let (n, href) = best.expect("a matrix with links");
    let mut sorted = pair.clone();
    sorted.sort();
    let expected_ids = [
        format!("#ev-pair-{}-{}", pair[0], pair[1]),
        format!("#ev-pair-{}-{}", pair[1], pair[0]),
    ];
    assert!(
        expected_ids.contains(&href),
        "{href} is not the planted pair {pair:?}"
    );
    assert_eq!(n, 3 * 24);
    let (_, pairs) = sections(&page);
    let key = pairs
        .keys()
        .find(|(a, b)| pair.contains(a) && pair.contains(b))
        .unwrap();
    assert_eq!(pairs[key], 72);
}

/// A PDF report's quotes name their pages, and each quote is on the page it names (as
/// `themis show --page` extracts it).
#[test]
fn test_a_pdf_report_s_quotes_are_on_the_pages_they_name() {
    let ws = Workspace::empty();
    let pdf =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats/letter.pdf");
    std::fs::copy(pdf, ws.corpus().join("letter.pdf")).unwrap();
    let page = Html::parse_document(&html(&ws, &[]));
    let squash = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut texts: BTreeMap<u64, String> = BTreeMap::new();
    let mut checked = 0;
    for li in page.select(&select("section.evidence li")) {
        let where_ = li
            .select(&select(".where"))
            .next()
            .expect("a place")
            .text()
            .collect::<String>();
        let n: u64 = where_
            .rsplit("p. ")
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no page in `{where_}`"));
        let quote = li
            .text()
            .next()
            .unwrap()
            .trim()
            .trim_start_matches('“')
            .trim_end_matches('”')
            .to_string();
        let text = texts.entry(n).or_insert_with(|| {
            squash(
                &ws.run(&["show", "letter", "--page", &n.to_string()])
                    .expect_code(0)
                    .stdout,
            )
        });
        assert!(text.contains(&squash(&quote)), "p. {n}: {quote}");
        checked += 1;
    }
    assert!(checked > 20, "{checked} quotes");
    assert!(
        texts.len() > 2,
        "quotes from several pages: {:?}",
        texts.keys()
    );
}
