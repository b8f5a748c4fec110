//! Loading a taxonomy file: a minimal valid file, `exclude` rules, and every validation error
//! naming the file, theme, line and (for rules) column; fingerprints; the loader on arbitrary
//! rules.

use super::*;

const HEADER: &str = "categories = [\"workforce\", \"governance\"]\n";

fn theme_toml(id: &str, extra: &str) -> String {
    format!(
        "[[theme]]\nid = \"{id}\"\nlabel = \"L\"\ncategory = \"workforce\"\ndescription = \"D\"\n{extra}\n"
    )
}

fn load_err(src: &str) -> String {
    match Taxonomy::from_toml_str(src, "themes.toml") {
        Ok(_) => panic!("should not load:\n{src}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn test_valid_minimal_file_loads_and_tags() {
    let src = format!(
        "{HEADER}{}",
        theme_toml("a-b", "match = [\"vetting NEAR/3 delay\"]")
    );
    let t = Tagger::new(Taxonomy::from_toml_str(&src, "x.toml").expect("loads"));
    assert_eq!(t.tag("delays in vetting").themes, vec!["a-b".to_string()]);
    // no [polarity] table: the embedded cues are used
    assert_eq!(
        t.tag("Management oversight was insufficient.").polarity,
        Polarity::Concern
    );
}

#[test]
fn test_exclude_rules_veto_the_theme() {
    let src = format!(
        "{HEADER}{}",
        theme_toml(
            "court",
            "match = [\"court\"]\nexclude = [\"(return|returned) to court\"]"
        )
    );
    let t = Tagger::new(Taxonomy::from_toml_str(&src, "x.toml").expect("loads"));
    assert_eq!(
        t.tag("The court team was strong.").themes,
        vec!["court".to_string()]
    );
    assert!(t.tag("The case was returned to court.").themes.is_empty());
    let th = t.taxonomy().theme("court").expect("theme");
    assert_eq!(th.match_rules().collect::<Vec<_>>(), vec!["court"]);
    assert_eq!(th.exclude_rules().count(), 1);
}

#[test]
fn test_unknown_key_names_theme_and_line() {
    let src = format!(
        "{HEADER}{}{}",
        theme_toml("first", "match = [\"a\"]"),
        theme_toml("second", "match = [\"b\"]\nmatches = [\"c\"]")
    );
    let e = load_err(&src);
    assert!(e.starts_with("themes.toml:14:"), "{e}");
    assert!(e.contains("theme `second`"), "{e}");
    assert!(e.contains("unknown field `matches`"), "{e}");
    let e = load_err(&format!(
        "colour = 1\n{}",
        theme_toml("a", "match = [\"a\"]")
    ));
    assert!(
        e.starts_with("themes.toml:1:") && e.contains("colour"),
        "{e}"
    );
}

#[test]
fn test_duplicate_id_names_theme_and_line() {
    let src = format!(
        "{HEADER}{}{}",
        theme_toml("dup", "match = [\"a\"]"),
        theme_toml("dup", "match = [\"b\"]")
    );
    let e = load_err(&src);
    assert_eq!(e, "themes.toml:9: theme `dup`: duplicate theme id");
}

#[test]
fn test_empty_rule_list_and_missing_rules_are_errors() {
    let e = load_err(&format!("{HEADER}{}", theme_toml("t", "match = []")));
    assert_eq!(e, "themes.toml:7: theme `t`: `match` is empty");
    let e = load_err(&format!("{HEADER}{}", theme_toml("t", "")));
    assert!(
        e.starts_with("themes.toml:3: theme `t`: no `match` rules"),
        "{e}"
    );
}

#[test]
fn test_empty_rule_is_an_error() {
    let e = load_err(&format!(
        "{HEADER}{}",
        theme_toml("t", "match = [\"a\", \"  \"]")
    ));
    assert!(e.starts_with("themes.toml:7: theme `t`: rule `  `"), "{e}");
    assert!(e.contains("empty"), "{e}");
}

#[test]
fn test_rule_that_analyses_to_nothing_is_an_error() {
    let e = load_err(&format!(
        "{HEADER}{}",
        theme_toml(
            "vetting-recruitment",
            "match = [\n  \"vetting\",\n  \"!!!\",\n]"
        )
    ));
    assert!(
        e.starts_with("themes.toml:9: theme `vetting-recruitment`: rule `!!!`"),
        "{e}"
    );
    assert!(e.contains("analyses to nothing"), "{e}");
}

#[test]
fn test_unknown_category_is_an_error() {
    let src = format!(
        "{HEADER}[[theme]]\nid = \"x\"\nlabel = \"L\"\ncategory = \"sport\"\ndescription = \"D\"\nmatch = [\"a\"]\n"
    );
    let e = load_err(&src);
    assert!(
        e.starts_with("themes.toml:5: theme `x`: unknown category `sport`"),
        "{e}"
    );
    // without a categories list, the five defaults apply
    let src = "[[theme]]\nid = \"x\"\nlabel = \"L\"\ncategory = \"practice\"\ndescription = \"D\"\nmatch = [\"a\"]\n";
    assert!(Taxonomy::from_toml_str(src, "t.toml").is_ok());
}

#[test]
fn test_malformed_rules_report_theme_line_and_column() {
    for (rule, needle) in [
        ("(vetting | delay", "unbalanced `(`"),
        ("vetting) delay", "unbalanced `)`"),
        ("vetting NEAR delay", "NEAR needs a window"),
        ("vetting NEAR/0 delay", "between 1 and"),
        ("vetting NEAR/9999 delay", "between 1 and"),
        ("vetting AND", "ends where"),
        ("NOT vetting", "cannot start with NOT"),
        ("a | | b", "empty alternative"),
        ("(the)? vetting", "optional group"),
    ] {
        let e = load_err(&format!(
            "{HEADER}{}",
            theme_toml(
                "rules",
                &format!("exclude = [\"x\"]\nmatch = [\n\"{rule}\"]")
            )
        ));
        assert!(
            e.starts_with("themes.toml:9: theme `rules`: rule `"),
            "{rule}: {e}"
        );
        assert!(e.contains("(column "), "{rule}: {e}");
        assert!(e.contains(needle), "{rule}: {e}");
    }
}

#[test]
fn test_oversized_rules_are_rejected() {
    let alts = (0..400)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join("|");
    let e = load_err(&format!(
        "{HEADER}{}",
        theme_toml("big", &format!("match = [\"({alts})\"]"))
    ));
    assert!(
        e.contains("theme `big`") && e.contains("alternatives"),
        "{e}"
    );
}

#[test]
fn test_toml_syntax_error_names_the_line() {
    let e = load_err(&format!("{HEADER}[[theme]]\nid = \"a\nlabel = 1\n"));
    assert!(e.starts_with("themes.toml:3:"), "{e}");
}

#[test]
fn test_polarity_table_errors_name_the_key() {
    let src = format!(
        "{HEADER}[polarity]\nconcern = [\"fine\", \"(bad\"]\n{}",
        theme_toml("a", "match = [\"a\"]")
    );
    let e = load_err(&src);
    assert!(e.starts_with("themes.toml:3: [polarity] concern:"), "{e}");
    let src = format!(
        "{HEADER}[polarity]\nnegators = [\"not at all\"]\n{}",
        theme_toml("a", "match = [\"a\"]")
    );
    assert!(load_err(&src).contains("exactly one word"));
}

#[test]
fn test_from_file_reports_missing_file() {
    let e = Taxonomy::from_file(Path::new("/definitely/not/here/themes.toml"))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        e.starts_with("/definitely/not/here/themes.toml: cannot read"),
        "{e}"
    );
}

#[test]
fn test_fingerprint_depends_on_source() {
    let a = format!("{HEADER}{}", theme_toml("a", "match = [\"a\"]"));
    let b = format!("{HEADER}{}", theme_toml("a", "match = [\"b\"]"));
    let fa = Taxonomy::from_toml_str(&a, "a").map(|t| Tagger::new(t).fingerprint().to_string());
    let fb = Taxonomy::from_toml_str(&b, "b").map(|t| Tagger::new(t).fingerprint().to_string());
    let (fa, fb) = (fa.expect("a"), fb.expect("b"));
    assert_eq!(fa.len(), 64);
    assert_ne!(fa, fb);
    assert_eq!(
        tax().fingerprint(),
        Tagger::embedded().without_model().fingerprint()
    );
}

proptest! {
    #[test]
    fn test_loader_never_panics_on_arbitrary_rules(rule in "[a-z()|~*?/ #NEARDOT0-9]{0,60}") {
        let src = format!("[[theme]]\nid = \"x\"\nlabel = \"L\"\ncategory = \"practice\"\ndescription = \"D\"\nmatch = [{:?}]\n", rule);
        let _ = Taxonomy::from_toml_str(&src, "p.toml");
    }
}
