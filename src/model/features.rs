//! The features the learned tagger sees in a sentence, defined once for training and tagging.
//!
//! A sentence is described by the analysis chain's own stems (numbers folded to `#`), the
//! pairs of neighbouring stems, the letter sequences of its stems ([`stem_grams`]), the themes
//! the taxonomy's rules gave it, the rules' polarity (for the polarity classifier only),
//! whether it is a short, heading-like line, and what the rules found earlier on its page
//! ([`Feature::Page`]). Training names each feature ([`Feature::name`]); tagging looks the same features up without building
//! strings ([`super::Model`]).

use crate::analysis::AnalyzedToken;
use crate::themes::Polarity;

/// Sentences of at most this many tokens also carry the [`Feature::Short`] feature: titles,
/// headings and table labels, which coders mostly leave without a theme.
pub const SHORT_TOKENS: usize = 5;

/// One feature of a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature<'a> {
    /// A stem.
    Word(&'a str),
    /// Two neighbouring stems.
    Pair(&'a str, &'a str),
    /// A theme the rules assigned.
    Rule(&'a str),
    /// The polarity the rules worked out (used by the polarity classifier only).
    RulePolarity(Polarity),
    /// A fact about the rules' concern and strength cue scores, one of [`SCORE_FEATURES`]
    /// (polarity classifier only).
    RuleScore(&'static str),
    /// A short, heading-like sentence.
    Short,
    /// A letter sequence of a stem ([`stem_grams`]).
    Gram(&'a str),
    /// A stem of a mixed sentence's main clause ([`main_clause`]; polarity classifier only).
    Main(&'a str),
    /// The share of the page's earlier sentences whose rules gave a theme
    /// ([`super::PageContext`]); its value is that share times [`PAGE_FACTOR`].
    Page(&'a str),
    /// The sentence has a main clause apart from the rest (polarity classifier only).
    Turn,
}

impl Feature<'_> {
    /// The feature's name in a model file: `w:STEM`, `b:STEM STEM`, `r:THEME`, `p:POLARITY`,
    /// `len:short`, `d:THEME` (page), ...
    pub fn name(&self) -> String {
        match self {
            Feature::Word(w) => format!("w:{w}"),
            Feature::Pair(a, b) => format!("b:{a} {b}"),
            Feature::Rule(t) => format!("r:{t}"),
            Feature::RulePolarity(p) => format!("p:{p}"),
            Feature::RuleScore(fact) => format!("q:{fact}"),
            Feature::Short => "len:short".to_string(),
            Feature::Gram(g) => format!("c:{g}"),
            Feature::Main(w) => format!("m:{w}"),
            Feature::Page(t) => format!("d:{t}"),
            Feature::Turn => "turn:main".to_string(),
        }
    }
}

/// What a page feature's share counts as (chosen by 5-fold cross-validation on the training
/// corpus, in a scikit-learn copy of the features: 1 and 2 gave micro-F1 0.711 and 0.710,
/// against 0.706 without page features).
pub const PAGE_FACTOR: f32 = 1.0;

/// The stem every number is folded to.
pub const NUMBER: &str = "#";

/// Whether a term is a number (digits, perhaps with a decimal point).
pub fn is_number(term: &str) -> bool {
    !term.is_empty() && term.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// The stem a token contributes: numbers are one feature, whatever their value.
pub fn stem_of(token: &AnalyzedToken) -> &str {
    if is_number(&token.term) {
        NUMBER
    } else {
        token.term.as_str()
    }
}

/// Calls `visit` with every word and pair feature of a sentence's tokens, then `Short` when it
/// is short. Rule features are added by the caller, who knows the rules' verdict.
pub fn visit_text_features<'t>(tokens: &'t [AnalyzedToken], mut visit: impl FnMut(Feature<'t>)) {
    let mut previous: Option<&str> = None;
    for token in tokens {
        let stem = stem_of(token);
        visit(Feature::Word(stem));
        if let Some(prev) = previous {
            visit(Feature::Pair(prev, stem));
        }
        previous = Some(stem);
    }
    if tokens.len() <= SHORT_TOKENS {
        visit(Feature::Short);
    }
}

/// Lengths, in characters, of the letter sequences a stem is also seen through.
pub const GRAM_SIZES: std::ops::RangeInclusive<usize> = 3..=5;

/// How much a stem's letter sequences count, each, beside the stem itself: a sequence shared by
/// `k` of a sentence's distinct stems counts `k * GRAM_FACTOR` times the sentence's text scale
/// (`1 / sqrt(n)`, see `train::text_scale`). On that common scale a stem's own row and its
/// sequences' rows add up to one row, which the model works out when it loads.
pub const GRAM_FACTOR: f32 = 0.45;

/// The distinct letter sequences of [`GRAM_SIZES`] of a stem written `<stem>`, sorted.
///
/// Stems the model has never met still share sequences with stems it has ("inexperienc" with
/// "experienc", "caseload" with "load"), so a sentence in new words is not a blank to it.
/// Cross-validated on the training corpus this added 0.013 micro-F1 beside stems and pairs.
pub fn stem_grams(stem: &str) -> Vec<String> {
    let mut marked = String::new();
    let mut grams = Vec::new();
    grams_into(stem, &mut marked, &mut grams);
    grams
        .into_iter()
        .map(|(a, b)| marked[a..b].to_string())
        .collect()
}

/// [`stem_grams`] without allocating a string a sequence (the tagger runs this for every word
/// the model never met): `<stem>` is written into `marked` and the sequences are byte ranges
/// of it in `grams`, in the order of their text, without repeats.
pub fn grams_into(stem: &str, marked: &mut String, grams: &mut Vec<(usize, usize)>) {
    marked.clear();
    marked.push('<');
    marked.push_str(stem);
    marked.push('>');
    grams.clear();
    let mut bounds: Vec<usize> = marked.char_indices().map(|(i, _)| i).collect();
    bounds.push(marked.len());
    let chars = bounds.len() - 1;
    for n in GRAM_SIZES {
        for start in 0..chars.saturating_sub(n - 1) {
            grams.push((bounds[start], bounds[start + n]));
        }
    }
    let text = |&(a, b): &(usize, usize)| &marked[a..b];
    grams.sort_unstable_by(|x, y| text(x).cmp(text(y)));
    grams.dedup_by(|x, y| text(x) == text(y));
}

/// A sentence's letter sequences: each distinct sequence with the number of its distinct
/// stems (numbers left out) that have it.
pub fn sentence_grams(tokens: &[AnalyzedToken]) -> Vec<(String, u32)> {
    let mut stems: Vec<&str> = tokens
        .iter()
        .map(stem_of)
        .filter(|s| *s != NUMBER)
        .collect();
    stems.sort_unstable();
    stems.dedup();
    let mut all: Vec<String> = Vec::new();
    for stem in stems {
        all.extend(stem_grams(stem));
    }
    all.sort_unstable();
    let mut counted: Vec<(String, u32)> = Vec::new();
    for gram in all {
        match counted.last_mut() {
            Some((last, n)) if *last == gram => *n += 1,
            _ => counted.push((gram, 1)),
        }
    }
    counted
}

/// Stems after which the clause that decides a mixed sentence comes ("A, but B").
pub const TURNS: [&str; 5] = ["but", "howev", "yet", "nevertheless", "nonetheless"];

/// Stems that open a sentence with a concession, whose main clause follows its first comma
/// ("Although A, B").
pub const CONCESSIONS: [&str; 5] = ["although", "though", "while", "whilst", "despit"];

/// The tokens of a mixed sentence's main clause, which decides its polarity under the labelling
/// guide: those after its last turn word ([`TURNS`]) or, in a sentence that opens with a
/// concession ([`CONCESSIONS`]), those after its first comma. `None` when it has neither.
/// `tokens` are `sentence`'s, with offsets into it.
pub fn main_clause<'t>(sentence: &str, tokens: &'t [AnalyzedToken]) -> Option<&'t [AnalyzedToken]> {
    let turn = tokens
        .iter()
        .rposition(|t| TURNS.contains(&t.term.as_str()))
        .map(|i| i + 1);
    let start = turn.or_else(|| {
        let first = tokens.first()?;
        if !CONCESSIONS.contains(&first.term.as_str()) {
            return None;
        }
        let comma = first.end + sentence.get(first.end..)?.find(',')?;
        tokens.iter().position(|t| t.start > comma)
    })?;
    (start < tokens.len()).then(|| &tokens[start..])
}

/// The main-clause features of a sentence for the polarity classifier, with their values: each
/// distinct stem of the main clause at `1 / sqrt(n)`, and [`Feature::Turn`] at 1. Empty when
/// the sentence is not mixed.
pub fn main_clause_features(sentence: &str, tokens: &[AnalyzedToken]) -> Vec<(String, f32)> {
    let Some((stems, scale)) = main_clause_stems(sentence, tokens) else {
        return Vec::new();
    };
    let mut features: Vec<(String, f32)> = stems
        .into_iter()
        .map(|s| (Feature::Main(s).name(), scale))
        .collect();
    features.push((Feature::Turn.name(), 1.0));
    features
}

/// The distinct stems of a mixed sentence's main clause ([`main_clause`]), sorted, and the
/// value each counts with, `1 / sqrt(n)`. `None` when the sentence is not mixed.
pub fn main_clause_stems<'t>(
    sentence: &str,
    tokens: &'t [AnalyzedToken],
) -> Option<(Vec<&'t str>, f32)> {
    let clause = main_clause(sentence, tokens)?;
    let mut stems: Vec<&str> = clause.iter().map(stem_of).collect();
    stems.sort_unstable();
    stems.dedup();
    let scale = 1.0 / (stems.len() as f32).sqrt();
    Some((stems, scale))
}

/// The facts about the rules' cue scores the polarity classifier sees: how much concern and
/// strength the cues add up to, and which side is ahead. The rules' verdict alone hides how
/// close it was.
pub const SCORE_FEATURES: [&str; 8] = [
    "concern>=1",
    "concern>=2",
    "concern>=3",
    "strength>=1",
    "strength>=2",
    "strength>=3",
    "concern>strength",
    "strength>concern",
];

/// Which of [`SCORE_FEATURES`] hold for the rules' (concern, strength) scores, by index.
pub fn score_facts(concern: f64, strength: f64) -> impl Iterator<Item = usize> {
    let holds = [
        concern >= 1.0,
        concern >= 2.0,
        concern >= 3.0,
        strength >= 1.0,
        strength >= 2.0,
        strength >= 3.0,
        concern > strength,
        strength > concern,
    ];
    holds
        .into_iter()
        .enumerate()
        .filter_map(|(i, holds)| holds.then_some(i))
}

/// Every feature name of a sentence for training: text features, one `r:` per rule theme, the
/// rules' polarity and the facts about their cue scores. Duplicates removed, sorted.
pub fn feature_names(
    tokens: &[AnalyzedToken],
    rule_themes: &[String],
    rule_polarity: Polarity,
    rule_scores: (f64, f64),
) -> Vec<String> {
    let mut names = Vec::with_capacity(tokens.len() * 2 + rule_themes.len() + 6);
    visit_text_features(tokens, |f| names.push(f.name()));
    names.extend(rule_themes.iter().map(|t| Feature::Rule(t).name()));
    names.push(Feature::RulePolarity(rule_polarity).name());
    names.extend(
        score_facts(rule_scores.0, rule_scores.1)
            .map(|i| Feature::RuleScore(SCORE_FEATURES[i]).name()),
    );
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;

    fn long_text() -> String {
        "The probation service had too many cases for each officer to manage".to_string()
    }

    #[test]
    fn test_features_are_stems_pairs_rules_and_length() {
        let tokens = analyze("Caseloads were 45 cases");
        let names = feature_names(
            &tokens,
            &["workload".to_string()],
            Polarity::Concern,
            (2.0, 0.0),
        );
        for expected in [
            "w:caseload",
            "w:#",
            "b:were #",
            "b:# case",
            "r:workload",
            "p:concern",
            "q:concern>=2",
            "q:concern>strength",
            "len:short",
        ] {
            assert!(
                names.contains(&expected.to_string()),
                "{expected} in {names:?}"
            );
        }
        let long = analyze(&long_text());
        let mixed = "Staff were committed, but caseloads were too high.";
        let tokens = analyze(mixed);
        assert_eq!(main_clause(mixed, &tokens).unwrap()[0].term, "caseload");
        let conceded = "Although plans were good, caseloads rose.";
        assert_eq!(
            main_clause(conceded, &analyze(conceded)).unwrap()[0].term,
            "caseload"
        );
        assert!(main_clause(&long_text(), &analyze(&long_text())).is_none());
        assert!(main_clause("Although late", &analyze("Although late")).is_none());
        let features = main_clause_features(mixed, &analyze(mixed));
        // "caseloads were too high": four stems.
        assert!(features.contains(&("m:high".to_string(), 0.5)));
        assert!(features.contains(&("turn:main".to_string(), 1.0)));
        assert_eq!(
            stem_grams("load"),
            ["<lo", "<loa", "<load", "ad>", "loa", "load", "load>", "oad", "oad>"]
        );
        let grams = sentence_grams(&analyze("load loads 45 unload"));
        // Two distinct stems ("load", "unload"), the number left out; "load" is in both.
        let count: u32 = grams.iter().map(|(_, n)| n).sum();
        assert_eq!(count as usize, 9 + stem_grams("unload").len());
        assert!(grams.contains(&("load".to_string(), 2)));
        assert!(grams.contains(&("<lo".to_string(), 1)));
        assert!(!grams.iter().any(|(g, _)| g.contains('#')));
        let names = feature_names(&long, &[], Polarity::Neutral, (0.0, 0.0));
        assert!(!names.contains(&"len:short".to_string()));
        assert!(!names.iter().any(|n| n.starts_with("q:")));
    }
}
