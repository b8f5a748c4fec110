//! Segmentation of a report's plain text into sections, paragraphs, units and passages.
//!
//! This module owns the *structure* of a document: where the headings are (and therefore which
//! section every unit belongs to), how physical lines group into paragraphs (including
//! hard-wrapped PDF text and bullets with indented continuation lines), where sentences end,
//! which lines are page furniture (running headers/footers, bare page numbers), and how
//! consecutive sentences are windowed into passages for indexing. Every span is a UTF-8 byte
//! range into the text given, trimmed of whitespace and on char boundaries.
//!
//! Everything here is heuristic but deliberately generic: the rules describe how inspection
//! reports are laid out (web pages, PDF extractions, press releases), never particular sentences.
//! All passes are linear in the input, and no unit is longer than [`MAX_UNIT_BYTES`], so a
//! pathological input (one 200 MB line, say) cannot produce quadratic work or unbounded units.
//!
//! The pipeline, in order:
//! 1. **Lines**: split on "\n", "\r\n", "\r" (and form feed / Unicode line breaks); blank lines
//!    only mark a gap. Each line is classified: `#` heading, "(Back to top)" heading, table row
//!    (`|...|` or tab-separated), list item ("- ", "• ", "1.", "1)", "(a)", ...) or text.
//! 2. **Furniture**: bare page numbers, and short capitalised lines repeated 3+ times that look
//!    like a running header (a digit, an inner ':' or '|', all capitals, or an occurrence that
//!    interrupts a paragraph) produce no unit. Repeated headings ("Key areas for improvement:",
//!    "Strengths") have none of those marks and are kept.
//! 3. **Paragraphs**: within a block, a line continues the paragraph if it starts lowercase, is an
//!    indented continuation of a bullet, or follows a line ending mid-phrase ("...against the");
//!    otherwise every line is its own paragraph (web text puts one paragraph per line). Across a
//!    blank line or furniture, an unfinished line followed by a lowercase line is rejoined (PDF
//!    page breaks). A sentence is never stretched across furniture: the rejoined paragraph keeps
//!    both halves (so its passage reunites them) but the unit is split at the header, because a
//!    unit containing header text would pollute theme tagging and snippets.
//! 4. **Headings**: besides `#` and "(Back to top)" lines, a single-line paragraph is a heading
//!    if it is the document's first line (title), a short "Label:" line whose last word is not a
//!    lead-in ("The PDU should:", "X said:" are sentences), or a short (≤ 12 words) capitalised
//!    line without terminal punctuation, commas, inner quotes or glued table cells. A line
//!    followed by a lowercase continuation is never a heading (it is a wrapped fragment or a page
//!    header interrupting a paragraph).
//! 5. **Sentences**: split after `.`/`!`/`?`/`…` (plus closing quotes/brackets and a glued
//!    footnote number) when whitespace and a non-lowercase letter, digit or opening quote follow,
//!    except after titles (Mr, Dr, St), "e.g."/"i.e.", "No." before a number, initials and dotted
//!    abbreviations. Units longer than [`MAX_UNIT_BYTES`] are cut at whitespace.
//! 6. **Passages**: greedy windows of a paragraph's units bounded by [`PassageLimits`]; heading
//!    paragraphs have none.

mod build;
mod furniture;
mod headings;
mod lines;
mod paragraphs;
mod sentences;
#[cfg(test)]
mod tests;

use serde::Serialize;
use std::ops::Range;

use build::build;
use furniture::find_furniture;
use headings::mark_headings;
use lines::split_lines;
use paragraphs::group_paragraphs;

/// Longest unit (sentence, bullet sentence, table row) we emit, in bytes. A run of text with no
/// sentence boundary (a 5 MB line, a table dump) is cut at whitespace near this length; ~1,000
/// bytes is comfortably above the longest real sentence in inspection reports (~600 bytes).
pub const MAX_UNIT_BYTES: usize = 1000;

/// What a unit is, which decides how it is indexed (headings feed the section field, not passages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// A heading line; it is its own one-unit paragraph and starts a [`Section`].
    Heading,
    /// An ordinary prose sentence.
    Sentence,
    /// A sentence of a bulleted or numbered list item (the marker is not part of the span).
    Bullet,
    /// One row of a table (`| a | b |` or tab-separated), the trimmed line.
    TableRow,
}

/// A section of the document, opened by a heading line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// The cleaned heading ([`crate::text::lines::clean_heading`]): `#` markers, "(Back to top)",
    /// a trailing ':', emphasis and the quotes of a fully quoted heading removed.
    pub title: String,
    /// Byte offset of the heading line's (trimmed) text.
    pub start: usize,
    /// End byte offset (exclusive) of the heading line's text.
    pub end: usize,
}

/// One unit: a sentence, a bullet sentence, a heading or a table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// What kind of unit this is.
    pub kind: UnitKind,
    /// Index into [`Segmented::sections`] of the section this unit is in (`None` before the first heading).
    pub section: Option<usize>,
    /// Index into [`Segmented::paragraphs`].
    pub paragraph: usize,
}

/// A paragraph: a block of text (possibly several hard-wrapped lines), a bullet, a heading or a table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// Start byte offset (for bullets this includes the list marker).
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Index into [`Segmented::sections`].
    pub section: Option<usize>,
    /// Index range into [`Segmented::sentences`].
    pub sentences: Range<usize>,
}

/// A window of consecutive sentences of one paragraph, the unit of passage retrieval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// Start byte offset (= start of its first sentence).
    pub start: usize,
    /// End byte offset (= end of its last sentence).
    pub end: usize,
    /// Index into [`Segmented::paragraphs`].
    pub paragraph: usize,
    /// Index range into [`Segmented::sentences`].
    pub sentences: Range<usize>,
}

/// The full segmentation of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Segmented {
    /// Sections, in document order.
    pub sections: Vec<Section>,
    /// Paragraphs, in document order; each has at least one sentence.
    pub paragraphs: Vec<Paragraph>,
    /// Units, in document order, non-overlapping.
    pub sentences: Vec<Sentence>,
    /// Passages, in document order; heading paragraphs have none.
    pub passages: Vec<Passage>,
}

/// Size limits for passage windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageLimits {
    /// Most sentences in one passage (0 is treated as 1).
    pub max_sentences: usize,
    /// Most words in one passage; a single longer sentence is a passage on its own.
    pub max_words: usize,
}

impl Default for PassageLimits {
    /// 3 sentences, 90 words.
    fn default() -> Self {
        PassageLimits {
            max_sentences: 3,
            max_words: 90,
        }
    }
}

/// Segments `text` with the default [`PassageLimits`]; never panics on any input.
pub fn segment(text: &str) -> Segmented {
    segment_with(text, PassageLimits::default())
}

/// Like [`segment`], with a custom passage window.
pub fn segment_with(text: &str, limits: PassageLimits) -> Segmented {
    let lines = split_lines(text);
    let furniture = find_furniture(text, &lines);
    let (mut paras, segs) = group_paragraphs(text, &lines, &furniture);
    mark_headings(text, &mut paras);
    build(text, &paras, &segs, limits)
}
