//! Assembly: turning grouped paragraphs into the [`Segmented`](super::Segmented) output
//! (sections, units, paragraphs) and windowing each paragraph's units into passages.

use super::headings::word_count;
use super::paragraphs::{PBuild, PKind};
use super::sentences::{cap_span, split_sentences};
use super::{Paragraph, Passage, PassageLimits, Section, Segmented, Sentence, UnitKind};
use crate::text::lines::clean_heading;

pub(super) fn build(
    text: &str,
    paras: &[PBuild],
    segs: &[(usize, usize)],
    limits: PassageLimits,
) -> Segmented {
    let mut out = Segmented::default();
    let mut section: Option<usize> = None;
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut raw: Vec<(usize, usize)> = Vec::new();
    for p in paras {
        spans.clear();
        let kind = match p.kind {
            PKind::Heading => {
                // Heading lines are at most a few hundred bytes, so they are never cut.
                spans.push((p.start, p.end));
                UnitKind::Heading
            }
            PKind::Table => {
                cap_span(text, p.start, p.end, &mut spans);
                UnitKind::TableRow
            }
            PKind::Prose | PKind::Bullet => {
                for &(s, e) in &segs[p.seg_start..p.seg_end] {
                    raw.clear();
                    split_sentences(text, s, e, &mut raw);
                    for &(rs, re) in &raw {
                        cap_span(text, rs, re, &mut spans);
                    }
                }
                if p.kind == PKind::Bullet {
                    UnitKind::Bullet
                } else {
                    UnitKind::Sentence
                }
            }
        };
        if spans.is_empty() {
            continue;
        }
        if kind == UnitKind::Heading {
            out.sections.push(Section {
                title: clean_heading(&text[p.start..p.end]),
                start: p.start,
                end: p.end,
            });
            section = Some(out.sections.len() - 1);
        }
        let pi = out.paragraphs.len();
        let first = out.sentences.len();
        for &(start, end) in spans.iter() {
            out.sentences.push(Sentence {
                start,
                end,
                kind,
                section,
                paragraph: pi,
            });
        }
        let last = out.sentences.len();
        out.paragraphs.push(Paragraph {
            start: p.start.min(out.sentences[first].start),
            end: p.end.max(out.sentences[last - 1].end),
            section,
            sentences: first..last,
        });
        if kind != UnitKind::Heading {
            add_passages(text, &mut out, pi, limits);
        }
    }
    out
}

/// Greedy windows over the paragraph's sentences: at most `max_sentences` sentences and
/// `max_words` words each (a single longer sentence stands alone).
pub(super) fn add_passages(text: &str, out: &mut Segmented, pi: usize, limits: PassageLimits) {
    let range = out.paragraphs[pi].sentences.clone();
    let max_sentences = limits.max_sentences.max(1);
    let mut i = range.start;
    while i < range.end {
        let first = i;
        let mut words = 0;
        while i < range.end && i - first < max_sentences {
            let s = &out.sentences[i];
            let w = word_count(&text[s.start..s.end]);
            if i > first && words + w > limits.max_words {
                break;
            }
            words += w;
            i += 1;
        }
        out.passages.push(Passage {
            start: out.sentences[first].start,
            end: out.sentences[i - 1].end,
            paragraph: pi,
            sentences: first..i,
        });
    }
}
