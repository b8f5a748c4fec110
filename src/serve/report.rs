//! The report page: the report's text with each tagged sentence marked by polarity (colour)
//! and theme (label), a legend with the report's themes that filters the marks, page numbers
//! for PDFs, and the report's recommendations, scores, ratings and key facts. `mark=START-END`
//! outlines the sentences of an excerpt (search results and theme pages link with it).

use std::fmt::Write as _;

use super::html::{count, encode, esc, href, page, Nav};
use super::params::Params;
use super::state::{AppState, Failure};
use crate::themes::{Polarity, Taxonomy};
use crate::views::format_number;
use crate::views::report::{Block, ReportSentence, ReportView};
use crate::views::scores::rating_label;

/// The parameters the page takes.
pub const PARAMS: &[&str] = &["theme", "polarity", "mark"];

/// Which marks to show.
struct Shown<'a> {
    theme: Option<String>,
    polarity: Option<Polarity>,
    mark: Option<(usize, usize)>,
    taxonomy: &'a Taxonomy,
}

impl Shown<'_> {
    fn admits(&self, s: &ReportSentence) -> bool {
        s.polarity.is_some()
            && self.theme.as_ref().is_none_or(|t| s.themes.contains(t))
            && self.polarity.is_none_or(|p| s.polarity == Some(p))
    }

    fn marked(&self, s: &ReportSentence) -> bool {
        self.mark
            .is_some_and(|(from, to)| s.start < to && s.end > from)
    }
}

/// Parses `mark=START-END` (byte offsets).
fn mark(params: &Params) -> Result<Option<(usize, usize)>, Failure> {
    let Some(text) = params.get("mark") else {
        return Ok(None);
    };
    let parsed = text
        .split_once('-')
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)))
        .filter(|(a, b)| a < b);
    parsed.map(Some).ok_or_else(|| {
        Failure::BadRequest(format!(
            "`mark` must be START-END, two byte offsets with START < END, not `{text}`"
        ))
    })
}

/// `/reports/ID`.
pub fn render(state: &AppState, id: &str, params: &Params) -> Result<String, Failure> {
    params.only(PARAMS)?;
    let taxonomy = state.tagger().taxonomy();
    let shown = Shown {
        theme: params.themes("theme", taxonomy)?.pop(),
        polarity: params.polarity("polarity")?,
        mark: mark(params)?,
        taxonomy,
    };
    let index = state.index()?;
    let banner = state.staleness(&index);
    let view = ReportView::load(&index, state.corpus(), id)?
        .ok_or_else(|| Failure::NotFound(format!("no report `{id}` in the index")))?;
    let mut body = String::new();
    let year = view.year.map_or("year unknown".into(), |y| y.to_string());
    let _ = write!(
        body,
        "<h1>{}</h1>\n<p class=\"meta\">{} · {} · {}{} · <code>{}</code> · {} · {} sentences, {} tagged{}</p>\n",
        esc(&view.title),
        esc(view.region.as_deref().unwrap_or("region unknown")),
        esc(&year),
        esc(view.report_type.as_str()),
        view.date.as_deref().map_or(String::new(), |d| format!(" · {}", esc(d))),
        esc(&view.report),
        esc(&view.file),
        view.sentences,
        view.tagged_sentences,
        if view.pages > 0 {
            format!(" · {}", count(view.pages as u64, "page"))
        } else {
            String::new()
        }
    );
    if view.text_from_index {
        body.push_str("<p class=\"banner\">The report's file is missing or has changed since it was indexed: shown are the passages the index holds. Run <code>themis index</code> to read it again.</p>\n");
    }
    body.push_str(
        "<div class=\"report-layout\">\n<section class=\"text\" aria-label=\"Report text\">\n",
    );
    text(&mut body, &view.blocks, &shown);
    structured(&mut body, &view, taxonomy);
    body.push_str("</section>\n<aside>\n");
    legend(&mut body, &view, &shown);
    body.push_str("</aside>\n</div>\n");
    Ok(page(&view.title, Nav::Report, banner.as_deref(), &body))
}

fn text(out: &mut String, blocks: &[Block], shown: &Shown) {
    let mut page = None;
    let mut section: Option<&str> = None;
    for block in blocks {
        if block.page.is_some() && block.page != page {
            page = block.page;
            if let Some(p) = page {
                let _ = write!(out, "<div class=\"page-mark\" id=\"page-{p}\">p. {p}</div>");
            }
        }
        if let Some(s) = block.section.as_deref().filter(|s| Some(*s) != section) {
            section = Some(s);
            let _ = write!(out, "<h3>{}</h3>", esc(s));
        }
        let (open, close) = if block.heading {
            ("<h3>", "</h3>\n")
        } else {
            ("<p>", "</p>\n")
        };
        out.push_str(open);
        for (i, s) in block.sentences.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            sentence(out, s, shown);
        }
        out.push_str(close);
    }
}

fn sentence(out: &mut String, s: &ReportSentence, shown: &Shown) {
    let target = if shown.marked(s) { " target" } else { "" };
    match s.polarity.filter(|_| shown.admits(s)) {
        Some(polarity) => {
            let labels: Vec<&str> = s
                .themes
                .iter()
                .map(|id| {
                    shown
                        .taxonomy
                        .theme(id)
                        .map_or(id.as_str(), |t| t.label.as_str())
                })
                .collect();
            let _ = write!(
                out,
                "<span id=\"s-{}\" class=\"tagged pol-{polarity}{target}\" data-themes=\"{}\" data-polarity=\"{polarity}\" title=\"{}\">{}</span><span class=\"tag-label\">[{}]</span>",
                s.start,
                esc(&s.themes.join(" ")),
                esc(&format!("{} · {polarity}", labels.join(", "))),
                esc(&s.text),
                esc(&labels.join(", "))
            );
        }
        None => {
            let _ = write!(
                out,
                "<span id=\"s-{}\" class=\"s{target}\">{}</span>",
                s.start,
                esc(&s.text)
            );
        }
    }
}

fn legend(out: &mut String, view: &ReportView, shown: &Shown) {
    let base = format!("/reports/{}", encode(&view.report));
    let link = |theme: Option<&str>, polarity: Option<&str>| {
        href(
            &base,
            &[
                ("theme", theme.unwrap_or_default().to_string()),
                ("polarity", polarity.unwrap_or_default().to_string()),
            ],
        )
    };
    let theme_now = shown.theme.as_deref();
    let polarity_now = shown.polarity.map(|p| p.to_string());
    out.push_str("<div class=\"legend\"><h2>Legend</h2><ul>");
    for (polarity, meaning) in [
        ("concern", "a problem found"),
        ("strength", "something done well"),
        ("neutral", "neither"),
    ] {
        let _ = write!(
            out,
            "<li><a href=\"{}\"><span class=\"swatch pol-{polarity}\"></span>{polarity}</a><span class=\"count\">{meaning}</span></li>",
            link(theme_now, Some(polarity))
        );
    }
    out.push_str("</ul><p class=\"muted\">Tagged sentences are shaded by polarity and followed by their themes in [brackets].</p>");
    let _ = write!(
        out,
        "<h2>Themes in this report</h2><ul><li><a href=\"{}\">all themes</a><span class=\"count\">{}</span></li>",
        link(None, polarity_now.as_deref()),
        view.tagged_sentences
    );
    let mut themes: Vec<(&String, u64)> = view
        .theme_counts
        .iter()
        .map(|(id, c)| (id, c.concern + c.strength + c.neutral))
        .collect();
    themes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (id, n) in themes {
        let label = shown
            .taxonomy
            .theme(id)
            .map_or(id.as_str(), |t| t.label.as_str());
        let strong = if Some(id.as_str()) == theme_now {
            " style=\"font-weight:700\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<li><a href=\"{}\"{strong}>{}</a><span class=\"count\">{n}</span></li>",
            link(Some(id), polarity_now.as_deref()),
            esc(label)
        );
    }
    out.push_str("</ul>");
    // The same filters as a form, for keyboards and screen readers.
    let _ = write!(
        out,
        "<form method=\"get\" action=\"{}\"><label>Theme <select name=\"theme\"><option value=\"\">all themes</option>",
        esc(&base)
    );
    for id in view.theme_counts.keys() {
        let label = shown
            .taxonomy
            .theme(id)
            .map_or(id.as_str(), |t| t.label.as_str());
        let selected = if Some(id.as_str()) == theme_now {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<option value=\"{}\"{selected}>{}</option>",
            esc(id),
            esc(label)
        );
    }
    out.push_str("</select></label><label>Polarity <select name=\"polarity\"><option value=\"\">all</option>");
    for p in ["concern", "strength", "neutral"] {
        let selected = if polarity_now.as_deref() == Some(p) {
            " selected"
        } else {
            ""
        };
        let _ = write!(out, "<option{selected}>{p}</option>");
    }
    out.push_str("</select></label><button type=\"submit\">Show</button></form></div>\n");
}

fn structured(out: &mut String, view: &ReportView, taxonomy: &Taxonomy) {
    let recommendations = &view.recommendations.recommendations;
    if !recommendations.is_empty() {
        let _ = write!(
            out,
            "<h2 id=\"recommendations\">Recommendations ({})</h2><ol class=\"plain\">",
            recommendations.len()
        );
        for item in recommendations {
            let themes: Vec<String> = item
                .themes
                .iter()
                .map(|id| esc(taxonomy.theme(id).map_or(id.as_str(), |t| t.label.as_str())))
                .collect();
            let _ = write!(
                out,
                "<li><span class=\"where\">{}{}</span><br>{}{}</li>",
                esc(&item.addressee_label()),
                item.recommendation
                    .number
                    .map_or(String::new(), |n| format!(" · {n}.")),
                esc(&item.recommendation.text),
                if themes.is_empty() {
                    String::new()
                } else {
                    format!(
                        "<div class=\"themes-line\">themes: {}</div>",
                        themes.join(", ")
                    )
                }
            );
        }
        out.push_str("</ol>\n");
    }
    if let Some(scores) = view.scores.reports.first() {
        let s = &scores.scores;
        out.push_str("<h2 id=\"scores\">Key-question scores</h2><table class=\"grid\"><thead><tr><th scope=\"col\">Question</th><th scope=\"col\">% of cases 'Yes'</th></tr></thead><tbody>");
        for (label, value) in [
            ("Assessment", s.assessment),
            ("Planning", s.planning),
            ("Implementation and delivery", s.implementation),
            ("Reviewing", s.reviewing),
        ] {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{label}</th><td class=\"num\">{}</td></tr>",
                value.map_or("–".into(), format_number)
            );
        }
        out.push_str("</tbody></table>\n");
    }
    for group in view.scores.ratings_by_subject() {
        let _ = write!(
            out,
            "<h2>Ratings: {}</h2><table class=\"grid\"><tbody>",
            esc(group.subject)
        );
        for r in group.ratings {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td>{}{}</td></tr>",
                esc(&rating_label(r)),
                esc(&r.rating),
                r.score
                    .as_deref()
                    .map_or(String::new(), |s| format!(" ({})", esc(s)))
            );
        }
        out.push_str("</tbody></table>\n");
    }
    if let Some(facts) = view.facts.reports.first().filter(|f| !f.facts.is_empty()) {
        out.push_str(
            "<h2 id=\"facts\">Key facts</h2><div class=\"wrap\"><table class=\"grid\"><tbody>",
        );
        for fact in &facts.facts {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td></tr>",
                esc(&fact.label),
                format_number(fact.value)
            );
        }
        out.push_str("</tbody></table></div>\n");
    }
}
