//! The findings answer ([`FindingsReport`], computed in [`crate::findings`]) as a table for
//! CSV: one row a finding (a theme in a region, or a systemic theme), with its reports, years,
//! counts and its quotes in one cell.

use crate::findings::{Evidence, FindingsReport};
use crate::render::{Column, Table};

/// Column names of [`table`].
pub const COLUMNS: [&str; 12] = [
    "region",
    "regions",
    "theme_id",
    "theme",
    "reports",
    "first_year",
    "last_year",
    "years",
    "concern",
    "strength",
    "quoted_reports",
    "quotes",
];

/// The findings as rows: per-region findings with their region; systemic findings with an
/// empty `region` and the regions raising them. `quotes` holds each quoted sentence as
/// `REPORT (YEAR): “TEXT”`, one a line.
pub fn table(report: &FindingsReport) -> Table {
    let columns = COLUMNS
        .iter()
        .map(|name| match *name {
            "reports" | "first_year" | "last_year" | "concern" | "strength" | "quoted_reports" => {
                Column::right(*name)
            }
            _ => Column::left(*name),
        })
        .collect();
    let mut table = Table::new(columns);
    let year = |y: Option<i32>| y.map_or(String::new(), |y| y.to_string());
    for region in &report.regions {
        for f in &region.findings {
            let quotes: Vec<&Evidence> = f
                .reports
                .iter()
                .filter_map(|m| m.evidence.as_ref())
                .collect();
            table.push_row([
                region.region.clone(),
                region.region.clone(),
                f.theme.clone(),
                f.label.clone(),
                f.report_count.to_string(),
                year(f.first_year),
                year(f.last_year),
                f.years
                    .iter()
                    .map(i32::to_string)
                    .collect::<Vec<_>>()
                    .join(" "),
                f.concern.to_string(),
                f.strength.to_string(),
                f.reports.len().to_string(),
                quote_lines(&quotes),
            ]);
        }
    }
    for s in &report.systemic {
        let quotes: Vec<&Evidence> = s.evidence.iter().collect();
        table.push_row([
            String::new(),
            s.regions.join("; "),
            s.theme.clone(),
            s.label.clone(),
            s.reports.to_string(),
            year(s.first_year),
            year(s.last_year),
            String::new(),
            s.concern.to_string(),
            s.strength.to_string(),
            quotes.len().to_string(),
            quote_lines(&quotes),
        ]);
    }
    table
}

fn quote_lines(quotes: &[&Evidence]) -> String {
    quotes
        .iter()
        .map(|e| {
            let year = e.year.map_or(String::new(), |y| format!(" ({y})"));
            format!("{}{year}: “{}”", e.report, e.text)
        })
        .collect::<Vec<_>>()
        .join("\n")
}
