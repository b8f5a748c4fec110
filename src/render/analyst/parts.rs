//! The analyst's report below the heatmaps: themes year by year (small line charts), themes
//! together in one sentence (a matrix and the leading pairs), and recurring findings per
//! region with their quotes.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{count, polarity_title, Links, Target};
use crate::render::html::{compact, esc, Scale};
use crate::render::svg::{HeatCell, HeatColumn, HeatRow, Heatmap, Line, LineChart};
use crate::views::analyst::{
    AnalystReport, HEATMAP_GROUPING, MATRIX_THEMES, QUOTED_FINDINGS, QUOTED_REPORTS,
    REGION_GROUPING, TOP_PAIRS, TREND_THEMES,
};
use crate::views::evidence::CellKey;
use crate::views::format_number;
use crate::views::frequency::GroupBy;

/// Small line charts of the most raised themes, one line per polarity, on one scale.
pub(super) fn trends(s: &mut String, report: &AnalystReport) {
    s.push_str("<section id=\"trends\">\n<h2>Year by year</h2>\n");
    let Some(years) = report
        .trends
        .iter()
        .find_map(|(_, t)| t.series.first())
        .map(|series| series.years.clone())
        .filter(|y| !y.is_empty())
    else {
        s.push_str("<p class=\"empty\">No dated reports.</p>\n</section>\n");
        return;
    };
    // The themes with the most sentences over the polarities shown.
    let mut totals: BTreeMap<&str, (u64, &str)> = BTreeMap::new();
    for (_, trends) in &report.trends {
        for theme in trends.series.iter().flat_map(|s| &s.themes) {
            let entry = totals.entry(&theme.id).or_insert((0, &theme.label));
            entry.0 += theme.sentences;
        }
    }
    let mut ranked: Vec<(&str, u64, &str)> = totals
        .into_iter()
        .filter(|(_, (n, _))| *n > 0)
        .map(|(id, (n, label))| (id, n, label))
        .collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let shown = ranked.len().min(TREND_THEMES);
    let y_max = report
        .trends
        .iter()
        .flat_map(|(_, t)| t.series.iter().flat_map(|s| &s.themes))
        .filter(|t| ranked[..shown].iter().any(|(id, _, _)| *id == t.id))
        .flat_map(|t| t.points.iter().filter_map(|p| p.per10k))
        .fold(0.0, f64::max);
    let y_max = nice_ceiling(y_max);
    let year_facts: Vec<String> = years
        .iter()
        .filter(|y| y.reports > 0)
        .map(|y| {
            format!(
                "{} ({}, {})",
                y.year,
                count(y.reports, "report"),
                count(y.sentences, "sentence")
            )
        })
        .collect();
    let _ = writeln!(
        s,
        "<p class=\"note\">Tagged sentences per 10,000 sentences of each year's reports, for the {} most raised of {} themes; every chart has the same scale. A point is a year with reports; years without any have none. Years: {}.</p>",
        shown,
        ranked.len(),
        esc(&year_facts.join(" · "))
    );
    s.push_str("<p class=\"key\">");
    for (polarity, _) in &report.trends {
        let _ = write!(
            s,
            "<span class=\"{polarity}\">{} {}</span>",
            if matches!(polarity, crate::themes::Polarity::Strength) {
                "- - ○"
            } else {
                "—●"
            },
            polarity_title(*polarity)
        );
    }
    s.push_str("</p>\n<div class=\"charts\">\n");
    let year_numbers: Vec<i32> = years.iter().map(|y| y.year).collect();
    for (id, _, label) in ranked.iter().take(shown) {
        let mut lines = Vec::new();
        let mut flags = Vec::new();
        for (polarity, trends) in &report.trends {
            let Some(theme) = trends
                .series
                .first()
                .and_then(|s| s.themes.iter().find(|t| t.id == *id))
            else {
                continue;
            };
            let theme_flags = theme.flags();
            if !theme_flags.is_empty() {
                flags.push(format!("{polarity}: {}", theme_flags.join(", ")));
            }
            lines.push(Line {
                class: polarity.to_string(),
                values: theme.points.iter().map(|p| p.per10k).collect(),
                titles: theme
                    .points
                    .iter()
                    .zip(&years)
                    .map(|(p, y)| {
                        format!(
                            "{} {polarity} in {}: {} per 10k ({} in {} of the year's {})",
                            label,
                            p.year,
                            p.per10k.map_or("–".into(), format_number),
                            count(p.sentences, "sentence"),
                            p.reports,
                            count(y.reports, "report")
                        )
                    })
                    .collect(),
            });
        }
        let chart = LineChart {
            aria_label: format!("{label}: share per 10,000 sentences by year"),
            years: year_numbers.clone(),
            lines,
            y_max,
            y_label: "per 10k".into(),
            width: 270.0,
            height: 130.0,
        };
        let _ = writeln!(
            s,
            "<figure class=\"trend\" data-theme=\"{}\"><figcaption>{}<span class=\"flags\">{}</span></figcaption>\n{}</figure>",
            esc(id),
            esc(label),
            esc(&if flags.is_empty() { "no flags".to_string() } else { flags.join(" · ") }),
            chart.svg()
        );
    }
    s.push_str("</div>\n<p class=\"note\">Flags: persistent = raised in at least 3 years; rising / falling = over the last 3 years with reports, each with at least 2, the share's slope and the last year at least 1.5 times the first (or the reverse); <code>themis trends</code> has the numbers.</p>\n</section>\n");
}

/// The matrix of themes together in one sentence, and the leading pairs.
pub(super) fn together(s: &mut String, report: &AnalystReport, links: &mut Links) {
    let c = &report.cooccur;
    let _ = writeln!(
        s,
        "<section id=\"together\">\n<h2>Themes together</h2>\n<p class=\"note\">Sentences tagged with both themes (of any polarity): {} pairs in {} of {}. Lift: how many times more often than if the themes were independent (1 is chance).</p>",
        c.pair_count,
        count(c.units, "sentence"),
        count(c.reports, "report")
    );
    if c.pairs.is_empty() {
        s.push_str("<p class=\"empty\">No sentence carries two themes.</p>\n</section>\n");
        return;
    }
    // The themes of the leading pairs, in the order their pairs lead, so the pairs listed
    // under the matrix are in it.
    let mut themes: Vec<usize> = Vec::new();
    for pair in &c.pairs {
        for id in [&pair.a, &pair.b] {
            if let Some(n) = report.theme_number(id) {
                if !themes.contains(&n) && themes.len() < MATRIX_THEMES {
                    themes.push(n);
                }
            }
        }
        if themes.len() >= MATRIX_THEMES {
            break;
        }
    }
    if themes.len() < 2 {
        s.push_str("<p class=\"empty\">Too few themes to draw.</p>\n</section>\n");
        return;
    }
    let pair_of: BTreeMap<(usize, usize), &crate::views::cooccur::Pair> = c
        .pairs
        .iter()
        .filter_map(|p| {
            let (a, b) = (report.theme_number(&p.a)?, report.theme_number(&p.b)?);
            Some(((a.min(b), a.max(b)), p))
        })
        .collect();
    let label = |n: usize| {
        report
            .themes
            .get(n)
            .map_or("", |(_, l)| l.as_str())
            .to_string()
    };
    let max = c.pairs.iter().map(|p| p.count).max().unwrap_or(0) as f64;
    let rows = themes
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, &a)| HeatRow {
            label: label(a),
            cells: themes[..themes.len() - 1]
                .iter()
                .enumerate()
                .map(|(j, &b)| {
                    if j >= i {
                        return None;
                    }
                    let key = (a.min(b), a.max(b));
                    let pair = pair_of.get(&key);
                    let n = pair.map_or(0, |p| p.count);
                    Some(HeatCell {
                        value: n as f64,
                        text: if n > 0 {
                            compact(n as f64)
                        } else {
                            String::new()
                        },
                        title: match pair {
                            Some(p) => format!(
                                "{} + {}: {} in {}; lift {}, NPMI {}",
                                label(a),
                                label(b),
                                count(p.count, "sentence"),
                                count(p.reports, "report"),
                                format_number(p.lift),
                                format_number(p.npmi)
                            ),
                            None => format!("{} + {}: never together", label(a), label(b)),
                        },
                        href: (n > 0)
                            .then(|| links.href(report, Target::Pair(key.0, key.1)))
                            .flatten(),
                    })
                })
                .collect(),
        })
        .collect();
    let svg = Heatmap {
        class: "matrix".into(),
        aria_label: format!(
            "Matrix of {} themes: sentences tagged with both of two themes",
            themes.len()
        ),
        columns: themes[..themes.len() - 1]
            .iter()
            .map(|&n| HeatColumn {
                label: label(n),
                title: label(n),
            })
            .collect(),
        rows,
        footer: Vec::new(),
        scale: Scale::Purples,
        cell_w: 30.0,
        cell_h: 22.0,
        legend: (0..5)
            .map(|i| compact((max * f64::from(i) / 4.0).round()))
            .collect(),
    }
    .svg();
    let _ = writeln!(
        s,
        "<figure>\n{svg}<figcaption>The {} themes of the leading pairs; each number is the sentences tagged with both themes (its row's and its column's) and links to them.</figcaption>\n</figure>",
        themes.len()
    );
    s.push_str("<h3>Leading pairs</h3>\n<table class=\"data pairs\"><thead><tr><th>Themes</th><th>Sentences</th><th>Reports</th><th>Lift</th><th>NPMI</th></tr></thead><tbody>\n");
    for pair in c.pairs.iter().take(TOP_PAIRS) {
        let (Some(a), Some(b)) = (report.theme_number(&pair.a), report.theme_number(&pair.b))
        else {
            continue;
        };
        let number = match links.href(report, Target::Pair(a.min(b), a.max(b))) {
            Some(href) => format!("<a href=\"{}\">{}</a>", esc(&href), pair.count),
            None => pair.count.to_string(),
        };
        let _ = writeln!(
            s,
            "<tr><td>{} + {}</td><td class=\"num\">{number}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&pair.a_label),
            esc(&pair.b_label),
            pair.reports,
            format_number(pair.lift),
            format_number(pair.npmi)
        );
    }
    s.push_str("</tbody></table>\n</section>\n");
}

/// Recurring findings per region, each with its quotes and a link to all its sentences.
pub(super) fn findings(s: &mut String, report: &AnalystReport, links: &mut Links) {
    let f = &report.findings;
    let polarity: crate::themes::Polarity = f
        .polarity
        .parse()
        .unwrap_or(crate::themes::Polarity::Concern);
    let _ = writeln!(
        s,
        "<section id=\"findings\">\n<h2>Recurring findings</h2>\n<p class=\"note\">Themes raised ({}) in at least {} of a region's reports, most widespread and most recent first: the first {} with the most representative sentence of each of the newest {} reports, the others named.</p>\n<div class=\"regions\">",
        esc(&f.polarity),
        f.min_reports,
        QUOTED_FINDINGS,
        QUOTED_REPORTS
    );
    if f.regions.is_empty() {
        s.push_str("<p class=\"empty\">No region has reports.</p>\n");
    }
    let heatmap_columns: Option<&Vec<crate::views::frequency::Group>> = report
        .heatmaps
        .first()
        .filter(|_| report.request.by == GroupBy::Region)
        .map(|h| &h.matrix.groups);
    for region in &f.regions {
        let title = if region.region == "unknown" {
            "Region unknown"
        } else {
            region.region.as_str()
        };
        let _ = writeln!(
            s,
            "<div class=\"region\"><h3>{} <span class=\"muted\">({})</span></h3>",
            esc(title),
            count(region.reports as u64, "report")
        );
        if region.findings.is_empty() {
            s.push_str("<p class=\"empty\">No recurring findings.</p></div>\n");
            continue;
        }
        // The region's cells: the heatmap's own when its columns are regions.
        let (grouping, column) = match heatmap_columns {
            Some(groups) => (
                HEATMAP_GROUPING,
                groups.iter().position(|g| g.key == region.region),
            ),
            None => (
                REGION_GROUPING,
                report
                    .region_columns
                    .iter()
                    .position(|r| *r == region.region),
            ),
        };
        s.push_str("<ul class=\"findings\">\n");
        let mut also = Vec::new();
        for (place, finding) in region.findings.iter().enumerate() {
            let key = report
                .theme_number(&finding.theme)
                .zip(column)
                .map(|(theme, column)| CellKey {
                    grouping,
                    polarity,
                    theme,
                    column,
                });
            let href = key.and_then(|key| links.href(report, Target::Cell(key)));
            let linked = |text: String| match &href {
                Some(h) => format!("<a href=\"{}\">{text}</a>", esc(h)),
                None => text,
            };
            if place >= QUOTED_FINDINGS {
                also.push(format!(
                    "{} ({})",
                    linked(esc(&finding.label)),
                    count(finding.report_count as u64, "report")
                ));
                continue;
            }
            let years = match (finding.first_year, finding.last_year) {
                (Some(a), Some(b)) if a == b => a.to_string(),
                (Some(a), Some(b)) => format!("{a}–{b}"),
                _ => "years unknown".into(),
            };
            // The sentences of the finding's polarity in the region's reports: its evidence.
            let sentences = key
                .and_then(|key| report.evidence.cell(&key))
                .map_or(0, |b| b.sentences);
            let _ = write!(
                s,
                "<li class=\"finding\"><strong>{}</strong> — {} of {}, {years}; {}",
                linked(esc(&finding.label)),
                finding.report_count,
                count(region.reports as u64, "report"),
                linked(count(sentences, &format!("{polarity} sentence")))
            );
            for mention in &finding.reports {
                let Some(e) = &mention.evidence else { continue };
                let year = e.year.map_or("year unknown".into(), |y| y.to_string());
                let section = e
                    .section
                    .as_deref()
                    .map(|s| format!(" · {}", esc(s)))
                    .unwrap_or_default();
                let _ = write!(
                    s,
                    "<blockquote>“{}”<br><span class=\"source\">{}, {year}{section}</span></blockquote>",
                    esc(&e.text),
                    esc(&e.title)
                );
            }
            if finding.report_count > finding.reports.len() {
                let _ = write!(
                    s,
                    "<p class=\"more\">Quoted: the newest {} of {} reports.</p>",
                    finding.reports.len(),
                    finding.report_count
                );
            }
            s.push_str("</li>\n");
        }
        s.push_str("</ul>\n");
        if !also.is_empty() {
            let _ = writeln!(
                s,
                "<p class=\"also\">Also recurring: {}.</p>",
                also.join(", ")
            );
        }
        s.push_str("</div>\n");
    }
    s.push_str("</div>\n</section>\n");
}

/// The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ at or above `v`: a y axis's top that reads as a round
/// number.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|&top| top >= v * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude)
}

#[cfg(test)]
mod tests {
    use super::nice_ceiling;

    #[test]
    fn test_nice_ceiling() {
        assert_eq!(nice_ceiling(1024.0), 1200.0);
        assert_eq!(nice_ceiling(448.4), 500.0);
        assert_eq!(nice_ceiling(200.0), 200.0);
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(2.3), 2.5);
    }
}
