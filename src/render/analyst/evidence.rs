//! The evidence part of the analyst's report: a section per linked number, listing its quoted
//! sentences by report (title, region, year, type; each sentence's section and page), how many
//! more there are, and the command that lists them all.

use std::fmt::Write as _;

use super::{anchor, column_title, count, polarity_title, Target};
use crate::render::html::esc;
use crate::views::analyst::{AnalystReport, HEATMAP_GROUPING};
use crate::views::evidence::{Bucket, CellKey};
use crate::views::frequency::GroupBy;

pub(super) fn sections(s: &mut String, report: &AnalystReport, targets: &[Target]) {
    let _ = writeln!(
        s,
        "<section id=\"evidence\">\n<h2>Evidence</h2>\n<p class=\"note\">The sentences behind each number above: at most {} each (the first sentence of each report before the second of any, newest reports first), with the report, year, section and page (PDF reports) each comes from.</p>",
        count(report.request.evidence as u64, "sentence")
    );
    for &target in targets {
        let (heading, back, bucket, (command, note)) = match target {
            Target::Cell(key) => {
                let Some(bucket) = report.evidence.cell(&key) else {
                    continue;
                };
                let (heading, command) = cell_heading(report, key);
                let back = if key.grouping == HEATMAP_GROUPING {
                    format!("#heatmap-{}", key.polarity)
                } else {
                    "#findings".to_string()
                };
                (heading, back, bucket, command)
            }
            Target::Pair(a, b) => {
                let Some(bucket) = report.evidence.pair(a, b) else {
                    continue;
                };
                let (ida, la) = &report.themes[a];
                let (idb, lb) = &report.themes[b];
                let command = with_filter(
                    report,
                    format!("themis search \"theme:{ida} theme:{idb}\" --all"),
                    None,
                );
                (
                    format!("Together · {la} + {lb}"),
                    "#together".to_string(),
                    bucket,
                    (command, "passages with both themes, of any polarity"),
                )
            }
        };
        // What the section is about, for programs reading the page.
        let about = match target {
            Target::Cell(key) => format!(
                "data-polarity=\"{}\" data-theme=\"{}\" data-column=\"{}\"",
                key.polarity,
                esc(report
                    .themes
                    .get(key.theme)
                    .map_or("", |(id, _)| id.as_str())),
                esc(&column_key(report, key))
            ),
            Target::Pair(a, b) => format!(
                "data-pair=\"{} {}\"",
                esc(&report.themes[a].0),
                esc(&report.themes[b].0)
            ),
        };
        let _ = writeln!(
            s,
            "<section class=\"evidence\" id=\"{}\" {about}>\n<h3>{}</h3>\n<p class=\"meta\"><span class=\"count\" data-sentences=\"{}\">{} in {}</span>; {} quoted. <a class=\"back\" href=\"{}\">back</a></p>",
            esc(&anchor(report, target)),
            esc(&heading),
            bucket.sentences,
            count(bucket.sentences, "sentence"),
            count(bucket.reports, "report"),
            bucket.quotes.len(),
            esc(&back)
        );
        quotes(s, report, bucket, matches!(target, Target::Pair(..)));
        if bucket.more() > 0 {
            // A command that lists more than the cell's sentences says so.
            let note = if note.is_empty() {
                String::new()
            } else {
                format!(" ({})", esc(note))
            };
            let _ = writeln!(
                s,
                "<p class=\"more\">and {} more: <code>{}</code>{note}</p>",
                bucket.more(),
                esc(&command)
            );
        }
        s.push_str("</section>\n");
    }
    s.push_str("</section>\n");
}

/// The quotes of a bucket, by report (newest first, as kept).
fn quotes(s: &mut String, report: &AnalystReport, bucket: &Bucket, with_polarity: bool) {
    let mut current = None;
    for quote in &bucket.quotes {
        if current != Some(quote.report) {
            if current.is_some() {
                s.push_str("</ol>\n");
            }
            current = Some(quote.report);
            let Some(r) = report.reports.get(quote.report) else {
                continue;
            };
            let _ = writeln!(
                s,
                "<h4>{}</h4>\n<p class=\"meta\">{} · {} · {} · <code>{}</code></p>\n<ol>",
                esc(&r.title),
                esc(r.region.as_deref().unwrap_or("region unknown")),
                r.year.map_or("year unknown".into(), |y| y.to_string()),
                esc(r.report_type.as_str()),
                esc(&r.id)
            );
        }
        let mut place = Vec::new();
        if with_polarity {
            place.push(quote.polarity.to_string());
        }
        if let Some(section) = &quote.section {
            place.push(esc(section));
        }
        if let Some(page) = quote.page {
            place.push(format!("p. {page}"));
        }
        let place = if place.is_empty() {
            String::new()
        } else {
            format!(" <span class=\"where\">{}</span>", place.join(" · "))
        };
        let _ = writeln!(s, "<li>“{}”{place}</li>", esc(&quote.text));
    }
    if current.is_some() {
        s.push_str("</ol>\n");
    }
}

/// The key of a cell's column: a region name, a year, a report id or a type ("unknown").
fn column_key(report: &AnalystReport, key: CellKey) -> String {
    if key.grouping == HEATMAP_GROUPING {
        report
            .heatmaps
            .first()
            .and_then(|h| h.matrix.groups.get(key.column))
            .map_or(String::new(), |g| g.key.clone())
    } else {
        report
            .region_columns
            .get(key.column)
            .cloned()
            .unwrap_or_default()
    }
}

/// The heading of a cell's section, and the command that lists all its sentences with what
/// else it lists ("" when nothing).
fn cell_heading(report: &AnalystReport, key: CellKey) -> (String, (String, &'static str)) {
    let (id, label) = report
        .themes
        .get(key.theme)
        .map_or(("", ""), |(id, l)| (id.as_str(), l.as_str()));
    let polarity = key.polarity;
    let (column, by, column_key) = if key.grouping == HEATMAP_GROUPING {
        let group = report
            .heatmaps
            .first()
            .and_then(|h| h.matrix.groups.get(key.column));
        match group {
            Some(g) => (
                column_title(report, report.request.by, g),
                report.request.by,
                g.key.clone(),
            ),
            None => (String::new(), report.request.by, String::new()),
        }
    } else {
        let region = report
            .region_columns
            .get(key.column)
            .cloned()
            .unwrap_or_default();
        let title = if region == "unknown" {
            "Region unknown".to_string()
        } else {
            region.clone()
        };
        (title, GroupBy::Region, region)
    };
    let heading = format!("{} · {label} · {column}", polarity_title(polarity));
    let filter = &report.request.reports;
    let simple = filter.report_type.is_none() && filter.since.is_none() && column_key != "unknown";
    let command = match by {
        GroupBy::Region | GroupBy::Year if simple => {
            let mut c = format!("themis themes show {id} --polarity {polarity} --max-reports 0");
            let region = if by == GroupBy::Region {
                Some(column_key.clone())
            } else {
                filter.region.clone()
            };
            if let Some(r) = region {
                let _ = write!(c, " --region \"{r}\"");
            }
            if by == GroupBy::Year {
                let _ = write!(c, " --year {column_key}");
            }
            (c, "")
        }
        _ => {
            let narrow = match by {
                GroupBy::Region if column_key != "unknown" => {
                    Some(format!("--region \"{column_key}\""))
                }
                GroupBy::Year if column_key != "unknown" => Some(format!("--year {column_key}")),
                GroupBy::Report => Some(format!("--report {column_key}")),
                GroupBy::Type => Some(format!("--type {column_key}")),
                _ => None,
            };
            let c = with_filter(
                report,
                format!("themis search \"theme:{id}\" --all"),
                narrow,
            );
            (c, "passages with the theme, of any polarity")
        }
    };
    (heading, command)
}

/// A search command narrowed to the page's reports (and `narrow`).
fn with_filter(report: &AnalystReport, mut command: String, narrow: Option<String>) -> String {
    let filter = &report.request.reports;
    if let Some(r) = &filter.region {
        if !narrow.as_deref().is_some_and(|n| n.starts_with("--region")) {
            let _ = write!(command, " --region \"{r}\"");
        }
    }
    if let Some(t) = filter.report_type {
        if !narrow.as_deref().is_some_and(|n| n.starts_with("--type")) {
            let _ = write!(command, " --type {}", t.as_str());
        }
    }
    if let Some(y) = filter.since {
        let _ = write!(command, " --since {y}");
    }
    if let Some(n) = narrow {
        let _ = write!(command, " {n}");
    }
    command
}
