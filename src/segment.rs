//! Segmentation of a report's plain text into sections, paragraphs, units and passages.
//!
//! This module owns the *structure* of a document: where the headings are (and therefore which
//! section every unit belongs to), how physical lines group into paragraphs (including
//! hard-wrapped PDF text and bullets with indented continuation lines), where sentences end,
//! which lines are page furniture (running headers/footers, bare page numbers), and how
//! consecutive sentences are windowed into passages for indexing. Every span is a UTF-8 byte
//! range into the text given, trimmed of whitespace and on char boundaries.
//!
//! Everything here is heuristic but deliberately generic: the rules describe how inspection
//! reports are laid out (web pages, PDF extractions, press releases), never particular sentences.
//! All passes are linear in the input, and no unit is longer than [`MAX_UNIT_BYTES`], so a
//! pathological input (one 200 MB line, say) cannot produce quadratic work or unbounded units.
//!
//! The pipeline, in order:
//! 1. **Lines**: split on "\n", "\r\n", "\r" (and form feed / Unicode line breaks); blank lines
//!    only mark a gap. Each line is classified: `#` heading, "(Back to top)" heading, table row
//!    (`|...|` or tab-separated), list item ("- ", "• ", "1.", "1)", "(a)", ...) or text.
//! 2. **Furniture**: bare page numbers, and short capitalised lines repeated 3+ times that look
//!    like a running header (a digit, an inner ':' or '|', all capitals, or an occurrence that
//!    interrupts a paragraph) produce no unit. Repeated headings ("Key areas for improvement:",
//!    "Strengths") have none of those marks and are kept.
//! 3. **Paragraphs**: within a block, a line continues the paragraph if it starts lowercase, is an
//!    indented continuation of a bullet, or follows a line ending mid-phrase ("...against the");
//!    otherwise every line is its own paragraph (web text puts one paragraph per line). Across a
//!    blank line or furniture, an unfinished line followed by a lowercase line is rejoined (PDF
//!    page breaks). A sentence is never stretched across furniture: the rejoined paragraph keeps
//!    both halves (so its passage reunites them) but the unit is split at the header, because a
//!    unit containing header text would pollute theme tagging and snippets.
//! 4. **Headings**: besides `#` and "(Back to top)" lines, a single-line paragraph is a heading
//!    if it is the document's first line (title), a short "Label:" line whose last word is not a
//!    lead-in ("The PDU should:", "X said:" are sentences), or a short (≤ 12 words) capitalised
//!    line without terminal punctuation, commas, inner quotes or glued table cells. A line
//!    followed by a lowercase continuation is never a heading (it is a wrapped fragment or a page
//!    header interrupting a paragraph).
//! 5. **Sentences**: split after `.`/`!`/`?`/`…` (plus closing quotes/brackets and a glued
//!    footnote number) when whitespace and a non-lowercase letter, digit or opening quote follow,
//!    except after titles (Mr, Dr, St), "e.g."/"i.e.", "No." before a number, initials and dotted
//!    abbreviations. Units longer than [`MAX_UNIT_BYTES`] are cut at whitespace.
//! 6. **Passages**: greedy windows of a paragraph's units bounded by [`PassageLimits`]; heading
//!    paragraphs have none.

use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// Longest unit (sentence, bullet sentence, table row) we emit, in bytes. A run of text with no
/// sentence boundary (a 5 MB line, a table dump) is cut at whitespace near this length; ~1,000
/// bytes is comfortably above the longest real sentence in inspection reports (~600 bytes).
pub const MAX_UNIT_BYTES: usize = 1000;

/// When cutting an over-long unit we look for whitespace in the second half of the window only,
/// so every cut advances at least this far and the backwards scan stays bounded (linear time).
const MIN_CUT_BYTES: usize = MAX_UNIT_BYTES / 2;

/// What a unit is, which decides how it is indexed (headings feed the section field, not passages).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    /// A heading line; it is its own one-unit paragraph and starts a [`Section`].
    Heading,
    /// An ordinary prose sentence.
    Sentence,
    /// A sentence of a bulleted or numbered list item (the marker is not part of the span).
    Bullet,
    /// One row of a table (`| a | b |` or tab-separated), the trimmed line.
    TableRow,
}

/// A section of the document, opened by a heading line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    /// The cleaned heading: `#` markers, "(Back to top)", a trailing ':' and `**` removed.
    pub title: String,
    /// Byte offset of the heading line's (trimmed) text.
    pub start: usize,
    /// End byte offset (exclusive) of the heading line's text.
    pub end: usize,
}

/// One unit: a sentence, a bullet sentence, a heading or a table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// What kind of unit this is.
    pub kind: UnitKind,
    /// Index into [`Segmented::sections`] of the section this unit is in (`None` before the first heading).
    pub section: Option<usize>,
    /// Index into [`Segmented::paragraphs`].
    pub paragraph: usize,
}

/// A paragraph: a block of text (possibly several hard-wrapped lines), a bullet, a heading or a table row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    /// Start byte offset (for bullets this includes the list marker).
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Index into [`Segmented::sections`].
    pub section: Option<usize>,
    /// Index range into [`Segmented::sentences`].
    pub sentences: Range<usize>,
}

/// A window of consecutive sentences of one paragraph, the unit of passage retrieval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    /// Start byte offset (= start of its first sentence).
    pub start: usize,
    /// End byte offset (= end of its last sentence).
    pub end: usize,
    /// Index into [`Segmented::paragraphs`].
    pub paragraph: usize,
    /// Index range into [`Segmented::sentences`].
    pub sentences: Range<usize>,
}

/// The full segmentation of one document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Segmented {
    /// Sections, in document order.
    pub sections: Vec<Section>,
    /// Paragraphs, in document order; each has at least one sentence.
    pub paragraphs: Vec<Paragraph>,
    /// Units, in document order, non-overlapping.
    pub sentences: Vec<Sentence>,
    /// Passages, in document order; heading paragraphs have none.
    pub passages: Vec<Passage>,
}

/// Size limits for passage windows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassageLimits {
    /// Most sentences in one passage (0 is treated as 1).
    pub max_sentences: usize,
    /// Most words in one passage; a single longer sentence is a passage on its own.
    pub max_words: usize,
}

impl Default for PassageLimits {
    /// 3 sentences, 90 words.
    fn default() -> Self {
        PassageLimits {
            max_sentences: 3,
            max_words: 90,
        }
    }
}

/// Segments `text` with the default [`PassageLimits`]; never panics on any input.
pub fn segment(text: &str) -> Segmented {
    segment_with(text, PassageLimits::default())
}

/// Like [`segment`], with a custom passage window.
pub fn segment_with(text: &str, limits: PassageLimits) -> Segmented {
    let lines = split_lines(text);
    let furniture = find_furniture(text, &lines);
    let (mut paras, segs) = group_paragraphs(text, &lines, &furniture);
    mark_headings(text, &mut paras);
    build(text, &paras, &segs, limits)
}

// ---------------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------------

/// One non-blank physical line: `cs..ce` is its whitespace-trimmed content. Blank lines are
/// not stored (a text of 200 MB of newlines must not cost gigabytes); they only set `gap_before`.
#[derive(Debug, Clone, Copy)]
struct Line {
    cs: usize,
    ce: usize,
    /// The line starts with whitespace: in PDF extractions this marks a wrapped continuation.
    indented: bool,
    /// At least one blank line separates this line from the previous non-blank one.
    gap_before: bool,
    kind: LineKind,
}

impl Line {
    fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.cs..self.ce]
    }
}

/// Splits into lines on "\n", "\r\n", "\r" and the other Unicode line/page breaks (form feeds
/// mark PDF page breaks, so they must separate lines rather than indent the next one).
fn split_lines(text: &str) -> Vec<Line> {
    let b = text.as_bytes();
    let mut lines = Vec::new();
    let mut gap = false;
    let mut start = 0;
    let mut i = 0;
    // Only ASCII bytes and UTF-8 lead bytes are compared, and both occur only at char
    // boundaries, so every offset recorded here is a char boundary.
    while i < b.len() {
        let brk = match b[i] {
            b'\n' | 0x0B | 0x0C => 1,
            b'\r' => {
                if b.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                }
            }
            0xC2 if b.get(i + 1) == Some(&0x85) => 2,
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0xA8 | 0xA9)) => 3,
            _ => 0,
        };
        if brk > 0 {
            push_line(text, start, i, &mut gap, &mut lines);
            i += brk;
            start = i;
        } else {
            i += 1;
        }
    }
    if start < b.len() {
        push_line(text, start, b.len(), &mut gap, &mut lines);
    }
    lines
}

fn push_line(text: &str, start: usize, end: usize, gap: &mut bool, lines: &mut Vec<Line>) {
    let (cs, ce) = trim_span(text, start, end);
    if cs == ce {
        *gap = true;
        return;
    }
    lines.push(Line {
        cs,
        ce,
        indented: cs > start,
        gap_before: std::mem::take(gap),
        kind: classify_line(&text[cs..ce]),
    });
}

/// Trims whitespace (Unicode `White_Space`, as `str::trim`) from both ends of `start..end`.
fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let t = s.trim_start();
    let cs = start + (s.len() - t.len());
    let ce = cs + t.trim_end().len();
    (cs, ce)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    /// Markdown `#` heading.
    Hash,
    /// Web-page heading ending "(Back to top)".
    BackToTop,
    /// `| a | b |` or tab-separated row.
    Table,
    /// List item; the payload is the byte offset of the content after the marker(s), relative
    /// to the trimmed line start.
    Bullet(usize),
    /// Anything else.
    Text,
}

/// Headings longer than this are treated as prose: a "heading" must be a short line, and this
/// keeps heading units (which are never cut) bounded.
const MAX_FORCED_HEADING_BYTES: usize = 300;

fn classify_line(t: &str) -> LineKind {
    if t.len() >= 2 && t.starts_with('|') && t.ends_with('|') {
        return LineKind::Table;
    }
    if let Some(off) = list_marker_len(t) {
        // "1.\tLeadership\tGood" is a table row whose first cell looks like a list number.
        return if t[off..].contains('\t') {
            LineKind::Table
        } else {
            LineKind::Bullet(off)
        };
    }
    if t.contains('\t') {
        // Trimmed, so the tab is internal: a tab-separated table row from PDF/Word extraction.
        return LineKind::Table;
    }
    if t.len() <= MAX_FORCED_HEADING_BYTES {
        if is_hash_heading(t) {
            return LineKind::Hash;
        }
        if let Some(rest) = strip_back_to_top(t) {
            if !rest.trim().is_empty() {
                return LineKind::BackToTop;
            }
        }
    }
    LineKind::Text
}

fn is_hash_heading(t: &str) -> bool {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return false;
    }
    let rest = &t[hashes..];
    rest.starts_with(char::is_whitespace)
        && !rest
            .trim_matches(|c: char| c == '#' || c.is_whitespace())
            .is_empty()
}

/// Returns the text before a trailing "(Back to top)" (ASCII case-insensitive), if present.
fn strip_back_to_top(t: &str) -> Option<&str> {
    const TAIL: &str = "(back to top)";
    if t.len() < TAIL.len() || !t.is_char_boundary(t.len() - TAIL.len()) {
        return None;
    }
    let (head, tail) = t.split_at(t.len() - TAIL.len());
    tail.eq_ignore_ascii_case(TAIL).then_some(head)
}

const BULLET_CHARS: &[char] = &[
    '-', '•', '*', '–', '—', '·', '▪', '◦', '●', '○', '■', '□', '‣', '⁃', '➢', '►', '✓',
];

/// Length (bytes) of a leading list marker and the whitespace after it, if the line starts with
/// one and has content after it. Handles "- ", "• ", "1. ", "1) ", "(a) ", "a) ", "(iv) " and a
/// symbol followed by a number ("- 2. ensure ...").
fn list_marker_len(t: &str) -> Option<usize> {
    let mut off = 0;
    let mut found = false;
    if let Some(c) = t.chars().next() {
        if BULLET_CHARS.contains(&c) {
            if let Some(n) = ws_after(t, c.len_utf8()) {
                off = n;
                found = true;
            }
        }
    }
    if let Some(n) = numbered_marker_len(&t[off..]) {
        off += n;
        found = true;
    }
    (found && off < t.len()).then_some(off)
}

/// If `t[at..]` starts with at least one whitespace char followed by content, returns the offset
/// of that content.
fn ws_after(t: &str, at: usize) -> Option<usize> {
    let rest = &t[at..];
    let trimmed = rest.trim_start();
    (trimmed.len() < rest.len() && !trimmed.is_empty()).then(|| t.len() - trimmed.len())
}

fn numbered_marker_len(t: &str) -> Option<usize> {
    let b = t.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) && matches!(b.get(digits), Some(b'.' | b')')) {
        return ws_after(t, digits + 1);
    }
    if b.first() == Some(&b'(') {
        let inner = b[1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        let label = &t[1..1 + inner];
        let ok = (1..=3).contains(&inner) && label.bytes().all(|c| c.is_ascii_digit())
            || inner == 1
            || (1..=5).contains(&inner) && label.bytes().all(|c| b"ivxlc".contains(&c));
        if ok && b.get(1 + inner) == Some(&b')') {
            return ws_after(t, inner + 2);
        }
    }
    if b.len() >= 2 && b[0].is_ascii_lowercase() && b[1] == b')' {
        return ws_after(t, 2);
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Furniture (running headers/footers, page numbers)
// ---------------------------------------------------------------------------------------------

/// Longest line considered as a running header/footer.
const MAX_FURNITURE_BYTES: usize = 150;

/// Marks lines that are page furniture: bare page numbers, and short lines repeated identically
/// 3+ times that look like a running header (they interrupt a paragraph somewhere, or carry
/// header-like features: a digit, an internal ':' or '|', all capitals). Repeated headings such
/// as "Key areas for improvement:" or "Strengths" have none of those features, so they survive.
fn find_furniture(text: &str, lines: &[Line]) -> Vec<bool> {
    /// Occurrences of one candidate line: a count and the first few positions (bounded memory).
    #[derive(Default)]
    struct Group {
        count: usize,
        first: [usize; 8],
    }
    let mut furniture = vec![false; lines.len()];
    let mut groups: HashMap<&str, Group> = HashMap::new();
    // Running headers/footers start with a capital or digit; a repeated lowercase line is a
    // wrapped fragment, not furniture.
    let candidate = |l: &Line| {
        let t = l.text(text);
        (l.kind == LineKind::Text
            && t.len() <= MAX_FURNITURE_BYTES
            && !t.ends_with(':')
            && t.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()))
        .then_some(t)
    };
    for (i, l) in lines.iter().enumerate() {
        if l.kind == LineKind::Text && is_page_number(l.text(text)) {
            furniture[i] = true;
        } else if let Some(t) = candidate(l) {
            let g = groups.entry(t).or_default();
            if g.count < g.first.len() {
                g.first[g.count] = i;
            }
            g.count += 1;
        }
    }
    let mut repeated: HashSet<&str> = HashSet::new();
    for (t, g) in &groups {
        if g.count < 3 {
            continue;
        }
        let idxs = &g.first[..g.count.min(g.first.len())];
        let looks_like_header = t.bytes().any(|c| c.is_ascii_digit())
            || t.contains('|')
            || t.trim_end_matches(':').contains(':')
            || (t.chars().filter(|c| c.is_alphabetic()).count() >= 4
                && !t.chars().any(|c| c.is_lowercase()));
        // Interruption evidence: one of the first occurrences sits between an unfinished line
        // and a lowercase continuation.
        let interrupts = || {
            idxs.iter().any(|&i| {
                let p = i.checked_sub(1).map(|p| lines[p].text(text));
                let n = lines.get(i + 1).map(|l| l.text(text));
                matches!((p, n), (Some(p), Some(n)) if !ends_terminal(p) && starts_lowercase(n))
            })
        };
        if looks_like_header || interrupts() {
            repeated.insert(*t);
        }
    }
    if !repeated.is_empty() {
        for (i, l) in lines.iter().enumerate() {
            if candidate(l).is_some_and(|t| repeated.contains(t)) {
                furniture[i] = true;
            }
        }
    }
    furniture
}

/// "12", "Page 12", "12 of 40", "Page 12 of 40", "- 12 -".
fn is_page_number(t: &str) -> bool {
    let t = t.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let t = strip_prefix_ci(t, "page ").unwrap_or(t).trim();
    let mut parts = t.split(" of ");
    let first = parts.next().unwrap_or("");
    let num = |s: &str| (1..=4).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    num(first.trim()) && parts.all(|p| num(p.trim()))
}

fn strip_prefix_ci<'a>(t: &'a str, prefix: &str) -> Option<&'a str> {
    let head = t.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &t[prefix.len()..])
}

// ---------------------------------------------------------------------------------------------
// Paragraph grouping
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PKind {
    Prose,
    Bullet,
    Table,
    Heading,
}

/// A paragraph under construction. Its text is one or more *segments* (`segs[seg_start..]`):
/// a new segment starts where a paragraph was rejoined across furniture, so that no sentence
/// swallows the running header between the two halves.
#[derive(Debug, Clone)]
struct PBuild {
    kind: PKind,
    start: usize,
    end: usize,
    seg_start: usize,
    seg_end: usize,
    lines: usize,
    /// Trimmed text of the last line, for join decisions.
    last_line: (usize, usize),
    /// '#' or "(Back to top)" heading: never joined with anything.
    forced_heading: bool,
    /// The paragraph began after a blank line (or furniture) and the paragraph before it was
    /// left unfinished: if a lowercase continuation follows too, this line is a one-off page
    /// header/footer sandwiched inside a paragraph, not the start of one.
    sandwiched: bool,
}

fn group_paragraphs(
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
const FUNCTION_WORDS: &[&str] = &[
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
const LEAD_IN_WORDS: &[&str] = &[
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

fn last_word(t: &str) -> &str {
    let t = t.trim_end_matches(|c: char| !c.is_alphanumeric());
    t.rsplit(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .next()
        .unwrap_or("")
}

fn is_function_word(w: &str) -> bool {
    w.len() <= 9 && FUNCTION_WORDS.iter().any(|f| f.eq_ignore_ascii_case(w))
}

/// Within a block (no blank line between), does line `t` continue the paragraph whose last
/// line is `prev`? Yes for lowercase starts, indented continuations of a bullet, hyphenated
/// word breaks and lines ending mid-phrase; otherwise each line is its own paragraph (web text
/// puts one paragraph per line, and address/name blocks are one item per line).
fn continues_line(prev: &str, t: &str, indented: bool, kind: PKind) -> bool {
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

fn starts_lowercase(t: &str) -> bool {
    t.chars().next().is_some_and(char::is_lowercase)
}

/// Closing punctuation that may follow a sentence terminator.
fn is_closer(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | ')' | ']' | '”' | '’' | '»' | '›' | '*' | '_' | '↩' | '\u{FE0E}' | '\u{FE0F}'
    ) || is_superscript_digit(c)
}

fn is_superscript_digit(c: char) -> bool {
    matches!(c, '¹' | '²' | '³' | '⁰'..='⁹')
}

fn is_terminal(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '…')
}

/// Does `t` end a sentence (terminator, possibly followed by closers or a footnote number)?
fn ends_terminal(t: &str) -> bool {
    let t = t.trim_end_matches(|c: char| is_closer(c) || c.is_whitespace());
    let stripped = t.trim_end_matches(|c: char| c.is_ascii_digit());
    let t = if t.len() - stripped.len() <= 3 && stripped.ends_with(is_terminal) {
        stripped
    } else {
        t
    };
    t.ends_with(is_terminal)
}

// ---------------------------------------------------------------------------------------------
// Headings
// ---------------------------------------------------------------------------------------------

/// Longest bare (unmarked) heading, in words and bytes.
const MAX_HEADING_WORDS: usize = 12;
const MAX_HEADING_BYTES: usize = 120;
/// Longest "Label:" heading, in words.
const MAX_COLON_HEADING_WORDS: usize = 8;
/// The document title (first line) may be a little longer than other headings.
const MAX_TITLE_WORDS: usize = 20;

/// Decides which single-line prose paragraphs are headings, using the neighbouring paragraphs
/// as context (a heading is never followed by a lowercase continuation, which is how a wrapped
/// fragment or a one-off page header interrupting a paragraph gives itself away).
fn mark_headings(text: &str, paras: &mut [PBuild]) {
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

fn word_count(t: &str) -> usize {
    t.split_whitespace().count()
}

/// `word_count(t) <= max`, without scanning past the limit (lines may be megabytes long).
fn words_at_most(t: &str, max: usize) -> bool {
    t.split_whitespace().nth(max).is_none()
}

/// Contains a sentence boundary inside (". X", "? X"): two sentences are not a heading.
fn has_internal_boundary(t: &str) -> bool {
    let b = t.as_bytes();
    b.windows(2)
        .any(|w| matches!(w[0], b'.' | b'?' | b'!') && w[1].is_ascii_whitespace())
}

fn first_letter_upper(t: &str) -> bool {
    let t = t.trim_start_matches(['"', '“', '‘', '\'', '*', '_']);
    t.chars().next().is_some_and(char::is_uppercase)
}

fn is_title_line(t: &str) -> bool {
    t.len() <= 2 * MAX_HEADING_BYTES
        && words_at_most(t, MAX_TITLE_WORDS)
        && !ends_terminal(t)
        && !t.ends_with([',', ';'])
        && !has_internal_boundary(t)
}

fn is_colon_heading(t: &str) -> bool {
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

fn is_bare_heading(t: &str) -> bool {
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

/// The section title for a heading line: markers, "(Back to top)", trailing ':' and emphasis removed.
fn clean_title(t: &str) -> String {
    let mut s = t.trim();
    s = s.trim_start_matches('#').trim_start();
    s = s.trim_end_matches('#').trim_end();
    if let Some(head) = strip_back_to_top(s) {
        s = head.trim_end();
    }
    s = s.trim_end_matches(':').trim_end();
    s = s.trim_matches(|c| c == '*' || c == '_').trim();
    // A fully quoted sub-heading ("'Insufficient risk prevention'") is titled without quotes.
    for (open, close) in [('\'', '\''), ('"', '"'), ('‘', '’'), ('“', '”')] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            s = inner.trim();
            break;
        }
    }
    let title = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    } else {
        title
    }
}

// ---------------------------------------------------------------------------------------------
// Sentences
// ---------------------------------------------------------------------------------------------

/// Titles that precede a name: never end a sentence ("Mr Russell", "Dr. Jo Farrar").
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "mx", "dr", "st", "prof", "rev", "sr", "jr", "hon", "rt", "sgt", "capt",
    "col", "gen", "lt", "messrs",
];
/// Abbreviations that never end a sentence whatever follows.
const ALWAYS_ABBREV: &[&str] = &["e.g", "i.e", "cf", "vs", "viz", "approx", "eg", "ie"];
/// Abbreviations that precede a number ("No. 3", "p. 12").
const NUMBER_ABBREV: &[&str] = &[
    "no", "nos", "vol", "p", "pp", "para", "paras", "fig", "figs", "ch", "sec", "art", "ref",
    "tel", "op",
];

fn is_opener(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '“' | '‘' | '(' | '[' | '«' | '£' | '$' | '€' | '#'
    )
}

/// May `c` begin a new sentence after a terminator? Anything but a lowercase letter that is a
/// letter, digit or opening quote/bracket (caseless scripts count as sentence starts).
fn starts_sentence(c: char) -> bool {
    !c.is_lowercase() && (c.is_alphanumeric() || is_opener(c))
}

/// Is the '.' at `dot` (followed by whitespace and then `next`) part of an abbreviation?
fn is_abbreviation(seg: &str, dot: usize, next: char) -> bool {
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
fn split_sentences(text: &str, s: usize, e: usize, out: &mut Vec<(usize, usize)>) {
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

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
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
fn cap_span(text: &str, start: usize, end: usize, out: &mut Vec<(usize, usize)>) {
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

// ---------------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------------

fn build(
    text: &str,
    paras: &[PBuild],
    segs: &[(usize, usize)],
    limits: PassageLimits,
) -> Segmented {
    let mut out = Segmented::default();
    let mut section: Option<usize> = None;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut raw: Vec<(usize, usize)> = Vec::new();
    for p in paras {
        spans.clear();
        let kind = match p.kind {
            PKind::Heading => {
                // Heading lines are at most a few hundred bytes, so they are never cut.
                spans.push((p.start, p.end));
                UnitKind::Heading
            }
            PKind::Table => {
                cap_span(text, p.start, p.end, &mut spans);
                UnitKind::TableRow
            }
            PKind::Prose | PKind::Bullet => {
                for &(s, e) in &segs[p.seg_start..p.seg_end] {
                    raw.clear();
                    split_sentences(text, s, e, &mut raw);
                    for &(rs, re) in &raw {
                        cap_span(text, rs, re, &mut spans);
                    }
                }
                if p.kind == PKind::Bullet {
                    UnitKind::Bullet
                } else {
                    UnitKind::Sentence
                }
            }
        };
        if spans.is_empty() {
            continue;
        }
        if kind == UnitKind::Heading {
            out.sections.push(Section {
                title: clean_title(&text[p.start..p.end]),
                start: p.start,
                end: p.end,
            });
            section = Some(out.sections.len() - 1);
        }
        let pi = out.paragraphs.len();
        let first = out.sentences.len();
        for &(start, end) in spans.iter() {
            out.sentences.push(Sentence {
                start,
                end,
                kind,
                section,
                paragraph: pi,
            });
        }
        let last = out.sentences.len();
        out.paragraphs.push(Paragraph {
            start: p.start.min(out.sentences[first].start),
            end: p.end.max(out.sentences[last - 1].end),
            section,
            sentences: first..last,
        });
        if kind != UnitKind::Heading {
            add_passages(text, &mut out, pi, limits);
        }
    }
    out
}

/// Greedy windows over the paragraph's sentences: at most `max_sentences` sentences and
/// `max_words` words each (a single longer sentence stands alone).
fn add_passages(text: &str, out: &mut Segmented, pi: usize, limits: PassageLimits) {
    let range = out.paragraphs[pi].sentences.clone();
    let max_sentences = limits.max_sentences.max(1);
    let mut i = range.start;
    while i < range.end {
        let first = i;
        let mut words = 0;
        while i < range.end && i - first < max_sentences {
            let s = &out.sentences[i];
            let w = word_count(&text[s.start..s.end]);
            if i > first && words + w > limits.max_words {
                break;
            }
            words += w;
            i += 1;
        }
        out.passages.push(Passage {
            start: out.sentences[first].start,
            end: out.sentences[i - 1].end,
            paragraph: pi,
            sentences: first..i,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn units(text: &str) -> Vec<&str> {
        segment(text)
            .sentences
            .iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    fn kinds(text: &str) -> Vec<UnitKind> {
        segment(text).sentences.iter().map(|s| s.kind).collect()
    }

    /// Every structural invariant the rest of themis relies on.
    fn check_invariants(text: &str, seg: &Segmented, limits: PassageLimits) {
        let span_ok = |s: usize, e: usize| {
            assert!(s < e && e <= text.len(), "bad span {s}..{e}");
            assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
            let t = &text[s..e];
            assert_eq!(t.trim().len(), t.len(), "untrimmed span {t:?}");
        };
        for sec in &seg.sections {
            span_ok(sec.start, sec.end);
            assert!(!sec.title.is_empty());
        }
        let mut prev_end = 0;
        for (i, u) in seg.sentences.iter().enumerate() {
            span_ok(u.start, u.end);
            assert!(u.start >= prev_end, "overlapping or unordered units");
            assert!(u.end - u.start <= MAX_UNIT_BYTES.max(MAX_FORCED_HEADING_BYTES));
            prev_end = u.end;
            let p = &seg.paragraphs[u.paragraph];
            assert!(p.sentences.contains(&i));
            assert!(
                p.start <= u.start && u.end <= p.end,
                "unit outside its paragraph"
            );
            assert_eq!(u.section, p.section);
            if let Some(sec) = u.section {
                assert!(sec < seg.sections.len());
            }
            if u.kind == UnitKind::Heading {
                let sec = &seg.sections[u.section.expect("heading has a section")];
                assert_eq!((sec.start, sec.end), (u.start, u.end));
            }
        }
        let mut next_sentence = 0;
        let mut prev_end = 0;
        let mut passages = seg.passages.iter().peekable();
        for (pi, p) in seg.paragraphs.iter().enumerate() {
            span_ok(p.start, p.end);
            assert!(p.start >= prev_end, "overlapping paragraphs");
            prev_end = p.end;
            assert_eq!(
                p.sentences.start, next_sentence,
                "paragraphs must partition units"
            );
            assert!(!p.sentences.is_empty());
            next_sentence = p.sentences.end;
            let heading = seg.sentences[p.sentences.start].kind == UnitKind::Heading;
            if heading {
                assert_eq!(p.sentences.len(), 1);
                continue;
            }
            let mut covered = p.sentences.start;
            while covered < p.sentences.end {
                let ps = passages.next().expect("paragraph without passages");
                assert_eq!(ps.paragraph, pi);
                assert_eq!(
                    ps.sentences.start, covered,
                    "passages must cover units in order"
                );
                assert!(
                    ps.sentences.end > ps.sentences.start && ps.sentences.end <= p.sentences.end
                );
                assert!(ps.sentences.len() <= limits.max_sentences.max(1));
                assert_eq!(ps.start, seg.sentences[ps.sentences.start].start);
                assert_eq!(ps.end, seg.sentences[ps.sentences.end - 1].end);
                assert!(p.start <= ps.start && ps.end <= p.end);
                if ps.sentences.len() > 1 {
                    assert!(word_count(&text[ps.start..ps.end]) <= limits.max_words);
                }
                covered = ps.sentences.end;
            }
        }
        assert_eq!(next_sentence, seg.sentences.len());
        assert!(
            passages.next().is_none(),
            "passage for a heading or stray passage"
        );
    }

    #[test]
    fn test_eg_ie_etc_do_not_split() {
        let t = "Services for some groups (e.g. women, i.e. those at risk, etc. and others) were good. Others were not.";
        assert_eq!(units(t).len(), 2);
        assert_eq!(
            units("Some groups, e.g. Women in Manchester, were helped. Not all.").len(),
            2
        );
    }

    #[test]
    fn test_decimals_and_per_cent() {
        let t = "Staffing was 5.6 per cent below target. Only 86 per cent. The rate was 12.3 days per cent. of staff.";
        assert_eq!(
            units(t),
            vec![
                "Staffing was 5.6 per cent below target.",
                "Only 86 per cent.",
                "The rate was 12.3 days per cent. of staff."
            ]
        );
    }

    #[test]
    fn test_titles_do_not_split() {
        let t =
            "Mr Russell said it was good. Dr. Farrar and Mrs. Rees agreed. St. Helens was next.";
        assert_eq!(
            units(t),
            vec![
                "Mr Russell said it was good.",
                "Dr. Farrar and Mrs. Rees agreed.",
                "St. Helens was next."
            ]
        );
    }

    #[test]
    fn test_no_number_and_initials() {
        let t = "See No. 3 for details. J. Smith led the team. It went well.";
        assert_eq!(
            units(t),
            vec![
                "See No. 3 for details.",
                "J. Smith led the team.",
                "It went well."
            ]
        );
    }

    #[test]
    fn test_urls_and_emails_keep_dots() {
        let t = "Email enquiries.HMIProb@hmiprobation.gov.uk or visit www.gov.uk. Then wait for v1.2 of it.";
        assert_eq!(
            units(t),
            vec![
                "Email enquiries.HMIProb@hmiprobation.gov.uk or visit www.gov.uk.",
                "Then wait for v1.2 of it."
            ]
        );
    }

    #[test]
    fn test_footnote_marker_after_full_stop() {
        let t = "Only 74 per cent were in post.6 The region had gaps.¹ Leaders knew.";
        assert_eq!(
            units(t),
            vec![
                "Only 74 per cent were in post.6",
                "The region had gaps.¹",
                "Leaders knew."
            ]
        );
    }

    #[test]
    fn test_quotes_and_questions() {
        let t = "He said: \"It was good.\" Then he left. \"Why?\" he asked. Was it? Yes!";
        assert_eq!(
            units(t),
            vec![
                "He said: \"It was good.\"",
                "Then he left.",
                "\"Why?\" he asked.",
                "Was it?",
                "Yes!"
            ]
        );
    }

    #[test]
    fn test_numbered_list_markers() {
        let t = "1. Reduce delays in vetting.\n2) Improve training. Do it soon.\n(a) Review cases.\n- 4. ensure oversight";
        let seg = segment(t);
        let u = units(t);
        assert_eq!(
            u,
            vec![
                "Reduce delays in vetting.",
                "Improve training.",
                "Do it soon.",
                "Review cases.",
                "ensure oversight"
            ]
        );
        assert!(seg.sentences.iter().all(|s| s.kind == UnitKind::Bullet));
        assert_eq!(seg.paragraphs.len(), 4);
        // The paragraph keeps the marker; the unit does not.
        assert_eq!(
            &t[seg.paragraphs[0].start..seg.paragraphs[0].end],
            "1. Reduce delays in vetting."
        );
    }

    #[test]
    fn test_bullets() {
        let t =
            "Key strengths:\n- First point. Second sentence.\n• Another point\n* Third\n– Fourth";
        let seg = segment(t);
        assert_eq!(kinds(t)[0], UnitKind::Heading);
        assert_eq!(
            units(t)[1..],
            [
                "First point.",
                "Second sentence.",
                "Another point",
                "Third",
                "Fourth"
            ]
        );
        assert!(seg.sentences[1..]
            .iter()
            .all(|s| s.kind == UnitKind::Bullet));
        assert_eq!(seg.paragraphs.len(), 5);
    }

    #[test]
    fn test_wrapped_bullet_is_one_paragraph() {
        let t = "- Risks were well understood. Risks were\n reviewed weekly, and a meeting\n was held. Seventy per cent agreed.\n Business plans were in place.\n- Next bullet.";
        let seg = segment(t);
        assert_eq!(seg.paragraphs.len(), 2);
        assert_eq!(
            units(t),
            vec![
                "Risks were well understood.",
                "Risks were\n reviewed weekly, and a meeting\n was held.",
                "Seventy per cent agreed.",
                "Business plans were in place.",
                "Next bullet."
            ]
        );
    }

    #[test]
    fn test_hard_wrapped_paragraph_joins() {
        // Lowercase continuation across a blank line (page break), and a line ending mid-phrase.
        let t = "Leadership\n\nThere was an appropriate focus on progress against the\n\nregional delivery plan. The region is overseen by the\nRegional Probation Director who leads it.";
        let seg = segment(t);
        assert_eq!(seg.sections.len(), 1);
        assert_eq!(seg.paragraphs.len(), 2);
        assert_eq!(
            units(t)[1..],
            [
                "There was an appropriate focus on progress against the\n\nregional delivery plan.",
                "The region is overseen by the\nRegional Probation Director who leads it."
            ]
        );
    }

    #[test]
    fn test_running_header_is_furniture_and_paragraph_rejoined() {
        let hdr = "HM Inspectorate of Probation: Regional review letter";
        let t = format!(
            "Review\n\nThe first paragraph ends here.\n\n{hdr}\n\nThe work was progressing against the\n\n{hdr}\n\nregional plan, though slowly. It was late.\n\n{hdr}\n\nAnother paragraph."
        );
        let seg = segment(&t);
        let u = units(&t);
        assert!(u.iter().all(|s| !s.contains("Inspectorate")), "{u:?}");
        // The interrupted paragraph is one paragraph; its sentence is split at the header so no
        // unit contains header text.
        let p = seg
            .paragraphs
            .iter()
            .find(|p| t[p.start..p.end].starts_with("The work"))
            .unwrap();
        assert!(t[p.start..p.end].ends_with("It was late."));
        let inner: Vec<&str> = p.sentences.clone().map(|i| u[i]).collect();
        assert_eq!(
            inner,
            vec![
                "The work was progressing against the",
                "regional plan, though slowly.",
                "It was late."
            ]
        );
        // The passage over it keeps the two halves together.
        assert!(seg.passages.iter().any(|ps| ps.sentences == p.sentences));
    }

    #[test]
    fn test_one_off_interrupting_line_is_not_a_heading() {
        let t = "Leadership\n\nThere was progress against the\n\nHM Inspectorate of Probation: Regional review letter\n\nregional delivery plan, though slowly.";
        let seg = segment(t);
        assert_eq!(seg.sections.len(), 1);
        assert_eq!(
            kinds(t),
            vec![
                UnitKind::Heading,
                UnitKind::Sentence,
                UnitKind::Sentence,
                UnitKind::Sentence
            ]
        );
    }

    #[test]
    fn test_page_numbers_are_furniture() {
        let t = "Para one is here.\n\n12\n\nPage 13 of 40\n\nPara two.";
        assert_eq!(units(t), vec!["Para one is here.", "Para two."]);
    }

    #[test]
    fn test_repeated_headings_are_not_furniture() {
        let t = "Key areas for improvement:\n- A.\nStrengths\nB.\nKey areas for improvement:\n- C.\nStrengths\nD.\nKey areas for improvement:\n- E.\nStrengths\nF.";
        assert_eq!(segment(t).sections.len(), 6);
    }

    #[test]
    fn test_crlf_and_cr_line_ends() {
        let t = "Report title\r\nContext (Back to top)\r\nWe inspected cases. They were fine.\r\rStrengths\rLeaders were good.\r\n";
        let seg = segment(t);
        let titles: Vec<&str> = seg.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, vec!["Report title", "Context", "Strengths"]);
        assert_eq!(
            units(t),
            vec![
                "Report title",
                "Context (Back to top)",
                "We inspected cases.",
                "They were fine.",
                "Strengths",
                "Leaders were good."
            ]
        );
        assert!(units(t).iter().all(|u| !u.contains('\r')));
    }

    #[test]
    fn test_back_to_top_and_hash_headings() {
        let t = "Dynamic Inspection of Public Protection\nChief Inspector’s judgment (Back to top)\nThe region was safe.\n## Leadership ##\nLeaders led.\nInspection commentary (back to top)\nIt was fine.";
        let seg = segment(t);
        let titles: Vec<&str> = seg.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "Dynamic Inspection of Public Protection",
                "Chief Inspector’s judgment",
                "Leadership",
                "Inspection commentary"
            ]
        );
        let s = &seg.sentences;
        assert_eq!(&t[s[2].start..s[2].end], "The region was safe.");
        assert_eq!(s[2].section, Some(1));
        assert_eq!(s[6].section, Some(3));
        // Headings are indexed as sections, not passages.
        assert_eq!(seg.passages.len(), 3);
    }

    #[test]
    fn test_colon_headings_and_lead_ins() {
        let t = "Regional observations:\nThe region did well.\nThe PDU should:\n- improve things.\nDame Glenys Stacey said:\n\"It was good.\"";
        assert_eq!(
            kinds(t),
            vec![
                UnitKind::Heading,
                UnitKind::Sentence,
                UnitKind::Sentence,
                UnitKind::Bullet,
                UnitKind::Sentence,
                UnitKind::Sentence
            ]
        );
        assert_eq!(segment(t).sections[0].title, "Regional observations");
    }

    #[test]
    fn test_bare_headings_and_non_headings() {
        let t = "Report\n\nLeadership\n\nThe region is good.\n\nAreas for improvement\n\nStaffing is low.\n\nTony Kirk, Lead Inspector\n\n25 May 2023\n\nInspectors said the rating \"masks positive aspects\"\n\n'Insufficient risk prevention'\n\nIt was weak.";
        let seg = segment(t);
        let titles: Vec<&str> = seg.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            vec![
                "Report",
                "Leadership",
                "Areas for improvement",
                "Insufficient risk prevention"
            ]
        );
    }

    #[test]
    fn test_table_rows() {
        let t = "Scoring (Back to top)\n| Key question | Percentage ‘Yes’ |\n| Does assessment focus on safety? | 49% |\n1.1\tLeadership\tGood\t\nAfter the table.";
        let seg = segment(t);
        assert_eq!(
            kinds(t),
            vec![
                UnitKind::Heading,
                UnitKind::TableRow,
                UnitKind::TableRow,
                UnitKind::TableRow,
                UnitKind::Sentence
            ]
        );
        assert_eq!(units(t)[3], "1.1\tLeadership\tGood");
        // One row per paragraph, so passages never merge rows with prose.
        assert_eq!(seg.paragraphs.len(), 5);
        assert_eq!(seg.passages.len(), 4);
    }

    #[test]
    fn test_passage_windows() {
        let t = "One a. Two b. Three c. Four d. Five e.";
        let seg = segment(t);
        let windows: Vec<Range<usize>> = seg.passages.iter().map(|p| p.sentences.clone()).collect();
        assert_eq!(windows, vec![0..3, 3..5]);
        let seg = segment_with(
            t,
            PassageLimits {
                max_sentences: 10,
                max_words: 4,
            },
        );
        let windows: Vec<Range<usize>> = seg.passages.iter().map(|p| p.sentences.clone()).collect();
        assert_eq!(windows, vec![0..2, 2..4, 4..5]);
        // A sentence longer than max_words is a passage on its own.
        let seg = segment_with(
            "This sentence has six words in. Short.",
            PassageLimits {
                max_sentences: 3,
                max_words: 3,
            },
        );
        assert_eq!(seg.passages.len(), 2);
    }

    #[test]
    fn test_empty_and_blank_input() {
        assert_eq!(segment(""), Segmented::default());
        assert_eq!(segment(" \n\r\n\t \r \u{2028}\u{c}"), Segmented::default());
    }

    #[test]
    fn test_long_line_is_capped_at_whitespace() {
        let t = "word ".repeat(1_000_000); // 5 MB, one line, no boundary
        let seg = segment(&t);
        check_invariants(&t, &seg, PassageLimits::default());
        assert!(seg.sentences.len() >= 5_000_000 / MAX_UNIT_BYTES);
        assert!(seg
            .sentences
            .iter()
            .all(|s| t[s.start..s.end].ends_with("word")));
    }

    #[test]
    fn test_long_unspaced_multibyte_line_is_cut_on_char_boundaries() {
        let t = "é’".repeat(400_000);
        let seg = segment(&t);
        check_invariants(&t, &seg, PassageLimits::default());
        assert!(seg.sentences.len() > 1);
    }

    /// Patterns that stress each scanner: abbreviation look-backs, terminator runs, closers,
    /// list markers, blank lines, dotted tokens, table pipes and tabs.
    const PATHOLOGICAL: [&str; 12] = [
        "e.g. ",
        "....",
        "a.b.",
        "Mr. ",
        ".)\"’",
        "- 1. ",
        "\n\n\n\n",
        "A.\u{a0}",
        "||||",
        "x\ty ",
        "a\n",
        "Page 1\nx\n",
    ];

    fn run_pathological(bytes_each: usize) {
        for p in PATHOLOGICAL {
            let t = p.repeat(bytes_each / p.len());
            let seg = segment(&t);
            assert!(seg
                .sentences
                .iter()
                .all(|s| s.end - s.start <= MAX_UNIT_BYTES));
        }
    }

    #[test]
    fn test_pathological_inputs_are_linear() {
        // 1 MB per pattern: a quadratic pass over 1 MB would not finish; no timing is asserted.
        run_pathological(1_000_000);
    }

    #[test]
    #[ignore = "~240 MB of input; run with `cargo test --release -- --ignored`"]
    fn test_pathological_200mb_inputs_are_linear() {
        run_pathological(20_000_000);
    }

    fn report_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            prop::sample::select(vec![
                "\n",
                "\r\n",
                "\r",
                "\n\n",
                " ",
                "\t",
                "- ",
                "• ",
                "1. ",
                "(a) ",
                "| a | b |",
                "|",
                "e.g. ",
                "i.e. ",
                "etc. ",
                "5.6",
                "No. 3",
                "Mr ",
                "Dr. ",
                "J. ",
                "per cent. ",
                "post.6 ",
                "The ",
                "regional ",
                "the",
                "Leadership",
                "Key areas for improvement:",
                " (Back to top)",
                "# ",
                "## Title",
                "\u{201c}",
                "\u{201d}",
                "\u{2018}",
                "\u{2019}",
                "\u{202e}",
                "\u{200f}",
                "\0",
                "\u{1}",
                "\u{c}",
                "\u{2028}",
                "\u{85}",
                "…",
                "?",
                "!",
                ".",
                ". ",
                "¹",
                "www.gov.uk",
                "a@b.co.uk",
                "12",
                "Page 3 of 9",
                "HM Inspectorate: Header",
                "é",
                "\u{a0}",
                "\u{3000}",
            ])
            .prop_map(str::to_string),
            "[a-zA-Z0-9 .,]{0,12}",
            any::<char>().prop_map(|c| c.to_string()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn test_invariants_arbitrary_unicode(t in any::<String>()) {
            check_invariants(&t, &segment(&t), PassageLimits::default());
        }

        #[test]
        fn test_invariants_report_like(pieces in prop::collection::vec(report_piece(), 0..80),
                                       ms in 0usize..5, mw in 0usize..40) {
            let t: String = pieces.concat();
            check_invariants(&t, &segment(&t), PassageLimits::default());
            let limits = PassageLimits { max_sentences: ms, max_words: mw };
            check_invariants(&t, &segment_with(&t, limits), limits);
        }
    }
}
