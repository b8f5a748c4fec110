//! `themis index`: build or update the index and print a summary.

use std::io::Write;

use themis::index::{build_index, IndexOptions};

use crate::cli::{GlobalArgs, IndexArgs};
use crate::output;
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &IndexArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let mut options = IndexOptions::new(&global.corpus, &global.index);
    options.rebuild = args.rebuild;
    options.max_file_bytes = args.max_file_size;
    options.cancel = Some(super::cancel_flag());
    let progress = output::Progress::new(global.quiet || args.json);
    let summary = build_index(&options, &tagger, &progress)?;
    drop(progress);
    for problem in &summary.problems {
        output::report_problem(problem);
    }
    if args.json {
        let mut out = output::stdout();
        serde_json::to_writer_pretty(&mut out, &summary)?;
        writeln!(out)?;
        output::finish(out)?;
    } else if !global.quiet {
        if let Some(why) = &summary.rebuilt {
            eprintln!("themis: rebuilt the index: {why}");
        }
        eprintln!(
            "themis: {} reports, {} passages in {}; indexed {}, unchanged {}, removed {}, skipped {}, errors {} ({:.2}s)",
            summary.reports,
            summary.passages,
            global.index.display(),
            summary.indexed,
            summary.unchanged,
            summary.removed,
            summary.skipped,
            summary.errors,
            summary.elapsed.as_secs_f64()
        );
    }
    Ok(if summary.errors > 0 {
        Exit::Error
    } else {
        Exit::Success
    })
}
