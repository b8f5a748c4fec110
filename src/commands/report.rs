//! `themis report`: the theme frequency matrix in table, md, csv or json; or, as html, the
//! analyst's report ([`AnalystReport`]), one self-contained page with the evidence behind every
//! number.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use themis::render::frequency::render;
use themis::stats::CountTable;
use themis::views::analyst::{AnalystReport, AnalystRequest, Provenance};

use crate::cli::{GlobalArgs, ReportArgs};
use crate::output;
use crate::Exit;

pub fn run(global: &GlobalArgs, args: &ReportArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_index_tagger(global)?;
    let filter = super::report_filter(&args.reports)?;
    // Checked before any work: a bad SOURCE_DATE_EPOCH is an error, not a silent "now".
    let generated = generation_time()?;
    let index = super::open_index(global, &tagger)?;
    let table = CountTable::load(&index, &tagger)?;
    let filtered = filter != Default::default();
    let table = if filtered {
        table.filtered(&filter)
    } else {
        table
    };
    if filtered && table.reports.is_empty() {
        eprintln!("themis: no indexed report matches --region, --type and --since as given");
        return Ok(Exit::NoMatch);
    }
    let matrix_format = if args.json {
        Some(themis::render::frequency::Format::Json)
    } else {
        args.format.matrix()
    };
    let Some(format) = matrix_format else {
        let (_, taxonomy) = super::tagger::current_taxonomy_text(global)?;
        let provenance = Provenance {
            taxonomy,
            taxonomy_fingerprint: tagger.taxonomy().rules_fingerprint().to_string(),
            model: tagger.model().map(|m| m.version().to_string()),
            themis: env!("CARGO_PKG_VERSION").to_string(),
            generated,
        };
        let request = AnalystRequest {
            by: args.by.into(),
            metric: args.metric.into(),
            polarities: AnalystRequest::polarities_for(args.polarity.into()),
            reports: filter,
            evidence: args.evidence,
        };
        let report = AnalystReport::build(&index, &tagger, &table, request, provenance)?;
        write_out(global, args, |out| {
            themis::render::analyst::render(&report, out)
        })?;
        return Ok(Exit::Success);
    };
    let report = table.frequency(
        tagger.taxonomy(),
        args.by.into(),
        args.metric.into(),
        args.polarity.into(),
    );
    let color = format == themis::render::frequency::Format::Table
        && args.out.as_deref().is_none_or(super::is_stdin)
        && output::use_color(global.color);
    write_out(global, args, |out| render(&report, format, out, color))?;
    Ok(Exit::Success)
}

/// Writes to `--out FILE` (saying so on stderr) or stdout.
fn write_out(
    global: &GlobalArgs,
    args: &ReportArgs,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    match args.out.as_deref().filter(|p| !super::is_stdin(p)) {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut writer = std::io::BufWriter::new(file);
            write(&mut writer)
                .and_then(|_| writer.flush())
                .with_context(|| format!("cannot write {}", path.display()))?;
            if !global.quiet {
                eprintln!("themis: wrote {}", path.display());
            }
        }
        None => {
            let mut out = output::stdout();
            write(&mut out)?;
            output::finish(out)?;
        }
    }
    Ok(())
}

/// When the page is made: `SOURCE_DATE_EPOCH` (the reproducible-builds convention) when set,
/// else now.
fn generation_time() -> anyhow::Result<i64> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(value) if !value.trim().is_empty() => match value.trim().parse::<i64>() {
            Ok(secs) => Ok(secs),
            Err(_) => bail!(
                "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC, not `{value}`"
            ),
        },
        _ => Ok(SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64)),
    }
}
