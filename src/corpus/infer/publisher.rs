//! Publisher: HM Inspectorate of Probation or BBC News, when the text shows that authorship.

use once_cell::sync::Lazy;
use regex::Regex;

use super::doc::Doc;
use super::re;
use super::report_type::{RE_CHIEF_QUOTE, RE_DYNAMIC, RE_NEWS_STRONG};
use super::{BBC, HMIP};

pub(super) static RE_HMIP_NAME: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\b(?:hm|his majesty's|her majesty's|his majesty’s|her majesty’s) inspectorate of probation\b|\bhmi probation\b|hmiprobation",
    )
});
pub(super) static RE_HMIP_VOICE: Lazy<Regex> = Lazy::new(|| {
    re(
        r"(?i)\bwe inspected\b|\bthis inspection was led by\b|\bdynamic inspection\b|\bour inspection\b|\bwe found\b.{0,200}\binspect|\bhm inspector\b",
    )
});

pub(super) fn infer_publisher(doc: &Doc, report_type: Option<&str>) -> Option<&'static str> {
    if report_type == Some("news-article") {
        // A news page's publisher is the outlet; we only recognise the BBC.
        return doc.has(&RE_NEWS_STRONG).then_some(BBC);
    }
    let edges = doc
        .lines
        .iter()
        .take(15)
        .chain(doc.lines.iter().rev().take(15))
        .any(|(_, l)| RE_HMIP_NAME.is_match(l));
    let voice = doc.has(&RE_HMIP_VOICE) && doc.has(&RE_HMIP_NAME);
    let press = report_type == Some("press-release") && RE_CHIEF_QUOTE.is_match(doc.text);
    let dynamic = doc.has(&RE_DYNAMIC) && report_type == Some("dynamic-inspection");
    (edges || voice || press || dynamic).then_some(HMIP)
}
