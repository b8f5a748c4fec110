//! Report type: letter, news article, press release, or which kind of inspection report, from
//! cues in the lead, the title and (weakly) the file name.

use once_cell::sync::Lazy;
use regex::Regex;

use super::doc::Doc;
use super::Gazetteer;
use super::{extract_title, re};

pub(super) static RE_DEAR: Lazy<Regex> = Lazy::new(|| re(r"^Dear\s+\S"));
pub(super) static RE_LETTER_CUE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?im)^(?:to|cc)\s*:|yours (?:sincerely|faithfully)|kind regards|best wishes|review letter|^our ref|^your ref",
    )
});
pub(super) static RE_NEWS_STRONG: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)follow bbc|bbc\.co\.uk|bbc\.com|\bbbc news\b|told the bbc|told bbc|send (?:your )?story ideas",
    )
});
pub(super) static RE_NEWS_LINE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^(?:[-•*]\s*)?published\s*$|^image (?:source|caption)|^media caption|^(?:by|words by) [A-Z][a-z]+(?: [A-Z][a-z'\-]+){1,3}$|^(?:bbc )?[a-z ]*correspondent$|^follow .* on (?:facebook|twitter|x|instagram)",
    )
});
pub(super) static RE_PRESS_STRONG: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)^notes? to editors|^editor'?s'? notes?\b|press office|media enquiries|\bas (?:she|he|they) published\b|^ends$",
    )
});
/// "Press release" as a page's own label, only at its very top (a report's web page may have a
/// "Press release" section linking to one).
pub(super) static RE_PRESS_LABEL: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)^(?:news|press) release\b|^for immediate release\b|^embargoed\b"));
pub(super) static RE_CHIEF_QUOTE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?:said|says|added)\s+(?:(?:Dame|Sir|Mr|Mrs|Ms|Dr)\s+)?[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+){0,3},\s+(?:HM\s+|His Majesty's\s+|Her Majesty's\s+)?Chief Inspector of Probation|Chief Inspector of Probation,?\s+(?:(?:Dame|Sir|Mr|Mrs|Ms|Dr)\s+)?[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+){0,3},?\s+(?:said|says)",
    )
});
pub(super) static RE_REPRINT_FURNITURE: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)please enter your (?:comment|name)|leave a reply|post a comment"));
pub(super) static RE_DYNAMIC: Lazy<Regex> = Lazy::new(|| re(r"(?i)\bdynamic inspection"));
pub(super) static RE_ANNUAL_TITLE: Lazy<Regex> = Lazy::new(|| re(r"(?i)\bannual report\b"));
pub(super) static RE_ANNUAL_LEAD: Lazy<Regex> = Lazy::new(|| {
    re(r"(?i)\b(?:this|my|our) annual report\b|annual report of (?:the )?(?:hm )?chief inspector")
});
pub(super) static RE_THEMATIC: Lazy<Regex> = Lazy::new(|| re(r"(?i)\bthematic\b"));
pub(super) static RE_THEMATIC_LEAD: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)\b(?:this|a|an|our) thematic (?:inspection|review)\b|\bthis thematic\b"));
pub(super) static RE_PDU: Lazy<Regex> = Lazy::new(|| re(r"(?i)probation delivery unit|\bPDU\b"));
pub(super) static RE_PDU_LEAD: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\b(?:this|an|the|our) inspection of (?:the )?[\w ,'&]{2,60}?\b(?:probation delivery unit|PDU)\b|\bPDU inspection\b",
    )
});
pub(super) static RE_REGIONAL: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\bregional inspection\b|\binspection of (?:the )?(?:probation services|probation service|the probation service) (?:in|across)\b|\bregion\b",
    )
});
pub(super) static RE_REGIONAL_LEAD: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\b(?:this|a|an|our) regional inspection\b|\binspection of probation services (?:in|across) (?:the )?[\w ,'&]+ region\b",
    )
});
pub(super) static RE_INSPECTION_OF_IN: Lazy<Regex> =
    Lazy::new(|| re(r"(?i)inspection of probation services? in:?\s*(.+)$"));

pub(super) fn is_letter(doc: &Doc) -> bool {
    let dear = doc.head_lines().any(|(_, l)| RE_DEAR.is_match(l));
    dear && doc.has(&RE_LETTER_CUE)
}

pub(super) fn news_score(doc: &Doc) -> u32 {
    let mut score = 0;
    if doc.has(&RE_NEWS_STRONG) {
        score += 2;
    }
    if doc.related_cut < doc.text.len() {
        score += 1;
    }
    let line_cues = doc
        .lines
        .iter()
        .filter(|(_, l)| RE_NEWS_LINE.is_match(l))
        .take(3)
        .count() as u32;
    score + line_cues
}

pub(super) fn press_score(doc: &Doc) -> u32 {
    let lead = doc.lead();
    let mut score = 0;
    if doc.body_lines().any(|(_, l)| RE_PRESS_STRONG.is_match(l))
        || doc
            .lines
            .iter()
            .take(5)
            .any(|(_, l)| RE_PRESS_LABEL.is_match(l))
    {
        score += 2;
    }
    if RE_CHIEF_QUOTE.is_match(&lead) {
        score += 2;
    }
    if doc.has(&RE_REPRINT_FURNITURE) {
        score += 1;
    }
    score
}

/// Whole-document judgement of the report type; `None` only for empty text.
pub(super) fn infer_type(doc: &Doc, file_name: &str) -> Option<&'static str> {
    if doc.lines.is_empty() {
        return None;
    }
    // Structural kinds first: their furniture cannot be mistaken, while their words ("the
    // inspection of probation services in…") also appear in what they report on.
    if news_score(doc) >= 2 {
        return Some("news-article");
    }
    if is_letter(doc) {
        return Some("regional-letter");
    }
    if press_score(doc) >= 2 {
        return Some("press-release");
    }
    if let Some(title) = extract_title(doc.text) {
        if let Some(t) = type_from_title(&title) {
            return Some(t);
        }
    }
    let lead = doc.lead();
    if RE_DYNAMIC.is_match(&lead) {
        return Some("dynamic-inspection");
    }
    if RE_ANNUAL_LEAD.is_match(&lead) {
        return Some("annual-report");
    }
    if RE_THEMATIC_LEAD.is_match(&lead) {
        return Some("thematic-inspection");
    }
    if RE_PDU_LEAD.is_match(&lead) {
        return Some("pdu-inspection");
    }
    if RE_REGIONAL_LEAD.is_match(&lead) {
        return Some("regional-inspection");
    }
    Some(type_from_file_name(file_name).unwrap_or("other"))
}

pub(super) fn type_from_title(title: &str) -> Option<&'static str> {
    if RE_DYNAMIC.is_match(title) {
        return Some("dynamic-inspection");
    }
    if RE_ANNUAL_TITLE.is_match(title) {
        return Some("annual-report");
    }
    if RE_THEMATIC.is_match(title) {
        return Some("thematic-inspection");
    }
    if RE_PDU.is_match(title) {
        return Some("pdu-inspection");
    }
    // "An inspection of probation services in: <place>": a region name means a regional
    // inspection, anything else (a PDU's area) a PDU inspection.
    if let Some(c) = RE_INSPECTION_OF_IN.captures(title) {
        let place = c.get(1).map_or("", |m| m.as_str());
        let place = place.trim_end_matches(|c: char| !c.is_alphanumeric());
        return Some(if Gazetteer::embedded().canonical_region(place).is_some() {
            "regional-inspection"
        } else {
            "pdu-inspection"
        });
    }
    if RE_REGIONAL.is_match(title) && title.to_lowercase().contains("inspection") {
        return Some("regional-inspection");
    }
    None
}

pub(super) fn type_from_file_name(file_name: &str) -> Option<&'static str> {
    let f = file_name.to_ascii_lowercase();
    let has = |s: &str| f.contains(s);
    if has("press") {
        Some("press-release")
    } else if has("news") || has("bbc") {
        Some("news-article")
    } else if has("letter") {
        Some("regional-letter")
    } else if has("dynamic") {
        Some("dynamic-inspection")
    } else if has("annual") {
        Some("annual-report")
    } else if has("thematic") {
        Some("thematic-inspection")
    } else {
        None
    }
}
