//! `themis recommendations`: recommendations as data, and those that recur across reports.

use std::io::Write;

use serde::Serialize;
use themis::structured::{
    recurring_groups, Addressee, Recommendation, DEFAULT_RECURRING_THRESHOLD,
};

use super::{csv_field, md_cell};
use crate::cli::{GlobalArgs, RecommendationsArgs};
use crate::output::{self, Style};
use crate::Exit;

#[derive(Debug, Clone, Serialize)]
struct Item<'a> {
    report: &'a str,
    title: &'a str,
    region: Option<&'a str>,
    year: Option<i32>,
    addressee: &'a Addressee,
    addressee_name: Option<&'a str>,
    number: Option<u32>,
    text: &'a str,
    themes: &'a [String],
    heading: &'a str,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct Group<'a> {
    reports: usize,
    recommendations: Vec<Item<'a>>,
}

pub fn run(global: &GlobalArgs, args: &RecommendationsArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let region = super::resolve_region(args.region.as_deref())?;
    if let Some(theme) = &args.theme {
        super::check_theme(tagger.taxonomy(), theme)?;
    }
    let reports = super::indexed_reports(global, &tagger)?;
    let no_themes: Vec<String> = Vec::new();
    let mut items: Vec<(Item, &Recommendation)> = Vec::new();
    for report in &reports {
        if region.is_some() && report.meta.region != region {
            continue;
        }
        for (i, rec) in report.structured.recommendations.iter().enumerate() {
            let themes = report.recommendation_themes.get(i).unwrap_or(&no_themes);
            let addressee_ok = args
                .addressee
                .as_deref()
                .is_none_or(|a| rec.addressee.as_str() == a);
            let theme_ok = args.theme.as_ref().is_none_or(|t| themes.contains(t));
            if !addressee_ok || !theme_ok {
                continue;
            }
            items.push((
                Item {
                    report: &report.meta.id,
                    title: &report.meta.title,
                    region: report.meta.region.as_deref(),
                    year: report.meta.year,
                    addressee: &rec.addressee,
                    addressee_name: rec.addressee_name.as_deref(),
                    number: rec.number,
                    text: &rec.text,
                    themes,
                    heading: &rec.heading,
                    start: rec.start,
                    end: rec.end,
                },
                rec,
            ));
        }
    }
    let style = Style {
        color: args.format == "text" && !args.json && output::use_color(global.color),
    };
    let mut out = output::stdout();
    let found;
    if args.recurring {
        let by_report: Vec<(String, &Recommendation)> = items
            .iter()
            .map(|(item, rec)| (item.report.to_string(), *rec))
            .collect();
        let groups = recurring_groups(&by_report, DEFAULT_RECURRING_THRESHOLD);
        let groups: Vec<Group> = groups
            .into_iter()
            .map(|group| {
                let members: Vec<Item> = group
                    .iter()
                    .filter_map(|(_, rec)| {
                        // Groups hold references into `items`: find each member's row again.
                        items
                            .iter()
                            .find(|(_, r)| std::ptr::eq(*r, *rec))
                            .map(|(item, _)| item.clone())
                    })
                    .collect();
                let reports: std::collections::BTreeSet<&str> =
                    members.iter().map(|m| m.report).collect();
                Group {
                    reports: reports.len(),
                    recommendations: members,
                }
            })
            .collect();
        found = !groups.is_empty();
        if args.json {
            serde_json::to_writer_pretty(&mut out, &serde_json::json!({ "groups": groups }))?;
            writeln!(out)?;
        } else {
            for (n, group) in groups.iter().enumerate() {
                match args.format.as_str() {
                    "md" => writeln!(out, "## Group {} — {} reports\n", n + 1, group.reports)?,
                    "csv" => {}
                    _ => writeln!(
                        out,
                        "{}",
                        style.bold(&format!("Group {} — {} reports", n + 1, group.reports))
                    )?,
                }
                if args.format == "csv" && n == 0 {
                    write_csv_header(&mut out, true)?;
                }
                for item in &group.recommendations {
                    write_item(&mut out, item, &args.format, style, Some(n + 1))?;
                }
                if args.format != "csv" {
                    writeln!(out)?;
                }
            }
            if groups.is_empty() {
                writeln!(out, "No recommendation recurs across reports.")?;
            }
        }
    } else {
        found = !items.is_empty();
        if args.json {
            let list: Vec<&Item> = items.iter().map(|(i, _)| i).collect();
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({ "recommendations": list }),
            )?;
            writeln!(out)?;
        } else {
            if args.format == "csv" {
                write_csv_header(&mut out, false)?;
            }
            if args.format == "md" {
                writeln!(
                    out,
                    "| report | year | addressee | no. | recommendation | themes |"
                )?;
                writeln!(out, "|---|---|---|---|---|---|")?;
            }
            for (item, _) in &items {
                write_item(&mut out, item, &args.format, style, None)?;
            }
        }
    }
    output::finish(out)?;
    Ok(if found { Exit::Success } else { Exit::NoMatch })
}

fn addressee_label(item: &Item) -> String {
    let kind = item.addressee.as_str().to_string();
    match item.addressee_name {
        Some(name) => format!("{kind}: {name}"),
        None => kind,
    }
}

fn write_csv_header(out: &mut impl Write, grouped: bool) -> std::io::Result<()> {
    if grouped {
        write!(out, "group,")?;
    }
    writeln!(
        out,
        "report,year,region,addressee,addressee_name,number,text,themes"
    )
}

fn write_item(
    out: &mut impl Write,
    item: &Item,
    format: &str,
    style: Style,
    group: Option<usize>,
) -> std::io::Result<()> {
    let year = item.year.map_or(String::new(), |y| y.to_string());
    let number = item.number.map_or(String::new(), |n| n.to_string());
    match format {
        "csv" => {
            if let Some(g) = group {
                write!(out, "{g},")?;
            }
            let kind = item.addressee.as_str();
            writeln!(
                out,
                "{},{},{},{},{},{},{},{}",
                csv_field(item.report),
                year,
                csv_field(item.region.unwrap_or("")),
                kind,
                csv_field(item.addressee_name.unwrap_or("")),
                number,
                csv_field(item.text),
                csv_field(&item.themes.join(";"))
            )
        }
        "md" if group.is_some() => writeln!(
            out,
            "- **{}** ({year}, {}): {}",
            md_cell(item.report),
            md_cell(&addressee_label(item)),
            md_cell(item.text)
        ),
        "md" => writeln!(
            out,
            "| {} | {year} | {} | {number} | {} | {} |",
            md_cell(item.report),
            md_cell(&addressee_label(item)),
            md_cell(item.text),
            item.themes.join(", ")
        ),
        _ => {
            let number = if number.is_empty() {
                "-".into()
            } else {
                format!("{number}.")
            };
            writeln!(
                out,
                "  {} {} {}",
                style.dim(&format!(
                    "{} {year} [{}]",
                    item.report,
                    addressee_label(item)
                )),
                number,
                output::sanitize(item.text)
            )
        }
    }
}
