//! One module per subcommand; each turns parsed arguments into library calls and renders the
//! result. Shared here: loading the taxonomy and making sure an index exists.

mod check;
mod cooccur;
mod discover;
mod eval;
mod export;
mod findings;
mod index;
mod recommendations;
mod report;
mod rule;
mod scores;
mod search;
mod serve;
mod show;
mod tag;
mod tagger;
mod themes;
mod train;
mod trends;

use std::path::Path;

use themis::themes::{Tagger, Taxonomy};
use themis::views::ReportFilter;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::output;
use crate::Exit;

/// Runs the parsed command.
pub fn run(cli: Cli) -> anyhow::Result<Exit> {
    let global = cli.global;
    match cli.command {
        Command::Index(args) => index::run(&global, &args),
        Command::Search(args) => search::run(&global, &args),
        Command::Tag(args) => tag::run(&global, &args),
        Command::Themes(args) => themes::run(&global, &args),
        Command::Findings(args) => findings::run(&global, &args),
        Command::Report(args) => report::run(&global, &args),
        Command::Trends(args) => trends::run(&global, &args),
        Command::Cooccur(args) => cooccur::run(&global, &args),
        Command::Discover(args) => discover::run(&global, &args),
        Command::Rule(args) => rule::run(&global, &args),
        Command::Check(args) => check::run(&global, &args),
        Command::Recommendations(args) => recommendations::run(&global, &args),
        Command::Scores(args) => scores::run_scores(&global, &args),
        Command::Facts(args) => scores::run_facts(&global, &args),
        Command::Show(args) => show::run(&global, &args),
        Command::Serve(args) => serve::run(&global, &args),
        Command::Train(args) => train::run(&global, &args),
        Command::Eval(args) => eval::run(&global, &args),
        Command::Export(args) => export::run(&global, &args),
    }
}

/// The tagger of the taxonomy from `--themes FILE` and the model from `--model FILE` (`none`:
/// rules alone), or the built-in ones. Validated before anything else runs. For commands that
/// do not read the index; those that do use [`load_index_tagger`].
pub fn load_tagger(global: &GlobalArgs) -> anyhow::Result<Tagger> {
    let themes = tagger::themes_option(global).flatten();
    let model = tagger::model_option(global).unwrap_or(tagger::ModelChoice::Builtin);
    let explicit = global.themes.is_some() || global.model.is_some();
    tagger::build(themes.as_deref(), &model, global.quiet || !explicit)
}

/// The tagger (taxonomy and model) an index is tagged with: those given by `--themes` /
/// `--model` (which the index then records, so later commands keep them), else those it
/// recorded, else the built-in ones.
pub fn load_index_tagger(global: &GlobalArgs) -> anyhow::Result<Tagger> {
    tagger::load_for_index(global)
}

/// Opens the index for a command, first bringing it up to date when it is not what the user
/// asked for: no index yet (the first search on a fresh machine), another themis version or
/// taxonomy, or corpus files added, changed or removed since it was built. The update is
/// incremental (only changed files are read again), with a progress bar.
pub fn open_index(
    global: &GlobalArgs,
    tagger: &Tagger,
) -> anyhow::Result<themis::index::ThemisIndex> {
    use themis::index::{Freshness, ThemisIndex};
    // A damaged or foreign index is an error here, reported with what to do about it.
    let why = match ThemisIndex::freshness(
        &global.index,
        &global.corpus,
        tagger,
        !global.no_corpus_check,
    )? {
        Freshness::Fresh(index) => return Ok(*index),
        Freshness::Stale(why) => why,
    };
    if !global.quiet {
        eprintln!(
            "themis: {why}: updating {} from {} first",
            global.index.display(),
            global.corpus.display()
        );
    }
    let mut options = themis::index::IndexOptions::new(&global.corpus, &global.index);
    options.cancel = Some(cancel_flag());
    let progress = output::Progress::new(global.quiet);
    let built = themis::index::build_index(&options, tagger, &progress);
    drop(progress);
    let summary = match built {
        // Another process is updating the index: answer from its last commit rather than fail
        // (that process is bringing it up to date).
        Err(themis::Error::IndexLocked(_)) if themis::index::exists(&global.index) => {
            if !global.quiet {
                eprintln!(
                    "themis: another themis process is updating the index; answering from its last commit"
                );
            }
            return Ok(ThemisIndex::open(&global.index)?);
        }
        other => other?,
    };
    for problem in &summary.problems {
        output::report_problem(problem);
    }
    Ok(ThemisIndex::open(&global.index)?)
}

/// `true` when the path is `-` (standard input).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The report type of a `--type` value, or an error listing the types.
pub fn resolve_report_type(
    name: Option<&str>,
) -> anyhow::Result<Option<themis::corpus::ReportType>> {
    Ok(name.map(themis::corpus::ReportType::resolve).transpose()?)
}

/// The reports `--region`, `--type` and `--since` ask for, checked (an unknown region or type
/// is an error listing the valid ones).
pub fn report_filter(args: &crate::cli::ReportFilterArgs) -> anyhow::Result<ReportFilter> {
    Ok(ReportFilter {
        region: resolve_region(args.region.as_deref())?,
        report_type: resolve_report_type(args.report_type.as_deref())?,
        since: args.since,
    })
}

/// The canonical region for a `--region` value, or an error listing the regions.
pub fn resolve_region(name: Option<&str>) -> anyhow::Result<Option<String>> {
    use themis::corpus::gazetteer::Gazetteer;
    Ok(name
        .map(|name| Gazetteer::embedded().resolve_region(name).map(String::from))
        .transpose()?)
}

/// A flag that Ctrl-C sets, so indexing stops before its commit instead of dying mid-write.
pub fn cancel_flag() -> std::sync::Arc<std::sync::atomic::AtomicBool> {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, OnceLock};
    static FLAG: OnceLock<Arc<AtomicBool>> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag = Arc::new(AtomicBool::new(false));
        let handler_flag = Arc::clone(&flag);
        // If a handler cannot be installed, Ctrl-C still kills the process, and the last
        // commit is intact anyway: only the clean message is lost.
        let _ = ctrlc::set_handler(move || {
            if handler_flag.swap(true, Ordering::SeqCst) {
                // A second Ctrl-C: the user insists.
                std::process::exit(130);
            }
        });
        flag
    })
    .clone()
}

/// Checks a `--theme` value against the taxonomy, with a message saying where the ids are.
pub fn check_theme<'a>(
    taxonomy: &'a Taxonomy,
    id: &str,
) -> anyhow::Result<&'a themis::themes::Theme> {
    Ok(taxonomy.check_theme(id)?)
}

/// Every indexed report's record (metadata and structured parts), building the index if needed.
pub fn indexed_reports(
    global: &GlobalArgs,
    tagger: &Tagger,
) -> anyhow::Result<Vec<themis::index::IndexedReport>> {
    let index = open_index(global, tagger)?;
    let searcher = index.reader()?.searcher();
    Ok(index.reports(&searcher)?)
}
