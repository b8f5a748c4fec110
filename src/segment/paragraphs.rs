//! Paragraph grouping: which physical lines continue a paragraph (hard-wrapped PDF text,
//! bullets with indented continuations, paragraphs rejoined across page furniture).

use super::furniture::MAX_FURNITURE_BYTES;
use super::headings::{is_bare_heading, is_colon_heading, words_at_most, MAX_HEADING_WORDS};
use super::lines::{Line, LineKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PKind {
    Prose,
    Bullet,
    Table,
    Heading,
}

/// A paragraph under construction. Its text is one or more *segments* (`segs[seg_start..]`):
/// a new segment starts where a paragraph was rejoined across furniture, so that no sentence
/// swallows the running header between the two halves.
#[derive(Debug, Clone)]
pub(super) struct PBuild {
    pub(super) kind: PKind,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) seg_start: usize,
    pub(super) seg_end: usize,
    pub(super) lines: usize,
    /// Trimmed text of the last line, for join decisions.
    pub(super) last_line: (usize, usize),
    /// '#' or "(Back to top)" heading: never joined with anything.
    pub(super) forced_heading: bool,
    /// The paragraph began after a blank line (or furniture) and the paragraph before it was
    /// left unfinished: if a lowercase continuation follows too, this line is a one-off page
    /// header/footer sandwiched inside a paragraph, not the start of one.
    pub(super) sandwiched: bool,
}

pub(super) fn group_paragraphs(
    text: &str,
    lines: &[Line],
    furniture: &[bool],
) -> (Vec<PBuild>, Vec<(usize, usize)>) {
    let mut paras: Vec<PBuild> = Vec::new();
    let mut segs: Vec<(usize, usize)> = Vec::new();
    let mut gap_blank = false;
    let mut gap_furniture = false;
    for (i, line) in lines.iter().enumerate() {
        let kind = line.kind;
        gap_blank |= line.gap_before;
        if furniture[i] {
            gap_furniture = true;
            continue;
        }
        let t = line.text(text);
        let join = match paras.last() {
            Some(cur)
                if kind == LineKind::Text
                    && matches!(cur.kind, PKind::Prose | PKind::Bullet)
                    && !cur.forced_heading =>
            {
                let prev = &text[cur.last_line.0..cur.last_line.1];
                if gap_blank || gap_furniture {
                    // Across a blank line (page break) or a running header: only an unfinished
                    // line followed by a lowercase continuation is the same paragraph.
                    !ends_terminal(prev)
                        && starts_lowercase(t)
                        && !(cur.sandwiched && cur.lines == 1 && cur.kind == PKind::Prose)
                } else {
                    continues_line(prev, t, line.indented, cur.kind)
                }
            }
            _ => false,
        };
        if join {
            let cur = paras.last_mut().expect("join implies a current paragraph");
            if gap_furniture {
                segs.push((line.cs, line.ce));
                cur.seg_end = segs.len();
            } else if let Some(last) = segs.last_mut() {
                last.1 = line.ce;
            }
            cur.end = line.ce;
            cur.lines += 1;
            cur.last_line = (line.cs, line.ce);
        } else {
            let (pkind, content_start) = match kind {
                LineKind::Bullet(off) => (PKind::Bullet, line.cs + off),
                LineKind::Table => (PKind::Table, line.cs),
                LineKind::Hash | LineKind::BackToTop => (PKind::Heading, line.cs),
                _ => (PKind::Prose, line.cs),
            };
            segs.push((content_start, line.ce));
            let sandwiched = (gap_blank || gap_furniture)
                && t.len() <= MAX_FURNITURE_BYTES
                && words_at_most(t, MAX_HEADING_WORDS)
                && paras.last().is_some_and(|p| {
                    let last = &text[p.last_line.0..p.last_line.1];
                    let heading_like = p.kind == PKind::Heading
                        || (p.lines == 1 && (is_bare_heading(last) || is_colon_heading(last)));
                    p.kind != PKind::Table && !heading_like && !ends_terminal(last)
                });
            paras.push(PBuild {
                kind: pkind,
                start: line.cs,
                end: line.ce,
                seg_start: segs.len() - 1,
                seg_end: segs.len(),
                lines: 1,
                last_line: (line.cs, line.ce),
                forced_heading: pkind == PKind::Heading,
                sandwiched,
            });
        }
        gap_blank = false;
        gap_furniture = false;
    }
    (paras, segs)
}

/// Words that cannot end a sentence or a heading: a line ending with one was hard-wrapped.
pub(super) const FUNCTION_WORDS: &[&str] = &[
    "a",
    "about",
    "across",
    "against",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "being",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "during",
    "either",
    "for",
    "from",
    "had",
    "has",
    "have",
    "her",
    "his",
    "if",
    "in",
    "including",
    "into",
    "is",
    "its",
    "may",
    "more",
    "most",
    "must",
    "nor",
    "not",
    "of",
    "on",
    "or",
    "our",
    "per",
    "should",
    "so",
    "such",
    "than",
    "that",
    "the",
    "their",
    "these",
    "this",
    "those",
    "through",
    "to",
    "upon",
    "via",
    "was",
    "were",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "will",
    "with",
    "within",
    "without",
    "would",
    "your",
];

/// Final words that make a "...:" line a lead-in sentence ("The PDU should:", "X said:") rather
/// than a heading ("Key strengths:").
pub(super) const LEAD_IN_WORDS: &[&str] = &[
    "added",
    "asked",
    "below",
    "comment",
    "commented",
    "concluded",
    "contact",
    "explained",
    "follows",
    "following",
    "found",
    "include",
    "included",
    "includes",
    "means",
    "noted",
    "recommended",
    "recommends",
    "reported",
    "said",
    "say",
    "says",
    "stated",
    "states",
    "told",
    "visit",
];

pub(super) fn last_word(t: &str) -> &str {
    let t = t.trim_end_matches(|c: char| !c.is_alphanumeric());
    t.rsplit(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .next()
        .unwrap_or("")
}

pub(super) fn is_function_word(w: &str) -> bool {
    w.len() <= 9 && FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w))
}

/// Within a block (no blank line between), does line `t` continue the paragraph whose last
/// line is `prev`? Yes for lowercase starts, indented continuations of a bullet, hyphenated
/// word breaks and lines ending mid-phrase; otherwise each line is its own paragraph (web text
/// puts one paragraph per line, and address/name blocks are one item per line).
pub(super) fn continues_line(prev: &str, t: &str, indented: bool, kind: PKind) -> bool {
    let first = t.chars().next().unwrap_or(' ');
    if first.is_lowercase() || matches!(first, ',' | ';' | ')' | ']') {
        return true;
    }
    if indented && kind == PKind::Bullet {
        return true;
    }
    let mut tail = prev.chars().rev();
    if let (Some('-'), Some(c)) = (tail.next(), tail.next()) {
        if c.is_alphabetic() {
            return true;
        }
    }
    is_function_word(last_word(prev)) && !prev.ends_with(|c: char| !c.is_alphanumeric())
}

pub(super) fn starts_lowercase(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_lowercase)
}

/// Closing punctuation that may follow a sentence terminator.
pub(super) fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '”' | '’' | '»' | '›' | '*' | '_' | '↩' | '\u{FE0E}' | '\u{FE0F}'
    ) || is_superscript_digit(c)
}

pub(super) fn is_superscript_digit(c: char) -> bool {
    matches!(c, '¹' | '²' | '³' | '⁰'..='⁹')
}

pub(super) fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Does `t` end a sentence (terminator, possibly followed by closers or a footnote number)?
pub(super) fn ends_terminal(t: &str) -> bool {
    let t = t.trim_end_matches(|c: char| is_closer(c) || c.is_whitespace());
    let stripped = t.trim_end_matches(|c: char| c.is_ascii_digit());
    let t = if t.len() - stripped.len() <= 3 && stripped.ends_with(is_terminal) {
        stripped
    } else {
        t
    };
    t.ends_with(is_terminal)
}
