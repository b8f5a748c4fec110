//! The chain itself: the entry points that turn text into tokens ([`analyze`], [`analyze_into`],
//! [`terms`]), all through one driver, `for_each_token`, which cuts the text into spans at
//! separators and sends each span down the fast (ASCII) or the HF path of [`super::normalise`].
//! The tantivy tokenizer runs the same driver, so every caller gets the same tokens.

use super::normalise::{apostrophe_len, fast_span, hf_span, is_ascii_separator, separator_len};
use super::term_table::TermStamp;
use super::AnalyzedToken;

/// Analyses `text` into tokens (allocating a new vector).
pub fn analyze(text: &str) -> Vec<AnalyzedToken> {
    let mut out = Vec::new();
    analyze_into(text, &mut out);
    out
}

/// Analyses `text` into `out`, which is cleared first, so a caller tagging many sentences
/// can reuse one buffer.
pub fn analyze_into(text: &str, out: &mut Vec<AnalyzedToken>) {
    // Overwrite the tokens already in `out` rather than clearing it, so their term strings
    // are reused instead of allocating one per token.
    let mut len = 0;
    for_each_token(text, false, &mut |term, start, end, stamp| {
        match out.get_mut(len) {
            Some(slot) => {
                slot.term.clear();
                slot.term.push_str(term);
                slot.start = start;
                slot.end = end;
                slot.position = len;
                slot.stamp = stamp;
            }
            None => out.push(AnalyzedToken {
                term: term.to_owned(),
                start,
                end,
                position: len,
                stamp,
            }),
        }
        len += 1;
    });
    out.truncate(len);
}

/// Normalises and stems a word or phrase exactly as [`analyze`] would, returning only the
/// terms. Theme rules and hand-built query terms must use this rather than their own
/// lowercasing/stemming.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, false, &mut |term, _, _, _| out.push(term.to_owned()));
    out
}

/// Receives every kept token: `(term, start, end, stamp)`.
pub(super) type Emit<'a> = dyn FnMut(&str, usize, usize, TermStamp) + 'a;

/// Runs the chain over `text`, calling `emit(term, start, end, stamp)` for every kept token in
/// order. With `force_hf` every span goes through the HF normaliser (used by tests to check
/// that the fast path gives identical results).
pub(super) fn for_each_token(text: &str, force_hf: bool, emit: &mut Emit<'_>) {
    let bytes = text.as_bytes();
    let mut lower = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let sep = separator_len(bytes, i);
        if sep > 0 {
            i += sep;
            continue;
        }
        let span_start = i;
        let mut fast = true;
        while i < bytes.len() {
            if bytes[i] < 0x80 {
                if is_ascii_separator(bytes[i]) {
                    break;
                }
                i += 1;
            } else if separator_len(bytes, i) > 0 {
                break;
            } else {
                let apostrophe = apostrophe_len(bytes, i);
                if apostrophe > 0 {
                    i += apostrophe;
                } else {
                    fast = false;
                    i += text[i..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        // Spans start and end at separators or the ends of the text, so on char boundaries.
        let span = &text[span_start..i];
        if fast && !force_hf {
            fast_span(span, span_start, &mut lower, emit);
        } else {
            hf_span(span, span_start, emit);
        }
    }
}
