//! The one text-analysis chain of themis.
//!
//! This module owns the mapping from raw report text to index terms. The indexer registers
//! it as a tantivy tokenizer ([`register`]), the query parser and snippet generator re-run it
//! through that registration, and the theme tagger calls [`analyze_into`] / [`terms`]
//! directly. Because all three go through the same code, what is indexed, what is tagged and
//! what is searched are always the same tokens.
//!
//! # Chain
//! 1. **Normalise** with the HuggingFace `tokenizers` crate (`NormalizedString`): NFKC,
//!    curly apostrophes/primes folded to `'`, dashes folded to `-`, lowercase, accents
//!    stripped (drop combining marks after decomposition, then recompose). Word ranges in
//!    the normalised text are mapped back to UTF-8 byte offsets in the original text through
//!    the normaliser's alignments (what `OffsetReferential::Original` + `OffsetType::Byte`
//!    give), widened over trailing combining marks so the whole source word is covered.
//! 2. **Split into words**: a word is a run of letters/digits; an apostrophe between two
//!    letters/digits stays inside the word (`children's`), a `.` between two digits stays
//!    inside the number (`5.6`); everything else (hyphens, `%`, punctuation, symbols)
//!    separates words and is dropped.
//! 3. **Stem** ASCII words with the Snowball English stemmer (`rust_stemmers`). There is no
//!    stop-word removal: phrase queries and negations ("no delays") need every word.
//!    Words longer than [`MAX_TERM_BYTES`] after normalisation are dropped as junk.
//! 4. **Positions** are consecutive integers over the kept tokens.
//!
//! # Why there is a fast path
//! `NormalizedString` keeps a per-byte alignment table through every transformation, which
//! makes a naive HF chain about 4x slower than tantivy's own analyser. Report text is almost
//! entirely ASCII, and for ASCII the whole normalisation is the identity apart from
//! lowercasing. So the text is first cut into *spans* at separators: ASCII whitespace and
//! punctuation other than the in-word joiners `'` and `.`, plus a few common non-ASCII
//! separators (dashes, NBSP, curly double quotes, bullets, ellipsis) that normalise to
//! characters that can neither be part of a word nor compose with a neighbour. A span of
//! ASCII plus typographic apostrophes is lowercased, folded and split directly on bytes;
//! only spans with any other non-ASCII character go through the HF normaliser. Tests (unit
//! and proptest) force the HF path on such text and assert both paths agree exactly.
//!
//! After splitting, Snowball stemming is the main cost, so stems are memoised in a small
//! per-thread cache (report vocabulary is small and repetitive).
//!
//! # Note for query callers
//! `'` is a quote character in tantivy's query grammar, so a bare `children's` fails to
//! parse (`SyntaxError`); `"children's"`, `children\'s`, `children’s` and `childrens` all
//! find "children’s services".

use std::borrow::Cow;
use std::cell::RefCell;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{PoisonError, RwLock};

use once_cell::sync::Lazy;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;
use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};
use tokenizers::normalizers::strip::StripAccents;
use tokenizers::tokenizer::normalizer::Range;
use tokenizers::{NormalizedString, Normalizer};

/// Name under which the analyser is registered on a tantivy index.
pub const TOKENIZER_NAME: &str = "themis";

/// Words whose normalised form is longer than this many bytes are dropped (URLs, base64,
/// table rubble). They do not consume a position.
pub const MAX_TERM_BYTES: usize = 40;

/// The English stemmer is not `Clone`, so one shared instance serves every caller.
static STEMMER: Lazy<Stemmer> = Lazy::new(|| Stemmer::create(Algorithm::English));

/// One analysed word.
#[derive(Debug, Clone)]
pub struct AnalyzedToken {
    /// Normalised and stemmed term, as stored in the index.
    pub term: String,
    /// UTF-8 byte offset of the start of the source word in the original text.
    pub start: usize,
    /// UTF-8 byte offset one past the end of the source word in the original text.
    pub end: usize,
    /// Position of the token among the kept tokens (0, 1, 2, ...).
    pub position: usize,
    /// The term's id in the term table, as the analyser found it (see [`TermStamp`]).
    pub(crate) stamp: TermStamp,
}

/// Tokens are equal when they say the same thing about the text; how far the term id was
/// looked up is bookkeeping.
impl PartialEq for AnalyzedToken {
    fn eq(&self, other: &Self) -> bool {
        (&self.term, self.start, self.end, self.position)
            == (&other.term, other.start, other.end, other.position)
    }
}

impl Eq for AnalyzedToken {}

impl AnalyzedToken {
    /// A token whose term id has not been looked up.
    pub fn new(term: impl Into<String>, start: usize, end: usize, position: usize) -> Self {
        AnalyzedToken {
            term: term.into(),
            start,
            end,
            position,
            stamp: TermStamp::UNRESOLVED,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Term ids

/// Every term a theme rule, cue or negation setting mentions, with its id: matching compares
/// integers. The table is process-wide and ids are never reused, so rules compiled for
/// different taxonomies (or on their own, in tests) can be matched against any sentence.
static TERM_IDS: Lazy<RwLock<FxHashMap<Box<str>, u32>>> = Lazy::new(Default::default);

/// How many terms [`TERM_IDS`] holds. It only grows, and is raised under the table's write
/// lock after the new term is in.
static TERM_COUNT: AtomicU32 = AtomicU32::new(0);

/// The id of a term no rule mentions.
pub(crate) const UNKNOWN_TERM: u32 = u32::MAX;

/// The id of `term`, assigning the next free one the first time it is seen.
pub(crate) fn intern(term: &str) -> u32 {
    if let Some(&id) = TERM_IDS
        .read()
        .unwrap_or_else(PoisonError::into_inner)
        .get(term)
    {
        return id;
    }
    let mut ids = TERM_IDS.write().unwrap_or_else(PoisonError::into_inner);
    let next = u32::try_from(ids.len()).unwrap_or(UNKNOWN_TERM - 1);
    let id = *ids.entry(term.into()).or_insert(next);
    TERM_COUNT.store(ids.len() as u32, Ordering::Release);
    id
}

/// The id of every term among `terms` that is in the table.
pub(crate) fn known_term_ids<'t>(terms: impl IntoIterator<Item = &'t str>) -> Vec<u32> {
    let ids = TERM_IDS.read().unwrap_or_else(PoisonError::into_inner);
    terms
        .into_iter()
        .filter_map(|term| ids.get(term).copied())
        .collect()
}

fn term_count() -> u32 {
    TERM_COUNT.load(Ordering::Acquire)
}

/// A term's id as it was looked up, with the size of the table then. Looking ids up while
/// analysing costs nothing extra for words in the stem cache, which remembers them, and spares
/// the tagger a hash lookup per token. A known id stays right for ever; "unknown" only until
/// the table grows (a taxonomy compiled after the text was analysed may name the term).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TermStamp {
    id: u32,
    count: u32,
}

impl TermStamp {
    /// Not looked up (the table never holds `u32::MAX` terms).
    pub(crate) const UNRESOLVED: TermStamp = TermStamp {
        id: UNKNOWN_TERM,
        count: u32::MAX,
    };

    /// Looks `term` up now.
    fn of(term: &str) -> TermStamp {
        // The count is read before the lookup: if it is unchanged later, no term was added
        // since, so an unknown term is still unknown.
        let count = term_count();
        let id = TERM_IDS
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(term)
            .copied()
            .unwrap_or(UNKNOWN_TERM);
        TermStamp { id, count }
    }

    /// The id, if the stamp still holds when the table has `count_now` terms.
    fn id(self, count_now: u32) -> Option<u32> {
        (self.id != UNKNOWN_TERM || self.count == count_now).then_some(self.id)
    }
}

/// The ids of the tokens' terms ([`UNKNOWN_TERM`] for terms no rule mentions) into `out`;
/// returns a bound on the ids (every id in `out` other than [`UNKNOWN_TERM`] is below it).
pub(crate) fn term_ids_into(tokens: &[AnalyzedToken], out: &mut Vec<u32>) -> usize {
    let count = term_count();
    let mut stale = false;
    out.clear();
    out.extend(tokens.iter().map(|t| {
        t.stamp.id(count).unwrap_or_else(|| {
            stale = true;
            UNKNOWN_TERM
        })
    }));
    if !stale {
        return count as usize;
    }
    let ids = TERM_IDS.read().unwrap_or_else(PoisonError::into_inner);
    for (id, token) in out.iter_mut().zip(tokens) {
        if token.stamp.id(count).is_none() {
            *id = ids
                .get(token.term.as_str())
                .copied()
                .unwrap_or(UNKNOWN_TERM);
        }
    }
    ids.len()
}

/// Analyses `text` into tokens (allocating a new vector).
pub fn analyze(text: &str) -> Vec<AnalyzedToken> {
    let mut out = Vec::new();
    analyze_into(text, &mut out);
    out
}

/// Analyses `text` into `out`, which is cleared first, so a caller tagging many sentences
/// can reuse one buffer.
pub fn analyze_into(text: &str, out: &mut Vec<AnalyzedToken>) {
    // Overwrite the tokens already in `out` rather than clearing it, so their term strings
    // are reused instead of allocating one per token.
    let mut len = 0;
    for_each_token(text, false, &mut |term, start, end, stamp| {
        match out.get_mut(len) {
            Some(slot) => {
                slot.term.clear();
                slot.term.push_str(term);
                slot.start = start;
                slot.end = end;
                slot.position = len;
                slot.stamp = stamp;
            }
            None => out.push(AnalyzedToken {
                term: term.to_owned(),
                start,
                end,
                position: len,
                stamp,
            }),
        }
        len += 1;
    });
    out.truncate(len);
}

/// Normalises and stems a word or phrase exactly as [`analyze`] would, returning only the
/// terms. Theme rules and hand-built query terms must use this rather than their own
/// lowercasing/stemming.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_token(text, false, &mut |term, _, _, _| out.push(term.to_owned()));
    out
}

/// The themis analyser as a tantivy [`Tokenizer`].
///
/// It keeps its token buffer between calls so that indexing many documents reuses the
/// term `String` allocations. When the indexer has handed over a passage's tokens
/// ([`hand_over`]), it copies those instead of analysing the text again.
#[derive(Clone, Default)]
pub struct ThemisTokenizer {
    tokens: Vec<Token>,
}

/// Token stream produced by [`ThemisTokenizer`].
pub struct ThemisTokenStream<'a> {
    /// Always non-empty, so `token()` has something to return even before `advance()`.
    tokens: &'a mut [Token],
    /// Number of valid tokens at the front of `tokens`.
    len: usize,
    /// Index of the current token plus one; 0 means `advance` has not been called.
    cursor: usize,
}

impl Tokenizer for ThemisTokenizer {
    type TokenStream<'a> = ThemisTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ThemisTokenStream<'a> {
        let tokens = &mut self.tokens;
        let mut len = 0;
        let mut put = |term: &str, start: usize, end: usize| {
            if len == tokens.len() {
                tokens.push(Token::default());
            }
            let t = &mut tokens[len];
            t.text.clear();
            t.text.push_str(term);
            t.offset_from = start;
            t.offset_to = end;
            t.position = len;
            t.position_length = 1;
            len += 1;
        };
        match take_handed_over(text) {
            Some(prepared) => prepared.for_each(&mut put),
            None => for_each_token(text, false, &mut |term, start, end, _| {
                put(term, start, end)
            }),
        }
        if tokens.is_empty() {
            tokens.push(Token::default());
        }
        ThemisTokenStream {
            tokens: &mut self.tokens[..],
            len,
            cursor: 0,
        }
    }
}

impl TokenStream for ThemisTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.cursor < self.len {
            self.cursor += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.cursor.saturating_sub(1)]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.cursor.saturating_sub(1)]
    }
}

/// The tokens of one text, made ahead of time: what [`analyze`] gives for `text`, kept compact
/// (all terms in one string) so that a queue of them costs little memory.
///
/// The indexer's workers analyse every sentence to tag it; a passage is a run of sentences, so
/// its tokens are usually the sentences' tokens put together ([`PreparedTokens::join`] says
/// when that is exact). Handing them to the tokenizer ([`hand_over`]) spares analysing each
/// passage a second time inside tantivy.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PreparedTokens {
    text: String,
    terms: String,
    /// Per token: end of its term in `terms`, and its byte range in `text`.
    tokens: Vec<(u32, u32, u32)>,
}

impl PreparedTokens {
    /// Starts the tokens of `text` from the tokens of its pieces, pushed in order with
    /// [`TokenJoiner::push`].
    pub fn joiner(text: &str) -> TokenJoiner {
        TokenJoiner {
            prepared: PreparedTokens {
                text: text.to_owned(),
                terms: String::with_capacity(text.len()),
                tokens: Vec::with_capacity(text.len() / 5),
            },
            covered: 0,
            exact: u32::try_from(text.len()).is_ok(),
        }
    }

    /// The text these tokens are of.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Bytes held, for bounding a queue of them.
    pub fn heap_bytes(&self) -> usize {
        self.text.len() + self.terms.len() + self.tokens.len() * 12
    }

    pub(crate) fn for_each(&self, emit: &mut dyn FnMut(&str, usize, usize)) {
        let mut term_start = 0;
        for &(term_end, from, to) in &self.tokens {
            let term_end = term_end as usize;
            emit(
                self.terms.get(term_start..term_end).unwrap_or_default(),
                from as usize,
                to as usize,
            );
            term_start = term_end;
        }
    }
}

/// Builds [`PreparedTokens`] from the tokens of pieces of a text (see [`PreparedTokens::joiner`]).
pub struct TokenJoiner {
    prepared: PreparedTokens,
    /// End of the last piece pushed.
    covered: usize,
    /// False once the pieces' tokens may differ from what [`analyze`] gives for the text.
    exact: bool,
}

impl TokenJoiner {
    /// Adds the piece `range` of the text, whose slice analyses to `tokens`. Pieces come in
    /// order without overlapping.
    pub fn push(&mut self, range: std::ops::Range<usize>, tokens: &[AnalyzedToken]) {
        let bytes = self.prepared.text.as_bytes();
        if !self.exact
            || range.start < self.covered
            || range.end > bytes.len()
            || !at_word_boundary(bytes, range.start)
            || !at_word_boundary(bytes, range.end)
            || !is_wordless(&bytes[self.covered..range.start])
        {
            self.exact = false;
            return;
        }
        for token in tokens {
            self.prepared.terms.push_str(&token.term);
            self.prepared.tokens.push((
                self.prepared.terms.len() as u32,
                (range.start + token.start) as u32,
                (range.start + token.end) as u32,
            ));
        }
        self.covered = range.end;
    }

    /// Marks the result unusable (a piece that does not lie inside the text).
    pub fn give_up(&mut self) {
        self.exact = false;
    }

    /// The text's tokens, or `None` unless they are exactly what [`analyze`] gives for the
    /// whole text: each piece must start and end where no word can continue across (a
    /// separator or an end of the text), and the text between and around pieces must hold
    /// no word. Tokens never depend on text beyond the separators around them, so the
    /// pieces' tokens, put together, are then the text's.
    pub fn finish(self) -> Option<PreparedTokens> {
        let rest = &self.prepared.text.as_bytes()[self.covered..];
        (self.exact && is_wordless(rest)).then_some(self.prepared)
    }
}

/// True when no word of `text` can run across byte offset `at`.
fn at_word_boundary(text: &[u8], at: usize) -> bool {
    at == 0 || at >= text.len() || is_ascii_separator(text[at - 1]) || separator_len(text, at) > 0
}

/// True when `text` is ASCII with no letter or digit, so it analyses to no token.
fn is_wordless(text: &[u8]) -> bool {
    text.iter().all(|&b| b < 0x80 && !is_alphanumeric(b))
}

thread_local! {
    static HANDED_OVER: RefCell<Option<std::sync::Arc<PreparedTokens>>> =
        const { RefCell::new(None) };
}

/// Offers `prepared` to the next [`ThemisTokenizer`] call on this thread. The tokenizer uses
/// the tokens only if it is asked for exactly the text they were made from, so an offer that
/// is not taken up, or one for another text, changes nothing.
pub fn hand_over(prepared: Option<std::sync::Arc<PreparedTokens>>) {
    // During thread teardown there is nothing to offer to.
    let _ = HANDED_OVER.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = prepared;
        }
    });
}

/// The tokens handed over for `text`, if any.
fn take_handed_over(text: &str) -> Option<std::sync::Arc<PreparedTokens>> {
    HANDED_OVER
        .try_with(|slot| {
            let mut slot = slot.try_borrow_mut().ok()?;
            if slot.as_ref().is_some_and(|p| p.text == text) {
                slot.take()
            } else {
                None
            }
        })
        .ok()
        .flatten()
}

/// A [`TextAnalyzer`] wrapping [`ThemisTokenizer`]; all normalisation happens inside the
/// tokenizer, so no filters are added.
pub fn text_analyzer() -> TextAnalyzer {
    TextAnalyzer::from(ThemisTokenizer::default())
}

/// Registers the analyser under [`TOKENIZER_NAME`] on `index`. Tokenizers are not persisted
/// with the index, so this must be called every time an index is created or opened, before
/// writing, parsing queries or generating snippets.
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(TOKENIZER_NAME, text_analyzer());
}

// ---------------------------------------------------------------------------------------
// Core
// ---------------------------------------------------------------------------------------

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
fn is_ascii_separator(b: u8) -> bool {
    BYTE_CLASS[usize::from(b)] & SEPARATOR != 0
}

#[inline]
fn is_alphanumeric(b: u8) -> bool {
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
fn separator_len(s: &[u8], i: usize) -> usize {
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
fn apostrophe_len(s: &[u8], i: usize) -> usize {
    match (s[i], s.get(i + 1), s.get(i + 2)) {
        (b'\'', _, _) => 1,
        (0xE2, Some(0x80), Some(0x98 | 0x99 | 0x9B | 0xB2)) => 3,
        (0xCA, Some(0xBC), _) => 2,
        _ => 0,
    }
}

/// Receives every kept token: `(term, start, end, stamp)`.
type Emit<'a> = dyn FnMut(&str, usize, usize, TermStamp) + 'a;

/// Runs the chain over `text`, calling `emit(term, start, end, stamp)` for every kept token in
/// order. With `force_hf` every span goes through the HF normaliser (used by tests to check
/// that the fast path gives identical results).
fn for_each_token(text: &str, force_hf: bool, emit: &mut Emit<'_>) {
    let bytes = text.as_bytes();
    let mut lower = String::new();
    let mut i = 0;
    while i < bytes.len() {
        let sep = separator_len(bytes, i);
        if sep > 0 {
            i += sep;
            continue;
        }
        let span_start = i;
        let mut fast = true;
        while i < bytes.len() {
            if bytes[i] < 0x80 {
                if is_ascii_separator(bytes[i]) {
                    break;
                }
                i += 1;
            } else if separator_len(bytes, i) > 0 {
                break;
            } else {
                let apostrophe = apostrophe_len(bytes, i);
                if apostrophe > 0 {
                    i += apostrophe;
                } else {
                    fast = false;
                    i += text[i..].chars().next().map_or(1, char::len_utf8);
                }
            }
        }
        // Spans start and end at separators or the ends of the text, so on char boundaries.
        let span = &text[span_start..i];
        if fast && !force_hf {
            fast_span(span, span_start, &mut lower, emit);
        } else {
            hf_span(span, span_start, emit);
        }
    }
}

/// Fast path: a span of ASCII plus typographic apostrophes. Normalisation is ASCII
/// lowercasing and apostrophe folding, so offsets in the span are offsets in the original.
fn fast_span(span: &str, base: usize, lower: &mut String, emit: &mut Emit<'_>) {
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
fn hf_span(span: &str, base: usize, emit: &mut Emit<'_>) {
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

/// Word splitting on normalised text: the same rules as [`ascii_span`], with Unicode
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

/// Length filter and stemming, then hand the term on. Only ASCII words are stemmed: the
/// Snowball English rules mean nothing for other scripts, and accent folding has already
/// turned Latin-script words such as "naïve" into ASCII.
fn emit_word(word: &str, start: usize, end: usize, emit: &mut Emit<'_>) {
    if word.is_empty() || word.len() > MAX_TERM_BYTES {
        return;
    }
    if !word.is_ascii() {
        emit(word, start, end, TermStamp::UNRESOLVED);
        return;
    }
    // Report vocabulary is small and repetitive, so a per-thread cache of stems roughly
    // halves the cost of the fast path; it keeps the stems' term ids too. If the cache is
    // unavailable (thread teardown, or a re-entrant call) just stem directly.
    let cached = STEM_CACHE
        .try_with(|cache| {
            let Ok(mut cache) = cache.try_borrow_mut() else {
                return false;
            };
            if let Some((stem, stamp)) = cache.get(word, term_count()) {
                emit(stem, start, end, stamp);
            } else {
                let stem = stem_word(word);
                let stamp = TermStamp::of(&stem);
                emit(&stem, start, end, stamp);
                cache.insert(word, &stem, stamp);
            }
            true
        })
        .unwrap_or(false);
    if !cached {
        emit(&stem_word(word), start, end, TermStamp::UNRESOLVED);
    }
}

/// Snowball English stem of a lowercase ASCII word.
fn stem_word(word: &str) -> Cow<'_, str> {
    let stem = STEMMER.stem(word);
    // The stemmer never empties a word that starts with a letter/digit, but an empty term
    // would be a silent hole in the index, so fall back to the unstemmed word.
    if stem.is_empty() {
        Cow::Borrowed(word)
    } else {
        stem
    }
}

/// Longest word (and stem) kept inline in a [`StemSlot`]; longer ones go to the overflow map.
const INLINE_WORD: usize = 27;

/// Sets of the inline table (two slots each): 8,192 words in 512 KB per thread.
const STEM_SETS: usize = 4096;

/// Entries kept in the overflow map before it is cleared.
const OVERFLOW_MAX: usize = 10_000;

/// A word, its stem and the stem's term id, stored inline (64 bytes, one cache line) so that
/// a lookup touches one line of the table instead of a hash table's control bytes, bucket,
/// and the heap strings of key and value, which is where the time of the previous cache went.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
struct StemSlot {
    stamp: TermStamp,
    /// 0 for an empty slot (words are never empty).
    word_len: u8,
    /// The stem's length, with [`STEM_IS_PREFIX`] set when the stem is the start of the word.
    stem_len: u8,
    word: [u8; INLINE_WORD],
    stem: [u8; INLINE_WORD],
}

const _: () = assert!(std::mem::size_of::<StemSlot>() == 64);

impl StemSlot {
    const EMPTY: StemSlot = StemSlot {
        stamp: TermStamp::UNRESOLVED,
        word_len: 0,
        stem_len: 0,
        word: [0; INLINE_WORD],
        stem: [0; INLINE_WORD],
    };

    fn word(&self) -> &[u8] {
        &self.word[..usize::from(self.word_len)]
    }

    /// The stem of `word`, the word of this slot. Most stems are the start of their word
    /// ("delays" → "delay"), handed out as a slice of it; checking that the stored bytes are
    /// UTF-8 on every hit cost more than the rest of the lookup.
    fn stem<'a>(&'a self, word: &'a str) -> &'a str {
        let len = usize::from(self.stem_len & !STEM_IS_PREFIX);
        if self.stem_len & STEM_IS_PREFIX != 0 {
            return word.get(..len).unwrap_or(word);
        }
        // Slots are only ever filled from `&str` stems cut at their full length.
        std::str::from_utf8(&self.stem[..len]).unwrap_or_default()
    }
}

/// Flag in [`StemSlot::stem_len`]: the stem is the first `len` bytes of the word.
const STEM_IS_PREFIX: u8 = 0x80;
const _: () = assert!(INLINE_WORD < STEM_IS_PREFIX as usize);

/// A per-thread memo of stems: a two-way set-associative table of inline slots (the most
/// recently used first in each set) for ordinary words, and a small map for longer ones.
struct StemCache {
    slots: Box<[StemSlot]>,
    overflow: FxHashMap<Box<str>, (Box<str>, TermStamp)>,
}

impl StemCache {
    fn new() -> Self {
        StemCache {
            slots: vec![StemSlot::EMPTY; 2 * STEM_SETS].into_boxed_slice(),
            overflow: FxHashMap::default(),
        }
    }

    fn set_of(word: &str) -> usize {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(word.as_bytes());
        // The high bits of an Fx hash are the well-mixed ones.
        2 * ((hash >> 32) as usize % STEM_SETS)
    }

    /// The stem of `word` and its term id, when the table holds `term_count` terms.
    fn get<'a>(&'a mut self, word: &'a str, term_count: u32) -> Option<(&'a str, TermStamp)> {
        if word.len() > INLINE_WORD {
            let (stem, stamp) = self.overflow.get_mut(word)?;
            if stamp.id(term_count).is_none() {
                *stamp = TermStamp::of(stem);
            }
            return Some((&**stem, *stamp));
        }
        let set = Self::set_of(word);
        let at = if self.slots[set].word() == word.as_bytes() {
            set
        } else if self.slots[set + 1].word() == word.as_bytes() {
            self.slots.swap(set, set + 1);
            set
        } else {
            return None;
        };
        let slot = &mut self.slots[at];
        if slot.stamp.id(term_count).is_none() {
            slot.stamp = TermStamp::of(slot.stem(word));
        }
        Some((slot.stem(word), slot.stamp))
    }

    fn insert(&mut self, word: &str, stem: &str, stamp: TermStamp) {
        if word.len() > INLINE_WORD || stem.len() > INLINE_WORD {
            if self.overflow.len() >= OVERFLOW_MAX {
                self.overflow.clear();
            }
            self.overflow.insert(word.into(), (stem.into(), stamp));
            return;
        }
        let set = Self::set_of(word);
        // The older entry of the set makes way; the new one becomes the most recent.
        self.slots[set + 1] = self.slots[set];
        let slot = &mut self.slots[set];
        slot.stamp = stamp;
        slot.word_len = word.len() as u8;
        slot.word[..word.len()].copy_from_slice(word.as_bytes());
        if word.as_bytes().starts_with(stem.as_bytes()) {
            slot.stem_len = stem.len() as u8 | STEM_IS_PREFIX;
        } else {
            slot.stem_len = stem.len() as u8;
            slot.stem[..stem.len()].copy_from_slice(stem.as_bytes());
        }
    }
}

thread_local! {
    static STEM_CACHE: RefCell<StemCache> = RefCell::new(StemCache::new());
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Analyses with every span forced through the HF normaliser.
    fn analyze_hf(text: &str) -> Vec<AnalyzedToken> {
        let mut out = Vec::new();
        for_each_token(text, true, &mut |term, start, end, _| {
            let position = out.len();
            out.push(AnalyzedToken::new(term, start, end, position));
        });
        out
    }

    fn check_invariants(text: &str, toks: &[AnalyzedToken]) {
        let mut prev: Option<&AnalyzedToken> = None;
        for t in toks {
            assert!(t.start < t.end, "{text:?}: {t:?}");
            assert!(t.end <= text.len(), "{text:?}: {t:?}");
            assert!(text.is_char_boundary(t.start), "{text:?}: {t:?}");
            assert!(text.is_char_boundary(t.end), "{text:?}: {t:?}");
            assert!(!t.term.is_empty());
            if let Some(p) = prev {
                assert!(p.start <= t.start, "{text:?}: {p:?} then {t:?}");
                assert_eq!(p.position + 1, t.position);
            } else {
                assert_eq!(t.position, 0);
            }
            prev = Some(t);
        }
    }

    #[test]
    fn test_offsets_slice_original_words() {
        let cases: &[(&str, &[&str])] = &[
            ("children’s services", &["children’s", "services"]),
            ("information-sharing", &["information", "sharing"]),
            ("PQiP", &["PQiP"]),
            ("86 per cent", &["86", "per", "cent"]),
            ("Zoë Café", &["Zoë", "Café"]),
            ("5.6 per cent", &["5.6", "per", "cent"]),
            ("late.\r\nNext line\r\n", &["late", "Next", "line"]),
            ("staff 😀 morale 👍🏽ok", &["staff", "morale", "ok"]),
            ("cafe\u{301} e\u{301}cole", &["cafe\u{301}", "e\u{301}cole"]),
            ("ﬁnding ①", &["ﬁnding", "①"]),
            ("24.88% of cases", &["24.88", "of", "cases"]),
        ];
        for (text, expected) in cases {
            let toks = analyze(text);
            check_invariants(text, &toks);
            let got: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
            assert_eq!(&got, expected, "{text:?}");
        }
    }

    #[test]
    fn test_terms_normalised() {
        assert_eq!(terms("PQiP"), ["pqip"]);
        assert_eq!(terms("Zoë Café"), ["zoe", "cafe"]);
        assert_eq!(terms("ﬁnding ①"), ["find", "1"]);
        assert_eq!(terms("86 per cent"), ["86", "per", "cent"]);
        assert_eq!(
            terms("5.6 per cent, 24.88%"),
            ["5.6", "per", "cent", "24.88"]
        );
        assert_eq!(terms("2023."), ["2023"]);
        assert_eq!(terms("e.g. 3.x"), ["e", "g", "3", "x"]);
        assert_eq!(terms("no delays"), ["no", "delay"]);
    }

    #[test]
    fn test_apostrophes_kept_for_stemmer() {
        assert_eq!(terms("children’s"), ["children"]);
        assert_eq!(terms("children's"), ["children"]);
        assert_eq!(terms("childrens"), ["children"]);
        assert_eq!(terms("CHILDREN‘S"), ["children"]);
        assert_eq!(terms("people's"), ["peopl"]);
        // Leading/trailing apostrophes are not inside a word and are dropped.
        assert_eq!(terms("'quoted' students'"), ["quot", "student"]);
    }

    #[test]
    fn test_hyphens_and_dashes_split() {
        let joined = analyze("information-sharing");
        let spaced = analyze("information sharing");
        let en_dash = analyze("information–sharing");
        let as_terms = |v: &[AnalyzedToken]| {
            v.iter()
                .map(|t| (t.term.clone(), t.position))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            as_terms(&joined),
            [("inform".to_string(), 0), ("share".to_string(), 1)]
        );
        assert_eq!(as_terms(&joined), as_terms(&spaced));
        assert_eq!(as_terms(&joined), as_terms(&en_dash));
    }

    #[test]
    fn test_stemming_shares_terms() {
        assert_eq!(terms("delays delayed delay"), ["delay", "delay", "delay"]);
        // Snowball English: "vetting" and "vetted" undouble to "vet".
        assert_eq!(terms("vetting vetted vet"), ["vet", "vet", "vet"]);
    }

    #[test]
    fn test_long_tokens_dropped_positions_consecutive() {
        let junk = "x".repeat(MAX_TERM_BYTES + 1);
        let text = format!("before {junk} after");
        let toks = analyze(&text);
        assert_eq!(toks.len(), 2);
        assert_eq!(&text[toks[1].start..toks[1].end], "after");
        assert_eq!(toks[1].position, 1);
        let ok = "y".repeat(MAX_TERM_BYTES);
        assert_eq!(analyze(&ok).len(), 1);
    }

    #[test]
    fn test_fast_path_matches_hf_path_on_ascii() {
        let text = "Information-sharing with police was LATE. There were long delays in \
                    vetting (86 per cent; 5.6%, 24.88). Children's services' people's o'clock \
                    rock'n'roll 1.2.3 v2.0 a.5 5.a 'quoted' x--y __init__ \r\n\tPQiP 2023.";
        assert_eq!(analyze(text), analyze_hf(text));
        let typographic = "Children’s services — information‑sharing, “good” … 5.6\u{a0}% «ok»";
        assert_eq!(analyze(typographic), analyze_hf(typographic));
        let all_ascii: String = (0u8..128).map(char::from).collect();
        assert_eq!(analyze(&all_ascii), analyze_hf(&all_ascii));
    }

    #[test]
    fn test_no_tokens_from_empty_or_punctuation() {
        assert!(analyze("").is_empty());
        assert!(analyze("  --- %%% ... '' ’’ — ").is_empty());
    }

    #[test]
    fn test_analyze_into_reuses_buffer() {
        let mut buf = analyze("one two three");
        analyze_into("four", &mut buf);
        assert_eq!(buf.len(), 1);
        assert_eq!(buf[0].term, "four");
        assert_eq!(buf[0].position, 0);
    }

    #[test]
    fn test_stem_cache_keeps_the_two_latest_words_of_a_set_and_long_words_apart() {
        let mut cache = StemCache::new();
        // Three words of one set: the least recently used makes way for the third.
        let first = "word0".to_string();
        let set = StemCache::set_of(&first);
        let same: Vec<String> = (1..100_000)
            .map(|i| format!("word{i}"))
            .filter(|w| StemCache::set_of(w) == set)
            .take(2)
            .collect();
        assert_eq!(same.len(), 2);
        let unresolved = TermStamp::UNRESOLVED;
        fn stem_of(cache: &mut StemCache, word: &str) -> Option<String> {
            cache
                .get(word, term_count())
                .map(|(stem, _)| stem.to_string())
        }
        cache.insert(&first, "stem0", unresolved);
        cache.insert(&same[0], "stem1", unresolved);
        assert_eq!(stem_of(&mut cache, &first).as_deref(), Some("stem0"));
        cache.insert(&same[1], "stem2", unresolved);
        assert_eq!(stem_of(&mut cache, &first).as_deref(), Some("stem0"));
        assert_eq!(stem_of(&mut cache, &same[0]), None);
        assert_eq!(stem_of(&mut cache, &same[1]).as_deref(), Some("stem2"));
        let long = "a".repeat(INLINE_WORD + 1);
        assert_eq!(stem_of(&mut cache, &long), None);
        cache.insert(&long, "along", unresolved);
        assert_eq!(stem_of(&mut cache, &long).as_deref(), Some("along"));
        assert_eq!(stem_of(&mut cache, "word"), None);
        // A stem that starts its word is kept as a length, and comes back whole.
        cache.insert("delays", "delay", unresolved);
        cache.insert("happy", "happi", unresolved);
        assert_eq!(stem_of(&mut cache, "delays").as_deref(), Some("delay"));
        assert_eq!(stem_of(&mut cache, "happy").as_deref(), Some("happi"));
        // Through the analyser, cached or not, a word always gets its own stem.
        for _ in 0..2 {
            assert_eq!(terms("inspections inspected inspecting"), ["inspect"; 3]);
        }
    }

    #[test]
    fn test_term_ids_follow_terms_added_after_analysis() {
        // A word no rule names: analysed (and remembered by the stem cache) as unknown…
        let text = "Quuxification, quuxification";
        let before = analyze(text);
        let mut ids = Vec::new();
        term_ids_into(&before, &mut ids);
        assert_eq!(ids, [UNKNOWN_TERM, UNKNOWN_TERM]);
        // …until a rule names it: tokens made before and after both get its id.
        let id = intern(&before[0].term);
        term_ids_into(&before, &mut ids);
        assert_eq!(ids, [id, id]);
        let after = analyze(text);
        assert!(after.iter().all(|t| t.stamp.id(term_count()) == Some(id)));
        term_ids_into(&after, &mut ids);
        assert_eq!(ids, [id, id]);
        // Tokens made by hand carry no id and are looked up.
        term_ids_into(
            &[AnalyzedToken::new(before[0].term.clone(), 0, 1, 0)],
            &mut ids,
        );
        assert_eq!(ids, [id]);
    }

    fn prepared_tokens(prepared: &PreparedTokens) -> Vec<(String, usize, usize)> {
        let mut out = Vec::new();
        prepared.for_each(&mut |term, start, end| out.push((term.to_owned(), start, end)));
        out
    }

    fn expected_tokens(text: &str) -> Vec<(String, usize, usize)> {
        analyze(text)
            .into_iter()
            .map(|t| (t.term, t.start, t.end))
            .collect()
    }

    /// Joins `text` from the tokens of the given byte ranges of it.
    fn join(text: &str, pieces: &[std::ops::Range<usize>]) -> Option<PreparedTokens> {
        let mut joiner = PreparedTokens::joiner(text);
        for piece in pieces {
            let tokens = text.get(piece.clone()).map(analyze).unwrap_or_default();
            joiner.push(piece.clone(), &tokens);
        }
        joiner.finish()
    }

    #[test]
    fn test_joined_sentences_give_the_passages_tokens() {
        let text = "Vetting took weeks. Staff’s cases waited – badly.  Managers agreed.";
        let second = text.find("Staff").unwrap();
        let third = text.find("Managers").unwrap();
        let pieces = [0..19, second..third - 2, third..text.len()];
        let prepared = join(text, &pieces).expect("sentences end at separators");
        assert_eq!(prepared_tokens(&prepared), expected_tokens(text));
        assert_eq!(prepared.text(), text);
    }

    #[test]
    fn test_joining_refuses_what_would_change_the_tokens() {
        // A cut inside a word, a number or a contraction joins what the whole text keeps
        // together.
        assert!(join("Rates rose 5.6 points.", &[0..12, 12..22]).is_none());
        assert!(join("children's services", &[0..8, 8..19]).is_none());
        assert!(join("information sharing", &[0..5, 5..19]).is_none());
        // Text left out of every piece holds a word.
        assert!(join("One. Two. Three.", &[0..4, 10..16]).is_none());
        // Pieces out of order, overlapping, or outside the text.
        assert!(join("One. Two.", &[5..9, 0..4]).is_none());
        assert!(join("One. Two.", &[0..4, 2..9]).is_none());
        assert!(join("One.", &[0..2, 2..40]).is_none());
        // Left-out text without words is fine.
        assert!(join("One. -- Two.", &[0..4, 8..12]).is_some());
    }

    #[test]
    fn test_tokenizer_uses_handed_over_tokens_only_for_their_text() {
        let text = "Vetting delays stopped new staff starting.";
        let mut joiner = PreparedTokens::joiner(text);
        // Deliberately not the text's tokens, to see which the tokenizer uses.
        let marked = vec![AnalyzedToken::new("marked", 0, 7, 0)];
        joiner.push(0..text.len(), &marked);
        let prepared = std::sync::Arc::new(joiner.finish().expect("one whole piece"));
        let terms_of = |tokenizer: &mut ThemisTokenizer, text: &str| {
            let mut stream = tokenizer.token_stream(text);
            let mut out = Vec::new();
            while stream.advance() {
                out.push(stream.token().text.clone());
            }
            out
        };
        let mut tokenizer = ThemisTokenizer::default();
        hand_over(Some(prepared.clone()));
        assert_eq!(terms_of(&mut tokenizer, "Another text."), ["anoth", "text"]);
        assert_eq!(terms_of(&mut tokenizer, text), ["marked"]);
        // Taken once: the same text again is analysed.
        assert_eq!(terms_of(&mut tokenizer, "Vetting."), ["vet"]);
        assert_eq!(terms_of(&mut tokenizer, text).len(), 6);
    }

    #[test]
    fn test_tokenizer_matches_analyze() {
        let mut tok = ThemisTokenizer::default();
        // The token buffer is reused from one text to the next, longer or shorter.
        for text in [
            "Information-sharing with police was late.",
            "Information-sharing with police was late.",
            "Zoë’s ﬁle",
            "",
            "",
            "x",
            "Information-sharing with police was late.",
        ] {
            let mut got = Vec::new();
            let mut stream = tok.token_stream(text);
            while stream.advance() {
                let t = stream.token();
                got.push(AnalyzedToken::new(
                    t.text.clone(),
                    t.offset_from,
                    t.offset_to,
                    t.position,
                ));
            }
            assert_eq!(got, analyze(text));
        }
    }

    #[test]
    fn test_tantivy_integration() {
        use tantivy::collector::{Count, TopDocs};
        use tantivy::query::QueryParser;
        use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
        use tantivy::snippet::SnippetGenerator;
        use tantivy::{doc, Index, ReloadPolicy};

        let mut sb = Schema::builder();
        let opts = TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let body = sb.add_text_field("body", opts);
        let index = Index::create_in_ram(sb.build());
        register(&index);
        let mut writer = index.writer(15_000_000).unwrap();
        for text in [
            "Information-sharing with police was late.",
            "Information sharing was good.",
            "There were long delays in vetting.",
            "The children’s services were stretched.",
        ] {
            writer.add_document(doc!(body => text)).unwrap();
        }
        writer.commit().unwrap();
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .unwrap();
        reader.reload().unwrap();
        let searcher = reader.searcher();
        let qp = QueryParser::for_index(&index, vec![body]);
        let count = |q: &str| {
            searcher
                .search(&qp.parse_query(q).unwrap(), &Count)
                .unwrap()
        };

        assert_eq!(count("\"information sharing\""), 2);
        assert_eq!(count("delay"), 1);
        assert_eq!(count("vetted"), 1);
        // `'` is a quote character in tantivy's query grammar: a bare `children's` is a
        // SyntaxError, so callers must quote or escape it (or use the curly form).
        assert!(qp.parse_query("children's").is_err());
        assert_eq!(count("\"children's\""), 1);
        assert_eq!(count("children\\'s"), 1);
        assert_eq!(count("children’s"), 1);
        assert_eq!(count("childrens"), 1);
        assert_eq!(count("children"), 1);

        let q = qp.parse_query("delay").unwrap();
        let top = searcher
            .search(&q, &TopDocs::with_limit(1).order_by_score())
            .unwrap();
        let doc: tantivy::TantivyDocument = searcher.doc(top[0].1).unwrap();
        let gen = SnippetGenerator::create(&searcher, &*q, body).unwrap();
        let snippet = gen.snippet_from_doc(&doc);
        let frag = snippet.fragment();
        let ranges = snippet.highlighted();
        assert_eq!(ranges.len(), 1);
        assert_eq!(&frag[ranges[0].clone()], "delays");

        let q = qp.parse_query("\"information sharing\"").unwrap();
        let gen = SnippetGenerator::create(&searcher, &*q, body).unwrap();
        let s = gen.snippet("Information-sharing with police was late.");
        assert_eq!(
            s.to_html(),
            "<b>Information</b>-<b>sharing</b> with police was late"
        );
    }

    #[test]
    #[ignore = "timing print, run with --release -- --ignored --nocapture"]
    fn test_throughput() {
        let para = "The inspection found that information-sharing with police was often late, \
                    and there were long delays in vetting. In 86 per cent of cases (5.6% fewer \
                    than in 2023) the PQiP had assessed risk of serious harm to children's \
                    services adequately; managers' oversight was insufficient.\n";
        let ascii = para.repeat(20_000_000 / para.len());
        let mixed_para = "The inspection found that information‑sharing with police was often \
                          late – and there were long delays in vetting. In 86 per cent of cases \
                          the PQiP had assessed risk to children’s services; Zoë’s café.\n";
        let mixed = mixed_para.repeat(20_000_000 / mixed_para.len());
        // Worst case for the stem cache: ~2M distinct made-up words, so the cache keeps
        // missing and being cleared.
        let mut unique = String::new();
        let mut k: u64 = 0;
        while unique.len() < 20_000_000 {
            let mut w = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
            for _ in 0..7 {
                unique.push(char::from(b'a' + (w % 26) as u8));
                w /= 26;
            }
            unique.push_str(if k % 12 == 11 { ".\n" } else { "ing " });
            k += 1;
        }
        for (name, text) in [("ascii", &ascii), ("unique", &unique)] {
            let t = std::time::Instant::now();
            let mut total = 0;
            for w in text.split_ascii_whitespace() {
                total += STEMMER.stem(w.trim_end_matches('.')).len();
            }
            let mb = text.len() as f64 / 1e6;
            println!(
                "{name}: bare Snowball stemming of every word {:.1} MB/s ({total})",
                mb / t.elapsed().as_secs_f64()
            );
        }
        let mut buf = Vec::new();
        for (name, text) in [("ascii", &ascii), ("mixed", &mixed), ("unique", &unique)] {
            let t0 = std::time::Instant::now();
            analyze_into(text, &mut buf);
            let secs = t0.elapsed().as_secs_f64();
            let n = buf.len();
            // Per-sentence calls, as the tagger makes them.
            let t1 = std::time::Instant::now();
            let mut m = 0;
            for line in text.lines() {
                analyze_into(line, &mut buf);
                m += buf.len();
            }
            let secs_lines = t1.elapsed().as_secs_f64();
            let mut tok = ThemisTokenizer::default();
            let t2 = std::time::Instant::now();
            let mut k = 0;
            for line in text.lines() {
                let mut s = tok.token_stream(line);
                while s.advance() {
                    k += 1;
                }
            }
            let secs_tok = t2.elapsed().as_secs_f64();
            let mb = text.len() as f64 / 1e6;
            println!(
                "{name}: {mb:.1} MB, {n} tokens: analyze {:.1} MB/s, per-line analyze_into {:.1} MB/s ({m}), tantivy tokenizer {:.1} MB/s ({k})",
                mb / secs,
                mb / secs_lines,
                mb / secs_tok
            );
        }
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn mixed_text() -> impl Strategy<Value = String> {
            let piece = prop_oneof![
                "[A-Za-z0-9]{1,8}",
                Just(" ".to_string()),
                Just("-".to_string()),
                Just("'".to_string()),
                Just(".".to_string()),
                Just("\r\n".to_string()),
                Just("’".to_string()),
                Just("é".to_string()),
                Just("\u{301}".to_string()),
                Just("ﬁ".to_string()),
                Just("①".to_string()),
                Just("½".to_string()),
                Just("😀".to_string()),
                Just("İ".to_string()),
                Just("ß".to_string()),
                Just("한".to_string()),
                "\\PC{1,3}",
            ];
            proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
        }

        proptest! {
            #[test]
            fn test_prop_any_unicode_invariants(text in "\\PC*|.*") {
                let toks = analyze(&text);
                check_invariants(&text, &toks);
                let t: Vec<String> = toks.into_iter().map(|t| t.term).collect();
                prop_assert_eq!(terms(&text), t);
            }

            #[test]
            fn test_prop_mixed_invariants(text in mixed_text()) {
                let toks = analyze(&text);
                check_invariants(&text, &toks);
                let t: Vec<String> = toks.into_iter().map(|t| t.term).collect();
                prop_assert_eq!(terms(&text), t);
            }

            #[test]
            fn test_prop_ascii_fast_path_equals_hf(text in "[ -~\t\r\n]{0,80}") {
                prop_assert_eq!(analyze(&text), analyze_hf(&text));
            }

            #[test]
            fn test_prop_joined_pieces_are_the_whole_texts_tokens_or_nothing(
                text in "([a-zA-Z0-9'. ,\n-]|’|–|\u{a0}|é|\u{301}){0,60}",
                cuts in proptest::collection::vec(0usize..64, 0..8),
            ) {
                // Cut the text anywhere (on char boundaries), drop every other gap's worth
                // of text from the pieces, and join: an answer must be the exact tokens.
                let mut points: Vec<usize> = cuts
                    .into_iter()
                    .map(|c| c.min(text.len()))
                    .filter(|&c| text.is_char_boundary(c))
                    .chain([0, text.len()])
                    .collect();
                points.sort_unstable();
                points.dedup();
                let mut joiner = PreparedTokens::joiner(&text);
                for (k, pair) in points.windows(2).enumerate() {
                    if k % 3 != 2 {
                        joiner.push(pair[0]..pair[1], &analyze(&text[pair[0]..pair[1]]));
                    }
                }
                if let Some(prepared) = joiner.finish() {
                    prop_assert_eq!(prepared_tokens(&prepared), expected_tokens(&text));
                }
            }

            #[test]
            fn test_prop_fast_punctuation_equals_hf(
                text in "([a-zA-Z0-9'. -]|’|‘|‛|′|ʼ|‐|‑|‒|–|—|―|−|\u{a0}|“|”|«|»|•|…|\u{301}|é){0,40}"
            ) {
                prop_assert_eq!(analyze(&text), analyze_hf(&text));
            }
        }
    }
}
