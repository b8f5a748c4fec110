//! Layout: turning each page's lines into paragraphs (hard-wrapped lines joined, bullets as
//! `- ` items, blocks separated by blank lines) and the pages into one text with page starts.

use std::collections::HashSet;

use super::furniture::remove_furniture;
use super::glyphs::{Line, Page};
use super::hyphens::{join_wrapped, rejoin_across_pages, vocabulary};

/// Glyphs that open a bulleted list item when they start a line.
pub(super) const BULLETS: &[char] = &[
    '•', '●', '▪', '■', '◦', '○', '‣', '⁃', '∙', '·', '➢', '➤', '►', '▶', '✓', '✔',
    // Private-use code points of Word's Symbol/Wingdings bullets.
    '\u{F0B7}', '\u{F0A7}', '\u{F076}', '\u{F0D8}', '\u{F0FC}',
];

/// Removes furniture, assembles each page's paragraphs and joins the pages with "\n\n",
/// returning the text and the byte offset where each page starts.
pub(super) fn layout(mut pages: Vec<Page>) -> (String, Vec<usize>) {
    remove_furniture(&mut pages);
    let vocabulary = vocabulary(&pages);
    let mut texts: Vec<String> = pages
        .iter()
        .map(|p| assemble_page(&p.lines, &vocabulary))
        .collect();
    rejoin_across_pages(&mut texts, &vocabulary);
    let mut text = String::new();
    let mut starts = Vec::with_capacity(texts.len());
    for (i, page) in texts.iter().enumerate() {
        if i > 0 {
            text.push_str("\n\n");
        }
        starts.push(text.len());
        text.push_str(page);
    }
    (text, starts)
}

/// Whether the line starts a list item; returns the text with a bullet glyph replaced by "- ".
pub(super) fn list_item(text: &str) -> Option<String> {
    let first = text.chars().next()?;
    if BULLETS.contains(&first) || ((first == '–' || first == '-') && text[1..].starts_with(' '))
    {
        let rest = text[first.len_utf8()..].trim_start();
        return Some(format!("- {rest}"));
    }
    // "1." / "2)" / "(a)" / "a)" / "iv." numbered items keep their own marker. Only digits, one
    // letter or a short roman numeral count, so a wrapped "to. Risks were" is not an item.
    let marker = text.split_whitespace().next().unwrap_or("");
    let core = marker
        .strip_suffix(['.', ')'])
        .map(|m| m.strip_prefix('(').unwrap_or(m))
        .unwrap_or("");
    let numbered = !core.is_empty()
        && text.len() > marker.len()
        && ((core.len() <= 3 && core.chars().all(|c| c.is_ascii_digit()))
            || (core.len() == 1 && core.chars().all(|c| c.is_ascii_alphabetic()))
            || (core.len() <= 4 && core.chars().all(|c| "ivx".contains(c))));
    numbered.then(|| text.to_string())
}

pub(super) fn median(mut values: Vec<f64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some(values[values.len() / 2])
}

/// Assembles one page's lines (content order) into paragraphs; see the module docs for rules.
pub(super) fn assemble_page(lines: &[Line], vocabulary: &HashSet<String>) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let size = median(lines.iter().map(|l| l.size).collect()).unwrap_or(10.0);
    let gap = median(
        lines
            .windows(2)
            .map(|w| w[1].y - w[0].y)
            .filter(|&d| d > 0.3 * size && d < 3.0 * size)
            .collect(),
    )
    .unwrap_or(1.2 * size);
    // The right margin: the end of the longest lines. The 90th percentile ignores a stray line
    // that sticks out (a URL, a table).
    let mut ends: Vec<f64> = lines.iter().map(|l| l.x1).collect();
    ends.sort_by(f64::total_cmp);
    let right = ends[(ends.len() * 9 / 10).min(ends.len() - 1)];
    let left = lines.iter().map(|l| l.x0).fold(f64::MAX, f64::min);
    let slack = (2.5 * size).max(0.08 * (right - left));

    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let item = list_item(&line.text);
        let text = item.as_deref().unwrap_or(&line.text);
        if i == 0 {
            out.push_str(text);
            continue;
        }
        let prev = &lines[i - 1];
        let dy = line.y - prev.y;
        let big_gap = dy > 1.3 * gap.max(0.5 * size) || dy < -0.5 * prev.size.max(line.size);
        let starts_lower = text.chars().next().is_some_and(char::is_lowercase);
        let prev_full = prev.x1 >= right - slack;
        // A lowercase line after an unfinished one continues it even across a gap.
        let continues = starts_lower && !ends_sentence(&out);
        if big_gap && !continues {
            out.push_str("\n\n");
            out.push_str(text);
        } else if item.is_some() {
            out.push('\n');
            out.push_str(text);
        } else if prev_full || starts_lower || big_gap {
            join_wrapped(&mut out, text, vocabulary);
        } else {
            out.push('\n');
            out.push_str(text);
        }
    }
    out
}

pub(super) fn ends_sentence(text: &str) -> bool {
    text.trim_end()
        .ends_with(['.', '!', '?', ':', '"', '”', '’'])
}
