//! The `recommendations` view: the recommendations of the indexed reports with their report
//! and themes, filtered by region, addressee and theme; and, with `--recurring`, grouped into
//! those that ask for the same thing in different reports ([`recurring_groups`]). Computed
//! here so that the command only renders.

use std::collections::BTreeSet;

use serde::Serialize;

use super::ReportRef;
use crate::index::IndexedReport;
use crate::render::{Column, Table};
use crate::structured::{recurring_groups, Addressee, Recommendation};

/// Which recommendations to list; `None` admits all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecommendationFilter {
    /// Only reports of this region (canonical name).
    pub region: Option<String>,
    /// Only recommendations to this addressee.
    pub addressee: Option<Addressee>,
    /// Only recommendations tagged with this theme id.
    pub theme: Option<String>,
}

/// One recommendation with its report and themes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendationItem {
    /// The report.
    #[serde(flatten)]
    pub report: ReportRef,
    /// The recommendation as extracted (addressee, number, text, heading, offsets).
    #[serde(flatten)]
    pub recommendation: Recommendation,
    /// Its theme ids.
    pub themes: Vec<String>,
}

impl RecommendationItem {
    /// "pdu: Manchester North", or the addressee kind alone when it has no name.
    pub fn addressee_label(&self) -> String {
        let kind = self.recommendation.addressee.as_str();
        match &self.recommendation.addressee_name {
            Some(name) => format!("{kind}: {name}"),
            None => kind.to_string(),
        }
    }

    fn number(&self) -> String {
        self.recommendation
            .number
            .map_or(String::new(), |n| n.to_string())
    }

    /// The CSV fields after any group number.
    fn csv_fields(&self) -> [String; 8] {
        let r = &self.recommendation;
        [
            self.report.id.clone(),
            self.report.year_text(),
            self.report.region.clone().unwrap_or_default(),
            r.addressee.as_str().to_string(),
            r.addressee_name.clone().unwrap_or_default(),
            self.number(),
            r.text.clone(),
            self.themes.join(";"),
        ]
    }
}

/// The CSV columns after any group number.
const CSV_COLUMNS: [&str; 8] = [
    "report",
    "year",
    "region",
    "addressee",
    "addressee_name",
    "number",
    "text",
    "themes",
];

/// The recommendations that pass a filter, in index and document order. Serialises as
/// `recommendations --json` prints it (with its keys sorted: see
/// [`crate::render::json::write_sorted`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecommendationsView {
    /// The recommendations.
    pub recommendations: Vec<RecommendationItem>,
}

/// Recommendations that recur across reports. Serialises as `recommendations --recurring
/// --json` prints it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecurringView {
    /// Largest first (see [`recurring_groups`]).
    pub groups: Vec<RecurringGroup>,
}

/// Recommendations alike enough to ask for the same thing, from two reports or more.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecurringGroup {
    /// How many distinct reports they come from.
    pub reports: usize,
    /// The members, in index and document order.
    pub recommendations: Vec<RecommendationItem>,
}

impl RecommendationsView {
    /// The recommendations of `reports` that pass `filter`.
    pub fn build(reports: &[IndexedReport], filter: &RecommendationFilter) -> RecommendationsView {
        let mut recommendations = Vec::new();
        for report in reports {
            if filter.region.is_some() && report.meta.region != filter.region {
                continue;
            }
            for (i, rec) in report.structured.recommendations.iter().enumerate() {
                let themes = report
                    .recommendation_themes
                    .get(i)
                    .cloned()
                    .unwrap_or_default();
                let addressee_ok = filter
                    .addressee
                    .as_ref()
                    .is_none_or(|a| rec.addressee == *a);
                let theme_ok = filter.theme.as_ref().is_none_or(|t| themes.contains(t));
                if addressee_ok && theme_ok {
                    recommendations.push(RecommendationItem {
                        report: ReportRef::of(&report.meta),
                        recommendation: rec.clone(),
                        themes,
                    });
                }
            }
        }
        RecommendationsView { recommendations }
    }

    /// Groups the recommendations that recur across reports, comparing them at `threshold`
    /// (see [`recurring_groups`]).
    pub fn recurring(&self, threshold: f64) -> RecurringView {
        let by_report: Vec<(String, &Recommendation)> = self
            .recommendations
            .iter()
            .map(|item| (item.report.id.clone(), &item.recommendation))
            .collect();
        let groups = recurring_groups(&by_report, threshold)
            .into_iter()
            .map(|group| {
                let recommendations: Vec<RecommendationItem> = group
                    .iter()
                    .filter_map(|(_, rec)| {
                        // Groups hold references into the items: find each member's item again.
                        self.recommendations
                            .iter()
                            .find(|item| std::ptr::eq(&item.recommendation, *rec))
                            .cloned()
                    })
                    .collect();
                let reports: BTreeSet<&str> = recommendations
                    .iter()
                    .map(|m| m.report.id.as_str())
                    .collect();
                RecurringGroup {
                    reports: reports.len(),
                    recommendations,
                }
            })
            .collect();
        RecurringView { groups }
    }

    /// `report | year | addressee | no. | recommendation | themes`, for Markdown.
    pub fn markdown_table(&self) -> Table {
        let mut table = Table::new(
            [
                "report",
                "year",
                "addressee",
                "no.",
                "recommendation",
                "themes",
            ]
            .into_iter()
            .map(Column::left)
            .collect(),
        );
        for item in &self.recommendations {
            table.push_row([
                item.report.id.clone(),
                item.report.year_text(),
                item.addressee_label(),
                item.number(),
                item.recommendation.text.clone(),
                item.themes.join(", "),
            ]);
        }
        table
    }

    /// `report,year,region,addressee,addressee_name,number,text,themes` (themes joined by `;`).
    pub fn csv_table(&self) -> Table {
        let mut table = Table::new(CSV_COLUMNS.into_iter().map(Column::left).collect());
        for item in &self.recommendations {
            table.push_row(item.csv_fields());
        }
        table
    }
}

impl RecurringView {
    /// The CSV of every group's members, each record led by its group's number (from 1).
    pub fn csv_table(&self) -> Table {
        let mut table = Table::new(
            std::iter::once("group")
                .chain(CSV_COLUMNS)
                .map(Column::left)
                .collect(),
        );
        for (n, group) in self.groups.iter().enumerate() {
            for item in &group.recommendations {
                table.push_row(std::iter::once((n + 1).to_string()).chain(item.csv_fields()));
            }
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(addressee: Addressee, number: Option<u32>, text: &str) -> Recommendation {
        Recommendation {
            addressee,
            addressee_name: None,
            number,
            text: text.into(),
            start: 0,
            end: text.len(),
            heading: "Recommendations".into(),
        }
    }

    fn report(id: &str, region: &str, recs: Vec<Recommendation>) -> IndexedReport {
        let mut r: IndexedReport = serde_json::from_value(serde_json::json!({
            "meta": {
                "id": id, "file": format!("{id}.txt"), "title": id, "region": region,
                "year": 2026, "type": "dynamic-inspection", "inferred": false,
            },
            "hash": "", "sentences": 0, "passages": 0, "offset_base": 0,
        }))
        .unwrap();
        r.recommendation_themes = recs.iter().map(|_| vec!["vetting".to_string()]).collect();
        r.structured.recommendations = recs;
        r
    }

    fn reports() -> Vec<IndexedReport> {
        let vetting = "Reduce vetting delays and address workforce instability by streamlining recruitment processes.";
        vec![
            report(
                "gm",
                "Greater Manchester",
                vec![
                    rec(Addressee::Hmpps, None, vetting),
                    rec(Addressee::Pdu, Some(2), "Hold \"team\" meetings, monthly."),
                ],
            ),
            report(
                "sw",
                "South West",
                vec![rec(Addressee::Hmpps, Some(3), vetting)],
            ),
        ]
    }

    #[test]
    fn test_filters() {
        let all = RecommendationsView::build(&reports(), &RecommendationFilter::default());
        assert_eq!(all.recommendations.len(), 3);
        let hmpps = RecommendationsView::build(
            &reports(),
            &RecommendationFilter {
                addressee: Some(Addressee::Hmpps),
                ..Default::default()
            },
        );
        assert_eq!(hmpps.recommendations.len(), 2);
        let sw = RecommendationsView::build(
            &reports(),
            &RecommendationFilter {
                region: Some("South West".into()),
                theme: Some("vetting".into()),
                ..Default::default()
            },
        );
        assert_eq!(sw.recommendations.len(), 1);
        assert_eq!(sw.recommendations[0].report.id, "sw");
        let none = RecommendationsView::build(
            &reports(),
            &RecommendationFilter {
                theme: Some("caseloads".into()),
                ..Default::default()
            },
        );
        assert!(none.recommendations.is_empty());
    }

    #[test]
    fn test_recurring_groups_and_csv() {
        let view = RecommendationsView::build(&reports(), &RecommendationFilter::default());
        let recurring = view.recurring(crate::structured::DEFAULT_RECURRING_THRESHOLD);
        assert_eq!(recurring.groups.len(), 1);
        assert_eq!(recurring.groups[0].reports, 2);
        let mut out = Vec::new();
        crate::render::csv::write(&recurring.csv_table(), &mut out).unwrap();
        let csv = String::from_utf8(out).unwrap();
        assert!(csv.starts_with(
            "group,report,year,region,addressee,addressee_name,number,text,themes\r\n1,gm,2026,"
        ));
        assert_eq!(csv.lines().count(), 3);
        let mut out = Vec::new();
        crate::render::csv::write(&view.csv_table(), &mut out).unwrap();
        let csv = String::from_utf8(out).unwrap();
        assert!(csv.contains(
            "gm,2026,Greater Manchester,pdu,,2,\"Hold \"\"team\"\" meetings, monthly.\",vetting\r\n"
        ));
    }

    #[test]
    fn test_json_is_flat() {
        let view = RecommendationsView::build(&reports(), &RecommendationFilter::default());
        let value = serde_json::to_value(&view).unwrap();
        let first = value["recommendations"][0].as_object().unwrap();
        let keys: Vec<&str> = first.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "addressee",
                "addressee_name",
                "end",
                "heading",
                "number",
                "region",
                "report",
                "start",
                "text",
                "themes",
                "title",
                "year"
            ]
        );
        assert_eq!(first["addressee"], "hmpps");
    }
}
