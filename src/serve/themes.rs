//! The themes pages: `/themes`, where themes recur (the theme × region or year heatmap, themes
//! year by year, recurring findings per region and systemic ones), every number linking to its
//! sentences; and `/themes/ID`, a theme's sentences, newest report first.

use std::fmt::Write as _;

use super::html::{count, esc, href, page, Nav};
use super::params::Params;
use super::search::report_link;
use super::state::{AppState, Failure};
use crate::findings::{findings, theme_excerpts, FindingsRequest};
use crate::render::html::{fill, on_dark};
use crate::stats::{CountTable, PolarityFilter};
use crate::themes::Polarity;
use crate::views::format_number;
use crate::views::frequency::{FrequencyReport, GroupBy, Metric};
use crate::views::themes::ThemeSentences;
use crate::views::trends::{TrendsReport, TrendsRequest};

/// The parameters of `/themes`.
pub const OVERVIEW_PARAMS: &[&str] = &["by", "polarity"];
/// The parameters of `/themes/ID`.
pub const THEME_PARAMS: &[&str] = &["region", "year", "polarity", "max_reports"];
/// Reports quoted on a theme's page unless asked for all.
const THEME_REPORTS: usize = 20;

const DEFAULT_POLARITY: PolarityFilter = PolarityFilter::Only(Polarity::Concern);

/// `/themes`.
pub fn overview(state: &AppState, params: &Params) -> Result<String, Failure> {
    params.only(OVERVIEW_PARAMS)?;
    let by = match params.get("by") {
        None | Some("region") => GroupBy::Region,
        Some("year") => GroupBy::Year,
        Some(other) => {
            return Err(Failure::BadRequest(format!(
                "`by` must be region or year, not `{other}`"
            )))
        }
    };
    let polarity = params.polarity_filter("polarity", DEFAULT_POLARITY)?;
    let index = state.index()?;
    let banner = state.staleness(&index);
    let tagger = state.tagger();
    let taxonomy = tagger.taxonomy();
    let table = CountTable::load(&index, tagger)?;
    let frequency = table.frequency(taxonomy, by, Metric::Sentences, polarity);
    let trends = TrendsReport::build(
        &table,
        taxonomy,
        &TrendsRequest {
            polarity,
            ..TrendsRequest::default()
        },
    );
    let recurring = findings(
        &index,
        tagger,
        &FindingsRequest {
            polarity,
            ..FindingsRequest::default()
        },
    )?;
    let systemic = findings(
        &index,
        tagger,
        &FindingsRequest {
            polarity,
            across_regions: true,
            ..FindingsRequest::default()
        },
    )?;
    let p = polarity.name();
    let mut body = String::new();
    let _ = write!(
        body,
        "<h1>Where themes recur</h1>\n<p class=\"meta\">{} indexed; counting <strong>{}</strong> sentences. Every number links to its sentences.</p>\n",
        count(table.reports.len() as u64, "report"),
        esc(&p)
    );
    body.push_str("<div class=\"chips\"><span class=\"muted\">Polarity:</span>");
    for choice in ["concern", "strength", "neutral", "all"] {
        let class = if choice == p { "chip active" } else { "chip" };
        let _ = write!(
            body,
            "<a class=\"{class}\" href=\"{}\">{choice}</a>",
            href(
                "/themes",
                &[("by", by.as_str().into()), ("polarity", choice.into())]
            )
        );
    }
    body.push_str("</div>\n");
    heatmap(&mut body, &frequency, &p);
    trends_section(&mut body, &trends, &p);
    body.push_str("<div class=\"cols\">\n<section>\n<h2>Recurring findings per region</h2>\n");
    let _ = writeln!(
        body,
        "<p class=\"muted\">Themes raised ({}) in at least {} of a region's reports.</p>",
        esc(&p),
        recurring.min_reports
    );
    for region in &recurring.regions {
        let _ = write!(
            body,
            "<h3>{} <span class=\"count\">({})</span></h3>\n<ul class=\"plain\">",
            esc(&region.region),
            count(region.reports as u64, "report")
        );
        if region.findings.is_empty() {
            body.push_str("<li class=\"muted\">No recurring findings.</li>");
        }
        for f in &region.findings {
            let years = years_text(f.first_year, f.last_year);
            let narrow = Some(("region", region.region.as_str()));
            let _ = write!(
                body,
                "<li><a href=\"{}\">{}</a> — <a href=\"{}\">{}</a>, {years}; {}</li>",
                theme_href(&f.theme, narrow, &p),
                esc(&f.label),
                theme_href(&f.theme, narrow, &p),
                count(f.report_count as u64, "report"),
                polarity_counts(&f.theme, narrow, &p, f.concern, f.strength)
            );
        }
        body.push_str("</ul>\n");
    }
    body.push_str("</section>\n<section>\n<h2>Systemic findings</h2>\n");
    let _ = write!(
        body,
        "<p class=\"muted\">Themes raised ({}) in at least {} of the {} regions compared.</p>\n<ul class=\"plain\">",
        esc(&p),
        systemic.min_reports,
        systemic.regions_compared
    );
    if systemic.systemic.is_empty() {
        body.push_str("<li class=\"muted\">None.</li>");
    }
    for f in &systemic.systemic {
        let regions: Vec<String> = f
            .regions
            .iter()
            .map(|r| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    theme_href(&f.theme, Some(("region", r)), &p),
                    esc(r)
                )
            })
            .collect();
        let _ = write!(
            body,
            "<li><a href=\"{}\">{}</a> — {} regions ({}), {}, {}; {}</li>",
            theme_href(&f.theme, None, &p),
            esc(&f.label),
            f.regions.len(),
            regions.join(", "),
            count(f.reports as u64, "report"),
            years_text(f.first_year, f.last_year),
            polarity_counts(&f.theme, None, &p, f.concern, f.strength)
        );
    }
    body.push_str("</ul>\n</section>\n</div>\n");
    Ok(page("Themes", Nav::Themes, banner.as_deref(), &body))
}

/// "concern 8, strength 4" of a finding: each count is over the reports raising the theme
/// with the page's polarity, so a count links to its sentences where that is all of them (the
/// page's own polarity, or any when it counts all sentences).
fn polarity_counts(
    theme: &str,
    narrow: Option<(&str, &str)>,
    polarity: &str,
    concern: u64,
    strength: u64,
) -> String {
    let one = |name: &str, n: u64| {
        if polarity == "all" || polarity == name {
            format!(
                "{name} <a href=\"{}\">{n}</a>",
                theme_href(theme, narrow, name)
            )
        } else {
            format!("{name} {n}")
        }
    };
    format!("{}, {}", one("concern", concern), one("strength", strength))
}

fn years_text(first: Option<i32>, last: Option<i32>) -> String {
    match (first, last) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        _ => "years unknown".into(),
    }
}

/// The link to a theme's sentences, narrowed to a region or year.
fn theme_href(theme: &str, narrow: Option<(&str, &str)>, polarity: &str) -> String {
    let mut pairs = vec![("polarity", polarity.to_string())];
    if let Some((name, value)) = narrow {
        pairs.insert(0, (name, value.to_string()));
    }
    href(&format!("/themes/{}", super::html::encode(theme)), &pairs)
}

/// The theme × group table, cells shaded by their count, each count a link.
fn heatmap(out: &mut String, report: &FrequencyReport, polarity: &str) {
    let other = match report.by {
        GroupBy::Year => ("region", "by region"),
        _ => ("year", "by year"),
    };
    let _ = write!(
        out,
        "<h2>Themes by {}</h2>\n<p class=\"muted\">Tagged {} sentences per theme and {}; \
         <a href=\"{}\">show {}</a>.</p>\n<div class=\"wrap\"><table class=\"grid heatmap\">\n<thead><tr><th scope=\"col\">Theme</th>",
        report.by.noun(),
        esc(polarity),
        report.by.noun(),
        href("/themes", &[("by", other.0.into()), ("polarity", polarity.into())]),
        other.1
    );
    for group in &report.groups {
        let _ = write!(
            out,
            "<th scope=\"col\" title=\"{}\">{}</th>",
            esc(&format!(
                "{} reports, {} sentences",
                group.reports, group.sentences
            )),
            esc(&group.label)
        );
    }
    out.push_str("<th scope=\"col\">Total</th></tr></thead>\n<tbody>\n");
    let max = report
        .rows
        .iter()
        .flat_map(|r| r.values.iter().copied())
        .fold(0.0, f64::max);
    for row in report.rows.iter().filter(|r| r.total > 0.0) {
        let _ = write!(
            out,
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th>",
            theme_href(&row.id, None, polarity),
            esc(&row.label)
        );
        for (i, group) in report.groups.iter().enumerate() {
            let value = report.value(row, i);
            if value <= 0.0 {
                out.push_str("<td class=\"num heat\"></td>");
                continue;
            }
            let t = if max > 0.0 { value / max } else { 0.0 };
            let narrow = (group.key != "unknown").then(|| (report.by.as_str(), group.key.as_str()));
            let dark = if on_dark(t) { " dark" } else { "" };
            let _ = write!(
                out,
                "<td class=\"num heat{dark}\" style=\"background:{}\"><a href=\"{}\" title=\"{}\">{}</a></td>",
                fill(t),
                theme_href(&row.id, narrow, polarity),
                esc(&format!("{} · {}: {} sentences", row.label, group.label, report.format_value(value))),
                report.format_value(value)
            );
        }
        let _ = writeln!(
            out,
            "<td class=\"num\"><a href=\"{}\">{}</a></td></tr>",
            theme_href(&row.id, None, polarity),
            report.format_value(row.total)
        );
    }
    out.push_str("</tbody></table></div>\n");
}

/// Each theme's share year by year, with its flags.
fn trends_section(out: &mut String, trends: &TrendsReport, polarity: &str) {
    out.push_str("<h2>Trends</h2>\n");
    let Some(series) = trends.series.first() else {
        out.push_str("<p class=\"muted\">No dated reports.</p>\n");
        return;
    };
    let years: Vec<String> = series
        .years
        .iter()
        .filter(|y| y.reports > 0)
        .map(|y| format!("{} ({})", y.year, count(y.reports, "report")))
        .collect();
    let _ = write!(
        out,
        "<p class=\"muted\">{} sentences per 10,000 sentences of each year's reports. Years: {}.</p>\n\
         <div class=\"wrap\"><table class=\"grid\"><thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">By year</th>\
         <th scope=\"col\">First → last</th><th scope=\"col\">Flags</th></tr></thead><tbody>\n",
        esc(polarity),
        esc(&years.join(" · "))
    );
    for theme in &series.themes {
        // The first and last years with reports, each linking to that year's sentences.
        let dated: Vec<_> = theme.points.iter().filter(|p| p.per10k.is_some()).collect();
        let share = |point: &crate::views::trends::Point| {
            let year = point.year.to_string();
            format!(
                "<a href=\"{}\" title=\"{}\">{}</a>",
                theme_href(&theme.id, Some(("year", &year)), polarity),
                esc(&format!("{year}: {}", count(point.sentences, "sentence"))),
                format_number(point.per10k.unwrap_or(0.0))
            )
        };
        let shares = match (dated.first(), dated.last()) {
            (Some(a), Some(b)) => format!("{} → {}", share(a), share(b)),
            _ => String::new(),
        };
        let title: Vec<String> = theme
            .points
            .iter()
            .map(|p| {
                format!(
                    "{}: {}",
                    p.year,
                    p.per10k.map_or("no reports".into(), format_number)
                )
            })
            .collect();
        let _ = writeln!(
            out,
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th><td class=\"spark\" title=\"{}\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            theme_href(&theme.id, None, polarity),
            esc(&theme.label),
            esc(&title.join(", ")),
            esc(&theme.sparkline()),
            shares,
            esc(&theme.flags().join(", "))
        );
    }
    out.push_str("</tbody></table></div>\n");
}

/// `/themes/ID`.
pub fn theme(state: &AppState, id: &str, params: &Params) -> Result<String, Failure> {
    params.only(THEME_PARAMS)?;
    let tagger = state.tagger();
    let theme = tagger.taxonomy().theme(id).ok_or_else(|| {
        Failure::NotFound(format!("no theme `{id}`; the themes are listed at /themes"))
    })?;
    let region = params.region("region")?;
    let year: Option<i32> = params.number("year", 0)?;
    let polarity = params.polarity_filter("polarity", PolarityFilter::All)?;
    let max_reports = params
        .number::<usize>("max_reports", 0)?
        .unwrap_or(THEME_REPORTS);
    let index = state.index()?;
    let banner = state.staleness(&index);
    let excerpts = theme_excerpts(
        &index,
        tagger,
        &theme.id,
        region.as_deref(),
        year,
        polarity,
        max_reports,
    )?;
    let view = ThemeSentences::new(theme, excerpts);
    let mut body = String::new();
    let mut narrowed = Vec::new();
    if let Some(r) = &region {
        narrowed.push(esc(r));
    }
    if let Some(y) = year {
        narrowed.push(y.to_string());
    }
    let sentences: usize = view.reports.iter().map(|r| r.sentences.len()).sum();
    let _ = write!(
        body,
        "<h1>{}</h1>\n<p class=\"meta\"><code>{}</code> · {}{} · {} sentences ({}) in {}</p>\n<p>{}</p>\n",
        esc(&theme.label),
        esc(&theme.id),
        esc(&theme.category),
        if narrowed.is_empty() {
            String::new()
        } else {
            format!(" · {}", narrowed.join(", "))
        },
        sentences,
        esc(&polarity.name()),
        count(view.reports.len() as u64, "report"),
        esc(&theme.description)
    );
    if view.report_count > view.reports.len() {
        let mut pairs = vec![
            ("region", region.clone().unwrap_or_default()),
            ("year", year.map_or(String::new(), |y| y.to_string())),
            ("polarity", polarity.name()),
        ];
        pairs.push(("max_reports", "0".into()));
        let _ = write!(
            body,
            "<p class=\"banner\">Showing the newest {} of {} reports: <a href=\"{}\">show all</a>.</p>",
            view.reports.len(),
            view.report_count,
            href(&format!("/themes/{}", super::html::encode(&theme.id)), &pairs)
        );
    }
    if view.reports.is_empty() {
        body.push_str("<p>No sentences.</p>");
    }
    for report in &view.reports {
        let year = report.year.map_or("year unknown".into(), |y| y.to_string());
        let _ = write!(
            body,
            "<article class=\"result\"><h3><a href=\"{}\">{}</a></h3><p class=\"meta\">{} · {} · {} · {}</p>",
            href(&format!("/reports/{}", super::html::encode(&report.report)), &[("theme", theme.id.clone())]),
            esc(&report.title),
            esc(report.region.as_deref().unwrap_or("region unknown")),
            esc(&year),
            esc(report.report_type.as_str()),
            esc(&report.report)
        );
        for s in &report.sentences {
            let _ = write!(
                body,
                "<div class=\"excerpt\"><span class=\"tagged pol-{}\">{}</span> <span class=\"tag-label\">{}</span> <a class=\"where\" href=\"{}\">in the report</a></div>",
                s.polarity,
                esc(&s.text),
                s.polarity,
                report_link(&report.report, s.start, s.end)
            );
        }
        body.push_str("</article>\n");
    }
    Ok(page(&theme.label, Nav::Themes, banner.as_deref(), &body))
}
