//! `themis tag`: tag files sentence by sentence without touching the index.

use std::io::{Read, Write};

use anyhow::Context;
use serde::Serialize;
use themis::corpus::{self, CorpusFile, Manifest, ReportMeta};
use themis::pipeline::{analyze_report, AnalyzeOptions, AnalyzedReport};
use themis::themes::{Polarity, TagReason, Tagger};

use crate::cli::{GlobalArgs, TagArgs};
use crate::output::{self, Style};
use crate::Exit;

#[derive(Serialize)]
struct DocumentRecord<'a> {
    kind: &'static str,
    file: &'a str,
    title: &'a str,
    publisher: Option<&'a str>,
    region: Option<&'a str>,
    date: Option<&'a str>,
    year: Option<i32>,
    #[serde(rename = "type")]
    report_type: &'a str,
}

#[derive(Serialize)]
struct SentenceRecord<'a> {
    kind: &'static str,
    file: &'a str,
    start: usize,
    end: usize,
    section: Option<&'a str>,
    text: &'a str,
    themes: &'a [String],
    polarity: Polarity,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    offsets: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<&'a [TagReason]>,
}

pub fn run(global: &GlobalArgs, args: &TagArgs) -> anyhow::Result<Exit> {
    let tagger = super::load_tagger(global)?;
    let style = Style {
        color: output::use_color(global.color),
    };
    let mut out = output::stdout();
    let mut exit = Exit::Success;
    let no_manifest = Manifest::default();
    let mut tokens = Vec::new();
    for path in &args.files {
        let name = path.display().to_string();
        let decoded = if super::is_stdin(path) {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .context("cannot read standard input")?;
            corpus::decode(&bytes)
                .map(|s| (s, None))
                .map_err(|err| corpus::FileProblem {
                    file: "-".into(),
                    message: err.to_string(),
                    is_error: true,
                })
        } else {
            let file = CorpusFile {
                path: path.clone(),
                rel: name.clone(),
                stamp: None,
            };
            corpus::read_source(&file, corpus::DEFAULT_MAX_FILE_BYTES)
        };
        let (source, warning) = match decoded {
            Ok(read) => read,
            Err(problem) => {
                output::report_problem(&problem);
                exit = Exit::Error;
                continue;
            }
        };
        if let Some(warning) = warning {
            output::report_problem(&warning);
        }
        let file = CorpusFile {
            path: path.clone(),
            rel: name.clone(),
            stamp: None,
        };
        let meta = ReportMeta::resolve(&file, &source, &no_manifest);
        let report = analyze_report(source, meta, &tagger, AnalyzeOptions::TAG, &mut tokens);
        write_file(&mut out, &name, &report, &tagger, args, style)?;
    }
    output::finish(out)?;
    Ok(exit)
}

fn write_file(
    out: &mut impl Write,
    name: &str,
    report: &AnalyzedReport,
    tagger: &Tagger,
    args: &TagArgs,
    style: Style,
) -> anyhow::Result<()> {
    let (json, explain) = (args.json, args.explain);
    let (meta, source) = (&report.meta, &report.source);
    if json {
        let record = DocumentRecord {
            kind: "document",
            file: name,
            title: &meta.title,
            publisher: meta.publisher.as_deref(),
            region: meta.region.as_deref(),
            date: meta.date.as_deref(),
            year: meta.year,
            report_type: meta.report_type.as_str(),
        };
        serde_json::to_writer(&mut *out, &record)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{}",
            style.bold(&output::sanitize(&format!("{name}: {}", meta.title)))
        )?;
        let region = meta.region.as_deref().unwrap_or("region unknown");
        let year = meta
            .year
            .map(|y| y.to_string())
            .unwrap_or_else(|| "year unknown".into());
        writeln!(
            out,
            "{}",
            style.dim(&format!("{region} · {year} · {}", meta.report_type))
        )?;
    }
    for sentence in report.sentences() {
        let range = sentence.range.clone();
        let text = sentence.text;
        let section = sentence.section;
        let tags = sentence.tags;
        let reasons = explain.then(|| {
            tagger
                .explain_tags(text, &themis::analysis::analyze(text), section)
                .1
        });
        if json {
            let record = SentenceRecord {
                kind: "sentence",
                file: name,
                start: sentence.file_range.start,
                end: sentence.file_range.end,
                section,
                text,
                themes: &tags.themes,
                polarity: tags.polarity,
                page: source.page_of(range.start),
                offsets: source.offsets_kind(),
                explain: reasons.as_deref(),
            };
            serde_json::to_writer(&mut *out, &record)?;
            writeln!(out)?;
        } else if !tags.themes.is_empty() {
            let labels: Vec<&str> = tags
                .themes
                .iter()
                .map(|id| {
                    tagger
                        .taxonomy()
                        .theme(id)
                        .map_or(id.as_str(), |t| t.label.as_str())
                })
                .collect();
            writeln!(
                out,
                "  {} {}\n    {}",
                style.bold(&format!("[{}]", tags.polarity)),
                output::sanitize(text),
                style.dim(&labels.join(", "))
            )?;
            for reason in reasons.iter().flatten() {
                writeln!(out, "      {}", style.dim(&describe(reason)))?;
            }
        }
    }
    if !json {
        writeln!(out)?;
    }
    Ok(())
}

/// One line of `--explain` text: why a theme was given.
fn describe(reason: &TagReason) -> String {
    let mut parts = Vec::new();
    if let Some(rule) = &reason.rule {
        parts.push(format!("rule \"{rule}\""));
    }
    if reason.from_section {
        parts.push("from the section title".to_string());
    }
    if let Some(p) = reason.probability {
        let terms: Vec<String> = reason
            .terms
            .iter()
            .map(|c| format!("{} {:+.2}", c.feature, c.weight))
            .collect();
        parts.push(format!("model {p:.2}: {}", terms.join(", ")));
    }
    format!("{}: {}", reason.theme, parts.join("; "))
}
