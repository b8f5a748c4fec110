//! HTML text extraction: the main content of a web page as segmenter-ready text.
//!
//! This file owns decoding an HTML file's bytes (BOM, `<meta charset>`, UTF-8, else
//! Windows-1252), parsing it (html5ever through `scraper`, which builds the same tree a browser
//! does from sloppy markup: unclosed `<p>` and `<li>`, stray end tags), picking the main content
//! and flattening it to text:
//!
//! - **Content root**: `<main>`, else `[role=main]`, else a lone `<article>`, else `<body>`.
//! - **Dropped**: `<script>`, `<style>`, `<noscript>`, `<template>`, `<nav>`, `<aside>`, forms and
//!   their controls, `<iframe>`/`<svg>`/`<canvas>`, hidden elements (`hidden`,
//!   `aria-hidden=true`), landmark roles other than main (navigation, banner, contentinfo, search,
//!   complementary), site `<header>`/`<footer>` (those not inside an `<article>`, `<section>` or
//!   `<main>`), elements whose id or class names a cookie/consent banner, breadcrumb, skip link,
//!   back-to-top link, share/social widget or sidebar, and links or paragraphs that only say
//!   "Back to top" / "Skip to (main) content".
//! - **Shape**: headings `<h1>`–`<h6>` become `#`-marked lines (`## Context`), which the
//!   segmenter reads as headings whatever their wording; blocks (`<p>`, `<div>`, …) are separated
//!   by blank lines; `<li>` becomes a `- item` line; each table row becomes `| cell | cell |`;
//!   `<br>` is a line break; entities are decoded by the parser and whitespace is collapsed
//!   within a block.

mod decode;
mod flatten;
#[cfg(test)]
mod tests;

use scraper::{ElementRef, Html, Selector};

use super::{iso_date, Extracted, FormatError};
use crate::text::lines::collapse_ws;
use decode::decode;
use flatten::flatten;

/// Larger pages are refused: the parsed tree takes several times the input's size in memory.
const MAX_HTML_BYTES: usize = 64 * 1024 * 1024;

/// Deeper nesting is refused: html5ever's tree building is quadratic in nesting depth (50,000
/// nested `<div>`s take minutes), while real pages nest well under 100 deep.
const MAX_NESTING: usize = 4_000;

/// Elements whose whole subtree is never content.
const SKIPPED_TAGS: &[&str] = &[
    "script", "style", "noscript", "template", "nav", "aside", "form", "button", "select", "input",
    "textarea", "iframe", "svg", "canvas", "object", "embed", "head", "dialog", "menu", "link",
    "meta",
];

/// Landmark roles that mark page chrome rather than content.
const SKIPPED_ROLES: &[&str] = &[
    "navigation",
    "banner",
    "contentinfo",
    "search",
    "complementary",
    "dialog",
    "alertdialog",
    "menu",
    "menubar",
];

/// Substrings of an id or class name that mark page chrome.
const CHROME_NAMES: &[&str] = &[
    "cookie",
    "consent",
    "gdpr",
    "banner",
    "breadcrumb",
    "skip-link",
    "skiplink",
    "skip-to",
    "back-to-top",
    "backtotop",
    "to-top",
    "social",
    "share",
    "sidebar",
    "newsletter",
    "pagination",
    "navbar",
    "sidenav",
    "site-header",
    "site-footer",
];

/// Link or paragraph texts that are navigation, not content (compared lowercased).
const BOILERPLATE: &[&str] = &[
    "back to top",
    "return to top",
    "top of page",
    "skip to content",
    "skip to main content",
    "skip to navigation",
];

/// Meta names/properties that carry a publication date, best first.
const DATE_METAS: &[&str] = &[
    "dcterms.date",
    "dcterms.issued",
    "dc.date.issued",
    "dc.date",
    "citation_publication_date",
    "article:published_time",
    "govuk:first-published-at",
    "date",
    "pubdate",
    "dcterms.created",
    "dcterms.modified",
    "article:modified_time",
];

/// Extracts the main content of an HTML page, with its title and meta date. HTML has no
/// pages, so `pages` is empty.
///
/// Errors: [`FormatError::NotHtml`] when the bytes are binary, [`FormatError::Empty`] when
/// there are none, [`FormatError::TooLarge`] past 64 MiB.
pub fn extract_html(bytes: &[u8]) -> Result<Extracted, FormatError> {
    if super::trim_ascii_start(bytes).is_empty() {
        return Err(FormatError::Empty);
    }
    if bytes.len() > MAX_HTML_BYTES {
        return Err(FormatError::TooLarge(format!(
            "HTML pages over {} MiB are not read",
            MAX_HTML_BYTES >> 20
        )));
    }
    let source = decode(bytes)?;
    if nesting_depth(&source) > MAX_NESTING {
        return Err(FormatError::TooLarge(format!(
            "elements nested more than {MAX_NESTING} deep"
        )));
    }
    let document = Html::parse_document(&source);
    let title = title(&document);
    let date = meta_date(&document);
    let root = content_root(&document);
    let text = flatten(root);
    Ok(Extracted {
        text,
        pages: Vec::new(),
        title,
        date,
    })
}

/// An estimate of the deepest element nesting, by a linear scan of start and end tags. Void
/// elements and those whose end tag may be omitted (`<p>`, `<li>`, table parts, …) are not
/// counted, so sloppy but ordinary markup does not look deep.
fn nesting_depth(source: &str) -> usize {
    const UNCOUNTED: &[&str] = &[
        "p", "li", "dt", "dd", "tr", "td", "th", "tbody", "thead", "tfoot", "option", "optgroup",
        "colgroup", "rb", "rt", "rp", "br", "img", "hr", "meta", "link", "input", "area", "base",
        "col", "embed", "param", "source", "track", "wbr", "html", "head", "body",
    ];
    let bytes = source.as_bytes();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    while let Some(at) = bytes[i..].iter().position(|&b| b == b'<') {
        i += at + 1;
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let len = bytes[start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if len == 0 || len > 10 {
            continue;
        }
        let name = source[start..start + len].to_ascii_lowercase();
        if UNCOUNTED.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

fn selector(css: &str) -> Selector {
    // The selectors are literals known to parse; an impossible failure falls back to one that
    // matches nothing useful rather than panicking.
    Selector::parse(css).unwrap_or_else(|_| Selector::parse("html").expect("valid selector"))
}

/// The `<title>`, or the first `<h1>` without one. When the title is the h1 plus a site suffix
/// ("Report title – HM Inspectorate of Probation"), the h1 is the cleaner title.
fn title(document: &Html) -> Option<String> {
    let title = document
        .select(&selector("title"))
        .next()
        .map(|t| collapse_ws(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let h1 = document
        .select(&selector("h1"))
        .map(|h| collapse_ws(&h.text().collect::<String>()))
        .find(|t| !t.is_empty());
    match (title, h1) {
        (Some(t), Some(h)) if t.starts_with(&h) && t.len() > h.len() => Some(h),
        (Some(t), _) => Some(t),
        (None, h) => h,
    }
}

/// The first date-bearing `<meta>` (see [`DATE_METAS`]) whose content starts with a valid
/// `yyyy-mm-dd` (or `yyyy/mm/dd`), else a `<time datetime>` in the content.
fn meta_date(document: &Html) -> Option<String> {
    let metas: Vec<(String, String)> = document
        .select(&selector("meta"))
        .filter_map(|m| {
            let el = m.value();
            let key = el
                .attr("name")
                .or_else(|| el.attr("property"))
                .or_else(|| el.attr("itemprop"))?;
            Some((key.to_ascii_lowercase(), el.attr("content")?.to_string()))
        })
        .collect();
    for wanted in DATE_METAS {
        for (key, content) in &metas {
            if key == wanted {
                if let Some(d) = parse_date(content) {
                    return Some(d);
                }
            }
        }
    }
    None
}

fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let b = s.as_bytes();
    if b.len() < 10 || !(b[4] == b'-' || b[4] == b'/') || b[7] != b[4] {
        return None;
    }
    iso_date(
        s.get(0..4)?.parse().ok()?,
        s.get(5..7)?.parse().ok()?,
        s.get(8..10)?.parse().ok()?,
    )
}

/// The element holding the page's main content.
fn content_root(document: &Html) -> ElementRef<'_> {
    if let Some(main) = document.select(&selector("main")).next() {
        return main;
    }
    if let Some(main) = document.select(&selector("[role=main]")).next() {
        return main;
    }
    let articles: Vec<ElementRef> = document.select(&selector("article")).collect();
    if articles.len() == 1 {
        return articles[0];
    }
    document
        .select(&selector("body"))
        .next()
        .unwrap_or_else(|| document.root_element())
}

/// Whether an element's subtree is page chrome to leave out.
fn is_chrome(el: ElementRef<'_>) -> bool {
    let e = el.value();
    let name = e.name();
    if SKIPPED_TAGS.contains(&name) {
        return true;
    }
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    {
        return true;
    }
    if e.attr("role")
        .is_some_and(|r| SKIPPED_ROLES.contains(&r.to_ascii_lowercase().as_str()))
    {
        return true;
    }
    if (name == "header" || name == "footer")
        && !el.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|p| matches!(p.name(), "article" | "section" | "main"))
        })
    {
        return true;
    }
    let names = e.id().into_iter().chain(e.classes());
    for n in names {
        let n = n.to_ascii_lowercase();
        if CHROME_NAMES.iter().any(|c| n.contains(c)) {
            return true;
        }
    }
    if name == "a" {
        let text = collapse_ws(&el.text().collect::<String>()).to_lowercase();
        if BOILERPLATE.contains(&text.as_str()) {
            return true;
        }
    }
    false
}
