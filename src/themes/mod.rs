//! Themes: the taxonomy of recurring findings and the tagging of sentences with them.
//!
//! - [`Taxonomy`] (`taxonomy`): `themes.toml` (the default one is embedded) loaded, validated
//!   and compiled once, with every problem reported with the file, theme id and TOML line;
//!   then looked up.
//! - [`Tagger`] (`tagger`): tags sentences with a taxonomy's themes and a polarity, by its
//!   rules and the learned model beside them; tagging cannot fail.
//! - `shape`: the sentence shapes tagging treats specially (headings, back references,
//!   enumerations).
//! - [`rules`]: the rule language; [`polarity`]: the polarity engine.
//!
//! ```
//! use themis::themes::{Polarity, Tagger, Taxonomy};
//! let tagger = Tagger::new(Taxonomy::embedded());
//! let tags = tagger.tag("Long vetting delays made it difficult to fill vacancies.");
//! assert!(tags.themes.contains(&"vetting-recruitment".to_string()));
//! assert_eq!(tags.polarity, Polarity::Concern);
//! ```

pub mod polarity;
pub mod rules;
mod shape;
mod tagger;
mod taxonomy;

use std::fmt;
use std::str::FromStr;

pub use shape::is_non_finding;
pub use tagger::{SentenceTags, TagReason, Tagger, ThemeMatch};
pub use taxonomy::{
    Taxonomy, TaxonomyError, Theme, DEFAULT_CATEGORIES, DEFAULT_TAXONOMY, ENGINE_VERSION,
    MAX_FILE_BYTES, MAX_RULES_PER_THEME, MAX_THEMES,
};

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

#[cfg(test)]
mod tests;
