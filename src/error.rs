//! The library's error type: every failure a caller can act on, with enough context (a file,
//! a query, an index folder) to tell the user what to do next. The binary turns these into
//! one-line messages and exit codes; the library never prints.

use std::path::PathBuf;

/// Result alias used across the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong in themis.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The corpus folder does not exist or is not a folder.
    #[error(
        "corpus folder {0} does not exist (pass --corpus DIR, or run from the themis checkout)"
    )]
    MissingCorpus(PathBuf),
    /// The manifest could not be parsed.
    #[error("{path}: {message}")]
    Manifest {
        /// The manifest file.
        path: PathBuf,
        /// What was wrong, with the line when known.
        message: String,
    },
    /// The taxonomy file is invalid.
    #[error(transparent)]
    Taxonomy(#[from] crate::themes::TaxonomyError),
    /// No index exists at the given folder.
    #[error("no index at {0}: run `themis index` first")]
    NoIndex(PathBuf),
    /// The index was written by another version of themis or another program.
    #[error("the index at {path} {reason}: run `themis index --rebuild`")]
    IncompatibleIndex {
        /// The index folder.
        path: PathBuf,
        /// Why it cannot be used.
        reason: String,
    },
    /// Another themis process holds the writer lock.
    #[error("the index at {0} is being updated by another themis process; wait for it to finish (if that process died, the lock is released automatically: just run the command again)")]
    IndexLocked(PathBuf),
    /// The index is damaged.
    #[error("the index at {path} is damaged ({detail}): run `themis index --rebuild`")]
    CorruptIndex {
        /// The index folder.
        path: PathBuf,
        /// What tantivy reported.
        detail: String,
    },
    /// A query could not be parsed.
    #[error("bad query `{query}`: {reason}")]
    BadQuery {
        /// The query as typed.
        query: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// A command-line value was invalid (e.g. an unknown region or theme).
    #[error("{0}")]
    InvalidArgument(String),
    /// The run was interrupted (Ctrl-C) before its commit; the index is as it was.
    #[error("interrupted: nothing was committed, the index is as it was before this run")]
    Interrupted,
    /// Any other failure of the index, with what themis was doing and the underlying error
    /// (tantivy's, or the operating system's) as its source.
    #[error("index error: {message} (`themis check` verifies the index; `themis index --rebuild` rebuilds it)")]
    Index {
        /// What themis was doing.
        message: String,
        /// What failed underneath, when something did.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl From<tantivy::TantivyError> for Error {
    fn from(err: tantivy::TantivyError) -> Self {
        Error::Index {
            message: "tantivy failed".into(),
            source: Some(Box::new(err)),
        }
    }
}

impl Error {
    /// An index failure: what themis was doing, and what failed underneath.
    pub fn index(
        message: impl Into<String>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Index {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}
