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

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node, Selector};

use super::{describe_start, iso_date, Extracted, FormatError};

/// Larger pages are refused: the parsed tree takes several times the input's size in memory.
const MAX_HTML_BYTES: usize = 64 * 1024 * 1024;

/// How far into the file we look for a `<meta charset>` (the HTML standard says 1024 bytes).
const CHARSET_SNIFF_BYTES: usize = 1024;

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

/// Block-level elements: each starts and ends a block of text.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "dt",
    "dd",
    "details",
    "summary",
    "fieldset",
    "hr",
    "center",
    "header",
    "footer",
    "caption",
    "body",
    "html",
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

/// Decodes the page: a BOM wins, then a `<meta charset>` / `http-equiv` declaration, then
/// UTF-8 if the bytes are valid UTF-8, else Windows-1252 (what browsers assume for legacy pages).
fn decode(bytes: &[u8]) -> Result<String, FormatError> {
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(text.into_owned());
    }
    let head = &bytes[..bytes.len().min(8192)];
    // NUL bytes never occur in an 8-bit or UTF-8 web page; they mean binary content (a PDF,
    // an image, an Office file) saved with an .html name.
    if head.contains(&0) || is_binary_sig(bytes) {
        return Err(FormatError::NotHtml(describe_start(bytes)));
    }
    let declared = sniff_charset(&bytes[..bytes.len().min(CHARSET_SNIFF_BYTES)])
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        // A page cannot really be UTF-16 if its meta was readable as ASCII (HTML standard).
        .map(|e| {
            if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
                encoding_rs::UTF_8
            } else {
                e
            }
        });
    let encoding = match declared {
        Some(e) => e,
        None if std::str::from_utf8(bytes).is_ok() => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    let (text, _) = encoding.decode_without_bom_handling(bytes);
    Ok(text.into_owned())
}

fn is_binary_sig(bytes: &[u8]) -> bool {
    let d = describe_start(bytes);
    !d.starts_with('"') && d != "an HTML page" && d != "an XML document"
}

/// The charset label of the first `<meta charset=…>` or `<meta http-equiv=Content-Type
/// content="…; charset=…">` in `head`, by a byte scan (the real parser needs the text decoded).
fn sniff_charset(head: &[u8]) -> Option<String> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let mut from = 0;
    while let Some(pos) = find(&lower[from..], b"<meta") {
        let start = from + pos;
        let end = lower[start..]
            .iter()
            .position(|&b| b == b'>')
            .map_or(lower.len(), |e| start + e);
        let tag = &lower[start..end];
        if let Some(at) = find(tag, b"charset") {
            let rest = &tag[at + b"charset".len()..];
            let rest = rest
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .copied()
                .collect::<Vec<u8>>();
            if let Some(value) = rest.strip_prefix(b"=") {
                let label: String = value
                    .iter()
                    .skip_while(|b| b.is_ascii_whitespace() || **b == b'"' || **b == b'\'')
                    .take_while(|b| !b.is_ascii_whitespace() && !b"\"';/>".contains(b))
                    .map(|&b| char::from(b))
                    .collect();
                if !label.is_empty() {
                    return Some(label);
                }
            }
        }
        from = end.max(start + 1);
    }
    None
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

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn selector(css: &str) -> Selector {
    // The selectors are literals known to parse; an impossible failure falls back to one that
    // matches nothing useful rather than panicking.
    Selector::parse(css).unwrap_or_else(|_| Selector::parse("html").expect("valid selector"))
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The `<title>`, or the first `<h1>` without one. When the title is the h1 plus a site suffix
/// ("Report title – HM Inspectorate of Probation"), the h1 is the cleaner title.
fn title(document: &Html) -> Option<String> {
    let title = document
        .select(&selector("title"))
        .next()
        .map(|t| collapse(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let h1 = document
        .select(&selector("h1"))
        .map(|h| collapse(&h.text().collect::<String>()))
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
        let text = collapse(&el.text().collect::<String>()).to_lowercase();
        if BOILERPLATE.contains(&text.as_str()) {
            return true;
        }
    }
    false
}

/// Accumulates text: the current line (whitespace collapsed), the current block's lines, and
/// the finished output.
#[derive(Default)]
struct Writer {
    out: String,
    block: Vec<String>,
    line: String,
    space: bool,
    /// Length of a line's marker ("- ", "## ") so a marker alone is not emitted.
    marker: usize,
}

impl Writer {
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.space = self.line.len() > self.marker;
            } else {
                if self.space {
                    self.line.push(' ');
                    self.space = false;
                }
                self.line.push(c);
            }
        }
    }

    fn space(&mut self) {
        self.space = self.line.len() > self.marker;
    }

    fn start_line(&mut self, marker: &str) {
        self.end_line();
        self.line.push_str(marker);
        self.marker = marker.len();
    }

    fn end_line(&mut self) {
        let line = self.line.trim_end();
        if line.len() > self.marker {
            self.block.push(line.to_string());
        }
        self.line.clear();
        self.marker = 0;
        self.space = false;
    }

    fn push_line(&mut self, line: String) {
        self.end_line();
        self.block.push(line);
    }

    fn end_block(&mut self) {
        self.end_line();
        if self.block.is_empty() {
            return;
        }
        let block = std::mem::take(&mut self.block).join("\n");
        let bare = block.trim_start_matches(['-', '#', ' ']).to_lowercase();
        if BOILERPLATE.contains(&bare.as_str()) {
            return;
        }
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
        self.out.push_str(&block);
    }
}

/// Flattens the content root to text; iterative (no recursion), so deeply nested markup
/// cannot overflow the stack.
fn flatten(root: ElementRef<'_>) -> String {
    let mut flat = Flattener::default();
    let mut skipping: Option<ego_tree::NodeId> = None;

    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => flat.text(t),
                    Node::Element(e) => {
                        let Some(el) = ElementRef::wrap(node) else {
                            continue;
                        };
                        if is_chrome(el) && node.id() != root.id() {
                            skipping = Some(node.id());
                            continue;
                        }
                        flat.open(e.name());
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if let Node::Element(e) = node.value() {
                    flat.close(e.name());
                }
            }
        }
    }
    flat.w.end_block();
    flat.w.out
}

fn heading_level(name: &str) -> Option<usize> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Where the walk is in the markup: list items, tables, the current table row and cell, and
/// whether inside a heading.
#[derive(Default)]
struct Flattener {
    w: Writer,
    in_item: usize,
    tables: usize,
    row: Option<Vec<String>>,
    cell: Option<String>,
    heading: bool,
}

impl Flattener {
    fn text(&mut self, t: &str) {
        match self.cell.as_mut() {
            Some(c) => c.push_str(t),
            None => self.w.text(t),
        }
    }

    fn open(&mut self, name: &str) {
        if let Some(c) = self.cell.as_mut() {
            // Inside a table cell everything is inline text.
            c.push(' ');
            return;
        }
        if let Some(level) = heading_level(name) {
            self.w.end_block();
            self.w.start_line(&format!("{} ", "#".repeat(level)));
            self.heading = true;
            return;
        }
        match name {
            "li" => {
                if self.in_item == 0 {
                    self.w.end_line();
                }
                self.w.start_line("- ");
                self.in_item += 1;
            }
            "ul" | "ol" | "dl" if self.in_item > 0 => self.w.end_line(),
            "ul" | "ol" | "dl" => self.w.end_block(),
            "table" => {
                if self.tables == 0 {
                    self.w.end_block();
                }
                self.tables += 1;
            }
            "tr" if self.tables == 1 => {
                self.w.end_line();
                self.row = Some(Vec::new());
            }
            "td" | "th" if self.row.is_some() => self.cell = Some(String::new()),
            "br" if self.in_item > 0 || self.heading => self.w.space(),
            "br" => self.w.end_line(),
            _ if BLOCK_TAGS.contains(&name) => self.block_boundary(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if heading_level(name).is_some() {
            self.w.end_block();
            self.heading = false;
            return;
        }
        match name {
            "td" | "th" if self.cell.is_some() => {
                if let (Some(c), Some(r)) = (self.cell.take(), self.row.as_mut()) {
                    // A '|' inside a cell would split it downstream.
                    r.push(collapse(&c).replace('|', "/"));
                }
            }
            "tr" if self.tables == 1 => {
                if let Some(cells) = self.row.take() {
                    if cells.iter().any(|c| !c.is_empty()) {
                        self.w.push_line(format!("| {} |", cells.join(" | ")));
                    }
                }
            }
            "table" => {
                self.tables = self.tables.saturating_sub(1);
                if self.tables == 0 {
                    self.w.end_block();
                }
            }
            "li" => {
                self.in_item = self.in_item.saturating_sub(1);
                self.w.end_line();
            }
            "ul" | "ol" | "dl" if self.in_item == 0 => self.w.end_block(),
            _ if BLOCK_TAGS.contains(&name) => self.block_boundary(),
            _ => {}
        }
    }

    /// The start or end of a block element: a new block in running text, only a space inside a
    /// list item, a heading or a table (which keep their own lines).
    fn block_boundary(&mut self) {
        if self.in_item > 0 || self.heading || self.tables > 0 {
            self.w.space();
        } else {
            self.w.end_block();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/data/formats/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn html(s: &str) -> String {
        extract_html(s.as_bytes()).expect("extracts").text
    }

    #[test]
    fn report_keeps_the_article_and_its_sentences() {
        let e = extract_html(&fixture("report.html")).unwrap();
        let t = &e.text;
        assert!(e.pages.is_empty());
        assert_eq!(e.page_of(0), None);
        assert_eq!(
            e.title.as_deref(),
            Some("Dynamic Inspection of Public Protection in South West region")
        );
        assert_eq!(e.date.as_deref(), Some("2026-01-20"));
        for sentence in [
            "fewer than half of cases met the sufficient standard for keeping people safe",
            "Reduce vetting delays and address workforce instability",
            "A largely inexperienced workforce, including middle managers, reported significant gaps in training.",
        ] {
            assert!(t.contains(sentence), "{sentence:?} missing:\n{t}");
        }
        assert!(
            t.lines().any(|l| l == "## Chief Inspector’s judgement"),
            "{t}"
        );
        assert!(t.lines().any(|l| l.starts_with("- Reduce vetting delays")));
    }

    #[test]
    fn report_drops_site_chrome() {
        let t = extract_html(&fixture("report.html")).unwrap().text;
        for chrome in [
            "cookies",
            "Accept additional",
            "Media & news",
            "Contact us",
            "Back to top",
            "Skip to content",
            "Search this site",
            "Crown copyright",
            "Accessibility statement",
            "dataLayer",
            "font-family",
            "Tracking pixel",
        ] {
            assert!(!t.contains(chrome), "{chrome:?} leaked:\n{t}");
        }
        // The breadcrumb's last item.
        assert!(!t.lines().any(|l| l == "South West"));
    }

    #[test]
    fn report_tables_become_rows_and_entities_are_decoded() {
        let t = extract_html(&fixture("report.html")).unwrap().text;
        assert!(t.contains(
            "| Does assessment focus sufficiently on keeping other people safe? | 45% |"
        ));
        assert!(t.contains("| Key question | Percentage ‘Yes’ |"));
        assert!(t.contains("| Recall rates (in the 12 months prior to inspection) | 21.47% |"));
        assert!(t.contains("region’s strategic leadership team"));
        assert!(t.contains("Cornwall & Isles of Scilly"));
        assert!(t.contains("Published: 20 January 2026"));
        assert!(!t.contains("&rsquo;") && !t.contains("&amp;") && !t.contains("&nbsp;"));
        assert!(!t.contains('\u{A0}'), "nbsp should collapse to a space");
    }

    #[test]
    fn nav_heavy_page_gives_only_the_article() {
        let e = extract_html(&fixture("nav-heavy.html")).unwrap();
        assert_eq!(
            e.text,
            "# Greater Manchester probation review published\n\n\
             Inspectors found that the region’s leaders had a clear vision, but the quality of \
             casework was yet to improve.\n\n\
             Staff shortages and high workloads remained the main obstacles."
        );
        assert_eq!(
            e.title.as_deref(),
            Some("Probation news – Greater Manchester")
        );
        assert_eq!(e.date, None);
    }

    #[test]
    fn structure_is_kept() {
        let t = html(
            "<p>One\n  two<br>three</p><ul><li>a <b>b</b><li>c<ul><li>d</li></ul></ul>\
             <table><caption>Scores</caption><tr><th>Q</th><th>%</th></tr>\
             <tr><td>x | y</td><td><p>45%</p></td></tr></table><h3>End</h3>",
        );
        assert_eq!(
            t,
            "One two\nthree\n\n- a b\n- c\n- d\n\nScores\n| Q | % |\n| x / y | 45% |\n\n### End"
        );
    }

    #[test]
    fn body_without_main_drops_site_header_and_footer() {
        let t = html(
            "<body><header>Site</header><div class=breadcrumbs>Home</div><p>Text</p>\
             <p><a href=#top>Back to top</a></p><footer>Foot</footer></body>",
        );
        assert_eq!(t, "Text");
    }

    #[test]
    fn charsets_are_honoured() {
        let latin = b"<html><head><meta charset=iso-8859-1></head><body><p>caf\xe9 \x92</p>";
        assert_eq!(extract_html(latin).unwrap().text, "café ’");
        // No declaration and invalid UTF-8: Windows-1252.
        assert_eq!(extract_html(b"<p>it\x92s</p>").unwrap().text, "it’s");
        let bom = b"\xEF\xBB\xBF<p>\xE2\x80\x99</p>";
        assert_eq!(extract_html(bom).unwrap().text, "’");
        let utf16: Vec<u8> = "\u{FEFF}<p>hi</p>"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(extract_html(&utf16).unwrap().text, "hi");
    }

    #[test]
    fn binary_and_empty_files_are_refused() {
        assert!(matches!(
            extract_html(&fixture("letter.pdf")),
            Err(FormatError::NotHtml(_))
        ));
        assert!(matches!(
            extract_html(b"GIF89a\x01\x00"),
            Err(FormatError::NotHtml(_))
        ));
        assert_eq!(extract_html(b"  \n"), Err(FormatError::Empty));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        // Our own walk is iterative, so nesting is no stack risk...
        let deep = "<div>".repeat(3_000) + "deep" + &"</div>".repeat(3_000);
        assert!(html(&deep).contains("deep"));
        // ...but the parser is quadratic in depth, so absurd nesting is refused up front.
        let absurd = "<div>".repeat(100_000);
        assert!(matches!(
            extract_html(absurd.as_bytes()),
            Err(FormatError::TooLarge(_))
        ));
        assert_eq!(nesting_depth("<p>a<p>b<div><span>x</span></div><br>"), 2);
    }

    #[test]
    fn dates_from_meta() {
        let e = extract_html(
            b"<meta property='article:published_time' content='2024-03-05T10:00:00Z'><p>x",
        )
        .unwrap();
        assert_eq!(e.date.as_deref(), Some("2024-03-05"));
        assert_eq!(parse_date("2024/02/30"), None);
    }

    mod props {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(256))]
            #[test]
            fn html_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
                let _ = extract_html(&bytes);
            }

            #[test]
            fn markup_soup_never_panics(s in "(<[a-z/!]{0,8}( [a-z]+=\"?[a-z ]*\"?)?>|&[a-z#0-9]{0,6};?|[a-z |\n]{0,12}){0,60}") {
                let _ = extract_html(s.as_bytes());
            }
        }
    }
}
