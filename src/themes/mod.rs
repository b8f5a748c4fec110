//! TEMPORARY stand-in.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Concern,
    Strength,
    Neutral,
}
impl std::fmt::Display for Polarity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Polarity::Concern => "concern",
            Polarity::Strength => "strength",
            Polarity::Neutral => "neutral",
        })
    }
}
impl std::str::FromStr for Polarity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "concern" => Ok(Polarity::Concern),
            "strength" => Ok(Polarity::Strength),
            "neutral" => Ok(Polarity::Neutral),
            _ => Err(format!("unknown polarity `{s}`")),
        }
    }
}
pub struct Theme {
    pub id: String,
    pub label: String,
    pub category: String,
    pub description: String,
}
pub struct Taxonomy {
    pub themes: Vec<Theme>,
}
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SentenceTags {
    pub themes: Vec<String>,
    pub polarity: Polarity,
}
#[derive(Debug, thiserror::Error)]
pub enum TaxonomyError {
    #[error("{0}")]
    Invalid(String),
}
impl Taxonomy {
    pub fn embedded() -> Taxonomy {
        Taxonomy { themes: vec![] }
    }
    pub fn from_toml_str(_src: &str, _origin: &str) -> Result<Taxonomy, TaxonomyError> {
        Ok(Self::embedded())
    }
    pub fn from_file(_path: &std::path::Path) -> Result<Taxonomy, TaxonomyError> {
        Ok(Self::embedded())
    }
    pub fn fingerprint(&self) -> &str {
        "stub"
    }
    pub fn theme(&self, id: &str) -> Option<&Theme> {
        self.themes.iter().find(|t| t.id == id)
    }
    pub fn categories(&self) -> Vec<&str> {
        vec![]
    }
    pub fn tag(&self, _s: &str) -> SentenceTags {
        SentenceTags {
            themes: vec![],
            polarity: Polarity::Neutral,
        }
    }
    pub fn tag_tokens(&self, s: &str, _t: &[crate::analysis::AnalyzedToken]) -> SentenceTags {
        self.tag(s)
    }
}
