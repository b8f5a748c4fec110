//! One sentence prepared for matching ([`SentenceView`]): the interned id and positions of every
//! term, clause breaks, which tokens stand in a negator's scope ([`NegationSettings`]) and
//! which are numbers. Views are made for every tagged sentence, so their buffers are handed
//! from one view to the next on a thread.

use std::cell::RefCell;

use crate::analysis::{intern, term_ids_into, AnalyzedToken, UNKNOWN_TERM};

use super::Spans;

/// Settings for building a [`SentenceView`]: which terms negate and how far, and which words
/// are numbers.
#[derive(Debug, Clone, Default)]
pub struct NegationSettings {
    /// `classes[id]`: which of [`NEGATOR`], [`CANCELS_NEGATOR`] and [`NUMBER_WORD`] the term
    /// with this id is (ids past the end are none). Every token of every tagged sentence is
    /// looked up here, so it is one indexed load rather than a search of three lists.
    classes: Vec<u8>,
    /// How many tokens after a negator are in its scope.
    window: usize,
    /// Ids of the analysed number words ("one", "twenti", …) matched by `#num`, with values.
    number_words: Vec<(u32, f64)>,
}

/// A negator term ("no", "not", "without", …).
const NEGATOR: u8 = 1;
/// A term that cancels a negator right before it ("not only").
const CANCELS_NEGATOR: u8 = 2;
/// A number word ("one", "twenti", …) matched by `#num`.
const NUMBER_WORD: u8 = 4;

impl NegationSettings {
    /// Settings from analysed terms: negators, the terms that cancel a negator right after it
    /// ("not only", "not just"), how many tokens after a negator are in its scope, and the
    /// number words `#num` matches with their values.
    pub fn new(
        negators: &[String],
        cancel: &[String],
        window: usize,
        number_words: &[(String, f64)],
    ) -> Self {
        let number_words: Vec<(u32, f64)> =
            number_words.iter().map(|(t, v)| (intern(t), *v)).collect();
        let mut classes = Vec::new();
        let mut mark = |id: u32, class: u8| {
            let id = id as usize;
            if classes.len() <= id {
                classes.resize(id + 1, 0);
            }
            classes[id] |= class;
        };
        negators.iter().for_each(|t| mark(intern(t), NEGATOR));
        cancel.iter().for_each(|t| mark(intern(t), CANCELS_NEGATOR));
        number_words
            .iter()
            .for_each(|&(id, _)| mark(id, NUMBER_WORD));
        NegationSettings {
            classes,
            window,
            number_words,
        }
    }

    fn is(&self, id: u32, class: u8) -> bool {
        self.classes
            .get(id as usize)
            .is_some_and(|&classes| classes & class != 0)
    }
}

/// One analysed sentence prepared for matching: term positions, clause breaks, negation
/// scope and number tokens.
#[derive(Debug)]
pub struct SentenceView<'a> {
    text: &'a str,
    pub(super) tokens: &'a [AnalyzedToken],
    neg: &'a NegationSettings,
    pub(super) buf: ViewBuffers,
    /// Span buffers handed back by finished evaluations, so matching the many rules of a
    /// taxonomy against this sentence does not allocate for every node.
    spare: RefCell<Vec<Spans>>,
}

impl Drop for SentenceView<'_> {
    fn drop(&mut self) {
        for &id in &self.buf.ids {
            if let Some(first) = self.buf.first_at.get_mut(id as usize) {
                *first = NOWHERE;
            }
        }
        self.buf.spans = self.spare.take();
        let buffers = std::mem::take(&mut self.buf);
        // During thread teardown there is no pool to return them to; they are just freed.
        let _ = SPARE_VIEW.try_with(|pool| pool.replace(buffers));
    }
}

/// What a [`SentenceView`] knows of its sentence, in buffers handed from one view to the next
/// on a thread: tagging makes a view for every sentence, and allocating its vectors each time
/// showed.
#[derive(Debug, Default)]
pub(super) struct ViewBuffers {
    /// `ids[i]`: the interned id of token `i`'s term.
    pub(super) ids: Vec<u32>,
    /// Bit `id`: the term with this id occurs (ids interned after the view was made do not).
    present: Vec<u64>,
    /// `first_at[id]`: the first position of the term with this id, or [`NOWHERE`]; and
    /// `next_at[i]`: the next position of token `i`'s term after `i`, or [`NOWHERE`]. The
    /// positions of a term are a chain through the sentence. `first_at` is indexed by term id
    /// and lives on with the thread's buffers: only the entries of this sentence's terms are
    /// set, and they are cleared when the view is dropped, so every entry is [`NOWHERE`] while
    /// the buffers wait in the pool.
    first_at: Vec<u32>,
    next_at: Vec<u32>,
    /// `negated[i]`: token `i` is within a negator's scope.
    negated: Vec<bool>,
    /// `brk[i]`: a clause break (punctuation such as `,` `;` `:` `.` `(`) lies between token
    /// `i - 1` and token `i`.
    brk: Vec<bool>,
    /// Positions of the number tokens.
    pub(super) numbers: Vec<u32>,
    /// The view's spare span buffers, while the buffers wait in the pool.
    spans: Vec<Spans>,
}

/// No position: the end of a chain of positions, or a term not in the sentence.
const NOWHERE: u32 = u32::MAX;

thread_local! {
    /// The buffers of the last view dropped on this thread, for the next one to reuse.
    static SPARE_VIEW: RefCell<ViewBuffers> = RefCell::new(ViewBuffers::default());
}

/// Is this text between two tokens a clause break?
fn is_break(gap: &str) -> bool {
    // Nearly every gap is one space.
    if gap == " " {
        return false;
    }
    gap.chars().any(|c| {
        matches!(
            c,
            ',' | ';' | ':' | '.' | '(' | ')' | '!' | '?' | '\u{2013}' | '\u{2014}' | '|'
        )
    }) || gap.contains(" - ")
        || gap.contains('\n')
}

impl<'a> SentenceView<'a> {
    /// Prepare `tokens` (analysed from `text`) for matching.
    pub fn new(text: &'a str, tokens: &'a [AnalyzedToken], neg: &'a NegationSettings) -> Self {
        let n = tokens.len();
        let mut buf: ViewBuffers = SPARE_VIEW.try_with(RefCell::take).unwrap_or_default();
        let ViewBuffers {
            ids,
            present,
            first_at,
            next_at,
            negated,
            brk,
            numbers,
            spans,
        } = &mut buf;
        let spare = RefCell::new(std::mem::take(spans));
        let known = term_ids_into(tokens, ids);
        present.clear();
        present.resize(known.div_ceil(64), 0);
        for &id in ids.iter() {
            if let Some(word) = present.get_mut(id as usize / 64) {
                *word |= 1 << (id % 64);
            }
        }
        if first_at.len() < known {
            first_at.resize(known, NOWHERE);
        }
        next_at.clear();
        next_at.resize(n, NOWHERE);
        for (i, &id) in ids.iter().enumerate().rev() {
            if let Some(first) = first_at.get_mut(id as usize) {
                next_at[i] = *first;
                *first = i as u32;
            }
        }
        brk.clear();
        brk.resize(n, false);
        for i in 1..n {
            let (a, b) = (tokens[i - 1].end, tokens[i].start);
            // Offsets come from the caller: never trust them to be in range.
            brk[i] = a <= b && text.get(a..b).is_some_and(is_break);
        }
        negated.clear();
        negated.resize(n, false);
        for i in 0..n {
            let is_neg = neg.is(ids[i], NEGATOR) || tokens[i].term.ends_with("n't");
            if !is_neg {
                continue;
            }
            if i + 1 < n && neg.is(ids[i + 1], CANCELS_NEGATOR) {
                continue;
            }
            for (j, flag) in negated
                .iter_mut()
                .enumerate()
                .take((i + 1 + neg.window).min(n))
                .skip(i + 1)
            {
                if brk[j] {
                    break;
                }
                *flag = true;
            }
        }
        numbers.clear();
        for (i, token) in tokens.iter().enumerate() {
            if is_number(&token.term) || neg.is(ids[i], NUMBER_WORD) {
                numbers.push(i as u32);
            }
        }
        SentenceView {
            text,
            tokens,
            neg,
            buf,
            spare,
        }
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True for a sentence with no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The analysed term at `i`.
    pub fn term(&self, i: usize) -> Option<&'a str> {
        self.tokens.get(i).map(|t| t.term.as_str())
    }

    /// The text of token `i` as written (None when the caller's offsets are out of range).
    pub fn surface(&self, i: usize) -> Option<&'a str> {
        let t = self.tokens.get(i)?;
        self.text.get(t.start..t.end)
    }

    /// Whether the sentence is a question (contains `?` after its first token).
    pub fn is_question(&self) -> bool {
        let start = self.tokens.first().map_or(0, |t| t.start);
        self.text.get(start..).is_some_and(|t| t.contains('?'))
    }

    /// Whether the analysed term occurs in the sentence.
    pub fn contains_term(&self, term: &str) -> bool {
        self.tokens.iter().any(|t| t.term == term)
    }

    /// The distinct analysed terms of the sentence, in order of first occurrence.
    pub fn distinct_terms(&self) -> impl Iterator<Item = &'a str> + '_ {
        let tokens = self.tokens;
        tokens
            .iter()
            .enumerate()
            .filter(move |&(i, t)| !tokens[..i].iter().any(|u| u.term == t.term))
            .map(|(_, t)| t.term.as_str())
    }

    /// Whether token `i` is in a negator's scope.
    pub fn is_negated(&self, i: usize) -> bool {
        self.buf.negated.get(i).copied().unwrap_or(false)
    }

    /// The text between token `i - 1` and token `i` (punctuation and spaces), if known.
    pub fn gap_before(&self, i: usize) -> Option<&'a str> {
        let a = self.tokens.get(i.checked_sub(1)?)?.end;
        let b = self.tokens.get(i)?.start;
        if a <= b {
            self.text.get(a..b)
        } else {
            None
        }
    }

    /// Whether a clause break precedes token `i`.
    pub fn break_before(&self, i: usize) -> bool {
        self.buf.brk.get(i).copied().unwrap_or(false)
    }

    /// The numeric value of token `i` if it is a number (digits or one of the number words
    /// of the view's settings).
    pub fn number_value(&self, i: usize) -> Option<f64> {
        let t = &self.tokens.get(i)?.term;
        if is_number(t) {
            return t.replace(',', "").parse().ok();
        }
        let id = self.buf.ids[i];
        self.neg
            .number_words
            .iter()
            .find(|&&(w, _)| w == id && id != UNKNOWN_TERM)
            .map(|&(_, v)| v)
    }

    /// Positions of the tokens that are numbers (digits or number words), ascending; every
    /// token with a [`SentenceView::number_value`] is among them.
    pub fn number_positions(&self) -> impl Iterator<Item = usize> + '_ {
        self.buf.numbers.iter().map(|&p| p as usize)
    }

    pub(super) fn has_term_id(&self, id: u32) -> bool {
        self.buf
            .present
            .get(id as usize / 64)
            .is_some_and(|word| (word >> (id % 64)) & 1 == 1)
    }

    /// Ascending positions of the term with this id.
    pub(super) fn positions(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
        let mut at = self
            .buf
            .first_at
            .get(id as usize)
            .copied()
            .unwrap_or(NOWHERE);
        std::iter::from_fn(move || {
            let here = at;
            at = *self.buf.next_at.get(here as usize)?;
            Some(here)
        })
    }

    /// The distinct known terms of the sentence, each once, in order of first occurrence.
    pub(super) fn distinct_term_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.buf.ids.iter().enumerate().filter_map(|(i, &id)| {
            (self.buf.first_at.get(id as usize) == Some(&(i as u32))).then_some(id)
        })
    }

    pub(super) fn spare_spans(&self) -> Spans {
        self.spare.borrow_mut().pop().unwrap_or_default()
    }

    pub(super) fn recycle(&self, mut spans: Spans) {
        spans.clear();
        self.spare.borrow_mut().push(spans);
    }
}

fn is_number(t: &str) -> bool {
    !t.is_empty()
        && t.chars().next().is_some_and(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}
