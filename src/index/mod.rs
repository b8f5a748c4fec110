//! The on-disk index: opening it safely (format version, schema, lock), building and updating
//! it incrementally from a corpus, and reading report metadata back.
//!
//! A themis index is a tantivy index whose commit payload records the themis format version and
//! the taxonomy fingerprint. An index without that payload, or with another version, is not
//! trusted: commands say to run `themis index --rebuild`, and `themis index` rebuilds it.

mod documents;
mod freshness;
mod merge;
mod passages;
mod queue;
mod schema;
pub mod spans;
mod verify;
mod writer;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::DocSetCollector;
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::{Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

pub use freshness::{CorpusState, Freshness, Staleness, STATE_FILE};
pub use merge::{BoundedMergePolicy, MAX_MERGED_BYTES};
pub use passages::TaggedPassage;
pub use schema::{
    build_schema, fast, kind, pack_theme_count, theme_polarity, unpack_theme_count, Fields,
    PASSAGE_COUNT, SUMMARY_ID,
};
pub use verify::{OPEN_BUDGET_BYTES, VERIFIED_FILE};
pub use writer::{
    build_index, content_hash, IndexOptions, IndexProgress, IndexSummary, NoProgress,
};

use crate::corpus::{ReportMeta, ReportType};
use crate::error::{Error, Result};

/// The tags of one tagged sentence, stored with its passage: `(start, end, polarity, themes)`,
/// offsets into the source file. A tuple rather than an object because one is stored per tagged
/// sentence and the keys would be most of the bytes.
pub type StoredSentence = (usize, usize, crate::themes::Polarity, Vec<String>);

/// Bumped whenever the schema or what is stored changes incompatibly.
pub const FORMAT_VERSION: u32 = 9;

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
    /// One reader for the life of this handle: opening segment readers costs more than a query.
    reader: once_cell::sync::OnceCell<IndexReader>,
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
        Self::open_checked(dir, true)
    }

    /// Opens an existing index like [`ThemisIndex::open`], checking the same things, but
    /// writes nothing into its folder (not even the record of the files whose checksums were
    /// verified): for a long-running reader, such as `themis serve`, that must leave the index
    /// to the processes that update it.
    pub fn open_read_only(dir: &Path) -> Result<ThemisIndex> {
        Self::open_checked(dir, false)
    }

    fn open_checked(dir: &Path, record_verified: bool) -> Result<ThemisIndex> {
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
        verify::verify_on_open(&index, dir, record_verified).map_err(|detail| {
            Error::CorruptIndex {
                path: dir.to_path_buf(),
                detail,
            }
        })?;
        crate::analysis::register(&index);
        Ok(ThemisIndex {
            index,
            fields,
            path: dir.to_path_buf(),
            info,
            reader: once_cell::sync::OnceCell::new(),
        })
    }

    /// A reader that sees exactly the commit that was last when it was first asked for (no
    /// background reload surprises); later calls share it.
    pub fn reader(&self) -> Result<IndexReader> {
        self.reader
            .get_or_try_init(|| {
                self.index
                    .reader_builder()
                    .reload_policy(ReloadPolicy::Manual)
                    .try_into()
                    .map_err(|e: tantivy::TantivyError| Error::CorruptIndex {
                        path: self.path.clone(),
                        detail: e.to_string(),
                    })
            })
            .cloned()
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
        let sentences = reports.iter().map(|r| r.tagged_sentences).sum();
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

impl ThemisIndex {
    /// What counting needs of every indexed report (metadata and theme counts), read from fast
    /// fields only, sorted by id: reading the stored records instead takes ten times as long.
    pub fn summaries(&self, searcher: &Searcher) -> Result<Vec<ReportSummary>> {
        let reports = searcher.doc_freq(&Term::from_field_text(self.fields.kind, kind::REPORT))?;
        let mut summaries = Vec::with_capacity(reports as usize);
        self.for_each_report(searcher, SummaryColumns::open, |columns, doc| {
            summaries.push(columns.read(doc))
        })?;
        summaries.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        Ok(summaries)
    }

    /// Each report's number of passages, by report id.
    pub fn passage_counts(&self, searcher: &Searcher) -> Result<BTreeMap<String, u64>> {
        let mut out = BTreeMap::new();
        self.for_each_report(
            searcher,
            |reader| {
                let fast = reader.fast_fields();
                Ok((
                    TextColumn::open(fast, SUMMARY_ID)?,
                    fast.u64(PASSAGE_COUNT)?,
                ))
            },
            |(ids, passages), doc| {
                out.insert(
                    ids.get(doc).unwrap_or_default(),
                    passages.first(doc).unwrap_or(0),
                );
            },
        )?;
        Ok(out)
    }

    /// Each indexed file (corpus-relative path) with its content hash: what an incremental run
    /// compares the corpus with. Reading whole summaries for that (titles, theme counts) took
    /// a no-change run over 141,000 reports to 280 MB of heap.
    pub fn file_hashes(&self, searcher: &Searcher) -> Result<BTreeMap<String, String>> {
        let mut out = BTreeMap::new();
        self.for_each_report(
            searcher,
            |reader| {
                let fast = reader.fast_fields();
                Ok((
                    TextColumn::open(fast, schema::fast::SUMMARY_FILE)?,
                    TextColumn::open(fast, schema::fast::HASH)?,
                ))
            },
            |(file, hash), doc| {
                if let (Some(file), Some(hash)) = (file.get(doc), hash.get(doc)) {
                    out.insert(file, hash);
                }
            },
        )?;
        Ok(out)
    }

    /// Calls `visit` with the columns `open` reads from each segment and every live report
    /// document of that segment.
    fn for_each_report<C>(
        &self,
        searcher: &Searcher,
        mut open: impl FnMut(&tantivy::SegmentReader) -> Result<C>,
        mut visit: impl FnMut(&C, tantivy::DocId),
    ) -> Result<()> {
        let term = Term::from_field_text(self.fields.kind, kind::REPORT);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        // Segment by segment, straight from the posting lists: collecting 141,000 addresses
        // into a set and sorting them was a third of `report` at 1 GB.
        let weight = query.weight(tantivy::query::EnableScoring::disabled_from_searcher(
            searcher,
        ))?;
        for reader in searcher.segment_readers() {
            let columns = open(reader)?;
            for_each_live_match(weight.as_ref(), reader, |doc| visit(&columns, doc))?;
        }
        Ok(())
    }
}

/// Calls `f` with each document of one segment that `weight` matches and is not deleted, in
/// order, without collecting addresses or scoring.
pub(crate) fn for_each_live_match(
    weight: &dyn tantivy::query::Weight,
    reader: &tantivy::SegmentReader,
    mut f: impl FnMut(tantivy::DocId),
) -> Result<()> {
    let alive = reader.alive_bitset();
    weight.for_each_no_score(reader, &mut |docs| {
        for &doc in docs {
            if alive.is_none_or(|bits| bits.is_alive(doc)) {
                f(doc);
            }
        }
    })?;
    Ok(())
}

/// The fast-field columns a [`ReportSummary`] is read from, in one segment.
struct SummaryColumns {
    id: TextColumn,
    title: TextColumn,
    region: TextColumn,
    date: TextColumn,
    report_type: TextColumn,
    year: Column<u64>,
    sentences: Column<u64>,
    theme_counts: Column<u64>,
}

/// A text fast column with its segment's dictionary decoded once: every report of a segment is
/// read, so one pass over the dictionary beats a block lookup per value (about ten times).
struct TextColumn {
    column: Option<StrColumn>,
    terms: Option<Vec<String>>,
}

impl TextColumn {
    fn open(fast: &tantivy::fastfield::FastFieldReaders, name: &str) -> Result<Self> {
        let column = fast.str(name)?;
        let terms = match &column {
            Some(column) => {
                let unreadable =
                    |e: std::io::Error| Error::index(format!("unreadable fast field {name}"), e);
                let mut terms = Vec::with_capacity(column.num_terms());
                let mut stream = column.dictionary().stream().map_err(unreadable)?;
                while stream.advance() {
                    terms.push(String::from_utf8_lossy(stream.key()).into_owned());
                }
                Some(terms)
            }
            None => None,
        };
        Ok(TextColumn { column, terms })
    }

    fn get(&self, doc: tantivy::DocId) -> Option<String> {
        let (Some(column), Some(terms)) = (&self.column, &self.terms) else {
            return None;
        };
        let ord = column.term_ords(doc).next()?;
        terms.get(ord as usize).cloned()
    }
}

impl SummaryColumns {
    fn open(reader: &tantivy::SegmentReader) -> Result<SummaryColumns> {
        let fast = reader.fast_fields();
        let text = |name: &str| TextColumn::open(fast, name);
        Ok(SummaryColumns {
            id: text(SUMMARY_ID)?,
            title: text(schema::fast::REPORT_TITLE)?,
            region: text(schema::fast::SUMMARY_REGION)?,
            date: text(schema::fast::DATE)?,
            report_type: text(schema::fast::SUMMARY_TYPE)?,
            year: fast.u64(schema::fast::YEAR)?,
            sentences: fast.u64(schema::fast::SENTENCES)?,
            theme_counts: fast.u64(schema::fast::THEME_COUNTS)?,
        })
    }

    fn read(&self, doc: tantivy::DocId) -> ReportSummary {
        let mut theme_counts: Vec<ThemeCount> = Vec::new();
        for packed in self.theme_counts.values_for_doc(doc) {
            let (theme, polarity, count) = unpack_theme_count(packed);
            let entry = match theme_counts.last_mut() {
                Some(last) if last.theme == theme => last,
                _ => {
                    theme_counts.push(ThemeCount {
                        theme,
                        ..ThemeCount::default()
                    });
                    theme_counts.last_mut().expect("just pushed")
                }
            };
            let count = u64::from(count);
            match polarity {
                crate::themes::Polarity::Concern => entry.concern += count,
                crate::themes::Polarity::Strength => entry.strength += count,
                crate::themes::Polarity::Neutral => entry.neutral += count,
            }
        }
        ReportSummary {
            id: self.id.get(doc).unwrap_or_default(),
            title: self.title.get(doc).unwrap_or_default(),
            region: self.region.get(doc),
            date: self.date.get(doc),
            year: self.year.first(doc).and_then(|y| i32::try_from(y).ok()),
            report_type: self
                .report_type
                .get(doc)
                .and_then(|t| ReportType::parse(&t))
                .unwrap_or_default(),
            sentences: self.sentences.first(doc).unwrap_or(0),
            theme_counts,
        }
    }
}

/// The report metadata an excerpt is shown under, stored with each report document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportHeader {
    /// Report id.
    pub report: String,
    /// Title.
    pub title: String,
    /// Canonical region, when known.
    pub region: Option<String>,
    /// Year, when known.
    pub year: Option<i32>,
    /// Report type.
    #[serde(rename = "type")]
    pub report_type: ReportType,
    /// Corpus-relative file.
    pub file: String,
}

/// What counting and listing need of one report, read from fast fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReportSummary {
    /// Report id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Canonical region, when known.
    pub region: Option<String>,
    /// ISO date (or year-month), when known.
    pub date: Option<String>,
    /// Year, when known.
    pub year: Option<i32>,
    /// Report type.
    pub report_type: ReportType,
    /// Sentences in the report.
    pub sentences: u64,
    /// Tagged sentences per theme, in taxonomy order (themes with none left out).
    pub theme_counts: Vec<ThemeCount>,
}

/// One report's tagged sentences of one theme, by polarity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ThemeCount {
    /// Theme number in the taxonomy the index was tagged with.
    pub theme: usize,
    /// Concern sentences.
    pub concern: u64,
    /// Strength sentences.
    pub strength: u64,
    /// Neutral sentences.
    pub neutral: u64,
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
    /// Sentences with at least one theme.
    #[serde(default)]
    pub tagged_sentences: u64,
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
