//! The rule language of the taxonomy: lexing, parsing (with character positions for
//! error messages), compiling every word through [`crate::analysis::terms`], and matching
//! compiled rules against one analysed sentence.
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

use std::cell::RefCell;
use std::fmt;

use rustc_hash::FxHashMap;

use crate::analysis::{self, intern, term_ids_into, AnalyzedToken, UNKNOWN_TERM};

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
/// Most spans kept per node while matching one sentence; more are dropped (a safety valve
/// for pathological rules, never reached by ordinary ones).
const MAX_SPANS: usize = 1024;

/// A rule that could not be parsed or compiled. `column` is 1-based, in characters of the
/// rule text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    /// 1-based character column in the rule text where the problem was found.
    pub column: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

impl RuleError {
    fn new(column: usize, message: impl Into<String>) -> Self {
        RuleError {
            column,
            message: message.into(),
        }
    }
}

/// One leaf of a compiled rule: what a single token must be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TermPat {
    /// The analysed term, exactly; `id` is its interned id.
    Exact {
        /// The analysed term.
        term: String,
        /// Its id (see [`intern`]).
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
        if source.chars().count() > MAX_RULE_CHARS {
            return Err(RuleError::new(
                MAX_RULE_CHARS,
                format!("rule is longer than {MAX_RULE_CHARS} characters"),
            ));
        }
        let toks = lex(source)?;
        if toks.is_empty() {
            return Err(RuleError::new(1, "rule is empty"));
        }
        let mut p = Parser {
            toks,
            pos: 0,
            depth: 0,
            leaves: 0,
            end_col: source.chars().count() + 1,
        };
        let (all, none) = p.rule()?;
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

// ---------------------------------------------------------------------------------------
// Lexing

#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Word { text: String, prefix: bool },
    Num,
    And,
    Not,
    Near(u32),
    Open,
    Close,
    Bar,
    Tilde,
    Question,
}

/// Characters that end a word.
fn is_special(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '|' | '~' | '?')
}

fn lex(src: &str) -> Result<Vec<(Tok, usize)>, RuleError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let col = i + 1;
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let simple = match c {
            '(' => Some(Tok::Open),
            ')' => Some(Tok::Close),
            '|' => Some(Tok::Bar),
            '~' => Some(Tok::Tilde),
            '?' => Some(Tok::Question),
            _ => None,
        };
        if let Some(t) = simple {
            out.push((t, col));
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && !is_special(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        let tok = if word == "AND" {
            Tok::And
        } else if word == "NOT" {
            Tok::Not
        } else if word == "#num" {
            Tok::Num
        } else if let Some(rest) = word.strip_prefix("NEAR") {
            let n = rest
                .strip_prefix('/')
                .ok_or_else(|| RuleError::new(col, "NEAR needs a window, e.g. `NEAR/5`"))?;
            let n: u32 = n.parse().map_err(|_| {
                RuleError::new(col, format!("NEAR window `{n}` is not a whole number"))
            })?;
            if n == 0 || n > MAX_NEAR_WINDOW {
                return Err(RuleError::new(
                    col,
                    format!("NEAR window must be between 1 and {MAX_NEAR_WINDOW}, not {n}"),
                ));
            }
            Tok::Near(n)
        } else if word.starts_with('#') {
            return Err(RuleError::new(
                col,
                format!("unknown class `{word}` (the only class is `#num`)"),
            ));
        } else if let Some(stem) = word.strip_suffix('*') {
            if stem.contains('*') {
                return Err(RuleError::new(col, "`*` may only end a word"));
            }
            Tok::Word {
                text: stem.to_string(),
                prefix: true,
            }
        } else {
            if word.contains('*') {
                return Err(RuleError::new(col, "`*` may only end a word"));
            }
            Tok::Word {
                text: word,
                prefix: false,
            }
        };
        out.push((tok, col));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Parsing + compiling

struct Parser {
    toks: Vec<(Tok, usize)>,
    pos: usize,
    depth: usize,
    leaves: usize,
    end_col: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(t, _)| t)
    }

    fn col(&self) -> usize {
        self.toks.get(self.pos).map_or(self.end_col, |(_, c)| *c)
    }

    fn rule(&mut self) -> Result<(Vec<Node>, Vec<Node>), RuleError> {
        if self.peek() == Some(&Tok::Not) {
            return Err(RuleError::new(
                self.col(),
                "a rule cannot start with NOT; write `x AND NOT y`, or put `y` in `exclude`",
            ));
        }
        let mut all = vec![self.near()?];
        let mut none = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Tok::And => {
                    self.pos += 1;
                    if self.peek() == Some(&Tok::Not) {
                        self.pos += 1;
                        none.push(self.near()?);
                    } else {
                        all.push(self.near()?);
                    }
                }
                Tok::Close => return Err(RuleError::new(self.col(), "unbalanced `)`")),
                _ => return Err(RuleError::new(self.col(), "unexpected token")),
            }
        }
        Ok((all, none))
    }

    fn near(&mut self) -> Result<Node, RuleError> {
        let mut left = self.alt()?;
        while let Some(Tok::Near(n)) = self.peek() {
            let n = *n;
            self.pos += 1;
            let right = self.alt()?;
            left = Node::Near(Box::new(left), Box::new(right), n);
        }
        Ok(left)
    }

    fn alt(&mut self) -> Result<Node, RuleError> {
        let mut alts = vec![self.seq()?];
        while self.peek() == Some(&Tok::Bar) {
            self.pos += 1;
            if alts.len() >= MAX_ALTERNATIVES {
                return Err(RuleError::new(
                    self.col(),
                    format!("more than {MAX_ALTERNATIVES} alternatives in one group"),
                ));
            }
            alts.push(self.seq()?);
        }
        Ok(if alts.len() == 1 {
            alts.pop().unwrap_or(Node::Alt(Vec::new()))
        } else {
            Node::Alt(alts)
        })
    }

    fn seq(&mut self) -> Result<Node, RuleError> {
        let start_col = self.col();
        let mut items = Vec::new();
        while let Some(t) = self.peek() {
            match t {
                Tok::Word { .. } | Tok::Num | Tok::Open | Tok::Tilde => {
                    items.extend(self.item()?);
                }
                _ => break,
            }
        }
        if items.is_empty() {
            let what = match self.peek() {
                None => "the rule ends where a word or `(` was expected".to_string(),
                Some(Tok::And) => "AND needs a word or `(` on both sides".to_string(),
                Some(Tok::Not) => "NOT is only allowed as `AND NOT`".to_string(),
                Some(Tok::Near(_)) => "NEAR needs a word or `(` on both sides".to_string(),
                Some(Tok::Bar) => "empty alternative before or after `|`".to_string(),
                Some(Tok::Close) => "empty group `()` or misplaced `)`".to_string(),
                Some(Tok::Question) => "`?` may only follow a group, as in `(the)?`".to_string(),
                Some(_) => "a word or `(` was expected".to_string(),
            };
            return Err(RuleError::new(self.col(), what));
        }
        let first_or_last_optional = matches!(items.first(), Some(Node::Optional(_)))
            || matches!(items.last(), Some(Node::Optional(_)));
        if first_or_last_optional {
            return Err(RuleError::new(
                start_col,
                "an optional group `(…)?` needs a word before and after it in the phrase",
            ));
        }
        Ok(if items.len() == 1 {
            items.pop().unwrap_or(Node::Seq(Vec::new()))
        } else {
            Node::Seq(items)
        })
    }

    /// One item; a word that analyses to several terms yields several nodes.
    fn item(&mut self) -> Result<Vec<Node>, RuleError> {
        let col = self.col();
        let Some((tok, _)) = self.toks.get(self.pos).cloned() else {
            return Err(RuleError::new(col, "a word or `(` was expected"));
        };
        self.pos += 1;
        match tok {
            Tok::Tilde => {
                let mut inner = self.item()?;
                let node = if inner.len() == 1 {
                    inner.pop().unwrap_or(Node::Seq(Vec::new()))
                } else {
                    Node::Seq(inner)
                };
                Ok(vec![Node::Asserted(Box::new(node))])
            }
            Tok::Open => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(RuleError::new(
                        col,
                        format!("parentheses nested deeper than {MAX_DEPTH}"),
                    ));
                }
                let node = self.near()?;
                if self.peek() != Some(&Tok::Close) {
                    return Err(RuleError::new(col, "unbalanced `(`: no matching `)`"));
                }
                self.pos += 1;
                self.depth -= 1;
                if self.peek() == Some(&Tok::Question) {
                    self.pos += 1;
                    return Ok(vec![Node::Optional(Box::new(node))]);
                }
                Ok(vec![node])
            }
            Tok::Num => {
                self.leaf(col)?;
                Ok(vec![Node::Term(TermPat::Number)])
            }
            Tok::Word { text, prefix } => {
                let terms = analysis::terms(&text);
                if terms.is_empty() {
                    return Err(RuleError::new(
                        col,
                        format!("`{text}` analyses to nothing (no letters or digits)"),
                    ));
                }
                let n = terms.len();
                let mut out = Vec::with_capacity(n);
                for (i, t) in terms.into_iter().enumerate() {
                    self.leaf(col)?;
                    out.push(Node::Term(if prefix && i + 1 == n {
                        TermPat::Prefix(t)
                    } else {
                        TermPat::Exact {
                            id: intern(&t),
                            term: t,
                        }
                    }));
                }
                Ok(out)
            }
            _ => Err(RuleError::new(col, "a word or `(` was expected")),
        }
    }

    fn leaf(&mut self, col: usize) -> Result<(), RuleError> {
        self.leaves += 1;
        if self.leaves > MAX_TERMS_PER_RULE {
            return Err(RuleError::new(
                col,
                format!("rule has more than {MAX_TERMS_PER_RULE} terms"),
            ));
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Prefiltering

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
    fn empty(len: usize) -> Self {
        RuleSet {
            bits: vec![0; len.div_ceil(64)],
            len,
        }
    }

    fn insert(&mut self, i: usize) {
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

// ---------------------------------------------------------------------------------------
// Matching

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
    tokens: &'a [AnalyzedToken],
    neg: &'a NegationSettings,
    buf: ViewBuffers,
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
struct ViewBuffers {
    /// `ids[i]`: the interned id of token `i`'s term.
    ids: Vec<u32>,
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
    numbers: Vec<u32>,
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

    fn has_term_id(&self, id: u32) -> bool {
        self.buf
            .present
            .get(id as usize / 64)
            .is_some_and(|word| (word >> (id % 64)) & 1 == 1)
    }

    /// Ascending positions of the term with this id.
    fn positions(&self, id: u32) -> impl Iterator<Item = u32> + '_ {
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
    fn distinct_term_ids(&self) -> impl Iterator<Item = u32> + '_ {
        self.buf.ids.iter().enumerate().filter_map(|(i, &id)| {
            (self.buf.first_at.get(id as usize) == Some(&(i as u32))).then_some(id)
        })
    }

    fn spare_spans(&self) -> Spans {
        self.spare.borrow_mut().pop().unwrap_or_default()
    }

    fn recycle(&self, mut spans: Spans) {
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

pub(crate) type Spans = Vec<(u32, u32)>;

/// Whether `node` matches anywhere in the sentence: what `!eval(..).is_empty()` says, without
/// building the spans for the common shapes (a term, a phrase of terms, alternatives).
fn occurs(node: &Node, s: &SentenceView<'_>) -> bool {
    match node {
        Node::Term(TermPat::Exact { id, .. }) => s.has_term_id(*id),
        Node::Term(TermPat::Number) => !s.buf.numbers.is_empty(),
        Node::Alt(alts) => alts.iter().any(|a| occurs(a, s)),
        Node::Optional(inner) => occurs(inner, s),
        Node::Seq(items)
            if items
                .iter()
                .all(|i| matches!(i, Node::Term(TermPat::Exact { .. }))) =>
        {
            let mut ids = items.iter().map(|i| match i {
                Node::Term(TermPat::Exact { id, .. }) => *id,
                _ => UNKNOWN_TERM,
            });
            let Some(first) = ids.next() else {
                return false;
            };
            s.positions(first).any(|p| {
                ids.clone()
                    .enumerate()
                    .all(|(k, id)| s.buf.ids.get(p as usize + 1 + k) == Some(&id))
            })
        }
        _ => {
            let mut spans = s.spare_spans();
            eval(node, s, &mut spans);
            let found = !spans.is_empty();
            s.recycle(spans);
            found
        }
    }
}

/// The spans where `node` matches, into `out` (cleared first).
fn eval(node: &Node, s: &SentenceView<'_>, out: &mut Spans) {
    out.clear();
    match node {
        Node::Term(TermPat::Exact { id, .. }) => out.extend(s.positions(*id).map(|p| (p, p + 1))),
        Node::Term(TermPat::Prefix(t)) => out.extend(
            s.tokens
                .iter()
                .enumerate()
                .filter(|(_, x)| x.term.starts_with(t.as_str()))
                .map(|(i, _)| (i as u32, i as u32 + 1)),
        ),
        Node::Term(TermPat::Number) => out.extend(s.buf.numbers.iter().map(|&p| (p, p + 1))),
        Node::Seq(items) => {
            let mut next = s.spare_spans();
            let mut joined = s.spare_spans();
            for (k, item) in items.iter().enumerate() {
                if let Node::Optional(inner) = item {
                    // Either skip the group or take it.
                    eval(inner, s, &mut next);
                    join(out, &mut next, &mut joined);
                    out.extend_from_slice(&joined);
                    normalise(out);
                    continue;
                }
                eval(item, s, &mut next);
                if k == 0 {
                    std::mem::swap(out, &mut next);
                } else {
                    join(out, &mut next, &mut joined);
                    std::mem::swap(out, &mut joined);
                }
                if out.is_empty() {
                    break;
                }
            }
            s.recycle(next);
            s.recycle(joined);
        }
        Node::Alt(alts) => {
            let mut part = s.spare_spans();
            for a in alts {
                eval(a, s, &mut part);
                out.extend_from_slice(&part);
                if out.len() > MAX_SPANS {
                    break;
                }
            }
            s.recycle(part);
            normalise(out);
        }
        Node::Near(l, r, w) => {
            let mut left = s.spare_spans();
            eval(l, s, &mut left);
            if !left.is_empty() {
                let mut right = s.spare_spans();
                eval(r, s, &mut right);
                'outer: for &(a0, a1) in &left {
                    for &(b0, b1) in &right {
                        let gap = if a1 <= b0 {
                            b0 - a1
                        } else if b1 <= a0 {
                            a0 - b1
                        } else {
                            continue; // overlapping parts do not count as two parts
                        };
                        if gap <= *w {
                            out.push((a0.min(b0), a1.max(b1)));
                            if out.len() > MAX_SPANS {
                                break 'outer;
                            }
                        }
                    }
                }
                s.recycle(right);
                normalise(out);
            }
            s.recycle(left);
        }
        Node::Optional(inner) => eval(inner, s, out),
        Node::Asserted(inner) => {
            eval(inner, s, out);
            out.retain(|&(a, _)| !s.is_negated(a as usize));
        }
    }
}

/// Adds to `out` sets of term ids such that `node` can only match a sentence containing at
/// least one term of each set (see [`Rule::may_match`]).
fn required_terms(node: &Node, out: &mut Vec<Vec<u32>>, weight: &dyn Fn(&[u32]) -> u64) {
    match node {
        Node::Term(TermPat::Exact { id, .. }) => out.push(vec![*id]),
        Node::Term(_) | Node::Optional(_) => {}
        // Every part of a phrase or a NEAR must match.
        Node::Seq(items) => items.iter().for_each(|i| required_terms(i, out, weight)),
        Node::Near(l, r, _) => {
            required_terms(l, out, weight);
            required_terms(r, out, weight);
        }
        Node::Asserted(inner) => required_terms(inner, out, weight),
        // Some alternative must match, so one required set of each, together, is required.
        Node::Alt(alts) => {
            let mut union = Vec::new();
            for a in alts {
                let mut sets = Vec::new();
                required_terms(a, &mut sets, weight);
                let Some(lightest) = sets.into_iter().min_by_key(|set| weight(set)) else {
                    return;
                };
                union.extend(lightest);
            }
            union.sort_unstable();
            union.dedup();
            out.push(union);
        }
    }
}

/// Adds the ids of every exact term of `node` to `out`.
fn exact_terms(node: &Node, out: &mut Vec<u32>) {
    match node {
        Node::Term(TermPat::Exact { id, .. }) => out.push(*id),
        Node::Term(_) => {}
        Node::Seq(items) | Node::Alt(items) => items.iter().for_each(|i| exact_terms(i, out)),
        Node::Near(l, r, _) => {
            exact_terms(l, out);
            exact_terms(r, out);
        }
        Node::Asserted(inner) | Node::Optional(inner) => exact_terms(inner, out),
    }
}

/// Concatenate: spans of `left` immediately followed by spans of `right`, into `out`.
fn join(left: &Spans, right: &mut Spans, out: &mut Spans) {
    out.clear();
    right.sort_unstable();
    for &(a0, a1) in left {
        let i = right.partition_point(|&(b0, _)| b0 < a1);
        for &(b0, b1) in &right[i..] {
            if b0 != a1 {
                break;
            }
            out.push((a0, b1));
        }
        if out.len() > MAX_SPANS {
            break;
        }
    }
    normalise(out);
}

fn normalise(v: &mut Spans) {
    v.sort_unstable();
    v.dedup();
    v.truncate(MAX_SPANS);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view_match(rule: &str, text: &str) -> bool {
        let r = Rule::parse(rule).unwrap_or_else(|e| panic!("rule `{rule}`: {e}"));
        let toks = analysis::analyze(text);
        let negators: Vec<String> = ["no", "not", "without", "never"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cancel = ["onli".to_string(), "just".to_string()];
        let numbers = [("five".to_string(), 5.0), ("eight".to_string(), 8.0)];
        let neg = NegationSettings::new(&negators, &cancel, 3, &numbers);
        let view = SentenceView::new(text, &toks, &neg);
        r.is_match(&view)
    }

    #[test]
    fn test_phrase_matches_consecutive_terms_only() {
        assert!(view_match(
            "vetting delays",
            "There were long vetting delays."
        ));
        assert!(view_match("vetting delays", "Vetting delayed the start."));
        assert!(!view_match("vetting delays", "Vetting caused long delays."));
    }

    #[test]
    fn test_near_matches_both_orders_within_window() {
        let r = "vetting NEAR/3 (delay|slow)";
        assert!(view_match(r, "delays in vetting"));
        assert!(view_match(r, "vetting was very slow"));
        assert!(!view_match(
            r,
            "vetting was done, and much later it was slow"
        ));
    }

    #[test]
    fn test_alternatives_may_be_phrases() {
        let r = "recruitment NEAR/4 (took too long|backlog)";
        assert!(view_match(r, "recruitment took too long"));
        assert!(view_match(r, "a backlog in recruitment"));
        assert!(!view_match(r, "recruitment took long"));
    }

    #[test]
    fn test_and_requires_both_anywhere() {
        let r = "vetting AND recruit*";
        assert!(view_match(r, "Recruitment was hampered; vetting was slow."));
        assert!(!view_match(r, "Vetting was slow."));
    }

    #[test]
    fn test_prefix_matches_stemmed_terms() {
        assert!(view_match("recruit*", "new recruits"));
        assert!(view_match("recruit*", "recruitment campaigns"));
        assert!(!view_match("recruit*", "the cruiting"));
    }

    #[test]
    fn test_and_not_vetoes() {
        let r = "victim* AND NOT potential victims";
        assert!(view_match(r, "Victims were contacted."));
        assert!(!view_match(r, "to protect actual or potential victims"));
    }

    #[test]
    fn test_asserted_part_fails_under_negation() {
        let r = "vetting NEAR/5 ~(delay|slow)";
        assert!(view_match(r, "delays in vetting"));
        assert!(!view_match(r, "There were no delays in vetting."));
        // a clause break ends the negator's scope
        assert!(view_match(r, "No complaints, but delays in vetting."));
        // "not only" is not a negation
        assert!(view_match(r, "not only delays in vetting"));
    }

    #[test]
    fn test_optional_group_inside_phrase() {
        let r = "prior to (their)? release";
        assert!(view_match(r, "prior to release"));
        assert!(view_match(r, "prior to their release"));
        assert!(!view_match(r, "prior to his release"));
        assert!(Rule::parse("(the)? release").is_err());
        assert!(Rule::parse("release (the)?").is_err());
        assert!(Rule::parse("release? now").is_err());
    }

    /// Which of `rules` the prefilter lets through for `text`.
    fn prefiltered(rules: &[&str], text: &str) -> Vec<bool> {
        let rules: Vec<Rule> = rules
            .iter()
            .map(|r| Rule::parse(r).unwrap_or_else(|e| panic!("rule `{r}`: {e}")))
            .collect();
        let toks = analysis::analyze(text);
        let neg = NegationSettings::new(&[], &[], 3, &[]);
        let view = SentenceView::new(text, &toks, &neg);
        Prefilter::new(&rules).active(&view)
    }

    #[test]
    fn test_prefilter_needs_a_term_of_every_required_set() {
        let rules = [
            // Needs "vet" and one of "delay"/"slow"; a prefix names no term.
            "vetting NEAR/5 (delay|slow) AND recruit*",
            // No term is needed, so it is always let through.
            "(recruit*|vetting)",
            "only #num of #num",
        ];
        assert_eq!(
            prefiltered(&rules, "Slow vetting held up recruitment."),
            [true, true, false]
        );
        assert_eq!(
            prefiltered(&rules, "Vetting was quick; only 3 of 9 posts filled."),
            [false, true, true]
        );
        assert_eq!(
            prefiltered(&rules, "Delays were long."),
            [false, true, false]
        );
        // Let through is not matched: prefixes ("recruit*"), order and distance are the
        // matcher's to check.
        assert_eq!(
            prefiltered(&rules, "Delays of many months, then vetting."),
            [true, true, false]
        );
        assert!(!view_match(
            rules[0],
            "Delays of many months, then vetting."
        ));
    }

    #[test]
    fn test_prefilter_agrees_with_the_rules_on_the_taxonomy() {
        // Every rule the full matcher accepts must be let through, for the whole taxonomy
        // against the shipped reports' sentences.
        let taxonomy = crate::themes::Taxonomy::embedded();
        let rules: Vec<&Rule> = taxonomy
            .themes
            .iter()
            .flat_map(|t| t.matchers.iter())
            .collect();
        let prefilter = Prefilter::new(rules.iter().copied());
        let neg = NegationSettings::new(&[], &[], 3, &[]);
        let mut let_through = 0;
        let mut matched = 0;
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let mut sentences = Vec::new();
        for entry in std::fs::read_dir(&corpus).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.extension().is_some_and(|x| x == "txt") {
                let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
                let segmented = crate::segment::segment(&text);
                sentences.extend(
                    segmented
                        .sentences
                        .iter()
                        .map(|u| text[u.start..u.end].to_string()),
                );
            }
        }
        assert!(sentences.len() > 500, "{} sentences", sentences.len());
        for text in sentences {
            let toks = analysis::analyze(&text);
            let view = SentenceView::new(&text, &toks, &neg);
            let active = prefilter.active(&view);
            for (i, rule) in rules.iter().enumerate() {
                let full = rule.is_match(&view);
                assert!(!full || active[i], "`{}` matches {text:?}", rule.source);
                if active[i] {
                    let_through += 1;
                    assert_eq!(rule.is_match_prefiltered(&view), full, "`{}`", rule.source);
                }
                matched += usize::from(full);
            }
        }
        assert!(
            matched > 100,
            "only {matched} matches: the sample is too small"
        );
        // The point of it: on report text (about 2,000 matches, 4,600 rules let through of
        // 530,000 pairs) far fewer rules are looked at than the taxonomy has.
        assert!(
            let_through < 4 * matched,
            "{let_through} rules let through for {matched} matches"
        );
    }

    #[test]
    fn test_views_find_every_position_of_a_term_and_forget_them_after() {
        let neg = NegationSettings::default();
        let (delay, vet) = (intern("delay"), intern("vet"));
        let first = "Delay, vetting delays; delayed.";
        let tokens = analysis::analyze(first);
        {
            let view = SentenceView::new(first, &tokens, &neg);
            assert_eq!(view.positions(delay).collect::<Vec<_>>(), [0, 2, 3]);
            assert_eq!(view.positions(vet).collect::<Vec<_>>(), [1]);
            assert_eq!(view.distinct_term_ids().collect::<Vec<_>>(), [delay, vet]);
        }
        // The next view on this thread reuses the buffers, not the positions.
        let second = "There were no delays.";
        let tokens = analysis::analyze(second);
        let view = SentenceView::new(second, &tokens, &neg);
        assert_eq!(view.positions(delay).collect::<Vec<_>>(), [3]);
        assert_eq!(view.positions(vet).count(), 0);
        assert_eq!(view.positions(UNKNOWN_TERM).count(), 0);
    }

    #[test]
    fn test_rule_set_lists_the_members_of_a_range() {
        let mut set = RuleSet::empty(150);
        for i in [0, 5, 63, 64, 65, 127, 128, 149, 155] {
            set.insert(i);
        }
        let members = |range| set.iter_in(range).collect::<Vec<_>>();
        assert_eq!(members(0..150), [0, 5, 63, 64, 65, 127, 128, 149]);
        assert_eq!(members(5..64), [5, 63]);
        assert_eq!(members(6..63), Vec::<usize>::new());
        assert_eq!(members(63..129), [63, 64, 65, 127, 128]);
        assert_eq!(members(70..70), Vec::<usize>::new());
        // Rules past the prefilter's end are never skipped.
        assert_eq!(members(140..153), [149, 150, 151, 152]);
        assert_eq!(members(160..162), [160, 161]);
    }

    #[test]
    fn test_number_class() {
        assert!(view_match("only #num of #num", "only 8 of 22 cases"));
        assert!(view_match("up to #num months", "up to five months"));
        assert!(!view_match("up to #num months", "up to many months"));
    }

    #[test]
    fn test_parse_errors_carry_columns() {
        let e = Rule::parse("(vetting | delay").unwrap_err();
        assert_eq!(e.column, 1, "{e}");
        assert!(e.message.contains("unbalanced"));
        let e = Rule::parse("vetting NEAR delay").unwrap_err();
        assert_eq!(e.column, 9);
        let e = Rule::parse("vetting NEAR/x delay").unwrap_err();
        assert!(e.message.contains("whole number"));
        let e = Rule::parse("vetting NEAR/500 delay").unwrap_err();
        assert!(e.message.contains("between 1 and"));
        let e = Rule::parse("a )").unwrap_err();
        assert_eq!(e.column, 3);
        let e = Rule::parse("!!!").unwrap_err();
        assert!(e.message.contains("analyses to nothing"));
        assert!(Rule::parse("   ").is_err());
        assert!(Rule::parse("a AND").is_err());
        assert!(Rule::parse("NOT a").is_err());
        assert!(Rule::parse("a | | b").is_err());
        assert!(Rule::parse("re*cruit").is_err());
        assert!(Rule::parse("#foo").is_err());
    }

    #[test]
    fn test_limits_reject_pathological_rules() {
        let many = (0..200)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join("|");
        let e = Rule::parse(&format!("({many})")).unwrap_err();
        assert!(e.message.contains("alternatives"), "{e}");
        let deep = format!("{}a{}", "(".repeat(20), ")".repeat(20));
        assert!(Rule::parse(&deep).unwrap_err().message.contains("nested"));
        let long = "a ".repeat(1500);
        assert!(Rule::parse(&long).is_err());
    }

    #[test]
    fn test_pathological_sentence_stays_bounded() {
        let rule = "(a|a a|a a a) NEAR/40 (a|a a) NEAR/40 (a a|a)";
        let text = "a ".repeat(3000);
        // Must finish quickly and not blow up memory thanks to MAX_SPANS.
        assert!(view_match(rule, &text));
    }
}
