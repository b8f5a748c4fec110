//! The `scores` view: each report's four key-question scores (% of cases 'Yes'), the corpus
//! average of each question, and the PDU and standard ratings, grouped for display by report
//! and subject. Computed here so that the command only renders.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Grid, GridRow, ReportRef};
use crate::index::IndexedReport;
use crate::structured::{Rating, Scores};

/// The key questions, in the order of the scoring table (and of a grid's columns).
pub const QUESTIONS: [&str; 4] = ["assessment", "planning", "implementation", "reviewing"];

/// Scores and ratings of the indexed reports. Serialises as `scores --json` prints it (with
/// its keys sorted: see [`crate::render::json::write_sorted`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoresView {
    /// The reports with a scoring table, in index order.
    pub reports: Vec<ReportScores>,
    /// The mean of each question over the reports that have it, to one decimal; `None` where
    /// no report has it.
    pub average: Scores,
    /// Every rating of every report, in index and document order.
    pub ratings: Vec<ReportRating>,
}

/// One report's scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportScores {
    /// The report.
    #[serde(flatten)]
    pub report: ReportRef,
    /// The four figures.
    #[serde(flatten)]
    pub scores: Scores,
}

/// One rating with its report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportRating {
    /// Report id.
    pub report: String,
    /// The rating.
    #[serde(flatten)]
    pub rating: Rating,
}

/// The ratings of one subject (a PDU) in one report.
#[derive(Debug, Clone, PartialEq)]
pub struct RatingGroup<'a> {
    /// Report id.
    pub report: &'a str,
    /// The PDU rated.
    pub subject: &'a str,
    /// Its ratings, in document order.
    pub ratings: Vec<&'a Rating>,
}

fn values(s: &Scores) -> [Option<f64>; 4] {
    [s.assessment, s.planning, s.implementation, s.reviewing]
}

impl ScoresView {
    /// The view of `reports` (as [`crate::index::ThemisIndex::reports`] lists them).
    pub fn build(reports: &[IndexedReport]) -> ScoresView {
        let scored: Vec<ReportScores> = reports
            .iter()
            .filter_map(|r| {
                r.structured.scores.as_ref().map(|s| ReportScores {
                    report: ReportRef::of(&r.meta),
                    scores: s.clone(),
                })
            })
            .collect();
        let mut average = [None; 4];
        for (q, slot) in average.iter_mut().enumerate() {
            let vals: Vec<f64> = scored.iter().filter_map(|r| values(&r.scores)[q]).collect();
            if !vals.is_empty() {
                *slot = Some((vals.iter().sum::<f64>() / vals.len() as f64 * 10.0).round() / 10.0);
            }
        }
        let ratings = reports
            .iter()
            .flat_map(|r| {
                r.structured.ratings.iter().map(|rating| ReportRating {
                    report: r.meta.id.clone(),
                    rating: rating.clone(),
                })
            })
            .collect();
        ScoresView {
            reports: scored,
            average: Scores {
                assessment: average[0],
                planning: average[1],
                implementation: average[2],
                reviewing: average[3],
            },
            ratings,
        }
    }

    /// No scores and no ratings.
    pub fn is_empty(&self) -> bool {
        self.reports.is_empty() && self.ratings.is_empty()
    }

    /// A row per report ("Greater Manchester 2026"), a column per question, and a "Corpus
    /// average" row when there are two reports or more.
    pub fn grid(&self) -> Grid {
        let mut rows: Vec<GridRow> = self
            .reports
            .iter()
            .map(|r| GridRow {
                label: r.report.label(),
                values: values(&r.scores).to_vec(),
            })
            .collect();
        if self.reports.len() > 1 {
            rows.push(GridRow {
                label: "Corpus average".into(),
                values: values(&self.average).to_vec(),
            });
        }
        Grid {
            corner: "% of cases 'Yes'".into(),
            columns: QUESTIONS.iter().map(|q| q.to_string()).collect(),
            rows,
        }
    }

    /// The ratings grouped by report, then subject (both in sorted order), each group in
    /// document order.
    pub fn ratings_by_subject(&self) -> Vec<RatingGroup<'_>> {
        let mut groups: BTreeMap<(&str, &str), Vec<&Rating>> = BTreeMap::new();
        for r in &self.ratings {
            groups
                .entry((r.report.as_str(), r.rating.subject.as_str()))
                .or_default()
                .push(&r.rating);
        }
        groups
            .into_iter()
            .map(|((report, subject), ratings)| RatingGroup {
                report,
                subject,
                ratings,
            })
            .collect()
    }
}

/// What a rating rates: "1.1 Leadership", a bare standard "1.1", or "Overall".
pub fn rating_label(r: &Rating) -> String {
    match (&r.standard, &r.name) {
        (Some(s), Some(n)) => format!("{s} {n}"),
        (Some(s), None) => s.clone(),
        _ => "Overall".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rating(subject: &str, standard: Option<&str>, name: Option<&str>) -> Rating {
        Rating {
            subject: subject.into(),
            standard: standard.map(String::from),
            name: name.map(String::from),
            rating: "Good".into(),
            score: None,
        }
    }

    fn view() -> ScoresView {
        let scores = |a, p, i, r| Scores {
            assessment: a,
            planning: p,
            implementation: i,
            reviewing: r,
        };
        let report = |id: &str, region: &str, s| ReportScores {
            report: ReportRef {
                id: id.into(),
                title: format!("Inspection of {region}"),
                region: Some(region.into()),
                year: Some(2026),
            },
            scores: s,
        };
        ScoresView {
            reports: vec![
                report(
                    "gm",
                    "Greater Manchester",
                    scores(Some(49.0), None, Some(47.0), None),
                ),
                report(
                    "sw",
                    "South West",
                    scores(Some(45.0), None, Some(30.0), None),
                ),
            ],
            average: scores(Some(47.0), None, Some(38.5), None),
            ratings: vec![
                ReportRating {
                    report: "gm".into(),
                    rating: rating("Tameside", None, None),
                },
                ReportRating {
                    report: "gm".into(),
                    rating: rating("Bolton", Some("1.1"), Some("Leadership")),
                },
                ReportRating {
                    report: "gm".into(),
                    rating: rating("Tameside", Some("1.2"), None),
                },
            ],
        }
    }

    #[test]
    fn test_grid_has_an_average_row() {
        let grid = view().grid();
        assert_eq!(grid.columns, QUESTIONS);
        let labels: Vec<&str> = grid.rows.iter().map(|r| r.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Greater Manchester 2026",
                "South West 2026",
                "Corpus average"
            ]
        );
        assert_eq!(grid.rows[2].values, [Some(47.0), None, Some(38.5), None]);
        let mut one = view();
        one.reports.truncate(1);
        assert_eq!(one.grid().rows.len(), 1);
    }

    #[test]
    fn test_ratings_grouped_by_report_and_subject() {
        let v = view();
        let groups = v.ratings_by_subject();
        let keys: Vec<(&str, &str, usize)> = groups
            .iter()
            .map(|g| (g.report, g.subject, g.ratings.len()))
            .collect();
        assert_eq!(keys, [("gm", "Bolton", 1), ("gm", "Tameside", 2)]);
        let labels: Vec<String> = groups[1].ratings.iter().map(|r| rating_label(r)).collect();
        assert_eq!(labels, ["Overall", "1.2"]);
        assert_eq!(rating_label(groups[0].ratings[0]), "1.1 Leadership");
    }

    #[test]
    fn test_json_keys() {
        let value = serde_json::to_value(view()).unwrap();
        let report = value["reports"][0].as_object().unwrap();
        let keys: Vec<&str> = report.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "assessment",
                "implementation",
                "planning",
                "region",
                "report",
                "reviewing",
                "title",
                "year"
            ]
        );
        assert_eq!(value["ratings"][0]["report"], "gm");
        assert_eq!(value["average"]["implementation"], 38.5);
    }
}
