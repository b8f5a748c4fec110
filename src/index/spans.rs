//! Where every sentence of a passage starts and ends (and, for PDFs, its page), stored with the
//! passage as a few bytes: what `themis export --unit sentence` needs to cut a passage's text
//! into its sentences without reading the source again. The passage's stored tags cover tagged
//! sentences only, and re-segmenting a passage's text alone would not cut it as the whole
//! report was cut (headings, list items and paragraph context decide the boundaries).
//!
//! Each sentence is two LEB128 numbers, the gap from the previous sentence's end (the passage
//! start for the first) and its length, plus, when the report has pages, how many pages after
//! the passage's page it starts: about three bytes a sentence, where two `u64` fields would
//! take eighteen.

/// One sentence of a passage: file offsets, and its 1-based page for paged reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentenceSpan {
    /// Byte offset of its start in the file (or the extracted text).
    pub start: usize,
    /// Byte offset of its end.
    pub end: usize,
    /// The page it starts on (PDF reports only).
    pub page: Option<u32>,
}

/// The first byte: whether pages follow each span.
const WITHOUT_PAGES: u8 = 0;
const WITH_PAGES: u8 = 1;

/// Encodes the sentences of a passage starting at `passage_start` on `passage_page`. Spans
/// must be in order, not overlapping, and start at or after the passage start (a passage is a
/// run of its paragraph's sentences, so they are).
pub fn encode(passage_start: usize, passage_page: Option<u32>, spans: &[SentenceSpan]) -> Vec<u8> {
    let paged = passage_page.is_some();
    let mut out = Vec::with_capacity(1 + spans.len() * 3);
    out.push(if paged { WITH_PAGES } else { WITHOUT_PAGES });
    let mut at = passage_start;
    for span in spans {
        push_varint(&mut out, span.start.saturating_sub(at) as u64);
        push_varint(&mut out, span.end.saturating_sub(span.start) as u64);
        if let Some(base) = passage_page {
            push_varint(
                &mut out,
                u64::from(span.page.unwrap_or(base).saturating_sub(base)),
            );
        }
        at = span.end;
    }
    out
}

/// Decodes what [`encode`] made; `None` when the bytes are damaged.
pub fn decode(
    passage_start: usize,
    passage_page: Option<u32>,
    bytes: &[u8],
) -> Option<Vec<SentenceSpan>> {
    let (&flag, mut rest) = bytes.split_first()?;
    let paged = match flag {
        WITHOUT_PAGES => false,
        WITH_PAGES => true,
        _ => return None,
    };
    let mut spans = Vec::new();
    let mut at = passage_start;
    while !rest.is_empty() {
        let start = at.checked_add(usize::try_from(take_varint(&mut rest)?).ok()?)?;
        let end = start.checked_add(usize::try_from(take_varint(&mut rest)?).ok()?)?;
        let page = if paged {
            let delta = u32::try_from(take_varint(&mut rest)?).ok()?;
            Some(passage_page.unwrap_or(1).checked_add(delta)?)
        } else {
            None
        };
        spans.push(SentenceSpan { start, end, page });
        at = end;
    }
    Some(spans)
}

fn push_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn take_varint(bytes: &mut &[u8]) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let (&byte, rest) = bytes.split_first()?;
        *bytes = rest;
        value |= u64::from(byte & 0x7f).checked_shl(shift)?;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn span(start: usize, end: usize, page: Option<u32>) -> SentenceSpan {
        SentenceSpan { start, end, page }
    }

    #[test]
    fn test_spans_round_trip_with_and_without_pages() {
        let plain = [span(100, 180, None), span(181, 400, None)];
        let bytes = encode(100, None, &plain);
        assert_eq!(bytes.len(), 1 + 2 + 3, "one byte per small number");
        assert_eq!(decode(100, None, &bytes).unwrap(), plain);
        let paged = [span(7, 9, Some(3)), span(10, 300, Some(4))];
        assert_eq!(
            decode(7, Some(3), &encode(7, Some(3), &paged)).unwrap(),
            paged
        );
    }

    #[test]
    fn test_damaged_bytes_are_none_not_a_panic() {
        assert_eq!(decode(0, None, &[]), None);
        assert_eq!(decode(0, None, &[9]), None, "unknown flag");
        assert_eq!(decode(0, None, &[0, 0x80]), None, "cut varint");
        let endless = [0xffu8; 12];
        assert_eq!(decode(0, None, &[&[0u8][..], &endless].concat()), None);
        assert_eq!(decode(usize::MAX, None, &[0, 5, 1]), None, "overflow");
    }

    proptest! {
        #[test]
        fn prop_encode_decode_round_trip(
            start in 0usize..1 << 40,
            pieces in proptest::collection::vec((0usize..5000, 0usize..100_000, 0u32..3), 0..20),
            paged in any::<bool>(),
        ) {
            let base_page = paged.then_some(2u32);
            let mut at = start;
            let mut page = base_page;
            let mut spans = Vec::new();
            for (gap, len, turn) in pieces {
                page = page.map(|p| p + turn);
                spans.push(span(at + gap, at + gap + len, page));
                at += gap + len;
            }
            let bytes = encode(start, base_page, &spans);
            prop_assert_eq!(decode(start, base_page, &bytes), Some(spans));
        }
    }
}
