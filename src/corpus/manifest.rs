//! The corpus manifest, `reports.toml`: authoritative metadata for the files it lists.
//!
//! Validated on load (unknown keys, unknown regions and types, duplicate files or ids are
//! errors naming the line) so a typo never silently becomes wrong metadata.

use std::collections::HashSet;
use std::path::Path;

use serde::Deserialize;

use super::gazetteer::Gazetteer;
use super::infer::REPORT_TYPES;
use super::{ReportMeta, ReportType};
use crate::error::{Error, Result};

/// The manifest's file name inside the corpus folder.
pub const MANIFEST_FILE: &str = "reports.toml";

/// One `[[report]]` of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestEntry {
    /// Path relative to the corpus folder.
    pub file: String,
    /// Short stable slug.
    pub id: String,
    /// Title.
    pub title: String,
    /// Publisher.
    pub publisher: Option<String>,
    /// Canonical region.
    pub region: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    /// Year.
    pub year: Option<i32>,
    /// Report type.
    #[serde(rename = "type")]
    pub report_type: String,
    /// Where it comes from.
    pub source: Option<String>,
    /// Licence.
    pub licence: Option<String>,
}

impl ManifestEntry {
    /// The entry as report metadata.
    pub fn to_meta(&self, rel: &str) -> ReportMeta {
        ReportMeta {
            id: self.id.clone(),
            file: rel.to_string(),
            title: self.title.clone(),
            publisher: self.publisher.clone(),
            region: self.region.clone(),
            date: self.date.clone(),
            year: self
                .year
                .or_else(|| self.date.as_deref().and_then(|d| d.get(..4)?.parse().ok())),
            // Checked when the manifest was parsed.
            report_type: ReportType::parse(&self.report_type).unwrap_or(ReportType::Other),
            source: self.source.clone(),
            licence: self.licence.clone(),
            inferred: false,
        }
    }
}

/// Splits manifest text before each `[[report]]` header, as (offset, text) pieces that are each a
/// TOML document of their own, so that entries are parsed one at a time: the TOML parser holds a
/// whole document at about twenty times its size, close to a gigabyte for a manifest of 140,000
/// reports. A text with multi-line strings (which could hold a line that looks like a header) is
/// parsed whole.
fn entry_chunks(text: &str) -> Vec<(usize, &str)> {
    if text.contains("'''") || text.contains("\"\"\"") {
        return vec![(0, text)];
    }
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let header = line
            .trim()
            .strip_prefix("[[report]]")
            .is_some_and(|rest| rest.is_empty() || rest.trim_start().starts_with('#'));
        if header && offset > 0 {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.push(text.len());
    starts
        .windows(2)
        .map(|w| (w[0], &text[w[0]..w[1]]))
        .collect()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ManifestFile {
    #[serde(default)]
    report: Vec<toml::Spanned<ManifestEntry>>,
}

/// The parsed manifest (empty when the corpus has none).
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    entries: Vec<ManifestEntry>,
    /// Entry position by file, so lookups stay cheap with thousands of reports.
    by_file: std::collections::HashMap<String, usize>,
    /// The manifest's own text hash, so a metadata edit re-indexes the files it describes.
    pub hash: String,
}

impl Manifest {
    /// Loads `dir/reports.toml`, or an empty manifest when there is none.
    pub fn load(dir: &Path) -> Result<Manifest> {
        let path = dir.join(MANIFEST_FILE);
        match std::fs::read_to_string(&path) {
            Ok(text) => Manifest::parse(&text, &path),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(err) => Err(Error::io(path, err)),
        }
    }

    /// Parses manifest text; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Manifest> {
        let fail = |message: String| Error::Manifest {
            path: path.to_path_buf(),
            message,
        };
        // Line numbers by binary search over line starts: counting newlines from the top for
        // every entry made a manifest of n reports cost O(n²) (minutes at 100,000 reports).
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line_of = |offset: usize| line_starts.partition_point(|&start| start <= offset);
        let mut parsed = Vec::new();
        for (offset, chunk) in entry_chunks(text) {
            let file: ManifestFile = toml::from_str(chunk).map_err(|e| {
                let line = e
                    .span()
                    .map(|s| format!("line {}: ", line_of(offset + s.start)));
                fail(format!("{}{}", line.unwrap_or_default(), e.message()))
            })?;
            parsed.extend(file.report.into_iter().map(|entry| (offset, entry)));
        }
        let gazetteer = Gazetteer::embedded();
        let mut files = HashSet::new();
        let mut ids = HashSet::new();
        let mut entries = Vec::new();
        for (offset, spanned) in parsed {
            let line = line_of(offset + spanned.span().start);
            let mut entry = spanned.into_inner();
            let at = |msg: String| fail(format!("line {line}: report `{}`: {msg}", entry.file));
            if !files.insert(entry.file.clone()) {
                return Err(at("file listed twice".into()));
            }
            if !ids.insert(entry.id.clone()) {
                return Err(at(format!("id `{}` used twice", entry.id)));
            }
            if !REPORT_TYPES.contains(&entry.report_type.as_str()) {
                return Err(at(format!(
                    "unknown type `{}` (expected one of: {})",
                    entry.report_type,
                    REPORT_TYPES.join(", ")
                )));
            }
            if let Some(region) = &entry.region {
                match gazetteer.canonical_region(region) {
                    Some(canonical) => entry.region = Some(canonical.to_string()),
                    None => return Err(at(format!("unknown region `{region}`"))),
                }
            }
            entries.push(entry);
        }
        let by_file = entries
            .iter()
            .enumerate()
            .map(|(i, e)| (e.file.clone(), i))
            .collect();
        Ok(Manifest {
            entries,
            by_file,
            hash: super::hex_sha256(text.as_bytes()),
        })
    }

    /// The entry for a file (path relative to the corpus).
    pub fn entry(&self, rel: &str) -> Option<&ManifestEntry> {
        self.by_file.get(rel).map(|&i| &self.entries[i])
    }

    /// All entries, in manifest order.
    pub fn entries(&self) -> &[ManifestEntry] {
        &self.entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_parse_ok_and_canonicalises_region() {
        let m = Manifest::parse(
            "[[report]]\nfile = \"a.txt\"\nid = \"a\"\ntitle = \"A\"\nregion = \"south west\"\ntype = \"other\"\n",
            Path::new("reports.toml"),
        )
        .unwrap();
        assert_eq!(
            m.entry("a.txt").unwrap().region.as_deref(),
            Some("South West")
        );
    }

    fn entry(n: usize) -> String {
        format!("[[report]]\nfile = \"r{n}.txt\"\nid = \"r{n}\"\ntitle = \"R{n}\"\ntype = \"other\"\n\n")
    }

    #[test]
    fn test_entries_parsed_one_by_one_keep_order_and_line_numbers() {
        let mut text = "# corpus manifest\n\n".to_string();
        for n in 0..50 {
            text.push_str(&entry(n));
        }
        let m = Manifest::parse(&text, Path::new("reports.toml")).unwrap();
        let ids: Vec<&str> = m.entries.iter().map(|e| e.id.as_str()).collect();
        let expected: Vec<String> = (0..50).map(|n| format!("r{n}")).collect();
        assert_eq!(ids, expected);
        assert_eq!(
            entry_chunks(&text).len(),
            51,
            "the preamble, then one piece per entry"
        );

        // An error in the 31st entry names its own line: its header is line 3 + 6 × 30.
        let broken = text.replacen("id = \"r30\"", "idd = \"r30\"", 1);
        let err = Manifest::parse(&broken, Path::new("reports.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 185"), "{err}");
        let duplicate = text.replacen("id = \"r30\"", "id = \"r2\"", 1);
        let err = Manifest::parse(&duplicate, Path::new("reports.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("line 183") && err.contains("used twice"),
            "{err}"
        );
    }

    #[test]
    fn test_multiline_strings_are_parsed_whole() {
        let text = format!(
            "{}[[report]]\nfile = \"b.txt\"\nid = \"b\"\ntitle = \"\"\"B\n[[report]]\n\"\"\"\ntype = \"other\"\n",
            entry(0)
        );
        assert_eq!(entry_chunks(&text).len(), 1);
        let m = Manifest::parse(&text, Path::new("reports.toml")).unwrap();
        assert_eq!(m.entry("b.txt").unwrap().title, "B\n[[report]]\n");
    }

    #[test]
    fn test_parse_rejects_unknown_key_with_line() {
        let err = Manifest::parse(
            "[[report]]\nfile = \"a.txt\"\nid = \"a\"\ntitle = \"A\"\ntype = \"other\"\nregoin = \"x\"\n",
            Path::new("reports.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("regoin"), "{err}");
        assert!(err.contains("line"), "{err}");
    }

    #[test]
    fn test_parse_rejects_unknown_region_and_type() {
        let region = Manifest::parse(
            "[[report]]\nfile = \"a.txt\"\nid = \"a\"\ntitle = \"A\"\nregion = \"Narnia\"\ntype = \"other\"\n",
            Path::new("reports.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            region.contains("line 1") && region.contains("Narnia"),
            "{region}"
        );
        let kind = Manifest::parse(
            "[[report]]\nfile = \"a.txt\"\nid = \"a\"\ntitle = \"A\"\ntype = \"memo\"\n",
            Path::new("reports.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(kind.contains("memo"), "{kind}");
    }
}
