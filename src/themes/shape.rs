//! Sentence shapes the tagger treats specially, whatever their words: non-findings (headings
//! and footnotes), sentences that refer back to the subject of their section, and enumerations
//! that name a theme only in passing.

use crate::analysis::AnalyzedToken;

use super::rules::SentenceView;

/// Whether a sentence points back to something named earlier ("the reviews", "this work",
/// "these", "it", "they") rather than introducing its own subject.
pub(super) fn refers_back(tokens: &[AnalyzedToken]) -> bool {
    let mut head = [""; 4];
    for (h, t) in head.iter_mut().zip(tokens) {
        *h = t.term.as_str();
    }
    let head = &head[..tokens.len().min(4)];
    head.iter().take(3).any(|t| matches!(*t, "it" | "they"))
        || head.windows(2).any(|w| {
            matches!(w[0], "the" | "these" | "this" | "those")
                && matches!(
                    w[1],
                    "review" | "work" | "team" | "process" | "servic" | "scheme"
                )
        })
}

/// Tokens that are items of an enumeration introduced by "including", "such as", "e.g." or
/// "the following" ("services included accommodation, ETE, dependency and recovery";
/// "sessions on topics such as risk, domestic abuse and challenging behaviour"). A theme
/// named only there is mentioned in passing: the sentence is about the whole, not the item.
/// The enumeration must have at least three items (separated by commas, "and" or "or"); a
/// list the sentence opens with an anaphor or a finding word ("These included insufficient
/// information gathering, …", "Concerns included …") is the finding itself and is kept.
pub(super) fn list_items(view: &SentenceView<'_>) -> Vec<bool> {
    let n = view.len();
    let mut passing = vec![false; n];
    let mut i = 0;
    while i < n {
        let marker_len = match (view.term(i), view.term(i + 1)) {
            (Some("includ"), _) => 1,
            (Some("such"), Some("as")) => 2,
            (Some("e"), Some("g")) => 2,
            (Some("the"), Some("follow")) => 2,
            _ => 0,
        };
        if marker_len == 0 {
            i += 1;
            continue;
        }
        let finding_subject = (i.saturating_sub(3)..i).any(|j| {
            view.term(j).is_some_and(|t| {
                matches!(t, "these" | "this" | "they" | "it")
                    || FINDING_SUBJECTS.iter().any(|p| t.starts_with(p))
            })
        });
        // Items are split at commas and at "and"/"or"; the list ends before an item that is
        // long or has a verb of its own (the sentence has moved on to a new clause).
        let start = i + marker_len;
        let mut end = start;
        let mut item_start = start;
        let mut items = 0;
        let mut j = start;
        loop {
            // A full stop or semicolon ends the list.
            if j < n && j > start && view.gap_before(j).is_some_and(|g| g.contains([';', '.'])) {
                if j > item_start && j - item_start <= 6 {
                    items += 1;
                    end = j;
                }
                break;
            }
            let boundary = j >= n
                || (j > item_start && view.break_before(j))
                || matches!(view.term(j), Some("and" | "or"));
            if boundary {
                if j > item_start {
                    let clause = (item_start..j).any(|k| {
                        view.surface(k)
                            .is_some_and(|w| FINITE_VERBS.contains(&w.to_lowercase().as_str()))
                    });
                    if j - item_start > 6 || clause {
                        break;
                    }
                    items += 1;
                    end = j;
                }
                if j >= n {
                    break;
                }
                item_start = if matches!(view.term(j), Some("and" | "or")) {
                    j + 1
                } else {
                    j
                };
            }
            j += 1;
        }
        if items >= 3 && !finding_subject {
            for p in passing.iter_mut().take(end).skip(start) {
                *p = true;
            }
        }
        i = end.max(i + 1);
    }
    passing
}

/// Stems of words that, just before "including", make the list a finding in itself
/// ("Concerns included …", "Current priorities included …").
const FINDING_SUBJECTS: &[&str] = &[
    "recommend",
    "concern",
    "issu",
    "find",
    "challeng",
    "weak",
    "gap",
    "barrier",
    "reason",
    "strength",
    "improv",
    "risk",
    "shortfal",
    "priorit",
    "need",
    "action",
    "area",
];

/// Words that make a short line a clause rather than a title ("Staff were motivated").
const FINITE_VERBS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "will", "would", "can", "could", "should",
    "must", "did", "does", "do", "may", "might", "been", "being",
];

/// Whether a "sentence" is not a finding at all but a heading or a reference, which carries
/// no theme whatever its words: a footnote ("… annual report. ↩︎", "¹ Independent review
/// of …") or a short title with no closing punctuation, no verb and no figures ("Services
/// and interventions", "Learning from Serious Further Offence investigations"). Table rows
/// and scoring lines carry figures and are findings, so they are not headings.
pub fn is_non_finding(sentence: &str) -> bool {
    let t = sentence.trim();
    if t.contains('\u{21a9}') {
        return true;
    }
    let first = t.chars().next();
    if first.is_some_and(|c| {
        "\u{b9}\u{b2}\u{b3}\u{2074}\u{2075}\u{2076}\u{2077}\u{2078}\u{2079}".contains(c)
    }) {
        return true;
    }
    // A table row with no figure after its first cell is a header or a label row ("| PO |
    // PSO | PQiP |", "| Average caseload (FTE) | |"), not data.
    if let Some(row) = t.strip_prefix('|') {
        let mut cells = row.split('|');
        cells.next();
        return !cells.any(|c| c.chars().any(|ch| ch.is_ascii_digit()));
    }
    let Some(last) = t.chars().last() else {
        return true;
    };
    if !(last.is_alphabetic() || last == ')') || !first.is_some_and(char::is_uppercase) {
        return false;
    }
    if t.contains(['|', '\t', '?', ',', ';', ':']) || t.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let words: Vec<String> = t
        .split_whitespace()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .collect();
    // A line ending in a function word is a sentence broken across lines, not a title.
    let dangling = words
        .last()
        .is_some_and(|w| DANGLING_WORDS.contains(&w.as_str()));
    words.len() <= 8 && !dangling && !words.iter().any(|w| FINITE_VERBS.contains(&w.as_str()))
}

/// Words a title does not end with (a line ending in one is an unfinished sentence).
const DANGLING_WORDS: &[&str] = &[
    "to", "of", "and", "the", "a", "an", "for", "with", "in", "on", "by", "or", "from", "at",
    "that", "which", "as",
];
