//! Hyphenation: rejoining words broken across line ends and page breaks, keeping the hyphen of
//! real compounds as the document's own vocabulary and known prefixes tell them.

use std::collections::HashSet;

use super::glyphs::Page;

/// Words before a line-end hyphen that usually start a real compound ("well-being"), so the
/// hyphen is kept when the document itself does not settle the question.
pub(super) const COMPOUND_PREFIXES: &[&str] = &[
    "self",
    "well",
    "multi",
    "co",
    "non",
    "pre",
    "post",
    "cross",
    "inter",
    "anti",
    "sub",
    "semi",
    "ex",
    "mid",
    "over",
    "under",
    "long",
    "short",
    "full",
    "part",
    "high",
    "low",
    "one",
    "two",
    "three",
    "four",
    "five",
    "first",
    "second",
    "third",
    "face",
    "peer",
    "child",
    "risk",
    "court",
    "case",
    "time",
    "age",
    "gender",
    "trauma",
    "community",
    "evidence",
    "person",
    "agency",
];

/// Lowercased words of the whole document (hyphenated compounds kept whole), used to decide
/// whether a line-end hyphen is a real one. The fragments either side of a line-end hyphen
/// ("inter-" / "ested") are left out: they are what is being decided.
pub(super) fn vocabulary(pages: &[Page]) -> HashSet<String> {
    let mut words = HashSet::new();
    let mut after_hyphen = false;
    for line in pages.iter().flat_map(|p| &p.lines) {
        let mut tokens = line.text.split_whitespace().peekable();
        if after_hyphen {
            tokens.next();
        }
        while let Some(token) = tokens.next() {
            let last = tokens.peek().is_none();
            let core = word_core(token);
            let fragment = core.ends_with('-') || (last && token.ends_with('-'));
            if !core.is_empty() && !fragment {
                words.insert(core);
            }
        }
        after_hyphen = line.text.ends_with(['-', '\u{AD}', '‐']);
    }
    words
}

/// A word lowercased, without surrounding punctuation.
pub(super) fn word_core(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
        .trim_start_matches('-')
        .to_lowercase()
}

/// Appends `next` to `out` as the continuation of a hard-wrapped line, rejoining a hyphenated
/// word when `out` ends with one.
pub(super) fn join_wrapped(out: &mut String, next: &str, vocabulary: &HashSet<String>) {
    let Some(hyphen) = out
        .chars()
        .last()
        .filter(|c| matches!(c, '-' | '\u{AD}' | '‐'))
    else {
        out.push(' ');
        out.push_str(next);
        return;
    };
    let before = &out[..out.len() - hyphen.len_utf8()];
    let frag_start = before.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let fragment = &before[frag_start..];
    let next_word = next.split_whitespace().next().unwrap_or("");
    if !fragment.chars().last().is_some_and(char::is_alphabetic) {
        // "2020 -" or "– " at a line end: a dash between words, not a split word.
        out.push(' ');
        out.push_str(next);
        return;
    }
    let keep = match next_word.chars().next() {
        Some(c) if c.is_lowercase() => {
            hyphen != '\u{AD}' && keep_hyphen(fragment, next_word, vocabulary)
        }
        // "pre-\nCovid", "2020-\n21": the hyphen is part of the word.
        Some(_) => hyphen != '\u{AD}',
        None => true,
    };
    let len = before.len();
    out.truncate(len);
    if keep {
        out.push('-');
    }
    out.push_str(next);
}

/// Decides whether `fragment-` + `next` is a hyphenated compound (keep the hyphen) or a word
/// broken by hyphenation (drop it).
pub(super) fn keep_hyphen(fragment: &str, next: &str, vocabulary: &HashSet<String>) -> bool {
    let frag = word_core(fragment);
    let rest = word_core(next);
    let hyphenated = format!("{frag}-{rest}");
    let joined = format!("{frag}{rest}");
    if vocabulary.contains(&hyphenated) {
        return true;
    }
    if vocabulary.contains(&joined) {
        return false;
    }
    // A fragment that is already a compound ("one-to-" + "one") continues it.
    if frag.contains('-') {
        return true;
    }
    // A known prefix keeps its hyphen only before a word the document uses on its own
    // ("well-" + "being"), so hyphenation points such as "inter-" + "ested" are still joined.
    if !vocabulary.contains(&rest) {
        return false;
    }
    if frag == "re" {
        return rest.starts_with(['e', 'o']);
    }
    COMPOUND_PREFIXES.contains(&frag.as_str())
}

/// Rejoins a word hyphenated across a page break: the end of the word moves to the earlier page
/// so both pages keep whole words.
pub(super) fn rejoin_across_pages(texts: &mut [String], vocabulary: &HashSet<String>) {
    for i in 1..texts.len() {
        let (earlier, later) = texts.split_at_mut(i);
        let prev = &mut earlier[i - 1];
        let next = &mut later[0];
        let ends_split = prev.ends_with(['-', '\u{AD}'])
            && prev
                .trim_end_matches(['-', '\u{AD}'])
                .chars()
                .last()
                .is_some_and(char::is_alphabetic);
        if !ends_split || !next.chars().next().is_some_and(char::is_lowercase) {
            continue;
        }
        let word_end = next.find(char::is_whitespace).unwrap_or(next.len());
        let word = next[..word_end].to_string();
        join_wrapped(prev, &word, vocabulary);
        // join_wrapped appended the word (no space); remove it from the later page.
        *next = next[word_end..].trim_start().to_string();
    }
}
