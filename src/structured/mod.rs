//! Extraction of structured data from a report's plain text.
//!
//! This module owns the *tables and lists* of an inspection report, as opposed to its prose:
//!
//! - **Recommendations** ([`Recommendation`]): the items under a recommendations heading
//!   ("Regional recommendations", "HMPPS recommendations", "Annexe one – Recommendations"),
//!   with their addressee taken from the heading (a regional one is the report's region, from
//!   its metadata) or from a lead-in line such as
//!   "The PDU should:" / "Greater Manchester Region should:" (a PDU lead-in borrows the name of
//!   the "X PDU" sub-heading above it). Items are bulleted and/or numbered; hard-wrapped
//!   continuation lines are joined.
//! - **Key-question scores** ([`Scores`]): the four "percentage 'Yes'" figures of the "Scoring"
//!   table, whatever the table layout (`| … |` cells, tabs, the figure glued to the question,
//!   or the figure on the next line; "49%", "49.0%", "49 per cent").
//! - **Ratings** ([`Rating`]): PDU overall ratings (with the "Score 10/24" figure) and standard
//!   ratings ("1.2  Staff  Good") from a ratings annexe.
//! - **Key contextual facts** ([`KeyFact`]): the numbers of the "Key contextual facts" table,
//!   including multi-column groups (a label row, a column-header row, then a value row) and
//!   the glued layout of text copied from a web page, where footnote markers run into values
//!   ("(on 30 June 2025)116,821" is footnote 1 followed by 16,821).
//!
//! Nothing is guessed: a row that is recognisably part of one of these tables but cannot be
//! read is reported as a [`Problem`] (line, what was found, what was expected) and yields no
//! value. A stated absence ("Not available", "–") is not a problem and yields no value either.
//!
//! Everything works line by line over the raw text (lines and headings' text as
//! [`crate::text::lines`] defines them; byte offsets are into the text given), in time linear
//! in the input, and never panics. [`recurring_groups`] then compares recommendations across
//! reports.
//!
//! One file per part: `recommendations.rs`, `scores.rs`, `ratings.rs`, `facts.rs` and
//! `recurring.rs`, with the heading and sentence tests they share in `helpers.rs` and the
//! rebuilding of key-facts rows that a PDF's layout wrapped or ran together in
//! `fact_rows.rs`; this file holds what they return and [`extract`], which runs them.

mod fact_rows;
mod facts;
mod helpers;
mod ratings;
mod recommendations;
mod recurring;
mod scores;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::corpus::ReportMeta;

pub use facts::KeyFact;
pub use ratings::Rating;
pub use recommendations::{Addressee, Recommendation};
pub use recurring::{
    content_words, recurring_groups, similarity, DEFAULT_RECURRING_THRESHOLD, MIN_SHARED_WORDS,
};
pub use scores::Scores;

use helpers::split_lines;

/// Something that looked like part of a table or list but could not be read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    /// 1-based line number.
    pub line: usize,
    /// What was found.
    pub what: String,
    /// What was expected instead.
    pub expected: String,
}

/// Everything [`extract`] found in one report.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Structured {
    /// Recommendations in document order.
    pub recommendations: Vec<Recommendation>,
    /// Key-question scores, `Some` when the report has a scoring table (even a broken one).
    pub scores: Option<Scores>,
    /// Ratings in document order.
    pub ratings: Vec<Rating>,
    /// Key contextual facts in table order.
    pub facts: Vec<KeyFact>,
    /// What could not be read, in the order found.
    pub problems: Vec<Problem>,
}

/// Extracts recommendations, scores, ratings and key facts from a report's text.
///
/// `meta` is the report's resolved metadata (manifest entry or inference, see
/// [`ReportMeta::resolve`]): what the text alone does not settle is taken from it rather than
/// guessed again, namely the region that "Regional recommendations" are addressed to.
///
/// Never panics; linear in the input (each pass reads every line once).
pub fn extract(text: &str, meta: &ReportMeta) -> Structured {
    let lines = split_lines(text);
    let mut out = Structured::default();
    out.recommendations =
        recommendations::recommendations(&lines, meta.region.as_deref(), &mut out.problems);
    out.scores = scores::scores(&lines, &mut out.problems);
    out.ratings = ratings::ratings(&lines, &mut out.problems);
    out.facts = facts::facts(&lines, &mut out.problems);
    out.problems.sort_by_key(|p| p.line);
    out
}
