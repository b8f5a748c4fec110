//! Tagging sentences with a taxonomy: the themes its rules find (with the section a sentence is
//! read under, and not for a theme an enumeration names only in passing), the polarity its cues
//! give, and, beside the rules, the learned model that decides both when there is one.
//!
//! A [`Tagger`] shares the [`Taxonomy`] it tags with (so a tagger for the same rules with
//! another model is cheap) and holds the model; its fingerprint says what its tags are, so an
//! index tagged by other rules or another model is re-tagged.

use std::cell::OnceCell;
use std::sync::{Arc, Mutex, PoisonError};

use rustc_hash::FxHashMap;
use sha2::{Digest, Sha256};

use crate::analysis::{self, AnalyzedToken};
use crate::model::{Contribution, Model, PageContext};

use super::polarity;
use super::rules::{Rule, RuleSet, SentenceView};
use super::shape::{is_non_finding, list_items, refers_back};
use super::{Polarity, Taxonomy, Theme};

/// The tags of one sentence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SentenceTags {
    /// Theme ids, in taxonomy order.
    pub themes: Vec<String>,
    /// The sentence's polarity.
    pub polarity: Polarity,
}

/// Why a theme was assigned: the first rule of the theme that matched.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ThemeMatch {
    /// Theme id.
    pub theme: String,
    /// The `match` rule that fired, as written.
    pub rule: String,
}

/// Why a sentence carries a theme, for `themis tag --explain`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TagReason {
    /// Theme id.
    pub theme: String,
    /// The `match` rule that fired, as written, if one did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    /// The theme came from the section title the sentence refers back to.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub from_section: bool,
    /// The model's probability for the theme, if the model covers it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub probability: Option<f32>,
    /// The features that weighed most for the theme in the model, strongest first.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<Contribution>,
}

/// Tags sentences with the themes of a [`Taxonomy`] and a polarity: by its rules, and by a
/// learned model beside them if there is one.
#[derive(Debug, Clone)]
pub struct Tagger {
    /// The themes, rules and polarity cues.
    taxonomy: Arc<Taxonomy>,
    /// The learned half of the tagger, if any.
    model: ModelSlot,
    /// The rules' fingerprint combined with the model's version: what the tags are.
    fingerprint: String,
    /// For each theme (taxonomy order), its column in the model; `None`: rules only. Worked
    /// out on first use, so that the embedded model is parsed only when something is tagged.
    model_columns: once_cell::sync::OnceCell<Vec<Option<usize>>>,
    title_themes: TitleThemes,
}

/// Which model a tagger tags with.
#[derive(Debug, Clone)]
enum ModelSlot {
    /// The rules alone.
    None,
    /// The model embedded in the binary, parsed on first use.
    Embedded,
    /// A model the caller gave.
    Given(Arc<Model>),
}

/// Memo of [`Tagger::title_themes`]: every sentence of a section that refers back asks for
/// the themes of the same title, and reports share their section titles.
#[derive(Debug, Default)]
struct TitleThemes(Mutex<FxHashMap<String, Vec<String>>>);

impl Clone for TitleThemes {
    fn clone(&self) -> Self {
        TitleThemes::default()
    }
}

/// Titles remembered before the memo starts over (a bound for odd corpora, never reached by
/// ordinary ones).
const TITLE_THEMES_MAX: usize = 10_000;

impl Tagger {
    /// Tags with `taxonomy`'s rules and the model embedded in the binary, if it has one
    /// (parsed when first needed).
    pub fn new(taxonomy: impl Into<Arc<Taxonomy>>) -> Tagger {
        let taxonomy = taxonomy.into();
        let (model, fingerprint) = match Model::embedded_version() {
            Some(version) => (
                ModelSlot::Embedded,
                combined_fingerprint(taxonomy.rules_fingerprint(), version),
            ),
            None => (ModelSlot::None, taxonomy.rules_fingerprint().to_string()),
        };
        Tagger {
            taxonomy,
            model,
            fingerprint,
            model_columns: Default::default(),
            title_themes: TitleThemes::default(),
        }
    }

    /// The embedded taxonomy with the embedded model.
    pub fn embedded() -> Tagger {
        Tagger::new(Taxonomy::embedded())
    }

    /// The taxonomy this tagger tags with.
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    /// The same taxonomy with another model (`None`: rules only). The fingerprint changes with
    /// the model, so an index tagged by another model is re-tagged.
    pub fn with_model(mut self, model: Option<Arc<Model>>) -> Tagger {
        self.fingerprint = match &model {
            Some(m) => combined_fingerprint(self.taxonomy.rules_fingerprint(), m.version()),
            None => self.taxonomy.rules_fingerprint().to_string(),
        };
        self.model = match model {
            Some(m) => ModelSlot::Given(m),
            None => ModelSlot::None,
        };
        self.model_columns = Default::default();
        self
    }

    /// This tagger's taxonomy tagging with its rules alone.
    pub fn without_model(&self) -> Tagger {
        self.clone().with_model(None)
    }

    /// The model beside the rules, if any.
    pub fn model(&self) -> Option<&Arc<Model>> {
        match &self.model {
            ModelSlot::None => None,
            ModelSlot::Embedded => Model::embedded_ref(),
            ModelSlot::Given(m) => Some(m),
        }
    }

    /// Each theme's column in the model (taxonomy order).
    fn model_columns(&self) -> &[Option<usize>] {
        self.model_columns.get_or_init(|| {
            let model = self.model();
            self.taxonomy
                .themes
                .iter()
                .map(|t| model.and_then(|m| m.theme_column(&t.id)))
                .collect()
        })
    }

    /// Themes of the taxonomy that the model does not cover (tagged by their rules alone),
    /// and themes the model has that the taxonomy does not (ignored). Empty without a model.
    pub fn model_coverage(&self) -> (Vec<&str>, Vec<&str>) {
        let Some(model) = self.model() else {
            return (Vec::new(), Vec::new());
        };
        let uncovered = self
            .taxonomy
            .themes
            .iter()
            .zip(self.model_columns())
            .filter(|(_, c)| c.is_none())
            .map(|(t, _)| t.id.as_str())
            .collect();
        let unknown = model
            .themes
            .iter()
            .filter(|id| self.taxonomy.theme(id).is_none())
            .map(String::as_str)
            .collect();
        (uncovered, unknown)
    }

    /// SHA-256 (hex) of the taxonomy source and [`ENGINE_VERSION`](super::ENGINE_VERSION),
    /// combined with the model's version when there is a model: store it with tags so a changed
    /// taxonomy, engine or model triggers re-tagging.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Themes and polarity of one sentence.
    pub fn tag(&self, sentence: &str) -> SentenceTags {
        let tokens = analysis::analyze(sentence);
        self.tag_tokens(sentence, &tokens)
    }

    /// The themes of [`Tagger::tag`], without working out the polarity.
    pub fn themes(&self, text: &str) -> Vec<String> {
        let tokens = analysis::analyze(text);
        self.tag_in_section(text, &tokens, None, false, None).themes
    }

    /// Like [`Tagger::tag`] when the caller has already analysed the sentence; token
    /// offsets must be byte offsets into `sentence` (bad offsets only lose clause breaks).
    pub fn tag_tokens(&self, sentence: &str, tokens: &[AnalyzedToken]) -> SentenceTags {
        self.tag_in_section(sentence, tokens, None, true, None)
    }

    /// The themes whose rules match the sentence (none for a non-finding).
    fn themes_of(&self, view: &SentenceView<'_>, non_finding: bool) -> Vec<String> {
        if non_finding {
            return Vec::new();
        }
        let active = self.taxonomy.prefilter.active_set(view);
        // Most sentences match no rule, so the enumeration scan waits for one that does.
        let items = OnceCell::new();
        let passing = || {
            items
                .get_or_init(|| Some(list_items(view)).filter(|p| p.contains(&true)))
                .as_deref()
        };
        self.taxonomy
            .themes
            .iter()
            .filter(|t| t.first_match_in(view, &active, &passing).is_some())
            .map(|t| t.id.clone())
            .collect()
    }

    /// Like [`Tagger::tag_tokens`], for a sentence read under a section heading. A sentence
    /// that has no theme of its own but refers back to the subject of its section ("The
    /// reviews were of good quality", "This work had improved") inherits the themes the
    /// section title names ("Serious further offences", "Victims"). Polarity is unchanged.
    pub fn tag_in_context(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
    ) -> SentenceTags {
        self.tag_in_section(sentence, tokens, section, true, None)
    }

    /// [`Tagger::tag_in_context`] for the indexer, which keeps the polarity of tagged
    /// sentences only: the polarity of a sentence without themes is not worked out (it is
    /// reported as neutral). Polarity was a tenth of indexing CPU, and most sentences of a
    /// report carry no theme.
    pub fn tag_for_index(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
        page: &mut PageContext,
    ) -> SentenceTags {
        self.tag_in_section(sentence, tokens, section, false, Some(page))
    }

    /// [`Tagger::tag_in_context`] for a sentence read in order on a page (a report, or a
    /// labelled document): the model also weighs what the rules found on the page before it
    /// ([`PageContext`]), and the sentence is then counted on `page`.
    pub fn tag_on_page(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
        page: &mut PageContext,
    ) -> SentenceTags {
        self.tag_in_section(sentence, tokens, section, true, Some(page))
    }

    fn tag_in_section(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
        always_polarity: bool,
        page: Option<&mut PageContext>,
    ) -> SentenceTags {
        let non_finding = is_non_finding(sentence);
        let view = SentenceView::new(sentence, tokens, &self.taxonomy.polarity.negation);
        let themes = self.rule_themes(&view, tokens, section, non_finding);
        // The sentence is tagged with what came before it on the page, then joins the page.
        let tags = self.decide(
            sentence,
            tokens,
            &view,
            &themes,
            non_finding,
            always_polarity,
            page.as_deref(),
        );
        if let Some(page) = page {
            page.record(&themes, |id| self.model().and_then(|m| m.page_row(id)));
        }
        tags
    }

    /// The tags of a sentence whose rules gave `themes`: the model's decision where there is
    /// a model, with the page's part when `page` is given.
    #[allow(clippy::too_many_arguments)]
    fn decide(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        view: &SentenceView<'_>,
        themes: &[String],
        non_finding: bool,
        always_polarity: bool,
        page: Option<&PageContext>,
    ) -> SentenceTags {
        let Some(model) = self.model().filter(|_| !non_finding) else {
            let polarity = if always_polarity || !themes.is_empty() {
                self.taxonomy.polarity.classify(view)
            } else {
                Polarity::Neutral
            };
            return SentenceTags {
                themes: themes.to_vec(),
                polarity,
            };
        };
        let rule_themes: Vec<&str> = themes.iter().map(String::as_str).collect();
        let threshold = model.margin_threshold();
        let decide = |margins: &[f32]| -> Vec<String> {
            self.taxonomy
                .themes
                .iter()
                .zip(self.model_columns())
                .filter(|(theme, column)| match column {
                    Some(c) => margins[*c] >= threshold,
                    None => rule_themes.contains(&theme.id.as_str()),
                })
                .map(|(theme, _)| theme.id.clone())
                .collect()
        };
        // When a polarity is wanted for a sentence without themes (`themis tag`), it is the
        // learned classifier's too: it is right more often than the rules' cues (on the training
        // corpus's units that carry a theme, 5-fold: 0.800 against 0.760 when untagged sentences
        // took the rules' polarity), and a coder may well see a theme the tagger missed.
        let polarity_inputs = |decided: &Vec<String>| {
            (always_polarity || !decided.is_empty())
                .then(|| self.taxonomy.polarity.classify_scored(view))
        };
        let (decided, polarity) = model.score(
            sentence,
            tokens,
            &rule_themes,
            page,
            decide,
            polarity_inputs,
        );
        let polarity = polarity.unwrap_or(Polarity::Neutral);
        SentenceTags {
            themes: decided,
            polarity,
        }
    }

    /// The themes the rules give a sentence read under `section`: its own, and the section
    /// title's when it refers back to it (see [`Tagger::tag_in_context`]).
    fn rule_themes(
        &self,
        view: &SentenceView<'_>,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
        non_finding: bool,
    ) -> Vec<String> {
        let mut themes = self.themes_of(view, non_finding);
        if let Some(title) = section {
            if !non_finding && refers_back(tokens) {
                let inherited = self.title_themes(title);
                if inherited.len() == 1 || themes.is_empty() {
                    for theme in inherited {
                        if !themes.contains(&theme) {
                            themes.push(theme);
                        }
                    }
                }
            }
        }
        themes
    }

    /// The themes of [`Tagger::tag_in_context`] with the reason for each: the rule that
    /// fired (or the section title), and the model's probability and strongest features.
    pub fn explain_tags(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
        page: &mut PageContext,
    ) -> (SentenceTags, Vec<TagReason>) {
        let rules = self.explain(sentence);
        let view = SentenceView::new(sentence, tokens, &self.taxonomy.polarity.negation);
        let rule_themes = self.rule_themes(&view, tokens, section, is_non_finding(sentence));
        // Tagging below makes its own view, which can then reuse this one's buffers.
        drop(view);
        let rule_themes: Vec<&str> = rule_themes.iter().map(String::as_str).collect();
        // Scored with the page as it was before the sentence, as tagging it does.
        let before = page.clone();
        let tags = self.tag_on_page(sentence, tokens, section, page);
        let page = Some(&before);
        let scores = self
            .model()
            .map(|m| m.theme_scores(tokens, &rule_themes, page));
        let reasons = tags
            .themes
            .iter()
            .map(|id| {
                let rule = rules
                    .iter()
                    .find(|r| &r.theme == id)
                    .map(|r| r.rule.clone());
                let from_section = rule.is_none() && rule_themes.contains(&id.as_str());
                let column = self.model().and_then(|m| m.theme_column(id));
                TagReason {
                    theme: id.clone(),
                    rule,
                    from_section,
                    probability: column.and_then(|c| scores.as_ref().map(|s| round3(s.themes[c]))),
                    terms: match (self.model(), column) {
                        (Some(m), Some(_)) => m.contributions(tokens, &rule_themes, page, id, 5),
                        _ => Vec::new(),
                    },
                }
            })
            .collect();
        (tags, reasons)
    }

    /// The themes a section title names (titles are short, so any match counts).
    fn title_themes(&self, title: &str) -> Vec<String> {
        let lock = || {
            self.title_themes
                .0
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
        };
        if let Some(themes) = lock().get(title) {
            return themes.clone();
        }
        let themes = self.find_title_themes(title);
        let mut memo = lock();
        if memo.len() >= TITLE_THEMES_MAX {
            memo.clear();
        }
        memo.insert(title.to_string(), themes.clone());
        themes
    }

    fn find_title_themes(&self, title: &str) -> Vec<String> {
        let tokens = analysis::analyze(title);
        let view = SentenceView::new(title, &tokens, &self.taxonomy.polarity.negation);
        let active = self.taxonomy.prefilter.active_set(&view);
        self.taxonomy
            .themes
            .iter()
            .filter(|t| t.first_match_in(&view, &active, &|| None).is_some())
            .map(|t| t.id.clone())
            .collect()
    }

    /// Which rule assigned each theme of the sentence (for `themis themes explain` and rule
    /// debugging).
    pub fn explain(&self, sentence: &str) -> Vec<ThemeMatch> {
        let tokens = analysis::analyze(sentence);
        let view = SentenceView::new(sentence, &tokens, &self.taxonomy.polarity.negation);
        if is_non_finding(sentence) {
            return Vec::new();
        }
        let active = self.taxonomy.prefilter.active_set(&view);
        let items = list_items(&view);
        let passing = items.contains(&true).then_some(items.as_slice());
        self.taxonomy
            .themes
            .iter()
            .filter_map(|t| {
                t.first_match_in(&view, &active, &|| passing)
                    .map(|r| ThemeMatch {
                        theme: t.id.clone(),
                        rule: r.source.clone(),
                    })
            })
            .collect()
    }

    /// Whether `rule` matches a sentence as the taxonomy's own rules match it (with its
    /// negation settings): what `themis rule test` previews.
    pub fn rule_matches(&self, rule: &Rule, sentence: &str, tokens: &[AnalyzedToken]) -> bool {
        let view = SentenceView::new(sentence, tokens, &self.taxonomy.polarity.negation);
        rule.is_match(&view)
    }

    /// The polarity cues that counted in a sentence, with side and weight (for explaining a
    /// polarity and debugging cue lists).
    pub fn polarity_cues(&self, sentence: &str) -> Vec<polarity::CueHit> {
        let tokens = analysis::analyze(sentence);
        let view = SentenceView::new(sentence, &tokens, &self.taxonomy.polarity.negation);
        self.taxonomy.polarity.hits(&view)
    }

    /// The rules' polarity of a sentence with the (concern, strength) cue scores it was decided
    /// on (zero for recommendations and questions, decided before cues are counted): what the
    /// learned polarity classifier is given.
    pub fn polarity_verdict(&self, sentence: &str) -> (Polarity, (f64, f64)) {
        let tokens = analysis::analyze(sentence);
        let view = SentenceView::new(sentence, &tokens, &self.taxonomy.polarity.negation);
        self.taxonomy.polarity.classify_scored(&view)
    }

    /// Concern and strength scores of a sentence (the polarity is whichever is larger;
    /// neither means neutral).
    pub fn polarity_scores(&self, sentence: &str) -> (f64, f64) {
        let tokens = analysis::analyze(sentence);
        let view = SentenceView::new(sentence, &tokens, &self.taxonomy.polarity.negation);
        self.taxonomy.polarity.scores(&view)
    }
}

/// How the tagger matches one theme.
impl Theme {
    /// The first `match` rule that fires on the sentence, unless an `exclude` rule vetoes.
    /// `active` says which match rules the prefilter lets through (taxonomy-wide numbering).
    /// A rule whose match lies wholly inside an enumeration (`passing`, see [`list_items`])
    /// names the theme in passing and does not count; `passing()` gives `None` when no token
    /// is in one, and is only called once a rule has matched.
    fn first_match_in<'p>(
        &self,
        view: &SentenceView<'_>,
        active: &RuleSet,
        passing: &dyn Fn() -> Option<&'p [bool]>,
    ) -> Option<&Rule> {
        let mut spans = Vec::new();
        let hit = active
            .iter_in(self.offset..self.offset + self.matchers.len())
            .filter_map(|i| self.matchers.get(i - self.offset))
            .find(|r| {
                r.is_match_prefiltered(view)
                    && passing().is_none_or(|passing| {
                        r.match_spans_into(view, &mut spans);
                        spans
                            .iter()
                            .any(|&(s, _)| !passing.get(s as usize).copied().unwrap_or(false))
                    })
            })?;
        if self.excludes.iter().any(|r| r.is_match(view)) {
            return None;
        }
        Some(hit)
    }
}

/// Three decimals are all an explanation needs.
fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// The fingerprint of rules tagging with a model: both change the tags.
fn combined_fingerprint(rules: &str, model_version: &str) -> String {
    let mut h = Sha256::new();
    h.update(rules.as_bytes());
    h.update([0u8]);
    h.update(model_version.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}
