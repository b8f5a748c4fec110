//! The tantivy adapter: the analyser as a tantivy tokenizer ([`ThemisTokenizer`]), registered on
//! every index ([`register`]) so that indexing, query parsing and snippets run the same chain;
//! and the tokens the indexer has already made for a passage ([`PreparedTokens`]), handed to
//! the tokenizer ([`hand_over`]) so that a passage is not analysed twice.

use std::cell::RefCell;

use tantivy::tokenizer::{TextAnalyzer, Token, TokenStream, Tokenizer};

use super::chain::for_each_token;
use super::normalise::{is_alphanumeric, is_ascii_separator, separator_len};
use super::AnalyzedToken;

/// Name under which the analyser is registered on a tantivy index.
pub const TOKENIZER_NAME: &str = "themis";

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

/// The tokens of one text, made ahead of time: what [`analyze`](super::analyze) gives for
/// `text`, kept compact (all terms in one string) so that a queue of them costs little memory.
///
/// The indexer's workers analyse every sentence to tag it; a passage is a run of sentences, so
/// its tokens are usually the sentences' tokens put together ([`TokenJoiner::finish`] says
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

    /// The text's tokens, or `None` unless they are exactly what [`analyze`](super::analyze)
    /// gives for the whole text: each piece must start and end where no word can continue
    /// across (a separator or an end of the text), and the text between and around pieces must
    /// hold no word. Tokens never depend on text beyond the separators around them, so the
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
