//! Lines and the small text tests every table reader shares: what counts as a heading, a
//! sentence end, a lowercase continuation. Kept apart so the recommendation, score, rating and
//! fact readers agree on them.

use once_cell::sync::Lazy;
use regex::Regex;
use std::borrow::Cow;

/// One physical line: 1-based number, byte offset of its first byte, text without terminator.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line<'a> {
    pub(super) no: usize,
    pub(super) start: usize,
    pub(super) text: &'a str,
}

/// Splits on "\n", "\r\n" and lone "\r" (old Mac / some PDF extractions), keeping offsets.
pub(super) fn split_lines(text: &str) -> Vec<Line<'_>> {
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
pub(super) fn more_words_than(s: &str, n: usize) -> bool {
    s.split_whitespace().nth(n).is_some()
}

/// Collapses runs of whitespace to one space and trims.
pub(super) fn normalise_ws(s: &str) -> String {
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
pub(super) fn is_hard_heading(t: &str) -> bool {
    // Most lines have no '(' and need no regex.
    (t.contains('(') && BACK_TO_TOP.is_match(t)) || t.trim_start().starts_with('#')
}

/// The heading text without "#", "(Back to top)", "**" and a trailing ':'.
pub(super) fn clean_heading(t: &str) -> String {
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
pub(super) fn heading_is(t: &str, word: &str) -> bool {
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
pub(super) fn is_heading_like(t: &str) -> bool {
    let t = t.trim();
    if t.is_empty() || is_hard_heading(t) {
        return !t.is_empty();
    }
    let first = t.chars().next().unwrap_or(' ');
    !t.ends_with(['.', '!', '?', ';', ','])
        && (first.is_uppercase() || first.is_ascii_digit())
        && !more_words_than(t, 12)
}

pub(super) fn ends_sentence(t: &str) -> bool {
    t.trim_end().ends_with(['.', '!', '?', ';'])
}

pub(super) fn starts_lowercase(t: &str) -> bool {
    t.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase())
}

/// "Manchester North PDU" → "Manchester North"; also drops "probation delivery unit".
pub(super) fn strip_pdu(s: &str) -> String {
    static PDU: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"(?i)\s*\b(?:PDU|probation delivery unit)\b\s*").expect("static regex")
    });
    normalise_ws(&PDU.replace_all(s, " "))
}
