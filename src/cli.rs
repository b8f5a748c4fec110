//! The command line: clap derive structs, and the value enums of options with a fixed set of
//! values, each converted into its library type. `main` turns them into library calls.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use themis::render::frequency::Format;
use themis::render::TableFormat;
use themis::stats::PolarityFilter;
use themis::structured::Addressee;
use themis::themes::Polarity;
use themis::views::cooccur::Within;
use themis::views::frequency::{GroupBy, Metric};

const AFTER_HELP: &str = "\
Examples:
  themis search \"vetting delays\"
  themis search '\"information sharing\" AND police' --region \"South West\"
  themis search 'caseload OR workload' --since 2023 --per-report 2
  themis index --rebuild

Exit codes: 0 success, 1 a search that found nothing, 2 an error (bad usage, bad query,
a file that could not be read, an unusable index).";

/// Find the findings that keep coming back across probation inspection reports.
///
/// themis indexes a folder of inspection reports (corpus/ by default) and answers queries with
/// ranked, highlighted excerpts grouped by report. The first search builds the index.
#[derive(Debug, Parser)]
#[command(name = "themis", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Index folder.
    #[arg(long, global = true, value_name = "DIR", default_value = "index")]
    pub index: PathBuf,
    /// Corpus folder (reports plus an optional reports.toml manifest).
    #[arg(long, global = true, value_name = "DIR", default_value = "corpus")]
    pub corpus: PathBuf,
    /// Theme taxonomy file replacing the built-in one (see themes.toml).
    #[arg(long, global = true, value_name = "FILE")]
    pub themes: Option<PathBuf>,
    /// Model file of the learned tagger replacing the built-in one (made by `themis train`);
    /// `none` tags with the rules alone.
    #[arg(long, global = true, value_name = "FILE")]
    pub model: Option<PathBuf>,
    /// When to use colour and bold on stdout (auto: only on a terminal, and never with NO_COLOR).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// No progress bar and no summary line on stderr.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Answer from the index as it is, without checking the corpus folder for added, changed or
    /// removed files first (that check stats every file: about 40 ms per 14,000 files).
    #[arg(long, global = true)]
    pub no_corpus_check: bool,
}

/// `--color` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build or update the index from the corpus folder.
    ///
    /// Incremental: unchanged files are skipped (by content hash), changed files replaced,
    /// removed files deleted; the taxonomy changing re-tags everything. One atomic commit at the
    /// end: an interrupted run leaves the previous index intact.
    #[command(after_help = INDEX_HELP)]
    Index(IndexArgs),
    /// Search the reports: ranked, highlighted excerpts grouped by report.
    ///
    /// QUERY uses tantivy syntax: words (all must match), "exact phrases", AND / OR / NOT,
    /// -excluded, parentheses, word^2 (boost), and field:value (title:, region:, type:, report:,
    /// section:, theme:; region, type, theme and report values are checked). Once a word is
    /// marked +required, unmarked words are optional (they rank passages higher). Words are
    /// stemmed, so delays finds delay and delayed. Builds or updates the index first when there
    /// is none or the corpus changed.
    Search(SearchArgs),
    /// Tag files with themes and polarity, sentence by sentence, without touching the index.
    Tag(TagArgs),
    /// The theme taxonomy with counts per theme; `themes show ID` quotes a theme's sentences.
    #[command(after_help = THEMES_HELP)]
    Themes(ThemesArgs),
    /// Recurring findings: per region, the themes raised in at least N of its reports.
    ///
    /// For each theme: the reports and years it appears in, first and last year seen, concern
    /// and strength counts, and the most representative sentence of each report. With
    /// --across-regions: systemic themes raised in at least N regions, one excerpt per region.
    #[command(after_help = FINDINGS_HELP)]
    Findings(FindingsArgs),
    /// Theme frequency report: a themes x groups matrix with totals, in several formats.
    ///
    /// --format html is the analyst's report: one self-contained page with concern and strength
    /// heatmaps, themes year by year, themes together, recurring findings per region, and the
    /// sentences behind every number (at most --evidence N quoted each, with the command that
    /// lists the rest).
    #[command(after_help = REPORT_HELP)]
    Report(ReportArgs),
    /// Themes year by year: tagged sentences, reports and share per 10,000 sentences, with
    /// flags.
    ///
    /// Each year also says how many reports and sentences it has. Flags per theme: persistent
    /// (raised in at least --persistent-years years), rising / falling (over the last
    /// --window years with reports, each with at least --min-reports reports: least-squares
    /// slope of the share above / below zero and the last share at least 1.5 times the first,
    /// or the first 1.5 times the last), since YEAR (first year raised).
    #[command(after_help = TRENDS_HELP)]
    Trends(TrendsArgs),
    /// Theme pairs that come together in one sentence, passage or report (--within), with
    /// counts, lift, NPMI and example sentences.
    ///
    /// Lift is how many times more often two themes come together than if they were
    /// independent (over every unit of the reports compared, tagged or not): 1 is chance.
    /// NPMI is the same association on a -1..1 scale (1: only ever together). Examples are
    /// sentences tagged with both themes, newest report first.
    #[command(after_help = COOCCUR_HELP)]
    Cooccur(CooccurArgs),
    /// Candidate themes: recurring phrases of concern sentences that no theme covers.
    ///
    /// Reads the corpus's reports (with the index's taxonomy and model), counts the phrases of
    /// two or three words of every sentence, and ranks those of concern sentences by a
    /// class-based TF-IDF (frequent in concerns, rare elsewhere). A candidate occurs in at
    /// least --min-reports reports and --min-regions regions, and at most --max-covered of its
    /// concern sentences already carry a theme. Each comes with its counts, reports, years,
    /// example sentences and a rule line to start a theme from.
    #[command(after_help = DISCOVER_HELP)]
    Discover(DiscoverArgs),
    /// Rules: `themis rule test "RULE"` previews what a rule would tag before it goes into a
    /// taxonomy.
    #[command(after_help = RULE_HELP)]
    Rule(RuleArgs),
    /// Verify the index: format version, file checksums and document counts.
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Recommendations pulled out of the reports, with addressee, number and themes.
    ///
    /// --recurring groups recommendations that ask for the same thing in different reports:
    /// two recommendations match when they share at least 4 content words and those make up at
    /// least 75% of the shorter one's content words; groups spanning 2+ reports, largest first.
    #[command(after_help = RECOMMENDATIONS_HELP)]
    Recommendations(RecommendationsArgs),
    /// Key-question scores (% 'Yes') of each report side by side, with the corpus average, and
    /// PDU ratings.
    #[command(after_help = SCORES_HELP)]
    Scores(TableArgs),
    /// Key contextual facts (people supervised, staffing, caseloads, ...) side by side.
    #[command(after_help = FACTS_HELP)]
    Facts(TableArgs),
    /// Train the learned half of the tagger from labelled sentences and write a model file.
    ///
    /// LABELS are `*.labels.jsonl` files or folders of them (one unit a line, with "text",
    /// "themes" and "polarity"). Each theme of the taxonomy (--themes) with at least
    /// --min-examples labelled sentences gets a classifier; the others stay with their rules.
    /// Deterministic: the same labels and options give the same file.
    #[command(after_help = TRAIN_HELP)]
    Train(TrainArgs),
    /// Score the tagger against labelled files: micro/macro precision, recall and F1, polarity.
    ///
    /// Each NAME.labels.jsonl under LABELS is read with its text NAME.txt/.md/.pdf/.html from
    /// its own folder or --texts (by default LABELS/corpus, then --corpus), tagged as `themis tag` tags it, and scored
    /// as eval_tags.py scores `themis tag --json`. --cv K retrains the learned half K times,
    /// leaving each fold of documents out, and scores every document with the model that did
    /// not see it.
    #[command(after_help = EVAL_HELP)]
    Eval(EvalArgs),
    /// Print a report's text as themis reads it: for PDF and HTML, the extracted text that
    /// `start`/`end` offsets of "extracted" results refer to.
    #[command(after_help = SHOW_HELP)]
    Show(ShowArgs),
    /// Export the index for OpenSearch, Elasticsearch or Quickwit: one document per sentence
    /// (or passage) with its report's metadata, text, offsets, page, themes and polarity.
    ///
    /// opensearch and elasticsearch write `_bulk` NDJSON (a `create` action line, then the
    /// document) and an index mapping; quickwit writes one document a line and an index
    /// configuration; ndjson one document a line. The mapping or configuration goes to
    /// --mapping FILE, by default beside --out FILE (export.ndjson: export.mapping.json, or
    /// export.index-config.json for quickwit); with the documents on stdout it is written only
    /// when --mapping is given. Streams: memory stays flat however large the index.
    #[command(after_help = EXPORT_HELP)]
    Export(ExportArgs),
    /// A local web interface: search with facets, where themes recur, each report with its
    /// tagged sentences, and a JSON API under /api/.
    ///
    /// Reads the index as it is and never writes it: build or update it with `themis index`
    /// (the server shows a banner when the corpus has changed since, and picks up a re-index
    /// by itself). Listens on 127.0.0.1 unless --bind says otherwise; Ctrl-C stops it.
    #[command(after_help = SERVE_HELP)]
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The engine: opensearch, elasticsearch, quickwit or ndjson.
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "ndjson")]
    pub format: ExportFormatArg,
    /// One document per sentence or per passage (up to 3 sentences, what search ranks).
    #[arg(long, value_name = "UNIT", value_enum, default_value = "sentence")]
    pub unit: ExportUnitArg,
    /// Write the documents to FILE instead of stdout (`-` is stdout).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write the index mapping (opensearch, elasticsearch) or index configuration (quickwit)
    /// to FILE (`-`: stdout, when the documents go to --out FILE).
    #[arg(long, value_name = "FILE")]
    pub mapping: Option<PathBuf>,
    /// The engine's index name: `_index` of the bulk actions, Quickwit's `index_id`.
    #[arg(long, value_name = "NAME", default_value = "themis")]
    pub index_name: String,
    /// Print what was written (counts and files) as JSON on stdout; needs --out FILE.
    #[arg(long)]
    pub json: bool,
}

/// `--format` of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormatArg {
    /// OpenSearch `_bulk` NDJSON and an index mapping.
    Opensearch,
    /// Elasticsearch `_bulk` NDJSON and an index mapping.
    Elasticsearch,
    /// Quickwit NDJSON and an index configuration.
    Quickwit,
    /// One document a line.
    Ndjson,
}

impl From<ExportFormatArg> for themis::export::Format {
    fn from(arg: ExportFormatArg) -> Self {
        match arg {
            ExportFormatArg::Opensearch => themis::export::Format::OpenSearch,
            ExportFormatArg::Elasticsearch => themis::export::Format::Elasticsearch,
            ExportFormatArg::Quickwit => themis::export::Format::Quickwit,
            ExportFormatArg::Ndjson => themis::export::Format::Ndjson,
        }
    }
}

/// `--unit` of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportUnitArg {
    /// A document per sentence.
    Sentence,
    /// A document per passage.
    Passage,
}

impl From<ExportUnitArg> for themis::export::Unit {
    fn from(arg: ExportUnitArg) -> Self {
        match arg {
            ExportUnitArg::Sentence => themis::export::Unit::Sentence,
            ExportUnitArg::Passage => themis::export::Unit::Passage,
        }
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on (0: any free port; the URL printed says which).
    #[arg(long, value_name = "N", default_value_t = 7878)]
    pub port: u16,
    /// Address to listen on; anything but 127.0.0.1 or ::1 lets other machines read the index.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Longest a request may take, in seconds, before it is answered with 503.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Report id (as in results) or file path relative to the corpus folder.
    pub report: String,
    /// Only this page (PDF reports).
    #[arg(long, value_name = "N")]
    pub page: Option<u32>,
    /// Print as JSON: metadata, pages and text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RecommendationsArgs {
    /// Only reports from this region.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Only recommendations to: pdu, region, hmpps or other.
    #[arg(long, value_name = "WHO", value_enum)]
    pub addressee: Option<AddresseeArg>,
    /// Only recommendations tagged with this theme.
    #[arg(long, value_name = "ID")]
    pub theme: Option<String>,
    /// Group recommendations that recur across reports.
    #[arg(long)]
    pub recurring: bool,
    /// Print as JSON.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format: text, md or csv.
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "text")]
    pub format: TableFormatArg,
}

#[derive(Debug, Args)]
pub struct TableArgs {
    /// Print as JSON.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format: text, md or csv.
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "text")]
    pub format: TableFormatArg,
}

/// `--format` of `recommendations`, `scores` and `facts`. (Plain comments on the values: doc
/// comments would change `--help`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormatArg {
    // Aligned text for the terminal.
    Text,
    // Markdown.
    Md,
    // RFC 4180 CSV.
    Csv,
}

impl From<TableFormatArg> for TableFormat {
    fn from(format: TableFormatArg) -> TableFormat {
        match format {
            TableFormatArg::Text => TableFormat::Text,
            TableFormatArg::Md => TableFormat::Markdown,
            TableFormatArg::Csv => TableFormat::Csv,
        }
    }
}

/// `--addressee` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AddresseeArg {
    Pdu,
    Region,
    Hmpps,
    Other,
}

impl From<AddresseeArg> for Addressee {
    fn from(who: AddresseeArg) -> Addressee {
        match who {
            AddresseeArg::Pdu => Addressee::Pdu,
            AddresseeArg::Region => Addressee::Region,
            AddresseeArg::Hmpps => Addressee::Hmpps,
            AddresseeArg::Other => Addressee::Other,
        }
    }
}

/// `--polarity` values: which sentences count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolarityArg {
    All,
    Concern,
    Strength,
    Neutral,
}

impl From<PolarityArg> for PolarityFilter {
    fn from(polarity: PolarityArg) -> PolarityFilter {
        match polarity {
            PolarityArg::All => PolarityFilter::All,
            PolarityArg::Concern => PolarityFilter::Only(Polarity::Concern),
            PolarityArg::Strength => PolarityFilter::Only(Polarity::Strength),
            PolarityArg::Neutral => PolarityFilter::Only(Polarity::Neutral),
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Print the result as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ThemesArgs {
    #[command(subcommand)]
    pub show: Option<ThemesCommand>,
    /// Print the taxonomy and counts as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ThemesCommand {
    /// Every sentence tagged with a theme, grouped by report, newest first.
    Show(ThemeShowArgs),
    /// Add a theme with its rules to the index's taxonomy and re-tag the index with it.
    ///
    /// The taxonomy the index uses now (--themes, else the one it recorded, else the
    /// built-in one) plus the new theme is written to --out FILE, or recorded in the index
    /// folder; the index is re-tagged with it and keeps using it. Preview rules first with
    /// `themis rule test`. The learned model does not know the new theme: it is tagged by its
    /// rules alone (train a model with labelled examples to add a learned half).
    Add(ThemeAddArgs),
}

#[derive(Debug, Args)]
pub struct ThemeAddArgs {
    /// Theme id: lowercase letters, digits and hyphens (e.g. digital-exclusion).
    pub id: String,
    /// The theme's label, as reports show it.
    #[arg(long, value_name = "LABEL")]
    pub label: String,
    /// A rule in the rule language (repeatable; at least one, or --from-search).
    #[arg(
        long = "rule",
        value_name = "RULE",
        required_unless_present = "from_search"
    )]
    pub rules: Vec<String>,
    /// A search query (search's syntax) to write as the theme's rules: phrases, AND, OR, NOT
    /// and -word, "a b"~N (NEAR/N), prefix*; alternatives joined by OR become separate rules.
    #[arg(long, value_name = "QUERY")]
    pub from_search: Option<String>,
    /// Category (one of the taxonomy's categories; default: the first).
    #[arg(long, value_name = "CATEGORY")]
    pub category: Option<String>,
    /// What the theme covers.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Also write the new taxonomy to FILE (to edit, share or pass as --themes).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print the outcome as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ThemeShowArgs {
    /// Theme id (see `themis themes`).
    pub id: String,
    /// Only reports from this region.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Only reports of this year.
    #[arg(long, value_name = "YEAR")]
    pub year: Option<i32>,
    /// Only sentences of this polarity: all, concern, strength, neutral.
    #[arg(long, value_name = "P", default_value = "all", value_parser = polarity)]
    pub polarity: PolarityArg,
    /// Show the sentences of the newest N reports (all are counted); 0 shows every report.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_reports: usize,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct FindingsArgs {
    /// Only this region.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// A theme recurs when raised in at least N reports (N regions with --across-regions).
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = at_least_one)]
    pub min_reports: usize,
    /// With --across-regions: also raised in at least this share of the regions compared
    /// (0 to 1).
    #[arg(long, value_name = "SHARE", default_value_t = themis::findings::DEFAULT_MIN_REGION_SHARE, value_parser = share)]
    pub min_share: f64,
    /// Which sentences count: concern (problems, the default), strength, neutral or all.
    #[arg(long, value_name = "P", default_value = "concern", value_parser = polarity)]
    pub polarity: PolarityArg,
    /// Systemic findings: themes raised in at least N regions (--min-reports, at least 2) and in
    /// at least --min-share of the regions compared.
    #[arg(long)]
    pub across_regions: bool,
    /// Quote at most N reports per theme, newest first (all are still counted); 0 quotes all.
    #[arg(long, value_name = "N", default_value_t = themis::findings::DEFAULT_MAX_REPORTS)]
    pub max_reports: usize,
    /// Print as JSON.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format: text, md or csv (a row a finding, its quotes in one cell).
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "text")]
    pub format: FindingsFormat,
}

/// `--format` of `findings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    Text,
    Md,
    Csv,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Columns: region, report, year or type.
    #[arg(long, value_name = "GROUP", value_enum, default_value = "region")]
    pub by: GroupByArg,
    /// Numbers: sentences, reports (reports raising the theme) or per10k (per 10,000 sentences).
    #[arg(long, value_name = "METRIC", value_enum, default_value = "sentences")]
    pub metric: MetricArg,
    /// Which sentences count: all, concern, strength, neutral (html: all shows concern and
    /// strength apart).
    #[arg(long, value_name = "P", default_value = "all", value_parser = polarity)]
    pub polarity: PolarityArg,
    #[command(flatten)]
    pub reports: ReportFilterArgs,
    /// table (fits 100 columns), md, csv, json, or html: the analyst's report, one
    /// self-contained page (heatmaps, trends, themes together, findings, and the sentences
    /// behind every number).
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "table")]
    pub format: ReportFormat,
    /// html: most sentences quoted per heatmap cell, pair or finding (all are counted).
    #[arg(long, value_name = "N", default_value_t = themis::views::analyst::DEFAULT_EVIDENCE)]
    pub evidence: usize,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Write to FILE instead of stdout (`-` is stdout).
    #[arg(long, short, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// `--region`, `--type` and `--since`: which reports an analyst's view reads.
#[derive(Debug, Args)]
pub struct ReportFilterArgs {
    /// Only reports from this region.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Only reports of this type (e.g. dynamic-inspection, regional-letter, press-release).
    #[arg(long = "type", value_name = "TYPE")]
    pub report_type: Option<String>,
    /// Only reports from this year or later.
    #[arg(long, value_name = "YEAR")]
    pub since: Option<i32>,
}

#[derive(Debug, Args)]
pub struct TrendsArgs {
    #[command(flatten)]
    pub reports: ReportFilterArgs,
    /// Only this theme (repeatable).
    #[arg(long = "theme", value_name = "ID")]
    pub theme: Vec<String>,
    /// Which sentences count: concern (problems, the default), strength, neutral or all.
    #[arg(long, value_name = "P", default_value = "concern", value_parser = polarity)]
    pub polarity: PolarityArg,
    /// One series per region.
    #[arg(long)]
    pub by_region: bool,
    /// A theme is persistent when raised in reports of at least N different years.
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = at_least_one)]
    pub persistent_years: usize,
    /// Rising / falling looks at the last N years that have reports (at least 2).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = at_least_two)]
    pub window: usize,
    /// Rising / falling is only said when each year of the window has at least N reports.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_reports: u64,
    /// Print as JSON.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format: text, md or csv.
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "text")]
    pub format: TableFormatArg,
}

#[derive(Debug, Args)]
pub struct CooccurArgs {
    /// What two themes must come together in: sentence, passage or report.
    #[arg(long, value_name = "UNIT", value_enum, default_value = "sentence")]
    pub within: WithinArg,
    /// Only pairs with this theme: its partners.
    #[arg(long, value_name = "ID")]
    pub theme: Option<String>,
    #[command(flatten)]
    pub reports: ReportFilterArgs,
    /// Which sentences count: all (the default), concern, strength or neutral.
    #[arg(long, value_name = "P", default_value = "all", value_parser = polarity)]
    pub polarity: PolarityArg,
    /// Leave out pairs that come together in fewer than N units.
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub min_count: u64,
    /// Most pairs listed (0: all).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// Example sentences per pair (0: none).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub examples: usize,
    /// Print as JSON.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format: text, md or csv.
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "text")]
    pub format: TableFormatArg,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    #[command(subcommand)]
    pub command: RuleCommand,
}

#[derive(Debug, Subcommand)]
pub enum RuleCommand {
    /// Preview a rule over every indexed sentence: the sentences and reports it matches, the
    /// themes those sentences carry now, and a sample (one a report, newest first).
    ///
    /// RULE is written in the rule language of themes.toml (see the README, "Rules"): words
    /// and phrases, (a|b) alternatives, AND, AND NOT, NEAR/N, prefix*, ~negatable, #num.
    Test(RuleTestArgs),
}

#[derive(Debug, Args)]
pub struct RuleTestArgs {
    /// The rule, e.g. "vetting NEAR/5 (delay|backlog)".
    pub rule: String,
    #[command(flatten)]
    pub reports: ReportFilterArgs,
    /// Sentences quoted.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub sample: usize,
    /// Print as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DiscoverArgs {
    #[command(flatten)]
    pub reports: ReportFilterArgs,
    /// A candidate occurs in at least N reports.
    #[arg(long, value_name = "N", default_value_t = 2, value_parser = at_least_one)]
    pub min_reports: usize,
    /// A candidate occurs in at least N regions (default 2, or 1 with --region).
    #[arg(long, value_name = "N")]
    pub min_regions: Option<usize>,
    /// At most this share (0-1) of a candidate's concern sentences may already carry a theme.
    #[arg(long, value_name = "SHARE", default_value_t = 0.5)]
    pub max_covered: f64,
    /// Most candidates listed (0: all).
    #[arg(long, value_name = "N", default_value_t = 15)]
    pub limit: usize,
    /// Example sentences per candidate (0: none).
    #[arg(long, value_name = "N", default_value_t = 2)]
    pub examples: usize,
    /// Print as JSON.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
    /// Output format: text, md or csv.
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "text")]
    pub format: TableFormatArg,
}

/// `cooccur --within` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum WithinArg {
    Sentence,
    Passage,
    Report,
}

impl From<WithinArg> for Within {
    fn from(w: WithinArg) -> Within {
        match w {
            WithinArg::Sentence => Within::Sentence,
            WithinArg::Passage => Within::Passage,
            WithinArg::Report => Within::Report,
        }
    }
}

/// `report --by` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GroupByArg {
    Region,
    Report,
    Year,
    Type,
}

impl From<GroupByArg> for GroupBy {
    fn from(by: GroupByArg) -> GroupBy {
        match by {
            GroupByArg::Region => GroupBy::Region,
            GroupByArg::Report => GroupBy::Report,
            GroupByArg::Year => GroupBy::Year,
            GroupByArg::Type => GroupBy::Type,
        }
    }
}

/// `report --metric` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MetricArg {
    Sentences,
    Reports,
    #[value(name = "per10k")]
    Per10k,
}

impl From<MetricArg> for Metric {
    fn from(metric: MetricArg) -> Metric {
        match metric {
            MetricArg::Sentences => Metric::Sentences,
            MetricArg::Reports => Metric::Reports,
            MetricArg::Per10k => Metric::Per10k,
        }
    }
}

/// `report --format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Table,
    Md,
    Csv,
    Json,
    Html,
}

impl ReportFormat {
    /// The frequency matrix's format; `None` for html, the analyst's report.
    pub fn matrix(self) -> Option<Format> {
        match self {
            ReportFormat::Table => Some(Format::Table),
            ReportFormat::Md => Some(Format::Markdown),
            ReportFormat::Csv => Some(Format::Csv),
            ReportFormat::Json => Some(Format::Json),
            ReportFormat::Html => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct IndexArgs {
    /// Re-index every file, recreating the index if it is damaged or from another version.
    #[arg(long)]
    pub rebuild: bool,
    /// Refuse files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = themis::corpus::DEFAULT_MAX_FILE_BYTES)]
    pub max_file_size: u64,
    /// Print the summary as JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(after_help = SEARCH_HELP)]
pub struct SearchArgs {
    /// The query (tantivy syntax). Empty ("") lists passages matching the filters.
    pub query: String,
    /// Only reports from this region (e.g. "South West", "KSS", "greater manchester").
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Only reports of this type (e.g. dynamic-inspection, regional-letter, press-release).
    #[arg(long = "type", value_name = "TYPE")]
    pub report_type: Option<String>,
    /// Only reports from this year.
    #[arg(long, value_name = "YEAR", conflicts_with = "since")]
    pub year: Option<i32>,
    /// Only reports from this year or later.
    #[arg(long, value_name = "YEAR")]
    pub since: Option<i32>,
    /// Only this report (its id, as shown in results).
    #[arg(long, value_name = "ID")]
    pub report: Option<String>,
    /// Only passages tagged with this theme (repeatable: all must hold).
    #[arg(long = "theme", value_name = "ID")]
    pub theme: Vec<String>,
    /// Most reports to show (at least 1; --all shows every one).
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = search_limit)]
    pub limit: usize,
    /// Most excerpts per report (at least 1; --all shows every one).
    #[arg(long, value_name = "N", default_value_t = 3, value_parser = search_limit)]
    pub per_report: usize,
    /// Every matching passage of every matching report (overrides --limit and --per-report).
    #[arg(long)]
    pub all: bool,
    /// Sentences of context to show before and after each excerpt, from the same section.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub context: usize,
    /// Output format: text, json, csv (one row per excerpt, for spreadsheets) or md.
    #[arg(long, value_enum, value_name = "FORMAT", default_value = "text")]
    pub format: SearchFormat,
    /// Same as --format json.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

/// What `themis search` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SearchFormat {
    /// Excerpts grouped by report, highlighted on a terminal.
    Text,
    /// One JSON object.
    Json,
    /// RFC 4180 CSV, one row per excerpt.
    Csv,
    /// A Markdown table, one row per excerpt.
    Md,
}

/// A `--polarity` value, in any case and with spaces around it accepted (as themis always read
/// polarities). A parser rather than `value_enum` so that clap does not add a list of possible
/// values to `--help`: each option's help names them already.
fn polarity(s: &str) -> Result<PolarityArg, String> {
    <PolarityArg as ValueEnum>::from_str(s.trim(), true)
        .map_err(|_| "expected all, concern, strength or neutral".into())
}

/// A share between 0 and 1.
fn share(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.0..=1.0).contains(&v) => Ok(v),
        Ok(_) => Err("must be between 0 and 1 (e.g. 0.5 for half)".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// A count that must be at least 1: 0 would silently show nothing, or mean what 1 means.
fn at_least_one(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// A count that must be at least 2.
fn at_least_two(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if n < 2 => Err("must be at least 2".into()),
        Ok(n) => Ok(n),
        Err(e) => Err(e.to_string()),
    }
}

/// A search limit: at least 1, with a pointer to `--all`.
fn search_limit(s: &str) -> Result<usize, String> {
    at_least_one(s).map_err(|e| format!("{e} (--all shows everything)"))
}

#[derive(Debug, Args)]
#[command(after_help = TAG_HELP)]
pub struct TagArgs {
    /// Files to tag; `-` reads standard input.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// JSON Lines: a document record per file, then a sentence record per sentence.
    #[arg(long)]
    pub json: bool,
    /// For each tag, the rule that fired and the model's strongest features.
    #[arg(long)]
    pub explain: bool,
}

const INDEX_HELP: &str = "\
Examples:
  themis index
  themis index --corpus ~/reports --index ~/reports-index --json
  themis index --rebuild

Other commands update the index themselves when the corpus changed; `index` does it explicitly
and prints what it did. Exit codes: 0 done, 2 error (some files failed: named on stderr).";

const THEMES_HELP: &str = "\
Examples:
  themis themes
  themis themes show vetting-recruitment --region \"Greater Manchester\" --polarity concern
  themis themes --json
  themis themes add digital-exclusion --label \"Digital exclusion\" --rule \"digital exclusion\" --category services";

const FINDINGS_HELP: &str = "\
Examples:
  themis findings --region \"Greater Manchester\"
  themis findings --across-regions --min-share 0.5
  themis findings --polarity strength --min-reports 3 --format md > strengths.md

Exit codes: 0 findings listed, 1 none, 2 error.";

const REPORT_HELP: &str = "\
Examples:
  themis report
  themis report --by year --metric per10k --polarity concern
  themis report --format html --out themes.html
  themis report --format html --by year --region \"South West\" --evidence 10 --out sw.html
  themis report --by report --format csv > themes.csv

The html report's date is the time it was made, or SOURCE_DATE_EPOCH (seconds since 1970)
when that is set, for reproducible output.";

const COOCCUR_HELP: &str = "\
Examples:
  themis cooccur
  themis cooccur --theme information-sharing --examples 3
  themis cooccur --within report --polarity concern --format csv > pairs.csv";

const DISCOVER_HELP: &str = "\
Examples:
  themis discover
  themis discover --min-reports 3 --min-regions 2 --examples 3
  themis discover --since 2020 --format csv > candidates.csv";

const RULE_HELP: &str = "\
Examples:
  themis rule test \"vetting NEAR/5 (delay*|backlog|slow)\"
  themis rule test \"broken (printer*|laptop*)\" --sample 10
  themis rule test \"interpreter* AND NOT court\" --region Wales --json";

const TRENDS_HELP: &str = "\
Examples:
  themis trends
  themis trends --theme vetting-recruitment --theme workload --by-region
  themis trends --type dynamic-inspection --since 2020 --format csv > trends.csv

Exit codes: 0 trends listed, 1 no dated report matches the filters, 2 error.";

const SERVE_HELP: &str = "\
Examples:
  themis serve
  themis serve --port 8080 --index ~/reports-index --corpus ~/reports

Pages: /search, /themes, /themes/ID, /reports/ID; JSON: /api (the list of endpoints).";

const CHECK_HELP: &str = "\
Examples:
  themis check
  themis check --index ~/reports-index --json

Exit codes: 0 the index is sound, 2 it is damaged (run `themis index --rebuild`).";

const RECOMMENDATIONS_HELP: &str = "\
Examples:
  themis recommendations --addressee hmpps
  themis recommendations --recurring
  themis recommendations --theme vetting-recruitment --format csv > vetting.csv";

const SCORES_HELP: &str = "\
Examples:
  themis scores
  themis scores --format csv > scores.csv";

const FACTS_HELP: &str = "\
Examples:
  themis facts
  themis facts --json";

const SHOW_HELP: &str = "\
Examples:
  themis show sw-dipp-2026
  themis show report.pdf --page 3
  themis show gm-dipp-2026 --json";

const SEARCH_HELP: &str = "\
Examples:
  themis search \"vetting delays\"
  themis search '\"management oversight\" AND NOT police' --region \"South West\" --since 2023
  themis search vetting --theme vetting-recruitment --all --format csv > vetting.csv
  themis search 'theme:information-sharing AND region:\"greater manchester\"' --json

The header says how many passages and reports match and how many are shown. Every report with
a match is ranked (by its best passage; ties by report id); --limit and --per-report only cut
what is printed. Exit codes: 0 found, 1 nothing matched, 2 error.";

const EXPORT_HELP: &str = "\
Examples:
  themis export --format opensearch --out themis.bulk.ndjson
  themis export --format quickwit --unit passage --out passages.ndjson
  themis export --format ndjson | gzip > sentences.ndjson.gz

Progress goes to stderr on a terminal. Exit codes: 0 exported, 1 the index has no documents,
2 error.";

const TAG_HELP: &str = "\
Examples:
  themis tag corpus/002_5d4a424a9be3597c.txt
  themis tag --json report.pdf > tags.jsonl
  echo 'Good quality reports were produced for the courts.' | themis tag --explain -";

const TRAIN_HELP: &str = "\
Examples:
  themis train data/labels --out data/model/themis.model
  themis train data/labels my-theme.labels.jsonl --themes my-themes.toml --out my.model
  themis tag --themes my-themes.toml --model my.model report.txt";

const EVAL_HELP: &str = "\
Examples:
  themis eval data/labels/dev1
  themis eval data/labels --cv 5 --per-theme
  themis eval my-labels/ --model my.model --json

Exit codes: 0 scored, 2 an error (unreadable labels, a text not found).";

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labels files or folders of them.
    #[arg(required = true, value_name = "LABELS")]
    pub labels: Vec<PathBuf>,
    /// Where to write the model.
    #[arg(long, value_name = "FILE", default_value = "themis.model")]
    pub out: PathBuf,
    /// Folder(s) holding the labels files' texts, searched after each labels file's own folder
    /// (then LABELS/corpus and the --corpus folder). With its text, a document is trained on
    /// as the tagger reads it, sentence by sentence; without, its units are used as they are.
    #[arg(long, value_name = "DIR")]
    pub texts: Vec<PathBuf>,
    /// Most optimiser (L-BFGS) iterations.
    #[arg(long, value_name = "N")]
    pub epochs: Option<usize>,
    /// Probability above which the model gives a theme.
    #[arg(long, value_name = "P")]
    pub threshold: Option<f32>,
    /// Labelled sentences a theme needs to get a classifier.
    #[arg(long, value_name = "N")]
    pub min_examples: Option<usize>,
    /// L2 penalty on the weights.
    #[arg(long, value_name = "X")]
    pub l2: Option<f32>,
    /// Print what was trained as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EvalArgs {
    /// A folder of NAME.labels.jsonl files, or one such file.
    #[arg(value_name = "LABELS")]
    pub labels: PathBuf,
    /// Folder(s) holding the texts, searched in order after each labels file's own folder
    /// (default: LABELS/corpus, then the --corpus folder).
    #[arg(long, value_name = "DIR")]
    pub texts: Vec<PathBuf>,
    /// Leave-documents-out cross-validation with K folds (retrains the model K times).
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u32).range(2..))]
    pub cv: Option<u32>,
    /// Extra labels used only for training in --cv (never scored).
    #[arg(long, value_name = "LABELS")]
    pub train_extra: Vec<PathBuf>,
    /// Probability threshold of the models trained by --cv.
    #[arg(long, value_name = "P")]
    pub threshold: Option<f32>,
    /// Most optimiser iterations of the models trained by --cv.
    #[arg(long, value_name = "N")]
    pub epochs: Option<usize>,
    /// L2 penalty of the models trained by --cv (theme classifiers).
    #[arg(long, value_name = "X")]
    pub l2: Option<f32>,
    /// L2 penalty of the models trained by --cv (polarity classifier).
    #[arg(long, value_name = "X")]
    pub polarity_l2: Option<f32>,

    /// Scores per theme.
    #[arg(long)]
    pub per_theme: bool,
    /// Print the scores as one JSON object.
    #[arg(long)]
    pub json: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn test_cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
