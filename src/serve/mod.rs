//! `themis serve`: a local web interface over the index (search with facets, themes, one
//! report with its tagged sentences) and a JSON API with the shapes of the commands' `--json`.
//!
//! The server only reads: it opens the index read-only ([`ThemisIndex::open_read_only`]),
//! never updates it, and picks up a re-index by another process by reopening the index when
//! its `meta.json` changes. When the index is out of date with the corpus, pages say so and
//! name `themis index`. Every request's work runs on the blocking pool, at most
//! [`ServeOptions::max_concurrent`] at a time, and is answered within
//! [`ServeOptions::request_timeout`] (503 otherwise); bad parameters are 400 with a message.
//!
//! | file | what |
//! |---|---|
//! | `state.rs` | the shared state: the index (reopened when it changes), staleness, the limits |
//! | `params.rs` | query-string parameters, checked into requests (400 with a message) |
//! | `html.rs` | the page layout, links and the escaping every page uses |
//! | `search.rs`, `themes.rs`, `report.rs` | one file per page |
//! | `api.rs` | the JSON API under `/api/` |
//! | `router.rs` | routes, errors as responses, the limits applied |

mod api;
mod html;
mod params;
mod report;
mod router;
mod search;
mod state;
mod themes;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::index::ThemisIndex;
use crate::themes::Tagger;

pub use router::router;
pub use state::AppState;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The index folder.
    pub index: PathBuf,
    /// The corpus folder (report texts, and whether the index is up to date with it).
    pub corpus: PathBuf,
    /// Address to listen on (127.0.0.1 unless asked otherwise).
    pub bind: IpAddr,
    /// Port (0: any free port).
    pub port: u16,
    /// Longest a request may take before it is answered with 503.
    pub request_timeout: Duration,
    /// Requests worked on at once; the others wait (within the timeout).
    pub max_concurrent: usize,
}

impl ServeOptions {
    /// Defaults: 127.0.0.1:7878, 10 s per request, 8 requests at once.
    pub fn new(index: impl Into<PathBuf>, corpus: impl Into<PathBuf>) -> Self {
        ServeOptions {
            index: index.into(),
            corpus: corpus.into(),
            bind: IpAddr::from([127, 0, 0, 1]),
            port: 7878,
            request_timeout: Duration::from_secs(10),
            max_concurrent: 8,
        }
    }
}

/// Serves until `shutdown` completes (the binary passes Ctrl-C). `ready` is called with the
/// address once the server listens. The index must exist: serving never builds it.
pub fn serve(
    options: ServeOptions,
    tagger: Tagger,
    ready: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    // Fail before listening when there is no usable index, with what to do about it.
    ThemisIndex::open_read_only(&options.index)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(options.max_concurrent.max(1) + 2)
        .build()
        .map_err(|e| Error::io("the server's runtime", e))?;
    runtime.block_on(async move {
        let address = SocketAddr::new(options.bind, options.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .map_err(|e| Error::InvalidArgument(format!("cannot listen on {address}: {e}")))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::io("the server's socket", e))?;
        let app = router(AppState::new(&options, tagger));
        ready(local);
        let (stopping, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = axum::serve(listener, app).with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stopping.send(());
        });
        tokio::select! {
            served = server => served.map_err(|e| Error::io("the server's socket", e)),
            // Requests under way get a moment to finish; a browser's idle connection does not
            // keep the server from stopping.
            _ = async {
                let _ = stopped.await;
                tokio::time::sleep(SHUTDOWN_GRACE).await;
            } => Ok(()),
        }
    })
}

/// How long requests under way may go on after Ctrl-C.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);
