//! Search: parsing a query with tantivy's syntax over the shared analyser, applying filters
//! (region, type, year, report, themes), ranking passages, and turning them into excerpts with
//! highlights (byte offsets into the source file), grouped by report, best report first.

use std::collections::HashMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::postings::SegmentPostings;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, QueryParser, RangeQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, DocSet, Score, Searcher, TantivyDocument, Term, TERMINATED};

use crate::corpus::{self, CorpusFile};
use crate::error::{Error, Result};
use crate::index::{kind, Fields, ReportHeader, ThemisIndex};
use crate::segment;

mod report_title;

/// Restrictions applied on top of the query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filters {
    /// Canonical region name.
    pub region: Option<String>,
    /// Report type.
    pub report_type: Option<String>,
    /// Exactly this year.
    pub year: Option<i32>,
    /// This year or later.
    pub since: Option<i32>,
    /// One report id.
    pub report: Option<String>,
    /// Every one of these themes must be present in the passage.
    pub themes: Vec<String>,
}

/// A search to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    /// tantivy query syntax; empty means "every passage that passes the filters".
    pub query: String,
    /// Filters.
    pub filters: Filters,
    /// Most reports to return.
    pub limit: usize,
    /// Most excerpts per report.
    pub per_report: usize,
    /// Sentences of context before and after each excerpt.
    pub context: usize,
}

impl SearchRequest {
    /// A request with default limits (10 reports, 3 excerpts each, no context).
    pub fn new(query: impl Into<String>) -> Self {
        SearchRequest {
            query: query.into(),
            filters: Filters::default(),
            limit: 10,
            per_report: 3,
            context: 0,
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
    pub report_type: String,
    /// File, relative to the corpus folder.
    pub file: String,
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
pub fn search_in(index: &ThemisIndex, request: &SearchRequest) -> Result<SearchResults> {
    let fields = index.fields;
    let searcher = index.reader()?.searcher();
    let user_query = parse_query(index, &request.query)?;
    let query = filtered(user_query.box_clone(), &fields, &request.filters);

    let fetch = (request.limit.max(1) * request.per_report.max(1) * 8).clamp(100, 10_000);
    let (top, total_hits) = searcher.search(
        &query,
        &(TopDocs::with_limit(fetch).order_by_score(), Count),
    )?;
    let mut snippets = SnippetGenerator::create(&searcher, &*user_query, fields.text)?;
    // Passages are short: highlight across the whole passage, not a 150-char window.
    snippets.set_max_num_chars(1 << 20);

    let mut reports: Vec<ReportHits> = Vec::new();
    let mut slot_by_report: HashMap<DocAddress, usize> = HashMap::new();
    let mut sources = SourceCache::new(index);
    // Group hits by their report document, and read a stored document only for an excerpt
    // that will be shown: stored documents are the expensive part of a query.
    let report_of = report_documents_of(&searcher, &fields, &top)?;
    for ((score, address), report) in top.into_iter().zip(report_of) {
        // Every passage is followed by its report's document; one that is not is skipped
        // rather than shown under a made-up report.
        let Some(report) = report else {
            continue;
        };
        let position = match slot_by_report.get(&report) {
            Some(&i) => i,
            None => {
                if reports.len() >= request.limit {
                    continue;
                }
                let report_doc: TantivyDocument = searcher.doc(report)?;
                let Some(header) = text(&report_doc, fields.header)
                    .and_then(|json| serde_json::from_str::<ReportHeader>(&json).ok())
                else {
                    continue;
                };
                let i = reports.len();
                slot_by_report.insert(report, i);
                reports.push(report_header(header));
                i
            }
        };
        if reports[position].excerpts.len() >= request.per_report {
            continue;
        }
        let doc: TantivyDocument = searcher.doc(address)?;
        let passage = text(&doc, fields.text).unwrap_or_default();
        let start = number(&doc, fields.start);
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
        let themes = stored_themes(&doc, &fields);
        let (before, after) = if request.context > 0 {
            let file = reports[position].file.clone();
            sources.context(&file, start, passage.len(), request.context)
        } else {
            (Vec::new(), Vec::new())
        };
        reports[position].excerpts.push(Excerpt {
            section: text(&doc, fields.section),
            start,
            end: number(&doc, fields.end),
            text: passage,
            highlights,
            score,
            themes,
            page: doc
                .get_first(fields.page)
                .and_then(|v| v.as_u64())
                .and_then(|p| u32::try_from(p).ok()),
            before,
            after,
        });
    }
    Ok(SearchResults {
        query: request.query.clone(),
        total_hits: total_hits as u64,
        reports,
    })
}

/// Parses `query` with passage text and title as default fields; words must all match unless
/// joined with OR.
fn parse_query(index: &ThemisIndex, query: &str) -> Result<Box<dyn Query>> {
    if query.trim().is_empty() {
        return Ok(Box::new(AllQuery));
    }
    let mut parser =
        QueryParser::for_index(&index.index, vec![index.fields.text, index.fields.title]);
    parser.set_conjunction_by_default();
    let parsed = parser
        .parse_query(&and_not_as_not(&escape_apostrophes(query)))
        .map_err(|err| Error::BadQuery {
            query: query.to_string(),
            reason: explain_query_error(&err),
        })?;
    Ok(report_title::route_title_leaves(parsed, index.fields.title))
}

/// tantivy's grammar reads `'` as a quote, so `children's` would be a syntax error. An
/// apostrophe between two letters or digits is part of a word: escape it (curly ones too).
fn escape_apostrophes(query: &str) -> String {
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len() + 4);
    let mut in_phrase = false;
    for (i, &c) in chars.iter().enumerate() {
        let between_word_chars = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c == '"' {
            in_phrase = !in_phrase;
        }
        if (c == '\'' || c == '’') && between_word_chars {
            // Inside a phrase the text goes to the analyser as is; outside, escape it.
            if in_phrase {
                out.push('\'');
            } else {
                out.push_str("\\'");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// tantivy reads `a AND NOT b` as `a AND (NOT b)`, and a clause made only of an exclusion
/// matches nothing, so the whole query would find nothing. Users mean `a NOT b`, which tantivy
/// reads as "a, excluding b": rewrite it outside quoted phrases.
fn and_not_as_not(query: &str) -> String {
    static AND_NOT: once_cell::sync::Lazy<regex::Regex> =
        once_cell::sync::Lazy::new(|| regex::Regex::new(r"\bAND\s+NOT\b").expect("valid regex"));
    query
        .split('"')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                AND_NOT.replace_all(part, "NOT").into_owned()
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\"")
}

fn explain_query_error(err: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match err {
        E::SyntaxError(detail) => format!(
            "syntax error ({detail}); check quotes and parentheses are balanced, e.g. '\"information sharing\" AND police'"
        ),
        E::FieldDoesNotExist(field) => format!(
            "there is no field `{field}`; searchable fields are text, title, region, type, report, section, theme, year"
        ),
        E::AllButQueryForbidden => {
            "a query cannot consist only of excluded terms (-word or NOT word); add a word to search for".into()
        }
        other => other.to_string(),
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
        clauses.push((Occur::Must, term(fields.report_type, report_type)));
    }
    if let Some(report) = &filters.report {
        clauses.push((Occur::Must, term(fields.report, report)));
    }
    for theme in &filters.themes {
        clauses.push((Occur::Must, term(fields.theme, theme)));
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

fn text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// The report document of each hit: the first report document at or after it in its segment,
/// since a report's passages come just before its report document (see
/// [`crate::index::Fields::passage_count`]). One walk over each segment's report documents,
/// in document order.
fn report_documents_of(
    searcher: &Searcher,
    fields: &Fields,
    hits: &[(Score, DocAddress)],
) -> Result<Vec<Option<DocAddress>>> {
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_unstable_by_key(|&i| (hits[i].1.segment_ord, hits[i].1.doc_id));
    let report_term = Term::from_field_text(fields.kind, kind::REPORT);
    let mut reports = vec![None; hits.len()];
    let mut walk: Option<(u32, Option<SegmentPostings>)> = None;
    for i in order {
        let address = hits[i].1;
        if walk.as_ref().map(|(segment, _)| *segment) != Some(address.segment_ord) {
            let postings = searcher
                .segment_reader(address.segment_ord)
                .inverted_index(fields.kind)?
                .read_postings(&report_term, IndexRecordOption::Basic)
                .map_err(|e| {
                    Error::Index(format!("unreadable postings of report documents: {e}"))
                })?;
            walk = Some((address.segment_ord, postings));
        }
        if let Some((segment, Some(postings))) = walk.as_mut() {
            let report = if postings.doc() >= address.doc_id {
                postings.doc()
            } else {
                postings.seek(address.doc_id)
            };
            if report != TERMINATED {
                reports[i] = Some(DocAddress::new(*segment, report));
            }
        }
    }
    Ok(reports)
}

fn number(doc: &TantivyDocument, field: Field) -> usize {
    doc.get_first(field)
        .and_then(|v| v.as_u64())
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(0)
}

fn report_header(header: ReportHeader) -> ReportHits {
    ReportHits {
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
            };
            let (source, _) = corpus::read_source(&file, corpus::DEFAULT_MAX_FILE_BYTES).ok()?;
            let segmented = segment::segment(&source.text);
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
        let slice = |s: &segment::Sentence| text[s.start..s.end].to_string();
        let before = sentences[first.saturating_sub(n)..first]
            .iter()
            .map(slice)
            .collect();
        let after = sentences[last..(last + n).min(sentences.len())]
            .iter()
            .map(slice)
            .collect();
        (before, after)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_and_not_becomes_not_outside_phrases() {
        assert_eq!(
            and_not_as_not("vetting AND NOT police"),
            "vetting NOT police"
        );
        assert_eq!(
            and_not_as_not("\"staff AND NOT x\" AND NOT police"),
            "\"staff AND NOT x\" NOT police"
        );
        assert_eq!(and_not_as_not("BRAND NOTE"), "BRAND NOTE");
    }

    #[test]
    fn test_apostrophes_inside_words_are_escaped() {
        assert_eq!(escape_apostrophes("children's"), "children\\'s");
        assert_eq!(
            escape_apostrophes("\"children’s services\""),
            "\"children's services\""
        );
        assert_eq!(escape_apostrophes("'quoted'"), "'quoted'");
    }
}
