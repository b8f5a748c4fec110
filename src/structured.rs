//! Extraction of structured data from a report's plain text.
//!
//! This module owns the *tables and lists* of an inspection report, as opposed to its prose:
//!
//! - **Recommendations** ([`Recommendation`]): the items under a recommendations heading
//!   ("Regional recommendations", "HMPPS recommendations", "Annexe one – Recommendations"),
//!   with their addressee taken from the heading or from a lead-in line such as
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
//! Everything works line by line over the raw text (byte offsets are into the text given), in
//! time linear in the input, and never panics. [`recurring_groups`] then compares
//! recommendations across reports.

use once_cell::sync::Lazy;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Who a recommendation is addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Addressee {
    /// A probation delivery unit.
    Pdu,
    /// A probation region (its director).
    Region,
    /// HM Prison and Probation Service nationally.
    Hmpps,
    /// Anyone else, or an addressee the text does not state.
    Other,
}

impl Addressee {
    /// The lowercase name used in JSON, CSV and `--addressee`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Addressee::Pdu => "pdu",
            Addressee::Region => "region",
            Addressee::Hmpps => "hmpps",
            Addressee::Other => "other",
        }
    }
}

/// One recommendation as written in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Who it is addressed to.
    pub addressee: Addressee,
    /// The addressee's name: the PDU ("Manchester North"), the region ("Greater Manchester
    /// Region", or the region named in the report title for "Regional recommendations"), or
    /// "HMPPS"; `None` when the text does not say.
    pub addressee_name: Option<String>,
    /// The item's number ("3." → 3), `None` for a bullet without a number.
    pub number: Option<u32>,
    /// The recommendation text, whitespace-normalised, wrapped lines joined, marker removed.
    pub text: String,
    /// Byte offset where the recommendation text starts (after its bullet/number marker).
    pub start: usize,
    /// Byte offset (exclusive) where it ends, after any continuation lines.
    pub end: usize,
    /// The heading it came under: the lead-in line ("The PDU should:") when there is one,
    /// otherwise the cleaned section heading ("HMPPS recommendations").
    pub heading: String,
}

/// The key-question scores: the percentage of inspected cases answered 'Yes'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// "Does assessment focus sufficiently on keeping other people safe?"
    pub assessment: Option<f64>,
    /// "Does planning focus sufficiently on keeping other people safe?"
    pub planning: Option<f64>,
    /// "Does the implementation and delivery of services effectively support the safety of
    /// other people?"
    pub implementation: Option<f64>,
    /// "Does reviewing focus sufficiently on keeping other people safe?"
    pub reviewing: Option<f64>,
}

/// One rating from a ratings table: a PDU's overall rating or one standard's rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// The PDU rated ("Manchester North", without "PDU"), or "overall" when the table names none.
    pub subject: String,
    /// The standard ("1.1" … "2.5"), `None` for the overall rating.
    pub standard: Option<String>,
    /// The standard's name ("Staff"), `None` for the overall rating.
    pub name: Option<String>,
    /// One of "Outstanding", "Good", "Requires improvement", "Inadequate".
    pub rating: String,
    /// The score as written ("10/24"), on the overall rating only.
    pub score: Option<String>,
}

/// One number from the "Key contextual facts" table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFact {
    /// A stable snake_case key, e.g. "people_supervised", "staffing_po_percent",
    /// "caseload_pqip", "risk_high_percent"; an unknown label gets its slug.
    pub name: String,
    /// The label as written (footnote marker removed); for a column of a group,
    /// "group label – column".
    pub label: String,
    /// The value (16,013 → 16013.0; 24.88% → 24.88).
    pub value: f64,
    /// "percent", "people", "cases" or "number".
    pub unit: String,
    /// 1-based line of the value.
    pub line: usize,
}

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
/// Never panics; linear in the input (each pass reads every line once).
pub fn extract(text: &str) -> Structured {
    let lines = split_lines(text);
    let mut out = Structured::default();
    let region = report_region(&lines);
    out.recommendations = recommendations(&lines, region.as_deref(), &mut out.problems);
    out.scores = scores(&lines, &mut out.problems);
    out.ratings = ratings(&lines, &mut out.problems);
    out.facts = facts(&lines, &mut out.problems);
    out.problems.sort_by_key(|p| p.line);
    out
}

// ---------------------------------------------------------------------------------------------
// Lines and shared helpers
// ---------------------------------------------------------------------------------------------

/// One physical line: 1-based number, byte offset of its first byte, text without terminator.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    no: usize,
    start: usize,
    text: &'a str,
}

/// Splits on "\n", "\r\n" and lone "\r" (old Mac / some PDF extractions), keeping offsets.
fn split_lines(text: &str) -> Vec<Line<'_>> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let ends = memchr::memchr2_iter(b'\n', b'\r', bytes);
    for i in ends {
        if i < start {
            // The '\n' of a "\r\n" already taken.
            continue;
        }
        out.push(Line {
            no: out.len() + 1,
            start,
            text: &text[start..i],
        });
        start = i + 1;
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            start += 1;
        }
    }
    if start < bytes.len() {
        out.push(Line {
            no: out.len() + 1,
            start,
            text: &text[start..],
        });
    }
    out
}

/// True when `s` has more than `n` words; stops counting there, since a long paragraph is a
/// line too and most lines are asked about only to be ruled out.
fn more_words_than(s: &str, n: usize) -> bool {
    s.split_whitespace().nth(n).is_some()
}

/// Collapses runs of whitespace to one space and trims.
fn normalise_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

static BACK_TO_TOP: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)\(\s*back to top\s*\)").expect("static regex"));

/// A heading that certainly starts a new section: a web "(Back to top)" heading or a markdown one.
fn is_hard_heading(t: &str) -> bool {
    // Most lines have no '(' and need no regex.
    (t.contains('(') && BACK_TO_TOP.is_match(t)) || t.trim_start().starts_with('#')
}

/// The heading text without "#", "(Back to top)", "**" and a trailing ':'.
fn clean_heading(t: &str) -> String {
    // The pattern needs a '(' and most headings have none; nor "**", which `replace` would
    // copy the line to look for.
    let s = if t.contains('(') {
        BACK_TO_TOP.replace_all(t, "")
    } else {
        Cow::Borrowed(t)
    };
    let s = s.trim().trim_start_matches('#');
    let s = if s.contains("**") {
        Cow::Owned(s.replace("**", ""))
    } else {
        Cow::Borrowed(s)
    };
    normalise_ws(s.trim().trim_end_matches(':'))
}

/// `clean_heading(t).eq_ignore_ascii_case(word)` for a `word` without spaces, without cleaning
/// (a regex pass and three allocations) the many lines that have nothing to clean off.
fn heading_is(t: &str, word: &str) -> bool {
    if t.contains(['(', '*']) {
        return clean_heading(t).eq_ignore_ascii_case(word);
    }
    // With no "(Back to top)" or "**" in it, cleaning only trims '#', ':' and white space, and
    // a heading that is one word has no white space left inside.
    let s = t
        .trim()
        .trim_start_matches('#')
        .trim()
        .trim_end_matches(':');
    s.trim().eq_ignore_ascii_case(word)
}

/// A short line that reads like a heading: ≤ 12 words, no terminal sentence punctuation,
/// starting with an uppercase letter or digit.
/// Also true for every [`is_hard_heading`] line.
fn is_heading_like(t: &str) -> bool {
    let t = t.trim();
    if t.is_empty() || is_hard_heading(t) {
        return !t.is_empty();
    }
    let first = t.chars().next().unwrap_or(' ');
    !t.ends_with(['.', '!', '?', ';', ','])
        && (first.is_uppercase() || first.is_ascii_digit())
        && !more_words_than(t, 12)
}

fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with(['.', '!', '?', ';'])
}

fn starts_lowercase(t: &str) -> bool {
    t.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase())
}

/// The region named in the report title ("Dynamic Inspection of Public Protection in South West
/// region" → "South West"), used as the addressee of "Regional recommendations".
fn report_region(lines: &[Line]) -> Option<String> {
    static TITLE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?i)^.*\binspection\b.*\bin (?:the )?([A-Z][A-Za-z ,&'’-]*?)(?: region)?\s*$")
            .expect("static regex")
    });
    // The title pattern's captures are slow to rule a line out; an ASCII line without the word
    // cannot match (other lines may hold a case-folded form of it, so they go to the pattern).
    static WORD: Lazy<Regex> = Lazy::new(|| Regex::new(r"(?i-u)inspection").expect("static regex"));
    lines
        .iter()
        .take(60)
        .filter(|l| !l.text.is_ascii() || WORD.is_match(l.text))
        .filter(|l| !more_words_than(l.text, 16))
        .find_map(|l| TITLE.captures(l.text.trim()))
        .map(|c| normalise_ws(&c[1]))
        .filter(|r| !r.is_empty())
}

// ---------------------------------------------------------------------------------------------
// Recommendations
// ---------------------------------------------------------------------------------------------

static ITEM: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\s*(?:([-•*▪·●◦–])\s+)?(?:\(?(\d{1,2})[.)]\s+)?").expect("static regex")
});
static LEAD_IN: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)^\s*(.{1,80}?)\s+should\s*:\s*$").expect("static regex"));

/// A list item: (number, byte offset of the text within the line), when the line has a bullet
/// and/or a number marker followed by text.
fn item_marker(line: &str) -> Option<(Option<u32>, usize)> {
    let c = ITEM.captures(line)?;
    if c.get(1).is_none() && c.get(2).is_none() {
        return None;
    }
    let end = c.get(0)?.end();
    if line[end..].trim().is_empty() {
        return None;
    }
    let number = c.get(2).and_then(|m| m.as_str().parse().ok());
    Some((number, end))
}

/// A heading that opens a recommendations block: short, mentions "recommendation(s)", not a
/// sentence ("Our recommendations … are set out in Annexe one." is prose).
fn is_recs_heading(t: &str) -> bool {
    // The cheap test first: most lines are prose, not headings.
    if !is_heading_like(t) {
        return false;
    }
    let c = clean_heading(t);
    let lower = c.to_lowercase();
    !more_words_than(&c, 8)
        && lower
            .split(|ch: char| !ch.is_alphanumeric())
            .any(|w| w == "recommendations" || w == "recommendation")
}

/// Addressee implied by a web-layout heading ("HMPPS recommendations", "Regional recommendations").
/// `None` means the heading names nobody ("Annexe one – Recommendations") and lead-ins will.
fn addressee_from_heading(
    heading: &str,
    region: Option<&str>,
) -> Option<(Addressee, Option<String>)> {
    let lower = heading.to_lowercase();
    if lower.contains("hmpps") || lower.contains("prison and probation service") {
        Some((Addressee::Hmpps, Some("HMPPS".into())))
    } else if lower.contains("region") {
        Some((Addressee::Region, region.map(str::to_string)))
    } else if lower.contains("pdu") || lower.contains("probation delivery unit") {
        Some((Addressee::Pdu, None))
    } else if lower.contains("annex") || lower.contains("appendix") || lower == "recommendations" {
        None
    } else {
        let name = normalise_ws(
            &heading
                .replace("recommendations", "")
                .replace("Recommendations", ""),
        );
        Some((Addressee::Other, (!name.is_empty()).then_some(name)))
    }
}

/// Addressee named by a lead-in subject ("The PDU", "Greater Manchester region",
/// "HM Prison and Probation Service").
fn addressee_from_subject(subject: &str, pdu: Option<&str>) -> (Addressee, Option<String>) {
    let lower = subject.to_lowercase();
    if lower.contains("prison and probation service") || lower.contains("hmpps") {
        (Addressee::Hmpps, Some("HMPPS".into()))
    } else if lower.contains("pdu") || lower.contains("probation delivery unit") {
        let own = strip_pdu(subject);
        // "The PDU should:" names no PDU itself: it is the one of the sub-heading above.
        let own = if own.eq_ignore_ascii_case("the") || own.eq_ignore_ascii_case("this") {
            ""
        } else {
            own.as_str()
        };
        let name = if own.is_empty() {
            pdu.map(str::to_string)
        } else {
            Some(own.to_string())
        };
        (Addressee::Pdu, name)
    } else if lower.contains("region") {
        // "Greater Manchester region" and "… Region" are the same addressee: one spelling.
        let mut name = subject.trim().to_string();
        if name.ends_with(" region") {
            name.truncate(name.len() - " region".len());
            name.push_str(" Region");
        }
        (Addressee::Region, Some(name))
    } else {
        (Addressee::Other, Some(subject.trim().to_string()))
    }
}

/// "Manchester North PDU" → "Manchester North"; also drops "probation delivery unit".
fn strip_pdu(s: &str) -> String {
    static PDU: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?i)\s*\b(?:PDU|probation delivery unit)\b\s*").expect("static regex")
    });
    normalise_ws(&PDU.replace_all(s, " "))
}

/// A sub-heading naming a PDU inside a recommendations block ("Tameside PDU").
fn pdu_subheading(t: &str) -> Option<String> {
    let c = clean_heading(t);
    let lower = c.to_lowercase();
    (lower.ends_with(" pdu") || lower.ends_with(" probation delivery unit"))
        .then(|| strip_pdu(&c))
        .filter(|n| !n.is_empty())
}

struct RecBlock {
    heading_line: usize,
    items: usize,
}

struct LeadIn {
    line: usize,
    addressee: Addressee,
    name: Option<String>,
    heading: String,
    items: usize,
    /// Report a problem when no item follows (true for "X should:" lead-ins).
    check_empty: bool,
}

fn recommendations(
    lines: &[Line],
    region: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Vec<Recommendation> {
    let mut recs: Vec<Recommendation> = Vec::new();
    let mut block: Option<RecBlock> = None;
    let mut lead: Option<LeadIn> = None;
    let mut pdu: Option<String> = None;
    // The item that an unmarked line may continue (cleared by anything that is not text).
    let mut open: Option<usize> = None;
    // Pieces of text of the open item, joined when it closes.
    let mut pieces: Vec<&str> = Vec::new();

    fn close_item(recs: &mut [Recommendation], open: &mut Option<usize>, pieces: &mut Vec<&str>) {
        if let Some(i) = open.take() {
            recs[i].text = normalise_ws(&pieces.join(" "));
        }
        pieces.clear();
    }
    fn close_lead(lead: &mut Option<LeadIn>, problems: &mut Vec<Problem>) {
        if let Some(l) = lead.take() {
            if l.items == 0 && l.check_empty {
                problems.push(Problem {
                    line: l.line,
                    what: format!("lead-in '{}' with no recommendations under it", l.heading),
                    expected: "bulleted or numbered recommendations after the lead-in".into(),
                });
            }
        }
    }
    fn close_block(block: &mut Option<RecBlock>, problems: &mut Vec<Problem>) {
        if let Some(b) = block.take() {
            if b.items == 0 {
                problems.push(Problem {
                    line: b.heading_line,
                    what: "recommendations heading with no recommendations under it".into(),
                    expected: "bulleted or numbered recommendations after the heading".into(),
                });
            }
        }
    }

    let mut block_heading = String::new();
    // Whether a blank line separates this line from the previous one.
    let mut gap = false;
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() {
            gap = true;
            continue;
        }
        let blank_before = std::mem::replace(&mut gap, false);
        if is_recs_heading(t) {
            close_item(&mut recs, &mut open, &mut pieces);
            close_lead(&mut lead, problems);
            close_block(&mut block, problems);
            block = Some(RecBlock {
                heading_line: line.no,
                items: 0,
            });
            block_heading = clean_heading(t);
            pdu = None;
            lead = addressee_from_heading(&block_heading, region).map(|(a, n)| LeadIn {
                line: line.no,
                addressee: a,
                name: n,
                heading: block_heading.clone(),
                items: 0,
                // The heading itself is checked by its block; don't report it twice.
                check_empty: false,
            });
            continue;
        }
        let Some(b) = block.as_mut() else { continue };
        // Bare page numbers of PDF extractions sit between items; they are furniture.
        if t.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Some(c) = LEAD_IN.captures(t) {
            close_item(&mut recs, &mut open, &mut pieces);
            close_lead(&mut lead, problems);
            let (addressee, name) = addressee_from_subject(&c[1], pdu.as_deref());
            lead = Some(LeadIn {
                line: line.no,
                addressee,
                name,
                heading: normalise_ws(t),
                items: 0,
                check_empty: true,
            });
            continue;
        }
        if let Some((number, off)) = item_marker(line.text) {
            close_item(&mut recs, &mut open, &mut pieces);
            let body = &line.text[off..];
            let body_trim = body.trim_end();
            let start = line.start + off;
            let (addressee, name, heading) = match &mut lead {
                Some(l) => {
                    l.items += 1;
                    (l.addressee.clone(), l.name.clone(), l.heading.clone())
                }
                None => (Addressee::Other, None, block_heading.clone()),
            };
            b.items += 1;
            recs.push(Recommendation {
                addressee,
                addressee_name: name,
                number,
                text: String::new(),
                start,
                end: start + body_trim.len(),
                heading,
            });
            open = Some(recs.len() - 1);
            pieces.push(body_trim);
            continue;
        }
        if is_hard_heading(t) {
            close_item(&mut recs, &mut open, &mut pieces);
            close_lead(&mut lead, problems);
            close_block(&mut block, problems);
            continue;
        }
        // An unmarked text line continues the open item when it starts lowercase (hard-wrapped
        // PDF text, even across a page break), or when the item is unfinished and no blank line
        // intervened. A PDU sub-heading never continues anything: items often lack a full stop.
        if let Some(i) = open.filter(|_| pdu_subheading(t).is_none()) {
            let prev = pieces.last().copied().unwrap_or("");
            if starts_lowercase(t) || (!ends_sentence(prev) && !blank_before) {
                pieces.push(t);
                let lead_ws = line.text.len() - line.text.trim_start().len();
                recs[i].end = line.start + lead_ws + t.len();
                continue;
            }
        }
        if is_heading_like(t) {
            close_item(&mut recs, &mut open, &mut pieces);
            if let Some(name) = pdu_subheading(t) {
                close_lead(&mut lead, problems);
                pdu = Some(name);
                continue;
            }
            close_lead(&mut lead, problems);
            close_block(&mut block, problems);
            continue;
        }
        // A sentence line under an addressee with no list marker: web text whose <li> markers
        // were lost. It is an item of the current list.
        if let Some(l) = lead.as_mut().filter(|_| more_words_than(t, 3)) {
            close_item(&mut recs, &mut open, &mut pieces);
            l.items += 1;
            b.items += 1;
            let lead_ws = line.text.len() - line.text.trim_start().len();
            let start = line.start + lead_ws;
            recs.push(Recommendation {
                addressee: l.addressee.clone(),
                addressee_name: l.name.clone(),
                number: None,
                text: String::new(),
                start,
                end: start + t.len(),
                heading: l.heading.clone(),
            });
            open = Some(recs.len() - 1);
            pieces.push(t);
            continue;
        }
        close_item(&mut recs, &mut open, &mut pieces);
        close_lead(&mut lead, problems);
        close_block(&mut block, problems);
    }
    close_item(&mut recs, &mut open, &mut pieces);
    close_lead(&mut lead, problems);
    close_block(&mut block, problems);
    recs
}

// ---------------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Question {
    Assessment,
    Planning,
    Implementation,
    Reviewing,
}

impl Question {
    const ALL: [Question; 4] = [
        Question::Assessment,
        Question::Planning,
        Question::Implementation,
        Question::Reviewing,
    ];
    fn name(self) -> &'static str {
        match self {
            Question::Assessment => "assessment",
            Question::Planning => "planning",
            Question::Implementation => "implementation and delivery",
            Question::Reviewing => "reviewing",
        }
    }
}

static QUESTION: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(assessment|planning|implementation|reviewing)\b").expect("static regex")
});
static PERCENT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(\d{1,3}(?:\.\d+)?)\s*(%|per\s*cent|percent)?\s*$").expect("static regex")
});

/// Reads a percentage cell: "49%", "49 %", "49.0%", "49 per cent", or a bare 0–100 number
/// (the column header already says "Percentage").
fn parse_percent(s: &str) -> Option<f64> {
    let s = s.trim().trim_matches('|').trim();
    let c = PERCENT.captures(s)?;
    let v: f64 = c[1].parse().ok()?;
    (v <= 100.0).then_some(v)
}

/// Is this line a key question of the scoring table, and which?
fn question_of(t: &str) -> Option<(Question, &str)> {
    let lower_has_q = t.contains('?') || {
        let l = t.trim_start_matches(['|', ' ', '\t']).to_lowercase();
        l.starts_with("does ") || l.starts_with("is ") || l.starts_with("how ")
    };
    if !lower_has_q {
        return None;
    }
    let m = QUESTION.captures(t)?;
    let q = match m[1].to_lowercase().as_str() {
        "assessment" => Question::Assessment,
        "planning" => Question::Planning,
        "implementation" => Question::Implementation,
        _ => Question::Reviewing,
    };
    // The figure is whatever follows the question mark (glued, after a tab or a '|' cell);
    // without a '?', the last delimited cell.
    let rest = if let Some(i) = t.rfind('?') {
        &t[i + 1..]
    } else if let Some(i) = t.trim_end().trim_end_matches('|').rfind(['|', '\t']) {
        &t[i + 1..]
    } else {
        ""
    };
    Some((q, rest))
}

/// The score-table header row: "Key question | Percentage 'Yes'" in any layout.
fn is_key_question_header(t: &str) -> bool {
    // The header starts with "key" once separators are skipped. Only a non-ASCII first letter
    // needs the full test (the Kelvin sign lowercases to 'k'; no other letter of "key" can
    // come from a non-ASCII one).
    let head = t.trim_start_matches(|c: char| c.is_whitespace() || c == '|');
    if head.starts_with(|c: char| c.is_ascii())
        && !head.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("key"))
    {
        return false;
    }
    let c = normalise_ws(&t.replace(['|', '\t'], " ")).to_lowercase();
    c.starts_with("key question") && !more_words_than(&c, 6)
}

/// Finds the scoring table: after a "Scoring" heading or at its header row. A "Scoring"
/// heading followed by neither header row nor key question is not a table (no problems).
fn scores(lines: &[Line], problems: &mut Vec<Problem>) -> Option<Scores> {
    let mut candidates = lines.iter().enumerate().filter(|(_, l)| {
        let t = l.text.trim();
        (is_heading_like(t) && {
            let c = clean_heading(t).to_lowercase();
            c == "scoring" || c == "scores"
        }) || is_key_question_header(t)
    });
    candidates.find_map(|(start, _)| score_table(lines, start, problems))
}

/// Reads the scoring table whose heading or header row is `lines[start]`.
fn score_table(lines: &[Line], start: usize, problems: &mut Vec<Problem>) -> Option<Scores> {
    let mut header_seen = is_key_question_header(lines[start].text);
    let mut local = Vec::new();
    let problems_out = problems;
    let problems = &mut local;
    let heading_line = lines[start].no;
    let mut found: BTreeMap<Question, (usize, Option<f64>)> = BTreeMap::new();
    // A question whose figure has not been seen yet (it may be on the next line).
    let mut pending: Option<(Question, usize)> = None;
    let bad_figure = |problems: &mut Vec<Problem>, line: usize, q: Question, fig: &str| {
        problems.push(Problem {
            line,
            what: format!(
                "unreadable percentage '{}' for the {} question",
                fig.trim(),
                q.name()
            ),
            expected: "a percentage such as '49%', '49.0%' or '49 per cent'".into(),
        });
    };
    for l in &lines[start + 1..] {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        if is_key_question_header(t) {
            header_seen = true;
            continue;
        }
        if let Some((q, rest)) = question_of(t) {
            pending = None;
            if found.contains_key(&q) {
                problems.push(Problem {
                    line: l.no,
                    what: format!("second row for the {} question", q.name()),
                    expected: "each key question once".into(),
                });
                continue;
            }
            let fig = rest.replace(['|', '\t'], " ");
            if fig.trim().is_empty() {
                found.insert(q, (l.no, None));
                pending = Some((q, l.no));
            } else {
                let v = parse_percent(&fig);
                if v.is_none() {
                    bad_figure(problems, l.no, q, &fig);
                }
                found.insert(q, (l.no, v));
            }
            continue;
        }
        if let Some((q, _)) = pending {
            let fig = t.replace(['|', '\t'], " ");
            if let Some(v) = parse_percent(&fig) {
                found.insert(q, (l.no, Some(v)));
                pending = None;
                continue;
            }
            if fig.chars().any(|c| c.is_ascii_digit()) && !more_words_than(&fig, 3) {
                bad_figure(problems, l.no, q, &fig);
                pending = None;
                continue;
            }
        }
        break;
    }
    if found.is_empty() && !header_seen {
        return None;
    }
    let mut s = Scores {
        assessment: None,
        planning: None,
        implementation: None,
        reviewing: None,
    };
    for q in Question::ALL {
        let value = match found.get(&q) {
            None => {
                problems.push(Problem {
                    line: heading_line,
                    what: format!("scoring table has no row for the {} question", q.name()),
                    expected: "a row with the question and its percentage 'Yes'".into(),
                });
                None
            }
            Some(&(line, None)) => {
                // Only report a missing figure; an unreadable one was reported where it was read.
                if !problems
                    .iter()
                    .any(|p| p.line >= line && p.what.contains(q.name()))
                {
                    problems.push(Problem {
                        line,
                        what: format!("no percentage for the {} question", q.name()),
                        expected:
                            "a percentage such as '49%' after the question or on the next line"
                                .into(),
                    });
                }
                None
            }
            Some(&(_, v)) => v,
        };
        match q {
            Question::Assessment => s.assessment = value,
            Question::Planning => s.planning = value,
            Question::Implementation => s.implementation = value,
            Question::Reviewing => s.reviewing = value,
        }
    }
    problems_out.append(problems);
    Some(s)
}

// ---------------------------------------------------------------------------------------------
// Ratings
// ---------------------------------------------------------------------------------------------

static RATING_AT_END: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)(outstanding|good|requires\s+improvement|inadequate)[\s|]*$")
        .expect("static regex")
});
static STANDARD: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^[\s|]*(\d{1,2}\.\d{1,2})[\s|]*([^\d.%].*)?$").expect("static regex")
});
static DOMAIN: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^[\s|]*\d{1,2}\.(?:[\s|]|$)").expect("static regex"));
static SCORE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)\bscore\b[\s|:]*(\d{1,3}\s*/\s*\d{1,3})").expect("static regex"));
static FIELDWORK: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)\bfieldwork\b").expect("static regex"));
static OVERALL: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)^[\s|]*overall rating\b(.*)$").expect("static regex"));

fn canonical_rating(s: &str) -> String {
    let l = normalise_ws(&s.to_lowercase());
    let mut c = l.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => l,
    }
}

fn separators_trimmed(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '|' || c == ':')
}

fn ratings(lines: &[Line], problems: &mut Vec<Problem>) -> Vec<Rating> {
    let mut out = Vec::new();
    let Some(start) = lines.iter().position(|l| {
        let t = l.text.trim();
        is_heading_like(t)
            && clean_heading(t)
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "ratings")
    }) else {
        return out;
    };
    let mut subject = "overall".to_string();
    let mut score: Option<(String, usize)> = None;
    let expected = "a rating: Outstanding, Good, Requires improvement or Inadequate";
    // Introductory prose may sit between the heading and the table; only once a row of the
    // table has been read does prose end it.
    let mut started = false;
    for l in &lines[start + 1..] {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        // The table ends at the next section: a heading, another annexe, or running prose
        // (table rows are short; "2.5 million people …" in a paragraph is not a standard).
        let is_row = SCORE.is_match(t)
            || FIELDWORK.is_match(t)
            || OVERALL.is_match(t)
            || STANDARD.is_match(t);
        if is_hard_heading(t)
            || (t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("annex")) && is_heading_like(t))
            || (started && !is_row && more_words_than(t, 25))
        {
            break;
        }
        started |= is_row;
        let sc = SCORE.captures(t);
        if sc.is_some() || FIELDWORK.is_match(t) {
            if let Some((s, line)) = score.take() {
                problems.push(Problem {
                    line,
                    what: format!("score {s} for {subject} with no overall rating"),
                    expected: "an 'Overall rating' row after the score".into(),
                });
            }
            let cut = [
                FIELDWORK.find(t).map(|m| m.start()),
                sc.as_ref().and_then(|c| c.get(0)).map(|m| m.start()),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(t.len());
            let name = strip_pdu(separators_trimmed(&t[..cut]));
            subject = if name.is_empty() {
                "overall".into()
            } else {
                name
            };
            score = sc.map(|c| (c[1].split_whitespace().collect::<String>(), l.no));
            continue;
        }
        if let Some(c) = OVERALL.captures(t) {
            match RATING_AT_END.captures(&c[1]) {
                Some(r) => out.push(Rating {
                    subject: subject.clone(),
                    standard: None,
                    name: None,
                    rating: canonical_rating(&r[1]),
                    score: score.take().map(|(s, _)| s),
                }),
                None => problems.push(Problem {
                    line: l.no,
                    what: format!(
                        "overall rating of {subject} unreadable: '{}'",
                        separators_trimmed(&c[1])
                    ),
                    expected: expected.into(),
                }),
            }
            continue;
        }
        if let Some(c) = STANDARD.captures(t) {
            let rest = c.get(2).map_or("", |m| m.as_str());
            match RATING_AT_END.captures(rest) {
                Some(r) => {
                    let name = separators_trimmed(&rest[..r.get(0).map_or(0, |m| m.start())]);
                    out.push(Rating {
                        subject: subject.clone(),
                        standard: Some(c[1].to_string()),
                        name: (!name.is_empty()).then(|| normalise_ws(name)),
                        rating: canonical_rating(&r[1]),
                        score: None,
                    })
                }
                None => problems.push(Problem {
                    line: l.no,
                    what: format!(
                        "standard {} of {subject} has no recognisable rating: '{}'",
                        &c[1],
                        normalise_ws(separators_trimmed(rest))
                    ),
                    expected: expected.into(),
                }),
            }
            continue;
        }
        // "1.  Organisational delivery": a domain header; domains carry no rating of their own.
        if DOMAIN.is_match(t) {
            continue;
        }
        // Anything else (introductory prose, a link) is not part of the table.
    }
    if let Some((s, line)) = score {
        problems.push(Problem {
            line,
            what: format!("score {s} for {subject} with no overall rating"),
            expected: "an 'Overall rating' row after the score".into(),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Key contextual facts
// ---------------------------------------------------------------------------------------------

/// A cell value: a number (and whether it was a percentage), or a stated absence.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Number(f64, bool),
    Absent,
}

static NUMBER: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(%|per\s*cent|percent)?(\d{1,2})?$")
        .expect("static regex")
});

/// Reads "16,013", "24.88%", "35.71%7" (a footnote marker after the '%'), "72 per cent",
/// "Not available", "–". `None` when it is none of these.
fn parse_value(s: &str) -> Option<Value> {
    let s = normalise_ws(s.trim().trim_matches('|'));
    let lower = s.to_lowercase();
    if matches!(
        lower.as_str(),
        "not available"
            | "n/a"
            | "na"
            | "–"
            | "-"
            | "—"
            | "not applicable"
            | "none available"
            | "no data"
    ) {
        return Some(Value::Absent);
    }
    let c = NUMBER.captures(&s)?;
    let pct = c.get(3).is_some();
    // Digits after the number are only a footnote marker when a '%' separates them.
    if c.get(4).is_some() && !pct {
        return None;
    }
    let int: String = c[1].chars().filter(|c| *c != ',').collect();
    let frac = c.get(2).map_or("", |m| m.as_str());
    format!("{int}{frac}")
        .parse()
        .ok()
        .map(|v| Value::Number(v, pct))
}

/// Column vocabulary of the multi-column groups: (spelling, key), longest first so that
/// "probation services officer" wins over "probation officer" and "pso" over "po".
const COLUMNS: &[(&str, &str)] = &[
    ("probation services officers", "pso"),
    ("probation services officer", "pso"),
    ("probation service officers", "pso"),
    ("probation service officer", "pso"),
    ("senior probation officers", "spo"),
    ("senior probation officer", "spo"),
    ("probation officers", "po"),
    ("probation officer", "po"),
    ("high/very high", "high"),
    ("very high/high", "high"),
    ("very high", "high"),
    ("medium", "medium"),
    ("pqips", "pqip"),
    ("pqip", "pqip"),
    ("spos", "spo"),
    ("psos", "pso"),
    ("high", "high"),
    ("spo", "spo"),
    ("pso", "pso"),
    ("pos", "po"),
    ("low", "low"),
    ("po", "po"),
];

/// Removes parenthesised text, nested or not ("PSO (inc. PQiP (x))" → "PSO ").
fn strip_parens(s: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Reads a column-header text as a sequence of known columns: (key, spelling as written).
/// Works on glued text ("POPSO (exc. PQiP)PQiP") because it tokenises by vocabulary, longest
/// match first; `None` unless the whole text is consumed.
fn column_tokens(s: &str) -> Option<Vec<(&'static str, String)>> {
    let stripped = strip_parens(s);
    let lower = stripped.to_lowercase();
    // Lowercasing can change byte lengths for exotic characters; then positions would not map
    // back, so refuse (column headers are ASCII).
    if lower.len() != stripped.len() {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 0;
    let b = lower.as_bytes();
    while i < b.len() {
        if b[i].is_ascii_whitespace() || b[i] == b',' {
            i += 1;
            continue;
        }
        let (spelling, key) = COLUMNS.iter().find(|(w, _)| lower[i..].starts_with(w))?;
        out.push((*key, stripped.get(i..i + spelling.len())?.to_string()));
        i += spelling.len();
    }
    (!out.is_empty()).then_some(out)
}

/// One classified row of the facts table.
#[derive(Debug, Clone)]
enum Row {
    /// Column headers of a group.
    Columns(Vec<(&'static str, String)>),
    /// Values of a group, one cell per column (delimited layout).
    Cells(Vec<String>),
    /// Values of a group glued together ("88%89%85%", "36.2148.4935.31").
    Glued(String),
    /// A label and what follows it. In the glued layout `tail` may still start with a footnote
    /// marker (see [`resolve_markers`]); in the delimited layout the marker is already removed.
    Labelled {
        label: String,
        tail: String,
        glued: bool,
    },
}

static LABEL_MARKER: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\)\s*(\d{1,2})$").expect("static regex"));
static TRAILING_VALUE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(.*?[^\d\s.,%])\s*(\d[\d,]*(?:\.\d+)?\s*(?:%|per\s*cent)?\d{0,2}|not available|n/a)$")
        .expect("static regex")
});

fn classify_row(t: &str) -> Row {
    let delimited = t.contains('|') || t.contains('\t');
    if delimited {
        let cells: Vec<String> = t
            .split(['|', '\t'])
            .map(normalise_ws)
            .filter(|c| !c.is_empty())
            .collect();
        if cells.len() >= 2 {
            let cols: Option<Vec<_>> = cells
                .iter()
                .map(|c| {
                    column_tokens(c)
                        .filter(|v| v.len() == 1)
                        .map(|mut v| v.remove(0))
                })
                .collect();
            if let Some(cols) = cols {
                return Row::Columns(cols);
            }
            if cells.iter().all(|c| parse_value(c).is_some()) {
                return Row::Cells(cells);
            }
        }
        let mut it = cells.into_iter();
        let label = it.next().unwrap_or_default();
        let tail = it.collect::<Vec<_>>().join(" ");
        // In a delimited row the marker glued to the label's bracket is unambiguous.
        let label = LABEL_MARKER.replace(&label, ")").into_owned();
        return Row::Labelled {
            label,
            tail,
            glued: false,
        };
    }
    let t = normalise_ws(t);
    if let Some(cols) = column_tokens(&t).filter(|c| c.len() >= 2) {
        return Row::Columns(cols);
    }
    if t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | ' '))
    {
        return Row::Glued(t);
    }
    if let Some(i) = t.rfind(')') {
        let tail = t[i + 1..].trim();
        let wordy = more_words_than(tail, 1) && !tail.chars().any(|c| c.is_ascii_digit());
        if !wordy || parse_value(tail) == Some(Value::Absent) {
            return Row::Labelled {
                label: t[..=i].to_string(),
                tail: tail.to_string(),
                glued: true,
            };
        }
        return Row::Labelled {
            label: t,
            tail: String::new(),
            glued: true,
        };
    }
    if let Some(c) = TRAILING_VALUE.captures(&t) {
        return Row::Labelled {
            label: c[1].trim().to_string(),
            tail: c[2].to_string(),
            glued: true,
        };
    }
    Row::Labelled {
        label: t,
        tail: String::new(),
        glued: true,
    }
}

/// Splits a glued value row into `n` values. Percent rows split at each '%'; plain decimals
/// must all have the same number of decimals and only one such reading may fit.
fn split_glued(s: &str, n: usize) -> Option<Vec<Value>> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.contains('%') {
        let mut parts: Vec<&str> = s.split('%').collect();
        let last = parts.pop().unwrap_or("");
        // After the last '%' only a footnote marker may follow.
        if last.len() > 2 || !last.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if parts.len() != n {
            return None;
        }
        return parts
            .iter()
            .map(|p| parse_value(&format!("{p}%")))
            .collect();
    }
    if n == 1 {
        return parse_value(&s).map(|v| vec![v]);
    }
    static DECIMALS: Lazy<[Regex; 3]> = Lazy::new(|| {
        [1, 2, 3].map(|d| Regex::new(&format!(r"^\d+\.\d{{{d}}}")).expect("valid regex"))
    });
    let mut readings = Vec::new();
    for re in DECIMALS.iter() {
        let mut rest = s.as_str();
        let mut vals = Vec::new();
        while let Some(m) = re.find(rest) {
            vals.push(m.as_str().parse::<f64>().ok()?);
            rest = &rest[m.end()..];
        }
        if rest.is_empty() && vals.len() == n {
            readings.push(vals);
        }
    }
    if readings.len() == 1 {
        return Some(
            readings
                .remove(0)
                .into_iter()
                .map(|v| Value::Number(v, false))
                .collect(),
        );
    }
    None
}

/// Stable key and default unit of a single-value fact label.
fn fact_key(label: &str) -> (String, &'static str) {
    let l = label.to_lowercase();
    let key = if l.contains("people supervised") {
        ("people_supervised", "people")
    } else if l.contains("mappa") && l.contains("eligible") {
        ("mappa_eligible", "people")
    } else if l.contains("victim satisfaction") {
        ("victim_satisfaction_percent", "percent")
    } else if l.contains("recall rate") {
        ("recall_rate_percent", "percent")
    } else if l.contains("wait time")
        && (l.contains("rar") || l.contains("rehabilitation activity"))
    {
        ("rar_wait_time", "number")
    } else if l.contains("rar days completed") {
        ("rar_days_completed_percent", "percent")
    } else if l.contains("accredited programme") && l.contains("not convicted of a sexual") {
        ("programme_completion_non_sexual_percent", "percent")
    } else if l.contains("accredited programme") && l.contains("convicted of a sexual") {
        ("programme_completion_sexual_percent", "percent")
    } else {
        return (slug(label), "number");
    };
    (key.0.to_string(), key.1)
}

/// Prefix, suffix and default unit of a multi-column group ("Staffing level …" →
/// staffing_<col>_percent).
fn group_key(label: &str) -> (String, &'static str, &'static str) {
    let l = label.to_lowercase();
    if l.contains("staffing") {
        ("staffing".into(), "_percent", "percent")
    } else if l.contains("caseload") {
        ("caseload".into(), "", "cases")
    } else if l.contains("risk") && l.contains("classification") {
        ("risk".into(), "_percent", "percent")
    } else {
        (slug(label), "", "number")
    }
}

/// snake_case of the words outside brackets: "Average RAR wait time (…)" → "average_rar_wait_time".
fn slug(label: &str) -> String {
    let s = strip_parens(label).to_lowercase();
    let words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    if words.is_empty() {
        "fact".into()
    } else {
        words.join("_")
    }
}

fn unit_of(pct: bool, default: &str) -> String {
    if pct {
        "percent"
    } else if default == "percent" {
        "number"
    } else {
        default
    }
    .to_string()
}

/// How many footnotes the document lists (items after a "Footnotes" heading).
fn footnote_count(lines: &[Line]) -> usize {
    let Some(i) = lines.iter().position(|l| heading_is(l.text, "footnotes")) else {
        return 0;
    };
    lines[i + 1..]
        .iter()
        .map(|l| l.text.trim())
        .take_while(|t| !is_hard_heading(t))
        .filter(|t| !t.is_empty())
        .count()
}

/// Is `tail` a complete value reading (a value, an absence, or nothing at all)?
fn tail_valid(tail: &str) -> bool {
    tail.trim().is_empty() || parse_value(tail).is_some()
}

/// Decides, for the glued rows, how many leading digits of each tail are a footnote marker.
///
/// Web text loses superscripts, so "(on 30 June 2025)116,821" could be 116,821 or footnote 1
/// then 16,821. Footnote markers in a table run consecutively and never exceed the number of
/// footnotes, so we try every starting marker and keep the reading that explains the most
/// tails as consecutive markers. The number of footnotes is the larger of the footnotes listed
/// and any marker proven by a group label whose only tail is digits (a label followed by column
/// headers has no value). Rows on which the best readings disagree are returned as ambiguous.
fn resolve_markers(rows: &[(usize, Row)], listed: usize) -> (Vec<usize>, Vec<bool>) {
    let mut max_marker = listed;
    for w in rows.windows(2) {
        if let (
            (
                _,
                Row::Labelled {
                    tail, glued: true, ..
                },
            ),
            (_, Row::Columns(_)),
        ) = (&w[0], &w[1])
        {
            if !tail.is_empty() && tail.len() <= 2 && tail.chars().all(|c| c.is_ascii_digit()) {
                max_marker = max_marker.max(tail.parse().unwrap_or(0));
            }
        }
    }
    let simulate = |first: usize| -> (usize, Vec<usize>) {
        let mut next = first;
        let mut consumed = 0;
        let mut lens = vec![0; rows.len()];
        for (i, (_, row)) in rows.iter().enumerate() {
            let Row::Labelled {
                tail, glued: true, ..
            } = row
            else {
                continue;
            };
            if first == 0 || next > max_marker {
                continue;
            }
            let m = next.to_string();
            if tail.starts_with(&m) && tail_valid(&tail[m.len()..]) {
                lens[i] = m.len();
                consumed += 1;
                next += 1;
            }
        }
        (consumed, lens)
    };
    let readings: Vec<(usize, Vec<usize>)> = (0..=max_marker.min(99)).map(simulate).collect();
    let best = readings.iter().map(|r| r.0).max().unwrap_or(0);
    let tied: Vec<&Vec<usize>> = readings
        .iter()
        .filter(|r| r.0 == best)
        .map(|r| &r.1)
        .collect();
    let chosen = tied[0].clone();
    let ambiguous = (0..rows.len())
        .map(|i| tied.iter().any(|r| r[i] != chosen[i]))
        .collect();
    (chosen, ambiguous)
}

fn facts(lines: &[Line], problems: &mut Vec<Problem>) -> Vec<KeyFact> {
    let mut out = Vec::new();
    let Some(start) = lines.iter().position(|l| {
        is_heading_like(l.text) && {
            let c = clean_heading(l.text).to_lowercase();
            c == "key contextual facts" || c == "key facts"
        }
    }) else {
        return out;
    };
    let mut rows: Vec<(usize, Row)> = Vec::new();
    for l in &lines[start + 1..] {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        if is_hard_heading(t) || heading_is(t, "footnotes") || more_words_than(t, 40) {
            break;
        }
        rows.push((l.no, classify_row(t)));
    }
    let (markers, ambiguous) = resolve_markers(&rows, footnote_count(lines));

    let values_expected =
        "a number ('16,013', '24.88%') or a stated absence ('Not available', '–')";
    // A group label waiting for its columns, and columns waiting for their values.
    let mut group: Option<(usize, String)> = None;
    let mut columns: Option<(usize, Vec<(&'static str, String)>)> = None;
    let flush = |group: &mut Option<(usize, String)>,
                 columns: &mut Option<(usize, Vec<(&'static str, String)>)>,
                 problems: &mut Vec<Problem>| {
        if let Some((line, cols)) = columns.take() {
            problems.push(Problem {
                line,
                what: format!(
                    "column headers ({}) with no value row",
                    cols.iter()
                        .map(|c| c.1.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                expected: "a row with one value per column".into(),
            });
            group.take();
        }
        if let Some((line, label)) = group.take() {
            problems.push(Problem {
                line,
                what: format!("fact '{label}' has no value"),
                expected: values_expected.into(),
            });
        }
    };
    for (i, (line, row)) in rows.iter().enumerate() {
        let line = *line;
        match row {
            Row::Labelled { label, tail, glued } => {
                if ambiguous[i] {
                    flush(&mut group, &mut columns, problems);
                    problems.push(Problem {
                        line,
                        what: format!("cannot tell a footnote marker from the value in '{tail}' after '{label}'"),
                        expected: "a value separated from the label (a '|' or tab cell)".into(),
                    });
                    continue;
                }
                let tail = if *glued {
                    &tail[markers[i].min(tail.len())..]
                } else {
                    tail.as_str()
                };
                let label = normalise_ws(label);
                if tail.trim().is_empty() {
                    flush(&mut group, &mut columns, problems);
                    group = Some((line, label));
                    continue;
                }
                flush(&mut group, &mut columns, problems);
                let (name, unit) = fact_key(&label);
                match parse_value(tail) {
                    Some(Value::Number(v, pct)) => out.push(KeyFact {
                        name,
                        label,
                        value: v,
                        unit: unit_of(pct, unit),
                        line,
                    }),
                    Some(Value::Absent) => {}
                    None => problems.push(Problem {
                        line,
                        what: format!("non-numeric value '{}' for '{label}'", tail.trim()),
                        expected: values_expected.into(),
                    }),
                }
            }
            Row::Columns(cols) => {
                if let Some((l, c)) = columns.take() {
                    columns = Some((l, c));
                    flush(&mut group, &mut columns, problems);
                }
                if group.is_none() {
                    problems.push(Problem {
                        line,
                        what: "column headers with no group label above them".into(),
                        expected: "a label row (e.g. 'Staffing level') before the column headers"
                            .into(),
                    });
                }
                columns = Some((line, cols.clone()));
            }
            Row::Cells(_) | Row::Glued(_) => {
                let Some((_, cols)) = columns.take() else {
                    problems.push(Problem {
                        line,
                        what: "a row of values with no column headers above it".into(),
                        expected: "a column-header row (e.g. 'SPO | PO | PSO') before the values"
                            .into(),
                    });
                    group = None;
                    continue;
                };
                let glabel = group.take().map(|g| g.1).unwrap_or_default();
                let values = match row {
                    Row::Cells(cells) => cells
                        .iter()
                        .map(|c| parse_value(c))
                        .collect::<Option<Vec<_>>>(),
                    Row::Glued(s) => split_glued(s, cols.len()),
                    _ => None,
                };
                let Some(values) = values.filter(|v| v.len() == cols.len()) else {
                    problems.push(Problem {
                        line,
                        what: format!(
                            "cannot read {} values for '{glabel}' from this row",
                            cols.len()
                        ),
                        expected: format!(
                            "one value per column ({})",
                            cols.iter()
                                .map(|c| c.1.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    continue;
                };
                let (prefix, suffix, unit) = group_key(&glabel);
                for ((key, spelling), v) in cols.iter().zip(values) {
                    if let Value::Number(value, pct) = v {
                        out.push(KeyFact {
                            name: format!("{prefix}_{key}{suffix}"),
                            label: normalise_ws(&format!("{glabel} – {}", spelling.trim())),
                            value,
                            unit: unit_of(pct, unit),
                            line,
                        });
                    }
                }
            }
        }
    }
    flush(&mut group, &mut columns, problems);
    out
}

// ---------------------------------------------------------------------------------------------
// Recurring recommendations
// ---------------------------------------------------------------------------------------------

/// Words that carry no topic: English function words plus the verbs and hedges every
/// recommendation uses ("ensure … effective … in place"), which would otherwise make unrelated
/// recommendations look alike.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "across", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "being", "both", "but", "by", "can", "could", "do", "does", "each", "for", "from", "has",
    "have", "how", "if", "in", "into", "is", "it", "its", "may", "more", "most", "must", "not",
    "of", "on", "or", "other", "others", "our", "own", "should", "so", "such", "than", "that",
    "the", "their", "them", "there", "these", "they", "this", "those", "through", "to", "under",
    "up", "use", "using", "via", "was", "we", "were", "what", "when", "where", "whether", "which",
    "while", "who", "will", "with", "within", "would", "s",
    // Recommendation boilerplate.
    "ensure", "ensuring", "provide", "providing", "place", "effective", "effectively",
    "appropriate", "appropriately", "sufficient", "sufficiently", "consider", "including",
    "improve", "improving", "make", "sure", "always", "required", "necessary",
];

/// Lowercased content words of a text: alphanumeric runs minus [`STOP_WORDS`] and numbers.
pub fn content_words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Similarity of two recommendations' content-word sets: the overlap coefficient
/// |A ∩ B| / min(|A|, |B|), but 0 when fewer than [`MIN_SHARED_WORDS`] words are shared.
pub fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    let smaller = a.len().min(b.len());
    if shared < MIN_SHARED_WORDS || smaller == 0 {
        return 0.0;
    }
    shared as f64 / smaller as f64
}

/// Fewest shared content words for two recommendations to count as alike: two short items
/// sharing one or two words ("oversight", "training") are not the same ask.
pub const MIN_SHARED_WORDS: usize = 4;

/// A sensible default threshold for [`recurring_groups`].
pub const DEFAULT_RECURRING_THRESHOLD: f64 = 0.75;

/// Groups recommendations that ask for the same thing across reports.
///
/// **Rule.** Each recommendation is reduced to its *content words*: the text is lowercased
/// and split into runs of letters and digits ("protection-specific" → "protection",
/// "specific"); numbers and stop words (English function words and recommendation
/// boilerplate such as "ensure", "provide", "effective", "in place") are dropped. No stemming:
/// "PSOs" and "PSO" are different words. Two recommendations are *alike* when they share at
/// least four content words **and** the shared words make up at least `threshold` of the
/// shorter one's words (the overlap coefficient |A∩B| / min(|A|,|B|); 0.75 is a good default).
/// The overlap coefficient rather than Jaccard, because a later report often repeats an
/// earlier recommendation inside a longer one ("evaluate current metrics … and embed public
/// protection-specific metrics in dashboards …"). Groups are the connected components of the
/// "alike" relation (single link), so A~B and B~C put A, B, C together. A group is returned
/// only when its members come from at least two distinct reports; groups are ordered by size
/// (largest first), then by number of reports, then by first appearance in `items`; members
/// keep their order in `items`.
///
/// Quadratic in the number of items, which is fine for the hundreds of recommendations a
/// corpus holds.
pub fn recurring_groups<'a>(
    items: &[(String, &'a Recommendation)],
    threshold: f64,
) -> Vec<Vec<(String, &'a Recommendation)>> {
    let words: Vec<BTreeSet<String>> = items.iter().map(|(_, r)| content_words(&r.text)).collect();
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..items.len() {
        for j in i + 1..items.len() {
            if similarity(&words[i], &words[j]) >= threshold {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    parent[b.max(a)] = a.min(b);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..items.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut out: Vec<(usize, usize, Vec<usize>)> = groups
        .into_values()
        .filter_map(|members| {
            let reports: BTreeSet<&str> = members.iter().map(|&i| items[i].0.as_str()).collect();
            (reports.len() >= 2).then(|| (reports.len(), members[0], members))
        })
        .collect();
    out.sort_by(|a, b| {
        b.2.len()
            .cmp(&a.2.len())
            .then(b.0.cmp(&a.0))
            .then(a.1.cmp(&b.1))
    });
    out.into_iter()
        .map(|(_, _, members)| {
            members
                .into_iter()
                .map(|i| (items[i].0.clone(), items[i].1))
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A 2026 web report in miniature: bulleted regional recommendations, an unmarked-heading
    /// HMPPS block, a `| … |` score table and a `| … |` facts table with a glued footnote.
    const WEB_PIPES: &str = "Dynamic Inspection of Public Protection in Greater Manchester\n\
Regional recommendations (Back to top)\n\
- Complete a learning needs analysis with PSOs to understand their skills.\n\
- Ensure mechanisms are in place to provide effective oversight of cases.\n\
HMPPS recommendations\n\
- Reduce vetting delays and address workforce instability by implementing streamlined and more regionally responsive recruitment processes.\n\
- Embed public protection-specific metrics in dashboards to enable leaders to monitor quality and impact effectively.\n\
Scoring (Back to top)\n\
| Key question | Percentage ‘Yes’ |\n\
| Does assessment focus sufficiently on keeping other people safe? | 49% |\n\
| Does planning focus sufficiently on keeping other people safe? | 63% |\n\
| Does the implementation and delivery of services effectively support the safety of other people? | 47% |\n\
| Does reviewing focus sufficiently on keeping other people safe? | 51% |\n\
Key contextual facts (Back to top)\n\
| Number of people supervised (on 30 June 2025)3 | 16,013 |\n\
| Victim satisfaction performance SL021 (April 2024 – March 2025)5 | – |\n\
| Staffing level (FTE staff in post)6 | ||\n\
| SPO | PO | PSO (including PQiP) |\n\
| 96% | 72% | 108% |\n\
| Recall rates (in the 12 months prior to inspection) | 24.88% |\n\
| Average RAR wait time (in the 12 months prior to inspection) | Not available |\n\
| Percentage of accredited programme requirements completed for individuals convicted of a sexual offence | 35.71%7 |\n\
Data annexe (Back to top)\n";

    /// The same in the glued layout of 004: numbered items, figures glued to questions,
    /// footnote markers glued between labels and values.
    const WEB_GLUED: &str = "Dynamic Inspection of Public Protection in South West region\n\n\
Regional recommendations (Back to top)\n\n\
  1. Ensure mechanisms are in place to provide effective governance of MAPPA-eligible cases.\n\
  2. Evaluate and strengthen the delivery of interventions.\n\n\
HMPPS recommendations (Back to top)\n\n\
  1. Reduce vetting delays and address workforce instability by implementing streamlined and more responsive recruitment processes.\n\n\
Scoring (Back to top)\n\n\
Key questionPercentage ‘Yes’\n\
Does assessment focus sufficiently on keeping other people safe?45%\n\
Does planning focus sufficiently on keeping other people safe?59%\n\
Does the implementation and delivery of services effectively support the safety of other people?30%\n\
Does reviewing focus sufficiently on keeping other people safe?39%\n\n\
Key contextual facts (Back to top)\n\n\
Number of people supervised (on 30 June 2025)116,821\n\
MAPPA-eligible offenders (on 31 March 2025)27,963\n\
Staffing level (Staff in post full time equivalent (FTE))3\n\
Senior probation officer (PSO)Probation officer (PO)Probation services officer (inc. PQiP)\n\
88%89%85%\n\
Average Caseload at the point of inspection (FTE)\n\
POPSO (exc. PQiP)PQiP\n\
36.2148.4935.31\n\
Recall rates (in the 12 months prior to inspection)21.47%\n\
Average rehabilitation activity requirement (RAR) wait time (in the 12 months prior to inspection)Not available\n\
Percentage of RAR days completed (in the 12 months prior to inspection)51%\n\
Risk of Serious Harm classification of inspected cases\n\
LowMediumHigh/very high\n\
5%63%28%\n\n\
Further information (Back to top)\n\n\
Footnotes\n\n\
  1. Offender management statistics.\n\
  2. MAPPA annual report.\n";

    /// A 2023 regional letter in miniature: PDU sub-headings, lead-ins, a hard-wrapped item,
    /// an unnumbered first item, a numbered item without bullet, and a tab-separated ratings
    /// annexe.
    const LETTER: &str = "Annexe one – Recommendations\n\n\
Manchester North PDU\n\n\
The PDU should:\n\n\
- improve the quality of work to assess and manage risk of harm and to\n\
improve desistance\n\
- 2. ensure consideration is given to the safety of victims\n\n\
Greater Manchester Region should:\n\n\
- 3. consider a more flexible approach to service level targets\n\n\
Tameside PDU\n\n\
The PDU should:\n\n\
- 1. ensure interventions available locally are utilised\n\n\
2. ensure that diversity information is assessed.\n\n\
Greater Manchester region should:\n\n\
- 3. reduce waiting times for accredited programmes.\n\n\
HM Prison and Probation Service should:\n\n\
- 4. ensure probation delivery units are sufficiently resourced\n\n\
Annexe two - PDU ratings\n\n\
Set out below are the ratings of the PDUs in this region.\n\n\
Manchester North Fieldwork started February 2023\t\tScore\t10/24\n\
Overall rating\t\tRequires improvement\t\n\
1.\tOrganisational delivery\t\t\n\
1.1\tLeadership\tRequires improvement\t\n\
1.2\tStaff\tGood\t\n\
2.\tCourt work and case supervision\t\t\n\
2.2\tAssessment\tInadequate\t\n\
Tameside PDU Fieldwork started March 2023\t\tScore\t7/27\n\
Overall rating\t\tOutstanding\t\n\
2.5\tReviewing\tInadequate\t\n";

    fn names(s: &Structured) -> Vec<(&str, f64)> {
        s.facts.iter().map(|f| (f.name.as_str(), f.value)).collect()
    }

    #[test]
    fn test_web_bulleted_recommendations_take_addressee_from_heading_and_title() {
        let s = extract(WEB_PIPES);
        let r = &s.recommendations;
        assert_eq!(r.len(), 4);
        assert_eq!(r[0].addressee, Addressee::Region);
        assert_eq!(r[0].addressee_name.as_deref(), Some("Greater Manchester"));
        assert_eq!(r[0].heading, "Regional recommendations");
        assert_eq!(r[0].number, None);
        assert_eq!(r[2].addressee, Addressee::Hmpps);
        assert_eq!(r[2].addressee_name.as_deref(), Some("HMPPS"));
        assert_eq!(r[2].heading, "HMPPS recommendations");
        assert!(r[3].text.starts_with("Embed public protection-specific"));
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn test_web_numbered_recommendations_keep_numbers() {
        let s = extract(WEB_GLUED);
        let r = &s.recommendations;
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].addressee_name.as_deref(), Some("South West"));
        assert_eq!(
            r.iter().map(|r| r.number).collect::<Vec<_>>(),
            vec![Some(1), Some(2), Some(1)]
        );
        assert_eq!(r[2].addressee, Addressee::Hmpps);
    }

    #[test]
    fn test_offsets_cover_the_recommendation_text() {
        for text in [WEB_PIPES, WEB_GLUED, LETTER] {
            for r in extract(text).recommendations {
                assert_eq!(normalise_ws(&text[r.start..r.end]), r.text);
            }
        }
    }

    #[test]
    fn test_letter_recommendations_use_lead_ins_and_pdu_subheadings() {
        let s = extract(LETTER);
        let r = &s.recommendations;
        let got: Vec<_> = r
            .iter()
            .map(|r| (r.addressee.clone(), r.addressee_name.as_deref(), r.number))
            .collect();
        assert_eq!(
            got,
            vec![
                (Addressee::Pdu, Some("Manchester North"), None),
                (Addressee::Pdu, Some("Manchester North"), Some(2)),
                (
                    Addressee::Region,
                    Some("Greater Manchester Region"),
                    Some(3)
                ),
                (Addressee::Pdu, Some("Tameside"), Some(1)),
                (Addressee::Pdu, Some("Tameside"), Some(2)),
                (
                    Addressee::Region,
                    Some("Greater Manchester Region"),
                    Some(3)
                ),
                (Addressee::Hmpps, Some("HMPPS"), Some(4)),
            ]
        );
        assert_eq!(r[0].heading, "The PDU should:");
        assert_eq!(r[5].heading, "Greater Manchester region should:");
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn test_wrapped_lines_are_joined() {
        let s = extract(LETTER);
        assert_eq!(
            s.recommendations[0].text,
            "improve the quality of work to assess and manage risk of harm and to improve desistance"
        );
    }

    #[test]
    fn test_prose_mentioning_recommendations_is_not_a_block() {
        let s = extract(
            "Our recommendations from the inspected PDUs are set out in Annexe one.\n\
             - This bullet is not a recommendation.\n",
        );
        assert!(s.recommendations.is_empty());
        assert!(s.problems.is_empty());
    }

    #[test]
    fn test_empty_recommendations_heading_is_a_problem() {
        let s = extract("Regional recommendations (Back to top)\nScoring (Back to top)\n");
        assert!(s.recommendations.is_empty());
        assert_eq!(s.problems.len(), 1, "{:?}", s.problems);
        assert_eq!(s.problems[0].line, 1);
        assert!(s.problems[0].what.contains("no recommendations"));
    }

    #[test]
    fn test_scores_pipe_table() {
        let s = extract(WEB_PIPES).scores.unwrap();
        assert_eq!(
            (s.assessment, s.planning, s.implementation, s.reviewing),
            (Some(49.0), Some(63.0), Some(47.0), Some(51.0))
        );
    }

    #[test]
    fn test_scores_glued_table() {
        let s = extract(WEB_GLUED).scores.unwrap();
        assert_eq!(
            (s.assessment, s.planning, s.implementation, s.reviewing),
            (Some(45.0), Some(59.0), Some(30.0), Some(39.0))
        );
    }

    #[test]
    fn test_scores_variants_a_reader_would_recognise() {
        let text = "Scoring\n\
Key question\tPercentage 'Yes'\n\
Does assessment focus sufficiently on keeping other people safe?\t49 per cent\n\
Does planning focus sufficiently on keeping other people safe? 63.0%\n\
Does the implementation and delivery of services effectively support the safety of other people?\n\
47 %\n\
Does reviewing focus sufficiently on keeping other people safe?\n\n\
| 51.5% |\n\
Follow-up activity\n";
        let s = extract(text);
        let sc = s.scores.unwrap();
        assert_eq!(
            (sc.assessment, sc.planning, sc.implementation, sc.reviewing),
            (Some(49.0), Some(63.0), Some(47.0), Some(51.5))
        );
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn test_scores_missing_percentage_is_none_and_a_problem() {
        let text = "Scoring (Back to top)\n\
| Key question | Percentage ‘Yes’ |\n\
| Does assessment focus sufficiently on keeping other people safe? | 49% |\n\
| Does planning focus sufficiently on keeping other people safe? | |\n\
| Does the implementation and delivery of services effectively support the safety of other people? | 47% |\n\
| Does reviewing focus sufficiently on keeping other people safe? | about half |\n";
        let s = extract(text);
        let sc = s.scores.unwrap();
        assert_eq!(sc.planning, None);
        assert_eq!(sc.reviewing, None);
        assert_eq!(sc.assessment, Some(49.0));
        assert_eq!(s.problems.len(), 2, "{:?}", s.problems);
        assert_eq!(s.problems[0].line, 4);
        assert!(s.problems[0].what.contains("planning"));
        assert_eq!(s.problems[1].line, 6);
        assert!(s.problems[1].what.contains("about half"));
    }

    #[test]
    fn test_scores_table_cut_short_reports_missing_rows() {
        let text = "Scoring (Back to top)\n\
Key questionPercentage ‘Yes’\n\
Does assessment focus sufficiently on keeping other people safe?45%\n\
Follow-up activity (Back to top)\n";
        let s = extract(text);
        let sc = s.scores.unwrap();
        assert_eq!(sc.assessment, Some(45.0));
        assert_eq!(
            (sc.planning, sc.implementation, sc.reviewing),
            (None, None, None)
        );
        assert_eq!(s.problems.len(), 3);
        assert!(s.problems.iter().all(|p| p.line == 1));
    }

    #[test]
    fn test_no_scoring_table_means_no_scores() {
        assert_eq!(extract(LETTER).scores, None);
        // A "Scoring" heading over prose, or prose that mentions a key question, is no table.
        let s = extract(
            "Scoring
We score cases as follows.
The key question for leaders is staffing.
",
        );
        assert_eq!(s, Structured::default());
    }

    #[test]
    fn test_header_row_without_questions_is_a_cut_table() {
        let s = extract(
            "Scoring (Back to top)
| Key question | Percentage ‘Yes’ |

Follow-up activity (Back to top)
",
        );
        assert_eq!(
            s.scores,
            Some(Scores {
                assessment: None,
                planning: None,
                implementation: None,
                reviewing: None
            })
        );
        assert_eq!(s.problems.len(), 4);
    }

    #[test]
    fn test_ratings_table_ends_at_prose() {
        let text = "PDU ratings\n1.1\tLeadership\tGood\nIn 2.5 of the cases we read there was something that a long paragraph of running prose would say about the work of the unit and its staff.\n1.2\tStaff\tGood\n";
        let s = extract(text);
        assert_eq!(s.ratings.len(), 1);
        assert!(s.problems.is_empty());
    }

    #[test]
    fn test_ratings_tab_table() {
        let s = extract(LETTER);
        let r = &s.ratings;
        assert_eq!(r.len(), 6);
        assert_eq!(
            r[0],
            Rating {
                subject: "Manchester North".into(),
                standard: None,
                name: None,
                rating: "Requires improvement".into(),
                score: Some("10/24".into()),
            }
        );
        assert_eq!(r[2].standard.as_deref(), Some("1.2"));
        assert_eq!(r[2].name.as_deref(), Some("Staff"));
        assert_eq!(r[2].rating, "Good");
        assert_eq!(r[4].subject, "Tameside");
        assert_eq!(r[4].score.as_deref(), Some("7/27"));
        assert_eq!(r[4].rating, "Outstanding");
        assert_eq!(r[5].rating, "Inadequate");
    }

    #[test]
    fn test_ratings_pipe_and_glued_rows() {
        let text = "PDU ratings\n| 1.3 | Services | requires  improvement |\n1.4Information and facilitiesGood\n";
        let r = extract(text).ratings;
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].subject, "overall");
        assert_eq!(r[0].rating, "Requires improvement");
        assert_eq!(r[1].name.as_deref(), Some("Information and facilities"));
    }

    #[test]
    fn test_unreadable_rating_is_a_problem() {
        let text = "Annexe two - PDU ratings\nWigan PDU Fieldwork started May 2023\tScore\t12/27\n\
Overall rating\t\tFair\t\n1.1\tLeadership\tExcellent\t\n";
        let s = extract(text);
        assert!(s.ratings.is_empty());
        let lines: Vec<usize> = s.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![2, 3, 4], "{:?}", s.problems);
        assert!(s.problems[1].what.contains("Wigan"));
    }

    #[test]
    fn test_facts_pipe_table_with_groups_and_footnotes() {
        let s = extract(WEB_PIPES);
        assert_eq!(
            names(&s),
            vec![
                ("people_supervised", 16013.0),
                ("staffing_spo_percent", 96.0),
                ("staffing_po_percent", 72.0),
                ("staffing_pso_percent", 108.0),
                ("recall_rate_percent", 24.88),
                ("programme_completion_sexual_percent", 35.71),
            ]
        );
        assert_eq!(
            s.facts[0].label,
            "Number of people supervised (on 30 June 2025)"
        );
        assert_eq!(s.facts[0].unit, "people");
        assert_eq!(s.facts[0].line, 15);
        assert_eq!(s.facts[1].unit, "percent");
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn test_facts_glued_layout_separates_footnote_markers() {
        let s = extract(WEB_GLUED);
        assert_eq!(
            names(&s),
            vec![
                ("people_supervised", 16821.0),
                ("mappa_eligible", 7963.0),
                ("staffing_spo_percent", 88.0),
                ("staffing_po_percent", 89.0),
                ("staffing_pso_percent", 85.0),
                ("caseload_po", 36.21),
                ("caseload_pso", 48.49),
                ("caseload_pqip", 35.31),
                ("recall_rate_percent", 21.47),
                ("rar_days_completed_percent", 51.0),
                ("risk_low_percent", 5.0),
                ("risk_medium_percent", 63.0),
                ("risk_high_percent", 28.0),
            ]
        );
        assert_eq!(s.facts[5].unit, "cases");
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn test_glued_values_without_footnotes_are_taken_whole() {
        let s = extract("Key contextual facts\nRecall rates (in the 12 months prior)21.47%\n");
        assert_eq!(names(&s), vec![("recall_rate_percent", 21.47)]);
    }

    #[test]
    fn test_stated_absence_is_neither_fact_nor_problem() {
        let s = extract("Key contextual facts\n| Recall rates | Not available |\n| MAPPA-eligible | – |\nRecall rates (x)N/A\n");
        assert!(s.facts.is_empty());
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn test_non_numeric_fact_is_a_problem() {
        let s = extract("Key contextual facts\n| Number of people supervised | about 16k |\n| Recall rates | 24.88% |\n");
        assert_eq!(names(&s), vec![("recall_rate_percent", 24.88)]);
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].line, 2);
        assert!(s.problems[0].what.contains("about 16k"));
    }

    #[test]
    fn test_facts_group_cut_short_is_a_problem() {
        let text = "Key contextual facts (Back to top)\n\
| Staffing level (FTE staff in post)6 | ||\n\
| SPO | PO | PSO |\n\
| Average caseload at the point of inspection (FTE) | ||\n\
| PO | PSO | PQiP |\n\
| 34.72 | 43.05 |\n\
| Risk of serious harm classification of inspected cases | ||\n";
        let s = extract(text);
        assert!(s.facts.is_empty());
        let lines: Vec<usize> = s.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![3, 6, 7], "{:?}", s.problems);
    }

    #[test]
    fn test_glued_value_row_that_cannot_be_split_is_a_problem() {
        let text = "Key contextual facts\nAverage caseload (FTE)\nPOPSOPQiP\n3621484935\n";
        let s = extract(text);
        assert!(s.facts.is_empty());
        assert_eq!(s.problems.len(), 1);
        assert_eq!(s.problems[0].line, 4);
    }

    #[test]
    fn test_column_tokens_read_glued_headers() {
        let keys =
            |s: &str| column_tokens(s).map(|v| v.into_iter().map(|c| c.0).collect::<Vec<_>>());
        assert_eq!(
            keys("POPSO (exc. PQiP)PQiP"),
            Some(vec!["po", "pso", "pqip"])
        );
        assert_eq!(
            keys("LowMediumHigh/very high"),
            Some(vec!["low", "medium", "high"])
        );
        assert_eq!(
            keys("Senior probation officer (PSO)Probation officer (PO)"),
            Some(vec!["spo", "po"])
        );
        assert_eq!(keys("Population"), None);
    }

    #[test]
    fn test_crlf_and_cr_line_endings() {
        let text = WEB_PIPES.replace('\n', "\r\n");
        let s = extract(&text);
        assert_eq!(s.recommendations.len(), 4);
        assert_eq!(s.facts.len(), 6);
        for r in &s.recommendations {
            assert_eq!(normalise_ws(&text[r.start..r.end]), r.text);
        }
        assert_eq!(extract(&WEB_PIPES.replace('\n', "\r")).facts.len(), 6);
    }

    #[test]
    fn test_recurring_groups_join_the_same_ask_across_reports() {
        let a = extract(WEB_PIPES).recommendations;
        let b = extract(WEB_GLUED).recommendations;
        let mut items: Vec<(String, &Recommendation)> = Vec::new();
        items.extend(a.iter().map(|r| ("gm".to_string(), r)));
        items.extend(b.iter().map(|r| ("sw".to_string(), r)));
        let groups = recurring_groups(&items, DEFAULT_RECURRING_THRESHOLD);
        assert_eq!(groups.len(), 1);
        let g: Vec<_> = groups[0]
            .iter()
            .map(|(id, r)| (id.as_str(), r.text.as_str()))
            .collect();
        assert_eq!(g.len(), 2);
        assert!(g
            .iter()
            .all(|(_, t)| t.starts_with("Reduce vetting delays")));
        assert_eq!((g[0].0, g[1].0), ("gm", "sw"));
    }

    #[test]
    fn test_recurring_groups_need_two_reports() {
        let a = extract(WEB_PIPES).recommendations;
        let items: Vec<(String, &Recommendation)> = a
            .iter()
            .chain(a.iter())
            .map(|r| ("gm".to_string(), r))
            .collect();
        assert!(recurring_groups(&items, 0.5).is_empty());
    }

    #[test]
    fn test_similarity_needs_enough_shared_words() {
        let a = content_words("Ensure effective oversight of cases.");
        let b = content_words("Provide oversight of cases at all levels.");
        assert_eq!(similarity(&a, &b), 0.0);
        assert!(content_words("Ensure the PDU is in place").contains("pdu"));
        assert!(!content_words("Ensure the PDU is in place").contains("ensure"));
    }

    proptest! {
        #[test]
        fn test_extract_never_panics(text in "\\PC*") {
            let s = extract(&text);
            for r in &s.recommendations {
                prop_assert!(r.start <= r.end && r.end <= text.len());
                prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
            }
        }

        #[test]
        fn test_extract_never_panics_on_table_like_text(
            lines in proptest::collection::vec(
                "(Key contextual facts|Scoring|Annexe two - PDU ratings|Regional recommendations \\(Back to top\\)|[|\\t]?[A-Za-zé()% ]{0,20}[0-9.,%)|\\t ]{0,12}[A-Za-z/?]{0,8}|- [0-9]{1,2}\\. [a-zÄ ]{0,20}|The PDU should:|[0-9]\\.[0-9]\\t[A-Za-z]{1,8}\\t(Good|Bad)?)",
                0..30,
            )
        ) {
            let text = lines.join("\n");
            let s = extract(&text);
            for r in &s.recommendations {
                prop_assert!(text.get(r.start..r.end).is_some());
            }
        }
    }
}
