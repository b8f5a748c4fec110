//! `themis scores` and `themis facts`: the numbers inspection reports end with, side by side.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;
use themis::index::IndexedReport;
use themis::structured::{Rating, Scores};

use super::{csv_field, md_cell};
use crate::cli::{GlobalArgs, TableArgs};
use crate::output::{self, Style};
use crate::Exit;

const QUESTIONS: [&str; 4] = ["assessment", "planning", "implementation", "reviewing"];

fn values(s: &Scores) -> [Option<f64>; 4] {
    [s.assessment, s.planning, s.implementation, s.reviewing]
}

#[derive(Serialize)]
struct ScoreRow<'a> {
    report: &'a str,
    title: &'a str,
    region: Option<&'a str>,
    year: Option<i32>,
    #[serde(flatten)]
    scores: &'a Scores,
}

#[derive(Serialize)]
struct RatingRow<'a> {
    report: &'a str,
    #[serde(flatten)]
    rating: &'a Rating,
}

/// A table of rows × columns of optional numbers, rendered as text, md or csv.
struct Grid {
    corner: String,
    columns: Vec<String>,
    rows: Vec<(String, Vec<Option<f64>>)>,
}

impl Grid {
    fn render(&self, out: &mut impl Write, format: &str, style: Style) -> std::io::Result<()> {
        let cell = |v: &Option<f64>| v.map_or("–".to_string(), format_number);
        match format {
            "csv" => {
                let header: Vec<String> = std::iter::once(self.corner.clone())
                    .chain(self.columns.iter().cloned())
                    .map(|s| csv_field(&s))
                    .collect();
                writeln!(out, "{}", header.join(","))?;
                for (label, vals) in &self.rows {
                    let cells: Vec<String> = vals
                        .iter()
                        .map(|v| v.map_or(String::new(), format_number))
                        .collect();
                    writeln!(out, "{},{}", csv_field(label), cells.join(","))?;
                }
            }
            "md" => {
                writeln!(
                    out,
                    "| {} | {} |",
                    md_cell(&self.corner),
                    self.columns
                        .iter()
                        .map(|c| md_cell(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                )?;
                writeln!(out, "|---|{}", "---:|".repeat(self.columns.len()))?;
                for (label, vals) in &self.rows {
                    let cells: Vec<String> = vals.iter().map(cell).collect();
                    writeln!(out, "| {} | {} |", md_cell(label), cells.join(" | "))?;
                }
            }
            _ => {
                let label_width = self
                    .rows
                    .iter()
                    .map(|(l, _)| l.chars().count())
                    .chain([self.corner.chars().count()])
                    .max()
                    .unwrap_or(0)
                    .min(48);
                let widths: Vec<usize> = self
                    .columns
                    .iter()
                    .map(|c| c.chars().count().max(7))
                    .collect();
                let mut header = format!(
                    "{:<label_width$}",
                    super::themes::truncate(&self.corner, label_width)
                );
                for (c, w) in self.columns.iter().zip(&widths) {
                    header.push_str(&format!("  {c:>w$}"));
                }
                writeln!(out, "{}", style.bold(&header))?;
                for (label, vals) in &self.rows {
                    let mut line = format!(
                        "{:<label_width$}",
                        truncate_middle(&output::sanitize(label), label_width)
                    );
                    for (v, w) in vals.iter().zip(&widths) {
                        line.push_str(&format!("  {:>w$}", cell(v)));
                    }
                    writeln!(out, "{line}")?;
                }
            }
        }
        Ok(())
    }
}

fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

fn report_label(r: &IndexedReport) -> String {
    let year = r.meta.year.map_or(String::new(), |y| format!(" {y}"));
    format!("{}{year}", r.meta.region.as_deref().unwrap_or(&r.meta.id))
}

pub fn run_scores(global: &GlobalArgs, args: &TableArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let reports = super::indexed_reports(global, &tagger)?;
    let scored: Vec<(&IndexedReport, &Scores)> = reports
        .iter()
        .filter_map(|r| r.structured.scores.as_ref().map(|s| (r, s)))
        .collect();
    let mut average = [None; 4];
    for (q, slot) in average.iter_mut().enumerate() {
        let vals: Vec<f64> = scored.iter().filter_map(|(_, s)| values(s)[q]).collect();
        if !vals.is_empty() {
            *slot = Some((vals.iter().sum::<f64>() / vals.len() as f64 * 10.0).round() / 10.0);
        }
    }
    let ratings: Vec<RatingRow> = reports
        .iter()
        .flat_map(|r| {
            r.structured.ratings.iter().map(|rating| RatingRow {
                report: &r.meta.id,
                rating,
            })
        })
        .collect();
    let mut out = output::stdout();
    if args.json {
        let rows: Vec<ScoreRow> = scored
            .iter()
            .map(|(r, s)| ScoreRow {
                report: &r.meta.id,
                title: &r.meta.title,
                region: r.meta.region.as_deref(),
                year: r.meta.year,
                scores: s,
            })
            .collect();
        let avg = Scores {
            assessment: average[0],
            planning: average[1],
            implementation: average[2],
            reviewing: average[3],
        };
        serde_json::to_writer_pretty(
            &mut out,
            &serde_json::json!({ "reports": rows, "average": avg, "ratings": ratings }),
        )?;
        writeln!(out)?;
    } else {
        let style = Style {
            color: args.format == "text" && output::use_color(global.color),
        };
        let mut rows: Vec<(String, Vec<Option<f64>>)> = scored
            .iter()
            .map(|(r, s)| (report_label(r), values(s).to_vec()))
            .collect();
        if scored.len() > 1 {
            rows.push(("Corpus average".into(), average.to_vec()));
        }
        let grid = Grid {
            corner: "% of cases 'Yes'".into(),
            columns: QUESTIONS.iter().map(|q| q.to_string()).collect(),
            rows,
        };
        grid.render(&mut out, &args.format, style)?;
        if !ratings.is_empty() && args.format != "csv" {
            writeln!(out)?;
            let mut by_subject: BTreeMap<(&str, &str), Vec<&Rating>> = BTreeMap::new();
            for r in &ratings {
                by_subject
                    .entry((r.report, r.rating.subject.as_str()))
                    .or_default()
                    .push(r.rating);
            }
            for ((report, subject), list) in by_subject {
                let md = args.format == "md";
                let head = format!("Ratings: {subject} ({report})");
                writeln!(
                    out,
                    "{}",
                    if md {
                        format!("### {head}\n")
                    } else {
                        style.bold(&head)
                    }
                )?;
                for r in list {
                    let what = match (&r.standard, &r.name) {
                        (Some(s), Some(n)) => format!("{s} {n}"),
                        (Some(s), None) => s.clone(),
                        _ => "Overall".into(),
                    };
                    let score = r
                        .score
                        .as_deref()
                        .map_or(String::new(), |s| format!(" ({s})"));
                    writeln!(
                        out,
                        "{}{what}: {}{score}",
                        if md { "- " } else { "  " },
                        r.rating
                    )?;
                }
                if md {
                    writeln!(out)?;
                }
            }
        }
    }
    output::finish(out)?;
    Ok(if scored.is_empty() && ratings.is_empty() {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

pub fn run_facts(global: &GlobalArgs, args: &TableArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let reports = super::indexed_reports(global, &tagger)?;
    let with_facts: Vec<&IndexedReport> = reports
        .iter()
        .filter(|r| !r.structured.facts.is_empty())
        .collect();
    let mut names: Vec<(String, String, String)> = Vec::new();
    for r in &with_facts {
        for f in &r.structured.facts {
            if !names.iter().any(|(n, _, _)| *n == f.name) {
                names.push((f.name.clone(), f.label.clone(), f.unit.clone()));
            }
        }
    }
    let mut out = output::stdout();
    if args.json {
        let list: Vec<serde_json::Value> = with_facts
            .iter()
            .map(|r| serde_json::json!({ "report": r.meta.id, "title": r.meta.title, "region": r.meta.region, "year": r.meta.year, "facts": r.structured.facts }))
            .collect();
        serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "reports": list }))?;
        writeln!(out)?;
    } else {
        let style = Style {
            color: args.format == "text" && output::use_color(global.color),
        };
        let grid = Grid {
            corner: "Key fact".into(),
            columns: with_facts.iter().map(|r| report_label(r)).collect(),
            rows: names
                .iter()
                .map(|(name, label, unit)| {
                    let vals = with_facts
                        .iter()
                        .map(|r| {
                            r.structured
                                .facts
                                .iter()
                                .find(|f| f.name == *name)
                                .map(|f| f.value)
                        })
                        .collect();
                    let unit = if unit == "percent" { " (%)" } else { "" };
                    (format!("{label}{unit}"), vals)
                })
                .collect(),
        };
        grid.render(&mut out, &args.format, style)?;
    }
    output::finish(out)?;
    Ok(if with_facts.is_empty() {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

/// Cuts the middle out of long labels: their ends ("… – PO") tell rows apart.
fn truncate_middle(s: &str, width: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() <= width || width < 5 {
        return s.to_string();
    }
    let tail = width / 2;
    let head = width - tail - 1;
    let mut out: String = chars[..head].iter().collect();
    out.push('…');
    out.extend(&chars[chars.len() - tail..]);
    out
}
