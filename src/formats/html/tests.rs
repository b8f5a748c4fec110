//! Tests of HTML extraction on the fixture pages: content kept, chrome dropped, structure,
//! charsets, refusals and dates.

use super::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/formats/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn html(s: &str) -> String {
    extract_html(s.as_bytes()).expect("extracts").text
}

#[test]
fn report_keeps_the_article_and_its_sentences() {
    let e = extract_html(&fixture("report.html")).unwrap();
    let t = &e.text;
    assert!(e.pages.is_empty());
    assert_eq!(e.page_of(0), None);
    assert_eq!(
        e.title.as_deref(),
        Some("Dynamic Inspection of Public Protection in South West region")
    );
    assert_eq!(e.date.as_deref(), Some("2026-01-20"));
    for sentence in [
        "fewer than half of cases met the sufficient standard for keeping people safe",
        "Reduce vetting delays and address workforce instability",
        "A largely inexperienced workforce, including middle managers, reported significant gaps in training.",
    ] {
        assert!(t.contains(sentence), "{sentence:?} missing:\n{t}");
    }
    assert!(
        t.lines().any(|l| l == "## Chief Inspector’s judgement"),
        "{t}"
    );
    assert!(t.lines().any(|l| l.starts_with("- Reduce vetting delays")));
}

#[test]
fn report_drops_site_chrome() {
    let t = extract_html(&fixture("report.html")).unwrap().text;
    for chrome in [
        "cookies",
        "Accept additional",
        "Media & news",
        "Contact us",
        "Back to top",
        "Skip to content",
        "Search this site",
        "Crown copyright",
        "Accessibility statement",
        "dataLayer",
        "font-family",
        "Tracking pixel",
    ] {
        assert!(!t.contains(chrome), "{chrome:?} leaked:\n{t}");
    }
    // The breadcrumb's last item.
    assert!(!t.lines().any(|l| l == "South West"));
}

#[test]
fn report_tables_become_rows_and_entities_are_decoded() {
    let t = extract_html(&fixture("report.html")).unwrap().text;
    assert!(
        t.contains("| Does assessment focus sufficiently on keeping other people safe? | 45% |")
    );
    assert!(t.contains("| Key question | Percentage ‘Yes’ |"));
    assert!(t.contains("| Recall rates (in the 12 months prior to inspection) | 21.47% |"));
    assert!(t.contains("region’s strategic leadership team"));
    assert!(t.contains("Cornwall & Isles of Scilly"));
    assert!(t.contains("Published: 20 January 2026"));
    assert!(!t.contains("&rsquo;") && !t.contains("&amp;") && !t.contains("&nbsp;"));
    assert!(!t.contains('\u{A0}'), "nbsp should collapse to a space");
}

#[test]
fn nav_heavy_page_gives_only_the_article() {
    let e = extract_html(&fixture("nav-heavy.html")).unwrap();
    assert_eq!(
        e.text,
        "# Greater Manchester probation review published\n\n\
         Inspectors found that the region’s leaders had a clear vision, but the quality of \
         casework was yet to improve.\n\n\
         Staff shortages and high workloads remained the main obstacles."
    );
    assert_eq!(
        e.title.as_deref(),
        Some("Probation news – Greater Manchester")
    );
    assert_eq!(e.date, None);
}

#[test]
fn structure_is_kept() {
    let t = html(
        "<p>One\n  two<br>three</p><ul><li>a <b>b</b><li>c<ul><li>d</li></ul></ul>\
         <table><caption>Scores</caption><tr><th>Q</th><th>%</th></tr>\
         <tr><td>x | y</td><td><p>45%</p></td></tr></table><h3>End</h3>",
    );
    assert_eq!(
        t,
        "One two\nthree\n\n- a b\n- c\n- d\n\nScores\n| Q | % |\n| x / y | 45% |\n\n### End"
    );
}

#[test]
fn body_without_main_drops_site_header_and_footer() {
    let t = html(
        "<body><header>Site</header><div class=breadcrumbs>Home</div><p>Text</p>\
         <p><a href=#top>Back to top</a></p><footer>Foot</footer></body>",
    );
    assert_eq!(t, "Text");
}

#[test]
fn charsets_are_honoured() {
    let latin = b"<html><head><meta charset=iso-8859-1></head><body><p>caf\xe9 \x92</p>";
    assert_eq!(extract_html(latin).unwrap().text, "café ’");
    // No declaration and invalid UTF-8: Windows-1252.
    assert_eq!(extract_html(b"<p>it\x92s</p>").unwrap().text, "it’s");
    let bom = b"\xEF\xBB\xBF<p>\xE2\x80\x99</p>";
    assert_eq!(extract_html(bom).unwrap().text, "’");
    let utf16: Vec<u8> = "\u{FEFF}<p>hi</p>"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(extract_html(&utf16).unwrap().text, "hi");
}

#[test]
fn binary_and_empty_files_are_refused() {
    assert!(matches!(
        extract_html(&fixture("letter.pdf")),
        Err(FormatError::NotHtml(_))
    ));
    assert!(matches!(
        extract_html(b"GIF89a\x01\x00"),
        Err(FormatError::NotHtml(_))
    ));
    assert_eq!(extract_html(b"  \n"), Err(FormatError::Empty));
}

#[test]
fn deep_nesting_is_bounded() {
    // Our own walk is iterative, so nesting is no stack risk...
    let deep = "<div>".repeat(3_000) + "deep" + &"</div>".repeat(3_000);
    assert!(html(&deep).contains("deep"));
    // ...but the parser is quadratic in depth, so absurd nesting is refused up front.
    let absurd = "<div>".repeat(100_000);
    assert!(matches!(
        extract_html(absurd.as_bytes()),
        Err(FormatError::TooLarge(_))
    ));
    assert_eq!(nesting_depth("<p>a<p>b<div><span>x</span></div><br>"), 2);
}

#[test]
fn dates_from_meta() {
    let e = extract_html(
        b"<meta property='article:published_time' content='2024-03-05T10:00:00Z'><p>x",
    )
    .unwrap();
    assert_eq!(e.date.as_deref(), Some("2024-03-05"));
    assert_eq!(parse_date("2024/02/30"), None);
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn html_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = extract_html(&bytes);
        }

        #[test]
        fn markup_soup_never_panics(s in "(<[a-z/!]{0,8}( [a-z]+=\"?[a-z ]*\"?)?>|&[a-z#0-9]{0,6};?|[a-z |\n]{0,12}){0,60}") {
            let _ = extract_html(s.as_bytes());
        }
    }
}
