//! `themis report`: the theme frequency matrix in table, md, csv, json or html.

use std::io::Write;

use anyhow::Context;
use themis::render::frequency::{render, Format};
use themis::stats::CountTable;

use crate::cli::{GlobalArgs, ReportArgs};
use crate::output;
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let format = if args.json {
        Format::Json
    } else {
        args.format.into()
    };
    let index = super::open_index(global, &tagger)?;
    let table = CountTable::load(&index, &tagger)?;
    let report = table.frequency(
        tagger.taxonomy(),
        args.by.into(),
        args.metric.into(),
        args.polarity.into(),
    );
    match args.out.as_deref().filter(|p| !super::is_stdin(p)) {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut writer = std::io::BufWriter::new(file);
            render(&report, format, &mut writer, false)
                .and_then(|_| writer.flush())
                .with_context(|| format!("cannot write {}", path.display()))?;
            if !global.quiet {
                eprintln!("themis: wrote {}", path.display());
            }
        }
        None => {
            let color = format == Format::Table && output::use_color(global.color);
            let mut out = output::stdout();
            render(&report, format, &mut out, color)?;
            output::finish(out)?;
        }
    }
    Ok(Exit::Success)
}
