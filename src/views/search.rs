//! Search results as a table, one row per excerpt shown (with `--all`, every matching
//! passage) with its report's metadata: what `search --format csv|md` writes, for
//! spreadsheets and documents.

use crate::render::{Column, Table};
use crate::search::SearchResults;

/// The columns, in order.
pub const COLUMNS: [&str; 14] = [
    "report", "title", "region", "year", "type", "file", "offsets", "section", "page", "start",
    "end", "score", "themes", "text",
];

/// A row per excerpt, in the order shown: report fields, then the excerpt's section, page,
/// byte offsets, score (four decimals), themes (joined by `;`) and text. Unknown values are
/// empty.
pub fn excerpt_table(results: &SearchResults) -> Table {
    let mut table = Table::new(COLUMNS.into_iter().map(Column::left).collect());
    for report in &results.reports {
        for e in &report.excerpts {
            table.push_row([
                report.report.clone(),
                report.title.clone(),
                report.region.clone().unwrap_or_default(),
                report.year.map(|y| y.to_string()).unwrap_or_default(),
                report.report_type.to_string(),
                report.file.clone(),
                report.offsets.clone(),
                e.section.clone().unwrap_or_default(),
                e.page.map(|p| p.to_string()).unwrap_or_default(),
                e.start.to_string(),
                e.end.to_string(),
                format!("{:.4}", e.score),
                e.themes.join(";"),
                e.text.clone(),
            ]);
        }
    }
    table
}
