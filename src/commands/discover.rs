//! `themis discover`: candidate themes. Reads every report of the corpus through the pipeline
//! (tagged as `themis tag` tags it, polarity of every sentence included), counts phrases with
//! [`PhraseCounter`] and renders the candidates: text, Markdown or CSV tables, or JSON.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use themis::corpus::{self, Manifest};
use themis::phrases::{DiscoverReport, DiscoverRequest, PhraseCounter};
use themis::pipeline::{analyze_report, read_report, AnalyzeOptions};
use themis::render::{Column, Overflow, Table, TableFormat};

use crate::cli::{DiscoverArgs, GlobalArgs};
use crate::output::{self, Style};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &DiscoverArgs) -> anyhow::Result<Exit> {
    if !(0.0..=1.0).contains(&args.max_covered) {
        anyhow::bail!(
            "--max-covered must be a share between 0 and 1, not {}",
            args.max_covered
        );
    }
    let tagger = super::load_index_tagger(global)?;
    let reports = super::report_filter(&args.reports)?;
    let request = DiscoverRequest {
        min_regions: args
            .min_regions
            .unwrap_or(if reports.region.is_some() { 1 } else { 2 }),
        reports,
        min_reports: args.min_reports,
        max_covered: args.max_covered,
        limit: args.limit,
        examples: args.examples,
    };
    let discovery = corpus::discover(&global.corpus)?;
    let manifest = Manifest::load(&global.corpus)?;
    let bar = progress(global.quiet, discovery.files.len() as u64);
    let mut counter = PhraseCounter::new(request.examples);
    let mut tokens = Vec::new();
    let mut failed = false;
    for file in &discovery.files {
        bar.inc(1);
        let (source, meta, warning) =
            match read_report(file, corpus::DEFAULT_MAX_FILE_BYTES, &manifest) {
                Ok(read) => read,
                Err(problem) => {
                    bar.suspend(|| output::report_problem(&problem));
                    failed |= problem.is_error;
                    continue;
                }
            };
        if let Some(problem) = warning {
            bar.suspend(|| output::report_problem(&problem));
        }
        if !request
            .reports
            .admits(meta.region.as_deref(), meta.report_type, meta.year)
        {
            continue;
        }
        let report = analyze_report(source, meta, &tagger, AnalyzeOptions::TAG, &mut tokens);
        counter.add_report(&report);
    }
    bar.finish_and_clear();
    let report = counter.finish(&request);
    output::print_table_view(
        &report,
        args.json,
        args.format.into(),
        global.color,
        || vec![heading(&report)],
        |format| table(&report, format),
        |out, style| render_text(out, &report, style),
    )?;
    Ok(if failed {
        Exit::Error
    } else if report.candidates.is_empty() {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

fn progress(quiet: bool, files: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(files), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} reading [{bar:30}] {pos}/{len} files ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

fn heading(report: &DiscoverReport) -> String {
    format!(
        "Candidate themes: {} {} of concern sentences that no theme covers (in at least {}, {}; at most {}% already tagged). Read: {}, {}, {} of concern, {} of them without a theme",
        report.candidate_count,
        if report.candidate_count == 1 { "phrase" } else { "phrases" },
        output::count(report.min_reports as u64, "report"),
        output::count(report.min_regions as u64, "region"),
        (report.max_covered * 100.0).round(),
        output::count(report.reports, "report"),
        output::count(report.sentences, "sentence"),
        report.concern_sentences,
        report.uncovered_concern_sentences,
    )
}

fn render_text(out: &mut impl Write, report: &DiscoverReport, style: Style) -> std::io::Result<()> {
    writeln!(out, "{}", style.bold(&heading(report)))?;
    if report.candidates.is_empty() {
        writeln!(out, "No candidate found.")?;
        return Ok(());
    }
    if report.candidate_count > report.candidates.len() {
        writeln!(out, "Showing the first {}.", report.candidates.len())?;
    }
    for (n, c) in report.candidates.iter().enumerate() {
        let years = match (c.years.first(), c.years.last()) {
            (Some(a), Some(b)) if a != b => format!(", {a}–{b}"),
            (Some(a), _) => format!(", {a}"),
            _ => String::new(),
        };
        writeln!(out)?;
        writeln!(
            out,
            "{}. “{}” — {} ({} without a theme) in {}, {}{years}",
            n + 1,
            output::sanitize(&c.phrase),
            output::count(c.concern_sentences, "concern sentence"),
            c.uncovered,
            output::count(c.reports.len() as u64, "report"),
            output::count(c.regions.len() as u64, "region"),
        )?;
        let mut facts = vec![format!("score {}", c.score)];
        if c.other_sentences > 0 {
            facts.push(format!(
                "also in {}",
                output::count(c.other_sentences, "other sentence")
            ));
        }
        if !c.themes.is_empty() {
            let themes: Vec<String> = c.themes.iter().map(|(t, n)| format!("{t} {n}")).collect();
            facts.push(format!("tagged: {}", themes.join(", ")));
        }
        writeln!(out, "   {}", facts.join(" · "))?;
        for e in &c.examples {
            let year = e.year.map_or("----".to_string(), |y| y.to_string());
            writeln!(
                out,
                "   {year} {}: “{}”",
                e.report,
                output::sanitize(&e.text)
            )?;
        }
        writeln!(out, "   rule: {}", c.rule)?;
    }
    Ok(())
}

fn table(report: &DiscoverReport, format: TableFormat) -> Table {
    let csv = format == TableFormat::Csv;
    let names: &[&str] = if csv {
        &[
            "phrase",
            "score",
            "concern_sentences",
            "uncovered",
            "other_sentences",
            "reports",
            "regions",
            "years",
            "example",
            "rule",
        ]
    } else {
        &[
            "Phrase",
            "Concern sentences",
            "Without a theme",
            "Reports",
            "Regions",
            "Years",
            "Example",
        ]
    };
    let columns = names
        .iter()
        .map(|name| match *name {
            "Phrase" | "Years" | "phrase" | "years" | "rule" => Column::left(*name),
            "Example" | "example" => Column::left(*name).max_width(80, Overflow::Wrap),
            _ => Column::right(*name),
        })
        .collect();
    let mut table = Table::new(columns);
    for c in &report.candidates {
        let years = match (c.years.first(), c.years.last()) {
            (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
            (Some(a), _) => a.to_string(),
            _ => String::new(),
        };
        let example = c.examples.first().map_or(String::new(), |e| {
            if csv {
                e.text.clone()
            } else {
                format!("{}: “{}”", e.report, e.text)
            }
        });
        if csv {
            table.push_row([
                c.phrase.clone(),
                c.score.to_string(),
                c.concern_sentences.to_string(),
                c.uncovered.to_string(),
                c.other_sentences.to_string(),
                c.reports.join(" "),
                c.regions.join("; "),
                years,
                example,
                c.rule.clone(),
            ]);
        } else {
            table.push_row([
                c.phrase.clone(),
                c.concern_sentences.to_string(),
                c.uncovered.to_string(),
                c.reports.len().to_string(),
                c.regions.len().to_string(),
                years,
                example,
            ]);
        }
    }
    table
}
