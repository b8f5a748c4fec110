//! The taxonomy as data: loading and validating `themes.toml` (the default one is embedded)
//! into themes, their compiled rules and the polarity cues, and looking themes up.
//!
//! A taxonomy file is turned into a [`Taxonomy`] once, and every problem in it (unknown keys,
//! duplicate ids, unknown categories, empty or malformed rules, rules that analyse to
//! nothing, oversized rules) is reported at that point with the file name, the theme id and
//! the TOML line. Tagging with it is the [`Tagger`](super::Tagger)'s, and cannot fail.

use std::collections::HashMap;
use std::path::Path;

use once_cell::sync::Lazy;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::polarity::{PolarityEngine, RawPolarity};
use super::rules::{Prefilter, Rule};

/// The default taxonomy shipped with themis.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../themes.toml");

/// Version of the rule engine. It is part of [`Taxonomy::rules_fingerprint`], so changing how
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
    pub(super) matchers: Vec<Rule>,
    pub(super) excludes: Vec<Rule>,
    /// Index of the first `match` rule in the taxonomy-wide numbering of the prefilter.
    pub(super) offset: usize,
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
}

/// A compiled, validated taxonomy: the themes with their rules, and the polarity cues. What
/// it tags with, and how, is the [`Tagger`](super::Tagger)'s.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The themes, in file order (read-only: a taxonomy is built from its file, and
    /// `positions` indexes this list).
    pub themes: Vec<Theme>,
    /// Theme id → position in `themes`: theme lookups by id are hashed, not a scan of the list
    /// (the indexer looks up every tag of every sentence).
    positions: HashMap<String, usize>,
    pub(super) polarity: PolarityEngine,
    pub(super) prefilter: Prefilter,
    /// SHA-256 of the taxonomy text and the engine version: what the rules are.
    rules_fingerprint: String,
}

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
            positions: HashMap::new(),
            polarity: PolarityEngine::default(),
            prefilter: Prefilter::default(),
            rules_fingerprint: fingerprint_of(DEFAULT_TAXONOMY),
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
        let positions = themes
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        Ok(Taxonomy {
            themes,
            positions,
            polarity,
            prefilter,
            rules_fingerprint: fingerprint_of(src),
        })
    }

    /// SHA-256 (hex) of the taxonomy source and [`ENGINE_VERSION`]: what the rules are. The
    /// [`Tagger`](super::Tagger)'s fingerprint combines it with the model's version.
    pub fn rules_fingerprint(&self) -> &str {
        &self.rules_fingerprint
    }

    /// The theme with this id.
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.position(id).map(|i| &self.themes[i])
    }

    /// The theme a user named (`--theme`, a web filter), or an error listing the ids.
    pub fn check_theme(&self, id: &str) -> crate::Result<&Theme> {
        self.theme(id).ok_or_else(|| {
            let ids: Vec<&str> = self.themes.iter().map(|t| t.id.as_str()).collect();
            crate::Error::InvalidArgument(format!(
                "unknown theme `{id}`; themes are: {}",
                ids.join(", ")
            ))
        })
    }

    /// The position of the theme with this id in [`Taxonomy::themes`] (its number in the
    /// index's theme counts).
    pub fn position(&self, id: &str) -> Option<usize> {
        self.positions.get(id).copied()
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
