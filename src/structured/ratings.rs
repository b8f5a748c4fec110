//! Ratings: PDU overall ratings (with their "Score 10/24" figure) and standard ratings from a
//! ratings annexe.

use once_cell::sync::Lazy;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::helpers::*;
use super::Problem;

/// One rating from a ratings table: a PDU's overall rating or one standard's rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// The PDU rated ("Manchester North", without "PDU"), or "overall" when the table names none.
    pub subject: String,
    /// The standard ("1.1" … "2.5"), `None` for the overall rating.
    pub standard: Option<String>,
    /// The standard's name ("Staff"), `None` for the overall rating.
    pub name: Option<String>,
    /// One of "Outstanding", "Good", "Requires improvement", "Inadequate".
    pub rating: String,
    /// The score as written ("10/24"), on the overall rating only.
    pub score: Option<String>,
}

static RATING_AT_END: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)(outstanding|good|requires\s+improvement|inadequate)[\s|]*$")
        .expect("static regex")
});
static STANDARD: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^[\s|]*(\d{1,2}\.\d{1,2})[\s|]*([^\d.%].*)?$").expect("static regex")
});
static DOMAIN: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"^[\s|]*\d{1,2}\.(?:[\s|]|$)").expect("static regex"));
static SCORE: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)\bscore\b[\s|:]*(\d{1,3}\s*/\s*\d{1,3})").expect("static regex"));
static FIELDWORK: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)\bfieldwork\b").expect("static regex"));
static OVERALL: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)^[\s|]*overall rating\b(.*)$").expect("static regex"));

fn canonical_rating(s: &str) -> String {
    let l = collapse_ws(&s.to_lowercase());
    let mut c = l.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => l,
    }
}

fn separators_trimmed(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '|' || c == ':')
}

pub(super) fn ratings(lines: &[Line], problems: &mut Vec<Problem>) -> Vec<Rating> {
    let mut out = Vec::new();
    let Some(start) = lines.iter().position(|l| {
        let t = l.text.trim();
        is_heading_like(t)
            && clean_heading(t)
                .to_lowercase()
                .split(|c: char| !c.is_alphanumeric())
                .any(|w| w == "ratings")
    }) else {
        return out;
    };
    let mut subject = "overall".to_string();
    let mut score: Option<(String, usize)> = None;
    let expected = "a rating: Outstanding, Good, Requires improvement or Inadequate";
    // Introductory prose may sit between the heading and the table; only once a row of the
    // table has been read does prose end it.
    let mut started = false;
    for l in &lines[start + 1..] {
        let t = l.text.trim();
        if t.is_empty() {
            continue;
        }
        // The table ends at the next section: a heading, another annexe, or running prose
        // (table rows are short; "2.5 million people …" in a paragraph is not a standard).
        let is_row = SCORE.is_match(t)
            || FIELDWORK.is_match(t)
            || OVERALL.is_match(t)
            || STANDARD.is_match(t);
        if is_marked_heading(t)
            || (t.get(..5).is_some_and(|p| p.eq_ignore_ascii_case("annex")) && is_heading_like(t))
            || (started && !is_row && more_words_than(t, 25))
        {
            break;
        }
        started |= is_row;
        let sc = SCORE.captures(t);
        if sc.is_some() || FIELDWORK.is_match(t) {
            if let Some((s, line)) = score.take() {
                problems.push(Problem {
                    line,
                    what: format!("score {s} for {subject} with no overall rating"),
                    expected: "an 'Overall rating' row after the score".into(),
                });
            }
            let cut = [
                FIELDWORK.find(t).map(|m| m.start()),
                sc.as_ref().and_then(|c| c.get(0)).map(|m| m.start()),
            ]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(t.len());
            let name = strip_pdu(separators_trimmed(&t[..cut]));
            subject = if name.is_empty() {
                "overall".into()
            } else {
                name
            };
            score = sc.map(|c| (c[1].split_whitespace().collect::<String>(), l.no));
            continue;
        }
        if let Some(c) = OVERALL.captures(t) {
            match RATING_AT_END.captures(&c[1]) {
                Some(r) => out.push(Rating {
                    subject: subject.clone(),
                    standard: None,
                    name: None,
                    rating: canonical_rating(&r[1]),
                    score: score.take().map(|(s, _)| s),
                }),
                None => problems.push(Problem {
                    line: l.no,
                    what: format!(
                        "overall rating of {subject} unreadable: '{}'",
                        separators_trimmed(&c[1])
                    ),
                    expected: expected.into(),
                }),
            }
            continue;
        }
        if let Some(c) = STANDARD.captures(t) {
            let rest = c.get(2).map_or("", |m| m.as_str());
            match RATING_AT_END.captures(rest) {
                Some(r) => {
                    let name = separators_trimmed(&rest[..r.get(0).map_or(0, |m| m.start())]);
                    out.push(Rating {
                        subject: subject.clone(),
                        standard: Some(c[1].to_string()),
                        name: (!name.is_empty()).then(|| collapse_ws(name)),
                        rating: canonical_rating(&r[1]),
                        score: None,
                    })
                }
                None => problems.push(Problem {
                    line: l.no,
                    what: format!(
                        "standard {} of {subject} has no recognisable rating: '{}'",
                        &c[1],
                        collapse_ws(separators_trimmed(rest))
                    ),
                    expected: expected.into(),
                }),
            }
            continue;
        }
        // "1.  Organisational delivery": a domain header; domains carry no rating of their own.
        if DOMAIN.is_match(t) {
            continue;
        }
        // Anything else (introductory prose, a link) is not part of the table.
    }
    if let Some((s, line)) = score {
        problems.push(Problem {
            line,
            what: format!("score {s} for {subject} with no overall rating"),
            expected: "an 'Overall rating' row after the score".into(),
        });
    }
    out
}
