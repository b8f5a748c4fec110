//! Metadata inference for report files that have no manifest entry.
//!
//! This module owns reading a report's *decoded text* (and, weakly, its file name) and guessing
//! its title, publisher, publication date/year, report type and region. Region scoring and the
//! gazetteer data live in [`super::gazetteer`]; this module only calls it.
//!
//! Every rule prefers `None` to a guess: a field is filled only when the text shows it. Nothing
//! here panics on any input, and every pass is linear in the text (regexes are compiled once).
//!
//! ## Year rule
//! 1. A stated publication date near the top wins: a "Published …"/"Publication date: …" line,
//!    or a line that is only a date (a letter's date, a title page's "May 2023"), found before
//!    any related-links block ("Related topics", "More on this story").
//! 2. Else "© Crown copyright YYYY".
//! 3. Else an estimate from *dated context* in the body: month-precise dates (fieldwork, data
//!    "as of"/"on 30 June 2025", case windows), skipping reference/footnote lines, related links,
//!    history ("formed in June 2021", "last inspected", "since") and forward-looking phrases
//!    ("by March 2026", "will", "until"). The latest such date plus a four-month
//!    fieldwork-to-publication lag gives the year (so data to September–December points to the
//!    next year), raised to the latest year of a publication the report cites (a report cannot
//!    cite a later publication than itself), capped at the current year.
//! 4. Else a "by the end of YYYY" expectation gives YYYY (said in, or shortly before, that
//!    year), if no lower bound contradicts it.
//! 5. Else a year in the file name (as a separate token), else `None`.

mod dates;
mod doc;
mod publisher;
mod report_type;
#[cfg(test)]
mod tests;
mod title;

use once_cell::sync::Lazy;
use regex::Regex;
use serde::Serialize;

use super::gazetteer::Gazetteer;
use dates::infer_date;
use doc::Doc;
use publisher::infer_publisher;
use report_type::infer_type;
use title::letter_subject;

pub use title::extract_title;

/// Report types themis knows, as stored in the index.
pub const REPORT_TYPES: [&str; 9] = ReportType::NAMES;

use super::ReportType;

/// Metadata inferred from a report's text; every field is `None` when the text does not show it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct InferredMetadata {
    /// The report's heading (at most 200 characters), a letter's subject line, or for a
    /// regional review letter without one "Regional review letter: <region>".
    pub title: Option<String>,
    /// "HM Inspectorate of Probation" or "BBC News" when the text shows that authorship.
    pub publisher: Option<String>,
    /// Publication date as ISO `yyyy-mm-dd`, or `yyyy-mm` when only the month is stated.
    pub date: Option<String>,
    /// Publication year: from `date`, or estimated (see the module docs' year rule).
    pub year: Option<i32>,
    /// Its type, when the text shows it.
    pub report_type: Option<ReportType>,
    /// One of the 12 canonical regions (see [`super::gazetteer::REGIONS`]).
    pub region: Option<String>,
}

/// Publisher name used for HM Inspectorate of Probation.
pub const HMIP: &str = "HM Inspectorate of Probation";
/// Publisher name used for BBC articles.
pub const BBC: &str = "BBC News";

/// Longest title kept, in characters.
const MAX_TITLE_CHARS: usize = 200;
/// How many non-empty lines count as "the top" of a document for titles and stated dates.
const HEAD_LINES: usize = 60;
/// A stated date ("Published …", a date-only line) counts only within this many top lines.
const STATED_DATE_LINES: usize = 25;
/// Characters that count as the lead for type cues.
const LEAD_CHARS: usize = 3000;
/// Months between the latest dated context in a report and its publication.
const PUBLICATION_LAG_MONTHS: i32 = 4;
/// Earliest plausible year for a probation report in this corpus.
const MIN_YEAR: i32 = 1990;

/// Infers metadata from a report's decoded text. `file_name` is a weak hint (a year token,
/// "press-release", "letter"...) used only where the text says nothing.
pub fn infer_metadata(text: &str, file_name: &str) -> InferredMetadata {
    let doc = Doc::new(text);
    let gazetteer = Gazetteer::embedded();

    let report_type = infer_type(&doc, file_name);
    let mut title = letter_subject(&doc).or_else(|| extract_title(text));
    let region = gazetteer.infer_region_with_title(title.as_deref(), text);
    if title.is_none() && report_type == Some("regional-letter") && doc.has(&RE_REGIONAL_REVIEW) {
        if let Some(r) = region {
            title = Some(format!("Regional review letter: {r}"));
        }
    }
    let publisher = infer_publisher(&doc, report_type);
    let (date, year) = infer_date(&doc, file_name);

    InferredMetadata {
        title,
        publisher: publisher.map(str::to_string),
        date,
        year,
        report_type: report_type.and_then(ReportType::parse),
        region: region.map(str::to_string),
    }
}

fn re(pattern: &str) -> Regex {
    // Patterns are literals in this file and covered by tests; an invalid one would be a
    // programming error caught on the first test run.
    Regex::new(pattern).unwrap_or_else(|e| panic!("invalid built-in regex {pattern:?}: {e}"))
}

static RE_REGIONAL_REVIEW: Lazy<Regex> = Lazy::new(|| re(r"(?i)regional review"));
