//! Flattening the content root to segmenter-ready text: `#` heading lines, blank lines between
//! blocks, `- ` list items, `| cell |` table rows, whitespace collapsed within a block; site
//! chrome skipped.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Node};

use super::{is_chrome, BOILERPLATE};
use crate::text::lines::collapse_ws;

/// Block-level elements: each starts and ends a block of text.
pub(super) const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "dt",
    "dd",
    "details",
    "summary",
    "fieldset",
    "hr",
    "center",
    "header",
    "footer",
    "caption",
    "body",
    "html",
];

/// Accumulates text: the current line (whitespace collapsed), the current block's lines, and
/// the finished output.
#[derive(Default)]
pub(super) struct Writer {
    out: String,
    block: Vec<String>,
    line: String,
    space: bool,
    /// Length of a line's marker ("- ", "## ") so a marker alone is not emitted.
    marker: usize,
}

impl Writer {
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_whitespace() {
                self.space = self.line.len() > self.marker;
            } else {
                if self.space {
                    self.line.push(' ');
                    self.space = false;
                }
                self.line.push(c);
            }
        }
    }

    fn space(&mut self) {
        self.space = self.line.len() > self.marker;
    }

    fn start_line(&mut self, marker: &str) {
        self.end_line();
        self.line.push_str(marker);
        self.marker = marker.len();
    }

    fn end_line(&mut self) {
        let line = self.line.trim_end();
        if line.len() > self.marker {
            self.block.push(line.to_string());
        }
        self.line.clear();
        self.marker = 0;
        self.space = false;
    }

    fn push_line(&mut self, line: String) {
        self.end_line();
        self.block.push(line);
    }

    fn end_block(&mut self) {
        self.end_line();
        if self.block.is_empty() {
            return;
        }
        let block = std::mem::take(&mut self.block).join("\n");
        let bare = block.trim_start_matches(['-', '#', ' ']).to_lowercase();
        if BOILERPLATE.contains(&bare.as_str()) {
            return;
        }
        if !self.out.is_empty() {
            self.out.push_str("\n\n");
        }
        self.out.push_str(&block);
    }
}

/// Flattens the content root to text; iterative (no recursion), so deeply nested markup
/// cannot overflow the stack.
pub(super) fn flatten(root: ElementRef<'_>) -> String {
    let mut flat = Flattener::default();
    let mut skipping: Option<ego_tree::NodeId> = None;

    for edge in root.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Text(t) => flat.text(t),
                    Node::Element(e) => {
                        let Some(el) = ElementRef::wrap(node) else {
                            continue;
                        };
                        if is_chrome(el) && node.id() != root.id() {
                            skipping = Some(node.id());
                            continue;
                        }
                        flat.open(e.name());
                    }
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if let Some(id) = skipping {
                    if id == node.id() {
                        skipping = None;
                    }
                    continue;
                }
                if let Node::Element(e) = node.value() {
                    flat.close(e.name());
                }
            }
        }
    }
    flat.w.end_block();
    flat.w.out
}

pub(super) fn heading_level(name: &str) -> Option<usize> {
    match name {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Where the walk is in the markup: list items, tables, the current table row and cell, and
/// whether inside a heading.
#[derive(Default)]
pub(super) struct Flattener {
    w: Writer,
    in_item: usize,
    tables: usize,
    row: Option<Vec<String>>,
    cell: Option<String>,
    heading: bool,
}

impl Flattener {
    fn text(&mut self, t: &str) {
        match self.cell.as_mut() {
            Some(c) => c.push_str(t),
            None => self.w.text(t),
        }
    }

    fn open(&mut self, name: &str) {
        if let Some(c) = self.cell.as_mut() {
            // Inside a table cell everything is inline text.
            c.push(' ');
            return;
        }
        if let Some(level) = heading_level(name) {
            self.w.end_block();
            self.w.start_line(&format!("{} ", "#".repeat(level)));
            self.heading = true;
            return;
        }
        match name {
            "li" => {
                if self.in_item == 0 {
                    self.w.end_line();
                }
                self.w.start_line("- ");
                self.in_item += 1;
            }
            "ul" | "ol" | "dl" if self.in_item > 0 => self.w.end_line(),
            "ul" | "ol" | "dl" => self.w.end_block(),
            "table" => {
                if self.tables == 0 {
                    self.w.end_block();
                }
                self.tables += 1;
            }
            "tr" if self.tables == 1 => {
                self.w.end_line();
                self.row = Some(Vec::new());
            }
            "td" | "th" if self.row.is_some() => self.cell = Some(String::new()),
            "br" if self.in_item > 0 || self.heading => self.w.space(),
            "br" => self.w.end_line(),
            _ if BLOCK_TAGS.contains(&name) => self.block_boundary(),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        if heading_level(name).is_some() {
            self.w.end_block();
            self.heading = false;
            return;
        }
        match name {
            "td" | "th" if self.cell.is_some() => {
                if let (Some(c), Some(r)) = (self.cell.take(), self.row.as_mut()) {
                    // A '|' inside a cell would split it downstream.
                    r.push(collapse_ws(&c).replace('|', "/"));
                }
            }
            "tr" if self.tables == 1 => {
                if let Some(cells) = self.row.take() {
                    if cells.iter().any(|c| !c.is_empty()) {
                        self.w.push_line(format!("| {} |", cells.join(" | ")));
                    }
                }
            }
            "table" => {
                self.tables = self.tables.saturating_sub(1);
                if self.tables == 0 {
                    self.w.end_block();
                }
            }
            "li" => {
                self.in_item = self.in_item.saturating_sub(1);
                self.w.end_line();
            }
            "ul" | "ol" | "dl" if self.in_item == 0 => self.w.end_block(),
            _ if BLOCK_TAGS.contains(&name) => self.block_boundary(),
            _ => {}
        }
    }

    /// The start or end of a block element: a new block in running text, only a space inside a
    /// list item, a heading or a table (which keep their own lines).
    fn block_boundary(&mut self) {
        if self.in_item > 0 || self.heading || self.tables > 0 {
            self.w.space();
        } else {
            self.w.end_block();
        }
    }
}
