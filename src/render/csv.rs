//! RFC 4180 CSV, the one CSV writer of themis: a header record of the column headers, then a
//! record per row and per footer row. Fields are quoted when they hold a comma, a quote, CR or
//! LF (embedded quotes doubled); every record ends with CRLF, as the RFC specifies.

use std::borrow::Cow;
use std::io::{self, Write};

use super::table::Table;

/// Quotes a field if it contains a comma, quote, CR or LF, doubling embedded quotes.
pub fn field(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

/// Writes one record, CRLF-terminated.
fn record<'a>(out: &mut dyn Write, fields: impl Iterator<Item = &'a str>) -> io::Result<()> {
    let line: Vec<Cow<str>> = fields.map(field).collect();
    write!(out, "{}\r\n", line.join(","))
}

/// Writes `table` as CSV. Emphasis is dropped; alignment and widths do not apply.
pub fn write(table: &Table, out: &mut dyn Write) -> io::Result<()> {
    let n = table.columns.len();
    record(out, table.columns.iter().map(|c| c.header.as_str()))?;
    for row in table.records() {
        record(out, (0..n).map(|i| Table::cell(row, i).text.as_str()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::table::{Cell, Column};
    use super::*;

    #[test]
    fn test_csv_quoting() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("<&|>"), "<&|>");
    }

    #[test]
    fn test_records_end_with_crlf() {
        let mut t = Table::new(vec![Column::left("a,b"), Column::right("n")]);
        t.push_row(["x\ny", "1"]);
        t.push_footer([Cell::strong("Total")]);
        let mut out = Vec::new();
        write(&t, &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"a,b\",n\r\n\"x\ny\",1\r\nTotal,\r\n"
        );
    }
}
