//! From an [`AnalyzedReport`] to tantivy documents: one per passage (its text, section, offsets,
//! page, themes and tagged sentences), then the report's own document (its metadata, counts,
//! theme counts per polarity and structured parts). A pure mapping: everything was worked out
//! by [`crate::pipeline`].
//!
//! The report document comes last, after its passages, in one batch: tantivy keeps a batch in
//! one segment and in order, which is how a passage finds its report (see
//! [`super::Fields::passage_count`]).

use std::collections::{BTreeMap, BTreeSet};

use tantivy::TantivyDocument;

use super::queue::QueuedDocument;
use super::spans::{self, SentenceSpan};
use super::{kind, pack_theme_count, theme_polarity, Fields, IndexedReport, ReportHeader};
use crate::corpus::ReportMeta;
use crate::error::{Error, Result};
use crate::pipeline::{section_title, AnalyzedReport};
use crate::themes::{Polarity, SentenceTags, Taxonomy};

/// The documents of one report, passages first, ready to add in one batch. `hash` identifies
/// its content (see the writer's `content_hash`).
pub fn report_documents(
    fields: &Fields,
    taxonomy: &Taxonomy,
    report: AnalyzedReport,
    hash: String,
) -> Result<Vec<QueuedDocument>> {
    let AnalyzedReport {
        meta,
        source,
        segmented,
        tags,
        passage_tokens,
        structured,
        recommendation_themes,
        problems: _,
    } = report;
    let text = &source.text;
    let base = source.offset_base;
    let section_of = |idx: Option<usize>| section_title(&segmented, idx);

    let mut documents = Vec::with_capacity(segmented.passages.len() + 1);
    let mut passage_tokens = passage_tokens.into_iter();
    for passage in &segmented.passages {
        let mut doc = TantivyDocument::default();
        add_common(&mut doc, fields, &meta, kind::PASSAGE);
        doc.add_text(fields.text, &text[passage.start..passage.end]);
        let paragraph = segmented.paragraphs.get(passage.paragraph);
        if let Some(section) = section_of(paragraph.and_then(|p| p.section)) {
            doc.add_text(fields.section, section);
        }
        doc.add_u64(fields.start, (passage.start + base) as u64);
        doc.add_u64(fields.end, (passage.end + base) as u64);
        let passage_page = source.page_of(passage.start);
        if let Some(page) = passage_page {
            doc.add_u64(fields.page, u64::from(page));
        }
        let spans: Vec<SentenceSpan> = segmented
            .sentences
            .get(passage.sentences.clone())
            .unwrap_or_default()
            .iter()
            .map(|s| SentenceSpan {
                start: s.start + base,
                end: s.end + base,
                page: source.page_of(s.start),
            })
            .collect();
        doc.add_bytes(
            fields.sentences,
            &spans::encode(passage.start + base, passage_page, &spans),
        );
        // Serialised as `super::StoredSentence`, borrowing the tags instead of copying them.
        let mut stored: Vec<(usize, usize, Polarity, &[String])> = Vec::new();
        let mut themes: BTreeSet<&str> = BTreeSet::new();
        let mut polarities: BTreeSet<String> = BTreeSet::new();
        for i in passage.sentences.clone() {
            let (Some(sentence), Some(tagged)) = (segmented.sentences.get(i), tags.get(i)) else {
                continue;
            };
            if tagged.themes.is_empty() {
                continue;
            }
            themes.extend(tagged.themes.iter().map(String::as_str));
            polarities.insert(tagged.polarity.to_string());
            polarities.extend(
                tagged
                    .themes
                    .iter()
                    .map(|theme| theme_polarity(theme, tagged.polarity)),
            );
            stored.push((
                sentence.start + base,
                sentence.end + base,
                tagged.polarity,
                &tagged.themes,
            ));
        }
        for theme in themes {
            doc.add_text(fields.theme, theme);
        }
        for polarity in &polarities {
            doc.add_text(fields.polarity, polarity);
        }
        if !stored.is_empty() {
            doc.add_text(fields.data, json(&stored)?);
        }
        let prepared = passage_tokens.next().flatten();
        documents.push(QueuedDocument::with_tokens(doc, prepared));
    }

    let header = json(&ReportHeader {
        report: meta.id.clone(),
        title: meta.title.clone(),
        region: meta.region.clone(),
        year: meta.year,
        report_type: meta.report_type,
        file: meta.file.clone(),
    })?;
    let record = IndexedReport {
        hash: hash.clone(),
        sentences: segmented.sentences.len() as u64,
        tagged_sentences: tags.iter().filter(|t| !t.themes.is_empty()).count() as u64,
        passages: segmented.passages.len() as u64,
        offset_base: base,
        extracted: source.extracted,
        structured,
        recommendation_themes,
        meta,
    };
    let meta = &record.meta;
    let mut doc = TantivyDocument::default();
    add_common(&mut doc, fields, meta, kind::REPORT);
    doc.add_text(fields.hash, &hash);
    doc.add_u64(fields.sentence_count, record.sentences);
    doc.add_u64(fields.passage_count, record.passages);
    doc.add_text(fields.title, &meta.title);
    doc.add_text(fields.report_title, &meta.title);
    doc.add_text(fields.header, &header);
    doc.add_text(fields.summary_id, &meta.id);
    doc.add_text(fields.summary_file, &meta.file);
    if let Some(region) = &meta.region {
        doc.add_text(fields.summary_region, region);
    }
    doc.add_text(fields.summary_type, meta.report_type.as_str());
    if let Some(date) = &meta.date {
        doc.add_text(fields.date, date);
    }
    for packed in theme_counts(taxonomy, &tags) {
        doc.add_u64(fields.theme_counts, packed);
    }
    doc.add_text(fields.data, json(&record)?);
    documents.push(QueuedDocument::new(doc));
    Ok(documents)
}

/// The fields every document of a report carries, so filters apply to passages directly.
fn add_common(doc: &mut TantivyDocument, fields: &Fields, meta: &ReportMeta, kind: &str) {
    doc.add_text(fields.kind, kind);
    doc.add_text(fields.report, &meta.id);
    doc.add_text(fields.file, &meta.file);
    if let Some(region) = &meta.region {
        doc.add_text(fields.region, region);
    }
    if let Some(year) = meta.year.and_then(|y| u64::try_from(y).ok()) {
        doc.add_u64(fields.year, year);
    }
    doc.add_text(fields.report_type, meta.report_type.as_str());
}

/// A stored record as JSON. Serialising these plain structs cannot fail; if it ever did, the
/// report is not indexed with an empty record in its place.
fn json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::index("cannot serialise a stored record", e))
}

/// A report's tagged sentences per theme and polarity, packed for the `theme_counts` fast field.
fn theme_counts(taxonomy: &Taxonomy, tags: &[SentenceTags]) -> Vec<u64> {
    let mut counts: BTreeMap<(usize, Polarity), u32> = BTreeMap::new();
    for tagged in tags {
        for theme in &tagged.themes {
            if let Some(n) = taxonomy.position(theme) {
                *counts.entry((n, tagged.polarity)).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|((theme, polarity), count)| pack_theme_count(theme, polarity, count))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use tantivy::schema::Value;

    use super::*;
    use crate::analysis;
    use crate::corpus::{self, Manifest};
    use crate::index::build_schema;
    use crate::pipeline::{analyze_report, read_report, AnalyzeOptions};
    use crate::themes::Tagger;

    #[test]
    fn test_every_passage_of_the_shipped_corpus_carries_its_own_tokens() {
        // The hand-over only pays if the sentences' tokens can stand for the passages'; and
        // whatever is handed over must be exactly what the analyser makes of the passage.
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let discovery = corpus::discover(&dir).unwrap();
        let manifest = Manifest::load(&dir).unwrap();
        let tagger = Tagger::embedded();
        let (_, fields) = build_schema();
        let mut passages = 0;
        let mut sentences_in_passages = 0;
        for file in &discovery.files {
            let (source, meta, _) = read_report(file, u64::MAX, &manifest).unwrap();
            let report = analyze_report(
                source,
                meta,
                &tagger,
                AnalyzeOptions::INDEX,
                &mut Vec::new(),
            );
            let count = report.segmented.passages.len();
            let expected_sentences: usize = report
                .segmented
                .passages
                .iter()
                .map(|p| p.sentences.len())
                .sum();
            let before = sentences_in_passages;
            let documents =
                report_documents(&fields, tagger.taxonomy(), report, String::new()).unwrap();
            assert_eq!(documents.len(), count + 1, "{}", file.rel);
            for queued in &documents[..documents.len() - 1] {
                let text = queued
                    .document()
                    .get_first(fields.text)
                    .and_then(|v| v.as_str())
                    .unwrap();
                let prepared = queued.prepared_tokens().expect("passage tokens");
                assert_eq!(prepared.text(), text);
                let mut handed = Vec::new();
                prepared.for_each(&mut |term, from, to| handed.push((term.to_owned(), from, to)));
                let made: Vec<_> = analysis::analyze(text)
                    .into_iter()
                    .map(|t| (t.term, t.start, t.end))
                    .collect();
                assert_eq!(handed, made, "{}", file.rel);
                // The stored spans cut the passage into exactly its sentences.
                let start = queued
                    .document()
                    .get_first(fields.start)
                    .and_then(|v| v.as_u64())
                    .unwrap() as usize;
                let bytes = queued
                    .document()
                    .get_first(fields.sentences)
                    .and_then(|v| v.as_bytes())
                    .unwrap();
                let spans = spans::decode(start, None, bytes).unwrap();
                assert!(!spans.is_empty());
                assert_eq!(spans[0].start, start);
                for span in &spans {
                    let sentence = &text[span.start - start..span.end - start];
                    assert_eq!(sentence.trim(), sentence, "{}", file.rel);
                    assert!(!sentence.is_empty());
                }
                sentences_in_passages += spans.len();
                passages += 1;
            }
            assert!(documents.last().unwrap().prepared_tokens().is_none());
            assert_eq!(
                sentences_in_passages - before,
                expected_sentences,
                "{}",
                file.rel
            );
        }
        assert!(passages > 400, "{passages} passages");
        assert!(
            sentences_in_passages > passages,
            "{sentences_in_passages} sentences"
        );
    }
}
