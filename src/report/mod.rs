//! Theme frequency report: the themes × groups matrix ([`FrequencyReport`]) and its
//! renderers (terminal table, Markdown, CSV, JSON, self-contained HTML).
//!
//! This module owns presentation only. Counting sentences and reports is the caller's job;
//! it hands raw counts to [`FrequencyReport::build`], which computes values and totals for the
//! chosen [`Metric`] and sorts the rows. Renderers write to any [`std::io::Write`] and never
//! consult the environment: whether to use colour is decided by the caller.

mod csv;
mod html;
mod json;
mod markdown;
mod model;
mod table;

pub use model::{Format, FrequencyReport, Group, GroupBy, Metric, ThemeRow};

/// Width, in columns, that [`Format::Table`] output fits into.
pub const TABLE_WIDTH: usize = table::MAX_WIDTH;

/// Renders `report` in `format` to `out`.
///
/// `color` only affects [`Format::Table`] (bold header via ANSI escapes); every other format
/// is plain data and ignores it.
pub fn render(
    report: &FrequencyReport,
    format: Format,
    out: &mut dyn std::io::Write,
    color: bool,
) -> std::io::Result<()> {
    match format {
        Format::Table => table::render(report, out, color),
        Format::Markdown => markdown::render(report, out),
        Format::Csv => csv::render(report, out),
        Format::Json => json::render(report, out),
        Format::Html => html::render(report, out),
    }
}

/// Renders to a `String` (convenience for tests and callers that buffer).
pub fn render_to_string(
    report: &FrequencyReport,
    format: Format,
    color: bool,
) -> std::io::Result<String> {
    let mut buf = Vec::new();
    render(report, format, &mut buf, color)?;
    // Every renderer writes only UTF-8 built from Rust strings.
    String::from_utf8(buf).map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

/// Shared fixtures for the renderer tests.
#[cfg(test)]
pub(crate) mod test_fixture {
    use super::{FrequencyReport, Group, GroupBy, Metric};

    /// 4 themes × 3 regions; one theme label and one group label exercise escaping.
    pub(crate) fn fixture_with(metric: Metric) -> FrequencyReport {
        let group = |key: &str, label: &str, sentences, reports| Group {
            key: key.into(),
            label: label.into(),
            sentences,
            reports,
        };
        let groups = vec![
            group("north-east", "North East", 2000, 4),
            group("london", "London", 1500, 3),
            group("wales", "Wales & the <West>", 500, 2),
        ];
        let theme = |id: &str, label: &str, cat: &str| (id.into(), label.into(), cat.into());
        let themes = vec![
            theme(
                "vetting-recruitment",
                "Vetting and recruitment",
                "workforce",
            ),
            theme("staffing-shortages", "Staffing shortages", "workforce"),
            theme("information-sharing", "Information sharing", "protection"),
            theme("risk-harm", r#"Risk | "harm", <safety> & more"#, "practice"),
        ];
        let counts = vec![vec![3, 0, 2], vec![10, 7, 4], vec![2, 3, 0], vec![0, 0, 0]];
        FrequencyReport::build(GroupBy::Region, metric, "all", groups, themes, counts)
    }

    pub(crate) fn fixture() -> FrequencyReport {
        fixture_with(Metric::Sentences)
    }

    /// No groups and no themes.
    pub(crate) fn empty() -> FrequencyReport {
        FrequencyReport::build(
            GroupBy::Year,
            Metric::Sentences,
            "concern",
            vec![],
            vec![],
            vec![],
        )
    }

    /// Themes but no groups, and groups but no themes.
    pub(crate) fn half_empty() -> [FrequencyReport; 2] {
        let mut no_groups = fixture();
        no_groups.groups.clear();
        no_groups.column_totals.clear();
        for r in &mut no_groups.rows {
            r.values.clear();
        }
        let mut no_rows = fixture();
        no_rows.rows.clear();
        [no_groups, no_rows]
    }
}

#[cfg(test)]
mod tests {
    use super::test_fixture::{empty, fixture, half_empty};
    use super::*;

    const ALL: [Format; 5] = [
        Format::Table,
        Format::Markdown,
        Format::Csv,
        Format::Json,
        Format::Html,
    ];

    #[test]
    fn test_empty_models_render_in_every_format() {
        let [a, b] = half_empty();
        for model in [empty(), a, b] {
            for format in ALL {
                let out = render_to_string(&model, format, true).unwrap();
                assert!(!out.trim().is_empty(), "{format} rendered nothing");
            }
        }
    }

    #[test]
    fn test_color_only_affects_table() {
        let r = fixture();
        for format in ALL {
            let plain = render_to_string(&r, format, false).unwrap();
            let colored = render_to_string(&r, format, true).unwrap();
            assert!(!plain.contains('\x1b'));
            if format == Format::Table {
                assert!(colored.contains("\x1b[1m"));
            } else {
                assert_eq!(plain, colored);
            }
        }
    }
}
