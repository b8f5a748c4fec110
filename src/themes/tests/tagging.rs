//! Tagging sentences as they come: bad token offsets, headings and footnotes, themes named in
//! passing in a list, section context, the indexer's shortcut, arbitrary input, and the
//! embedded model beside the rules.

use super::*;

#[test]
fn test_tag_tokens_tolerates_bad_offsets() {
    let t = tax();
    let toks = vec![
        AnalyzedToken::new("vet", 50, 3, 0),
        AnalyzedToken::new("delay", 900, 1000, 1),
    ];
    let tags = t.tag_tokens("short", &toks);
    assert!(tags.themes.contains(&"vetting-recruitment".to_string()));
}

#[test]
fn test_headings_and_footnotes_carry_no_theme() {
    let t = tax();
    // Titles: short, no verb, no closing punctuation, no figures.
    for s in [
        "Services and interventions",
        "Learning from Serious Further Offence investigations",
        "Statutory victim work",
    ] {
        assert!(t.tag(s).themes.is_empty(), "{s}");
        assert!(t.explain(s).is_empty(), "{s}");
    }
    // Footnotes and references.
    assert!(t
        .tag("Multi-agency public protection arrangements (MAPPA) annual report. \u{21a9}\u{fe0e}")
        .themes
        .is_empty());
    assert!(t
        .tag("\u{b9} Independent Serious Further Offence review of A Person (example.gov.uk)")
        .themes
        .is_empty());
    // Table header rows have no data; data rows and scoring lines keep their themes.
    assert!(t
        .tag("| PO | PSO (excluding PQiP) | PQiP |")
        .themes
        .is_empty());
    assert!(has(
        &t,
        "| Recall rates (in the 12 months prior to inspection) | 24.88% |",
        "enforcement"
    ));
    // Near misses: a short sentence with a verb, or a line broken mid-sentence, is not a title.
    assert!(has(&t, "Staff morale was low", "staff-wellbeing"));
    assert!(has(
        &t,
        "Serious further offence reviews were of good quality",
        "serious-further-offences"
    ));
    assert!(!is_non_finding("Vetting delays in the region and"));
}

#[test]
fn test_themes_named_only_in_a_list_are_passing_mentions() {
    let t = tax();
    assert!(!has(
        &t,
        "Co-commissioned services included accommodation, education, dependency and recovery, and peer support.",
        "accommodation"
    ));
    assert!(!has(
        &t,
        "The region ran sessions on topics such as risk, sentence management, domestic abuse and challenging behaviour.",
        "domestic-abuse-safeguarding"
    ));
    // A list of findings is the finding itself.
    assert!(has(
        &t,
        "Concerns included poor accommodation, unmet mental health needs and long waiting lists.",
        "accommodation"
    ));
    // Two items are not an enumeration, and a long clause after the marker is not an item.
    assert!(has(
        &t,
        "The team had strong links with partners, including housing providers and approved premises.",
        "accommodation"
    ));
    assert!(has(
        &t,
        "Staff shortages, including a vacancy rate of 40 per cent in one PDU, high workloads, and sickness hindered delivery.",
        "workload"
    ));
}

#[test]
fn test_tag_in_context_inherits_the_section_theme_for_back_references() {
    let t = tax();
    let s = "The reviews were rated two as outstanding and ten as good.";
    let tok = crate::analysis::analyze(s);
    let plain = t.tag_tokens(s, &tok);
    assert!(!plain
        .themes
        .contains(&"serious-further-offences".to_string()));
    let ctx = t.tag_in_context(s, &tok, Some("Serious further offences"));
    assert!(ctx.themes.contains(&"serious-further-offences".to_string()));
    assert_eq!(ctx.polarity, plain.polarity);
    let s2 = "It had also been shared with senior leaders and middle managers.";
    let tok2 = crate::analysis::analyze(s2);
    assert!(t
        .tag_in_context(s2, &tok2, Some("Victims"))
        .themes
        .contains(&"victims".to_string()));
    // Near misses: no section, a sentence with its own subject, or a heading.
    assert_eq!(t.tag_in_context(s, &tok, None), plain);
    let s3 = "Senior leaders met monthly with the police.";
    let tok3 = crate::analysis::analyze(s3);
    assert!(!t
        .tag_in_context(s3, &tok3, Some("Serious further offences"))
        .themes
        .contains(&"serious-further-offences".to_string()));
    let h = "Summary of findings";
    let toks_h = crate::analysis::analyze(h);
    assert!(t
        .tag_in_context(h, &toks_h, Some("Victims"))
        .themes
        .is_empty());
}

#[test]
fn test_tag_for_index_skips_polarity_only_for_untagged_sentences() {
    let t = tax();
    let cases = [
        // Tagged, with a polarity of its own.
        ("Managers did not have enough oversight of cases.", None),
        ("Vetting delays meant new staff could not start work.", None),
        // Untagged: no theme, though its wording is clearly negative.
        (
            "The canteen food was poor and the car park was too small.",
            None,
        ),
        // Inherits its section's theme.
        (
            "The reviews were rated two as outstanding and ten as good.",
            Some("Serious further offences"),
        ),
    ];
    let mut tagged = 0;
    // Read as one page each way, so the page's part is the same for both.
    let mut full_page = crate::model::PageContext::new();
    let mut indexed_page = crate::model::PageContext::new();
    for (sentence, section) in cases {
        let tokens = crate::analysis::analyze(sentence);
        let full = t.tag_on_page(sentence, &tokens, section, &mut full_page);
        let indexed = t.tag_for_index(sentence, &tokens, section, &mut indexed_page);
        assert_eq!(indexed.themes, full.themes, "{sentence}");
        if full.themes.is_empty() {
            assert_eq!(indexed.polarity, Polarity::Neutral, "{sentence}");
        } else {
            tagged += 1;
            assert_eq!(indexed.polarity, full.polarity, "{sentence}");
        }
    }
    assert_eq!(tagged, 3);
    let untagged = "The canteen food was poor and the car park was too small.";
    assert_eq!(
        t.tag_in_context(untagged, &crate::analysis::analyze(untagged), None)
            .polarity,
        Polarity::Concern,
        "the untagged case should be one whose skipped polarity is not neutral"
    );
}

proptest! {
    #[test]
    fn test_tag_never_panics_on_arbitrary_unicode(s in "\\PC{0,300}") {
        let t = Tagger::embedded();
        let tags = t.tag(&s);
        for id in &tags.themes {
            prop_assert!(t.taxonomy().theme(id).is_some());
        }
    }
}

#[test]
fn test_the_embedded_model_is_loaded_lazily_with_the_same_fingerprint() {
    let lazy = Tagger::embedded();
    let model = crate::model::Model::embedded().expect("the shipped model loads");
    let given = Tagger::embedded().with_model(Some(model));
    assert_eq!(lazy.fingerprint(), given.fingerprint());
    assert_ne!(lazy.fingerprint(), lazy.without_model().fingerprint());
    let s = "Data on the number of people in work after their sentence was not collected.";
    assert_eq!(lazy.tag(s), given.tag(s));
    assert!(lazy.model().is_some());
}
