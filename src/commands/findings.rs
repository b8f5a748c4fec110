//! `themis findings`: recurring findings per region, or systemic findings across regions.

use std::io::Write;

use themis::findings::{findings, Evidence, FindingsReport, FindingsRequest};

use crate::cli::{FindingsArgs, FindingsFormat, GlobalArgs};
use crate::output::{self, Style};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &FindingsArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let request = FindingsRequest {
        region: super::resolve_region(args.region.as_deref())?,
        min_reports: args.min_reports,
        polarity: args.polarity.into(),
        across_regions: args.across_regions,
        max_reports: args.max_reports,
        min_region_share: args.min_share,
    };
    let index = super::open_index(global, &tagger)?;
    let report = findings(&index, &tagger, &request)?;
    let found =
        !report.systemic.is_empty() || report.regions.iter().any(|r| !r.findings.is_empty());
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else if args.format == FindingsFormat::Csv {
        let table = themis::views::findings::table(&report);
        themis::render::write_table(&table, themis::render::TableFormat::Csv, false, &mut out)?;
    } else {
        let markdown = args.format == FindingsFormat::Md;
        let style = Style {
            color: !markdown && output::use_color(global.color),
        };
        render(&mut out, &report, markdown, style)?;
    }
    output::finish(out)?;
    Ok(if found { Exit::Success } else { Exit::NoMatch })
}

fn years(first: Option<i32>, last: Option<i32>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a == b => format!("{a}"),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "years unknown".into(),
    }
}

fn quote(e: &Evidence, markdown: bool) -> String {
    let year = e.year.map_or(String::new(), |y| format!(", {y}"));
    let text = output::sanitize(&e.text);
    if markdown {
        format!("> {text}\n>\n> — *{}*{year}", e.title.replace('*', "\\*"))
    } else {
        format!("“{text}” ({}{year})", e.report)
    }
}

fn render(
    out: &mut impl Write,
    report: &FindingsReport,
    markdown: bool,
    style: Style,
) -> std::io::Result<()> {
    let polarity = &report.polarity;
    if report.across_regions {
        let title = format!(
            "Systemic findings ({polarity}): themes raised in at least {} of the {} compared",
            report.min_reports,
            output::count(report.regions_compared as u64, "region")
        );
        writeln!(out, "{}\n", heading(&title, 1, markdown, style))?;
        if report.regions_compared < 2 {
            writeln!(
                out,
                "Systemic findings compare regions: the index has reports from {} (of known region).",
                output::count(report.regions_compared as u64, "region")
            )?;
        } else if report.systemic.is_empty() {
            writeln!(
                out,
                "No theme is raised in {} or more regions.",
                report.min_reports
            )?;
        }
        for f in &report.systemic {
            let head = format!(
                "{} — {} regions, {} reports, {}; concern {}, strength {}",
                f.label,
                f.regions.len(),
                f.reports,
                years(f.first_year, f.last_year),
                f.concern,
                f.strength
            );
            writeln!(out, "{}", heading(&head, 2, markdown, style))?;
            if markdown {
                writeln!(out)?;
            }
            for (region, e) in f.regions.iter().zip(&f.evidence) {
                if markdown {
                    writeln!(out, "**{region}**\n\n{}\n", quote(e, true))?;
                } else {
                    writeln!(out, "  {}: {}", style.bold(region), quote(e, false))?;
                }
            }
            writeln!(out)?;
        }
        return Ok(());
    }
    if report.regions.is_empty() {
        writeln!(out, "No reports indexed.")?;
    }
    for region in &report.regions {
        if region.reports == 0 {
            writeln!(out, "{}: 0 reports indexed.", region.region)?;
            continue;
        }
        let title = format!(
            "{} — {}; themes raised ({polarity}) in at least {}",
            region.region,
            output::count(region.reports as u64, "report"),
            output::count(report.min_reports as u64, "report")
        );
        writeln!(out, "{}\n", heading(&title, 1, markdown, style))?;
        if region.findings.is_empty() {
            writeln!(out, "No recurring findings.\n")?;
        }
        for f in &region.findings {
            let head = format!(
                "{} — {}, {}; concern {}, strength {}",
                f.label,
                output::count(f.report_count as u64, "report"),
                years(f.first_year, f.last_year),
                f.concern,
                f.strength
            );
            writeln!(out, "{}", heading(&head, 2, markdown, style))?;
            if markdown {
                writeln!(out)?;
            }
            for m in &f.reports {
                let year = m.year.map_or("?".into(), |y| y.to_string());
                match (&m.evidence, markdown) {
                    (Some(e), true) => writeln!(out, "{}\n", quote(e, true))?,
                    (Some(e), false) => writeln!(
                        out,
                        "  {year} {}: “{}”",
                        style.dim(&m.report),
                        output::sanitize(&e.text)
                    )?,
                    (None, _) => writeln!(out, "  {year} {}", m.report)?,
                }
            }
            let unquoted = f.report_count.saturating_sub(f.reports.len());
            if unquoted > 0 {
                let more = format!(
                    "… and {} more (older; --max-reports 0 quotes them all)",
                    output::count(unquoted as u64, "report")
                );
                if markdown {
                    writeln!(out, "*{more}*\n")?;
                } else {
                    writeln!(out, "  {}", style.dim(&more))?;
                }
            }
            writeln!(out)?;
        }
    }
    Ok(())
}

fn heading(text: &str, level: usize, markdown: bool, style: Style) -> String {
    if markdown {
        format!("{} {text}", "#".repeat(level + 1))
    } else if level == 1 {
        style.bold(text)
    } else {
        style.bold(&format!("• {text}"))
    }
}
