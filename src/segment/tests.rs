//! Tests of segmentation: sentence splitting, lists, wrapped text, furniture, headings, and
//! the structural invariants on arbitrary and pathological input.

use proptest::prelude::*;

use super::headings::word_count;
use super::lines::MAX_FORCED_HEADING_BYTES;
use super::*;

fn units(text: &str) -> Vec<&str> {
    segment(text)
        .sentences
        .iter()
        .map(|s| &text[s.start..s.end])
        .collect()
}

fn kinds(text: &str) -> Vec<UnitKind> {
    segment(text).sentences.iter().map(|s| s.kind).collect()
}

/// Every structural invariant the rest of themis relies on.
fn check_invariants(text: &str, seg: &Segmented, limits: PassageLimits) {
    let span_ok = |s: usize, e: usize| {
        assert!(s < e && e <= text.len(), "bad span {s}..{e}");
        assert!(text.is_char_boundary(s) && text.is_char_boundary(e));
        let t = &text[s..e];
        assert_eq!(t.trim().len(), t.len(), "untrimmed span {t:?}");
    };
    for sec in &seg.sections {
        span_ok(sec.start, sec.end);
        assert!(!sec.title.is_empty());
    }
    let mut prev_end = 0;
    for (i, u) in seg.sentences.iter().enumerate() {
        span_ok(u.start, u.end);
        assert!(u.start >= prev_end, "overlapping or unordered units");
        assert!(u.end - u.start <= MAX_UNIT_BYTES.max(MAX_FORCED_HEADING_BYTES));
        prev_end = u.end;
        let p = &seg.paragraphs[u.paragraph];
        assert!(p.sentences.contains(&i));
        assert!(
            p.start <= u.start && u.end <= p.end,
            "unit outside its paragraph"
        );
        assert_eq!(u.section, p.section);
        if let Some(sec) = u.section {
            assert!(sec < seg.sections.len());
        }
        if u.kind == UnitKind::Heading {
            let sec = &seg.sections[u.section.expect("heading has a section")];
            assert_eq!((sec.start, sec.end), (u.start, u.end));
        }
    }
    let mut next_sentence = 0;
    let mut prev_end = 0;
    let mut passages = seg.passages.iter().peekable();
    for (pi, p) in seg.paragraphs.iter().enumerate() {
        span_ok(p.start, p.end);
        assert!(p.start >= prev_end, "overlapping paragraphs");
        prev_end = p.end;
        assert_eq!(
            p.sentences.start, next_sentence,
            "paragraphs must partition units"
        );
        assert!(!p.sentences.is_empty());
        next_sentence = p.sentences.end;
        let heading = seg.sentences[p.sentences.start].kind == UnitKind::Heading;
        if heading {
            assert_eq!(p.sentences.len(), 1);
            continue;
        }
        let mut covered = p.sentences.start;
        while covered < p.sentences.end {
            let ps = passages.next().expect("paragraph without passages");
            assert_eq!(ps.paragraph, pi);
            assert_eq!(
                ps.sentences.start, covered,
                "passages must cover units in order"
            );
            assert!(ps.sentences.end > ps.sentences.start && ps.sentences.end <= p.sentences.end);
            assert!(ps.sentences.len() <= limits.max_sentences.max(1));
            assert_eq!(ps.start, seg.sentences[ps.sentences.start].start);
            assert_eq!(ps.end, seg.sentences[ps.sentences.end - 1].end);
            assert!(p.start <= ps.start && ps.end <= p.end);
            if ps.sentences.len() > 1 {
                assert!(word_count(&text[ps.start..ps.end]) <= limits.max_words);
            }
            covered = ps.sentences.end;
        }
    }
    assert_eq!(next_sentence, seg.sentences.len());
    assert!(
        passages.next().is_none(),
        "passage for a heading or stray passage"
    );
}

#[test]
fn test_eg_ie_etc_do_not_split() {
    let t = "Services for some groups (e.g. women, i.e. those at risk, etc. and others) were good. Others were not.";
    assert_eq!(units(t).len(), 2);
    assert_eq!(
        units("Some groups, e.g. Women in Manchester, were helped. Not all.").len(),
        2
    );
}

#[test]
fn test_decimals_and_per_cent() {
    let t = "Staffing was 5.6 per cent below target. Only 86 per cent. The rate was 12.3 days per cent. of staff.";
    assert_eq!(
        units(t),
        vec![
            "Staffing was 5.6 per cent below target.",
            "Only 86 per cent.",
            "The rate was 12.3 days per cent. of staff."
        ]
    );
}

#[test]
fn test_titles_do_not_split() {
    let t = "Mr Russell said it was good. Dr. Farrar and Mrs. Rees agreed. St. Helens was next.";
    assert_eq!(
        units(t),
        vec![
            "Mr Russell said it was good.",
            "Dr. Farrar and Mrs. Rees agreed.",
            "St. Helens was next."
        ]
    );
}

#[test]
fn test_no_number_and_initials() {
    let t = "See No. 3 for details. J. Smith led the team. It went well.";
    assert_eq!(
        units(t),
        vec![
            "See No. 3 for details.",
            "J. Smith led the team.",
            "It went well."
        ]
    );
}

#[test]
fn test_urls_and_emails_keep_dots() {
    let t = "Email enquiries.HMIProb@hmiprobation.gov.uk or visit www.gov.uk. Then wait for v1.2 of it.";
    assert_eq!(
        units(t),
        vec![
            "Email enquiries.HMIProb@hmiprobation.gov.uk or visit www.gov.uk.",
            "Then wait for v1.2 of it."
        ]
    );
}

#[test]
fn test_footnote_marker_after_full_stop() {
    let t = "Only 74 per cent were in post.6 The region had gaps.¹ Leaders knew.";
    assert_eq!(
        units(t),
        vec![
            "Only 74 per cent were in post.6",
            "The region had gaps.¹",
            "Leaders knew."
        ]
    );
}

#[test]
fn test_quotes_and_questions() {
    let t = "He said: \"It was good.\" Then he left. \"Why?\" he asked. Was it? Yes!";
    assert_eq!(
        units(t),
        vec![
            "He said: \"It was good.\"",
            "Then he left.",
            "\"Why?\" he asked.",
            "Was it?",
            "Yes!"
        ]
    );
}

#[test]
fn test_numbered_list_markers() {
    let t = "1. Reduce delays in vetting.\n2) Improve training. Do it soon.\n(a) Review cases.\n- 4. ensure oversight";
    let seg = segment(t);
    let u = units(t);
    assert_eq!(
        u,
        vec![
            "Reduce delays in vetting.",
            "Improve training.",
            "Do it soon.",
            "Review cases.",
            "ensure oversight"
        ]
    );
    assert!(seg.sentences.iter().all(|s| s.kind == UnitKind::Bullet));
    assert_eq!(seg.paragraphs.len(), 4);
    // The paragraph keeps the marker; the unit does not.
    assert_eq!(
        &t[seg.paragraphs[0].start..seg.paragraphs[0].end],
        "1. Reduce delays in vetting."
    );
}

#[test]
fn test_bullets() {
    let t = "Key strengths:\n- First point. Second sentence.\n• Another point\n* Third\n– Fourth";
    let seg = segment(t);
    assert_eq!(kinds(t)[0], UnitKind::Heading);
    assert_eq!(
        units(t)[1..],
        [
            "First point.",
            "Second sentence.",
            "Another point",
            "Third",
            "Fourth"
        ]
    );
    assert!(seg.sentences[1..]
        .iter()
        .all(|s| s.kind == UnitKind::Bullet));
    assert_eq!(seg.paragraphs.len(), 5);
}

#[test]
fn test_wrapped_bullet_is_one_paragraph() {
    let t = "- Risks were well understood. Risks were\n reviewed weekly, and a meeting\n was held. Seventy per cent agreed.\n Business plans were in place.\n- Next bullet.";
    let seg = segment(t);
    assert_eq!(seg.paragraphs.len(), 2);
    assert_eq!(
        units(t),
        vec![
            "Risks were well understood.",
            "Risks were\n reviewed weekly, and a meeting\n was held.",
            "Seventy per cent agreed.",
            "Business plans were in place.",
            "Next bullet."
        ]
    );
}

#[test]
fn test_hard_wrapped_paragraph_joins() {
    // Lowercase continuation across a blank line (page break), and a line ending mid-phrase.
    let t = "Leadership\n\nThere was an appropriate focus on progress against the\n\nregional delivery plan. The region is overseen by the\nRegional Probation Director who leads it.";
    let seg = segment(t);
    assert_eq!(seg.sections.len(), 1);
    assert_eq!(seg.paragraphs.len(), 2);
    assert_eq!(
        units(t)[1..],
        [
            "There was an appropriate focus on progress against the\n\nregional delivery plan.",
            "The region is overseen by the\nRegional Probation Director who leads it."
        ]
    );
}

#[test]
fn test_running_header_is_furniture_and_paragraph_rejoined() {
    let hdr = "HM Inspectorate of Probation: Regional review letter";
    let t = format!(
        "Review\n\nThe first paragraph ends here.\n\n{hdr}\n\nThe work was progressing against the\n\n{hdr}\n\nregional plan, though slowly. It was late.\n\n{hdr}\n\nAnother paragraph."
    );
    let seg = segment(&t);
    let u = units(&t);
    assert!(u.iter().all(|s| !s.contains("Inspectorate")), "{u:?}");
    // The interrupted paragraph is one paragraph; its sentence is split at the header so no
    // unit contains header text.
    let p = seg
        .paragraphs
        .iter()
        .find(|p| t[p.start..p.end].starts_with("The work"))
        .unwrap();
    assert!(t[p.start..p.end].ends_with("It was late."));
    let inner: Vec<&str> = p.sentences.clone().map(|i| u[i]).collect();
    assert_eq!(
        inner,
        vec![
            "The work was progressing against the",
            "regional plan, though slowly.",
            "It was late."
        ]
    );
    // The passage over it keeps the two halves together.
    assert!(seg.passages.iter().any(|ps| ps.sentences == p.sentences));
}

#[test]
fn test_one_off_interrupting_line_is_not_a_heading() {
    let t = "Leadership\n\nThere was progress against the\n\nHM Inspectorate of Probation: Regional review letter\n\nregional delivery plan, though slowly.";
    let seg = segment(t);
    assert_eq!(seg.sections.len(), 1);
    assert_eq!(
        kinds(t),
        vec![
            UnitKind::Heading,
            UnitKind::Sentence,
            UnitKind::Sentence,
            UnitKind::Sentence
        ]
    );
}

#[test]
fn test_page_numbers_are_furniture() {
    let t = "Para one is here.\n\n12\n\nPage 13 of 40\n\nPara two.";
    assert_eq!(units(t), vec!["Para one is here.", "Para two."]);
}

#[test]
fn test_repeated_headings_are_not_furniture() {
    let t = "Key areas for improvement:\n- A.\nStrengths\nB.\nKey areas for improvement:\n- C.\nStrengths\nD.\nKey areas for improvement:\n- E.\nStrengths\nF.";
    assert_eq!(segment(t).sections.len(), 6);
}

#[test]
fn test_crlf_and_cr_line_ends() {
    let t = "Report title\r\nContext (Back to top)\r\nWe inspected cases. They were fine.\r\rStrengths\rLeaders were good.\r\n";
    let seg = segment(t);
    let titles: Vec<&str> = seg.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, vec!["Report title", "Context", "Strengths"]);
    assert_eq!(
        units(t),
        vec![
            "Report title",
            "Context (Back to top)",
            "We inspected cases.",
            "They were fine.",
            "Strengths",
            "Leaders were good."
        ]
    );
    assert!(units(t).iter().all(|u| !u.contains('\r')));
}

#[test]
fn test_back_to_top_and_hash_headings() {
    let t = "Dynamic Inspection of Public Protection\nChief Inspector’s judgment (Back to top)\nThe region was safe.\n## Leadership ##\nLeaders led.\nInspection commentary (back to top)\nIt was fine.";
    let seg = segment(t);
    let titles: Vec<&str> = seg.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "Dynamic Inspection of Public Protection",
            "Chief Inspector’s judgment",
            "Leadership",
            "Inspection commentary"
        ]
    );
    let s = &seg.sentences;
    assert_eq!(&t[s[2].start..s[2].end], "The region was safe.");
    assert_eq!(s[2].section, Some(1));
    assert_eq!(s[6].section, Some(3));
    // Headings are indexed as sections, not passages.
    assert_eq!(seg.passages.len(), 3);
}

#[test]
fn test_colon_headings_and_lead_ins() {
    let t = "Regional observations:\nThe region did well.\nThe PDU should:\n- improve things.\nDame Glenys Stacey said:\n\"It was good.\"";
    assert_eq!(
        kinds(t),
        vec![
            UnitKind::Heading,
            UnitKind::Sentence,
            UnitKind::Sentence,
            UnitKind::Bullet,
            UnitKind::Sentence,
            UnitKind::Sentence
        ]
    );
    assert_eq!(segment(t).sections[0].title, "Regional observations");
}

#[test]
fn test_bare_headings_and_non_headings() {
    let t = "Report\n\nLeadership\n\nThe region is good.\n\nAreas for improvement\n\nStaffing is low.\n\nTony Kirk, Lead Inspector\n\n25 May 2023\n\nInspectors said the rating \"masks positive aspects\"\n\n'Insufficient risk prevention'\n\nIt was weak.";
    let seg = segment(t);
    let titles: Vec<&str> = seg.sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "Report",
            "Leadership",
            "Areas for improvement",
            "Insufficient risk prevention"
        ]
    );
}

#[test]
fn test_table_rows() {
    let t = "Scoring (Back to top)\n| Key question | Percentage ‘Yes’ |\n| Does assessment focus on safety? | 49% |\n1.1\tLeadership\tGood\t\nAfter the table.";
    let seg = segment(t);
    assert_eq!(
        kinds(t),
        vec![
            UnitKind::Heading,
            UnitKind::TableRow,
            UnitKind::TableRow,
            UnitKind::TableRow,
            UnitKind::Sentence
        ]
    );
    assert_eq!(units(t)[3], "1.1\tLeadership\tGood");
    // One row per paragraph, so passages never merge rows with prose.
    assert_eq!(seg.paragraphs.len(), 5);
    assert_eq!(seg.passages.len(), 4);
}

#[test]
fn test_passage_windows() {
    let t = "One a. Two b. Three c. Four d. Five e.";
    let seg = segment(t);
    let windows: Vec<Range<usize>> = seg.passages.iter().map(|p| p.sentences.clone()).collect();
    assert_eq!(windows, vec![0..3, 3..5]);
    let seg = segment_with(
        t,
        PassageLimits {
            max_sentences: 10,
            max_words: 4,
        },
    );
    let windows: Vec<Range<usize>> = seg.passages.iter().map(|p| p.sentences.clone()).collect();
    assert_eq!(windows, vec![0..2, 2..4, 4..5]);
    // A sentence longer than max_words is a passage on its own.
    let seg = segment_with(
        "This sentence has six words in. Short.",
        PassageLimits {
            max_sentences: 3,
            max_words: 3,
        },
    );
    assert_eq!(seg.passages.len(), 2);
}

#[test]
fn test_empty_and_blank_input() {
    assert_eq!(segment(""), Segmented::default());
    assert_eq!(segment(" \n\r\n\t \r \u{2028}\u{c}"), Segmented::default());
}

#[test]
fn test_long_line_is_capped_at_whitespace() {
    let t = "word ".repeat(1_000_000); // 5 MB, one line, no boundary
    let seg = segment(&t);
    check_invariants(&t, &seg, PassageLimits::default());
    assert!(seg.sentences.len() >= 5_000_000 / MAX_UNIT_BYTES);
    assert!(seg
        .sentences
        .iter()
        .all(|s| t[s.start..s.end].ends_with("word")));
}

#[test]
fn test_long_unspaced_multibyte_line_is_cut_on_char_boundaries() {
    let t = "é’".repeat(400_000);
    let seg = segment(&t);
    check_invariants(&t, &seg, PassageLimits::default());
    assert!(seg.sentences.len() > 1);
}

/// Patterns that stress each scanner: abbreviation look-backs, terminator runs, closers,
/// list markers, blank lines, dotted tokens, table pipes and tabs.
const PATHOLOGICAL: [&str; 12] = [
    "e.g. ",
    "....",
    "a.b.",
    "Mr. ",
    ".)\"’",
    "- 1. ",
    "\n\n\n\n",
    "A.\u{a0}",
    "||||",
    "x\ty ",
    "a\n",
    "Page 1\nx\n",
];

fn run_pathological(bytes_each: usize) {
    for p in PATHOLOGICAL {
        let t = p.repeat(bytes_each / p.len());
        let seg = segment(&t);
        assert!(seg
            .sentences
            .iter()
            .all(|s| s.end - s.start <= MAX_UNIT_BYTES));
    }
}

#[test]
fn test_pathological_inputs_are_linear() {
    // 1 MB per pattern: a quadratic pass over 1 MB would not finish; no timing is asserted.
    run_pathological(1_000_000);
}

#[test]
#[ignore = "~240 MB of input; run with `cargo test --release -- --ignored`"]
fn test_pathological_200mb_inputs_are_linear() {
    run_pathological(20_000_000);
}

fn report_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "\n",
            "\r\n",
            "\r",
            "\n\n",
            " ",
            "\t",
            "- ",
            "• ",
            "1. ",
            "(a) ",
            "| a | b |",
            "|",
            "e.g. ",
            "i.e. ",
            "etc. ",
            "5.6",
            "No. 3",
            "Mr ",
            "Dr. ",
            "J. ",
            "per cent. ",
            "post.6 ",
            "The ",
            "regional ",
            "the",
            "Leadership",
            "Key areas for improvement:",
            " (Back to top)",
            "# ",
            "## Title",
            "\u{201c}",
            "\u{201d}",
            "\u{2018}",
            "\u{2019}",
            "\u{202e}",
            "\u{200f}",
            "\0",
            "\u{1}",
            "\u{c}",
            "\u{2028}",
            "\u{85}",
            "…",
            "?",
            "!",
            ".",
            ". ",
            "¹",
            "www.gov.uk",
            "a@b.co.uk",
            "12",
            "Page 3 of 9",
            "HM Inspectorate: Header",
            "é",
            "\u{a0}",
            "\u{3000}",
        ])
        .prop_map(str::to_string),
        "[a-zA-Z0-9 .,]{0,12}",
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn test_invariants_arbitrary_unicode(t in any::<String>()) {
        check_invariants(&t, &segment(&t), PassageLimits::default());
    }

    #[test]
    fn test_invariants_report_like(pieces in prop::collection::vec(report_piece(), 0..80),
                                   ms in 0usize..5, mw in 0usize..40) {
        let t: String = pieces.concat();
        check_invariants(&t, &segment(&t), PassageLimits::default());
        let limits = PassageLimits { max_sentences: ms, max_words: mw };
        check_invariants(&t, &segment_with(&t, limits), limits);
    }
}

#[test]
fn word_count_agrees_with_split_whitespace_on_ascii_and_unicode_text() {
    let cases = [
        "",
        "   ",
        "one",
        "  two words ",
        "tab\tnew\nline\rvt\x0bff\x0cend",
        "unit\x1fseparator is not a space",
        "no\u{a0}break space",
        "em\u{2003}space and caf\u{e9}",
        "trailing\n\n",
    ];
    for case in cases {
        assert_eq!(
            word_count(case),
            case.split_whitespace().count(),
            "{case:?}"
        );
    }
}

proptest! {
    #[test]
    fn word_count_is_split_whitespace_count(text in "[ a-z\t\n\x0b\x0c\r\x1f\u{a0}\u{2003}é]{0,40}") {
        prop_assert_eq!(word_count(&text), text.split_whitespace().count());
    }
}
