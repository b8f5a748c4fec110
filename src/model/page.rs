//! What the rules found earlier on the page, as a feature of the sentences that follow.
//!
//! Coders read a sentence with its page: "Sessions were cancelled because there were not
//! enough supervisors" is unpaid work on a page about unpaid work, though no word of it says
//! so. The rules' themes of the sentences read so far are a cheap summary of what the page is
//! about: for each theme, the share of the page's earlier sentences its rules tagged is a
//! feature (`d:THEME`, [`super::features::Feature::Page`]). Only earlier sentences count, so
//! the indexer still reads a report in one pass, and a sentence's tags do not depend on what
//! comes after it.

use super::features::PAGE_FACTOR;

/// A page (a report, or a labelled document) read so far.
#[derive(Debug, Clone, Default)]
pub struct PageContext {
    themes: Vec<PageTheme>,
    /// Sentences read so far.
    sentences: u32,
}

#[derive(Debug, Clone)]
struct PageTheme {
    id: String,
    /// Earlier sentences whose rules gave the theme.
    sentences: u32,
    /// The theme's page-feature row in the model the page is tagged with, found once.
    row: Option<u32>,
}

impl PageContext {
    /// A page with nothing read yet.
    pub fn new() -> PageContext {
        PageContext::default()
    }

    /// Counts a sentence whose rules gave `rule_themes`; `row_of` finds a theme's page-feature
    /// row the first time the theme is met on the page.
    pub fn record<S: AsRef<str>>(
        &mut self,
        rule_themes: &[S],
        row_of: impl Fn(&str) -> Option<u32>,
    ) {
        self.sentences += 1;
        for id in rule_themes {
            let id = id.as_ref();
            match self.themes.iter_mut().find(|t| t.id == id) {
                Some(theme) => theme.sentences += 1,
                None => self.themes.push(PageTheme {
                    id: id.to_string(),
                    sentences: 1,
                    row: row_of(id),
                }),
            }
        }
    }

    /// Each theme met so far with the share of the page's sentences so far its rules gave.
    pub fn shares(&self) -> impl Iterator<Item = (&str, f32)> + '_ {
        let read = self.sentences.max(1) as f32;
        self.themes
            .iter()
            .map(move |t| (t.id.as_str(), t.sentences as f32 / read))
    }

    /// Each theme met so far with its page feature's value: its share times [`PAGE_FACTOR`]
    /// (what training sees).
    pub(crate) fn values(&self) -> impl Iterator<Item = (&str, f32)> + '_ {
        self.shares().map(|(id, share)| (id, share * PAGE_FACTOR))
    }

    /// [`PageContext::values`] by model row, for the themes the model has a row for (what
    /// tagging adds).
    pub(crate) fn rows(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.themes
            .iter()
            .zip(self.values())
            .filter_map(|(t, (_, value))| Some((t.row?, value)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_count_the_sentences_read_so_far() {
        let mut page = PageContext::new();
        assert_eq!(page.shares().count(), 0);
        let row_of = |id: &str| (id == "victims").then_some(7);
        page.record(&["victims", "enforcement"], row_of);
        page.record::<&str>(&[], row_of);
        page.record(&["victims"], row_of);
        page.record::<&str>(&[], row_of);
        let shares: Vec<(&str, f32)> = page.shares().collect();
        assert_eq!(shares, vec![("victims", 0.5), ("enforcement", 0.25)]);
        // Only themes the model has a row for are features.
        assert_eq!(page.rows().collect::<Vec<_>>(), vec![(7, 0.5)]);
    }
}
