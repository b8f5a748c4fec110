//! Tests of the taxonomy and its tagger, by concept: the embedded file's contract and per-theme
//! paraphrases (`embedded`), loading and validation errors (`loading`), polarity cues
//! (`polarity`), and tagging sentences in their context and on arbitrary input (`tagging`).
//! The helpers shared by several of them are here.

use super::*;
use crate::analysis::AnalyzedToken;
use proptest::prelude::*;
use std::path::Path;

mod embedded;
mod loading;
mod polarity;
mod tagging;

/// The embedded taxonomy's rules alone: these tests are about the rule engine (the learned
/// half is tested in `crate::model` and `tests/tagger.rs`).
fn tax() -> Tagger {
    Tagger::new(
        Taxonomy::try_embedded().unwrap_or_else(|e| panic!("embedded taxonomy must load: {e}")),
    )
    .without_model()
}

fn has(t: &Tagger, sentence: &str, id: &str) -> bool {
    t.tag(sentence).themes.iter().any(|x| x == id)
}
