//! The taxonomy with counts per theme (what `themis themes --json` prints and the web
//! interface's `/api/themes` returns), and one theme's sentences (`themes show`).

use serde::Serialize;

use crate::findings::{ThemeExcerpts, ThemeReportExcerpts};
use crate::stats::{CountTable, PolarityFilter, ThemeTotals};
use crate::themes::{Taxonomy, Theme};

/// One theme with its counts over the index.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeEntry {
    /// Theme id.
    pub id: String,
    /// Label.
    pub label: String,
    /// Category.
    pub category: String,
    /// What the theme means.
    pub description: String,
    /// Sentences, reports and regions raising it; concern and strength sentences.
    #[serde(flatten)]
    pub counts: ThemeTotals,
}

/// Every theme of the taxonomy, in taxonomy order, with the number of indexed reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemesView {
    /// Indexed reports.
    pub reports: usize,
    /// The themes.
    pub themes: Vec<ThemeEntry>,
}

impl ThemesView {
    /// Counts every tagged sentence of each theme of `taxonomy` in `table`.
    pub fn build(table: &CountTable, taxonomy: &Taxonomy) -> ThemesView {
        let totals = table.theme_totals(PolarityFilter::All);
        ThemesView {
            reports: table.reports.len(),
            themes: taxonomy
                .themes
                .iter()
                .map(|t| ThemeEntry {
                    id: t.id.clone(),
                    label: t.label.clone(),
                    category: t.category.clone(),
                    description: t.description.clone(),
                    counts: totals.get(&t.id).cloned().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

/// A theme's sentences across reports: what `themis themes show ID --json` prints and
/// `/api/themes/ID` returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ThemeSentences {
    /// Theme id.
    pub theme: String,
    /// Label.
    pub label: String,
    /// Reports with at least one sentence of the theme (after the filters).
    pub report_count: usize,
    /// The newest of them, newest first, with their sentences in document order.
    pub reports: Vec<ThemeReportExcerpts>,
}

impl ThemeSentences {
    /// The sentences of `theme` in `excerpts`.
    pub fn new(theme: &Theme, excerpts: ThemeExcerpts) -> ThemeSentences {
        ThemeSentences {
            theme: theme.id.clone(),
            label: theme.label.clone(),
            report_count: excerpts.report_count,
            reports: excerpts.reports,
        }
    }
}
