//! The query language: tantivy's syntax over the shared analyser, made to say what users mean
//! and to say clearly what is wrong. Before tantivy parses a query, filter-field values are
//! checked and canonicalised (`region:"south west"` means the South West region, as `--region`
//! does; `theme:bogus` is an error listing the ids); after a syntax error the common mistakes are
//! named rather than reported as unbalanced quotes.

use once_cell::sync::Lazy;
use regex::Regex;
use tantivy::query::{AllQuery, Query, QueryParser};
use tantivy::{Searcher, Term};

use crate::corpus::gazetteer::{Gazetteer, REGIONS};
use crate::corpus::infer::REPORT_TYPES;
use crate::error::{Error, Result};
use crate::index::ThemisIndex;

use super::report_title;

/// Parses `query` with passage text and title as default fields. Words must all match unless
/// joined with OR; once any word is marked `+required`, unmarked words are optional (they rank
/// passages higher), as in Lucene. `theme_ids`, when given, are the ids `theme:` may name.
pub(super) fn parse_query(
    index: &ThemisIndex,
    searcher: &Searcher,
    query: &str,
    theme_ids: Option<&[String]>,
) -> Result<Box<dyn Query>> {
    if query.trim().is_empty() {
        return Ok(Box::new(AllQuery));
    }
    let bad = |reason: String| Error::BadQuery {
        query: query.to_string(),
        reason,
    };
    let resolved = resolve_field_values(query, theme_ids).map_err(bad)?;
    let mut parser =
        QueryParser::for_index(&index.index, vec![index.fields.text, index.fields.title]);
    if !has_required_word(&resolved) {
        parser.set_conjunction_by_default();
    }
    let parsed = parser
        .parse_query(&and_not_as_not(&escape_apostrophes(&resolved)))
        .map_err(|err| bad(explain_query_error(query, &err)))?;
    let mut unknown_report = None;
    parsed.query_terms(&mut |term, _| {
        if term.field() == index.fields.report
            && unknown_report.is_none()
            && !has_docs(searcher, term)
        {
            unknown_report = term.value().as_str().map(str::to_string);
        }
    });
    if let Some(id) = unknown_report {
        return Err(bad(unknown_report_message(&id)));
    }
    Ok(report_title::route_title_leaves(parsed, index.fields.title))
}

/// `true` when some document has `term` (an unreadable segment counts as "has": the query then
/// runs and reports its own error).
pub(super) fn has_docs(searcher: &Searcher, term: &Term) -> bool {
    searcher.doc_freq(term).map_or(true, |n| n > 0)
}

/// The message for a report id that no indexed report has.
pub(super) fn unknown_report_message(id: &str) -> String {
    format!("no indexed report has id `{id}`; `themis report --by report` lists the ids")
}

/// Fields whose values are keys, checked before parsing.
const KEY_FIELDS: [&str; 4] = ["region", "type", "theme", "report"];

/// Rewrites `region:` values to the canonical region name and checks `type:` and `theme:`
/// values, outside quoted phrases; `Err` says what is wrong and lists the valid values.
fn resolve_field_values(query: &str, theme_ids: Option<&[String]>) -> Result<String, String> {
    let mut out = String::with_capacity(query.len() + 8);
    let mut in_phrase = false;
    let mut rest = query;
    while let Some(c) = rest.chars().next() {
        let at_word_start = out
            .chars()
            .last()
            .is_none_or(|p| p.is_whitespace() || "(+-".contains(p));
        let field = (!in_phrase && at_word_start)
            .then(|| {
                KEY_FIELDS
                    .iter()
                    .find(|f| rest.strip_prefix(**f).is_some_and(|r| r.starts_with(':')))
            })
            .flatten();
        let Some(field) = field else {
            if c == '"' {
                in_phrase = !in_phrase;
            }
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        };
        let after = &rest[field.len() + 1..];
        if after.starts_with('(') {
            // A grouped value, `theme:(a OR b)`: tantivy applies the field to each word, which
            // the values' own checks do not see; leave it to the parser as written.
            out.push_str(&rest[..field.len() + 1]);
            rest = after;
            continue;
        }
        let (value, len) = if let Some(quoted) = after.strip_prefix('"') {
            match quoted.find('"') {
                Some(end) => (&quoted[..end], end + 2),
                None => return Err(format!("the quote after `{field}:` is not closed")),
            }
        } else {
            let end = after
                .find(|c: char| c.is_whitespace() || c == ')' || c == '^')
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        if value.trim().is_empty() {
            return Err(format!("`{field}:` needs a value, e.g. {}", example(field)));
        }
        let value = checked_value(field, value, theme_ids)?;
        out.push_str(field);
        out.push_str(":\"");
        out.push_str(&value);
        out.push('"');
        rest = &after[len..];
    }
    Ok(out)
}

fn example(field: &str) -> &'static str {
    match field {
        "region" => "region:\"South West\"",
        "type" => "type:dynamic-inspection",
        "theme" => "theme:vetting-recruitment",
        "report" => "report:sw-dipp-2026",
        "title" => "title:manchester",
        "section" => "section:\"Inspection commentary\"",
        _ => "title:manchester",
    }
}

/// The canonical form of a key field's value, or why it is not one.
fn checked_value(field: &str, value: &str, theme_ids: Option<&[String]>) -> Result<String, String> {
    match field {
        "region" => Gazetteer::embedded()
            .canonical_region(value)
            .map(str::to_string)
            .ok_or_else(|| {
                format!(
                    "unknown region `{value}` in `region:`; regions are: {}",
                    REGIONS.join(", ")
                )
            }),
        "type" if !REPORT_TYPES.contains(&value) => Err(format!(
            "unknown report type `{value}` in `type:`; types are: {}",
            REPORT_TYPES.join(", ")
        )),
        "theme" => match theme_ids {
            Some(ids) if !ids.iter().any(|id| id == value) => Err(format!(
                "unknown theme `{value}` in `theme:`; themes are: {}",
                ids.join(", ")
            )),
            _ => Ok(value.to_string()),
        },
        _ => Ok(value.to_string()),
    }
}

/// `true` when a word outside quotes is marked `+required`.
fn has_required_word(query: &str) -> bool {
    query.split('"').step_by(2).any(|part| {
        let mut previous = ' ';
        part.chars().any(|c| {
            let required = c == '+' && (previous.is_whitespace() || previous == '(');
            previous = c;
            required
        })
    })
}

/// tantivy's grammar reads `'` as a quote, so `children's` would be a syntax error. An
/// apostrophe between two letters or digits is part of a word: escape it (curly ones too).
fn escape_apostrophes(query: &str) -> String {
    let chars: Vec<char> = query.chars().collect();
    let mut out = String::with_capacity(query.len() + 4);
    let mut in_phrase = false;
    for (i, &c) in chars.iter().enumerate() {
        let between_word_chars = i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        if c == '"' {
            in_phrase = !in_phrase;
        }
        if (c == '\'' || c == '’') && between_word_chars {
            // Inside a phrase the text goes to the analyser as is; outside, escape it.
            if in_phrase {
                out.push('\'');
            } else {
                out.push_str("\\'");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// tantivy reads `a AND NOT b` as `a AND (NOT b)`, and a clause made only of an exclusion
/// matches nothing, so the whole query would find nothing. Users mean `a NOT b`, which tantivy
/// reads as "a, excluding b": rewrite it outside quoted phrases.
fn and_not_as_not(query: &str) -> String {
    static AND_NOT: once_cell::sync::Lazy<regex::Regex> =
        once_cell::sync::Lazy::new(|| regex::Regex::new(r"\bAND\s+NOT\b").expect("valid regex"));
    query
        .split('"')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                AND_NOT.replace_all(part, "NOT").into_owned()
            } else {
                part.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\"")
}

fn explain_query_error(query: &str, err: &tantivy::query::QueryParserError) -> String {
    use tantivy::query::QueryParserError as E;
    match err {
        E::SyntaxError(detail) => diagnose_syntax(query).unwrap_or_else(|| format!(
            "syntax error ({detail}); check quotes and parentheses are balanced, e.g. '\"information sharing\" AND police'"
        )),
        E::FieldDoesNotExist(field) => format!(
            "there is no field `{field}`; searchable fields are text, title, region, type, report, section, theme, year"
        ),
        E::AllButQueryForbidden => {
            "a query cannot consist only of excluded terms (-word or NOT word); add a word to search for".into()
        }
        other => other.to_string(),
    }
}

/// Names the usual cause of a syntax error, when it is one of the usual ones.
fn diagnose_syntax(query: &str) -> Option<String> {
    static EMPTY_FIELD: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"(?:^|[\s(+-])([A-Za-z_]+):(?:\s|\)|$)").expect("valid regex"));
    static BARE_BOOST: Lazy<Regex> =
        Lazy::new(|| Regex::new(r"\^(?:[^0-9.]|$)").expect("valid regex"));
    if query.matches('"').count() % 2 == 1 {
        return Some("a quote is not closed: phrases need a closing \"".into());
    }
    let outside: String = query.split('"').step_by(2).collect();
    let depth = outside.chars().try_fold(0i32, |depth, c| {
        let depth = depth + i32::from(c == '(') - i32::from(c == ')');
        (depth >= 0).then_some(depth)
    });
    if depth != Some(0) {
        return Some("parentheses are not balanced: each ( needs a )".into());
    }
    if let Some(field) = EMPTY_FIELD.captures(&outside) {
        let field = &field[1];
        return Some(format!("`{field}:` needs a value, e.g. {}", example(field)));
    }
    if BARE_BOOST.is_match(&outside) {
        return Some("`^` needs a boost number after it, e.g. vetting^2".into());
    }
    let words: Vec<&str> = outside.split_whitespace().collect();
    let leading = words.first().filter(|w| matches!(**w, "AND" | "OR"));
    let trailing = words.last().filter(|w| matches!(**w, "AND" | "OR" | "NOT"));
    if let Some(op) = leading.or(trailing) {
        return Some(format!(
            "`{op}` needs a word on each side, e.g. vetting {op} police"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_key_field_values_are_canonicalised_or_rejected() {
        let ids = vec!["vetting-recruitment".to_string()];
        let resolve = |q: &str| resolve_field_values(q, Some(&ids));
        assert_eq!(
            resolve("vetting region:\"south west\"^2").unwrap(),
            "vetting region:\"South West\"^2"
        );
        assert_eq!(
            resolve("(region:kss OR theme:vetting-recruitment)").unwrap(),
            "(region:\"Kent, Surrey and Sussex\" OR theme:\"vetting-recruitment\")"
        );
        // Inside a phrase a colon is text, and a grouped value is left to the parser.
        assert_eq!(resolve("\"theme:bogus\"").unwrap(), "\"theme:bogus\"");
        assert_eq!(
            resolve("theme:(vetting-recruitment)").unwrap(),
            "theme:(vetting-recruitment)"
        );
        assert!(resolve("theme:bogus")
            .unwrap_err()
            .contains("vetting-recruitment"));
        assert!(resolve("type:").unwrap_err().contains("needs a value"));
    }

    #[test]
    fn test_and_not_becomes_not_outside_phrases() {
        assert_eq!(
            and_not_as_not("vetting AND NOT police"),
            "vetting NOT police"
        );
        assert_eq!(
            and_not_as_not("\"staff AND NOT x\" AND NOT police"),
            "\"staff AND NOT x\" NOT police"
        );
        assert_eq!(and_not_as_not("BRAND NOTE"), "BRAND NOTE");
    }

    #[test]
    fn test_apostrophes_inside_words_are_escaped() {
        assert_eq!(escape_apostrophes("children's"), "children\\'s");
        assert_eq!(
            escape_apostrophes("\"children’s services\""),
            "\"children's services\""
        );
        assert_eq!(escape_apostrophes("'quoted'"), "'quoted'");
    }
}
