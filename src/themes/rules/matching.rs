//! Evaluating compiled rules over a [`SentenceView`]: the spans `(start, end)` of token
//! positions where a [`Node`] matches, built bottom-up (no backtracking) and capped at
//! [`MAX_SPANS`] per node; and the terms a node needs, which the prefilter files rules under.

use crate::analysis::UNKNOWN_TERM;

use super::{Node, SentenceView, TermPat};

/// Most spans kept per node while matching one sentence; more are dropped (a safety valve
/// for pathological rules, never reached by ordinary ones).
const MAX_SPANS: usize = 1024;

pub(crate) type Spans = Vec<(u32, u32)>;

/// Whether `node` matches anywhere in the sentence: what `!eval(..).is_empty()` says, without
/// building the spans for the common shapes (a term, a phrase of terms, alternatives).
pub(super) fn occurs(node: &Node, s: &SentenceView<'_>) -> bool {
    match node {
        Node::Term(TermPat::Exact { id, .. }) => s.has_term_id(*id),
        Node::Term(TermPat::Number) => !s.buf.numbers.is_empty(),
        Node::Alt(alts) => alts.iter().any(|a| occurs(a, s)),
        Node::Optional(inner) => occurs(inner, s),
        Node::Seq(items)
            if items
                .iter()
                .all(|i| matches!(i, Node::Term(TermPat::Exact { .. }))) =>
        {
            let mut ids = items.iter().map(|i| match i {
                Node::Term(TermPat::Exact { id, .. }) => *id,
                _ => UNKNOWN_TERM,
            });
            let Some(first) = ids.next() else {
                return false;
            };
            s.positions(first).any(|p| {
                ids.clone()
                    .enumerate()
                    .all(|(k, id)| s.buf.ids.get(p as usize + 1 + k) == Some(&id))
            })
        }
        _ => {
            let mut spans = s.spare_spans();
            eval(node, s, &mut spans);
            let found = !spans.is_empty();
            s.recycle(spans);
            found
        }
    }
}

/// The spans where `node` matches, into `out` (cleared first).
pub(super) fn eval(node: &Node, s: &SentenceView<'_>, out: &mut Spans) {
    out.clear();
    match node {
        Node::Term(TermPat::Exact { id, .. }) => out.extend(s.positions(*id).map(|p| (p, p + 1))),
        Node::Term(TermPat::Prefix(t)) => out.extend(
            s.tokens
                .iter()
                .enumerate()
                .filter(|(_, x)| x.term.starts_with(t.as_str()))
                .map(|(i, _)| (i as u32, i as u32 + 1)),
        ),
        Node::Term(TermPat::Number) => out.extend(s.buf.numbers.iter().map(|&p| (p, p + 1))),
        Node::Seq(items) => {
            let mut next = s.spare_spans();
            let mut joined = s.spare_spans();
            for (k, item) in items.iter().enumerate() {
                if let Node::Optional(inner) = item {
                    // Either skip the group or take it.
                    eval(inner, s, &mut next);
                    join(out, &mut next, &mut joined);
                    out.extend_from_slice(&joined);
                    normalise(out);
                    continue;
                }
                eval(item, s, &mut next);
                if k == 0 {
                    std::mem::swap(out, &mut next);
                } else {
                    join(out, &mut next, &mut joined);
                    std::mem::swap(out, &mut joined);
                }
                if out.is_empty() {
                    break;
                }
            }
            s.recycle(next);
            s.recycle(joined);
        }
        Node::Alt(alts) => {
            let mut part = s.spare_spans();
            for a in alts {
                eval(a, s, &mut part);
                out.extend_from_slice(&part);
                if out.len() > MAX_SPANS {
                    break;
                }
            }
            s.recycle(part);
            normalise(out);
        }
        Node::Near(l, r, w) => {
            let mut left = s.spare_spans();
            eval(l, s, &mut left);
            if !left.is_empty() {
                let mut right = s.spare_spans();
                eval(r, s, &mut right);
                'outer: for &(a0, a1) in &left {
                    for &(b0, b1) in &right {
                        let gap = if a1 <= b0 {
                            b0 - a1
                        } else if b1 <= a0 {
                            a0 - b1
                        } else {
                            continue; // overlapping parts do not count as two parts
                        };
                        if gap <= *w {
                            out.push((a0.min(b0), a1.max(b1)));
                            if out.len() > MAX_SPANS {
                                break 'outer;
                            }
                        }
                    }
                }
                s.recycle(right);
                normalise(out);
            }
            s.recycle(left);
        }
        Node::Optional(inner) => eval(inner, s, out),
        Node::Asserted(inner) => {
            eval(inner, s, out);
            out.retain(|&(a, _)| !s.is_negated(a as usize));
        }
    }
}

/// Adds to `out` sets of term ids such that `node` can only match a sentence containing at
/// least one term of each set (see [`super::Rule::may_match`]).
pub(super) fn required_terms(node: &Node, out: &mut Vec<Vec<u32>>, weight: &dyn Fn(&[u32]) -> u64) {
    match node {
        Node::Term(TermPat::Exact { id, .. }) => out.push(vec![*id]),
        Node::Term(_) | Node::Optional(_) => {}
        // Every part of a phrase or a NEAR must match.
        Node::Seq(items) => items.iter().for_each(|i| required_terms(i, out, weight)),
        Node::Near(l, r, _) => {
            required_terms(l, out, weight);
            required_terms(r, out, weight);
        }
        Node::Asserted(inner) => required_terms(inner, out, weight),
        // Some alternative must match, so one required set of each, together, is required.
        Node::Alt(alts) => {
            let mut union = Vec::new();
            for a in alts {
                let mut sets = Vec::new();
                required_terms(a, &mut sets, weight);
                let Some(lightest) = sets.into_iter().min_by_key(|set| weight(set)) else {
                    return;
                };
                union.extend(lightest);
            }
            union.sort_unstable();
            union.dedup();
            out.push(union);
        }
    }
}

/// Adds the ids of every exact term of `node` to `out`.
pub(super) fn exact_terms(node: &Node, out: &mut Vec<u32>) {
    match node {
        Node::Term(TermPat::Exact { id, .. }) => out.push(*id),
        Node::Term(_) => {}
        Node::Seq(items) | Node::Alt(items) => items.iter().for_each(|i| exact_terms(i, out)),
        Node::Near(l, r, _) => {
            exact_terms(l, out);
            exact_terms(r, out);
        }
        Node::Asserted(inner) | Node::Optional(inner) => exact_terms(inner, out),
    }
}

/// Concatenate: spans of `left` immediately followed by spans of `right`, into `out`.
fn join(left: &Spans, right: &mut Spans, out: &mut Spans) {
    out.clear();
    right.sort_unstable();
    for &(a0, a1) in left {
        let i = right.partition_point(|&(b0, _)| b0 < a1);
        for &(b0, b1) in &right[i..] {
            if b0 != a1 {
                break;
            }
            out.push((a0, b1));
        }
        if out.len() > MAX_SPANS {
            break;
        }
    }
    normalise(out);
}

fn normalise(v: &mut Spans) {
    v.sort_unstable();
    v.dedup();
    v.truncate(MAX_SPANS);
}
