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

mod document;
mod furniture;
mod glyphs;
mod hyphens;
mod layout;
#[cfg(test)]
mod tests;

use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_extract::Document;

use super::{describe_start, find, Extracted, FormatError};
use document::{clean_title, ensure_media_box, info_string, pdf_date, rewrite_quote_operators};
use glyphs::Collector;
use layout::layout;

/// We refuse to collect more text than this from one PDF: it bounds memory for hostile files
/// (real inspection reports hold well under 1 MiB of text).
const MAX_TEXT_BYTES: usize = 64 * 1024 * 1024;

/// Bound on the glyphs kept for one page, for the same reason (a dense A4 page has ~5,000).
const MAX_PAGE_GLYPHS: usize = 2_000_000;

/// A file whose last bytes hold no `%%EOF` within this distance is taken as truncated.
const EOF_WINDOW: usize = 2048;

/// Average alphanumeric characters per page below which a PDF counts as having no text layer.
const MIN_ALNUM_PER_PAGE: usize = 10;

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

fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace() && *b != 0)
        .map_or(0, |i| i + 1);
    &bytes[..end]
}
