//! The `facts` view: each report's key contextual facts, and the same facts side by side (a
//! row per fact, a column per report). Computed here so that the command only renders.

use serde::Serialize;

use super::{Grid, GridRow, ReportRef};
use crate::index::IndexedReport;
use crate::structured::KeyFact;

/// The key facts of the indexed reports that have any. Serialises as `facts --json` prints it
/// (with its keys sorted: see [`crate::render::json::write_sorted`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactsView {
    /// The reports with key facts, in index order.
    pub reports: Vec<ReportFacts>,
}

/// One report's key facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportFacts {
    /// The report.
    #[serde(flatten)]
    pub report: ReportRef,
    /// Its facts, in table order.
    pub facts: Vec<KeyFact>,
}

impl FactsView {
    /// The view of `reports` (as [`crate::index::ThemisIndex::reports`] lists them).
    pub fn build(reports: &[IndexedReport]) -> FactsView {
        FactsView {
            reports: reports
                .iter()
                .filter(|r| !r.structured.facts.is_empty())
                .map(|r| ReportFacts {
                    report: ReportRef::of(&r.meta),
                    facts: r.structured.facts.clone(),
                })
                .collect(),
        }
    }

    /// A row per fact (by name, in order of first appearance; labelled as first written, with
    /// " (%)" for percentages), a column per report ("Greater Manchester 2026"); a report
    /// without the fact has no value there.
    pub fn grid(&self) -> Grid {
        let mut names: Vec<&KeyFact> = Vec::new();
        for fact in self.reports.iter().flat_map(|r| &r.facts) {
            if !names.iter().any(|f| f.name == fact.name) {
                names.push(fact);
            }
        }
        Grid {
            corner: "Key fact".into(),
            columns: self.reports.iter().map(|r| r.report.label()).collect(),
            rows: names
                .iter()
                .map(|first| {
                    let unit = if first.unit == "percent" { " (%)" } else { "" };
                    GridRow {
                        label: format!("{}{unit}", first.label),
                        values: self
                            .reports
                            .iter()
                            .map(|r| {
                                r.facts
                                    .iter()
                                    .find(|f| f.name == first.name)
                                    .map(|f| f.value)
                            })
                            .collect(),
                    }
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fact(name: &str, label: &str, value: f64, unit: &str) -> KeyFact {
        KeyFact {
            name: name.into(),
            label: label.into(),
            value,
            unit: unit.into(),
            line: 1,
        }
    }

    #[test]
    fn test_grid_rows_by_first_appearance() {
        let report = |id: &str, region: Option<&str>, facts| ReportFacts {
            report: ReportRef {
                id: id.into(),
                title: id.into(),
                region: region.map(String::from),
                year: Some(2025),
            },
            facts,
        };
        let view = FactsView {
            reports: vec![
                report(
                    "a",
                    Some("Wales"),
                    vec![fact("people", "People supervised", 10.0, "people")],
                ),
                report(
                    "b",
                    None,
                    vec![
                        fact("recall", "Recall rate", 24.88, "percent"),
                        fact("people", "People supervised", 12.0, "people"),
                    ],
                ),
            ],
        };
        let grid = view.grid();
        assert_eq!(grid.columns, ["Wales 2025", "b 2025"]);
        let rows: Vec<(&str, &[Option<f64>])> = grid
            .rows
            .iter()
            .map(|r| (r.label.as_str(), r.values.as_slice()))
            .collect();
        assert_eq!(
            rows,
            [
                ("People supervised", &[Some(10.0), Some(12.0)][..]),
                ("Recall rate (%)", &[None, Some(24.88)][..]),
            ]
        );
    }
}
