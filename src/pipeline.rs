//! One report's way through themis, in one place: **read** (decode, or extract the text of a
//! PDF or HTML file) → **resolve** its metadata (manifest, else inferred) → **segment** into
//! sections, paragraphs, sentences and passages → **analyse** each sentence with the shared
//! analysis chain → **tag** it with themes and polarity → **extract** the structured parts
//! (recommendations, scores, ratings, facts).
//!
//! The indexer ([`crate::index`]), `themis tag`, `themis eval` and search's context all go through
//! here, so what is tagged, scored and indexed is the same thing. [`AnalyzedReport`] is what a
//! report becomes; [`crate::index`] maps it to tantivy documents.

use crate::model::PageContext;
use std::ops::Range;

use crate::analysis::{self, AnalyzedToken, PreparedTokens, TokenJoiner};
use crate::corpus::{self, CorpusFile, FileProblem, Manifest, ReportMeta, SourceText};
use crate::segment::{segment, Segmented};
use crate::structured::Structured;
use crate::themes::{SentenceTags, Tagger};

/// Reads one file of a corpus and resolves its metadata; `Err` names the file and says why it
/// could not be read. The warning, if any, is about decoding (e.g. not UTF-8).
pub fn read_report(
    file: &CorpusFile,
    max_bytes: u64,
    manifest: &Manifest,
) -> Result<(SourceText, ReportMeta, Option<FileProblem>), FileProblem> {
    let (source, warning) = corpus::read_source(file, max_bytes)?;
    let meta = ReportMeta::resolve(file, &source, manifest);
    Ok((source, meta, warning))
}

/// Reads and segments a file exactly as indexing does, without tagging it: what search needs to
/// quote the sentences around an excerpt.
pub fn read_segmented(file: &CorpusFile, max_bytes: u64) -> Option<(SourceText, Segmented)> {
    let (source, _) = corpus::read_source(file, max_bytes).ok()?;
    let segmented = segment(&source.text);
    Some((source, segmented))
}

/// What to work out beyond the sentences' themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalyzeOptions {
    /// Decide the polarity of sentences without themes too (`themis tag` shows it); the index
    /// stores the polarity of tagged sentences only and skips this (a tenth of indexing CPU).
    pub polarity_of_untagged: bool,
    /// Keep each passage's tokens (from its sentences' analysis), so the index need not analyse
    /// the passage text again.
    pub passage_tokens: bool,
    /// Extract recommendations, scores, ratings and facts.
    pub structured: bool,
}

impl AnalyzeOptions {
    /// What the index needs.
    pub const INDEX: AnalyzeOptions = AnalyzeOptions {
        polarity_of_untagged: false,
        passage_tokens: true,
        structured: true,
    };
    /// What `themis tag` and `themis eval` need: every sentence's tags, polarity included.
    pub const TAG: AnalyzeOptions = AnalyzeOptions {
        polarity_of_untagged: true,
        passage_tokens: false,
        structured: false,
    };
}

/// A report read, segmented, analysed, tagged and extracted. Offsets in `segmented` are into
/// `source.text`; add `source.offset_base` for offsets into the file.
#[derive(Debug)]
pub struct AnalyzedReport {
    /// Its metadata.
    pub meta: ReportMeta,
    /// Its text.
    pub source: SourceText,
    /// Its sections, paragraphs, sentences and passages.
    pub segmented: Segmented,
    /// One per sentence of `segmented`, in order.
    pub tags: Vec<SentenceTags>,
    /// One per passage of `segmented` (empty unless asked for): its tokens, when its sentences'
    /// tokens could stand for them.
    pub passage_tokens: Vec<Option<PreparedTokens>>,
    /// Recommendations, scores, ratings and facts (empty unless asked for), offsets into the
    /// file.
    pub structured: Structured,
    /// The themes of each recommendation, in order.
    pub recommendation_themes: Vec<Vec<String>>,
    /// What could not be read of its structured parts, as warnings naming the file.
    pub problems: Vec<FileProblem>,
}

/// One tagged sentence of an [`AnalyzedReport`].
#[derive(Debug, Clone)]
pub struct TaggedUnit<'a> {
    /// Offsets into the report's text.
    pub range: Range<usize>,
    /// Offsets into the file.
    pub file_range: Range<usize>,
    /// The sentence.
    pub text: &'a str,
    /// The title of its section, if it has one.
    pub section: Option<&'a str>,
    /// Its themes and polarity.
    pub tags: &'a SentenceTags,
}

impl AnalyzedReport {
    /// The title of section `index`, when there is one with a title.
    pub fn section_title(&self, index: Option<usize>) -> Option<&str> {
        section_title(&self.segmented, index)
    }

    /// Every sentence with its tags, in order.
    pub fn sentences(&self) -> impl Iterator<Item = TaggedUnit<'_>> {
        let base = self.source.offset_base;
        self.segmented
            .sentences
            .iter()
            .zip(&self.tags)
            .map(move |(sentence, tags)| TaggedUnit {
                range: sentence.start..sentence.end,
                file_range: sentence.start + base..sentence.end + base,
                text: &self.source.text[sentence.start..sentence.end],
                section: self.section_title(sentence.section),
                tags,
            })
    }
}

/// The title of section `index` of `segmented`, when there is one with a title.
pub(crate) fn section_title(segmented: &Segmented, index: Option<usize>) -> Option<&str> {
    index
        .and_then(|i| segmented.sections.get(i))
        .map(|s| s.title.as_str())
        .filter(|t| !t.is_empty())
}

/// Segments, analyses, tags and (as `options` say) extracts one report. `tokens` is scratch
/// space a caller analysing many reports passes again and again.
pub fn analyze_report(
    source: SourceText,
    meta: ReportMeta,
    tagger: &Tagger,
    options: AnalyzeOptions,
    tokens: &mut Vec<AnalyzedToken>,
) -> AnalyzedReport {
    let text = &source.text;
    let segmented = segment(text);

    // A passage's tokens are its sentences' tokens, made here for tagging anyway.
    let mut joiners: Vec<TokenJoiner> = Vec::new();
    let mut passage_of = Vec::new();
    if options.passage_tokens {
        joiners.reserve(segmented.passages.len());
        passage_of = vec![usize::MAX; segmented.sentences.len()];
        for (n, passage) in segmented.passages.iter().enumerate() {
            joiners.push(PreparedTokens::joiner(&text[passage.start..passage.end]));
            for i in passage.sentences.clone() {
                if let Some(slot) = passage_of.get_mut(i) {
                    *slot = n;
                }
            }
        }
    }
    let mut tags = Vec::with_capacity(segmented.sentences.len());
    let mut page = PageContext::new();
    for (i, sentence) in segmented.sentences.iter().enumerate() {
        let slice = &text[sentence.start..sentence.end];
        analysis::analyze_into(slice, tokens);
        let section = section_title(&segmented, sentence.section);
        tags.push(if options.polarity_of_untagged {
            tagger.tag_on_page(slice, tokens, section, &mut page)
        } else {
            tagger.tag_for_index(slice, tokens, section, &mut page)
        });
        let n = passage_of.get(i).copied().unwrap_or(usize::MAX);
        if let (Some(joiner), Some(passage)) = (joiners.get_mut(n), segmented.passages.get(n)) {
            if passage.start <= sentence.start && sentence.end <= passage.end {
                joiner.push(
                    sentence.start - passage.start..sentence.end - passage.start,
                    tokens,
                );
            } else {
                joiner.give_up();
            }
        }
    }
    let passage_tokens = joiners.into_iter().map(TokenJoiner::finish).collect();

    let mut structured = Structured::default();
    let mut recommendation_themes = Vec::new();
    let mut problems = Vec::new();
    if options.structured {
        structured = crate::structured::extract(text, &meta);
        for recommendation in &mut structured.recommendations {
            recommendation.start += source.offset_base;
            recommendation.end += source.offset_base;
            recommendation_themes.push(tagger.themes(&recommendation.text));
        }
        problems = structured
            .problems
            .iter()
            .map(|p| FileProblem {
                file: meta.file.clone(),
                message: format!(
                    "line {}: could not read {} (expected {})",
                    p.line, p.what, p.expected
                ),
                is_error: false,
            })
            .collect();
    }
    AnalyzedReport {
        meta,
        source,
        segmented,
        tags,
        passage_tokens,
        structured,
        recommendation_themes,
        problems,
    }
}
