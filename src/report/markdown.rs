//! GitHub-flavoured Markdown table with every group, under a one-line caption.

use std::io::{self, Write};

use super::FrequencyReport;

/// Makes text safe inside a GFM table cell: `|` would end the cell, a newline the row, and
/// `<`, `*`, `_`, `` ` ``, `[`, `]` could turn into HTML, emphasis, code or links. CommonMark
/// backslash escapes show the character literally wherever the table is rendered.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '|' | '<' | '>' | '*' | '_' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Writes the caption, a blank line, then the table (header, alignment row, one row per
/// theme, and a bold totals row).
pub(super) fn render(report: &FrequencyReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "{}", escape(&report.caption()))?;
    writeln!(out)?;

    let mut header = String::from("| Theme | Category |");
    let mut align = String::from("| :--- | :--- |");
    for g in &report.groups {
        header.push_str(&format!(" {} |", escape(&g.label)));
        align.push_str(" ---: |");
    }
    header.push_str(" Total |");
    align.push_str(" ---: |");
    writeln!(out, "{header}")?;
    writeln!(out, "{align}")?;

    for row in &report.rows {
        let mut line = format!("| {} | {} |", escape(&row.label), escape(&row.category));
        for g in 0..report.groups.len() {
            line.push_str(&format!(" {} |", report.format_value(report.value(row, g))));
        }
        line.push_str(&format!(" {} |", report.format_value(row.total)));
        writeln!(out, "{line}")?;
    }

    let mut line = String::from("| **Total** | |");
    for g in 0..report.groups.len() {
        line.push_str(&format!(
            " {} |",
            report.format_value(report.column_total(g))
        ));
    }
    line.push_str(&format!(
        " **{}** |",
        report.format_value(report.grand_total)
    ));
    writeln!(out, "{line}")
}

#[cfg(test)]
mod tests {
    use super::super::test_fixture::{empty, fixture};
    use super::super::{render_to_string, Format};

    #[test]
    fn test_markdown_snapshot() {
        let out = render_to_string(&fixture(), Format::Markdown, false).unwrap();
        insta::assert_snapshot!(out, @r#"
        Theme frequency by region (sentences, polarity: all)

        | Theme | Category | North East | London | Wales & the \<West\> | Total |
        | :--- | :--- | ---: | ---: | ---: | ---: |
        | Staffing shortages | workforce | 10 | 7 | 4 | 21 |
        | Information sharing | protection | 2 | 3 | 0 | 5 |
        | Vetting and recruitment | workforce | 3 | 0 | 2 | 5 |
        | Risk \| "harm", \<safety\> & more | practice | 0 | 0 | 0 | 0 |
        | **Total** | | 15 | 10 | 6 | **31** |
        "#);
    }

    #[test]
    fn test_markdown_empty_snapshot() {
        let out = render_to_string(&empty(), Format::Markdown, false).unwrap();
        insta::assert_snapshot!(out, @"
        Theme frequency by year (sentences, polarity: concern)

        | Theme | Category | Total |
        | :--- | :--- | ---: |
        | **Total** | | **0** |
        ");
    }

    #[test]
    fn test_markdown_rows_have_consistent_cell_count() {
        let out = render_to_string(&fixture(), Format::Markdown, false).unwrap();
        // Unescaped pipes per table line must be equal, or a label broke out of its cell.
        let counts: Vec<usize> = out
            .lines()
            .filter(|l| l.starts_with('|'))
            .map(|l| l.replace("\\|", "").matches('|').count())
            .collect();
        assert_eq!(counts.len(), 7);
        assert!(counts.iter().all(|&c| c == counts[0]), "{counts:?}");
    }
}
