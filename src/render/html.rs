//! Self-contained HTML page: an SVG heatmap (themes × groups), an SVG bar chart of the top 10
//! themes, and the full data as an accessible table.
//!
//! The page must work offline, archived and printed: no scripts, no external resources (not
//! even an SVG namespace URL — inline SVG in HTML does not need one), a Content-Security-Policy
//! that forbids fetching anything, and a single-hue blue scale whose lightness is monotonic so
//! it survives greyscale printing, with numbers printed in the cells wherever they fit.
//! Output is deterministic (no timestamps, fixed number formatting) so it can be snapshotted.

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::views::frequency::{FrequencyReport, Metric, ThemeRow};

/// Rough average glyph width of 12px sans-serif text, erring wide so labels never collide.
const CHAR_W: f64 = 7.0;
/// Heatmap cell size.
const CELL_W: f64 = 60.0;
const CELL_H: f64 = 24.0;
/// Longest theme / group label drawn in a chart before truncation (full text is in `<title>`).
const MAX_LABEL_CHARS: usize = 40;
const MAX_GROUP_CHARS: usize = 30;
/// Bar chart geometry.
const BAR_MAX: f64 = 420.0;
const BAR_H: f64 = 20.0;
const BAR_GAP: f64 = 8.0;
const TOP_N: usize = 10;
/// Scale stops from ColorBrewer "Blues": near-white, mid blue, dark blue. Lightness falls
/// monotonically, so shade order survives greyscale printing; the mid stop keeps the middle of
/// the range saturated instead of the grey a straight white-to-navy blend gives.
const SCALE: [(f64, f64, f64); 3] = [
    (247.0, 251.0, 255.0),
    (107.0, 174.0, 214.0),
    (8.0, 48.0, 107.0),
];

const STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  margin: 2rem auto; max-width: 1100px; padding: 0 1rem; color: #1a1a1a; background: #fff; line-height: 1.4; }
h1 { font-size: 1.5rem; margin-bottom: 0.25rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
.meta, .note, figcaption { color: #555; }
.meta { margin-top: 0; }
.note, figcaption { font-size: 0.85rem; }
.empty { color: #555; font-style: italic; }
figure { margin: 1rem 0; overflow-x: auto; }
figure svg { display: block; }
.table-wrap { overflow-x: auto; }
svg text { font-family: inherit; font-size: 12px; fill: #1a1a1a; }
svg text.value { text-anchor: middle; pointer-events: none; }
svg text.on-dark { fill: #fff; }
svg text.label { text-anchor: end; }
svg rect.cell { stroke: #fff; stroke-width: 1; }
svg rect.cell:hover, svg rect.bar:hover { stroke: #d97706; stroke-width: 2; }
svg rect.bar { fill: #2171b5; }
svg line.axis { stroke: #888; stroke-width: 1; }
table.data { border-collapse: collapse; font-size: 0.9rem; }
table.data caption { text-align: left; font-weight: bold; padding-bottom: 0.25rem; }
table.data th, table.data td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; }
table.data thead th { background: #eef3fa; vertical-align: bottom; }
table.data th[scope="row"] { text-align: left; font-weight: normal; }
table.data .num { text-align: right; font-variant-numeric: tabular-nums; }
table.data tfoot th, table.data tfoot td { font-weight: bold; border-top: 2px solid #888; }
@media print {
  body { margin: 0; max-width: none; padding: 0; color: #000; background: #fff; }
  figure, .table-wrap { overflow: visible; }
  figure { break-inside: avoid; page-break-inside: avoid; }
  table.data { font-size: 8pt; }
  figure svg { max-width: 100%; height: auto; break-inside: avoid; page-break-inside: avoid;
    print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  svg rect.cell:hover, svg rect.bar:hover { stroke: #fff; stroke-width: 1; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table.data thead { display: table-header-group; }
  table.data thead th { background: none; }
  table.data tr { break-inside: avoid; page-break-inside: avoid; }
}
"#;

/// Escapes text for HTML element content and attribute values alike (quotes included), and
/// blanks control characters: every piece of report text on a page goes through here.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Coordinates with at most one decimal and no trailing ".0", so output is compact and stable.
fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => s,
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

fn truncate(s: &str, max: usize) -> String {
    if chars(s) <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// Fill for intensity `t` in 0..=1, piecewise linear in RGB through [`SCALE`].
pub fn fill(t: f64) -> String {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (from, to, u) = if t <= 0.5 {
        (SCALE[0], SCALE[1], t * 2.0)
    } else {
        (SCALE[1], SCALE[2], (t - 0.5) * 2.0)
    };
    let mix = |a: f64, b: f64| (a + (b - a) * u).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(from.0, to.0),
        mix(from.1, to.1),
        mix(from.2, to.2)
    )
}

/// Past about half intensity the blue is dark enough that black text loses contrast.
pub fn on_dark(t: f64) -> bool {
    t > 0.5
}

/// Value with its unit, for hover titles ("12 sentences", "46.7 per 10k sentences").
fn with_unit(report: &FrequencyReport, v: f64) -> String {
    format!("{} {}", report.format_value(v), report.metric.description())
}

/// Width reserved for a column of right-aligned theme labels.
fn label_width<'a>(labels: impl Iterator<Item = &'a str>) -> f64 {
    let longest = labels
        .map(|l| chars(&truncate(l, MAX_LABEL_CHARS)))
        .max()
        .unwrap_or(0);
    (longest as f64 * CHAR_W + 16.0).max(60.0)
}

/// Swatches in the heatmap's legend, their width and their spacing.
const LEGEND_STEPS: usize = 5;
const LEGEND_SWATCH: f64 = 44.0;
const LEGEND_PITCH: f64 = 48.0;
/// Where the last swatch's centre (and its value label) sits, from the grid's left edge.
const LEGEND_LAST_CENTRE: f64 = (LEGEND_STEPS - 1) as f64 * LEGEND_PITCH + LEGEND_SWATCH / 2.0;

fn heatmap(report: &FrequencyReport) -> String {
    let (rows, groups) = (&report.rows, &report.groups);
    if rows.is_empty() || groups.is_empty() {
        return "<p class=\"empty\">No data to chart.</p>\n".to_string();
    }
    let max = rows
        .iter()
        .flat_map(|r| (0..groups.len()).map(move |g| report.value(r, g)))
        .fold(0.0_f64, f64::max);

    let left = label_width(rows.iter().map(|r| r.label.as_str()));
    let group_labels: Vec<String> = groups
        .iter()
        .map(|g| truncate(&g.label, MAX_GROUP_CHARS))
        .collect();
    let longest_group = group_labels.iter().map(|l| chars(l)).max().unwrap_or(0) as f64;
    // Horizontal labels only if every one fits its cell; otherwise rotate all by -45°, which
    // needs headroom above the grid and some room to the right of the last column.
    let rotate = longest_group * CHAR_W > CELL_W - 6.0;
    let diag = longest_group * CHAR_W * std::f64::consts::FRAC_1_SQRT_2;
    let top = if rotate {
        (diag + 20.0).max(40.0)
    } else {
        28.0
    };
    let right = if rotate {
        (diag - CELL_W / 2.0 + 12.0).max(12.0)
    } else {
        12.0
    };
    let grid_w = groups.len() as f64 * CELL_W;
    let grid_h = rows.len() as f64 * CELL_H;
    let legend_y = top + grid_h + 16.0;
    // The legend's five swatches can be wider than a grid of few columns, and its top value
    // label is centred on the last swatch: the picture must hold both.
    let legend_label = chars(&report.format_value(max)) as f64 * CHAR_W;
    let legend_right =
        left + LEGEND_LAST_CENTRE + (LEGEND_SWATCH / 2.0).max(legend_label / 2.0) + 4.0;
    let width = (left + grid_w + right).max(legend_right);
    let height = legend_y + 40.0;

    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg class=\"heatmap\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{label}\">",
        w = num(width),
        h = num(height),
        label = esc(&format!(
            "Heatmap of {} themes across {} groups by {}; the data table below has every value.",
            rows.len(),
            groups.len(),
            report.by.noun()
        )),
    );

    // Column labels.
    for (g, label) in group_labels.iter().enumerate() {
        let cx = left + (g as f64 + 0.5) * CELL_W;
        if rotate {
            let _ = writeln!(
                s,
                "<text transform=\"translate({},{}) rotate(-45)\">{}</text>",
                num(cx),
                num(top - 8.0),
                esc(label)
            );
        } else {
            let _ = writeln!(
                s,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                num(cx),
                num(top - 10.0),
                esc(label)
            );
        }
    }

    for (r, row) in rows.iter().enumerate() {
        let y = top + r as f64 * CELL_H;
        let _ = writeln!(
            s,
            "<text class=\"label\" x=\"{}\" y=\"{}\">{}</text>",
            num(left - 8.0),
            num(y + CELL_H / 2.0 + 4.0),
            esc(&truncate(&row.label, MAX_LABEL_CHARS))
        );
        for (g, group) in groups.iter().enumerate() {
            let v = report.value(row, g);
            let t = if max > 0.0 { v / max } else { 0.0 };
            let x = left + g as f64 * CELL_W;
            let _ = writeln!(
                s,
                "<rect class=\"cell\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} — {}: {}</title></rect>",
                num(x),
                num(y),
                num(CELL_W),
                num(CELL_H),
                fill(t),
                esc(&row.label),
                esc(&group.label),
                esc(&report.format_value(v))
            );
            let text = report.format_value(v);
            if chars(&text) as f64 * CHAR_W <= CELL_W - 6.0 {
                let class = if on_dark(t) { "value on-dark" } else { "value" };
                let _ = writeln!(
                    s,
                    "<text class=\"{class}\" x=\"{}\" y=\"{}\">{}</text>",
                    num(x + CELL_W / 2.0),
                    num(y + CELL_H / 2.0 + 4.0),
                    esc(&text)
                );
            }
        }
    }

    // Legend: five steps of the scale with their values, so the colours read without hover
    // and a greyscale printout still maps shade to number.
    let _ = writeln!(
        s,
        "<text class=\"label\" x=\"{}\" y=\"{}\">Scale</text>",
        num(left - 8.0),
        num(legend_y + 12.0)
    );
    for step in 0..LEGEND_STEPS {
        let t = step as f64 / (LEGEND_STEPS - 1) as f64;
        let x = left + step as f64 * LEGEND_PITCH;
        let _ = writeln!(
            s,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"{}\" stroke=\"#888\" stroke-width=\"0.5\"/>",
            num(x),
            num(legend_y),
            num(LEGEND_SWATCH),
            fill(t)
        );
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(x + LEGEND_SWATCH / 2.0),
            num(legend_y + 30.0),
            esc(&report.format_value(max * t))
        );
    }
    s.push_str("</svg>\n");
    s
}

fn bar_chart(report: &FrequencyReport) -> String {
    let top: Vec<&ThemeRow> = report
        .rows
        .iter()
        .filter(|r| r.total > 0.0)
        .take(TOP_N)
        .collect();
    if top.is_empty() {
        return "<p class=\"empty\">No theme occurs.</p>\n".to_string();
    }
    let max = top.iter().map(|r| r.total).fold(0.0_f64, f64::max);
    let left = label_width(top.iter().map(|r| r.label.as_str()));
    let longest_value = top
        .iter()
        .map(|r| chars(&report.format_value(r.total)))
        .max()
        .unwrap_or(1) as f64;
    let width = left + BAR_MAX + longest_value * CHAR_W + 16.0;
    let pad = 8.0;
    let height = pad * 2.0 + top.len() as f64 * (BAR_H + BAR_GAP) - BAR_GAP;

    let mut s = String::new();
    let _ = writeln!(
        s,
        "<svg class=\"bars\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{label}\">",
        w = num(width),
        h = num(height),
        label = esc(&format!(
            "Bar chart of the {} most frequent themes by total",
            top.len()
        )),
    );
    for (i, row) in top.iter().enumerate() {
        let y = pad + i as f64 * (BAR_H + BAR_GAP);
        // max > 0 because every listed row has a positive total.
        let len = (row.total / max * BAR_MAX).max(1.0);
        let _ = writeln!(
            s,
            "<text class=\"label\" x=\"{}\" y=\"{}\">{}</text>",
            num(left - 8.0),
            num(y + BAR_H / 2.0 + 4.0),
            esc(&truncate(&row.label, MAX_LABEL_CHARS))
        );
        let _ = writeln!(
            s,
            "<rect class=\"bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}: {}</title></rect>",
            num(left),
            num(y),
            num(len),
            num(BAR_H),
            esc(&row.label),
            esc(&with_unit(report, row.total))
        );
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(left + len + 6.0),
            num(y + BAR_H / 2.0 + 4.0),
            esc(&report.format_value(row.total))
        );
    }
    let _ = writeln!(
        s,
        "<line class=\"axis\" x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"{}\"/>",
        num(height),
        x = num(left)
    );
    s.push_str("</svg>\n");
    s
}

fn data_table(report: &FrequencyReport) -> String {
    let n = report.groups.len();
    let mut s = String::new();
    let _ = writeln!(
        s,
        "<table class=\"data\">\n<caption>{}</caption>",
        esc(&report.caption())
    );
    s.push_str("<thead><tr><th scope=\"col\">Theme</th><th scope=\"col\">Category</th>");
    for g in &report.groups {
        let _ = write!(s, "<th scope=\"col\" class=\"num\">{}</th>", esc(&g.label));
    }
    s.push_str("<th scope=\"col\" class=\"num\">Total</th></tr></thead>\n<tbody>\n");
    if report.rows.is_empty() {
        let _ = writeln!(
            s,
            "<tr><td colspan=\"{}\" class=\"empty\">No themes.</td></tr>",
            n + 3
        );
    }
    for row in &report.rows {
        let _ = write!(
            s,
            "<tr><th scope=\"row\">{}</th><td>{}</td>",
            esc(&row.label),
            esc(&row.category)
        );
        for g in 0..n {
            let _ = write!(
                s,
                "<td class=\"num\">{}</td>",
                esc(&report.format_value(report.value(row, g)))
            );
        }
        let _ = writeln!(
            s,
            "<td class=\"num\">{}</td></tr>",
            esc(&report.format_value(row.total))
        );
    }
    s.push_str("</tbody>\n<tfoot><tr><th scope=\"row\">Total</th><td></td>");
    for g in 0..n {
        let _ = write!(
            s,
            "<td class=\"num\">{}</td>",
            esc(&report.format_value(report.column_total(g)))
        );
    }
    let _ = writeln!(
        s,
        "<td class=\"num\">{}</td></tr></tfoot>\n</table>",
        esc(&report.format_value(report.grand_total))
    );
    s
}

/// What the totals mean, since it differs per metric (see `FrequencyReport::build`).
fn totals_note(metric: Metric) -> &'static str {
    match metric {
        Metric::Sentences => {
            "Counts are sentences tagged with each theme; a sentence with several themes counts once per theme, so column totals are tags, not distinct sentences."
        }
        Metric::Reports => {
            "Counts are reports in which the theme appears; column totals count (theme, report) pairs, not distinct reports."
        }
        Metric::Per10k => {
            "Values are tagged sentences per 10,000 sentences in the group. Row totals are the overall rate across all groups, not the sum of the row."
        }
    }
}

/// Writes the whole page.
pub(super) fn render(report: &FrequencyReport, out: &mut dyn Write) -> io::Result<()> {
    let mut s = String::new();
    s.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    // Belt and braces for "no network": even if a label smuggled markup past escaping, the
    // browser may not fetch or run anything.
    s.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n");
    s.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(s, "<title>{}</title>", esc(&report.caption()));
    let _ = writeln!(s, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(
        s,
        "<h1>Theme frequency by {}</h1>\n<p class=\"meta\">Metric: {} · Polarity: {} · {} themes × {} groups</p>",
        esc(report.by.noun()),
        esc(report.metric.description()),
        esc(&report.polarity),
        report.rows.len(),
        report.groups.len()
    );

    s.push_str("<h2>Heatmap</h2>\n<figure>\n");
    s.push_str(&heatmap(report));
    if !report.rows.is_empty() && !report.groups.is_empty() {
        s.push_str("<figcaption>Darker cells are higher, relative to the largest cell. Hover a cell for its theme, group and value.</figcaption>\n");
    }
    s.push_str("</figure>\n");

    let _ = writeln!(s, "<h2>Top {TOP_N} themes by total</h2>\n<figure>");
    s.push_str(&bar_chart(report));
    s.push_str("</figure>\n");

    // The table scrolls on its own on screen rather than widening the page.
    s.push_str("<h2>Data</h2>\n<div class=\"table-wrap\">\n");
    s.push_str(&data_table(report));
    s.push_str("</div>\n");
    let _ = writeln!(
        s,
        "<p class=\"note\">{}</p>\n</main>\n</body>\n</html>",
        esc(totals_note(report.metric))
    );
    out.write_all(s.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::frequency::{render_to_string, Format};
    use crate::views::frequency::test_fixture::{empty, fixture, fixture_with};

    fn html(r: &FrequencyReport) -> String {
        render_to_string(r, Format::Html, false).unwrap()
    }

    fn between<'a>(s: &'a str, start: &str, end: &str) -> &'a str {
        let i = s.find(start).expect("start marker");
        let j = s[i..].find(end).expect("end marker") + i + end.len();
        &s[i..j]
    }

    #[test]
    fn test_html_is_self_contained() {
        for r in [fixture(), fixture_with(Metric::Per10k), empty()] {
            let out = html(&r);
            assert!(!out.to_lowercase().contains("<script"));
            assert!(!out.contains("http://") && !out.contains("https://"));
            assert!(!out.contains("url("));
            assert!(!out.contains("@import"));
            assert!(!out.contains("<link"));
            assert!(!out.contains("<img"));
        }
    }

    #[test]
    fn test_html_has_two_svgs_and_a_title_per_cell() {
        let r = fixture();
        let out = html(&r);
        assert_eq!(out.matches("<svg").count(), 2);
        let heat = between(&out, "<svg class=\"heatmap\"", "</svg>");
        assert_eq!(heat.matches("<rect class=\"cell\"").count(), 12);
        assert_eq!(heat.matches("<title>").count(), 12);
        assert!(heat.contains("<title>Staffing shortages — North East: 10</title>"));
        // Escaped in the hover text, never raw.
        assert!(heat.contains(
            "<title>Risk | &quot;harm&quot;, &lt;safety&gt; &amp; more — Wales &amp; the &lt;West&gt;: 0</title>"
        ));
        let bars = between(&out, "<svg class=\"bars\"", "</svg>");
        // Only themes that occur are charted.
        assert_eq!(bars.matches("<rect class=\"bar\"").count(), 3);
        assert!(bars.contains("<title>Staffing shortages: 21 sentences</title>"));
    }

    #[test]
    fn test_html_escapes_all_text() {
        let out = html(&fixture());
        assert!(!out.contains("<safety>"));
        assert!(!out.contains("<West>"));
        assert!(!out.contains("& more"));
        assert_eq!(esc(r#"&<>"'"#), "&amp;&lt;&gt;&quot;&#39;");
    }

    #[test]
    fn test_html_scale_is_monotonic_and_text_contrasts() {
        assert_eq!(fill(0.0), "#f7fbff");
        assert_eq!(fill(1.0), "#08306b");
        assert_eq!(fill(f64::NAN), fill(0.0));
        let out = html(&fixture());
        // The darkest cell (max value 10) carries white text.
        assert!(out.contains("fill=\"#08306b\"><title>Staffing shortages — North East: 10</title></rect>\n<text class=\"value on-dark\""));
    }

    #[test]
    fn test_html_long_group_labels_rotate() {
        let out = html(&fixture());
        // "Wales & the <West>" is wider than a cell, so all column labels rotate.
        assert!(out.contains("rotate(-45)"));
    }

    /// Every rectangle and every centred label of the heatmap lies inside its SVG, whatever the
    /// number of columns (the legend is wider than a grid of one or two columns).
    #[test]
    fn test_heatmap_legend_and_cells_fit_inside_the_svg() {
        let attr = |tag: &str, name: &str| -> f64 {
            let key = format!(" {name}=\"");
            let at = tag.find(&key).unwrap_or_else(|| panic!("{name} in {tag}")) + key.len();
            tag[at..].split('"').next().unwrap().parse().unwrap()
        };
        for metric in [Metric::Sentences, Metric::Per10k] {
            for columns in 1..=3 {
                let mut r = fixture_with(metric);
                r.groups.truncate(columns);
                r.column_totals.truncate(columns);
                for row in &mut r.rows {
                    row.values.truncate(columns);
                }
                let svg = heatmap(&r);
                let open = svg.lines().next().unwrap();
                let width = attr(open, "width");
                let mut checked = 0;
                for line in svg.lines().skip(1) {
                    if line.starts_with("<rect") {
                        let right = attr(line, "x") + attr(line, "width");
                        assert!(right <= width, "{columns} columns: {line} past {width}");
                        checked += 1;
                    } else if line.contains("text-anchor=\"middle\"") {
                        let label = line.split('>').nth(1).unwrap().trim_end_matches("</text");
                        let half = chars(label) as f64 * CHAR_W / 2.0;
                        let right = attr(line, "x") + half;
                        assert!(right <= width, "{columns} columns: {line} past {width}");
                        assert!(attr(line, "x") - half >= 0.0, "{line}");
                        checked += 1;
                    }
                }
                assert!(checked >= 10, "{svg}");
            }
        }
    }

    #[test]
    fn test_html_empty_model() {
        let out = html(&empty());
        assert!(out.contains("No data to chart."));
        assert!(out.contains("No theme occurs."));
        assert!(out.contains("No themes."));
        assert!(out.ends_with("</html>\n"));
    }

    #[test]
    fn test_html_deterministic() {
        assert_eq!(html(&fixture()), html(&fixture()));
    }

    #[test]
    fn test_html_heatmap_snapshot() {
        let out = html(&fixture());
        insta::assert_snapshot!(between(&out, "<svg class=\"heatmap\"", "</svg>"), @r##"
        <svg class="heatmap" width="477.1" height="261.1" viewBox="0 0 477.1 261.1" role="img" aria-label="Heatmap of 4 themes across 3 groups by region; the data table below has every value.">
        <text transform="translate(256,101.1) rotate(-45)">North East</text>
        <text transform="translate(316,101.1) rotate(-45)">London</text>
        <text transform="translate(376,101.1) rotate(-45)">Wales &amp; the &lt;West&gt;</text>
        <text class="label" x="218" y="125.1">Staffing shortages</text>
        <rect class="cell" x="226" y="109.1" width="60" height="24" fill="#08306b"><title>Staffing shortages — North East: 10</title></rect>
        <text class="value on-dark" x="256" y="125.1">10</text>
        <rect class="cell" x="286" y="109.1" width="60" height="24" fill="#437cab"><title>Staffing shortages — London: 7</title></rect>
        <text class="value on-dark" x="316" y="125.1">7</text>
        <rect class="cell" x="346" y="109.1" width="60" height="24" fill="#87bdde"><title>Staffing shortages — Wales &amp; the &lt;West&gt;: 4</title></rect>
        <text class="value" x="376" y="125.1">4</text>
        <text class="label" x="218" y="149.1">Information sharing</text>
        <rect class="cell" x="226" y="133.1" width="60" height="24" fill="#bfdcef"><title>Information sharing — North East: 2</title></rect>
        <text class="value" x="256" y="149.1">2</text>
        <rect class="cell" x="286" y="133.1" width="60" height="24" fill="#a3cde6"><title>Information sharing — London: 3</title></rect>
        <text class="value" x="316" y="149.1">3</text>
        <rect class="cell" x="346" y="133.1" width="60" height="24" fill="#f7fbff"><title>Information sharing — Wales &amp; the &lt;West&gt;: 0</title></rect>
        <text class="value" x="376" y="149.1">0</text>
        <text class="label" x="218" y="173.1">Vetting and recruitment</text>
        <rect class="cell" x="226" y="157.1" width="60" height="24" fill="#a3cde6"><title>Vetting and recruitment — North East: 3</title></rect>
        <text class="value" x="256" y="173.1">3</text>
        <rect class="cell" x="286" y="157.1" width="60" height="24" fill="#f7fbff"><title>Vetting and recruitment — London: 0</title></rect>
        <text class="value" x="316" y="173.1">0</text>
        <rect class="cell" x="346" y="157.1" width="60" height="24" fill="#bfdcef"><title>Vetting and recruitment — Wales &amp; the &lt;West&gt;: 2</title></rect>
        <text class="value" x="376" y="173.1">2</text>
        <text class="label" x="218" y="197.1">Risk | &quot;harm&quot;, &lt;safety&gt; &amp; more</text>
        <rect class="cell" x="226" y="181.1" width="60" height="24" fill="#f7fbff"><title>Risk | &quot;harm&quot;, &lt;safety&gt; &amp; more — North East: 0</title></rect>
        <text class="value" x="256" y="197.1">0</text>
        <rect class="cell" x="286" y="181.1" width="60" height="24" fill="#f7fbff"><title>Risk | &quot;harm&quot;, &lt;safety&gt; &amp; more — London: 0</title></rect>
        <text class="value" x="316" y="197.1">0</text>
        <rect class="cell" x="346" y="181.1" width="60" height="24" fill="#f7fbff"><title>Risk | &quot;harm&quot;, &lt;safety&gt; &amp; more — Wales &amp; the &lt;West&gt;: 0</title></rect>
        <text class="value" x="376" y="197.1">0</text>
        <text class="label" x="218" y="233.1">Scale</text>
        <rect x="226" y="221.1" width="44" height="16" fill="#f7fbff" stroke="#888" stroke-width="0.5"/>
        <text x="248" y="251.1" text-anchor="middle">0</text>
        <rect x="274" y="221.1" width="44" height="16" fill="#b1d5eb" stroke="#888" stroke-width="0.5"/>
        <text x="296" y="251.1" text-anchor="middle">2</text>
        <rect x="322" y="221.1" width="44" height="16" fill="#6baed6" stroke="#888" stroke-width="0.5"/>
        <text x="344" y="251.1" text-anchor="middle">5</text>
        <rect x="370" y="221.1" width="44" height="16" fill="#3a6fa1" stroke="#888" stroke-width="0.5"/>
        <text x="392" y="251.1" text-anchor="middle">8</text>
        <rect x="418" y="221.1" width="44" height="16" fill="#08306b" stroke="#888" stroke-width="0.5"/>
        <text x="440" y="251.1" text-anchor="middle">10</text>
        </svg>
        "##);
    }

    #[test]
    fn test_html_bars_and_table_snapshot() {
        let out = html(&fixture());
        let bars = between(&out, "<svg class=\"bars\"", "</svg>");
        let table = between(&out, "<table", "</table>");
        insta::assert_snapshot!(format!("{bars}\n{table}"), @r#"
        <svg class="bars" width="627" height="92" viewBox="0 0 627 92" role="img" aria-label="Bar chart of the 3 most frequent themes by total">
        <text class="label" x="169" y="22">Staffing shortages</text>
        <rect class="bar" x="177" y="8" width="420" height="20"><title>Staffing shortages: 21 sentences</title></rect>
        <text x="603" y="22">21</text>
        <text class="label" x="169" y="50">Information sharing</text>
        <rect class="bar" x="177" y="36" width="100" height="20"><title>Information sharing: 5 sentences</title></rect>
        <text x="283" y="50">5</text>
        <text class="label" x="169" y="78">Vetting and recruitment</text>
        <rect class="bar" x="177" y="64" width="100" height="20"><title>Vetting and recruitment: 5 sentences</title></rect>
        <text x="283" y="78">5</text>
        <line class="axis" x1="177" y1="0" x2="177" y2="92"/>
        </svg>
        <table class="data">
        <caption>Theme frequency by region (sentences, polarity: all)</caption>
        <thead><tr><th scope="col">Theme</th><th scope="col">Category</th><th scope="col" class="num">North East</th><th scope="col" class="num">London</th><th scope="col" class="num">Wales &amp; the &lt;West&gt;</th><th scope="col" class="num">Total</th></tr></thead>
        <tbody>
        <tr><th scope="row">Staffing shortages</th><td>workforce</td><td class="num">10</td><td class="num">7</td><td class="num">4</td><td class="num">21</td></tr>
        <tr><th scope="row">Information sharing</th><td>protection</td><td class="num">2</td><td class="num">3</td><td class="num">0</td><td class="num">5</td></tr>
        <tr><th scope="row">Vetting and recruitment</th><td>workforce</td><td class="num">3</td><td class="num">0</td><td class="num">2</td><td class="num">5</td></tr>
        <tr><th scope="row">Risk | &quot;harm&quot;, &lt;safety&gt; &amp; more</th><td>practice</td><td class="num">0</td><td class="num">0</td><td class="num">0</td><td class="num">0</td></tr>
        </tbody>
        <tfoot><tr><th scope="row">Total</th><td></td><td class="num">15</td><td class="num">10</td><td class="num">6</td><td class="num">31</td></tr></tfoot>
        </table>
        "#);
    }
}
