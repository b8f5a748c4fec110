//! The rule language of the taxonomy: lexing, parsing (with character positions for
//! error messages), compiling every word through [`crate::analysis::terms`], and matching
//! compiled rules against one analysed sentence.
//!
//! This file holds the compiled form ([`Rule`], [`Node`], [`TermPat`]) and the limits; the
//! parts that make and use it are by concept:
//! - `syntax`: the lexer and parser, text to [`Node`]s, with [`RuleError`]s that carry columns;
//! - `sentence`: a sentence prepared for matching ([`SentenceView`]): term positions, clause
//!   breaks, negation scope ([`NegationSettings`]) and numbers;
//! - `matching`: evaluating [`Node`]s over a [`SentenceView`] into spans;
//! - `prefilter`: which of many rules can match a sentence at all ([`Prefilter`], [`RuleSet`]),
//!   so that tagging looks at few of them.
//!
//! Grammar (keywords are upper case; everything else is a word):
//!
//! ```text
//! rule  := near ( "AND" ["NOT"] near )*      all positive parts anywhere, no NOT part anywhere
//! near  := alt  ( "NEAR/" N alt )*           next part within N words, either order
//! alt   := seq  ( "|" seq )*                 any of the alternatives
//! seq   := item+                             consecutive terms (a phrase)
//! item  := "~" item                          fails where it stands in the scope of a negator
//!        | "(" near ")" ["?"]                  a group; `?` makes it optional inside a phrase
//!        | word | word* | #num
//! ```
//!
//! Matching works on spans `(start, end)` of token positions, bottom-up, so its cost is
//! bounded by the sentence length times the rule size (no backtracking); the limits below
//! keep a hostile taxonomy file from making it expensive.

mod from_query;
mod matching;
mod prefilter;
mod sentence;
mod syntax;

pub use from_query::rules_from_query;
pub(crate) use matching::Spans;
use matching::{eval, occurs, required_terms};
pub use prefilter::{Prefilter, RuleSet};
pub use sentence::{NegationSettings, SentenceView};
pub use syntax::RuleError;

/// Longest rule text accepted, in characters.
pub const MAX_RULE_CHARS: usize = 2000;
/// Most analysed terms (leaves) one rule may contain.
pub const MAX_TERMS_PER_RULE: usize = 300;
/// Most alternatives one `( … | … )` group may list.
pub const MAX_ALTERNATIVES: usize = 150;
/// Largest `NEAR/N` window.
pub const MAX_NEAR_WINDOW: u32 = 40;
/// Deepest nesting of parentheses.
pub const MAX_DEPTH: usize = 10;

/// One leaf of a compiled rule: what a single token must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermPat {
    /// The analysed term, exactly; `id` is its interned id.
    Exact {
        /// The analysed term.
        term: String,
        /// Its id (see [`crate::analysis::intern`]).
        id: u32,
    },
    /// Any analysed term starting with this (from `word*`).
    Prefix(String),
    /// Any number: digits ("72", "5.6") or a number word ("five", "twenty").
    Number,
}

/// A compiled expression producing spans of token positions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    /// One token.
    Term(TermPat),
    /// Consecutive parts.
    Seq(Vec<Node>),
    /// Any of the parts.
    Alt(Vec<Node>),
    /// Both parts, disjoint, with at most `window` tokens between them, in either order.
    Near(Box<Node>, Box<Node>, u32),
    /// The part, but only where its first token is not in a negator's scope.
    Asserted(Box<Node>),
    /// A group that may be skipped; only inside a phrase, never first or last.
    Optional(Box<Node>),
}

/// A compiled rule: every `all` part must match somewhere in the sentence and no `none`
/// part may.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// The rule as written in the taxonomy file.
    pub source: String,
    all: Vec<Node>,
    none: Vec<Node>,
    /// Sets of term ids of which the sentence must contain at least one each, or the rule
    /// cannot match (a stronger test than the triggers, which keep only one such set).
    required: Vec<Vec<u32>>,
}

impl Rule {
    /// Parse and compile `source`.
    pub fn parse(source: &str) -> Result<Rule, RuleError> {
        let (all, none) = syntax::parse(source)?;
        let mut rule = Rule {
            source: source.to_string(),
            all,
            none,
            required: Vec::new(),
        };
        rule.required = rule.required_sets(&|set| set.len() as u64);
        Ok(rule)
    }

    /// Sets of term ids of which a sentence must contain at least one each for the rule to
    /// match. Where a part has alternatives, one set of each alternative is taken, the one
    /// `weight` rates lowest: any choice is correct, and a lighter one lets through fewer
    /// sentences the rule will not match.
    fn required_sets(&self, weight: &dyn Fn(&[u32]) -> u64) -> Vec<Vec<u32>> {
        let mut sets = Vec::new();
        for part in &self.all {
            required_terms(part, &mut sets, weight);
        }
        sets.sort_unstable();
        sets.dedup();
        sets
    }

    /// Whether the rule matches the sentence.
    pub fn is_match(&self, s: &SentenceView<'_>) -> bool {
        self.may_match(s) && self.is_match_prefiltered(s)
    }

    /// [`Rule::is_match`] for a rule a [`Prefilter`] let through, which has already seen that
    /// the sentence holds the terms the rule needs.
    pub(crate) fn is_match_prefiltered(&self, s: &SentenceView<'_>) -> bool {
        self.all.iter().all(|n| occurs(n, s)) && !self.none.iter().any(|n| occurs(n, s))
    }

    /// The spans of the rule's first part, if the whole rule matches (used for polarity cues,
    /// which need to know where in the sentence they matched).
    pub fn match_spans(&self, s: &SentenceView<'_>) -> Vec<(u32, u32)> {
        let mut spans = Vec::new();
        self.match_spans_into(s, &mut spans);
        spans
    }

    /// [`Rule::match_spans`] into a buffer the caller reuses.
    pub(crate) fn match_spans_into(&self, s: &SentenceView<'_>, out: &mut Spans) {
        out.clear();
        if !self.may_match(s) || self.none.iter().any(|n| occurs(n, s)) {
            return;
        }
        let Some((first, rest)) = self.all.split_first() else {
            return;
        };
        if rest.iter().all(|n| occurs(n, s)) {
            eval(first, s, out);
        }
    }

    /// False when the sentence lacks terms the rule needs, so it cannot match.
    fn may_match(&self, s: &SentenceView<'_>) -> bool {
        self.required
            .iter()
            .all(|ids| ids.iter().any(|&id| s.has_term_id(id)))
    }

    /// True when the rule is a single span-producing expression (no `AND`).
    pub fn is_simple(&self) -> bool {
        self.all.len() == 1 && self.none.is_empty()
    }
}

#[cfg(test)]
mod tests;
