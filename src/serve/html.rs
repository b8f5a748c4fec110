//! The page layout every page shares (navigation, the out-of-date banner, inline CSS, no
//! external assets and no scripts), links with query strings, and the one escaping helper:
//! every piece of report text, query and parameter echoed on a page goes through [`esc`].

use std::fmt::Write as _;

pub use crate::render::html::esc;

/// The pages, for the navigation bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// Search.
    Search,
    /// Themes.
    Themes,
    /// A report (not in the bar).
    Report,
    /// The API documentation.
    Api,
}

const STYLE: &str = r#"
:root { color-scheme: light; --ink: #1a1a1a; --muted: #5b6470; --line: #d8dde3; --accent: #1d4f91;
  --concern: #fbe3e1; --concern-ink: #a93226; --strength: #dcf1e2; --strength-ink: #1e7a44;
  --neutral: #eceff3; --neutral-ink: #566573; --hit: #ffe27a; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  margin: 0; color: var(--ink); background: #fff; line-height: 1.45; }
header.top { background: #163a6b; color: #fff; padding: 0.6rem 1.25rem; display: flex; gap: 1.5rem;
  align-items: baseline; flex-wrap: wrap; }
header.top .brand { font-weight: 700; font-size: 1.15rem; color: #fff; text-decoration: none; }
header.top nav a { color: #dbe7f7; text-decoration: none; margin-right: 1.1rem; }
header.top nav a.active { color: #fff; font-weight: 600; border-bottom: 2px solid #fff; }
main { max-width: 1240px; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
a { color: var(--accent); }
h1 { font-size: 1.45rem; margin: 0.4rem 0 0.3rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 0.5rem; }
h3 { font-size: 1rem; margin: 1.1rem 0 0.3rem; }
.muted, .meta { color: var(--muted); }
.meta { font-size: 0.9rem; margin: 0 0 0.5rem; }
.banner { background: #fff4d6; border: 1px solid #e5c261; padding: 0.55rem 0.8rem; border-radius: 4px;
  margin: 0.5rem 0 1rem; }
.error { background: #fdecea; border: 1px solid #e6a39b; padding: 0.7rem 0.9rem; border-radius: 4px; }
form.search { display: flex; gap: 0.5rem; flex-wrap: wrap; margin: 0.5rem 0; }
form.search input[type=search] { flex: 1 1 420px; font-size: 1.05rem; padding: 0.45rem 0.6rem;
  border: 1px solid #9aa5b1; border-radius: 4px; min-width: 0; }
button, .button { font-size: 1rem; padding: 0.45rem 1rem; border: 1px solid #163a6b; background: #1d4f91;
  color: #fff; border-radius: 4px; cursor: pointer; text-decoration: none; }
details.help { margin: 0.3rem 0 0.8rem; font-size: 0.92rem; }
details.help table { border-collapse: collapse; margin-top: 0.4rem; }
details.help td { border-top: 1px solid var(--line); padding: 0.2rem 0.6rem 0.2rem 0; vertical-align: top; }
code { background: #f2f4f7; padding: 0 0.2rem; border-radius: 3px; overflow-wrap: anywhere; }
.layout { display: grid; grid-template-columns: 250px minmax(0, 1fr); gap: 1.6rem; }
@media (max-width: 800px) { .layout { grid-template-columns: minmax(0, 1fr); } }
aside.facets h2 { font-size: 0.95rem; margin: 1rem 0 0.3rem; text-transform: uppercase;
  letter-spacing: 0.03em; color: var(--muted); }
aside.facets ul { list-style: none; margin: 0; padding: 0; }
aside.facets li { display: flex; justify-content: space-between; gap: 0.5rem; padding: 0.12rem 0;
  font-size: 0.93rem; }
aside.facets li a { overflow-wrap: anywhere; }
.count { color: var(--muted); font-variant-numeric: tabular-nums; }
.chips { margin: 0.3rem 0 0.8rem; display: flex; gap: 0.4rem; flex-wrap: wrap; }
.chip { display: inline-block; background: #e8eef7; border: 1px solid #c5d3e8; border-radius: 999px;
  padding: 0.05rem 0.6rem; font-size: 0.85rem; color: var(--ink); text-decoration: none; }
a.chip.remove::after { content: " ×"; font-weight: 700; }
a.chip.active { background: #1d4f91; border-color: #1d4f91; color: #fff; }
.result { border-top: 1px solid var(--line); padding: 0.7rem 0 0.5rem; }
.result h3 { margin: 0 0 0.1rem; font-size: 1.05rem; }
.excerpt { margin: 0.45rem 0 0.45rem 0.2rem; padding-left: 0.7rem; border-left: 3px solid var(--line);
  overflow-wrap: anywhere; }
.where { color: var(--muted); font-size: 0.85rem; }
.themes-line { font-size: 0.82rem; color: var(--muted); margin-top: 0.15rem; }
mark.hit { background: var(--hit); padding: 0 1px; border-radius: 2px; }
.pager { display: flex; gap: 0.35rem; flex-wrap: wrap; margin: 1.2rem 0; align-items: center; }
.pager a, .pager span { padding: 0.2rem 0.55rem; border: 1px solid var(--line); border-radius: 4px;
  text-decoration: none; }
.pager span.current { background: #1d4f91; color: #fff; border-color: #1d4f91; }
table.grid { border-collapse: collapse; font-size: 0.88rem; }
table.grid th, table.grid td { border: 1px solid var(--line); padding: 0.22rem 0.45rem; }
table.grid thead th { background: #eef3fa; vertical-align: bottom; }
table.grid th[scope=row] { text-align: left; font-weight: normal; }
table.grid td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.grid td.heat a { display: block; text-decoration: none; color: inherit; }
table.grid td.heat a:hover { text-decoration: underline; }
table.grid td.heat.dark a { color: #fff; }
.wrap { overflow-x: auto; max-width: 100%; }
.cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(360px, 1fr)); gap: 0 2rem; }
ul.plain { list-style: none; padding: 0; margin: 0; }
ul.plain li { padding: 0.2rem 0; border-bottom: 1px solid #eef0f3; }
.spark { font-family: ui-monospace, "DejaVu Sans Mono", monospace; letter-spacing: 1px; color: #1d4f91; }
.report-layout { display: grid; grid-template-columns: minmax(0, 1fr) 300px; gap: 2rem; }
@media (max-width: 900px) { .report-layout { grid-template-columns: minmax(0, 1fr); } }
.report-layout aside { font-size: 0.92rem; }
.legend { position: sticky; top: 0.5rem; background: #fff; border: 1px solid var(--line); border-radius: 6px;
  padding: 0.6rem 0.8rem; }
.legend h2 { margin-top: 0; }
.legend ul { list-style: none; margin: 0.3rem 0; padding: 0; }
.legend li { display: flex; justify-content: space-between; gap: 0.4rem; padding: 0.08rem 0; }
.legend form { display: grid; gap: 0.35rem; margin-top: 0.5rem; }
.legend label { display: grid; gap: 0.15rem; }
.legend select { font-size: 0.9rem; padding: 0.2rem; width: 100%; }
.swatch { display: inline-block; width: 0.9rem; height: 0.9rem; border-radius: 2px; vertical-align: -0.1rem;
  margin-right: 0.3rem; border-bottom: 2px solid; }
.text p { margin: 0.45rem 0; overflow-wrap: anywhere; }
.text h3 { margin-top: 1.2rem; }
.page-mark { color: var(--muted); font-size: 0.8rem; border-top: 1px dashed var(--line); margin: 0.8rem 0 0.2rem;
  padding-top: 0.1rem; }
.tagged { border-radius: 2px; padding: 0 1px; border-bottom: 2px solid; }
.pol-concern { background: var(--concern); border-color: var(--concern-ink); }
.pol-strength { background: var(--strength); border-color: var(--strength-ink); }
.pol-neutral { background: var(--neutral); border-color: var(--neutral-ink); }
.tag-label { font-size: 0.72rem; color: var(--muted); margin: 0 0.25rem 0 0.15rem; white-space: nowrap; }
.target { outline: 3px solid #e0a800; outline-offset: 1px; background: #fff1b8; }
.target.tagged { background: #fff1b8; }
:target { scroll-margin-top: 30vh; }
a.where { white-space: nowrap; }
"#;

/// A whole page: `title` (escaped here), the navigation with `nav` marked, the banner when the
/// index is out of date, and `body` (already HTML).
pub fn page(title: &str, nav: Nav, banner: Option<&str>, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + STYLE.len() + 1024);
    let link = |href: &str, label: &str, which: Nav| {
        let class = if nav == which {
            " class=\"active\""
        } else {
            ""
        };
        format!("<a href=\"{href}\"{class}>{label}</a>")
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · themis</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header class=\"top\"><a class=\"brand\" href=\"/\">themis</a><nav>{}{}{}</nav></header>\n<main>\n",
        esc(title),
        link("/search", "Search", Nav::Search),
        link("/themes", "Themes", Nav::Themes),
        link("/api", "API", Nav::Api),
    );
    if let Some(banner) = banner {
        let _ = writeln!(
            out,
            "<p class=\"banner\" role=\"status\">{}</p>",
            esc(banner)
        );
    }
    out.push_str(body);
    out.push_str("\n</main>\n</body>\n</html>\n");
    out
}

/// Percent-encodes a query-string value (everything but unreserved characters).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

/// `path?name=value&…` for the pairs with a value, encoded and escaped for an attribute.
pub fn href(path: &str, pairs: &[(&str, String)]) -> String {
    let query: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect();
    if query.is_empty() {
        esc(path)
    } else {
        esc(&format!("{path}?{}", query.join("&")))
    }
}

/// "1 report", "2 reports".
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Text with the byte ranges of `marks` (relative to the text, sorted) wrapped in
/// `<mark class="hit">`, everything escaped. Ranges off character boundaries are skipped.
pub fn highlighted(text: &str, marks: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len() + marks.len() * 24);
    let mut at = 0;
    for &(from, to) in marks {
        if from < at || to <= from || text.get(from..to).is_none() {
            continue;
        }
        out.push_str(&esc(&text[at..from]));
        out.push_str("<mark class=\"hit\">");
        out.push_str(&esc(&text[from..to]));
        out.push_str("</mark>");
        at = to;
    }
    out.push_str(&esc(&text[at..]));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_links_encode_and_escape() {
        let link = href(
            "/search",
            &[("q", "a&b \"c\"".into()), ("region", String::new())],
        );
        assert_eq!(link, "/search?q=a%26b+%22c%22");
        assert_eq!(encode("<script>"), "%3Cscript%3E");
    }

    #[test]
    fn test_highlights_escape_the_text_around_them() {
        let text = "<b>vetting</b> & delays";
        let out = highlighted(text, &[(3, 10), (17, 23), (100, 200)]);
        assert_eq!(
            out,
            "&lt;b&gt;<mark class=\"hit\">vetting</mark>&lt;/b&gt; &amp; <mark class=\"hit\">delays</mark>"
        );
    }

    #[test]
    fn test_page_escapes_title_and_banner() {
        let html = page("<x>", Nav::Search, Some("<img src=x onerror=alert(1)>"), "");
        assert!(!html.contains("<x>"));
        assert!(!html.contains("<img"));
    }
}
