//! The on-disk index: opening it safely (format version, schema, lock), building and updating
//! it incrementally from a corpus, and reading report metadata back.
//!
//! A themis index is a tantivy index whose commit payload records the themis format version and
//! the taxonomy fingerprint. An index without that payload, or with another version, is not
//! trusted: commands say to run `themis index --rebuild`, and `themis index` rebuilds it.

mod schema;
mod writer;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::query::{Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

pub use schema::{build_schema, kind, Fields};
pub use writer::{build_index, IndexOptions, IndexProgress, IndexSummary, NoProgress};

use crate::corpus::ReportMeta;
use crate::error::{Error, Result};

/// Bumped whenever the schema or what is stored changes incompatibly.
pub const FORMAT_VERSION: u32 = 1;

/// Identifies the segmentation, analysis and tagging code; see [`CommitInfo::pipeline`].
pub const PIPELINE_VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "/1");

/// What themis writes into each commit's payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitInfo {
    /// Always `"themis"`: tells our indexes from other programs'.
    pub program: String,
    /// [`FORMAT_VERSION`] of the writer.
    pub format: u32,
    /// Fingerprint of the taxonomy the sentences were tagged with.
    pub taxonomy: String,
    /// The themis version that segmented, analysed and tagged the reports: a new version may
    /// segment or tag differently, so it re-indexes everything (as a taxonomy change does).
    pub pipeline: String,
    /// The corpus folder the index was built from.
    pub corpus: String,
}

/// An opened themis index.
pub struct ThemisIndex {
    /// The tantivy index (analyser registered).
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// The folder.
    pub path: PathBuf,
    /// The last commit's payload.
    pub info: CommitInfo,
}

/// `true` when `dir` holds an index (a `meta.json`). A `meta.json` with no segments and no
/// payload is what an index run leaves when it is interrupted before its first commit: that is
/// no index yet, not a foreign one.
pub fn exists(dir: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(dir.join("meta.json")) else {
        return dir.join("meta.json").exists();
    };
    match serde_json::from_str::<serde_json::Value>(&text) {
        Ok(meta) => {
            let no_segments = meta["segments"].as_array().is_some_and(|s| s.is_empty());
            !(no_segments && meta["payload"].is_null())
        }
        Err(_) => true,
    }
}

impl ThemisIndex {
    /// Opens an existing index for reading, checking that themis wrote it in this format.
    pub fn open(dir: &Path) -> Result<ThemisIndex> {
        if !exists(dir) {
            return Err(Error::NoIndex(dir.to_path_buf()));
        }
        let incompatible = |reason: String| Error::IncompatibleIndex {
            path: dir.to_path_buf(),
            reason,
        };
        let index = Index::open_in_dir(dir).map_err(|e| match e {
            tantivy::TantivyError::IncompatibleIndex(_) => {
                incompatible("was written by an incompatible tantivy version".into())
            }
            other => Error::CorruptIndex {
                path: dir.to_path_buf(),
                detail: other.to_string(),
            },
        })?;
        let metas = index.load_metas().map_err(|e| Error::CorruptIndex {
            path: dir.to_path_buf(),
            detail: e.to_string(),
        })?;
        let info: CommitInfo = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .filter(|i: &CommitInfo| i.program == "themis")
            .ok_or_else(|| incompatible("was not written by themis".into()))?;
        if info.format != FORMAT_VERSION {
            return Err(incompatible(format!(
                "has format version {} but this themis uses version {FORMAT_VERSION}",
                info.format
            )));
        }
        let (schema, fields) = build_schema();
        if index.schema() != schema {
            return Err(incompatible("has a different schema".into()));
        }
        crate::analysis::register(&index);
        Ok(ThemisIndex {
            index,
            fields,
            path: dir.to_path_buf(),
            info,
        })
    }

    /// A reader that sees exactly the last commit (no background reload surprises).
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| Error::CorruptIndex {
                path: self.path.clone(),
                detail: e.to_string(),
            })
    }

    /// Verifies the index: every file's checksum, and that the documents agree with the
    /// per-report records. Returns the problems found (empty when healthy).
    pub fn check(&self) -> Result<CheckReport> {
        let mut problems = Vec::new();
        match self.index.validate_checksum() {
            Ok(corrupted) => {
                for path in corrupted {
                    problems.push(format!("checksum mismatch in {}", path.display()));
                }
            }
            Err(e) => problems.push(format!("cannot verify checksums: {e}")),
        }
        let searcher = self.reader()?.searcher();
        let count = |k: &str| self.count_kind(&searcher, k);
        let reports = self.reports(&searcher)?;
        let passages = count(kind::PASSAGE)?;
        let sentences = count(kind::SENTENCE)?;
        let expected: u64 = reports.iter().map(|r| r.passages).sum();
        if expected != passages {
            problems.push(format!(
                "{passages} passages indexed but the report records list {expected}"
            ));
        }
        if count(kind::REPORT)? != reports.len() as u64 {
            problems.push("some report records cannot be read".into());
        }
        Ok(CheckReport {
            format: self.info.format,
            pipeline: self.info.pipeline.clone(),
            taxonomy: self.info.taxonomy.clone(),
            reports: reports.len() as u64,
            passages,
            tagged_sentences: sentences,
            problems,
        })
    }

    /// Number of documents of one kind ([`kind`]) in a searcher's snapshot.
    pub fn count_kind(&self, searcher: &Searcher, kind: &str) -> Result<u64> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, kind),
            IndexRecordOption::Basic,
        );
        Ok(searcher.search(&query, &tantivy::collector::Count)? as u64)
    }

    /// Metadata of every indexed report, sorted by id.
    pub fn reports(&self, searcher: &Searcher) -> Result<Vec<IndexedReport>> {
        let query = TermQuery::new(
            Term::from_field_text(self.fields.kind, kind::REPORT),
            IndexRecordOption::Basic,
        );
        let addresses = searcher.search(&query, &DocSetCollector)?;
        let mut reports = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            let data = doc
                .get_first(self.fields.data)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            if let Ok(report) = serde_json::from_str::<IndexedReport>(data) {
                reports.push(report);
            }
        }
        reports.sort_by(|a, b| a.meta.id.cmp(&b.meta.id));
        Ok(reports)
    }
}

/// The result of [`ThemisIndex::check`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckReport {
    /// Format version of the index.
    pub format: u32,
    /// themis version that built it.
    pub pipeline: String,
    /// Taxonomy fingerprint.
    pub taxonomy: String,
    /// Reports.
    pub reports: u64,
    /// Passages.
    pub passages: u64,
    /// Sentences carrying at least one theme.
    pub tagged_sentences: u64,
    /// What is wrong (empty when healthy).
    pub problems: Vec<String>,
}

/// A required clause `field == value`, for building filter queries.
pub fn must_term(field: tantivy::schema::Field, value: &str) -> (Occur, Box<dyn Query>) {
    (
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(field, value),
            IndexRecordOption::Basic,
        )),
    )
}

/// What the index records about one report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndexedReport {
    /// Its metadata.
    pub meta: ReportMeta,
    /// Content hash (file bytes + manifest entry).
    pub hash: String,
    /// Sentences (all units) in the report.
    pub sentences: u64,
    /// Passages indexed.
    pub passages: u64,
    /// Offset of the file's text in its bytes (3 after a UTF-8 BOM).
    pub offset_base: usize,
    /// `true` when offsets refer to text extracted from a PDF or HTML file.
    #[serde(default)]
    pub extracted: bool,
    /// Recommendations, scores, ratings and key facts (offsets into the file).
    #[serde(default)]
    pub structured: crate::structured::Structured,
    /// Theme ids of each recommendation, parallel to `structured.recommendations`.
    #[serde(default)]
    pub recommendation_themes: Vec<Vec<String>>,
}
