//! Presentation: one table model and one writer per format, over any [`std::io::Write`].
//!
//! Commands compute a model (a [`crate::views`] view, search results, the frequency matrix),
//! build a [`Table`] of it, and hand it to a writer: [`text`] (aligned columns for the
//! terminal), [`markdown`] or [`csv`] (RFC 4180, CRLF). The frequency report, which also has
//! JSON, is drawn by [`frequency`]; [`json`] writes models; [`analyst`] writes the analyst's
//! report, one self-contained HTML page with inline SVG charts ([`svg`]).
//! Writers never consult the environment: whether to use colour is the caller's decision.
//!
//! | file | owns |
//! |---|---|
//! | `table.rs` | [`Table`], [`Column`], [`Cell`], [`Align`], [`Overflow`] |
//! | `text.rs`, `markdown.rs`, `csv.rs` | one writer per table format |
//! | `frequency/` | the frequency report in every format; its text table's fitting |
//! | `analyst/` | the analyst's HTML report: header, heatmaps, trends, pairs, findings, evidence |
//! | `svg.rs` | inline SVG heatmaps and line charts, sized to hold what they draw |
//! | `html.rs` | [`html::esc`], which every page uses; number formatting; colour scales |
//! | `json.rs` | JSON of models |

pub mod analyst;
pub mod csv;
pub mod frequency;
pub mod html;
pub mod json;
pub mod markdown;
pub mod svg;
mod table;
pub mod text;

use std::io::{self, Write};

pub use table::{Align, Cell, Column, Overflow, Table};

/// The formats a [`Table`] can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// Aligned plain text ([`text`]).
    Text,
    /// A Markdown table ([`markdown`], [`markdown::Flavour::Compact`]).
    Markdown,
    /// RFC 4180 CSV with CRLF line endings ([`csv`]).
    Csv,
}

/// Writes `table` in `format`. `color` makes a text table's header bold; the other formats
/// ignore it.
pub fn write_table(
    table: &Table,
    format: TableFormat,
    color: bool,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        TableFormat::Text => text::write(table, out, color),
        TableFormat::Markdown => markdown::write(table, out, markdown::Flavour::Compact),
        TableFormat::Csv => csv::write(table, out),
    }
}
