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
use tantivy::{Index, IndexWriter, Term};

use super::documents::report_documents;
use super::freshness::{CorpusState, Staleness};
use super::queue::{InFlight, QueuedDocument};
use super::{build_schema, exists, kind, CommitInfo, Fields, ThemisIndex};
use super::{FORMAT_VERSION, PIPELINE_VERSION};
use crate::analysis;
use crate::corpus::manifest::MANIFEST_FILE;
use crate::corpus::{self, CorpusFile, FileProblem, Manifest, SourceText};
use crate::error::{Error, Result};
use crate::pipeline::{analyze_report, read_report, AnalyzeOptions};
use crate::themes::Tagger;

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
        // An empty payload would make the index unreadable as a themis index: fail instead.
        let payload = serde_json::to_string(&info)
            .map_err(|e| Error::index("cannot record the commit's payload", e))?;
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
        other => Error::index(
            format!("cannot create an index in {}", dir.display()),
            other,
        ),
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
pub fn content_hash(source: &SourceText, manifest: &Manifest, file: &CorpusFile) -> String {
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

/// Reads, segments, tags and extracts one file, and makes its documents (the parallel part of
/// indexing): [`crate::pipeline`], then [`super::documents`].
fn prepare_report(
    file: &CorpusFile,
    options: &IndexOptions,
    manifest: &Manifest,
    known: &BTreeMap<String, String>,
    fields: &Fields,
    tagger: &Tagger,
    tokens: &mut Vec<analysis::AnalyzedToken>,
) -> Prepared {
    let (source, meta, warning) = match read_report(file, options.max_file_bytes, manifest) {
        Ok(read) => read,
        Err(problem) => return Prepared::Failed(problem),
    };
    let hash = content_hash(&source, manifest, file);
    if known.get(&file.rel).is_some_and(|h| *h == hash) {
        return Prepared::Unchanged(warning);
    }
    let report = analyze_report(source, meta, tagger, AnalyzeOptions::INDEX, tokens);
    let passages = report.segmented.passages.len() as u64;
    let mut problems: Vec<FileProblem> = warning.into_iter().collect();
    problems.extend(report.problems.iter().cloned());
    let file_name = report.meta.file.clone();
    match report_documents(fields, tagger.taxonomy(), report, hash) {
        Ok(documents) => Prepared::Ready(ReadyReport {
            documents,
            passages,
            problems,
        }),
        Err(err) => Prepared::Failed(FileProblem {
            file: file_name,
            message: err.to_string(),
            is_error: true,
        }),
    }
}
