//! Training the learned tagger from labelled sentences: logistic regression per theme and a
//! softmax over the three polarities, fitted together by L-BFGS with an L2 penalty;
//! deterministic (no randomness, no threads, no clock).
//!
//! Every sentence is first tagged by the taxonomy's rules alone; their themes and polarity are
//! features beside the stems, so the model learns where the rules are right and what they miss.
//! A theme with too few labelled sentences gets no column and stays with its rules.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::features::{feature_names, main_clause_features, sentence_grams, Feature, GRAM_FACTOR};
use super::{polarity_index, Model, PageContext, POLARITIES};
use crate::analysis::analyze;
use crate::themes::{Polarity, Tagger, Taxonomy};

/// One labelled sentence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct LabelledUnit {
    /// The sentence.
    pub text: String,
    /// Theme ids a coder gave it.
    pub themes: Vec<String>,
    /// Its polarity.
    pub polarity: Polarity,
    /// The title of the section it is in, when it was read from a document (the rules let a
    /// sentence that refers back inherit its section's theme).
    #[serde(default)]
    pub section: Option<String>,
    /// The document it was read from, when it was read in order from one (units of the same
    /// document are consecutive): the sentences before it on that page give it page features
    /// ([`super::PageContext`]). `None`: the unit stands alone.
    #[serde(default)]
    pub document: Option<usize>,
}

/// Settings of a training run. The defaults are what the shipped model was trained with; they
/// were chosen by leave-documents-out cross-validation on the training corpus (`themis eval
/// --cv`), never on validation pages.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    /// Most L-BFGS iterations.
    pub epochs: usize,
    /// L2 penalty on the theme classifiers' weights (the loss is a mean over sentences).
    pub l2: f32,
    /// L2 penalty on the polarity classifier's weights.
    pub polarity_l2: f32,
    /// A text feature must occur in at least this many sentences.
    pub min_count: usize,
    /// A letter sequence must occur in at least this many sentences.
    pub min_gram_count: usize,
    /// A theme needs at least this many labelled sentences to get a column.
    pub min_positives: usize,
    /// Probability above which a theme is given.
    pub threshold: f32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 200,
            l2: 3e-5,
            polarity_l2: 3e-5,
            min_count: 2,
            min_gram_count: 3,
            min_positives: 8,
            threshold: 0.25,
        }
    }
}

/// What a training run did.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct TrainSummary {
    /// Sentences trained on.
    pub units: usize,
    /// Sentences with at least one theme.
    pub units_with_themes: usize,
    /// Feature rows kept.
    pub features: usize,
    /// Themes that got a column, with their labelled sentence counts.
    pub themes: BTreeMap<String, usize>,
    /// Taxonomy themes left to their rules (too few labelled sentences), with their counts.
    pub rules_only: BTreeMap<String, usize>,
    /// Labelled theme ids the taxonomy does not have, with counts (ignored).
    pub unknown_themes: BTreeMap<String, usize>,
}

struct Example {
    /// Word and pair rows, sorted; each counts [`text_scale`] times its weight.
    text_rows: Vec<u32>,
    /// Rule-theme and short-line rows, sorted; each counts once.
    other_rows: Vec<u32>,
    /// `1 / sqrt(text_rows.len())`: long sentences do not add up more evidence than short ones.
    text_scale: f32,
    /// Letter-sequence rows with their values (see [`super::features::sentence_grams`]).
    gram_rows: Vec<(u32, f32)>,
    /// The rules' polarity and cue-score rows, and the main clause's, with their values
    /// (polarity classifier only).
    polarity_rows: Vec<(u32, f32)>,
    /// Theme columns the coder gave.
    labels: Vec<usize>,
    /// Polarity column, for sentences that carry a theme (polarity is judged only there).
    polarity: Option<usize>,
}

/// Trains a model for `taxonomy`'s themes from labelled sentences.
pub fn train(
    units: &[LabelledUnit],
    taxonomy: &Taxonomy,
    options: &TrainOptions,
) -> (Model, TrainSummary) {
    let rules = Tagger::new(taxonomy.clone()).with_model(None);
    let mut summary = TrainSummary {
        units: units.len(),
        ..TrainSummary::default()
    };

    // Which themes get a column.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for unit in units {
        for theme in &unit.themes {
            *counts.entry(theme.as_str()).or_default() += 1;
        }
    }
    let mut columns: Vec<String> = Vec::new();
    for theme in &taxonomy.themes {
        let n = counts.get(theme.id.as_str()).copied().unwrap_or(0);
        if n >= options.min_positives {
            columns.push(theme.id.clone());
            summary.themes.insert(theme.id.clone(), n);
        } else {
            summary.rules_only.insert(theme.id.clone(), n);
        }
    }
    for (theme, n) in &counts {
        if taxonomy.theme(theme).is_none() {
            summary.unknown_themes.insert(theme.to_string(), *n);
        }
    }

    // Features of every sentence, then the vocabulary.
    let mut named: Vec<Vec<String>> = Vec::with_capacity(units.len());
    let mut grams: Vec<Vec<(String, u32)>> = Vec::with_capacity(units.len());
    let mut mains: Vec<Vec<(String, f32)>> = Vec::with_capacity(units.len());
    let mut pages: Vec<Vec<(String, f32)>> = Vec::with_capacity(units.len());
    let mut page = PageContext::new();
    let mut previous_document = None;
    for unit in units {
        if unit.document.is_none() || unit.document != previous_document {
            page = PageContext::new();
        }
        previous_document = unit.document;
        pages.push(
            page.values()
                .map(|(theme, value)| (Feature::Page(theme).name(), value))
                .collect(),
        );
        let tokens = analyze(&unit.text);
        let tags = rules.tag_in_context(&unit.text, &tokens, unit.section.as_deref());
        page.record(&tags.themes, |_| None);
        let (_, scores) = rules.polarity_verdict(&unit.text);
        named.push(feature_names(&tokens, &tags.themes, tags.polarity, scores));
        mains.push(main_clause_features(&unit.text, &tokens));
        let sequences = sentence_grams(&tokens)
            .into_iter()
            .map(|(g, n)| (Feature::Gram(&g).name(), n))
            .collect();
        grams.push(sequences);
    }
    let mut df: FxHashMap<&str, usize> = FxHashMap::default();
    let gram_names = grams.iter().flat_map(|g| g.iter().map(|(n, _)| n));
    let main_names = mains.iter().flat_map(|m| m.iter().map(|(n, _)| n));
    let page_names = pages.iter().flat_map(|p| p.iter().map(|(n, _)| n));
    let all_names = named.iter().flatten().chain(gram_names).chain(main_names);
    for name in all_names.chain(page_names) {
        *df.entry(name.as_str()).or_default() += 1;
    }
    let mut vocabulary: Vec<&str> = df
        .iter()
        .filter(|(name, &n)| {
            if name.starts_with("c:") {
                n >= options.min_gram_count
            } else {
                n >= options.min_count || !is_text_feature(name)
            }
        })
        .map(|(name, _)| *name)
        .collect();
    // Most frequent first: a feature's row is its place in the file, and the rows most
    // sentences touch then share cache lines (tagging is bound by memory, not arithmetic).
    // Letter sequences go last: they are added into their stems' rows when the model loads,
    // and tagging reads them only for words the model never met.
    let is_gram = |name: &str| name.starts_with("c:");
    vocabulary.sort_unstable_by(|a, b| (is_gram(a), df[b], a).cmp(&(is_gram(b), df[a], b)));
    let row_of: FxHashMap<&str, u32> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, n)| (*n, i as u32))
        .collect();
    let column_of: FxHashMap<&str, usize> = columns
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let examples: Vec<Example> = units
        .iter()
        .zip(&named)
        .zip(&grams)
        .zip(&mains)
        .zip(&pages)
        .map(|((((unit, names), sequences), main), page)| {
            let mut text_rows = Vec::new();
            let mut other_rows = Vec::new();
            let mut polarity_rows = Vec::new();
            for name in names {
                if let Some(&row) = row_of.get(name.as_str()) {
                    if name.starts_with("p:") || name.starts_with("q:") {
                        polarity_rows.push((row, 1.0));
                    } else if is_text_feature(name) {
                        text_rows.push(row);
                    } else {
                        other_rows.push(row);
                    }
                }
            }
            polarity_rows.extend(
                main.iter()
                    .filter_map(|(name, x)| Some((*row_of.get(name.as_str())?, *x))),
            );
            let text_scale = text_scale(text_rows.len());
            let scale = GRAM_FACTOR * text_scale;
            // Page features are valued like letter sequences, in every column.
            let gram_rows = sequences
                .iter()
                .filter_map(|(name, n)| Some((*row_of.get(name.as_str())?, *n as f32 * scale)))
                .chain(
                    page.iter()
                        .filter_map(|(name, x)| Some((*row_of.get(name.as_str())?, *x))),
                )
                .collect();
            let mut labels: Vec<usize> = unit
                .themes
                .iter()
                .filter_map(|t| column_of.get(t.as_str()).copied())
                .collect();
            labels.sort_unstable();
            labels.dedup();
            Example {
                text_rows,
                other_rows,
                text_scale,
                gram_rows,
                polarity_rows,
                labels,
                polarity: (!unit.themes.is_empty()).then(|| polarity_index(unit.polarity)),
            }
        })
        .collect();
    summary.units_with_themes = units.iter().filter(|u| !u.themes.is_empty()).count();

    let (bias, weights) = fit(&examples, vocabulary.len(), columns.len(), options);
    let cols = columns.len() + POLARITIES.len();
    let rows: Vec<(String, Vec<f32>)> = vocabulary
        .iter()
        .enumerate()
        .map(|(i, name)| (name.to_string(), weights[i * cols..(i + 1) * cols].to_vec()))
        .collect();
    let model = Model::from_parts(columns, options.threshold, bias, rows);
    summary.features = model.feature_count();
    (model, summary)
}

/// The weight each text feature of a sentence with `n` of them counts with.
pub fn text_scale(n: usize) -> f32 {
    if n == 0 {
        0.0
    } else {
        1.0 / (n as f32).sqrt()
    }
}

/// Stems, pairs and main-clause stems: features that must be seen [`TrainOptions::min_count`]
/// times to be kept.
fn is_text_feature(name: &str) -> bool {
    name.starts_with("w:") || name.starts_with("b:") || name.starts_with("m:")
}

/// Fits all columns at once by L-BFGS on the mean log loss (logistic per theme column,
/// softmax over the polarity columns on sentences that carry a theme) plus `l2 / 2 * |w|^2`.
/// Returns the biases and the row-major weights.
fn fit(
    examples: &[Example],
    rows: usize,
    themes: usize,
    options: &TrainOptions,
) -> (Vec<f32>, Vec<f32>) {
    let cols = themes + POLARITIES.len();
    let problem = Problem {
        examples,
        rows,
        themes,
        cols,
        l2: f64::from(options.l2),
        polarity_l2: f64::from(options.polarity_l2),
        polarity_n: examples
            .iter()
            .filter(|e| e.polarity.is_some())
            .count()
            .max(1) as f64,
    };
    let theta = lbfgs(&problem, vec![0.0; rows * cols + cols], options.epochs);
    // A model file keeps weights to a thousandth within ±32.767 (see `Model`); the L2 penalty
    // keeps them far inside that, the clamp makes sure.
    let weights = theta[..rows * cols]
        .iter()
        .map(|&w| w.clamp(-32.0, 32.0) as f32)
        .collect();
    let bias = theta[rows * cols..].iter().map(|&b| b as f32).collect();
    (bias, weights)
}

struct Problem<'e> {
    examples: &'e [Example],
    rows: usize,
    themes: usize,
    cols: usize,
    l2: f64,
    polarity_l2: f64,
    polarity_n: f64,
}

impl Problem<'_> {
    /// Loss and gradient at `theta` (weights row-major, then biases).
    fn loss_and_gradient(&self, theta: &[f64], grad: &mut [f64]) -> f64 {
        let (cols, themes) = (self.cols, self.themes);
        let bias_at = self.rows * cols;
        grad.iter_mut().for_each(|g| *g = 0.0);
        let n = self.examples.len().max(1) as f64;
        let mut loss = 0.0;
        let mut z = vec![0.0f64; cols];
        let mut d = vec![0.0f64; cols];
        for ex in self.examples {
            let scale = f64::from(ex.text_scale);
            let features = || {
                ex.text_rows
                    .iter()
                    .map(move |&r| (r, scale))
                    .chain(ex.gram_rows.iter().map(|&(r, x)| (r, f64::from(x))))
                    .chain(ex.other_rows.iter().map(|&r| (r, 1.0)))
            };
            z.copy_from_slice(&theta[bias_at..]);
            for (r, x) in features() {
                let row = &theta[r as usize * cols..(r as usize + 1) * cols];
                for c in 0..themes {
                    z[c] += x * row[c];
                }
            }
            for c in 0..themes {
                let y = f64::from(u8::from(ex.labels.binary_search(&c).is_ok()));
                // log(1 + e^z) - y z, computed stably.
                loss += (z[c].max(0.0) + (-z[c].abs()).exp().ln_1p() - y * z[c]) / n;
                d[c] = (sigmoid(z[c]) - y) / n;
            }
            let polarity = ex.polarity.map(|target| {
                let prows = ex.polarity_rows.iter().map(|&(r, x)| (r, f64::from(x)));
                for (r, x) in features().chain(prows) {
                    let row = &theta[r as usize * cols..(r as usize + 1) * cols];
                    for c in themes..cols {
                        z[c] += x * row[c];
                    }
                }
                let max = z[themes..].iter().copied().fold(f64::MIN, f64::max);
                let total: f64 = z[themes..].iter().map(|v| (v - max).exp()).sum();
                loss += (max + total.ln() - z[themes + target]) / self.polarity_n;
                for k in 0..POLARITIES.len() {
                    let p = (z[themes + k] - max).exp() / total;
                    d[themes + k] = (p - f64::from(u8::from(k == target))) / self.polarity_n;
                }
            });
            let columns = if polarity.is_some() { cols } else { themes };
            for (r, x) in features() {
                let g = &mut grad[r as usize * cols..(r as usize + 1) * cols];
                for c in 0..columns {
                    g[c] += x * d[c];
                }
            }
            if polarity.is_some() {
                for &(r, x) in &ex.polarity_rows {
                    let g = &mut grad[r as usize * cols..(r as usize + 1) * cols];
                    for c in themes..cols {
                        g[c] += f64::from(x) * d[c];
                    }
                }
            }
            for c in 0..columns {
                grad[bias_at + c] += d[c];
            }
        }
        for (i, w) in theta[..bias_at].iter().enumerate() {
            let l2 = if i % cols < themes {
                self.l2
            } else {
                self.polarity_l2
            };
            loss += 0.5 * l2 * w * w;
            grad[i] += l2 * w;
        }
        loss
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Limited-memory BFGS (10 pairs) with a backtracking Armijo line search, for at most
/// `iterations` steps or until the loss stops improving. Deterministic.
fn lbfgs(problem: &Problem<'_>, mut x: Vec<f64>, iterations: usize) -> Vec<f64> {
    const MEMORY: usize = 10;
    let dot = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(p, q)| p * q).sum::<f64>();
    let mut g = vec![0.0; x.len()];
    let mut f = problem.loss_and_gradient(&x, &mut g);
    let mut history: std::collections::VecDeque<(Vec<f64>, Vec<f64>, f64)> = Default::default();
    let mut x_new = vec![0.0; x.len()];
    let mut g_new = vec![0.0; x.len()];
    for _ in 0..iterations {
        // Two-loop recursion: direction = -H g.
        let mut q = g.clone();
        let mut alphas = Vec::with_capacity(history.len());
        for (s, y, rho) in history.iter().rev() {
            let a = rho * dot(s, &q);
            q.iter_mut().zip(y).for_each(|(qi, yi)| *qi -= a * yi);
            alphas.push(a);
        }
        let gamma = history
            .back()
            .map_or(1.0, |(s, y, _)| dot(s, y) / dot(y, y).max(1e-12));
        q.iter_mut().for_each(|v| *v *= gamma);
        for ((s, y, rho), a) in history.iter().zip(alphas.iter().rev()) {
            let b = rho * dot(y, &q);
            q.iter_mut().zip(s).for_each(|(qi, si)| *qi += (a - b) * si);
        }
        let direction: Vec<f64> = q.iter().map(|v| -v).collect();
        let mut slope = dot(&g, &direction);
        let direction = if slope >= 0.0 {
            // Not a descent direction: fall back to steepest descent and forget the history.
            history.clear();
            slope = -dot(&g, &g);
            g.iter().map(|v| -v).collect()
        } else {
            direction
        };
        let mut step = if history.is_empty() {
            1.0 / dot(&g, &g).sqrt().max(1e-12)
        } else {
            1.0
        };
        let mut accepted = false;
        for _ in 0..30 {
            x_new
                .iter_mut()
                .zip(&x)
                .zip(&direction)
                .for_each(|((n, xi), di)| *n = xi + step * di);
            let f_new = problem.loss_and_gradient(&x_new, &mut g_new);
            if f_new <= f + 1e-4 * step * slope {
                let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
                let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
                let sy = dot(&s, &y);
                if sy > 1e-12 {
                    if history.len() == MEMORY {
                        history.pop_front();
                    }
                    history.push_back((s, y, 1.0 / sy));
                }
                let improvement = f - f_new;
                std::mem::swap(&mut x, &mut x_new);
                std::mem::swap(&mut g, &mut g_new);
                f = f_new;
                accepted = improvement > 1e-10 * f.abs().max(1.0);
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            break;
        }
    }
    x
}
