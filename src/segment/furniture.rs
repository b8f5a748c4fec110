//! Page furniture: bare page numbers and running headers/footers, which produce no unit
//! (they would pollute theme tagging and snippets).

use std::collections::{HashMap, HashSet};

use super::lines::{Line, LineKind};
use super::paragraphs::{ends_terminal, starts_lowercase};

/// Longest line considered as a running header/footer.
pub(super) const MAX_FURNITURE_BYTES: usize = 150;

/// Marks lines that are page furniture: bare page numbers, and short lines repeated identically
/// 3+ times that look like a running header (they interrupt a paragraph somewhere, or carry
/// header-like features: a digit, an internal ':' or '|', all capitals). Repeated headings such
/// as "Key areas for improvement:" or "Strengths" have none of those features, so they survive.
pub(super) fn find_furniture(text: &str, lines: &[Line]) -> Vec<bool> {
    /// Occurrences of one candidate line: a count and the first few positions (bounded memory).
    #[derive(Default)]
    struct Group {
        count: usize,
        first: [usize; 8],
    }
    let mut furniture = vec![false; lines.len()];
    let mut groups: HashMap<&str, Group> = HashMap::new();
    // Running headers/footers start with a capital or digit; a repeated lowercase line is a
    // wrapped fragment, not furniture.
    let candidate = |l: &Line| {
        let t = l.text(text);
        (l.kind == LineKind::Text
            && t.len() <= MAX_FURNITURE_BYTES
            && !t.ends_with(':')
            && t.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit()))
        .then_some(t)
    };
    for (i, l) in lines.iter().enumerate() {
        if l.kind == LineKind::Text && is_page_number(l.text(text)) {
            furniture[i] = true;
        } else if let Some(t) = candidate(l) {
            let g = groups.entry(t).or_default();
            if g.count < g.first.len() {
                g.first[g.count] = i;
            }
            g.count += 1;
        }
    }
    let mut repeated: HashSet<&str> = HashSet::new();
    for (t, g) in &groups {
        if g.count < 3 {
            continue;
        }
        let idxs = &g.first[..g.count.min(g.first.len())];
        let looks_like_header = t.bytes().any(|c| c.is_ascii_digit())
            || t.contains('|')
            || t.trim_end_matches(':').contains(':')
            || (t.chars().filter(|c| c.is_alphabetic()).count() >= 4
                && !t.chars().any(|c| c.is_lowercase()));
        // Interruption evidence: one of the first occurrences sits between an unfinished line
        // and a lowercase continuation.
        let interrupts = || {
            idxs.iter().any(|&i| {
                let p = i.checked_sub(1).map(|p| lines[p].text(text));
                let n = lines.get(i + 1).map(|l| l.text(text));
                matches!((p, n), (Some(p), Some(n)) if !ends_terminal(p) && starts_lowercase(n))
            })
        };
        if looks_like_header || interrupts() {
            repeated.insert(*t);
        }
    }
    if !repeated.is_empty() {
        for (i, l) in lines.iter().enumerate() {
            if candidate(l).is_some_and(|t| repeated.contains(t)) {
                furniture[i] = true;
            }
        }
    }
    furniture
}

/// "12", "Page 12", "12 of 40", "Page 12 of 40", "- 12 -".
pub(super) fn is_page_number(t: &str) -> bool {
    let t = t.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    let t = strip_prefix_ci(t, "page ").unwrap_or(t).trim();
    let mut parts = t.split(" of ");
    let first = parts.next().unwrap_or("");
    let num = |s: &str| (1..=4).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit());
    num(first.trim()) && parts.all(|p| num(p.trim()))
}

pub(super) fn strip_prefix_ci<'a>(t: &'a str, prefix: &str) -> Option<&'a str> {
    let head = t.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &t[prefix.len()..])
}
