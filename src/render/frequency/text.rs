//! Plain-text table for the terminal, fitted to [`MAX_WIDTH`] columns.
//!
//! Fitting strategy: numbers are never truncated. Group headers are truncated (with "…") to a
//! cap no narrower than their numbers; the theme column shrinks to a floor. We try header caps
//! from generous to tight and take the first that shows every group; if even the tightest
//! cap cannot, we show the leading groups that fit and add a note pointing at the formats that
//! carry everything. Whatever room remains goes back to the theme labels.

use std::io::{self, Write};

use super::super::table::{Column, Table};
use super::super::text::{sanitize, truncate, width, write, SEP};
use crate::views::frequency::FrequencyReport;

/// Maximum line width in characters (a conventional terminal).
pub(super) const MAX_WIDTH: usize = 100;
/// Theme column never narrower than this (unless every label is shorter).
const MIN_LABEL: usize = 18;
/// Theme column never wider than this, even when there is room: long labels hurt scanning.
const MAX_LABEL: usize = 40;
/// Header caps tried in order; the last one is also used when not every group fits. Below 8
/// characters truncated region names start colliding ("South…" for South East and South West).
const HEADER_CAPS: [usize; 5] = [20, 14, 12, 10, 8];

/// Column widths chosen for the output.
struct Layout {
    label: usize,
    groups: Vec<usize>, // one per *shown* group
    total: usize,
}

fn layout(report: &FrequencyReport) -> Layout {
    let n = report.groups.len();
    let value_widths: Vec<usize> = (0..n)
        .map(|g| {
            report
                .rows
                .iter()
                .map(|r| width(&report.format_value(report.value(r, g))))
                .chain([width(&report.format_value(report.column_total(g)))])
                .max()
                .unwrap_or(1)
        })
        .collect();
    let header_widths: Vec<usize> = report
        .groups
        .iter()
        .map(|g| width(&sanitize(&g.label)))
        .collect();
    let total = report
        .rows
        .iter()
        .map(|r| width(&report.format_value(r.total)))
        .chain([
            width("Total"),
            width(&report.format_value(report.grand_total)),
        ])
        .max()
        .unwrap_or(5);
    let desired_label = report
        .rows
        .iter()
        .map(|r| width(&sanitize(&r.label)))
        .chain([width("Theme"), width("Total")])
        .max()
        .unwrap_or(5)
        .min(MAX_LABEL);
    let min_label = desired_label.min(MIN_LABEL);
    let fixed = min_label + SEP + total;

    let widths_for = |cap: usize| -> Vec<usize> {
        value_widths
            .iter()
            .zip(&header_widths)
            .map(|(&v, &h)| v.max(h.min(cap)).max(1))
            .collect()
    };
    let cost = |ws: &[usize]| ws.iter().map(|w| w + SEP).sum::<usize>();

    let groups = HEADER_CAPS
        .iter()
        .map(|&cap| widths_for(cap))
        .find(|ws| fixed + cost(ws) <= MAX_WIDTH)
        .unwrap_or_else(|| {
            // Not everything fits even at the tightest cap: keep the leading groups that do.
            let ws = widths_for(HEADER_CAPS[HEADER_CAPS.len() - 1]);
            let mut used = fixed;
            ws.into_iter()
                .take_while(|w| {
                    used += w + SEP;
                    used <= MAX_WIDTH
                })
                .collect()
        });
    // Give leftover room back to the theme labels.
    let spare = MAX_WIDTH.saturating_sub(fixed + cost(&groups));
    let label = (min_label + spare).min(desired_label);
    Layout {
        label,
        groups,
        total,
    }
}

/// Writes the caption, the table (header, rule, one row per theme, rule, totals) and, when
/// not every group fits, a note saying how many are left out. `color` makes the header row
/// bold and changes nothing else.
pub(super) fn render(report: &FrequencyReport, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let lay = layout(report);
    let shown = lay.groups.len();
    writeln!(out, "{}", truncate(&sanitize(&report.caption()), MAX_WIDTH))?;

    let mut columns = vec![Column::left("Theme").width(lay.label)];
    for (g, &w) in report.groups.iter().zip(&lay.groups) {
        columns.push(Column::right(g.label.as_str()).width(w));
    }
    columns.push(Column::right("Total").width(lay.total));
    let mut table = Table::new(columns);
    table.empty = Some("(no themes)".into());
    for row in &report.rows {
        table.push_row(
            [row.label.clone()]
                .into_iter()
                .chain((0..shown).map(|g| report.format_value(report.value(row, g))))
                .chain([report.format_value(row.total)]),
        );
    }
    table.push_footer(
        ["Total".to_string()]
            .into_iter()
            .chain((0..shown).map(|g| report.format_value(report.column_total(g))))
            .chain([report.format_value(report.grand_total)]),
    );
    write(&table, out, color)?;

    let hidden = report.groups.len() - shown;
    if hidden > 0 {
        let noun = if hidden == 1 { "group" } else { "groups" };
        writeln!(
            out,
            "… {hidden} more {noun}: use --format csv/md/html for all"
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::{render_to_string, Format};
    use super::*;
    use crate::views::frequency::test_fixture::{empty, fixture, fixture_with};
    use crate::views::frequency::{Group, GroupBy, Metric};

    const BOLD: &str = "\x1b[1m";
    const RESET: &str = "\x1b[0m";

    fn table(r: &FrequencyReport) -> String {
        render_to_string(r, Format::Table, false).unwrap()
    }

    #[test]
    fn test_table_snapshot() {
        insta::assert_snapshot!(table(&fixture()), @r#"
        Theme frequency by region (sentences, polarity: all)
        Theme                           North East  London  Wales & the <West>  Total
        -----------------------------------------------------------------------------
        Staffing shortages                      10       7                   4     21
        Information sharing                      2       3                   0      5
        Vetting and recruitment                  3       0                   2      5
        Risk | "harm", <safety> & more           0       0                   0      0
        -----------------------------------------------------------------------------
        Total                                   15      10                   6     31
        "#);
    }

    #[test]
    fn test_table_per10k_snapshot() {
        insta::assert_snapshot!(table(&fixture_with(Metric::Per10k)), @r#"
        Theme frequency by region (per 10k sentences, polarity: all)
        Theme                           North East  London  Wales & the <West>  Total
        -----------------------------------------------------------------------------
        Staffing shortages                    50.0    46.7                80.0   52.5
        Information sharing                   10.0    20.0                 0.0   12.5
        Vetting and recruitment               15.0     0.0                40.0   12.5
        Risk | "harm", <safety> & more         0.0     0.0                 0.0    0.0
        -----------------------------------------------------------------------------
        Total                                 75.0    66.7               120.0   77.5
        "#);
    }

    #[test]
    fn test_table_empty_snapshot() {
        insta::assert_snapshot!(table(&empty()), @"
        Theme frequency by year (sentences, polarity: concern)
        Theme  Total
        ------------
        (no themes)
        ------------
        Total      0
        ");
    }

    fn wide_model() -> FrequencyReport {
        let regions = [
            "North East",
            "North West",
            "Yorkshire and the Humber",
            "East Midlands",
            "West Midlands",
            "East of England",
            "London",
            "South East",
            "South West",
            "Wales",
            "Kent, Surrey and Sussex",
            "Greater Manchester",
        ];
        let groups = regions
            .iter()
            .map(|r| Group {
                key: r.to_lowercase().replace(' ', "-"),
                label: r.to_string(),
                sentences: 123_456,
                reports: 40,
            })
            .collect();
        let themes = (0..6)
            .map(|i| {
                (
                    format!("theme-{i}"),
                    format!("Theme {i}: a very long label that goes on and on and on"),
                    "governance".to_string(),
                )
            })
            .collect();
        let counts = (0..6)
            .map(|i| (0..12).map(|g| (i * 997 + g * 131) as u64).collect())
            .collect();
        FrequencyReport::build(
            GroupBy::Region,
            Metric::Sentences,
            "concern",
            groups,
            themes,
            counts,
        )
    }

    #[test]
    fn test_table_width_fits_100_columns() {
        let r = wide_model();
        for color in [false, true] {
            let out = render_to_string(&r, Format::Table, color).unwrap();
            for line in out.lines() {
                let visible = line.replace(BOLD, "").replace(RESET, "");
                assert!(width(&visible) <= MAX_WIDTH, "too wide: {line:?}");
            }
        }
        let out = table(&r);
        let note = out.lines().last().unwrap();
        assert!(
            note.starts_with("… ")
                && note.ends_with("more groups: use --format csv/md/html for all")
        );
        // The hidden groups are counted, and the Total column still covers all of them.
        let hidden: usize = note.split(' ').nth(1).unwrap().parse().unwrap();
        assert!(hidden > 0 && hidden < 12);
        assert!(out.contains(&r.format_value(r.grand_total)));
    }

    #[test]
    fn test_table_wide_snapshot() {
        insta::assert_snapshot!(table(&wide_model()), @"
        Theme frequency by region (sentences, polarity: concern)
        Theme                     North E…  North W…  Yorkshi…  East Mi…  West Mi…  East of…  London   Total
        ----------------------------------------------------------------------------------------------------
        Theme 5: a very long la…      4985      5116      5247      5378      5509      5640    5771   68466
        Theme 4: a very long la…      3988      4119      4250      4381      4512      4643    4774   56502
        Theme 3: a very long la…      2991      3122      3253      3384      3515      3646    3777   44538
        Theme 2: a very long la…      1994      2125      2256      2387      2518      2649    2780   32574
        Theme 1: a very long la…       997      1128      1259      1390      1521      1652    1783   20610
        Theme 0: a very long la…         0       131       262       393       524       655     786    8646
        ----------------------------------------------------------------------------------------------------
        Total                        14955     15741     16527     17313     18099     18885   19671  231336
        … 5 more groups: use --format csv/md/html for all
        ");
    }

    #[test]
    fn test_table_color_bolds_header_only() {
        let out = render_to_string(&fixture(), Format::Table, true).unwrap();
        assert_eq!(out.matches(BOLD).count(), 1);
        assert!(out.lines().nth(1).unwrap().starts_with(BOLD));
        assert_eq!(out.replace(BOLD, "").replace(RESET, ""), table(&fixture()));
    }
}
