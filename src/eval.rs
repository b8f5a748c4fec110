//! Scoring the tagger against hand labels, the way `eval_tags.py` scores `themis tag --json`.
//!
//! A labels file (`NAME.labels.jsonl`, one unit a line: `{"i", "start", "end", "text",
//! "themes", "polarity"}` with UTF-8 byte offsets into `NAME.txt`) is read with its text; the
//! text is tagged exactly as `themis tag` tags a file ([`tag_source`]); each labelled unit then
//! takes the union of the themes of the tagged sentences that overlap it by at least half of the
//! shorter span, and the polarity of the sentence that overlaps it most. Micro P/R/F1 count
//! (unit, theme) pairs; macro F1 averages the themes present in the labels or the tags with a
//! labelled example; polarity accuracy counts units that carry a theme.
//!
//! [`cross_validate`] trains the learned half on all documents but one fold and scores that
//! fold, for every fold: leave-documents-out, so a score says how the tagger does on documents
//! it was not trained on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::corpus::{self, CorpusFile, ReportMeta, SourceText};
use crate::model::train::{train, LabelledUnit, TrainOptions};
use crate::pipeline::{analyze_report, AnalyzeOptions};
use crate::segment::segment;
use crate::themes::{Polarity, SentenceTags, Tagger, Taxonomy};

/// Extensions tried, in order, for a labels file's text.
pub const TEXT_EXTENSIONS: [&str; 5] = ["txt", "md", "pdf", "html", "htm"];

/// One labelled unit.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldUnit {
    /// Start byte offset in the text.
    #[serde(default)]
    pub start: usize,
    /// End byte offset.
    #[serde(default)]
    pub end: usize,
    /// The unit's text.
    pub text: String,
    /// Theme ids.
    pub themes: Vec<String>,
    /// Polarity.
    pub polarity: Polarity,
}

/// A labels file.
#[derive(Debug, Clone)]
pub struct LabelFile {
    /// NAME (the file name without `.labels.jsonl`).
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// Its units in order.
    pub units: Vec<GoldUnit>,
}

impl LabelFile {
    /// The units as training examples, each on its own (when the text is not at hand).
    pub fn training_units(&self) -> impl Iterator<Item = LabelledUnit> + '_ {
        self.units.iter().map(|u| LabelledUnit {
            text: u.text.clone(),
            themes: u.themes.clone(),
            polarity: u.polarity,
            section: None,
            document: None,
        })
    }
}

/// A problem with labels or their texts.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read.
    #[error("{path}: {message}")]
    Read {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// A line of a labels file is not a unit.
    #[error("{path}: line {line}: {message}")]
    BadLine {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// No labels files were found.
    #[error("no *.labels.jsonl files in {0}")]
    NoLabels(PathBuf),
    /// A labels file has no text beside it.
    #[error(
        "no text for {name} (looked for {name}.txt/.md/.pdf/.html in {looked}); pass --texts DIR"
    )]
    NoText {
        /// NAME.
        name: String,
        /// The folders searched.
        looked: String,
    },
}

/// Reads one labels file (JSON Lines; blank lines skipped).
pub fn read_label_file(path: &Path) -> Result<LabelFile, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::Read {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    let mut units = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let unit: GoldUnit = serde_json::from_str(line).map_err(|e| EvalError::BadLine {
            path: path.to_path_buf(),
            line: i + 1,
            message: e.to_string(),
        })?;
        units.push(unit);
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let name = file_name
        .strip_suffix(".labels.jsonl")
        .or_else(|| file_name.strip_suffix(".jsonl"))
        .unwrap_or(&file_name)
        .to_string();
    Ok(LabelFile {
        name,
        path: path.to_path_buf(),
        units,
    })
}

/// Every `*.labels.jsonl` under a folder and its subfolders (sorted by path), or the one file
/// given.
pub fn read_labels(path: &Path) -> Result<Vec<LabelFile>, EvalError> {
    if path.is_file() {
        return Ok(vec![read_label_file(path)?]);
    }
    let mut files = Vec::new();
    collect_label_files(path, &mut files)?;
    files.sort();
    if files.is_empty() {
        return Err(EvalError::NoLabels(path.to_path_buf()));
    }
    files.iter().map(|p| read_label_file(p)).collect()
}

fn collect_label_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), EvalError> {
    let entries = std::fs::read_dir(dir).map_err(|e| EvalError::Read {
        path: dir.to_path_buf(),
        message: e.to_string(),
    })?;
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            collect_label_files(&path, out)?;
        } else if path.to_string_lossy().ends_with(".labels.jsonl") {
            out.push(path);
        }
    }
    Ok(())
}

/// The text file of a labels file: NAME with one of [`TEXT_EXTENSIONS`], beside the labels
/// file or in the first folder of `texts` that has it.
pub fn find_text(labels: &LabelFile, texts: &[PathBuf]) -> Result<PathBuf, EvalError> {
    let own = labels.path.parent().map(Path::to_path_buf);
    for dir in own.iter().chain(texts) {
        for ext in TEXT_EXTENSIONS {
            let candidate = dir.join(format!("{}.{ext}", labels.name));
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    Err(EvalError::NoText {
        name: labels.name.clone(),
        looked: own
            .iter()
            .chain(texts)
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

/// One tagged sentence of a file, with offsets into the file as read.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedSentence {
    /// Start byte offset (into the file: the BOM, if any, counted).
    pub start: usize,
    /// End byte offset.
    pub end: usize,
    /// Start and end in the decoded text.
    pub text_range: std::ops::Range<usize>,
    /// The title of the section the sentence is in.
    pub section: Option<String>,
    /// Its tags.
    pub tags: SentenceTags,
}

/// Tags a decoded file sentence by sentence as `themis tag` does: through
/// [`crate::pipeline::analyze_report`] with [`AnalyzeOptions::TAG`].
pub fn tag_source(source: &SourceText, tagger: &Tagger) -> Vec<TaggedSentence> {
    // Tags do not depend on metadata: none is inferred.
    let report = analyze_report(
        source.clone(),
        ReportMeta::default(),
        tagger,
        AnalyzeOptions::TAG,
        &mut Vec::new(),
    );
    report
        .sentences()
        .map(|unit| TaggedSentence {
            start: unit.file_range.start,
            end: unit.file_range.end,
            text_range: unit.range,
            section: unit.section.map(str::to_string),
            tags: unit.tags.clone(),
        })
        .collect()
}

/// Reads a text file as `themis tag` would.
pub fn read_text(path: &Path) -> Result<SourceText, EvalError> {
    let file = CorpusFile {
        path: path.to_path_buf(),
        rel: path.display().to_string(),
        stamp: None,
    };
    corpus::read_source(&file, corpus::DEFAULT_MAX_FILE_BYTES)
        .map(|(source, _)| source)
        .map_err(|p| EvalError::Read {
            path: path.to_path_buf(),
            message: p.message,
        })
}

/// Counts for one theme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ThemeCounts {
    /// Labelled and tagged.
    pub tp: u64,
    /// Tagged, not labelled.
    pub fp: u64,
    /// Labelled, not tagged.
    pub r#fn: u64,
}

/// Running counts over scored files.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    per_theme: BTreeMap<String, ThemeCounts>,
    polarity_ok: u64,
    polarity_n: u64,
    units: u64,
}

impl Tally {
    /// Scores one file's labelled units against its tagged sentences.
    pub fn add(&mut self, gold: &[GoldUnit], tagged: &[TaggedSentence]) {
        let mut tool: Vec<&TaggedSentence> = tagged.iter().collect();
        tool.sort_by_key(|t| t.start);
        for unit in gold {
            self.units += 1;
            let (covering, best) = overlapping(unit.start, unit.end, &tool, |t| (t.start, t.end));
            let got: Vec<&str> = covering
                .iter()
                .flat_map(|t| t.tags.themes.iter().map(String::as_str))
                .collect();
            let mut all: Vec<&str> = unit.themes.iter().map(String::as_str).collect();
            all.extend(&got);
            all.sort_unstable();
            all.dedup();
            for theme in all {
                let labelled = unit.themes.iter().any(|t| t == theme);
                let tagged = got.contains(&theme);
                let counts = self.per_theme.entry(theme.to_string()).or_default();
                match (labelled, tagged) {
                    (true, true) => counts.tp += 1,
                    (false, true) => counts.fp += 1,
                    _ => counts.r#fn += 1,
                }
            }
            if !unit.themes.is_empty() {
                self.polarity_n += 1;
                if best.is_some_and(|b| b.tags.polarity == unit.polarity) {
                    self.polarity_ok += 1;
                }
            }
        }
    }

    /// Adds another tally's counts.
    pub fn merge(&mut self, other: &Tally) {
        for (theme, c) in &other.per_theme {
            let mine = self.per_theme.entry(theme.clone()).or_default();
            mine.tp += c.tp;
            mine.fp += c.fp;
            mine.r#fn += c.r#fn;
        }
        self.polarity_ok += other.polarity_ok;
        self.polarity_n += other.polarity_n;
        self.units += other.units;
    }

    /// The scores, rounded to three decimals as `eval_tags.py` prints them.
    pub fn scores(&self) -> Scores {
        let (tp, fp, fn_) = self
            .per_theme
            .values()
            .fold((0, 0, 0), |(a, b, c), t| (a + t.tp, b + t.fp, c + t.r#fn));
        let p = ratio(tp, tp + fp);
        let r = ratio(tp, tp + fn_);
        let f1s: Vec<f64> = self
            .per_theme
            .values()
            .filter(|t| t.tp + t.r#fn > 0)
            .map(|t| f1(ratio(t.tp, t.tp + t.fp), ratio(t.tp, t.tp + t.r#fn)))
            .collect();
        let macro_f1 = if f1s.is_empty() {
            0.0
        } else {
            f1s.iter().sum::<f64>() / f1s.len() as f64
        };
        Scores {
            micro_p: round3(p),
            micro_r: round3(r),
            micro_f1: round3(f1(p, r)),
            macro_f1: round3(macro_f1),
            polarity_acc: (self.polarity_n > 0)
                .then(|| round3(self.polarity_ok as f64 / self.polarity_n as f64)),
            units: self.units,
            per_theme: self
                .per_theme
                .iter()
                .map(|(theme, c)| {
                    let p = ratio(c.tp, c.tp + c.fp);
                    let r = ratio(c.tp, c.tp + c.r#fn);
                    (
                        theme.clone(),
                        ThemeScore {
                            counts: *c,
                            f1: round3(f1(p, r)),
                        },
                    )
                })
                .collect(),
        }
    }
}

/// Of `spans` (sorted by start), those that overlap `start..end` by at least half of the
/// shorter of the two (they lend it their labels), and the one that overlaps it most (it
/// lends its polarity): `eval_tags.py`'s matching, used both to score and to label training
/// sentences.
fn overlapping<'s, T>(
    start: usize,
    end: usize,
    spans: &[&'s T],
    span: impl Fn(&T) -> (usize, usize),
) -> (Vec<&'s T>, Option<&'s T>) {
    let mut covering = Vec::new();
    let (mut best, mut best_overlap) = (None, 0usize);
    for &item in spans {
        let (s, e) = span(item);
        if e <= start {
            continue;
        }
        if s >= end {
            break;
        }
        let overlap = end.min(e).saturating_sub(start.max(s));
        let shorter = (end - start).min(e - s).max(1);
        if overlap * 2 >= shorter {
            covering.push(item);
        }
        if overlap > best_overlap {
            best = Some(item);
            best_overlap = overlap;
        }
    }
    (covering, best)
}

/// One theme's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeScore {
    /// tp, fp, fn.
    #[serde(flatten)]
    pub counts: ThemeCounts,
    /// F1.
    pub f1: f64,
}

/// The scores of a tagger on labelled files.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    /// Micro precision over (unit, theme) pairs.
    pub micro_p: f64,
    /// Micro recall.
    pub micro_r: f64,
    /// Micro F1.
    pub micro_f1: f64,
    /// Mean F1 over themes with a labelled example.
    pub macro_f1: f64,
    /// Share of units with a theme whose polarity is right.
    pub polarity_acc: Option<f64>,
    /// Units scored.
    pub units: u64,
    /// Per theme: counts and F1.
    pub per_theme: BTreeMap<String, ThemeScore>,
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn f1(p: f64, r: f64) -> f64 {
    if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    }
}

/// Rounds as Python's `round(x, 3)` does (correctly rounded decimal).
fn round3(x: f64) -> f64 {
    format!("{x:.3}").parse().unwrap_or(x)
}

/// A labels file with its text read and ready to tag.
#[derive(Debug, Clone)]
pub struct Document {
    /// The labels.
    pub labels: LabelFile,
    /// The text.
    pub source: SourceText,
}

/// Reads the texts of labels files from the first of `texts` that has each.
pub fn documents(labels: Vec<LabelFile>, texts: &[PathBuf]) -> Result<Vec<Document>, EvalError> {
    labels
        .into_iter()
        .map(|labels| {
            let path = find_text(&labels, texts)?;
            Ok(Document {
                source: read_text(&path)?,
                labels,
            })
        })
        .collect()
}

impl Document {
    /// Training examples as the tagger will see this document: its own sentences (as
    /// segmentation cuts them, with their section titles), each labelled with the union of the
    /// themes of the units it overlaps by at least half of the shorter span, and the polarity
    /// of the unit it overlaps most. Coders' units may be lines of a wrapped sentence or
    /// several sentences of a table row; the tagger sees neither. Sentences no unit covers
    /// (lines the splitter skipped) are left out.
    ///
    /// The units carry `document` as their document's number, for page features.
    pub fn training_units(&self, document: usize) -> Vec<LabelledUnit> {
        let segmented = segment(&self.source.text);
        let mut units: Vec<&GoldUnit> = self.labels.units.iter().collect();
        units.sort_by_key(|u| u.start);
        let mut out = Vec::with_capacity(segmented.sentences.len());
        for sentence in &segmented.sentences {
            let (start, end) = (
                sentence.start + self.source.offset_base,
                sentence.end + self.source.offset_base,
            );
            let (covering, best) = overlapping(start, end, &units, |u| (u.start, u.end));
            let Some(best) = best.filter(|_| !covering.is_empty()) else {
                continue;
            };
            let mut themes: Vec<String> = covering
                .iter()
                .flat_map(|u| u.themes.iter().cloned())
                .collect();
            themes.sort();
            themes.dedup();
            out.push(LabelledUnit {
                text: self.source.text[sentence.start..sentence.end].to_string(),
                themes,
                polarity: best.polarity,
                section: sentence
                    .section
                    .and_then(|i| segmented.sections.get(i))
                    .map(|s| s.title.clone()),
                document: Some(document),
            });
        }
        out
    }
}

/// Training examples from labels files (a file, or a folder searched recursively): a file
/// whose text is found (beside it or in `texts`) gives its document's sentences
/// ([`Document::training_units`]); one without gives its units as they are. Returns the
/// examples, appended to `units` (their documents numbered after those already there, so no
/// two documents share a page), and how many files had no text.
pub fn training_units_from(
    path: &Path,
    texts: &[PathBuf],
    units: &mut Vec<LabelledUnit>,
) -> Result<usize, EvalError> {
    let mut without_text = 0;
    let mut documents = next_document(units);
    for labels in read_labels(path)? {
        match find_text(&labels, texts) {
            Ok(text) => {
                let doc = Document {
                    source: read_text(&text)?,
                    labels,
                };
                units.extend(doc.training_units(documents));
                documents += 1;
            }
            Err(_) => {
                without_text += 1;
                units.extend(labels.training_units());
            }
        }
    }
    Ok(without_text)
}

/// The first document number after those of `units`.
fn next_document(units: &[LabelledUnit]) -> usize {
    units
        .iter()
        .filter_map(|u| u.document)
        .max()
        .map_or(0, |d| d + 1)
}

/// Scores `tagger` (rules and its model, as they are) on documents.
pub fn evaluate(documents: &[Document], tagger: &Tagger) -> Tally {
    let mut tally = Tally::default();
    for doc in documents {
        tally.add(&doc.labels.units, &tag_source(&doc.source, tagger));
    }
    tally
}

/// Leave-documents-out cross-validation of the learned half: document `i` (in the order
/// given) is in fold `i % k`; each fold is tagged by a model trained on the other folds (plus
/// `extra` training units, which are never scored). `k` must be at least 2.
pub fn cross_validate(
    documents: &[Document],
    extra: &[LabelledUnit],
    taxonomy: &Taxonomy,
    k: usize,
    options: &TrainOptions,
) -> Tally {
    let k = k.max(2);
    let mut tally = Tally::default();
    for fold in 0..k {
        let mut units: Vec<LabelledUnit> = extra.to_vec();
        // Numbered after the extra units' documents, so that no two documents share a page.
        let first = next_document(extra);
        for (i, doc) in documents.iter().enumerate() {
            if i % k != fold {
                units.extend(doc.training_units(first + i));
            }
        }
        let (model, _) = train(&units, taxonomy, options);
        let tagger = Tagger::new(taxonomy.clone()).with_model(Some(Arc::new(model)));
        for (i, doc) in documents.iter().enumerate() {
            if i % k == fold {
                tally.add(&doc.labels.units, &tag_source(&doc.source, &tagger));
            }
        }
    }
    tally
}
