//! Key contextual facts: the numbers of the "Key contextual facts" table, including
//! multi-column groups and the glued layout of web text whose footnote markers run into values.

use once_cell::sync::Lazy;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::fact_rows::{logical_rows, split_rows};
use super::helpers::*;
use super::Problem;

/// One number from the "Key contextual facts" table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyFact {
    /// A stable snake_case key, e.g. "people_supervised", "staffing_po_percent",
    /// "caseload_pqip", "risk_high_percent"; an unknown label gets its slug.
    pub name: String,
    /// The label as written (footnote marker removed); for a column of a group,
    /// "group label – column".
    pub label: String,
    /// The value (16,013 → 16013.0; 24.88% → 24.88).
    pub value: f64,
    /// "percent", "people", "cases" or "number".
    pub unit: String,
    /// 1-based line of the value.
    pub line: usize,
}

/// A cell value: a number (and whether it was a percentage), or a stated absence.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Value {
    Number(f64, bool),
    Absent,
}

static NUMBER: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(%|per\s*cent|percent)?(\d{1,2})?$")
        .expect("static regex")
});

/// Reads "16,013", "24.88%", "35.71%7" (a footnote marker after the '%'), "72 per cent",
/// "Not available", "–". `None` when it is none of these.
fn parse_value(s: &str) -> Option<Value> {
    let s = collapse_ws(s.trim().trim_matches('|'));
    let lower = s.to_lowercase();
    if matches!(
        lower.as_str(),
        "not available"
            | "n/a"
            | "na"
            | "–"
            | "-"
            | "—"
            | "not applicable"
            | "none available"
            | "no data"
    ) {
        return Some(Value::Absent);
    }
    let c = NUMBER.captures(&s)?;
    let pct = c.get(3).is_some();
    // Digits after the number are only a footnote marker when a '%' separates them.
    if c.get(4).is_some() && !pct {
        return None;
    }
    let int: String = c[1].chars().filter(|c| *c != ',').collect();
    let frac = c.get(2).map_or("", |m| m.as_str());
    format!("{int}{frac}")
        .parse()
        .ok()
        .map(|v| Value::Number(v, pct))
}

/// Column vocabulary of the multi-column groups: (spelling, key), longest first so that
/// "probation services officer" wins over "probation officer" and "pso" over "po".
const COLUMNS: &[(&str, &str)] = &[
    ("probation services officers", "pso"),
    ("probation services officer", "pso"),
    ("probation service officers", "pso"),
    ("probation service officer", "pso"),
    ("senior probation officers", "spo"),
    ("senior probation officer", "spo"),
    ("probation officers", "po"),
    ("probation officer", "po"),
    ("high/very high", "high"),
    ("very high/high", "high"),
    ("very high", "high"),
    ("medium", "medium"),
    ("pqips", "pqip"),
    ("pqip", "pqip"),
    ("spos", "spo"),
    ("psos", "pso"),
    ("high", "high"),
    ("spo", "spo"),
    ("pso", "pso"),
    ("pos", "po"),
    ("low", "low"),
    ("po", "po"),
];

/// Removes parenthesised text, nested or not ("PSO (inc. PQiP (x))" → "PSO ").
fn strip_parens(s: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Reads a column-header text as a sequence of known columns: (key, spelling as written).
/// Works on glued text ("POPSO (exc. PQiP)PQiP") because it tokenises by vocabulary, longest
/// match first; `None` unless the whole text is consumed.
pub(super) fn column_tokens(s: &str) -> Option<Vec<(&'static str, String)>> {
    let stripped = strip_parens(s);
    let lower = stripped.to_lowercase();
    // Lowercasing can change byte lengths for exotic characters; then positions would not map
    // back, so refuse (column headers are ASCII).
    if lower.len() != stripped.len() {
        return None;
    }
    let mut out = Vec::new();
    let mut i = 0;
    let b = lower.as_bytes();
    while i < b.len() {
        if b[i].is_ascii_whitespace() || b[i] == b',' {
            i += 1;
            continue;
        }
        let (spelling, key) = COLUMNS.iter().find(|(w, _)| lower[i..].starts_with(w))?;
        out.push((*key, stripped.get(i..i + spelling.len())?.to_string()));
        i += spelling.len();
    }
    (!out.is_empty()).then_some(out)
}

/// One classified row of the facts table.
#[derive(Debug, Clone)]
enum Row {
    /// Column headers of a group.
    Columns(Vec<(&'static str, String)>),
    /// Values of a group, one cell per column (delimited layout).
    Cells(Vec<String>),
    /// Values of a group glued together ("88%89%85%", "36.2148.4935.31").
    Glued(String),
    /// A label and what follows it. In the glued layout `tail` may still start with a footnote
    /// marker (see [`resolve_markers`]); in the delimited layout the marker is already removed.
    Labelled {
        label: String,
        tail: String,
        glued: bool,
    },
}

static LABEL_MARKER: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"\)\s*(\d{1,2})$").expect("static regex"));
static TRAILING_VALUE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(.*?[^\d\s.,%])\s*(\d[\d,]*(?:\.\d+)?\s*(?:%|per\s*cent)?\d{0,2}|not available|n/a)$")
        .expect("static regex")
});

fn classify_row(t: &str) -> Row {
    let delimited = t.contains('|') || t.contains('\t');
    if delimited {
        let cells: Vec<String> = t
            .split(['|', '\t'])
            .map(collapse_ws)
            .filter(|c| !c.is_empty())
            .collect();
        if cells.len() >= 2 {
            let cols: Option<Vec<_>> = cells
                .iter()
                .map(|c| {
                    column_tokens(c)
                        .filter(|v| v.len() == 1)
                        .map(|mut v| v.remove(0))
                })
                .collect();
            if let Some(cols) = cols {
                return Row::Columns(cols);
            }
            if cells.iter().all(|c| parse_value(c).is_some()) {
                return Row::Cells(cells);
            }
        }
        let mut it = cells.into_iter();
        let label = it.next().unwrap_or_default();
        let tail = it.collect::<Vec<_>>().join(" ");
        // In a delimited row the marker glued to the label's bracket is unambiguous.
        let label = LABEL_MARKER.replace(&label, ")").into_owned();
        return Row::Labelled {
            label,
            tail,
            glued: false,
        };
    }
    let t = collapse_ws(t);
    if let Some(cols) = column_tokens(&t).filter(|c| c.len() >= 2) {
        return Row::Columns(cols);
    }
    if t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '%' | ' '))
    {
        return Row::Glued(t);
    }
    if let Some(i) = t.rfind(')') {
        let tail = t[i + 1..].trim();
        let wordy = more_words_than(tail, 1) && !tail.chars().any(|c| c.is_ascii_digit());
        if !wordy || parse_value(tail) == Some(Value::Absent) {
            return Row::Labelled {
                label: t[..=i].to_string(),
                tail: tail.to_string(),
                glued: true,
            };
        }
        return Row::Labelled {
            label: t,
            tail: String::new(),
            glued: true,
        };
    }
    if let Some(c) = TRAILING_VALUE.captures(&t) {
        // A number glued to a word is part of it ("SL021"), and so is one inside a bracket
        // still open ("(in the 12", the rest of the label wrapped away): neither is a value.
        let glued_to_word = c[1].ends_with(char::is_alphanumeric)
            && t.as_bytes().get(c[1].len()).is_some_and(u8::is_ascii_digit);
        if glued_to_word || c[1].matches('(').count() > c[1].matches(')').count() {
            return Row::Labelled {
                label: t,
                tail: String::new(),
                glued: true,
            };
        }
        return Row::Labelled {
            label: c[1].trim().to_string(),
            tail: c[2].to_string(),
            glued: true,
        };
    }
    Row::Labelled {
        label: t,
        tail: String::new(),
        glued: true,
    }
}

/// Splits a glued value row into `n` values. Percent rows split at each '%'; plain decimals
/// must all have the same number of decimals and only one such reading may fit.
fn split_glued(s: &str, n: usize) -> Option<Vec<Value>> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    if s.contains('%') {
        let mut parts: Vec<&str> = s.split('%').collect();
        let last = parts.pop().unwrap_or("");
        // After the last '%' only a footnote marker may follow.
        if last.len() > 2 || !last.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        if parts.len() != n {
            return None;
        }
        return parts
            .iter()
            .map(|p| parse_value(&format!("{p}%")))
            .collect();
    }
    if n == 1 {
        return parse_value(&s).map(|v| vec![v]);
    }
    static DECIMALS: Lazy<[Regex; 3]> = Lazy::new(|| {
        [1, 2, 3].map(|d| Regex::new(&format!(r"^\d+\.\d{{{d}}}")).expect("valid regex"))
    });
    let mut readings = Vec::new();
    for re in DECIMALS.iter() {
        let mut rest = s.as_str();
        let mut vals = Vec::new();
        while let Some(m) = re.find(rest) {
            vals.push(m.as_str().parse::<f64>().ok()?);
            rest = &rest[m.end()..];
        }
        if rest.is_empty() && vals.len() == n {
            readings.push(vals);
        }
    }
    if readings.len() == 1 {
        return Some(
            readings
                .remove(0)
                .into_iter()
                .map(|v| Value::Number(v, false))
                .collect(),
        );
    }
    None
}

/// Stable key and default unit of a single-value fact label.
fn fact_key(label: &str) -> (String, &'static str) {
    let l = label.to_lowercase();
    let key = if l.contains("people supervised") {
        ("people_supervised", "people")
    } else if l.contains("mappa") && l.contains("eligible") {
        ("mappa_eligible", "people")
    } else if l.contains("victim satisfaction") {
        ("victim_satisfaction_percent", "percent")
    } else if l.contains("recall rate") {
        ("recall_rate_percent", "percent")
    } else if l.contains("wait time")
        && (l.contains("rar") || l.contains("rehabilitation activity"))
    {
        ("rar_wait_time", "number")
    } else if l.contains("rar days completed") {
        ("rar_days_completed_percent", "percent")
    } else if l.contains("accredited programme") && l.contains("not convicted of a sexual") {
        ("programme_completion_non_sexual_percent", "percent")
    } else if l.contains("accredited programme") && l.contains("convicted of a sexual") {
        ("programme_completion_sexual_percent", "percent")
    } else {
        return (slug(label), "number");
    };
    (key.0.to_string(), key.1)
}

/// Prefix, suffix and default unit of a multi-column group ("Staffing level …" →
/// staffing_<col>_percent).
fn group_key(label: &str) -> (String, &'static str, &'static str) {
    let l = label.to_lowercase();
    if l.contains("staffing") {
        ("staffing".into(), "_percent", "percent")
    } else if l.contains("caseload") {
        ("caseload".into(), "", "cases")
    } else if l.contains("risk") && l.contains("classification") {
        ("risk".into(), "_percent", "percent")
    } else {
        (slug(label), "", "number")
    }
}

/// snake_case of the words outside brackets: "Average RAR wait time (…)" → "average_rar_wait_time".
fn slug(label: &str) -> String {
    let s = strip_parens(label).to_lowercase();
    let words: Vec<&str> = s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    if words.is_empty() {
        "fact".into()
    } else {
        words.join("_")
    }
}

fn unit_of(pct: bool, default: &str) -> String {
    if pct {
        "percent"
    } else if default == "percent" {
        "number"
    } else {
        default
    }
    .to_string()
}

/// How many footnotes the document lists (items after a "Footnotes" heading).
fn footnote_count(lines: &[Line]) -> usize {
    let Some(i) = lines.iter().position(|l| heading_is(l.text, "footnotes")) else {
        return 0;
    };
    lines[i + 1..]
        .iter()
        .map(|l| l.text.trim())
        .take_while(|t| !is_marked_heading(t))
        .filter(|t| !t.is_empty())
        .count()
}

/// Is `tail` a complete value reading (a value, an absence, or nothing at all)?
fn tail_valid(tail: &str) -> bool {
    tail.trim().is_empty() || parse_value(tail).is_some()
}

/// Decides, for the glued rows, how many leading digits of each tail are a footnote marker.
///
/// Web text loses superscripts, so "(on 30 June 2025)116,821" could be 116,821 or footnote 1
/// then 16,821. Footnote markers in a table run consecutively and never exceed the number of
/// footnotes, so we try every starting marker and keep the reading that explains the most
/// tails as consecutive markers. The number of footnotes is the larger of the footnotes listed
/// and any marker proven by a group label whose only tail is digits (a label followed by column
/// headers has no value). Rows on which the best readings disagree are returned as ambiguous.
fn resolve_markers(rows: &[(usize, Row)], listed: usize) -> (Vec<usize>, Vec<bool>) {
    let mut max_marker = listed;
    for w in rows.windows(2) {
        if let (
            (
                _,
                Row::Labelled {
                    tail, glued: true, ..
                },
            ),
            (_, Row::Columns(_)),
        ) = (&w[0], &w[1])
        {
            if !tail.is_empty() && tail.len() <= 2 && tail.chars().all(|c| c.is_ascii_digit()) {
                max_marker = max_marker.max(tail.parse().unwrap_or(0));
            }
        }
    }
    let simulate = |first: usize| -> (usize, Vec<usize>) {
        let mut next = first;
        let mut consumed = 0;
        let mut lens = vec![0; rows.len()];
        for (i, (_, row)) in rows.iter().enumerate() {
            let Row::Labelled {
                tail, glued: true, ..
            } = row
            else {
                continue;
            };
            if first == 0 || next > max_marker {
                continue;
            }
            let m = next.to_string();
            if tail.starts_with(&m) && tail_valid(&tail[m.len()..]) {
                lens[i] = m.len();
                consumed += 1;
                next += 1;
            }
        }
        (consumed, lens)
    };
    let readings: Vec<(usize, Vec<usize>)> = (0..=max_marker.min(99)).map(simulate).collect();
    let best = readings.iter().map(|r| r.0).max().unwrap_or(0);
    let tied: Vec<&Vec<usize>> = readings
        .iter()
        .filter(|r| r.0 == best)
        .map(|r| &r.1)
        .collect();
    let chosen = tied[0].clone();
    let ambiguous = (0..rows.len())
        .map(|i| tied.iter().any(|r| r[i] != chosen[i]))
        .collect();
    (chosen, ambiguous)
}

pub(super) fn facts(lines: &[Line], problems: &mut Vec<Problem>) -> Vec<KeyFact> {
    let mut out = Vec::new();
    let Some(start) = lines.iter().position(|l| {
        is_heading_like(l.text) && {
            let c = clean_heading(l.text).to_lowercase();
            c == "key contextual facts" || c == "key facts"
        }
    }) else {
        return out;
    };
    let first_problem = problems.len();
    // The table's lines: up to a heading, the footnotes or prose (a row of over 40 words; a
    // line holding several rows run together counts row by row).
    let mut region: Vec<(usize, &str)> = Vec::new();
    for l in &lines[start + 1..] {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        if is_marked_heading(t)
            || heading_is(t, "footnotes")
            || split_rows(t).iter().any(|row| more_words_than(row, 40))
        {
            break;
        }
        region.push((l.no, t));
    }
    let rows: Vec<(usize, Row)> = logical_rows(&region)
        .into_iter()
        .map(|(no, t)| (no, classify_row(&t)))
        .collect();
    // Keys of the facts the table states to be absent.
    let mut absent: Vec<String> = Vec::new();
    let (markers, ambiguous) = resolve_markers(&rows, footnote_count(lines));

    let values_expected =
        "a number ('16,013', '24.88%') or a stated absence ('Not available', '–')";
    // A group label waiting for its columns, and columns waiting for their values.
    let mut group: Option<(usize, String)> = None;
    let mut columns: Option<(usize, Vec<(&'static str, String)>)> = None;
    let flush = |group: &mut Option<(usize, String)>,
                 columns: &mut Option<(usize, Vec<(&'static str, String)>)>,
                 problems: &mut Vec<Problem>| {
        if let Some((line, cols)) = columns.take() {
            let of = group
                .take()
                .map_or(String::new(), |(_, label)| format!(" of '{label}'"));
            problems.push(Problem {
                line,
                what: format!(
                    "column headers ({}){of} with no value row",
                    cols.iter()
                        .map(|c| c.1.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                expected: "a row with one value per column".into(),
            });
        }
        if let Some((line, label)) = group.take() {
            problems.push(Problem {
                line,
                what: format!("fact '{label}' has no value"),
                expected: values_expected.into(),
            });
        }
    };
    for (i, (line, row)) in rows.iter().enumerate() {
        let line = *line;
        match row {
            Row::Labelled { label, tail, glued } => {
                if ambiguous[i] {
                    flush(&mut group, &mut columns, problems);
                    problems.push(marker_or_value(line, tail, label));
                    continue;
                }
                let tail = if *glued {
                    &tail[markers[i].min(tail.len())..]
                } else {
                    tail.as_str()
                };
                let label = collapse_ws(label);
                if opens_mid_label(&label) {
                    flush(&mut group, &mut columns, problems);
                    problems.push(Problem {
                        line,
                        what: format!("a row that starts mid-label ('{label}'): the row it continues was not found"),
                        expected: "each label whole, on one row with its value".into(),
                    });
                    continue;
                }
                if tail.trim().is_empty() {
                    flush(&mut group, &mut columns, problems);
                    group = Some((line, label));
                    continue;
                }
                flush(&mut group, &mut columns, problems);
                let (name, unit) = fact_key(&label);
                if *glued && label.ends_with(')') && is_marker_like(tail) {
                    problems.push(marker_or_value(line, tail, &label));
                    continue;
                }
                match parse_value(tail) {
                    Some(Value::Number(v, pct)) => out.push(KeyFact {
                        name,
                        label,
                        value: v,
                        unit: unit_of(pct, unit),
                        line,
                    }),
                    Some(Value::Absent) => absent.push(name),
                    None => problems.push(Problem {
                        line,
                        what: format!("non-numeric value '{}' for '{label}'", tail.trim()),
                        expected: values_expected.into(),
                    }),
                }
            }
            Row::Columns(cols) => {
                if let Some((l, c)) = columns.take() {
                    columns = Some((l, c));
                    flush(&mut group, &mut columns, problems);
                }
                if group.is_none() {
                    problems.push(Problem {
                        line,
                        what: "column headers with no group label above them".into(),
                        expected: "a label row (e.g. 'Staffing level') before the column headers"
                            .into(),
                    });
                }
                columns = Some((line, cols.clone()));
            }
            Row::Cells(_) | Row::Glued(_) => {
                let Some((_, cols)) = columns.take() else {
                    problems.push(Problem {
                        line,
                        what: "a row of values with no column headers above it".into(),
                        expected: "a column-header row (e.g. 'SPO | PO | PSO') before the values"
                            .into(),
                    });
                    group = None;
                    continue;
                };
                let glabel = group.take().map(|g| g.1).unwrap_or_default();
                let values = match row {
                    Row::Cells(cells) => cells
                        .iter()
                        .map(|c| parse_value(c))
                        .collect::<Option<Vec<_>>>(),
                    Row::Glued(s) => split_glued(s, cols.len()),
                    _ => None,
                };
                let Some(values) = values.filter(|v| v.len() == cols.len()) else {
                    problems.push(Problem {
                        line,
                        what: format!(
                            "cannot read {} values for '{glabel}' from this row",
                            cols.len()
                        ),
                        expected: format!(
                            "one value per column ({})",
                            cols.iter()
                                .map(|c| c.1.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    continue;
                };
                let (prefix, suffix, unit) = group_key(&glabel);
                for ((key, spelling), v) in cols.iter().zip(values) {
                    if v == Value::Absent {
                        absent.push(format!("{prefix}_{key}{suffix}"));
                    }
                    if let Value::Number(value, pct) = v {
                        out.push(KeyFact {
                            name: format!("{prefix}_{key}{suffix}"),
                            label: collapse_ws(&format!("{glabel} – {}", spelling.trim())),
                            value,
                            unit: unit_of(pct, unit),
                            line,
                        });
                    }
                }
            }
        }
    }
    flush(&mut group, &mut columns, problems);
    let named: Vec<String> = problems[first_problem..]
        .iter()
        .map(|p| p.what.to_lowercase())
        .collect();
    let table = region
        .iter()
        .map(|(_, t)| t.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ");
    for &(display, key, needle, other) in KNOWN_FACTS {
        let read = out.iter().any(|f| f.name.starts_with(key))
            || absent.iter().any(|a| a.starts_with(key));
        if read
            || mentions(&table, needle, other) == 0
            || named.iter().any(|w| mentions(w, needle, other) > 0)
        {
            continue;
        }
        problems.push(Problem {
            line: lines[start].no,
            what: format!("the {display}: the table names it but no value was read for it"),
            expected: values_expected.into(),
        });
    }
    out
}

/// The problem of a figure glued to a label that may be a footnote marker or the value.
fn marker_or_value(line: usize, tail: &str, label: &str) -> Problem {
    Problem {
        line,
        what: format!(
            "cannot tell a footnote marker from the value in '{}' after '{label}'",
            tail.trim()
        ),
        expected: "a value separated from the label (a '|' or tab cell)".into(),
    }
}

/// A row label that begins where no label does: lowercase, with a bracket or a digit (the rest
/// of a wrapped label whose first part was not found).
fn opens_mid_label(label: &str) -> bool {
    label
        .chars()
        .next()
        .is_some_and(|c| c.is_lowercase() || c == '(' || c.is_ascii_digit())
}

/// One or two bare digits, glued to a label's closing bracket: as likely a footnote marker as
/// a value.
fn is_marker_like(tail: &str) -> bool {
    let t = tail.trim();
    (1..=2).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
}

/// The facts of the standard table, as the safety net after reading it names them: a fact the
/// table names but that yielded neither a value nor a stated absence nor a problem naming it
/// gets a problem of its own, so that nothing goes missing unsaid. (Display name, key prefix,
/// what names it in lowercase text, and what names another fact that contains that: the two
/// programme completions differ by a "not".)
const KNOWN_FACTS: &[(&str, &str, &str, &str)] = &[
    (
        "number of people supervised",
        "people_supervised",
        "people supervised",
        "",
    ),
    ("MAPPA-eligible offenders", "mappa_eligible", "mappa", ""),
    (
        "victim satisfaction performance",
        "victim_satisfaction",
        "victim satisfaction",
        "",
    ),
    ("staffing level", "staffing_", "staffing", ""),
    ("average caseload", "caseload_", "caseload", ""),
    ("recall rate", "recall_rate", "recall rate", ""),
    ("RAR wait time", "rar_wait_time", "wait time", ""),
    (
        "percentage of RAR days completed",
        "rar_days_completed",
        "rar days completed",
        "",
    ),
    (
        "programme completion (sexual offence)",
        "programme_completion_sexual",
        "convicted of a sexual",
        "not convicted of a sexual",
    ),
    (
        "programme completion (not a sexual offence)",
        "programme_completion_non_sexual",
        "not convicted of a sexual",
        "",
    ),
    (
        "risk of serious harm classification",
        "risk_",
        "classification",
        "",
    ),
];

/// How often `text` names a fact of [`KNOWN_FACTS`].
fn mentions(text: &str, needle: &str, other: &str) -> usize {
    let others = if other.is_empty() {
        0
    } else {
        text.matches(other).count()
    };
    text.matches(needle).count().saturating_sub(others)
}
