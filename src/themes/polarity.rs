//! Sentence polarity (concern / strength / neutral) from cues that live in the taxonomy
//! file's `[polarity]` table, with negation, contrast, purpose and quantity handling.
//!
//! The engine scores cue matches rather than classifying words:
//! - every `concern` / `strength` cue (written in the rule language, so "not sufficient" or
//!   "only #num per cent" are cues) adds its weight (1; `strong_*` 2; `weak_*` 0.5), and a
//!   cue contained in a longer cue is ignored ("not sufficient" beats "sufficient");
//! - a cue inside a negator's scope counts for the other side ("not effective");
//! - the clause opened by a concessive ("although", "despite") is discounted and what comes
//!   before an adversative ("but", "however") counts half, so the main clause wins;
//! - cues inside a purpose clause ("to improve …", "to address barriers …") state a goal or
//!   the problem acted on, not a finding, and do not count;
//! - a low quantity ("only 8 of 22", "fewer than half") is a concern and cancels the strength
//!   cues of its clause; "N out of M" ratios count by their value;
//! - an imperative recommendation ("Ensure …", "Reduce …") is always a concern and a question
//!   (scoring-table rows) is neutral.
//!
//! No cue at all means neutral; a tie means concern, because inspection findings that weigh
//! both sides usually end on what must improve.

use serde::Deserialize;
use toml::Spanned;

use super::rules::{NegationSettings, Prefilter, Rule, RuleSet, SentenceView, Spans};
use super::Polarity;

/// Most cue rules one `[polarity]` list may hold.
pub const MAX_CUES: usize = 2000;

/// The `[polarity]` table as written in the taxonomy file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPolarity {
    #[serde(default)]
    pub negators: Vec<Spanned<String>>,
    #[serde(default)]
    pub negation_cancel: Vec<Spanned<String>>,
    #[serde(default)]
    pub negation_window: Option<Spanned<i64>>,
    #[serde(default)]
    pub concern: Vec<Spanned<String>>,
    #[serde(default)]
    pub strength: Vec<Spanned<String>>,
    #[serde(default)]
    pub strong_concern: Vec<Spanned<String>>,
    #[serde(default)]
    pub strong_strength: Vec<Spanned<String>>,
    #[serde(default)]
    pub weak_concern: Vec<Spanned<String>>,
    #[serde(default)]
    pub weak_strength: Vec<Spanned<String>>,
    #[serde(default)]
    pub low_quantity: Vec<Spanned<String>>,
    #[serde(default)]
    pub purpose: Vec<Spanned<String>>,
    #[serde(default)]
    pub adversative: Vec<Spanned<String>>,
    #[serde(default)]
    pub concessive: Vec<Spanned<String>>,
    #[serde(default)]
    pub recommendation_openers: Vec<Spanned<String>>,
    #[serde(default)]
    pub ratio_strength_at: Option<Spanned<f64>>,
    #[serde(default)]
    pub ratio_concern_below: Option<Spanned<f64>>,
}

/// Where a compile error was found, for the caller to turn into a `TaxonomyError`.
#[derive(Debug)]
pub(crate) struct CueError {
    pub key: &'static str,
    pub offset: usize,
    pub message: String,
}

/// Which side a cue counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// Counts toward concern.
    Concern,
    /// Counts toward strength.
    Strength,
}

/// One cue that counted in a sentence's polarity (for explanations and rule debugging).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct CueHit {
    /// The cue as written in `[polarity]`, or a description of a built-in pattern.
    pub cue: String,
    /// The side the hit counted for (after negation).
    pub side: Side,
    /// Its weight after clause weighting.
    pub weight: f64,
}

/// The compiled polarity cues and settings.
#[derive(Debug, Clone, Default)]
pub struct PolarityEngine {
    cues: Vec<(Rule, Side, f64)>,
    /// Every rule of the engine behind one prefilter, in the order of [`PolarityEngine::groups`]:
    /// a sentence is checked for the terms of all of them at once, and only the rules it lets
    /// through are evaluated (most marker rules, "although", "fewer than half", never match).
    rule_filter: Prefilter,
    low_quantity: Vec<Rule>,
    purpose: Vec<Rule>,
    adversative: Vec<Rule>,
    concessive: Vec<Rule>,
    openers: Vec<String>,
    ratio_strength_at: f64,
    ratio_concern_below: f64,
    pub(crate) negation: NegationSettings,
}

/// The rules of `rules` that `active` lets through, `rules[0]` being rule `first` of it.
fn active_rules<'r>(
    rules: &'r [Rule],
    first: usize,
    active: &'r RuleSet,
) -> impl Iterator<Item = &'r Rule> + 'r {
    active
        .iter_in(first..first + rules.len())
        .filter_map(move |i| rules.get(i - first))
}

/// Number words understood by `#num` and by ratio detection, with their values.
const NUMBER_WORDS: &[(&str, f64)] = &[
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
];

/// Weight of a cue in a concessive clause ("although …", "despite …").
const CONCESSIVE_WEIGHT: f64 = 0.4;
/// Weight of cues before an adversative ("…, but"; "…; however, …").
const BEFORE_ADVERSATIVE_WEIGHT: f64 = 0.5;
/// Concern added by a sentence-initial adversative ("However, …").
const OPENING_ADVERSATIVE_CONCERN: f64 = 1.0;
/// Concern added by an imperative recommendation opener.
const OPENER_CONCERN: f64 = 2.0;
/// What a negated concern cue ("no delays") gives to strength.
const NEGATED_CONCERN_TO_STRENGTH: f64 = 0.5;

impl PolarityEngine {
    /// Compile the raw table. Errors carry the byte offset of the offending entry.
    pub(crate) fn compile(raw: &RawPolarity) -> Result<PolarityEngine, CueError> {
        let single_terms = |key: &'static str, list: &[Spanned<String>]| {
            let mut out = Vec::new();
            for w in list {
                let t = crate::analysis::terms(w.get_ref());
                if t.len() != 1 {
                    return Err(CueError {
                        key,
                        offset: w.span().start,
                        message: format!(
                            "`{}` must be exactly one word (it analyses to {} terms)",
                            w.get_ref(),
                            t.len()
                        ),
                    });
                }
                out.extend(t);
            }
            Ok(out)
        };
        let rules = |key: &'static str, list: &[Spanned<String>]| {
            if list.len() > MAX_CUES {
                return Err(CueError {
                    key,
                    offset: list.first().map_or(0, |s| s.span().start),
                    message: format!("more than {MAX_CUES} entries"),
                });
            }
            let mut out = Vec::new();
            for r in list {
                let rule = Rule::parse(r.get_ref()).map_err(|e| CueError {
                    key,
                    offset: r.span().start,
                    message: format!("`{}`, {}", r.get_ref(), e),
                })?;
                if !rule.is_simple() {
                    return Err(CueError {
                        key,
                        offset: r.span().start,
                        message: format!(
                            "`{}`: cues cannot use AND / AND NOT (they must mark a place in the sentence)",
                            r.get_ref()
                        ),
                    });
                }
                out.push(rule);
            }
            Ok(out)
        };
        let window = match &raw.negation_window {
            None => 3,
            Some(w) => {
                let v = *w.get_ref();
                if !(0..=10).contains(&v) {
                    return Err(CueError {
                        key: "negation_window",
                        offset: w.span().start,
                        message: format!("must be between 0 and 10, not {v}"),
                    });
                }
                v as usize
            }
        };
        let ratio = |key: &'static str, v: &Option<Spanned<f64>>, default: f64| match v {
            None => Ok(default),
            Some(x) if (0.0..=1.0).contains(x.get_ref()) => Ok(*x.get_ref()),
            Some(x) => Err(CueError {
                key,
                offset: x.span().start,
                message: format!("must be between 0 and 1, not {}", x.get_ref()),
            }),
        };
        let mut cues = Vec::new();
        for (key, list, side, weight) in [
            ("concern", &raw.concern, Side::Concern, 1.0),
            ("strength", &raw.strength, Side::Strength, 1.0),
            ("strong_concern", &raw.strong_concern, Side::Concern, 2.0),
            ("strong_strength", &raw.strong_strength, Side::Strength, 2.0),
            ("weak_concern", &raw.weak_concern, Side::Concern, 0.5),
            ("weak_strength", &raw.weak_strength, Side::Strength, 0.5),
        ] {
            for r in rules(key, list)? {
                cues.push((r, side, weight));
            }
        }
        let number_values = NUMBER_WORDS
            .iter()
            .filter_map(|(w, v)| crate::analysis::terms(w).pop().map(|t| (t, *v)))
            .collect::<Vec<_>>();
        let mut engine = PolarityEngine {
            rule_filter: Prefilter::default(),
            cues,
            low_quantity: rules("low_quantity", &raw.low_quantity)?,
            purpose: rules("purpose", &raw.purpose)?,
            adversative: rules("adversative", &raw.adversative)?,
            concessive: rules("concessive", &raw.concessive)?,
            openers: {
                // Validated as single words, but matched on the surface form: stemming would
                // make "reviewed weekly" look like the imperative "Review …".
                single_terms("recommendation_openers", &raw.recommendation_openers)?;
                raw.recommendation_openers
                    .iter()
                    .map(|w| w.get_ref().trim().to_lowercase())
                    .collect()
            },
            ratio_strength_at: ratio("ratio_strength_at", &raw.ratio_strength_at, 0.65)?,
            ratio_concern_below: ratio("ratio_concern_below", &raw.ratio_concern_below, 0.5)?,
            negation: NegationSettings::new(
                &single_terms("negators", &raw.negators)?,
                &single_terms("negation_cancel", &raw.negation_cancel)?,
                window,
                &number_values,
            ),
        };
        engine.rule_filter = Prefilter::new(
            engine
                .cues
                .iter()
                .map(|(rule, ..)| rule)
                .chain(engine.groups().into_iter().flatten()),
        );
        Ok(engine)
    }

    /// The marker rules, in the order they follow the cues in `rule_filter`.
    fn groups(&self) -> [&[Rule]; 4] {
        [
            &self.low_quantity,
            &self.purpose,
            &self.adversative,
            &self.concessive,
        ]
    }

    /// Concern and strength scores of one sentence (exposed for explanations and tests).
    pub fn scores(&self, view: &SentenceView<'_>) -> (f64, f64) {
        let mut c = 0.0;
        let mut s = 0.0;
        self.visit_hits(view, &mut |_, side, weight| match side {
            Side::Concern => c += weight,
            Side::Strength => s += weight,
        });
        (c, s)
    }

    /// Every cue that counted in the sentence, with its side and weight.
    pub fn hits(&self, view: &SentenceView<'_>) -> Vec<CueHit> {
        let mut hits = Vec::new();
        self.visit_hits(view, &mut |cue, side, weight| {
            hits.push(CueHit {
                cue: cue.to_string(),
                side,
                weight,
            })
        });
        hits
    }

    /// Calls `counted(cue, side, weight)` for every cue that counts in the sentence, in a
    /// fixed order (so sums of weights do not depend on the caller).
    fn visit_hits(&self, view: &SentenceView<'_>, counted: &mut dyn FnMut(&str, Side, f64)) {
        let n = view.len();
        if n == 0 {
            return;
        }
        let mut weight = vec![1.0f64; n];
        let mut hit = |cue: &str, side: Side, w: f64| {
            if w > 0.0 {
                counted(cue, side, w)
            }
        };
        // clause[i]: index of the clause token i is in (clauses split at punctuation).
        let mut clause = vec![0usize; n];
        for i in 1..n {
            clause[i] = clause[i - 1] + usize::from(view.break_before(i));
        }
        let mut spans = Spans::new();
        let active = self.rule_filter.active_set(view);
        let [low_quantity, purpose_markers, adversative, concessive] = {
            let mut at = self.cues.len();
            self.groups().map(|rules| {
                at += rules.len();
                (rules, at - rules.len())
            })
        };
        let active_in = |(rules, first)| active_rules(rules, first, &active);

        // Concessive clauses: from the marker to the next clause break.
        for rule in active_in(concessive) {
            rule.match_spans_into(view, &mut spans);
            for &(s, _) in &spans {
                let s = s as usize;
                for (j, w) in weight.iter_mut().enumerate().skip(s) {
                    if j > s && view.break_before(j) {
                        break;
                    }
                    *w = w.min(CONCESSIVE_WEIGHT);
                }
            }
        }
        // Adversatives: what comes before them counts less.
        for rule in active_in(adversative) {
            rule.match_spans_into(view, &mut spans);
            for &(s, _) in &spans {
                let s = s as usize;
                if s == 0 {
                    hit(&rule.source, Side::Concern, OPENING_ADVERSATIVE_CONCERN);
                } else {
                    for w in weight.iter_mut().take(s) {
                        *w *= BEFORE_ADVERSATIVE_WEIGHT;
                    }
                }
            }
        }

        // Purpose clauses ("to improve …", "to address barriers …", "in response to …") state
        // a goal or the problem being acted on, not a finding: cues from the marker to the end
        // of the clause do not count.
        let mut purpose = vec![false; n];
        for rule in active_in(purpose_markers) {
            rule.match_spans_into(view, &mut spans);
            for &(s, _) in &spans {
                let s = s as usize;
                for (j, p) in purpose.iter_mut().enumerate().skip(s) {
                    if j > s && view.break_before(j) {
                        break;
                    }
                    *p = true;
                }
            }
        }

        // Low quantities ("only 8 of 22", "fewer than half") are concerns, and the strength
        // cues in their clause describe what was lacking, so they do not count.
        let mut low_clauses: Vec<usize> = Vec::new();
        for rule in active_in(low_quantity) {
            rule.match_spans_into(view, &mut spans);
            for &(s, _) in &spans {
                if !view.is_negated(s as usize) {
                    hit(&rule.source, Side::Concern, weight[s as usize]);
                    low_clauses.push(clause[s as usize]);
                }
            }
        }
        let ratios = self.ratios(view);
        for &(i, r) in &ratios {
            if r < self.ratio_concern_below {
                hit("N out of M (low)", Side::Concern, weight[i]);
                low_clauses.push(clause[i]);
            }
        }

        // Cue matches; a match strictly inside a longer one is ignored.
        let mut found: Vec<(u32, u32, Side, f64, usize)> = Vec::new();
        for k in active.iter_in(0..self.cues.len()) {
            let (rule, side, w) = &self.cues[k];
            rule.match_spans_into(view, &mut spans);
            for &(s, e) in &spans {
                found.push((s, e, *side, *w, k));
            }
        }
        // Several cues can analyse to the same terms ("effective", "effectively"): one
        // place in the sentence counts once per side, at the highest weight.
        found.sort_by(|a, b| {
            (a.0, a.1, a.2 as u8)
                .cmp(&(b.0, b.1, b.2 as u8))
                .then(b.3.total_cmp(&a.3))
        });
        found.dedup_by(|b, a| a.0 == b.0 && a.1 == b.1 && a.2 == b.2);
        for (i, &(s, e, side, w, k)) in found.iter().enumerate() {
            let inside = found
                .iter()
                .enumerate()
                .any(|(j, &(s2, e2, ..))| j != i && s2 <= s && e <= e2 && (e2 - s2) > (e - s));
            if inside {
                continue;
            }
            if purpose[s as usize] {
                continue;
            }
            let source = &self.cues[k].0.source;
            let w = w * weight[s as usize];
            let negated = view.is_negated(s as usize);
            match (side, negated) {
                (Side::Concern, false) => hit(source, Side::Concern, w),
                (Side::Concern, true) => {
                    hit(source, Side::Strength, w * NEGATED_CONCERN_TO_STRENGTH)
                }
                (Side::Strength, false) => {
                    if !low_clauses.contains(&clause[s as usize]) {
                        hit(source, Side::Strength, w)
                    }
                }
                (Side::Strength, true) => hit(source, Side::Concern, w),
            }
        }

        if self.is_recommendation(view) {
            hit("recommendation opener", Side::Concern, OPENER_CONCERN);
        }
        for &(i, r) in &ratios {
            if r >= self.ratio_strength_at {
                hit("N out of M (high)", Side::Strength, weight[i]);
            }
        }
    }

    /// "N out of M" / "N of (the) M" ratios that are not negated: (position of N, N / M).
    fn ratios(&self, view: &SentenceView<'_>) -> Vec<(usize, f64)> {
        let mut out = Vec::new();
        // Only number tokens have a value, so only they can start a ratio.
        for i in view.number_positions() {
            let Some(a) = view.number_value(i) else {
                continue;
            };
            let of_at = match (view.term(i + 1), view.term(i + 2)) {
                (Some("out"), Some("of")) => i + 3,
                (Some("of"), _) => i + 2,
                _ => continue,
            };
            let mut j = of_at;
            if view.term(j) == Some("the") {
                j += 1;
            }
            let Some(b) = view.number_value(j) else {
                continue;
            };
            if b < 2.0 || a > b || view.is_negated(i) {
                continue;
            }
            out.push((i, a / b));
        }
        out
    }

    /// An imperative recommendation: the first word (after any numbering) is an opener such
    /// as "Ensure" or "Reduce".
    pub fn is_recommendation(&self, view: &SentenceView<'_>) -> bool {
        let first = (0..view.len()).find(|&i| view.number_value(i).is_none());
        first.is_some_and(|i| {
            i <= 2
                && view
                    .surface(i)
                    .is_some_and(|w| self.openers.iter().any(|o| o.eq_ignore_ascii_case(w)))
        })
    }

    /// The polarity of one prepared sentence. A recommendation is always a concern (it
    /// names something to improve, whatever good words describe the goal).
    /// A question ("Does assessment focus sufficiently on …?", as in scoring tables) asks
    /// rather than judges, so it is neutral.
    pub fn classify(&self, view: &SentenceView<'_>) -> Polarity {
        self.classify_scored(view).0
    }

    /// [`PolarityEngine::classify`] with the concern and strength scores it weighed (zero for
    /// recommendations and questions, which are decided before any cue is counted).
    pub fn classify_scored(&self, view: &SentenceView<'_>) -> (Polarity, (f64, f64)) {
        if self.is_recommendation(view) {
            return (Polarity::Concern, (0.0, 0.0));
        }
        if view.is_question() {
            return (Polarity::Neutral, (0.0, 0.0));
        }
        let (c, s) = self.scores(view);
        let polarity = if c <= 0.0 && s <= 0.0 {
            Polarity::Neutral
        } else if s > c {
            Polarity::Strength
        } else {
            Polarity::Concern
        };
        (polarity, (c, s))
    }
}
