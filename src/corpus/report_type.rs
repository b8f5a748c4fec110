//! What kind of document a report is. One closed list, as the manifest, inference, the index,
//! the `--type` filter and `type:` in queries know it; spelled in kebab case everywhere a user
//! sees it (JSON, the manifest, results).

use serde::{Deserialize, Serialize};

/// A report's type.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ReportType {
    /// A dynamic inspection (e.g. of public protection in a region).
    DynamicInspection,
    /// A regional inspection.
    RegionalInspection,
    /// A regional review letter.
    RegionalLetter,
    /// An inspection of a probation delivery unit.
    PduInspection,
    /// A thematic inspection.
    ThematicInspection,
    /// A press release.
    PressRelease,
    /// A news article.
    NewsArticle,
    /// An annual report.
    AnnualReport,
    /// Anything else.
    #[default]
    Other,
}

impl ReportType {
    /// Every type, in the order they are listed to users.
    pub const ALL: [ReportType; 9] = [
        ReportType::DynamicInspection,
        ReportType::RegionalInspection,
        ReportType::RegionalLetter,
        ReportType::PduInspection,
        ReportType::ThematicInspection,
        ReportType::PressRelease,
        ReportType::NewsArticle,
        ReportType::AnnualReport,
        ReportType::Other,
    ];

    /// The names of [`ReportType::ALL`], in the same order.
    pub const NAMES: [&'static str; 9] = [
        "dynamic-inspection",
        "regional-inspection",
        "regional-letter",
        "pdu-inspection",
        "thematic-inspection",
        "press-release",
        "news-article",
        "annual-report",
        "other",
    ];

    /// Its name as users write it (`dynamic-inspection`).
    pub fn as_str(self) -> &'static str {
        // Variants are declared in the order of `ALL` and `NAMES` (tested).
        Self::NAMES[self as usize]
    }

    /// The type with this name, if there is one.
    pub fn parse(name: &str) -> Option<ReportType> {
        ReportType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The type a user named (`--type`, a web filter), or an error listing the types.
    pub fn resolve(name: &str) -> crate::Result<ReportType> {
        ReportType::parse(name).ok_or_else(|| {
            crate::Error::InvalidArgument(format!(
                "unknown report type `{name}`; types are: {}",
                Self::NAMES.join(", ")
            ))
        })
    }
}

impl std::fmt::Display for ReportType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_names_round_trip_and_match_serde() {
        for (i, t) in ReportType::ALL.into_iter().enumerate() {
            assert_eq!(t as usize, i, "ALL in declaration order");
            assert_eq!(ReportType::parse(t.as_str()), Some(t));
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{t}\""));
        }
        assert_eq!(ReportType::parse("bogus"), None);
    }
}
