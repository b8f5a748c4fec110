//! The rows of a key-facts table whose lines are not its rows: text laid out from a PDF, where a
//! label wraps inside its cell ("Number of people supervised (on 30 June" / "2025)1 16,821"), a
//! row runs into the next ("… 72.9% Staffing level …") and a group's column headers wrap one
//! per line. [`logical_rows`] puts such lines back into one row each before the facts reader
//! classifies them; lines already delimited (`|` cells, tabs) and the glued web layout come
//! through unchanged.
//!
//! Every rule needs positive evidence, so that a table it cannot rebuild is left for the reader
//! to report rather than read wrongly: rows are split only after a value that cannot be part of
//! a label (a percentage, a decimal, a number with thousands separators, "Not available")
//! followed by a capitalised word outside brackets; a line joins the one before only when that
//! one is a label still waiting for its value and the line continues it (it opens lowercase,
//! with a bracket or with words after a digit, or the label has a bracket still open).

use super::facts::column_tokens;

/// A value that cannot be part of a label: "16,821", "72.9%", "88%", "36.21" (a bare integer
/// such as "2025" or "12" can be).
fn is_value_token(t: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let (number, percent) = match t.strip_suffix('%') {
        Some(n) => (n, true),
        None => (t, false),
    };
    let (int, frac) = match number.split_once('.') {
        Some((a, b)) => (a, Some(b)),
        None => (number, None),
    };
    if frac.is_some_and(|f| !digits(f)) {
        return false;
    }
    let grouped = int.contains(',');
    let int_ok = if grouped {
        let mut groups = int.split(',');
        groups.next().is_some_and(|g| g.len() <= 3 && digits(g))
            && groups.all(|g| g.len() == 3 && digits(g))
    } else {
        digits(int)
    };
    int_ok && (percent || grouped || frac.is_some())
}

/// Where `t` holds the end of one row and the start of the next: the byte offsets just after a
/// value (or "Not available") outside brackets that a capitalised word follows.
fn row_ends(t: &str) -> Vec<usize> {
    let mut ends = Vec::new();
    let mut depth = 0usize;
    let words: Vec<(usize, &str)> = t
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
        .collect();
    for (i, &(at, word)) in words.iter().enumerate() {
        for c in word.chars() {
            match c {
                '(' => depth += 1,
                ')' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        let Some(&(_, next)) = words.get(i + 1) else {
            break;
        };
        let ends_value = is_value_token(word)
            || (word.eq_ignore_ascii_case("available")
                && i > 0
                && words[i - 1].1.eq_ignore_ascii_case("not"));
        if depth == 0 && ends_value && next.starts_with(|c: char| c.is_uppercase()) {
            ends.push(at + word.len());
        }
    }
    ends
}

/// `t` cut after each value that ends a row (one piece for an ordinary line; delimited lines
/// are never cut).
pub(super) fn split_rows(t: &str) -> Vec<&str> {
    if t.contains('|') || t.contains('\t') {
        return vec![t];
    }
    let mut pieces = Vec::new();
    let mut start = 0;
    for end in row_ends(t) {
        pieces.push(t[start..end].trim());
        start = end;
    }
    pieces.push(t[start..].trim());
    pieces
}

/// A row that is nothing but values ("88% 89% 85%", "36.2148.4935.31").
fn values_only(t: &str) -> bool {
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | ' '))
}

/// A row whose text is all column headers ("Probation officer (PO)", "PO PSO PQiP").
fn columns_only(t: &str) -> bool {
    column_tokens(t).is_some()
}

/// Does the row end with its value (or a stated absence), apart or glued to the label's
/// bracket ("…inspection)21.47%")?
fn has_value(t: &str) -> bool {
    let last = t.split_whitespace().next_back().unwrap_or("");
    let after_bracket = last.rsplit_once(')').map_or(last, |(_, v)| v);
    is_value_token(last)
        || values_only(after_bracket)
        || t.to_lowercase().ends_with("not available")
}

/// A label still waiting for its value, which a continuation line may extend.
fn waiting_label(t: &str) -> bool {
    !values_only(t) && !has_value(t) && !columns_only(t)
}

fn opens_continuation(t: &str) -> bool {
    let first = t.chars().next().unwrap_or(' ');
    first.is_lowercase()
        || first == '('
        || (first.is_ascii_digit() && !values_only(t) && !columns_only(t))
}

fn open_bracket(t: &str) -> bool {
    t.matches('(').count() > t.matches(')').count()
}

/// The rows of the facts table from its non-empty lines (1-based line number, trimmed text):
/// each row with the line it starts on. See the module documentation for the rules.
pub(super) fn logical_rows(lines: &[(usize, &str)]) -> Vec<(usize, String)> {
    let delimited = |t: &str| t.contains('|') || t.contains('\t');
    // 1. Rows run together on one line are split after their values.
    let mut pieces: Vec<(usize, String, bool)> = Vec::new();
    for &(no, t) in lines {
        if delimited(t) {
            pieces.push((no, t.to_string(), true));
            continue;
        }
        pieces.extend(
            split_rows(t)
                .into_iter()
                .map(|p| (no, p.to_string(), false)),
        );
    }
    // 2. A wrapped label or column header is joined with its continuation.
    let mut rows: Vec<(usize, String, bool)> = Vec::new();
    for (no, t, delim) in pieces {
        if let Some((_, prev, false)) = rows.last_mut() {
            if !delim && !t.is_empty() && continues(prev, &t) {
                prev.push(' ');
                prev.push_str(&t);
                continue;
            }
        }
        rows.push((no, t, delim));
    }
    // 3. Column headers that end with their group's values are split from them, and headers
    // wrapped one per line become one header row.
    let mut out: Vec<(usize, String, bool)> = Vec::new();
    for (no, t, delim) in rows {
        let parts = match trailing_values(&t).filter(|_| !delim) {
            Some(at) => vec![t[..at].trim().to_string(), t[at..].trim().to_string()],
            None => vec![t],
        };
        for part in parts {
            if let Some((_, prev, false)) = out.last_mut() {
                if !delim && columns_only(&part) && columns_only(prev) {
                    prev.push(' ');
                    prev.push_str(&part);
                    continue;
                }
            }
            out.push((no, part, delim));
        }
    }
    out.into_iter()
        .filter(|(_, t, _)| !t.is_empty())
        .map(|(no, t, _)| (no, t))
        .collect()
}

/// Does `t` continue the row `prev` (see the module documentation)?
fn continues(prev: &str, t: &str) -> bool {
    if values_only(t) || has_value(prev) {
        return false;
    }
    open_bracket(prev)
        || (waiting_label(prev) && opens_continuation(t))
        || (columns_only(prev) && t.starts_with('('))
}

/// Where a run of two or more values starts after text that is all column headers
/// ("Probation services officer (PSO) 88% 89% 85%").
fn trailing_values(t: &str) -> Option<usize> {
    let words: Vec<(usize, &str)> = t
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - t.as_ptr() as usize, w))
        .collect();
    let run = words
        .iter()
        .rev()
        .take_while(|(_, w)| is_value_token(w))
        .count();
    if run < 2 || run == words.len() {
        return None;
    }
    let at = words[words.len() - run].0;
    columns_only(&t[..at]).then_some(at)
}
