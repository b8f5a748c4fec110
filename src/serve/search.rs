//! The search page: a query box with the syntax help, facet counts (region, year, type, theme,
//! polarity) that narrow the search when clicked, and the matching reports, best first, with
//! their highlighted excerpts, section and page, ten reports a page through all of them.

use std::fmt::Write as _;

use super::html::{count, esc, highlighted, href, page, Nav};
use super::params::Params;
use super::state::{AppState, Failure};
use crate::search::{facets, search_in, FacetCount, Filters, SearchRequest, SearchResults};
use crate::themes::Taxonomy;

/// Reports per page.
pub const REPORTS_PER_PAGE: usize = 10;
/// Excerpts shown per report.
pub const EXCERPTS_PER_REPORT: usize = 3;

/// The parameters the page takes.
pub const PARAMS: &[&str] = &["q", "region", "year", "type", "theme", "polarity", "page"];

/// The query and filters of a search request's parameters (shared with `/api/search`).
pub fn filters(params: &Params, taxonomy: &Taxonomy) -> Result<(String, Filters), Failure> {
    let query = params.raw("q").unwrap_or("").trim().to_string();
    let filters = Filters {
        region: params.region("region")?,
        report_type: params.report_type("type")?,
        year: params.number("year", 0)?,
        since: params.number("since", 0)?,
        report: params.get("report").map(String::from),
        themes: params.themes("theme", taxonomy)?,
        polarity: params.polarity("polarity")?,
    };
    Ok((query, filters))
}

/// The search page.
pub fn render(state: &AppState, params: &Params) -> Result<String, Failure> {
    params.only(PARAMS)?;
    let taxonomy = state.tagger().taxonomy();
    let (query, filters) = filters(params, taxonomy)?;
    let page_number = params.number::<usize>("page", 1)?.unwrap_or(1);
    let index = state.index()?;
    let banner = state.staleness(&index);
    let theme_ids: Vec<String> = taxonomy.themes.iter().map(|t| t.id.clone()).collect();
    let request = SearchRequest {
        query: query.clone(),
        filters: filters.clone(),
        offset: (page_number - 1).saturating_mul(REPORTS_PER_PAGE),
        limit: REPORTS_PER_PAGE,
        per_report: EXCERPTS_PER_REPORT,
        context: 0,
        theme_ids: Some(theme_ids.clone()),
    };
    let results = search_in(&index, &request)?;
    let counts = facets(&index, &request, &theme_ids)?;
    let current = Current {
        query,
        filters,
        taxonomy,
    };
    let mut body = String::new();
    body.push_str("<h1>Search the reports</h1>\n");
    current.form(&mut body);
    body.push_str(SYNTAX_HELP);
    current.active_filters(&mut body);
    body.push_str(
        "<div class=\"layout\">\n<aside class=\"facets\" aria-label=\"Narrow the search\">\n",
    );
    current.facet(&mut body, "Region", "region", &counts.regions, |v| {
        v.to_string()
    });
    current.facet(&mut body, "Year", "year", &counts.years, |v| v.to_string());
    current.facet(&mut body, "Report type", "type", &counts.types, |v| {
        v.to_string()
    });
    current.facet(&mut body, "Theme", "theme", &counts.themes, |v| {
        taxonomy.theme(v).map_or(v.to_string(), |t| t.label.clone())
    });
    current.facet(&mut body, "Polarity", "polarity", &counts.polarities, |v| {
        v.to_string()
    });
    body.push_str("</aside>\n<section class=\"results\" aria-label=\"Results\">\n");
    current.results(&mut body, &results, page_number);
    body.push_str("</section>\n</div>\n");
    let title = if current.query.is_empty() {
        "Search".to_string()
    } else {
        format!("Search: {}", current.query)
    };
    Ok(page(&title, Nav::Search, banner.as_deref(), &body))
}

/// The search as the page's links repeat it.
struct Current<'a> {
    query: String,
    filters: Filters,
    taxonomy: &'a Taxonomy,
}

impl Current<'_> {
    /// The page's parameters, with `change` applied (page 1 unless it says otherwise).
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let f = &self.filters;
        let mut pairs = vec![
            ("q", self.query.clone()),
            ("region", f.region.clone().unwrap_or_default()),
            ("year", f.year.map_or(String::new(), |y| y.to_string())),
            (
                "type",
                f.report_type.map_or(String::new(), |t| t.to_string()),
            ),
        ];
        pairs.extend(f.themes.iter().map(|t| ("theme", t.clone())));
        pairs.push((
            "polarity",
            f.polarity.map_or(String::new(), |p| p.to_string()),
        ));
        pairs
    }

    fn link_with(&self, name: &'static str, value: &str) -> String {
        let mut pairs = self.pairs();
        if name == "theme" {
            pairs.push(("theme", value.to_string()));
        } else {
            for pair in pairs.iter_mut().filter(|(n, _)| *n == name) {
                pair.1 = value.to_string();
            }
        }
        href("/search", &pairs)
    }

    fn link_without(&self, name: &str, value: &str) -> String {
        let pairs: Vec<(&str, String)> = self
            .pairs()
            .into_iter()
            .filter(|(n, v)| !(*n == name && v == value))
            .collect();
        href("/search", &pairs)
    }

    fn form(&self, out: &mut String) {
        let _ = write!(
            out,
            "<form class=\"search\" method=\"get\" action=\"/search\" role=\"search\">\
             <input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"vetting delays, &quot;information sharing&quot; AND police, …\" aria-label=\"Query\" autofocus>",
            esc(&self.query)
        );
        for (name, value) in self.pairs().into_iter().filter(|(n, _)| *n != "q") {
            if !value.is_empty() {
                let _ = write!(
                    out,
                    "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
                    esc(&value)
                );
            }
        }
        out.push_str("<button type=\"submit\">Search</button></form>\n");
    }

    fn active_filters(&self, out: &mut String) {
        let active: Vec<(&str, String, String)> = self
            .pairs()
            .into_iter()
            .filter(|(n, v)| *n != "q" && !v.is_empty())
            .map(|(n, v)| {
                let shown = match n {
                    "theme" => self
                        .taxonomy
                        .theme(&v)
                        .map_or(v.clone(), |t| t.label.clone()),
                    _ => v.clone(),
                };
                (n, v, shown)
            })
            .collect();
        if active.is_empty() {
            return;
        }
        out.push_str(
            "<div class=\"chips\" aria-label=\"Filters\"><span class=\"muted\">Filters:</span>",
        );
        for (name, value, shown) in &active {
            let _ = write!(
                out,
                "<a class=\"chip remove\" href=\"{}\" title=\"Remove this filter\">{}: {}</a>",
                self.link_without(name, value),
                esc(name),
                esc(shown)
            );
        }
        out.push_str("</div>\n");
    }

    fn facet(
        &self,
        out: &mut String,
        title: &str,
        name: &'static str,
        counts: &[FacetCount],
        label: impl Fn(&str) -> String,
    ) {
        let _ = write!(out, "<h2>{}</h2>\n<ul>", esc(title));
        if counts.is_empty() {
            out.push_str("<li class=\"muted\">none</li>");
        }
        for c in counts {
            // A region of unknown name cannot be a filter.
            let link =
                (c.value != "unknown" || name != "region").then(|| self.link_with(name, &c.value));
            let shown = esc(&label(&c.value));
            match link {
                Some(link) => {
                    let _ = write!(
                        out,
                        "<li data-facet=\"{name}\"><a href=\"{link}\">{shown}</a><span class=\"count\">{}</span></li>",
                        c.passages
                    );
                }
                None => {
                    let _ = write!(
                        out,
                        "<li><span>{shown}</span><span class=\"count\">{}</span></li>",
                        c.passages
                    );
                }
            }
        }
        out.push_str("</ul>\n");
    }

    fn results(&self, out: &mut String, results: &SearchResults, page_number: usize) {
        if results.total_reports == 0 {
            let _ = write!(
                out,
                "<p>No passages match <code>{}</code>.</p>",
                esc(&self.query)
            );
            let words: Vec<&str> = self.query.split_whitespace().collect();
            if words.len() > 1 && !words.iter().any(|w| matches!(*w, "OR" | "AND" | "NOT")) {
                let any = words.join(" OR ");
                let _ = write!(
                    out,
                    "<p class=\"muted\">Every word must occur in the same passage; <a href=\"{}\">{}</a> finds passages with any of them.</p>",
                    self.link_with("q", &any),
                    esc(&any)
                );
            }
            return;
        }
        let first = (page_number - 1)
            .saturating_mul(REPORTS_PER_PAGE)
            .saturating_add(1);
        let last = first.saturating_add(results.reports.len().saturating_sub(1));
        let shown = if results.reports.is_empty() {
            format!("page {page_number} is past the last report")
        } else {
            format!("showing reports {first}–{last}")
        };
        let _ = writeln!(
            out,
            "<p class=\"summary\">{} in {} match; {shown}.</p>",
            count(results.total_hits, "passage"),
            count(results.total_reports, "report"),
        );
        for report in &results.reports {
            let target = report
                .excerpts
                .first()
                .map(|e| report_link(&report.report, e.start, e.end))
                .unwrap_or_else(|| href(&format!("/reports/{}", report.report), &[]));
            let year = report.year.map_or("year unknown".into(), |y| y.to_string());
            let _ = write!(
                out,
                "<article class=\"result\"><h3><a href=\"{target}\">{}</a></h3>\
                 <p class=\"meta\">{} · {} · {} · {} · {}</p>",
                esc(&report.title),
                esc(report.region.as_deref().unwrap_or("region unknown")),
                esc(&year),
                esc(report.report_type.as_str()),
                esc(&report.report),
                count(report.hits, "matching passage"),
            );
            for e in &report.excerpts {
                let relative: Vec<(usize, usize)> = e
                    .highlights
                    .iter()
                    .filter_map(|[a, b]| Some((a.checked_sub(e.start)?, b.checked_sub(e.start)?)))
                    .collect();
                let mut place = Vec::new();
                if let Some(section) = &e.section {
                    place.push(esc(section));
                }
                if let Some(p) = e.page {
                    place.push(format!("p. {p}"));
                }
                let _ = write!(
                    out,
                    "<div class=\"excerpt\"><div class=\"where\">{} · <a href=\"{}\">in the report</a></div>\
                     <div class=\"text\">{}</div>",
                    if place.is_empty() { "—".into() } else { place.join(", ") },
                    report_link(&report.report, e.start, e.end),
                    highlighted(&e.text, &relative)
                );
                if !e.themes.is_empty() {
                    let labels: Vec<String> = e
                        .themes
                        .iter()
                        .map(|id| {
                            esc(self
                                .taxonomy
                                .theme(id)
                                .map_or(id.as_str(), |t| t.label.as_str()))
                        })
                        .collect();
                    let _ = write!(
                        out,
                        "<div class=\"themes-line\">themes: {}</div>",
                        labels.join(", ")
                    );
                }
                out.push_str("</div>");
            }
            out.push_str("</article>\n");
        }
        self.pager(out, results.total_reports as usize, page_number);
    }

    fn pager(&self, out: &mut String, reports: usize, current: usize) {
        let pages = reports.div_ceil(REPORTS_PER_PAGE);
        if pages <= 1 {
            return;
        }
        let link = |n: usize| {
            let mut pairs = self.pairs();
            pairs.push(("page", n.to_string()));
            href("/search", &pairs)
        };
        out.push_str("<nav class=\"pager\" aria-label=\"Pages\">");
        if current > 1 {
            let _ = write!(
                out,
                "<a href=\"{}\" rel=\"prev\">‹ Previous</a>",
                link(current - 1)
            );
        }
        let mut gap = false;
        for n in 1..=pages {
            let near = n == 1 || n == pages || n.abs_diff(current) <= 2;
            if !near {
                if !gap {
                    out.push_str("<span class=\"muted\">…</span>");
                }
                gap = true;
                continue;
            }
            gap = false;
            if n == current {
                let _ = write!(
                    out,
                    "<span class=\"current\" aria-current=\"page\">{n}</span>"
                );
            } else {
                let _ = write!(out, "<a href=\"{}\">{n}</a>", link(n));
            }
        }
        if current < pages {
            let _ = write!(
                out,
                "<a href=\"{}\" rel=\"next\">Next ›</a>",
                link(current + 1)
            );
        }
        out.push_str("</nav>\n");
    }
}

/// The report page with the sentences in `start..end` marked, scrolled to them.
pub fn report_link(report: &str, start: usize, end: usize) -> String {
    format!(
        "{}#s-{start}",
        href(
            &format!("/reports/{}", super::html::encode(report)),
            &[("mark", format!("{start}-{end}"))]
        )
    )
}

const SYNTAX_HELP: &str = r#"<details class="help"><summary>Query syntax</summary>
<table>
<tr><td><code>vetting delays</code></td><td>passages with both words (all words must match unless joined with <code>OR</code>)</td></tr>
<tr><td><code>"information sharing"</code></td><td>the phrase (also <code>information-sharing</code>)</td></tr>
<tr><td><code>delays</code></td><td>also <code>delay</code>, <code>delayed</code>: words are stemmed</td></tr>
<tr><td><code>caseload OR workload</code></td><td>either word</td></tr>
<tr><td><code>"information shar"*</code></td><td>a phrase whose last word is a prefix</td></tr>
<tr><td><code>vetting -police</code>, <code>vetting AND NOT police</code></td><td>exclusion</td></tr>
<tr><td><code>+vetting police</code></td><td><code>vetting</code> required, <code>police</code> ranks higher</td></tr>
<tr><td><code>(police OR "children's services") AND "information sharing"</code></td><td>grouping</td></tr>
<tr><td><code>vetting^2 police</code></td><td>boost a word</td></tr>
<tr><td><code>title:manchester</code>, <code>region:"South West"</code>, <code>type:regional-letter</code>, <code>report:sw-dipp-2026</code>, <code>theme:vetting-recruitment</code>, <code>section:"Key areas for improvement"</code></td><td>a field</td></tr>
</table>
<p class="muted">An empty query lists every passage that passes the filters.</p>
</details>
"#;
