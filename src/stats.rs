//! Theme counts read from the index, not from the documents: one fast-field aggregation over
//! the sentence documents (report → theme → polarity) gives every count that `themes`,
//! `findings` and `report` need, joined with the report metadata stored on report documents.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::{json, Value};
use tantivy::aggregation::agg_req::Aggregations;
use tantivy::aggregation::{AggContextParams, AggregationCollector, AggregationLimitsGuard};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::Term;

use crate::error::{Error, Result};
use crate::index::{kind, IndexedReport, ThemisIndex};
use crate::report::{FrequencyReport, Group, GroupBy, Metric};
use crate::themes::{Polarity, Taxonomy};

/// Which sentences to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PolarityFilter {
    /// Every tagged sentence.
    #[default]
    All,
    /// Only sentences with this polarity.
    Only(Polarity),
}

impl PolarityFilter {
    /// Parses `all`, `concern`, `strength` or `neutral`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "all" => Ok(PolarityFilter::All),
            other => other.parse().map(PolarityFilter::Only).map_err(|_| {
                Error::InvalidArgument(format!(
                    "unknown polarity `{other}` (expected all, concern, strength or neutral)"
                ))
            }),
        }
    }

    /// The name used in output.
    pub fn name(self) -> String {
        match self {
            PolarityFilter::All => "all".into(),
            PolarityFilter::Only(p) => p.to_string(),
        }
    }
}

/// Tagged sentences of one theme in one report, by polarity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// Index into [`CountTable::reports`].
    pub report: usize,
    /// Theme id.
    pub theme: String,
    /// Concern sentences.
    pub concern: u64,
    /// Strength sentences.
    pub strength: u64,
    /// Neutral sentences.
    pub neutral: u64,
}

impl Cell {
    /// The count that passes `filter`.
    pub fn count(&self, filter: PolarityFilter) -> u64 {
        match filter {
            PolarityFilter::All => self.concern + self.strength + self.neutral,
            PolarityFilter::Only(Polarity::Concern) => self.concern,
            PolarityFilter::Only(Polarity::Strength) => self.strength,
            PolarityFilter::Only(Polarity::Neutral) => self.neutral,
        }
    }
}

/// Every (report, theme) count in the index.
#[derive(Debug, Clone, Default)]
pub struct CountTable {
    /// Reports, sorted by id.
    pub reports: Vec<IndexedReport>,
    /// Non-zero cells.
    pub cells: Vec<Cell>,
}

/// Per-theme totals for `themis themes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ThemeTotals {
    /// Tagged sentences.
    pub sentences: u64,
    /// Reports with at least one.
    pub reports: u64,
    /// Regions with at least one (unknown region not counted).
    pub regions: u64,
    /// Concern sentences.
    pub concern: u64,
    /// Strength sentences.
    pub strength: u64,
}

impl CountTable {
    /// Reads the counts with one aggregation over the sentence documents.
    pub fn load(index: &ThemisIndex) -> Result<CountTable> {
        let searcher = index.reader()?.searcher();
        let reports = index.reports(&searcher)?;
        let position: BTreeMap<&str, usize> = reports
            .iter()
            .enumerate()
            .map(|(i, r)| (r.meta.id.as_str(), i))
            .collect();
        let request = json!({
            "report": {
                "terms": { "field": "report", "size": reports.len().max(1) },
                "aggs": { "theme": {
                    "terms": { "field": "theme", "size": 10_000 },
                    "aggs": { "polarity": { "terms": { "field": "polarity", "size": 3 } } }
                } }
            }
        });
        let aggregations: Aggregations = serde_json::from_value(request)
            .map_err(|e| Error::Index(format!("bad aggregation request: {e}")))?;
        // Buckets grow with reports × themes: lift the 65,000-bucket default.
        let limits = AggregationLimitsGuard::new(Some(8 << 30), Some(u32::MAX));
        let context = AggContextParams::new(limits, index.index.tokenizers().clone());
        let collector = AggregationCollector::from_aggs(aggregations, context);
        let query = TermQuery::new(
            Term::from_field_text(index.fields.kind, kind::SENTENCE),
            IndexRecordOption::Basic,
        );
        let result = searcher.search(&query, &collector)?;
        let value = serde_json::to_value(&result)
            .map_err(|e| Error::Index(format!("unreadable aggregation result: {e}")))?;
        let mut cells = Vec::new();
        for report_bucket in buckets(&value["report"]) {
            let Some(&report) = report_bucket["key"].as_str().and_then(|k| position.get(k)) else {
                continue;
            };
            for theme_bucket in buckets(&report_bucket["theme"]) {
                let mut cell = Cell {
                    report,
                    theme: theme_bucket["key"].as_str().unwrap_or_default().to_string(),
                    ..Cell::default()
                };
                for polarity in buckets(&theme_bucket["polarity"]) {
                    let n = polarity["doc_count"].as_u64().unwrap_or(0);
                    match polarity["key"].as_str() {
                        Some("concern") => cell.concern += n,
                        Some("strength") => cell.strength += n,
                        _ => cell.neutral += n,
                    }
                }
                cells.push(cell);
            }
        }
        cells.sort_by(|a, b| (a.report, &a.theme).cmp(&(b.report, &b.theme)));
        Ok(CountTable { reports, cells })
    }

    /// Totals per theme id.
    pub fn theme_totals(&self, filter: PolarityFilter) -> BTreeMap<String, ThemeTotals> {
        let mut totals: BTreeMap<String, (ThemeTotals, BTreeSet<&str>)> = BTreeMap::new();
        for cell in &self.cells {
            let n = cell.count(filter);
            if n == 0 {
                continue;
            }
            let (t, regions) = totals.entry(cell.theme.clone()).or_default();
            t.sentences += n;
            t.reports += 1;
            t.concern += cell.concern;
            t.strength += cell.strength;
            if let Some(region) = &self.reports[cell.report].meta.region {
                regions.insert(region);
            }
        }
        totals
            .into_iter()
            .map(|(id, (mut t, regions))| {
                t.regions = regions.len() as u64;
                (id, t)
            })
            .collect()
    }

    /// The theme frequency matrix: themes × groups for one metric and polarity.
    pub fn frequency(
        &self,
        taxonomy: &Taxonomy,
        by: GroupBy,
        metric: Metric,
        filter: PolarityFilter,
    ) -> FrequencyReport {
        // Group key and label of each report.
        let key_of = |r: &IndexedReport| -> (String, String) {
            match by {
                GroupBy::Region => {
                    let region = r.meta.region.clone().unwrap_or_else(|| "unknown".into());
                    (region.clone(), region)
                }
                GroupBy::Report => (r.meta.id.clone(), r.meta.id.clone()),
                GroupBy::Year => {
                    let year = r.meta.year.map_or("unknown".into(), |y| y.to_string());
                    (year.clone(), year)
                }
                GroupBy::Type => (r.meta.report_type.clone(), r.meta.report_type.clone()),
            }
        };
        let mut group_index: BTreeMap<String, usize> = BTreeMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let report_group: Vec<usize> = self
            .reports
            .iter()
            .map(|r| {
                let (key, label) = key_of(r);
                let i = *group_index.entry(key.clone()).or_insert_with(|| {
                    groups.push(Group {
                        key,
                        label,
                        sentences: 0,
                        reports: 0,
                    });
                    groups.len() - 1
                });
                groups[i].sentences += r.sentences;
                groups[i].reports += 1;
                i
            })
            .collect();
        // Columns in a stable, readable order: by key (years ascending, names alphabetical),
        // with "unknown" last.
        let mut order: Vec<usize> = (0..groups.len()).collect();
        order.sort_by(|&a, &b| {
            let (ka, kb) = (&groups[a].key, &groups[b].key);
            (ka == "unknown", ka).cmp(&(kb == "unknown", kb))
        });
        let mut remap = vec![0; groups.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = new;
        }
        let groups: Vec<Group> = order.iter().map(|&i| groups[i].clone()).collect();

        let theme_row: BTreeMap<&str, usize> = taxonomy
            .themes
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.as_str(), i))
            .collect();
        let mut counts = vec![vec![0u64; groups.len()]; taxonomy.themes.len()];
        for cell in &self.cells {
            let (Some(&row), Some(&group)) = (
                theme_row.get(cell.theme.as_str()),
                report_group.get(cell.report),
            ) else {
                continue;
            };
            let n = cell.count(filter);
            counts[row][remap[group]] += match metric {
                Metric::Reports => u64::from(n > 0),
                Metric::Sentences | Metric::Per10k => n,
            };
        }
        let themes = taxonomy
            .themes
            .iter()
            .map(|t| (t.id.clone(), t.label.clone(), t.category.clone()))
            .collect();
        FrequencyReport::build(by, metric, filter.name(), groups, themes, counts)
    }
}

fn buckets(value: &Value) -> impl Iterator<Item = &Value> {
    value["buckets"].as_array().into_iter().flatten()
}
