//! Inline SVG charts for self-contained HTML pages: a heatmap (rows × columns of shaded cells,
//! each optionally a link, with footer rows and a legend) and a small line chart (years on x,
//! one or more series). Text widths are estimated ([`CHAR_W`] per character, erring wide), and
//! every picture is sized to hold all it draws: labels, the legend and rotated column titles;
//! tests in headless Chromium check that against real fonts.

use std::fmt::Write as _;

use super::html::{chars, esc, num, on_dark, Scale};

/// Rough average glyph width of 12px sans-serif text, erring wide so labels never collide.
pub const CHAR_W: f64 = 7.0;
/// Of 11px text (footers, ticks).
const SMALL_CHAR_W: f64 = 6.4;

/// One column of a heatmap.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatColumn {
    /// Its label (drawn; rotated when any label is wider than a cell).
    pub label: String,
    /// Hover text.
    pub title: String,
}

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatCell {
    /// What shades it.
    pub value: f64,
    /// The number printed in it.
    pub text: String,
    /// Hover text.
    pub title: String,
    /// Where it links (an in-page anchor), if anywhere.
    pub href: Option<String>,
}

/// One row.
#[derive(Debug, Clone, PartialEq)]
pub struct HeatRow {
    /// Its label, drawn in full.
    pub label: String,
    /// One per column; `None` draws nothing there (the upper half of a symmetric matrix).
    pub cells: Vec<Option<HeatCell>>,
}

/// A heatmap to draw.
#[derive(Debug, Clone)]
pub struct Heatmap {
    /// CSS class of the `<svg>`.
    pub class: String,
    /// What it shows, for screen readers.
    pub aria_label: String,
    /// The columns.
    pub columns: Vec<HeatColumn>,
    /// The rows.
    pub rows: Vec<HeatRow>,
    /// Rows of plain numbers under the grid: a label and one text per column.
    pub footer: Vec<(String, Vec<String>)>,
    /// The colour scale.
    pub scale: Scale,
    /// The narrowest a cell is (wider when a number needs it).
    pub cell_w: f64,
    /// Cell height.
    pub cell_h: f64,
    /// The legend's five values, lowest first (empty: no legend).
    pub legend: Vec<String>,
}

/// Swatches in the legend, their width and their spacing.
const LEGEND_STEPS: usize = 5;
const LEGEND_SWATCH: f64 = 44.0;
const LEGEND_PITCH: f64 = 48.0;

impl Heatmap {
    /// The largest value, which the darkest shade stands for.
    fn max(&self) -> f64 {
        self.rows
            .iter()
            .flat_map(|r| r.cells.iter().flatten().map(|c| c.value))
            .fold(0.0, f64::max)
    }

    /// Cell width: the minimum, or what the widest number or footer needs.
    fn cell_width(&self) -> f64 {
        let numbers = self
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().flatten())
            .map(|c| chars(&c.text) as f64 * CHAR_W + 8.0);
        let footers = self
            .footer
            .iter()
            .flat_map(|(_, texts)| texts.iter())
            .map(|t| chars(t) as f64 * SMALL_CHAR_W + 8.0);
        numbers.chain(footers).fold(self.cell_w, f64::max)
    }

    /// Draws it.
    pub fn svg(&self) -> String {
        let cell_w = self.cell_width();
        let cell_h = self.cell_h;
        let max = self.max();
        let label_w = self
            .rows
            .iter()
            .map(|r| chars(&r.label))
            .chain(self.footer.iter().map(|(l, _)| chars(l)))
            .chain(["Scale".len()])
            .max()
            .unwrap_or(0) as f64
            * CHAR_W
            + 16.0;
        let longest = self
            .columns
            .iter()
            .map(|c| chars(&c.label))
            .max()
            .unwrap_or(0) as f64;
        // Horizontal column labels only if every one fits its cell; otherwise all rotate by
        // -45°, which needs headroom above the grid and room right of the last column.
        let rotate = longest * CHAR_W > cell_w - 6.0;
        let diag = longest * CHAR_W * std::f64::consts::FRAC_1_SQRT_2;
        let top = if rotate {
            (diag + 20.0).max(40.0)
        } else {
            28.0
        };
        let right = if rotate {
            (diag - cell_w / 2.0 + 12.0).max(12.0)
        } else {
            12.0
        };
        let grid_w = self.columns.len() as f64 * cell_w;
        let grid_h = self.rows.len() as f64 * cell_h;
        let footer_h = self.footer.len() as f64 * 18.0;
        let legend_y = top + grid_h + footer_h + 16.0;
        let legend_label = self.legend.iter().map(|l| chars(l)).max().unwrap_or(0) as f64 * CHAR_W;
        let legend_right = label_w
            + (LEGEND_STEPS - 1) as f64 * LEGEND_PITCH
            + LEGEND_SWATCH / 2.0
            + (LEGEND_SWATCH / 2.0).max(legend_label / 2.0)
            + 4.0;
        let width = (label_w + grid_w + right).max(if self.legend.is_empty() {
            0.0
        } else {
            legend_right
        });
        let height = if self.legend.is_empty() {
            top + grid_h + footer_h + 8.0
        } else {
            legend_y + 40.0
        };

        // A picture of links is a group, so assistive technology still reaches the links (an
        // `img` role would hide them).
        let linked = self
            .rows
            .iter()
            .any(|r| r.cells.iter().flatten().any(|c| c.href.is_some()));
        let role = if linked { "group" } else { "img" };
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg class=\"{}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"{role}\" aria-label=\"{}\">",
            esc(&self.class),
            esc(&self.aria_label),
            w = num(width),
            h = num(height),
        );
        for (i, column) in self.columns.iter().enumerate() {
            let cx = label_w + (i as f64 + 0.5) * cell_w;
            if rotate {
                let _ = writeln!(
                    s,
                    "<text class=\"column\" transform=\"translate({},{}) rotate(-45)\"><title>{}</title>{}</text>",
                    num(cx),
                    num(top - 8.0),
                    esc(&column.title),
                    esc(&column.label)
                );
            } else {
                let _ = writeln!(
                    s,
                    "<text class=\"column\" x=\"{}\" y=\"{}\" text-anchor=\"middle\"><title>{}</title>{}</text>",
                    num(cx),
                    num(top - 10.0),
                    esc(&column.title),
                    esc(&column.label)
                );
            }
        }
        for (r, row) in self.rows.iter().enumerate() {
            let y = top + r as f64 * cell_h;
            let _ = writeln!(
                s,
                "<text class=\"label\" x=\"{}\" y=\"{}\">{}</text>",
                num(label_w - 8.0),
                num(y + cell_h / 2.0 + 4.0),
                esc(&row.label)
            );
            for (c, cell) in row.cells.iter().enumerate() {
                let Some(cell) = cell else { continue };
                let t = if max > 0.0 { cell.value / max } else { 0.0 };
                let x = label_w + c as f64 * cell_w;
                if let Some(href) = &cell.href {
                    let _ = write!(s, "<a href=\"{}\">", esc(href));
                }
                let _ = write!(
                    s,
                    "<rect class=\"cell\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}</title></rect>",
                    num(x),
                    num(y),
                    num(cell_w),
                    num(cell_h),
                    self.scale.fill(t),
                    esc(&cell.title)
                );
                let class = if on_dark(t) { "value on-dark" } else { "value" };
                let _ = write!(
                    s,
                    "<text class=\"{class}\" x=\"{}\" y=\"{}\">{}</text>",
                    num(x + cell_w / 2.0),
                    num(y + cell_h / 2.0 + 4.0),
                    esc(&cell.text)
                );
                if cell.href.is_some() {
                    s.push_str("</a>");
                }
                s.push('\n');
            }
        }
        for (f, (label, texts)) in self.footer.iter().enumerate() {
            let y = top + grid_h + f as f64 * 18.0 + 14.0;
            let _ = writeln!(
                s,
                "<text class=\"label foot\" x=\"{}\" y=\"{}\">{}</text>",
                num(label_w - 8.0),
                num(y),
                esc(label)
            );
            for (c, text) in texts.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "<text class=\"foot\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    num(label_w + (c as f64 + 0.5) * cell_w),
                    num(y),
                    esc(text)
                );
            }
        }
        if !self.legend.is_empty() {
            // Five steps of the scale with their values, so the shades read without hover
            // and a greyscale printout still maps shade to number.
            let _ = writeln!(
                s,
                "<text class=\"label\" x=\"{}\" y=\"{}\">Scale</text>",
                num(label_w - 8.0),
                num(legend_y + 12.0)
            );
            for (step, value) in self.legend.iter().take(LEGEND_STEPS).enumerate() {
                let t = step as f64 / (LEGEND_STEPS - 1) as f64;
                let x = label_w + step as f64 * LEGEND_PITCH;
                let _ = writeln!(
                    s,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"16\" fill=\"{}\" stroke=\"#888\" stroke-width=\"0.5\"/>",
                    num(x),
                    num(legend_y),
                    num(LEGEND_SWATCH),
                    self.scale.fill(t)
                );
                let _ = writeln!(
                    s,
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                    num(x + LEGEND_SWATCH / 2.0),
                    num(legend_y + 30.0),
                    esc(value)
                );
            }
        }
        s.push_str("</svg>\n");
        s
    }
}

/// One line of a [`LineChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// CSS class (its colour and marker).
    pub class: String,
    /// One value per year (`None`: no data that year; the line joins the years around it).
    pub values: Vec<Option<f64>>,
    /// Hover text per year.
    pub titles: Vec<String>,
}

/// A small line chart: years along x, values from 0 to `y_max` up y.
#[derive(Debug, Clone, PartialEq)]
pub struct LineChart {
    /// What it shows, for screen readers.
    pub aria_label: String,
    /// The years, ascending.
    pub years: Vec<i32>,
    /// The lines.
    pub lines: Vec<Line>,
    /// The top of the y axis.
    pub y_max: f64,
    /// The y axis's title.
    pub y_label: String,
    /// Picture size.
    pub width: f64,
    /// Picture height.
    pub height: f64,
}

impl LineChart {
    /// Draws it.
    pub fn svg(&self) -> String {
        let y_max = if self.y_max > 0.0 { self.y_max } else { 1.0 };
        let tick = super::html::compact(y_max);
        // Room for the rotated y title, the widest tick label, and half a year label right.
        let left = 18.0 + chars(&tick) as f64 * SMALL_CHAR_W + 8.0;
        let right = 2.0 * SMALL_CHAR_W + 6.0;
        let (top, bottom) = (10.0, 24.0);
        let plot_w = (self.width - left - right).max(20.0);
        let plot_h = (self.height - top - bottom).max(20.0);
        let n = self.years.len();
        // Points stay clear of the y axis and its labels.
        let inset = 8.0;
        let x_of = |i: usize| {
            if n <= 1 {
                left + plot_w / 2.0
            } else {
                left + inset + (plot_w - 2.0 * inset) * i as f64 / (n - 1) as f64
            }
        };
        let y_of = |v: f64| top + plot_h - plot_h * (v / y_max).clamp(0.0, 1.0);
        let mut s = String::new();
        let _ = writeln!(
            s,
            "<svg class=\"trend\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-label=\"{}\">",
            esc(&self.aria_label),
            w = num(self.width),
            h = num(self.height),
        );
        let (x0, x1, y0, y1) = (left, left + plot_w, top + plot_h, top);
        let _ = writeln!(
            s,
            "<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/><line class=\"grid\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
            num(x0), num(y0), num(x1), num(y0),
            num(x0), num(y0), num(x0), num(y1),
            num(x0), num(y1), num(x1), num(y1)
        );
        let _ = writeln!(
            s,
            "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text><text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            num(x0 - 4.0),
            num(y0 + 4.0),
            num(x0 - 4.0),
            num(y1 + 8.0),
            esc(&tick)
        );
        let _ = writeln!(
            s,
            "<text class=\"tick axis-title\" transform=\"translate(11,{}) rotate(-90)\" text-anchor=\"middle\">{}</text>",
            num(top + plot_h / 2.0),
            esc(&self.y_label)
        );
        // Year labels: the first, the last, and as many between as fit.
        let step = ((n as f64 * 4.0 * SMALL_CHAR_W + 8.0 * n as f64) / plot_w)
            .ceil()
            .max(1.0) as usize;
        for (i, year) in self.years.iter().enumerate() {
            let last = i + 1 == n;
            let fits_before_last = i + step <= n.saturating_sub(1) || n == 1;
            if last || (i % step == 0 && fits_before_last) {
                let _ = writeln!(
                    s,
                    "<text class=\"tick\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{year}</text>",
                    num(x_of(i)),
                    num(y0 + 15.0)
                );
            }
        }
        for line in &self.lines {
            // One polyline through the years with a value: a year without one (no reports)
            // has no point, and the line joins its neighbours.
            let points: Vec<String> = line
                .values
                .iter()
                .enumerate()
                .filter_map(|(i, v)| v.map(|v| format!("{},{}", num(x_of(i)), num(y_of(v)))))
                .collect();
            if points.len() > 1 {
                let _ = writeln!(
                    s,
                    "<polyline class=\"line {}\" points=\"{}\"/>",
                    esc(&line.class),
                    points.join(" ")
                );
            }
            for (i, v) in line.values.iter().enumerate() {
                let Some(v) = v else { continue };
                let title = line.titles.get(i).map(String::as_str).unwrap_or_default();
                let _ = writeln!(
                    s,
                    "<circle class=\"point {}\" cx=\"{}\" cy=\"{}\" r=\"3\" data-year=\"{}\" data-value=\"{}\"><title>{}</title></circle>",
                    esc(&line.class),
                    num(x_of(i)),
                    num(y_of(*v)),
                    self.years[i],
                    num(*v),
                    esc(title)
                );
            }
        }
        s.push_str("</svg>\n");
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attr(tag: &str, name: &str) -> Option<f64> {
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        tag[at..].split('"').next()?.parse().ok()
    }

    fn heatmap(columns: usize, label: &str) -> Heatmap {
        let cell = |v: f64| {
            Some(HeatCell {
                value: v,
                text: format!("{v}"),
                title: format!("<{v}> & more"),
                href: Some(format!("#ev-{v}")),
            })
        };
        Heatmap {
            class: "heatmap".into(),
            aria_label: "a heatmap".into(),
            columns: (0..columns)
                .map(|i| HeatColumn {
                    label: format!("{label} {i}"),
                    title: "t".into(),
                })
                .collect(),
            rows: vec![
                HeatRow {
                    label: "Staffing levels & \"vacancies\"".into(),
                    cells: (0..columns).map(|c| cell(c as f64 * 100.0)).collect(),
                },
                HeatRow {
                    label: "Risk".into(),
                    cells: (0..columns)
                        .map(|c| if c == 0 { None } else { cell(1.0) })
                        .collect(),
                },
            ],
            footer: vec![(
                "Sentences".into(),
                (0..columns).map(|_| "12,345".into()).collect(),
            )],
            scale: Scale::Reds,
            cell_w: 44.0,
            cell_h: 22.0,
            legend: ["0", "25", "50", "75", "1,000,000"]
                .map(String::from)
                .to_vec(),
        }
    }

    /// Every rectangle, and every centred label at its estimated width, lies inside the
    /// picture, with one column or many, short or long column labels.
    #[test]
    fn test_heatmap_draws_inside_its_box() {
        for columns in [1, 2, 9] {
            for label in ["2023", "Kent, Surrey and Sussex"] {
                let svg = heatmap(columns, label).svg();
                let open = svg.lines().next().unwrap();
                let width = attr(open, "width").unwrap();
                let height = attr(open, "height").unwrap();
                for tag in svg
                    .split('<')
                    .filter(|t| t.starts_with("rect") || t.starts_with("text"))
                {
                    let (Some(x), Some(y)) = (attr(tag, "x"), attr(tag, "y")) else {
                        continue;
                    };
                    let w = attr(tag, "width").unwrap_or(0.0);
                    assert!(
                        x + w <= width && y <= height,
                        "{columns} {label}: {tag} outside {width}×{height}"
                    );
                }
            }
        }
    }

    #[test]
    fn test_heatmap_links_escapes_and_skips_missing_cells() {
        let svg = heatmap(3, "A").svg();
        assert_eq!(svg.matches("<rect class=\"cell\"").count(), 5);
        assert_eq!(svg.matches("<a href=\"#ev-").count(), 5);
        assert!(svg.contains("Staffing levels &amp; &quot;vacancies&quot;"));
        assert!(svg.contains("<title>&lt;200&gt; &amp; more</title>"));
        assert!(!svg.contains("<200>"));
    }

    #[test]
    fn test_line_chart_joins_the_years_with_data_and_carries_them() {
        let chart = LineChart {
            aria_label: "x".into(),
            years: vec![2020, 2021, 2022, 2023],
            lines: vec![Line {
                class: "concern".into(),
                values: vec![Some(1.0), Some(2.0), None, Some(4.0)],
                titles: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            }],
            y_max: 4.0,
            y_label: "per 10k".into(),
            width: 240.0,
            height: 140.0,
        };
        let svg = chart.svg();
        assert_eq!(svg.matches("<polyline").count(), 1, "{svg}");
        assert_eq!(
            svg.split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .split(' ')
                .count(),
            3
        );
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("data-year=\"2023\" data-value=\"4\""));
        for tag in svg.split('<').filter(|t| t.starts_with("circle")) {
            let (x, y) = (attr(tag, "cx").unwrap(), attr(tag, "cy").unwrap());
            assert!(
                (0.0..=240.0).contains(&x) && (0.0..=140.0).contains(&y),
                "{tag}"
            );
        }
    }
}
