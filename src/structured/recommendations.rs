//! Recommendations: the items under a recommendations heading, with their addressee taken from
//! the heading or from a lead-in line ("The PDU should:"), hard-wrapped lines joined.

use once_cell::sync::Lazy;
use regex::Regex;
use serde::{Deserialize, Serialize};

use super::helpers::*;
use super::Problem;

/// Who a recommendation is addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Addressee {
    /// A probation delivery unit.
    Pdu,
    /// A probation region (its director).
    Region,
    /// HM Prison and Probation Service nationally.
    Hmpps,
    /// Anyone else, or an addressee the text does not state.
    Other,
}

impl Addressee {
    /// The lowercase name used in JSON, CSV and `--addressee`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Addressee::Pdu => "pdu",
            Addressee::Region => "region",
            Addressee::Hmpps => "hmpps",
            Addressee::Other => "other",
        }
    }
}

/// One recommendation as written in the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recommendation {
    /// Who it is addressed to.
    pub addressee: Addressee,
    /// The addressee's name: the PDU ("Manchester North"), the region ("Greater Manchester
    /// Region", or the report's own region, from its metadata, for "Regional recommendations"),
    /// or "HMPPS"; `None` when neither the text nor the metadata says.
    pub addressee_name: Option<String>,
    /// The item's number ("3." → 3), `None` for a bullet without a number.
    pub number: Option<u32>,
    /// The recommendation text, whitespace-normalised, wrapped lines joined, marker removed.
    pub text: String,
    /// Byte offset where the recommendation text starts (after its bullet/number marker).
    pub start: usize,
    /// Byte offset (exclusive) where it ends, after any continuation lines.
    pub end: usize,
    /// The heading it came under: the lead-in line ("The PDU should:") when there is one,
    /// otherwise the cleaned section heading ("HMPPS recommendations").
    pub heading: String,
}

static ITEM: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^\s*(?:([-•*▪·●◦–])\s+)?(?:\(?(\d{1,2})[.)]\s+)?").expect("static regex")
});
static LEAD_IN: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)^\s*(.{1,80}?)\s+should\s*:\s*$").expect("static regex"));

/// A list item: (number, byte offset of the text within the line), when the line has a bullet
/// and/or a number marker followed by text.
fn item_marker(line: &str) -> Option<(Option<u32>, usize)> {
    let c = ITEM.captures(line)?;
    if c.get(1).is_none() && c.get(2).is_none() {
        return None;
    }
    let end = c.get(0)?.end();
    if line[end..].trim().is_empty() {
        return None;
    }
    let number = c.get(2).and_then(|m| m.as_str().parse().ok());
    Some((number, end))
}

/// A heading that opens a recommendations block: short, mentions "recommendation(s)", not a
/// sentence ("Our recommendations … are set out in Annexe one." is prose).
fn is_recs_heading(t: &str) -> bool {
    // The cheap test first: most lines are prose, not headings.
    if !is_heading_like(t) {
        return false;
    }
    let c = clean_heading(t);
    let lower = c.to_lowercase();
    !more_words_than(&c, 8)
        && lower
            .split(|ch: char| !ch.is_alphanumeric())
            .any(|w| w == "recommendations" || w == "recommendation")
}

/// Addressee implied by a web-layout heading ("HMPPS recommendations", "Regional recommendations").
/// `None` means the heading names nobody ("Annexe one – Recommendations") and lead-ins will.
fn addressee_from_heading(
    heading: &str,
    region: Option<&str>,
) -> Option<(Addressee, Option<String>)> {
    let lower = heading.to_lowercase();
    if lower.contains("hmpps") || lower.contains("prison and probation service") {
        Some((Addressee::Hmpps, Some("HMPPS".into())))
    } else if lower.contains("region") {
        Some((Addressee::Region, region.map(str::to_string)))
    } else if lower.contains("pdu") || lower.contains("probation delivery unit") {
        Some((Addressee::Pdu, None))
    } else if lower.contains("annex") || lower.contains("appendix") || lower == "recommendations" {
        None
    } else {
        let name = collapse_ws(
            &heading
                .replace("recommendations", "")
                .replace("Recommendations", ""),
        );
        Some((Addressee::Other, (!name.is_empty()).then_some(name)))
    }
}

/// Addressee named by a lead-in subject ("The PDU", "Greater Manchester region",
/// "HM Prison and Probation Service").
fn addressee_from_subject(subject: &str, pdu: Option<&str>) -> (Addressee, Option<String>) {
    let lower = subject.to_lowercase();
    if lower.contains("prison and probation service") || lower.contains("hmpps") {
        (Addressee::Hmpps, Some("HMPPS".into()))
    } else if lower.contains("pdu") || lower.contains("probation delivery unit") {
        let own = strip_pdu(subject);
        // "The PDU should:" names no PDU itself: it is the one of the sub-heading above.
        let own = if own.eq_ignore_ascii_case("the") || own.eq_ignore_ascii_case("this") {
            ""
        } else {
            own.as_str()
        };
        let name = if own.is_empty() {
            pdu.map(str::to_string)
        } else {
            Some(own.to_string())
        };
        (Addressee::Pdu, name)
    } else if lower.contains("region") {
        // "Greater Manchester region" and "… Region" are the same addressee: one spelling.
        let mut name = subject.trim().to_string();
        if name.ends_with(" region") {
            name.truncate(name.len() - " region".len());
            name.push_str(" Region");
        }
        (Addressee::Region, Some(name))
    } else {
        (Addressee::Other, Some(subject.trim().to_string()))
    }
}

/// A sub-heading naming a PDU inside a recommendations block ("Tameside PDU").
fn pdu_subheading(t: &str) -> Option<String> {
    let c = clean_heading(t);
    let lower = c.to_lowercase();
    (lower.ends_with(" pdu") || lower.ends_with(" probation delivery unit"))
        .then(|| strip_pdu(&c))
        .filter(|n| !n.is_empty())
}

struct RecBlock {
    heading_line: usize,
    items: usize,
}

struct LeadIn {
    line: usize,
    addressee: Addressee,
    name: Option<String>,
    heading: String,
    items: usize,
    /// Report a problem when no item follows (true for "X should:" lead-ins).
    check_empty: bool,
}

pub(super) fn recommendations(
    lines: &[Line],
    region: Option<&str>,
    problems: &mut Vec<Problem>,
) -> Vec<Recommendation> {
    let mut recs: Vec<Recommendation> = Vec::new();
    let mut block: Option<RecBlock> = None;
    let mut lead: Option<LeadIn> = None;
    let mut pdu: Option<String> = None;
    // The item that an unmarked line may continue (cleared by anything that is not text).
    let mut open: Option<usize> = None;
    // Pieces of text of the open item, joined when it closes.
    let mut pieces: Vec<&str> = Vec::new();

    fn close_item(recs: &mut [Recommendation], open: &mut Option<usize>, pieces: &mut Vec<&str>) {
        if let Some(i) = open.take() {
            recs[i].text = collapse_ws(&pieces.join(" "));
        }
        pieces.clear();
    }
    fn close_lead(lead: &mut Option<LeadIn>, problems: &mut Vec<Problem>) {
        if let Some(l) = lead.take() {
            if l.items == 0 && l.check_empty {
                problems.push(Problem {
                    line: l.line,
                    what: format!("lead-in '{}' with no recommendations under it", l.heading),
                    expected: "bulleted or numbered recommendations after the lead-in".into(),
                });
            }
        }
    }
    fn close_block(block: &mut Option<RecBlock>, problems: &mut Vec<Problem>) {
        if let Some(b) = block.take() {
            if b.items == 0 {
                problems.push(Problem {
                    line: b.heading_line,
                    what: "recommendations heading with no recommendations under it".into(),
                    expected: "bulleted or numbered recommendations after the heading".into(),
                });
            }
        }
    }

    let mut block_heading = String::new();
    // Whether a blank line separates this line from the previous one.
    let mut gap = false;
    for line in lines {
        let t = line.text.trim();
        if t.is_empty() {
            gap = true;
            continue;
        }
        let blank_before = std::mem::replace(&mut gap, false);
        if is_recs_heading(t) {
            close_item(&mut recs, &mut open, &mut pieces);
            close_lead(&mut lead, problems);
            close_block(&mut block, problems);
            block = Some(RecBlock {
                heading_line: line.no,
                items: 0,
            });
            block_heading = clean_heading(t);
            pdu = None;
            lead = addressee_from_heading(&block_heading, region).map(|(a, n)| LeadIn {
                line: line.no,
                addressee: a,
                name: n,
                heading: block_heading.clone(),
                items: 0,
                // The heading itself is checked by its block; don't report it twice.
                check_empty: false,
            });
            continue;
        }
        let Some(b) = block.as_mut() else { continue };
        // Bare page numbers of PDF extractions sit between items; they are furniture.
        if t.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        if let Some(c) = LEAD_IN.captures(t) {
            close_item(&mut recs, &mut open, &mut pieces);
            close_lead(&mut lead, problems);
            let (addressee, name) = addressee_from_subject(&c[1], pdu.as_deref());
            lead = Some(LeadIn {
                line: line.no,
                addressee,
                name,
                heading: collapse_ws(t),
                items: 0,
                check_empty: true,
            });
            continue;
        }
        if let Some((number, off)) = item_marker(line.text) {
            close_item(&mut recs, &mut open, &mut pieces);
            let body = &line.text[off..];
            let body_trim = body.trim_end();
            let start = line.start + off;
            let (addressee, name, heading) = match &mut lead {
                Some(l) => {
                    l.items += 1;
                    (l.addressee.clone(), l.name.clone(), l.heading.clone())
                }
                None => (Addressee::Other, None, block_heading.clone()),
            };
            b.items += 1;
            recs.push(Recommendation {
                addressee,
                addressee_name: name,
                number,
                text: String::new(),
                start,
                end: start + body_trim.len(),
                heading,
            });
            open = Some(recs.len() - 1);
            pieces.push(body_trim);
            continue;
        }
        if is_marked_heading(t) {
            close_item(&mut recs, &mut open, &mut pieces);
            close_lead(&mut lead, problems);
            close_block(&mut block, problems);
            continue;
        }
        // An unmarked text line continues the open item when it starts lowercase (hard-wrapped
        // PDF text, even across a page break), or when the item is unfinished and no blank line
        // intervened. A PDU sub-heading never continues anything: items often lack a full stop.
        if let Some(i) = open.filter(|_| pdu_subheading(t).is_none()) {
            let prev = pieces.last().copied().unwrap_or("");
            if starts_lowercase(t) || (!ends_sentence(prev) && !blank_before) {
                pieces.push(t);
                let lead_ws = line.text.len() - line.text.trim_start().len();
                recs[i].end = line.start + lead_ws + t.len();
                continue;
            }
        }
        if is_heading_like(t) {
            close_item(&mut recs, &mut open, &mut pieces);
            if let Some(name) = pdu_subheading(t) {
                close_lead(&mut lead, problems);
                pdu = Some(name);
                continue;
            }
            close_lead(&mut lead, problems);
            close_block(&mut block, problems);
            continue;
        }
        // A sentence line under an addressee with no list marker: web text whose <li> markers
        // were lost. It is an item of the current list.
        if let Some(l) = lead.as_mut().filter(|_| more_words_than(t, 3)) {
            close_item(&mut recs, &mut open, &mut pieces);
            l.items += 1;
            b.items += 1;
            let lead_ws = line.text.len() - line.text.trim_start().len();
            let start = line.start + lead_ws;
            recs.push(Recommendation {
                addressee: l.addressee.clone(),
                addressee_name: l.name.clone(),
                number: None,
                text: String::new(),
                start,
                end: start + t.len(),
                heading: l.heading.clone(),
            });
            open = Some(recs.len() - 1);
            pieces.push(t);
            continue;
        }
        close_item(&mut recs, &mut open, &mut pieces);
        close_lead(&mut lead, problems);
        close_block(&mut block, problems);
    }
    close_item(&mut recs, &mut open, &mut pieces);
    close_lead(&mut lead, problems);
    close_block(&mut block, problems);
    recs
}
