//! Headings: which single-line paragraphs are headings (title, "Label:" lines, short
//! capitalised lines). A heading's section title is [`crate::text::lines::clean_heading`].

use super::paragraphs::{
    ends_terminal, is_function_word, is_terminal, last_word, starts_lowercase, PBuild, PKind,
    LEAD_IN_WORDS,
};

/// Longest bare (unmarked) heading, in words and bytes.
pub(super) const MAX_HEADING_WORDS: usize = 12;
pub(super) const MAX_HEADING_BYTES: usize = 120;
/// Longest "Label:" heading, in words.
pub(super) const MAX_COLON_HEADING_WORDS: usize = 8;
/// The document title (first line) may be a little longer than other headings.
pub(super) const MAX_TITLE_WORDS: usize = 20;

/// Decides which single-line prose paragraphs are headings, using the neighbouring paragraphs
/// as context (a heading is never followed by a lowercase continuation, which is how a wrapped
/// fragment or a one-off page header interrupting a paragraph gives itself away).
pub(super) fn mark_headings(text: &str, paras: &mut [PBuild]) {
    let mut first_content = true;
    for i in 0..paras.len() {
        let p = &paras[i];
        let is_first = first_content;
        first_content = false;
        if p.kind != PKind::Prose || p.lines != 1 {
            continue;
        }
        let t = &text[p.start..p.end];
        let next_lower = paras
            .get(i + 1)
            .is_some_and(|n| starts_lowercase(&text[n.start..n.end]));
        let heading = !next_lower
            && ((is_first && is_title_line(t)) || is_colon_heading(t) || is_bare_heading(t));
        if heading {
            paras[i].kind = PKind::Heading;
        }
    }
}

pub(super) fn word_count(t: &str) -> usize {
    // Every sentence of every report is counted when passages are windowed: bytes are much
    // faster than `split_whitespace`'s decoding, and give the same count on ASCII text.
    if !t.is_ascii() {
        return t.split_whitespace().count();
    }
    let mut words = 0;
    let mut in_word = false;
    for &b in t.as_bytes() {
        // `char::is_whitespace` on ASCII: tab, newline, vertical tab, form feed, return, space.
        let space = matches!(b, b'\t'..=b'\r' | b' ');
        words += usize::from(!space && !in_word);
        in_word = !space;
    }
    words
}

/// `word_count(t) <= max`, without scanning past the limit (lines may be megabytes long).
pub(super) fn words_at_most(t: &str, max: usize) -> bool {
    t.split_whitespace().nth(max).is_none()
}

/// Contains a sentence boundary inside (". X", "? X"): two sentences are not a heading.
pub(super) fn has_internal_boundary(t: &str) -> bool {
    let b = t.as_bytes();
    b.windows(2)
        .any(|w| matches!(w[0], b'.' | b'?' | b'!') && w[1].is_ascii_whitespace())
}

pub(super) fn first_letter_upper(t: &str) -> bool {
    let t = t.trim_start_matches(['"', '“', '‘', '\'', '*', '_']);
    t.chars().next().is_some_and(char::is_uppercase)
}

pub(super) fn is_title_line(t: &str) -> bool {
    t.len() <= 2 * MAX_HEADING_BYTES
        && words_at_most(t, MAX_TITLE_WORDS)
        && !ends_terminal(t)
        && !t.ends_with([',', ';'])
        && !has_internal_boundary(t)
}

pub(super) fn is_colon_heading(t: &str) -> bool {
    let Some(body) = t.strip_suffix(':') else {
        return false;
    };
    if t.len() > 100 {
        return false;
    }
    let w = last_word(body).to_lowercase();
    words_at_most(body, MAX_COLON_HEADING_WORDS)
        && first_letter_upper(body)
        && !body.contains([',', ':', ';'])
        && !has_internal_boundary(body)
        && !is_function_word(&w)
        && !LEAD_IN_WORDS.contains(&w.as_str())
}

pub(super) fn is_bare_heading(t: &str) -> bool {
    if t.len() > MAX_HEADING_BYTES || !words_at_most(t, MAX_HEADING_WORDS) || !first_letter_upper(t)
    {
        return false;
    }
    if t.contains(['?', '!', ',', ';', ':', '%', '|', '…']) || has_internal_boundary(t) {
        return false;
    }
    // Quoted speech mid-line ('Inspectors said X "..."') is a sentence; a fully quoted line
    // ("'Insufficient risk prevention'", a news sub-heading) is not.
    let starts_quoted = t.starts_with(['"', '“', '‘', '\'']);
    if !starts_quoted && t.contains(['"', '“', '‘']) {
        return false;
    }
    let Some(last) = t.chars().next_back() else {
        return false;
    };
    let before_last = t[..t.len() - last.len_utf8()].chars().next_back();
    let last_ok = if last.is_ascii_digit() {
        // "Annexe 1" is a heading; "(FTE))4" or "offenders2" is a table cell with a footnote.
        let head = t.trim_end_matches(|c: char| c.is_ascii_digit());
        head.ends_with(|c: char| c.is_whitespace() || c == '-' || c == '.')
    } else if last.is_alphanumeric() || last == ')' {
        true
    } else if matches!(last, '"' | '”' | '’' | '\'') {
        before_last.is_some_and(|c| !is_terminal(c))
    } else {
        false
    };
    if !last_ok || is_function_word(last_word(t)) {
        return false;
    }
    // Glued table cells ("LowMediumHigh") show several lower->upper transitions in one word.
    !t.split_whitespace().any(|w| {
        let cs: Vec<char> = w.chars().collect();
        cs.windows(2)
            .filter(|p| p[0].is_lowercase() && p[1].is_uppercase())
            .count()
            >= 2
    })
}
