//! `themis themes` and `themis themes show ID`.

use std::io::Write;

use themis::findings::theme_excerpts;
use themis::render::text::truncate;
use themis::stats::{CountTable, PolarityFilter};
use themis::views::themes::{ThemeSentences, ThemesView};

use crate::cli::{GlobalArgs, ThemeShowArgs, ThemesArgs, ThemesCommand};
use crate::output::{self, Style};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &ThemesArgs) -> anyhow::Result<Exit> {
    if let Some(ThemesCommand::Show(show)) = &args.show {
        return run_show(global, show);
    }
    let tagger = super::load_index_tagger(global)?;
    let index = super::open_index(global, &tagger)?;
    let table = CountTable::load(&index, &tagger)?;
    let taxonomy = tagger.taxonomy();
    let view = ThemesView::build(&table, taxonomy);
    let entries = &view.themes;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        let style = Style {
            color: output::use_color(global.color),
        };
        writeln!(
            out,
            "{} themes; counts over {} indexed reports (sentences / reports / regions; concern, strength).",
            entries.len(),
            view.reports
        )?;
        for category in taxonomy.categories() {
            writeln!(out, "\n{}", style.bold(category))?;
            for e in entries.iter().filter(|e| e.category == category) {
                let c = &e.counts;
                writeln!(
                    out,
                    "  {:<30} {:<34} {:>5} {:>4} {:>3}   {:>4} {:>4}",
                    e.id,
                    truncate(&e.label, 34),
                    c.sentences,
                    c.reports,
                    c.regions,
                    c.concern,
                    c.strength
                )?;
            }
        }
    }
    output::finish(out)?;
    Ok(Exit::Success)
}

fn run_show(global: &GlobalArgs, args: &ThemeShowArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let theme = super::check_theme(tagger.taxonomy(), &args.id)?;
    let region = super::resolve_region(args.region.as_deref())?;
    let filter: PolarityFilter = args.polarity.into();
    let index = super::open_index(global, &tagger)?;
    let excerpts = theme_excerpts(
        &index,
        &tagger,
        &theme.id,
        region.as_deref(),
        None,
        filter,
        args.max_reports,
    )?;
    let view = ThemeSentences::new(theme, excerpts);
    let reports = &view.reports;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &view)?;
        writeln!(out)?;
    } else {
        let style = Style {
            color: output::use_color(global.color),
        };
        let total: usize = reports.iter().map(|r| r.sentences.len()).sum();
        let shown = if view.report_count > reports.len() {
            format!(
                "{total} sentences in the newest {} of {} reports (--max-reports 0 shows all)",
                reports.len(),
                view.report_count
            )
        } else {
            format!(
                "{total} sentences in {}",
                output::count(reports.len() as u64, "report")
            )
        };
        writeln!(
            out,
            "{} ({}): {shown}\n",
            style.bold(&theme.label),
            theme.id,
        )?;
        for report in reports {
            let year = report.year.map_or("year unknown".into(), |y| y.to_string());
            writeln!(out, "{}", style.bold(&output::sanitize(&report.title)))?;
            writeln!(
                out,
                "{}",
                style.dim(&format!(
                    "{} · {year} · {} · {}",
                    report.region.as_deref().unwrap_or("region unknown"),
                    report.report_type,
                    report.report
                ))
            )?;
            for s in &report.sentences {
                writeln!(out, "  [{}] {}", s.polarity, output::sanitize(&s.text))?;
            }
            writeln!(out)?;
        }
    }
    output::finish(out)?;
    Ok(if reports.is_empty() {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}
