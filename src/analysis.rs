//! TEMPORARY stand-in until the real analysis chain lands.
use once_cell::sync::Lazy;
pub const TOKENIZER_NAME: &str = "themis";
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyzedToken {
    pub term: String,
    pub start: usize,
    pub end: usize,
    pub position: usize,
}
static STEM: Lazy<rust_stemmers::Stemmer> =
    Lazy::new(|| rust_stemmers::Stemmer::create(rust_stemmers::Algorithm::English));
pub fn analyze(text: &str) -> Vec<AnalyzedToken> {
    let mut v = Vec::new();
    analyze_into(text, &mut v);
    v
}
pub fn analyze_into(text: &str, out: &mut Vec<AnalyzedToken>) {
    out.clear();
    let mut start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
        } else if let Some(s) = start.take() {
            let w = text[s..i].to_lowercase();
            out.push(AnalyzedToken {
                term: STEM.stem(&w).into_owned(),
                start: s,
                end: i,
                position: out.len(),
            });
        }
    }
}
pub fn terms(text: &str) -> Vec<String> {
    analyze(text).into_iter().map(|t| t.term).collect()
}
#[derive(Clone, Default)]
pub struct ThemisTokenizer {
    tokens: Vec<tantivy::tokenizer::Token>,
}
pub struct VecTokenStream<'a> {
    tokens: &'a mut Vec<tantivy::tokenizer::Token>,
    i: usize,
}
impl tantivy::tokenizer::TokenStream for VecTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.i += 1;
        self.i <= self.tokens.len()
    }
    fn token(&self) -> &tantivy::tokenizer::Token {
        &self.tokens[self.i - 1]
    }
    fn token_mut(&mut self) -> &mut tantivy::tokenizer::Token {
        &mut self.tokens[self.i - 1]
    }
}
impl tantivy::tokenizer::Tokenizer for ThemisTokenizer {
    type TokenStream<'a> = VecTokenStream<'a>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> VecTokenStream<'a> {
        self.tokens.clear();
        for t in analyze(text) {
            self.tokens.push(tantivy::tokenizer::Token {
                offset_from: t.start,
                offset_to: t.end,
                position: t.position,
                text: t.term,
                position_length: 1,
            });
        }
        VecTokenStream {
            tokens: &mut self.tokens,
            i: 0,
        }
    }
}
pub fn text_analyzer() -> tantivy::tokenizer::TextAnalyzer {
    tantivy::tokenizer::TextAnalyzer::from(ThemisTokenizer::default())
}
pub fn register(index: &tantivy::Index) {
    index.tokenizers().register(TOKENIZER_NAME, text_analyzer());
}
