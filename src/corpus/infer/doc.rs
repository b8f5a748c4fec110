//! The document view the inference rules read: the text split once into trimmed lines, and
//! where a related-links block starts (text after it is about other pages).

use once_cell::sync::Lazy;
use regex::Regex;

use crate::text::lines::lines;

use super::dates::is_reference_line;
use super::re;
use super::{HEAD_LINES, LEAD_CHARS};

/// The text split once into what the rules need.
pub(super) struct Doc<'a> {
    pub(super) text: &'a str,
    /// Trimmed lines with their byte offsets.
    pub(super) lines: Vec<(usize, &'a str)>,
    /// Byte offset where a related-links block starts (text after it is about other pages).
    pub(super) related_cut: usize,
}

impl<'a> Doc<'a> {
    pub(super) fn new(text: &'a str) -> Doc<'a> {
        let lines: Vec<(usize, &str)> = lines(text)
            .map(|l| l.trimmed())
            .filter(|(_, t)| !t.is_empty())
            .collect();
        let related_cut = lines
            .iter()
            .find(|(_, l)| RE_RELATED_MARKER.is_match(l))
            .map_or(text.len(), |(o, _)| *o);
        Doc {
            text,
            lines,
            related_cut,
        }
    }

    /// Lines before the related-links block.
    pub(super) fn body_lines(&self) -> impl Iterator<Item = &(usize, &'a str)> {
        let cut = self.related_cut;
        self.lines.iter().take_while(move |(o, _)| *o < cut)
    }

    pub(super) fn head_lines(&self) -> impl Iterator<Item = &(usize, &'a str)> {
        self.body_lines().take(HEAD_LINES)
    }

    /// The first `LEAD_CHARS` characters of the body, leaving out reference lines.
    pub(super) fn lead(&self) -> String {
        let mut out = String::new();
        for (_, l) in self.body_lines() {
            if out.len() >= LEAD_CHARS {
                break;
            }
            if !is_reference_line(l) {
                out.push_str(l);
                out.push('\n');
            }
        }
        out
    }

    pub(super) fn has(&self, re: &Regex) -> bool {
        re.is_match(self.text)
    }
}

pub(super) static RE_RELATED_MARKER: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:related topics|related content|related stories|related articles|related links|related internet links|more on this story|more on this topic|top stories|you may also (?:like|be interested in)|read more|more from (?:bbc|the bbc)|latest news)\s*:?$",
    )
});
