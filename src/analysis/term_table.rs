//! The term table: every term a theme rule, cue or negation setting mentions, with an integer
//! id, so that matching compares integers; and the stamps ([`TermStamp`]) with which analysed
//! tokens carry their term's id from the analyser to the matcher.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{PoisonError, RwLock};

use once_cell::sync::Lazy;
use rustc_hash::FxHashMap;

use super::AnalyzedToken;

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

pub(super) fn term_count() -> u32 {
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
    pub(super) fn of(term: &str) -> TermStamp {
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
    pub(super) fn id(self, count_now: u32) -> Option<u32> {
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
