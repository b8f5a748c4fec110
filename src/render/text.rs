//! Plain-text tables for the terminal, and the text helpers they rest on: sanitising
//! untrusted text, measuring it in characters, cutting it with "…" and wrapping it.
//!
//! A [`Table`] is drawn as aligned columns two spaces apart, the header first (bold when
//! colour is on), with rules under the header and above a footer when the table has one.
//! Every header and cell is sanitised, so report text cannot move the cursor or reorder what
//! the terminal shows. Column widths follow each [`super::Column`]'s bounds; a cell wider than
//! its column is cut or wrapped as the column says, never allowed to break the alignment.

use std::io::{self, Write};

use super::table::{Align, Cell, Column, Overflow, Table};

/// Gap between columns.
pub const SEP: usize = 2;
/// Indent of a wrapped cell's continuation lines.
const INDENT: usize = 2;

const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// Replaces control characters (except tab) and bidirectional overrides with visible escapes,
/// so a hostile report cannot move the cursor or reorder what the terminal shows. Newlines
/// become spaces: what is printed one per line stays on one line.
pub fn sanitize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\t' => out.push(c),
            c if c.is_control() => out.push_str(&format!("\\u{{{:04x}}}", c as u32)),
            '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// Width in columns, counted in characters.
pub fn width(s: &str) -> usize {
    s.chars().count()
}

/// Cuts `s` to at most `w` characters, marking the cut with "…".
pub fn truncate(s: &str, w: usize) -> String {
    if width(s) <= w {
        s.to_string()
    } else if w == 0 {
        String::new()
    } else {
        let mut t: String = s.chars().take(w - 1).collect();
        t.push('…');
        t
    }
}

/// Wraps `s` at spaces into lines of at most `w` characters, continuation lines indented by
/// two spaces (when `w` leaves room for that); a word longer than a line is split. Every word
/// of `s` is kept, in order.
pub fn wrap(s: &str, w: usize) -> Vec<String> {
    let w = w.max(1);
    let indent = if w >= 4 * INDENT { INDENT } else { 0 };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in s.split_whitespace() {
        let mut word = word;
        loop {
            let room = if lines.is_empty() { w } else { w - indent };
            let need = if current.is_empty() {
                width(word)
            } else {
                width(&current) + 1 + width(word)
            };
            if need <= room {
                if !current.is_empty() {
                    current.push(' ');
                }
                current.push_str(word);
                break;
            }
            if !current.is_empty() {
                lines.push(std::mem::take(&mut current));
                continue;
            }
            // A word longer than a whole line: split it.
            let at = word.char_indices().nth(room).map_or(word.len(), |(i, _)| i);
            lines.push(word[..at].to_string());
            word = &word[at..];
            if word.is_empty() {
                break;
            }
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    for line in lines.iter_mut().skip(1) {
        line.insert_str(0, &" ".repeat(indent));
    }
    lines
}

fn pad(s: &str, w: usize, align: Align) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    match align {
        Align::Left => format!("{s}{fill}"),
        Align::Right => format!("{fill}{s}"),
    }
}

/// The width each column is drawn at: its widest cell (header included), within its bounds.
fn widths(columns: &[Column], header: &[String], rows: &[Vec<String>]) -> Vec<usize> {
    columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let natural = rows
                .iter()
                .map(|row| width(&row[i]))
                .chain([width(&header[i])])
                .max()
                .unwrap_or(0);
            let w = natural.max(column.min_width);
            column.max_width.map_or(w, |max| w.min(max))
        })
        .collect()
}

/// The lines of one row: each cell fitted to its column (cut, or wrapped over several lines
/// with the other cells on the first), padded, two spaces apart, trailing spaces removed.
fn row_lines(cells: &[String], columns: &[Column], widths: &[usize]) -> Vec<String> {
    let fitted: Vec<Vec<String>> = cells
        .iter()
        .zip(columns.iter().zip(widths))
        .map(|(cell, (column, &w))| {
            if width(cell) <= w {
                vec![cell.clone()]
            } else {
                match column.overflow {
                    Overflow::Truncate => vec![truncate(cell, w)],
                    Overflow::Wrap => wrap(cell, w),
                }
            }
        })
        .collect();
    let height = fitted.iter().map(Vec::len).max().unwrap_or(1).max(1);
    (0..height)
        .map(|n| {
            let parts: Vec<String> = fitted
                .iter()
                .zip(columns.iter().zip(widths))
                .map(|(lines, (column, &w))| {
                    pad(lines.get(n).map_or("", String::as_str), w, column.align)
                })
                .collect();
            parts.join(&" ".repeat(SEP)).trim_end().to_string()
        })
        .collect()
}

/// Writes `table` as aligned text. `color` makes the header bold and changes nothing else.
pub fn write(table: &Table, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let n = table.columns.len();
    let cells = |row: &[Cell]| -> Vec<String> {
        (0..n)
            .map(|i| sanitize(&Table::cell(row, i).text))
            .collect()
    };
    let header: Vec<String> = table.columns.iter().map(|c| sanitize(&c.header)).collect();
    let body: Vec<Vec<String>> = table.rows.iter().map(|r| cells(r)).collect();
    let footer: Vec<Vec<String>> = table.footer.iter().map(|r| cells(r)).collect();
    let all: Vec<Vec<String>> = body.iter().chain(&footer).cloned().collect();
    let widths = widths(&table.columns, &header, &all);

    for line in row_lines(&header, &table.columns, &widths) {
        if color {
            writeln!(out, "{BOLD}{line}{RESET}")?;
        } else {
            writeln!(out, "{line}")?;
        }
    }
    let rule = "-".repeat(widths.iter().sum::<usize>() + SEP * n.saturating_sub(1));
    if !footer.is_empty() {
        writeln!(out, "{rule}")?;
    }
    if body.is_empty() {
        if let Some(note) = &table.empty {
            writeln!(out, "{}", sanitize(note))?;
        }
    }
    for row in &body {
        for line in row_lines(row, &table.columns, &widths) {
            writeln!(out, "{line}")?;
        }
    }
    if !footer.is_empty() {
        writeln!(out, "{rule}")?;
        for row in &footer {
            for line in row_lines(row, &table.columns, &widths) {
                writeln!(out, "{line}")?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(table: &Table) -> String {
        let mut out = Vec::new();
        write(table, &mut out, false).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn test_sanitize_escapes_controls_and_bidi() {
        assert_eq!(sanitize("a\x1b[2Jb"), "a\\u{001b}[2Jb");
        assert_eq!(sanitize("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(sanitize("line\nnext"), "line next");
    }

    #[test]
    fn test_truncate_marks_cut() {
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn test_wrap_keeps_every_word() {
        assert_eq!(wrap("short", 10), ["short"]);
        assert_eq!(
            wrap("one two three four five", 10),
            ["one two", "  three", "  four", "  five"]
        );
        assert_eq!(wrap("abcdefghijkl", 5), ["abcde", "fghij", "kl"]);
        assert_eq!(wrap("", 5), [""]);
        let long = "Percentage of accredited programme requirements completed (%)";
        let lines = wrap(long, 20);
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        let words: Vec<&str> = lines.iter().flat_map(|l| l.split_whitespace()).collect();
        assert_eq!(words.join(" "), long);
    }

    #[test]
    fn test_columns_align_and_rules_frame_the_footer() {
        let mut t = Table::new(vec![Column::left("Name"), Column::right("n").min_width(3)]);
        t.push_row(["alpha", "1"]);
        t.push_row(["b", "22"]);
        t.push_footer(["Total", "23"]);
        assert_eq!(
            text(&t),
            "Name     n\n----------\nalpha    1\nb       22\n----------\nTotal   23\n"
        );
        let mut colored = Vec::new();
        write(&t, &mut colored, true).unwrap();
        let colored = String::from_utf8(colored).unwrap();
        assert!(colored.starts_with("\x1b[1mName     n\x1b[0m\n"));
        assert_eq!(colored.replace(BOLD, "").replace(RESET, ""), text(&t));
    }

    #[test]
    fn test_empty_note_and_short_rows() {
        let mut t = Table::new(vec![Column::left("A"), Column::right("B")]);
        t.empty = Some("(nothing)".into());
        assert_eq!(text(&t), "A  B\n(nothing)\n");
        t.push_row(["x"]);
        assert_eq!(text(&t), "A  B\nx\n");
    }

    #[test]
    fn test_truncated_column_cuts_with_ellipsis() {
        let mut t = Table::new(vec![Column::left("Label").width(6), Column::right("v")]);
        t.push_row(["a long label", "1"]);
        assert_eq!(text(&t), "Label   v\na lon…  1\n");
    }

    /// Labels that share a long prefix stay tell-apart-able: a wrapped column shows all of each.
    #[test]
    fn test_wrapped_labels_sharing_a_prefix_stay_distinct() {
        let prefix = "Percentage of accredited programme requirements completed for individuals";
        let a = format!("{prefix} convicted of a sexual offence (%)");
        let b = format!("{prefix} not convicted of a sexual offence (%)");
        let mut t = Table::new(vec![
            Column::left("Key fact").max_width(30, Overflow::Wrap),
            Column::right("GM").min_width(7),
        ]);
        t.push_row([a.as_str(), "35.71"]);
        t.push_row([b.as_str(), "63.62"]);
        let out = text(&t);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines.iter().all(|l| width(l) <= 30 + SEP + 7), "{out}");
        // Each row starts on the line with its number; its label is every line up to the next.
        let starts: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].ends_with("35.71") || lines[i].ends_with("63.62"))
            .collect();
        assert_eq!(starts.len(), 2, "{out}");
        let label = |from: usize, to: usize| -> String {
            lines[from..to]
                .iter()
                .map(|l| l.trim_end_matches(['0', '1', '2', '3', '5', '6', '7', '.']))
                .flat_map(str::split_whitespace)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(label(starts[0], starts[1]), a);
        assert_eq!(label(starts[1], lines.len()), b);
    }
}
