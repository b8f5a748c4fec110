//! The synthetic corpus of the scale benchmark, and the fixed query mix it is searched with.
//!
//! The shipped corpus is five documents; users index thousands. This module turns the shipped
//! text into a corpus of any size: new reports made of shuffled sections and paragraphs of the
//! shipped ones, each with a title line naming one of the 12 regions (which also replaces the
//! region names inside the paragraphs), a year in 2015..=2026 and one of the 9 report types, all
//! listed in a `reports.toml` manifest. Everything is drawn from a hand-written SplitMix64
//! generator, so the same seed and size give the same bytes on every machine.
//!
//! It is shared by `benches/scale.rs` (which times it) and `tests/synthetic.rs` (which checks
//! that it is deterministic and that its corpus answers the query mix), through `#[path]`.

// Each of the two crates that include this file uses only part of it.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

use themis::corpus::gazetteer::REGIONS;
use themis::corpus::infer::REPORT_TYPES;
use themis::search::{Filters, SearchRequest};
use themis::segment::{segment, UnitKind};

/// The seed of every benchmark corpus.
pub const SEED: u64 = 0x0007_e155_ca1e;

/// Bumped whenever the generator's output changes, so stale cached corpora are regenerated.
pub const GENERATOR_VERSION: u32 = 1;

/// Name of the marker written last into a complete corpus folder (hidden, so not indexed).
pub const MARKER: &str = ".complete";

/// Reports per sub-folder: keeps folders listable at 1 GB (tens of thousands of files).
const FILES_PER_DIR: usize = 1000;

/// Years the reports are spread over.
const YEARS: std::ops::RangeInclusive<i32> = 2015..=2026;

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and good enough to shuffle text. Written
/// out here so the corpus does not depend on a crate's version of its algorithm.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`). The modulo bias is irrelevant for pools this small.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `range`.
    pub fn in_range(&mut self, range: std::ops::RangeInclusive<usize>) -> usize {
        range.start() + self.below(range.end() - range.start() + 1)
    }
}

/// The building blocks taken from the shipped corpus.
#[derive(Debug, Clone, Default)]
pub struct Pool {
    /// Heading lines, as written in the source (e.g. `Context (Back to top)`).
    pub headings: Vec<String>,
    /// Prose and bullet paragraphs, hard wraps joined into one line.
    pub paragraphs: Vec<String>,
}

impl Pool {
    /// Reads every `.txt` file of `dir` (not recursive), in name order.
    pub fn from_dir(dir: &Path) -> io::Result<Pool> {
        let mut paths: Vec<_> = fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        paths.sort();
        let mut texts = Vec::new();
        for path in paths {
            texts.push(String::from_utf8_lossy(&fs::read(&path)?).into_owned());
        }
        Ok(Pool::from_texts(&texts))
    }

    /// Splits texts into headings and paragraphs with themis's own segmenter, so the blocks
    /// are the ones themis sees (PDF hard wraps already joined). Tables and one-liners are
    /// left out: shuffled out of context they would be noise, not realistic text.
    pub fn from_texts(texts: &[String]) -> Pool {
        let mut pool = Pool::default();
        for text in texts {
            let segmented = segment(text);
            for paragraph in &segmented.paragraphs {
                let Some(first) = segmented.sentences.get(paragraph.sentences.start) else {
                    continue;
                };
                let line = one_line(&text[paragraph.start..paragraph.end]);
                match first.kind {
                    UnitKind::Heading if line.len() >= 4 => push_new(&mut pool.headings, line),
                    UnitKind::Sentence | UnitKind::Bullet
                        if line.split_whitespace().count() >= 8 =>
                    {
                        push_new(&mut pool.paragraphs, line)
                    }
                    _ => {}
                }
            }
        }
        pool
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_new(list: &mut Vec<String>, item: String) {
    if !list.contains(&item) {
        list.push(item);
    }
}

/// One generated report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthReport {
    /// Path relative to the corpus folder.
    pub file: String,
    /// Manifest id.
    pub id: String,
    /// Title (also the first line of the text).
    pub title: String,
    /// Canonical region.
    pub region: &'static str,
    /// Year.
    pub year: i32,
    /// Report type.
    pub report_type: &'static str,
    /// The text.
    pub text: String,
}

impl SynthReport {
    /// The report's `[[report]]` manifest entry.
    pub fn manifest_entry(&self) -> String {
        format!(
            "[[report]]\nfile = \"{}\"\nid = \"{}\"\ntitle = \"{}\"\npublisher = \"themis scale benchmark\"\n\
             region = \"{}\"\nyear = {}\ntype = \"{}\"\nsource = \"synthetic: shuffled paragraphs of the shipped corpus\"\n\n",
            self.file, self.id, self.title, self.region, self.year, self.report_type
        )
    }
}

/// Streams reports until `target_bytes` of text have been produced (the last report may
/// overshoot by one report), so even a 1 GB corpus never sits in memory.
pub struct Generator<'a> {
    pool: &'a Pool,
    rng: SplitMix64,
    target_bytes: u64,
    produced: u64,
    count: usize,
}

impl<'a> Generator<'a> {
    /// A generator over `pool`.
    pub fn new(pool: &'a Pool, seed: u64, target_bytes: u64) -> Self {
        Generator {
            pool,
            rng: SplitMix64::new(seed),
            target_bytes,
            produced: 0,
            count: 0,
        }
    }
}

impl Iterator for Generator<'_> {
    type Item = SynthReport;

    fn next(&mut self) -> Option<SynthReport> {
        if self.produced >= self.target_bytes || self.pool.paragraphs.is_empty() {
            return None;
        }
        let rng = &mut self.rng;
        let n = self.count;
        let region = REGIONS[rng.below(REGIONS.len())];
        let year = *YEARS.start() + rng.below(YEARS.clone().count()) as i32;
        let report_type = REPORT_TYPES[rng.below(REPORT_TYPES.len())];
        let title = format!(
            "{} of probation services in {region}, {year}",
            kind_title(report_type)
        );
        let mut text = String::with_capacity(24 * 1024);
        text.push_str(&title);
        text.push_str("\n\n");
        // 1-6 sections of 1-8 paragraphs: ~15 kB on average, between a letter and a report.
        for _ in 0..rng.in_range(1..=6) {
            if !self.pool.headings.is_empty() {
                text.push_str(&self.pool.headings[rng.below(self.pool.headings.len())]);
                text.push_str("\n\n");
            }
            for _ in 0..rng.in_range(1..=8) {
                let paragraph = &self.pool.paragraphs[rng.below(self.pool.paragraphs.len())];
                // The shipped reports are about two regions; move their mentions to this
                // report's region so region words spread like the metadata does.
                let moved = paragraph
                    .replace("Greater Manchester", region)
                    .replace("South West", region);
                text.push_str(&moved);
                text.push_str("\n\n");
            }
        }
        self.produced += text.len() as u64;
        self.count += 1;
        Some(SynthReport {
            file: format!("d{:03}/r{n:06}.txt", n / FILES_PER_DIR),
            id: format!("synth-{n:06}"),
            title,
            region,
            year,
            report_type,
            text,
        })
    }
}

fn kind_title(report_type: &str) -> &'static str {
    match report_type {
        "dynamic-inspection" => "Dynamic inspection",
        "regional-inspection" => "Regional inspection",
        "regional-letter" => "Regional review letter",
        "pdu-inspection" => "PDU inspection",
        "thematic-inspection" => "Thematic inspection",
        "press-release" => "Press release on the inspection",
        "news-article" => "News coverage of the inspection",
        "annual-report" => "Annual report",
        _ => "Review",
    }
}

/// What a corpus folder holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorpusStats {
    /// Reports (text files).
    pub reports: u64,
    /// Bytes of report text (the manifest not included).
    pub bytes: u64,
}

/// The marker's content: what the folder was generated from, so a cached corpus made with
/// other parameters (or an older generator) is not reused.
fn marker_text(seed: u64, target_bytes: u64, stats: CorpusStats) -> String {
    format!(
        "version={GENERATOR_VERSION} seed={seed} target={target_bytes} reports={} bytes={}\n",
        stats.reports, stats.bytes
    )
}

/// Writes the corpus into `dir` (emptied first): the reports, `reports.toml`, and the marker
/// last, so an interrupted run never leaves a folder that looks complete.
pub fn write_corpus(
    dir: &Path,
    pool: &Pool,
    seed: u64,
    target_bytes: u64,
) -> io::Result<CorpusStats> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    let mut manifest = String::from("# Synthetic corpus of the themis scale benchmark.\n\n");
    let mut stats = CorpusStats {
        reports: 0,
        bytes: 0,
    };
    for report in Generator::new(pool, seed, target_bytes) {
        let path = dir.join(&report.file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, &report.text)?;
        manifest.push_str(&report.manifest_entry());
        stats.reports += 1;
        stats.bytes += report.text.len() as u64;
    }
    fs::write(dir.join("reports.toml"), manifest)?;
    fs::write(dir.join(MARKER), marker_text(seed, target_bytes, stats))?;
    Ok(stats)
}

/// Reuses the corpus in `dir` when its marker says it was generated with these parameters,
/// else (re)generates it. Returns the corpus and whether it was reused.
pub fn ensure_corpus(
    dir: &Path,
    pool: &Pool,
    seed: u64,
    target_bytes: u64,
) -> io::Result<(CorpusStats, bool)> {
    if let Ok(marker) = fs::read_to_string(dir.join(MARKER)) {
        let expected = format!("version={GENERATOR_VERSION} seed={seed} target={target_bytes} ");
        if let Some(rest) = marker.strip_prefix(&expected) {
            let field = |name: &str| -> Option<u64> {
                rest.split_whitespace()
                    .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('=')?.parse().ok())
            };
            if let (Some(reports), Some(bytes)) = (field("reports"), field("bytes")) {
                return Ok((CorpusStats { reports, bytes }, true));
            }
        }
    }
    Ok((write_corpus(dir, pool, seed, target_bytes)?, false))
}

/// What a mix query exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    /// Plain words (all must match).
    Terms,
    /// A quoted phrase (also run with ripgrep).
    Phrase,
    /// OR / AND NOT / + / grouping.
    Boolean,
    /// A `--theme` filter.
    Theme,
    /// A `--region` filter.
    Region,
    /// A `--year` or `--since` filter.
    Year,
}

impl QueryKind {
    /// Short name for tables and JSON.
    pub fn name(self) -> &'static str {
        match self {
            QueryKind::Terms => "terms",
            QueryKind::Phrase => "phrase",
            QueryKind::Boolean => "boolean",
            QueryKind::Theme => "theme",
            QueryKind::Region => "region",
            QueryKind::Year => "year",
        }
    }
}

/// One query of the fixed mix.
#[derive(Debug, Clone)]
pub struct MixQuery {
    /// What it exercises.
    pub kind: QueryKind,
    /// The query text, in themis syntax.
    pub query: &'static str,
    /// Filters.
    pub filters: Filters,
}

impl MixQuery {
    /// The request as `themis search` sends it by default: 10 reports, 3 excerpts each, with
    /// excerpts and highlights.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.query.to_string(),
            filters: self.filters.clone(),
            offset: 0,
            limit: 10,
            per_report: 3,
            context: 0,
            theme_ids: None,
        }
    }

    /// For phrase queries, the phrase without its quotes.
    pub fn phrase(&self) -> Option<&'static str> {
        (self.kind == QueryKind::Phrase).then(|| self.query.trim_matches('"'))
    }

    /// For phrase queries, the ripgrep arguments a user would type for the same phrase: a
    /// fixed string (`-F`), except that an apostrophe becomes `['’]`, since the reports use the
    /// curly one and themis folds both (a fixed `children's` would find nothing).
    pub fn rg_pattern(&self) -> Option<Vec<String>> {
        let phrase = self.phrase()?;
        Some(if phrase.contains('\'') {
            vec!["-e".into(), phrase.replace('\'', "['’]")]
        } else {
            vec!["-F".into(), "-e".into(), phrase.into()]
        })
    }

    /// A one-line label: the query and its filters.
    pub fn label(&self) -> String {
        let mut label = self.query.to_string();
        let f = &self.filters;
        if let Some(r) = &f.region {
            let _ = write!(label, " --region '{r}'");
        }
        if let Some(y) = f.year {
            let _ = write!(label, " --year {y}");
        }
        if let Some(y) = f.since {
            let _ = write!(label, " --since {y}");
        }
        for t in &f.themes {
            let _ = write!(label, " --theme {t}");
        }
        label
    }
}

/// The fixed mix of 24 queries: 6 term, 6 phrase, 4 boolean, 3 theme, 3 region and 2 year
/// queries (some filters combined), all phrased the way the README teaches.
pub fn query_mix() -> Vec<MixQuery> {
    let plain = |kind, query| MixQuery {
        kind,
        query,
        filters: Filters::default(),
    };
    let with = |kind, query, filters| MixQuery {
        kind,
        query,
        filters,
    };
    let region = |r: &str| Some(r.to_string());
    let themes = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    vec![
        plain(QueryKind::Terms, "vetting delays"),
        plain(QueryKind::Terms, "caseload"),
        plain(QueryKind::Terms, "management oversight"),
        plain(QueryKind::Terms, "professional curiosity"),
        plain(QueryKind::Terms, "staff"),
        plain(QueryKind::Terms, "accommodation release"),
        plain(QueryKind::Phrase, "\"information sharing\""),
        plain(QueryKind::Phrase, "\"risk of serious harm\""),
        plain(QueryKind::Phrase, "\"domestic abuse\""),
        plain(QueryKind::Phrase, "\"public protection\""),
        plain(QueryKind::Phrase, "\"children's social services\""),
        plain(QueryKind::Phrase, "\"management oversight\""),
        plain(QueryKind::Boolean, "caseload OR workload"),
        // Not `vetting AND NOT police`: that form finds nothing (reported separately).
        plain(QueryKind::Boolean, "vetting -police"),
        plain(
            QueryKind::Boolean,
            "(police OR \"children's services\") AND \"information sharing\"",
        ),
        plain(QueryKind::Boolean, "+inexperienced staff -training"),
        with(
            QueryKind::Theme,
            "delays",
            Filters {
                themes: themes(&["vetting-recruitment"]),
                ..Filters::default()
            },
        ),
        with(
            QueryKind::Theme,
            "",
            Filters {
                themes: themes(&["management-oversight"]),
                ..Filters::default()
            },
        ),
        with(
            QueryKind::Theme,
            "police",
            Filters {
                themes: themes(&["information-sharing"]),
                since: Some(2022),
                ..Filters::default()
            },
        ),
        with(
            QueryKind::Region,
            "vetting delays",
            Filters {
                region: region("South West"),
                ..Filters::default()
            },
        ),
        with(
            QueryKind::Region,
            "\"public protection\"",
            Filters {
                region: region("Wales"),
                ..Filters::default()
            },
        ),
        with(
            QueryKind::Region,
            "workload",
            Filters {
                region: region("London"),
                year: Some(2024),
                ..Filters::default()
            },
        ),
        with(
            QueryKind::Year,
            "management oversight",
            Filters {
                year: Some(2019),
                ..Filters::default()
            },
        ),
        with(
            QueryKind::Year,
            "interventions",
            Filters {
                since: Some(2024),
                ..Filters::default()
            },
        ),
    ]
}
