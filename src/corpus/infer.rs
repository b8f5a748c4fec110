//! TEMPORARY stand-in.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct InferredMetadata {
    pub title: Option<String>,
    pub publisher: Option<String>,
    pub date: Option<String>,
    pub year: Option<i32>,
    pub report_type: Option<String>,
    pub region: Option<String>,
}
pub const REPORT_TYPES: [&str; 9] = [
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
pub fn infer_metadata(text: &str, _file_name: &str) -> InferredMetadata {
    InferredMetadata {
        title: text
            .lines()
            .find(|l| !l.trim().is_empty())
            .map(|l| l.trim().to_string()),
        region: super::gazetteer::Gazetteer::embedded()
            .infer_region(text)
            .map(String::from),
        ..Default::default()
    }
}
