//! Glyph capture: the [`OutputDev`] hook that collects each page's positioned glyphs, and the
//! rebuilding of lines from glyphs on a common baseline.

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::MAX_PAGE_GLYPHS;
use super::MAX_TEXT_BYTES;

/// One glyph as placed on the page, in points with y growing downwards.
#[derive(Debug, Clone, Copy)]
pub(super) struct Glyph {
    x: f64,
    y: f64,
    end: f64,
    size: f64,
    /// Byte range of the glyph's text in the page's glyph text.
    start: usize,
    len: usize,
}

/// A rebuilt line of text.
#[derive(Debug, Clone)]
pub(super) struct Line {
    pub(super) x0: f64,
    pub(super) x1: f64,
    pub(super) y: f64,
    pub(super) size: f64,
    pub(super) text: String,
}

#[derive(Debug, Default)]
pub(super) struct Page {
    pub(super) lines: Vec<Line>,
}

/// Receives pdf-extract's positioned glyphs and turns each page into lines.
#[derive(Default)]
pub(super) struct Collector {
    pub(super) pages: Vec<Page>,
    glyphs: Vec<Glyph>,
    glyph_text: String,
    page_height: f64,
    total_bytes: usize,
    pub(super) too_much: bool,
}

impl Collector {
    pub(super) fn start(&mut self, _number: u32) {
        self.glyphs.clear();
        self.glyph_text.clear();
        self.page_height = 842.0;
    }

    pub(super) fn finish(&mut self) {
        let lines = build_lines(&self.glyphs, &self.glyph_text);
        self.pages.push(Page { lines });
    }
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        let height = media_box.ury - media_box.lly;
        self.page_height = if height.is_finite() && height > 0.0 {
            height
        } else {
            842.0
        };
        self.glyphs.clear();
        self.glyph_text.clear();
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), OutputError> {
        self.total_bytes += char.len();
        if self.total_bytes > MAX_TEXT_BYTES || self.glyphs.len() >= MAX_PAGE_GLYPHS {
            self.too_much = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // The rendered size: the font size scaled by the text-rendering matrix (as pdf-extract's
        // own plain-text output computes it).
        let sx = (font_size * trm.m11).hypot(font_size * trm.m12);
        let sy = (font_size * trm.m21).hypot(font_size * trm.m22);
        let mut size = (sx * sy).sqrt();
        if !size.is_finite() || size <= 0.01 {
            size = font_size.abs().clamp(1.0, 100.0);
        }
        let (x, y) = (trm.m31, self.page_height - trm.m32);
        let mut end = x + width * size;
        if !x.is_finite() || !y.is_finite() {
            return Ok(());
        }
        if !end.is_finite() || end < x {
            end = x;
        }
        let start = self.glyph_text.len();
        for c in char.chars() {
            push_normalised(&mut self.glyph_text, c);
        }
        self.glyphs.push(Glyph {
            x,
            y,
            end,
            size,
            start,
            len: self.glyph_text.len() - start,
        });
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

/// Appends `c`, expanding typographic ligatures and dropping control characters, so search
/// finds "efficient" whether or not the font used an "ﬃ" glyph.
pub(super) fn push_normalised(out: &mut String, c: char) {
    match c {
        'ﬀ' => out.push_str("ff"),
        'ﬁ' => out.push_str("fi"),
        'ﬂ' => out.push_str("fl"),
        'ﬃ' => out.push_str("ffi"),
        'ﬄ' => out.push_str("ffl"),
        'ﬅ' | 'ﬆ' => out.push_str("st"),
        '\u{A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\t' => out.push(' '),
        '\u{200B}'..='\u{200D}' | '\u{FEFF}' => {}
        c if c.is_control() => {}
        c => out.push(c),
    }
}

/// Groups glyphs, in content-stream order, into lines.
pub(super) fn build_lines(glyphs: &[Glyph], text: &str) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    let mut current: Option<Line> = None;
    let mut pending_space = false;
    for g in glyphs {
        let s = &text[g.start..g.start + g.len];
        if s.trim().is_empty() {
            pending_space = true;
            if let Some(line) = current.as_mut() {
                line.x1 = line.x1.max(g.end);
            }
            continue;
        }
        let same_line = current.as_ref().is_some_and(|line| {
            let tolerance = 0.5 * line.size.max(g.size);
            (g.y - line.y).abs() <= tolerance && g.x >= line.x1 - tolerance
        });
        if same_line {
            let line = current.as_mut().expect("checked above");
            let gap = g.x - line.x1;
            if (pending_space || gap > 0.15 * g.size.min(line.size)) && !line.text.ends_with(' ') {
                line.text.push(' ');
            }
            line.text.push_str(s);
            line.x1 = line.x1.max(g.end);
            line.size = line.size.max(g.size);
        } else {
            lines.extend(current.take());
            current = Some(Line {
                x0: g.x,
                x1: g.end,
                y: g.y,
                size: g.size,
                text: s.to_string(),
            });
        }
        pending_space = false;
    }
    lines.extend(current);
    for line in &mut lines {
        line.text = line.text.split_whitespace().collect::<Vec<_>>().join(" ");
    }
    lines.retain(|l| !l.text.is_empty());
    lines
}
