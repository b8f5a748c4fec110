//! `themis cooccur`: which themes come together, within one sentence, one passage or one
//! report, how often, and how much more often than chance.
//!
//! For each pair of themes: the units (sentences, passages or reports) tagged with both, the
//! units tagged with each, the reports where they come together, and two measures of how far
//! the pair is from independence over all units of the reports compared (tagged or not):
//! **lift** = P(A and B) / (P(A) P(B)) (1 is chance, 3 is three times as often) and **NPMI**,
//! the pointwise mutual information normalised to -1..1 (1: they only ever come together).
//! Example sentences are sentences tagged with both themes, newest report first, one a report:
//! of each report the one about the pair alone rather than more themes, of readable length.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Result;
use crate::findings::{recency_ranks, Evidence};
use crate::index::{ReportSummary, TaggedPassage, ThemisIndex};
use crate::render::{Column, Overflow, Table, TableFormat};
use crate::stats::{CountTable, PolarityFilter};
use crate::themes::Taxonomy;
use crate::views::{format_number, ReportFilter};

/// What a pair must come together in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Within {
    /// One sentence tagged with both.
    #[default]
    Sentence,
    /// One passage (a window of sentences, what search quotes).
    Passage,
    /// One report.
    Report,
}

impl Within {
    /// The unit's name, singular.
    pub fn unit(self) -> &'static str {
        match self {
            Within::Sentence => "sentence",
            Within::Passage => "passage",
            Within::Report => "report",
        }
    }
}

/// What to compute.
#[derive(Debug, Clone, Default)]
pub struct CooccurRequest {
    /// The unit a pair must come together in.
    pub within: Within,
    /// Which reports are read.
    pub reports: ReportFilter,
    /// Only pairs with this theme (its partners).
    pub theme: Option<String>,
    /// Which sentences count.
    pub polarity: PolarityFilter,
    /// Pairs seen in fewer units are left out.
    pub min_count: u64,
    /// Most pairs listed (0: all).
    pub limit: usize,
    /// Example sentences per pair.
    pub examples: usize,
}

/// Theme pairs and how often they come together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CooccurReport {
    /// The unit counted.
    pub within: Within,
    /// Which sentences counted.
    pub polarity: String,
    /// The theme whose partners are listed, when asked.
    pub theme: Option<String>,
    /// Reports compared.
    pub reports: u64,
    /// Units (sentences, passages or reports) of those reports, tagged or not: the base of
    /// lift and NPMI.
    pub units: u64,
    /// Pairs seen in at least `min_count` units (before `limit`).
    pub pair_count: usize,
    /// Fewest units a pair must come together in to be listed.
    pub min_count: u64,
    /// The pairs, most frequent first.
    pub pairs: Vec<Pair>,
}

/// Two themes that come together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pair {
    /// First theme id (taxonomy order).
    pub a: String,
    /// Its label.
    pub a_label: String,
    /// Second theme id.
    pub b: String,
    /// Its label.
    pub b_label: String,
    /// Units tagged with both.
    pub count: u64,
    /// Units tagged with `a`.
    pub count_a: u64,
    /// Units tagged with `b`.
    pub count_b: u64,
    /// Reports in which they come together.
    pub reports: u64,
    /// P(a and b) / (P(a) P(b)).
    pub lift: f64,
    /// Normalised pointwise mutual information, -1..1.
    pub npmi: f64,
    /// Sentences tagged with both, newest report first, one a report.
    pub examples: Vec<Evidence>,
}

/// Counts of one pair while scanning.
#[derive(Debug, Clone, Default)]
struct Tally {
    count: u64,
    reports: u64,
    last_report: Option<usize>,
    /// (how it ranks, example), best first, one a report.
    examples: Vec<(ExampleRank, Evidence)>,
}

/// Computes the co-occurring pairs of the index's tagged sentences for `request`.
pub fn cooccur(
    index: &ThemisIndex,
    table: &CountTable,
    taxonomy: &Taxonomy,
    request: &CooccurRequest,
) -> Result<CooccurReport> {
    let themes = taxonomy.themes.len();
    let admitted: Vec<bool> = table
        .reports
        .iter()
        .map(|r| request.reports.admits_summary(r))
        .collect();
    let report_of: BTreeMap<&str, usize> = table
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let ranks = recency_ranks(table);
    let mut tallies = vec![Tally::default(); themes * themes];
    let mut marginals = vec![0u64; themes];
    let searcher = index.reader()?.searcher();

    // Units and marginals: from the per-report counts for sentences and reports, from the
    // passages themselves for passages.
    let units: u64 = match request.within {
        Within::Sentence => {
            for cell in table.cells.iter().filter(|c| admitted[c.report]) {
                marginals[cell.theme] += cell.count(request.polarity);
            }
            table
                .reports
                .iter()
                .zip(&admitted)
                .filter(|(_, a)| **a)
                .map(|(r, _)| r.sentences)
                .sum()
        }
        Within::Passage => {
            let counts = index.passage_counts(&searcher)?;
            table
                .reports
                .iter()
                .zip(&admitted)
                .filter(|(_, a)| **a)
                .map(|(r, _)| counts.get(&r.id).copied().unwrap_or(0))
                .sum()
        }
        Within::Report => {
            let mut per_report: Vec<Vec<usize>> = vec![Vec::new(); table.reports.len()];
            for cell in table.cells.iter().filter(|c| admitted[c.report]) {
                if cell.count(request.polarity) > 0 {
                    per_report[cell.report].push(cell.theme);
                }
            }
            for (report, present) in per_report.iter().enumerate() {
                for &t in present {
                    marginals[t] += 1;
                }
                count_pairs(&mut tallies, themes, present, report);
            }
            admitted.iter().filter(|a| **a).count() as u64
        }
    };

    let theme_ids: Vec<String> = taxonomy.themes.iter().map(|t| t.id.clone()).collect();
    let wanted = |id: &str| report_of.get(id).is_some_and(|&r| admitted[r]);
    index.for_each_tagged_passage(&searcher, &theme_ids, wanted, |passage| {
        let Some(&report) = report_of.get(passage.report.as_str()) else {
            return;
        };
        let mut in_passage: BTreeSet<usize> = BTreeSet::new();
        for sentence in &passage.sentences {
            if !request.polarity.admits(sentence.2) {
                continue;
            }
            let present: Vec<usize> = sentence
                .3
                .iter()
                .filter_map(|t| taxonomy.position(t))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            in_passage.extend(&present);
            if request.within == Within::Sentence {
                count_pairs(&mut tallies, themes, &present, report);
            }
            if request.examples > 0 && present.len() >= 2 {
                keep_examples(&mut tallies, themes, &present, request.examples, || {
                    example(&passage, sentence, &table.reports[report], ranks[report])
                });
            }
        }
        if request.within == Within::Passage {
            let present: Vec<usize> = in_passage.into_iter().collect();
            for &t in &present {
                marginals[t] += 1;
            }
            count_pairs(&mut tallies, themes, &present, report);
        }
    })?;

    let focus = request.theme.as_deref().and_then(|t| taxonomy.position(t));
    let mut pairs = Vec::new();
    for a in 0..themes {
        for b in a + 1..themes {
            let tally = &tallies[a * themes + b];
            if tally.count == 0 || tally.count < request.min_count.max(1) {
                continue;
            }
            if focus.is_some_and(|f| f != a && f != b) {
                continue;
            }
            let (lift, npmi) = association(tally.count, marginals[a], marginals[b], units);
            pairs.push(Pair {
                a: theme_ids[a].clone(),
                a_label: taxonomy.themes[a].label.clone(),
                b: theme_ids[b].clone(),
                b_label: taxonomy.themes[b].label.clone(),
                count: tally.count,
                count_a: marginals[a],
                count_b: marginals[b],
                reports: tally.reports,
                lift,
                npmi,
                examples: tally.examples.iter().map(|(_, e)| e.clone()).collect(),
            });
        }
    }
    pairs.sort_by(|x, y| {
        y.count
            .cmp(&x.count)
            .then(y.lift.total_cmp(&x.lift))
            .then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    let pair_count = pairs.len();
    if request.limit > 0 {
        pairs.truncate(request.limit);
    }
    Ok(CooccurReport {
        within: request.within,
        polarity: request.polarity.name(),
        theme: request.theme.clone(),
        reports: admitted.iter().filter(|a| **a).count() as u64,
        units,
        pair_count,
        min_count: request.min_count.max(1),
        pairs,
    })
}

/// Lift and NPMI of a pair seen together in `both` of `units` units, `a` and `b` times apart.
pub fn association(both: u64, a: u64, b: u64, units: u64) -> (f64, f64) {
    if both == 0 || a == 0 || b == 0 || units == 0 {
        return (0.0, -1.0);
    }
    let n = units as f64;
    let (p_ab, p_a, p_b) = (both as f64 / n, a as f64 / n, b as f64 / n);
    let lift = p_ab / (p_a * p_b);
    let npmi = if p_ab >= 1.0 {
        1.0
    } else {
        lift.ln() / -p_ab.ln()
    };
    (round(lift), round(npmi))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Counts every pair of `present` (sorted theme numbers) once for `report`.
fn count_pairs(tallies: &mut [Tally], themes: usize, present: &[usize], report: usize) {
    for (i, &a) in present.iter().enumerate() {
        for &b in &present[i + 1..] {
            let tally = &mut tallies[a * themes + b];
            tally.count += 1;
            if tally.last_report != Some(report) {
                tally.last_report = Some(report);
                tally.reports += 1;
            }
        }
    }
}

/// How an example ranks, lower first: its report's recency rank, then (within a report) the
/// themes it carries besides the pair, its distance from a readable length (25 words), and its
/// place in the report.
type ExampleRank = (usize, usize, usize, usize);

/// Offers a sentence tagged with every theme of `present` as an example of each of its pairs:
/// one a report, the best of each report, the newest reports first.
fn keep_examples(
    tallies: &mut [Tally],
    themes: usize,
    present: &[usize],
    limit: usize,
    make: impl Fn() -> Option<(ExampleRank, Evidence)>,
) {
    for (i, &a) in present.iter().enumerate() {
        for &b in &present[i + 1..] {
            let kept = &mut tallies[a * themes + b].examples;
            let Some((rank, evidence)) = make() else {
                return;
            };
            if let Some(same) = kept.iter().position(|(_, e)| e.report == evidence.report) {
                if rank >= kept[same].0 {
                    continue;
                }
                kept.remove(same);
            }
            let at = kept.partition_point(|(r, _)| *r < rank);
            if at < limit {
                kept.insert(at, (rank, evidence));
                kept.truncate(limit);
            }
        }
    }
}

fn example(
    passage: &TaggedPassage,
    sentence: &crate::index::StoredSentence,
    report: &ReportSummary,
    recency: usize,
) -> Option<(ExampleRank, Evidence)> {
    let text = passage.sentence_text(sentence)?;
    let words = text.split_whitespace().count();
    Some((
        (recency, sentence.3.len(), words.abs_diff(25), sentence.0),
        Evidence {
            report: report.id.clone(),
            title: report.title.clone(),
            year: report.year,
            section: passage.section.clone(),
            start: sentence.0,
            end: sentence.1,
            text: text.to_string(),
            polarity: sentence.2,
        },
    ))
}

impl CooccurReport {
    /// Whether no pair was found.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// The heading line: what was counted, over what.
    pub fn heading(&self) -> String {
        let unit = self.within.unit();
        let units = format!(
            "{} {}",
            self.units,
            plural(self.units, unit, &format!("{unit}s"))
        );
        let over = match self.within {
            Within::Report => units,
            _ => format!(
                "{units} of {} {}",
                self.reports,
                plural(self.reports, "report", "reports")
            ),
        };
        format!(
            "Themes together in one {unit} (polarity: {}): {} {} in {over}{}",
            self.polarity,
            self.pair_count,
            plural(self.pair_count as u64, "pair", "pairs"),
            match self.pair_count {
                n if n > self.pairs.len() => format!("; showing {}", self.pairs.len()),
                _ => String::new(),
            }
        )
    }

    /// The pairs as a table: one row a pair, with its first example (Markdown and CSV).
    pub fn table(&self, format: TableFormat) -> Table {
        let csv = format == TableFormat::Csv;
        let unit = self.within.unit();
        let mut columns = Vec::new();
        if csv {
            for name in ["theme_a", "label_a", "theme_b", "label_b"] {
                columns.push(Column::left(name));
            }
            for name in ["count", "count_a", "count_b", "reports", "lift", "npmi"] {
                columns.push(Column::right(name));
            }
            for name in ["example_report", "example_year", "example"] {
                columns.push(Column::left(name));
            }
        } else {
            columns.push(Column::left("Theme").max_width(40, Overflow::Wrap));
            columns.push(Column::left("Theme").max_width(40, Overflow::Wrap));
            columns.push(Column::right(format!("{}s", capitalised(unit))));
            if self.within != Within::Report {
                columns.push(Column::right("Reports"));
            }
            columns.push(Column::right("Lift"));
            columns.push(Column::left("Example").max_width(80, Overflow::Wrap));
        }
        let mut table = Table::new(columns);
        for pair in &self.pairs {
            let example = pair.examples.first();
            let year = example
                .and_then(|e| e.year)
                .map_or(String::new(), |y| y.to_string());
            if csv {
                table.push_row([
                    pair.a.clone(),
                    pair.a_label.clone(),
                    pair.b.clone(),
                    pair.b_label.clone(),
                    pair.count.to_string(),
                    pair.count_a.to_string(),
                    pair.count_b.to_string(),
                    pair.reports.to_string(),
                    format_number(pair.lift),
                    format_number(pair.npmi),
                    example.map_or(String::new(), |e| e.report.clone()),
                    year,
                    example.map_or(String::new(), |e| e.text.clone()),
                ]);
            } else {
                let mut row = vec![
                    pair.a_label.clone(),
                    pair.b_label.clone(),
                    pair.count.to_string(),
                ];
                if self.within != Within::Report {
                    row.push(pair.reports.to_string());
                }
                row.push(format_number(pair.lift));
                row.push(example.map_or(String::new(), |e| {
                    format!("{} ({}): “{}”", e.report, year, e.text)
                }));
                table.push_row(row);
            }
        }
        table
    }
}

fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_association_is_one_for_independent_themes_and_high_for_inseparable_ones() {
        // 100 units, A in 20, B in 50, together in 10: exactly chance.
        let (lift, npmi) = association(10, 20, 50, 100);
        assert_eq!(lift, 1.0);
        assert!(npmi.abs() < 1e-9, "{npmi}");
        // Always together: lift = 1 / P, NPMI = 1.
        let (lift, npmi) = association(5, 5, 5, 100);
        assert_eq!(lift, 20.0);
        assert_eq!(npmi, 1.0);
        // Less often than chance: lift below 1, negative NPMI.
        let (lift, npmi) = association(1, 50, 50, 100);
        assert!(lift < 1.0 && npmi < 0.0, "{lift} {npmi}");
        assert_eq!(association(0, 5, 5, 100), (0.0, -1.0));
    }

    #[test]
    fn test_pairs_count_once_per_unit_and_reports_once_per_report() {
        let mut tallies = vec![Tally::default(); 9];
        count_pairs(&mut tallies, 3, &[0, 1, 2], 7);
        count_pairs(&mut tallies, 3, &[0, 1], 7);
        count_pairs(&mut tallies, 3, &[0, 1], 8);
        assert_eq!(tallies[1].count, 3);
        assert_eq!(tallies[1].reports, 2);
        assert_eq!(tallies[2].count, 1);
        assert_eq!(tallies[5].count, 1);
        assert_eq!(tallies[3].count, 0, "only a < b is counted");
    }
}
