//! Document structure read through `lopdf`: the Info title and date, a missing MediaBox, and
//! the `'`/`"` text operators rewritten so `pdf-extract` sees every line.

use pdf_extract::{Document, Object};

use crate::formats::iso_date;

/// A string from the Info dictionary, decoded (UTF-16 with BOM, UTF-8 with BOM, else
/// PDFDocEncoding).
pub(super) fn info_string(doc: &Document, key: &[u8]) -> Option<String> {
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
pub(super) fn decode_text_string(bytes: &[u8]) -> String {
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
pub(super) fn pdf_doc_char(b: u8) -> char {
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
pub(super) fn clean_title(raw: &str) -> Option<String> {
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
pub(super) fn pdf_date(raw: &str) -> Option<String> {
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
pub(super) fn ensure_media_box(doc: &mut Document, page: pdf_extract::ObjectId) {
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
pub(super) fn rewrite_quote_operators(doc: &mut Document, page: pdf_extract::ObjectId) {
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
