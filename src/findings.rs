//! Recurring findings: for each region, the themes raised in at least N of its reports (most
//! widespread and most recent first), with the years they span, concern and strength counts
//! and the most representative sentence from each report; and, across regions, the systemic
//! findings raised in at least N regions.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use tantivy::query::{BooleanQuery, EnableScoring, Query};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::corpus::ReportType;
use crate::error::{Error, Result};
use crate::index::{
    for_each_live_match, kind, must_term, Fields, ReportSummary, StoredSentence, ThemisIndex,
};
use crate::stats::{Cell, CountTable, PolarityFilter};
use crate::themes::{Polarity, Tagger};

/// What to list.
#[derive(Debug, Clone, PartialEq)]
pub struct FindingsRequest {
    /// Only this region (canonical name).
    pub region: Option<String>,
    /// A theme recurs when raised in at least this many reports (or regions, across regions).
    pub min_reports: usize,
    /// Which sentences count.
    pub polarity: PolarityFilter,
    /// Systemic findings across regions instead of per region.
    pub across_regions: bool,
    /// Quote at most this many reports per theme, newest first (0: all of them). All reports
    /// are still counted.
    pub max_reports: usize,
    /// Across regions, a theme is systemic when raised in at least this share of the regions
    /// compared (and in at least `min_reports` of them, and at least 2).
    pub min_region_share: f64,
}

impl Default for FindingsRequest {
    fn default() -> Self {
        FindingsRequest {
            region: None,
            min_reports: 2,
            polarity: PolarityFilter::Only(Polarity::Concern),
            across_regions: false,
            max_reports: DEFAULT_MAX_REPORTS,
            min_region_share: DEFAULT_MIN_REGION_SHARE,
        }
    }
}

/// Reports quoted per theme unless asked otherwise: enough to see a theme recur over the years,
/// few enough that a corpus of thousands of reports gives a readable answer.
pub const DEFAULT_MAX_REPORTS: usize = 5;

/// Share of the regions compared that a systemic theme must be raised in: with two regions,
/// "systemic" then means "in both"; with twelve, in at least six.
pub const DEFAULT_MIN_REGION_SHARE: f64 = 0.5;

/// A quoted sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// Report id.
    pub report: String,
    /// Report title.
    pub title: String,
    /// Report year.
    pub year: Option<i32>,
    /// Section of the sentence.
    pub section: Option<String>,
    /// Byte offset in the source file.
    pub start: usize,
    /// Byte end offset in the source file.
    pub end: usize,
    /// The sentence.
    pub text: String,
    /// Its polarity.
    pub polarity: Polarity,
}

/// One theme's appearance in one report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportMention {
    /// Report id.
    pub report: String,
    /// Title.
    pub title: String,
    /// Year.
    pub year: Option<i32>,
    /// Report type.
    #[serde(rename = "type")]
    pub report_type: ReportType,
    /// Concern sentences.
    pub concern: u64,
    /// Strength sentences.
    pub strength: u64,
    /// The most representative sentence.
    pub evidence: Option<Evidence>,
}

/// A theme that recurs in a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    /// Theme id.
    pub theme: String,
    /// Theme label.
    pub label: String,
    /// Category.
    pub category: String,
    /// Years it appears in, ascending.
    pub years: Vec<i32>,
    /// First year seen.
    pub first_year: Option<i32>,
    /// Last year seen.
    pub last_year: Option<i32>,
    /// Concern sentences across the reports.
    pub concern: u64,
    /// Strength sentences across the reports.
    pub strength: u64,
    /// Reports of the region raising the theme.
    pub report_count: usize,
    /// The newest of them (at most `max_reports`), newest first.
    pub reports: Vec<ReportMention>,
}

/// Recurring findings of one region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionFindings {
    /// Canonical region, or "unknown".
    pub region: String,
    /// Reports indexed for the region.
    pub reports: usize,
    /// Recurring themes, most widespread and most recent first.
    pub findings: Vec<Finding>,
}

/// A theme raised in several regions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemicFinding {
    /// Theme id.
    pub theme: String,
    /// Label.
    pub label: String,
    /// Category.
    pub category: String,
    /// Regions raising it, sorted.
    pub regions: Vec<String>,
    /// Reports raising it.
    pub reports: usize,
    /// First year seen.
    pub first_year: Option<i32>,
    /// Last year seen.
    pub last_year: Option<i32>,
    /// Concern sentences.
    pub concern: u64,
    /// Strength sentences.
    pub strength: u64,
    /// One excerpt per region (from its most recent report).
    pub evidence: Vec<Evidence>,
}

/// The findings answer, wrapped so fields can be added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingsReport {
    /// Polarity counted.
    pub polarity: String,
    /// Minimum reports (or, across regions, regions: the larger of `--min-reports`, 2 and the
    /// share of the regions compared).
    pub min_reports: usize,
    /// Whether this is the across-regions answer.
    pub across_regions: bool,
    /// Across regions: the regions with indexed reports (of known region) that were compared.
    pub regions_compared: usize,
    /// Per-region findings (empty with `across_regions`).
    pub regions: Vec<RegionFindings>,
    /// Systemic findings (only with `across_regions`).
    pub systemic: Vec<SystemicFinding>,
}

/// Computes recurring findings from the index.
pub fn findings(
    index: &ThemisIndex,
    tagger: &Tagger,
    request: &FindingsRequest,
) -> Result<FindingsReport> {
    let table = CountTable::load(index, tagger)?;
    findings_in(index, tagger, &table, request)
}

/// [`findings`] over the reports of `table` (the index's counts, possibly
/// [filtered](CountTable::filtered)): the analyst's HTML report reads one table for all its
/// parts.
pub fn findings_in(
    index: &ThemisIndex,
    tagger: &Tagger,
    table: &CountTable,
    request: &FindingsRequest,
) -> Result<FindingsReport> {
    let taxonomy = tagger.taxonomy();
    let ranks = recency_ranks(table);
    let searcher = index.reader()?.searcher();
    let filter = request.polarity;
    // Cells grouped by theme number and region position (regions sorted by name): at 1 GB
    // there are 3.5 million cells, and keying maps on region names cost a fifth of the time.
    let region_names: Vec<&str> = table
        .reports
        .iter()
        .map(region_name)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let position = |name: &str| region_names.binary_search(&name).ok();
    let region_of: Vec<usize> = table
        .reports
        .iter()
        .map(|r| position(region_name(r)).unwrap_or(0))
        .collect();
    let included: Vec<bool> = region_names
        .iter()
        .map(|name| request.region.as_ref().is_none_or(|r| r == name))
        .collect();
    let mut by_theme: Vec<Vec<Vec<&Cell>>> =
        vec![vec![Vec::new(); region_names.len()]; taxonomy.themes.len()];
    for cell in table.cells.iter().filter(|c| c.count(filter) > 0) {
        let region = region_of[cell.report];
        if let Some(cells) = by_theme.get_mut(cell.theme).filter(|_| included[region]) {
            cells[region].push(cell);
        }
    }
    let regions_compared = region_names.iter().filter(|r| **r != "unknown").count();
    let min = if request.across_regions {
        let share = (request.min_region_share.clamp(0.0, 1.0) * regions_compared as f64).ceil();
        request.min_reports.max(2).max(share as usize)
    } else {
        request.min_reports.max(1)
    };
    let mut out = FindingsReport {
        polarity: filter.name(),
        min_reports: min,
        across_regions: request.across_regions,
        regions_compared,
        regions: Vec::new(),
        systemic: Vec::new(),
    };

    if request.across_regions {
        for (number, theme) in taxonomy.themes.iter().enumerate() {
            let known: Vec<(&str, &Vec<&Cell>)> = region_names
                .iter()
                .zip(&by_theme[number])
                .filter(|(r, cells)| **r != "unknown" && !cells.is_empty())
                .map(|(r, cells)| (*r, cells))
                .collect();
            if known.len() < min {
                continue;
            }
            let all: Vec<&Cell> = known.iter().flat_map(|(_, c)| c.iter().copied()).collect();
            let years = years_of(table, &all);
            let mut evidence = Vec::new();
            for (_, cells) in &known {
                if let Some(newest) = newest_first(&ranks, cells, 1).first() {
                    evidence.extend(representative(
                        &searcher, index, tagger, table, &theme.id, newest, filter,
                    )?);
                }
            }
            out.systemic.push(SystemicFinding {
                theme: theme.id.clone(),
                label: theme.label.clone(),
                category: theme.category.clone(),
                regions: known.iter().map(|(r, _)| (*r).to_string()).collect(),
                reports: all.len(),
                first_year: years.first().copied(),
                last_year: years.last().copied(),
                concern: all.iter().map(|c| c.concern).sum(),
                strength: all.iter().map(|c| c.strength).sum(),
                evidence,
            });
        }
        out.systemic.sort_by(|a, b| {
            (b.regions.len(), b.reports, b.last_year, &a.theme).cmp(&(
                a.regions.len(),
                a.reports,
                a.last_year,
                &b.theme,
            ))
        });
        return Ok(out);
    }

    let mut reports_by_region: BTreeMap<&str, usize> = BTreeMap::new();
    for report in &table.reports {
        *reports_by_region.entry(region_name(report)).or_default() += 1;
    }
    if let Some(only) = &request.region {
        reports_by_region.retain(|r, _| r == only);
        // A region with no reports is an answer ("0 reports indexed"), not an absence.
        reports_by_region.entry(only.as_str()).or_insert(0);
    }
    for (region, reports_in_region) in reports_by_region {
        let mut region_findings = Vec::new();
        for (number, theme) in taxonomy.themes.iter().enumerate() {
            let Some(cells) = position(region).map(|r| &by_theme[number][r]) else {
                continue;
            };
            if cells.len() < min {
                continue;
            }
            let years = years_of(table, cells);
            let mut mentions = Vec::new();
            for cell in newest_first(&ranks, cells, request.max_reports) {
                let report = &table.reports[cell.report];
                mentions.push(ReportMention {
                    report: report.id.clone(),
                    title: report.title.clone(),
                    year: report.year,
                    report_type: report.report_type,
                    concern: cell.concern,
                    strength: cell.strength,
                    evidence: representative(
                        &searcher, index, tagger, table, &theme.id, cell, filter,
                    )?,
                });
            }
            region_findings.push(Finding {
                theme: theme.id.clone(),
                label: theme.label.clone(),
                category: theme.category.clone(),
                first_year: years.first().copied(),
                last_year: years.last().copied(),
                years,
                concern: cells.iter().map(|c| c.concern).sum(),
                strength: cells.iter().map(|c| c.strength).sum(),
                report_count: cells.len(),
                reports: mentions,
            });
        }
        region_findings.sort_by(|a, b| {
            let total = |f: &Finding| f.concern + f.strength;
            (b.report_count, b.last_year, total(b), &a.theme).cmp(&(
                a.report_count,
                a.last_year,
                total(a),
                &b.theme,
            ))
        });
        out.regions.push(RegionFindings {
            region: region.to_string(),
            reports: reports_in_region,
            findings: region_findings,
        });
    }
    Ok(out)
}

fn years_of(table: &CountTable, cells: &[&Cell]) -> Vec<i32> {
    let years: BTreeSet<i32> = cells
        .iter()
        .filter_map(|c| table.reports[c.report].year)
        .collect();
    years.into_iter().collect()
}

/// Each report's place in newest-first order (year, then date, descending; id on ties), so that
/// the cells of a theme are ordered by an integer rather than by comparing dates and ids.
pub(crate) fn recency_ranks(table: &CountTable) -> Vec<usize> {
    let mut order: Vec<usize> = (0..table.reports.len()).collect();
    // Ids are unique, so the order is total and an unstable sort gives the same one.
    order.sort_unstable_by(|&a, &b| {
        let (ma, mb) = (&table.reports[a], &table.reports[b]);
        (mb.year, &mb.date, &ma.id).cmp(&(ma.year, &ma.date, &mb.id))
    });
    let mut rank = vec![0; order.len()];
    for (place, report) in order.into_iter().enumerate() {
        rank[report] = place;
    }
    rank
}

/// The `limit` newest of `cells` (all of them for 0), newest first.
fn newest_first<'a>(ranks: &[usize], cells: &[&'a Cell], limit: usize) -> Vec<&'a Cell> {
    let mut sorted = cells.to_vec();
    if limit > 0 && limit < sorted.len() {
        sorted.select_nth_unstable_by_key(limit - 1, |c| ranks[c.report]);
        sorted.truncate(limit);
    }
    sorted.sort_unstable_by_key(|c| ranks[c.report]);
    sorted
}

/// The sentence that best stands for a theme in a report: of the polarity asked for (or the
/// report's dominant one), one whose own wording says so (the rules' cues read it the same
/// way: "Long vetting times ... made it difficult" rather than a note on where workforce data
/// came from that the tagger called a concern), about this theme alone rather than several,
/// of readable length; earliest on ties. Only the report's passages that carry the theme are
/// read.
fn representative(
    searcher: &Searcher,
    index: &ThemisIndex,
    tagger: &Tagger,
    table: &CountTable,
    theme: &str,
    cell: &Cell,
    filter: PolarityFilter,
) -> Result<Option<Evidence>> {
    let report = &table.reports[cell.report];
    let wanted = match filter {
        PolarityFilter::Only(p) => p,
        PolarityFilter::All if cell.strength > cell.concern => Polarity::Strength,
        PolarityFilter::All if cell.concern > 0 => Polarity::Concern,
        PolarityFilter::All => Polarity::Neutral,
    };
    let mut best: Option<(QuoteRank, Evidence)> = None;
    for address in theme_passages(searcher, index, theme, &report.id)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        for (sentence, themes) in tagged_sentences(&doc, &index.fields, report, theme, filter) {
            let words = sentence.text.split_whitespace().count();
            let wrong_polarity = sentence.polarity != wanted;
            // Only asked of sentences that could win on polarity: it analyses the text again.
            let cues_disagree =
                !wrong_polarity && tagger.polarity_verdict(&sentence.text).0 != wanted;
            let key: QuoteRank = (
                wrong_polarity,
                cues_disagree,
                themes,
                words.abs_diff(25),
                sentence.start,
            );
            if best.as_ref().is_none_or(|(k, _)| key < *k) {
                best = Some((key, sentence));
            }
        }
    }
    Ok(best.map(|(_, sentence)| sentence))
}

/// How a candidate quote ranks, lower first: wrong polarity, cues that read otherwise, other
/// themes, distance from a readable length, position.
type QuoteRank = (bool, bool, usize, usize, usize);

/// The passages of a report that carry `theme`, in index order.
fn theme_passages(
    searcher: &Searcher,
    index: &ThemisIndex,
    theme: &str,
    report: &str,
) -> Result<Vec<DocAddress>> {
    let fields = index.fields;
    let query = BooleanQuery::new(vec![
        must_term(fields.kind, kind::PASSAGE),
        must_term(fields.theme, theme),
        must_term(fields.report, report),
    ]);
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let report_term = Term::from_field_text(fields.report, report);
    let mut addresses = Vec::new();
    for (ord, reader) in searcher.segment_readers().iter().enumerate() {
        // A report's documents are in one segment or two: one term lookup rules out the others
        // before the three-term query runs (`findings` at 1 GB, 8 segments: 0.53 → 0.49 s).
        let postings = reader.inverted_index(fields.report)?;
        let held = postings
            .doc_freq(&report_term)
            .map_err(|e| Error::index("unreadable term dictionary", e))?;
        if held == 0 {
            continue;
        }
        for_each_live_match(weight.as_ref(), reader, |doc| {
            addresses.push(DocAddress::new(ord as u32, doc))
        })?;
    }
    Ok(addresses)
}

/// The sentences of a stored passage of `report` tagged with `theme` (and of the polarity the
/// filter asks for), as quoted evidence, each with the number of themes it carries.
fn tagged_sentences(
    doc: &TantivyDocument,
    fields: &Fields,
    report: &ReportSummary,
    theme: &str,
    filter: PolarityFilter,
) -> Vec<(Evidence, usize)> {
    let text = |f| doc.get_first(f).and_then(|v| v.as_str());
    let passage = text(fields.text).unwrap_or_default();
    let passage_start = doc
        .get_first(fields.start)
        .and_then(|v| v.as_u64())
        .unwrap_or(0) as usize;
    let section = text(fields.section).map(String::from);
    let tags: Vec<StoredSentence> = text(fields.data)
        .and_then(|data| serde_json::from_str(data).ok())
        .unwrap_or_default();
    tags.into_iter()
        .filter(|(_, _, polarity, themes)| {
            themes.iter().any(|t| t == theme) && filter.admits(*polarity)
        })
        .filter_map(|(start, end, polarity, themes)| {
            // Offsets are into the source file, as the passage's own start is.
            let within =
                passage.get(start.checked_sub(passage_start)?..end.checked_sub(passage_start)?)?;
            let evidence = Evidence {
                report: report.id.clone(),
                title: report.title.clone(),
                year: report.year,
                section: section.clone(),
                start,
                end,
                text: within.to_string(),
                polarity,
            };
            Some((evidence, themes.len()))
        })
        .collect()
}

/// A report's region, or "unknown".
fn region_name(report: &ReportSummary) -> &str {
    report.region.as_deref().unwrap_or("unknown")
}

/// One report's sentences about a theme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeReportExcerpts {
    /// Report id.
    pub report: String,
    /// Title.
    pub title: String,
    /// Region.
    pub region: Option<String>,
    /// Year.
    pub year: Option<i32>,
    /// Type.
    #[serde(rename = "type")]
    pub report_type: ReportType,
    /// The sentences, in document order.
    pub sentences: Vec<Evidence>,
}

/// A theme's sentences across reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeExcerpts {
    /// Reports with at least one sentence of the theme (after the filters).
    pub report_count: usize,
    /// The newest of them (at most the number asked for), newest first.
    pub reports: Vec<ThemeReportExcerpts>,
}

/// Every sentence tagged with `theme` (optionally in one region and one year, of one
/// polarity), grouped by report, newest report first; sentences are read for the newest
/// `max_reports` reports only (0: all). Which reports qualify comes from their theme counts
/// (fast fields), so only the passages of the reports shown are read.
pub fn theme_excerpts(
    index: &ThemisIndex,
    tagger: &Tagger,
    theme: &str,
    region: Option<&str>,
    year: Option<i32>,
    filter: PolarityFilter,
    max_reports: usize,
) -> Result<ThemeExcerpts> {
    let table = CountTable::load(index, tagger)?;
    let Some(number) = tagger.taxonomy().themes.iter().position(|t| t.id == theme) else {
        return Ok(ThemeExcerpts {
            report_count: 0,
            reports: Vec::new(),
        });
    };
    let mut order: Vec<&ReportSummary> = table
        .cells
        .iter()
        .filter(|c| c.theme == number && c.count(filter) > 0)
        .map(|c| &table.reports[c.report])
        .filter(|r| region.is_none_or(|wanted| r.region.as_deref() == Some(wanted)))
        .filter(|r| year.is_none_or(|wanted| r.year == Some(wanted)))
        .collect();
    order.sort_by(|a, b| (b.year, &b.date, &a.id).cmp(&(a.year, &a.date, &b.id)));
    let report_count = order.len();
    if max_reports > 0 {
        order.truncate(max_reports);
    }
    let searcher = index.reader()?.searcher();
    let mut out = Vec::with_capacity(order.len());
    for report in order {
        let mut sentences = Vec::new();
        for address in theme_passages(&searcher, index, theme, &report.id)? {
            let doc: TantivyDocument = searcher.doc(address)?;
            let fields = &index.fields;
            sentences.extend(
                tagged_sentences(&doc, fields, report, theme, filter)
                    .into_iter()
                    .map(|(sentence, _)| sentence),
            );
        }
        sentences.sort_by_key(|s| s.start);
        out.push(ThemeReportExcerpts {
            report: report.id.clone(),
            title: report.title.clone(),
            region: report.region.clone(),
            year: report.year,
            report_type: report.report_type,
            sentences,
        });
    }
    Ok(ThemeExcerpts {
        report_count,
        reports: out,
    })
}
