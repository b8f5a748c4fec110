//! Tests of the rule language: matching phrases, `NEAR`, alternatives, `AND NOT`, negation
//! and numbers; the prefilter against the full matcher; sentence views; parse errors and limits.

use super::*;
use crate::analysis::{self, intern, UNKNOWN_TERM};

fn view_match(rule: &str, text: &str) -> bool {
    let r = Rule::parse(rule).unwrap_or_else(|e| panic!("rule `{rule}`: {e}"));
    let toks = analysis::analyze(text);
    let negators: Vec<String> = ["no", "not", "without", "never"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let cancel = ["onli".to_string(), "just".to_string()];
    let numbers = [("five".to_string(), 5.0), ("eight".to_string(), 8.0)];
    let neg = NegationSettings::new(&negators, &cancel, 3, &numbers);
    let view = SentenceView::new(text, &toks, &neg);
    r.is_match(&view)
}

#[test]
fn test_phrase_matches_consecutive_terms_only() {
    assert!(view_match(
        "vetting delays",
        "There were long vetting delays."
    ));
    assert!(view_match("vetting delays", "Vetting delayed the start."));
    assert!(!view_match("vetting delays", "Vetting caused long delays."));
}

#[test]
fn test_near_matches_both_orders_within_window() {
    let r = "vetting NEAR/3 (delay|slow)";
    assert!(view_match(r, "delays in vetting"));
    assert!(view_match(r, "vetting was very slow"));
    assert!(!view_match(
        r,
        "vetting was done, and much later it was slow"
    ));
}

#[test]
fn test_alternatives_may_be_phrases() {
    let r = "recruitment NEAR/4 (took too long|backlog)";
    assert!(view_match(r, "recruitment took too long"));
    assert!(view_match(r, "a backlog in recruitment"));
    assert!(!view_match(r, "recruitment took long"));
}

#[test]
fn test_and_requires_both_anywhere() {
    let r = "vetting AND recruit*";
    assert!(view_match(r, "Recruitment was hampered; vetting was slow."));
    assert!(!view_match(r, "Vetting was slow."));
}

#[test]
fn test_prefix_matches_stemmed_terms() {
    assert!(view_match("recruit*", "new recruits"));
    assert!(view_match("recruit*", "recruitment campaigns"));
    assert!(!view_match("recruit*", "the cruiting"));
}

#[test]
fn test_and_not_vetoes() {
    let r = "victim* AND NOT potential victims";
    assert!(view_match(r, "Victims were contacted."));
    assert!(!view_match(r, "to protect actual or potential victims"));
}

#[test]
fn test_asserted_part_fails_under_negation() {
    let r = "vetting NEAR/5 ~(delay|slow)";
    assert!(view_match(r, "delays in vetting"));
    assert!(!view_match(r, "There were no delays in vetting."));
    // a clause break ends the negator's scope
    assert!(view_match(r, "No complaints, but delays in vetting."));
    // "not only" is not a negation
    assert!(view_match(r, "not only delays in vetting"));
}

#[test]
fn test_optional_group_inside_phrase() {
    let r = "prior to (their)? release";
    assert!(view_match(r, "prior to release"));
    assert!(view_match(r, "prior to their release"));
    assert!(!view_match(r, "prior to his release"));
    assert!(Rule::parse("(the)? release").is_err());
    assert!(Rule::parse("release (the)?").is_err());
    assert!(Rule::parse("release? now").is_err());
}

/// Which of `rules` the prefilter lets through for `text`.
fn prefiltered(rules: &[&str], text: &str) -> Vec<bool> {
    let rules: Vec<Rule> = rules
        .iter()
        .map(|r| Rule::parse(r).unwrap_or_else(|e| panic!("rule `{r}`: {e}")))
        .collect();
    let toks = analysis::analyze(text);
    let neg = NegationSettings::new(&[], &[], 3, &[]);
    let view = SentenceView::new(text, &toks, &neg);
    Prefilter::new(&rules).active(&view)
}

#[test]
fn test_prefilter_needs_a_term_of_every_required_set() {
    let rules = [
        // Needs "vet" and one of "delay"/"slow"; a prefix names no term.
        "vetting NEAR/5 (delay|slow) AND recruit*",
        // No term is needed, so it is always let through.
        "(recruit*|vetting)",
        "only #num of #num",
    ];
    assert_eq!(
        prefiltered(&rules, "Slow vetting held up recruitment."),
        [true, true, false]
    );
    assert_eq!(
        prefiltered(&rules, "Vetting was quick; only 3 of 9 posts filled."),
        [false, true, true]
    );
    assert_eq!(
        prefiltered(&rules, "Delays were long."),
        [false, true, false]
    );
    // Let through is not matched: prefixes ("recruit*"), order and distance are the
    // matcher's to check.
    assert_eq!(
        prefiltered(&rules, "Delays of many months, then vetting."),
        [true, true, false]
    );
    assert!(!view_match(
        rules[0],
        "Delays of many months, then vetting."
    ));
}

#[test]
fn test_prefilter_agrees_with_the_rules_on_the_taxonomy() {
    // Every rule the full matcher accepts must be let through, for the whole taxonomy
    // against the shipped reports' sentences.
    let taxonomy = crate::themes::Taxonomy::embedded();
    let rules: Vec<&Rule> = taxonomy
        .themes
        .iter()
        .flat_map(|t| t.matchers.iter())
        .collect();
    let prefilter = Prefilter::new(rules.iter().copied());
    let neg = NegationSettings::new(&[], &[], 3, &[]);
    let mut let_through = 0;
    let mut matched = 0;
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut sentences = Vec::new();
    for entry in std::fs::read_dir(&corpus).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if path.extension().is_some_and(|x| x == "txt") {
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
            let segmented = crate::segment::segment(&text);
            sentences.extend(
                segmented
                    .sentences
                    .iter()
                    .map(|u| text[u.start..u.end].to_string()),
            );
        }
    }
    assert!(sentences.len() > 500, "{} sentences", sentences.len());
    for text in sentences {
        let toks = analysis::analyze(&text);
        let view = SentenceView::new(&text, &toks, &neg);
        let active = prefilter.active(&view);
        for (i, rule) in rules.iter().enumerate() {
            let full = rule.is_match(&view);
            assert!(!full || active[i], "`{}` matches {text:?}", rule.source);
            if active[i] {
                let_through += 1;
                assert_eq!(rule.is_match_prefiltered(&view), full, "`{}`", rule.source);
            }
            matched += usize::from(full);
        }
    }
    assert!(
        matched > 100,
        "only {matched} matches: the sample is too small"
    );
    // The point of it: on report text (about 2,000 matches, 4,600 rules let through of
    // 530,000 pairs) far fewer rules are looked at than the taxonomy has.
    assert!(
        let_through < 4 * matched,
        "{let_through} rules let through for {matched} matches"
    );
}

#[test]
fn test_views_find_every_position_of_a_term_and_forget_them_after() {
    let neg = NegationSettings::default();
    let (delay, vet) = (intern("delay"), intern("vet"));
    let first = "Delay, vetting delays; delayed.";
    let tokens = analysis::analyze(first);
    {
        let view = SentenceView::new(first, &tokens, &neg);
        assert_eq!(view.positions(delay).collect::<Vec<_>>(), [0, 2, 3]);
        assert_eq!(view.positions(vet).collect::<Vec<_>>(), [1]);
        assert_eq!(view.distinct_term_ids().collect::<Vec<_>>(), [delay, vet]);
    }
    // The next view on this thread reuses the buffers, not the positions.
    let second = "There were no delays.";
    let tokens = analysis::analyze(second);
    let view = SentenceView::new(second, &tokens, &neg);
    assert_eq!(view.positions(delay).collect::<Vec<_>>(), [3]);
    assert_eq!(view.positions(vet).count(), 0);
    assert_eq!(view.positions(UNKNOWN_TERM).count(), 0);
}

#[test]
fn test_rule_set_lists_the_members_of_a_range() {
    let mut set = RuleSet::empty(150);
    for i in [0, 5, 63, 64, 65, 127, 128, 149, 155] {
        set.insert(i);
    }
    let members = |range| set.iter_in(range).collect::<Vec<_>>();
    assert_eq!(members(0..150), [0, 5, 63, 64, 65, 127, 128, 149]);
    assert_eq!(members(5..64), [5, 63]);
    assert_eq!(members(6..63), Vec::<usize>::new());
    assert_eq!(members(63..129), [63, 64, 65, 127, 128]);
    assert_eq!(members(70..70), Vec::<usize>::new());
    // Rules past the prefilter's end are never skipped.
    assert_eq!(members(140..153), [149, 150, 151, 152]);
    assert_eq!(members(160..162), [160, 161]);
}

#[test]
fn test_number_class() {
    assert!(view_match("only #num of #num", "only 8 of 22 cases"));
    assert!(view_match("up to #num months", "up to five months"));
    assert!(!view_match("up to #num months", "up to many months"));
}

#[test]
fn test_parse_errors_carry_columns() {
    let e = Rule::parse("(vetting | delay").unwrap_err();
    assert_eq!(e.column, 1, "{e}");
    assert!(e.message.contains("unbalanced"));
    let e = Rule::parse("vetting NEAR delay").unwrap_err();
    assert_eq!(e.column, 9);
    let e = Rule::parse("vetting NEAR/x delay").unwrap_err();
    assert!(e.message.contains("whole number"));
    let e = Rule::parse("vetting NEAR/500 delay").unwrap_err();
    assert!(e.message.contains("between 1 and"));
    let e = Rule::parse("a )").unwrap_err();
    assert_eq!(e.column, 3);
    let e = Rule::parse("!!!").unwrap_err();
    assert!(e.message.contains("analyses to nothing"));
    assert!(Rule::parse("   ").is_err());
    assert!(Rule::parse("a AND").is_err());
    assert!(Rule::parse("NOT a").is_err());
    assert!(Rule::parse("a | | b").is_err());
    assert!(Rule::parse("re*cruit").is_err());
    assert!(Rule::parse("#foo").is_err());
}

#[test]
fn test_limits_reject_pathological_rules() {
    let many = (0..200)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join("|");
    let e = Rule::parse(&format!("({many})")).unwrap_err();
    assert!(e.message.contains("alternatives"), "{e}");
    let deep = format!("{}a{}", "(".repeat(20), ")".repeat(20));
    assert!(Rule::parse(&deep).unwrap_err().message.contains("nested"));
    let long = "a ".repeat(1500);
    assert!(Rule::parse(&long).is_err());
}

#[test]
fn test_pathological_sentence_stays_bounded() {
    let rule = "(a|a a|a a a) NEAR/40 (a|a a) NEAR/40 (a a|a)";
    let text = "a ".repeat(3000);
    // Must finish quickly and not blow up memory thanks to MAX_SPANS.
    assert!(view_match(rule, &text));
}
