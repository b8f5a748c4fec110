//! Views: what the reporting commands show, computed once in the library as serialisable
//! models, so that the binary only parses arguments, calls, and renders (with
//! [`crate::render`]). Each view serialises to the JSON its command prints and builds the
//! [`Table`]s its other formats draw.
//!
//! | file | view |
//! |---|---|
//! | `analyst.rs` | [`analyst::AnalystReport`]: every view of the analyst's HTML report over one set of reports |
//! | `evidence.rs` | [`evidence::EvidenceSet`]: the sentences behind each heatmap cell and theme pair, bounded |
//! | `cooccur.rs` | [`cooccur::CooccurReport`]: theme pairs that come together, with lift and examples |
//! | `findings.rs` | the findings answer ([`crate::findings::FindingsReport`]) as a CSV table, a row a finding |
//! | `frequency.rs` | [`frequency::FrequencyReport`]: the themes × groups matrix of `report` |
//! | `scores.rs` | [`scores::ScoresView`]: key-question scores side by side, the corpus average, ratings |
//! | `facts.rs` | [`facts::FactsView`]: key contextual facts side by side |
//! | `report.rs` | [`report::ReportView`]: one report's text with its tagged sentences, and its structured parts |
//! | `recommendations.rs` | [`recommendations::RecommendationsView`] and the recurring groups |
//! | `search.rs` | search results as a table, one row per excerpt |
//! | `themes.rs` | [`themes::ThemesView`]: the taxonomy with counts per theme |
//! | `trends.rs` | [`trends::TrendsReport`]: themes year by year, with persistent/rising/falling flags |
//!
//! Shared here: [`ReportRef`], the report an entry comes from, and [`Grid`], numbers side by
//! side, which scores and facts are shown as.

pub mod analyst;
pub mod cooccur;
pub mod evidence;
pub mod facts;
pub mod findings;
pub mod frequency;
pub mod recommendations;
pub mod report;
pub mod scores;
pub mod search;
pub mod themes;
pub mod trends;

use serde::Serialize;

use crate::corpus::ReportMeta;

use crate::render::text::{sanitize, width, SEP};
use crate::render::{Column, Overflow, Table, TableFormat};

/// Width, in columns, a grid's text table fits into when its number columns leave room.
pub const GRID_WIDTH: usize = 100;
/// A grid's label column may always be this wide in a text table, and wider when the number
/// columns leave room in [`GRID_WIDTH`]; longer labels wrap (cutting them could make two
/// labels that differ only past the cut read the same).
pub const GRID_LABEL_WIDTH: usize = 48;
/// Narrowest a grid's number column is drawn in a text table.
pub const GRID_NUMBER_WIDTH: usize = 7;

/// Which reports an analyst's view reads: its `--region`, `--type` and `--since` filters, one
/// rule for every view that takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportFilter {
    /// Only reports from this region.
    pub region: Option<String>,
    /// Only reports of this type.
    pub report_type: Option<crate::corpus::ReportType>,
    /// Only reports from this year or later (reports without a year are left out).
    pub since: Option<i32>,
}

impl ReportFilter {
    /// Whether a report of this region, type and year passes.
    pub fn admits(
        &self,
        region: Option<&str>,
        report_type: crate::corpus::ReportType,
        year: Option<i32>,
    ) -> bool {
        self.region.as_deref().is_none_or(|r| region == Some(r))
            && self.report_type.is_none_or(|t| report_type == t)
            && self
                .since
                .is_none_or(|since| year.is_some_and(|y| y >= since))
    }

    /// [`ReportFilter::admits`] for an indexed report.
    pub fn admits_summary(&self, report: &crate::index::ReportSummary) -> bool {
        self.admits(report.region.as_deref(), report.report_type, report.year)
    }
}

/// The report a view's entry comes from, as the views' JSON names it (flattened into the
/// entry: `report`, `title`, `region`, `year`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRef {
    /// Report id.
    #[serde(rename = "report")]
    pub id: String,
    /// Report title.
    pub title: String,
    /// Region, when known.
    pub region: Option<String>,
    /// Year, when known.
    pub year: Option<i32>,
}

impl ReportRef {
    /// The reference to the report with this metadata.
    pub fn of(meta: &ReportMeta) -> ReportRef {
        ReportRef {
            id: meta.id.clone(),
            title: meta.title.clone(),
            region: meta.region.clone(),
            year: meta.year,
        }
    }

    /// "Greater Manchester 2026": the region (the id when the region is unknown) and year, as
    /// side-by-side tables label a report.
    pub fn label(&self) -> String {
        let year = self.year.map_or(String::new(), |y| format!(" {y}"));
        format!("{}{year}", self.region.as_deref().unwrap_or(&self.id))
    }

    /// The year as text, empty when unknown.
    pub fn year_text(&self) -> String {
        self.year.map_or(String::new(), |y| y.to_string())
    }
}

/// A number as a grid shows it: whole numbers without decimals, others with at most two.
pub fn format_number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{x:.0}")
    } else {
        format!("{x:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
}

/// Numbers side by side: a row per label, a column per header, any value possibly missing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    /// The header of the label column.
    pub corner: String,
    /// The headers of the number columns.
    pub columns: Vec<String>,
    /// The rows, in order.
    pub rows: Vec<GridRow>,
}

/// One row of a [`Grid`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GridRow {
    /// What the row is.
    pub label: String,
    /// One value per column; `None` where there is none.
    pub values: Vec<Option<f64>>,
}

impl Grid {
    /// The grid as a table for `format`: numbers through [`format_number`], a missing value
    /// "–" (empty in CSV). In text, number columns are at least [`GRID_NUMBER_WIDTH`] wide and
    /// labels wrap past the room the number columns leave in [`GRID_WIDTH`] columns (at least
    /// [`GRID_LABEL_WIDTH`]).
    pub fn table(&self, format: TableFormat) -> Table {
        let missing = if format == TableFormat::Csv {
            ""
        } else {
            "–"
        };
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .map(|row| {
                std::iter::once(row.label.clone())
                    .chain(
                        row.values
                            .iter()
                            .map(|v| v.map_or(missing.to_string(), format_number)),
                    )
                    .collect()
            })
            .collect();
        let numbers: usize = (0..self.columns.len())
            .map(|i| {
                let widest = rows
                    .iter()
                    .filter_map(|row| row.get(i + 1))
                    .chain([&self.columns[i]])
                    .map(|s| width(&sanitize(s)))
                    .max()
                    .unwrap_or(0);
                widest.max(GRID_NUMBER_WIDTH) + SEP
            })
            .sum();
        let label_width = GRID_WIDTH.saturating_sub(numbers).max(GRID_LABEL_WIDTH);
        let mut columns =
            vec![Column::left(self.corner.as_str()).max_width(label_width, Overflow::Wrap)];
        columns.extend(
            self.columns
                .iter()
                .map(|c| Column::right(c.as_str()).min_width(GRID_NUMBER_WIDTH)),
        );
        let mut table = Table::new(columns);
        for row in rows {
            table.push_row(row);
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::write_table;

    fn grid() -> Grid {
        Grid {
            corner: "Key fact".into(),
            columns: vec!["Greater Manchester 2026".into(), "South West 2026".into()],
            rows: vec![
                GridRow {
                    label: "People supervised".into(),
                    values: vec![Some(16013.0), Some(16821.0)],
                },
                GridRow {
                    label: "Recall rate, \"12 months\" (%)".into(),
                    values: vec![Some(24.88), None],
                },
            ],
        }
    }

    fn render(grid: &Grid, format: TableFormat) -> String {
        let mut out = Vec::new();
        write_table(&grid.table(format), format, false, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn test_format_number() {
        assert_eq!(format_number(49.0), "49");
        assert_eq!(format_number(38.5), "38.5");
        assert_eq!(format_number(24.876), "24.88");
        assert_eq!(format_number(72.60), "72.6");
    }

    #[test]
    fn test_report_label() {
        let mut r = ReportRef {
            id: "gm".into(),
            title: "Inspection".into(),
            region: Some("Greater Manchester".into()),
            year: Some(2026),
        };
        assert_eq!(r.label(), "Greater Manchester 2026");
        (r.region, r.year) = (None, None);
        assert_eq!(r.label(), "gm");
        assert_eq!(r.year_text(), "");
    }

    #[test]
    fn test_grid_in_every_format() {
        insta::assert_snapshot!(render(&grid(), TableFormat::Text), @r#"
        Key fact                      Greater Manchester 2026  South West 2026
        People supervised                               16013            16821
        Recall rate, "12 months" (%)                    24.88                –
        "#);
        insta::assert_snapshot!(render(&grid(), TableFormat::Markdown), @r#"
        | Key fact | Greater Manchester 2026 | South West 2026 |
        |---|---:|---:|
        | People supervised | 16013 | 16821 |
        | Recall rate, "12 months" (%) | 24.88 | – |
        "#);
        let csv = render(&grid(), TableFormat::Csv);
        assert_eq!(
            csv,
            "Key fact,Greater Manchester 2026,South West 2026\r\n\
             People supervised,16013,16821\r\n\
             \"Recall rate, \"\"12 months\"\" (%)\",24.88,\r\n"
        );
    }

    /// Two long labels that share their first 70 characters must not read the same.
    #[test]
    fn test_long_labels_sharing_a_prefix_stay_distinct_in_text() {
        let prefix = "Percentage of accredited programme requirements completed for individuals";
        let mut g = grid();
        g.rows = ["", "not "]
            .iter()
            .map(|not| GridRow {
                label: format!("{prefix} {not}convicted of a sexual offence (%)"),
                values: vec![Some(1.0), Some(2.0)],
            })
            .collect();
        let text = render(&g, TableFormat::Text);
        assert!(
            text.lines().all(|l| l.chars().count() <= GRID_WIDTH),
            "{text}"
        );
        assert!(text.lines().count() > 3, "the labels wrap: {text}");
        // Every word of both labels is shown, so the two rows differ where the labels do.
        let words = |s: &str| -> Vec<String> {
            s.split_whitespace()
                .filter(|w| !w.chars().all(|c| c.is_ascii_digit()))
                .map(String::from)
                .collect()
        };
        let shown = words(text.lines().skip(1).collect::<Vec<_>>().join(" ").as_str());
        let expected: Vec<String> = g.rows.iter().flat_map(|r| words(&r.label)).collect();
        assert_eq!(shown, expected, "{text}");
        assert!(!text.contains('…'), "{text}");
    }
}
