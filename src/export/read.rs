//! Reading the index for an export: segment by segment, report by report, each report's
//! passages straight from the document store, handed over one document at a time.
//!
//! A report's passages are the documents right before its report document in its segment (see
//! `index::schema`), so the walk finds each segment's live report documents, reads the report's
//! record (its metadata) first and then its passages in order, through one store reader per
//! segment whose small block cache makes that sequential read decompress each block once.
//! What is held at any time is one segment's list of report document ids (4 bytes a report)
//! and one report's metadata.

use std::collections::BTreeSet;

use serde::Deserialize;
use tantivy::query::{EnableScoring, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocId, TantivyDocument, Term};

use super::{timestamp, ExportDocument, ExportSummary, PolarityField, Unit};
use crate::corpus::ReportMeta;
use crate::error::{Error, Result};
use crate::index::spans::{self, SentenceSpan};
use crate::index::{for_each_live_match, kind, Fields, StoredSentence, ThemisIndex, PASSAGE_COUNT};
use crate::themes::Polarity;

/// Blocks of the document store kept decompressed per segment: the report document is read
/// before its passages, which sit in the blocks before it.
const STORE_CACHE_BLOCKS: usize = 8;

/// What an export needs of a report's stored record (the rest, structured parts included, is
/// skipped while parsing).
#[derive(Deserialize)]
struct ReportRecord {
    meta: ReportMeta,
    #[serde(default)]
    extracted: bool,
}

/// Calls `emit` with every document of the index, in index order, and `progress` with the
/// passages read so far after each report. Stops at the first error `emit` returns.
pub fn for_each_document(
    index: &ThemisIndex,
    unit: Unit,
    progress: &mut dyn FnMut(u64),
    emit: &mut dyn FnMut(&ExportDocument) -> std::io::Result<()>,
) -> Result<ExportSummary> {
    let searcher = index.reader()?.searcher();
    let fields = index.fields;
    let query = TermQuery::new(
        Term::from_field_text(fields.kind, kind::REPORT),
        IndexRecordOption::Basic,
    );
    let weight = query.weight(EnableScoring::disabled_from_searcher(&searcher))?;
    let mut summary = ExportSummary::default();
    for reader in searcher.segment_readers() {
        let mut reports: Vec<DocId> = Vec::new();
        for_each_live_match(weight.as_ref(), reader, |doc| reports.push(doc))?;
        let store = reader
            .get_store_reader(STORE_CACHE_BLOCKS)
            .map_err(|e| Error::index("cannot open the document store", e))?;
        let counts = reader.fast_fields().u64(PASSAGE_COUNT)?;
        let alive = reader.alive_bitset();
        for report_doc in reports {
            let record: TantivyDocument = store.get(report_doc)?;
            let data = record
                .get_first(fields.data)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let record: ReportRecord = serde_json::from_str(data)
                .map_err(|e| Error::index("a report's stored record cannot be read", e))?;
            let report = Report::new(&record);
            let count = counts.first(report_doc).unwrap_or(0);
            let first = u64::from(report_doc)
                .checked_sub(count)
                .and_then(|d| DocId::try_from(d).ok())
                .ok_or_else(|| damaged("a report counts more passages than precede it"))?;
            for passage_doc in first..report_doc {
                if alive.is_some_and(|bits| !bits.is_alive(passage_doc)) {
                    continue;
                }
                let passage: TantivyDocument = store.get(passage_doc)?;
                let read = Passage::read(&fields, &passage)?;
                read.emit(&report, unit, &mut summary, emit)?;
                summary.passages += 1;
            }
            summary.reports += 1;
            progress(summary.passages);
        }
    }
    Ok(summary)
}

fn damaged(what: &str) -> Error {
    Error::Index {
        message: what.to_string(),
        source: None,
    }
}

/// A report's metadata, borrowed into each of its documents.
struct Report<'a> {
    meta: &'a ReportMeta,
    timestamp: Option<String>,
    offsets: &'static str,
}

impl<'a> Report<'a> {
    fn new(record: &'a ReportRecord) -> Self {
        let meta = &record.meta;
        Report {
            meta,
            timestamp: timestamp(meta.date.as_deref(), meta.year),
            offsets: if record.extracted {
                "extracted"
            } else {
                "source"
            },
        }
    }

    fn document<'d>(&'d self, passage: &'d Passage, text: &'d str) -> ExportDocument<'d> {
        let meta = self.meta;
        ExportDocument {
            report: &meta.id,
            title: &meta.title,
            region: meta.region.as_deref(),
            year: meta.year,
            date: meta.date.as_deref(),
            timestamp: self.timestamp.as_deref(),
            report_type: meta.report_type.as_str(),
            file: &meta.file,
            offsets: self.offsets,
            section: passage.section.as_deref(),
            page: passage.page,
            start: passage.start,
            end: passage.start + passage.text.len(),
            text,
            themes: &[],
            polarity: None,
        }
    }
}

/// One passage as stored.
struct Passage {
    text: String,
    section: Option<String>,
    start: usize,
    page: Option<u32>,
    themes: Vec<String>,
    tagged: Vec<StoredSentence>,
    sentences: Vec<SentenceSpan>,
}

impl Passage {
    fn read(fields: &Fields, doc: &TantivyDocument) -> Result<Passage> {
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64());
        let start = number(fields.start)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| damaged("a passage has no start offset"))?;
        let page = number(fields.page).and_then(|p| u32::try_from(p).ok());
        let tagged: Vec<StoredSentence> = match text(fields.data) {
            Some(data) => serde_json::from_str(&data)
                .map_err(|e| Error::index("a passage's stored tags cannot be read", e))?,
            None => Vec::new(),
        };
        let bytes = doc
            .get_first(fields.sentences)
            .and_then(|v| v.as_bytes())
            .ok_or_else(|| damaged("a passage has no stored sentence spans"))?;
        let sentences = spans::decode(start, page, bytes)
            .ok_or_else(|| damaged("a passage's stored sentence spans are damaged"))?;
        Ok(Passage {
            text: text(fields.text).unwrap_or_default(),
            section: text(fields.section),
            start,
            page,
            themes: doc
                .get_all(fields.theme)
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            tagged,
            sentences,
        })
    }

    /// Hands over the passage as one document, or each of its sentences.
    fn emit(
        &self,
        report: &Report,
        unit: Unit,
        summary: &mut ExportSummary,
        emit: &mut dyn FnMut(&ExportDocument) -> std::io::Result<()>,
    ) -> Result<()> {
        let io = |e: std::io::Error| Error::io("the export's output", e);
        match unit {
            Unit::Passage => {
                let mut doc = report.document(self, &self.text);
                let polarities: BTreeSet<Polarity> = self.tagged.iter().map(|t| t.2).collect();
                doc.themes = &self.themes;
                if !polarities.is_empty() {
                    doc.polarity = Some(PolarityField::Many(polarities.into_iter().collect()));
                }
                count(summary, &doc);
                emit(&doc).map_err(io)?;
            }
            Unit::Sentence => {
                for span in &self.sentences {
                    let text = span
                        .start
                        .checked_sub(self.start)
                        .zip(span.end.checked_sub(self.start))
                        .and_then(|(from, to)| self.text.get(from..to))
                        .ok_or_else(|| damaged("a sentence's offsets fall outside its passage"))?;
                    let mut doc = report.document(self, text);
                    doc.start = span.start;
                    doc.end = span.end;
                    doc.page = span.page.or(self.page);
                    if let Some((_, _, polarity, themes)) = self
                        .tagged
                        .iter()
                        .find(|t| t.0 == span.start && t.1 == span.end)
                    {
                        doc.themes = themes;
                        doc.polarity = Some(PolarityField::One(*polarity));
                    }
                    count(summary, &doc);
                    emit(&doc).map_err(io)?;
                }
            }
        }
        Ok(())
    }
}

fn count(summary: &mut ExportSummary, doc: &ExportDocument) {
    summary.documents += 1;
    if !doc.themes.is_empty() {
        summary.tagged += 1;
    }
}
