//! What every HTML page themis writes shares: [`esc`], the one escaping helper every piece of
//! report text goes through, compact number formatting for SVG coordinates and labels, and the
//! colour scales of heatmaps. The pages themselves are the analyst's report
//! ([`super::analyst`]) and the web interface ([`crate::serve`]).
//!
//! The scales are ColorBrewer sequential ones: near-white, a saturated middle, a dark end.
//! Lightness falls monotonically, so shade order survives greyscale printing; the middle stop
//! keeps the middle of the range saturated instead of the grey a straight blend gives.

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
pub fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    match s.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => s,
    }
}

/// A number short enough for a chart label: `950`, `12.5`, `1,234`, `45.6k`, `1.2M`.
pub fn compact(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{}M", num(v / 1e6))
    } else if a >= 1e5 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1e4 {
        format!("{}k", num(v / 1e3))
    } else if a >= 1000.0 {
        let whole = v.round() as i64;
        format!("{},{:03}", whole / 1000, (whole % 1000).abs())
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        num(v)
    }
}

/// Characters of `s` (what text width estimates count).
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A colour scale for intensities 0..=1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// ColorBrewer "Blues" (strengths; the web interface's heatmap).
    Blues,
    /// ColorBrewer "Reds" (concerns).
    Reds,
    /// ColorBrewer "Purples" (themes together).
    Purples,
}

impl Scale {
    fn stops(self) -> [(f64, f64, f64); 3] {
        match self {
            Scale::Blues => [
                (247.0, 251.0, 255.0),
                (107.0, 174.0, 214.0),
                (8.0, 48.0, 107.0),
            ],
            Scale::Reds => [
                (255.0, 245.0, 240.0),
                (251.0, 106.0, 74.0),
                (103.0, 0.0, 13.0),
            ],
            Scale::Purples => [
                (252.0, 251.0, 253.0),
                (158.0, 154.0, 200.0),
                (63.0, 0.0, 125.0),
            ],
        }
    }

    /// Fill for intensity `t` in 0..=1, piecewise linear in RGB through the scale's stops.
    pub fn fill(self, t: f64) -> String {
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let stops = self.stops();
        let (from, to, u) = if t <= 0.5 {
            (stops[0], stops[1], t * 2.0)
        } else {
            (stops[1], stops[2], (t - 0.5) * 2.0)
        };
        let mix = |a: f64, b: f64| (a + (b - a) * u).round() as u8;
        format!(
            "#{:02x}{:02x}{:02x}",
            mix(from.0, to.0),
            mix(from.1, to.1),
            mix(from.2, to.2)
        )
    }
}

/// [`Scale::Blues`] at intensity `t`.
pub fn fill(t: f64) -> String {
    Scale::Blues.fill(t)
}

/// Past about half intensity every scale is dark enough that black text loses contrast.
pub fn on_dark(t: f64) -> bool {
    t > 0.5
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_esc() {
        assert_eq!(esc(r#"&<>"'"#), "&amp;&lt;&gt;&quot;&#39;");
        assert_eq!(esc("a\u{0}b\nc"), "a b\nc");
    }

    #[test]
    fn test_scales_run_from_light_to_dark() {
        assert_eq!(fill(0.0), "#f7fbff");
        assert_eq!(fill(1.0), "#08306b");
        assert_eq!(fill(f64::NAN), fill(0.0));
        assert_eq!(Scale::Reds.fill(1.0), "#67000d");
        for scale in [Scale::Blues, Scale::Reds, Scale::Purples] {
            let lightness = |t: f64| {
                let hex = scale.fill(t);
                (1..7)
                    .step_by(2)
                    .map(|i| u32::from_str_radix(&hex[i..i + 2], 16).unwrap())
                    .sum::<u32>()
            };
            let steps: Vec<u32> = (0..=10).map(|i| lightness(f64::from(i) / 10.0)).collect();
            assert!(
                steps.windows(2).all(|w| w[0] >= w[1]),
                "{scale:?}: {steps:?}"
            );
        }
    }

    #[test]
    fn test_compact_numbers() {
        assert_eq!(compact(0.0), "0");
        assert_eq!(compact(950.0), "950");
        assert_eq!(compact(12.25), "12.2");
        assert_eq!(compact(1234.0), "1,234");
        assert_eq!(compact(45_600.0), "45.6k");
        assert_eq!(compact(456_000.0), "456k");
        assert_eq!(compact(1_200_000.0), "1.2M");
    }
}
