//! What every request shares: the index (reopened, read-only, when another process has
//! committed to it), whether it is out of date, and the limits on work.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;

use super::ServeOptions;
use crate::corpus::FileStamp;
use crate::error::Error;
use crate::index::ThemisIndex;
use crate::themes::Tagger;

/// How long the answer to "has the corpus changed?" is reused: the check stats every corpus
/// file (about 40 ms for 14,000 files), too much for every request.
const STALENESS_TTL: Duration = Duration::from_secs(5);

/// The server's shared state; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    index_dir: PathBuf,
    corpus_dir: PathBuf,
    tagger: Tagger,
    current: Mutex<Option<Loaded>>,
    staleness: Mutex<Option<Checked>>,
    limiter: Arc<Semaphore>,
    timeout: Duration,
}

/// The index as last opened, with the stamp of the `meta.json` it was opened at.
struct Loaded {
    stamp: Option<FileStamp>,
    index: Arc<ThemisIndex>,
}

/// The last staleness check, with the stamps it was made at: the index's `meta.json` (a
/// re-index) and the corpus folder (a file added or removed there changes its stamp at once;
/// a file edited in place is seen within [`STALENESS_TTL`]).
struct Checked {
    at: Instant,
    stamps: (Option<FileStamp>, Option<FileStamp>),
    message: Option<String>,
}

/// Why a request was not answered with its page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A parameter is wrong (400): the message says which and what is expected.
    BadRequest(String),
    /// No such report or theme (404).
    NotFound(String),
    /// The index cannot be used, or the request took too long (503).
    Unavailable(String),
    /// Anything else (500).
    Internal(String),
}

impl From<Error> for Failure {
    fn from(err: Error) -> Self {
        match err {
            Error::BadQuery { .. } | Error::InvalidArgument(_) => {
                Failure::BadRequest(err.to_string())
            }
            Error::NoIndex(_)
            | Error::IncompatibleIndex { .. }
            | Error::CorruptIndex { .. }
            | Error::IndexLocked(_) => Failure::Unavailable(err.to_string()),
            other => Failure::Internal(other.to_string()),
        }
    }
}

impl Failure {
    /// The message shown.
    pub fn message(&self) -> &str {
        match self {
            Failure::BadRequest(m)
            | Failure::NotFound(m)
            | Failure::Unavailable(m)
            | Failure::Internal(m) => m,
        }
    }
}

impl AppState {
    /// The state for `options`, tagging with `tagger` (the index's own taxonomy and model).
    pub fn new(options: &ServeOptions, tagger: Tagger) -> AppState {
        AppState(Arc::new(Inner {
            index_dir: options.index.clone(),
            corpus_dir: options.corpus.clone(),
            tagger,
            current: Mutex::new(None),
            staleness: Mutex::new(None),
            limiter: Arc::new(Semaphore::new(options.max_concurrent.max(1))),
            timeout: options.request_timeout,
        }))
    }

    /// The tagger (taxonomy and model) the index was tagged with.
    pub fn tagger(&self) -> &Tagger {
        &self.0.tagger
    }

    /// The corpus folder.
    pub fn corpus(&self) -> &std::path::Path {
        &self.0.corpus_dir
    }

    fn meta_stamp(&self) -> Option<FileStamp> {
        FileStamp::of(&self.0.index_dir.join("meta.json"))
    }

    /// The index as last committed: reopened (read-only) when its `meta.json` changed since it
    /// was opened, so a re-index by another process is seen by the next request.
    pub fn index(&self) -> Result<Arc<ThemisIndex>, Failure> {
        let stamp = self.meta_stamp();
        let mut current = self.0.current.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(loaded) = current.as_ref().filter(|l| l.stamp == stamp) {
            return Ok(Arc::clone(&loaded.index));
        }
        let index = Arc::new(ThemisIndex::open_read_only(&self.0.index_dir)?);
        *current = Some(Loaded {
            stamp,
            index: Arc::clone(&index),
        });
        Ok(index)
    }

    /// A sentence saying the index is out of date and what to do, or `None` when it answers
    /// for the corpus and tagger as they are. Never updates anything.
    pub fn staleness(&self, index: &ThemisIndex) -> Option<String> {
        if let Some(why) = index.tagging_staleness(&self.0.tagger) {
            return Some(format!(
                "The index was built differently from what this server reads it with ({why}): run `themis index`, then restart `themis serve`."
            ));
        }
        let stamps = (self.meta_stamp(), FileStamp::of(&self.0.corpus_dir));
        let mut checked = self.0.staleness.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = checked
            .as_ref()
            .filter(|c| c.stamps == stamps && c.at.elapsed() < STALENESS_TTL)
        {
            return c.message.clone();
        }
        let message = match ThemisIndex::corpus_staleness(&self.0.index_dir, &self.0.corpus_dir)
        {
            Ok(None) => None,
            Ok(Some(why)) => Some(format!(
                "The index is out of date: {why}. Run `themis index` to update it; this server only reads the index and shows the update once it is committed."
            )),
            Err(e) => Some(format!("The corpus cannot be checked: {e}")),
        };
        *checked = Some(Checked {
            at: Instant::now(),
            stamps,
            message: message.clone(),
        });
        message
    }

    /// Runs `work` on the blocking pool, at most `max_concurrent` at once, and gives up waiting
    /// after the request timeout (503). The work itself is not interrupted; it holds its place
    /// in the limit until it ends, so slow requests cannot pile up beyond the limit.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&AppState) -> Result<T, Failure> + Send + 'static,
    ) -> Result<T, Failure> {
        let timeout = self.0.timeout;
        let too_long = || {
            Failure::Unavailable(format!(
                "the request took longer than {} s; try a narrower query",
                timeout.as_secs_f64()
            ))
        };
        let deadline = tokio::time::Instant::now() + timeout;
        let permit = tokio::time::timeout_at(deadline, Arc::clone(&self.0.limiter).acquire_owned())
            .await
            .map_err(|_| too_long())?
            .map_err(|_| Failure::Unavailable("the server is shutting down".into()))?;
        let state = self.clone();
        let task = tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work(&state)
        });
        match tokio::time::timeout_at(deadline, task).await {
            Err(_) => Err(too_long()),
            Ok(Err(join)) => Err(Failure::Internal(format!(
                "the request failed unexpectedly: {join}"
            ))),
            Ok(Ok(answer)) => answer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(timeout: Duration, max_concurrent: usize) -> AppState {
        let mut options = ServeOptions::new("no-index", "no-corpus");
        options.request_timeout = timeout;
        options.max_concurrent = max_concurrent;
        AppState::new(&options, Tagger::new(crate::themes::Taxonomy::embedded()))
    }

    #[tokio::test]
    async fn test_work_past_the_timeout_is_answered_with_503() {
        let state = state(Duration::from_millis(200), 1);
        let slow = state
            .run(|_| {
                std::thread::sleep(Duration::from_secs(2));
                Ok(())
            })
            .await;
        assert!(
            matches!(&slow, Err(Failure::Unavailable(m)) if m.contains("took longer than 0.2 s")),
            "{slow:?}"
        );
        // The slow work still holds the only place: the next request waits, then gives up.
        let queued = state.run(|_| Ok(())).await;
        assert!(matches!(queued, Err(Failure::Unavailable(_))), "{queued:?}");
    }

    #[tokio::test]
    async fn test_a_panic_in_a_request_is_a_500_not_a_crash() {
        let state = state(Duration::from_secs(5), 2);
        let answer: Result<(), Failure> = state.run(|_| panic!("boom")).await;
        assert!(matches!(answer, Err(Failure::Internal(_))), "{answer:?}");
        assert_eq!(state.run(|_| Ok(7)).await, Ok(7));
    }

    #[test]
    fn test_index_errors_map_to_statuses() {
        let bad = Failure::from(Error::InvalidArgument("unknown region".into()));
        assert_eq!(bad, Failure::BadRequest("unknown region".into()));
        let missing = Failure::from(Error::NoIndex("x".into()));
        assert!(matches!(missing, Failure::Unavailable(m) if m.contains("themis index")));
    }
}
