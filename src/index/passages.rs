//! Reading tagged passages back with the report they belong to: what a view needs when the
//! per-report theme counts are not enough (which themes come together in one sentence or one
//! passage). Only passages that carry a theme are read from the document store.

use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::schema::{kind, SUMMARY_ID};
use super::spans::{self, SentenceSpan};
use super::{for_each_live_match, StoredSentence, TextColumn, ThemisIndex};
use crate::error::Result;

/// A stored passage that carries at least one theme.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedPassage {
    /// Id of its report.
    pub report: String,
    /// Its section title.
    pub section: Option<String>,
    /// 1-based page of its start (PDF reports).
    pub page: Option<u64>,
    /// Byte offset of its start in the source file.
    pub start: usize,
    /// Its text.
    pub text: String,
    /// Its tagged sentences (offsets into the source file).
    pub sentences: Vec<StoredSentence>,
    /// Where each of its sentences starts and ends, with its page (PDF reports); empty when
    /// the stored spans cannot be read.
    pub spans: Vec<SentenceSpan>,
}

impl TaggedPassage {
    /// The text of one of its sentences (`None` when the offsets do not fall inside it).
    pub fn sentence_text(&self, sentence: &StoredSentence) -> Option<&str> {
        let from = sentence.0.checked_sub(self.start)?;
        let to = sentence.1.checked_sub(self.start)?;
        self.text.get(from..to)
    }

    /// The page one of its sentences starts on: its own span's page, else the passage's
    /// (PDF reports; `None` for others).
    pub fn sentence_page(&self, sentence: &StoredSentence) -> Option<u64> {
        self.spans
            .iter()
            .find(|span| span.start == sentence.0)
            .and_then(|span| span.page)
            .map(u64::from)
            .or(self.page)
    }
}

impl ThemisIndex {
    /// Calls `visit` with every passage tagged with one of `themes`, segment by segment in index
    /// order, for the reports `wanted` admits (by id; the others' documents are not read).
    pub fn for_each_tagged_passage(
        &self,
        searcher: &Searcher,
        themes: &[String],
        wanted: impl Fn(&str) -> bool,
        mut visit: impl FnMut(TaggedPassage),
    ) -> Result<()> {
        let fields = self.fields;
        let term = |field, value: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, value),
                IndexRecordOption::Basic,
            ))
        };
        let any_theme = BooleanQuery::new(
            themes
                .iter()
                .map(|t| (Occur::Should, term(fields.theme, t)))
                .collect(),
        );
        let query = BooleanQuery::new(vec![
            (Occur::Must, term(fields.kind, kind::PASSAGE)),
            (Occur::Must, Box::new(any_theme)),
        ]);
        let reports = TermQuery::new(
            Term::from_field_text(fields.kind, kind::REPORT),
            IndexRecordOption::Basic,
        );
        let scoring = EnableScoring::disabled_from_searcher(searcher);
        let passages = query.weight(scoring)?;
        let reports = reports.weight(scoring)?;
        for (ord, reader) in searcher.segment_readers().iter().enumerate() {
            // A report's passages are the documents right before its report document, in the
            // same segment: a passage belongs to the first report document after it.
            let ids = TextColumn::open(reader.fast_fields(), SUMMARY_ID)?;
            let mut report_docs: Vec<(tantivy::DocId, String)> = Vec::new();
            for_each_live_match(reports.as_ref(), reader, |doc| {
                report_docs.push((doc, ids.get(doc).unwrap_or_default()))
            })?;
            report_docs.sort_unstable_by_key(|(doc, _)| *doc);
            let mut matches = Vec::new();
            for_each_live_match(passages.as_ref(), reader, |doc| matches.push(doc))?;
            matches.sort_unstable();
            for doc in matches {
                let next = report_docs.partition_point(|(d, _)| *d < doc);
                let Some((_, report)) = report_docs.get(next) else {
                    continue;
                };
                if !wanted(report) {
                    continue;
                }
                let stored: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc))?;
                let text = |f| stored.get_first(f).and_then(|v| v.as_str());
                let number = |f| stored.get_first(f).and_then(|v| v.as_u64());
                let start = number(fields.start).unwrap_or(0) as usize;
                let page = number(fields.page);
                let spans = stored
                    .get_first(fields.sentences)
                    .and_then(|v| v.as_bytes())
                    .and_then(|bytes| {
                        spans::decode(start, page.and_then(|p| u32::try_from(p).ok()), bytes)
                    })
                    .unwrap_or_default();
                visit(TaggedPassage {
                    report: report.clone(),
                    section: text(fields.section).map(String::from),
                    page,
                    start,
                    text: text(fields.text).unwrap_or_default().to_string(),
                    sentences: text(fields.data)
                        .and_then(|data| serde_json::from_str(data).ok())
                        .unwrap_or_default(),
                    spans,
                });
            }
        }
        Ok(())
    }
}
