//! The tantivy schema: one fixed set of fields shared by the two kinds of document themis
//! stores (`report`, `passage`), and the handles to them.
//!
//! Passages are what search ranks and quotes; each carries the themes of its sentences (a
//! filter) and, stored, the tags of each tagged sentence, which is what `findings` and `themes
//! show` quote. A report document carries the report's metadata and content hash, which make
//! indexing incremental, and its theme counts; everything that counting needs is in fast
//! fields, so `report`, `findings` and `themes` never read the document store to count.
//!
//! A report's documents are added as one batch, its passages first and its report document
//! last; tantivy keeps a batch in one segment and in order, so the passages of a report are the
//! [`Fields::passage_count`] documents before its report document. Search relies on that to
//! match titles and to find an excerpt's report.
//!
//! Until format 3 every tagged sentence was also a document of its own: 60% of the documents,
//! 40% of the index and 15% of indexing time, for quoting what the passages already hold.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST,
    INDEXED, STORED, STRING,
};

use crate::analysis::TOKENIZER_NAME;
use crate::themes::Polarity;

/// The value of `kind` on each document.
pub mod kind {
    /// One per report file: metadata and content hash.
    pub const REPORT: &str = "report";
    /// A window of sentences: what search ranks and quotes.
    pub const PASSAGE: &str = "passage";
}

/// Names of the fast fields read by name (through `fast_fields().u64(..)`/`.str(..)`), so a
/// reader cannot misspell what the schema wrote.
pub mod fast {
    /// [`super::Fields::passage_count`].
    pub const PASSAGE_COUNT: &str = "passages";
    /// [`super::Fields::summary_id`]: a report document's id.
    pub const SUMMARY_ID: &str = "summary_id";
    /// [`super::Fields::summary_file`].
    pub const SUMMARY_FILE: &str = "summary_file";
    /// [`super::Fields::summary_region`].
    pub const SUMMARY_REGION: &str = "summary_region";
    /// [`super::Fields::summary_type`].
    pub const SUMMARY_TYPE: &str = "summary_type";
    /// [`super::Fields::report_title`].
    pub const REPORT_TITLE: &str = "report_title";
    /// [`super::Fields::date`].
    pub const DATE: &str = "date";
    /// [`super::Fields::hash`].
    pub const HASH: &str = "hash";
    /// [`super::Fields::year`].
    pub const YEAR: &str = "year";
    /// [`super::Fields::sentence_count`].
    pub const SENTENCES: &str = "sentences";
    /// [`super::Fields::theme_counts`].
    pub const THEME_COUNTS: &str = "theme_counts";
}
pub use fast::{PASSAGE_COUNT, SUMMARY_ID};

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Document kind (`report`, `passage`).
    pub kind: Field,
    /// Passage text: analysed with positions, stored.
    pub text: Field,
    /// Report title, analysed, on report documents only (a default search field). A query's
    /// title words match the passages of the reports whose title matches (see
    /// `search::report_title`): indexing the title again on every passage was 9% of indexing.
    pub title: Field,
    /// Report id (slug), a filter on every document.
    pub report: Field,
    /// Corpus-relative file path: the unit of replacement.
    pub file: Field,
    /// Canonical region (absent when unknown).
    pub region: Field,
    /// Year (absent when unknown).
    pub year: Field,
    /// Report type.
    pub report_type: Field,
    /// Section title.
    pub section: Field,
    /// Byte offset of the unit's start in the source file.
    pub start: Field,
    /// Byte offset of the unit's end in the source file.
    pub end: Field,
    /// 1-based page of the unit's start (PDF reports only).
    pub page: Field,
    /// Theme ids of a passage's sentences (multi-valued, stored).
    pub theme: Field,
    /// The polarities of a passage's tagged sentences (`concern`), and each tagged sentence's
    /// themes with its polarity (`vetting-recruitment/concern`, [`theme_polarity`]): a filter
    /// only, so search can narrow to concern sentences of a theme and count them by polarity.
    pub polarity: Field,
    /// Stored JSON: a passage's tagged sentences as `[start, end, polarity, [themes]]`, or a
    /// report's record (metadata, hash, structured data).
    pub data: Field,
    /// Stored bytes on passages: where each of its sentences starts and ends, tagged or not
    /// (and its page, for PDFs), encoded by `index::spans` (format 9). What `themis export`
    /// cuts a passage into sentences with.
    pub sentences: Field,
    /// Report content hash (report documents).
    pub hash: Field,
    /// Sentences in the report (report documents), the denominator of per-10k rates.
    pub sentence_count: Field,
    /// Passages in the report (report documents). A report's passages are the documents right
    /// before its report document, in the same segment (they are added as one batch), so
    /// this count is all it takes to go from a report to its passages.
    pub passage_count: Field,
    /// Report title as one fast value (report documents), read without the document store.
    pub report_title: Field,
    /// Report date as one fast value (report documents).
    pub date: Field,
    /// Report id, file, region and type as fast values of report documents only, which is
    /// where report summaries read them. The filter fields of the same names are indexed on
    /// every document but not fast: seven text columns filled for every passage and never
    /// read there were 2–3% of indexing time.
    pub summary_id: Field,
    /// See [`Fields::summary_id`].
    pub summary_file: Field,
    /// See [`Fields::summary_id`].
    pub summary_region: Field,
    /// See [`Fields::summary_id`].
    pub summary_type: Field,
    /// The report's tagged sentences per theme and polarity (report documents), packed by
    /// [`pack_theme_count`], so theme counts are one fast-field read per report.
    pub theme_counts: Field,
    /// Stored JSON on report documents: the report's [`super::ReportHeader`], which search
    /// reads once per report it shows (a passage's report document is the next one after it).
    pub header: Field,
}

/// Packs "`count` sentences of theme number `theme` (taxonomy order) with `polarity`" into one
/// fast-field value.
pub fn pack_theme_count(theme: usize, polarity: Polarity, count: u32) -> u64 {
    let code: u64 = match polarity {
        Polarity::Concern => 0,
        Polarity::Strength => 1,
        Polarity::Neutral => 2,
    };
    ((theme as u64) << 34) | (code << 32) | u64::from(count)
}

/// The inverse of [`pack_theme_count`]: (theme number, polarity, count).
pub fn unpack_theme_count(value: u64) -> (usize, Polarity, u32) {
    let polarity = match (value >> 32) & 3 {
        0 => Polarity::Concern,
        1 => Polarity::Strength,
        _ => Polarity::Neutral,
    };
    ((value >> 34) as usize, polarity, value as u32)
}

/// The value of [`Fields::polarity`] saying a passage has a sentence of `theme` with `polarity`.
pub fn theme_polarity(theme: &str, polarity: Polarity) -> String {
    format!("{theme}/{polarity}")
}

/// Builds the schema and its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let analysed = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    // Report metadata repeated on every passage is a filter only: neither stored (excerpts
    // take their heading from their report document's stored header) nor fast (summaries read
    // the report document's own fast copies), which keeps each passage's cost to its text.
    let filter_key: TextOptions = STRING;
    let keyword: TextOptions = STRING | STORED;
    let fast_only = TextOptions::default().set_fast("raw");
    let fields = Fields {
        kind: builder.add_text_field("kind", STRING),
        text: builder.add_text_field("text", analysed(true)),
        title: builder.add_text_field("title", analysed(false)),
        report: builder.add_text_field("report", filter_key.clone()),
        file: builder.add_text_field("file", filter_key.clone()),
        region: builder.add_text_field("region", filter_key.clone()),
        year: builder.add_u64_field(fast::YEAR, INDEXED | FAST),
        report_type: builder.add_text_field("type", filter_key.clone()),
        section: builder.add_text_field("section", keyword.clone()),
        start: builder.add_u64_field("start", STORED),
        end: builder.add_u64_field("end", STORED),
        page: builder.add_u64_field("page", STORED),
        theme: builder.add_text_field("theme", keyword),
        polarity: builder.add_text_field("polarity", filter_key.clone()),
        data: builder.add_text_field("data", STORED),
        sentences: builder.add_bytes_field("sentence_spans", STORED),
        hash: builder.add_text_field(fast::HASH, fast_only.clone()),
        sentence_count: builder.add_u64_field(fast::SENTENCES, FAST),
        passage_count: builder.add_u64_field(PASSAGE_COUNT, FAST),
        report_title: builder.add_text_field(fast::REPORT_TITLE, fast_only.clone()),
        date: builder.add_text_field(fast::DATE, fast_only.clone()),
        summary_id: builder.add_text_field(SUMMARY_ID, fast_only.clone()),
        summary_file: builder.add_text_field(fast::SUMMARY_FILE, fast_only.clone()),
        summary_region: builder.add_text_field(fast::SUMMARY_REGION, fast_only.clone()),
        summary_type: builder.add_text_field(fast::SUMMARY_TYPE, fast_only),
        theme_counts: builder
            .add_u64_field(fast::THEME_COUNTS, NumericOptions::default().set_fast()),
        header: builder.add_text_field("header", STORED),
    };
    (builder.build(), fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_theme_counts_pack_and_unpack() {
        for polarity in [Polarity::Concern, Polarity::Strength, Polarity::Neutral] {
            let packed = pack_theme_count(28, polarity, 4_000_000);
            assert_eq!(unpack_theme_count(packed), (28, polarity, 4_000_000));
        }
    }
}
