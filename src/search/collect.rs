//! The search collector: every matching passage is credited to its report, and each report
//! keeps its best `per_report` passages. Ranking reports from all hits (not from a global top
//! N, where one long report could crowd out every other) is what makes every report with a
//! match eligible to be shown.
//!
//! Ties are broken by report id and then by passage order, never by where a document happens
//! to sit in the index, so the same corpus gives the same answer however it was indexed.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

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
    /// The ordinal of the report's id in its segment's id dictionary: ids in one segment sort
    /// as their ordinals do (`u64::MAX` when the index lacks it).
    pub id_ord: u64,
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

/// Orders the first `shown` reports best first: best passage score, then report id; the order
/// of the rest is left as it falls. `id_of` reads a report's id; it is asked only where equal
/// scores span segments at a place that is shown (a dictionary lookup each, so a query that
/// matches thousands of reports does not read thousands of ids).
pub fn rank_reports(
    buckets: &mut [ReportBucket],
    shown: usize,
    mut id_of: impl FnMut(&ReportBucket) -> String,
) {
    // Within a segment, id order is ordinal order.
    buckets.sort_unstable_by(|a, b| {
        b.best_score()
            .total_cmp(&a.best_score())
            .then(a.report.segment_ord.cmp(&b.report.segment_ord))
            .then(a.id_ord.cmp(&b.id_ord))
            .then(a.report.doc_id.cmp(&b.report.doc_id))
    });
    let mut start = 0;
    while start < buckets.len() && start < shown {
        let score = buckets[start].best_score();
        let end = start
            + buckets[start..]
                .iter()
                .take_while(|b| b.best_score().total_cmp(&score).is_eq())
                .count();
        let group = &mut buckets[start..end];
        let first_segment = group[0].report.segment_ord;
        if group.iter().any(|b| b.report.segment_ord != first_segment) {
            // Only each segment's first `need` (by id) can be among the shown ones.
            let need = shown - start;
            let mut taken: HashMap<u32, usize> = HashMap::new();
            let mut candidates: Vec<(String, usize)> = Vec::new();
            for (i, bucket) in group.iter().enumerate() {
                let count = taken.entry(bucket.report.segment_ord).or_default();
                if *count < need {
                    *count += 1;
                    candidates.push((id_of(bucket), i));
                }
            }
            candidates.sort();
            let mut order: Vec<usize> = candidates.iter().map(|(_, i)| *i).collect();
            let chosen: HashSet<usize> = order.iter().copied().collect();
            order.extend((0..group.len()).filter(|i| !chosen.contains(i)));
            let reordered: Vec<ReportBucket> = order.iter().map(|&i| group[i].clone()).collect();
            group.clone_from_slice(&reordered);
        }
        start = end;
    }
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
            let id_ord = self
                .ids
                .as_ref()
                .and_then(|column| column.term_ords(report).next())
                .unwrap_or(u64::MAX);
            out.push(ReportBucket {
                report: DocAddress::new(segment, report),
                id_ord,
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
    fn test_reports_tie_break_by_id_across_segments() {
        // (segment, ord in that segment's dictionary, id, score)
        let reports = [
            (0, 1, "d", 1.0),
            (0, 0, "b", 1.0),
            (1, 0, "a", 1.0),
            (1, 1, "c", 1.0),
            (1, 2, "e", 2.0),
        ];
        let ids: HashMap<(u32, u64), &str> =
            reports.iter().map(|&(s, o, id, _)| ((s, o), id)).collect();
        let mut buckets: Vec<ReportBucket> = reports
            .iter()
            .enumerate()
            .map(|(doc, &(segment, ord, _, score))| ReportBucket {
                report: DocAddress::new(segment, doc as u32),
                id_ord: ord,
                hits: 1,
                best: vec![(score, DocAddress::new(segment, doc as u32))],
            })
            .collect();
        let mut asked = 0;
        rank_reports(&mut buckets, 3, |b| {
            asked += 1;
            ids[&(b.report.segment_ord, b.id_ord)].to_string()
        });
        let order: Vec<&str> = buckets[..3]
            .iter()
            .map(|b| ids[&(b.report.segment_ord, b.id_ord)])
            .collect();
        assert_eq!(order, ["e", "a", "b"]);
        // Two places are shown after "e": each segment's first two by id, not all four.
        assert_eq!(asked, 4);
    }
}
