//! Decoding an HTML file's bytes to text: a BOM, else a `<meta charset>` declaration found by
//! a byte scan, else UTF-8 when valid, else Windows-1252; binary files refused.

use super::super::{describe_start, find, FormatError};

/// How far into the file we look for a `<meta charset>` (the HTML standard says 1024 bytes).
pub(super) const CHARSET_SNIFF_BYTES: usize = 1024;

/// Decodes the page: a BOM wins, then a `<meta charset>` / `http-equiv` declaration, then
/// UTF-8 if the bytes are valid UTF-8, else Windows-1252 (what browsers assume for legacy pages).
pub(super) fn decode(bytes: &[u8]) -> Result<String, FormatError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(text.into_owned());
    }
    let head = &bytes[..bytes.len().min(8192)];
    // NUL bytes never occur in an 8-bit or UTF-8 web page; they mean binary content (a PDF,
    // an image, an Office file) saved with an .html name.
    if head.contains(&0) || is_binary_sig(bytes) {
        return Err(FormatError::NotHtml(describe_start(bytes)));
    }
    let declared = sniff_charset(&bytes[..bytes.len().min(CHARSET_SNIFF_BYTES)])
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        // A page cannot really be UTF-16 if its meta was readable as ASCII (HTML standard).
        .map(|e| {
            if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                e
            }
        });
    let encoding = match declared {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(text.into_owned())
}

pub(super) fn is_binary_sig(bytes: &[u8]) -> bool {
    let d = describe_start(bytes);
    !d.starts_with('"') && d != "an HTML page" && d != "an XML document"
}

/// The charset label of the first `<meta charset=…>` or `<meta http-equiv=Content-Type
/// content="…; charset=…">` in `head`, by a byte scan (the real parser needs the text decoded).
pub(super) fn sniff_charset(head: &[u8]) -> Option<String> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(at) = find(tag, b"charset") {
            let rest = &tag[at + b"charset".len()..];
            let rest = rest
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .copied()
                .collect::<Vec<u8>>();
            if let Some(value) = rest.strip_prefix(b"=") {
                let label: String = value
                    .iter()
                    .skip_while(|b| b.is_ascii_whitespace() || **b == b'"' || **b == b'\'')
                    .take_while(|b| !b.is_ascii_whitespace() && !b"\"';/>".contains(b))
                    .map(|&b| char::from(b))
                    .collect();
                if !label.is_empty() {
                    return Some(label);
                }
            }
        }
        from = end.max(start + 1);
    }
    None
}
