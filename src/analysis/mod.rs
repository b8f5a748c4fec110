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
//!
//! # Where things are
//! - `chain`: the entry points ([`analyze`], [`analyze_into`], [`terms`]) and the driver that
//!   cuts text into spans and sends each down the fast or the HF path;
//! - `normalise`: both paths, normalising a span and splitting it into words;
//! - `stem_cache`: stemming each word, memoised per thread;
//! - `term_table`: the process-wide table of term ids the theme rules match on;
//! - `tokenizer`: the tantivy adapter ([`ThemisTokenizer`], [`register`]) and the tokens the
//!   indexer hands it ([`PreparedTokens`], [`hand_over`]).

mod chain;
mod normalise;
mod stem_cache;
mod term_table;
mod tokenizer;

pub use chain::{analyze, analyze_into, terms};
pub(crate) use term_table::{intern, known_term_ids, term_ids_into, TermStamp, UNKNOWN_TERM};
pub use tokenizer::{
    hand_over, register, text_analyzer, PreparedTokens, ThemisTokenStream, ThemisTokenizer,
    TokenJoiner, TOKENIZER_NAME,
};

/// Words whose normalised form is longer than this many bytes are dropped (URLs, base64,
/// table rubble). They do not consume a position.
pub const MAX_TERM_BYTES: usize = 40;

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

#[cfg(test)]
mod tests;
