//! The search collector: every matching passage is credited to its report, and each report
//! keeps its best `per_report` passages. Ranking reports from all hits (not from a global top
//! N, where one long report could crowd out every other) is what makes every report with a
//! match eligible to be shown.
//!
//! Ties are broken by report id and then by passage order, never by where a document happens
//! to sit in the index, so the same corpus gives the same answer however it was indexed.

use std::cmp::Ordering;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, Term};

use crate::index::{kind, SUMMARY_ID};

/// One report's share of the hits.
#[derive(Debug, Clone)]
pub struct ReportBucket {
    /// The report document.
    pub report: DocAddress,
    /// The report's id (for tie-breaks; empty when the index lacks it).
    pub id: String,
    /// How many of its passages matched.
    pub hits: u64,
    /// Its best passages, best first (score descending, then passage order).
    pub best: Vec<(Score, DocAddress)>,
}

impl ReportBucket {
    fn best_score(&self) -> Score {
        self.best.first().map_or(0.0, |(score, _)| *score)
    }
}

/// Orders reports best first: best passage score, then report id.
pub fn rank_reports(buckets: &mut [ReportBucket]) {
    buckets.sort_by(|a, b| {
        b.best_score()
            .total_cmp(&a.best_score())
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.report.cmp(&b.report))
    });
}

/// Collects matching passages into per-report buckets.
pub struct ReportCollector {
    kind: Field,
    per_report: usize,
}

impl ReportCollector {
    /// Keeps up to `per_report` passages per report (`usize::MAX`: all of them).
    pub fn new(kind: Field, per_report: usize) -> Self {
        ReportCollector {
            kind,
            per_report: per_report.max(1),
        }
    }
}

impl Collector for ReportCollector {
    type Fruit = Vec<ReportBucket>;
    type Child = SegmentReportCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentReportCollector> {
        // A report's passages come just before its report document (see
        // `Fields::passage_count`), so a passage belongs to the first report document at or
        // after it. Report documents are few: read their ids once per segment.
        let term = Term::from_field_text(self.kind, kind::REPORT);
        let mut reports = Vec::new();
        if let Some(mut postings) = reader
            .inverted_index(self.kind)?
            .read_postings(&term, IndexRecordOption::Basic)?
        {
            while postings.doc() != tantivy::TERMINATED {
                reports.push(postings.doc());
                postings.advance();
            }
        }
        Ok(SegmentReportCollector {
            segment,
            buckets: vec![Bucket::default(); reports.len()],
            reports,
            ids: reader.fast_fields().str(SUMMARY_ID)?,
            per_report: self.per_report,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<ReportBucket>>) -> tantivy::Result<Vec<ReportBucket>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

#[derive(Debug, Clone, Default)]
struct Bucket {
    hits: u64,
    best: Vec<(Score, DocId)>,
}

/// Best first: higher score, then earlier passage.
fn better(a: &(Score, DocId), b: &(Score, DocId)) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

impl Bucket {
    fn add(&mut self, score: Score, doc: DocId, keep: usize) {
        self.hits += 1;
        self.best.push((score, doc));
        // Trim in batches: sorting on every hit would make a long report quadratic.
        if self.best.len() >= keep.saturating_mul(2).max(64) {
            self.trim(keep);
        }
    }

    fn trim(&mut self, keep: usize) {
        self.best.sort_unstable_by(better);
        self.best.truncate(keep);
    }
}

/// One segment's buckets, one per report document of the segment.
pub struct SegmentReportCollector {
    segment: SegmentOrdinal,
    reports: Vec<DocId>,
    buckets: Vec<Bucket>,
    ids: Option<StrColumn>,
    per_report: usize,
}

impl SegmentCollector for SegmentReportCollector {
    type Fruit = Vec<ReportBucket>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let slot = self.reports.partition_point(|&r| r < doc);
        // A passage with no report document after it is skipped rather than shown under a
        // made-up report; a report document matching the query is not a passage.
        if slot == self.reports.len() || self.reports[slot] == doc {
            return;
        }
        self.buckets[slot].add(score, doc, self.per_report);
    }

    fn harvest(self) -> Vec<ReportBucket> {
        let segment = self.segment;
        let mut out = Vec::new();
        for (report, mut bucket) in self.reports.into_iter().zip(self.buckets) {
            if bucket.hits == 0 {
                continue;
            }
            bucket.trim(self.per_report);
            let mut id = String::new();
            if let Some(column) = &self.ids {
                if let Some(ord) = column.term_ords(report).next() {
                    // An unreadable id only weakens the tie-break; the report is still shown.
                    if column.ord_to_str(ord, &mut id).is_err() {
                        id.clear();
                    }
                }
            }
            out.push(ReportBucket {
                report: DocAddress::new(segment, report),
                id,
                hits: bucket.hits,
                best: bucket
                    .best
                    .into_iter()
                    .map(|(score, doc)| (score, DocAddress::new(segment, doc)))
                    .collect(),
            });
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_bucket_keeps_best_passages_in_passage_order_on_ties() {
        let mut bucket = Bucket::default();
        for doc in 0..200u32 {
            let score = if doc % 50 == 7 { 2.0 } else { 1.0 };
            bucket.add(score, doc, 5);
        }
        bucket.trim(5);
        assert_eq!(bucket.hits, 200);
        assert_eq!(
            bucket.best,
            vec![(2.0, 7), (2.0, 57), (2.0, 107), (2.0, 157), (1.0, 0)]
        );
    }

    #[test]
    fn test_reports_tie_break_by_id() {
        let bucket = |id: &str, doc: u32, score: Score| ReportBucket {
            report: DocAddress::new(0, doc),
            id: id.into(),
            hits: 1,
            best: vec![(score, DocAddress::new(0, doc))],
        };
        let mut buckets = vec![
            bucket("b", 1, 1.0),
            bucket("a", 2, 1.0),
            bucket("c", 3, 2.0),
        ];
        rank_reports(&mut buckets);
        let ids: Vec<&str> = buckets.iter().map(|b| b.id.as_str()).collect();
        assert_eq!(ids, ["c", "a", "b"]);
    }
}
