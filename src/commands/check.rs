//! `themis check`: verify an index without changing it.

use std::io::Write;

use themis::index::ThemisIndex;

use crate::cli::{CheckArgs, GlobalArgs};
use crate::output;
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &CheckArgs) -> anyhow::Result<Exit> {
    let index = ThemisIndex::open(&global.index)?;
    let report = index.check()?;
    let mut out = output::stdout();
    if args.json {
        serde_json::to_writer_pretty(&mut out, &report)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{}: format {}, built by themis {}; {} reports, {} passages, {} tagged sentences",
            global.index.display(),
            report.format,
            report.pipeline,
            report.reports,
            report.passages,
            report.tagged_sentences
        )?;
        if report.problems.is_empty() {
            writeln!(out, "ok: all checksums match and the counts agree")?;
        }
        for problem in &report.problems {
            writeln!(out, "problem: {problem}")?;
        }
        if !report.problems.is_empty() {
            writeln!(
                out,
                "run `themis index --rebuild` to rebuild the index from the corpus"
            )?;
        }
    }
    output::finish(out)?;
    Ok(if report.problems.is_empty() {
        Exit::Success
    } else {
        Exit::Error
    })
}
