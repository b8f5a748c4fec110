//! `themis cooccur`: theme pairs that come together; the view ([`CooccurReport`]) computes,
//! this renders it: text (a line per pair with its example sentences), Markdown and CSV
//! tables, or JSON.

use std::io::Write;

use themis::stats::CountTable;
use themis::views::cooccur::{cooccur, CooccurReport, CooccurRequest, Within};
use themis::views::format_number;

use crate::cli::{CooccurArgs, GlobalArgs};
use crate::output::{self, Style};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &CooccurArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    if let Some(theme) = &args.theme {
        super::check_theme(tagger.taxonomy(), theme)?;
    }
    let request = CooccurRequest {
        within: args.within.into(),
        reports: super::report_filter(&args.reports)?,
        theme: args.theme.clone(),
        polarity: args.polarity.into(),
        min_count: args.min_count,
        limit: args.limit,
        examples: args.examples,
    };
    let index = super::open_index(global, &tagger)?;
    let table = CountTable::load(&index, &tagger)?;
    let report = cooccur(&index, &table, tagger.taxonomy(), &request)?;
    output::print_table_view(
        &report,
        args.json,
        args.format.into(),
        global.color,
        || vec![report.heading()],
        |format| report.table(format),
        |out, style| render_text(out, &report, style),
    )?;
    Ok(if report.is_empty() {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

fn render_text(out: &mut impl Write, report: &CooccurReport, style: Style) -> std::io::Result<()> {
    writeln!(out, "{}", style.bold(&report.heading()))?;
    if report.is_empty() {
        writeln!(
            out,
            "No two themes come together in at least {}.",
            output::count(report.min_count, report.within.unit())
        )?;
        return Ok(());
    }
    for pair in &report.pairs {
        writeln!(out)?;
        writeln!(
            out,
            "• {} + {}",
            output::sanitize(&pair.a_label),
            output::sanitize(&pair.b_label)
        )?;
        let reports = match report.within {
            Within::Report => String::new(),
            _ => format!(" in {}", output::count(pair.reports, "report")),
        };
        writeln!(
            out,
            "  {}{reports}; lift {}, NPMI {} ({} {}, {} {})",
            output::count(pair.count, report.within.unit()),
            format_number(pair.lift),
            format_number(pair.npmi),
            pair.count_a,
            pair.a,
            pair.count_b,
            pair.b
        )?;
        for example in &pair.examples {
            let year = example.year.map_or("----".to_string(), |y| y.to_string());
            writeln!(
                out,
                "  {year} {}: “{}”",
                example.report,
                output::sanitize(&example.text)
            )?;
        }
    }
    Ok(())
}
