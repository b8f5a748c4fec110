//! Dates and the publication year: reading dates in every written form, a stated publication
//! date near the top, and the year rule of the module docs when none is stated.

use std::time::{SystemTime, UNIX_EPOCH};

use once_cell::sync::Lazy;
use regex::Regex;

use super::doc::Doc;
use super::re;
use super::{MIN_YEAR, PUBLICATION_LAG_MONTHS, STATED_DATE_LINES};

pub(super) const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec";

/// Every date form we read. Groups: d1 m1 y1 (12 May 2023, 05December 2025), m2 d2 y2
/// (May 12, 2023), y3 n3 d3 (2023-05-12), d4 n4 y4 (12/05/2023, UK order), m5 y5 (May 2023).
pub(super) static RE_DATE: Lazy<Regex> = Lazy::new(|| {
    re(&format!(
        r"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s*(?P<m1>{m})\.?,?\s+(?P<y1>\d{{4}})|(?P<m2>{m})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})|(?P<y3>\d{{4}})-(?P<n3>\d{{2}})-(?P<d3>\d{{2}})|(?P<d4>\d{{1,2}})/(?P<n4>\d{{1,2}})/(?P<y4>\d{{4}})|(?P<m5>{m})\.?,?\s+(?P<y5>\d{{4}}))(?-u:\b)",
        m = MONTHS
    ))
});

/// A calendar date of day, month or year precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Date {
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

pub(super) fn month_number(name: &str) -> Option<u32> {
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

pub(super) fn plausible_year(y: i32) -> bool {
    (MIN_YEAR..=current_year() + 1).contains(&y)
}

/// A date match: the date and its byte span in the searched string.
pub(super) struct DateHit {
    date: Date,
    start: usize,
    end: usize,
}

/// All plausible dates in `s`. The match may begin on the digit right after a letter
/// ("Published16 February 2017") but never inside a longer number.
pub(super) fn find_dates(s: &str) -> Vec<DateHit> {
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
pub(super) fn current_year() -> i32 {
    static YEAR: Lazy<i32> = Lazy::new(|| {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        civil_year((secs / 86_400) as i64).max(2025)
    });
    *YEAR
}

/// Year of a day count since 1970-01-01.
pub(super) fn civil_year(days: i64) -> i32 {
    crate::calendar::civil_from_days(days).0 as i32
}

pub(super) static RE_PUBLISHED_LABEL: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:[-•*]\s*)?(?:date\s+(?:first\s+)?published|first\s+published|published(?:\s+on)?|publication\s+date|date\s+of\s+publication|date\s+of\s+issue|issued(?:\s+on)?|released(?:\s+on)?|date)\s*:?\s*",
    )
});
pub(super) static RE_WEEKDAY: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)^(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+"));
pub(super) static RE_COPYRIGHT: Lazy<Regex> = Lazy::new(|| {
    re(r"(?i)(?:©|\(c\)|crown copyright)\s*(?:crown copyright\s*)?((?:19|20)\d{2})\b")
});
/// Author–date citations: "HM Inspectorate of Probation (January 2025).", "(2025). Title".
pub(super) static RE_CITATION: Lazy<Regex> = Lazy::new(|| {
    re(
        r"\((?:[A-Z][a-z]+\.?\s+)?(?:\d{1,2}\s+[A-Z][a-z]+\s+)?((?:19|20)\d{2})[a-z]?\)\s*[.,:]|↩|\bavailable (?:at|from)\b|\bretrieved\b|\baccessed\b",
    )
});
pub(super) static RE_SECTION_REFERENCES: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:#+\s*)?(?:footnotes?|references?|endnotes?|bibliography|sources|notes|further reading)\s*:?$",
    )
});
/// History around a date: it says when something began or was last done, not when this report
/// was written.
pub(super) static RE_HISTORY: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\b(?:formed|established|created|set up|abolished|introduced|launched|founded|replaced|came into (?:force|effect|being)|last inspected|previous(?:ly)?\s+inspect|previous (?:core )?inspection|was published|were published|report published|published in|unifi|reunifi|transforming rehabilitation|since|prior to|history)\b",
    )
});
/// Forward-looking words just before a date: an expectation, not something that happened.
pub(super) static RE_FORWARD_BEFORE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)(?:\bby (?:the )?(?:end|start|beginning|middle|close) of |\bby (?:early |mid |late )?|\buntil |\btill |\bdue (?:in|by) |\bexpected (?:in|by) |\bplanned for |\bscheduled for |\bwill\b[^.]{0,40}|\bintends? to\b[^.]{0,40}|\baims? to\b[^.]{0,40}|\bplans? to\b[^.]{0,40})$",
    )
});
pub(super) static RE_END_OF_YEAR: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)\bby (?:the )?end of ((?:19|20)\d{2})\b"));
pub(super) static RE_FILE_YEAR: Lazy<Regex> =
    Lazy::new(|| re(r"(?:^|[-_ .(\[/\\])((?:19|20)\d{2})(?:[-_ .)\]/\\]|$)"));

/// A stated publication date near the top, then the year rule from the module docs.
pub(super) fn infer_date(doc: &Doc, file_name: &str) -> (Option<String>, Option<i32>) {
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
pub(super) fn stated_date(doc: &Doc) -> Option<Date> {
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
pub(super) fn leading_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let s = RE_WEEKDAY.find(s).map_or(s, |m| &s[m.end()..]);
    find_dates(s)
        .into_iter()
        .next()
        .filter(|h| h.start == 0)
        .map(|h| h.date)
}

/// A line that is only a date (a letter's date, a title page's month).
pub(super) fn is_date_line(line: &str) -> bool {
    let s = line.trim().trim_end_matches(['.', ',']);
    let s = RE_WEEKDAY.find(s).map_or(s, |m| &s[m.end()..]);
    find_dates(s)
        .first()
        .is_some_and(|h| h.start == 0 && h.end == s.len())
}

pub(super) fn is_reference_line(line: &str) -> bool {
    RE_CITATION.is_match(line)
}

/// Steps 3 and 4 of the year rule (module docs).
pub(super) fn estimated_year(doc: &Doc) -> Option<i32> {
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
pub(super) fn sentence_around(line: &str, start: usize, end: usize) -> &str {
    let from = sentence_before(line, start).as_ptr() as usize - line.as_ptr() as usize;
    let rest = &line[end..];
    let to = rest
        .find(". ")
        .or_else(|| rest.find("; "))
        .map_or(line.len(), |i| end + i);
    &line[from..to]
}

/// The part of `line` from the start of the sentence containing byte `pos` up to `pos`.
pub(super) fn sentence_before(line: &str, pos: usize) -> &str {
    let before = &line[..pos];
    let start = before
        .rfind(". ")
        .or_else(|| before.rfind("; "))
        .map_or(0, |i| i + 2);
    &before[start..]
}
