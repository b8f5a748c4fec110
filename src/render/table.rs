//! The table model every tabular output is built as: columns (a header, an alignment and how
//! wide a text table may draw them) and rows of cells, with an optional footer (totals).
//!
//! Building a table is the caller's job: it chooses the columns and formats the numbers, once.
//! [`super::text`], [`super::markdown`] and [`super::csv`] only draw it, so the formats of one
//! command show the same cells.

/// Where a cell's text sits in its column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    /// Text, labels.
    #[default]
    Left,
    /// Numbers.
    Right,
}

/// What a text table does with a cell wider than its column's [`Column::max_width`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Overflow {
    /// Cut it, marking the cut with "…": for headers and labels a reader can do without.
    #[default]
    Truncate,
    /// Wrap it over several lines at spaces (continuation lines indented): nothing is lost,
    /// so distinct labels stay distinct.
    Wrap,
}

/// One column: its header and how a text table draws it. Markdown and CSV use the header and
/// the alignment only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header cell.
    pub header: String,
    /// Where cells sit.
    pub align: Align,
    /// A text table draws the column at least this wide.
    pub min_width: usize,
    /// A text table draws the column at most this wide (`None`: as wide as its widest cell).
    pub max_width: Option<usize>,
    /// What happens to a cell wider than `max_width`.
    pub overflow: Overflow,
}

impl Column {
    /// A left-aligned column, as wide as its widest cell.
    pub fn left(header: impl Into<String>) -> Column {
        Column {
            header: header.into(),
            align: Align::Left,
            min_width: 0,
            max_width: None,
            overflow: Overflow::Truncate,
        }
    }

    /// A right-aligned column, as wide as its widest cell.
    pub fn right(header: impl Into<String>) -> Column {
        Column {
            align: Align::Right,
            ..Column::left(header)
        }
    }

    /// At least `width` wide in a text table.
    pub fn min_width(mut self, width: usize) -> Column {
        self.min_width = width;
        self
    }

    /// At most `width` wide in a text table, longer cells cut or wrapped as `overflow` says.
    pub fn max_width(mut self, width: usize, overflow: Overflow) -> Column {
        self.max_width = Some(width);
        self.overflow = overflow;
        self
    }

    /// Exactly `width` wide in a text table, longer cells cut with "…".
    pub fn width(self, width: usize) -> Column {
        self.min_width(width).max_width(width, Overflow::Truncate)
    }
}

/// One cell: its text, already formatted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Cell {
    /// What the cell shows.
    pub text: String,
    /// Emphasised (bold in Markdown; the other formats show the text alone).
    pub strong: bool,
}

impl Cell {
    /// An emphasised cell.
    pub fn strong(text: impl Into<String>) -> Cell {
        Cell {
            text: text.into(),
            strong: true,
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell {
            text,
            strong: false,
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::from(text.to_string())
    }
}

/// Columns and rows. A row with fewer cells than there are columns is completed with empty
/// cells; cells beyond the last column are not drawn.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Table {
    /// The columns, in order.
    pub columns: Vec<Column>,
    /// The body.
    pub rows: Vec<Vec<Cell>>,
    /// Rows after the body, such as totals: a text table draws a rule under the header and
    /// above them; Markdown and CSV write them as further rows.
    pub footer: Vec<Vec<Cell>>,
    /// What a text table says in place of an empty body (nothing when `None`).
    pub empty: Option<String>,
}

impl Table {
    /// A table with these columns and no rows.
    pub fn new(columns: Vec<Column>) -> Table {
        Table {
            columns,
            ..Table::default()
        }
    }

    /// Adds a row to the body.
    pub fn push_row<C: Into<Cell>>(&mut self, cells: impl IntoIterator<Item = C>) {
        self.rows.push(cells.into_iter().map(Into::into).collect());
    }

    /// Adds a row to the footer.
    pub fn push_footer<C: Into<Cell>>(&mut self, cells: impl IntoIterator<Item = C>) {
        self.footer
            .push(cells.into_iter().map(Into::into).collect());
    }

    /// The body rows, then the footer rows.
    pub(super) fn records(&self) -> impl Iterator<Item = &[Cell]> {
        self.rows.iter().chain(&self.footer).map(Vec::as_slice)
    }

    /// Cell `i` of `row`, empty when the row is short.
    pub(super) fn cell(row: &[Cell], i: usize) -> &Cell {
        static EMPTY: Cell = Cell {
            text: String::new(),
            strong: false,
        };
        row.get(i).unwrap_or(&EMPTY)
    }
}
