//! # themis
//!
//! Find the findings that keep coming back across probation inspection reports.
//!
//! themis reads a folder of reports, splits each into sections, paragraphs, sentences and
//! passages ([`segment`]), tags every sentence with recurring themes and a polarity ([`themes`]),
//! and stores passages in a tantivy index ([`index`]) analysed by one shared chain
//! ([`analysis`]), so that what is indexed, tagged and searched are the same tokens. [`search`]
//! answers queries with highlighted excerpts grouped by report. [`views`] computes what the
//! reporting commands show (the frequency matrix, scores, facts, recommendations) and
//! [`render`] draws it: text, Markdown and CSV tables from one table model, JSON and HTML.
//! [`serve`] is the local web interface over the index.
//!
//! ```no_run
//! use themis::index::{build_index, IndexOptions, NoProgress};
//! use themis::search::{search, SearchRequest};
//! use themis::themes::Tagger;
//!
//! let tagger = Tagger::embedded();
//! build_index(&IndexOptions::new("corpus", "index"), &tagger, &NoProgress)?;
//! let results = search(std::path::Path::new("index"), &SearchRequest::new("vetting delays"))?;
//! for report in &results.reports {
//!     println!("{}: {} excerpts", report.title, report.excerpts.len());
//! }
//! # Ok::<(), themis::Error>(())
//! ```
#![warn(missing_docs)]

pub mod analysis;
pub mod calendar;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod export;
pub mod findings;
pub mod formats;
pub mod index;
pub mod model;
pub mod phrases;
pub mod pipeline;
pub mod render;
pub mod rule_preview;
pub mod search;
pub mod segment;
pub mod serve;
pub mod stats;
pub mod structured;
pub mod text;
pub mod themes;
pub mod views;

pub use error::{Error, Result};
