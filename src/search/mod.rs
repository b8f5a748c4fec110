//! Search: parsing a query with tantivy's syntax over the shared analyser, applying filters
//! (region, type, year, report, themes), ranking passages, and turning them into excerpts with
//! highlights (byte offsets into the source file), grouped by report, best report first.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Score, Searcher, TantivyDocument, Term};

use crate::corpus::{self, CorpusFile, ReportType};
use crate::error::{Error, Result};
use crate::index::{kind, theme_polarity, Fields, ReportHeader, ThemisIndex, SUMMARY_ID};
use crate::pipeline;
use crate::segment::{self, UnitKind};
use crate::themes::Polarity;

pub use facets::{facets, FacetCount, Facets};

mod collect;
mod facets;
mod query;
mod report_title;

/// Restrictions applied on top of the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Canonical region name.
    pub region: Option<String>,
    /// Report type.
    pub report_type: Option<ReportType>,
    /// Exactly this year.
    pub year: Option<i32>,
    /// This year or later.
    pub since: Option<i32>,
    /// One report id.
    pub report: Option<String>,
    /// Every one of these themes must be present in the passage.
    pub themes: Vec<String>,
    /// The passage has a tagged sentence of this polarity (with `themes`: a sentence of each
    /// of those themes has it).
    pub polarity: Option<Polarity>,
}

/// A search to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// tantivy query syntax; empty means "every passage that passes the filters".
    pub query: String,
    /// Filters.
    pub filters: Filters,
    /// Matching reports to skip, best first, before those returned (paging through them).
    pub offset: usize,
    /// Most reports to return (`usize::MAX`: every matching report).
    pub limit: usize,
    /// Most excerpts per report (`usize::MAX`: every matching passage).
    pub per_report: usize,
    /// Sentences of context before and after each excerpt.
    pub context: usize,
    /// The theme ids `theme:` may name (the index's taxonomy); `None`: not checked.
    pub theme_ids: Option<Vec<String>>,
}

impl SearchRequest {
    /// A request with default limits (10 reports, 3 excerpts each, no context).
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            filters: Filters::default(),
            offset: 0,
            limit: 10,
            per_report: 3,
            context: 0,
            theme_ids: None,
        }
    }
}

/// Search results, grouped by report.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Passages matching the query and filters (all of them, not only those shown).
    pub total_hits: u64,
    /// Reports with at least one matching passage (all of them, not only those shown).
    pub total_reports: u64,
    /// Reports, best first.
    pub reports: Vec<ReportHits>,
}

/// One report's excerpts.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ReportHits {
    /// Report id.
    pub report: String,
    /// Title.
    pub title: String,
    /// Canonical region, when known.
    pub region: Option<String>,
    /// Year, when known.
    pub year: Option<i32>,
    /// Report type.
    #[serde(rename = "type")]
    pub report_type: ReportType,
    /// File, relative to the corpus folder.
    pub file: String,
    /// How many of the report's passages match (all of them, not only the excerpts shown).
    pub hits: u64,
    /// What `start`/`end`/`highlights` index: `"source"` (the file's bytes) or `"extracted"`
    /// (the text extracted from a PDF or HTML file, as `themis show` prints it).
    pub offsets: String,
    /// Excerpts, best first.
    pub excerpts: Vec<Excerpt>,
}

/// One ranked passage.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Excerpt {
    /// Section title, when the passage is inside one.
    pub section: Option<String>,
    /// Byte offset of the passage in the source file.
    pub start: usize,
    /// Byte offset of the passage's end in the source file.
    pub end: usize,
    /// The passage text, exactly `file[start..end]`.
    pub text: String,
    /// Matched words, as byte ranges into the source file.
    pub highlights: Vec<[usize; 2]>,
    /// Relevance score.
    pub score: f32,
    /// Theme ids of the passage's sentences.
    pub themes: Vec<String>,
    /// Page of the passage (PDF reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Sentences before the passage (with `--context`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<String>,
    /// Sentences after the passage (with `--context`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<String>,
}

/// Opens the index at `dir` and runs `request`.
pub fn search(dir: &Path, request: &SearchRequest) -> Result<SearchResults> {
    search_in(&ThemisIndex::open(dir)?, request)
}

/// Runs `request` on an opened index.
///
/// Every matching passage counts towards its report, so every report with a match can be
/// shown: reports are ranked by their best passage (ties by report id), and each shows its
/// best `per_report` passages (ties in passage order).
pub fn search_in(index: &ThemisIndex, request: &SearchRequest) -> Result<SearchResults> {
    let fields = index.fields;
    let searcher = index.reader()?.searcher();
    let user_query = query::parse_query(
        index,
        &searcher,
        &request.query,
        request.theme_ids.as_deref(),
    )?;
    if let Some(report) = &request.filters.report {
        if !query::has_docs(&searcher, &Term::from_field_text(fields.report, report)) {
            return Err(Error::InvalidArgument(query::unknown_report_message(
                report,
            )));
        }
    }
    let query = filtered(user_query.box_clone(), &fields, &request.filters);

    let mut buckets = searcher.search(
        &query,
        &collect::ReportCollector::new(fields.kind, request.per_report),
    )?;
    let shown = request.offset.saturating_add(request.limit);
    collect::rank_reports(&mut buckets, shown, |bucket| {
        report_id(&searcher, bucket.report).unwrap_or_default()
    });
    let total_hits = buckets.iter().map(|b| b.hits).sum();
    let total_reports = buckets.len() as u64;

    let mut snippets = SnippetGenerator::create(&searcher, &*user_query, fields.text)?;
    // Passages are short: highlight across the whole passage, not a 150-char window.
    snippets.set_max_num_chars(1 << 20);
    let mut sources = SourceCache::new(index);
    let mut reports: Vec<ReportHits> = Vec::new();
    // Stored documents are the expensive part of a query: read them only for what is shown.
    for bucket in buckets.into_iter().skip(request.offset) {
        if reports.len() >= request.limit {
            break;
        }
        let report_doc: TantivyDocument = searcher.doc(bucket.report)?;
        let Some(header) = text(&report_doc, fields.header)
            .and_then(|json| serde_json::from_str::<ReportHeader>(&json).ok())
        else {
            continue;
        };
        let mut hits = report_header(header, bucket.hits);
        for &(score, address) in bucket.best.iter().take(request.per_report) {
            let doc: TantivyDocument = searcher.doc(address)?;
            hits.excerpts.push(excerpt(
                &doc,
                &fields,
                score,
                &snippets,
                &mut sources,
                &hits.file,
                request.context,
            ));
        }
        reports.push(hits);
    }
    Ok(SearchResults {
        query: request.query.clone(),
        total_hits,
        total_reports,
        reports,
    })
}

/// One shown passage: its text, highlights (file offsets), themes, page and context.
fn excerpt(
    doc: &TantivyDocument,
    fields: &Fields,
    score: Score,
    snippets: &SnippetGenerator,
    sources: &mut SourceCache,
    file: &str,
    context: usize,
) -> Excerpt {
    let passage = text(doc, fields.text).unwrap_or_default();
    let start = number(doc, fields.start);
    let snippet = snippets.snippet(&passage);
    let fragment = snippet.fragment_range();
    let highlights = snippet
        .highlighted()
        .iter()
        .map(|r| {
            [
                start + fragment.start + r.start,
                start + fragment.start + r.end,
            ]
        })
        .collect();
    let (before, after) = if context > 0 {
        sources.context(file, start, passage.len(), context)
    } else {
        (Vec::new(), Vec::new())
    };
    Excerpt {
        section: text(doc, fields.section),
        start,
        end: number(doc, fields.end),
        themes: stored_themes(doc, fields),
        page: doc
            .get_first(fields.page)
            .and_then(|v| v.as_u64())
            .and_then(|p| u32::try_from(p).ok()),
        text: passage,
        highlights,
        score,
        before,
        after,
    }
}

/// Wraps the user's query with the kind and filter clauses (filters do not change scores).
fn filtered(query: Box<dyn Query>, fields: &Fields, filters: &Filters) -> BooleanQuery {
    let term = |field: Field, value: &str| -> Box<dyn Query> {
        Box::new(ConstScoreQuery::new(
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            )),
            0.0,
        ))
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, query),
        (Occur::Must, term(fields.kind, kind::PASSAGE)),
    ];
    if let Some(region) = &filters.region {
        clauses.push((Occur::Must, term(fields.region, region)));
    }
    if let Some(report_type) = &filters.report_type {
        clauses.push((Occur::Must, term(fields.report_type, report_type.as_str())));
    }
    if let Some(report) = &filters.report {
        clauses.push((Occur::Must, term(fields.report, report)));
    }
    for theme in &filters.themes {
        clauses.push((Occur::Must, term(fields.theme, theme)));
        if let Some(polarity) = filters.polarity {
            let value = theme_polarity(theme, polarity);
            clauses.push((Occur::Must, term(fields.polarity, &value)));
        }
    }
    if let (Some(polarity), true) = (filters.polarity, filters.themes.is_empty()) {
        clauses.push((Occur::Must, term(fields.polarity, polarity.as_str())));
    }
    let year_term = |y: i32| Term::from_field_u64(fields.year, u64::try_from(y).unwrap_or(0));
    let year_range = match (filters.year, filters.since) {
        (Some(y), _) => Some((Bound::Included(year_term(y)), Bound::Included(year_term(y)))),
        (None, Some(y)) => Some((Bound::Included(year_term(y)), Bound::Unbounded)),
        (None, None) => None,
    };
    if let Some((low, high)) = year_range {
        let range = RangeQuery::new(low, high);
        clauses.push((
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(range), 0.0)),
        ));
    }
    BooleanQuery::new(clauses)
}

/// A report document's id, from its fast field.
fn report_id(searcher: &Searcher, report: DocAddress) -> Option<String> {
    fast_text(searcher, report, SUMMARY_ID)
}

/// A report document's value of a text fast field.
fn fast_text(searcher: &Searcher, report: DocAddress, name: &str) -> Option<String> {
    let column = searcher
        .segment_reader(report.segment_ord)
        .fast_fields()
        .str(name)
        .ok()??;
    let ord = column.term_ords(report.doc_id).next()?;
    let mut id = String::new();
    column.ord_to_str(ord, &mut id).ok()?.then_some(id)
}

fn text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

fn number(doc: &TantivyDocument, field: Field) -> usize {
    doc.get_first(field)
        .and_then(|v| v.as_u64())
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
}

fn report_header(header: ReportHeader, hits: u64) -> ReportHits {
    ReportHits {
        hits,
        offsets: offsets_kind(&header.file).into(),
        report: header.report,
        title: header.title,
        region: header.region,
        year: header.year,
        report_type: header.report_type,
        file: header.file,
        excerpts: Vec::new(),
    }
}

/// PDF and HTML offsets refer to extracted text; everything else to the file's bytes.
fn offsets_kind(file: &str) -> &'static str {
    let lower = file.to_ascii_lowercase();
    if [".pdf", ".html", ".htm"]
        .iter()
        .any(|ext| lower.ends_with(ext))
    {
        "extracted"
    } else {
        "source"
    }
}

fn stored_themes(doc: &TantivyDocument, fields: &Fields) -> Vec<String> {
    doc.get_all(fields.theme)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Source files read back for `--context`, each segmented once.
struct SourceCache {
    corpus: PathBuf,
    files: HashMap<String, Option<(String, usize, segment::Segmented)>>,
}

impl SourceCache {
    fn new(index: &ThemisIndex) -> Self {
        SourceCache {
            corpus: PathBuf::from(&index.info.corpus),
            files: HashMap::new(),
        }
    }

    /// Up to `n` sentences before and after the passage at `start` (file offset); empty when
    /// the file changed since it was indexed, so context never shows the wrong text.
    fn context(
        &mut self,
        rel: &str,
        start: usize,
        len: usize,
        n: usize,
    ) -> (Vec<String>, Vec<String>) {
        let corpus = &self.corpus;
        let entry = self.files.entry(rel.to_string()).or_insert_with(|| {
            let file = CorpusFile {
                path: corpus.join(rel),
                rel: rel.to_string(),
                stamp: None,
            };
            let (source, segmented) =
                pipeline::read_segmented(&file, corpus::DEFAULT_MAX_FILE_BYTES)?;
            Some((source.text, source.offset_base, segmented))
        });
        let Some((text, base, segmented)) = entry else {
            return (Vec::new(), Vec::new());
        };
        let (Some(local_start), local_end) = (start.checked_sub(*base), start + len - *base) else {
            return (Vec::new(), Vec::new());
        };
        if text.get(local_start..local_end).is_none() {
            return (Vec::new(), Vec::new());
        }
        let sentences = &segmented.sentences;
        let first = sentences.partition_point(|s| s.end <= local_start);
        let last = sentences.partition_point(|s| s.start < local_end);
        // Context stays inside the passage's section: the next section's heading (or its
        // first sentences) would read as part of this finding.
        let section = sentences.get(first).map(|s| s.section);
        let same_section =
            |s: &&segment::Sentence| Some(s.section) == section && s.kind != UnitKind::Heading;
        let slice = |s: &segment::Sentence| text[s.start..s.end].to_string();
        let mut before: Vec<String> = sentences[..first]
            .iter()
            .rev()
            .take(n)
            .take_while(same_section)
            .map(slice)
            .collect();
        before.reverse();
        let after = sentences[last.min(sentences.len())..]
            .iter()
            .take(n)
            .take_while(same_section)
            .map(slice)
            .collect();
        (before, after)
    }
}
