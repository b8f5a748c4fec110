//! Candidate themes (`themis discover`): recurring phrases of concern sentences that no theme
//! of the taxonomy covers, ranked by a class-based TF-IDF of concern sentences against the rest.
//!
//! Phrases are runs of two to four stems of the analysis chain (the stems rules match on),
//! neither starting nor ending with a function word or a number, counted once per sentence.
//! Headings and lead-in lines ("The region should:") are not read, and a phrase written as a
//! name in most of its sentences ("Greater Manchester", "HM Prison and Probation") is no
//! candidate: names are where a finding is, not what it is.
//! A phrase's score is c-TF-IDF (as BERTopic ranks a class's words): its share of the concern
//! sentences' phrases times `ln(1 + A / f)`, where `f` is its frequency in every sentence and
//! `A` the mean number of phrases per class (concern, the rest): high for a phrase frequent in
//! concerns and rare elsewhere. A candidate must occur in enough reports and regions, and most
//! of its concern sentences must carry no theme (the taxonomy does not cover it yet).

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use once_cell::sync::Lazy;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::Serialize;

use crate::analysis::{self, AnalyzedToken};
use crate::pipeline::AnalyzedReport;
use crate::themes::Polarity;
use crate::views::ReportFilter;

/// Longest phrase, in words.
pub const MAX_WORDS: usize = 4;

/// Words a phrase may not start or end with (stemmed when first used).
const FUNCTION_WORDS: &str = "a an and are as at be been being but by can could did do does \
    for from had has have he her his how i if in into is it its may might more most much must \
    no nor not of on or our per she should so some such than that the their them then there \
    these they this those to too under up very was we were what when where which while who \
    whom why will with would you also all any each other only same both either over within \
    without across after before between during further however many well being cent";

static FUNCTION_STEMS: Lazy<FxHashSet<String>> = Lazy::new(|| {
    FUNCTION_WORDS
        .split_whitespace()
        .flat_map(analysis::terms)
        .collect()
});

/// The function words as written (for telling names apart).
static FUNCTION_WORD_SET: Lazy<FxHashSet<&str>> =
    Lazy::new(|| FUNCTION_WORDS.split_whitespace().collect());

/// What to look for.
#[derive(Debug, Clone)]
pub struct DiscoverRequest {
    /// Which reports are read.
    pub reports: ReportFilter,
    /// A candidate occurs in at least this many reports.
    pub min_reports: usize,
    /// ... and this many regions (reports of unknown region do not count).
    pub min_regions: usize,
    /// At most this share of its concern sentences may already carry a theme.
    pub max_covered: f64,
    /// Most candidates listed (0: all).
    pub limit: usize,
    /// Example sentences per candidate.
    pub examples: usize,
}

impl Default for DiscoverRequest {
    fn default() -> Self {
        DiscoverRequest {
            reports: ReportFilter::default(),
            min_reports: 2,
            min_regions: 1,
            max_covered: 0.5,
            limit: 15,
            examples: 2,
        }
    }
}

/// A sentence quoted for a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Example {
    /// Report id.
    pub report: String,
    /// Report year.
    pub year: Option<i32>,
    /// Section title.
    pub section: Option<String>,
    /// The sentence.
    pub text: String,
}

/// A recurring phrase no theme covers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// The phrase as it is most often written (lower case).
    pub phrase: String,
    /// Its stems.
    pub stems: String,
    /// c-TF-IDF of the concern class.
    pub score: f64,
    /// Concern sentences with the phrase.
    pub concern_sentences: u64,
    /// Of those, the ones without a theme.
    pub uncovered: u64,
    /// Other sentences (strength, neutral) with the phrase.
    pub other_sentences: u64,
    /// Reports with a concern sentence with the phrase.
    pub reports: Vec<String>,
    /// Their regions.
    pub regions: Vec<String>,
    /// Their years.
    pub years: Vec<i32>,
    /// Themes its covered concern sentences carry, most frequent first.
    pub themes: Vec<(String, u64)>,
    /// Uncovered concern sentences, newest report first, one a report.
    pub examples: Vec<Example>,
    /// A rule line that would tag these sentences (the rule language's phrase).
    pub rule: String,
}

/// What `themis discover` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiscoverReport {
    /// Reports read.
    pub reports: u64,
    /// Their sentences.
    pub sentences: u64,
    /// Concern sentences.
    pub concern_sentences: u64,
    /// Concern sentences without a theme.
    pub uncovered_concern_sentences: u64,
    /// Candidates that pass the thresholds (before `limit`).
    pub candidate_count: usize,
    /// The thresholds used.
    pub min_reports: usize,
    /// See [`DiscoverRequest::min_regions`].
    pub min_regions: usize,
    /// See [`DiscoverRequest::max_covered`].
    pub max_covered: f64,
    /// Best first.
    pub candidates: Vec<Candidate>,
}

/// Counts of one phrase in concern sentences.
#[derive(Debug, Default)]
struct Tally {
    concern: u64,
    uncovered: u64,
    reports: BTreeSet<usize>,
    themes: BTreeMap<String, u64>,
    surfaces: BTreeMap<String, u64>,
    /// Occurrences written as a name (every word capitalised).
    named: u64,
    /// (report order, example), one a report, at most `examples`.
    examples: Vec<(usize, Example)>,
}

/// Reads reports one at a time and keeps the phrase counts; [`PhraseCounter::finish`] ranks.
#[derive(Debug, Default)]
pub struct PhraseCounter {
    concern: FxHashMap<String, Tally>,
    /// Sentences of other polarities with a phrase, by the phrase's hash: every phrase of every
    /// sentence lands here, and a hash is an eighth of a key's memory.
    other: FxHashMap<u64, u64>,
    concern_phrases: u64,
    other_phrases: u64,
    reports: Vec<(String, Option<String>, Option<i32>)>,
    sentences: u64,
    concern_sentences: u64,
    uncovered_concern_sentences: u64,
    examples: usize,
    tokens: Vec<AnalyzedToken>,
    /// Hashes of the sentences read: a sentence repeated word for word (a thank-you line, a
    /// standard paragraph) is boilerplate, read once.
    seen_sentences: FxHashSet<u64>,
}

impl PhraseCounter {
    /// A counter keeping up to `examples` example sentences per phrase.
    pub fn new(examples: usize) -> PhraseCounter {
        PhraseCounter {
            examples,
            ..PhraseCounter::default()
        }
    }

    /// Counts the phrases of one tagged report (tagged with the polarity of every sentence).
    pub fn add_report(&mut self, report: &AnalyzedReport) {
        let number = self.reports.len();
        self.reports.push((
            report.meta.id.clone(),
            report.meta.region.clone(),
            report.meta.year,
        ));
        let mut tokens = std::mem::take(&mut self.tokens);
        for unit in report.sentences() {
            self.sentences += 1;
            if is_heading(unit.text) || !self.seen_sentences.insert(hash_of(unit.text.trim())) {
                continue;
            }
            analysis::analyze_into(unit.text, &mut tokens);
            let concern = unit.tags.polarity == Polarity::Concern;
            let covered = !unit.tags.themes.is_empty();
            if concern {
                self.concern_sentences += 1;
                self.uncovered_concern_sentences += u64::from(!covered);
            }
            let mut seen: FxHashSet<String> = FxHashSet::default();
            for (from, to) in phrase_spans(unit.text, &tokens) {
                let key = tokens[from..to]
                    .iter()
                    .map(|t| t.term.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                if !seen.insert(key.clone()) {
                    continue;
                }
                if !concern {
                    self.other_phrases += 1;
                    *self.other.entry(hash_of(&key)).or_default() += 1;
                    continue;
                }
                self.concern_phrases += 1;
                let written = unit
                    .text
                    .get(tokens[from].start..tokens[to - 1].end)
                    .unwrap_or_default();
                let tally = self.concern.entry(key).or_default();
                tally.concern += 1;
                tally.named += u64::from(is_name(written));
                let surface = written.to_lowercase();
                tally.reports.insert(number);
                *tally.surfaces.entry(surface).or_default() += 1;
                if covered {
                    for theme in &unit.tags.themes {
                        *tally.themes.entry(theme.clone()).or_default() += 1;
                    }
                    continue;
                }
                tally.uncovered += 1;
                if tally.examples.len() < self.examples
                    && tally.examples.iter().all(|(r, _)| *r != number)
                {
                    tally.examples.push((
                        number,
                        Example {
                            report: report.meta.id.clone(),
                            year: report.meta.year,
                            section: unit.section.map(String::from),
                            text: unit.text.trim().to_string(),
                        },
                    ));
                }
            }
        }
        self.tokens = tokens;
    }

    /// Ranks the phrases and keeps the candidates `request` asks for.
    pub fn finish(self, request: &DiscoverRequest) -> DiscoverReport {
        let classes_mean = (self.concern_phrases + self.other_phrases) as f64 / 2.0;
        let mut candidates: Vec<Candidate> = Vec::new();
        for (stems, tally) in &self.concern {
            let regions: BTreeSet<&str> = tally
                .reports
                .iter()
                .filter_map(|&r| self.reports[r].1.as_deref())
                .collect();
            let covered = 1.0 - tally.uncovered as f64 / tally.concern as f64;
            if tally.reports.len() < request.min_reports.max(1)
                || regions.len() < request.min_regions
                || covered > request.max_covered
                || tally.uncovered == 0
                || tally.named * 2 > tally.concern
            {
                continue;
            }
            let other = self.other.get(&hash_of(stems)).copied().unwrap_or(0);
            let frequency = (tally.concern + other) as f64;
            let score = tally.concern as f64 / self.concern_phrases.max(1) as f64
                * (1.0 + classes_mean / frequency).ln();
            let phrase = tally
                .surfaces
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map(|(s, _)| s.clone())
                .unwrap_or_else(|| stems.clone());
            let years: BTreeSet<i32> = tally
                .reports
                .iter()
                .filter_map(|&r| self.reports[r].2)
                .collect();
            let mut themes: Vec<(String, u64)> =
                tally.themes.iter().map(|(t, n)| (t.clone(), *n)).collect();
            themes.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            let mut examples = tally.examples.clone();
            examples.sort_by(|a, b| b.1.year.cmp(&a.1.year).then(a.0.cmp(&b.0)));
            candidates.push(Candidate {
                rule: format!("match = [\"{}\"]", rule_phrase(&phrase)),
                phrase,
                stems: stems.clone(),
                score: (score * 1e6).round() / 1e6,
                concern_sentences: tally.concern,
                uncovered: tally.uncovered,
                other_sentences: other,
                reports: tally
                    .reports
                    .iter()
                    .map(|&r| self.reports[r].0.clone())
                    .collect(),
                regions: regions.into_iter().map(String::from).collect(),
                years: years.into_iter().collect(),
                themes,
                examples: examples.into_iter().map(|(_, e)| e).collect(),
            });
        }
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.concern_sentences.cmp(&a.concern_sentences))
                .then_with(|| a.stems.cmp(&b.stems))
        });
        let candidates = without_overlaps(candidates);
        let candidate_count = candidates.len();
        let mut candidates = candidates;
        if request.limit > 0 {
            candidates.truncate(request.limit);
        }
        DiscoverReport {
            reports: self.reports.len() as u64,
            sentences: self.sentences,
            concern_sentences: self.concern_sentences,
            uncovered_concern_sentences: self.uncovered_concern_sentences,
            candidate_count,
            min_reports: request.min_reports.max(1),
            min_regions: request.min_regions,
            max_covered: request.max_covered,
            candidates,
        }
    }
}

/// A heading, a title or a lead-in line ("Greater Manchester Region should:"): a short unit
/// without a sentence's closing punctuation, or one ending with a colon.
fn is_heading(text: &str) -> bool {
    let trimmed = text
        .trim()
        .trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    let closes = trimmed.ends_with(['.', '!', '?']);
    trimmed.ends_with(':') || (!closes && trimmed.split_whitespace().count() < 15)
}

/// Whether a phrase is written as a name: every word that is not a function word starts with a
/// capital ("Greater Manchester", "HM Prison and Probation").
fn is_name(written: &str) -> bool {
    let words: Vec<&str> = written
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| !FUNCTION_WORD_SET.contains(w))
        .collect();
    !words.is_empty()
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

/// The spans (token ranges) of a sentence's phrases: two or three tokens, neither end a
/// function word or a number, no number inside, no punctuation between its words.
fn phrase_spans(text: &str, tokens: &[AnalyzedToken]) -> Vec<(usize, usize)> {
    let usable_end = |t: &AnalyzedToken| {
        !FUNCTION_STEMS.contains(&t.term) && !crate::model::features::is_number(&t.term)
    };
    let mut spans = Vec::new();
    for from in 0..tokens.len() {
        if !usable_end(&tokens[from]) {
            continue;
        }
        for words in 2..=MAX_WORDS {
            let to = from + words;
            if to > tokens.len() || !joined(text, &tokens[to - 2], &tokens[to - 1]) {
                break;
            }
            let inner_number = tokens[from..to]
                .iter()
                .any(|t| crate::model::features::is_number(&t.term));
            if inner_number {
                break;
            }
            if usable_end(&tokens[to - 1]) {
                spans.push((from, to));
            }
        }
    }
    spans
}

/// Whether two neighbouring tokens are written as one phrase: only spaces (or a hyphen, a
/// slash) between them, no comma, semicolon or full stop.
fn joined(text: &str, left: &AnalyzedToken, right: &AnalyzedToken) -> bool {
    text.get(left.end..right.start).is_some_and(|gap| {
        gap.chars()
            .all(|c| c.is_whitespace() || c == '-' || c == '/')
    })
}

/// Drops a candidate whose phrase overlaps a better one's (one contains the other, or they
/// share all but one word) and is found in about as many sentences: "broken laptop" and
/// "broken laptops left" are one finding.
fn without_overlaps(candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut kept: Vec<Candidate> = Vec::new();
    'next: for candidate in candidates {
        let words: Vec<&str> = candidate.stems.split(' ').collect();
        for k in kept.iter_mut() {
            let theirs: Vec<&str> = k.stems.split(' ').collect();
            let shared = words.iter().filter(|w| theirs.contains(w)).count();
            let similar = (candidate.concern_sentences as f64) <= 1.5 * k.concern_sentences as f64
                && (k.concern_sentences as f64) <= 1.5 * candidate.concern_sentences as f64;
            if !similar || shared < words.len().min(theirs.len()) {
                continue;
            }
            // The longer phrase says more ("gaps in public protection" over "gaps in
            // public"); it takes the better one's place.
            if words.len() > theirs.len() {
                *k = candidate;
            }
            continue 'next;
        }
        kept.push(candidate);
    }
    kept
}

/// The phrase as a rule: words only (the rule language reads `(`, `|`, `*`, `#` and upper-case
/// operators as syntax).
fn rule_phrase(phrase: &str) -> String {
    phrase
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '-'))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn hash_of(key: &str) -> u64 {
    let mut hasher = FxHasher::default();
    key.hash(&mut hasher);
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrases(text: &str) -> Vec<String> {
        let tokens = analysis::analyze(text);
        phrase_spans(text, &tokens)
            .into_iter()
            .map(|(a, b)| {
                tokens[a..b]
                    .iter()
                    .map(|t| t.term.as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    }

    #[test]
    fn test_phrases_skip_function_words_and_numbers_at_their_ends() {
        let found = phrases("The broken laptops were not replaced for 6 months");
        assert!(found.contains(&"broken laptop".to_string()), "{found:?}");
        assert!(!found.iter().any(|p| p.starts_with("the ")), "{found:?}");
        assert!(!found.iter().any(|p| p.ends_with(" were")), "{found:?}");
        assert!(!found.iter().any(|p| p.contains('6')), "{found:?}");
        assert!(found.iter().all(|p| p.split(' ').count() <= MAX_WORDS));
    }

    #[test]
    fn test_headings_and_names_are_told_apart_from_findings() {
        assert!(is_heading("Key areas for improvement:"));
        assert!(is_heading("Greater Manchester Region should:"));
        assert!(is_heading("Gaps in public protection practice"));
        assert!(!is_heading("Broken laptops were not replaced."));
        assert!(!is_heading(
            "“Broken laptops were not replaced,” they said."
        ));
        assert!(is_name("Greater Manchester"));
        assert!(is_name("HM Prison and Probation"));
        assert!(!is_name("Broken laptops"));
        assert!(!is_name("Key areas"));
    }

    #[test]
    fn test_rule_phrase_keeps_words_only() {
        assert_eq!(rule_phrase("broken (laptops)*"), "broken laptops");
        assert_eq!(rule_phrase("children's services"), "children's services");
    }
}
