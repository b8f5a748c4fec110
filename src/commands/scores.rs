//! `themis scores` and `themis facts`: the numbers inspection reports end with, side by side.
//! The views ([`ScoresView`], [`FactsView`]) compute; this renders them.

use std::io::Write;

use themis::render::{self, TableFormat};
use themis::views::facts::FactsView;
use themis::views::scores::{rating_label, ScoresView};

use crate::cli::{GlobalArgs, TableArgs};
use crate::output::{self, Style};
use crate::Exit;

pub fn run_scores(global: &GlobalArgs, args: &TableArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let reports = super::indexed_reports(global, &tagger)?;
    let view = ScoresView::build(&reports);
    let mut out = output::stdout();
    if args.json {
        render::json::write_sorted(&view, &mut out)?;
    } else {
        let format: TableFormat = args.format.into();
        let style = Style {
            color: format == TableFormat::Text && output::use_color(global.color),
        };
        render::write_table(&view.grid().table(format), format, style.color, &mut out)?;
        if !view.ratings.is_empty() && format != TableFormat::Csv {
            writeln!(out)?;
            write_ratings(&mut out, &view, format == TableFormat::Markdown, style)?;
        }
    }
    output::finish(out)?;
    Ok(if view.is_empty() {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

/// "Ratings: SUBJECT (REPORT)" and a line per rating, for each subject; Markdown has a heading
/// and a list.
fn write_ratings(
    out: &mut impl Write,
    view: &ScoresView,
    md: bool,
    style: Style,
) -> std::io::Result<()> {
    for group in view.ratings_by_subject() {
        let head = format!("Ratings: {} ({})", group.subject, group.report);
        if md {
            writeln!(out, "### {head}\n")?;
        } else {
            writeln!(out, "{}", style.bold(&head))?;
        }
        for r in group.ratings {
            let score = r
                .score
                .as_deref()
                .map_or(String::new(), |s| format!(" ({s})"));
            writeln!(
                out,
                "{}{}: {}{score}",
                if md { "- " } else { "  " },
                rating_label(r),
                r.rating
            )?;
        }
        if md {
            writeln!(out)?;
        }
    }
    Ok(())
}

pub fn run_facts(global: &GlobalArgs, args: &TableArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let reports = super::indexed_reports(global, &tagger)?;
    let view = FactsView::build(&reports);
    let mut out = output::stdout();
    if args.json {
        render::json::write_sorted(&view, &mut out)?;
    } else {
        let format: TableFormat = args.format.into();
        let color = format == TableFormat::Text && output::use_color(global.color);
        render::write_table(&view.grid().table(format), format, color, &mut out)?;
    }
    output::finish(out)?;
    Ok(if view.reports.is_empty() {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}
