//! `themis search`: run a query and print excerpts grouped by report.

use std::io::Write;

use themis::render::{self, markdown, markdown::Flavour};
use themis::search::{search_in, Filters, SearchRequest, SearchResults};
use themis::themes::Taxonomy;
use themis::views::search::excerpt_table;

use crate::cli::{GlobalArgs, SearchArgs, SearchFormat};
use crate::output::{self, Style};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &SearchArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let taxonomy = tagger.taxonomy();
    let filters = resolve_filters(args, taxonomy)?;
    let index = super::open_index(global, &tagger)?;
    let (limit, per_report) = if args.all {
        (usize::MAX, usize::MAX)
    } else {
        (args.limit, args.per_report)
    };
    let request = SearchRequest {
        query: args.query.clone(),
        filters,
        offset: 0,
        limit,
        per_report,
        context: args.context,
        theme_ids: Some(taxonomy.themes.iter().map(|t| t.id.clone()).collect()),
    };
    let results = search_in(&index, &request)?;
    let format = if args.json {
        SearchFormat::Json
    } else {
        args.format
    };
    let mut out = output::stdout();
    match format {
        SearchFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &results)?;
            writeln!(out)?;
        }
        SearchFormat::Text => {
            let style = Style {
                color: output::use_color(global.color),
            };
            render_text(&mut out, &results, taxonomy, style)?;
        }
        // RFC 4180 CSV (CRLF), one row per excerpt shown; with `--all`, every matching passage.
        SearchFormat::Csv => render::csv::write(&excerpt_table(&results), &mut out)?,
        SearchFormat::Md => render_markdown(&mut out, &results)?,
    }
    output::finish(out)?;
    Ok(if results.total_hits == 0 {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

/// Validates and canonicalises the filter flags before any work is done.
pub fn resolve_filters(args: &SearchArgs, taxonomy: &Taxonomy) -> anyhow::Result<Filters> {
    let region = super::resolve_region(args.region.as_deref())?;
    let report_type = super::resolve_report_type(args.report_type.as_deref())?;
    for theme in &args.theme {
        super::check_theme(taxonomy, theme)?;
    }
    Ok(Filters {
        region,
        report_type,
        year: args.year,
        since: args.since,
        report: args.report.clone(),
        themes: args.theme.clone(),
        polarity: None,
    })
}

fn render_text(
    out: &mut impl Write,
    results: &SearchResults,
    taxonomy: &Taxonomy,
    style: Style,
) -> std::io::Result<()> {
    if results.reports.is_empty() {
        writeln!(
            out,
            "No passages match `{}`.",
            output::sanitize(&results.query)
        )?;
        let words: Vec<&str> = results.query.split_whitespace().collect();
        if words.len() > 1 && !words.iter().any(|w| matches!(*w, "OR" | "AND" | "NOT")) {
            // Every word must be in one passage: the usual reason for an empty answer.
            writeln!(
                out,
                "Every word must occur in the same passage; `{}` finds passages with any of them.",
                output::sanitize(&words.join(" OR "))
            )?;
        }
        return Ok(());
    }
    writeln!(out, "{}\n", summary_line(results))?;
    for report in &results.reports {
        writeln!(out, "{}", style.bold(&output::sanitize(&report.title)))?;
        let year = report
            .year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "year unknown".into());
        let region = report.region.as_deref().unwrap_or("region unknown");
        writeln!(
            out,
            "{}",
            style.dim(&format!(
                "{region} · {year} · {} · {}",
                report.report_type,
                output::sanitize(&report.report)
            ))
        )?;
        for excerpt in &report.excerpts {
            let relative: Vec<(usize, usize)> = excerpt
                .highlights
                .iter()
                .map(|[a, b]| (a - excerpt.start, b - excerpt.start))
                .collect();
            let page = excerpt.page.map(|p| format!("p. {p}"));
            let label = match (excerpt.section.as_deref(), page) {
                (Some(s), Some(p)) => format!("[{}, {p}] ", output::sanitize(s)),
                (Some(s), None) => format!("[{}] ", output::sanitize(s)),
                (None, Some(p)) => format!("[{p}] "),
                (None, None) => String::new(),
            };
            for line in &excerpt.before {
                writeln!(out, "    {}", style.dim(&output::sanitize(line)))?;
            }
            writeln!(
                out,
                "  {}{}",
                style.dim(&label),
                output::highlighted(&excerpt.text, &relative, style)
            )?;
            for line in &excerpt.after {
                writeln!(out, "    {}", style.dim(&output::sanitize(line)))?;
            }
            if !excerpt.themes.is_empty() {
                let labels: Vec<&str> = excerpt
                    .themes
                    .iter()
                    .map(|id| taxonomy.theme(id).map_or(id.as_str(), |t| t.label.as_str()))
                    .collect();
                writeln!(
                    out,
                    "    {}",
                    style.dim(&format!("themes: {}", labels.join(", ")))
                )?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

/// "37 passages in 5 reports match; showing 12 from 4."
fn summary_line(results: &SearchResults) -> String {
    let shown: usize = results.reports.iter().map(|r| r.excerpts.len()).sum();
    format!(
        "{} in {} match; showing {shown} from {}.",
        output::count(results.total_hits, "passage"),
        output::count(results.total_reports, "report"),
        results.reports.len()
    )
}

/// A Markdown table, one row per excerpt, under a line saying what matched.
fn render_markdown(out: &mut impl Write, results: &SearchResults) -> std::io::Result<()> {
    writeln!(
        out,
        "Search `{}`: {}\n",
        markdown::escape(&results.query, Flavour::Compact).replace('`', "'"),
        summary_line(results)
    )?;
    markdown::write(&excerpt_table(results), out, Flavour::Compact)
}
