//! The sentences behind the analyst report's numbers: for every cell of a heatmap (a polarity,
//! a theme and a column such as a region or a year) and every pair of themes that come together
//! in a sentence, how many tagged sentences there are, in how many reports, and a bounded
//! selection of them to quote, with their section and page.
//!
//! One pass over the tagged passages of the reports compared ([`ThemisIndex::
//! for_each_tagged_passage`]) fills every cell at once. A cell keeps at most `limit` quotes so
//! the page stays readable and its size bounded however large the corpus: the first sentence
//! of each report before the second of any, newest reports first, so a cell of forty reports
//! shows forty reports rather than the newest report's every sentence.

use std::collections::{BTreeMap, BinaryHeap};

use crate::error::Result;
use crate::findings::recency_ranks;
use crate::index::{TaggedPassage, ThemisIndex};
use crate::stats::CountTable;
use crate::themes::{Polarity, Taxonomy};

/// A way of putting reports into columns: each report's column (`None`: in none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grouping {
    /// The column of each report of the table, by its position in [`CountTable::reports`].
    pub column_of: Vec<Option<usize>>,
}

/// Which cells to fill.
#[derive(Debug, Clone)]
pub struct EvidenceRequest {
    /// The groupings whose cells are filled (the heatmap's columns; regions for findings).
    pub groupings: Vec<Grouping>,
    /// The polarities that have cells.
    pub polarities: Vec<Polarity>,
    /// Whether pairs of themes in one sentence (of any polarity) are filled too.
    pub pairs: bool,
    /// Most sentences quoted per cell.
    pub limit: usize,
}

/// Where a cell is: grouping, polarity, theme number and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellKey {
    /// Index into [`EvidenceRequest::groupings`].
    pub grouping: usize,
    /// Polarity of the sentences.
    pub polarity: Polarity,
    /// Theme number (taxonomy order).
    pub theme: usize,
    /// Column in the grouping.
    pub column: usize,
}

/// A quoted sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Its report, by position in [`CountTable::reports`].
    pub report: usize,
    /// The sentence.
    pub text: String,
    /// Its section's title.
    pub section: Option<String>,
    /// The page it starts on (PDF reports).
    pub page: Option<u64>,
    /// Byte offset in the source file (or extracted text).
    pub start: usize,
    /// Its polarity.
    pub polarity: Polarity,
}

/// How a quote ranks, lower first: its place among the cell's sentences of its report, its
/// report's recency rank, its offset.
type Rank = (u32, usize, usize);

/// The sentences of one cell.
#[derive(Debug, Clone, Default)]
pub struct Bucket {
    /// Tagged sentences in the cell.
    pub sentences: u64,
    /// Reports they are in.
    pub reports: u64,
    /// The quotes kept, newest report first, then in document order (after [`finish`]).
    pub quotes: Vec<Quote>,
    kept: BinaryHeap<Ranked>,
    last_report: Option<usize>,
    in_report: u32,
}

/// A quote with its rank, ordered by rank so the heap's top is the worst kept.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Ranked(Rank, Quote);

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.cmp(&other.0)
    }
}

impl Bucket {
    /// Counts a sentence of `report`, keeping it (made by `quote`) if it ranks among the best
    /// `limit`. A report's passages come together, so its sentences are counted in a row.
    fn offer(
        &mut self,
        report: usize,
        recency: usize,
        start: usize,
        limit: usize,
        quote: impl FnOnce() -> Quote,
    ) {
        self.sentences += 1;
        if self.last_report != Some(report) {
            self.last_report = Some(report);
            self.reports += 1;
            self.in_report = 0;
        }
        let rank = (self.in_report, recency, start);
        self.in_report += 1;
        if limit == 0 {
            return;
        }
        if self.kept.len() < limit {
            self.kept.push(Ranked(rank, quote()));
        } else if self.kept.peek().is_some_and(|worst| rank < worst.0) {
            self.kept.pop();
            self.kept.push(Ranked(rank, quote()));
        }
    }

    /// Moves the kept quotes into [`Bucket::quotes`]: newest report first, document order.
    fn finish(&mut self, ranks: &[usize]) {
        let mut quotes: Vec<Quote> = std::mem::take(&mut self.kept)
            .into_iter()
            .map(|Ranked(_, q)| q)
            .collect();
        quotes.sort_by_key(|q| (ranks[q.report], q.start));
        self.quotes = quotes;
    }

    /// Sentences not quoted.
    pub fn more(&self) -> u64 {
        self.sentences.saturating_sub(self.quotes.len() as u64)
    }
}

/// Every cell's sentences.
#[derive(Debug, Clone, Default)]
pub struct EvidenceSet {
    /// Most sentences quoted per cell.
    pub limit: usize,
    /// The cells with at least one sentence.
    pub cells: BTreeMap<CellKey, Bucket>,
    /// Pairs of theme numbers (the smaller first) with a sentence tagged with both.
    pub pairs: BTreeMap<(usize, usize), Bucket>,
}

impl EvidenceSet {
    /// Reads the tagged passages of the reports of `table` once and fills the cells.
    pub fn collect(
        index: &ThemisIndex,
        table: &CountTable,
        taxonomy: &Taxonomy,
        request: &EvidenceRequest,
    ) -> Result<EvidenceSet> {
        let report_of: BTreeMap<&str, usize> = table
            .reports
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        let ranks = recency_ranks(table);
        let limit = request.limit;
        let mut set = EvidenceSet {
            limit,
            ..EvidenceSet::default()
        };
        let searcher = index.reader()?.searcher();
        let theme_ids: Vec<String> = taxonomy.themes.iter().map(|t| t.id.clone()).collect();
        let wanted = |id: &str| report_of.contains_key(id);
        index.for_each_tagged_passage(&searcher, &theme_ids, wanted, |passage| {
            let Some(&report) = report_of.get(passage.report.as_str()) else {
                return;
            };
            let recency = ranks[report];
            for sentence in &passage.sentences {
                let mut themes: Vec<usize> = sentence
                    .3
                    .iter()
                    .filter_map(|t| taxonomy.position(t))
                    .collect();
                themes.sort_unstable();
                themes.dedup();
                let quote = || quote_of(&passage, sentence, report);
                if request.polarities.contains(&sentence.2) {
                    for (grouping, g) in request.groups_of(report) {
                        for &theme in &themes {
                            let key = CellKey {
                                grouping,
                                polarity: sentence.2,
                                theme,
                                column: g,
                            };
                            set.cells
                                .entry(key)
                                .or_default()
                                .offer(report, recency, sentence.0, limit, quote);
                        }
                    }
                }
                if request.pairs {
                    for (i, &a) in themes.iter().enumerate() {
                        for &b in &themes[i + 1..] {
                            set.pairs
                                .entry((a, b))
                                .or_default()
                                .offer(report, recency, sentence.0, limit, quote);
                        }
                    }
                }
            }
        })?;
        for bucket in set.cells.values_mut().chain(set.pairs.values_mut()) {
            bucket.finish(&ranks);
        }
        Ok(set)
    }

    /// The cell at `key`, if it has sentences.
    pub fn cell(&self, key: &CellKey) -> Option<&Bucket> {
        self.cells.get(key)
    }

    /// The pair of theme numbers `a` and `b` (either order), if they come together.
    pub fn pair(&self, a: usize, b: usize) -> Option<&Bucket> {
        self.pairs.get(&(a.min(b), a.max(b)))
    }
}

impl EvidenceRequest {
    /// The (grouping, column) pairs a report falls in.
    fn groups_of(&self, report: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.groupings
            .iter()
            .enumerate()
            .filter_map(move |(i, g)| Some((i, g.column_of.get(report).copied().flatten()?)))
    }
}

fn quote_of(
    passage: &TaggedPassage,
    sentence: &crate::index::StoredSentence,
    report: usize,
) -> Quote {
    Quote {
        report,
        text: passage
            .sentence_text(sentence)
            .unwrap_or_default()
            .to_string(),
        section: passage.section.clone(),
        page: passage.sentence_page(sentence),
        start: sentence.0,
        polarity: sentence.2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(report: usize, start: usize) -> Quote {
        Quote {
            report,
            text: format!("r{report} s{start}"),
            section: None,
            page: None,
            start,
            polarity: Polarity::Concern,
        }
    }

    /// Of a cell's sentences, the first of each report are quoted before any report's second,
    /// newest report first; everything is counted.
    #[test]
    fn test_a_bucket_quotes_across_reports_before_deepening_one() {
        // Reports 0 (oldest) .. 2 (newest): recency ranks 2, 1, 0.
        let ranks = [2, 1, 0];
        let mut bucket = Bucket::default();
        for (report, &rank) in ranks.iter().enumerate() {
            for start in 0..4 {
                let q = quote(report, start * 10);
                bucket.offer(report, rank, start * 10, 4, || q);
            }
        }
        bucket.finish(&ranks);
        assert_eq!(
            (bucket.sentences, bucket.reports, bucket.more()),
            (12, 3, 8)
        );
        let shown: Vec<(usize, usize)> =
            bucket.quotes.iter().map(|q| (q.report, q.start)).collect();
        // One of each report, and the newest report's second sentence.
        assert_eq!(shown, [(2, 0), (2, 10), (1, 0), (0, 0)]);
    }

    #[test]
    fn test_a_limit_of_zero_counts_and_quotes_nothing() {
        let mut bucket = Bucket::default();
        bucket.offer(0, 0, 0, 0, || quote(0, 0));
        bucket.finish(&[0]);
        assert_eq!((bucket.sentences, bucket.quotes.len()), (1, 0));
    }
}
