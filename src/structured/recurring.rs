//! Recurring recommendations: grouping recommendations that ask for the same thing across
//! reports, by overlap of their content words.

use std::collections::{BTreeMap, BTreeSet};

use super::Recommendation;

/// Words that carry no topic: English function words plus the verbs and hedges every
/// recommendation uses ("ensure … effective … in place"), which would otherwise make unrelated
/// recommendations look alike.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "across", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "being", "both", "but", "by", "can", "could", "do", "does", "each", "for", "from", "has",
    "have", "how", "if", "in", "into", "is", "it", "its", "may", "more", "most", "must", "not",
    "of", "on", "or", "other", "others", "our", "own", "should", "so", "such", "than", "that",
    "the", "their", "them", "there", "these", "they", "this", "those", "through", "to", "under",
    "up", "use", "using", "via", "was", "we", "were", "what", "when", "where", "whether", "which",
    "while", "who", "will", "with", "within", "would", "s",
    // Recommendation boilerplate.
    "ensure", "ensuring", "provide", "providing", "place", "effective", "effectively",
    "appropriate", "appropriately", "sufficient", "sufficiently", "consider", "including",
    "improve", "improving", "make", "sure", "always", "required", "necessary",
];

/// Lowercased content words of a text: alphanumeric runs minus [`STOP_WORDS`] and numbers.
pub fn content_words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !w.chars().all(|c| c.is_ascii_digit()))
        .filter(|w| !STOP_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// Similarity of two recommendations' content-word sets: the overlap coefficient
/// |A ∩ B| / min(|A|, |B|), but 0 when fewer than [`MIN_SHARED_WORDS`] words are shared.
pub fn similarity(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let shared = a.intersection(b).count();
    let smaller = a.len().min(b.len());
    if shared < MIN_SHARED_WORDS || smaller == 0 {
        return 0.0;
    }
    shared as f64 / smaller as f64
}

/// Fewest shared content words for two recommendations to count as alike: two short items
/// sharing one or two words ("oversight", "training") are not the same ask.
pub const MIN_SHARED_WORDS: usize = 4;

/// A sensible default threshold for [`recurring_groups`].
pub const DEFAULT_RECURRING_THRESHOLD: f64 = 0.75;

/// Groups recommendations that ask for the same thing across reports.
///
/// **Rule.** Each recommendation is reduced to its *content words*: the text is lowercased
/// and split into runs of letters and digits ("protection-specific" → "protection",
/// "specific"); numbers and stop words (English function words and recommendation
/// boilerplate such as "ensure", "provide", "effective", "in place") are dropped. No stemming:
/// "PSOs" and "PSO" are different words. Two recommendations are *alike* when they share at
/// least four content words **and** the shared words make up at least `threshold` of the
/// shorter one's words (the overlap coefficient |A∩B| / min(|A|,|B|); 0.75 is a good default).
/// The overlap coefficient rather than Jaccard, because a later report often repeats an
/// earlier recommendation inside a longer one ("evaluate current metrics … and embed public
/// protection-specific metrics in dashboards …"). Groups are the connected components of the
/// "alike" relation (single link), so A~B and B~C put A, B, C together. A group is returned
/// only when its members come from at least two distinct reports; groups are ordered by size
/// (largest first), then by number of reports, then by first appearance in `items`; members
/// keep their order in `items`.
///
/// Quadratic in the number of items, which is fine for the hundreds of recommendations a
/// corpus holds.
pub fn recurring_groups<'a>(
    items: &[(String, &'a Recommendation)],
    threshold: f64,
) -> Vec<Vec<(String, &'a Recommendation)>> {
    let words: Vec<BTreeSet<String>> = items.iter().map(|(_, r)| content_words(&r.text)).collect();
    let mut parent: Vec<usize> = (0..items.len()).collect();
    fn find(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..items.len() {
        for j in i + 1..items.len() {
            if similarity(&words[i], &words[j]) >= threshold {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                if a != b {
                    parent[b.max(a)] = a.min(b);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..items.len() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().push(i);
    }
    let mut out: Vec<(usize, usize, Vec<usize>)> = groups
        .into_values()
        .filter_map(|members| {
            let reports: BTreeSet<&str> = members.iter().map(|&i| items[i].0.as_str()).collect();
            (reports.len() >= 2).then(|| (reports.len(), members[0], members))
        })
        .collect();
    out.sort_by(|a, b| {
        b.2.len()
            .cmp(&a.2.len())
            .then(b.0.cmp(&a.0))
            .then(a.1.cmp(&b.1))
    });
    out.into_iter()
        .map(|(_, _, members)| {
            members
                .into_iter()
                .map(|i| (items[i].0.clone(), items[i].1))
                .collect()
        })
        .collect()
}
