//! Normalising and splitting one span of text into words, by two paths that give the same
//! words: a fast path on bytes for ASCII (plus typographic apostrophes), where normalisation is
//! lowercasing and folding, and the HuggingFace normaliser for any other text, whose word ranges
//! are mapped back to the original through its alignments. The byte classes here also say
//! where words can end, for the tokenizer's joining of prepared tokens.

use tokenizers::normalizers::strip::StripAccents;
use tokenizers::tokenizer::normalizer::Range;
use tokenizers::{NormalizedString, Normalizer};

use super::chain::Emit;
use super::stem_cache::emit_word;

/// [`BYTE_CLASS`]: ASCII that is not a letter/digit and not one of the two in-word joiners
/// `'` and `.`.
const SEPARATOR: u8 = 1;
/// [`BYTE_CLASS`]: an ASCII letter or digit.
const ALPHANUMERIC: u8 = 2;
/// [`BYTE_CLASS`]: an ASCII uppercase letter.
const UPPERCASE: u8 = 4;

/// What each byte is, for the scanners below, which look at every byte of every sentence: one
/// load instead of a chain of range tests. Non-ASCII bytes are none of these.
static BYTE_CLASS: [u8; 256] = {
    let mut class = [0u8; 256];
    let mut b = 0;
    while b < 0x80 {
        let byte = b as u8;
        class[b] = if byte.is_ascii_alphanumeric() {
            ALPHANUMERIC
                | if byte.is_ascii_uppercase() {
                    UPPERCASE
                } else {
                    0
                }
        } else if byte == b'\'' || byte == b'.' {
            0
        } else {
            SEPARATOR
        };
        b += 1;
    }
    class
};

/// Bytes that always end a word and that both paths treat identically: ASCII that is not a
/// letter/digit and not one of the two in-word joiners `'` and `.`.
#[inline]
pub(super) fn is_ascii_separator(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & SEPARATOR != 0
}

#[inline]
pub(super) fn is_alphanumeric(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & ALPHANUMERIC != 0
}

/// Length of a span separator starting at `s[i]`, or 0.
///
/// Besides ASCII separators this recognises a few non-ASCII characters that are common in
/// reports and that normalise to non-word characters which cannot join or compose with a
/// neighbour: dashes U+2010–2015 and minus U+2212 (folded to `-`), NBSP (NFKC: space),
/// “ ” « » • and … (NFKC: `...`, which cannot form a decimal). Cutting spans at them keeps
/// "information–sharing" on the fast path.
#[inline]
pub(super) fn separator_len(s: &[u8], i: usize) -> usize {
    let b = s[i];
    if b < 0x80 {
        return usize::from(is_ascii_separator(b));
    }
    match (b, s.get(i + 1), s.get(i + 2)) {
        (0xC2, Some(0xA0 | 0xAB | 0xBB), _) => 2,
        (0xE2, Some(0x80), Some(0x90..=0x95 | 0x9C | 0x9D | 0xA2 | 0xA6)) => 3,
        (0xE2, Some(0x88), Some(0x92)) => 3,
        _ => 0,
    }
}

/// Length of an apostrophe starting at `s[i]`, or 0: ASCII `'`, or one of ‘ ’ ‛ ′ ʼ which
/// the normaliser folds to `'` (none of them has a compatibility decomposition, so folding
/// them directly gives the same result as the HF path).
#[inline]
pub(super) fn apostrophe_len(s: &[u8], i: usize) -> usize {
    match (s[i], s.get(i + 1), s.get(i + 2)) {
        (b'\'', _, _) => 1,
        (0xE2, Some(0x80), Some(0x98 | 0x99 | 0x9B | 0xB2)) => 3,
        (0xCA, Some(0xBC), _) => 2,
        _ => 0,
    }
}

/// Fast path: a span of ASCII plus typographic apostrophes. Normalisation is ASCII
/// lowercasing and apostrophe folding, so offsets in the span are offsets in the original.
pub(super) fn fast_span(span: &str, base: usize, lower: &mut String, emit: &mut Emit<'_>) {
    let s = span.as_bytes();
    let n = s.len();
    let mut i = 0;
    while i < n {
        // Continuation bytes of a multi-byte apostrophe are not alphanumeric, so skipping
        // byte by byte is safe.
        if !is_alphanumeric(s[i]) {
            i += 1;
            continue;
        }
        let start = i;
        // The word is its own term as written unless it has a typographic apostrophe
        // (`plain` false) or an uppercase letter (`uppercase` non-zero).
        let mut plain = true;
        let mut uppercase = 0;
        loop {
            while i < n && is_alphanumeric(s[i]) {
                uppercase |= BYTE_CLASS[usize::from(s[i])] & UPPERCASE;
                i += 1;
            }
            // Here s[i - 1] is a letter/digit; a joiner continues the word only if another
            // letter/digit follows it.
            if i < n {
                let apostrophe = apostrophe_len(s, i);
                if apostrophe > 0 && i + apostrophe < n && is_alphanumeric(s[i + apostrophe]) {
                    plain &= apostrophe == 1;
                    i += apostrophe;
                    continue;
                }
                if s[i] == b'.'
                    && i + 1 < n
                    && s[i - 1].is_ascii_digit()
                    && s[i + 1].is_ascii_digit()
                {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        let word = if plain && uppercase == 0 {
            &span[start..i]
        } else {
            lower.clear();
            let mut j = start;
            while j < i {
                if s[j] < 0x80 {
                    lower.push(char::from(s[j].to_ascii_lowercase()));
                    j += 1;
                } else {
                    lower.push('\'');
                    j += apostrophe_len(s, j).max(1);
                }
            }
            lower.as_str()
        };
        emit_word(word, base + start, base + i, emit);
    }
}

/// Full path: a span containing other non-ASCII text goes through the HF normaliser, is
/// split into words on the normalised text, and each word's range is mapped back to the
/// original text through the normaliser's alignments (the same mapping
/// `PreTokenizedString::get_splits(OffsetReferential::Original, OffsetType::Byte)` uses).
pub(super) fn hf_span(span: &str, base: usize, emit: &mut Emit<'_>) {
    let Some(n) = normalize_hf(span) else {
        return;
    };
    let norm = n.get();
    let mut last_start = 0;
    unicode_words(norm, |r| {
        let Some(orig) = n.convert_offsets(Range::Normalized(r.clone())) else {
            return;
        };
        // Original chars between the word and whatever produced the next normalised char
        // vanished in normalisation (combining marks: NFKC composition aligns "e\u{301}"
        // to the base letter only, and accent stripping then drops the mark). They belong
        // to the word, so "cafe\u{301}" is covered whole.
        let next = if r.end < norm.len() {
            n.convert_offsets(Range::Normalized(r.end..r.end + 1))
                .map_or(orig.end, |x| x.start)
        } else {
            span.len()
        };
        let (from, to) = (orig.start, orig.end.max(next));
        // Defensive: never hand out offsets that would make a caller's slice panic.
        if from >= to
            || to > span.len()
            || !span.is_char_boundary(from)
            || !span.is_char_boundary(to)
            || from < last_start
        {
            return;
        }
        last_start = from;
        emit_word(&norm[r], base + from, base + to, emit);
    });
}

/// HF normalisation of one span; `None` only if a normaliser reports an error.
///
/// NFKD + fold + lowercase + drop combining marks + NFC is NFKC with accents stripped, in
/// one decomposition pass fewer than NFKC followed by NFD.
fn normalize_hf(span: &str) -> Option<NormalizedString> {
    let mut n = NormalizedString::from(span);
    n.nfkd();
    n.map(fold_punctuation);
    n.lowercase();
    StripAccents.normalize(&mut n).ok()?;
    // Recompose what is left (Hangul syllables, scripts whose marks are not stripped);
    // accent-folded Latin text is ASCII by now and needs no pass.
    if !n.get().is_ascii() {
        n.nfc();
    }
    Some(n)
}

/// Folds typographic apostrophes/primes to `'` and dashes to `-`, so "children’s" is one
/// word like "children's" and "information–sharing" splits like "information-sharing".
fn fold_punctuation(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' => '\'',
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
        _ => c,
    }
}

/// Word splitting on normalised text: the same rules as [`fast_span`], with Unicode
/// letter/digit classes. Calls `f` with the byte range of each word.
fn unicode_words(s: &str, mut f: impl FnMut(std::ops::Range<usize>)) {
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let n = chars.len();
    let mut i = 0;
    while i < n {
        if !chars[i].1.is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = chars[i].0;
        loop {
            while i < n && chars[i].1.is_alphanumeric() {
                i += 1;
            }
            if i + 1 < n {
                let next = chars[i + 1].1;
                let joins = match chars[i].1 {
                    '\'' => next.is_alphanumeric(),
                    '.' => chars[i - 1].1.is_numeric() && next.is_numeric(),
                    _ => false,
                };
                if joins {
                    i += 1;
                    continue;
                }
            }
            break;
        }
        let end = chars.get(i).map_or(s.len(), |&(b, _)| b);
        f(start..end);
    }
}
