//! The learned half of the hybrid tagger: per-theme logistic classifiers and a polarity
//! classifier over the analysis chain's stems, stem pairs and the rules' own verdicts.
//!
//! The rules stay the readable, precise part (and what `--explain` quotes when they fire);
//! the model adds what the rules never met, and learns when a rule's hit is not what coders
//! call a finding. It is linear, so tagging a sentence is one weight-row lookup per feature
//! (about 40) and a sum; it is trained by [`train`] from labelled sentences and stored as a
//! small text file (`data/model/themis.model`, embedded in the binary, see [`Model::embedded`]).
//!
//! # File format (`themis-model 1`)
//! ```text
//! themis-model 1
//! themes ID ID ...            the theme columns, in order
//! threshold 0.42              probability above which the model gives a theme
//! bias B B ...                one per theme column, then concern, strength, neutral
//! f NAME<TAB>COL:W COL:W ...  a feature row: its non-zero weights by column
//! ```

pub mod features;
mod page;
pub mod train;

pub use page::PageContext;

use std::fmt;
use std::sync::Arc;

use once_cell::sync::Lazy;
use rustc_hash::FxHashMap;

use crate::analysis::AnalyzedToken;
use crate::themes::Polarity;

/// The model shipped with themis (trained from `data/labels/` by `themis train`).
pub const EMBEDDED_MODEL: &str = include_str!("../../data/model/themis.model");

/// The first line of every model file.
pub const MAGIC: &str = "themis-model 1";

/// The polarity columns, in file order.
pub const POLARITIES: [Polarity; 3] = [Polarity::Concern, Polarity::Strength, Polarity::Neutral];

static EMBEDDED: Lazy<Option<Arc<Model>>> = Lazy::new(|| {
    Model::parse(EMBEDDED_MODEL)
        .ok()
        .filter(|m| !m.themes.is_empty())
        .map(Arc::new)
});

/// The embedded model's version, known without parsing it (a header-only file, as while
/// bootstrapping, has none).
static EMBEDDED_VERSION: Lazy<Option<String>> = Lazy::new(|| {
    let body = EMBEDDED_MODEL.strip_prefix(MAGIC)?;
    body.contains("\nbias ").then(|| version_of(EMBEDDED_MODEL))
});

/// A model file that cannot be read.
#[derive(Debug, thiserror::Error)]
#[error("{origin}: line {line}: {message}")]
pub struct ModelError {
    /// File name.
    pub origin: String,
    /// 1-based line.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

/// A trained model.
#[derive(Clone)]
pub struct Model {
    /// Theme ids of the theme columns.
    pub themes: Vec<String>,
    /// Probability above which a theme is given.
    pub threshold: f32,
    /// Intercepts: theme columns, then concern, strength, neutral.
    bias: Vec<f32>,
    /// Feature names by row (for explanations and writing the file).
    names: Vec<String>,
    /// Row weights in thousandths (the precision of the file), `cols()` per row: a row of 32
    /// columns is one 64-byte cache line, and tagging is bound by fetching rows. A stem's word
    /// row has its letter sequences' rows added in (see [`Model::index_stems`]).
    weights: Vec<i16>,
    /// The weights as the file has them, when `weights` has letter sequences added in.
    file_weights: Vec<i16>,
    /// Every stem that is a word feature or part of a pair: its id and its word row.
    stems: FxHashMap<Box<str>, Stem>,
    /// Pair features by their two stems' ids (`first << 32 | second`).
    pairs: FxHashMap<u64, u32>,
    /// Model stem and its word row by the analysis chain's term id ([`TermStem::NONE`]: not
    /// a model stem): one load a token, where a stem id and then its row were two.
    by_term: Vec<TermStem>,
    /// The stem numbers are folded to.
    number_stem: Option<TermStem>,
    /// Letter-sequence rows by sequence ([`features::stem_grams`]).
    grams: FxHashMap<Box<str>, u32>,
    /// Per model stem, the sum of its letter sequences' rows times [`features::GRAM_FACTOR`]
    /// (`cols()` a stem, as weights, not thousandths), for stems without a word row.
    stem_gram_sums: Vec<f32>,
    rules: FxHashMap<String, u32>,
    /// Page-feature rows by theme ([`PageContext`]).
    pages: FxHashMap<String, u32>,
    rule_polarity: [Option<u32>; 3],
    /// Rows of the facts about the rules' cue scores, in [`features::SCORE_FEATURES`] order.
    score_rows: [Option<u32>; features::SCORE_FEATURES.len()],
    short: Option<u32>,
    /// The row of [`features::Feature::Turn`].
    turn: Option<u32>,
    version: String,
    /// This model's number among the models loaded in the process, which keys the per-thread
    /// cache of letter-sequence sums ([`Scratch::unknown_sums`]).
    serial: u64,
}

/// The source of [`Model::serial`].
static MODEL_SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// At most this many stems the model never met keep their letter-sequence sums per thread
/// (`cols()` floats each, 128 bytes for 32 columns: 2 MB); when full, the cache starts afresh.
const UNKNOWN_SUMS_CAPACITY: usize = 16_384;

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("version", &self.version)
            .field("themes", &self.themes.len())
            .field("features", &self.names.len())
            .finish()
    }
}

/// Per-thread buffers of scoring: feature rows and margins.
#[derive(Default)]
struct Scratch {
    /// Term ids of the sentence's tokens.
    ids: Vec<u32>,
    text: Vec<u32>,
    other: Vec<u32>,
    z: Vec<f32>,
    /// The sentence's model stems (numbers left out), and the positions of its tokens whose
    /// stem the model does not know.
    stems: Vec<u32>,
    unknown: Vec<u32>,
    /// The letter sequences' part of every column's margin.
    gram_z: Vec<f32>,
    /// Integer row sums of [`Model::margins_into`], all columns: the text rows' `cols()`, then
    /// the other rows'. Rows are added once: the polarity's margins reuse the sums made for
    /// the themes' and add only the rows appended since.
    sums: Vec<i32>,
    /// How many of `text` and of `other` are in `sums`.
    summed: (usize, usize),
    /// Letter-sequence sums (as [`Model::stem_gram_sums`]) of stems the model never met, for
    /// the model numbered `unknown_model`: a report names the same places, people and rare
    /// words many times, and each costs a dozen sequence lookups the first time.
    unknown_sums: FxHashMap<Box<str>, u32>,
    unknown_rows: Vec<f32>,
    unknown_model: u64,
}

/// The per-thread cache of letter-sequence sums of stems the model never met, borrowed from
/// [`Scratch`]: each stem's offset (in sums of `cols()`) into `rows`.
struct UnknownSums<'s> {
    by_stem: &'s mut FxHashMap<Box<str>, u32>,
    rows: &'s mut Vec<f32>,
}

/// No model stem has this term id.
const NO_STEM: u32 = u32::MAX;

/// The stem has no word row.
const NO_ROW: u32 = u32::MAX;

/// A model stem as tagging finds it by term id: its id and its word row ([`NO_ROW`]: none).
#[derive(Debug, Clone, Copy)]
struct TermStem {
    stem: u32,
    row: u32,
}

impl TermStem {
    const NONE: TermStem = TermStem {
        stem: NO_STEM,
        row: NO_ROW,
    };

    fn of(entry: &Stem) -> TermStem {
        TermStem {
            stem: entry.id,
            row: entry.word_row.unwrap_or(NO_ROW),
        }
    }
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

/// The model's verdict on one sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeScores {
    /// Probability of each theme column.
    pub themes: Vec<f32>,
}

/// One feature's part in a theme decision, for `--explain`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Contribution {
    /// The feature, readable: a stem, "stem stem", "~stem" (the stem's letter sequences),
    /// "rule:THEME", "short line".
    pub feature: String,
    /// Its weight for the theme.
    pub weight: f32,
}

impl Model {
    /// The embedded model, or `None` if the binary was built with an empty one.
    pub fn embedded() -> Option<Arc<Model>> {
        EMBEDDED.clone()
    }

    /// The embedded model, parsed on first use (about 15 ms): commands that only read the
    /// index never pay for it.
    pub(crate) fn embedded_ref() -> Option<&'static Arc<Model>> {
        EMBEDDED.as_ref()
    }

    /// The embedded model's [`Model::version`], without parsing it.
    pub fn embedded_version() -> Option<&'static str> {
        EMBEDDED_VERSION.as_deref()
    }

    /// Short identity of the model: a 64-bit hash of its file text. Part of the taxonomy's
    /// fingerprint, so a new model re-tags the index.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Number of columns: themes, then the three polarities.
    fn cols(&self) -> usize {
        self.themes.len() + POLARITIES.len()
    }

    /// The column of a theme id.
    pub fn theme_column(&self, id: &str) -> Option<usize> {
        self.themes.iter().position(|t| t == id)
    }

    /// The row of a theme's page feature ([`PageContext`]), if the model has one.
    pub fn page_row(&self, theme: &str) -> Option<u32> {
        self.pages.get(theme).copied()
    }

    /// Number of feature rows.
    pub fn feature_count(&self) -> usize {
        self.names.len()
    }

    /// Builds a model from its parts (used by the trainer).
    pub(crate) fn from_parts(
        themes: Vec<String>,
        threshold: f32,
        bias: Vec<f32>,
        rows: Vec<(String, Vec<f32>)>,
    ) -> Model {
        let mut text = String::new();
        write_file(&mut text, &themes, threshold, &bias, &rows);
        // Round-trip through the text so a trained model and the loaded file are the same. The
        // trainer writes only what the parser reads (validated theme ids, stems without white
        // space, weights clamped into range), so a failure here is a bug, not bad input.
        Model::parse(&text).expect("a trained model's own file text parses")
    }

    fn empty() -> Model {
        Model {
            themes: Vec::new(),
            threshold: 0.5,
            bias: vec![0.0; POLARITIES.len()],
            names: Vec::new(),
            weights: Vec::new(),
            file_weights: Vec::new(),
            stems: FxHashMap::default(),
            pairs: FxHashMap::default(),
            by_term: Vec::new(),
            number_stem: None,
            grams: FxHashMap::default(),
            stem_gram_sums: Vec::new(),
            rules: FxHashMap::default(),
            pages: FxHashMap::default(),
            rule_polarity: [None; 3],
            score_rows: [None; features::SCORE_FEATURES.len()],
            short: None,
            turn: None,
            version: String::new(),
            serial: 0,
        }
    }

    /// Reads a model file's text.
    pub fn parse(src: &str) -> Result<Model, ModelError> {
        Self::parse_named(src, "model")
    }

    /// Reads a model file.
    pub fn from_file(path: &std::path::Path) -> Result<Model, ModelError> {
        let origin = path.display().to_string();
        let src = std::fs::read_to_string(path).map_err(|e| ModelError {
            origin: origin.clone(),
            line: 0,
            message: format!("cannot read: {e}"),
        })?;
        Self::parse_named(&src, &origin)
    }

    fn parse_named(src: &str, origin: &str) -> Result<Model, ModelError> {
        let err = |line: usize, message: String| ModelError {
            origin: origin.to_string(),
            line,
            message,
        };
        let mut lines = src.lines().enumerate().map(|(i, l)| (i + 1, l));
        match lines.next() {
            Some((_, MAGIC)) => {}
            _ => return Err(err(1, format!("not a themis model (expected `{MAGIC}`)"))),
        }
        let mut model = Model::empty();
        let mut bias_seen = false;
        let mut row: Vec<i16> = Vec::new();
        for (n, line) in lines {
            if let Some(rest) = line.strip_prefix("themes ") {
                model.themes = rest.split_whitespace().map(str::to_string).collect();
            } else if let Some(rest) = line.strip_prefix("threshold ") {
                model.threshold = rest
                    .trim()
                    .parse()
                    .map_err(|_| err(n, format!("bad threshold `{rest}`")))?;
            } else if let Some(rest) = line.strip_prefix("bias ") {
                model.bias = parse_floats(rest).ok_or_else(|| err(n, "bad bias".into()))?;
                if model.bias.len() != model.cols() {
                    return Err(err(
                        n,
                        format!(
                            "{} biases for {} columns (the themes line must come first)",
                            model.bias.len(),
                            model.cols()
                        ),
                    ));
                }
                bias_seen = true;
            } else if let Some(rest) = line.strip_prefix("f ") {
                if !bias_seen {
                    return Err(err(n, "feature before the bias line".into()));
                }
                let (name, cells) = rest
                    .split_once('\t')
                    .ok_or_else(|| err(n, "feature line without a tab".into()))?;
                let cols = model.cols();
                row.clear();
                row.resize(cols, 0);
                for cell in cells.split_ascii_whitespace() {
                    let (c, w) = split_at_byte(cell, b':')
                        .and_then(|(c, w)| Some((c.parse::<usize>().ok()?, w)))
                        .filter(|(c, _)| *c < cols)
                        .ok_or_else(|| err(n, format!("bad weight `{cell}`")))?;
                    row[c] = parse_milli(w).ok_or_else(|| {
                        err(
                            n,
                            format!(
                                "bad weight `{cell}` (a number within ±{} expected)",
                                f32::from(i16::MAX) / 1000.0
                            ),
                        )
                    })?;
                }
                model.add_row(name, &row).map_err(|m| err(n, m))?;
            } else if !line.trim().is_empty() {
                return Err(err(n, "unknown line".into()));
            }
        }
        if !bias_seen {
            return Err(err(0, "no bias line".into()));
        }
        model.index_stems();
        model.version = version_of(src);
        Ok(model)
    }

    /// Adds a feature's row of weights in thousandths.
    fn add_row(&mut self, name: &str, row: &[i16]) -> Result<(), String> {
        let id = self.names.len() as u32;
        let fresh = match name.split_once(':') {
            Some(("w", w)) => {
                self.stem_id(w);
                let entry = self.stems.get_mut(w).expect("just inserted");
                entry.word_row.replace(id).is_none()
            }
            Some(("b", pair)) => {
                let (a, b) = pair
                    .split_once(' ')
                    .ok_or_else(|| format!("pair feature `{name}` needs two stems"))?;
                let key = pair_key(self.stem_id(a), self.stem_id(b));
                self.pairs.insert(key, id).is_none()
            }
            Some(("r", theme)) => self.rules.insert(theme.to_string(), id).is_none(),
            Some(("d", theme)) => self.pages.insert(theme.to_string(), id).is_none(),
            Some(("c", gram)) => self.grams.insert(gram.into(), id).is_none(),
            Some(("m", w)) => {
                self.stem_id(w);
                let entry = self.stems.get_mut(w).expect("just inserted");
                entry.main_row.replace(id).is_none()
            }
            Some(("turn", "main")) => self.turn.replace(id).is_none(),
            Some(("p", p)) => {
                let p: Polarity = p
                    .parse()
                    .map_err(|e: crate::themes::ParsePolarityError| e.to_string())?;
                let slot = &mut self.rule_polarity[polarity_index(p)];
                slot.replace(id).is_none()
            }
            Some(("len", "short")) => self.short.replace(id).is_none(),
            Some(("q", fact)) => {
                let i = features::SCORE_FEATURES
                    .iter()
                    .position(|f| *f == fact)
                    .ok_or_else(|| format!("unknown feature `{name}`"))?;
                self.score_rows[i].replace(id).is_none()
            }
            _ => return Err(format!("unknown feature `{name}`")),
        };
        if !fresh {
            return Err(format!("feature `{name}` appears twice"));
        }
        self.names.push(name.to_string());
        self.weights.extend_from_slice(row);
        Ok(())
    }

    fn stem_id(&mut self, stem: &str) -> u32 {
        let next = self.stems.len() as u32;
        self.stems
            .entry(stem.into())
            .or_insert(Stem {
                id: next,
                word_row: None,
                main_row: None,
            })
            .id
    }

    fn row(&self, id: u32) -> &[i16] {
        let cols = self.cols();
        &self.weights[id as usize * cols..(id as usize + 1) * cols]
    }

    /// The rows of a sentence's text features (`scratch.text`) and of its rule themes and
    /// length (`scratch.other`), each sorted, without repeats.
    fn rows_of(&self, tokens: &[AnalyzedToken], rule_themes: &[&str], scratch: &mut Scratch) {
        let Scratch {
            ids,
            text,
            other,
            stems,
            unknown,
            gram_z,
            unknown_sums,
            unknown_rows,
            unknown_model,
            sums,
            summed,
            ..
        } = scratch;
        text.clear();
        other.clear();
        sums.clear();
        sums.resize(2 * self.cols(), 0);
        *summed = (0, 0);
        stems.clear();
        unknown.clear();
        // The analysis chain hands out each token's term id (its stem cache remembers them);
        // the model's stems were entered in that table when it was loaded, so finding a
        // token's stem is an index, not a hash lookup.
        crate::analysis::term_ids_into(tokens, ids);
        let mut previous: Option<u32> = None;
        for (position, (token, &term)) in tokens.iter().zip(ids.iter()).enumerate() {
            let number = features::is_number(&token.term);
            let entry = match self.by_term.get(term as usize) {
                Some(&e) if e.stem != NO_STEM => Some(e),
                _ if number => self.number_stem,
                _ => None,
            };
            let stem = entry.map(|e| e.stem);
            // A stem's letter sequences are in its word row; those of a stem without one
            // are added apart.
            match entry {
                _ if number => {}
                Some(e) if e.row != NO_ROW => {}
                Some(e) => stems.push(e.stem),
                None => unknown.push(position as u32),
            }
            if let Some(e) = entry.filter(|e| e.row != NO_ROW) {
                text.push(e.row);
            }
            if let (Some(a), Some(b)) = (previous, stem) {
                if let Some(&row) = self.pairs.get(&pair_key(a, b)) {
                    text.push(row);
                }
            }
            previous = stem;
        }
        // Each row counts once. Sorting a sentence's few dozen rows is cheaper than marking
        // them in a table as long as the model (a random access each), and the sums do not
        // depend on the order.
        text.sort_unstable();
        text.dedup();
        if tokens.len() <= features::SHORT_TOKENS {
            other.extend(self.short);
        }
        other.extend(rule_themes.iter().filter_map(|t| self.rules.get(*t)));
        other.sort_unstable();
        other.dedup();
        let scale = train::text_scale(text.len());
        if *unknown_model != self.serial {
            unknown_sums.clear();
            unknown_rows.clear();
            *unknown_model = self.serial;
        }
        let mut cache = UnknownSums {
            by_stem: unknown_sums,
            rows: unknown_rows,
        };
        self.gram_margins_into(tokens, stems, unknown, &mut cache, scale, gram_z);
    }

    /// The letter sequences' part of every column's margin for the stems without a word row,
    /// into `z`: each distinct stem's sequence sum (worked out at load for the model's stems,
    /// looked up sequence by sequence for the others, and kept in `cache`), at the sentence's
    /// text `scale`.
    fn gram_margins_into(
        &self,
        tokens: &[AnalyzedToken],
        stems: &mut Vec<u32>,
        unknown: &mut Vec<u32>,
        cache: &mut UnknownSums<'_>,
        scale: f32,
        z: &mut Vec<f32>,
    ) {
        let cols = self.cols();
        z.clear();
        z.resize(cols, 0.0);
        if self.grams.is_empty() {
            return;
        }
        stems.sort_unstable();
        stems.dedup();
        let term = |position: &u32| tokens[*position as usize].term.as_str();
        unknown.sort_unstable_by(|a, b| term(a).cmp(term(b)));
        unknown.dedup_by(|a, b| term(a) == term(b));
        for &stem in stems.iter() {
            let stem = stem as usize;
            let sum = &self.stem_gram_sums[stem * cols..(stem + 1) * cols];
            z.iter_mut().zip(sum).for_each(|(acc, w)| *acc += w);
        }
        for position in unknown.iter() {
            let sum = self.unknown_sum(term(position), cache);
            z.iter_mut().zip(sum).for_each(|(acc, w)| *acc += w);
        }
        z.iter_mut().for_each(|v| *v *= scale);
    }

    /// The letter-sequence sum of a stem the model never met, from `cache` or worked out and
    /// kept there.
    fn unknown_sum<'c>(&self, stem: &str, cache: &'c mut UnknownSums<'_>) -> &'c [f32] {
        let cols = self.cols();
        let at = match cache.by_stem.get(stem) {
            Some(&at) => at as usize,
            None => {
                if cache.by_stem.len() >= UNKNOWN_SUMS_CAPACITY {
                    cache.by_stem.clear();
                    cache.rows.clear();
                }
                let at = cache.rows.len() / cols;
                cache.rows.resize(cache.rows.len() + cols, 0.0);
                add_gram_rows(
                    &self.grams,
                    &self.weights,
                    stem,
                    &mut cache.rows[at * cols..],
                );
                cache.by_stem.insert(stem.into(), at as u32);
                at
            }
        };
        &cache.rows[at * cols..(at + 1) * cols]
    }

    /// The sum of a stem's letter sequences' `col` weights, times [`features::GRAM_FACTOR`].
    fn stem_gram_weight(&self, stem: &str, col: usize) -> f32 {
        let mut sum = vec![0.0; self.cols()];
        add_gram_rows(&self.grams, &self.weights, stem, &mut sum);
        sum[col]
    }

    /// Enters the model's stems in the analysis chain's term table and indexes them by term id,
    /// and adds each stem's letter sequences into its word row (or keeps their sum apart for a
    /// stem without one): then a stem the model knows costs one row, as it did before letter
    /// sequences, and only stems it never met are looked up sequence by sequence.
    fn index_stems(&mut self) {
        for (stem, entry) in &self.stems {
            let term = crate::analysis::intern(stem) as usize;
            if self.by_term.len() <= term {
                self.by_term.resize(term + 1, TermStem::NONE);
            }
            self.by_term[term] = TermStem::of(entry);
        }
        self.number_stem = self.stems.get(features::NUMBER).map(TermStem::of);
        self.serial = MODEL_SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.grams.is_empty() {
            return;
        }
        let cols = self.cols();
        self.file_weights = self.weights.clone();
        self.stem_gram_sums = vec![0.0; self.stems.len() * cols];
        for (stem, entry) in &self.stems {
            if stem.as_ref() == features::NUMBER {
                continue;
            }
            let at = entry.id as usize;
            let sum = &mut self.stem_gram_sums[at * cols..(at + 1) * cols];
            add_gram_rows(&self.grams, &self.file_weights, stem, sum);
            if let Some(row) = entry.word_row {
                let weights = &mut self.weights[row as usize * cols..(row as usize + 1) * cols];
                for (w, add) in weights.iter_mut().zip(sum.iter()) {
                    let merged = f32::from(*w) + (add * 1000.0).round();
                    *w = merged.clamp(f32::from(i16::MIN), f32::from(i16::MAX)) as i16;
                }
            }
        }
    }

    /// Linear scores of `columns` (theme columns or polarity columns) of the rows in `scratch`
    /// (`text`, `other`, `gram_z`; see [`Model::rows_of`]), into `scratch.z`.
    ///
    /// The rows are summed as integers (thousandths), the text rows apart from the others
    /// because they share the sentence's text scale: a weight costs one widening integer add,
    /// which the compiler vectorises, instead of a conversion and a multiply-add in floating
    /// point. Whole rows are summed, and only rows not summed before, so a sentence's rows
    /// are fetched once for its themes and its polarity together.
    /// Integer sums are exact, so the order rows come in does not change a margin.
    fn margins_into(&self, scratch: &mut Scratch, columns: std::ops::Range<usize>) {
        let Scratch {
            text,
            other,
            gram_z,
            sums,
            summed,
            z,
            ..
        } = scratch;
        let cols = self.cols();
        let (text_sum, other_sum) = sums.split_at_mut(cols);
        self.add_rows(text_sum, text.get(summed.0..).unwrap_or_default());
        self.add_rows(other_sum, other.get(summed.1..).unwrap_or_default());
        *summed = (text.len(), other.len());
        let scale = train::text_scale(text.len()) / 1000.0;
        z.clear();
        z.extend(
            self.bias[columns.clone()]
                .iter()
                .zip(&gram_z[columns.clone()])
                .zip(text_sum[columns.clone()].iter().zip(&other_sum[columns]))
                .map(|((b, g), (&t, &o))| b + g + t as f32 * scale + o as f32 / 1000.0),
        );
    }

    /// Adds `rows` (weights in thousandths) to the integer `sums`. The shipped model's rows
    /// are 32 columns (29 themes and 3 polarities): those are summed in a local array, which
    /// the compiler keeps in vector registers (summing into the slice, it added one column
    /// at a time through memory).
    fn add_rows(&self, sums: &mut [i32], rows: &[u32]) {
        if let Ok(sums) = <&mut [i32; 32]>::try_from(&mut *sums) {
            let mut acc = *sums;
            for &r in rows {
                if let Ok(row) = <&[i16; 32]>::try_from(self.row(r)) {
                    for (a, &w) in acc.iter_mut().zip(row) {
                        *a += i32::from(w);
                    }
                }
            }
            *sums = acc;
            return;
        }
        for &r in rows {
            for (a, &w) in sums.iter_mut().zip(self.row(r)) {
                *a += i32::from(w);
            }
        }
    }

    /// Calls `decide` with the theme columns' margins (log-odds) of a sentence, given its
    /// tokens and the themes its rules gave; a column is given when its margin reaches
    /// [`Model::margin_threshold`]. Works in per-thread buffers: this runs on every sentence
    /// the indexer tags.
    pub fn with_theme_margins<R>(
        &self,
        tokens: &[AnalyzedToken],
        rule_themes: &[&str],
        decide: impl FnOnce(&[f32]) -> R,
    ) -> R {
        self.score("", tokens, rule_themes, None, decide, |_| None)
            .0
    }

    /// Scores a sentence once for both of the model's questions: `decide` gets the theme
    /// columns' margins (as in [`Model::with_theme_margins`]); then, if `polarity_inputs` gives
    /// the rules' polarity and (concern, strength) cue scores for what was decided, the
    /// polarity comes from the same feature rows (as in [`Model::polarity`]), which are
    /// looked up once, not twice.
    pub fn score<R>(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        rule_themes: &[&str],
        page: Option<&PageContext>,
        decide: impl FnOnce(&[f32]) -> R,
        polarity_inputs: impl FnOnce(&R) -> Option<(Polarity, (f64, f64))>,
    ) -> (R, Option<Polarity>) {
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            self.rows_of(tokens, rule_themes, scratch);
            if let Some(page) = page {
                self.add_page(page, &mut scratch.gram_z);
            }
            self.margins_into(scratch, 0..self.themes.len());
            let decided = decide(&scratch.z);
            let polarity = polarity_inputs(&decided).map(|(rule_polarity, rule_scores)| {
                self.polarity_of_rows(sentence, tokens, scratch, rule_polarity, rule_scores)
            });
            (decided, polarity)
        })
    }

    /// Adds the page's part ([`PageContext`]) to every column's margin in `z`: each page
    /// feature's value ([`PageContext::rows`]) times its row.
    fn add_page(&self, page: &PageContext, z: &mut [f32]) {
        for (row, value) in page.rows() {
            let x = value / 1000.0;
            for (acc, &w) in z.iter_mut().zip(self.row(row)) {
                *acc += x * f32::from(w);
            }
        }
    }

    /// The threshold as a margin: `ln(p / (1 - p))`, so deciding needs no `exp`.
    pub fn margin_threshold(&self) -> f32 {
        let p = self.threshold.clamp(1e-6, 1.0 - 1e-6);
        (p / (1.0 - p)).ln()
    }

    /// Theme probabilities of a sentence, given its tokens and the themes its rules gave.
    pub fn theme_scores(
        &self,
        tokens: &[AnalyzedToken],
        rule_themes: &[&str],
        page: Option<&PageContext>,
    ) -> ThemeScores {
        let scores = |z: &[f32]| ThemeScores {
            themes: z.iter().copied().map(sigmoid).collect(),
        };
        self.score("", tokens, rule_themes, page, scores, |_| None)
            .0
    }

    /// The polarity the model gives a sentence that carries a theme, from its text and tokens,
    /// the rules' themes, the rules' polarity and their (concern, strength) cue scores.
    pub fn polarity(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        rule_themes: &[&str],
        rule_polarity: Polarity,
        rule_scores: (f64, f64),
    ) -> Polarity {
        SCRATCH.with(|scratch| {
            let scratch = &mut *scratch.borrow_mut();
            self.rows_of(tokens, rule_themes, scratch);
            self.polarity_of_rows(sentence, tokens, scratch, rule_polarity, rule_scores)
        })
    }

    /// [`Model::polarity`] once `scratch` holds the sentence's rows ([`Model::rows_of`]).
    fn polarity_of_rows(
        &self,
        sentence: &str,
        tokens: &[AnalyzedToken],
        scratch: &mut Scratch,
        rule_polarity: Polarity,
        rule_scores: (f64, f64),
    ) -> Polarity {
        scratch
            .other
            .extend(self.rule_polarity[polarity_index(rule_polarity)]);
        for fact in features::score_facts(rule_scores.0, rule_scores.1) {
            scratch.other.extend(self.score_rows[fact]);
        }
        self.margins_into(scratch, self.themes.len()..self.cols());
        let z = &mut scratch.z;
        self.add_main_clause(sentence, tokens, z);
        let best = (0..3).fold(0, |best, i| if z[i] > z[best] { i } else { best });
        POLARITIES[best]
    }

    /// Adds the main clause's part ([`features::main_clause_features`]) to the polarity
    /// margins `z`. Only mixed sentences have one, so this is rarely more than a check.
    fn add_main_clause(&self, sentence: &str, tokens: &[AnalyzedToken], z: &mut [f32]) {
        if self.turn.is_none() {
            return;
        }
        // The features of features::main_clause_features, found without building their names.
        let Some((stems, scale)) = features::main_clause_stems(sentence, tokens) else {
            return;
        };
        let rows = stems
            .iter()
            .filter_map(|s| self.stems.get(*s).and_then(|s| s.main_row))
            .map(|row| (row, scale))
            .chain(self.turn.map(|row| (row, 1.0)));
        let t = self.themes.len();
        for (row, x) in rows {
            for (acc, &w) in z.iter_mut().zip(&self.row(row)[t..]) {
                *acc += x * f32::from(w) / 1000.0;
            }
        }
    }

    /// The features that pushed a theme's score up the most, strongest first.
    pub fn contributions(
        &self,
        tokens: &[AnalyzedToken],
        rule_themes: &[&str],
        page: Option<&PageContext>,
        theme: &str,
        max: usize,
    ) -> Vec<Contribution> {
        let Some(col) = self.theme_column(theme) else {
            return Vec::new();
        };
        let mut scratch = Scratch::default();
        self.rows_of(tokens, rule_themes, &mut scratch);
        let page_rows = page.into_iter().flat_map(PageContext::rows);
        let mut parts: Vec<Contribution> = weighted_rows(&scratch.text, &scratch.other)
            .chain(page_rows)
            .map(|(r, x)| Contribution {
                feature: readable(&self.names[r as usize]),
                weight: (x * f32::from(self.row(r)[col])).round() / 1000.0,
            })
            .collect();
        // A stem's word row has its letter sequences in it; those of a stem without one are
        // read as "~stem": the stem's spelling counted.
        let mut stems: Vec<&str> = tokens
            .iter()
            .map(|t| t.term.as_str())
            .filter(|t| !features::is_number(t))
            .filter(|t| self.stems.get(*t).and_then(|s| s.word_row).is_none())
            .collect();
        stems.sort_unstable();
        stems.dedup();
        let scale = train::text_scale(scratch.text.len());
        parts.extend(stems.into_iter().map(|stem| Contribution {
            feature: format!("~{stem}"),
            weight: (scale * self.stem_gram_weight(stem, col) * 1000.0).round() / 1000.0,
        }));
        parts.retain(|c| c.weight > 0.0);
        parts.sort_by(|a, b| {
            b.weight
                .total_cmp(&a.weight)
                .then_with(|| a.feature.cmp(&b.feature))
        });
        parts.truncate(max);
        parts
    }

    /// The model as file text.
    pub fn to_file_string(&self) -> String {
        let weights = if self.file_weights.is_empty() {
            &self.weights
        } else {
            &self.file_weights
        };
        let cols = self.cols();
        let rows: Vec<(String, Vec<f32>)> = (0..self.names.len())
            .map(|i| {
                let row = weights[i * cols..(i + 1) * cols]
                    .iter()
                    .map(|&w| f32::from(w) / 1000.0);
                (self.names[i].clone(), row.collect())
            })
            .collect();
        let mut text = String::new();
        write_file(&mut text, &self.themes, self.threshold, &self.bias, &rows);
        text
    }
}

/// A stem the model knows.
#[derive(Debug, Clone, Copy)]
struct Stem {
    /// Its number among the model's stems (pairs are keyed by two of them).
    id: u32,
    /// Its word feature's row, if it has one.
    word_row: Option<u32>,
    /// Its main-clause feature's row, if it has one.
    main_row: Option<u32>,
}

/// A sentence's rows with the value each counts with: text rows share `1 / sqrt(n)` (see
/// [`train::text_scale`]), rule and length rows count once.
fn weighted_rows<'r>(text: &'r [u32], other: &'r [u32]) -> impl Iterator<Item = (u32, f32)> + 'r {
    let scale = train::text_scale(text.len());
    let text = text.iter().map(move |&r| (r, scale));
    text.chain(other.iter().map(|&r| (r, 1.0)))
}

/// Adds the rows of `stem`'s letter sequences ([`features::grams_into`]), each times
/// [`features::GRAM_FACTOR`], into `sum` (one row wide), in weights (not thousandths): the one
/// sum the model loads for its stems, caches for stems it never met, and `--explain` shows.
/// Letter-sequence rows are never folded, so `weights` may be the model's or the file's.
fn add_gram_rows(grams: &FxHashMap<Box<str>, u32>, weights: &[i16], stem: &str, sum: &mut [f32]) {
    let cols = sum.len();
    let mut marked = String::new();
    let mut ranges = Vec::with_capacity(32);
    features::grams_into(stem, &mut marked, &mut ranges);
    for &(a, b) in &ranges {
        if let Some(&row) = grams.get(&marked[a..b]) {
            let row = &weights[row as usize * cols..(row as usize + 1) * cols];
            for (acc, &w) in sum.iter_mut().zip(row) {
                *acc += features::GRAM_FACTOR * f32::from(w) / 1000.0;
            }
        }
    }
}

/// `text` before and after the first `byte` (an ASCII character): `str::split_once` with a
/// `char` pattern runs a general searcher, which was a third of loading the model.
fn split_at_byte(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = text.bytes().position(|b| b == byte)?;
    Some((&text[..at], &text[at + 1..]))
}

/// A weight of a model file in thousandths, the precision rows are kept in. The trainer writes
/// at most three decimals, which are read as an integer (reading half a million floats was
/// most of loading the model); other spellings are read as a float and rounded. `None` for a
/// weight that is not a finite number or is outside the range of thousandths kept.
fn parse_milli(text: &str) -> Option<i16> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = split_at_byte(digits, b'.').unwrap_or((digits, ""));
    let plain = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let milli =
        if (1..=5).contains(&whole.len()) && fraction.len() <= 3 && plain(whole) && plain(fraction)
        {
            let number = |part: &str| part.bytes().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
            let fraction = number(fraction) * 10i64.pow(3 - fraction.len() as u32);
            let magnitude = number(whole) * 1000 + fraction;
            if negative {
                -magnitude
            } else {
                magnitude
            }
        } else {
            let w: f64 = text.parse().ok().filter(|w: &f64| w.is_finite())?;
            let milli = (w * 1000.0).round();
            if milli.abs() > f64::from(i16::MAX) {
                return None;
            }
            milli as i64
        };
    i16::try_from(milli).ok()
}

fn pair_key(first: u32, second: u32) -> u64 {
    (u64::from(first) << 32) | u64::from(second)
}

/// The polarity's column among the polarity columns ([`POLARITIES`] order).
pub(crate) fn polarity_index(p: Polarity) -> usize {
    match p {
        Polarity::Concern => 0,
        Polarity::Strength => 1,
        Polarity::Neutral => 2,
    }
}

/// A model's identity: FNV-1a (64 bits) of its file text, in hex. Stable across builds and
/// platforms (it is stored in indexes through the taxonomy fingerprint), and cheap: SHA-256 of
/// the 2 MB embedded model was a tenth of a small index run.
fn version_of(src: &str) -> String {
    let hash = src.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}")
}

fn sigmoid(z: f32) -> f32 {
    1.0 / (1.0 + (-z).exp())
}

fn parse_floats(s: &str) -> Option<Vec<f32>> {
    s.split_whitespace()
        .map(|w| w.parse::<f32>().ok().filter(|f| f.is_finite()))
        .collect()
}

/// A feature name as a user reads it in `--explain`.
fn readable(name: &str) -> String {
    match name.split_once(':') {
        Some(("w", w)) | Some(("b", w)) => w.to_string(),
        Some(("r", t)) => format!("rule:{t}"),
        Some(("d", t)) => format!("page:{t}"),
        Some(("len", _)) => "short line".to_string(),
        _ => name.to_string(),
    }
}

/// Weights smaller than this are dropped from the file (and so from the model: a trained model
/// is read back from its text). Below it a weight moves a probability by under about 1%, and
/// dropping them keeps the file small.
const WRITE_MIN: f32 = 0.05;

fn write_file(
    out: &mut String,
    themes: &[String],
    threshold: f32,
    bias: &[f32],
    rows: &[(String, Vec<f32>)],
) {
    use std::fmt::Write;
    let _ = writeln!(out, "{MAGIC}");
    let _ = writeln!(out, "themes {}", themes.join(" "));
    let _ = writeln!(out, "threshold {threshold:.4}");
    let bias: Vec<String> = bias.iter().map(|b| format!("{b:.4}")).collect();
    let _ = writeln!(out, "bias {}", bias.join(" "));
    for (name, row) in rows {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .filter(|(_, w)| w.abs() >= WRITE_MIN)
            .map(|(c, w)| format!("{c}:{w:.3}"))
            .collect();
        if cells.is_empty() {
            continue;
        }
        let _ = writeln!(out, "f {name}\t{}", cells.join(" "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;

    fn tiny() -> Model {
        Model::parse(
            "themis-model 1\nthemes workload victims\nthreshold 0.5\nbias -2 -2 0 0 0.5\n\
             f w:caseload\t0:3.0\nf b:high caseload\t0:1.0 2:1.5\nf r:victims\t1:4.0\n\
             f p:strength\t3:2.0\n",
        )
        .unwrap()
    }

    #[test]
    fn test_scores_sum_the_rows_of_the_features_present() {
        let m = tiny();
        let tokens = analyze("Very high caseloads");
        let s = m.theme_scores(&tokens, &[], None);
        assert!((s.themes[0] - sigmoid(-2.0 + (3.0 + 1.0) / 2f32.sqrt())).abs() < 1e-6);
        assert!((s.themes[1] - sigmoid(-2.0)).abs() < 1e-6);
        let s = m.theme_scores(&analyze("Nothing here at all"), &["victims"], None);
        assert!(s.themes[1] > 0.8 && s.themes[0] < 0.2);
        assert_eq!(
            m.polarity(
                "Very high caseloads",
                &tokens,
                &[],
                Polarity::Neutral,
                (0.0, 0.0)
            ),
            Polarity::Concern
        );
        // The rules' cue scores count: "concern>=2" outweighs the strength bias.
        let scored = Model::parse(
            "themis-model 1\nthemes workload\nthreshold 0.5\nbias 0 0 0.5 0\n\
             f q:concern>=2\t1:3.0\n",
        )
        .unwrap();
        let plain = analyze("words");
        assert_eq!(
            scored.polarity("words", &plain, &[], Polarity::Neutral, (2.0, 0.0)),
            Polarity::Concern
        );
        assert_eq!(
            scored.polarity("words", &plain, &[], Polarity::Neutral, (1.0, 0.0)),
            Polarity::Strength
        );
        assert_eq!(
            m.polarity(
                "other words",
                &analyze("other words"),
                &[],
                Polarity::Strength,
                (0.0, 1.0)
            ),
            Polarity::Strength
        );
    }

    #[test]
    fn test_file_round_trips_and_bad_files_name_the_line() {
        let m = tiny();
        let again = Model::parse(&m.to_file_string()).unwrap();
        assert_eq!(again.to_file_string(), m.to_file_string());
        let bad = Model::parse("themis-model 1\nthemes a\nbias 0 0 0 0\nf w:x\t9:1\n").unwrap_err();
        assert_eq!(bad.line, 4);
        assert!(Model::parse("hello").is_err());
    }

    #[test]
    fn test_contributions_name_the_strongest_features() {
        let m = tiny();
        let c = m.contributions(&analyze("Very high caseloads"), &[], None, "workload", 5);
        assert_eq!(c[0].feature, "caseload");
        assert_eq!(c[1].feature, "high caseload");
    }

    #[test]
    fn test_letter_sequences_reach_stems_the_model_never_met() {
        // Only sequences of "load" are known; "workload" was never seen.
        let src = "themis-model 1\nthemes workload\nthreshold 0.5\nbias -2 0 0 0\n\
                   f c:load\t0:4.0\nf c:load>\t0:4.0\nf w:known\t0:0.1\nf w:load\t0:1.0\n";
        let m = Model::parse(src).unwrap();
        let factor = features::GRAM_FACTOR;
        // One text row ("known", none of whose sequences is in the model), so scale 1.
        let unseen = analyze("known workload");
        let z = m.with_theme_margins(&unseen, &[], |z| z[0]);
        let expected = -2.0 + 0.1 + factor * 8.0;
        assert!((z - expected).abs() < 1e-3, "{z} vs {expected}");
        // The second time, "workload"'s sum comes from this thread's cache: the same margin.
        assert_eq!(m.with_theme_margins(&unseen, &[], |z| z[0]), z);
        // Another model's sequences are its own: the cache is per model, not per stem alone.
        let other = Model::parse(&src.replace("c:load\t0:4.0", "c:load\t0:-4.0")).unwrap();
        let z_other = other.with_theme_margins(&unseen, &[], |z| z[0]);
        assert!((z_other - (-2.0 + 0.1)).abs() < 1e-3, "{z_other}");
        assert_eq!(m.with_theme_margins(&unseen, &[], |z| z[0]), z);
        // "load" has a word row: its sequences are added into it when the model loads.
        let known = analyze("known load");
        let z = m.with_theme_margins(&known, &[], |z| z[0]);
        let expected = -2.0 + (0.1 + 1.0 + factor * 8.0) / 2f32.sqrt();
        assert!((z - expected).abs() < 1e-3, "{z} vs {expected}");
        // The file keeps the weights as trained, not the sums.
        assert_eq!(
            Model::parse(&m.to_file_string()).unwrap().to_file_string(),
            m.to_file_string()
        );
        assert!(m.to_file_string().contains("f w:load\t0:1.000"));
        let no_grams = Model::parse("themis-model 1\nthemes workload\nbias -2 0 0 0\n").unwrap();
        assert_eq!(no_grams.with_theme_margins(&unseen, &[], |z| z[0]), -2.0);
        let c = m.contributions(&unseen, &[], None, "workload", 3);
        assert_eq!(c[0].feature, "~workload", "{c:?}");
    }

    #[test]
    fn test_weights_are_read_in_thousandths() {
        assert_eq!(parse_milli("1.5"), Some(1500));
        assert_eq!(parse_milli("-0.007"), Some(-7));
        assert_eq!(parse_milli("2"), Some(2000));
        assert_eq!(parse_milli("32.767"), Some(i16::MAX));
        // Spellings the trainer does not write are read as floats and rounded.
        assert_eq!(parse_milli("0.1236"), Some(124));
        assert_eq!(parse_milli("1e-3"), Some(1));
        assert_eq!(parse_milli(".5"), Some(500));
        for bad in ["40", "-33", "nan", "inf", "abc", "-", "", "1.2.3", "+-1"] {
            assert_eq!(parse_milli(bad), None, "{bad}");
        }
        let err = Model::parse("themis-model 1\nthemes workload\nbias 0 0 0 0\nf w:x\t0:40\n")
            .unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("bad weight `0:40`"), "{}", err.message);
    }

    #[test]
    fn test_embedded_model_loads() {
        let m = Model::embedded().expect("the shipped model parses");
        assert!(m.themes.len() >= 29, "{m:?}");
        assert_eq!(Model::embedded_version(), Some(m.version()));
    }

    #[test]
    fn page_features_add_their_share_of_the_weight_and_are_explained() {
        let m = Model::parse(
            "themis-model 1\nthemes workload victims\nthreshold 0.5\nbias -2 -2 0 0 0\n\
             f d:victims\t1:4.0\n",
        )
        .unwrap();
        let tokens = analyze("Letters were sent on time");
        let alone = m.theme_scores(&tokens, &[], None).themes[1];
        assert!((alone - sigmoid(-2.0)).abs() < 1e-6, "{alone}");
        // Half of the page so far was about victims (by its rules): +0.5 x 4.0 to the margin.
        let mut page = PageContext::new();
        page.record(&["victims"], |id| m.page_row(id));
        page.record::<&str>(&[], |id| m.page_row(id));
        let on_page = m.theme_scores(&tokens, &[], Some(&page)).themes[1];
        assert!((on_page - sigmoid(0.0)).abs() < 1e-6, "{on_page}");
        // The workload column has no page weight.
        let workload = m.theme_scores(&tokens, &[], Some(&page)).themes[0];
        assert!((workload - sigmoid(-2.0)).abs() < 1e-6, "{workload}");
        let why = m.contributions(&tokens, &[], Some(&page), "victims", 3);
        assert_eq!(why.len(), 1, "{why:?}");
        assert_eq!(why[0].feature, "page:victims");
        assert!((why[0].weight - 2.0).abs() < 1e-6, "{why:?}");
    }
}
