//! `themis tag`: tag files sentence by sentence without touching the index.

use std::io::{BufRead, Read, Write};

use anyhow::Context;
use serde::Serialize;
use themis::corpus::{self, CorpusFile, Manifest, ReportMeta, SourceText};
use themis::pipeline::{analyze_report, AnalyzeOptions, AnalyzedReport};
use themis::themes::{Polarity, TagReason, Tagger};

use crate::cli::{GlobalArgs, TagArgs};
use crate::output::{self, Style};
use crate::Exit;

#[derive(Serialize)]
struct DocumentRecord<'a> {
    kind: &'static str,
    report: &'a str,
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
    report: &'a str,
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
    let mut tag = |out: &mut dyn Write, name: &str, source, meta| -> anyhow::Result<()> {
        let report = analyze_report(source, meta, &tagger, AnalyzeOptions::TAG, &mut tokens);
        write_file(out, name, &report, &tagger, args, style)
    };
    for path in &args.files {
        let name = path.display().to_string();
        let decoded = if super::is_stdin(path) {
            let mut input = std::io::stdin().lock();
            match read_stdin(&mut input)? {
                Stdin::Text(bytes) => {
                    corpus::decode(&bytes)
                        .map(|s| (s, None))
                        .map_err(|err| corpus::FileProblem {
                            file: "-".into(),
                            message: err.to_string(),
                            is_error: true,
                        })
                }
                Stdin::Reports { first, number } => {
                    if !tag_json_reports(&mut input, first, number, &mut out, &mut tag)? {
                        exit = Exit::Error;
                    }
                    continue;
                }
            }
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
        tag(&mut out, &name, source, meta)?;
    }
    output::finish(out)?;
    Ok(exit)
}

/// What standard input holds: one plain text, or NDJSON reports (its first non-blank line
/// starts with `{`), of which the first line has been read.
enum Stdin {
    Text(Vec<u8>),
    Reports { first: Line, number: usize },
}

/// Reads up to the first non-blank line to tell plain text from NDJSON; plain text is then read
/// whole, as it always was, while reports are left to be read line by line.
fn read_stdin(input: &mut impl BufRead) -> anyhow::Result<Stdin> {
    let mut head = Vec::new();
    let mut number = 0;
    loop {
        let mut line = Vec::new();
        let (read, complete) = read_capped(input, &mut line)?;
        number += 1;
        let blank = line.iter().all(u8::is_ascii_whitespace);
        if read > 0 && !blank && corpus::looks_like_json_report(&String::from_utf8_lossy(&line)) {
            let first = if complete {
                Line::Read(line)
            } else {
                skip_rest_of_line(input)?;
                Line::TooLong
            };
            return Ok(Stdin::Reports { first, number });
        }
        head.extend_from_slice(&line);
        if read == 0 || !blank || !complete {
            break;
        }
    }
    input
        .read_to_end(&mut head)
        .context("cannot read standard input")?;
    Ok(Stdin::Text(head))
}

/// Tags one report and writes its records: (output, name, text, metadata).
type TagOne<'a> =
    dyn FnMut(&mut dyn Write, &str, SourceText, ReportMeta) -> anyhow::Result<()> + 'a;

/// Tags NDJSON reports, one a line, writing each one's records as soon as it is tagged (so a
/// pipe, such as Spark's `RDD.pipe`, streams). A line that is not a report is reported with its
/// number on stderr and the rest go on; returns `false` when any line failed.
fn tag_json_reports(
    input: &mut impl BufRead,
    first: Line,
    mut number: usize,
    out: &mut dyn Write,
    tag: &mut TagOne,
) -> anyhow::Result<bool> {
    let mut all_read = true;
    let mut next = first;
    loop {
        let problem = |message: String| corpus::FileProblem {
            file: "-".into(),
            message: format!("line {number}: {message}"),
            is_error: true,
        };
        let line = match next {
            Line::End => return Ok(all_read),
            Line::TooLong => {
                output::report_problem(&problem(format!(
                    "skipped: a report line over {} bytes",
                    corpus::DEFAULT_MAX_FILE_BYTES
                )));
                all_read = false;
                Vec::new()
            }
            Line::Read(line) => line,
        };
        if !line.iter().all(u8::is_ascii_whitespace) {
            let parsed = match std::str::from_utf8(&line) {
                Ok(text) if corpus::looks_like_json_report(text) => corpus::parse_json_report(text),
                Ok(_) => Err(corpus::BadLine {
                    message: "not a JSON report (in NDJSON input every line is one \
                              `{\"id\", \"text\", ...}` object)"
                        .into(),
                    is_error: true,
                }),
                Err(_) => Err(corpus::BadLine {
                    message: "not UTF-8 (JSON is UTF-8)".into(),
                    is_error: true,
                }),
            };
            drop(line);
            match parsed {
                Ok((source, meta, warning)) => {
                    if let Some(message) = warning {
                        output::report_problem(&corpus::FileProblem {
                            is_error: false,
                            ..problem(message)
                        });
                    }
                    let name = meta.file.clone();
                    tag(out, &name, source, meta)?;
                    out.flush()?;
                }
                Err(bad) => {
                    output::report_problem(&corpus::FileProblem {
                        is_error: bad.is_error,
                        ..problem(bad.message)
                    });
                    all_read &= !bad.is_error;
                }
            }
        }
        number += 1;
        next = next_line(input)?;
    }
}

/// One line of NDJSON input.
enum Line {
    Read(Vec<u8>),
    /// Longer than a file may be: skipped to its end without being held.
    TooLong,
    End,
}

/// The next line, up to [`corpus::DEFAULT_MAX_FILE_BYTES`].
fn next_line(input: &mut impl BufRead) -> anyhow::Result<Line> {
    let mut line = Vec::new();
    Ok(match read_capped(input, &mut line)? {
        (0, _) => Line::End,
        (_, true) => Line::Read(line),
        (_, false) => {
            skip_rest_of_line(input)?;
            Line::TooLong
        }
    })
}

/// Reads a line into `line`, at most [`corpus::DEFAULT_MAX_FILE_BYTES`] and one byte of it:
/// (bytes read, whether that is the whole line).
fn read_capped(input: &mut impl BufRead, line: &mut Vec<u8>) -> anyhow::Result<(usize, bool)> {
    read_capped_at(input, line, corpus::DEFAULT_MAX_FILE_BYTES)
}

fn read_capped_at(
    input: &mut impl BufRead,
    line: &mut Vec<u8>,
    cap: u64,
) -> anyhow::Result<(usize, bool)> {
    let read = input
        .by_ref()
        .take(cap + 1)
        .read_until(b'\n', line)
        .context("cannot read standard input")?;
    Ok((read, read as u64 <= cap || line.last() == Some(&b'\n')))
}

/// Reads past the end of the current line, holding none of it.
fn skip_rest_of_line(input: &mut impl BufRead) -> anyhow::Result<()> {
    loop {
        let buffer = input.fill_buf().context("cannot read standard input")?;
        if buffer.is_empty() {
            return Ok(());
        }
        match buffer.iter().position(|&b| b == b'\n') {
            Some(i) => {
                input.consume(i + 1);
                return Ok(());
            }
            None => {
                let n = buffer.len();
                input.consume(n);
            }
        }
    }
}

fn write_file(
    out: &mut dyn Write,
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
            report: &meta.id,
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
    // Explanations re-tag each sentence as the report's tagging did: in order, on its page.
    let mut page = themis::model::PageContext::new();
    for sentence in report.sentences() {
        let range = sentence.range.clone();
        let text = sentence.text;
        let section = sentence.section;
        let tags = sentence.tags;
        let reasons = explain.then(|| {
            tagger
                .explain_tags(text, &themis::analysis::analyze(text), section, &mut page)
                .1
        });
        if json {
            let record = SentenceRecord {
                kind: "sentence",
                report: &meta.id,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_a_line_over_the_cap_is_skipped_to_its_end_and_the_next_read() {
        let mut input = std::io::Cursor::new(b"0123456789abcdef\nshort\n".to_vec());
        let mut line = Vec::new();
        assert_eq!(
            read_capped_at(&mut input, &mut line, 8).unwrap(),
            (9, false)
        );
        skip_rest_of_line(&mut input).unwrap();
        line.clear();
        assert_eq!(read_capped_at(&mut input, &mut line, 8).unwrap(), (6, true));
        assert_eq!(line, b"short\n");
        line.clear();
        assert_eq!(read_capped_at(&mut input, &mut line, 8).unwrap(), (0, true));
        // A last line without a newline, exactly at the cap, is whole.
        let mut input = std::io::Cursor::new(b"12345678".to_vec());
        assert_eq!(read_capped_at(&mut input, &mut line, 8).unwrap(), (8, true));
    }
}
