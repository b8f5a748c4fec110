//! The analyst's report ([`AnalystReport`]) as one self-contained HTML page: a header with the
//! corpus, the taxonomy, the model and the date; concern and strength heatmaps of themes ×
//! columns; themes year by year as small line charts; the themes that come together in a
//! sentence as a matrix; the recurring findings per region with quotes; and the evidence: for
//! every number that links, a section listing its sentences with report, year, section and page.
//!
//! The page works offline, archived and printed: no scripts, no external resources, a
//! Content-Security-Policy that forbids fetching anything, every piece of text through
//! [`esc`]. Links are in-page anchors only, and only to sections the page has: a number links
//! to its evidence when there is some ([`Links`] records each target once, and the evidence
//! part writes exactly the targets recorded).

mod evidence;
mod parts;

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::html::{compact, esc, Scale};
use super::svg::{HeatCell, HeatColumn, HeatRow, Heatmap};
use crate::themes::Polarity;
use crate::views::analyst::{utc_timestamp, AnalystReport, Heatmap as Matrix, HEATMAP_GROUPING};
use crate::views::evidence::CellKey;
use crate::views::frequency::{Group, GroupBy};

const STYLE: &str = include_str!("style.css");

/// What a link leads to: a cell's or a pair's evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    /// A cell of a heatmap (or of the findings' regions).
    Cell(CellKey),
    /// Two theme numbers, the smaller first.
    Pair(usize, usize),
}

/// The evidence sections the page links to, in the order first linked.
#[derive(Debug, Default)]
pub(crate) struct Links {
    order: Vec<Target>,
    seen: BTreeSet<Target>,
}

impl Links {
    /// The anchor of `target` (`#…`) when the report has its evidence, recording it.
    fn href(&mut self, report: &AnalystReport, target: Target) -> Option<String> {
        let exists = match target {
            Target::Cell(key) => report.evidence.cell(&key).is_some(),
            Target::Pair(a, b) => report.evidence.pair(a, b).is_some(),
        };
        if !exists {
            return None;
        }
        if self.seen.insert(target) {
            self.order.push(target);
        }
        Some(format!("#{}", anchor(report, target)))
    }
}

/// The id of a target's section.
pub(crate) fn anchor(report: &AnalystReport, target: Target) -> String {
    let theme = |n: usize| report.themes.get(n).map_or("theme", |(id, _)| id.as_str());
    match target {
        Target::Cell(key) => format!(
            "ev-{}-{}-{}{}",
            key.polarity,
            theme(key.theme),
            if key.grouping == HEATMAP_GROUPING {
                "c"
            } else {
                "r"
            },
            key.column
        ),
        Target::Pair(a, b) => format!("ev-pair-{}-{}", theme(a), theme(b)),
    }
}

/// What a column is called on the page: region names and years as they are, "unknown" said
/// in words, report types in words, reports by title.
pub(crate) fn column_title(report: &AnalystReport, by: GroupBy, group: &Group) -> String {
    match (by, group.key.as_str()) {
        (GroupBy::Region, "unknown") => "Region unknown".into(),
        (GroupBy::Year, "unknown") => "Year unknown".into(),
        (GroupBy::Type, key) => {
            let words = key.replace('-', " ");
            let mut c = words.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        }
        (GroupBy::Report, id) => report
            .reports
            .iter()
            .find(|r| r.id == id)
            .map_or(id.to_string(), |r| r.title.clone()),
        (_, key) => key.to_string(),
    }
}

/// What a heatmap's column heads say: its title, cut to 40 characters; a report by its region
/// and year (its title, which often starts the same as the next one's, is its hover text),
/// with its id where two would read the same.
fn column_labels(
    report: &AnalystReport,
    by: GroupBy,
    groups: &[Group],
    titles: &[String],
) -> Vec<String> {
    let labels: Vec<String> = match by {
        GroupBy::Report => groups
            .iter()
            .map(|g| {
                report
                    .reports
                    .iter()
                    .find(|r| r.id == g.key)
                    .map_or(g.key.clone(), |r| {
                        let year = r.year.map_or(String::new(), |y| format!(" {y}"));
                        format!("{}{year}", r.region.as_deref().unwrap_or(&r.id))
                    })
            })
            .collect(),
        _ => titles.iter().map(|t| truncate(t, 40)).collect(),
    };
    labels
        .iter()
        .zip(groups)
        .map(|(label, g)| {
            if labels.iter().filter(|l| *l == label).count() > 1 {
                format!("{label} · {}", g.key)
            } else {
                label.clone()
            }
        })
        .collect()
}

/// "Concern", "Strength", "Neutral".
pub(crate) fn polarity_title(p: Polarity) -> &'static str {
    match p {
        Polarity::Concern => "Concern",
        Polarity::Strength => "Strength",
        Polarity::Neutral => "Neutral",
    }
}

/// "1 report", "2 reports".
pub(crate) fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {noun}s", compact(n as f64))
    }
}

/// Writes the whole page.
pub fn render(report: &AnalystReport, out: &mut dyn Write) -> io::Result<()> {
    let mut links = Links::default();
    let mut s = String::new();
    let title = format!(
        "Themes in {} {}",
        count(report.corpus.reports, "report"),
        years_span(report)
    );
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Belt and braces for "no network": even if a label smuggled markup past escaping, the
    // browser may not fetch or run anything.
    s.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(s, "<title>{}</title>", esc(&title));
    let _ = writeln!(s, "<style>\n{STYLE}</style>\n</head>\n<body>\n<main>");
    header(&mut s, report, &title);
    // Side by side when they fit (a few columns each), one under the other when not.
    s.push_str("<section id=\"heatmaps\">\n<h2>Where themes are raised</h2>\n<div class=\"side-by-side\">\n");
    for heatmap in &report.heatmaps {
        s.push_str("<div class=\"heatmap-part\">\n");
        heatmap_section(&mut s, report, heatmap, &mut links);
        s.push_str("</div>\n");
    }
    s.push_str("</div>\n</section>\n");
    parts::trends(&mut s, report);
    parts::together(&mut s, report, &mut links);
    parts::findings(&mut s, report, &mut links);
    evidence::sections(&mut s, report, &links.order);
    s.push_str("</main>\n</body>\n</html>\n");
    out.write_all(s.as_bytes())
}

/// "2017–2026", "2026", or "" without dated reports.
fn years_span(report: &AnalystReport) -> String {
    match (report.corpus.years.first(), report.corpus.years.last()) {
        (Some((a, _)), Some((b, _))) if a == b => format!("({a})"),
        (Some((a, _)), Some((b, _))) => format!("({a}–{b})"),
        _ => String::new(),
    }
}

fn header(s: &mut String, report: &AnalystReport, title: &str) {
    let corpus = &report.corpus;
    let p = &report.provenance;
    let _ = writeln!(s, "<header id=\"top\">\n<h1>{}</h1>", esc(title));
    s.push_str("<p class=\"lede\">Where concerns and strengths are raised, how they change year by year, which themes come together, and what keeps coming back in each region. Every number that links leads to the sentences behind it, further down this page.</p>\n<dl class=\"facts\">\n");
    let list = |items: &[(String, u64)]| -> String {
        items
            .iter()
            .map(|(name, n)| format!("{} ({n})", esc(name)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let years: Vec<(String, u64)> = corpus
        .years
        .iter()
        .map(|(y, n)| (y.to_string(), *n))
        .chain((corpus.undated > 0).then(|| ("year unknown".to_string(), corpus.undated)))
        .collect();
    let _ = writeln!(
        s,
        "<dt>Corpus</dt><dd class=\"corpus\">{} with {}.<br>Years: {}.<br>Regions: {}.<br>Types: {}.</dd>",
        count(corpus.reports, "report"),
        count(corpus.sentences, "sentence"),
        list(&years),
        list(&corpus.regions),
        list(&corpus.types)
    );
    let filter = &report.request.reports;
    let mut narrowed = Vec::new();
    if let Some(r) = &filter.region {
        narrowed.push(format!("region {}", esc(r)));
    }
    if let Some(t) = filter.report_type {
        narrowed.push(format!("type {}", esc(t.as_str())));
    }
    if let Some(y) = filter.since {
        narrowed.push(format!("since {y}"));
    }
    if !narrowed.is_empty() {
        let _ = writeln!(
            s,
            "<dt>Reports compared</dt><dd>only {}</dd>",
            narrowed.join(", ")
        );
    }
    let _ =
        writeln!(
        s,
        "<dt>Taxonomy</dt><dd class=\"taxonomy\">{}, {} themes, fingerprint <code>{}</code></dd>",
        esc(&p.taxonomy),
        report.themes.len(),
        esc(p.taxonomy_fingerprint.get(..12).unwrap_or(&p.taxonomy_fingerprint))
    );
    let model = match &p.model {
        Some(version) => format!(
            "version <code>{}</code> (rules and a learned model)",
            esc(version)
        ),
        None => "none: themes by their rules alone".into(),
    };
    let _ = writeln!(s, "<dt>Model</dt><dd class=\"model\">{model}</dd>");
    let _ = writeln!(
        s,
        "<dt>Generated</dt><dd class=\"generated\">{} by themis {}</dd>",
        esc(&utc_timestamp(p.generated)),
        esc(&p.themis)
    );
    let _ = writeln!(
        s,
        "<dt>Evidence</dt><dd>At most {} sentences quoted per number, the first sentence of each report before the second of any, newest reports first; each list says how many more there are and the command that lists them all.</dd>\n</dl>",
        report.request.evidence
    );
    s.push_str("<nav class=\"toc\"><strong>Contents:</strong> <a href=\"#heatmaps\">Where themes are raised</a> · <a href=\"#trends\">Year by year</a> · <a href=\"#together\">Themes together</a> · <a href=\"#findings\">Recurring findings</a> · <a href=\"#evidence\">Evidence</a></nav>\n</header>\n");
}

fn heatmap_section(s: &mut String, report: &AnalystReport, heatmap: &Matrix, links: &mut Links) {
    let m = &heatmap.matrix;
    let polarity = heatmap.polarity;
    let name = polarity_title(polarity);
    let _ = writeln!(
        s,
        "<h3 id=\"heatmap-{polarity}\">{name}: {} by {}</h3>",
        esc(m.metric.description()),
        esc(m.by.noun())
    );
    let rows: Vec<_> = m.rows.iter().filter(|r| r.total > 0.0).collect();
    if rows.is_empty() || m.groups.is_empty() {
        let _ = writeln!(s, "<p class=\"empty\">No {polarity} sentences.</p>");
        return;
    }
    let titles: Vec<String> = m
        .groups
        .iter()
        .map(|g| column_title(report, m.by, g))
        .collect();
    let labels = column_labels(report, m.by, &m.groups, &titles);
    let columns = m
        .groups
        .iter()
        .zip(&titles)
        .zip(labels)
        .map(|((g, title), label)| HeatColumn {
            label,
            title: format!(
                "{title}: {}, {}",
                count(g.reports, "report"),
                count(g.sentences, "sentence")
            ),
        })
        .collect();
    let mut heat_rows = Vec::new();
    for row in &rows {
        let theme = report.theme_number(&row.id).unwrap_or(usize::MAX);
        let cells = (0..m.groups.len())
            .map(|g| {
                let value = m.value(row, g);
                let key = CellKey {
                    grouping: HEATMAP_GROUPING,
                    polarity,
                    theme,
                    column: g,
                };
                let bucket = report.evidence.cell(&key);
                let href = if value > 0.0 {
                    links.href(report, Target::Cell(key))
                } else {
                    None
                };
                let sentences = bucket.map_or(0, |b| b.sentences);
                let reports = bucket.map_or(0, |b| b.reports);
                Some(HeatCell {
                    value,
                    text: if value > 0.0 {
                        m.format_value(value)
                    } else {
                        String::new()
                    },
                    title: format!(
                        "{name} · {} · {}: {} {} ({} in {})",
                        row.label,
                        titles[g],
                        m.format_value(value),
                        m.metric.description(),
                        count(sentences, "sentence"),
                        count(reports, "report")
                    ),
                    href,
                })
            })
            .collect();
        heat_rows.push(HeatRow {
            label: row.label.clone(),
            cells,
        });
    }
    let max = rows
        .iter()
        .flat_map(|r| r.values.iter().copied())
        .fold(0.0, f64::max);
    let svg = Heatmap {
        class: format!("heatmap {polarity}"),
        aria_label: format!(
            "{name} heatmap: {} themes across {} {}s; every number links to its sentences",
            rows.len(),
            m.groups.len(),
            m.by.noun()
        ),
        columns,
        rows: heat_rows,
        footer: vec![
            (
                "Reports".into(),
                m.groups.iter().map(|g| compact(g.reports as f64)).collect(),
            ),
            (
                "Sentences (all)".into(),
                m.groups
                    .iter()
                    .map(|g| compact(g.sentences as f64))
                    .collect(),
            ),
        ],
        scale: match polarity {
            Polarity::Concern => Scale::Reds,
            _ => Scale::Blues,
        },
        cell_w: 56.0,
        cell_h: 24.0,
        legend: (0..5)
            .map(|i| m.format_value(max * f64::from(i) / 4.0))
            .collect(),
    }
    .svg();
    let _ = writeln!(
        s,
        "<figure>\n{svg}<figcaption>{}</figcaption>\n</figure>",
        caption(report, heatmap, rows.len())
    );
}

fn caption(report: &AnalystReport, heatmap: &Matrix, shown: usize) -> String {
    let m = &heatmap.matrix;
    let what = match m.metric {
        crate::views::frequency::Metric::Sentences => format!(
            "Each number is the {} sentences tagged with the theme",
            heatmap.polarity
        ),
        crate::views::frequency::Metric::Reports => format!(
            "Each number is the reports with at least one {} sentence tagged with the theme",
            heatmap.polarity
        ),
        crate::views::frequency::Metric::Per10k => format!(
            "Each number is the {} sentences tagged with the theme per 10,000 sentences of the column's reports",
            heatmap.polarity
        ),
    };
    let hidden = report.themes.len().saturating_sub(shown);
    let hidden = if hidden > 0 {
        format!(" Not drawn: {} with none.", count(hidden as u64, "theme"))
    } else {
        String::new()
    };
    format!(
        "{what}; darker is more, relative to the largest. Under each column: its reports and all their sentences, tagged or not. A number links to its sentences.{hidden}"
    )
}

/// `s` cut to `max` characters with "…".
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}
