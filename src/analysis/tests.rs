//! Tests of the analysis chain: offsets and terms, the fast path against the HF path (also as
//! properties), the stem cache, term ids, joined prepared tokens, and the tantivy tokenizer.

use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::chain::for_each_token;
use super::stem_cache::{StemCache, INLINE_WORD, STEMMER};
use super::term_table::term_count;
use super::*;

/// Analyses with every span forced through the HF normaliser.
fn analyze_hf(text: &str) -> Vec<AnalyzedToken> {
    let mut out = Vec::new();
    for_each_token(text, true, &mut |term, start, end, _| {
        let position = out.len();
        out.push(AnalyzedToken::new(term, start, end, position));
    });
    out
}

fn check_invariants(text: &str, toks: &[AnalyzedToken]) {
    let mut prev: Option<&AnalyzedToken> = None;
    for t in toks {
        assert!(t.start < t.end, "{text:?}: {t:?}");
        assert!(t.end <= text.len(), "{text:?}: {t:?}");
        assert!(text.is_char_boundary(t.start), "{text:?}: {t:?}");
        assert!(text.is_char_boundary(t.end), "{text:?}: {t:?}");
        assert!(!t.term.is_empty());
        if let Some(p) = prev {
            assert!(p.start <= t.start, "{text:?}: {p:?} then {t:?}");
            assert_eq!(p.position + 1, t.position);
        } else {
            assert_eq!(t.position, 0);
        }
        prev = Some(t);
    }
}

#[test]
fn test_offsets_slice_original_words() {
    let cases: &[(&str, &[&str])] = &[
        ("children’s services", &["children’s", "services"]),
        ("information-sharing", &["information", "sharing"]),
        ("PQiP", &["PQiP"]),
        ("86 per cent", &["86", "per", "cent"]),
        ("Zoë Café", &["Zoë", "Café"]),
        ("5.6 per cent", &["5.6", "per", "cent"]),
        ("late.\r\nNext line\r\n", &["late", "Next", "line"]),
        ("staff 😀 morale 👍🏽ok", &["staff", "morale", "ok"]),
        ("cafe\u{301} e\u{301}cole", &["cafe\u{301}", "e\u{301}cole"]),
        ("ﬁnding ①", &["ﬁnding", "①"]),
        ("24.88% of cases", &["24.88", "of", "cases"]),
    ];
    for (text, expected) in cases {
        let toks = analyze(text);
        check_invariants(text, &toks);
        let got: Vec<&str> = toks.iter().map(|t| &text[t.start..t.end]).collect();
        assert_eq!(&got, expected, "{text:?}");
    }
}

#[test]
fn test_terms_normalised() {
    assert_eq!(terms("PQiP"), ["pqip"]);
    assert_eq!(terms("Zoë Café"), ["zoe", "cafe"]);
    assert_eq!(terms("ﬁnding ①"), ["find", "1"]);
    assert_eq!(terms("86 per cent"), ["86", "per", "cent"]);
    assert_eq!(
        terms("5.6 per cent, 24.88%"),
        ["5.6", "per", "cent", "24.88"]
    );
    assert_eq!(terms("2023."), ["2023"]);
    assert_eq!(terms("e.g. 3.x"), ["e", "g", "3", "x"]);
    assert_eq!(terms("no delays"), ["no", "delay"]);
}

#[test]
fn test_apostrophes_kept_for_stemmer() {
    assert_eq!(terms("children’s"), ["children"]);
    assert_eq!(terms("children's"), ["children"]);
    assert_eq!(terms("childrens"), ["children"]);
    assert_eq!(terms("CHILDREN‘S"), ["children"]);
    assert_eq!(terms("people's"), ["peopl"]);
    // Leading/trailing apostrophes are not inside a word and are dropped.
    assert_eq!(terms("'quoted' students'"), ["quot", "student"]);
}

#[test]
fn test_hyphens_and_dashes_split() {
    let joined = analyze("information-sharing");
    let spaced = analyze("information sharing");
    let en_dash = analyze("information–sharing");
    let as_terms = |v: &[AnalyzedToken]| {
        v.iter()
            .map(|t| (t.term.clone(), t.position))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        as_terms(&joined),
        [("inform".to_string(), 0), ("share".to_string(), 1)]
    );
    assert_eq!(as_terms(&joined), as_terms(&spaced));
    assert_eq!(as_terms(&joined), as_terms(&en_dash));
}

#[test]
fn test_stemming_shares_terms() {
    assert_eq!(terms("delays delayed delay"), ["delay", "delay", "delay"]);
    // Snowball English: "vetting" and "vetted" undouble to "vet".
    assert_eq!(terms("vetting vetted vet"), ["vet", "vet", "vet"]);
}

#[test]
fn test_long_tokens_dropped_positions_consecutive() {
    let junk = "x".repeat(MAX_TERM_BYTES + 1);
    let text = format!("before {junk} after");
    let toks = analyze(&text);
    assert_eq!(toks.len(), 2);
    assert_eq!(&text[toks[1].start..toks[1].end], "after");
    assert_eq!(toks[1].position, 1);
    let ok = "y".repeat(MAX_TERM_BYTES);
    assert_eq!(analyze(&ok).len(), 1);
}

#[test]
fn test_fast_path_matches_hf_path_on_ascii() {
    let text = "Information-sharing with police was LATE. There were long delays in \
                vetting (86 per cent; 5.6%, 24.88). Children's services' people's o'clock \
                rock'n'roll 1.2.3 v2.0 a.5 5.a 'quoted' x--y __init__ \r\n\tPQiP 2023.";
    assert_eq!(analyze(text), analyze_hf(text));
    let typographic = "Children’s services — information‑sharing, “good” … 5.6\u{a0}% «ok»";
    assert_eq!(analyze(typographic), analyze_hf(typographic));
    let all_ascii: String = (0u8..128).map(char::from).collect();
    assert_eq!(analyze(&all_ascii), analyze_hf(&all_ascii));
}

#[test]
fn test_no_tokens_from_empty_or_punctuation() {
    assert!(analyze("").is_empty());
    assert!(analyze("  --- %%% ... '' ’’ — ").is_empty());
}

#[test]
fn test_analyze_into_reuses_buffer() {
    let mut buf = analyze("one two three");
    analyze_into("four", &mut buf);
    assert_eq!(buf.len(), 1);
    assert_eq!(buf[0].term, "four");
    assert_eq!(buf[0].position, 0);
}

#[test]
fn test_stem_cache_keeps_the_two_latest_words_of_a_set_and_long_words_apart() {
    let mut cache = StemCache::new();
    // Three words of one set: the least recently used makes way for the third.
    let first = "word0".to_string();
    let set = StemCache::set_of(&first);
    let same: Vec<String> = (1..100_000)
        .map(|i| format!("word{i}"))
        .filter(|w| StemCache::set_of(w) == set)
        .take(2)
        .collect();
    assert_eq!(same.len(), 2);
    let unresolved = TermStamp::UNRESOLVED;
    fn stem_of(cache: &mut StemCache, word: &str) -> Option<String> {
        cache
            .get(word, term_count())
            .map(|(stem, _)| stem.to_string())
    }
    cache.insert(&first, "stem0", unresolved);
    cache.insert(&same[0], "stem1", unresolved);
    assert_eq!(stem_of(&mut cache, &first).as_deref(), Some("stem0"));
    cache.insert(&same[1], "stem2", unresolved);
    assert_eq!(stem_of(&mut cache, &first).as_deref(), Some("stem0"));
    assert_eq!(stem_of(&mut cache, &same[0]), None);
    assert_eq!(stem_of(&mut cache, &same[1]).as_deref(), Some("stem2"));
    let long = "a".repeat(INLINE_WORD + 1);
    assert_eq!(stem_of(&mut cache, &long), None);
    cache.insert(&long, "along", unresolved);
    assert_eq!(stem_of(&mut cache, &long).as_deref(), Some("along"));
    assert_eq!(stem_of(&mut cache, "word"), None);
    // A stem that starts its word is kept as a length, and comes back whole.
    cache.insert("delays", "delay", unresolved);
    cache.insert("happy", "happi", unresolved);
    assert_eq!(stem_of(&mut cache, "delays").as_deref(), Some("delay"));
    assert_eq!(stem_of(&mut cache, "happy").as_deref(), Some("happi"));
    // Through the analyser, cached or not, a word always gets its own stem.
    for _ in 0..2 {
        assert_eq!(terms("inspections inspected inspecting"), ["inspect"; 3]);
    }
}

#[test]
fn test_term_ids_follow_terms_added_after_analysis() {
    // A word no rule names: analysed (and remembered by the stem cache) as unknown…
    let text = "Quuxification, quuxification";
    let before = analyze(text);
    let mut ids = Vec::new();
    term_ids_into(&before, &mut ids);
    assert_eq!(ids, [UNKNOWN_TERM, UNKNOWN_TERM]);
    // …until a rule names it: tokens made before and after both get its id.
    let id = intern(&before[0].term);
    term_ids_into(&before, &mut ids);
    assert_eq!(ids, [id, id]);
    let after = analyze(text);
    assert!(after.iter().all(|t| t.stamp.id(term_count()) == Some(id)));
    term_ids_into(&after, &mut ids);
    assert_eq!(ids, [id, id]);
    // Tokens made by hand carry no id and are looked up.
    term_ids_into(
        &[AnalyzedToken::new(before[0].term.clone(), 0, 1, 0)],
        &mut ids,
    );
    assert_eq!(ids, [id]);
}

fn prepared_tokens(prepared: &PreparedTokens) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    prepared.for_each(&mut |term, start, end| out.push((term.to_owned(), start, end)));
    out
}

fn expected_tokens(text: &str) -> Vec<(String, usize, usize)> {
    analyze(text)
        .into_iter()
        .map(|t| (t.term, t.start, t.end))
        .collect()
}

/// Joins `text` from the tokens of the given byte ranges of it.
fn join(text: &str, pieces: &[std::ops::Range<usize>]) -> Option<PreparedTokens> {
    let mut joiner = PreparedTokens::joiner(text);
    for piece in pieces {
        let tokens = text.get(piece.clone()).map(analyze).unwrap_or_default();
        joiner.push(piece.clone(), &tokens);
    }
    joiner.finish()
}

#[test]
fn test_joined_sentences_give_the_passages_tokens() {
    let text = "Vetting took weeks. Staff’s cases waited – badly.  Managers agreed.";
    let second = text.find("Staff").unwrap();
    let third = text.find("Managers").unwrap();
    let pieces = [0..19, second..third - 2, third..text.len()];
    let prepared = join(text, &pieces).expect("sentences end at separators");
    assert_eq!(prepared_tokens(&prepared), expected_tokens(text));
    assert_eq!(prepared.text(), text);
}

#[test]
fn test_joining_refuses_what_would_change_the_tokens() {
    // A cut inside a word, a number or a contraction joins what the whole text keeps
    // together.
    assert!(join("Rates rose 5.6 points.", &[0..12, 12..22]).is_none());
    assert!(join("children's services", &[0..8, 8..19]).is_none());
    assert!(join("information sharing", &[0..5, 5..19]).is_none());
    // Text left out of every piece holds a word.
    assert!(join("One. Two. Three.", &[0..4, 10..16]).is_none());
    // Pieces out of order, overlapping, or outside the text.
    assert!(join("One. Two.", &[5..9, 0..4]).is_none());
    assert!(join("One. Two.", &[0..4, 2..9]).is_none());
    assert!(join("One.", &[0..2, 2..40]).is_none());
    // Left-out text without words is fine.
    assert!(join("One. -- Two.", &[0..4, 8..12]).is_some());
}

#[test]
fn test_tokenizer_uses_handed_over_tokens_only_for_their_text() {
    let text = "Vetting delays stopped new staff starting.";
    let mut joiner = PreparedTokens::joiner(text);
    // Deliberately not the text's tokens, to see which the tokenizer uses.
    let marked = vec![AnalyzedToken::new("marked", 0, 7, 0)];
    joiner.push(0..text.len(), &marked);
    let prepared = std::sync::Arc::new(joiner.finish().expect("one whole piece"));
    let terms_of = |tokenizer: &mut ThemisTokenizer, text: &str| {
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    };
    let mut tokenizer = ThemisTokenizer::default();
    hand_over(Some(prepared.clone()));
    assert_eq!(terms_of(&mut tokenizer, "Another text."), ["anoth", "text"]);
    assert_eq!(terms_of(&mut tokenizer, text), ["marked"]);
    // Taken once: the same text again is analysed.
    assert_eq!(terms_of(&mut tokenizer, "Vetting."), ["vet"]);
    assert_eq!(terms_of(&mut tokenizer, text).len(), 6);
}

#[test]
fn test_tokenizer_matches_analyze() {
    let mut tok = ThemisTokenizer::default();
    // The token buffer is reused from one text to the next, longer or shorter.
    for text in [
        "Information-sharing with police was late.",
        "Information-sharing with police was late.",
        "Zoë’s ﬁle",
        "",
        "",
        "x",
        "Information-sharing with police was late.",
    ] {
        let mut got = Vec::new();
        let mut stream = tok.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            got.push(AnalyzedToken::new(
                t.text.clone(),
                t.offset_from,
                t.offset_to,
                t.position,
            ));
        }
        assert_eq!(got, analyze(text));
    }
}

#[test]
fn test_tantivy_integration() {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::QueryParser;
    use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions};
    use tantivy::snippet::SnippetGenerator;
    use tantivy::{doc, Index, ReloadPolicy};

    let mut sb = Schema::builder();
    let opts = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER_NAME)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let body = sb.add_text_field("body", opts);
    let index = Index::create_in_ram(sb.build());
    register(&index);
    let mut writer = index.writer(15_000_000).unwrap();
    for text in [
        "Information-sharing with police was late.",
        "Information sharing was good.",
        "There were long delays in vetting.",
        "The children’s services were stretched.",
    ] {
        writer.add_document(doc!(body => text)).unwrap();
    }
    writer.commit().unwrap();
    let reader = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .unwrap();
    reader.reload().unwrap();
    let searcher = reader.searcher();
    let qp = QueryParser::for_index(&index, vec![body]);
    let count = |q: &str| {
        searcher
            .search(&qp.parse_query(q).unwrap(), &Count)
            .unwrap()
    };

    assert_eq!(count("\"information sharing\""), 2);
    assert_eq!(count("delay"), 1);
    assert_eq!(count("vetted"), 1);
    // `'` is a quote character in tantivy's query grammar: a bare `children's` is a
    // SyntaxError, so callers must quote or escape it (or use the curly form).
    assert!(qp.parse_query("children's").is_err());
    assert_eq!(count("\"children's\""), 1);
    assert_eq!(count("children\\'s"), 1);
    assert_eq!(count("children’s"), 1);
    assert_eq!(count("childrens"), 1);
    assert_eq!(count("children"), 1);

    let q = qp.parse_query("delay").unwrap();
    let top = searcher
        .search(&q, &TopDocs::with_limit(1).order_by_score())
        .unwrap();
    let doc: tantivy::TantivyDocument = searcher.doc(top[0].1).unwrap();
    let gen = SnippetGenerator::create(&searcher, &*q, body).unwrap();
    let snippet = gen.snippet_from_doc(&doc);
    let frag = snippet.fragment();
    let ranges = snippet.highlighted();
    assert_eq!(ranges.len(), 1);
    assert_eq!(&frag[ranges[0].clone()], "delays");

    let q = qp.parse_query("\"information sharing\"").unwrap();
    let gen = SnippetGenerator::create(&searcher, &*q, body).unwrap();
    let s = gen.snippet("Information-sharing with police was late.");
    assert_eq!(
        s.to_html(),
        "<b>Information</b>-<b>sharing</b> with police was late"
    );
}

#[test]
#[ignore = "timing print, run with --release -- --ignored --nocapture"]
fn test_throughput() {
    let para = "The inspection found that information-sharing with police was often late, \
                and there were long delays in vetting. In 86 per cent of cases (5.6% fewer \
                than in 2023) the PQiP had assessed risk of serious harm to children's \
                services adequately; managers' oversight was insufficient.\n";
    let ascii = para.repeat(20_000_000 / para.len());
    let mixed_para = "The inspection found that information‑sharing with police was often \
                      late – and there were long delays in vetting. In 86 per cent of cases \
                      the PQiP had assessed risk to children’s services; Zoë’s café.\n";
    let mixed = mixed_para.repeat(20_000_000 / mixed_para.len());
    // Worst case for the stem cache: ~2M distinct made-up words, so the cache keeps
    // missing and being cleared.
    let mut unique = String::new();
    let mut k: u64 = 0;
    while unique.len() < 20_000_000 {
        let mut w = k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 40;
        for _ in 0..7 {
            unique.push(char::from(b'a' + (w % 26) as u8));
            w /= 26;
        }
        unique.push_str(if k % 12 == 11 { ".\n" } else { "ing " });
        k += 1;
    }
    for (name, text) in [("ascii", &ascii), ("unique", &unique)] {
        let t = std::time::Instant::now();
        let mut total = 0;
        for w in text.split_ascii_whitespace() {
            total += STEMMER.stem(w.trim_end_matches('.')).len();
        }
        let mb = text.len() as f64 / 1e6;
        println!(
            "{name}: bare Snowball stemming of every word {:.1} MB/s ({total})",
            mb / t.elapsed().as_secs_f64()
        );
    }
    let mut buf = Vec::new();
    for (name, text) in [("ascii", &ascii), ("mixed", &mixed), ("unique", &unique)] {
        let t0 = std::time::Instant::now();
        analyze_into(text, &mut buf);
        let secs = t0.elapsed().as_secs_f64();
        let n = buf.len();
        // Per-sentence calls, as the tagger makes them.
        let t1 = std::time::Instant::now();
        let mut m = 0;
        for line in text.lines() {
            analyze_into(line, &mut buf);
            m += buf.len();
        }
        let secs_lines = t1.elapsed().as_secs_f64();
        let mut tok = ThemisTokenizer::default();
        let t2 = std::time::Instant::now();
        let mut k = 0;
        for line in text.lines() {
            let mut s = tok.token_stream(line);
            while s.advance() {
                k += 1;
            }
        }
        let secs_tok = t2.elapsed().as_secs_f64();
        let mb = text.len() as f64 / 1e6;
        println!(
            "{name}: {mb:.1} MB, {n} tokens: analyze {:.1} MB/s, per-line analyze_into {:.1} MB/s ({m}), tantivy tokenizer {:.1} MB/s ({k})",
            mb / secs,
            mb / secs_lines,
            mb / secs_tok
        );
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn mixed_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            "[A-Za-z0-9]{1,8}",
            Just(" ".to_string()),
            Just("-".to_string()),
            Just("'".to_string()),
            Just(".".to_string()),
            Just("\r\n".to_string()),
            Just("’".to_string()),
            Just("é".to_string()),
            Just("\u{301}".to_string()),
            Just("ﬁ".to_string()),
            Just("①".to_string()),
            Just("½".to_string()),
            Just("😀".to_string()),
            Just("İ".to_string()),
            Just("ß".to_string()),
            Just("한".to_string()),
            "\\PC{1,3}",
        ];
        proptest::collection::vec(piece, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn test_prop_any_unicode_invariants(text in "\\PC*|.*") {
            let toks = analyze(&text);
            check_invariants(&text, &toks);
            let t: Vec<String> = toks.into_iter().map(|t| t.term).collect();
            prop_assert_eq!(terms(&text), t);
        }

        #[test]
        fn test_prop_mixed_invariants(text in mixed_text()) {
            let toks = analyze(&text);
            check_invariants(&text, &toks);
            let t: Vec<String> = toks.into_iter().map(|t| t.term).collect();
            prop_assert_eq!(terms(&text), t);
        }

        #[test]
        fn test_prop_ascii_fast_path_equals_hf(text in "[ -~\t\r\n]{0,80}") {
            prop_assert_eq!(analyze(&text), analyze_hf(&text));
        }

        #[test]
        fn test_prop_joined_pieces_are_the_whole_texts_tokens_or_nothing(
            text in "([a-zA-Z0-9'. ,\n-]|’|–|\u{a0}|é|\u{301}){0,60}",
            cuts in proptest::collection::vec(0usize..64, 0..8),
        ) {
            // Cut the text anywhere (on char boundaries), drop every other gap's worth
            // of text from the pieces, and join: an answer must be the exact tokens.
            let mut points: Vec<usize> = cuts
                .into_iter()
                .map(|c| c.min(text.len()))
                .filter(|&c| text.is_char_boundary(c))
                .chain([0, text.len()])
                .collect();
            points.sort_unstable();
            points.dedup();
            let mut joiner = PreparedTokens::joiner(&text);
            for (k, pair) in points.windows(2).enumerate() {
                if k % 3 != 2 {
                    joiner.push(pair[0]..pair[1], &analyze(&text[pair[0]..pair[1]]));
                }
            }
            if let Some(prepared) = joiner.finish() {
                prop_assert_eq!(prepared_tokens(&prepared), expected_tokens(&text));
            }
        }

        #[test]
        fn test_prop_fast_punctuation_equals_hf(
            text in "([a-zA-Z0-9'. -]|’|‘|‛|′|ʼ|‐|‑|‒|–|—|―|−|\u{a0}|“|”|«|»|•|…|\u{301}|é){0,40}"
        ) {
            prop_assert_eq!(analyze(&text), analyze_hf(&text));
        }
    }
}
