//! Tagging quality on the development labels (`tests/data/dev-gold/`, hand labels for every
//! unit of the five shipped documents), scored the way `eval_tags.py` scores `themis tag
//! --json`: each labelled unit takes the union of the themes of the tagger's sentences that
//! overlap it by at least half of the shorter span, and its polarity from the sentence that
//! overlaps it most. Fails below micro-F1 0.85 or polarity accuracy 0.85 (the targets).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;
use themis::segment::segment;
use themis::themes::{Polarity, Taxonomy};

#[derive(Deserialize)]
struct Unit {
    start: usize,
    end: usize,
    themes: Vec<String>,
    polarity: Polarity,
}

struct Tagged {
    start: usize,
    end: usize,
    themes: BTreeSet<String>,
    polarity: Polarity,
}

#[derive(Default)]
struct Score {
    tp: u64,
    fp: u64,
    fn_: u64,
    polarity_ok: u64,
    polarity_n: u64,
    per_theme: BTreeMap<String, [u64; 3]>,
}

fn score_corpus() -> Score {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let taxonomy = Taxonomy::embedded();
    let mut score = Score::default();
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/data/dev-gold"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".labels.jsonl"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 5, "five labelled documents");
    for labels in files {
        let name = labels
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".labels.jsonl", ".txt");
        let bytes = std::fs::read(root.join("corpus").join(&name)).unwrap();
        let source = themis::corpus::decode(&bytes).unwrap();
        let segmented = segment(&source.text);
        let tagged: Vec<Tagged> = segmented
            .sentences
            .iter()
            .map(|s| {
                let text = &source.text[s.start..s.end];
                let section = s
                    .section
                    .and_then(|i| segmented.sections.get(i))
                    .map(|sec| sec.title.as_str());
                let tags = taxonomy.tag_in_context(text, &themis::analysis::analyze(text), section);
                Tagged {
                    start: s.start + source.offset_base,
                    end: s.end + source.offset_base,
                    themes: tags.themes.into_iter().collect(),
                    polarity: tags.polarity,
                }
            })
            .collect();
        for line in std::fs::read_to_string(&labels).unwrap().lines() {
            let unit: Unit = serde_json::from_str(line).unwrap();
            let gold: BTreeSet<String> = unit.themes.iter().cloned().collect();
            let mut got = BTreeSet::new();
            let mut best: Option<(&Tagged, usize)> = None;
            for t in &tagged {
                let overlap = unit.end.min(t.end).saturating_sub(unit.start.max(t.start));
                let shorter = (unit.end - unit.start).min(t.end - t.start).max(1);
                if overlap * 2 >= shorter {
                    got.extend(t.themes.iter().cloned());
                }
                if overlap > best.map_or(0, |(_, o)| o) {
                    best = Some((t, overlap));
                }
            }
            for theme in gold.union(&got) {
                let cell = score.per_theme.entry(theme.clone()).or_default();
                match (gold.contains(theme), got.contains(theme)) {
                    (true, true) => {
                        score.tp += 1;
                        cell[0] += 1;
                    }
                    (false, true) => {
                        score.fp += 1;
                        cell[1] += 1;
                    }
                    _ => {
                        score.fn_ += 1;
                        cell[2] += 1;
                    }
                }
            }
            if !gold.is_empty() {
                score.polarity_n += 1;
                score.polarity_ok +=
                    u64::from(best.is_some_and(|(t, _)| t.polarity == unit.polarity));
            }
        }
    }
    score
}

#[test]
fn test_dev_set_micro_f1_and_polarity() {
    let score = score_corpus();
    let precision = score.tp as f64 / (score.tp + score.fp).max(1) as f64;
    let recall = score.tp as f64 / (score.tp + score.fn_).max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::EPSILON);
    let polarity = score.polarity_ok as f64 / score.polarity_n.max(1) as f64;
    eprintln!(
        "dev set: micro P={precision:.3} R={recall:.3} F1={f1:.3}; polarity accuracy={polarity:.3}"
    );
    for (theme, [tp, fp, fn_]) in &score.per_theme {
        eprintln!("  {theme:32} tp={tp:4} fp={fp:4} fn={fn_:4}");
    }
    assert!(f1 >= 0.85, "micro-F1 {f1:.3} is below 0.85");
    assert!(
        polarity >= 0.85,
        "polarity accuracy {polarity:.3} is below 0.85"
    );
}
