//! GitHub-flavoured Markdown tables: a header row, an alignment row, then the rows and the
//! footer, each cell escaped so that report text cannot break out of it.
//!
//! Two flavours, because the published outputs differ: [`Flavour::Strict`] (the frequency
//! report) escapes every character Markdown could act on and writes `| :--- | ---: |`;
//! [`Flavour::Compact`] (search, recommendations, scores, facts) escapes only what would end a
//! cell or a row and writes `|---|---:|`.

use std::io::{self, Write};

use super::table::{Align, Cell, Table};

/// How cells are escaped and the alignment row is spelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// `|` would end the cell, a newline the row, and `<`, `*`, `_`, `` ` ``, `[`, `]` could
    /// turn into HTML, emphasis, code or links: all are backslash-escaped (CommonMark shows
    /// the character literally), control characters become spaces. `| :--- | ---: |`; an
    /// empty cell is `| |`.
    Strict,
    /// Only `|` is escaped and newlines become spaces. `|---|---:|`.
    Compact,
}

/// Makes `s` safe inside a table cell (or a caption) of this flavour.
pub fn escape(s: &str, flavour: Flavour) -> String {
    match flavour {
        Flavour::Compact => s.replace('|', "\\|").replace('\n', " "),
        Flavour::Strict => {
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
    }
}

fn cell_text(cell: &Cell, flavour: Flavour) -> String {
    let text = escape(&cell.text, flavour);
    if cell.strong && !text.is_empty() {
        format!("**{text}**")
    } else {
        text
    }
}

fn line(cells: Vec<String>, flavour: Flavour) -> String {
    match flavour {
        Flavour::Compact => format!("| {} |", cells.join(" | ")),
        Flavour::Strict => {
            let mut out = String::from("|");
            for cell in cells {
                if cell.is_empty() {
                    out.push_str(" |");
                } else {
                    out.push_str(&format!(" {cell} |"));
                }
            }
            out
        }
    }
}

/// Writes `table` as a Markdown table (header, alignment row, rows, footer rows).
pub fn write(table: &Table, out: &mut dyn Write, flavour: Flavour) -> io::Result<()> {
    let n = table.columns.len();
    let header = table
        .columns
        .iter()
        .map(|c| escape(&c.header, flavour))
        .collect();
    writeln!(out, "{}", line(header, flavour))?;
    let mut align = String::from("|");
    for column in &table.columns {
        align.push_str(match (flavour, column.align) {
            (Flavour::Strict, Align::Left) => " :--- |",
            (Flavour::Strict, Align::Right) => " ---: |",
            (Flavour::Compact, Align::Left) => "---|",
            (Flavour::Compact, Align::Right) => "---:|",
        });
    }
    writeln!(out, "{align}")?;
    for row in table.records() {
        let cells = (0..n)
            .map(|i| cell_text(Table::cell(row, i), flavour))
            .collect();
        writeln!(out, "{}", line(cells, flavour))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::table::Column;
    use super::*;

    fn md(table: &Table, flavour: Flavour) -> String {
        let mut out = Vec::new();
        write(table, &mut out, flavour).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn sample() -> Table {
        let mut t = Table::new(vec![Column::left("Name"), Column::right("n")]);
        t.push_row(["a | <b> *c*", "1"]);
        t.push_footer([Cell::strong("Total"), Cell::default()]);
        t
    }

    #[test]
    fn test_flavours() {
        assert_eq!(
            md(&sample(), Flavour::Strict),
            "| Name | n |\n| :--- | ---: |\n| a \\| \\<b\\> \\*c\\* | 1 |\n| **Total** | |\n"
        );
        assert_eq!(
            md(&sample(), Flavour::Compact),
            "| Name | n |\n|---|---:|\n| a \\| <b> *c* | 1 |\n| **Total** |  |\n"
        );
    }

    #[test]
    fn test_escape() {
        assert_eq!(escape("a|b\nc", Flavour::Compact), "a\\|b c");
        assert_eq!(escape("[x]_`\\", Flavour::Strict), "\\[x\\]\\_\\`\\\\");
        assert_eq!(escape("tab\there", Flavour::Strict), "tab here");
    }
}
