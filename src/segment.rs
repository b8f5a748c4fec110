//! TEMPORARY stand-in until the real segmenter lands.
use serde::Serialize;
use std::ops::Range;
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum UnitKind {
    Heading,
    Sentence,
    Bullet,
    TableRow,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub title: String,
    pub start: usize,
    pub end: usize,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Sentence {
    pub start: usize,
    pub end: usize,
    pub kind: UnitKind,
    pub section: Option<usize>,
    pub paragraph: usize,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Paragraph {
    pub start: usize,
    pub end: usize,
    pub section: Option<usize>,
    pub sentences: Range<usize>,
}
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Passage {
    pub start: usize,
    pub end: usize,
    pub paragraph: usize,
    pub sentences: Range<usize>,
}
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Segmented {
    pub sections: Vec<Section>,
    pub paragraphs: Vec<Paragraph>,
    pub sentences: Vec<Sentence>,
    pub passages: Vec<Passage>,
}
pub fn segment(text: &str) -> Segmented {
    let mut s = Segmented::default();
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if !t.is_empty() {
            let st = off + (line.len() - line.trim_start().len());
            let en = st + t.len();
            let p = s.paragraphs.len();
            let i = s.sentences.len();
            s.sentences.push(Sentence {
                start: st,
                end: en,
                kind: UnitKind::Sentence,
                section: None,
                paragraph: p,
            });
            s.paragraphs.push(Paragraph {
                start: st,
                end: en,
                section: None,
                sentences: i..i + 1,
            });
            s.passages.push(Passage {
                start: st,
                end: en,
                paragraph: p,
                sentences: i..i + 1,
            });
        }
        off += line.len();
    }
    s
}
