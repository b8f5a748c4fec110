//! Matching a query's title words against report titles instead of passage text.
//!
//! A report's title is a default search field ("vetting manchester" finds Manchester reports'
//! passages about vetting), but it is indexed once, on the report document, not on each of the
//! report's passages. [`route_title_leaves`] wraps every part of a parsed query that only
//! looks at the title in a [`ReportTitleQuery`], which matches the passages of the reports whose
//! title matches. That works because a report's passages are the documents just before its
//! report document, in the same segment, and the report document counts them
//! ([`crate::index::Fields::passage_count`]).

use std::collections::BTreeSet;

use tantivy::query::{
    BooleanQuery, EmptyScorer, EnableScoring, Explanation, Query, Scorer, Weight,
};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};

use crate::index::PASSAGE_COUNT;

/// Rewrites `query` so that each clause whose terms are all in `title` matches passages through
/// their report's title. Boolean clauses are rebuilt from their parts.
pub fn route_title_leaves(query: Box<dyn Query>, title: Field) -> Box<dyn Query> {
    if let Some(boolean) = query.downcast_ref::<BooleanQuery>() {
        let clauses = boolean
            .clauses()
            .iter()
            .map(|(occur, clause)| (*occur, route_title_leaves(clause.box_clone(), title)))
            .collect();
        let mut rebuilt = BooleanQuery::new(clauses);
        rebuilt.set_minimum_number_should_match(boolean.get_minimum_number_should_match());
        return Box::new(rebuilt);
    }
    let mut fields = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        fields.insert(term.field());
    });
    if !fields.contains(&title) {
        query
    } else if fields.len() == 1 {
        Box::new(ReportTitleQuery { inner: query })
    } else {
        // A clause tantivy does not let us open (a boosted group, `(manchester staff)^2`) that
        // mixes fields: it matches passages through their text, or through their report's
        // title. Words split between text and title inside one such group are not matched.
        let through_title = Box::new(ReportTitleQuery {
            inner: query.box_clone(),
        });
        Box::new(BooleanQuery::union(vec![query, through_title]))
    }
}

/// Matches the passages of the reports that `inner` (a query on report titles) matches, each
/// scored as its report document was.
#[derive(Debug)]
pub struct ReportTitleQuery {
    inner: Box<dyn Query>,
}

impl Clone for ReportTitleQuery {
    fn clone(&self) -> Self {
        ReportTitleQuery {
            inner: self.inner.box_clone(),
        }
    }
}

impl Query for ReportTitleQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ReportTitleWeight {
            inner: self.inner.weight(enable_scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a tantivy::Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct ReportTitleWeight {
    inner: Box<dyn Weight>,
}

impl Weight for ReportTitleWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let reports = self.inner.scorer(reader, boost)?;
        let passage_counts = reader.fast_fields().u64(PASSAGE_COUNT)?;
        let mut scorer = PassagesOfReports {
            reports,
            passage_counts,
            doc: 0,
            end: 0,
        };
        scorer.enter_report();
        if scorer.doc == TERMINATED {
            // tantivy drops empty clauses from a union, and a union left with only term
            // scorers runs on its fast path: most query words are in no title.
            return Ok(Box::new(EmptyScorer));
        }
        Ok(Box::new(scorer))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} is not a passage of a report whose title matches"
            )));
        }
        Ok(Explanation::new(
            "passage of a report whose title matches",
            scorer.score(),
        ))
    }
}

/// The passages `[end - n, end)` of each report document `end` that `reports` yields, where n is
/// its passage count.
struct PassagesOfReports {
    reports: Box<dyn Scorer>,
    passage_counts: tantivy::columnar::Column<u64>,
    /// Current passage, or [`TERMINATED`].
    doc: DocId,
    /// The current report document: one past its last passage.
    end: DocId,
}

impl PassagesOfReports {
    /// Moves to the first passage of the report `reports` is on, or of the next report that has
    /// passages.
    fn enter_report(&mut self) {
        loop {
            let report = self.reports.doc();
            if report == TERMINATED {
                self.doc = TERMINATED;
                self.end = TERMINATED;
                return;
            }
            let passages = self
                .passage_counts
                .first(report)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(0)
                .min(report);
            if passages > 0 {
                self.doc = report - passages;
                self.end = report;
                return;
            }
            self.reports.advance();
        }
    }
}

impl DocSet for PassagesOfReports {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.doc += 1;
        if self.doc >= self.end {
            self.reports.advance();
            self.enter_report();
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        if target >= TERMINATED {
            self.doc = TERMINATED;
            self.end = TERMINATED;
            return TERMINATED;
        }
        if target < self.end {
            self.doc = target;
            return target;
        }
        // The report whose passages hold `target` is the first report document after it.
        self.reports.seek(target + 1);
        self.enter_report();
        if self.doc != TERMINATED && self.doc < target {
            self.doc = target;
        }
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        // Reports run to dozens of passages; the hint only orders intersections.
        self.reports.size_hint().saturating_mul(32)
    }
}

impl Scorer for PassagesOfReports {
    fn score(&mut self) -> Score {
        self.reports.score()
    }
}
