//! The theme taxonomy: loading and validating `themes.toml` (the default one is embedded),
//! compiling its rules, and tagging sentences with theme ids and a polarity.
//!
//! A taxonomy file is turned into a [`Taxonomy`] once, and every problem in it (unknown keys,
//! duplicate ids, unknown categories, empty or malformed rules, rules that analyse to
//! nothing, oversized rules) is reported at that point with the file name, the theme id and
//! the TOML line. After that, tagging cannot fail. The rule language is in [`rules`], the
//! polarity engine in [`polarity`].
//!
//! ```
//! use themis::themes::{Taxonomy, Polarity};
//! let tax = Taxonomy::embedded();
//! let tags = tax.tag("Long vetting delays made it difficult to fill vacancies.");
//! assert!(tags.themes.contains(&"vetting-recruitment".to_string()));
//! assert_eq!(tags.polarity, Polarity::Concern);
//! ```

pub mod polarity;
pub mod rules;

use std::cell::OnceCell;
use std::fmt;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};

use once_cell::sync::Lazy;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use crate::analysis::{self, AnalyzedToken};
use crate::model::{Contribution, Model};
use polarity::{PolarityEngine, RawPolarity};
use rules::{Prefilter, Rule, RuleSet, SentenceView};

/// The default taxonomy shipped with themis.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../themes.toml");

/// Version of the rule engine. It is part of [`Taxonomy::fingerprint`], so changing how
/// rules match (not just the taxonomy text) also makes stored tags stale. Bump it whenever
/// matching or polarity semantics change.
pub const ENGINE_VERSION: &str = "themis-rules/2";

/// Categories used when the file does not declare its own `categories = [...]`.
pub const DEFAULT_CATEGORIES: &[&str] = &[
    "workforce",
    "practice",
    "protection",
    "services",
    "governance",
];

/// Most themes a taxonomy may define.
pub const MAX_THEMES: usize = 500;
/// Most `match` plus `exclude` rules one theme may have.
pub const MAX_RULES_PER_THEME: usize = 500;
/// Largest taxonomy file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 4 << 20;

/// The judgement a sentence carries.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    /// A shortfall, gap, risk or area for improvement (including recommendations).
    Concern,
    /// Good or improving practice.
    Strength,
    /// Context or fact without a judgement.
    Neutral,
}

impl Polarity {
    /// The lowercase name used in files and JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Concern => "concern",
            Polarity::Strength => "strength",
            Polarity::Neutral => "neutral",
        }
    }
}

impl fmt::Display for Polarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a string that is not `concern`, `strength` or `neutral`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown polarity `{0}` (expected concern, strength or neutral)")]
pub struct ParsePolarityError(pub String);

impl FromStr for Polarity {
    type Err = ParsePolarityError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "concern" => Ok(Polarity::Concern),
            "strength" => Ok(Polarity::Strength),
            "neutral" => Ok(Polarity::Neutral),
            _ => Err(ParsePolarityError(s.to_string())),
        }
    }
}

/// A problem with a taxonomy file. Every variant names the file; those about a theme also
/// name its id and the 1-based TOML line.
#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    /// The file could not be read.
    #[error("{origin}: cannot read: {source}")]
    Io {
        /// File name.
        origin: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// TOML syntax error, unknown key or wrong value type.
    #[error("{origin}:{line}: {context}{message}")]
    Toml {
        /// File name.
        origin: String,
        /// 1-based line.
        line: usize,
        /// "theme `id`: " when the error lies inside a theme, else empty.
        context: String,
        /// What the TOML parser said.
        message: String,
    },
    /// A theme-level problem: duplicate id, unknown category, no rules, …
    #[error("{origin}:{line}: theme `{theme}`: {message}")]
    Theme {
        /// File name.
        origin: String,
        /// 1-based line.
        line: usize,
        /// Theme id.
        theme: String,
        /// What is wrong.
        message: String,
    },
    /// A rule that does not parse or compile.
    #[error("{origin}:{line}: theme `{theme}`: rule `{rule}` (column {column}): {message}")]
    Rule {
        /// File name.
        origin: String,
        /// 1-based line of the rule string.
        line: usize,
        /// Theme id.
        theme: String,
        /// The rule text (shortened when long).
        rule: String,
        /// 1-based character column inside the rule.
        column: usize,
        /// What is wrong.
        message: String,
    },
    /// A problem in the `[polarity]` table.
    #[error("{origin}:{line}: [polarity] {key}: {message}")]
    Polarity {
        /// File name.
        origin: String,
        /// 1-based line.
        line: usize,
        /// The key in `[polarity]`.
        key: String,
        /// What is wrong.
        message: String,
    },
    /// A problem with the file as a whole (no themes, too large, …).
    #[error("{origin}: {message}")]
    File {
        /// File name.
        origin: String,
        /// What is wrong.
        message: String,
    },
}

/// One theme: what it means and, privately, how it is detected.
#[derive(Debug, Clone)]
pub struct Theme {
    /// Stable id, e.g. `vetting-recruitment`.
    pub id: String,
    /// Short human label.
    pub label: String,
    /// One of the taxonomy's categories.
    pub category: String,
    /// The meaning of the theme.
    pub description: String,
    matchers: Vec<Rule>,
    excludes: Vec<Rule>,
    /// Index of the first `match` rule in the taxonomy-wide numbering of the prefilter.
    offset: usize,
}

impl Theme {
    /// The `match` rules as written.
    pub fn match_rules(&self) -> impl Iterator<Item = &str> {
        self.matchers.iter().map(|r| r.source.as_str())
    }

    /// The `exclude` rules as written.
    pub fn exclude_rules(&self) -> impl Iterator<Item = &str> {
        self.excludes.iter().map(|r| r.source.as_str())
    }

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

/// A compiled, validated taxonomy.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The themes, in file order.
    pub themes: Vec<Theme>,
    polarity: PolarityEngine,
    prefilter: Prefilter,
    /// SHA-256 of the taxonomy text and the engine version: what the rules are.
    rules_fingerprint: String,
    /// The rules' fingerprint combined with the model's version: what the tags are.
    fingerprint: String,
    title_themes: TitleThemes,
    /// The learned half of the tagger, if any.
    model: ModelSlot,
    /// For each theme (taxonomy order), its column in the model; `None`: rules only. Worked
    /// out on first use, so that the embedded model is parsed only when something is tagged.
    model_columns: once_cell::sync::OnceCell<Vec<Option<usize>>>,
}

/// Which model a taxonomy tags with.
#[derive(Debug, Clone)]
enum ModelSlot {
    /// The rules alone.
    None,
    /// The model embedded in the binary, parsed on first use.
    Embedded,
    /// A model the caller gave.
    Given(Arc<Model>),
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

/// Memo of [`Taxonomy::title_themes`]: every sentence of a section that refers back asks for
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

// ---------------------------------------------------------------------------------------
// The file model (serde). `Spanned` keeps byte ranges so errors can name lines.

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDoc {
    #[serde(default)]
    categories: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    polarity: Option<RawPolarity>,
    #[serde(default, rename = "theme")]
    themes: Vec<RawTheme>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    id: Spanned<String>,
    label: Spanned<String>,
    category: Spanned<String>,
    description: Spanned<String>,
    #[serde(default, rename = "match")]
    matches: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    exclude: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The polarity engine of the embedded taxonomy, used by files without a `[polarity]` table.
static DEFAULT_POLARITY: Lazy<PolarityEngine> = Lazy::new(|| {
    toml::from_str::<RawDoc>(DEFAULT_TAXONOMY)
        .ok()
        .and_then(|d| d.polarity)
        .and_then(|p| PolarityEngine::compile(&p).ok())
        .unwrap_or_default()
});

static EMBEDDED: Lazy<Result<Taxonomy, String>> = Lazy::new(|| {
    Taxonomy::from_toml_str(DEFAULT_TAXONOMY, "themes.toml (embedded)").map_err(|e| e.to_string())
});

/// 1-based line of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    let end = offset.min(src.len());
    src.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Shorten a rule for an error message.
fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(MAX).collect();
        t.push('…');
        t
    }
}

/// For a TOML error at `offset`, the id of the `[[theme]]` block it lies in, if any.
fn theme_context(src: &str, offset: usize) -> String {
    let end = offset.min(src.len());
    let before = src.get(..end).unwrap_or("");
    let index = before
        .lines()
        .filter(|l| l.trim_start().starts_with("[[theme]]"))
        .count();
    if index == 0 {
        return String::new();
    }
    let id = toml::from_str::<toml::Table>(src)
        .ok()
        .and_then(|t| {
            t.get("theme")?
                .as_array()?
                .get(index - 1)?
                .get("id")?
                .as_str()
                .map(str::to_string)
        })
        .unwrap_or_else(|| format!("#{index}"));
    format!("theme `{id}`: ")
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

impl Taxonomy {
    /// The default taxonomy embedded in the binary. A unit test guarantees it loads; should
    /// it ever not, this returns an empty taxonomy rather than panicking (use
    /// [`Taxonomy::try_embedded`] to see the error).
    pub fn embedded() -> Taxonomy {
        Self::try_embedded().unwrap_or_else(|_| Taxonomy {
            themes: Vec::new(),
            polarity: PolarityEngine::default(),
            prefilter: Prefilter::default(),
            rules_fingerprint: fingerprint_of(DEFAULT_TAXONOMY),
            fingerprint: fingerprint_of(DEFAULT_TAXONOMY),
            title_themes: TitleThemes::default(),
            model: ModelSlot::None,
            model_columns: Default::default(),
        })
    }

    /// The default taxonomy, or the message explaining why it does not load.
    pub fn try_embedded() -> Result<Taxonomy, String> {
        EMBEDDED.clone()
    }

    /// Read and compile a taxonomy file.
    pub fn from_file(path: &Path) -> Result<Taxonomy, TaxonomyError> {
        let origin = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|source| TaxonomyError::Io {
            origin: origin.clone(),
            source,
        })?;
        Self::from_toml_str(&src, &origin)
    }

    /// Parse, validate and compile a taxonomy from TOML text. `origin` names the file in
    /// error messages.
    pub fn from_toml_str(src: &str, origin: &str) -> Result<Taxonomy, TaxonomyError> {
        let file_err = |message: String| TaxonomyError::File {
            origin: origin.to_string(),
            message,
        };
        if src.len() > MAX_FILE_BYTES {
            return Err(file_err(format!(
                "file is larger than {} bytes",
                MAX_FILE_BYTES
            )));
        }
        let doc: RawDoc = toml::from_str(src).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            TaxonomyError::Toml {
                origin: origin.to_string(),
                line: line_of(src, offset),
                context: theme_context(src, offset),
                message: e.message().trim().to_string(),
            }
        })?;

        // Categories: declared in the file or the defaults.
        let categories: Vec<String> = match &doc.categories {
            Some(list) => {
                if list.get_ref().is_empty() {
                    return Err(TaxonomyError::Toml {
                        origin: origin.to_string(),
                        line: line_of(src, list.span().start),
                        context: String::new(),
                        message: "`categories` is empty".to_string(),
                    });
                }
                list.get_ref().iter().map(|c| c.get_ref().clone()).collect()
            }
            None => DEFAULT_CATEGORIES.iter().map(|s| s.to_string()).collect(),
        };

        if doc.themes.is_empty() {
            return Err(file_err("no [[theme]] defined".to_string()));
        }
        if doc.themes.len() > MAX_THEMES {
            return Err(file_err(format!("more than {MAX_THEMES} themes")));
        }

        let mut themes: Vec<Theme> = Vec::with_capacity(doc.themes.len());
        let mut offset = 0;
        for raw in &doc.themes {
            let id = raw.id.get_ref().clone();
            let id_line = line_of(src, raw.id.span().start);
            let theme_err = |line: usize, message: String| TaxonomyError::Theme {
                origin: origin.to_string(),
                line,
                theme: id.clone(),
                message,
            };
            if !is_valid_id(&id) {
                return Err(theme_err(
                    id_line,
                    "id must be lowercase letters, digits and inner hyphens (e.g. `staff-wellbeing`)"
                        .to_string(),
                ));
            }
            if themes.iter().any(|t| t.id == id) {
                return Err(theme_err(id_line, "duplicate theme id".to_string()));
            }
            for (key, value) in [("label", &raw.label), ("description", &raw.description)] {
                if value.get_ref().trim().is_empty() {
                    return Err(theme_err(
                        line_of(src, value.span().start),
                        format!("`{key}` is empty"),
                    ));
                }
            }
            let category = raw.category.get_ref();
            if !categories.iter().any(|c| c == category) {
                return Err(theme_err(
                    line_of(src, raw.category.span().start),
                    format!(
                        "unknown category `{category}` (expected one of: {})",
                        categories.join(", ")
                    ),
                ));
            }
            let Some(matches) = &raw.matches else {
                return Err(theme_err(
                    id_line,
                    "no `match` rules (add `match = [\"…\"]`)".to_string(),
                ));
            };
            if matches.get_ref().is_empty() {
                return Err(theme_err(
                    line_of(src, matches.span().start),
                    "`match` is empty".to_string(),
                ));
            }
            let excludes: &[Spanned<String>] =
                raw.exclude.as_ref().map_or(&[], |e| e.get_ref().as_slice());
            if matches.get_ref().len() + excludes.len() > MAX_RULES_PER_THEME {
                return Err(theme_err(
                    id_line,
                    format!("more than {MAX_RULES_PER_THEME} rules"),
                ));
            }
            let compile = |list: &[Spanned<String>]| -> Result<Vec<Rule>, TaxonomyError> {
                list.iter()
                    .map(|r| {
                        Rule::parse(r.get_ref()).map_err(|e| TaxonomyError::Rule {
                            origin: origin.to_string(),
                            line: line_of(src, r.span().start),
                            theme: id.clone(),
                            rule: shorten(r.get_ref()),
                            column: e.column,
                            message: e.message,
                        })
                    })
                    .collect()
            };
            let matchers = compile(matches.get_ref())?;
            let n = matchers.len();
            themes.push(Theme {
                id: id.clone(),
                label: raw.label.get_ref().trim().to_string(),
                category: category.clone(),
                description: raw.description.get_ref().trim().to_string(),
                matchers,
                excludes: compile(excludes)?,
                offset,
            });
            offset += n;
        }

        let polarity = match &doc.polarity {
            None => DEFAULT_POLARITY.clone(),
            Some(raw) => PolarityEngine::compile(raw).map_err(|e| TaxonomyError::Polarity {
                origin: origin.to_string(),
                line: line_of(src, e.offset),
                key: e.key.to_string(),
                message: e.message,
            })?,
        };

        let prefilter = Prefilter::new(themes.iter().flat_map(|t| t.matchers.iter()));
        Ok(Taxonomy {
            themes,
            polarity,
            prefilter,
            rules_fingerprint: fingerprint_of(src),
            fingerprint: fingerprint_of(src),
            title_themes: TitleThemes::default(),
            model: ModelSlot::None,
            model_columns: Default::default(),
        }
        .with_embedded_model())
    }

    /// The same rules with the embedded model (parsed when first needed).
    fn with_embedded_model(mut self) -> Taxonomy {
        match Model::embedded_version() {
            Some(version) => {
                self.fingerprint = combined_fingerprint(&self.rules_fingerprint, version);
                self.model = ModelSlot::Embedded;
            }
            None => {
                self.fingerprint = self.rules_fingerprint.clone();
                self.model = ModelSlot::None;
            }
        }
        self.model_columns = Default::default();
        self
    }

    /// The same rules with another model (`None`: rules only). The fingerprint changes with
    /// the model, so an index tagged by another model is re-tagged.
    pub fn with_model(mut self, model: Option<Arc<Model>>) -> Taxonomy {
        self.fingerprint = match &model {
            Some(m) => combined_fingerprint(&self.rules_fingerprint, m.version()),
            None => self.rules_fingerprint.clone(),
        };
        self.model = match model {
            Some(m) => ModelSlot::Given(m),
            None => ModelSlot::None,
        };
        self.model_columns = Default::default();
        self
    }

    /// This taxonomy tagging with its rules alone.
    pub fn without_model(&self) -> Taxonomy {
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
            self.themes
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
            .themes
            .iter()
            .zip(self.model_columns())
            .filter(|(_, c)| c.is_none())
            .map(|(t, _)| t.id.as_str())
            .collect();
        let unknown = model
            .themes
            .iter()
            .filter(|id| self.theme(id).is_none())
            .map(String::as_str)
            .collect();
        (uncovered, unknown)
    }

    /// SHA-256 (hex) of the taxonomy source and [`ENGINE_VERSION`], combined with the model's
    /// version when there is a model: store it with tags so a changed taxonomy, engine or model
    /// triggers re-tagging.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// The theme with this id.
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }

    /// Theme ids in taxonomy order.
    pub fn ids(&self) -> Vec<&str> {
        self.themes.iter().map(|t| t.id.as_str()).collect()
    }

    /// Categories in first-seen order.
    pub fn categories(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for t in &self.themes {
            if !out.contains(&t.category.as_str()) {
                out.push(&t.category);
            }
        }
        out
    }

    /// Themes and polarity of one sentence.
    pub fn tag(&self, sentence: &str) -> SentenceTags {
        let tokens = analysis::analyze(sentence);
        self.tag_tokens(sentence, &tokens)
    }

    /// The themes of [`Taxonomy::tag`], without working out the polarity.
    pub fn themes(&self, text: &str) -> Vec<String> {
        let tokens = analysis::analyze(text);
        self.tag_in_section(text, &tokens, None, false).themes
    }

    /// Like [`Taxonomy::tag`] when the caller has already analysed the sentence; token
    /// offsets must be byte offsets into `sentence` (bad offsets only lose clause breaks).
    pub fn tag_tokens(&self, sentence: &str, tokens: &[AnalyzedToken]) -> SentenceTags {
        self.tag_in_section(sentence, tokens, None, true)
    }

    /// The themes whose rules match the sentence (none for a non-finding).
    fn themes_of(&self, view: &SentenceView<'_>, non_finding: bool) -> Vec<String> {
        if non_finding {
            return Vec::new();
        }
        let active = self.prefilter.active_set(view);
        // Most sentences match no rule, so the enumeration scan waits for one that does.
        let items = OnceCell::new();
        let passing = || {
            items
                .get_or_init(|| Some(list_items(view)).filter(|p| p.contains(&true)))
                .as_deref()
        };
        self.themes
            .iter()
            .filter(|t| t.first_match_in(view, &active, &passing).is_some())
            .map(|t| t.id.clone())
            .collect()
    }

    /// Like [`Taxonomy::tag_tokens`], for a sentence read under a section heading. A sentence
    /// that has no theme of its own but refers back to the subject of its section ("The
    /// reviews were of good quality", "This work had improved") inherits the themes the
    /// section title names ("Serious further offences", "Victims"). Polarity is unchanged.
    pub fn tag_in_context(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
    ) -> SentenceTags {
        self.tag_in_section(sentence, tokens, section, true)
    }

    /// [`Taxonomy::tag_in_context`] for the indexer, which keeps the polarity of tagged
    /// sentences only: the polarity of a sentence without themes is not worked out (it is
    /// reported as neutral). Polarity was a tenth of indexing CPU, and most sentences of a
    /// report carry no theme.
    pub fn tag_for_index(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
    ) -> SentenceTags {
        self.tag_in_section(sentence, tokens, section, false)
    }

    fn tag_in_section(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
        always_polarity: bool,
    ) -> SentenceTags {
        let non_finding = is_non_finding(sentence);
        let view = SentenceView::new(sentence, tokens, &self.polarity.negation);
        let themes = self.rule_themes(&view, tokens, section, non_finding);
        let Some(model) = self.model().filter(|_| !non_finding) else {
            let polarity = if always_polarity || !themes.is_empty() {
                self.polarity.classify(&view)
            } else {
                Polarity::Neutral
            };
            return SentenceTags { themes, polarity };
        };
        let rule_themes: Vec<&str> = themes.iter().map(String::as_str).collect();
        let threshold = model.margin_threshold();
        let decided: Vec<String> = model.with_theme_margins(tokens, &rule_themes, |margins| {
            self.themes
                .iter()
                .zip(self.model_columns())
                .filter(|(theme, column)| match column {
                    Some(c) => margins[*c] >= threshold,
                    None => rule_themes.contains(&theme.id.as_str()),
                })
                .map(|(theme, _)| theme.id.clone())
                .collect()
        });
        let polarity = if !decided.is_empty() {
            let (rule_polarity, scores) = self.polarity.classify_scored(&view);
            model.polarity(tokens, &rule_themes, rule_polarity, scores)
        } else if always_polarity {
            self.polarity.classify(&view)
        } else {
            Polarity::Neutral
        };
        SentenceTags {
            themes: decided,
            polarity,
        }
    }

    /// The themes the rules give a sentence read under `section`: its own, and the section
    /// title's when it refers back to it (see [`Taxonomy::tag_in_context`]).
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

    /// The themes of [`Taxonomy::tag_in_context`] with the reason for each: the rule that
    /// fired (or the section title), and the model's probability and strongest features.
    pub fn explain_tags(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        section: Option<&str>,
    ) -> (SentenceTags, Vec<TagReason>) {
        let tags = self.tag_in_context(sentence, tokens, section);
        let rules = self.explain(sentence);
        let view = SentenceView::new(sentence, tokens, &self.polarity.negation);
        let rule_themes = self.rule_themes(&view, tokens, section, is_non_finding(sentence));
        let rule_themes: Vec<&str> = rule_themes.iter().map(String::as_str).collect();
        let scores = self.model().map(|m| m.theme_scores(tokens, &rule_themes));
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
                        (Some(m), Some(_)) => m.contributions(tokens, &rule_themes, id, 5),
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
        let view = SentenceView::new(title, &tokens, &self.polarity.negation);
        let active = self.prefilter.active_set(&view);
        self.themes
            .iter()
            .filter(|t| t.first_match_in(&view, &active, &|| None).is_some())
            .map(|t| t.id.clone())
            .collect()
    }

    /// Which rule assigned each theme of the sentence (for `themis themes explain` and rule
    /// debugging).
    pub fn explain(&self, sentence: &str) -> Vec<ThemeMatch> {
        let tokens = analysis::analyze(sentence);
        let view = SentenceView::new(sentence, &tokens, &self.polarity.negation);
        if is_non_finding(sentence) {
            return Vec::new();
        }
        let active = self.prefilter.active_set(&view);
        let items = list_items(&view);
        let passing = items.contains(&true).then_some(items.as_slice());
        self.themes
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

    /// The polarity cues that counted in a sentence, with side and weight (for explaining a
    /// polarity and debugging cue lists).
    pub fn polarity_cues(&self, sentence: &str) -> Vec<polarity::CueHit> {
        let tokens = analysis::analyze(sentence);
        let view = SentenceView::new(sentence, &tokens, &self.polarity.negation);
        self.polarity.hits(&view)
    }

    /// The rules' polarity of a sentence with the (concern, strength) cue scores it was decided
    /// on (zero for recommendations and questions, decided before cues are counted): what the
    /// learned polarity classifier is given.
    pub fn polarity_verdict(&self, sentence: &str) -> (Polarity, (f64, f64)) {
        let tokens = analysis::analyze(sentence);
        let view = SentenceView::new(sentence, &tokens, &self.polarity.negation);
        self.polarity.classify_scored(&view)
    }

    /// Concern and strength scores of a sentence (the polarity is whichever is larger;
    /// neither means neutral).
    pub fn polarity_scores(&self, sentence: &str) -> (f64, f64) {
        let tokens = analysis::analyze(sentence);
        let view = SentenceView::new(sentence, &tokens, &self.polarity.negation);
        self.polarity.scores(&view)
    }
}

/// Three decimals are all an explanation needs.
fn round3(x: f32) -> f32 {
    (x * 1000.0).round() / 1000.0
}

/// Whether a sentence points back to something named earlier ("the reviews", "this work",
/// "these", "it", "they") rather than introducing its own subject.
fn refers_back(tokens: &[AnalyzedToken]) -> bool {
    let mut head = [""; 4];
    for (h, t) in head.iter_mut().zip(tokens) {
        *h = t.term.as_str();
    }
    let head = &head[..tokens.len().min(4)];
    head.iter().take(3).any(|t| matches!(*t, "it" | "they"))
        || head.windows(2).any(|w| {
            matches!(w[0], "the" | "these" | "this" | "those")
                && matches!(
                    w[1],
                    "review" | "work" | "team" | "process" | "servic" | "scheme"
                )
        })
}

/// Tokens that are items of an enumeration introduced by "including", "such as", "e.g." or
/// "the following" ("services included accommodation, ETE, dependency and recovery";
/// "sessions on topics such as risk, domestic abuse and challenging behaviour"). A theme
/// named only there is mentioned in passing: the sentence is about the whole, not the item.
/// The enumeration must have at least three items (separated by commas, "and" or "or"); a
/// list the sentence opens with an anaphor or a finding word ("These included insufficient
/// information gathering, …", "Concerns included …") is the finding itself and is kept.
fn list_items(view: &SentenceView<'_>) -> Vec<bool> {
    let n = view.len();
    let mut passing = vec![false; n];
    let mut i = 0;
    while i < n {
        let marker_len = match (view.term(i), view.term(i + 1)) {
            (Some("includ"), _) => 1,
            (Some("such"), Some("as")) => 2,
            (Some("e"), Some("g")) => 2,
            (Some("the"), Some("follow")) => 2,
            _ => 0,
        };
        if marker_len == 0 {
            i += 1;
            continue;
        }
        let finding_subject = (i.saturating_sub(3)..i).any(|j| {
            view.term(j).is_some_and(|t| {
                matches!(t, "these" | "this" | "they" | "it")
                    || FINDING_SUBJECTS.iter().any(|p| t.starts_with(p))
            })
        });
        // Items are split at commas and at "and"/"or"; the list ends before an item that is
        // long or has a verb of its own (the sentence has moved on to a new clause).
        let start = i + marker_len;
        let mut end = start;
        let mut item_start = start;
        let mut items = 0;
        let mut j = start;
        loop {
            // A full stop or semicolon ends the list.
            if j < n && j > start && view.gap_before(j).is_some_and(|g| g.contains([';', '.'])) {
                if j > item_start && j - item_start <= 6 {
                    items += 1;
                    end = j;
                }
                break;
            }
            let boundary = j >= n
                || (j > item_start && view.break_before(j))
                || matches!(view.term(j), Some("and" | "or"));
            if boundary {
                if j > item_start {
                    let clause = (item_start..j).any(|k| {
                        view.surface(k)
                            .is_some_and(|w| FINITE_VERBS.contains(&w.to_lowercase().as_str()))
                    });
                    if j - item_start > 6 || clause {
                        break;
                    }
                    items += 1;
                    end = j;
                }
                if j >= n {
                    break;
                }
                item_start = if matches!(view.term(j), Some("and" | "or")) {
                    j + 1
                } else {
                    j
                };
            }
            j += 1;
        }
        if items >= 3 && !finding_subject {
            for p in passing.iter_mut().take(end).skip(start) {
                *p = true;
            }
        }
        i = end.max(i + 1);
    }
    passing
}

/// Stems of words that, just before "including", make the list a finding in itself
/// ("Concerns included …", "Current priorities included …").
const FINDING_SUBJECTS: &[&str] = &[
    "recommend",
    "concern",
    "issu",
    "find",
    "challeng",
    "weak",
    "gap",
    "barrier",
    "reason",
    "strength",
    "improv",
    "risk",
    "shortfal",
    "priorit",
    "need",
    "action",
    "area",
];

/// Words that make a short line a clause rather than a title ("Staff were motivated").
const FINITE_VERBS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should",
    "must", "did", "does", "do", "may", "might", "been", "being",
];

/// Whether a "sentence" is not a finding at all but a heading or a reference, which carries
/// no theme whatever its words: a footnote ("… annual report. ↩︎", "¹ Independent review
/// of …") or a short title with no closing punctuation, no verb and no figures ("Services
/// and interventions", "Learning from Serious Further Offence investigations"). Table rows
/// and scoring lines carry figures and are findings, so they are not headings.
pub fn is_non_finding(sentence: &str) -> bool {
    let t = sentence.trim();
    if t.contains('\u{21a9}') {
        return true;
    }
    let first = t.chars().next();
    if first.is_some_and(|c| {
        "\u{b9}\u{b2}\u{b3}\u{2074}\u{2075}\u{2076}\u{2077}\u{2078}\u{2079}".contains(c)
    }) {
        return true;
    }
    // A table row with no figure after its first cell is a header or a label row ("| PO |
    // PSO | PQiP |", "| Average caseload (FTE) | |"), not data.
    if let Some(row) = t.strip_prefix('|') {
        let mut cells = row.split('|');
        cells.next();
        return !cells.any(|c| c.chars().any(|ch| ch.is_ascii_digit()));
    }
    let Some(last) = t.chars().last() else {
        return true;
    };
    if !(last.is_alphabetic() || last == ')') || !first.is_some_and(char::is_uppercase) {
        return false;
    }
    if t.contains(['|', '\t', '?', ',', ';', ':']) || t.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let words: Vec<String> = t
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    // A line ending in a function word is a sentence broken across lines, not a title.
    let dangling = words
        .last()
        .is_some_and(|w| DANGLING_WORDS.contains(&w.as_str()));
    words.len() <= 8 && !dangling && !words.iter().any(|w| FINITE_VERBS.contains(&w.as_str()))
}

/// Words a title does not end with (a line ending in one is an unfinished sentence).
const DANGLING_WORDS: &[&str] = &[
    "to", "of", "and", "the", "a", "an", "for", "with", "in", "on", "by", "or", "from", "at",
    "that", "which", "as",
];

/// The fingerprint of rules tagging with a model: both change the tags.
fn combined_fingerprint(rules: &str, model_version: &str) -> String {
    let mut h = Sha256::new();
    h.update(rules.as_bytes());
    h.update([0u8]);
    h.update(model_version.as_bytes());
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn fingerprint_of(src: &str) -> String {
    let mut h = Sha256::new();
    h.update(ENGINE_VERSION.as_bytes());
    h.update([0u8]);
    h.update(src.as_bytes());
    h.finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()
}

#[cfg(test)]
mod tests;
