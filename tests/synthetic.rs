//! Guard rails of the scale benchmark (not timed): its synthetic corpus generator is
//! deterministic, and a small corpus it generates indexes and answers the benchmark's query mix.
//! Sharing `benches/synth.rs` means a change that breaks the benchmark's corpus fails here.

#[path = "../benches/synth.rs"]
mod synth;

use std::collections::BTreeMap;
use std::path::Path;

use themis::index::{build_index, IndexOptions, NoProgress, ThemisIndex};
use themis::search::search_in;
use themis::themes::Tagger;

use synth::{ensure_corpus, query_mix, write_corpus, Generator, Pool, QueryKind, SEED};

fn pool() -> Pool {
    Pool::from_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")).expect("shipped corpus")
}

/// Every file of a folder (relative path → bytes), hidden ones included.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn the_pool_has_headings_and_paragraphs() {
    let pool = pool();
    assert!(
        pool.headings.len() >= 10,
        "{} headings",
        pool.headings.len()
    );
    assert!(
        pool.paragraphs.len() >= 50,
        "{} paragraphs",
        pool.paragraphs.len()
    );
}

#[test]
fn same_seed_same_corpus_other_seed_other_corpus() {
    let pool = pool();
    let a: Vec<_> = Generator::new(&pool, SEED, 300_000).collect();
    let b: Vec<_> = Generator::new(&pool, SEED, 300_000).collect();
    assert_eq!(a, b);
    let c: Vec<_> = Generator::new(&pool, SEED + 1, 300_000).collect();
    assert_ne!(a, c);

    // On disk too: the same files, manifest and marker, byte for byte.
    let (x, y) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let sx = write_corpus(x.path(), &pool, SEED, 300_000).unwrap();
    let sy = write_corpus(y.path(), &pool, SEED, 300_000).unwrap();
    assert_eq!(sx, sy);
    assert!(sx.bytes >= 300_000 && sx.reports as usize == a.len());
    assert_eq!(snapshot(x.path()), snapshot(y.path()));

    // A complete folder is reused; one with other parameters is regenerated.
    let (again, reused) = ensure_corpus(x.path(), &pool, SEED, 300_000).unwrap();
    assert!(reused);
    assert_eq!(again, sx);
    let (_, reused) = ensure_corpus(x.path(), &pool, SEED, 200_000).unwrap();
    assert!(!reused);
}

#[test]
fn metadata_is_spread_over_regions_years_and_types() {
    let pool = pool();
    let reports: Vec<_> = Generator::new(&pool, SEED, 2_000_000).collect();
    let distinct = |f: &dyn Fn(&synth::SynthReport) -> String| {
        reports
            .iter()
            .map(f)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
    };
    assert_eq!(distinct(&|r| r.region.to_string()), 12);
    assert_eq!(distinct(&|r| r.year.to_string()), 12);
    assert_eq!(distinct(&|r| r.report_type.to_string()), 9);
    for r in &reports {
        assert!(r.text.starts_with(&r.title) && r.title.contains(r.region));
    }
}

#[test]
fn a_two_megabyte_corpus_indexes_and_answers_the_query_mix() {
    let pool = pool();
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    let stats = write_corpus(&corpus, &pool, SEED, 2_000_000).unwrap();
    let index_dir = dir.path().join("index");
    let tagger = Tagger::embedded();
    let summary = build_index(
        &IndexOptions::new(&corpus, &index_dir),
        &tagger,
        &NoProgress,
    )
    .unwrap();
    assert_eq!(summary.errors, 0, "{:?}", summary.problems);
    assert_eq!(summary.reports, stats.reports);

    let index = ThemisIndex::open(&index_dir).unwrap();
    let mix = query_mix();
    assert!(mix.len() >= 20);
    for kind in [
        QueryKind::Terms,
        QueryKind::Phrase,
        QueryKind::Boolean,
        QueryKind::Theme,
        QueryKind::Region,
        QueryKind::Year,
    ] {
        assert!(mix.iter().any(|q| q.kind == kind), "no {kind:?} query");
    }
    let mut answered = 0;
    for q in &mix {
        let results = search_in(&index, &q.request())
            .unwrap_or_else(|e| panic!("query `{}` failed: {e}", q.label()));
        if results.total_hits > 0 {
            answered += 1;
            // Excerpts come with highlights, except for a filter-only (empty) query.
            let first = &results.reports[0].excerpts[0];
            assert!(
                q.query.is_empty() || !first.highlights.is_empty(),
                "`{}`: no highlights",
                q.label()
            );
        }
    }
    assert!(
        answered >= 15,
        "only {answered} of {} queries found something",
        mix.len()
    );
}
