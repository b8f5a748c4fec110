//! The theme frequency model: a themes × groups matrix of numbers for one metric, with row and
//! column totals, built and sorted once so every renderer shows the same thing.
//!
//! Counting sentences and reports is the caller's job ([`crate::stats`]): it hands raw counts
//! to [`FrequencyReport::build`], which computes values and totals for the chosen [`Metric`]
//! and sorts the rows. [`crate::render::frequency`] draws it in every format.

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

/// What the columns of the matrix are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GroupBy {
    /// One column per probation region.
    Region,
    /// One column per inspection report.
    Report,
    /// One column per publication year.
    Year,
    /// One column per report type (e.g. local, thematic).
    Type,
}

impl GroupBy {
    /// Stable lowercase name, as used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Region => "region",
            GroupBy::Report => "report",
            GroupBy::Year => "year",
            GroupBy::Type => "type",
        }
    }

    /// Human wording for captions ("Theme frequency by …").
    pub fn noun(self) -> &'static str {
        match self {
            GroupBy::Region => "region",
            GroupBy::Report => "report",
            GroupBy::Year => "year",
            GroupBy::Type => "report type",
        }
    }
}

impl fmt::Display for GroupBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for GroupBy {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "region" => Ok(GroupBy::Region),
            "report" => Ok(GroupBy::Report),
            "year" => Ok(GroupBy::Year),
            "type" => Ok(GroupBy::Type),
            other => Err(format!(
                "unknown grouping '{other}' (expected region, report, year or type)"
            )),
        }
    }
}

/// What each number in the matrix counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// Number of sentences tagged with the theme.
    Sentences,
    /// Number of reports in which the theme appears at least once.
    Reports,
    /// Tagged sentences per 10,000 sentences in the group (normalises for corpus size).
    Per10k,
}

impl Metric {
    /// Stable lowercase name, as used on the command line and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Metric::Sentences => "sentences",
            Metric::Reports => "reports",
            Metric::Per10k => "per10k",
        }
    }

    /// Human wording for captions.
    pub fn description(self) -> &'static str {
        match self {
            Metric::Sentences => "sentences",
            Metric::Reports => "reports",
            Metric::Per10k => "per 10k sentences",
        }
    }

    /// Whether values are whole counts (rendered without decimals).
    pub fn is_count(self) -> bool {
        !matches!(self, Metric::Per10k)
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Metric {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "sentences" => Ok(Metric::Sentences),
            "reports" => Ok(Metric::Reports),
            "per10k" => Ok(Metric::Per10k),
            other => Err(format!(
                "unknown metric '{other}' (expected sentences, reports or per10k)"
            )),
        }
    }
}

/// A themes × groups frequency matrix for one metric and polarity.
///
/// Invariants established by [`FrequencyReport::build`]: every row has exactly
/// `groups.len()` values, `column_totals.len() == groups.len()`, rows are sorted by total
/// descending then id ascending, and no value is NaN or infinite.
#[derive(Debug, Clone, Serialize)]
pub struct FrequencyReport {
    /// What the columns are.
    pub by: GroupBy,
    /// What the numbers count.
    pub metric: Metric,
    /// Which sentences were counted: "all", "concern", "strength" or "neutral".
    pub polarity: String,
    /// Columns, in display order.
    pub groups: Vec<Group>,
    /// One row per theme, sorted by total descending, then id ascending.
    pub rows: Vec<ThemeRow>,
    /// One total per group; see [`FrequencyReport::build`] for the semantics per metric.
    pub column_totals: Vec<f64>,
    /// Total over the whole matrix; see [`FrequencyReport::build`].
    pub grand_total: f64,
}

/// One column of the matrix.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// Stable machine key (e.g. a region slug, report id or year).
    pub key: String,
    /// Human label shown in headers.
    pub label: String,
    /// All sentences in the group (of the chosen polarity or not: the caller decides); the
    /// denominator for [`Metric::Per10k`].
    pub sentences: u64,
    /// Number of reports in the group.
    pub reports: u64,
}

/// One theme's values across the groups.
#[derive(Debug, Clone, Serialize)]
pub struct ThemeRow {
    /// Theme id, e.g. `vetting-recruitment`.
    pub id: String,
    /// Human label, e.g. "Vetting and recruitment".
    pub label: String,
    /// Theme category, e.g. "workforce".
    pub category: String,
    /// One value per group, in the order of [`FrequencyReport::groups`].
    pub values: Vec<f64>,
    /// Row total; see [`FrequencyReport::build`].
    pub total: f64,
}

/// Per-10k rate with a zero denominator mapped to zero rather than NaN/inf.
fn rate(count: u64, denominator: u64) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        count as f64 / denominator as f64 * 10_000.0
    }
}

impl FrequencyReport {
    /// Builds the matrix from raw counts and sorts the rows.
    ///
    /// `counts[theme_index][group_index]` are raw numbers for the metric's base: matching
    /// sentence counts for [`Metric::Sentences`] and [`Metric::Per10k`]; for
    /// [`Metric::Reports`], the number of reports in that group where the theme appears.
    /// A ragged `counts` is tolerated: missing cells count as 0 and extra cells are ignored.
    ///
    /// Totals, per metric:
    /// - **Sentences**: row total = sum of the row; column total = sum of the column; grand
    ///   total = sum of everything. A sentence tagged with two themes counts once per theme, so
    ///   column totals are theme *tags*, not distinct sentences.
    /// - **Reports**: sums likewise. Groups partition the reports (each report has one region,
    ///   year and type), so a row total is the number of distinct reports mentioning the theme.
    ///   Column and grand totals are (theme, report) pairs, not distinct reports; the number of
    ///   reports in a group is [`Group::reports`].
    /// - **Per10k**: cell = count / group sentences × 10,000 (0 when the group has no
    ///   sentences). Row total = the theme's overall count / all sentences × 10,000 (a
    ///   weighted rate, not the sum of the row). Column total = all tags in the group / group
    ///   sentences × 10,000 (which equals the column sum); grand total = all tags / all
    ///   sentences × 10,000.
    ///
    /// Themes with a zero total are kept (they sort last) so the matrix is complete.
    pub fn build(
        by: GroupBy,
        metric: Metric,
        polarity: impl Into<String>,
        groups: Vec<Group>,
        themes: Vec<(String, String, String)>,
        counts: Vec<Vec<u64>>,
    ) -> FrequencyReport {
        let n = groups.len();
        // Normalise the raw counts to exactly one row per theme and one cell per group.
        let raw: Vec<Vec<u64>> = (0..themes.len())
            .map(|t| {
                let row = counts.get(t).map(Vec::as_slice).unwrap_or(&[]);
                (0..n).map(|g| row.get(g).copied().unwrap_or(0)).collect()
            })
            .collect();

        let all_sentences: u64 = groups.iter().map(|g| g.sentences).sum();
        let column_counts: Vec<u64> = (0..n).map(|g| raw.iter().map(|r| r[g]).sum()).collect();
        let grand_count: u64 = column_counts.iter().sum();

        let mut rows: Vec<ThemeRow> = themes
            .into_iter()
            .zip(raw)
            .map(|((id, label, category), row)| {
                let row_count: u64 = row.iter().sum();
                let (values, total) = match metric {
                    Metric::Sentences | Metric::Reports => {
                        (row.iter().map(|&c| c as f64).collect(), row_count as f64)
                    }
                    Metric::Per10k => (
                        row.iter()
                            .zip(&groups)
                            .map(|(&c, g)| rate(c, g.sentences))
                            .collect(),
                        rate(row_count, all_sentences),
                    ),
                };
                ThemeRow {
                    id,
                    label,
                    category,
                    values,
                    total,
                }
            })
            .collect();

        rows.sort_by(|a, b| b.total.total_cmp(&a.total).then_with(|| a.id.cmp(&b.id)));

        let (column_totals, grand_total) = match metric {
            Metric::Sentences | Metric::Reports => (
                column_counts.iter().map(|&c| c as f64).collect(),
                grand_count as f64,
            ),
            Metric::Per10k => (
                column_counts
                    .iter()
                    .zip(&groups)
                    .map(|(&c, g)| rate(c, g.sentences))
                    .collect(),
                rate(grand_count, all_sentences),
            ),
        };

        FrequencyReport {
            by,
            metric,
            polarity: polarity.into(),
            groups,
            rows,
            column_totals,
            grand_total,
        }
    }

    /// One-line description, e.g. "Theme frequency by region (sentences, polarity: all)".
    pub fn caption(&self) -> String {
        format!(
            "Theme frequency by {} ({}, polarity: {})",
            self.by.noun(),
            self.metric.description(),
            self.polarity
        )
    }

    /// Formats a value for display: whole numbers for counts, one decimal for per-10k rates.
    pub fn format_value(&self, value: f64) -> String {
        if self.metric.is_count() {
            format!("{value:.0}")
        } else {
            format!("{value:.1}")
        }
    }

    /// The value at `row`, `group`, or 0 if a hand-built model is ragged (renderers never
    /// index directly, so they cannot panic on inconsistent input).
    pub fn value(&self, row: &ThemeRow, group: usize) -> f64 {
        row.values.get(group).copied().unwrap_or(0.0)
    }

    /// The column total for `group`, or 0 if missing.
    pub fn column_total(&self, group: usize) -> f64 {
        self.column_totals.get(group).copied().unwrap_or(0.0)
    }
}

/// Shared fixtures for the model and renderer tests.
#[cfg(test)]
pub(crate) mod test_fixture {
    use super::{FrequencyReport, Group, GroupBy, Metric};

    /// 4 themes × 3 regions; one theme label and one group label exercise escaping.
    pub(crate) fn fixture_with(metric: Metric) -> FrequencyReport {
        let group = |key: &str, label: &str, sentences, reports| Group {
            key: key.into(),
            label: label.into(),
            sentences,
            reports,
        };
        let groups = vec![
            group("north-east", "North East", 2000, 4),
            group("london", "London", 1500, 3),
            group("wales", "Wales & the <West>", 500, 2),
        ];
        let theme = |id: &str, label: &str, cat: &str| (id.into(), label.into(), cat.into());
        let themes = vec![
            theme(
                "vetting-recruitment",
                "Vetting and recruitment",
                "workforce",
            ),
            theme("staffing-shortages", "Staffing shortages", "workforce"),
            theme("information-sharing", "Information sharing", "protection"),
            theme("risk-harm", r#"Risk | "harm", <safety> & more"#, "practice"),
        ];
        let counts = vec![vec![3, 0, 2], vec![10, 7, 4], vec![2, 3, 0], vec![0, 0, 0]];
        FrequencyReport::build(GroupBy::Region, metric, "all", groups, themes, counts)
    }

    pub(crate) fn fixture() -> FrequencyReport {
        fixture_with(Metric::Sentences)
    }

    /// No groups and no themes.
    pub(crate) fn empty() -> FrequencyReport {
        FrequencyReport::build(
            GroupBy::Year,
            Metric::Sentences,
            "concern",
            vec![],
            vec![],
            vec![],
        )
    }

    /// Themes but no groups, and groups but no themes.
    pub(crate) fn half_empty() -> [FrequencyReport; 2] {
        let mut no_groups = fixture();
        no_groups.groups.clear();
        no_groups.column_totals.clear();
        for r in &mut no_groups.rows {
            r.values.clear();
        }
        let mut no_rows = fixture();
        no_rows.rows.clear();
        [no_groups, no_rows]
    }
}

#[cfg(test)]
mod tests {
    use super::test_fixture::{fixture, fixture_with};
    use super::*;

    #[test]
    fn test_build_sorts_by_total_desc_then_id() {
        let r = fixture();
        let ids: Vec<&str> = r.rows.iter().map(|r| r.id.as_str()).collect();
        // information-sharing and vetting-recruitment tie on 5: id breaks the tie; zero last.
        assert_eq!(
            ids,
            [
                "staffing-shortages",
                "information-sharing",
                "vetting-recruitment",
                "risk-harm"
            ]
        );
    }

    #[test]
    fn test_build_sentence_totals() {
        let r = fixture();
        let totals: Vec<f64> = r.rows.iter().map(|r| r.total).collect();
        assert_eq!(totals, [21.0, 5.0, 5.0, 0.0]);
        assert_eq!(r.column_totals, [15.0, 10.0, 6.0]);
        assert_eq!(r.grand_total, 31.0);
        assert_eq!(r.rows[0].values, [10.0, 7.0, 4.0]);
    }

    #[test]
    fn test_build_reports_metric_sums_disjoint_groups() {
        let r = fixture_with(Metric::Reports);
        assert_eq!(r.rows[0].total, 21.0);
        assert_eq!(r.grand_total, 31.0);
        assert_eq!(
            r.caption(),
            "Theme frequency by region (reports, polarity: all)"
        );
    }

    #[test]
    fn test_per10k_math() {
        let r = fixture_with(Metric::Per10k);
        let staffing = &r.rows[0];
        assert_eq!(staffing.id, "staffing-shortages");
        // Groups have 2000, 1500 and 500 sentences; staffing counts are 10, 7, 4.
        assert_eq!(staffing.values, [50.0, 7.0 / 1500.0 * 10_000.0, 80.0]);
        // Overall: 21 / 4000 sentences.
        assert_eq!(staffing.total, 52.5);
        assert_eq!(r.column_totals[0], 75.0);
        assert_eq!(r.grand_total, 31.0 / 4000.0 * 10_000.0);
        assert_eq!(r.format_value(staffing.values[1]), "46.7");
    }

    #[test]
    fn test_per10k_zero_sentence_group_is_zero_not_nan() {
        let groups = vec![Group {
            key: "empty".into(),
            label: "Empty".into(),
            sentences: 0,
            reports: 0,
        }];
        let themes = vec![("a".into(), "A".into(), "workforce".into())];
        let r = FrequencyReport::build(
            GroupBy::Year,
            Metric::Per10k,
            "all",
            groups,
            themes,
            vec![vec![3]],
        );
        assert_eq!(r.rows[0].values, [0.0]);
        assert_eq!(r.rows[0].total, 0.0);
        assert_eq!(r.grand_total, 0.0);
    }

    #[test]
    fn test_build_tolerates_ragged_counts() {
        let groups = vec![
            Group {
                key: "a".into(),
                label: "A".into(),
                sentences: 10,
                reports: 1,
            },
            Group {
                key: "b".into(),
                label: "B".into(),
                sentences: 10,
                reports: 1,
            },
        ];
        let themes = vec![
            ("x".into(), "X".into(), "c".into()),
            ("y".into(), "Y".into(), "c".into()),
        ];
        // Row for x too short and too long at once is impossible; give x one extra, y none.
        let r = FrequencyReport::build(
            GroupBy::Region,
            Metric::Sentences,
            "all",
            groups,
            themes,
            vec![vec![1, 2, 99]],
        );
        assert_eq!(r.rows[0].values, [1.0, 2.0]);
        assert_eq!(r.rows[1].values, [0.0, 0.0]);
        assert_eq!(r.grand_total, 3.0);
    }

    #[test]
    fn test_names_round_trip() {
        for m in [Metric::Sentences, Metric::Reports, Metric::Per10k] {
            assert_eq!(m.as_str().parse::<Metric>(), Ok(m));
        }
        for g in [
            GroupBy::Region,
            GroupBy::Report,
            GroupBy::Year,
            GroupBy::Type,
        ] {
            assert_eq!(g.as_str().parse::<GroupBy>(), Ok(g));
        }
        assert!("colour".parse::<GroupBy>().is_err());
    }
}
