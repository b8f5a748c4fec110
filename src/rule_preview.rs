//! `themis rule test`: what a rule would tag, previewed over every indexed sentence before it
//! goes into a taxonomy: how many sentences and reports it matches, which themes those
//! sentences already carry (the overlap with the taxonomy), and a sample.
//!
//! The sentences are the index's own (each passage cut as the report was cut, see
//! `index::spans`), matched with the taxonomy's analysis chain and negation settings, so a
//! preview says what `themis index` would tag with the rule.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::analysis;
use crate::corpus::ReportType;
use crate::error::Result;
use crate::export::{self, Unit};
use crate::index::ThemisIndex;
use crate::themes::rules::Rule;
use crate::themes::Tagger;
use crate::views::ReportFilter;

/// Which sentences to try.
#[derive(Debug, Clone, Default)]
pub struct PreviewRequest {
    /// Which reports are read.
    pub reports: ReportFilter,
    /// Sentences quoted.
    pub sample: usize,
}

/// A matched sentence quoted in the preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    /// Report id.
    pub report: String,
    /// Report year.
    pub year: Option<i32>,
    /// Section title.
    pub section: Option<String>,
    /// The sentence.
    pub text: String,
    /// The themes it carries now.
    pub themes: Vec<String>,
}

/// What a rule would tag.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RulePreview {
    /// The rule as given.
    pub rule: String,
    /// Sentences tried.
    pub sentences: u64,
    /// Reports tried.
    pub reports: u64,
    /// Sentences it matches.
    pub matched_sentences: u64,
    /// Reports with a sentence it matches.
    pub matched_reports: u64,
    /// Of the matched sentences, those without a theme now.
    pub untagged: u64,
    /// Themes the matched sentences carry now, with how many of them, most first.
    pub overlap: Vec<(String, u64)>,
    /// Matched sentences, one a report first, newest reports first.
    pub sample: Vec<Match>,
}

/// Tries `rule` on every indexed sentence that passes `request`'s filters.
pub fn preview(
    index: &ThemisIndex,
    tagger: &Tagger,
    rule_text: &str,
    rule: &Rule,
    request: &PreviewRequest,
) -> Result<RulePreview> {
    let mut out = RulePreview {
        rule: rule_text.to_string(),
        sentences: 0,
        reports: 0,
        matched_sentences: 0,
        matched_reports: 0,
        untagged: 0,
        overlap: Vec::new(),
        sample: Vec::new(),
    };
    let mut tokens = Vec::new();
    let mut reports: BTreeSet<String> = BTreeSet::new();
    let mut matched_reports: BTreeSet<String> = BTreeSet::new();
    let mut overlap: BTreeMap<String, u64> = BTreeMap::new();
    // Candidates for the sample: the first few matches of each report.
    let mut candidates: Vec<(usize, Match)> = Vec::new();
    let mut per_report: BTreeMap<String, usize> = BTreeMap::new();
    export::for_each_document(index, Unit::Sentence, &mut |_| {}, &mut |doc| {
        let report_type = ReportType::parse(doc.report_type).unwrap_or_default();
        if !request.reports.admits(doc.region, report_type, doc.year) {
            return Ok(());
        }
        out.sentences += 1;
        if !reports.contains(doc.report) {
            reports.insert(doc.report.to_string());
        }
        analysis::analyze_into(doc.text, &mut tokens);
        if !tagger.rule_matches(rule, doc.text, &tokens) {
            return Ok(());
        }
        out.matched_sentences += 1;
        if !matched_reports.contains(doc.report) {
            matched_reports.insert(doc.report.to_string());
        }
        if doc.themes.is_empty() {
            out.untagged += 1;
        }
        for theme in doc.themes {
            *overlap.entry(theme.clone()).or_default() += 1;
        }
        let seen = per_report.entry(doc.report.to_string()).or_default();
        if *seen < request.sample {
            candidates.push((
                *seen,
                Match {
                    report: doc.report.to_string(),
                    year: doc.year,
                    section: doc.section.map(String::from),
                    text: doc.text.to_string(),
                    themes: doc.themes.to_vec(),
                },
            ));
            *seen += 1;
        }
        Ok(())
    })?;
    out.reports = reports.len() as u64;
    out.matched_reports = matched_reports.len() as u64;
    let mut overlap: Vec<(String, u64)> = overlap.into_iter().collect();
    overlap.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out.overlap = overlap;
    // One a report first (each report's first match), newest reports first; then seconds.
    candidates.sort_by(|(ra, a), (rb, b)| {
        ra.cmp(rb)
            .then(b.year.cmp(&a.year))
            .then_with(|| a.report.cmp(&b.report))
    });
    out.sample = candidates
        .into_iter()
        .take(request.sample)
        .map(|(_, m)| m)
        .collect();
    Ok(out)
}
