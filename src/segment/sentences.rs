//! Sentences: where a unit ends (terminal punctuation, not after titles, abbreviations or
//! initials), and the cutting of over-long units at whitespace so none exceeds
//! [`MAX_UNIT_BYTES`](super::MAX_UNIT_BYTES).

use super::lines::trim_span;
use super::paragraphs::{is_closer, is_terminal};
use super::MAX_UNIT_BYTES;

/// When cutting an over-long unit we look for whitespace in the second half of the window only,
/// so every cut advances at least this far and the backwards scan stays bounded (linear time).
pub(super) const MIN_CUT_BYTES: usize = MAX_UNIT_BYTES / 2;

/// Titles that precede a name: never end a sentence ("Mr Russell", "Dr. Jo Farrar").
pub(super) const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "st", "prof", "rev", "sr", "jr", "hon", "rt", "sgt", "capt",
    "col", "gen", "lt", "messrs",
];
/// Abbreviations that never end a sentence whatever follows.
pub(super) const ALWAYS_ABBREV: &[&str] = &["e.g", "i.e", "cf", "vs", "viz", "approx", "eg", "ie"];
/// Abbreviations that precede a number ("No. 3", "p. 12").
pub(super) const NUMBER_ABBREV: &[&str] = &[
    "no", "nos", "vol", "p", "pp", "para", "paras", "fig", "figs", "ch", "sec", "art", "ref",
    "tel", "op",
];

pub(super) fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '£' | '$' | '€' | '#'
    )
}

/// May `c` begin a new sentence after a terminator? Anything but a lowercase letter that is a
/// letter, digit or opening quote/bracket (caseless scripts count as sentence starts).
pub(super) fn starts_sentence(c: char) -> bool {
    !c.is_lowercase() && (c.is_alphanumeric() || is_opener(c))
}

/// Is the '.' at `dot` (followed by whitespace and then `next`) part of an abbreviation?
pub(super) fn is_abbreviation(seg: &str, dot: usize, next: char) -> bool {
    // The token before the dot, scanned back at most 64 bytes: each token is scanned once, as
    // only its final '.' is followed by whitespace, so this stays linear.
    let head = &seg[..dot];
    let mut tok_start = dot;
    for (i, c) in head.char_indices().rev() {
        if c.is_whitespace() {
            break;
        }
        if dot - i > 64 {
            return false;
        }
        tok_start = i;
    }
    let tok = head[tok_start..].trim_start_matches(|c: char| is_opener(c));
    if tok.is_empty() {
        return false;
    }
    // Case-insensitive list look-ups without allocating (this runs once per full stop).
    let is_in = |list: &[&str]| list.iter().any(|a| a.eq_ignore_ascii_case(tok));
    if is_in(TITLES) || is_in(ALWAYS_ABBREV) {
        return true;
    }
    if next.is_ascii_digit() && is_in(NUMBER_ABBREV) {
        return true;
    }
    let mut chars = tok.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        // An initial ("J. Smith").
        return c.is_uppercase();
    }
    // Dotted abbreviations: "U.K", "a.m" (every piece one or two letters; "gov.uk" is not).
    tok.contains('.')
        && tok
            .split('.')
            .all(|p| (1..=2).contains(&p.chars().count()) && p.chars().all(char::is_alphabetic))
}

/// Splits `text[s..e]` into sentence spans (trimmed, non-empty), appended to `out`.
pub(super) fn split_sentences(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
    let seg = &text[s..e];
    let b = seg.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        // ASCII bytes and the lead byte of '…' only occur at char boundaries.
        let tlen = match c {
            b'.' | b'!' | b'?' => 1,
            0xE2 if seg[i..].starts_with('…') => '…'.len_utf8(),
            _ => {
                i += 1;
                continue;
            }
        };
        let term = i;
        let mut j = i + tlen;
        let mut single_dot = c == b'.';
        // Runs like "?!" or "..." act as one terminator.
        while let Some(ch) = seg[j..].chars().next().filter(|&ch| is_terminal(ch)) {
            j += ch.len_utf8();
            single_dot = false;
        }
        while let Some(ch) = seg[j..].chars().next().filter(|&ch| is_closer(ch)) {
            j += ch.len_utf8();
        }
        // A footnote number glued after the full stop ("in post.6 The"), but not a decimal.
        let letter_before = seg[..term]
            .chars()
            .next_back()
            .is_some_and(|p| p.is_alphabetic() || p == ')');
        if letter_before {
            let digits = b[j..].iter().take_while(|d| d.is_ascii_digit()).count();
            if (1..=3).contains(&digits)
                && seg[j + digits..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace)
            {
                j += digits;
            }
        }
        if !seg[j..].chars().next().is_some_and(char::is_whitespace) {
            i = j.max(i + 1);
            continue;
        }
        let rest = &seg[j..];
        let k = j + (rest.len() - rest.trim_start().len());
        let Some(next) = seg[k..].chars().next() else {
            break;
        };
        if starts_sentence(next) && !(single_dot && is_abbreviation(seg, term, next)) {
            push_trimmed(text, s + start, s + j, out);
            start = k;
        }
        i = k;
    }
    push_trimmed(text, s + start, e, out);
}

pub(super) fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    if start >= end {
        return;
    }
    let (cs, ce) = trim_span(text, start, end);
    if cs < ce {
        out.push((cs, ce));
    }
}

/// Cuts an over-long span into pieces of at most [`MAX_UNIT_BYTES`], at the last ASCII
/// whitespace in the second half of each window (or at a char boundary if there is none).
pub(super) fn cap_span(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
    let b = text.as_bytes();
    let mut pos = start;
    while end - pos > MAX_UNIT_BYTES {
        let mut limit = pos + MAX_UNIT_BYTES;
        while !text.is_char_boundary(limit) {
            limit -= 1;
        }
        let lo = pos + MIN_CUT_BYTES;
        let cut = (lo..limit)
            .rev()
            .find(|&k| b[k].is_ascii_whitespace())
            .unwrap_or(limit);
        push_trimmed(text, pos, cut, out);
        // Skip whitespace so the next piece starts on content.
        let rest = &text[cut..end];
        pos = cut + (rest.len() - rest.trim_start().len());
    }
    push_trimmed(text, pos, end, out);
}
