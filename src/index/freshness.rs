//! Is the index what the user asked for? One decision, used by every command that reads the
//! index and by the writer: an index is fresh when it exists, was built by this themis
//! (pipeline version), with this taxonomy and model (fingerprint), from the corpus as it is now.
//!
//! The corpus check must be cheap enough to run before every search, so it compares what the
//! file system says (the file list, sizes and modification times, and the manifest's) with what
//! it said when the index was last updated, recorded in [`STATE_FILE`]; content hashes are only
//! computed by the update itself, for the files that changed. A missing or unreadable state file
//! counts as "changed": the update then finds, by hash, that nothing did, and records the state.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::corpus::{self, manifest::MANIFEST_FILE, FileStamp};
use crate::error::{Error, Result};
use crate::themes::Tagger;

use super::{exists, ThemisIndex, PIPELINE_VERSION};

/// The file in the index folder recording the corpus as the last update saw it.
pub const STATE_FILE: &str = "themis-corpus-state.json";

/// Why an index needs updating before it answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Staleness {
    /// There is no index yet.
    Missing,
    /// Another themis version segmented and tagged it (it names itself).
    OtherPipeline(String),
    /// It was tagged with another taxonomy or model.
    OtherTaxonomy,
    /// Corpus files were added, changed or removed since (how many, by size and time).
    CorpusChanged(usize),
    /// The index holds no record of the corpus it was built from (an older themis, or an
    /// update interrupted after its commit).
    CorpusUnrecorded,
}

impl std::fmt::Display for Staleness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Staleness::Missing => write!(f, "no index yet"),
            Staleness::OtherPipeline(_) => write!(f, "it was built by another version of themis"),
            Staleness::OtherTaxonomy => write!(f, "the taxonomy changed"),
            Staleness::CorpusChanged(1) => write!(f, "1 corpus file changed since it was built"),
            Staleness::CorpusChanged(n) => {
                write!(f, "{n} corpus files changed since it was built")
            }
            Staleness::CorpusUnrecorded => {
                write!(f, "the corpus it was built from is not recorded")
            }
        }
    }
}

/// An index ready to answer, or why it is not.
pub enum Freshness {
    /// Up to date; opened.
    Fresh(Box<ThemisIndex>),
    /// Needs an update first.
    Stale(Staleness),
}

impl ThemisIndex {
    /// Decides whether the index at `dir` answers for `corpus` tagged by `tagger`. A damaged
    /// or foreign index is an error (with what to do), not "stale". With `check_corpus` false,
    /// the corpus folder is not looked at (the caller accepts answers from the index as it is).
    pub fn freshness(
        dir: &Path,
        corpus: &Path,
        tagger: &Tagger,
        check_corpus: bool,
    ) -> Result<Freshness> {
        if !exists(dir) {
            return Ok(Freshness::Stale(Staleness::Missing));
        }
        let index = ThemisIndex::open(dir)?;
        if let Some(stale) = index.tagging_staleness(tagger) {
            return Ok(Freshness::Stale(stale));
        }
        if !check_corpus {
            return Ok(Freshness::Fresh(Box::new(index)));
        }
        Ok(match Self::corpus_staleness(dir, corpus)? {
            None => Freshness::Fresh(Box::new(index)),
            Some(stale) => Freshness::Stale(stale),
        })
    }

    /// Whether corpus files were added, changed or removed since the index at `dir` was last
    /// updated (by file list, sizes and modification times; nothing is read or written).
    pub fn corpus_staleness(dir: &Path, corpus: &Path) -> Result<Option<Staleness>> {
        let Some(recorded) = CorpusState::read(dir) else {
            return Ok(Some(Staleness::CorpusUnrecorded));
        };
        Ok(match recorded.differences(&CorpusState::observe(corpus)?) {
            0 => None,
            n => Some(Staleness::CorpusChanged(n)),
        })
    }

    /// Why the index's tags are not those `tagger` would give, if they are not.
    pub fn tagging_staleness(&self, tagger: &Tagger) -> Option<Staleness> {
        if self.info.pipeline != PIPELINE_VERSION {
            Some(Staleness::OtherPipeline(self.info.pipeline.clone()))
        } else if self.info.taxonomy != tagger.fingerprint() {
            Some(Staleness::OtherTaxonomy)
        } else {
            None
        }
    }
}

/// The corpus folder as the file system describes it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorpusState {
    /// Report files by path relative to the corpus.
    pub files: BTreeMap<String, FileStamp>,
    /// The manifest, when there is one.
    pub manifest: Option<FileStamp>,
}

impl CorpusState {
    /// Stats every report file of `corpus` and its manifest (no file is read).
    pub fn observe(corpus: &Path) -> Result<CorpusState> {
        Ok(CorpusState::of_files(
            corpus,
            &corpus::discover(corpus)?.files,
        ))
    }

    /// Stats `files` (found in `corpus`) and the corpus's manifest.
    pub fn of_files(corpus: &Path, files: &[corpus::CorpusFile]) -> CorpusState {
        CorpusState {
            files: files
                .iter()
                .filter_map(|f| Some((f.rel.clone(), f.stamp.or_else(|| FileStamp::of(&f.path))?)))
                .collect(),
            manifest: FileStamp::of(&corpus.join(MANIFEST_FILE)),
        }
    }

    /// Files added, removed or changed between `self` and `now`; a changed manifest counts as
    /// one.
    pub fn differences(&self, now: &CorpusState) -> usize {
        let changed_or_removed = self
            .files
            .iter()
            .filter(|(rel, stamp)| now.files.get(*rel) != Some(stamp))
            .count();
        let added = now
            .files
            .keys()
            .filter(|rel| !self.files.contains_key(*rel))
            .count();
        changed_or_removed + added + usize::from(self.manifest != now.manifest)
    }

    fn read(index_dir: &Path) -> Option<CorpusState> {
        let text = std::fs::read_to_string(index_dir.join(STATE_FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Records the state in the index folder (written to a temporary file and renamed, so a
    /// reader never sees half of it).
    pub fn write(&self, index_dir: &Path) -> Result<()> {
        let path = index_dir.join(STATE_FILE);
        let temporary = index_dir.join(format!("{STATE_FILE}.tmp"));
        let json = serde_json::to_vec(self)
            .map_err(|e| Error::index("cannot record the corpus state", e))?;
        std::fs::write(&temporary, json).map_err(|e| Error::io(&temporary, e))?;
        std::fs::rename(&temporary, &path).map_err(|e| Error::io(&path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_differences_count_added_removed_changed_and_manifest() {
        let stamp = |size| FileStamp {
            size,
            modified_ns: 1,
        };
        let before = CorpusState {
            files: [("a".into(), stamp(1)), ("b".into(), stamp(2))].into(),
            manifest: None,
        };
        assert_eq!(before.differences(&before), 0);
        let now = CorpusState {
            files: [("a".into(), stamp(9)), ("c".into(), stamp(3))].into(),
            manifest: Some(stamp(4)),
        };
        // a changed, b removed, c added, manifest added.
        assert_eq!(before.differences(&now), 4);
    }
}
