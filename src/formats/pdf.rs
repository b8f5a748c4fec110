//! PDF text extraction with page boundaries.
//!
//! This file owns turning a PDF's bytes into segmenter-ready text: opening the file (sniffing,
//! truncation, encryption), reading positioned glyphs page by page, rebuilding lines and
//! paragraphs from their positions, removing page furniture (running headers/footers, page
//! numbers), rejoining words hyphenated across line ends, and reading the Info title and date.
//!
//! **The PDF crate.** Glyph decoding (ToUnicode CMaps, simple-font encodings with
//! `/Differences`, built-in encodings of embedded Type 1/CFF fonts, CID fonts, Type 3 fonts) is
//! done by `pdf-extract`, whose [`OutputDev`] hook gives every glyph with its text-rendering
//! matrix; it parses with `lopdf`, which it re-exports and which we use for the document
//! structure (Info dictionary, pages, encryption). `pdf-extract` ignores the `'` and `"`
//! text-showing operators (Ghostscript emits them for every line), so [`rewrite_quote_operators`]
//! turns them into their `T*`/`Tj` equivalents first. It also panics on some malformed files, so
//! the whole extraction runs under [`std::panic::catch_unwind`].
//!
//! **Layout rules** (see [`assemble_page`]):
//! - *Lines*: consecutive glyphs on the same baseline (within half a font size) that do not jump
//!   back left form a line; a horizontal gap wider than 0.15 em becomes a space.
//! - *Furniture*: among the three top-most and three bottom-most lines of each page, a line whose
//!   text (digits normalised to `#`) recurs at about the same height on at least half the pages
//!   (and on at least two) is a running header/footer and is dropped; so is a bare page number
//!   there ("3", "Page 3 of 12", "3 | Page", "- 3 -", "iv").
//! - *Paragraphs*: a vertical gap over 1.3× the page's usual line spacing (or a jump up, i.e. a
//!   new column) ends a block (blank line). Otherwise a line that reaches the right margin is
//!   hard-wrapped and joins the next line; so does any line followed by one starting lowercase.
//!   A short line (a heading, the last line of a paragraph, an address line) ends its line.
//!   Bullet glyphs (•, ▪, Word's U+F0B7, …) at a line start become `- ` items on their own lines.
//! - *Hyphenation*: a word split as `frag-` / `ment` (next line starting lowercase) is rejoined
//!   without the hyphen unless the hyphenated form occurs elsewhere in the document, or the
//!   joined form does not and `frag` is a compound prefix (`self`, `well`, `multi`, `co`, `non`,
//!   `pre`, `post`, `cross`, …; `re` only before a vowel: "re-offending" but "review").
//!   A soft hyphen (U+00AD) is always dropped. Before an uppercase letter or digit the hyphen is
//!   kept ("pre-\nCovid" → "pre-Covid"). A word split across a page break is rejoined onto the
//!   earlier page.

use std::collections::{HashMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_extract::{Document, MediaBox, Object, OutputDev, OutputError, Transform};

use super::{describe_start, iso_date, Extracted, FormatError};

/// We refuse to collect more text than this from one PDF: it bounds memory for hostile files
/// (real inspection reports hold well under 1 MiB of text).
const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Bound on the glyphs kept for one page, for the same reason (a dense A4 page has ~5,000).
const MAX_PAGE_GLYPHS: usize = 2_000_000;

/// A file whose last bytes hold no `%%EOF` within this distance is taken as truncated.
const EOF_WINDOW: usize = 2048;

/// Average alphanumeric characters per page below which a PDF counts as having no text layer.
const MIN_ALNUM_PER_PAGE: usize = 10;

/// Words before a line-end hyphen that usually start a real compound ("well-being"), so the
/// hyphen is kept when the document itself does not settle the question.
const COMPOUND_PREFIXES: &[&str] = &[
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

/// Glyphs that open a bulleted list item when they start a line.
const BULLETS: &[char] = &[
    '•', '●', '▪', '■', '◦', '○', '‣', '⁃', '∙', '·', '➢', '➤', '►', '▶', '✓', '✔',
    // Private-use code points of Word's Symbol/Wingdings bullets.
    '\u{F0B7}', '\u{F0A7}', '\u{F076}', '\u{F0D8}', '\u{F0FC}',
];

/// Extracts the text of a PDF, page by page, with page starts, title and date.
///
/// Errors: [`FormatError::NotPdf`] when the bytes are not a PDF, [`FormatError::Damaged`] when
/// it is truncated or cannot be parsed (including a parser crash), [`FormatError::Encrypted`]
/// when it needs a password, [`FormatError::NoText`] when its pages carry no text layer.
pub fn extract_pdf(bytes: &[u8]) -> Result<Extracted, FormatError> {
    if super::trim_ascii_start(bytes).is_empty() {
        return Err(FormatError::Empty);
    }
    // The header may follow a little junk (some servers prepend a BOM or whitespace).
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_none() {
        return Err(FormatError::NotPdf(describe_start(bytes)));
    }
    let tail = trim_end(bytes);
    if find(&tail[tail.len().saturating_sub(EOF_WINDOW)..], b"%%EOF").is_none() {
        return Err(FormatError::Damaged(
            "it ends before the PDF's end-of-file marker (an incomplete download?)".into(),
        ));
    }
    match catch_unwind(AssertUnwindSafe(|| extract(bytes))) {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown error".into());
            Err(FormatError::Damaged(format!(
                "the PDF reader gave up ({what})"
            )))
        }
    }
}

fn extract(bytes: &[u8]) -> Result<Extracted, FormatError> {
    let mut doc = Document::load_mem(bytes).map_err(|e| {
        let message = e.to_string();
        if is_password_problem(&message) {
            FormatError::Encrypted
        } else {
            FormatError::Damaged(message)
        }
    })?;
    // lopdf tries the empty user password while loading (files that are "encrypted" only to
    // restrict printing open fine); a file still encrypted after that needs a real password.
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(FormatError::Encrypted);
    }
    let page_ids: Vec<(u32, pdf_extract::ObjectId)> = doc.get_pages().into_iter().collect();
    if page_ids.is_empty() {
        return Err(FormatError::Damaged("the PDF has no pages".into()));
    }
    let title = info_string(&doc, b"Title").and_then(|t| clean_title(&t));
    let date = info_string(&doc, b"CreationDate")
        .and_then(|d| pdf_date(&d))
        .or_else(|| info_string(&doc, b"ModDate").and_then(|d| pdf_date(&d)));

    let mut collector = Collector::default();
    for &(number, id) in &page_ids {
        ensure_media_box(&mut doc, id);
        rewrite_quote_operators(&mut doc, id);
        collector.start(number);
        let doc_ref = &doc;
        pdf_extract::output_doc_page(doc_ref, &mut collector, number).map_err(|e| {
            if collector.too_much {
                FormatError::TooLarge(format!(
                    "the PDF holds more than {} MiB of text",
                    MAX_TEXT_BYTES >> 20
                ))
            } else {
                FormatError::Damaged(format!("page {number}: {e}"))
            }
        })?;
        collector.finish();
    }
    let alnum: usize = collector
        .pages
        .iter()
        .flat_map(|p| &p.lines)
        .map(|l| l.text.chars().filter(|c| c.is_alphanumeric()).count())
        .sum();
    if alnum < MIN_ALNUM_PER_PAGE * collector.pages.len() {
        return Err(FormatError::NoText);
    }
    let (text, pages) = layout(collector.pages);
    Ok(Extracted {
        text,
        pages,
        title,
        date,
    })
}

fn is_password_problem(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    m.contains("decrypt") || m.contains("password") || m.contains("encrypt")
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace() && *b != 0)
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

// ------------------------------------------------------------------------- document structure

/// A string from the Info dictionary, decoded (UTF-16 with BOM, UTF-8 with BOM, else
/// PDFDocEncoding).
fn info_string(doc: &Document, key: &[u8]) -> Option<String> {
    let info = match doc.trailer.get(b"Info").ok()? {
        Object::Reference(id) => doc.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    let value = match info.get(key).ok()? {
        Object::Reference(id) => doc.get_object(*id).ok()?,
        other => other,
    };
    match value {
        Object::String(bytes, _) => Some(decode_text_string(bytes)),
        _ => None,
    }
}

/// Decodes a PDF text string (PDF 32000-1 §7.9.2.2).
fn decode_text_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

/// PDFDocEncoding: Latin-1 except for 0x18–0x1F and 0x80–0xA0 (PDF 32000-1 Annex D).
fn pdf_doc_char(b: u8) -> char {
    const HIGH: [char; 33] = [
        '•', '†', '‡', '…', '—', '–', 'ƒ', '⁄', '‹', '›', '−', '‰', '„', '“', '”', '‘', '’', '‚',
        '™', 'ﬁ', 'ﬂ', 'Ł', 'Œ', 'Š', 'Ÿ', 'Ž', 'ı', 'ł', 'œ', 'š', 'ž', '\u{FFFD}', '€',
    ];
    match b {
        0x80..=0xA0 => HIGH[usize::from(b - 0x80)],
        _ => char::from(b),
    }
}

/// The Info title unless it is empty or an authoring tool's placeholder ("Microsoft Word -
/// report.docx", "Untitled").
fn clean_title(raw: &str) -> Option<String> {
    let title = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let lower = title.to_lowercase();
    let placeholder = ["untitled", "title", "document", "slide 1", "pdf"].contains(&lower.as_str())
        || lower.starts_with("microsoft word - ")
        || [
            ".doc", ".docx", ".pdf", ".odt", ".rtf", ".indd", ".dot", ".dotx",
        ]
        .iter()
        .any(|ext| lower.ends_with(ext));
    (!title.is_empty() && !placeholder && title.chars().any(char::is_alphanumeric))
        .then(|| title.chars().take(300).collect())
}

/// A PDF date (`D:YYYYMMDDHHmmSS±HH'mm'`, the `D:` optional) as ISO `yyyy-mm-dd`; `None`
/// without a full, valid year-month-day.
fn pdf_date(raw: &str) -> Option<String> {
    let s = raw.trim();
    let s = s.strip_prefix("D:").unwrap_or(s);
    let digits: String = s.chars().take(8).collect();
    if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let year = digits[..4].parse().ok()?;
    let month = digits[4..6].parse().ok()?;
    let day = digits[6..8].parse().ok()?;
    iso_date(year, month, day)
}

/// pdf-extract `expect`s an (inherited) MediaBox on every page; a page without one gets A4, so a
/// sloppy producer's file is read instead of crashing the reader.
fn ensure_media_box(doc: &mut Document, page: pdf_extract::ObjectId) {
    let mut current = page;
    for _ in 0..32 {
        let Ok(dict) = doc.get_dictionary(current) else {
            break;
        };
        if let Ok(Object::Array(a)) = dict.get(b"MediaBox") {
            if a.len() == 4 {
                return;
            }
        }
        if matches!(dict.get(b"MediaBox"), Ok(Object::Reference(_))) {
            return;
        }
        match dict.get(b"Parent") {
            Ok(Object::Reference(parent)) => current = *parent,
            _ => break,
        }
    }
    if let Ok(dict) = doc.get_dictionary_mut(page) {
        let a4 = [0, 0, 595, 842].into_iter().map(Object::Integer).collect();
        dict.set("MediaBox", Object::Array(a4));
    }
}

/// Rewrites the `'` and `"` operators (move to the next line and show text) as `T*` + `Tj`,
/// which pdf-extract understands; without this, Ghostscript-made PDFs lose nearly all text.
fn rewrite_quote_operators(doc: &mut Document, page: pdf_extract::ObjectId) {
    use pdf_extract::content::{Content, Operation};
    let Ok(raw) = doc.get_page_content(page) else {
        return;
    };
    // Cheap pre-check: most producers never use these operators.
    if !raw.iter().any(|&b| b == b'\'' || b == b'"') {
        return;
    }
    let Ok(content) = Content::decode(&raw) else {
        return;
    };
    if !content
        .operations
        .iter()
        .any(|op| op.operator == "'" || op.operator == "\"")
    {
        return;
    }
    let mut operations = Vec::with_capacity(content.operations.len() + 16);
    for op in content.operations {
        match op.operator.as_str() {
            "'" => {
                operations.push(Operation::new("T*", vec![]));
                operations.push(Operation::new("Tj", op.operands));
            }
            "\"" if op.operands.len() == 3 => {
                let mut operands = op.operands.into_iter();
                let (aw, ac, text) = (operands.next(), operands.next(), operands.next());
                operations.push(Operation::new("Tw", aw.into_iter().collect()));
                operations.push(Operation::new("Tc", ac.into_iter().collect()));
                operations.push(Operation::new("T*", vec![]));
                operations.push(Operation::new("Tj", text.into_iter().collect()));
            }
            _ => operations.push(op),
        }
    }
    if let Ok(encoded) = (Content { operations }).encode() {
        let _ = doc.change_page_content(page, encoded);
    }
}

// ------------------------------------------------------------------------------ glyph capture

/// One glyph as placed on the page, in points with y growing downwards.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    /// Byte range of the glyph's text in the page's glyph text.
    start: usize,
    len: usize,
}

/// A rebuilt line of text.
#[derive(Debug, Clone)]
struct Line {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

#[derive(Debug, Default)]
struct Page {
    lines: Vec<Line>,
}

/// Receives pdf-extract's positioned glyphs and turns each page into lines.
#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
    glyphs: Vec<Glyph>,
    glyph_text: String,
    page_height: f64,
    total_bytes: usize,
    too_much: bool,
}

impl Collector {
    fn start(&mut self, _number: u32) {
        self.glyphs.clear();
        self.glyph_text.clear();
        self.page_height = 842.0;
    }

    fn finish(&mut self) {
        let lines = build_lines(&self.glyphs, &self.glyph_text);
        self.pages.push(Page { lines });
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        let height = media_box.ury - media_box.lly;
        self.page_height = if height.is_finite() && height > 0.0 {
            height
        } else {
            842.0
        };
        self.glyphs.clear();
        self.glyph_text.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.total_bytes += char.len();
        if self.total_bytes > MAX_TEXT_BYTES || self.glyphs.len() >= MAX_PAGE_GLYPHS {
            self.too_much = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // The rendered size: the font size scaled by the text-rendering matrix (as pdf-extract's
        // own plain-text output computes it).
        let sx = (font_size * trm.m11).hypot(font_size * trm.m12);
        let sy = (font_size * trm.m21).hypot(font_size * trm.m22);
        let mut size = (sx * sy).sqrt();
        if !size.is_finite() || size <= 0.01 {
            size = font_size.abs().clamp(1.0, 100.0);
        }
        let (x, y) = (trm.m31, self.page_height - trm.m32);
        let mut end = x + width * size;
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        if !end.is_finite() || end < x {
            end = x;
        }
        let start = self.glyph_text.len();
        for c in char.chars() {
            push_normalised(&mut self.glyph_text, c);
        }
        self.glyphs.push(Glyph {
            x,
            y,
            end,
            size,
            start,
            len: self.glyph_text.len() - start,
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Appends `c`, expanding typographic ligatures and dropping control characters, so search
/// finds "efficient" whether or not the font used an "ﬃ" glyph.
fn push_normalised(out: &mut String, c: char) {
    match c {
        'ﬀ' => out.push_str("ff"),
        'ﬁ' => out.push_str("fi"),
        'ﬂ' => out.push_str("fl"),
        'ﬃ' => out.push_str("ffi"),
        'ﬄ' => out.push_str("ffl"),
        'ﬅ' | 'ﬆ' => out.push_str("st"),
        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\t' => out.push(' '),
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' => {}
        c if c.is_control() => {}
        c => out.push(c),
    }
}

/// Groups glyphs, in content-stream order, into lines.
fn build_lines(glyphs: &[Glyph], text: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current: Option<Line> = None;
    let mut pending_space = false;
    for g in glyphs {
        let s = &text[g.start..g.start + g.len];
        if s.trim().is_empty() {
            pending_space = true;
            if let Some(line) = current.as_mut() {
                line.x1 = line.x1.max(g.end);
            }
            continue;
        }
        let same_line = current.as_ref().is_some_and(|line| {
            let tolerance = 0.5 * line.size.max(g.size);
            (g.y - line.y).abs() <= tolerance && g.x >= line.x1 - tolerance
        });
        if same_line {
            let line = current.as_mut().expect("checked above");
            let gap = g.x - line.x1;
            if (pending_space || gap > 0.15 * g.size.min(line.size)) && !line.text.ends_with(' ') {
                line.text.push(' ');
            }
            line.text.push_str(s);
            line.x1 = line.x1.max(g.end);
            line.size = line.size.max(g.size);
        } else {
            lines.extend(current.take());
            current = Some(Line {
                x0: g.x,
                x1: g.end,
                y: g.y,
                size: g.size,
                text: s.to_string(),
            });
        }
        pending_space = false;
    }
    lines.extend(current);
    for line in &mut lines {
        line.text = line.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    lines.retain(|l| !l.text.is_empty());
    lines
}

// ------------------------------------------------------------------------------------- layout

/// Removes furniture, assembles each page's paragraphs and joins the pages with "\n\n",
/// returning the text and the byte offset where each page starts.
fn layout(mut pages: Vec<Page>) -> (String, Vec<usize>) {
    remove_furniture(&mut pages);
    let vocabulary = vocabulary(&pages);
    let mut texts: Vec<String> = pages
        .iter()
        .map(|p| assemble_page(&p.lines, &vocabulary))
        .collect();
    rejoin_across_pages(&mut texts, &vocabulary);
    let mut text = String::new();
    let mut starts = Vec::with_capacity(texts.len());
    for (i, page) in texts.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        starts.push(text.len());
        text.push_str(page);
    }
    (text, starts)
}

/// Normalises a line for furniture matching: digits become `#`, case and spacing are ignored.
fn furniture_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// "3", "Page 3", "Page 3 of 12", "3 of 12", "3 | Page", "Page | 3", "- 3 -", "[3]", "iv".
pub(crate) fn is_page_number(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    let t = t.trim_matches(|c: char| matches!(c, '-' | '–' | '—' | '[' | ']' | '(' | ')' | ' '));
    if t.is_empty() {
        return false;
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '|' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| w.len() <= 5 && w.chars().all(|c| c.is_ascii_digit());
    let roman = |w: &str| w.len() <= 6 && w.chars().all(|c| "ivxlc".contains(c));
    match words.as_slice() {
        [n] => number(n) || roman(n),
        ["page" | "p." | "pg", n] | [n, "page"] => number(n) || roman(n),
        [n, "of", m] | ["page", n, "of", m] => number(n) && number(m),
        [n, m] if t.contains('/') => number(n) && number(m),
        _ => false,
    }
}

/// Drops running headers/footers and page numbers from the top and bottom of each page.
fn remove_furniture(pages: &mut [Page]) {
    const EDGE_LINES: usize = 3;
    // Indices of each page's edge lines: the top-most and bottom-most by position.
    let edges: Vec<Vec<usize>> = pages
        .iter()
        .map(|page| {
            let mut order: Vec<usize> = (0..page.lines.len()).collect();
            order.sort_by(|&a, &b| page.lines[a].y.total_cmp(&page.lines[b].y));
            let mut edge: Vec<usize> = order.iter().take(EDGE_LINES).copied().collect();
            edge.extend(order.iter().rev().take(EDGE_LINES));
            edge.sort_unstable();
            edge.dedup();
            edge
        })
        .collect();
    // For each candidate text: the pages it appears on and the heights it appears at.
    let mut seen: HashMap<String, (HashSet<usize>, f64, f64, f64)> = HashMap::new();
    for (p, page) in pages.iter().enumerate() {
        for &i in &edges[p] {
            let line = &page.lines[i];
            let entry = seen.entry(furniture_key(&line.text)).or_insert((
                HashSet::new(),
                f64::MAX,
                f64::MIN,
                0.0,
            ));
            entry.0.insert(p);
            entry.1 = entry.1.min(line.y);
            entry.2 = entry.2.max(line.y);
            entry.3 = f64::max(entry.3, line.size);
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    let running: HashSet<&String> = seen
        .iter()
        .filter(|(_, (on, low, high, size))| on.len() >= needed && high - low <= 3.0 * size)
        .map(|(key, _)| key)
        .collect();
    for (p, page) in pages.iter_mut().enumerate() {
        let drop: HashSet<usize> = edges[p]
            .iter()
            .copied()
            .filter(|&i| {
                let text = &page.lines[i].text;
                is_page_number(text) || running.contains(&furniture_key(text))
            })
            .collect();
        let mut i = 0;
        page.lines.retain(|_| {
            i += 1;
            !drop.contains(&(i - 1))
        });
    }
}

/// Lowercased words of the whole document (hyphenated compounds kept whole), used to decide
/// whether a line-end hyphen is a real one. The fragments either side of a line-end hyphen
/// ("inter-" / "ested") are left out: they are what is being decided.
fn vocabulary(pages: &[Page]) -> HashSet<String> {
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
fn word_core(word: &str) -> String {
    word.trim_matches(|c: char| !c.is_alphanumeric() && c != '-')
        .trim_start_matches('-')
        .to_lowercase()
}

/// Whether the line starts a list item; returns the text with a bullet glyph replaced by "- ".
fn list_item(text: &str) -> Option<String> {
    let first = text.chars().next()?;
    if BULLETS.contains(&first) || ((first == '–' || first == '-') && text[1..].starts_with(' '))
    {
        let rest = text[first.len_utf8()..].trim_start();
        return Some(format!("- {rest}"));
    }
    // "1." / "2)" / "(a)" / "a)" / "iv." numbered items keep their own marker. Only digits, one
    // letter or a short roman numeral count, so a wrapped "to. Risks were" is not an item.
    let marker = text.split_whitespace().next().unwrap_or("");
    let core = marker
        .strip_suffix(['.', ')'])
        .map(|m| m.strip_prefix('(').unwrap_or(m))
        .unwrap_or("");
    let numbered = !core.is_empty()
        && text.len() > marker.len()
        && ((core.len() <= 3 && core.chars().all(|c| c.is_ascii_digit()))
            || (core.len() == 1 && core.chars().all(|c| c.is_ascii_alphabetic()))
            || (core.len() <= 4 && core.chars().all(|c| "ivx".contains(c))));
    numbered.then(|| text.to_string())
}

fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(values[values.len() / 2])
}

/// Assembles one page's lines (content order) into paragraphs; see the module docs for rules.
fn assemble_page(lines: &[Line], vocabulary: &HashSet<String>) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let size = median(lines.iter().map(|l| l.size).collect()).unwrap_or(10.0);
    let gap = median(
        lines
            .windows(2)
            .map(|w| w[1].y - w[0].y)
            .filter(|&d| d > 0.3 * size && d < 3.0 * size)
            .collect(),
    )
    .unwrap_or(1.2 * size);
    // The right margin: the end of the longest lines. The 90th percentile ignores a stray line
    // that sticks out (a URL, a table).
    let mut ends: Vec<f64> = lines.iter().map(|l| l.x1).collect();
    ends.sort_by(f64::total_cmp);
    let right = ends[(ends.len() * 9 / 10).min(ends.len() - 1)];
    let left = lines.iter().map(|l| l.x0).fold(f64::MAX, f64::min);
    let slack = (2.5 * size).max(0.08 * (right - left));

    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let item = list_item(&line.text);
        let text = item.as_deref().unwrap_or(&line.text);
        if i == 0 {
            out.push_str(text);
            continue;
        }
        let prev = &lines[i - 1];
        let dy = line.y - prev.y;
        let big_gap = dy > 1.3 * gap.max(0.5 * size) || dy < -0.5 * prev.size.max(line.size);
        let starts_lower = text.chars().next().is_some_and(char::is_lowercase);
        let prev_full = prev.x1 >= right - slack;
        // A lowercase line after an unfinished one continues it even across a gap.
        let continues = starts_lower && !ends_sentence(&out);
        if big_gap && !continues {
            out.push_str("\n\n");
            out.push_str(text);
        } else if item.is_some() {
            out.push('\n');
            out.push_str(text);
        } else if prev_full || starts_lower || big_gap {
            join_wrapped(&mut out, text, vocabulary);
        } else {
            out.push('\n');
            out.push_str(text);
        }
    }
    out
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', ':', '"', '”', '’'])
}

/// Appends `next` to `out` as the continuation of a hard-wrapped line, rejoining a hyphenated
/// word when `out` ends with one.
fn join_wrapped(out: &mut String, next: &str, vocabulary: &HashSet<String>) {
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
fn keep_hyphen(fragment: &str, next: &str, vocabulary: &HashSet<String>) -> bool {
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
fn rejoin_across_pages(texts: &mut [String], vocabulary: &HashSet<String>) {
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

#[cfg(test)]
mod tests {
    use super::*;

    const LETTER: &[u8] = include_bytes!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/formats/letter.pdf"
    ));

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/data/formats/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn letter() -> Extracted {
        extract_pdf(LETTER).expect("letter.pdf extracts")
    }

    #[test]
    fn letter_has_pages_title_and_date() {
        let e = letter();
        assert!(e.pages.len() >= 3, "pages: {:?}", e.pages);
        assert_eq!(e.pages[0], 0);
        assert!(e.pages.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            e.title.as_deref(),
            Some("Regional review letter to the Greater Manchester Regional Probation Director")
        );
        assert_eq!(e.date.as_deref(), Some("2023-05-25"));
    }

    #[test]
    fn page_of_finds_sentences_on_their_pages() {
        let e = letter();
        let first = "Many thanks for the cooperation we received from you and your staff during \
                     the recent review of Probation Service – Greater Manchester region.";
        let at = e.text.find(first).unwrap_or_else(|| panic!("{}", e.text));
        assert_eq!(e.page_of(at), Some(1));
        let later = "Clear governance arrangements were in place, including through the \
                     operational senior leadership team (SLT)";
        let at = e.text.find(later).expect("a page 2 sentence");
        assert_eq!(e.page_of(at), Some(2));
        let last = e
            .text
            .rfind("Key areas for improvement:")
            .expect("a later heading");
        assert!(e.page_of(last).unwrap() >= 3);
    }

    #[test]
    fn running_header_and_page_numbers_are_gone() {
        let e = letter();
        assert!(
            !e.text
                .contains("Regional review letter to Greater Manchester RPD"),
            "{}",
            e.text
        );
        for line in e.text.lines() {
            assert!(!is_page_number(line), "page number line {line:?}");
        }
    }

    #[test]
    fn hyphenated_words_are_rejoined() {
        let e = letter();
        // Broken by LibreOffice's hyphenation in the fixture ("Proba-/tion", "qual-/ity",
        // "mit-/igations"; "responsib-/ility" straddles pages 1 and 2).
        for word in [
            "Regional Probation Director who provides",
            "regional quality improvement",
            "appropriate mitigations had",
            "has responsibility",
        ] {
            assert!(e.text.contains(word), "{word:?} missing from:\n{}", e.text);
        }
        // The word split across pages 1 and 2 is completed on page 1.
        assert!(e.text[..e.pages[1]]
            .trim_end()
            .ends_with("has responsibility"));
        assert!(e.text[e.pages[1]..].starts_with("for the overall commissioning"));
        // Real compounds keep their hyphen.
        assert!(e.text.contains("co-commissioned"));
        assert!(!e.text.contains("Proba-"));
    }

    #[test]
    fn wrapped_lines_become_one_paragraph_and_bullets_items() {
        let e = letter();
        assert!(e.text.contains(
            "Greater Manchester Probation Service (GMPS) was formed in June 2021, as one of 12 \
             probation regions across England and Wales."
        ));
        assert!(
            e.text
                .lines()
                .any(|l| l.starts_with("- Risks to service delivery were well")),
            "{}",
            e.text
        );
        assert!(e.text.lines().any(|l| l == "Leadership"));
    }

    #[test]
    fn broken_files_give_the_right_errors() {
        assert_eq!(
            extract_pdf(&fixture("encrypted.pdf")),
            Err(FormatError::Encrypted)
        );
        assert_eq!(
            extract_pdf(&fixture("scanned.pdf")),
            Err(FormatError::NoText)
        );
        assert!(matches!(
            extract_pdf(&fixture("truncated.pdf")),
            Err(FormatError::Damaged(_))
        ));
        assert_eq!(
            extract_pdf(&fixture("not-a-pdf.pdf")),
            Err(FormatError::NotPdf("an HTML page".into()))
        );
        assert_eq!(extract_pdf(b""), Err(FormatError::Empty));
    }

    #[test]
    fn mutated_letters_never_panic() {
        // xorshift: deterministic, no extra dependency.
        let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..50 {
            let mut bytes = LETTER.to_vec();
            if round % 3 == 0 {
                let cut = (next() as usize) % bytes.len();
                bytes.truncate(cut);
            } else {
                for _ in 0..1 + round % 16 {
                    let at = (next() as usize) % bytes.len();
                    bytes[at] ^= 1 << (next() % 8);
                }
            }
            // Any result is fine; returning at all (no panic escaping) is the test.
            let _ = extract_pdf(&bytes);
        }
    }

    #[test]
    fn page_numbers_are_recognised() {
        for yes in [
            "3",
            "Page 3",
            "Page 3 of 12",
            "3 of 12",
            "3 | Page",
            "- 3 -",
            "iv",
            "12/40",
        ] {
            assert!(is_page_number(yes), "{yes}");
        }
        for no in ["3 cases", "Page", "Leadership", "45%", "2023 report"] {
            assert!(!is_page_number(no), "{no}");
        }
    }

    #[test]
    fn dates_and_titles_are_cleaned() {
        assert_eq!(
            pdf_date("D:20230525090000+01'00'").as_deref(),
            Some("2023-05-25")
        );
        assert_eq!(pdf_date("20230525").as_deref(), Some("2023-05-25"));
        assert_eq!(pdf_date("D:2023"), None);
        assert_eq!(pdf_date("D:20231345"), None);
        assert_eq!(clean_title("Microsoft Word - letter.docx"), None);
        assert_eq!(clean_title("  A   title "), Some("A title".into()));
        assert_eq!(decode_text_string(b"\xFE\xFF\x00A\x20\x19"), "A’");
        assert_eq!(decode_text_string(b"caf\xE9 \x90"), "café ’");
    }

    #[test]
    fn hyphen_rules() {
        let vocab: HashSet<String> = ["well-being", "information", "assessment", "offending"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let join = |a: &str, b: &str| {
            let mut s = a.to_string();
            join_wrapped(&mut s, b, &vocab);
            s
        };
        assert_eq!(join("the informa-", "tion was"), "the information was");
        assert_eq!(join("staff well-", "being"), "staff well-being");
        assert_eq!(join("a self-", "assessment"), "a self-assessment");
        assert_eq!(join("to re-", "view"), "to review");
        assert_eq!(join("of re-", "offending"), "of re-offending");
        assert_eq!(join("pre-", "Covid levels"), "pre-Covid levels");
        assert_eq!(join("soft\u{AD}", "ware"), "software");
        assert_eq!(join("in 2020 –", "21"), "in 2020 – 21");
        assert_eq!(join("one-to-", "one work"), "one-to-one work");
        assert_eq!(join("were inter-", "ested"), "were interested");
        assert_eq!(join("plain", "text"), "plain text");
    }

    #[test]
    fn list_items_are_recognised() {
        assert_eq!(list_item("• Risks were"), Some("- Risks were".into()));
        assert_eq!(list_item("\u{F0B7} item"), Some("- item".into()));
        assert_eq!(list_item("1. Ensure"), Some("1. Ensure".into()));
        assert_eq!(list_item("Leadership"), None);
        assert_eq!(list_item("2023. The"), None);
        assert_eq!(list_item("to. Risks"), None);
        assert_eq!(list_item("(b) item"), Some("(b) item".into()));
        assert_eq!(list_item("iv. item"), Some("iv. item".into()));
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]
            #[test]
            fn pdf_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
                let _ = extract_pdf(&bytes);
                // With a header and an end marker, so the bytes reach the parser.
                let mut framed = b"%PDF-1.4\n".to_vec();
                framed.extend_from_slice(&bytes);
                framed.extend_from_slice(b"\n%%EOF\n");
                let _ = extract_pdf(&framed);
            }
        }
    }
}
