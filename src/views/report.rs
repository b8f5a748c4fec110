//! One report as the web interface shows it: its text block by block (headings and
//! paragraphs, with pages for PDFs), each tagged sentence with its themes and polarity as the
//! index holds them, and its recommendations, scores, ratings and facts.
//!
//! The tags come from the index (the passages' stored sentences), never from tagging again, so
//! what is shown is what search, `findings` and `report` counted. The text is read from the
//! corpus and segmented as indexing did; when the file is gone or has changed since it was
//! indexed, the indexed passages are shown instead (with `text_from_index` set), so offsets
//! and tags still agree.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::query::BooleanQuery;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::corpus::{CorpusFile, Manifest, ReportType, DEFAULT_MAX_FILE_BYTES};
use crate::error::Result;
use crate::index::{content_hash, kind, must_term, IndexedReport, StoredSentence, ThemisIndex};
use crate::pipeline::read_segmented;
use crate::segment::UnitKind;
use crate::themes::Polarity;
use crate::views::facts::FactsView;
use crate::views::recommendations::{RecommendationFilter, RecommendationsView};
use crate::views::scores::ScoresView;

/// A report, its text with tags, and its structured parts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportView {
    /// Report id.
    pub report: String,
    /// Title.
    pub title: String,
    /// Region, when known.
    pub region: Option<String>,
    /// Year, when known.
    pub year: Option<i32>,
    /// ISO date, when known.
    pub date: Option<String>,
    /// Report type.
    #[serde(rename = "type")]
    pub report_type: ReportType,
    /// File, relative to the corpus folder.
    pub file: String,
    /// What `start`/`end` index: `"source"` (the file's bytes) or `"extracted"` (the text
    /// extracted from a PDF or HTML file).
    pub offsets: String,
    /// Pages of a PDF (0 otherwise).
    pub pages: usize,
    /// `true` when the file could not be read as indexed (gone or changed since): `blocks` are
    /// then the indexed passages, without headings between paragraphs of one section.
    pub text_from_index: bool,
    /// Sentences (units) in the report, and how many carry a theme.
    pub sentences: u64,
    /// Sentences with at least one theme.
    pub tagged_sentences: u64,
    /// Tagged sentences per theme id, by polarity.
    pub theme_counts: BTreeMap<String, PolarityCounts>,
    /// The text, block by block.
    pub blocks: Vec<Block>,
    /// Recommendations, with their themes.
    pub recommendations: RecommendationsView,
    /// Key-question scores and ratings.
    pub scores: ScoresView,
    /// Key facts.
    pub facts: FactsView,
}

/// Tagged sentences of one theme, by polarity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PolarityCounts {
    /// Concern sentences.
    pub concern: u64,
    /// Strength sentences.
    pub strength: u64,
    /// Neutral sentences.
    pub neutral: u64,
}

/// A heading or a paragraph.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Block {
    /// `true` for a heading.
    pub heading: bool,
    /// Page of the block's start (PDFs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Section the block is in (for paragraphs read from the index, where headings are not
    /// blocks of their own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Its sentences, in order.
    pub sentences: Vec<ReportSentence>,
}

/// One sentence with its tags.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportSentence {
    /// Byte offset (see [`ReportView::offsets`]).
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// The text.
    pub text: String,
    /// Polarity, for a tagged sentence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polarity: Option<Polarity>,
    /// Theme ids (empty: untagged).
    pub themes: Vec<String>,
}

impl ReportView {
    /// The report `id` of the index, with its text read from `corpus`; `None` when the index
    /// has no such report.
    pub fn load(index: &ThemisIndex, corpus: &Path, id: &str) -> Result<Option<ReportView>> {
        let searcher = index.reader()?.searcher();
        let Some(record) = report_record(index, &searcher, id)? else {
            return Ok(None);
        };
        let passages = passages(index, &searcher, id)?;
        let tags: BTreeMap<usize, (usize, Polarity, Vec<String>)> = passages
            .iter()
            .flat_map(|p| p.tags.iter().cloned())
            .map(|(start, end, polarity, themes)| (start, (end, polarity, themes)))
            .collect();
        let mut theme_counts: BTreeMap<String, PolarityCounts> = BTreeMap::new();
        for (_, polarity, themes) in tags.values() {
            for theme in themes {
                let counts = theme_counts.entry(theme.clone()).or_default();
                match polarity {
                    Polarity::Concern => counts.concern += 1,
                    Polarity::Strength => counts.strength += 1,
                    Polarity::Neutral => counts.neutral += 1,
                }
            }
        }
        let (blocks, pages) = match blocks_from_corpus(corpus, &record, &tags) {
            Some(read) => (Some(read.0), read.1),
            None => (None, 0),
        };
        let text_from_index = blocks.is_none();
        let blocks = blocks.unwrap_or_else(|| blocks_from_index(&passages));
        let one = std::slice::from_ref(&record);
        let meta = &record.meta;
        Ok(Some(ReportView {
            report: meta.id.clone(),
            title: meta.title.clone(),
            region: meta.region.clone(),
            year: meta.year,
            date: meta.date.clone(),
            report_type: meta.report_type,
            file: meta.file.clone(),
            offsets: if record.extracted {
                "extracted"
            } else {
                "source"
            }
            .into(),
            pages,
            text_from_index,
            sentences: record.sentences,
            tagged_sentences: record.tagged_sentences,
            theme_counts,
            blocks,
            recommendations: RecommendationsView::build(one, &RecommendationFilter::default()),
            scores: ScoresView::build(one),
            facts: FactsView::build(one),
        }))
    }
}

/// The stored record of report `id`.
fn report_record(
    index: &ThemisIndex,
    searcher: &Searcher,
    id: &str,
) -> Result<Option<IndexedReport>> {
    let fields = index.fields;
    let query = BooleanQuery::new(vec![
        must_term(fields.kind, kind::REPORT),
        must_term(fields.report, id),
    ]);
    for address in searcher.search(&query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let data = doc.get_first(fields.data).and_then(|v| v.as_str());
        if let Some(record) = data.and_then(|d| serde_json::from_str::<IndexedReport>(d).ok()) {
            return Ok(Some(record));
        }
    }
    Ok(None)
}

/// One indexed passage of a report.
struct IndexedPassage {
    start: usize,
    text: String,
    section: Option<String>,
    page: Option<u32>,
    tags: Vec<StoredSentence>,
}

/// The report's passages, in text order.
fn passages(index: &ThemisIndex, searcher: &Searcher, id: &str) -> Result<Vec<IndexedPassage>> {
    let fields = index.fields;
    let query = BooleanQuery::new(vec![
        must_term(fields.kind, kind::PASSAGE),
        must_term(fields.report, id),
    ]);
    let mut out = Vec::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |f| {
            doc.get_first(f)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let number = |f| doc.get_first(f).and_then(|v| v.as_u64());
        out.push(IndexedPassage {
            start: number(fields.start).unwrap_or(0) as usize,
            text: text(fields.text).unwrap_or_default(),
            section: text(fields.section),
            page: number(fields.page).and_then(|p| u32::try_from(p).ok()),
            tags: text(fields.data)
                .and_then(|d| serde_json::from_str(&d).ok())
                .unwrap_or_default(),
        });
    }
    out.sort_by_key(|p| p.start);
    Ok(out)
}

/// The text as indexing read it, segmented; `None` when the file cannot be read or is not
/// the one indexed. Also returns the number of pages.
fn blocks_from_corpus(
    corpus: &Path,
    record: &IndexedReport,
    tags: &BTreeMap<usize, (usize, Polarity, Vec<String>)>,
) -> Option<(Vec<Block>, usize)> {
    let rel = record.meta.file.clone();
    let file = CorpusFile {
        path: corpus.join(&rel),
        rel,
        stamp: None,
    };
    let (source, segmented) = read_segmented(&file, DEFAULT_MAX_FILE_BYTES)?;
    let manifest = Manifest::load(corpus).ok()?;
    if content_hash(&source, &manifest, &file) != record.hash {
        return None;
    }
    let base = source.offset_base;
    let mut blocks = Vec::with_capacity(segmented.paragraphs.len());
    for paragraph in &segmented.paragraphs {
        let units = segmented.sentences.get(paragraph.sentences.clone())?;
        let heading = units.iter().all(|u| u.kind == UnitKind::Heading);
        let sentences = units
            .iter()
            .map(|unit| {
                let start = unit.start + base;
                let tagged = tags
                    .get(&start)
                    .filter(|(end, _, _)| *end == unit.end + base);
                ReportSentence {
                    start,
                    end: unit.end + base,
                    text: source.text[unit.start..unit.end].to_string(),
                    polarity: tagged.map(|(_, polarity, _)| *polarity),
                    themes: tagged
                        .map(|(_, _, themes)| themes.clone())
                        .unwrap_or_default(),
                }
            })
            .collect();
        blocks.push(Block {
            heading,
            page: source.page_of(paragraph.start),
            section: None,
            sentences,
        });
    }
    Some((blocks, source.pages.len()))
}

/// Each indexed passage as a block, its tagged sentences cut out of its text.
fn blocks_from_index(passages: &[IndexedPassage]) -> Vec<Block> {
    passages
        .iter()
        .map(|passage| {
            let mut sentences = Vec::new();
            let mut at = 0;
            let end_of_text = passage.text.len();
            for (start, end, polarity, themes) in &passage.tags {
                let (Some(from), Some(to)) = (
                    start.checked_sub(passage.start),
                    end.checked_sub(passage.start),
                ) else {
                    continue;
                };
                let Some(text) = passage.text.get(from..to) else {
                    continue;
                };
                if from < at {
                    continue;
                }
                if let Some(before) = passage.text.get(at..from).filter(|t| !t.trim().is_empty()) {
                    sentences.push(untagged(passage.start + at, before));
                }
                sentences.push(ReportSentence {
                    start: *start,
                    end: *end,
                    text: text.to_string(),
                    polarity: Some(*polarity),
                    themes: themes.clone(),
                });
                at = to;
            }
            if let Some(rest) = passage
                .text
                .get(at..end_of_text)
                .filter(|t| !t.trim().is_empty())
            {
                sentences.push(untagged(passage.start + at, rest));
            }
            Block {
                heading: false,
                page: passage.page,
                section: passage.section.clone(),
                sentences,
            }
        })
        .collect()
}

fn untagged(start: usize, text: &str) -> ReportSentence {
    ReportSentence {
        start,
        end: start + text.len(),
        text: text.to_string(),
        polarity: None,
        themes: Vec::new(),
    }
}
