//! Facet counts of a search: how many matching passages each region, year, report type, theme
//! and polarity holds, within the query and filters as they are, so that a reader can see where
//! the matches are before narrowing to one value (the web interface shows them beside the
//! results).
//!
//! Region, year and type are read once per matching report (from its report document's fast
//! fields, after the same collection that ranks reports); themes and polarities are one
//! counting query each, since a passage carries several.

use std::collections::BTreeMap;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::DocAddress;

use super::{collect, fast_text, filtered, query, Filters, SearchRequest};
use crate::error::Result;
use crate::index::{fast, ThemisIndex};
use crate::themes::Polarity;

/// One value of a facet and the matching passages that have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetCount {
    /// The value as a filter takes it (canonical region, year, type, theme id, polarity).
    pub value: String,
    /// Matching passages with that value.
    pub passages: u64,
}

/// Facet counts of one search; values with no matching passage are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// By region, most passages first ("unknown" for reports of no known region).
    pub regions: Vec<FacetCount>,
    /// By year, newest first.
    pub years: Vec<FacetCount>,
    /// By report type, most passages first.
    pub types: Vec<FacetCount>,
    /// By theme (of any of the passage's sentences), most passages first.
    pub themes: Vec<FacetCount>,
    /// By polarity of the passage's tagged sentences (of the filtered themes, when any).
    pub polarities: Vec<FacetCount>,
}

/// Counts the passages matching `request` (its query and filters; limits are ignored) by
/// region, year, type, each of `theme_ids` and polarity.
pub fn facets(
    index: &ThemisIndex,
    request: &SearchRequest,
    theme_ids: &[String],
) -> Result<Facets> {
    let fields = index.fields;
    let searcher = index.reader()?.searcher();
    let user_query = query::parse_query(
        index,
        &searcher,
        &request.query,
        request.theme_ids.as_deref(),
    )?;
    let query = filtered(user_query.box_clone(), &fields, &request.filters);
    let buckets = searcher.search(&query, &collect::ReportCollector::new(fields.kind, 1))?;
    let mut regions: BTreeMap<String, u64> = BTreeMap::new();
    let mut years: BTreeMap<i64, u64> = BTreeMap::new();
    let mut types: BTreeMap<String, u64> = BTreeMap::new();
    for bucket in &buckets {
        let report: DocAddress = bucket.report;
        let region = fast_text(&searcher, report, fast::SUMMARY_REGION);
        *regions
            .entry(region.unwrap_or_else(|| "unknown".into()))
            .or_default() += bucket.hits;
        if let Some(t) = fast_text(&searcher, report, fast::SUMMARY_TYPE) {
            *types.entry(t).or_default() += bucket.hits;
        }
        let year = searcher
            .segment_reader(report.segment_ord)
            .fast_fields()
            .u64(fast::YEAR)
            .ok()
            .and_then(|column| column.first(report.doc_id));
        if let Some(year) = year.and_then(|y| i64::try_from(y).ok()) {
            *years.entry(year).or_default() += bucket.hits;
        }
    }
    let count_with = |filters: &Filters| -> Result<u64> {
        let narrowed = filtered(user_query.box_clone(), &fields, filters);
        Ok(searcher.search(&narrowed, &Count)? as u64)
    };
    let mut themes = Vec::new();
    for theme in theme_ids {
        if request.filters.themes.contains(theme) {
            continue;
        }
        let mut filters = request.filters.clone();
        filters.themes.push(theme.clone());
        let passages = count_with(&filters)?;
        if passages > 0 {
            themes.push(FacetCount {
                value: theme.clone(),
                passages,
            });
        }
    }
    let mut polarities = Vec::new();
    for polarity in [Polarity::Concern, Polarity::Strength, Polarity::Neutral] {
        let mut filters = request.filters.clone();
        filters.polarity = Some(polarity);
        let passages = count_with(&filters)?;
        if passages > 0 {
            polarities.push(FacetCount {
                value: polarity.to_string(),
                passages,
            });
        }
    }
    let most_first = |counts: BTreeMap<String, u64>| -> Vec<FacetCount> {
        let mut out: Vec<FacetCount> = counts
            .into_iter()
            .map(|(value, passages)| FacetCount { value, passages })
            .collect();
        out.sort_by(|a, b| b.passages.cmp(&a.passages).then(a.value.cmp(&b.value)));
        out
    };
    themes.sort_by(|a, b| b.passages.cmp(&a.passages).then(a.value.cmp(&b.value)));
    Ok(Facets {
        regions: most_first(regions),
        years: years
            .into_iter()
            .rev()
            .map(|(year, passages)| FacetCount {
                value: year.to_string(),
                passages,
            })
            .collect(),
        types: most_first(types),
        themes,
        polarities,
    })
}
