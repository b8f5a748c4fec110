//! Building and updating the index from a corpus folder, incrementally and atomically.
//!
//! Every run ends in at most one commit, whose payload records the format version and taxonomy
//! fingerprint. Until that commit, readers (and a run that is killed) see the previous commit
//! unchanged: tantivy publishes a commit by atomically replacing `meta.json`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use tantivy::indexer::UserOperation;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::freshness::{CorpusState, Staleness};
use super::queue::{InFlight, QueuedDocument};
use super::{build_schema, exists, kind, CommitInfo, Fields, IndexedReport, ThemisIndex};
use super::{FORMAT_VERSION, PIPELINE_VERSION};
use crate::analysis::{self, PreparedTokens, TokenJoiner};
use crate::corpus::manifest::MANIFEST_FILE;
use crate::corpus::{self, CorpusFile, FileProblem, Manifest, ReportMeta, SourceText};
use crate::error::{Error, Result};
use crate::segment::{segment, Segmented};
use crate::themes::{Polarity, Tagger, Taxonomy};

/// What to index, where.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// The corpus folder.
    pub corpus: PathBuf,
    /// The index folder (created if missing).
    pub index_dir: PathBuf,
    /// Re-index every file even if unchanged, recreating the index if it is unusable.
    pub rebuild: bool,
    /// Files larger than this are refused.
    pub max_file_bytes: u64,
    /// tantivy writer memory budget in bytes (split across its threads).
    pub memory_budget: usize,
    /// Set (e.g. by a Ctrl-C handler) to stop before the commit, leaving the index as it was.
    pub cancel: Option<Arc<AtomicBool>>,
}

impl IndexOptions {
    /// Defaults for a corpus and index folder.
    pub fn new(corpus: impl Into<PathBuf>, index_dir: impl Into<PathBuf>) -> Self {
        IndexOptions {
            corpus: corpus.into(),
            index_dir: index_dir.into(),
            rebuild: false,
            max_file_bytes: corpus::DEFAULT_MAX_FILE_BYTES,
            memory_budget: 200_000_000,
            cancel: None,
        }
    }
}

/// Receives progress while indexing (the binary draws a bar; tests ignore it).
pub trait IndexProgress {
    /// Called once with the number of files to look at.
    fn start(&self, files: u64);
    /// Called after each file, with the passages it produced (0 when unchanged or failed).
    fn file_done(&self, file: &str, passages: u64);
    /// Called before the commit.
    fn committing(&self) {}
}

/// An [`IndexProgress`] that shows nothing.
pub struct NoProgress;

impl IndexProgress for NoProgress {
    fn start(&self, _files: u64) {}
    fn file_done(&self, _file: &str, _passages: u64) {}
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct IndexSummary {
    /// Reports in the index after the run.
    pub reports: u64,
    /// Passages in the index after the run.
    pub passages: u64,
    /// Files (re)indexed in this run.
    pub indexed: u64,
    /// Files unchanged since the last run.
    pub unchanged: u64,
    /// Reports removed because their files are gone.
    pub removed: u64,
    /// Files skipped with a warning (unsupported type, empty, ...).
    pub skipped: u64,
    /// Files that could not be read.
    pub errors: u64,
    /// Every warning and error, naming its file.
    pub problems: Vec<FileProblem>,
    /// Why the whole index was rebuilt, when it was.
    pub rebuilt: Option<String>,
    /// Wall time.
    #[serde(serialize_with = "as_secs")]
    pub elapsed: Duration,
}

fn as_secs<S: serde::Serializer>(d: &Duration, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_f64((d.as_secs_f64() * 1000.0).round() / 1000.0)
}

/// Indexes the corpus into the index folder: new and changed files are (re)indexed, removed
/// files deleted, unchanged files left alone; a changed taxonomy re-tags everything.
pub fn build_index(
    options: &IndexOptions,
    tagger: &Tagger,
    progress: &dyn IndexProgress,
) -> Result<IndexSummary> {
    let started = Instant::now();
    // Read everything that can fail as a whole before touching the index.
    let discovery = corpus::discover(&options.corpus)?;
    // Stamped before any file is read, so a file changed while it is indexed reads as changed
    // next time.
    let corpus_state = CorpusState::of_files(&options.corpus, &discovery.files);
    let manifest = Manifest::load(&options.corpus)?;
    let mut summary = IndexSummary::default();
    for problem in discovery.problems {
        if problem.is_error {
            summary.errors += 1;
        } else {
            summary.skipped += 1;
        }
        summary.problems.push(problem);
    }

    // A manifest entry whose file is missing describes nothing: say so, or a misspelt path
    // would silently leave its report with inferred metadata (or out of the index).
    let found: BTreeSet<&str> = discovery.files.iter().map(|f| f.rel.as_str()).collect();
    for entry in manifest.entries() {
        if !found.contains(entry.file.as_str()) {
            summary.problems.push(FileProblem {
                file: entry.file.clone(),
                message: format!(
                    "listed in {MANIFEST_FILE} (report `{}`) but not found in the corpus folder; the entry is ignored",
                    entry.id
                ),
                is_error: false,
            });
        }
    }

    // A new index is committed even when the corpus is empty, so that it exists afterwards.
    let fresh = !exists(&options.index_dir);
    let (index, fields, previous, rebuilt) = open_for_writing(options, tagger)?;
    summary.rebuilt = rebuilt;
    let mut writer =
        open_writer(&index, &options.index_dir, options.memory_budget).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => Error::IndexLocked(options.index_dir.clone()),
            other => other.into(),
        })?;
    let known = if summary.rebuilt.is_some() || options.rebuild {
        writer.delete_all_documents()?;
        BTreeMap::new()
    } else {
        previous
    };

    progress.start(discovery.files.len() as u64);
    let mut seen = BTreeSet::new();
    let mut changed = fresh || summary.rebuilt.is_some() || options.rebuild;
    let cancelled = || {
        options
            .cancel
            .as_ref()
            .is_some_and(|flag| flag.load(Ordering::Relaxed))
    };
    // Reading, segmenting, tagging and extracting are done by workers, in parallel; the
    // documents are added here in file order so runs stay deterministic.
    let files = &discovery.files;
    let next = AtomicUsize::new(0);
    let handled = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let (sender, receiver) = std::sync::mpsc::sync_channel::<(usize, Prepared)>(workers * 2);
    let known_now = &known;
    let in_flight = InFlight::new(QUEUE_BYTES);
    let outcome = std::thread::scope(|scope| -> Result<()> {
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, handled, stop, manifest) = (&next, &handled, &stop, &manifest);
            scope.spawn(move || {
                let mut tokens = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= files.len() {
                        break;
                    }
                    // Stay within a window of the file being added, so memory stays bounded
                    // when one large file holds up the others.
                    while i > handled.load(Ordering::SeqCst) + REORDER_WINDOW {
                        if stop.load(Ordering::SeqCst) {
                            return;
                        }
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let prepared = prepare_report(
                        &files[i],
                        options,
                        manifest,
                        known_now,
                        &fields,
                        tagger,
                        &mut tokens,
                    );
                    if sender.send((i, prepared)).is_err() {
                        return;
                    }
                }
            });
        }
        drop(sender);
        let result = (|| -> Result<()> {
            let mut pending = BTreeMap::new();
            let mut want = 0;
            for (i, prepared) in &receiver {
                pending.insert(i, prepared);
                while let Some(prepared) = pending.remove(&want) {
                    if cancelled() {
                        // Dropping the writer discards everything since the last commit.
                        return Err(Error::Interrupted);
                    }
                    let file = &files[want];
                    seen.insert(file.rel.clone());
                    match prepared {
                        Prepared::Failed(problem) => {
                            // A file that was readable before keeps its indexed passages.
                            if problem.is_error {
                                summary.errors += 1;
                            } else {
                                summary.skipped += 1;
                            }
                            summary.problems.push(problem);
                            progress.file_done(&file.rel, 0);
                        }
                        Prepared::Unchanged(warning) => {
                            summary.problems.extend(warning);
                            summary.unchanged += 1;
                            progress.file_done(&file.rel, 0);
                        }
                        Prepared::Ready(report) => {
                            if known_now.contains_key(&file.rel) {
                                writer.delete_term(Term::from_field_text(fields.file, &file.rel));
                            }
                            let mut documents = report.documents;
                            let bytes = documents.iter().map(QueuedDocument::heap_bytes).sum();
                            let ticket = in_flight.admit(bytes);
                            if let Some(last) = documents.last_mut() {
                                last.hold(ticket);
                            }
                            // One batch: tantivy keeps a batch in one segment, in order, which
                            // is what lets a report document find its passages (see
                            // `Fields::passage_count`).
                            writer.run(documents.into_iter().map(UserOperation::Add))?;
                            summary.problems.extend(report.problems);
                            summary.indexed += 1;
                            changed = true;
                            progress.file_done(&file.rel, report.passages);
                        }
                    }
                    want += 1;
                    handled.store(want, Ordering::SeqCst);
                }
            }
            Ok(())
        })();
        // On an error, let the workers stop instead of finishing the corpus.
        stop.store(true, Ordering::SeqCst);
        drop(receiver);
        result
    });
    outcome?;
    for gone in known.keys().filter(|rel| !seen.contains(*rel)) {
        writer.delete_term(Term::from_field_text(fields.file, gone));
        summary.removed += 1;
        changed = true;
    }

    if cancelled() {
        return Err(Error::Interrupted);
    }
    if changed {
        progress.committing();
        let info = CommitInfo {
            program: "themis".into(),
            format: FORMAT_VERSION,
            taxonomy: tagger.fingerprint().to_string(),
            pipeline: PIPELINE_VERSION.to_string(),
            corpus: options.corpus.display().to_string(),
        };
        let payload = serde_json::to_string(&info).unwrap_or_default();
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
    }
    // Let merges finish instead of abandoning them when the writer drops.
    writer.wait_merging_threads()?;
    // After the commit: a state older than the index only costs one needless update check.
    corpus_state.write(&options.index_dir)?;

    let opened = ThemisIndex::open(&options.index_dir)?;
    let searcher = opened.reader()?.searcher();
    summary.reports = opened.count_kind(&searcher, kind::REPORT)?;
    summary.passages = opened.count_kind(&searcher, kind::PASSAGE)?;
    summary.elapsed = started.elapsed();
    Ok(summary)
}

/// tantivy's writer, as `Index::writer` makes it (one indexing thread per core, each with its
/// share of the budget) but with one merge thread instead of four. Every merge maps the files
/// of the segments it reads, which count as resident memory until it ends: with merges capped
/// (see [`super::BoundedMergePolicy`]), four at once still took indexing 1 GB to a 972 MB peak
/// (386 MB of it heap). On two cores, more merge threads only compete with indexing.
fn open_writer(
    index: &Index,
    dir: &Path,
    budget: usize,
) -> tantivy::Result<IndexWriter<QueuedDocument>> {
    const MIN_PER_THREAD: usize = 15_000_000;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = cores.clamp(1, 8).min(budget / MIN_PER_THREAD).max(1);
    let options = tantivy::indexer::IndexWriterOptions::builder()
        .memory_budget_per_thread(budget / threads)
        .num_worker_threads(threads)
        .num_merge_threads(1)
        .build();
    let writer = index.writer_with_options(options)?;
    writer.set_merge_policy(Box::new(super::BoundedMergePolicy::for_directory(
        dir.to_path_buf(),
        super::MAX_MERGED_BYTES,
    )));
    Ok(writer)
}

/// An index opened for writing, with the files it already holds (file → content hash) and why
/// it had to be recreated, if it did.
type WritableIndex = (Index, Fields, BTreeMap<String, String>, Option<String>);

/// Opens (or creates) the index for writing.
fn open_for_writing(options: &IndexOptions, tagger: &Tagger) -> Result<WritableIndex> {
    let dir = &options.index_dir;
    let (schema, fields) = build_schema();
    let mut rebuilt = None;
    if exists(dir) {
        // Opening checks the format; reading the report records checks the segments.
        let opened = ThemisIndex::open(dir).and_then(|opened| {
            let searcher = opened.reader()?.searcher();
            let files = opened.file_hashes(&searcher)?;
            Ok((opened, files))
        });
        match opened {
            Ok((opened, files)) => {
                let known = match opened.tagging_staleness(tagger) {
                    None => files,
                    Some(Staleness::OtherPipeline(by)) => {
                        rebuilt = Some(format!(
                            "it was built by themis {by} and this is {PIPELINE_VERSION}"
                        ));
                        BTreeMap::new()
                    }
                    Some(_) => {
                        rebuilt =
                            Some("the taxonomy changed, so every sentence is re-tagged".into());
                        BTreeMap::new()
                    }
                };
                return Ok((opened.index, fields, known, rebuilt));
            }
            Err(Error::IncompatibleIndex { reason, .. }) => {
                rebuilt = Some(format!("the existing index {reason}"));
            }
            Err(err @ Error::CorruptIndex { .. }) if !options.rebuild => return Err(err),
            Err(Error::CorruptIndex { detail, .. }) => {
                rebuilt = Some(format!("the existing index was damaged ({detail})"));
            }
            Err(err) => return Err(err),
        }
        remove_index_files(dir)?;
    } else {
        // Leftovers of a run interrupted before its first commit.
        remove_index_files(dir)?;
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let index = Index::create_in_dir(dir, schema).map_err(|e| match e {
        tantivy::TantivyError::LockFailure(..) => Error::IndexLocked(dir.clone()),
        other => Error::Index(format!(
            "cannot create an index in {}: {other}",
            dir.display()
        )),
    })?;
    analysis::register(&index);
    Ok((index, fields, BTreeMap::new(), rebuilt))
}

/// Deletes tantivy's files (and only those) from an index folder so it can be recreated.
fn remove_index_files(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io(dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stem = name.split('.').next().unwrap_or("");
        let is_segment_file = stem.len() == 32 && stem.bytes().all(|b| b.is_ascii_hexdigit());
        if name == "meta.json" || name == ".managed.json" || is_segment_file {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|e| Error::io(path, e))?;
        }
    }
    Ok(())
}

/// The identity of a report's content: its bytes plus its manifest entry, so that editing the
/// manifest re-indexes the report's metadata.
fn content_hash(source: &SourceText, manifest: &Manifest, file: &CorpusFile) -> String {
    let entry = manifest
        .entry(&file.rel)
        .and_then(|e| serde_json::to_string(e).ok())
        .unwrap_or_default();
    corpus::hex_sha256(format!("{}\n{entry}", source.hash).as_bytes())
}

/// Bytes of documents that may wait for tantivy's indexing threads (tantivy's own queue holds
/// up to 10,000 batches, i.e. reports, whatever their size).
const QUEUE_BYTES: usize = 32 << 20;

/// Files a worker may run ahead of the one being added.
const REORDER_WINDOW: usize = 16;

/// What a worker made of one file.
enum Prepared {
    /// It could not be read (the problem names it).
    Failed(FileProblem),
    /// Same content as indexed (with any decoding warning).
    Unchanged(Option<FileProblem>),
    /// Documents ready to add.
    Ready(ReadyReport),
}

/// One report's documents, ready to add.
struct ReadyReport {
    documents: Vec<QueuedDocument>,
    passages: u64,
    problems: Vec<FileProblem>,
}

/// Reads, segments, tags and extracts one file (the parallel part of indexing).
fn prepare_report(
    file: &CorpusFile,
    options: &IndexOptions,
    manifest: &Manifest,
    known: &BTreeMap<String, String>,
    fields: &Fields,
    tagger: &Tagger,
    tokens: &mut Vec<analysis::AnalyzedToken>,
) -> Prepared {
    let (source, warning) = match corpus::read_source(file, options.max_file_bytes) {
        Ok(read) => read,
        Err(problem) => return Prepared::Failed(problem),
    };
    let meta = ReportMeta::resolve(file, &source, manifest);
    let hash = content_hash(&source, manifest, file);
    if known.get(&file.rel).is_some_and(|h| *h == hash) {
        return Prepared::Unchanged(warning);
    }
    let (documents, passages, mut problems) =
        report_documents(fields, tagger, &meta, &source, hash, tokens);
    problems.splice(0..0, warning);
    Prepared::Ready(ReadyReport {
        documents,
        passages,
        problems,
    })
}

/// A report's tagged sentences per theme and polarity, packed for the `theme_counts` fast field.
fn theme_counts(taxonomy: &Taxonomy, tags: &[crate::themes::SentenceTags]) -> Vec<u64> {
    let mut counts: BTreeMap<(usize, Polarity), u32> = BTreeMap::new();
    for tagged in tags {
        for theme in &tagged.themes {
            if let Some(n) = taxonomy.themes.iter().position(|t| t.id == *theme) {
                *counts.entry((n, tagged.polarity)).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|((theme, polarity), count)| super::pack_theme_count(theme, polarity, count))
        .collect()
}

/// Adds one report's documents; returns the number of passages and what could not be read of
/// its structured parts (recommendations, scores, ratings, facts) as warnings.
fn report_documents(
    fields: &Fields,
    tagger: &Tagger,
    meta: &ReportMeta,
    source: &SourceText,
    hash: String,
    tokens: &mut Vec<analysis::AnalyzedToken>,
) -> (Vec<QueuedDocument>, u64, Vec<FileProblem>) {
    let mut documents = Vec::new();
    let text = &source.text;
    let base = source.offset_base;
    let segmented: Segmented = segment(text);
    let common = |doc: &mut TantivyDocument, k: &str| {
        doc.add_text(fields.kind, k);
        doc.add_text(fields.report, &meta.id);
        doc.add_text(fields.file, &meta.file);
        if let Some(region) = &meta.region {
            doc.add_text(fields.region, region);
        }
        if let Some(year) = meta.year.and_then(|y| u64::try_from(y).ok()) {
            doc.add_u64(fields.year, year);
        }
        doc.add_text(fields.report_type, &meta.report_type);
    };
    let section_of = |idx: Option<usize>| -> Option<&str> {
        idx.and_then(|i| segmented.sections.get(i))
            .map(|s| s.title.as_str())
            .filter(|t| !t.is_empty())
    };

    let header = serde_json::to_string(&super::ReportHeader {
        report: meta.id.clone(),
        title: meta.title.clone(),
        region: meta.region.clone(),
        year: meta.year,
        report_type: meta.report_type.clone(),
        file: meta.file.clone(),
    })
    .unwrap_or_default();
    // A passage's tokens are its sentences' tokens, made here for tagging anyway; handed to
    // tantivy with the passage, they spare analysing its text again.
    let mut joiners: Vec<TokenJoiner> = Vec::with_capacity(segmented.passages.len());
    let mut passage_of = vec![usize::MAX; segmented.sentences.len()];
    for (n, passage) in segmented.passages.iter().enumerate() {
        joiners.push(PreparedTokens::joiner(&text[passage.start..passage.end]));
        for i in passage.sentences.clone() {
            if let Some(slot) = passage_of.get_mut(i) {
                *slot = n;
            }
        }
    }
    let mut tags = Vec::with_capacity(segmented.sentences.len());
    for (i, sentence) in segmented.sentences.iter().enumerate() {
        let slice = &text[sentence.start..sentence.end];
        analysis::analyze_into(slice, tokens);
        tags.push(tagger.tag_for_index(slice, tokens, section_of(sentence.section)));
        let n = passage_of[i];
        if let (Some(joiner), Some(passage)) = (joiners.get_mut(n), segmented.passages.get(n)) {
            if passage.start <= sentence.start && sentence.end <= passage.end {
                joiner.push(
                    sentence.start - passage.start..sentence.end - passage.start,
                    tokens,
                );
            } else {
                joiner.give_up();
            }
        }
    }
    let mut joiners = joiners.into_iter();
    let tagged_sentences = tags.iter().filter(|t| !t.themes.is_empty()).count() as u64;

    for passage in &segmented.passages {
        let mut doc = TantivyDocument::default();
        common(&mut doc, kind::PASSAGE);
        doc.add_text(fields.text, &text[passage.start..passage.end]);
        let paragraph = segmented.paragraphs.get(passage.paragraph);
        if let Some(section) = section_of(paragraph.and_then(|p| p.section)) {
            doc.add_text(fields.section, section);
        }
        doc.add_u64(fields.start, (passage.start + base) as u64);
        doc.add_u64(fields.end, (passage.end + base) as u64);
        if let Some(page) = source.page_of(passage.start) {
            doc.add_u64(fields.page, u64::from(page));
        }
        // Serialised as `super::StoredSentence`, borrowing the tags instead of copying them.
        let mut stored: Vec<(usize, usize, Polarity, &[String])> = Vec::new();
        let mut themes: BTreeSet<&str> = BTreeSet::new();
        for i in passage.sentences.clone() {
            let (Some(sentence), Some(tagged)) = (segmented.sentences.get(i), tags.get(i)) else {
                continue;
            };
            if tagged.themes.is_empty() {
                continue;
            }
            themes.extend(tagged.themes.iter().map(String::as_str));
            stored.push((
                sentence.start + base,
                sentence.end + base,
                tagged.polarity,
                &tagged.themes,
            ));
        }
        for theme in themes {
            doc.add_text(fields.theme, theme);
        }
        if !stored.is_empty() {
            doc.add_text(
                fields.data,
                serde_json::to_string(&stored).unwrap_or_default(),
            );
        }
        let prepared = joiners.next().and_then(TokenJoiner::finish);
        documents.push(QueuedDocument::with_tokens(doc, prepared));
    }

    let mut structured = crate::structured::extract(text, meta);
    let mut recommendation_themes = Vec::with_capacity(structured.recommendations.len());
    for recommendation in &mut structured.recommendations {
        recommendation.start += base;
        recommendation.end += base;
        recommendation_themes.push(tagger.themes(&recommendation.text));
    }
    let problems = structured
        .problems
        .iter()
        .map(|p| FileProblem {
            file: meta.file.clone(),
            message: format!(
                "line {}: could not read {} (expected {})",
                p.line, p.what, p.expected
            ),
            is_error: false,
        })
        .collect();
    let record = IndexedReport {
        meta: meta.clone(),
        hash: hash.clone(),
        sentences: segmented.sentences.len() as u64,
        tagged_sentences,
        passages: segmented.passages.len() as u64,
        offset_base: base,
        extracted: source.extracted,
        structured,
        recommendation_themes,
    };
    let mut doc = TantivyDocument::default();
    common(&mut doc, kind::REPORT);
    doc.add_text(fields.hash, &hash);
    doc.add_u64(fields.sentence_count, record.sentences);
    doc.add_u64(fields.passage_count, record.passages);
    doc.add_text(fields.title, &meta.title);
    doc.add_text(fields.report_title, &meta.title);
    doc.add_text(fields.header, &header);
    doc.add_text(fields.summary_id, &meta.id);
    doc.add_text(fields.summary_file, &meta.file);
    if let Some(region) = &meta.region {
        doc.add_text(fields.summary_region, region);
    }
    doc.add_text(fields.summary_type, &meta.report_type);
    if let Some(date) = &meta.date {
        doc.add_text(fields.date, date);
    }
    for packed in theme_counts(tagger.taxonomy(), &tags) {
        doc.add_u64(fields.theme_counts, packed);
    }
    doc.add_text(
        fields.data,
        serde_json::to_string(&record).unwrap_or_default(),
    );
    documents.push(QueuedDocument::new(doc));
    (documents, record.passages, problems)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::schema::Value;

    #[test]
    fn test_every_passage_of_the_shipped_corpus_carries_its_own_tokens() {
        // The hand-over only pays if the sentences' tokens can stand for the passages'; and
        // whatever is handed over must be exactly what the analyser makes of the passage.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let discovery = corpus::discover(&dir).unwrap();
        let manifest = Manifest::load(&dir).unwrap();
        let tagger = Tagger::embedded();
        let (_, fields) = build_schema();
        let mut passages = 0;
        for file in &discovery.files {
            let (source, _) = corpus::read_source(file, u64::MAX).unwrap();
            let meta = ReportMeta::resolve(file, &source, &manifest);
            let (documents, count, _) = report_documents(
                &fields,
                &tagger,
                &meta,
                &source,
                String::new(),
                &mut Vec::new(),
            );
            assert_eq!(documents.len() as u64, count + 1, "{}", file.rel);
            for queued in &documents[..documents.len() - 1] {
                let text = queued
                    .document()
                    .get_first(fields.text)
                    .and_then(|v| v.as_str())
                    .unwrap();
                let prepared = queued.prepared_tokens().expect("passage tokens");
                assert_eq!(prepared.text(), text);
                let mut handed = Vec::new();
                prepared.for_each(&mut |term, from, to| handed.push((term.to_owned(), from, to)));
                let made: Vec<_> = analysis::analyze(text)
                    .into_iter()
                    .map(|t| (t.term, t.start, t.end))
                    .collect();
                assert_eq!(handed, made, "{}", file.rel);
                passages += 1;
            }
            assert!(documents.last().unwrap().prepared_tokens().is_none());
        }
        assert!(passages > 400, "{passages} passages");
    }
}
