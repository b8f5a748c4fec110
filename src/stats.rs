//! Theme counts read from the index, not from the documents: every report document carries its
//! metadata and its tagged-sentence counts per theme and polarity in fast fields (written when
//! the report was tagged), so the counts that `themes`, `findings` and `report` need are one
//! columnar read per report, with no stored document decompressed.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::index::{ReportSummary, ThemisIndex};
use crate::themes::{Polarity, Tagger, Taxonomy};
use crate::views::frequency::{FrequencyReport, Group, GroupBy, Metric};
use crate::views::ReportFilter;

/// Which sentences to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PolarityFilter {
    /// Every tagged sentence.
    #[default]
    All,
    /// Only sentences with this polarity.
    Only(Polarity),
}

impl PolarityFilter {
    /// Whether a sentence of this polarity counts.
    pub fn admits(self, polarity: Polarity) -> bool {
        match self {
            PolarityFilter::All => true,
            PolarityFilter::Only(wanted) => polarity == wanted,
        }
    }

    /// Parses `all`, `concern`, `strength` or `neutral`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "all" => Ok(PolarityFilter::All),
            other => other.parse().map(PolarityFilter::Only).map_err(|_| {
                Error::InvalidArgument(format!(
                    "unknown polarity `{other}` (expected all, concern, strength or neutral)"
                ))
            }),
        }
    }

    /// The name used in output.
    pub fn name(self) -> String {
        match self {
            PolarityFilter::All => "all".into(),
            PolarityFilter::Only(p) => p.to_string(),
        }
    }
}

/// Tagged sentences of one theme in one report, by polarity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// Index into [`CountTable::reports`].
    pub report: usize,
    /// Theme number (taxonomy order; [`CountTable::theme_ids`] names it).
    pub theme: usize,
    /// Concern sentences.
    pub concern: u64,
    /// Strength sentences.
    pub strength: u64,
    /// Neutral sentences.
    pub neutral: u64,
}

impl Cell {
    /// The count that passes `filter`.
    pub fn count(&self, filter: PolarityFilter) -> u64 {
        match filter {
            PolarityFilter::All => self.concern + self.strength + self.neutral,
            PolarityFilter::Only(Polarity::Concern) => self.concern,
            PolarityFilter::Only(Polarity::Strength) => self.strength,
            PolarityFilter::Only(Polarity::Neutral) => self.neutral,
        }
    }
}

/// Every (report, theme) count in the index.
#[derive(Debug, Clone, Default)]
pub struct CountTable {
    /// Reports, sorted by id (their `theme_counts` are moved into [`CountTable::cells`]).
    pub reports: Vec<ReportSummary>,
    /// Theme ids in taxonomy order.
    pub theme_ids: Vec<String>,
    /// Non-zero cells, by report, then in taxonomy order.
    pub cells: Vec<Cell>,
}

/// Per-theme totals for `themis themes`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ThemeTotals {
    /// Tagged sentences.
    pub sentences: u64,
    /// Reports with at least one.
    pub reports: u64,
    /// Regions with at least one (unknown region not counted).
    pub regions: u64,
    /// Concern sentences.
    pub concern: u64,
    /// Strength sentences.
    pub strength: u64,
}

impl CountTable {
    /// Reads the counts from the report documents' fast fields (tagged at index time).
    pub fn load(index: &ThemisIndex, tagger: &Tagger) -> Result<CountTable> {
        if index.info.taxonomy != tagger.fingerprint() {
            return Err(Error::Index {
                message: format!(
                    "the index at {} was tagged with another taxonomy; run `themis index` to re-tag it",
                    index.path.display()
                ),
                source: None,
            });
        }
        let taxonomy = tagger.taxonomy();
        let searcher = index.reader()?.searcher();
        let mut reports = index.summaries(&searcher)?;
        let mut cells = Vec::with_capacity(reports.iter().map(|r| r.theme_counts.len()).sum());
        for (report, summary) in reports.iter_mut().enumerate() {
            // Moved into the cells rather than copied: at 1 GB they are 3.5 million.
            for count in std::mem::take(&mut summary.theme_counts) {
                if count.theme >= taxonomy.themes.len() {
                    continue;
                }
                cells.push(Cell {
                    report,
                    theme: count.theme,
                    concern: count.concern,
                    strength: count.strength,
                    neutral: count.neutral,
                });
            }
        }
        let theme_ids = taxonomy.themes.iter().map(|t| t.id.clone()).collect();
        Ok(CountTable {
            reports,
            theme_ids,
            cells,
        })
    }

    /// Totals per theme id.
    pub fn theme_totals(&self, filter: PolarityFilter) -> BTreeMap<String, ThemeTotals> {
        let mut totals: BTreeMap<usize, (ThemeTotals, BTreeSet<&str>)> = BTreeMap::new();
        for cell in &self.cells {
            let n = cell.count(filter);
            if n == 0 {
                continue;
            }
            let (t, regions) = totals.entry(cell.theme).or_default();
            t.sentences += n;
            t.reports += 1;
            t.concern += cell.concern;
            t.strength += cell.strength;
            if let Some(region) = &self.reports[cell.report].region {
                regions.insert(region);
            }
        }
        totals
            .into_iter()
            .map(|(theme, (mut t, regions))| {
                t.regions = regions.len() as u64;
                (self.theme_ids[theme].clone(), t)
            })
            .collect()
    }

    /// Only the reports `filter` admits, with their cells (the counts are unchanged).
    pub fn filtered(&self, filter: &ReportFilter) -> CountTable {
        let mut renumber = vec![None; self.reports.len()];
        let mut reports = Vec::new();
        for (i, report) in self.reports.iter().enumerate() {
            if filter.admits_summary(report) {
                renumber[i] = Some(reports.len());
                reports.push(report.clone());
            }
        }
        let cells = self
            .cells
            .iter()
            .filter_map(|cell| {
                let report = renumber.get(cell.report).copied().flatten()?;
                Some(Cell {
                    report,
                    ..cell.clone()
                })
            })
            .collect();
        CountTable {
            reports,
            theme_ids: self.theme_ids.clone(),
            cells,
        }
    }

    /// The column of the frequency matrix a report falls in, by `by`: its region, id, year or
    /// type ("unknown" when the region or year is).
    pub fn group_key(by: GroupBy, report: &ReportSummary) -> String {
        match by {
            GroupBy::Region => report.region.clone().unwrap_or_else(|| "unknown".into()),
            GroupBy::Report => report.id.clone(),
            GroupBy::Year => report.year.map_or("unknown".into(), |y| y.to_string()),
            GroupBy::Type => report.report_type.to_string(),
        }
    }

    /// The theme frequency matrix: themes × groups for one metric and polarity.
    pub fn frequency(
        &self,
        taxonomy: &Taxonomy,
        by: GroupBy,
        metric: Metric,
        filter: PolarityFilter,
    ) -> FrequencyReport {
        // Group key and label of each report.
        let key_of = |r: &ReportSummary| -> (String, String) {
            let key = Self::group_key(by, r);
            (key.clone(), key)
        };
        let mut group_index: BTreeMap<String, usize> = BTreeMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let report_group: Vec<usize> = self
            .reports
            .iter()
            .map(|r| {
                let (key, label) = key_of(r);
                let i = *group_index.entry(key.clone()).or_insert_with(|| {
                    groups.push(Group {
                        key,
                        label,
                        sentences: 0,
                        reports: 0,
                    });
                    groups.len() - 1
                });
                groups[i].sentences += r.sentences;
                groups[i].reports += 1;
                i
            })
            .collect();
        // Columns in a stable, readable order: by key (years ascending, names alphabetical),
        // with "unknown" last.
        let mut order: Vec<usize> = (0..groups.len()).collect();
        order.sort_by(|&a, &b| {
            let (ka, kb) = (&groups[a].key, &groups[b].key);
            (ka == "unknown", ka).cmp(&(kb == "unknown", kb))
        });
        let mut remap = vec![0; groups.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old] = new;
        }
        let groups: Vec<Group> = order.iter().map(|&i| groups[i].clone()).collect();

        let mut counts = vec![vec![0u64; groups.len()]; taxonomy.themes.len()];
        for cell in &self.cells {
            let (Some(row), Some(&group)) =
                (counts.get_mut(cell.theme), report_group.get(cell.report))
            else {
                continue;
            };
            let n = cell.count(filter);
            row[remap[group]] += match metric {
                Metric::Reports => u64::from(n > 0),
                Metric::Sentences | Metric::Per10k => n,
            };
        }
        let themes = taxonomy
            .themes
            .iter()
            .map(|t| (t.id.clone(), t.label.clone(), t.category.clone()))
            .collect();
        FrequencyReport::build(by, metric, filter.name(), groups, themes, counts)
    }
}
