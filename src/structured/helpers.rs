//! The small text tests every table reader shares: what reads like a heading, a sentence end,
//! a lowercase continuation, a PDU's name. Kept apart so the recommendation, score, rating and
//! fact readers agree on them; lines and headings' text are [`crate::text::lines`]'s.

use once_cell::sync::Lazy;
use regex::Regex;

use crate::text::lines::lines;
pub(super) use crate::text::lines::{
    clean_heading, collapse_ws, heading_is, is_marked_heading, Line,
};

/// Every line of `text`, blank ones included (line numbers count them).
pub(super) fn split_lines(text: &str) -> Vec<Line<'_>> {
    lines(text).collect()
}

/// True when `s` has more than `n` words; stops counting there, since a long paragraph is a
/// line too and most lines are asked about only to be ruled out.
pub(super) fn more_words_than(s: &str, n: usize) -> bool {
    s.split_whitespace().nth(n).is_some()
}

/// A short line that reads like a heading: ≤ 12 words, no terminal sentence punctuation,
/// starting with an uppercase letter or digit.
/// Also true for every [`is_marked_heading`] line.
pub(super) fn is_heading_like(t: &str) -> bool {
    let t = t.trim();
    if t.is_empty() || is_marked_heading(t) {
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
    collapse_ws(&PDU.replace_all(s, " "))
}
