//! The prefilter: which of a list of rules can possibly match a sentence, found from the terms
//! the sentence holds, so that tagging runs the full matcher on few rules of the taxonomy.

use rustc_hash::FxHashMap;

use crate::analysis;

use super::matching::exact_terms;
use super::{Rule, SentenceView};

/// Which of a list of rules can possibly match a sentence: exactly those each of whose required
/// term sets (as [`Rule::may_match`] has them, but choosing among alternatives the terms the
/// fewest of these rules mention) has a term in the sentence. A rule is looked at only when a
/// term of one of its sets occurs, and its other sets are then checked in one flat table:
/// checking them in each rule's own small vectors, scattered over the heap, was the largest
/// single cost of tagging.
#[derive(Debug, Clone, Default)]
pub struct Prefilter {
    /// `rules[starts[id]..starts[id + 1]]`: the rules filed under a required set holding term
    /// `id` (ids past the end of `starts` are in none).
    starts: Vec<u32>,
    rules: Vec<u32>,
    /// `needs[need_starts[i]..need_starts[i + 1]]`: rule `i`'s required sets but the one it is
    /// filed under, each written as its length followed by its term ids.
    need_starts: Vec<u32>,
    needs: Vec<u32>,
    /// Rules with no required set, which may match any sentence.
    always: Vec<u32>,
}

/// The commonest English function words, for [`Prefilter::new`] to avoid as triggers.
const COMMON_WORDS: &str = "a an the of to in on at by for with from and or but not no nor is \
    are was were be been being it its this that these those as has have had do does did will \
    would can could should may might must there their they them he she his her we our you your \
    which who whom what when where how all any some more most other such than then so if into \
    out up about over only also very";

impl Prefilter {
    /// Build over `rules` (their order defines the indices of [`Prefilter::active`]).
    pub fn new<'r>(rules: impl IntoIterator<Item = &'r Rule>) -> Self {
        let rules: Vec<&Rule> = rules.into_iter().collect();
        // A term many rules mention is a common word of reports ("staff", "case", "service"),
        // so the prefilter asks for the terms the fewest rules mention: in "(intranet|staff
        // briefings)" for "briefings" rather than "staff", and a rule is filed under its set
        // of such terms. Fewer rules are let through, and fewer checked, for each sentence.
        let mut uses: FxHashMap<u32, u64> = FxHashMap::default();
        for rule in &rules {
            let mut mentioned = Vec::new();
            rule.all
                .iter()
                .for_each(|part| exact_terms(part, &mut mentioned));
            mentioned.sort_unstable();
            mentioned.dedup();
            for id in mentioned {
                *uses.entry(id).or_default() += 1;
            }
        }
        // Function words are rare in rules but in almost every sentence: never ask for one
        // when there is a choice.
        let common_terms: Vec<String> = COMMON_WORDS
            .split_whitespace()
            .flat_map(analysis::terms)
            .collect();
        let common = analysis::known_term_ids(common_terms.iter().map(String::as_str));
        let weight = |set: &[u32]| -> u64 {
            set.iter()
                .map(|id| {
                    uses.get(id).copied().unwrap_or(0) + if common.contains(id) { 1000 } else { 0 }
                })
                .sum()
        };
        let required: Vec<Vec<Vec<u32>>> = rules.iter().map(|r| r.required_sets(&weight)).collect();
        let mut by_term: Vec<(u32, u32)> = Vec::new();
        let mut always = Vec::new();
        let mut need_starts = vec![0u32];
        let mut needs = Vec::new();
        for (i, sets) in required.iter().enumerate() {
            let lightest = (0..sets.len()).min_by_key(|&k| weight(&sets[k]));
            match lightest {
                Some(k) => by_term.extend(sets[k].iter().map(|&id| (id, i as u32))),
                None => always.push(i as u32),
            }
            // A rule is only looked at for a term of the set it is filed under, so that set
            // needs no check.
            for (k, set) in sets.iter().enumerate() {
                if Some(k) != lightest {
                    needs.push(set.len() as u32);
                    needs.extend_from_slice(set);
                }
            }
            need_starts.push(needs.len() as u32);
        }
        by_term.sort_unstable();
        by_term.dedup();
        let table_len = by_term.last().map_or(0, |&(id, _)| id as usize + 2);
        let mut starts = vec![0u32; table_len];
        for &(id, _) in &by_term {
            starts[id as usize + 1] += 1;
        }
        let mut total = 0;
        for start in &mut starts {
            total += *start;
            *start = total;
        }
        Prefilter {
            starts,
            rules: by_term.into_iter().map(|(_, rule)| rule).collect(),
            need_starts,
            needs,
            always,
        }
    }

    /// Number of rules.
    fn len(&self) -> usize {
        self.need_starts.len().saturating_sub(1)
    }

    /// Whether every required set of rule `rule` has a term in the sentence (the set it is filed
    /// under has one: the term that led to the rule).
    fn needs_met(&self, rule: usize, view: &SentenceView<'_>) -> bool {
        let (a, b) = (
            self.need_starts[rule] as usize,
            self.need_starts[rule + 1] as usize,
        );
        let mut rest = &self.needs[a..b];
        while let Some((&len, tail)) = rest.split_first() {
            let (set, after) = tail.split_at((len as usize).min(tail.len()));
            if !set.iter().any(|&id| view.has_term_id(id)) {
                return false;
            }
            rest = after;
        }
        true
    }

    /// `active[i]`: rule `i` may match the sentence.
    pub fn active(&self, view: &SentenceView<'_>) -> Vec<bool> {
        let set = self.active_set(view);
        (0..self.len()).map(|i| set.contains(i)).collect()
    }

    /// The rules that may match the sentence, as a set.
    pub fn active_set(&self, view: &SentenceView<'_>) -> RuleSet {
        let mut set = RuleSet::empty(self.len());
        for &i in &self.always {
            set.insert(i as usize);
        }
        for id in view.distinct_term_ids() {
            let id = id as usize;
            if id + 1 >= self.starts.len() {
                continue;
            }
            let (a, b) = (self.starts[id] as usize, self.starts[id + 1] as usize);
            for &rule in &self.rules[a..b] {
                let rule = rule as usize;
                if !set.contains(rule) && self.needs_met(rule, view) {
                    set.insert(rule);
                }
            }
        }
        set
    }
}

/// A set of rule indices below `len`; every index from `len` on counts as a member, so a
/// rule the prefilter does not know is never skipped.
#[derive(Debug, Clone)]
pub struct RuleSet {
    bits: Vec<u64>,
    len: usize,
}

impl RuleSet {
    pub(super) fn empty(len: usize) -> Self {
        RuleSet {
            bits: vec![0; len.div_ceil(64)],
            len,
        }
    }

    pub(super) fn insert(&mut self, i: usize) {
        // Indices from `len` on are members already.
        if i >= self.len {
            return;
        }
        if let Some(word) = self.bits.get_mut(i / 64) {
            *word |= 1 << (i % 64);
        }
    }

    /// Whether rule `i` may match.
    pub fn contains(&self, i: usize) -> bool {
        i >= self.len || (self.bits[i / 64] >> (i % 64)) & 1 == 1
    }

    /// The members in `range`, in increasing order.
    pub fn iter_in(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let mut i = range.start;
        std::iter::from_fn(move || {
            while i < range.end {
                if i >= self.len {
                    i += 1;
                    return Some(i - 1);
                }
                let rest = self.bits[i / 64] >> (i % 64);
                if rest == 0 {
                    i = (i / 64 + 1) * 64;
                    continue;
                }
                let member = i + rest.trailing_zeros() as usize;
                if member >= range.end {
                    break;
                }
                i = member + 1;
                return Some(member);
            }
            None
        })
    }
}
