//! Lines: splitting the text into non-blank physical lines and classifying each one (`#`
//! heading, "(Back to top)" heading, table row, list item or text), the first step of
//! segmentation.

use crate::text::lines::{atx_heading, lines, strip_back_to_top};

/// One non-blank physical line: `cs..ce` is its whitespace-trimmed content. Blank lines are
/// not stored (a text of 200 MB of newlines must not cost gigabytes); they only set `gap_before`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Line {
    pub(super) cs: usize,
    pub(super) ce: usize,
    /// The line starts with whitespace: in PDF extractions this marks a wrapped continuation.
    pub(super) indented: bool,
    /// At least one blank line separates this line from the previous non-blank one.
    pub(super) gap_before: bool,
    pub(super) kind: LineKind,
}

impl Line {
    pub(super) fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.cs..self.ce]
    }
}

/// The non-blank lines of `text` (lines end as [`crate::text::lines`] says: form feeds mark PDF
/// page breaks, so they separate lines rather than indent the next one).
pub(super) fn split_lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut gap = false;
    for line in lines(text) {
        let (cs, t) = line.trimmed();
        if t.is_empty() {
            gap = true;
            continue;
        }
        out.push(Line {
            cs,
            ce: cs + t.len(),
            indented: cs > line.start,
            gap_before: std::mem::take(&mut gap),
            kind: classify_line(t),
        });
    }
    out
}

/// Trims whitespace (Unicode `White_Space`, as `str::trim`) from both ends of `start..end`.
pub(super) fn trim_span(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let t = s.trim_start();
    let cs = start + (s.len() - t.len());
    let ce = cs + t.trim_end().len();
    (cs, ce)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LineKind {
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
pub(super) const MAX_FORCED_HEADING_BYTES: usize = 300;

pub(super) fn classify_line(t: &str) -> LineKind {
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
        if atx_heading(t).is_some() {
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

pub(super) const BULLET_CHARS: &[char] = &[
    '-', '•', '*', '–', '—', '·', '▪', '◦', '●', '○', '■', '□', '‣', '⁃', '➢', '►', '✓',
];

/// Length (bytes) of a leading list marker and the whitespace after it, if the line starts with
/// one and has content after it. Handles "- ", "• ", "1. ", "1) ", "(a) ", "a) ", "(iv) " and a
/// symbol followed by a number ("- 2. ensure ...").
pub(super) fn list_marker_len(t: &str) -> Option<usize> {
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
pub(super) fn ws_after(t: &str, at: usize) -> Option<usize> {
    let rest = &t[at..];
    let trimmed = rest.trim_start();
    (trimmed.len() < rest.len() && !trimmed.is_empty()).then(|| t.len() - trimmed.len())
}

pub(super) fn numbered_marker_len(t: &str) -> Option<usize> {
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
