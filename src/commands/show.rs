//! `themis show REPORT [--page N]`: the text themis reads from a report.

use std::io::Write;

use anyhow::bail;
use themis::corpus::{self, CorpusFile, Manifest, ReportMeta};

use crate::cli::{GlobalArgs, ShowArgs};
use crate::output;
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &ShowArgs) -> anyhow::Result<Exit> {
    let discovery = corpus::discover(&global.corpus)?;
    let manifest = Manifest::load(&global.corpus)?;
    // Match by file path first, then by report id (manifest or inferred slug).
    let file = discovery
        .files
        .iter()
        .find(|f| f.rel == args.report)
        .or_else(|| {
            discovery.files.iter().find(|f| {
                manifest.entry(&f.rel).map_or_else(
                    || {
                        corpus::slug(f.rel.rsplit_once('.').map_or(f.rel.as_str(), |(a, _)| a))
                            == args.report
                    },
                    |e| e.id == args.report,
                )
            })
        });
    let Some(file) = file else {
        bail!(
            "no report `{}` in {}: give a report id as shown in results, or a file path relative to the corpus",
            args.report,
            global.corpus.display()
        );
    };
    let file = CorpusFile {
        path: file.path.clone(),
        rel: file.rel.clone(),
        stamp: None,
    };
    let (source, _) = corpus::read_source(&file, corpus::DEFAULT_MAX_FILE_BYTES)
        .map_err(|p| anyhow::anyhow!("{}: {}", p.file, p.message))?;
    let meta = ReportMeta::resolve(&file, &source, &manifest);
    let (from, to) = match args.page {
        None => (0, source.text.len()),
        Some(page) => {
            let pages = &source.pages;
            if pages.is_empty() {
                bail!("{} has no pages (only PDF reports do)", file.rel);
            }
            let index = page
                .checked_sub(1)
                .map(|p| p as usize)
                .filter(|&p| p < pages.len());
            let Some(index) = index else {
                bail!("{} has pages 1 to {}", file.rel, pages.len());
            };
            (
                pages[index],
                pages.get(index + 1).copied().unwrap_or(source.text.len()),
            )
        }
    };
    let mut out = output::stdout();
    if args.json {
        let body = serde_json::json!({
            "report": meta.id,
            "file": file.rel,
            "title": meta.title,
            "offsets": source.offsets_kind(),
            "pages": source.pages,
            "page": args.page,
            "start": from,
            "end": to,
            "text": &source.text[from..to],
        });
        serde_json::to_writer_pretty(&mut out, &body)?;
        writeln!(out)?;
    } else {
        for line in source.text[from..to].lines() {
            // Keep line structure; escape control and bidi characters.
            writeln!(out, "{}", output::sanitize(line))?;
        }
    }
    output::finish(out)?;
    Ok(Exit::Success)
}
