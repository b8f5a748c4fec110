//! `themis serve`: the web interface ([`themis::serve`]) on a local port until Ctrl-C.

use std::io::Write;
use std::time::Duration;

use anyhow::bail;
use themis::serve::{serve, ServeOptions};

use crate::cli::{GlobalArgs, ServeArgs};
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &ServeArgs) -> anyhow::Result<Exit> {
    if global.themes.is_some() || global.model.is_some() {
        // Serving reads the index as it was tagged; choosing another tagger means re-tagging,
        // which is `themis index`'s job, not a reader's.
        bail!("serve reads the index with the taxonomy and model it was built with; to change them, run `themis index --themes FILE --model FILE` first");
    }
    let tagger = super::load_index_tagger(global)?;
    let mut options = ServeOptions::new(&global.index, &global.corpus);
    options.bind = args.bind;
    options.port = args.port;
    options.request_timeout = Duration::from_secs(args.timeout);
    let quiet = global.quiet;
    serve(
        options,
        tagger,
        |address| {
            let host = match address.ip() {
                std::net::IpAddr::V6(ip) => format!("[{ip}]"),
                std::net::IpAddr::V4(ip) => ip.to_string(),
            };
            let mut out = std::io::stdout();
            let _ = writeln!(out, "http://{host}:{}/", address.port());
            let _ = out.flush();
            if !quiet {
                eprintln!(
                    "themis: serving {} read-only; Ctrl-C stops",
                    global.index.display()
                );
            }
        },
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    )?;
    if !quiet {
        eprintln!("themis: stopped");
    }
    Ok(Exit::Success)
}
