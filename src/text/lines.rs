//! One idea of a line and of a heading, shared by segmentation ([`crate::segment`]), structured
//! extraction ([`crate::structured`]) and metadata inference ([`crate::corpus::infer`]).
//!
//! Each of the three used to split lines and clean headings its own way, and they disagreed at
//! the edges (a lone "\r", a form feed, "(Back to top)" in the middle of a line, a quoted
//! heading). Here:
//!
//! - **A line** ends at "\n", "\r\n", a lone "\r", VT, form feed (PDF page breaks), NEL, and the
//!   Unicode line and paragraph separators ([`lines`]). Offsets are byte offsets into the text.
//! - **A marked heading** is a Markdown ATX line ("## Context", [`atx_heading`]) or a web
//!   page's heading copied with its "Heading (Back to top)" link ([`strip_back_to_top`]).
//! - **A heading's text** ([`clean_heading`]) is the line without `#` marks, a trailing
//!   "(Back to top)", a trailing ':', `*`/`_` emphasis and the quotes of a fully quoted
//!   heading, with white space collapsed.
//!
//! Everything is linear in the input and allocation-free except where a `String` is returned.

/// One physical line: its 1-based number, the byte offset of its first byte, and its text
/// without the line terminator (untrimmed; blank lines are lines too).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line<'a> {
    /// 1-based line number.
    pub no: usize,
    /// Byte offset of the line's first byte in the text.
    pub start: usize,
    /// The line without its terminator.
    pub text: &'a str,
}

impl<'a> Line<'a> {
    /// The line trimmed of white space (as `str::trim`), with the byte offset in the whole text
    /// where the trimmed text starts. A blank line gives an empty string.
    pub fn trimmed(&self) -> (usize, &'a str) {
        let t = self.text.trim_start();
        let start = self.start + (self.text.len() - t.len());
        (start, t.trim_end())
    }
}

/// The lines of `text` (see the module docs for what ends a line). A text ending with a line
/// break has no empty line after it; an empty text has no lines.
pub fn lines(text: &str) -> Lines<'_> {
    Lines {
        text,
        pos: 0,
        no: 0,
    }
}

/// Iterator over the [`Line`]s of a text; see [`lines`].
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    text: &'a str,
    pos: usize,
    no: usize,
}

impl<'a> Iterator for Lines<'a> {
    type Item = Line<'a>;

    fn next(&mut self) -> Option<Line<'a>> {
        let b = self.text.as_bytes();
        let start = self.pos;
        if start >= b.len() {
            return None;
        }
        let mut i = start;
        // Only ASCII bytes and UTF-8 lead bytes are compared, and both occur only at char
        // boundaries, so every offset recorded here is a char boundary.
        let (end, next) = loop {
            // Every report's text is split into lines more than once: eight bytes at a time
            // are passed over when none of them can start a line break.
            if let Some(chunk) = b.get(i..i + 8) {
                let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
                if !may_start_break(word) {
                    i += 8;
                    continue;
                }
            }
            if i >= b.len() {
                break (b.len(), b.len());
            }
            let brk = break_len(b, i);
            if brk > 0 {
                break (i, i + brk);
            }
            i += 1;
        };
        self.pos = next;
        self.no += 1;
        Some(Line {
            no: self.no,
            start,
            text: &self.text[start..end],
        })
    }
}

/// The length of the line break starting at `b[i]`, 0 if none does.
fn break_len(b: &[u8], i: usize) -> usize {
    match b[i] {
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
    }
}

/// Whether one of the eight bytes of `word` may start a line break: a byte below 0x0E (the
/// ASCII breaks, and tab) or a lead byte of NEL (0xC2) or of the Unicode separators (0xE2).
/// Never false for a word that holds one; true for some that do not.
fn may_start_break(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // A byte below n (n <= 128) sets its high bit in (x - n·ONES) & !x.
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGHS != 0;
    below(word, 0x0E) || below(word ^ (ONES * 0xC2), 1) || below(word ^ (ONES * 0xE2), 1)
}

/// The text before a trailing "(Back to top)" (ASCII case-insensitive), if `t` ends with one.
/// Web pages copied as text put that link after every section heading.
pub fn strip_back_to_top(t: &str) -> Option<&str> {
    const TAIL: &str = "(back to top)";
    if t.len() < TAIL.len() || !t.is_char_boundary(t.len() - TAIL.len()) {
        return None;
    }
    let (head, tail) = t.split_at(t.len() - TAIL.len());
    tail.eq_ignore_ascii_case(TAIL).then_some(head)
}

/// The text of a Markdown ATX heading: `t` (trimmed) starts with one to six '#' and white
/// space, and has text besides '#' marks ("## Context ##" → "Context"). `None` otherwise.
pub fn atx_heading(t: &str) -> Option<&str> {
    let hashes = t.bytes().take_while(|&b| b == b'#').count();
    if hashes == 0 || hashes > 6 {
        return None;
    }
    let rest = &t[hashes..];
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let words = rest.trim_matches(|c: char| c == '#' || c.is_whitespace());
    (!words.is_empty()).then_some(words)
}

/// A line its own markup marks as a heading: an ATX heading or "Heading (Back to top)" (with
/// some text before the link). `t` is trimmed.
pub fn is_marked_heading(t: &str) -> bool {
    atx_heading(t).is_some() || strip_back_to_top(t).is_some_and(|h| !h.trim().is_empty())
}

/// Collapses runs of white space to one space and trims.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The heading's text before `**` removal and white-space collapsing: `#` marks, a trailing
/// "(Back to top)", a trailing ':', `*`/`_` emphasis at the ends (and a ':' inside it) and the
/// quotes of a fully quoted heading removed.
fn heading_core(t: &str) -> &str {
    let mut s = t.trim();
    s = s.trim_start_matches('#').trim_start();
    s = s.trim_end_matches('#').trim_end();
    if let Some(head) = strip_back_to_top(s) {
        s = head.trim_end();
    }
    s = s.trim_end_matches(':').trim_end();
    s = s.trim_matches(|c| c == '*' || c == '_').trim();
    // "**Recommendations:**": the label's colon sat inside the emphasis.
    s = s.trim_end_matches(':').trim_end();
    // A fully quoted sub-heading ("'Insufficient risk prevention'") is titled without quotes.
    for (open, close) in [('\'', '\''), ('"', '"'), ('‘', '’'), ('“', '”')] {
        if let Some(inner) = s.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            s = inner.trim();
            break;
        }
    }
    s
}

/// The text of a heading line: `#` marks, a trailing "(Back to top)", a trailing ':',
/// emphasis (`*`/`_` at the ends, `**` anywhere) and the quotes of a fully quoted heading
/// removed, white space collapsed. A line with nothing left is its own text, collapsed.
pub fn clean_heading(t: &str) -> String {
    let core = heading_core(t);
    let words = if core.contains("**") {
        collapse_ws(&core.replace("**", ""))
    } else {
        collapse_ws(core)
    };
    if words.is_empty() {
        collapse_ws(t)
    } else {
        words
    }
}

/// `clean_heading(t).eq_ignore_ascii_case(word)` for a `word` without white space, without
/// allocating for the many lines that are not that heading.
pub fn heading_is(t: &str, word: &str) -> bool {
    let core = heading_core(t);
    if core.is_empty() || core.contains("**") {
        return clean_heading(t).eq_ignore_ascii_case(word);
    }
    // `core` is trimmed: if it has white space inside, so has its collapsed form, and neither
    // equals a word without any.
    core.eq_ignore_ascii_case(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<(usize, usize, &str)> {
        lines(text).map(|l| (l.no, l.start, l.text)).collect()
    }

    #[test]
    fn test_every_line_break() {
        assert_eq!(
            all("a\nb\r\nc\rd\u{b}e\u{c}f\u{85}g\u{2028}h\u{2029}i"),
            vec![
                (1, 0, "a"),
                (2, 2, "b"),
                (3, 5, "c"),
                (4, 7, "d"),
                (5, 9, "e"),
                (6, 11, "f"),
                (7, 14, "g"),
                (8, 18, "h"),
                (9, 22, "i"),
            ]
        );
    }

    #[test]
    fn test_blank_lines_and_ends() {
        assert_eq!(all(""), vec![]);
        assert_eq!(all("\n"), vec![(1, 0, "")]);
        assert_eq!(
            all("a\n\n b \n"),
            vec![(1, 0, "a"), (2, 2, ""), (3, 3, " b ")]
        );
        let l = lines("x\n  two words \n").nth(1).unwrap();
        assert_eq!(l.trimmed(), (4, "two words"));
        assert_eq!(lines("\r\n\r\n").count(), 2);
    }

    #[test]
    fn test_marked_headings() {
        assert_eq!(atx_heading("## Context ##"), Some("Context"));
        assert_eq!(atx_heading("#hashtag"), None);
        assert_eq!(atx_heading("####### seven"), None);
        assert_eq!(atx_heading("## ##"), None);
        assert_eq!(strip_back_to_top("Scoring (Back to top)"), Some("Scoring "));
        assert_eq!(strip_back_to_top("Scoring (back TO top)"), Some("Scoring "));
        assert_eq!(strip_back_to_top("Scoring"), None);
        assert!(is_marked_heading("Context (Back to top)"));
        assert!(!is_marked_heading("(Back to top)"));
        assert!(is_marked_heading("# Title"));
        assert!(!is_marked_heading("Title"));
    }

    #[test]
    fn test_clean_heading() {
        for (line, want) in [
            ("## Leadership ##", "Leadership"),
            (
                "Regional recommendations (Back to top)",
                "Regional recommendations",
            ),
            (
                "  Key   areas for improvement:  ",
                "Key areas for improvement",
            ),
            ("**Recommendations:**", "Recommendations"),
            ("__Strengths__", "Strengths"),
            ("Key **findings**", "Key findings"),
            (
                "'Insufficient risk prevention'",
                "Insufficient risk prevention",
            ),
            ("“Quoted”", "Quoted"),
            ("**", "**"),
            ("", ""),
        ] {
            assert_eq!(clean_heading(line), want, "{line:?}");
        }
        assert!(heading_is("Footnotes:", "footnotes"));
        assert!(heading_is("## **Footnotes** (Back to top)", "footnotes"));
        assert!(!heading_is("Footnotes and references", "footnotes"));
        assert!(!heading_is("", "footnotes"));
    }

    /// The lines as a byte-at-a-time scan finds them, for the chunked scan to be checked against.
    fn reference(text: &str) -> Vec<(usize, usize, &str)> {
        let b = text.as_bytes();
        let (mut out, mut start, mut i) = (Vec::new(), 0, 0);
        while i < b.len() {
            let brk = break_len(b, i);
            if brk > 0 {
                out.push((out.len() + 1, start, &text[start..i]));
                start = i + brk;
                i = start;
            } else {
                i += 1;
            }
        }
        if start < b.len() {
            out.push((out.len() + 1, start, &text[start..]));
        }
        out
    }

    #[test]
    fn breaks_are_found_wherever_they_fall_in_an_eight_byte_chunk() {
        for pad in 0..17 {
            for brk in [
                "\n", "\r\n", "\r", "\u{b}", "\u{c}", "\u{85}", "\u{2028}", "\u{2029}",
            ] {
                let text = format!(
                    "{}{brk}tail \u{2019}quoted\u{2019} \u{a0}and\tmore",
                    "x".repeat(pad)
                );
                assert_eq!(all(&text), reference(&text), "{text:?}");
                assert_eq!(all(&text).len(), 2, "{text:?}");
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn chunked_scan_equals_byte_scan(text in "[a \\t\\n\\r\\x0b\\x0c\\u{85}\\u{2028}\\u{2029}\\u{2019}\\u{e9}\\u{a0}]{0,60}") {
            proptest::prop_assert_eq!(all(&text), reference(&text));
        }
    }
}
