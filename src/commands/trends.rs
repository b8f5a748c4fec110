//! `themis trends`: themes year by year with flags; the view ([`TrendsReport`]) computes, this
//! renders it: text (a line per theme with a sparkline), Markdown and CSV tables, or JSON.

use std::io::Write;

use themis::render;
use themis::stats::CountTable;
use themis::views::format_number;
use themis::views::trends::{Series, TrendRules, TrendsReport, TrendsRequest};

use crate::cli::{GlobalArgs, TrendsArgs};
use crate::output::{self, Style};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &TrendsArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let reports = super::report_filter(&args.reports)?;
    for theme in &args.theme {
        super::check_theme(tagger.taxonomy(), theme)?;
    }
    let request = TrendsRequest {
        reports,
        themes: args.theme.clone(),
        polarity: args.polarity.into(),
        by_region: args.by_region,
        rules: TrendRules {
            persistent_years: args.persistent_years,
            window: args.window,
            min_reports: args.min_reports,
            ..TrendRules::default()
        },
    };
    let index = super::open_index(global, &tagger)?;
    let table = CountTable::load(&index, &tagger)?;
    let report = TrendsReport::build(&table, tagger.taxonomy(), &request);
    output::print_table_view(
        &report,
        args.json,
        args.format.into(),
        global.color,
        || {
            report
                .series
                .iter()
                .map(|series| years_line(series, true))
                .collect()
        },
        |format| report.table(format),
        |out, style| render_text(out, &report, style),
    )?;
    Ok(if report.is_empty() {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

/// "Years: 2017 (1 report, 25 sentences) · …": the years with their reports and sentences
/// (years without reports left out), and the reports without a year; `with_region` starts it
/// with the series' region.
fn years_line(series: &Series, with_region: bool) -> String {
    let mut parts: Vec<String> = series
        .years
        .iter()
        .filter(|y| y.reports > 0)
        .map(|y| {
            format!(
                "{} ({}, {})",
                y.year,
                output::count(y.reports, "report"),
                output::count(y.sentences, "sentence")
            )
        })
        .collect();
    if series.undated_reports > 0 {
        parts.push(format!(
            "{} without a year",
            output::count(series.undated_reports, "report")
        ));
    }
    let who = match series.region.as_deref() {
        Some(r) if with_region => format!("{r} — "),
        _ => String::new(),
    };
    if parts.is_empty() {
        return format!("{who}no reports");
    }
    format!("{who}Years: {}", parts.join(" · "))
}

fn render_text(out: &mut impl Write, report: &TrendsReport, style: Style) -> std::io::Result<()> {
    if report.series.is_empty() {
        writeln!(out, "No reports match.")?;
        return Ok(());
    }
    for (n, series) in report.series.iter().enumerate() {
        if n > 0 {
            writeln!(out)?;
        }
        let span = match (series.years.first(), series.years.last()) {
            (Some(a), Some(b)) if a.year != b.year => format!(", {}–{}", a.year, b.year),
            (Some(a), _) => format!(", {}", a.year),
            _ => String::new(),
        };
        let head = format!(
            "{}{} sentences per 10,000, by year{span}",
            series
                .region
                .as_deref()
                .map_or(String::new(), |r| format!("{r} — ")),
            report.polarity
        );
        writeln!(out, "{}", style.bold(&head))?;
        writeln!(out, "{}", years_line(series, false))?;
        if series.years.is_empty() {
            continue;
        }
        if series.themes.is_empty() {
            writeln!(out, "No theme raised.")?;
            continue;
        }
        let label_width = series
            .themes
            .iter()
            .map(|t| output::sanitize(&t.label).chars().count())
            .max()
            .unwrap_or(0)
            .min(40);
        let values: Vec<String> = series
            .themes
            .iter()
            .map(|t| {
                t.first_last().map_or(String::new(), |(a, b)| {
                    format!("{} → {}", format_number(a), format_number(b))
                })
            })
            .collect();
        let value_width = values.iter().map(|v| v.chars().count()).max().unwrap_or(0);
        for (theme, value) in series.themes.iter().zip(&values) {
            let label = render::text::truncate(&output::sanitize(&theme.label), label_width);
            let line = format!(
                "{label:<label_width$}  {}  {value:<value_width$}  {}",
                theme.sparkline(),
                theme.flags().join(", ")
            );
            writeln!(out, "{}", line.trim_end())?;
        }
    }
    Ok(())
}
