//! Title: the first heading-like line of a report, or a letter's subject line.

use once_cell::sync::Lazy;
use regex::Regex;

use crate::text::lines::{atx_heading, collapse_ws, lines};

use super::dates::is_date_line;
use super::doc::Doc;
use super::re;
use super::report_type::is_letter;
use super::{HEAD_LINES, MAX_TITLE_CHARS};

pub(super) static RE_NOT_TITLE: Lazy<Regex> = Lazy::new(|| {
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
pub(super) static RE_MASTHEAD: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:hm|his majesty's|her majesty's)?\s*inspectorate of probation$|^hmi probation$|^ministry of justice$|^bbc(?: news)?(?: [a-z ]+)?$|^news$|^hm prison and probation service$",
    )
});
pub(super) static RE_URLISH: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)https?://|www\.|\S+@\S+\.\w|\.gov\.uk|\.co\.uk|\.com\b|\.org\b"));
pub(super) static RE_POSTCODE: Lazy<Regex> =
    Lazy::new(|| re(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b"));
pub(super) static RE_STREET_ADDRESS: Lazy<Regex> = Lazy::new(|| {
    re(r"(?i)^\d+[a-z]?,?\s+\w+.*\b(?:street|road|lane|avenue|square|place|way)\b|\bfloor\b.*,")
});
pub(super) static RE_SPLIT_TITLE: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)^(?:an? )?(?:\w+ )?inspection of .{0,80}\b(?:in|of|for)\s*:$"));
pub(super) static RE_SUBJECT: Lazy<Regex> = Lazy::new(|| re(r"(?i)^(?:re|subject)\s*:\s*(.{3,})$"));
pub(super) static RE_LETTER_SUBJECT: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)\b(?:review|inspection) letter\b"));
pub(super) static RE_ORG_PREFIX: Lazy<Regex> = Lazy::new(|| {
    re(r"(?i)^(?:hm|his majesty's|her majesty's)\s+inspectorate of probation\s*[:\-–—|]\s*")
});

/// The first heading-like line of `text`: short, not ending like a sentence or a label, not an
/// address, URL, date, salutation, letterhead or web-page furniture. `None` when the document
/// opens with running prose and no heading.
pub fn extract_title(text: &str) -> Option<String> {
    let mut paragraphs = 0;
    let lines: Vec<&str> = lines(text)
        .map(|l| {
            let t = l.text.trim();
            atx_heading(t).unwrap_or(t)
        })
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

pub(super) fn is_heading_like(line: &str) -> bool {
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

pub(super) fn clean_title(line: &str) -> String {
    let line = line.trim_start_matches(|c: char| c == '#' || c.is_whitespace());
    let line = line.trim_end_matches(|c: char| c == '#' || c.is_whitespace());
    let collapsed = collapse_ws(line);
    let without_org = RE_ORG_PREFIX.replace(&collapsed, "").into_owned();
    let base = if without_org.chars().count() >= 4 {
        without_org
    } else {
        collapsed
    };
    truncate_chars(&base, MAX_TITLE_CHARS)
}

pub(super) fn truncate_chars(s: &str, n: usize) -> String {
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
pub(super) fn letter_subject(doc: &Doc) -> Option<String> {
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
