//! `themis recommendations`: recommendations as data, and those that recur across reports.
//! The view ([`RecommendationsView`]) filters and groups; this renders it.

use std::io::Write;

use themis::render::{self, markdown, markdown::Flavour};
use themis::structured::DEFAULT_RECURRING_THRESHOLD;
use themis::views::recommendations::{
    RecommendationFilter, RecommendationItem, RecommendationsView, RecurringView,
};

use crate::cli::{GlobalArgs, RecommendationsArgs, TableFormatArg};
use crate::output::{self, Style};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &RecommendationsArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let region = super::resolve_region(args.region.as_deref())?;
    if let Some(theme) = &args.theme {
        super::check_theme(tagger.taxonomy(), theme)?;
    }
    let reports = super::indexed_reports(global, &tagger)?;
    let filter = RecommendationFilter {
        region,
        addressee: args.addressee.map(Into::into),
        theme: args.theme.clone(),
    };
    let view = RecommendationsView::build(&reports, &filter);
    let style = Style {
        color: args.format == TableFormatArg::Text && !args.json && output::use_color(global.color),
    };
    let mut out = output::stdout();
    let found = if args.recurring {
        let recurring = view.recurring(DEFAULT_RECURRING_THRESHOLD);
        if args.json {
            render::json::write_sorted(&recurring, &mut out)?;
        } else {
            write_recurring(&mut out, &recurring, args.format, style)?;
        }
        !recurring.groups.is_empty()
    } else {
        if args.json {
            render::json::write_sorted(&view, &mut out)?;
        } else {
            match args.format {
                TableFormatArg::Csv => render::csv::write(&view.csv_table(), &mut out)?,
                TableFormatArg::Md => {
                    markdown::write(&view.markdown_table(), &mut out, Flavour::Compact)?
                }
                TableFormatArg::Text => {
                    for item in &view.recommendations {
                        write_text_item(&mut out, item, style)?;
                    }
                }
            }
        }
        !view.recommendations.is_empty()
    };
    output::finish(out)?;
    Ok(if found { Exit::Success } else { Exit::NoMatch })
}

/// The groups: CSV with a group column; text and Markdown under a heading per group.
fn write_recurring(
    out: &mut impl Write,
    recurring: &RecurringView,
    format: TableFormatArg,
    style: Style,
) -> std::io::Result<()> {
    if format == TableFormatArg::Csv {
        return render::csv::write(&recurring.csv_table(), out);
    }
    for (n, group) in recurring.groups.iter().enumerate() {
        let head = format!("Group {} — {} reports", n + 1, group.reports);
        if format == TableFormatArg::Md {
            writeln!(out, "## {head}\n")?;
        } else {
            writeln!(out, "{}", style.bold(&head))?;
        }
        for item in &group.recommendations {
            if format == TableFormatArg::Md {
                writeln!(
                    out,
                    "- **{}** ({}, {}): {}",
                    md(&item.report.id),
                    item.report.year_text(),
                    md(&item.addressee_label()),
                    md(&item.recommendation.text)
                )?;
            } else {
                write_text_item(out, item, style)?;
            }
        }
        writeln!(out)?;
    }
    if recurring.groups.is_empty() {
        writeln!(out, "No recommendation recurs across reports.")?;
    }
    Ok(())
}

fn md(s: &str) -> String {
    markdown::escape(s, Flavour::Compact)
}

/// "  REPORT YEAR [ADDRESSEE] N. TEXT", the first part dimmed.
fn write_text_item(
    out: &mut impl Write,
    item: &RecommendationItem,
    style: Style,
) -> std::io::Result<()> {
    let number = item
        .recommendation
        .number
        .map_or("-".to_string(), |n| format!("{n}."));
    writeln!(
        out,
        "  {} {} {}",
        style.dim(&format!(
            "{} {} [{}]",
            item.report.id,
            item.report.year_text(),
            item.addressee_label()
        )),
        number,
        output::sanitize(&item.recommendation.text)
    )
}
