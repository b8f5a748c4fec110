//! A report given as one line of JSON (`themis tag -` reading NDJSON, as Spark's `RDD.pipe`
//! and Dask's `map_partitions` hand partitions over): `{"id", "text", ...metadata}`.
//!
//! Its metadata becomes a [`ReportMeta`] exactly as a corpus file's does, so that tagging a
//! corpus line by line counts what indexing it counts: a line with a `title` and a `type` is a
//! manifest entry (what it does not give is unknown, as in `reports.toml`, and the region and
//! type are checked and spelled the same way); a line without them has its metadata inferred
//! from its text, as for a file the manifest does not list, and the fields it does give
//! (`region`, `date`, `year`, `publisher`, `title`, `type`) take precedence.

use serde::Deserialize;

use super::gazetteer::Gazetteer;
use super::infer::REPORT_TYPES;
use super::{
    cap_text, decode, CorpusFile, DecodeError, Manifest, ManifestEntry, ReportMeta, ReportType,
    SourceText, MAX_TEXT_BYTES,
};

/// The keys a report line may have.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportLine {
    id: Option<String>,
    text: String,
    file: Option<String>,
    title: Option<String>,
    publisher: Option<String>,
    region: Option<String>,
    date: Option<String>,
    year: Option<i32>,
    #[serde(rename = "type")]
    report_type: Option<String>,
    source: Option<String>,
    licence: Option<String>,
}

/// `true` when `line` is meant as a JSON report: its first non-blank character is `{`.
pub fn looks_like_json_report(line: &str) -> bool {
    line.trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('{')
}

/// A JSON report read: its text, its metadata, and a warning when its text was cut at
/// [`MAX_TEXT_BYTES`] as a file's would be.
pub type JsonReport = (SourceText, ReportMeta, Option<String>);

/// Why a line gave no report: an error (not a report), or a warning (an empty text, skipped
/// as an empty file is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// What is wrong, in words for the user.
    pub message: String,
    /// `false` for a line skipped with a warning.
    pub is_error: bool,
}

impl BadLine {
    fn error(message: impl Into<String>) -> Self {
        BadLine {
            message: message.into(),
            is_error: true,
        }
    }
}

/// Reads one JSON report line: its text, decoded and capped as a file's would be, and its
/// metadata. `Err` says what is wrong with the line, for a message naming its line number.
pub fn parse_json_report(line: &str) -> Result<JsonReport, BadLine> {
    let line = line.trim_start_matches('\u{feff}').trim_end();
    let report: ReportLine = serde_json::from_str(line).map_err(|e| {
        let what = e.to_string();
        // serde_json ends its messages with "at line 1 column N": the column is what helps.
        BadLine::error(match what.rsplit_once(" at line 1 column ") {
            Some((message, column)) => format!("not a JSON report: {message} (column {column})"),
            None => format!("not a JSON report: {what}"),
        })
    })?;
    let id = report.id.filter(|id| !id.trim().is_empty());
    if id.is_none() && report.file.is_none() {
        return Err(BadLine::error(
            "a report needs an `id` (or a `file`, which the id is made from as indexing makes it)",
        ));
    }
    let report_type = match &report.report_type {
        Some(name) => Some(ReportType::parse(name).ok_or_else(|| {
            BadLine::error(format!(
                "unknown type `{name}` (expected one of: {})",
                REPORT_TYPES.join(", ")
            ))
        })?),
        None => None,
    };
    let region = match &report.region {
        Some(name) => Some(
            Gazetteer::embedded()
                .canonical_region(name)
                .ok_or_else(|| BadLine::error(format!("unknown region `{name}`")))?
                .to_string(),
        ),
        None => None,
    };
    let mut source = decode(report.text.as_bytes()).map_err(|e| BadLine {
        message: format!("`text`: {e}"),
        // An empty report is skipped with a warning, as an empty file is.
        is_error: e != DecodeError::Empty,
    })?;
    drop(report.text);
    let warning = cap_text(&mut source, MAX_TEXT_BYTES);
    let rel = report
        .file
        .clone()
        .or_else(|| id.clone())
        .unwrap_or_default();
    let file = CorpusFile {
        path: rel.clone().into(),
        rel: rel.clone(),
        stamp: None,
    };

    if let (Some(title), Some(kind)) = (&report.title, &report.report_type) {
        let entry = ManifestEntry {
            file: rel.clone(),
            id: id.unwrap_or_else(|| indexed_id(&rel)),
            title: title.clone(),
            publisher: report.publisher,
            region,
            date: report.date,
            year: report.year,
            report_type: kind.clone(),
            source: report.source,
            licence: report.licence,
        };
        let meta = entry.to_meta(&rel);
        return Ok((source, meta, warning));
    }

    let mut meta = ReportMeta::resolve(&file, &source, &Manifest::default());
    if let Some(id) = id {
        meta.id = id;
    }
    if let Some(title) = report.title {
        meta.title = title;
    }
    if report.publisher.is_some() {
        meta.publisher = report.publisher;
    }
    if region.is_some() {
        meta.region = region;
    }
    if let Some(date) = report.date {
        meta.year = report
            .year
            .or_else(|| date.get(..4)?.parse().ok())
            .or(meta.year);
        meta.date = Some(date);
    } else if report.year.is_some() {
        meta.year = report.year;
    }
    if let Some(kind) = report_type {
        meta.report_type = kind;
    }
    meta.source = report.source;
    meta.licence = report.licence;
    Ok((source, meta, warning))
}

/// The id indexing gives a file the manifest does not list.
fn indexed_id(rel: &str) -> String {
    super::slug(rel.rsplit_once('.').map_or(rel, |(stem, _)| stem))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_a_line_with_title_and_type_is_a_manifest_entry() {
        let (source, meta, warning) = parse_json_report(
            r#"{"id": "a", "text": "Vetting took months in Kent.", "title": "A", "type": "pdu-inspection", "region": "south west", "date": "2023-05-25"}"#,
        )
        .unwrap();
        assert_eq!(source.text, "Vetting took months in Kent.");
        assert_eq!(warning, None);
        assert_eq!(meta.id, "a");
        assert_eq!(meta.file, "a");
        assert_eq!(meta.region.as_deref(), Some("South West"), "canonical");
        assert_eq!(meta.year, Some(2023), "from the date, as the manifest does");
        assert_eq!(meta.report_type, ReportType::PduInspection);
        assert!(!meta.inferred);
    }

    #[test]
    fn test_a_line_without_title_and_type_is_inferred_then_overridden() {
        let text = "HM Inspectorate of Probation\n\nAn inspection of probation services in Wigan\n\nPublished 3 March 2021\n\nStaff were stretched.";
        let line = serde_json::json!({"id": "w", "text": text, "file": "w.txt"}).to_string();
        let (_, inferred, _) = parse_json_report(&line).unwrap();
        let file = CorpusFile {
            path: "w.txt".into(),
            rel: "w.txt".into(),
            stamp: None,
        };
        let indexed = ReportMeta::resolve(
            &file,
            &decode(text.as_bytes()).unwrap(),
            &Manifest::default(),
        );
        assert_eq!(inferred.region, indexed.region);
        assert_eq!(inferred.year, indexed.year);
        assert_eq!(inferred.title, indexed.title);
        assert_eq!(inferred.id, "w");
        let line = serde_json::json!({"id": "w", "text": text, "year": 1999}).to_string();
        assert_eq!(parse_json_report(&line).unwrap().1.year, Some(1999));
        // Without an id, the id is the one indexing gives the file.
        let line = serde_json::json!({"file": "sub/W report.txt", "text": text}).to_string();
        assert_eq!(parse_json_report(&line).unwrap().1.id, "sub-w-report");
    }

    #[test]
    fn test_bad_lines_say_what_is_wrong() {
        let err = |line: &str| parse_json_report(line).unwrap_err().message;
        assert!(err(r#"{"id": "a", "text": "x""#).contains("column"));
        assert!(err(r#"{"text": "x"}"#).contains("needs an `id`"));
        assert!(err(r#"{"id": "a", "text": "x", "regoin": "Kent"}"#).contains("regoin"));
        assert!(err(r#"{"id": "a", "text": "x", "region": "Narnia"}"#).contains("Narnia"));
        assert!(err(r#"{"id": "a", "text": "x", "type": "memo"}"#).contains("memo"));
        let empty = parse_json_report(r#"{"id": "a", "text": "   "}"#).unwrap_err();
        assert!(
            empty.message.contains("empty") && !empty.is_error,
            "{empty:?}"
        );
        assert!(err(r#"{"id": "a", "text": 3}"#).contains("not a JSON report"));
        assert!(looks_like_json_report("  {\"id\""));
        assert!(!looks_like_json_report("Vetting {took} months"));
    }
}
