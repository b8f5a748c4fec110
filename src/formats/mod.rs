//! Text extraction from report formats other than plain text: PDF ([`pdf`]) and HTML ([`html`]).
//!
//! This module owns the shared result type ([`Extracted`]: text plus page starts, title and
//! date) and the error type ([`FormatError`]) whose messages tell the user what to do with a file
//! themis cannot read. Each submodule owns one format and turns a file's bytes into text shaped
//! for the segmenter: paragraphs on their own lines, blank lines between blocks, headings as
//! lines of their own, `- ` bullets and `| a | b |` table rows.
//!
//! Both extractors take bytes, never a path, do no I/O, and never panic: malformed input comes
//! back as a [`FormatError`].

pub mod html;
pub mod pdf;

pub use html::extract_html;
pub use pdf::extract_pdf;

/// Text extracted from a PDF or HTML report, ready for segmentation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// The document's text: paragraphs on their own lines, blocks separated by blank lines.
    pub text: String,
    /// Byte offset in `text` where each page starts (page 1 = `pages[0]` = 0); pages are
    /// separated by "\n\n". Empty for HTML, which has no pages.
    pub pages: Vec<usize>,
    /// The PDF's Info `Title`, or the HTML `<title>` (else its first `<h1>`), when present.
    pub title: Option<String>,
    /// The PDF's `CreationDate` (else `ModDate`), or an HTML meta date, as ISO `yyyy-mm-dd`.
    pub date: Option<String>,
}

impl Extracted {
    /// The 1-based page holding byte `offset` of `text`; `None` for HTML (no pages) or an
    /// offset past the end of the text.
    pub fn page_of(&self, offset: usize) -> Option<u32> {
        if self.pages.is_empty() || offset > self.text.len() {
            return None;
        }
        // The last page start not after `offset`: the page starts are sorted ascending.
        let page = self.pages.partition_point(|&start| start <= offset);
        u32::try_from(page.max(1)).ok()
    }

    /// Number of pages (0 for HTML).
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }
}

/// Why a PDF or HTML file could not be turned into text. The messages are written for the
/// person running themis and say what to do about the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormatError {
    /// The PDF needs a password to open.
    #[error("the PDF is encrypted; save an unencrypted copy and index that")]
    Encrypted,
    /// The PDF has pages but (next to) no extractable text: a scan or a picture of text.
    #[error(
        "the PDF has no text layer (a scanned document?); it needs OCR before themis can read it"
    )]
    NoText,
    /// The file is structurally broken (truncated download, corrupt cross-reference table, …).
    #[error("the file is damaged or truncated: {0}")]
    Damaged(String),
    /// A `.pdf` file whose bytes are something else; the payload describes what it looks like.
    #[error("the file is not a PDF despite its .pdf extension (it starts like {0})")]
    NotPdf(String),
    /// An `.html` file whose bytes are binary (a PDF, an image, a zip, …), not markup.
    #[error("the file is not HTML despite its extension (it starts like {0})")]
    NotHtml(String),
    /// The file is beyond what themis reads from one document (text or page limits).
    #[error("the file is too large to read: {0}")]
    TooLarge(String),
    /// The file has no bytes at all (or only whitespace).
    #[error("the file is empty")]
    Empty,
}

/// The first position of `needle` in `haystack` (a byte scan for markers in files read as
/// bytes: `%%EOF` in a PDF, `<meta` in a web page).
pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A short, printable description of how `bytes` start, for [`FormatError::NotPdf`] and
/// [`FormatError::NotHtml`]: a known signature's name, else the first few characters quoted.
pub(crate) fn describe_start(bytes: &[u8]) -> String {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF"),
        (b"PK\x03\x04", "a zip archive or Office document"),
        (b"\xD0\xCF\x11\xE0", "an old Office document"),
        (b"\x89PNG", "a PNG image"),
        (b"\xFF\xD8\xFF", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1F\x8B", "a gzip archive"),
        (b"{\\rtf", "an RTF document"),
    ];
    let head = &bytes[..bytes.len().min(512)];
    let trimmed = trim_ascii_start(head);
    for (sig, name) in SIGNATURES {
        if trimmed.starts_with(sig) {
            return (*name).to_string();
        }
    }
    let lower: Vec<u8> = trimmed
        .iter()
        .take(64)
        .map(u8::to_ascii_lowercase)
        .collect();
    if lower.starts_with(b"<!doctype html") || lower.starts_with(b"<html") {
        return "an HTML page".to_string();
    }
    if lower.starts_with(b"<?xml") {
        return "an XML document".to_string();
    }
    let sample: String = String::from_utf8_lossy(&trimmed[..trimmed.len().min(24)])
        .chars()
        .map(|c| if c.is_control() { '.' } else { c })
        .collect();
    format!("{sample:?}")
}

/// `bytes` without leading ASCII whitespace and a UTF-8 byte-order mark.
pub(crate) fn trim_ascii_start(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    &bytes[start..]
}

/// Validates a calendar date and formats it as ISO `yyyy-mm-dd`.
pub(crate) fn iso_date(year: u32, month: u32, day: u32) -> Option<String> {
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1000..=9999).contains(&year) && (1..=days).contains(&day))
        .then(|| format!("{year:04}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_of_maps_offsets_to_pages() {
        let e = Extracted {
            text: "one\n\ntwo\n\nthree".into(),
            pages: vec![0, 5, 10],
            title: None,
            date: None,
        };
        assert_eq!(e.page_of(0), Some(1));
        assert_eq!(e.page_of(4), Some(1));
        assert_eq!(e.page_of(5), Some(2));
        assert_eq!(e.page_of(12), Some(3));
        assert_eq!(e.page_of(15), Some(3));
        assert_eq!(e.page_of(16), None);
        let html = Extracted { pages: vec![], ..e };
        assert_eq!(html.page_of(0), None);
    }

    #[test]
    fn describes_file_starts() {
        assert_eq!(describe_start(b"\n<!DOCTYPE html><html>"), "an HTML page");
        assert_eq!(
            describe_start(b"PK\x03\x04rest"),
            "a zip archive or Office document"
        );
        assert_eq!(describe_start(b"hello\x00world"), "\"hello.world\"");
    }

    #[test]
    fn validates_dates() {
        assert_eq!(iso_date(2024, 2, 29).as_deref(), Some("2024-02-29"));
        assert_eq!(iso_date(2023, 2, 29), None);
        assert_eq!(iso_date(2023, 13, 1), None);
    }
}
