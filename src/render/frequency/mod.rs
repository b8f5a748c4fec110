//! The theme frequency report ([`FrequencyReport`]) in every format: a text table fitted to
//! [`TABLE_WIDTH`] columns (`text.rs`), Markdown and CSV (tables built here and drawn by the
//! shared writers) and JSON (the model itself). Its HTML is the analyst's report
//! ([`super::analyst`]), which shows the matrix with much else.

mod text;

use std::fmt;
use std::io::{self, Write};
use std::str::FromStr;

use super::markdown::{self, Flavour};
use super::table::{Cell, Column, Table};
use crate::views::frequency::FrequencyReport;

/// Width, in columns, that [`Format::Table`] output fits into.
pub const TABLE_WIDTH: usize = text::MAX_WIDTH;

/// Output format for [`render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Aligned plain-text table fitted to a 100-column terminal.
    Table,
    /// GitHub-flavoured Markdown table.
    Markdown,
    /// RFC 4180 CSV.
    Csv,
    /// Pretty-printed JSON of the model.
    Json,
}

impl Format {
    /// Stable lowercase name, as used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Markdown => "md",
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "table" => Ok(Format::Table),
            "md" | "markdown" => Ok(Format::Markdown),
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            other => Err(format!(
                "unknown format '{other}' (expected table, md, csv or json)"
            )),
        }
    }
}

/// Renders `report` in `format` to `out`.
///
/// `color` only affects [`Format::Table`] (bold header via ANSI escapes); every other format
/// is plain data and ignores it.
pub fn render(
    report: &FrequencyReport,
    format: Format,
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    match format {
        Format::Table => text::render(report, out, color),
        Format::Markdown => {
            // The caption, a blank line, then the table.
            writeln!(
                out,
                "{}",
                markdown::escape(&report.caption(), Flavour::Strict)
            )?;
            writeln!(out)?;
            markdown::write(&markdown_table(report), out, Flavour::Strict)
        }
        Format::Csv => super::csv::write(&csv_table(report), out),
        Format::Json => super::json::write(report, out),
    }
}

/// Renders to a `String` (convenience for tests and callers that buffer).
pub fn render_to_string(
    report: &FrequencyReport,
    format: Format,
    color: bool,
) -> io::Result<String> {
    let mut buf = Vec::new();
    render(report, format, &mut buf, color)?;
    // Every renderer writes only UTF-8 built from Rust strings.
    String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

/// Every group, with the theme's category; a bold totals row.
fn markdown_table(report: &FrequencyReport) -> Table {
    let n = report.groups.len();
    let mut columns = vec![Column::left("Theme"), Column::left("Category")];
    columns.extend(
        report
            .groups
            .iter()
            .map(|g| Column::right(g.label.as_str())),
    );
    columns.push(Column::right("Total"));
    let mut table = Table::new(columns);
    for row in &report.rows {
        table.push_row(
            [row.label.clone(), row.category.clone()]
                .into_iter()
                .chain((0..n).map(|g| report.format_value(report.value(row, g))))
                .chain([report.format_value(row.total)]),
        );
    }
    table.push_footer(
        [Cell::strong("Total"), Cell::default()]
            .into_iter()
            .chain((0..n).map(|g| report.format_value(report.column_total(g)).into()))
            .chain([Cell::strong(report.format_value(report.grand_total))]),
    );
    table
}

/// CSV is for other programs, so per-10k rates keep two decimals rather than the one shown
/// on screen; counts stay whole numbers.
fn csv_number(report: &FrequencyReport, v: f64) -> String {
    if report.metric.is_count() {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

/// `theme_id,theme,category,<group labels…>,total`, one record per theme, then a `total` record.
fn csv_table(report: &FrequencyReport) -> Table {
    let n = report.groups.len();
    let mut columns = vec![
        Column::left("theme_id"),
        Column::left("theme"),
        Column::left("category"),
    ];
    columns.extend(
        report
            .groups
            .iter()
            .map(|g| Column::right(g.label.as_str())),
    );
    columns.push(Column::right("total"));
    let mut table = Table::new(columns);
    for row in &report.rows {
        table.push_row(
            [row.id.clone(), row.label.clone(), row.category.clone()]
                .into_iter()
                .chain((0..n).map(|g| csv_number(report, report.value(row, g))))
                .chain([csv_number(report, row.total)]),
        );
    }
    table.push_footer(
        ["total".to_string(), "Total".to_string(), String::new()]
            .into_iter()
            .chain((0..n).map(|g| csv_number(report, report.column_total(g))))
            .chain([csv_number(report, report.grand_total)]),
    );
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::views::frequency::test_fixture::{empty, fixture, half_empty};

    const ALL: [Format; 4] = [Format::Table, Format::Markdown, Format::Csv, Format::Json];

    #[test]
    fn test_empty_models_render_in_every_format() {
        let [a, b] = half_empty();
        for model in [empty(), a, b] {
            for format in ALL {
                let out = render_to_string(&model, format, true).unwrap();
                assert!(!out.trim().is_empty(), "{format} rendered nothing");
            }
        }
    }

    #[test]
    fn test_format_names_round_trip() {
        for f in ALL {
            assert_eq!(f.as_str().parse::<Format>(), Ok(f));
        }
        assert_eq!("markdown".parse::<Format>(), Ok(Format::Markdown));
        assert!("xml".parse::<Format>().is_err());
    }

    #[test]
    fn test_color_only_affects_table() {
        let r = fixture();
        for format in ALL {
            let plain = render_to_string(&r, format, false).unwrap();
            let colored = render_to_string(&r, format, true).unwrap();
            assert!(!plain.contains('\x1b'));
            if format == Format::Table {
                assert!(colored.contains("\x1b[1m"));
            } else {
                assert_eq!(plain, colored);
            }
        }
    }
}

#[cfg(test)]
mod csv_tests {
    use super::{render_to_string, Format};
    use crate::views::frequency::test_fixture::{empty, fixture, fixture_with};
    use crate::views::frequency::Metric;

    #[test]
    fn test_csv_snapshot() {
        let out = render_to_string(&fixture(), Format::Csv, false).unwrap();
        assert!(out.ends_with("\r\n"));
        assert_eq!(out.matches("\r\n").count(), out.matches('\n').count());
        // Snapshot without the CRs so the inline literal stays readable.
        insta::assert_snapshot!(out.replace("\r\n", "\n"), @r#"
        theme_id,theme,category,North East,London,Wales & the <West>,total
        staffing-shortages,Staffing shortages,workforce,10,7,4,21
        information-sharing,Information sharing,protection,2,3,0,5
        vetting-recruitment,Vetting and recruitment,workforce,3,0,2,5
        risk-harm,"Risk | ""harm"", <safety> & more",practice,0,0,0,0
        total,Total,,15,10,6,31
        "#);
    }

    #[test]
    fn test_csv_per10k_snapshot() {
        let out = render_to_string(&fixture_with(Metric::Per10k), Format::Csv, false).unwrap();
        insta::assert_snapshot!(out.replace("\r\n", "\n"), @r#"
        theme_id,theme,category,North East,London,Wales & the <West>,total
        staffing-shortages,Staffing shortages,workforce,50.00,46.67,80.00,52.50
        information-sharing,Information sharing,protection,10.00,20.00,0.00,12.50
        vetting-recruitment,Vetting and recruitment,workforce,15.00,0.00,40.00,12.50
        risk-harm,"Risk | ""harm"", <safety> & more",practice,0.00,0.00,0.00,0.00
        total,Total,,75.00,66.67,120.00,77.50
        "#);
    }

    #[test]
    fn test_csv_empty_snapshot() {
        let out = render_to_string(&empty(), Format::Csv, false).unwrap();
        insta::assert_snapshot!(out.replace("\r\n", "\n"), @"
        theme_id,theme,category,total
        total,Total,,0
        ");
    }
}

#[cfg(test)]
mod markdown_tests {
    use super::{render_to_string, Format};
    use crate::views::frequency::test_fixture::{empty, fixture};

    #[test]
    fn test_markdown_snapshot() {
        let out = render_to_string(&fixture(), Format::Markdown, false).unwrap();
        insta::assert_snapshot!(out, @r#"
        Theme frequency by region (sentences, polarity: all)

        | Theme | Category | North East | London | Wales & the \<West\> | Total |
        | :--- | :--- | ---: | ---: | ---: | ---: |
        | Staffing shortages | workforce | 10 | 7 | 4 | 21 |
        | Information sharing | protection | 2 | 3 | 0 | 5 |
        | Vetting and recruitment | workforce | 3 | 0 | 2 | 5 |
        | Risk \| "harm", \<safety\> & more | practice | 0 | 0 | 0 | 0 |
        | **Total** | | 15 | 10 | 6 | **31** |
        "#);
    }

    #[test]
    fn test_markdown_empty_snapshot() {
        let out = render_to_string(&empty(), Format::Markdown, false).unwrap();
        insta::assert_snapshot!(out, @"
        Theme frequency by year (sentences, polarity: concern)

        | Theme | Category | Total |
        | :--- | :--- | ---: |
        | **Total** | | **0** |
        ");
    }

    #[test]
    fn test_markdown_rows_have_consistent_cell_count() {
        let out = render_to_string(&fixture(), Format::Markdown, false).unwrap();
        // Unescaped pipes per table line must be equal, or a label broke out of its cell.
        let counts: Vec<usize> = out
            .lines()
            .filter(|l| l.starts_with('|'))
            .map(|l| l.replace("\\|", "").matches('|').count())
            .collect();
        assert_eq!(counts.len(), 7);
        assert!(counts.iter().all(|&c| c == counts[0]), "{counts:?}");
    }
}
