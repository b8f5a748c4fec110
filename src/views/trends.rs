//! `themis trends`: each theme year by year (optionally region by region), with flags saying
//! which themes persist and which are rising or falling.
//!
//! For every theme and year: the tagged sentences (of the polarity asked for), the reports
//! raising the theme, and the share per 10,000 sentences of that year's reports. Every year also
//! says how many reports and sentences it has, so a year made of one short press release does
//! not read as a spike. Years run from the first to the last year with a report; years in
//! between without any are kept (no share) so that a sparkline shows the gap. Reports without a
//! year are counted (`undated_reports`) but not placed.
//!
//! The flags, per theme (and per region with `by_region`), with [`TrendRules`]:
//!
//! - **persistent**: raised (at least one sentence of the polarity) in reports of at least
//!   `persistent_years` different years (default 3);
//! - **rising** / **falling**: over the last `window` years that have reports (default 3), each
//!   of them with at least `min_reports` reports (default 2; otherwise no direction is
//!   claimed), the least-squares slope of the per-10k share against the year is positive and the
//!   last year's share is at least `min_ratio` (default 1.5) times the first's and above it
//!   (rising); or the slope is negative and the first year's share is at least `min_ratio` times
//!   the last's and above it (falling). See [`direction`].
//! - **since**: the first year the theme was raised.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::index::ReportSummary;
use crate::render::{Column, Overflow, Table, TableFormat};
use crate::stats::{CountTable, PolarityFilter};
use crate::themes::{Polarity, Taxonomy};
use crate::views::{format_number, ReportFilter};

/// The thresholds of the flags; see the module documentation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrendRules {
    /// A theme is persistent when raised in reports of at least this many years.
    pub persistent_years: usize,
    /// Rising/falling looks at this many most recent years that have reports (at least 2).
    pub window: usize,
    /// Each of those years needs at least this many reports, or no direction is claimed.
    pub min_reports: u64,
    /// The last share must be at least this many times the first (rising), or the first this
    /// many times the last (falling).
    pub min_ratio: f64,
}

impl Default for TrendRules {
    fn default() -> Self {
        TrendRules {
            persistent_years: 3,
            window: 3,
            min_reports: 2,
            min_ratio: 1.5,
        }
    }
}

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendsRequest {
    /// Which reports count (reports without a year are left out by `since`).
    pub reports: ReportFilter,
    /// Only these themes (ids); empty: every theme raised at least once.
    pub themes: Vec<String>,
    /// Which sentences count.
    pub polarity: PolarityFilter,
    /// One series per region instead of one for all reports.
    pub by_region: bool,
    /// The flags' thresholds.
    pub rules: TrendRules,
}

impl Default for TrendsRequest {
    fn default() -> Self {
        TrendsRequest {
            reports: ReportFilter::default(),
            themes: Vec::new(),
            polarity: PolarityFilter::Only(Polarity::Concern),
            by_region: false,
            rules: TrendRules::default(),
        }
    }
}

/// The answer: one series for all the reports matched, or one per region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendsReport {
    /// Which sentences were counted: "all", "concern", "strength" or "neutral".
    pub polarity: String,
    /// The flags' thresholds.
    pub rules: TrendRules,
    /// Whether there is one series per region.
    pub by_region: bool,
    /// The series (regions alphabetically, "unknown" last).
    pub series: Vec<Series>,
}

/// The themes over the years in one set of reports (all, or one region's).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The region, with `by_region`; `None` for all the reports matched.
    pub region: Option<String>,
    /// Every year from the first to the last with a report.
    pub years: Vec<YearTotals>,
    /// Reports matched that have no year (not in any year).
    pub undated_reports: u64,
    /// The themes, most tagged sentences first (then by id).
    pub themes: Vec<ThemeTrend>,
}

/// One year's reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct YearTotals {
    /// The year.
    pub year: i32,
    /// Reports of that year.
    pub reports: u64,
    /// Sentences in those reports (the per-10k denominator).
    pub sentences: u64,
}

/// One theme over the years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeTrend {
    /// Theme id.
    pub id: String,
    /// Theme label.
    pub label: String,
    /// One point per year of [`Series::years`], in the same order.
    pub points: Vec<Point>,
    /// Tagged sentences over all years (dated reports only).
    pub sentences: u64,
    /// First year the theme was raised.
    pub since: Option<i32>,
    /// Years in which it was raised.
    pub years_raised: usize,
    /// Raised in at least `persistent_years` years.
    pub persistent: bool,
    /// Rising or falling over the last years, when that can be said.
    pub direction: Option<Direction>,
    /// The least-squares slope (per-10k share per year) over the window, when each year of it
    /// had enough reports.
    pub slope: Option<f64>,
}

/// One theme in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// The year.
    pub year: i32,
    /// Tagged sentences (of the polarity asked for).
    pub sentences: u64,
    /// Reports with at least one.
    pub reports: u64,
    /// Sentences per 10,000 sentences of the year's reports; `None` when the year has none.
    pub per10k: Option<f64>,
}

/// Which way a theme is going.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Direction {
    /// Rising.
    Rising,
    /// Falling.
    Falling,
}

/// Tagged sentences per 10,000 sentences; `None` when there are no sentences.
pub fn per10k(tagged: u64, sentences: u64) -> Option<f64> {
    (sentences > 0).then(|| tagged as f64 * 10_000.0 / sentences as f64)
}

/// The least-squares slope of `y` against `x`; `None` with fewer than 2 distinct `x`.
pub fn slope(points: &[(f64, f64)]) -> Option<f64> {
    let n = points.len() as f64;
    if points.len() < 2 {
        return None;
    }
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// Rising or falling, by the rule in the module documentation: of the years with reports, the
/// last `rules.window` (fewer: no direction), each with at least `rules.min_reports` reports
/// (else no direction); the least-squares slope of the per-10k share against the year; rising
/// when the slope is > 0 and last ≥ `min_ratio` × first and last > first, falling when the slope
/// is < 0 and first ≥ `min_ratio` × last and first > last. Returns the slope too (when the
/// window qualified).
pub fn direction(
    years: &[YearTotals],
    points: &[Point],
    rules: &TrendRules,
) -> (Option<Direction>, Option<f64>) {
    let with_reports: Vec<(&YearTotals, &Point)> = years
        .iter()
        .zip(points)
        .filter(|(y, _)| y.reports > 0)
        .collect();
    let window = rules.window.max(2);
    if with_reports.len() < window {
        return (None, None);
    }
    let last = &with_reports[with_reports.len() - window..];
    if last.iter().any(|(y, _)| y.reports < rules.min_reports) {
        return (None, None);
    }
    let xy: Vec<(f64, f64)> = last
        .iter()
        .map(|(y, p)| (f64::from(y.year), p.per10k.unwrap_or(0.0)))
        .collect();
    let Some(s) = slope(&xy) else {
        return (None, None);
    };
    let (first, end) = (xy[0].1, xy[xy.len() - 1].1);
    let direction = if s > 0.0 && end > first && end >= rules.min_ratio * first {
        Some(Direction::Rising)
    } else if s < 0.0 && first > end && first >= rules.min_ratio * end {
        Some(Direction::Falling)
    } else {
        None
    };
    (direction, Some(s))
}

impl TrendsReport {
    /// Computes the trends of `table` (tagged with `taxonomy`) for `request`. Theme ids in
    /// `request.themes` are expected to be the taxonomy's (unknown ones are left out).
    pub fn build(table: &CountTable, taxonomy: &Taxonomy, request: &TrendsRequest) -> Self {
        // The series each admitted report belongs to.
        let key = |r: &ReportSummary| -> Option<String> {
            if request.by_region {
                Some(r.region.clone().unwrap_or_else(|| "unknown".into()))
            } else {
                None
            }
        };
        let mut members: BTreeMap<(bool, Option<String>), Vec<usize>> = BTreeMap::new();
        for (i, r) in table.reports.iter().enumerate() {
            if request.reports.admits_summary(r) {
                let k = key(r);
                members
                    .entry((k.as_deref() == Some("unknown"), k))
                    .or_default()
                    .push(i);
            }
        }
        let wanted: Option<BTreeSet<usize>> = (!request.themes.is_empty()).then(|| {
            request
                .themes
                .iter()
                .filter_map(|id| taxonomy.position(id))
                .collect()
        });
        // Cells by report, for the series to pick from.
        let mut cells_of: Vec<Vec<usize>> = vec![Vec::new(); table.reports.len()];
        for (c, cell) in table.cells.iter().enumerate() {
            if let Some(list) = cells_of.get_mut(cell.report) {
                list.push(c);
            }
        }
        let series = members
            .into_iter()
            .map(|((_, region), reports)| {
                let mut series = Series::build(table, taxonomy, request, &reports, &cells_of);
                series.region = region;
                if let Some(wanted) = &wanted {
                    series.themes.retain(|t| {
                        taxonomy
                            .position(&t.id)
                            .is_some_and(|p| wanted.contains(&p))
                    });
                }
                series
            })
            .collect();
        TrendsReport {
            polarity: request.polarity.name(),
            rules: request.rules,
            by_region: request.by_region,
            series,
        }
    }

    /// Whether there is nothing to show: no dated report matched, or no theme in any series.
    pub fn is_empty(&self) -> bool {
        self.series
            .iter()
            .all(|s| s.years.is_empty() || s.themes.is_empty())
    }

    /// The report as one table for Markdown or CSV: a row per (region,) theme and year with
    /// reports (years without any are left out), with
    /// the year's reports and sentences, the theme's sentences, reports and per-10k share, and
    /// the theme's flags.
    pub fn table(&self, format: TableFormat) -> Table {
        let csv = format == TableFormat::Csv;
        let mut columns = Vec::new();
        if self.by_region {
            columns.push(Column::left(if csv { "region" } else { "Region" }));
        }
        let names: &[&str] = if csv {
            &[
                "theme_id",
                "theme",
                "year",
                "year_reports",
                "year_sentences",
                "sentences",
                "reports",
                "per10k",
                "since",
                "persistent",
                "direction",
            ]
        } else {
            &[
                "Theme",
                "Year",
                "Year's reports",
                "Year's sentences",
                "Sentences",
                "Reports",
                "Per 10k",
                "Flags",
            ]
        };
        for (i, name) in names.iter().enumerate() {
            let text = (!csv && i == 0) || (csv && i < 2);
            columns.push(if text {
                Column::left(*name).max_width(48, Overflow::Wrap)
            } else if !csv && *name == "Flags" {
                Column::left(*name)
            } else {
                Column::right(*name)
            });
        }
        let mut table = Table::new(columns);
        for series in &self.series {
            for theme in &series.themes {
                for (year, point) in series.years.iter().zip(&theme.points) {
                    if year.reports == 0 {
                        continue;
                    }
                    let mut row = Vec::new();
                    if self.by_region {
                        row.push(series.region.clone().unwrap_or_default());
                    }
                    let share = point.per10k.map_or(String::new(), format_number);
                    if csv {
                        row.extend([theme.id.clone(), theme.label.clone()]);
                    } else {
                        row.push(theme.label.clone());
                    }
                    row.extend([
                        year.year.to_string(),
                        year.reports.to_string(),
                        year.sentences.to_string(),
                        point.sentences.to_string(),
                        point.reports.to_string(),
                        if csv || point.per10k.is_some() {
                            share
                        } else {
                            "–".into()
                        },
                    ]);
                    if csv {
                        row.extend([
                            theme.since.map_or(String::new(), |y| y.to_string()),
                            theme.persistent.to_string(),
                            theme.direction.map_or(String::new(), |d| d.name().into()),
                        ]);
                    } else {
                        row.push(theme.flags().join(", "));
                    }
                    table.push_row(row);
                }
            }
        }
        table
    }
}

impl Direction {
    /// "rising" or "falling".
    pub fn name(self) -> &'static str {
        match self {
            Direction::Rising => "rising",
            Direction::Falling => "falling",
        }
    }
}

impl ThemeTrend {
    /// The flags as words: "persistent", "rising"/"falling", "since YEAR".
    pub fn flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        if self.persistent {
            flags.push("persistent".to_string());
        }
        if let Some(d) = self.direction {
            flags.push(d.name().to_string());
        }
        if let Some(y) = self.since {
            flags.push(format!("since {y}"));
        }
        flags
    }

    /// The per-10k shares of the first and last years with reports.
    pub fn first_last(&self) -> Option<(f64, f64)> {
        let mut shares = self.points.iter().filter_map(|p| p.per10k);
        let first = shares.next()?;
        Some((first, shares.next_back().unwrap_or(first)))
    }

    /// The per-10k shares as a sparkline, one character per year: a space for a year without
    /// reports, `▁` for none, and `▂`…`█` for a share above zero, scaled to the theme's
    /// largest share.
    pub fn sparkline(&self) -> String {
        const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
        let max = self
            .points
            .iter()
            .filter_map(|p| p.per10k)
            .fold(0.0, f64::max);
        self.points
            .iter()
            .map(|p| match p.per10k {
                None => ' ',
                Some(v) if v <= 0.0 || max <= 0.0 => BARS[0],
                Some(v) => BARS[1 + ((v / max) * 6.0).round() as usize],
            })
            .collect()
    }
}

impl Series {
    fn build(
        table: &CountTable,
        taxonomy: &Taxonomy,
        request: &TrendsRequest,
        reports: &[usize],
        cells_of: &[Vec<usize>],
    ) -> Series {
        let dated: Vec<(usize, i32)> = reports
            .iter()
            .filter_map(|&i| table.reports[i].year.map(|y| (i, y)))
            .collect();
        let undated_reports = (reports.len() - dated.len()) as u64;
        let (Some(first), Some(last)) = (
            dated.iter().map(|d| d.1).min(),
            dated.iter().map(|d| d.1).max(),
        ) else {
            return Series {
                region: None,
                years: Vec::new(),
                undated_reports,
                themes: Vec::new(),
            };
        };
        let mut years: Vec<YearTotals> = (first..=last)
            .map(|year| YearTotals {
                year,
                reports: 0,
                sentences: 0,
            })
            .collect();
        let n_themes = taxonomy.themes.len();
        // counts[theme][year] = (sentences, reports)
        let mut counts = vec![vec![(0u64, 0u64); years.len()]; n_themes];
        for &(i, year) in &dated {
            let y = (year - first) as usize;
            years[y].reports += 1;
            years[y].sentences += table.reports[i].sentences;
            for &c in &cells_of[i] {
                let cell = &table.cells[c];
                let n = cell.count(request.polarity);
                if n == 0 || cell.theme >= n_themes {
                    continue;
                }
                let slot = &mut counts[cell.theme][y];
                slot.0 += n;
                slot.1 += 1;
            }
        }
        let mut themes: Vec<ThemeTrend> = counts
            .into_iter()
            .enumerate()
            .filter(|(t, row)| {
                row.iter().any(|c| c.0 > 0)
                    || request
                        .themes
                        .iter()
                        .any(|id| *id == taxonomy.themes[*t].id)
            })
            .map(|(t, row)| {
                let points: Vec<Point> = years
                    .iter()
                    .zip(&row)
                    .map(|(y, &(sentences, reports))| Point {
                        year: y.year,
                        sentences,
                        reports,
                        per10k: if y.reports > 0 {
                            Some(per10k(sentences, y.sentences).unwrap_or(0.0))
                        } else {
                            None
                        },
                    })
                    .collect();
                let raised: Vec<i32> = points
                    .iter()
                    .filter(|p| p.sentences > 0)
                    .map(|p| p.year)
                    .collect();
                let (direction, slope) = direction(&years, &points, &request.rules);
                let theme = &taxonomy.themes[t];
                ThemeTrend {
                    id: theme.id.clone(),
                    label: theme.label.clone(),
                    sentences: points.iter().map(|p| p.sentences).sum(),
                    since: raised.first().copied(),
                    years_raised: raised.len(),
                    persistent: raised.len() >= request.rules.persistent_years,
                    direction,
                    slope,
                    points,
                }
            })
            .collect();
        themes.sort_by(|a, b| b.sentences.cmp(&a.sentences).then(a.id.cmp(&b.id)));
        Series {
            region: None,
            years,
            undated_reports,
            themes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::ReportType;
    use crate::stats::Cell;

    fn report(id: &str, region: &str, year: Option<i32>, sentences: u64) -> ReportSummary {
        ReportSummary {
            id: id.into(),
            title: id.into(),
            region: Some(region.into()),
            date: None,
            year,
            report_type: ReportType::default(),
            sentences,
            theme_counts: Vec::new(),
        }
    }

    fn years(spec: &[(i32, u64)]) -> Vec<YearTotals> {
        spec.iter()
            .map(|&(year, reports)| YearTotals {
                year,
                reports,
                sentences: 1000,
            })
            .collect()
    }

    fn points(spec: &[(i32, Option<f64>)]) -> Vec<Point> {
        spec.iter()
            .map(|&(year, per10k)| Point {
                year,
                sentences: 0,
                reports: 0,
                per10k,
            })
            .collect()
    }

    #[test]
    fn test_per10k_and_slope() {
        assert_eq!(per10k(3, 1500), Some(20.0));
        assert_eq!(per10k(3, 0), None);
        assert_eq!(
            slope(&[(2020.0, 1.0), (2021.0, 3.0), (2022.0, 5.0)]),
            Some(2.0)
        );
        assert_eq!(slope(&[(2020.0, 1.0)]), None);
        assert_eq!(slope(&[(2020.0, 1.0), (2020.0, 2.0)]), None);
    }

    #[test]
    fn test_rising_falling_and_flat() {
        let rules = TrendRules::default();
        let y = years(&[(2020, 2), (2021, 2), (2022, 3)]);
        let p = |a, b, c| points(&[(2020, Some(a)), (2021, Some(b)), (2022, Some(c))]);
        assert_eq!(
            direction(&y, &p(10.0, 12.0, 15.0), &rules),
            (Some(Direction::Rising), Some(2.5))
        );
        assert_eq!(
            direction(&y, &p(15.0, 12.0, 10.0), &rules).0,
            Some(Direction::Falling)
        );
        // Up, but the last is less than 1.5 × the first.
        assert_eq!(direction(&y, &p(10.0, 12.0, 14.0), &rules).0, None);
        // Last ≥ 1.5 × first, but the slope is not positive... and from nothing to something.
        assert_eq!(
            direction(&y, &p(0.0, 0.0, 5.0), &rules).0,
            Some(Direction::Rising)
        );
        assert_eq!(
            direction(&y, &p(5.0, 0.0, 0.0), &rules).0,
            Some(Direction::Falling)
        );
        assert_eq!(direction(&y, &p(0.0, 0.0, 0.0), &rules), (None, Some(0.0)));
        // A spike in the middle: slope 0, no direction.
        assert_eq!(direction(&y, &p(10.0, 50.0, 10.0), &rules).0, None);
    }

    #[test]
    fn test_direction_needs_enough_years_and_reports() {
        let rules = TrendRules::default();
        let p = points(&[(2020, Some(10.0)), (2021, Some(20.0)), (2022, Some(40.0))]);
        // A year of the window with one report: no direction claimed.
        let thin = years(&[(2020, 2), (2021, 1), (2022, 2)]);
        assert_eq!(direction(&thin, &p, &rules), (None, None));
        // Two years with reports when the window is three.
        let short = points(&[(2021, Some(20.0)), (2022, Some(40.0))]);
        assert_eq!(
            direction(&years(&[(2021, 2), (2022, 2)]), &short, &rules),
            (None, None)
        );
        // Years without reports are skipped: the window is the last three years with reports,
        // and the slope is over their actual years.
        let gap = years(&[(2018, 2), (2019, 0), (2020, 2), (2021, 0), (2022, 2)]);
        let p = points(&[
            (2018, Some(10.0)),
            (2019, None),
            (2020, Some(20.0)),
            (2021, None),
            (2022, Some(30.0)),
        ]);
        assert_eq!(
            direction(&gap, &p, &rules),
            (Some(Direction::Rising), Some(5.0))
        );
        // Only the last `window` years count: an early high year is outside it.
        let long = years(&[(2019, 2), (2020, 2), (2021, 2), (2022, 2)]);
        let p = points(&[
            (2019, Some(100.0)),
            (2020, Some(10.0)),
            (2021, Some(15.0)),
            (2022, Some(20.0)),
        ]);
        assert_eq!(direction(&long, &p, &rules).0, Some(Direction::Rising));
    }

    /// Normalisation per year, persistence, `since`, filters and series per region, on a
    /// hand-made table.
    #[test]
    fn test_build_on_a_small_table() {
        let taxonomy = Taxonomy::embedded();
        let theme = taxonomy.position("vetting-recruitment").unwrap();
        let other = (theme + 1) % taxonomy.themes.len();
        let table = CountTable {
            reports: vec![
                report("a", "North West", Some(2019), 1000),
                report("b", "North West", Some(2021), 3000),
                report("c", "South West", Some(2021), 1000),
                report("d", "South West", Some(2022), 500),
                report("e", "South West", None, 800),
            ],
            theme_ids: taxonomy.themes.iter().map(|t| t.id.clone()).collect(),
            cells: vec![
                Cell {
                    report: 0,
                    theme,
                    concern: 2,
                    strength: 1,
                    neutral: 0,
                },
                Cell {
                    report: 1,
                    theme,
                    concern: 4,
                    strength: 0,
                    neutral: 0,
                },
                Cell {
                    report: 2,
                    theme,
                    concern: 0,
                    strength: 3,
                    neutral: 0,
                },
                Cell {
                    report: 3,
                    theme,
                    concern: 1,
                    strength: 0,
                    neutral: 0,
                },
                Cell {
                    report: 4,
                    theme: other,
                    concern: 5,
                    strength: 0,
                    neutral: 0,
                },
            ],
        };
        let request = TrendsRequest::default();
        let all = TrendsReport::build(&table, &taxonomy, &request);
        assert_eq!(all.series.len(), 1);
        let s = &all.series[0];
        assert_eq!(s.undated_reports, 1);
        let y: Vec<(i32, u64, u64)> = s
            .years
            .iter()
            .map(|y| (y.year, y.reports, y.sentences))
            .collect();
        assert_eq!(
            y,
            [
                (2019, 1, 1000),
                (2020, 0, 0),
                (2021, 2, 4000),
                (2022, 1, 500)
            ]
        );
        // The undated report's theme is in no year, so not listed.
        assert_eq!(s.themes.len(), 1);
        let t = &s.themes[0];
        assert_eq!(t.id, "vetting-recruitment");
        let shares: Vec<Option<f64>> = t.points.iter().map(|p| p.per10k).collect();
        assert_eq!(shares, [Some(20.0), None, Some(10.0), Some(20.0)]);
        let reports: Vec<u64> = t.points.iter().map(|p| p.reports).collect();
        assert_eq!(reports, [1, 0, 1, 1], "report c has no concern");
        assert_eq!(
            (t.since, t.years_raised, t.persistent),
            (Some(2019), 3, true)
        );
        // 2019 and 2022 have one report each: no direction.
        assert_eq!((t.direction, t.slope), (None, None));
        assert_eq!(t.sparkline(), "█ ▅█");
        assert_eq!(t.first_last(), Some((20.0, 20.0)));
        assert_eq!(t.flags(), ["persistent", "since 2019"]);

        // Strength only: raised in 2019 and 2021.
        let strength = TrendsReport::build(
            &table,
            &taxonomy,
            &TrendsRequest {
                polarity: PolarityFilter::Only(Polarity::Strength),
                ..TrendsRequest::default()
            },
        );
        let t = &strength.series[0].themes[0];
        assert_eq!(
            (t.since, t.years_raised, t.persistent),
            (Some(2019), 2, false)
        );

        // Per region, with a filter on the year.
        let by_region = TrendsReport::build(
            &table,
            &taxonomy,
            &TrendsRequest {
                by_region: true,
                reports: ReportFilter {
                    since: Some(2021),
                    ..ReportFilter::default()
                },
                ..TrendsRequest::default()
            },
        );
        let regions: Vec<Option<&str>> = by_region
            .series
            .iter()
            .map(|s| s.region.as_deref())
            .collect();
        assert_eq!(regions, [Some("North West"), Some("South West")]);
        let sw = &by_region.series[1];
        assert_eq!(sw.undated_reports, 0, "--since leaves undated reports out");
        assert_eq!(sw.themes[0].since, Some(2022));

        // A region with no reports, or a theme filter: nothing / only that theme.
        let none = TrendsReport::build(
            &table,
            &taxonomy,
            &TrendsRequest {
                reports: ReportFilter {
                    region: Some("London".into()),
                    ..ReportFilter::default()
                },
                ..TrendsRequest::default()
            },
        );
        assert!(none.is_empty());
        let only = TrendsReport::build(
            &table,
            &taxonomy,
            &TrendsRequest {
                themes: vec![taxonomy.themes[other].id.clone()],
                ..TrendsRequest::default()
            },
        );
        assert_eq!(only.series[0].themes.len(), 1);
        assert_eq!(only.series[0].themes[0].sentences, 0);
    }
}
