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

use std::time::{SystemTime, UNIX_EPOCH};

use once_cell::sync::Lazy;
use regex::Regex;
use serde::Serialize;

use super::gazetteer::Gazetteer;

/// Report types themis knows, as stored in the index.
pub const REPORT_TYPES: [&str; 9] = [
    "dynamic-inspection",
    "regional-inspection",
    "regional-letter",
    "pdu-inspection",
    "thematic-inspection",
    "press-release",
    "news-article",
    "annual-report",
    "other",
];

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
    /// One of [`REPORT_TYPES`].
    pub report_type: Option<String>,
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
        report_type: report_type.map(str::to_string),
        region: region.map(str::to_string),
    }
}

// ---------------------------------------------------------------------------------------------
// Document view
// ---------------------------------------------------------------------------------------------

/// The text split once into what the rules need.
struct Doc<'a> {
    text: &'a str,
    /// Trimmed lines with their byte offsets.
    lines: Vec<(usize, &'a str)>,
    /// Byte offset where a related-links block starts (text after it is about other pages).
    related_cut: usize,
}

impl<'a> Doc<'a> {
    fn new(text: &'a str) -> Doc<'a> {
        let mut lines = Vec::new();
        let mut offset = 0;
        for raw in text.split_inclusive('\n') {
            let trimmed = raw.trim();
            if !trimmed.is_empty() {
                let lead = raw.len() - raw.trim_start().len();
                lines.push((offset + lead, trimmed));
            }
            offset += raw.len();
        }
        let related_cut = lines
            .iter()
            .find(|(_, l)| RE_RELATED_MARKER.is_match(l))
            .map_or(text.len(), |(o, _)| *o);
        Doc {
            text,
            lines,
            related_cut,
        }
    }

    /// Lines before the related-links block.
    fn body_lines(&self) -> impl Iterator<Item = &(usize, &'a str)> {
        let cut = self.related_cut;
        self.lines.iter().take_while(move |(o, _)| *o < cut)
    }

    fn head_lines(&self) -> impl Iterator<Item = &(usize, &'a str)> {
        self.body_lines().take(HEAD_LINES)
    }

    /// The first `LEAD_CHARS` characters of the body, leaving out reference lines.
    fn lead(&self) -> String {
        let mut out = String::new();
        for (_, l) in self.body_lines() {
            if out.len() >= LEAD_CHARS {
                break;
            }
            if !is_reference_line(l) {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    }

    fn has(&self, re: &Regex) -> bool {
        re.is_match(self.text)
    }
}

// ---------------------------------------------------------------------------------------------
// Shared regexes
// ---------------------------------------------------------------------------------------------

fn re(pattern: &str) -> Regex {
    // Patterns are literals in this file and covered by tests; an invalid one would be a
    // programming error caught on the first test run.
    Regex::new(pattern).unwrap_or_else(|e| panic!("invalid built-in regex {pattern:?}: {e}"))
}

static RE_RELATED_MARKER: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:related topics|related content|related stories|related articles|related links|related internet links|more on this story|more on this topic|top stories|you may also (?:like|be interested in)|read more|more from (?:bbc|the bbc)|latest news)\s*:?$",
    )
});
static RE_REGIONAL_REVIEW: Lazy<Regex> = Lazy::new(|| re(r"(?i)regional review"));

const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec";

/// Every date form we read. Groups: d1 m1 y1 (12 May 2023, 05December 2025), m2 d2 y2
/// (May 12, 2023), y3 n3 d3 (2023-05-12), d4 n4 y4 (12/05/2023, UK order), m5 y5 (May 2023).
static RE_DATE: Lazy<Regex> = Lazy::new(|| {
    re(&format!(
        r"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?P<m1>{m})\.?,?\s+(?P<y1>\d{{4}})|(?P<m2>{m})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})|(?P<y3>\d{{4}})-(?P<n3>\d{{2}})-(?P<d3>\d{{2}})|(?P<d4>\d{{1,2}})/(?P<n4>\d{{1,2}})/(?P<y4>\d{{4}})|(?P<m5>{m})\.?,?\s+(?P<y5>\d{{4}}))(?-u:\b)",
        m = MONTHS
    ))
});

/// A calendar date of day, month or year precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Date {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

impl Date {
    fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{:02}-{:02}", self.year, m, d),
            (Some(m), None) => format!("{:04}-{:02}", self.year, m),
            _ => format!("{:04}", self.year),
        }
    }
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let n = match lower.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(n)
}

fn plausible_year(y: i32) -> bool {
    (MIN_YEAR..=current_year() + 1).contains(&y)
}

/// A date match: the date and its byte span in the searched string.
struct DateHit {
    date: Date,
    start: usize,
    end: usize,
}

/// All plausible dates in `s`. The match may begin on the digit right after a letter
/// ("Published16 February 2017") but never inside a longer number.
fn find_dates(s: &str) -> Vec<DateHit> {
    let mut out = Vec::new();
    for c in RE_DATE.captures_iter(s) {
        let Some(whole) = c.get(0) else { continue };
        let prev = s[..whole.start()].chars().next_back();
        if prev.is_some_and(|p| p.is_ascii_digit()) {
            continue;
        }
        let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
        let date = if let (Some(d), Some(m), Some(y)) = (num("d1"), c.name("m1"), num("y1")) {
            month_number(m.as_str()).map(|m| (y, Some(m), Some(d)))
        } else if let (Some(m), Some(d), Some(y)) = (c.name("m2"), num("d2"), num("y2")) {
            month_number(m.as_str()).map(|m| (y, Some(m), Some(d)))
        } else if let (Some(y), Some(m), Some(d)) = (num("y3"), num("n3"), num("d3")) {
            Some((y, Some(m), Some(d)))
        } else if let (Some(d), Some(m), Some(y)) = (num("d4"), num("n4"), num("y4")) {
            Some((y, Some(m), Some(d)))
        } else if let (Some(m), Some(y)) = (c.name("m5"), num("y5")) {
            month_number(m.as_str()).map(|m| (y, Some(m), None))
        } else {
            None
        };
        let Some((y, m, d)) = date else { continue };
        let y = y as i32;
        let valid_md =
            m.is_none_or(|m| (1..=12).contains(&m)) && d.is_none_or(|d| (1..=31).contains(&d));
        if plausible_year(y) && valid_md {
            out.push(DateHit {
                date: Date {
                    year: y,
                    month: m,
                    day: d,
                },
                start: whole.start(),
                end: whole.end(),
            });
        }
    }
    out
}

/// The current calendar year (UTC), from the system clock.
fn current_year() -> i32 {
    static YEAR: Lazy<i32> = Lazy::new(|| {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        civil_year((secs / 86_400) as i64).max(2025)
    });
    *YEAR
}

/// Year of a day count since 1970-01-01 (Howard Hinnant's civil-from-days).
fn civil_year(days: i64) -> i32 {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2)) as i32
}

// ---------------------------------------------------------------------------------------------
// Title
// ---------------------------------------------------------------------------------------------

static RE_NOT_TITLE: Lazy<Regex> = Lazy::new(|| {
    re(r"(?ix)^(?:
        skip\ to|jump\ to|back\ to\ top|home$|menu$|search$|contents$|table\ of\ contents|share|print|save$|
        cookies?\b|accept|reject|sign\ in|log\ in|subscribe|advertisement|
        image\ (?:source|caption)|getty\ images|media\ caption|video\ caption|
        all\ content\ is\ available|to\ view\ this\ licence|open\ government\ licence|
        ©|\(c\)\ |crown\ copyright|this\ publication\ is\ available|
        (?:or\ )?write\ to|(?:or\ )?email|tel(?:ephone)?\b|phone\b|fax\b|
        to:|cc:|from:|date:|our\ ref|your\ ref|ref:|dear\b|yours\b|kind\ regards|
        please\ enter|leave\ a\ reply|post\ a\ comment|
        published|updated|last\ updated|first\ published|
        (?:by|words\ by)\ [A-Z]|
        foreword$|introduction$|summary$|overview$|executive\ summary$|acknowledg
    )")
});
/// Organisation names alone on a line are letterheads or mastheads, not titles.
static RE_MASTHEAD: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:hm|his majesty's|her majesty's)?\s*inspectorate of probation$|^hmi probation$|^ministry of justice$|^bbc(?: news)?(?: [a-z ]+)?$|^news$|^hm prison and probation service$",
    )
});
static RE_URLISH: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)https?://|www\.|\S+@\S+\.\w|\.gov\.uk|\.co\.uk|\.com\b|\.org\b"));
static RE_POSTCODE: Lazy<Regex> = Lazy::new(|| re(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b"));
static RE_STREET_ADDRESS: Lazy<Regex> = Lazy::new(|| {
    re(r"(?i)^\d+[a-z]?,?\s+\w+.*\b(?:street|road|lane|avenue|square|place|way)\b|\bfloor\b.*,")
});
static RE_SPLIT_TITLE: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)^(?:an? )?(?:\w+ )?inspection of .{0,80}\b(?:in|of|for)\s*:$"));
static RE_SUBJECT: Lazy<Regex> = Lazy::new(|| re(r"(?i)^(?:re|subject)\s*:\s*(.{3,})$"));
static RE_LETTER_SUBJECT: Lazy<Regex> = Lazy::new(|| re(r"(?i)\b(?:review|inspection) letter\b"));
static RE_ORG_PREFIX: Lazy<Regex> = Lazy::new(|| {
    re(r"(?i)^(?:hm|his majesty's|her majesty's)\s+inspectorate of probation\s*[:\-–—|]\s*")
});

/// The first heading-like line of `text`: short, not ending like a sentence or a label, not an
/// address, URL, date, salutation, letterhead or web-page furniture. `None` when the document
/// opens with running prose and no heading.
pub fn extract_title(text: &str) -> Option<String> {
    let mut paragraphs = 0;
    let lines: Vec<&str> = text
        .lines()
        .map(|l| without_heading_marks(l.trim()))
        .filter(|l| !l.is_empty())
        .take(HEAD_LINES)
        .collect();
    for (i, &line) in lines.iter().enumerate() {
        // Title pages split "An inspection of probation services in:" from the place's name.
        if RE_SPLIT_TITLE.is_match(line) {
            if let Some(next) = lines.get(i + 1).filter(|n| is_heading_like(n)) {
                return Some(clean_title(&format!("{line} {next}")));
            }
        }
        let chars = line.chars().count();
        if chars > MAX_TITLE_CHARS {
            paragraphs += 1;
            // Two paragraphs of running prose before any heading: the document has none.
            if paragraphs >= 2 {
                return None;
            }
            continue;
        }
        if is_heading_like(line) {
            return Some(clean_title(line));
        }
    }
    None
}

/// The text of a Markdown ATX heading (`# Title`, `## Title ##`); other lines unchanged.
fn without_heading_marks(line: &str) -> &str {
    let marks = line.len() - line.trim_start_matches('#').len();
    let rest = &line[marks..];
    if (1..=6).contains(&marks) && rest.starts_with([' ', '\t']) {
        rest.trim().trim_end_matches('#').trim_end()
    } else {
        line
    }
}

fn is_heading_like(line: &str) -> bool {
    let chars = line.chars().count();
    let first = line.chars().next().unwrap_or(' ');
    let last = line.chars().next_back().unwrap_or(' ');
    let words = line.split_whitespace().count();
    chars >= 4
        && words >= 2
        && (first.is_uppercase() || first.is_ascii_digit())
        && !matches!(last, '.' | ':' | ',' | ';' | '!' | '(' | '-')
        && !RE_NOT_TITLE.is_match(line)
        && !RE_MASTHEAD.is_match(line)
        && !RE_URLISH.is_match(line)
        && !RE_POSTCODE.is_match(line)
        && !RE_STREET_ADDRESS.is_match(line)
        && !is_date_line(line)
        && line.chars().any(|c| c.is_alphabetic())
}

fn clean_title(line: &str) -> String {
    let line = line.trim_start_matches(|c: char| c == '#' || c.is_whitespace());
    let line = line.trim_end_matches(|c: char| c == '#' || c.is_whitespace());
    let collapsed = line.split_whitespace().collect::<Vec<_>>().join(" ");
    let without_org = RE_ORG_PREFIX.replace(&collapsed, "").into_owned();
    let base = if without_org.chars().count() >= 4 {
        without_org
    } else {
        collapsed
    };
    truncate_chars(&base, MAX_TITLE_CHARS)
}

fn truncate_chars(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut: String = s.chars().take(n).collect();
    match cut.rfind(' ') {
        Some(i) if i > n / 2 => cut[..i].to_string(),
        _ => cut,
    }
}

/// A letter's subject: a "Re:"/"Subject:" line, or a running header/footer naming the letter
/// ("HM Inspectorate of Probation: Regional review letter to Greater Manchester RPD").
fn letter_subject(doc: &Doc) -> Option<String> {
    if !is_letter(doc) {
        return None;
    }
    for (_, l) in doc.head_lines() {
        if let Some(c) = RE_SUBJECT.captures(l) {
            if let Some(m) = c.get(1) {
                return Some(clean_title(m.as_str()));
            }
        }
    }
    doc.body_lines()
        .map(|(_, l)| *l)
        .find(|l| l.chars().count() <= MAX_TITLE_CHARS && RE_LETTER_SUBJECT.is_match(l))
        .map(clean_title)
}

// ---------------------------------------------------------------------------------------------
// Type
// ---------------------------------------------------------------------------------------------

static RE_DEAR: Lazy<Regex> = Lazy::new(|| re(r"^Dear\s+\S"));
static RE_LETTER_CUE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?im)^(?:to|cc)\s*:|yours (?:sincerely|faithfully)|kind regards|best wishes|review letter|^our ref|^your ref",
    )
});
static RE_NEWS_STRONG: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)follow bbc|bbc\.co\.uk|bbc\.com|\bbbc news\b|told the bbc|told bbc|send (?:your )?story ideas",
    )
});
static RE_NEWS_LINE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:[-•*]\s*)?published\s*$|^image (?:source|caption)|^media caption|^(?:by|words by) [A-Z][a-z]+(?: [A-Z][a-z'\-]+){1,3}$|^(?:bbc )?[a-z ]*correspondent$|^follow .* on (?:facebook|twitter|x|instagram)",
    )
});
static RE_PRESS_STRONG: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^notes? to editors|^editor'?s'? notes?\b|press office|media enquiries|\bas (?:she|he|they) published\b|^ends$",
    )
});
/// "Press release" as a page's own label, only at its very top (a report's web page may have a
/// "Press release" section linking to one).
static RE_PRESS_LABEL: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)^(?:news|press) release\b|^for immediate release\b|^embargoed\b"));
static RE_CHIEF_QUOTE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?:said|says|added)\s+(?:(?:Dame|Sir|Mr|Mrs|Ms|Dr)\s+)?[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+){0,3},\s+(?:HM\s+|His Majesty's\s+|Her Majesty's\s+)?Chief Inspector of Probation|Chief Inspector of Probation,?\s+(?:(?:Dame|Sir|Mr|Mrs|Ms|Dr)\s+)?[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+){0,3},?\s+(?:said|says)",
    )
});
static RE_REPRINT_FURNITURE: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)please enter your (?:comment|name)|leave a reply|post a comment"));
static RE_DYNAMIC: Lazy<Regex> = Lazy::new(|| re(r"(?i)\bdynamic inspection"));
static RE_ANNUAL_TITLE: Lazy<Regex> = Lazy::new(|| re(r"(?i)\bannual report\b"));
static RE_ANNUAL_LEAD: Lazy<Regex> = Lazy::new(|| {
    re(r"(?i)\b(?:this|my|our) annual report\b|annual report of (?:the )?(?:hm )?chief inspector")
});
static RE_THEMATIC: Lazy<Regex> = Lazy::new(|| re(r"(?i)\bthematic\b"));
static RE_THEMATIC_LEAD: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)\b(?:this|a|an|our) thematic (?:inspection|review)\b|\bthis thematic\b"));
static RE_PDU: Lazy<Regex> = Lazy::new(|| re(r"(?i)probation delivery unit|\bPDU\b"));
static RE_PDU_LEAD: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\b(?:this|an|the|our) inspection of (?:the )?[\w ,'&]{2,60}?\b(?:probation delivery unit|PDU)\b|\bPDU inspection\b",
    )
});
static RE_REGIONAL: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\bregional inspection\b|\binspection of (?:the )?(?:probation services|probation service|the probation service) (?:in|across)\b|\bregion\b",
    )
});
static RE_REGIONAL_LEAD: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\b(?:this|a|an|our) regional inspection\b|\binspection of probation services (?:in|across) (?:the )?[\w ,'&]+ region\b",
    )
});
static RE_INSPECTION_OF_IN: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)inspection of probation services? in:?\s*(.+)$"));

fn is_letter(doc: &Doc) -> bool {
    let dear = doc.head_lines().any(|(_, l)| RE_DEAR.is_match(l));
    dear && doc.has(&RE_LETTER_CUE)
}

fn news_score(doc: &Doc) -> u32 {
    let mut score = 0;
    if doc.has(&RE_NEWS_STRONG) {
        score += 2;
    }
    if doc.related_cut < doc.text.len() {
        score += 1;
    }
    let line_cues = doc
        .lines
        .iter()
        .filter(|(_, l)| RE_NEWS_LINE.is_match(l))
        .take(3)
        .count() as u32;
    score + line_cues
}

fn press_score(doc: &Doc) -> u32 {
    let lead = doc.lead();
    let mut score = 0;
    if doc.body_lines().any(|(_, l)| RE_PRESS_STRONG.is_match(l))
        || doc
            .lines
            .iter()
            .take(5)
            .any(|(_, l)| RE_PRESS_LABEL.is_match(l))
    {
        score += 2;
    }
    if RE_CHIEF_QUOTE.is_match(&lead) {
        score += 2;
    }
    if doc.has(&RE_REPRINT_FURNITURE) {
        score += 1;
    }
    score
}

/// Whole-document judgement of the report type; `None` only for empty text.
fn infer_type(doc: &Doc, file_name: &str) -> Option<&'static str> {
    if doc.lines.is_empty() {
        return None;
    }
    // Structural kinds first: their furniture cannot be mistaken, while their words ("the
    // inspection of probation services in…") also appear in what they report on.
    if news_score(doc) >= 2 {
        return Some("news-article");
    }
    if is_letter(doc) {
        return Some("regional-letter");
    }
    if press_score(doc) >= 2 {
        return Some("press-release");
    }
    if let Some(title) = extract_title(doc.text) {
        if let Some(t) = type_from_title(&title) {
            return Some(t);
        }
    }
    let lead = doc.lead();
    if RE_DYNAMIC.is_match(&lead) {
        return Some("dynamic-inspection");
    }
    if RE_ANNUAL_LEAD.is_match(&lead) {
        return Some("annual-report");
    }
    if RE_THEMATIC_LEAD.is_match(&lead) {
        return Some("thematic-inspection");
    }
    if RE_PDU_LEAD.is_match(&lead) {
        return Some("pdu-inspection");
    }
    if RE_REGIONAL_LEAD.is_match(&lead) {
        return Some("regional-inspection");
    }
    Some(type_from_file_name(file_name).unwrap_or("other"))
}

fn type_from_title(title: &str) -> Option<&'static str> {
    if RE_DYNAMIC.is_match(title) {
        return Some("dynamic-inspection");
    }
    if RE_ANNUAL_TITLE.is_match(title) {
        return Some("annual-report");
    }
    if RE_THEMATIC.is_match(title) {
        return Some("thematic-inspection");
    }
    if RE_PDU.is_match(title) {
        return Some("pdu-inspection");
    }
    // "An inspection of probation services in: <place>": a region name means a regional
    // inspection, anything else (a PDU's area) a PDU inspection.
    if let Some(c) = RE_INSPECTION_OF_IN.captures(title) {
        let place = c.get(1).map_or("", |m| m.as_str());
        let place = place.trim_end_matches(|c: char| !c.is_alphanumeric());
        return Some(if Gazetteer::embedded().canonical_region(place).is_some() {
            "regional-inspection"
        } else {
            "pdu-inspection"
        });
    }
    if RE_REGIONAL.is_match(title) && title.to_lowercase().contains("inspection") {
        return Some("regional-inspection");
    }
    None
}

fn type_from_file_name(file_name: &str) -> Option<&'static str> {
    let f = file_name.to_ascii_lowercase();
    let has = |s: &str| f.contains(s);
    if has("press") {
        Some("press-release")
    } else if has("news") || has("bbc") {
        Some("news-article")
    } else if has("letter") {
        Some("regional-letter")
    } else if has("dynamic") {
        Some("dynamic-inspection")
    } else if has("annual") {
        Some("annual-report")
    } else if has("thematic") {
        Some("thematic-inspection")
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Publisher
// ---------------------------------------------------------------------------------------------

static RE_HMIP_NAME: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\b(?:hm|his majesty's|her majesty's|his majesty’s|her majesty’s) inspectorate of probation\b|\bhmi probation\b|hmiprobation",
    )
});
static RE_HMIP_VOICE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\bwe inspected\b|\bthis inspection was led by\b|\bdynamic inspection\b|\bour inspection\b|\bwe found\b.{0,200}\binspect|\bhm inspector\b",
    )
});

fn infer_publisher(doc: &Doc, report_type: Option<&str>) -> Option<&'static str> {
    if report_type == Some("news-article") {
        // A news page's publisher is the outlet; we only recognise the BBC.
        return doc.has(&RE_NEWS_STRONG).then_some(BBC);
    }
    let edges = doc
        .lines
        .iter()
        .take(15)
        .chain(doc.lines.iter().rev().take(15))
        .any(|(_, l)| RE_HMIP_NAME.is_match(l));
    let voice = doc.has(&RE_HMIP_VOICE) && doc.has(&RE_HMIP_NAME);
    let press = report_type == Some("press-release") && RE_CHIEF_QUOTE.is_match(doc.text);
    let dynamic = doc.has(&RE_DYNAMIC) && report_type == Some("dynamic-inspection");
    (edges || voice || press || dynamic).then_some(HMIP)
}

// ---------------------------------------------------------------------------------------------
// Date and year
// ---------------------------------------------------------------------------------------------

static RE_PUBLISHED_LABEL: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:[-•*]\s*)?(?:date\s+(?:first\s+)?published|first\s+published|published(?:\s+on)?|publication\s+date|date\s+of\s+publication|date\s+of\s+issue|issued(?:\s+on)?|released(?:\s+on)?|date)\s*:?\s*",
    )
});
static RE_WEEKDAY: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+"));
static RE_COPYRIGHT: Lazy<Regex> = Lazy::new(|| {
    re(r"(?i)(?:©|\(c\)|crown copyright)\s*(?:crown copyright\s*)?((?:19|20)\d{2})\b")
});
/// Author–date citations: "HM Inspectorate of Probation (January 2025).", "(2025). Title".
static RE_CITATION: Lazy<Regex> = Lazy::new(|| {
    re(
        r"\((?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2}\s+[A-Z][a-z]+\s+)?((?:19|20)\d{2})[a-z]?\)\s*[.,:]|↩|\bavailable (?:at|from)\b|\bretrieved\b|\baccessed\b",
    )
});
static RE_SECTION_REFERENCES: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:#+\s*)?(?:footnotes?|references?|endnotes?|bibliography|sources|notes|further reading)\s*:?$",
    )
});
/// History around a date: it says when something began or was last done, not when this report
/// was written.
static RE_HISTORY: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\b(?:formed|established|created|set up|abolished|introduced|launched|founded|replaced|came into (?:force|effect|being)|last inspected|previous(?:ly)?\s+inspect|previous (?:core )?inspection|was published|were published|report published|published in|unifi|reunifi|transforming rehabilitation|since|prior to|history)\b",
    )
});
/// Forward-looking words just before a date: an expectation, not something that happened.
static RE_FORWARD_BEFORE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)(?:\bby (?:the )?(?:end|start|beginning|middle|close) of |\bby (?:early |mid |late )?|\buntil |\btill |\bdue (?:in|by) |\bexpected (?:in|by) |\bplanned for |\bscheduled for |\bwill\b[^.]{0,40}|\bintends? to\b[^.]{0,40}|\baims? to\b[^.]{0,40}|\bplans? to\b[^.]{0,40})$",
    )
});
static RE_END_OF_YEAR: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)\bby (?:the )?end of ((?:19|20)\d{2})\b"));
static RE_FILE_YEAR: Lazy<Regex> =
    Lazy::new(|| re(r"(?:^|[-_ .(\[/\\])((?:19|20)\d{2})(?:[-_ .)\]/\\]|$)"));

/// A stated publication date near the top, then the year rule from the module docs.
fn infer_date(doc: &Doc, file_name: &str) -> (Option<String>, Option<i32>) {
    if let Some(d) = stated_date(doc) {
        return (Some(d.iso()), Some(d.year));
    }
    if let Some(y) = doc
        .body_lines()
        .filter_map(|(_, l)| RE_COPYRIGHT.captures(l))
        .filter_map(|c| c.get(1).and_then(|m| m.as_str().parse::<i32>().ok()))
        .find(|y| plausible_year(*y))
    {
        return (None, Some(y));
    }
    if let Some(y) = estimated_year(doc) {
        return (None, Some(y));
    }
    let from_name = RE_FILE_YEAR
        .captures_iter(file_name)
        .filter_map(|c| c.get(1).and_then(|m| m.as_str().parse::<i32>().ok()))
        .find(|y| plausible_year(*y));
    (None, from_name)
}

/// A "Published …" date or a date-only line among the top lines (before any related links).
fn stated_date(doc: &Doc) -> Option<Date> {
    let head: Vec<&(usize, &str)> = doc.head_lines().take(STATED_DATE_LINES).collect();
    // On a short page the top 25 lines reach the bottom: a date in the last quarter is page
    // furniture (related links, "more stories"), not this page's date.
    let total = doc.lines.len();
    let limit = if total >= 8 { total - total / 4 } else { total };
    for (i, (_, line)) in head.iter().enumerate().take(limit) {
        if let Some(label) = RE_PUBLISHED_LABEL.find(line) {
            let rest = &line[label.end()..];
            // The date may sit on the next line ("Published:\n\n3 March 2024").
            let candidate = if rest.trim().is_empty() {
                head.get(i + 1).map(|(_, l)| *l).unwrap_or("")
            } else {
                rest
            };
            if let Some(d) = leading_date(candidate) {
                return Some(d);
            }
        }
        if is_date_line(line) {
            if let Some(d) = leading_date(line) {
                return Some(d);
            }
        }
    }
    None
}

/// The date a string starts with (after an optional weekday), if any.
fn leading_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let s = RE_WEEKDAY.find(s).map_or(s, |m| &s[m.end()..]);
    find_dates(s)
        .into_iter()
        .next()
        .filter(|h| h.start == 0)
        .map(|h| h.date)
}

/// A line that is only a date (a letter's date, a title page's month).
fn is_date_line(line: &str) -> bool {
    let s = line.trim().trim_end_matches(['.', ',']);
    let s = RE_WEEKDAY.find(s).map_or(s, |m| &s[m.end()..]);
    find_dates(s)
        .first()
        .is_some_and(|h| h.start == 0 && h.end == s.len())
}

fn is_reference_line(line: &str) -> bool {
    RE_CITATION.is_match(line)
}

/// Steps 3 and 4 of the year rule (module docs).
fn estimated_year(doc: &Doc) -> Option<i32> {
    let now = current_year();
    let mut latest: Option<(i32, u32)> = None;
    let mut lower_bound: Option<i32> = None;
    let mut end_of_years: Vec<i32> = Vec::new();
    let mut in_references = false;

    for (_, line) in doc.body_lines() {
        if RE_SECTION_REFERENCES.is_match(line) {
            in_references = true;
            continue;
        }
        if in_references || is_reference_line(line) {
            for c in RE_CITATION.captures_iter(line) {
                if let Some(y) = c.get(1).and_then(|m| m.as_str().parse::<i32>().ok()) {
                    if plausible_year(y) {
                        lower_bound = lower_bound.max(Some(y));
                    }
                }
            }
            continue;
        }
        for c in RE_END_OF_YEAR.captures_iter(line) {
            if let Some(y) = c.get(1).and_then(|m| m.as_str().parse::<i32>().ok()) {
                if plausible_year(y) {
                    end_of_years.push(y);
                }
            }
        }
        for hit in find_dates(line) {
            let Some(month) = hit.date.month else {
                continue;
            };
            if RE_HISTORY.is_match(sentence_around(line, hit.start, hit.end))
                || RE_FORWARD_BEFORE.is_match(sentence_before(line, hit.start))
            {
                continue;
            }
            if hit.date.year > now {
                continue;
            }
            let key = (hit.date.year, month);
            latest = latest.max(Some(key));
        }
    }
    // Related links on a news page are older stories: a lower bound for this one.
    for hit in find_dates(&doc.text[doc.related_cut..]) {
        lower_bound = lower_bound.max(Some(hit.date.year));
    }
    let lower_bound = lower_bound.filter(|y| *y <= now);

    if let Some((y, m)) = latest {
        let shifted = y + (m as i32 - 1 + PUBLICATION_LAG_MONTHS) / 12;
        let year = shifted.max(lower_bound.unwrap_or(shifted)).min(now);
        return Some(year);
    }
    let expected = end_of_years.into_iter().min()?;
    if lower_bound.is_some_and(|lb| lb > expected) || expected > now + 1 {
        return None;
    }
    Some(expected)
}

/// The sentence of `line` containing the span `start..end`.
fn sentence_around(line: &str, start: usize, end: usize) -> &str {
    let from = sentence_before(line, start).as_ptr() as usize - line.as_ptr() as usize;
    let rest = &line[end..];
    let to = rest
        .find(". ")
        .or_else(|| rest.find("; "))
        .map_or(line.len(), |i| end + i);
    &line[from..to]
}

/// The part of `line` from the start of the sentence containing byte `pos` up to `pos`.
fn sentence_before(line: &str, pos: usize) -> &str {
    let before = &line[..pos];
    let start = before
        .rfind(". ")
        .or_else(|| before.rfind("; "))
        .map_or(0, |i| i + 2);
    &before[start..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(text: &str) -> InferredMetadata {
        infer_metadata(text, "report.txt")
    }

    // --- region -------------------------------------------------------------------------

    #[test]
    fn test_region_from_title() {
        let m = meta("Dynamic Inspection of Public Protection in South West region\nPublished:\n\nWe inspected cases across the region.");
        assert_eq!(m.region.as_deref(), Some("South West"));
    }

    #[test]
    fn test_region_from_pdu_names() {
        let m = meta("Findings\nWe looked at cases in Bolton, Bury and Rochdale, Manchester North and Salford and Trafford. Stockport and Tameside PDU was strong.");
        assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
    }

    #[test]
    fn test_region_from_police_and_local_authority_names() {
        let m = meta("Partnerships\nThe PDU worked with Avon and Somerset Police and Bristol City Council. Bristol and Somerset partners attended.");
        assert_eq!(m.region.as_deref(), Some("South West"));
    }

    #[test]
    fn test_region_from_legacy_crc_with_clarifying_text() {
        let m = meta("Inspectors found the Cheshire and Greater Manchester CRC's work mixed, she added as she published the report of a recent inspection of probation work in Greater Manchester.");
        assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
    }

    #[test]
    fn test_region_ambiguous_legacy_body_alone_is_none() {
        let m = meta("Findings\nThe Cheshire and Greater Manchester CRC had large caseloads and the Cheshire and Greater Manchester CRC recruited staff.");
        assert_eq!(m.region, None);
    }

    #[test]
    fn test_region_england_and_wales_is_not_wales() {
        let m = meta("Probation caseloads\nThe 12 probation regions across England and Wales reported rising caseloads. In England and Wales, staff shortages persist.");
        assert_eq!(m.region, None);
    }

    #[test]
    fn test_region_hmip_manchester_address_alone_is_none() {
        let m = meta("HM Inspectorate of Probation\n1st Floor, Manchester Civil Justice Centre, 1 Bridge Street West, Manchester M3 3FX\n\nA thematic inspection of staffing\nThis thematic inspection looked at recruitment nationally.");
        assert_eq!(m.region, None);
    }

    #[test]
    fn test_region_bbc_north_west_footer_not_decisive() {
        let m = meta("Probation staff shortages found nationwide\n- Published\nInspectors found staffing gaps across the country.\nWhy not follow BBC North West on Facebook? Send story ideas to northwest.newsonline@bbc.co.uk");
        assert_eq!(m.region, None);
    }

    // --- dates --------------------------------------------------------------------------

    #[test]
    fn test_date_letter_date() {
        let m = meta("HM Inspectorate of Probation\n1st Floor, Manchester Civil Justice Centre, 1 Bridge Street West, Manchester M3 3FX\n\n25 May 2023\n\nTo:\nJane Doe, Regional Probation Director\n\nDear Jane,\n\nMany thanks for your help during the regional review.\n\nYours sincerely");
        assert_eq!(m.date.as_deref(), Some("2023-05-25"));
        assert_eq!(m.year, Some(2023));
    }

    #[test]
    fn test_date_published_at_top() {
        let m = meta("Probation service told to improve\nPublished 16 February 2017\nInspectors said work in Wigan needed to improve.");
        assert_eq!(m.date.as_deref(), Some("2017-02-16"));
        assert_eq!(m.year, Some(2017));
        let m = meta("Some report\nPublished: 3 March 2024\nText.");
        assert_eq!(m.date.as_deref(), Some("2024-03-03"));
        let m = meta("Some report\nPublished:\n\n2024-03-03\nText.");
        assert_eq!(m.date.as_deref(), Some("2024-03-03"));
    }

    #[test]
    fn test_date_related_links_at_bottom_ignored() {
        let m = meta("Probation services criticised\n- Published\nInspectors visited Wigan in March.\nThey hope to be fully staffed by the end of 2023.\nRelated topics\n- Published16 February 2017\n- Published14 June 2022");
        assert_eq!(m.date, None);
        assert_eq!(m.year, Some(2023));
    }

    #[test]
    fn test_date_reference_list_dates_ignored() {
        let text = "Inspection findings\nWe inspected cases that started in March 2019.\n\
                    Footnotes\n- HM Inspectorate of Probation (January 2017). A thematic inspection of something. ↩︎";
        let m = meta(text);
        assert_eq!(m.date, None);
        assert_eq!(m.year, Some(2019));
        // A citation line in the body is not a context date either.
        let text = "Findings\nThe team reviewed work. HM Inspectorate of Probation (January 2025). A thematic inspection.\nNo other dates.";
        assert_eq!(meta(text).date, None);
        assert_eq!(meta(text).year, None);
    }

    #[test]
    fn test_date_fieldwork_year() {
        let m = meta("Inspection of Wigan PDU\nFieldwork started February 2023. The PDU was formed in June 2021.");
        assert_eq!(m.date, None);
        assert_eq!(m.year, Some(2023));
    }

    #[test]
    fn test_date_latest_data_in_second_half_means_next_year() {
        let m = meta("Dynamic Inspection of Public Protection in Greater Manchester\nWe inspected cases that started between 21 April 2025 and 02 May 2025. Number supervised (on 30 June 2025). In December 2025 the backlog was 10.");
        assert_eq!(m.year, Some(2026));
    }

    #[test]
    fn test_date_history_and_forward_dates_ignored() {
        let m = meta("Regional findings\nThe region was formed in June 2021. A new strategy will launch in April 2030.");
        assert_eq!(m.year, None);
        let m = meta("Press\nThe former trust was last inspected 2011. In June 2014, Probation Trusts were abolished.");
        assert_eq!(m.year, None);
    }

    #[test]
    fn test_date_year_from_file_name_only_as_fallback() {
        assert_eq!(
            infer_metadata("Report\nNo dates here.", "2019-wigan.txt").year,
            Some(2019)
        );
        assert_eq!(
            infer_metadata("Report\nNo dates here.", "ae2019f.txt").year,
            None
        );
        assert_eq!(
            infer_metadata("Report\nPublished 1 May 2020\n", "2019-wigan.txt").year,
            Some(2020)
        );
    }

    // --- types --------------------------------------------------------------------------

    #[test]
    fn test_type_dynamic_inspection() {
        let m = meta("Dynamic Inspection of Public Protection in Greater Manchester\nChief Inspector’s judgment (Back to top)\nWe inspected 72 cases.");
        assert_eq!(m.report_type.as_deref(), Some("dynamic-inspection"));
        assert_eq!(m.publisher.as_deref(), Some(HMIP));
        assert_eq!(
            m.title.as_deref(),
            Some("Dynamic Inspection of Public Protection in Greater Manchester")
        );
    }

    #[test]
    fn test_type_regional_letter() {
        let m = meta("HM Inspectorate of Probation\n\n25 May 2023\n\nTo:\nChris Edwards, Regional Probation Director\n\nDear Chris,\n\nMany thanks for your cooperation during the recent regional review of Probation Service – Greater Manchester region.\nHM Inspectorate of Probation: Regional review letter to Greater Manchester RPD\nYours sincerely");
        assert_eq!(m.report_type.as_deref(), Some("regional-letter"));
        assert_eq!(m.publisher.as_deref(), Some(HMIP));
        assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
        assert_eq!(
            m.title.as_deref(),
            Some("Regional review letter to Greater Manchester RPD")
        );
    }

    #[test]
    fn test_type_letter_without_subject_gets_constructed_title() {
        let m = meta("25 May 2023\n\nDear Chris,\n\nThank you for the regional review of probation work in Wales. Staff in Cardiff and Swansea were helpful.\n\nYours sincerely");
        assert_eq!(m.report_type.as_deref(), Some("regional-letter"));
        assert_eq!(m.title.as_deref(), Some("Regional review letter: Wales"));
    }

    #[test]
    fn test_type_pdu_inspection() {
        let m = meta("An inspection of probation services in: Wigan PDU\nHM Inspectorate of Probation\nMay 2023\nThis inspection of the Wigan Probation Delivery Unit found...");
        assert_eq!(m.report_type.as_deref(), Some("pdu-inspection"));
        assert_eq!(m.date.as_deref(), Some("2023-05"));
        assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
    }

    #[test]
    fn test_title_joins_split_title_page() {
        let m = meta("HM Inspectorate of Probation\nAn inspection of probation services in:\nBolton PDU\nJune 2022\nWe inspected 40 cases.");
        assert_eq!(
            m.title.as_deref(),
            Some("An inspection of probation services in: Bolton PDU")
        );
        assert_eq!(m.report_type.as_deref(), Some("pdu-inspection"));
        assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
        assert_eq!(m.date.as_deref(), Some("2022-06"));
        assert_eq!(m.publisher.as_deref(), Some(HMIP));
        assert_eq!(
            infer_metadata("Report\nNo dates.", "reports/2021/wigan.txt").year,
            Some(2021)
        );
    }

    #[test]
    fn test_type_regional_inspection() {
        let m = meta("An inspection of probation services in: Wales\nHM Inspectorate of Probation\nOctober 2022\nWe inspected the region.");
        assert_eq!(m.report_type.as_deref(), Some("regional-inspection"));
        assert_eq!(m.region.as_deref(), Some("Wales"));
    }

    #[test]
    fn test_type_thematic_inspection() {
        let m = meta("A thematic inspection of the recruitment and retention of probation practitioners\nAn inspection by HM Inspectorate of Probation\nJanuary 2025\nThis thematic inspection examined staffing in England and Wales.");
        assert_eq!(m.report_type.as_deref(), Some("thematic-inspection"));
        assert_eq!(m.date.as_deref(), Some("2025-01"));
        assert_eq!(m.region, None);
        // A thematic cited only in footnotes does not make a report thematic.
        let m = meta("Probation in numbers\nSome data here.\nFootnotes\n- HM Inspectorate of Probation (2025). A thematic inspection of staffing. ↩︎");
        assert_eq!(m.report_type.as_deref(), Some("other"));
    }

    #[test]
    fn test_type_press_release() {
        let m = meta("The two organisations providing probation services in Greater Manchester were working well in some respects, said Dame Glenys Stacey, HM Chief Inspector of Probation.\n\nThe CRC also needed to do more, she added as she published the report.\n\nPlease enter your comment!");
        assert_eq!(m.report_type.as_deref(), Some("press-release"));
        assert_eq!(m.publisher.as_deref(), Some(HMIP));
        assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
        let m = meta("Inspection finds problems in Kent\nInspectors found problems.\nNotes to editors\n1. HM Inspectorate of Probation is the independent inspector.");
        assert_eq!(m.report_type.as_deref(), Some("press-release"));
    }

    #[test]
    fn test_type_news_article() {
        let m = meta("Greater Manchester probation services criticised amid safety fears\n- Published\nThree probation services have been ordered to improve.\nChief Inspector Justin Russell said it was disappointing.\nWhy not follow BBC North West on Facebook?\nRelated topics\n- Published16 February 2017");
        assert_eq!(m.report_type.as_deref(), Some("news-article"));
        assert_eq!(m.publisher.as_deref(), Some(BBC));
        assert_eq!(m.region.as_deref(), Some("Greater Manchester"));
        assert_eq!(m.date, None);
    }

    #[test]
    fn test_type_annual_report() {
        let m = meta("Annual Report 2023/24\nHM Chief Inspector of Probation\nThis annual report summarises our inspections across England and Wales.");
        assert_eq!(m.report_type.as_deref(), Some("annual-report"));
        assert_eq!(m.region, None);
    }

    #[test]
    fn test_type_other_and_empty() {
        assert_eq!(
            meta("Shopping list\nEggs and milk.").report_type.as_deref(),
            Some("other")
        );
        assert_eq!(meta("").report_type, None);
        assert_eq!(meta("   \n\n"), InferredMetadata::default());
    }

    // --- title --------------------------------------------------------------------------

    #[test]
    fn test_title_skips_furniture_and_addresses() {
        let text = "Skip to content\n\nAll content is available under the Open Government Licence v3.0, except where otherwise stated.\n\nTo view this licence, visit:\nhttps://example.gov.uk/licence\nor write to:\nInformation Policy Team,\nKew,\nLondon TW9 4DU\n\nDynamic Inspection of Public Protection in South West region\n\nPublished:\n";
        let m = meta(text);
        assert_eq!(
            m.title.as_deref(),
            Some("Dynamic Inspection of Public Protection in South West region")
        );
        assert_eq!(m.region.as_deref(), Some("South West"));
    }

    #[test]
    fn test_title_of_markdown_heading_without_its_marks() {
        let text = "# An inspection of probation services in Kent ##\n\nSome text.\n";
        assert_eq!(
            extract_title(text).as_deref(),
            Some("An inspection of probation services in Kent")
        );
        // `#` not followed by a space is not a heading mark, and opens no title.
        assert_eq!(extract_title("#hashtag line here\n\nSome text.\n"), None);
        assert_eq!(
            extract_title("## Probation in Wales\nbody\n").as_deref(),
            Some("Probation in Wales")
        );
    }

    #[test]
    fn test_title_none_for_running_prose() {
        let p = "This is a long paragraph of running prose that goes on and on about probation services and what inspectors found when they visited, well beyond the length of any heading anyone would write for a report. ";
        let text = format!("{p}{p}\n{p}{p}\nShort line here\n");
        assert_eq!(extract_title(&text), None);
        let long = format!("A{}", "b ".repeat(300));
        assert!(extract_title(&format!("Title: {long}\n")).is_none_or(|t| t.chars().count() <= 200));
    }

    #[test]
    fn test_civil_year() {
        assert_eq!(civil_year(0), 1970);
        assert_eq!(civil_year(20_454), 2026); // 2026-01-01
        assert_eq!(civil_year(20_453), 2025); // 2025-12-31
    }

    proptest::proptest! {
        #[test]
        fn test_infer_metadata_never_panics(text in "\\PC{0,400}", name in "\\PC{0,40}") {
            let m = infer_metadata(&text, &name);
            if let Some(y) = m.year {
                proptest::prop_assert!(plausible_year(y));
            }
            if let Some(t) = &m.report_type {
                proptest::prop_assert!(REPORT_TYPES.contains(&t.as_str()));
            }
            if let Some(t) = &m.title {
                proptest::prop_assert!(t.chars().count() <= MAX_TITLE_CHARS);
            }
        }

        #[test]
        fn test_infer_metadata_never_panics_on_report_like_text(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("Published".to_string()),
                    proptest::strategy::Just("16 February 2017".to_string()),
                    proptest::strategy::Just("Greater Manchester".to_string()),
                    proptest::strategy::Just("England and Wales".to_string()),
                    proptest::strategy::Just("Dear Chris,".to_string()),
                    proptest::strategy::Just("\n".to_string()),
                    proptest::strategy::Just("’–—&é字".to_string()),
                    "\\PC{0,20}",
                ],
                0..40,
            )
        ) {
            let text = parts.join(" ");
            let _ = infer_metadata(&text, "x");
        }
    }
}
