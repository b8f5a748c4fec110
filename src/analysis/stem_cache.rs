//! Stemming: the length filter and the Snowball English stemmer applied to every word, with a
//! per-thread memo of stems (and their term ids), because stemming is the main cost of the
//! chain once splitting is fast and report vocabulary is small and repetitive.

use std::borrow::Cow;
use std::cell::RefCell;

use once_cell::sync::Lazy;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

use super::chain::Emit;
use super::term_table::{term_count, TermStamp};
use super::MAX_TERM_BYTES;

/// The English stemmer is not `Clone`, so one shared instance serves every caller.
pub(super) static STEMMER: Lazy<Stemmer> = Lazy::new(|| Stemmer::create(Algorithm::English));

/// Length filter and stemming, then hand the term on. Only ASCII words are stemmed: the
/// Snowball English rules mean nothing for other scripts, and accent folding has already
/// turned Latin-script words such as "naïve" into ASCII.
pub(super) fn emit_word(word: &str, start: usize, end: usize, emit: &mut Emit<'_>) {
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
pub(super) const INLINE_WORD: usize = 27;

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
pub(super) struct StemCache {
    slots: Box<[StemSlot]>,
    overflow: FxHashMap<Box<str>, (Box<str>, TermStamp)>,
}

impl StemCache {
    pub(super) fn new() -> Self {
        StemCache {
            slots: vec![StemSlot::EMPTY; 2 * STEM_SETS].into_boxed_slice(),
            overflow: FxHashMap::default(),
        }
    }

    pub(super) fn set_of(word: &str) -> usize {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let hash = BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(word.as_bytes());
        // The high bits of an Fx hash are the well-mixed ones.
        2 * ((hash >> 32) as usize % STEM_SETS)
    }

    /// The stem of `word` and its term id, when the table holds `term_count` terms.
    pub(super) fn get<'a>(
        &'a mut self,
        word: &'a str,
        term_count: u32,
    ) -> Option<(&'a str, TermStamp)> {
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

    pub(super) fn insert(&mut self, word: &str, stem: &str, stamp: TermStamp) {
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
