//! Tests of PDF extraction on the fixture letter, broken and mutated files, and the small
//! rules (page numbers, dates, titles, hyphens, list items).

use std::collections::HashSet;

use super::document::{clean_title, decode_text_string, pdf_date};
use super::furniture::is_page_number;
use super::hyphens::join_wrapped;
use super::layout::list_item;
use super::*;

const LETTER: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/formats/letter.pdf"
));

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/data/formats/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn letter() -> Extracted {
    extract_pdf(LETTER).expect("letter.pdf extracts")
}

#[test]
fn letter_has_pages_title_and_date() {
    let e = letter();
    assert!(e.pages.len() >= 3, "pages: {:?}", e.pages);
    assert_eq!(e.pages[0], 0);
    assert!(e.pages.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(
        e.title.as_deref(),
        Some("Regional review letter to the Greater Manchester Regional Probation Director")
    );
    assert_eq!(e.date.as_deref(), Some("2023-05-25"));
}

#[test]
fn page_of_finds_sentences_on_their_pages() {
    let e = letter();
    let first = "Many thanks for the cooperation we received from you and your staff during \
                 the recent review of Probation Service – Greater Manchester region.";
    let at = e.text.find(first).unwrap_or_else(|| panic!("{}", e.text));
    assert_eq!(e.page_of(at), Some(1));
    let later = "Clear governance arrangements were in place, including through the \
                 operational senior leadership team (SLT)";
    let at = e.text.find(later).expect("a page 2 sentence");
    assert_eq!(e.page_of(at), Some(2));
    let last = e
        .text
        .rfind("Key areas for improvement:")
        .expect("a later heading");
    assert!(e.page_of(last).unwrap() >= 3);
}

#[test]
fn running_header_and_page_numbers_are_gone() {
    let e = letter();
    assert!(
        !e.text
            .contains("Regional review letter to Greater Manchester RPD"),
        "{}",
        e.text
    );
    for line in e.text.lines() {
        assert!(!is_page_number(line), "page number line {line:?}");
    }
}

#[test]
fn hyphenated_words_are_rejoined() {
    let e = letter();
    // Broken by LibreOffice's hyphenation in the fixture ("Proba-/tion", "qual-/ity",
    // "mit-/igations"; "responsib-/ility" straddles pages 1 and 2).
    for word in [
        "Regional Probation Director who provides",
        "regional quality improvement",
        "appropriate mitigations had",
        "has responsibility",
    ] {
        assert!(e.text.contains(word), "{word:?} missing from:\n{}", e.text);
    }
    // The word split across pages 1 and 2 is completed on page 1.
    assert!(e.text[..e.pages[1]]
        .trim_end()
        .ends_with("has responsibility"));
    assert!(e.text[e.pages[1]..].starts_with("for the overall commissioning"));
    // Real compounds keep their hyphen.
    assert!(e.text.contains("co-commissioned"));
    assert!(!e.text.contains("Proba-"));
}

#[test]
fn wrapped_lines_become_one_paragraph_and_bullets_items() {
    let e = letter();
    assert!(e.text.contains(
        "Greater Manchester Probation Service (GMPS) was formed in June 2021, as one of 12 \
         probation regions across England and Wales."
    ));
    assert!(
        e.text
            .lines()
            .any(|l| l.starts_with("- Risks to service delivery were well")),
        "{}",
        e.text
    );
    assert!(e.text.lines().any(|l| l == "Leadership"));
}

#[test]
fn broken_files_give_the_right_errors() {
    assert_eq!(
        extract_pdf(&fixture("encrypted.pdf")),
        Err(FormatError::Encrypted)
    );
    assert_eq!(
        extract_pdf(&fixture("scanned.pdf")),
        Err(FormatError::NoText)
    );
    assert!(matches!(
        extract_pdf(&fixture("truncated.pdf")),
        Err(FormatError::Damaged(_))
    ));
    assert_eq!(
        extract_pdf(&fixture("not-a-pdf.pdf")),
        Err(FormatError::NotPdf("an HTML page".into()))
    );
    assert_eq!(extract_pdf(b""), Err(FormatError::Empty));
}

#[test]
fn mutated_letters_never_panic() {
    // xorshift: deterministic, no extra dependency.
    let mut seed = 0x9E37_79B9_7F4A_7C15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..50 {
        let mut bytes = LETTER.to_vec();
        if round % 3 == 0 {
            let cut = (next() as usize) % bytes.len();
            bytes.truncate(cut);
        } else {
            for _ in 0..1 + round % 16 {
                let at = (next() as usize) % bytes.len();
                bytes[at] ^= 1 << (next() % 8);
            }
        }
        // Any result is fine; returning at all (no panic escaping) is the test.
        let _ = extract_pdf(&bytes);
    }
}

#[test]
fn page_numbers_are_recognised() {
    for yes in [
        "3",
        "Page 3",
        "Page 3 of 12",
        "3 of 12",
        "3 | Page",
        "- 3 -",
        "iv",
        "12/40",
    ] {
        assert!(is_page_number(yes), "{yes}");
    }
    for no in ["3 cases", "Page", "Leadership", "45%", "2023 report"] {
        assert!(!is_page_number(no), "{no}");
    }
}

#[test]
fn dates_and_titles_are_cleaned() {
    assert_eq!(
        pdf_date("D:20230525090000+01'00'").as_deref(),
        Some("2023-05-25")
    );
    assert_eq!(pdf_date("20230525").as_deref(), Some("2023-05-25"));
    assert_eq!(pdf_date("D:2023"), None);
    assert_eq!(pdf_date("D:20231345"), None);
    assert_eq!(clean_title("Microsoft Word - letter.docx"), None);
    assert_eq!(clean_title("  A   title "), Some("A title".into()));
    assert_eq!(decode_text_string(b"\xFE\xFF\x00A\x20\x19"), "A’");
    assert_eq!(decode_text_string(b"caf\xE9 \x90"), "café ’");
}

#[test]
fn hyphen_rules() {
    let vocab: HashSet<String> = ["well-being", "information", "assessment", "offending"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let join = |a: &str, b: &str| {
        let mut s = a.to_string();
        join_wrapped(&mut s, b, &vocab);
        s
    };
    assert_eq!(join("the informa-", "tion was"), "the information was");
    assert_eq!(join("staff well-", "being"), "staff well-being");
    assert_eq!(join("a self-", "assessment"), "a self-assessment");
    assert_eq!(join("to re-", "view"), "to review");
    assert_eq!(join("of re-", "offending"), "of re-offending");
    assert_eq!(join("pre-", "Covid levels"), "pre-Covid levels");
    assert_eq!(join("soft\u{AD}", "ware"), "software");
    assert_eq!(join("in 2020 –", "21"), "in 2020 – 21");
    assert_eq!(join("one-to-", "one work"), "one-to-one work");
    assert_eq!(join("were inter-", "ested"), "were interested");
    assert_eq!(join("plain", "text"), "plain text");
}

#[test]
fn list_items_are_recognised() {
    assert_eq!(list_item("• Risks were"), Some("- Risks were".into()));
    assert_eq!(list_item("\u{F0B7} item"), Some("- item".into()));
    assert_eq!(list_item("1. Ensure"), Some("1. Ensure".into()));
    assert_eq!(list_item("Leadership"), None);
    assert_eq!(list_item("2023. The"), None);
    assert_eq!(list_item("to. Risks"), None);
    assert_eq!(list_item("(b) item"), Some("(b) item".into()));
    assert_eq!(list_item("iv. item"), Some("iv. item".into()));
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn pdf_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = extract_pdf(&bytes);
            // With a header and an end marker, so the bytes reach the parser.
            let mut framed = b"%PDF-1.4\n".to_vec();
            framed.extend_from_slice(&bytes);
            framed.extend_from_slice(b"\n%%EOF\n");
            let _ = extract_pdf(&framed);
        }
    }
}
