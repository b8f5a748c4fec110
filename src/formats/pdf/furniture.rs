//! Page furniture: running headers/footers recurring at the same height across pages, and
//! bare page numbers, which are dropped from the text.

use std::collections::{HashMap, HashSet};

use super::glyphs::Page;

/// Normalises a line for furniture matching: digits become `#`, case and spacing are ignored.
pub(super) fn furniture_key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// "3", "Page 3", "Page 3 of 12", "3 of 12", "3 | Page", "Page | 3", "- 3 -", "[3]", "iv".
pub(super) fn is_page_number(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    let t = t.trim_matches(|c: char| matches!(c, '-' | '–' | '—' | '[' | ']' | '(' | ')' | ' '));
    if t.is_empty() {
        return false;
    }
    let words: Vec<&str> = t
        .split(|c: char| c.is_whitespace() || c == '|' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    let number = |w: &str| w.len() <= 5 && w.chars().all(|c| c.is_ascii_digit());
    let roman = |w: &str| w.len() <= 6 && w.chars().all(|c| "ivxlc".contains(c));
    match words.as_slice() {
        [n] => number(n) || roman(n),
        ["page" | "p." | "pg", n] | [n, "page"] => number(n) || roman(n),
        [n, "of", m] | ["page", n, "of", m] => number(n) && number(m),
        [n, m] if t.contains('/') => number(n) && number(m),
        _ => false,
    }
}

/// Drops running headers/footers and page numbers from the top and bottom of each page.
pub(super) fn remove_furniture(pages: &mut [Page]) {
    const EDGE_LINES: usize = 3;
    // Indices of each page's edge lines: the top-most and bottom-most by position.
    let edges: Vec<Vec<usize>> = pages
        .iter()
        .map(|page| {
            let mut order: Vec<usize> = (0..page.lines.len()).collect();
            order.sort_by(|&a, &b| page.lines[a].y.total_cmp(&page.lines[b].y));
            let mut edge: Vec<usize> = order.iter().take(EDGE_LINES).copied().collect();
            edge.extend(order.iter().rev().take(EDGE_LINES));
            edge.sort_unstable();
            edge.dedup();
            edge
        })
        .collect();
    // For each candidate text: the pages it appears on and the heights it appears at.
    let mut seen: HashMap<String, (HashSet<usize>, f64, f64, f64)> = HashMap::new();
    for (p, page) in pages.iter().enumerate() {
        for &i in &edges[p] {
            let line = &page.lines[i];
            let entry = seen.entry(furniture_key(&line.text)).or_insert((
                HashSet::new(),
                f64::MAX,
                f64::MIN,
                0.0,
            ));
            entry.0.insert(p);
            entry.1 = entry.1.min(line.y);
            entry.2 = entry.2.max(line.y);
            entry.3 = f64::max(entry.3, line.size);
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    let running: HashSet<&String> = seen
        .iter()
        .filter(|(_, (on, low, high, size))| on.len() >= needed && high - low <= 3.0 * size)
        .map(|(key, _)| key)
        .collect();
    for (p, page) in pages.iter_mut().enumerate() {
        let drop: HashSet<usize> = edges[p]
            .iter()
            .copied()
            .filter(|&i| {
                let text = &page.lines[i].text;
                is_page_number(text) || running.contains(&furniture_key(text))
            })
            .collect();
        let mut i = 0;
        page.lines.retain(|_| {
            i += 1;
            !drop.contains(&(i - 1))
        });
    }
}
