//! The region gazetteer: which of the 12 probation regions a report is about.
//!
//! This module owns the *data* side of region inference: loading the gazetteer
//! (`data/gazetteer.toml`, embedded at compile time), normalising names the way writers vary
//! them, resolving a user-typed region name to its canonical form ([`Gazetteer::canonical_region`])
//! and scoring every mention in a document ([`Gazetteer::infer_region_with_title`]).
//!
//! Matching is one pass of one compiled regex (an alternation of every term, longest first), so
//! a document costs O(text) however big the gazetteer grows. The scoring rule is documented on
//! [`Gazetteer::infer_region_with_title`].

use std::collections::{BTreeSet, HashMap};
use std::fmt;

use once_cell::sync::Lazy;
use regex::Regex;
use serde::Deserialize;

/// The 12 canonical probation regions of England and Wales (June 2021 model), exactly as the
/// rest of themis spells them.
pub const REGIONS: [&str; 12] = [
    "North East",
    "North West",
    "Greater Manchester",
    "Yorkshire and the Humber",
    "East Midlands",
    "West Midlands",
    "East of England",
    "London",
    "Kent, Surrey and Sussex",
    "South Central",
    "South West",
    "Wales",
];

/// The gazetteer source embedded in the binary.
const EMBEDDED_TOML: &str = include_str!("../../data/gazetteer.toml");

/// Weight of a mention of the region's own name, a variant or an abbreviation.
const W_NAME: f64 = 5.0;
/// Weight of a probation delivery unit or a single-region legacy body.
const W_PDU: f64 = 4.0;
/// Weight of a police force, combined authority or other local public body.
const W_BODY: f64 = 3.0;
/// Weight of a local authority area, county or town.
const W_PLACE: f64 = 2.0;
/// Weight given to *each* region of a body spanning several regions: it counts against other
/// regions but can never separate its own regions from each other.
const W_SHARED: f64 = 1.0;
/// Mentions inside the first `LEAD_CHARS` characters (title, summary, opening paragraphs)
/// count this many times.
const LEAD_FACTOR: f64 = 2.0;
/// Mentions inside the title count this many times (when the title names no region outright).
const TITLE_FACTOR: f64 = 4.0;
const LEAD_CHARS: usize = 3000;
/// One term repeated endlessly (a running header, a table column) stops adding after this many
/// mentions, so breadth of evidence beats repetition.
const MAX_MENTIONS_PER_TERM: usize = 8;
/// The winner needs at least this score (one mention of the region's name in the lead, two of
/// it elsewhere, or a few local names)...
const MIN_SCORE: f64 = 8.0;
/// ...and at least this multiple of the runner-up's.
const LEAD_RATIO: f64 = 2.0;

/// Why a gazetteer could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GazetteerError {
    /// The TOML did not parse or did not have the expected shape.
    Toml(String),
    /// An entry names a region that is not one of [`REGIONS`].
    UnknownRegion {
        /// The entry (region table or shared body) that names it.
        entry: String,
        /// The unknown region name.
        region: String,
    },
    /// The term matcher could not be built (for example, it grew past the regex size limit).
    Matcher(String),
}

impl fmt::Display for GazetteerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GazetteerError::Toml(e) => write!(f, "gazetteer TOML: {e}"),
            GazetteerError::UnknownRegion { entry, region } => write!(
                f,
                "gazetteer entry {entry:?} names {region:?}, which is not one of the 12 canonical regions"
            ),
            GazetteerError::Matcher(e) => write!(f, "gazetteer matcher: {e}"),
        }
    }
}

impl std::error::Error for GazetteerError {}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGazetteer {
    #[serde(default)]
    ignore: RawIgnore,
    #[serde(default)]
    region: Vec<RawRegion>,
    #[serde(default)]
    shared: Vec<RawShared>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    #[serde(default)]
    phrases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRegion {
    name: String,
    #[serde(default)]
    variants: Vec<String>,
    #[serde(default)]
    abbreviations: Vec<String>,
    #[serde(default)]
    pdus: Vec<String>,
    #[serde(default)]
    legacy: Vec<String>,
    #[serde(default)]
    bodies: Vec<String>,
    #[serde(default)]
    places: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawShared {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    regions: Vec<String>,
}

/// What kind of evidence a term is; decides its weight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Consumed by the matcher but worth nothing ("England and Wales").
    Ignore,
    Place,
    Body,
    Pdu,
    /// The region's name, a variant or an abbreviation.
    Name,
}

impl Kind {
    fn weight(self) -> f64 {
        match self {
            Kind::Ignore => 0.0,
            Kind::Place => W_PLACE,
            Kind::Body => W_BODY,
            Kind::Pdu => W_PDU,
            Kind::Name => W_NAME,
        }
    }
}

/// One matchable term: the regions it points to (indices into [`REGIONS`]) and its kind.
#[derive(Debug, Clone)]
struct Term {
    regions: Vec<usize>,
    kind: Kind,
}

/// A loaded gazetteer: every term compiled into one matcher, plus the lookup used to normalise
/// user-typed region names.
#[derive(Debug)]
pub struct Gazetteer {
    /// Leftmost-first alternation of every term, longest first, so the most specific term at a
    /// position wins ("Manchester Civil Justice Centre" before "Manchester").
    matcher: Option<Regex>,
    /// `term_key(term)` → term.
    terms: HashMap<String, Term>,
    /// `canon_key(name)` → region index, for region names, variants and abbreviations only.
    canon: HashMap<String, usize>,
    /// Number of distinct matchable terms (for reporting).
    term_count: usize,
}

static EMBEDDED: Lazy<Gazetteer> = Lazy::new(|| match Gazetteer::from_toml_str(EMBEDDED_TOML) {
    Ok(g) => g,
    // The embedded data is tested (`test_embedded_gazetteer_parses`); should it ever be broken,
    // an empty gazetteer (every region unknown) is better than a panic in the middle of a run.
    Err(_) => Gazetteer::empty(),
});

fn region_index(name: &str) -> Option<usize> {
    REGIONS.iter().position(|r| *r == name)
}

impl Gazetteer {
    fn empty() -> Gazetteer {
        Gazetteer {
            matcher: None,
            terms: HashMap::new(),
            canon: HashMap::new(),
            term_count: 0,
        }
    }

    /// The embedded gazetteer (`data/gazetteer.toml`), parsed once on first use.
    pub fn embedded() -> &'static Gazetteer {
        &EMBEDDED
    }

    /// Number of distinct matchable terms (names, variants, PDUs, bodies, places, shared
    /// bodies and ignore phrases) after normalisation.
    pub fn term_count(&self) -> usize {
        self.term_count
    }

    /// Parses a gazetteer in the format of `data/gazetteer.toml` (see the comment at its top).
    /// Every region table and every shared body must name canonical regions ([`REGIONS`]).
    /// A term listed under two different regions is treated as a shared body of both.
    pub fn from_toml_str(src: &str) -> Result<Gazetteer, GazetteerError> {
        let raw: RawGazetteer =
            toml::from_str(src).map_err(|e| GazetteerError::Toml(e.to_string()))?;
        let mut terms: HashMap<String, Term> = HashMap::new();
        // The regex fragment for each key (built from the first spelling seen).
        let mut fragments: HashMap<String, String> = HashMap::new();
        let mut canon: HashMap<String, usize> = HashMap::new();

        let mut add = |spelling: &str, regions: &[usize], kind: Kind| {
            let norm = normalize_term(spelling);
            let key = term_key(&norm);
            if key.is_empty() {
                return;
            }
            fragments
                .entry(key.clone())
                .or_insert_with(|| term_pattern(&norm));
            match terms.get_mut(&key) {
                None => {
                    terms.insert(
                        key,
                        Term {
                            regions: regions.to_vec(),
                            kind,
                        },
                    );
                }
                Some(t) => {
                    if kind == Kind::Ignore || t.kind == Kind::Ignore {
                        // An explicit ignore phrase always wins: it is listed because it misleads.
                        t.kind = Kind::Ignore;
                        t.regions.clear();
                    } else {
                        let set: BTreeSet<usize> =
                            t.regions.iter().chain(regions.iter()).copied().collect();
                        t.regions = set.into_iter().collect();
                        t.kind = t.kind.max(kind);
                    }
                }
            }
        };

        for phrase in &raw.ignore.phrases {
            add(phrase, &[], Kind::Ignore);
        }
        for r in &raw.region {
            let idx = region_index(&r.name).ok_or_else(|| GazetteerError::UnknownRegion {
                entry: r.name.clone(),
                region: r.name.clone(),
            })?;
            let one = [idx];
            // A region named after a city ("London") lists its bare name under `places`: the
            // city is named in national reports far more often than the probation region.
            let bare_kind = if r.places.contains(&r.name) {
                Kind::Place
            } else {
                Kind::Name
            };
            add(&r.name, &one, bare_kind);
            canon.insert(canon_key(&r.name), idx);
            for v in r.variants.iter().chain(r.abbreviations.iter()) {
                if *v != r.name {
                    add(v, &one, Kind::Name);
                }
                canon.insert(canon_key(v), idx);
            }
            for p in &r.pdus {
                add(p, &one, Kind::Pdu);
            }
            for l in &r.legacy {
                add(l, &one, Kind::Pdu);
            }
            for b in &r.bodies {
                add(b, &one, Kind::Body);
            }
            for p in r.places.iter().filter(|p| **p != r.name) {
                add(p, &one, Kind::Place);
            }
        }
        for s in &raw.shared {
            let mut idxs = Vec::new();
            for name in &s.regions {
                idxs.push(
                    region_index(name).ok_or_else(|| GazetteerError::UnknownRegion {
                        entry: s.name.clone(),
                        region: name.clone(),
                    })?,
                );
            }
            for a in s.aliases.iter().chain(std::iter::once(&s.name)) {
                add(a, &idxs, Kind::Place);
            }
        }
        // Canonical names always resolve, even if the TOML forgot a region table.
        for (i, r) in REGIONS.iter().enumerate() {
            canon.entry(canon_key(r)).or_insert(i);
        }

        let mut keys: Vec<&String> = terms.keys().collect();
        // Longest first: leftmost-first alternation then prefers the most specific term.
        keys.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        let alternation: Vec<&str> = keys
            .iter()
            .filter_map(|k| fragments.get(*k).map(String::as_str))
            .collect();
        let matcher = if alternation.is_empty() {
            None
        } else {
            let pattern = format!("(?:{})", alternation.join("|"));
            Some(
                regex::RegexBuilder::new(&pattern)
                    .size_limit(64 << 20)
                    .dfa_size_limit(64 << 20)
                    .build()
                    .map_err(|e| GazetteerError::Matcher(e.to_string()))?,
            )
        };
        let term_count = terms.len();
        Ok(Gazetteer {
            matcher,
            terms,
            canon,
            term_count,
        })
    }

    /// Canonical region for a user-typed region name, variant or abbreviation ("south west",
    /// "KSS", "Yorkshire & the Humber", "the North East", "greater manchester", "Wales region").
    /// Case, punctuation, "&"/"and" and a leading "the" or trailing "region" do not matter.
    /// PDUs and towns are deliberately not resolved here: this is for the `--region` filter.
    pub fn canonical_region(&self, name: &str) -> Option<&'static str> {
        let key = canon_key(name);
        if key.is_empty() {
            return None;
        }
        if let Some(&i) = self.canon.get(&key) {
            return Some(REGIONS[i]);
        }
        // "Probation Service Wales", "HMPPS London"...: try again without a service prefix.
        for prefix in ["probation service ", "hmpps ", "probation ", "nps "] {
            if let Some(rest) = key.strip_prefix(prefix) {
                if let Some(&i) = self.canon.get(rest) {
                    return Some(REGIONS[i]);
                }
            }
        }
        None
    }

    /// The canonical region a user named (`--region`, a web filter), or an error listing the
    /// regions.
    pub fn resolve_region(&self, name: &str) -> crate::Result<&'static str> {
        self.canonical_region(name).ok_or_else(|| {
            crate::Error::InvalidArgument(format!(
                "unknown region `{name}`; regions are: {}",
                REGIONS.join(", ")
            ))
        })
    }

    /// The region a document is about, or `None` when unknown or ambiguous.
    ///
    /// Scoring rule:
    /// 1. The title, when given, is matched first: if it names exactly one region by name,
    ///    variant or abbreviation, that region decides. (Metadata inference passes the first
    ///    heading-like line, or a letter's subject line: see [`super::infer::infer_metadata`].)
    /// 2. Otherwise every mention counts with a weight by specificity — region name/variant 5,
    ///    PDU or single-region legacy body 4, police force/combined authority/council 3,
    ///    local area or town 2, a body spanning several regions 1 to each of them — times 4 in
    ///    the title and 2 in the first 3,000 characters. A term stops counting after 8 mentions.
    ///    A region named after a city (London) counts its bare name as a place.
    /// 3. Mentions that are not evidence score nothing: ignore phrases from the gazetteer
    ///    ("England and Wales", "Manchester Civil Justice Centre"), a name straight after a
    ///    broadcaster ("BBC North West"), before a street word ("London Road") or a postcode
    ///    ("London SW1H 9AJ": an address), and compass phrases ("the North East of the
    ///    borough").
    /// 4. The best region wins if it scores at least 8 and at least twice the runner-up.
    pub fn infer_region_with_title(&self, title: Option<&str>, text: &str) -> Option<&'static str> {
        let mut scores = [0.0f64; 12];
        if let Some(title) = title {
            let norm = normalize_text(title);
            let mut named = BTreeSet::new();
            for m in self.mentions(&norm) {
                let names_region = m.term.kind == Kind::Name || REGIONS.contains(&m.key);
                if names_region && m.term.kind != Kind::Ignore && m.term.regions.len() == 1 {
                    named.insert(m.term.regions[0]);
                }
            }
            if named.len() == 1 {
                return named.iter().next().map(|&i| REGIONS[i]);
            }
            self.score(&norm, TITLE_FACTOR, usize::MAX, &mut scores);
        }
        let norm = normalize_text(text);
        self.score(&norm, 1.0, LEAD_CHARS, &mut scores);
        decide(&scores)
    }

    /// Per-region scores for `text` (diagnostics and tests).
    pub fn region_scores(&self, text: &str) -> Vec<(&'static str, f64)> {
        let mut scores = [0.0f64; 12];
        self.score(&normalize_text(text), 1.0, LEAD_CHARS, &mut scores);
        REGIONS.iter().copied().zip(scores).collect()
    }

    /// Every counted mention in `text` as (matched text, regions it points to), in order —
    /// for explaining an inference. Ignored and context-excluded mentions are left out.
    pub fn mentions_in(&self, text: &str) -> Vec<(String, Vec<&'static str>)> {
        let norm = normalize_text(text);
        self.mentions(&norm)
            .filter(|m| m.term.kind != Kind::Ignore)
            .map(|m| {
                let regions = m.term.regions.iter().map(|&r| REGIONS[r]).collect();
                (m.key.to_string(), regions)
            })
            .collect()
    }

    fn score(&self, norm: &str, factor: f64, lead_chars: usize, scores: &mut [f64; 12]) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for m in self.mentions(norm) {
            if m.term.kind == Kind::Ignore {
                continue;
            }
            let n = seen.entry(m.key).or_insert(0);
            *n += 1;
            if *n > MAX_MENTIONS_PER_TERM {
                continue;
            }
            let pos = if m.start < lead_chars {
                LEAD_FACTOR
            } else {
                1.0
            };
            let w = if m.term.regions.len() > 1 {
                W_SHARED
            } else {
                m.term.kind.weight()
            };
            for &r in &m.term.regions {
                scores[r] += w * pos * factor;
            }
        }
    }

    /// Every term mention in normalised text, with context rules applied (an excluded mention
    /// comes back as an `Ignore` term).
    fn mentions<'a>(&'a self, norm: &'a str) -> impl Iterator<Item = Mention<'a>> + 'a {
        static IGNORED: Term = Term {
            regions: Vec::new(),
            kind: Kind::Ignore,
        };
        self.matcher
            .iter()
            .flat_map(move |re| re.find_iter(norm))
            .filter_map(move |m| {
                let key = term_key(m.as_str());
                let (stored_key, term) = self.terms.get_key_value(&key)?;
                let excluded = term.kind != Kind::Ignore
                    && is_excluded_context(norm, m.start(), m.end(), term.kind);
                Some(Mention {
                    key: stored_key.as_str(),
                    term: if excluded { &IGNORED } else { term },
                    start: m.start(),
                })
            })
    }
}

struct Mention<'a> {
    key: &'a str,
    term: &'a Term,
    start: usize,
}

fn decide(scores: &[f64; 12]) -> Option<&'static str> {
    let mut order: Vec<usize> = (0..12).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
    let (best, second) = (scores[order[0]], scores[order[1]]);
    if best >= MIN_SCORE && best >= LEAD_RATIO * second {
        Some(REGIONS[order[0]])
    } else {
        None
    }
}

/// Context rules that turn a matched name into a non-mention.
fn is_excluded_context(norm: &str, start: usize, end: usize, kind: Kind) -> bool {
    static MEDIA_BEFORE: Lazy<Regex> = Lazy::new(|| {
        Regex::new(
            r"(?:\bBBC|\bITV|\bBBC Radio|\bITV News|\bSky News|\bGranada|\bHeart|\bCapital)\s?$",
        )
        .expect("static regex")
    });
    static STREET_AFTER: Lazy<Regex> = Lazy::new(|| {
        Regex::new(
            r"^'?s? (?:Road|Rd|Street|St|Lane|Avenue|Way|Square|Terrace|Drive|Crescent|Close|Gardens|Place|Row|Walk|Parade)\b",
        )
        .expect("static regex")
    });
    // A UK postcode right after a place name means an address line (a publisher's, usually).
    static POSTCODE_AFTER: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"^,? [A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}\b").expect("static regex")
    });
    static COMPASS_OF: Lazy<Regex> = Lazy::new(|| {
        Regex::new(r"^ of (?:the |this |that |our |its )?(\w+)").expect("static regex")
    });

    let before = tail_chars(&norm[..start], 16);
    let after = head_chars(&norm[end..], 24);
    if MEDIA_BEFORE.is_match(before) {
        return true;
    }
    if STREET_AFTER.is_match(after) || POSTCODE_AFTER.is_match(after) {
        return true;
    }
    if kind == Kind::Name {
        let name = &norm[start..end];
        let compass = ["North", "South", "East", "West"]
            .iter()
            .any(|c| name.contains(c))
            && !name.contains("of England")
            && !name.contains("Midlands");
        if compass {
            if let Some(c) = COMPASS_OF.captures(after) {
                let next = c.get(1).map_or("", |m| m.as_str());
                // "the North East of England" is the region; "the North East of the borough"
                // is a direction.
                return next != "England";
            }
        }
    }
    false
}

/// The last `n` characters of `s` (fewer if shorter), on a char boundary.
fn tail_chars(s: &str, n: usize) -> &str {
    let start = s
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &s[start..]
}

/// The first `n` characters of `s` (fewer if shorter), on a char boundary.
fn head_chars(s: &str, n: usize) -> &str {
    let end = s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    &s[..end]
}

/// Normalises document text for matching: curly quotes to straight, every kind of dash and
/// hyphen to a space, "&" to " and ", any run of whitespace to one space, and lines written in
/// ALL CAPS to Title Case (so "GREATER MANCHESTER" matches a case-sensitive "Greater
/// Manchester"). Offsets into the result are what scoring positions refer to.
pub fn normalize_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for line in text.lines() {
        let letters = line.chars().filter(|c| c.is_alphabetic()).count();
        let shouting = letters >= 4 && !line.chars().any(|c| c.is_lowercase());
        if shouting {
            push_normalized(&title_case(line), &mut out);
        } else {
            push_normalized(line, &mut out);
        }
        push_space(&mut out);
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

fn push_normalized(line: &str, out: &mut String) {
    for c in line.chars() {
        match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}' | '`' => out.push('\''),
            '\u{201C}' | '\u{201D}' | '\u{201E}' => out.push('"'),
            '-' | '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}'
            | '\u{2212}' => push_space(out),
            '&' => {
                push_space(out);
                out.push_str("and ");
            }
            c if c.is_whitespace() || c == '\u{00A0}' || c.is_control() => push_space(out),
            c => out.push(c),
        }
    }
}

fn title_case(line: &str) -> String {
    const SMALL: [&str; 9] = ["and", "of", "the", "upon", "on", "in", "with", "for", "to"];
    let mut out = String::with_capacity(line.len());
    for (i, word) in line.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let lower = word.to_lowercase();
        if i > 0 && SMALL.contains(&lower.as_str()) {
            out.push_str(&lower);
            continue;
        }
        let mut chars = lower.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// A gazetteer term normalised like document text (single line).
fn normalize_term(term: &str) -> String {
    let mut out = String::new();
    push_normalized(term.trim(), &mut out);
    out.trim().to_string()
}

/// Lookup key of a (normalised) term or matched text: commas dropped, spaces collapsed.
fn term_key(s: &str) -> String {
    s.split([',', ' '])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Regex fragment for a normalised term: words escaped, an optional comma between words
/// ("Kent, Surrey and Sussex" = "Kent Surrey and Sussex"), ASCII word boundaries at the ends
/// (ASCII so the lazy DFA stays usable on non-ASCII text).
fn term_pattern(norm: &str) -> String {
    let words: Vec<String> = term_key(norm).split(' ').map(regex::escape).collect();
    let body = words.join(",? ");
    let starts_word = norm
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    let ends_word = norm
        .chars()
        .last()
        .is_some_and(|c| c.is_ascii_alphanumeric());
    format!(
        "{}{}{}",
        if starts_word { r"(?-u:\b)" } else { "" },
        body,
        if ends_word { r"(?-u:\b)" } else { "" }
    )
}

/// Key for [`Gazetteer::canonical_region`]: lowercase, "&" → "and", punctuation dropped,
/// leading "the" and trailing "region" removed.
fn canon_key(s: &str) -> String {
    let mut cleaned = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '&' {
            cleaned.push_str(" and ");
        } else if c.is_alphanumeric() {
            cleaned.extend(c.to_lowercase());
        } else {
            cleaned.push(' ');
        }
    }
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    if words.first() == Some(&"the") {
        words.remove(0);
    }
    while matches!(words.last(), Some(&"region") | Some(&"division")) {
        words.pop();
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g() -> &'static Gazetteer {
        Gazetteer::embedded()
    }

    #[test]
    fn test_embedded_gazetteer_parses() {
        let parsed = Gazetteer::from_toml_str(EMBEDDED_TOML);
        assert!(parsed.is_ok(), "{:?}", parsed.err());
        let gz = parsed.unwrap_or_else(|_| Gazetteer::empty());
        assert!(gz.term_count() > 500, "only {} terms", gz.term_count());
        // Every term points at canonical regions only (indices are in range by construction;
        // check the names round-trip anyway).
        for t in gz.terms.values() {
            for &r in &t.regions {
                assert!(REGIONS.contains(&REGIONS[r]));
            }
        }
    }

    #[test]
    fn test_every_region_has_a_table() {
        let raw: RawGazetteer = toml::from_str(EMBEDDED_TOML).expect("embedded TOML parses");
        for name in REGIONS {
            assert!(
                raw.region.iter().any(|r| r.name == name),
                "no table for {name}"
            );
        }
        for r in &raw.region {
            assert!(
                REGIONS.contains(&r.name.as_str()),
                "{} is not canonical",
                r.name
            );
        }
        for s in &raw.shared {
            assert!(s.regions.len() >= 2, "{} is not multi-region", s.name);
            for r in &s.regions {
                assert!(
                    REGIONS.contains(&r.as_str()),
                    "{}: {r} is not canonical",
                    s.name
                );
            }
        }
    }

    #[test]
    fn test_unknown_region_is_an_error() {
        let bad = "[[region]]\nname = \"Narnia\"\n";
        assert!(matches!(
            Gazetteer::from_toml_str(bad),
            Err(GazetteerError::UnknownRegion { .. })
        ));
        let bad_shared = "[[shared]]\nname = \"X\"\nregions = [\"Wales\", \"Mordor\"]\n";
        assert!(Gazetteer::from_toml_str(bad_shared).is_err());
        assert!(matches!(
            Gazetteer::from_toml_str("this is = not [toml"),
            Err(GazetteerError::Toml(_))
        ));
    }

    #[test]
    fn test_custom_gazetteer_from_toml() {
        let src = r#"
            [[region]]
            name = "Wales"
            places = ["Aberporth"]
        "#;
        let gz = Gazetteer::from_toml_str(src).expect("parses");
        assert_eq!(
            gz.infer_region_with_title(None, "Work in Aberporth. Aberporth again. And Aberporth."),
            Some("Wales")
        );
    }

    #[test]
    fn test_canonical_region_variants() {
        let cases = [
            ("south west", "South West"),
            ("KSS", "Kent, Surrey and Sussex"),
            ("kent surrey & sussex", "Kent, Surrey and Sussex"),
            ("Yorkshire & the Humber", "Yorkshire and the Humber"),
            ("yorkshire and humber", "Yorkshire and the Humber"),
            ("the North East", "North East"),
            ("greater manchester", "Greater Manchester"),
            ("GMPS", "Greater Manchester"),
            ("  London  ", "London"),
            ("Wales region", "Wales"),
            ("east of england", "East of England"),
            ("South-Central", "South Central"),
            ("Probation Service Wales", "Wales"),
        ];
        for (input, want) in cases {
            assert_eq!(g().canonical_region(input), Some(want), "{input}");
        }
        for input in [
            "",
            "Narnia",
            "Wigan",
            "Bolton",
            "England and Wales",
            "north",
        ] {
            assert_eq!(g().canonical_region(input), None, "{input}");
        }
    }

    #[test]
    fn test_normalize_text_handles_punctuation() {
        assert_eq!(
            normalize_text("Stoke-on-Trent  &\u{00A0}Staffordshire’s\n teams"),
            "Stoke on Trent and Staffordshire's teams"
        );
    }
}
