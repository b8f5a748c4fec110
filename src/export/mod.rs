//! `themis export`: the index as documents for a distributed search engine, one per sentence
//! (or passage), with the report's metadata, the text, its offsets and page, and its themes
//! and polarity, so an engine that already runs (OpenSearch, Elasticsearch, Quickwit) can
//! search and aggregate a corpus larger than one machine holds comfortably.
//!
//! [`read`] walks the index segment by segment and hands each document over as soon as it is
//! read, so memory stays flat however large the index is; one writer per format (`bulk` for
//! OpenSearch and Elasticsearch, `quickwit`, plain NDJSON here) writes it, and makes the
//! engine's mapping or index configuration for it.

mod bulk;
pub mod quickwit;
mod read;

use std::io::Write;

use serde::Serialize;

use crate::error::Result;
use crate::index::ThemisIndex;
use crate::themes::Polarity;

pub use read::for_each_document;

/// What one exported document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// One document per sentence of a passage (headings are the `section` of the sentences
    /// under them, not documents of their own), with that sentence's themes and polarity.
    Sentence,
    /// One document per passage (what `themis search` ranks), with its sentences' themes and
    /// polarities.
    Passage,
}

/// The engine an export is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// OpenSearch's `_bulk` API (NDJSON: an action line, then the document), with an index
    /// mapping.
    OpenSearch,
    /// Elasticsearch's `_bulk` API (the same wire format as OpenSearch's), with an index
    /// mapping.
    Elasticsearch,
    /// Quickwit's NDJSON ingest format (one document a line), with an index configuration.
    Quickwit,
    /// One document a line, for anything else (pandas, DuckDB, jq, Spark).
    Ndjson,
}

impl Format {
    /// The format's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::OpenSearch => "opensearch",
            Format::Elasticsearch => "elasticsearch",
            Format::Quickwit => "quickwit",
            Format::Ndjson => "ndjson",
        }
    }

    /// The engine's index mapping (OpenSearch, Elasticsearch) or index configuration
    /// (Quickwit) for documents of `unit`, as JSON; `None` for plain NDJSON. `index_name` is
    /// Quickwit's `index_id`.
    pub fn mapping(self, unit: Unit, index_name: &str) -> Option<serde_json::Value> {
        match self {
            Format::OpenSearch | Format::Elasticsearch => Some(bulk::mapping()),
            Format::Quickwit => Some(quickwit::index_config(unit, index_name)),
            Format::Ndjson => None,
        }
    }
}

/// What an export is asked to do.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// Which engine.
    pub format: Format,
    /// Sentences or passages.
    pub unit: Unit,
    /// The index the documents go to (`_index` of bulk actions, Quickwit's `index_id`).
    pub index_name: String,
}

/// A document's polarity: a sentence's own (none when it has no theme: the index decides the
/// polarity of tagged sentences only), or the distinct polarities of a passage's tagged
/// sentences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PolarityField {
    /// A sentence's.
    One(Polarity),
    /// A passage's (concern, strength, neutral order).
    Many(Vec<Polarity>),
}

/// One exported document. Absent values (no region, no date, no page) are left out of the
/// JSON rather than written as `null`, which every engine reads as "missing".
#[derive(Debug, Clone, Serialize)]
pub struct ExportDocument<'a> {
    /// Report id.
    pub report: &'a str,
    /// Report title.
    pub title: &'a str,
    /// Canonical region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<&'a str>,
    /// Year of the report.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// The report's date as known: `YYYY-MM-DD` or `YYYY-MM`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<&'a str>,
    /// The date as an RFC 3339 instant (midnight UTC; the first of the month for a
    /// year-month, January 1 for a year alone): the engines' time field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<&'a str>,
    /// Report type.
    #[serde(rename = "type")]
    pub report_type: &'a str,
    /// Corpus-relative file.
    pub file: &'a str,
    /// `source` (offsets into the file) or `extracted` (into the text of a PDF or HTML file).
    pub offsets: &'static str,
    /// Section title.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<&'a str>,
    /// 1-based page (PDF reports).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// Byte offset of the start.
    pub start: usize,
    /// Byte offset of the end.
    pub end: usize,
    /// The text.
    pub text: &'a str,
    /// Theme ids (for a passage: of any of its sentences).
    pub themes: &'a [String],
    /// Polarity (absent for a sentence without themes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub polarity: Option<PolarityField>,
}

/// What an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ExportSummary {
    /// Reports read.
    pub reports: u64,
    /// Passages read.
    pub passages: u64,
    /// Documents written.
    pub documents: u64,
    /// Documents with at least one theme.
    pub tagged: u64,
    /// Documents of reports with neither a date nor a year: no timestamp, or (Quickwit, which
    /// requires one) [`quickwit::UNDATED_TIMESTAMP`].
    pub undated: u64,
}

/// Writes every document of the index to `out` in the format asked for, calling `progress`
/// with the passages read so far after each report. `out` is written as documents are read;
/// nothing is held back but the current report's header.
pub fn export(
    index: &ThemisIndex,
    options: &ExportOptions,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<ExportSummary> {
    let mut undated = 0;
    let mut write = |doc: &ExportDocument| -> std::io::Result<()> {
        if matches!(options.format, Format::OpenSearch | Format::Elasticsearch) {
            bulk::write_action(out, &options.index_name, doc)?;
        }
        if doc.timestamp.is_none() {
            undated += 1;
            if options.format == Format::Quickwit {
                let mut doc = doc.clone();
                doc.timestamp = Some(quickwit::UNDATED_TIMESTAMP);
                serde_json::to_writer(&mut *out, &doc)?;
                return out.write_all(b"\n");
            }
        }
        serde_json::to_writer(&mut *out, doc)?;
        out.write_all(b"\n")
    };
    let summary = for_each_document(index, options.unit, progress, &mut write)?;
    Ok(ExportSummary { undated, ..summary })
}

/// The RFC 3339 instant of a report's date (`YYYY-MM-DD`, `YYYY-MM`), else of its year.
pub fn timestamp(date: Option<&str>, year: Option<i32>) -> Option<String> {
    let number = |s: &str, digits: usize, range: std::ops::RangeInclusive<u32>| {
        (s.len() == digits && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
            .filter(|n| range.contains(n))
    };
    if let Some(date) = date {
        let parts: Vec<&str> = date.split('-').collect();
        let year = parts.first().and_then(|y| number(y, 4, 1..=9999));
        let month = parts.get(1).and_then(|m| number(m, 2, 1..=12));
        let day = match parts.get(2) {
            Some(d) => number(d, 2, 1..=31),
            None => Some(1),
        };
        if let (Some(y), Some(m), Some(d), true) = (year, month, day, parts.len() <= 3) {
            return Some(format!("{y:04}-{m:02}-{d:02}T00:00:00Z"));
        }
    }
    year.filter(|y| (1..=9999).contains(y))
        .map(|y| format!("{y:04}-01-01T00:00:00Z"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_timestamp_from_date_year_month_or_year() {
        assert_eq!(
            timestamp(Some("2023-05-25"), Some(2023)).as_deref(),
            Some("2023-05-25T00:00:00Z")
        );
        assert_eq!(
            timestamp(Some("2023-05"), None).as_deref(),
            Some("2023-05-01T00:00:00Z")
        );
        assert_eq!(
            timestamp(None, Some(2026)).as_deref(),
            Some("2026-01-01T00:00:00Z")
        );
        // A date that is not one falls back to the year; nothing known is nothing.
        assert_eq!(
            timestamp(Some("2023-13-01"), Some(2023)).as_deref(),
            Some("2023-01-01T00:00:00Z")
        );
        assert_eq!(timestamp(Some("soon"), None), None);
        assert_eq!(timestamp(None, None), None);
    }
}
