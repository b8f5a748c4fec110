//! `themis export`: the index as NDJSON for OpenSearch, Elasticsearch or Quickwit, with the
//! engine's mapping or index configuration beside it.
//!
//! A file is written under a temporary name and renamed when complete, so an interrupted or
//! failed export never leaves a truncated file where a previous export was.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
use themis::export::{self, ExportOptions, ExportSummary, Format, Unit};
use themis::index::kind;

use crate::cli::{ExportArgs, GlobalArgs};
use crate::output;
use crate::Exit;

/// Output buffer: big enough that writing is a few system calls per megabyte.
const BUFFER_BYTES: usize = 1 << 20;

#[derive(Serialize)]
struct Written<'a> {
    format: &'static str,
    unit: &'static str,
    #[serde(flatten)]
    summary: ExportSummary,
    out: String,
    mapping: Option<String>,
    index_name: &'a str,
}

pub fn run(global: &GlobalArgs, args: &ExportArgs) -> anyhow::Result<Exit> {
    let format: Format = args.format.into();
    let unit: Unit = args.unit.into();
    let out = args.out.clone().filter(|p| !super::is_stdin(p));
    let mapping = mapping_path(format, out.as_deref(), args.mapping.as_deref())?;
    if args.json && out.is_none() {
        anyhow::bail!("--json prints a summary on stdout, where the documents go: add --out FILE");
    }

    let tagger = super::load_index_tagger(global)?;
    let index = super::open_index(global, &tagger)?;
    let total = index.count_kind(&index.reader()?.searcher(), kind::PASSAGE)?;
    let options = ExportOptions {
        format,
        unit,
        index_name: args.index_name.clone(),
    };

    let bar = progress_bar(global.quiet, total);
    let mut tick = |passages: u64| bar.set_position(passages);
    let summary = match &out {
        Some(path) => write_atomically(path, |file| {
            export::export(&index, &options, file, &mut tick).map_err(anyhow::Error::from)
        })?,
        None => {
            let mut stdout = Cancellable::new(output::stdout());
            let summary = export::export(&index, &options, &mut stdout, &mut tick);
            let summary = stdout.check(summary)?;
            output::finish(stdout.inner)?;
            summary
        }
    };
    bar.finish_and_clear();

    if let (Some(path), Some(body)) = (&mapping, format.mapping(unit, &args.index_name)) {
        let text = serde_json::to_string_pretty(&body)? + "\n";
        if super::is_stdin(path) {
            let mut stdout = output::stdout();
            stdout.write_all(text.as_bytes())?;
            output::finish(stdout)?;
        } else {
            write_atomically(path, |file| Ok(file.write_all(text.as_bytes())?))?;
        }
    }

    let unit_name = match unit {
        Unit::Sentence => "sentence",
        Unit::Passage => "passage",
    };
    let shown = |p: &Option<PathBuf>| p.as_ref().map(|p| p.display().to_string());
    if args.json {
        let written = Written {
            format: format.name(),
            unit: unit_name,
            summary,
            out: shown(&out).unwrap_or_else(|| "-".into()),
            mapping: shown(&mapping),
            index_name: &args.index_name,
        };
        let mut stdout = output::stdout();
        serde_json::to_writer_pretty(&mut stdout, &written)?;
        writeln!(stdout)?;
        output::finish(stdout)?;
    }
    if !global.quiet {
        let to = shown(&out).map_or(String::new(), |p| format!(" to {p}"));
        eprintln!(
            "themis: exported {} of {}{to} ({})",
            output::count(summary.documents, unit_name),
            output::count(summary.reports, "report"),
            format.name()
        );
        if summary.undated > 0 {
            let documents = output::count(summary.undated, "document");
            if format == Format::Quickwit {
                eprintln!(
                    "themis: undated reports (no date, no year): {documents} given the timestamp {}, as Quickwit requires one",
                    export::quickwit::UNDATED_TIMESTAMP
                );
            } else {
                eprintln!(
                    "themis: undated reports (no date, no year): {documents} without a timestamp"
                );
            }
        }
        match (&mapping, format.mapping(unit, &args.index_name)) {
            (Some(path), Some(_)) if !super::is_stdin(path) => {
                eprintln!("themis: wrote {}", path.display())
            }
            (None, Some(_)) => eprintln!(
                "themis: the {} was not written: add --mapping FILE",
                what_mapping(format)
            ),
            _ => {}
        }
    }
    Ok(if summary.documents == 0 {
        Exit::NoMatch
    } else {
        Exit::Success
    })
}

/// "index mapping" or "index configuration".
fn what_mapping(format: Format) -> &'static str {
    if format == Format::Quickwit {
        "index configuration"
    } else {
        "index mapping"
    }
}

/// Where the mapping goes: `--mapping`, else beside `--out FILE` (`NAME.mapping.json`, or
/// `NAME.index-config.json` for Quickwit, NAME being the file name without its extension);
/// nowhere when the documents go to stdout and no `--mapping` was given.
fn mapping_path(
    format: Format,
    out: Option<&Path>,
    asked: Option<&Path>,
) -> anyhow::Result<Option<PathBuf>> {
    if format == Format::Ndjson {
        if asked.is_some() {
            anyhow::bail!(
                "--format ndjson has no mapping; --mapping goes with opensearch, elasticsearch or quickwit"
            );
        }
        return Ok(None);
    }
    let path = match asked {
        Some(path) => {
            if super::is_stdin(path) && out.is_none() {
                anyhow::bail!(
                    "--mapping - and the documents cannot both go to stdout: add --out FILE"
                );
            }
            path.to_path_buf()
        }
        None => match out {
            Some(out) => {
                let stem = out
                    .file_stem()
                    .map_or("export".into(), |s| s.to_string_lossy());
                let suffix = match format {
                    Format::Quickwit => "index-config.json",
                    _ => "mapping.json",
                };
                out.with_file_name(format!("{stem}.{suffix}"))
            }
            None => return Ok(None),
        },
    };
    if out.is_some_and(|out| out == path) {
        anyhow::bail!(
            "the documents and the {} would both be written to {}: pass another --mapping FILE",
            what_mapping(format),
            path.display()
        );
    }
    Ok(Some(path))
}

/// Writes `path` through `write` into a temporary file beside it, renamed over `path` only
/// when everything was written; on failure or Ctrl-C the temporary file is removed and `path`
/// is as it was.
fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".partial");
    let partial = PathBuf::from(partial);
    let file = std::fs::File::create(&partial)
        .with_context(|| format!("cannot write {}", partial.display()))?;
    let mut out = Cancellable::new(std::io::BufWriter::with_capacity(BUFFER_BYTES, file));
    let result = write(&mut out);
    let result = out
        .check(result)
        .and_then(|value| {
            out.inner.flush()?;
            out.inner.get_ref().sync_all()?;
            Ok(value)
        })
        .and_then(|value| {
            std::fs::rename(&partial, path)?;
            Ok(value)
        });
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    let cancelled = out.cancel.load(Ordering::SeqCst);
    result.with_context(|| {
        if cancelled {
            format!(
                "{} was not written (a file there before is as it was)",
                path.display()
            )
        } else {
            format!("cannot write {}", path.display())
        }
    })
}

/// A writer that refuses to write once Ctrl-C was pressed, so a long export stops cleanly.
struct Cancellable<W> {
    inner: W,
    cancel: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl<W: Write> Cancellable<W> {
    fn new(inner: W) -> Self {
        Cancellable {
            inner,
            cancel: super::cancel_flag(),
        }
    }

    /// The result of a write through this writer, as the interruption it was if Ctrl-C
    /// stopped it.
    fn check<T, E: Into<anyhow::Error>>(&self, result: Result<T, E>) -> anyhow::Result<T> {
        if self.cancel.load(Ordering::SeqCst) {
            return Err(themis::Error::Interrupted.into());
        }
        result.map_err(Into::into)
    }
}

impl<W: Write> Write for Cancellable<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.cancel.load(Ordering::Relaxed) {
            // Not `ErrorKind::Interrupted`: `write_all` retries on that, forever.
            return Err(std::io::Error::other("interrupted by Ctrl-C"));
        }
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// A bar counting passages on stderr, drawn only when stderr is a terminal.
fn progress_bar(quiet: bool, passages: u64) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(passages), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} exporting [{bar:30}] {pos}/{len} passages ({elapsed}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_mapping_goes_beside_the_output_or_where_asked() {
        let out = Path::new("dir/export.ndjson");
        let beside = |format| mapping_path(format, Some(out), None).unwrap();
        assert_eq!(
            beside(Format::OpenSearch),
            Some(PathBuf::from("dir/export.mapping.json"))
        );
        assert_eq!(
            beside(Format::Quickwit),
            Some(PathBuf::from("dir/export.index-config.json"))
        );
        assert_eq!(beside(Format::Ndjson), None);
        assert_eq!(mapping_path(Format::OpenSearch, None, None).unwrap(), None);
        let asked = Path::new("m.json");
        assert_eq!(
            mapping_path(Format::Elasticsearch, None, Some(asked)).unwrap(),
            Some(asked.to_path_buf())
        );
        assert!(mapping_path(Format::OpenSearch, None, Some(Path::new("-"))).is_err());
        assert!(mapping_path(Format::OpenSearch, Some(out), Some(out)).is_err());
        assert!(mapping_path(Format::Ndjson, Some(out), Some(asked)).is_err());
    }
}
