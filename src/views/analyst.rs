//! The analyst's report (`themis report --format html`): every view an analyst asks "where is
//! the evidence behind this number" of, computed over one set of reports, with the sentences
//! behind each number. Concern and strength apart, as heatmaps of themes × columns
//! ([`FrequencyReport`]), themes year by year ([`TrendsReport`]), themes together in a sentence
//! ([`CooccurReport`]), recurring findings per region ([`FindingsReport`]), and the evidence of
//! every cell and pair ([`EvidenceSet`]), with the facts of the corpus and of the tagger that
//! made the numbers. [`crate::render::analyst`] draws it as one self-contained HTML page.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::findings::{findings_in, FindingsReport, FindingsRequest};
use crate::index::{ReportSummary, ThemisIndex};
use crate::stats::{CountTable, PolarityFilter};
use crate::themes::{Polarity, Tagger};
use crate::views::cooccur::{cooccur, CooccurReport, CooccurRequest, Within};
use crate::views::evidence::{EvidenceRequest, EvidenceSet, Grouping};
use crate::views::frequency::{FrequencyReport, GroupBy, Metric};
use crate::views::trends::{TrendsReport, TrendsRequest};
use crate::views::ReportFilter;

/// Sentences quoted per cell unless asked otherwise: enough to read what a number is made of,
/// few enough that a corpus of thousands of reports gives a page of a few megabytes.
pub const DEFAULT_EVIDENCE: usize = 5;
/// Themes charted year by year (the most raised first).
pub const TREND_THEMES: usize = 12;
/// Themes in the co-occurrence matrix (those in the most pairs' sentences first).
pub const MATRIX_THEMES: usize = 15;
/// Pairs listed under the matrix.
pub const TOP_PAIRS: usize = 10;
/// Recurring findings of a region shown with their quotes (the others are named, linked).
pub const QUOTED_FINDINGS: usize = 8;
/// Reports quoted per finding, newest first.
pub const QUOTED_REPORTS: usize = 3;

/// What to show.
#[derive(Debug, Clone)]
pub struct AnalystRequest {
    /// The heatmaps' columns.
    pub by: GroupBy,
    /// What the heatmaps' numbers count.
    pub metric: Metric,
    /// The polarities shown, each in its own heatmap (concern and strength, or one).
    pub polarities: Vec<Polarity>,
    /// Which reports are read.
    pub reports: ReportFilter,
    /// Most sentences quoted per cell.
    pub evidence: usize,
}

impl AnalystRequest {
    /// The polarities a `--polarity` value shows: concern and strength apart for `all`.
    pub fn polarities_for(filter: PolarityFilter) -> Vec<Polarity> {
        match filter {
            PolarityFilter::All => vec![Polarity::Concern, Polarity::Strength],
            PolarityFilter::Only(p) => vec![p],
        }
    }
}

/// What made the numbers, for the page's header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// Where the taxonomy comes from ("the built-in taxonomy", or its file).
    pub taxonomy: String,
    /// The taxonomy's fingerprint (SHA-256 of its text and the rule engine's version).
    pub taxonomy_fingerprint: String,
    /// The model's version, `None` when tagging with the rules alone.
    pub model: Option<String>,
    /// The themis version that wrote the page.
    pub themis: String,
    /// When the page was made, seconds since 1970 (UTC).
    pub generated: i64,
}

/// The corpus compared: counts for the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorpusFacts {
    /// Reports compared.
    pub reports: u64,
    /// Their sentences.
    pub sentences: u64,
    /// Reports per year, ascending.
    pub years: Vec<(i32, u64)>,
    /// Reports without a year.
    pub undated: u64,
    /// Reports per region, by name ("unknown" last).
    pub regions: Vec<(String, u64)>,
    /// Reports per type.
    pub types: Vec<(String, u64)>,
}

impl CorpusFacts {
    fn of(reports: &[ReportSummary]) -> CorpusFacts {
        let mut years: BTreeMap<i32, u64> = BTreeMap::new();
        let mut regions: BTreeMap<(bool, String), u64> = BTreeMap::new();
        let mut types: BTreeMap<String, u64> = BTreeMap::new();
        let mut undated = 0;
        for r in reports {
            match r.year {
                Some(y) => *years.entry(y).or_default() += 1,
                None => undated += 1,
            }
            let region = r.region.clone();
            *regions
                .entry((region.is_none(), region.unwrap_or_else(|| "unknown".into())))
                .or_default() += 1;
            *types.entry(r.report_type.to_string()).or_default() += 1;
        }
        CorpusFacts {
            reports: reports.len() as u64,
            sentences: reports.iter().map(|r| r.sentences).sum(),
            years: years.into_iter().collect(),
            undated,
            regions: regions.into_iter().map(|((_, r), n)| (r, n)).collect(),
            types: types.into_iter().collect(),
        }
    }
}

/// One heatmap: the matrix of one polarity.
#[derive(Debug, Clone)]
pub struct Heatmap {
    /// Its polarity.
    pub polarity: Polarity,
    /// The matrix (rows sorted by total, columns in the matrix's order).
    pub matrix: FrequencyReport,
}

/// Everything on the page.
#[derive(Debug, Clone)]
pub struct AnalystReport {
    /// What was asked.
    pub request: AnalystRequest,
    /// What made the numbers.
    pub provenance: Provenance,
    /// The corpus compared.
    pub corpus: CorpusFacts,
    /// The reports compared (quotes refer to them by position).
    pub reports: Vec<ReportSummary>,
    /// Theme ids and labels, taxonomy order (theme numbers index it).
    pub themes: Vec<(String, String)>,
    /// One heatmap per polarity shown.
    pub heatmaps: Vec<Heatmap>,
    /// Themes year by year, one per polarity shown.
    pub trends: Vec<(Polarity, TrendsReport)>,
    /// Themes together in one sentence (any polarity), every pair.
    pub cooccur: CooccurReport,
    /// Recurring findings per region, of the first polarity shown.
    pub findings: FindingsReport,
    /// The sentences of every cell: grouping 0 is the heatmaps' columns, grouping 1 the
    /// regions of the findings (in [`AnalystReport::region_columns`] order).
    pub evidence: EvidenceSet,
    /// Region names in the order of grouping 1's columns.
    pub region_columns: Vec<String>,
}

/// The evidence grouping of the heatmaps' columns.
pub const HEATMAP_GROUPING: usize = 0;
/// The evidence grouping of the findings' regions.
pub const REGION_GROUPING: usize = 1;

impl AnalystReport {
    /// Computes every part over the reports of `table` that `request.reports` admits.
    pub fn build(
        index: &ThemisIndex,
        tagger: &Tagger,
        table: &CountTable,
        request: AnalystRequest,
        provenance: Provenance,
    ) -> Result<AnalystReport> {
        let taxonomy = tagger.taxonomy();
        let table = table.filtered(&request.reports);
        let heatmaps: Vec<Heatmap> = request
            .polarities
            .iter()
            .map(|&polarity| Heatmap {
                polarity,
                matrix: table.frequency(
                    taxonomy,
                    request.by,
                    request.metric,
                    PolarityFilter::Only(polarity),
                ),
            })
            .collect();
        let trends = request
            .polarities
            .iter()
            .map(|&polarity| {
                let trends = TrendsReport::build(
                    &table,
                    taxonomy,
                    &TrendsRequest {
                        polarity: PolarityFilter::Only(polarity),
                        ..TrendsRequest::default()
                    },
                );
                (polarity, trends)
            })
            .collect();
        let cooccur = cooccur(
            index,
            &table,
            taxonomy,
            &CooccurRequest {
                within: Within::Sentence,
                min_count: 1,
                limit: 0,
                examples: 0,
                ..CooccurRequest::default()
            },
        )?;
        let findings_polarity = request
            .polarities
            .first()
            .copied()
            .unwrap_or(Polarity::Concern);
        let findings = findings_in(
            index,
            tagger,
            &table,
            &FindingsRequest {
                polarity: PolarityFilter::Only(findings_polarity),
                max_reports: QUOTED_REPORTS,
                ..FindingsRequest::default()
            },
        )?;

        // The heatmaps' columns, as the matrix ordered them; and the regions, by name.
        let columns = heatmaps
            .first()
            .map(|h| column_of(&table, request.by, &h.matrix))
            .unwrap_or_default();
        let mut region_columns: Vec<String> =
            findings.regions.iter().map(|r| r.region.clone()).collect();
        region_columns.sort();
        let region_of = table
            .reports
            .iter()
            .map(|r| {
                let name = CountTable::group_key(GroupBy::Region, r);
                region_columns.binary_search(&name).ok()
            })
            .collect();
        let evidence = EvidenceSet::collect(
            index,
            &table,
            taxonomy,
            &EvidenceRequest {
                groupings: vec![
                    Grouping { column_of: columns },
                    Grouping {
                        column_of: region_of,
                    },
                ],
                polarities: request.polarities.clone(),
                pairs: true,
                limit: request.evidence,
            },
        )?;
        Ok(AnalystReport {
            corpus: CorpusFacts::of(&table.reports),
            themes: taxonomy
                .themes
                .iter()
                .map(|t| (t.id.clone(), t.label.clone()))
                .collect(),
            reports: table.reports,
            request,
            provenance,
            heatmaps,
            trends,
            cooccur,
            findings,
            evidence,
            region_columns,
        })
    }

    /// Whether no report was compared (the filter left none).
    pub fn is_empty(&self) -> bool {
        self.reports.is_empty()
    }

    /// The theme number of an id.
    pub fn theme_number(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|(t, _)| t == id)
    }
}

/// Each report's column in `matrix` (whose groups were made by `by` from the same table).
fn column_of(table: &CountTable, by: GroupBy, matrix: &FrequencyReport) -> Vec<Option<usize>> {
    let position: BTreeMap<&str, usize> = matrix
        .groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.key.as_str(), i))
        .collect();
    table
        .reports
        .iter()
        .map(|r| position.get(CountTable::group_key(by, r).as_str()).copied())
        .collect()
}

/// `YYYY-MM-DD HH:MM UTC` of seconds since 1970.
pub fn utc_timestamp(secs: i64) -> String {
    let (year, month, day) = crate::calendar::civil_from_days(secs.div_euclid(86_400));
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        of_day / 3600,
        of_day % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_utc_timestamp() {
        assert_eq!(utc_timestamp(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(utc_timestamp(1_767_225_599), "2025-12-31 23:59 UTC");
        assert_eq!(utc_timestamp(-60), "1969-12-31 23:59 UTC");
    }

    #[test]
    fn test_polarities_for() {
        assert_eq!(
            AnalystRequest::polarities_for(PolarityFilter::All),
            [Polarity::Concern, Polarity::Strength]
        );
        assert_eq!(
            AnalystRequest::polarities_for(PolarityFilter::Only(Polarity::Neutral)),
            [Polarity::Neutral]
        );
    }
}
