//! Key-question scores: the four "percentage 'Yes'" figures of the "Scoring" table, whatever
//! the table layout.

use once_cell::sync::Lazy;
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::helpers::*;
use super::Problem;

/// The key-question scores: the percentage of inspected cases answered 'Yes'.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scores {
    /// "Does assessment focus sufficiently on keeping other people safe?"
    pub assessment: Option<f64>,
    /// "Does planning focus sufficiently on keeping other people safe?"
    pub planning: Option<f64>,
    /// "Does the implementation and delivery of services effectively support the safety of
    /// other people?"
    pub implementation: Option<f64>,
    /// "Does reviewing focus sufficiently on keeping other people safe?"
    pub reviewing: Option<f64>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Question {
    Assessment,
    Planning,
    Implementation,
    Reviewing,
}

impl Question {
    const ALL: [Question; 4] = [
        Question::Assessment,
        Question::Planning,
        Question::Implementation,
        Question::Reviewing,
    ];
    fn name(self) -> &'static str {
        match self {
            Question::Assessment => "assessment",
            Question::Planning => "planning",
            Question::Implementation => "implementation and delivery",
            Question::Reviewing => "reviewing",
        }
    }
}

static QUESTION: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\b(assessment|planning|implementation|reviewing)\b").expect("static regex")
});
static PERCENT: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(\d{1,3}(?:\.\d+)?)\s*(%|per\s*cent|percent)?\s*$").expect("static regex")
});

/// Reads a percentage cell: "49%", "49 %", "49.0%", "49 per cent", or a bare 0–100 number
/// (the column header already says "Percentage").
fn parse_percent(s: &str) -> Option<f64> {
    let s = s.trim().trim_matches('|').trim();
    let c = PERCENT.captures(s)?;
    let v: f64 = c[1].parse().ok()?;
    (v <= 100.0).then_some(v)
}

/// Is this line a key question of the scoring table, and which?
fn question_of(t: &str) -> Option<(Question, &str)> {
    let lower_has_q = t.contains('?') || {
        let l = t.trim_start_matches(['|', ' ', '\t']).to_lowercase();
        l.starts_with("does ") || l.starts_with("is ") || l.starts_with("how ")
    };
    if !lower_has_q {
        return None;
    }
    let q = question_named(&QUESTION.captures(t)?[1]);
    // The figure is whatever follows the question mark (glued, after a tab or a '|' cell);
    // without a '?', the last delimited cell.
    let rest = if let Some(i) = t.rfind('?') {
        &t[i + 1..]
    } else if let Some(i) = t.trim_end().trim_end_matches('|').rfind(['|', '\t']) {
        &t[i + 1..]
    } else {
        ""
    };
    Some((q, rest))
}

/// Where a row ends inside a line: a question mark, its percentage, then more text. Text laid
/// out from a PDF can run the rows of a table into one line ("…other people? 30% Does
/// reviewing …? 39%"); each such row is read on its own.
static ROW_END: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\?\s*\d{1,3}(?:\.\d+)?\s*(?:%|per\s*cent|percent)\s+\S").expect("static regex")
});
static PERCENT_INSIDE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)\d\s*(?:%|per\s*cent\b|percent\b)").expect("static regex"));

/// `t` cut into rows at each [`ROW_END`] (one piece for an ordinary line).
fn rows_of(t: &str) -> Vec<&str> {
    let mut rows = Vec::new();
    let mut start = 0;
    for m in ROW_END.find_iter(t) {
        // The match ends with the first character of the next row.
        let end = m.end() - t[..m.end()].chars().next_back().map_or(0, char::len_utf8);
        rows.push(t[start..end].trim());
        start = end;
    }
    rows.push(t[start..].trim());
    rows
}

/// When a row holds more than one key question, or a percentage before its question mark, rows
/// of the table have run together in a way that cannot be taken apart safely: the questions it
/// names (in order, each once).
fn merged_questions(row: &str) -> Option<Vec<Question>> {
    let mut named: Vec<Question> = Vec::new();
    for m in QUESTION.find_iter(row) {
        let q = question_named(m.as_str());
        if !named.contains(&q) {
            named.push(q);
        }
    }
    let before_mark = row.rfind('?').map_or("", |i| &row[..i]);
    (named.len() > 1 || PERCENT_INSIDE.is_match(before_mark)).then_some(named)
}

fn question_named(word: &str) -> Question {
    match word.to_lowercase().as_str() {
        "assessment" => Question::Assessment,
        "planning" => Question::Planning,
        "implementation" => Question::Implementation,
        _ => Question::Reviewing,
    }
}

/// The second half of a header row wrapped onto a line of its own ("Percentage 'Yes'").
fn is_header_continuation(t: &str) -> bool {
    let c = collapse_ws(&t.replace(['|', '\t'], " ")).to_lowercase();
    c.starts_with("percentage") && !more_words_than(&c, 3) && !c.contains('?')
}

/// The score-table header row: "Key question | Percentage 'Yes'" in any layout.
fn is_key_question_header(t: &str) -> bool {
    // The header starts with "key" once separators are skipped. Only a non-ASCII first letter
    // needs the full test (the Kelvin sign lowercases to 'k'; no other letter of "key" can
    // come from a non-ASCII one).
    let head = t.trim_start_matches(|c: char| c.is_whitespace() || c == '|');
    if head.starts_with(|c: char| c.is_ascii())
        && !head.get(..3).is_some_and(|h| h.eq_ignore_ascii_case("key"))
    {
        return false;
    }
    let c = collapse_ws(&t.replace(['|', '\t'], " ")).to_lowercase();
    c.starts_with("key question") && !more_words_than(&c, 6)
}

/// Finds the scoring table: after a "Scoring" heading or at its header row. A "Scoring"
/// heading followed by neither header row nor key question is not a table (no problems).
pub(super) fn scores(lines: &[Line], problems: &mut Vec<Problem>) -> Option<Scores> {
    let mut candidates = lines.iter().enumerate().filter(|(_, l)| {
        let t = l.text.trim();
        (is_heading_like(t) && {
            let c = clean_heading(t).to_lowercase();
            c == "scoring" || c == "scores"
        }) || is_key_question_header(t)
    });
    candidates.find_map(|(start, _)| score_table(lines, start, problems))
}

/// Reads the scoring table whose heading or header row is `lines[start]`.
fn score_table(lines: &[Line], start: usize, problems: &mut Vec<Problem>) -> Option<Scores> {
    let mut header_seen = is_key_question_header(lines[start].text);
    let mut local = Vec::new();
    let problems_out = problems;
    let problems = &mut local;
    let heading_line = lines[start].no;
    let mut found: BTreeMap<Question, (usize, Option<f64>)> = BTreeMap::new();
    // A question whose figure has not been seen yet (it may be on the next line).
    let mut pending: Option<(Question, usize)> = None;
    let bad_figure = |problems: &mut Vec<Problem>, line: usize, q: Question, fig: &str| {
        problems.push(Problem {
            line,
            what: format!(
                "unreadable percentage '{}' for the {} question",
                fig.trim(),
                q.name()
            ),
            expected: "a percentage such as '49%', '49.0%' or '49 per cent'".into(),
        });
    };
    'lines: for l in &lines[start + 1..] {
        if l.text.trim().is_empty() {
            continue;
        }
        for t in rows_of(l.text.trim()) {
            if is_key_question_header(t) {
                header_seen = true;
                continue;
            }
            if header_seen && found.is_empty() && is_header_continuation(t) {
                continue;
            }
            if let Some(named) = question_of(t).and_then(|_| merged_questions(t)) {
                pending = None;
                let names: Vec<&str> = named.iter().map(|q| q.name()).collect();
                for q in named {
                    if found.contains_key(&q) {
                        continue;
                    }
                    found.insert(q, (l.no, None));
                    problems.push(Problem {
                        line: l.no,
                        what: format!(
                            "the {} question: rows of the scoring table run together ({})",
                            q.name(),
                            names.join(", ")
                        ),
                        expected: "each key question on its own row, its percentage after it"
                            .into(),
                    });
                }
                continue;
            }
            if let Some((q, rest)) = question_of(t) {
                pending = None;
                if found.contains_key(&q) {
                    problems.push(Problem {
                        line: l.no,
                        what: format!("second row for the {} question", q.name()),
                        expected: "each key question once".into(),
                    });
                    continue;
                }
                let fig = rest.replace(['|', '\t'], " ");
                if fig.trim().is_empty() {
                    found.insert(q, (l.no, None));
                    pending = Some((q, l.no));
                } else {
                    let v = parse_percent(&fig);
                    if v.is_none() {
                        bad_figure(problems, l.no, q, &fig);
                    }
                    found.insert(q, (l.no, v));
                }
                continue;
            }
            if let Some((q, _)) = pending {
                let fig = t.replace(['|', '\t'], " ");
                if let Some(v) = parse_percent(&fig) {
                    found.insert(q, (l.no, Some(v)));
                    pending = None;
                    continue;
                }
                if fig.chars().any(|c| c.is_ascii_digit()) && !more_words_than(&fig, 3) {
                    bad_figure(problems, l.no, q, &fig);
                    pending = None;
                    continue;
                }
            }
            break 'lines;
        }
    }
    if found.is_empty() && !header_seen {
        return None;
    }
    let mut s = Scores {
        assessment: None,
        planning: None,
        implementation: None,
        reviewing: None,
    };
    for q in Question::ALL {
        let value = match found.get(&q) {
            None => {
                problems.push(Problem {
                    line: heading_line,
                    what: format!("scoring table has no row for the {} question", q.name()),
                    expected: "a row with the question and its percentage 'Yes'".into(),
                });
                None
            }
            Some(&(line, None)) => {
                // Only report a missing figure; an unreadable one was reported where it was read.
                if !problems
                    .iter()
                    .any(|p| p.line >= line && p.what.contains(q.name()))
                {
                    problems.push(Problem {
                        line,
                        what: format!("no percentage for the {} question", q.name()),
                        expected:
                            "a percentage such as '49%' after the question or on the next line"
                                .into(),
                    });
                }
                None
            }
            Some(&(_, v)) => v,
        };
        match q {
            Question::Assessment => s.assessment = value,
            Question::Planning => s.planning = value,
            Question::Implementation => s.implementation = value,
            Question::Reviewing => s.reviewing = value,
        }
    }
    problems_out.append(problems);
    Some(s)
}
