//! RFC 4180 CSV: header `theme_id,theme,category,<group labels…>,total`, one record per theme,
//! then a final `total` record. CRLF line endings, as the RFC specifies.

use std::io::{self, Write};

use super::FrequencyReport;

/// Quotes a field if it contains a comma, quote, CR or LF, doubling embedded quotes.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// CSV is for other programs, so per-10k rates keep two decimals rather than the one shown
/// on screen; counts stay whole numbers.
fn number(report: &FrequencyReport, v: f64) -> String {
    if report.metric.is_count() {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn record(out: &mut dyn Write, fields: impl IntoIterator<Item = String>) -> io::Result<()> {
    let line: Vec<String> = fields.into_iter().collect();
    write!(out, "{}\r\n", line.join(","))
}

/// Writes the CSV. Never coloured.
pub(super) fn render(report: &FrequencyReport, out: &mut dyn Write) -> io::Result<()> {
    let n = report.groups.len();
    record(
        out,
        ["theme_id", "theme", "category"]
            .into_iter()
            .map(String::from)
            .chain(report.groups.iter().map(|g| field(&g.label)))
            .chain(["total".to_string()]),
    )?;
    for row in &report.rows {
        record(
            out,
            [field(&row.id), field(&row.label), field(&row.category)]
                .into_iter()
                .chain((0..n).map(|g| number(report, report.value(row, g))))
                .chain([number(report, row.total)]),
        )?;
    }
    record(
        out,
        ["total".to_string(), "Total".to_string(), String::new()]
            .into_iter()
            .chain((0..n).map(|g| number(report, report.column_total(g))))
            .chain([number(report, report.grand_total)]),
    )
}

#[cfg(test)]
mod tests {
    use super::super::test_fixture::{empty, fixture, fixture_with};
    use super::super::{render_to_string, Format, Metric};
    use super::field;

    #[test]
    fn test_csv_snapshot() {
        let out = render_to_string(&fixture(), Format::Csv, false).unwrap();
        assert!(out.ends_with("\r\n"));
        assert_eq!(out.matches("\r\n").count(), out.matches('\n').count());
        // Snapshot without the CRs so the inline literal stays readable.
        insta::assert_snapshot!(out.replace("\r\n", "\n"), @r#"
        theme_id,theme,category,North East,London,Wales & the <West>,total
        staffing-shortages,Staffing shortages,workforce,10,7,4,21
        information-sharing,Information sharing,protection,2,3,0,5
        vetting-recruitment,Vetting and recruitment,workforce,3,0,2,5
        risk-harm,"Risk | ""harm"", <safety> & more",practice,0,0,0,0
        total,Total,,15,10,6,31
        "#);
    }

    #[test]
    fn test_csv_per10k_snapshot() {
        let out = render_to_string(&fixture_with(Metric::Per10k), Format::Csv, false).unwrap();
        insta::assert_snapshot!(out.replace("\r\n", "\n"), @r#"
        theme_id,theme,category,North East,London,Wales & the <West>,total
        staffing-shortages,Staffing shortages,workforce,50.00,46.67,80.00,52.50
        information-sharing,Information sharing,protection,10.00,20.00,0.00,12.50
        vetting-recruitment,Vetting and recruitment,workforce,15.00,0.00,40.00,12.50
        risk-harm,"Risk | ""harm"", <safety> & more",practice,0.00,0.00,0.00,0.00
        total,Total,,75.00,66.67,120.00,77.50
        "#);
    }

    #[test]
    fn test_csv_empty_snapshot() {
        let out = render_to_string(&empty(), Format::Csv, false).unwrap();
        insta::assert_snapshot!(out.replace("\r\n", "\n"), @"
        theme_id,theme,category,total
        total,Total,,0
        ");
    }

    #[test]
    fn test_csv_quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("<&|>"), "<&|>");
    }
}
