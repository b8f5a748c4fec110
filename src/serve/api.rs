//! The JSON API under `/api/`: the same models the commands print with `--json`, computed by
//! the same library calls, serialised the same way (pretty, with a final newline), with the
//! commands' flags as query parameters (same names, `_` for `-`, the same defaults).

use serde::Serialize;

use super::params::Params;
use super::search::filters;
use super::state::{AppState, Failure};
use crate::findings::{findings as find, theme_excerpts, FindingsRequest};
use crate::findings::{DEFAULT_MAX_REPORTS, DEFAULT_MIN_REGION_SHARE};
use crate::render;
use crate::search::{facets as count_facets, search_in, SearchRequest};
use crate::stats::{CountTable, PolarityFilter};
use crate::themes::Polarity;
use crate::views::frequency::{GroupBy, Metric};
use crate::views::report::ReportView;
use crate::views::themes::{ThemeSentences, ThemesView};
use crate::views::trends::{TrendRules, TrendsReport, TrendsRequest};
use crate::views::ReportFilter;

fn json(value: &impl Serialize) -> Result<String, Failure> {
    let mut out = serde_json::to_string_pretty(value)
        .map_err(|e| Failure::Internal(format!("cannot write JSON: {e}")))?;
    out.push('\n');
    Ok(out)
}

const SEARCH_FILTERS: [&str; 8] = [
    "q", "region", "type", "year", "since", "report", "theme", "polarity",
];

/// The search request of `/api/search` and `/api/facets`.
fn search_request(state: &AppState, params: &Params) -> Result<SearchRequest, Failure> {
    let taxonomy = state.tagger().taxonomy();
    let (query, filters) = filters(params, taxonomy)?;
    let all = params.flag("all")?;
    let (limit, per_report) = if all {
        (usize::MAX, usize::MAX)
    } else {
        (
            params.number("limit", 1)?.unwrap_or(10),
            params.number("per_report", 1)?.unwrap_or(3),
        )
    };
    Ok(SearchRequest {
        query,
        filters,
        offset: params.number("offset", 0)?.unwrap_or(0),
        limit,
        per_report,
        context: params.number("context", 0)?.unwrap_or(0).min(20),
        theme_ids: Some(taxonomy.themes.iter().map(|t| t.id.clone()).collect()),
    })
}

/// `/api/search`: what `themis search --json` prints.
pub fn search(state: &AppState, params: &Params) -> Result<String, Failure> {
    let known: Vec<&str> = SEARCH_FILTERS
        .iter()
        .copied()
        .chain(["limit", "per_report", "offset", "all", "context"])
        .collect();
    params.only(&known)?;
    let request = search_request(state, params)?;
    let index = state.index()?;
    json(&search_in(&index, &request)?)
}

/// `/api/facets`: passages matching a search, by region, year, type, theme and polarity.
pub fn facets(state: &AppState, params: &Params) -> Result<String, Failure> {
    params.only(&SEARCH_FILTERS)?;
    let request = search_request(state, params)?;
    let index = state.index()?;
    let ids: Vec<String> = state
        .tagger()
        .taxonomy()
        .themes
        .iter()
        .map(|t| t.id.clone())
        .collect();
    json(&count_facets(&index, &request, &ids)?)
}

/// `/api/themes`: what `themis themes --json` prints.
pub fn themes(state: &AppState, params: &Params) -> Result<String, Failure> {
    params.only(&[])?;
    let index = state.index()?;
    let table = CountTable::load(&index, state.tagger())?;
    json(&ThemesView::build(&table, state.tagger().taxonomy()))
}

/// `/api/themes/ID`: what `themis themes show ID --json` prints (and `year`, which the
/// themes page narrows by).
pub fn theme(state: &AppState, id: &str, params: &Params) -> Result<String, Failure> {
    params.only(&["region", "year", "polarity", "max_reports"])?;
    let tagger = state.tagger();
    let theme = tagger
        .taxonomy()
        .check_theme(id)
        .map_err(|e| Failure::NotFound(e.to_string()))?;
    let region = params.region("region")?;
    let year = params.number("year", 0)?;
    let polarity = params.polarity_filter("polarity", PolarityFilter::All)?;
    let max_reports = params.number("max_reports", 0)?.unwrap_or(10);
    let index = state.index()?;
    let excerpts = theme_excerpts(
        &index,
        tagger,
        &theme.id,
        region.as_deref(),
        year,
        polarity,
        max_reports,
    )?;
    json(&ThemeSentences::new(theme, excerpts))
}

/// `/api/findings`: what `themis findings --json` prints.
pub fn findings(state: &AppState, params: &Params) -> Result<String, Failure> {
    params.only(&[
        "region",
        "min_reports",
        "polarity",
        "across_regions",
        "max_reports",
        "min_share",
    ])?;
    let request = FindingsRequest {
        region: params.region("region")?,
        min_reports: params.number("min_reports", 1)?.unwrap_or(2),
        polarity: params.polarity_filter("polarity", PolarityFilter::Only(Polarity::Concern))?,
        across_regions: params.flag("across_regions")?,
        max_reports: params
            .number("max_reports", 0)?
            .unwrap_or(DEFAULT_MAX_REPORTS),
        min_region_share: params
            .share("min_share")?
            .unwrap_or(DEFAULT_MIN_REGION_SHARE),
    };
    let index = state.index()?;
    json(&find(&index, state.tagger(), &request)?)
}

/// `/api/report`: what `themis report --json` prints.
pub fn report(state: &AppState, params: &Params) -> Result<String, Failure> {
    params.only(&["by", "metric", "polarity"])?;
    let by: GroupBy = params.parsed("by")?.unwrap_or(GroupBy::Region);
    let metric: Metric = params.parsed("metric")?.unwrap_or(Metric::Sentences);
    let polarity = params.polarity_filter("polarity", PolarityFilter::All)?;
    let index = state.index()?;
    let table = CountTable::load(&index, state.tagger())?;
    let frequency = table.frequency(state.tagger().taxonomy(), by, metric, polarity);
    let mut out = Vec::new();
    render::json::write(&frequency, &mut out)
        .map_err(|e| Failure::Internal(format!("cannot write JSON: {e}")))?;
    String::from_utf8(out).map_err(|e| Failure::Internal(e.to_string()))
}

/// `/api/trends`: what `themis trends --json` prints.
pub fn trends(state: &AppState, params: &Params) -> Result<String, Failure> {
    params.only(&[
        "region",
        "type",
        "since",
        "theme",
        "polarity",
        "by_region",
        "persistent_years",
        "window",
        "min_reports",
    ])?;
    let tagger = state.tagger();
    let defaults = TrendRules::default();
    let request = TrendsRequest {
        reports: ReportFilter {
            region: params.region("region")?,
            report_type: params.report_type("type")?,
            since: params.number("since", 0)?,
        },
        themes: params.themes("theme", tagger.taxonomy())?,
        polarity: params.polarity_filter("polarity", PolarityFilter::Only(Polarity::Concern))?,
        by_region: params.flag("by_region")?,
        rules: TrendRules {
            persistent_years: params
                .number("persistent_years", 1)?
                .unwrap_or(defaults.persistent_years),
            window: params.number("window", 2)?.unwrap_or(defaults.window),
            min_reports: params
                .number("min_reports", 0)?
                .unwrap_or(defaults.min_reports),
            ..defaults
        },
    };
    let index = state.index()?;
    let table = CountTable::load(&index, tagger)?;
    json(&TrendsReport::build(&table, tagger.taxonomy(), &request))
}

/// `/api/reports/ID`: one report's text with its tagged sentences, and its structured parts.
pub fn report_view(state: &AppState, id: &str, params: &Params) -> Result<String, Failure> {
    params.only(&[])?;
    let index = state.index()?;
    let view = ReportView::load(&index, state.corpus(), id)?
        .ok_or_else(|| Failure::NotFound(format!("no report `{id}` in the index")))?;
    json(&view)
}

/// `/api`: the endpoints and their parameters.
pub fn endpoints() -> String {
    let list = serde_json::json!({
        "endpoints": [
            {"path": "/api/search", "same_as": "themis search --json", "parameters": ["q", "region", "type", "year", "since", "report", "theme (repeatable)", "polarity", "limit", "per_report", "offset", "all", "context"]},
            {"path": "/api/facets", "returns": "matching passages by region, year, type, theme and polarity", "parameters": ["q", "region", "type", "year", "since", "report", "theme (repeatable)", "polarity"]},
            {"path": "/api/themes", "same_as": "themis themes --json", "parameters": []},
            {"path": "/api/themes/ID", "same_as": "themis themes show ID --json", "parameters": ["region", "year", "polarity", "max_reports"]},
            {"path": "/api/findings", "same_as": "themis findings --json", "parameters": ["region", "min_reports", "polarity", "across_regions", "max_reports", "min_share"]},
            {"path": "/api/report", "same_as": "themis report --json", "parameters": ["by", "metric", "polarity"]},
            {"path": "/api/trends", "same_as": "themis trends --json", "parameters": ["region", "type", "since", "theme (repeatable)", "polarity", "by_region", "persistent_years", "window", "min_reports"]},
            {"path": "/api/reports/ID", "returns": "one report: metadata, its text block by block with each sentence's themes and polarity, recommendations, scores, ratings, facts", "parameters": []}
        ],
        "errors": "a bad parameter is 400, an unknown report or theme 404, an unusable index or a request over the time limit 503; the body is {\"error\": MESSAGE}"
    });
    let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
    out.push('\n');
    out
}
