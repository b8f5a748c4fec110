//! Terminal output shared by the commands: the colour decision, highlighting, sanitising
//! untrusted report text, warnings on stderr and the progress bar.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use themis::corpus::FileProblem;
use themis::index::IndexProgress;

use crate::cli::ColorWhen;

/// Decides colour once: `auto` means stdout is a terminal, `NO_COLOR` is unset or empty and
/// `TERM` is not `dumb`.
pub fn use_color(when: ColorWhen) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
            std::io::stdout().is_terminal() && !no_color && !dumb
        }
    }
}

/// Styles for a text renderer.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
}

impl Style {
    pub fn bold(&self, s: &str) -> String {
        self.wrap(s, "\x1b[1m")
    }
    pub fn dim(&self, s: &str) -> String {
        self.wrap(s, "\x1b[2m")
    }
    pub fn highlight(&self, s: &str) -> String {
        if self.color {
            format!("\x1b[1;33m{s}\x1b[0m")
        } else {
            format!("**{s}**")
        }
    }
    fn wrap(&self, s: &str, code: &str) -> String {
        if self.color {
            format!("{code}{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Sanitising untrusted text for the terminal is the library's (text tables do it too).
pub use themis::render::text::sanitize;

/// Renders `text` with the byte ranges in `highlights` (relative to `text`) emphasised.
pub fn highlighted(text: &str, highlights: &[(usize, usize)], style: Style) -> String {
    let mut out = String::new();
    let mut at = 0;
    for &(from, to) in highlights {
        if from < at
            || to > text.len()
            || !text.is_char_boundary(from)
            || !text.is_char_boundary(to)
        {
            continue;
        }
        out.push_str(&sanitize(&text[at..from]));
        out.push_str(&style.highlight(&sanitize(&text[from..to])));
        at = to;
    }
    out.push_str(&sanitize(&text[at..]));
    out
}

/// "1 report", "2 reports": counts in sentences read as English.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    let n = n.into();
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// Prints a per-file warning or error as `themis: FILE: message`.
pub fn report_problem(problem: &FileProblem) {
    let level = if problem.is_error { "error" } else { "warning" };
    eprintln!(
        "themis: {}: {level}: {}",
        sanitize(&problem.file),
        sanitize(&problem.message)
    );
}

/// An indicatif bar on stderr, drawn only when stderr is a terminal.
pub struct Progress {
    bar: ProgressBar,
    passages: std::cell::Cell<u64>,
}

impl Progress {
    pub fn new(quiet: bool) -> Self {
        let bar = if quiet || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} indexing [{bar:30}] {pos}/{len} files, {msg} ({elapsed})",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            bar
        };
        Progress {
            bar,
            passages: std::cell::Cell::new(0),
        }
    }
}

impl IndexProgress for Progress {
    fn start(&self, files: u64) {
        self.bar.set_length(files);
        self.bar.set_message("0 passages");
    }
    fn file_done(&self, _file: &str, passages: u64) {
        self.passages.set(self.passages.get() + passages);
        self.bar
            .set_message(format!("{} passages", self.passages.get()));
        self.bar.inc(1);
    }
    fn committing(&self) {
        self.bar
            .set_message(format!("{} passages, committing", self.passages.get()));
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Writes to a locked, buffered stdout; a closed pipe is not an error.
pub fn stdout() -> Stdout {
    std::io::BufWriter::new(std::io::stdout().lock())
}

/// Flushes, treating a closed pipe as success.
pub fn finish(mut out: impl Write) -> anyhow::Result<()> {
    match out.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// The stdout writer results go to.
pub type Stdout = std::io::BufWriter<std::io::StdoutLock<'static>>;

/// Prints a view that is a table in Markdown and CSV (`trends`, `cooccur`, `discover`): as
/// pretty JSON with `--json`, else in `format`: the command's own `text` rendering (in colour
/// when `color` allows), its `table` in Markdown after `heading` (each line followed by a blank
/// line), or its `table` in CSV alone.
pub fn print_table_view<V: serde::Serialize>(
    view: &V,
    json: bool,
    format: themis::render::TableFormat,
    color: ColorWhen,
    heading: impl FnOnce() -> Vec<String>,
    table: impl Fn(themis::render::TableFormat) -> themis::render::Table,
    text: impl FnOnce(&mut Stdout, Style) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    use themis::render::{write_table, TableFormat};
    let mut out = stdout();
    if json {
        serde_json::to_writer_pretty(&mut out, view)?;
        writeln!(out)?;
    } else {
        match format {
            TableFormat::Text => text(
                &mut out,
                Style {
                    color: use_color(color),
                },
            )?,
            TableFormat::Markdown => {
                for line in heading() {
                    writeln!(out, "{line}\n")?;
                }
                write_table(&table(format), format, false, &mut out)?;
            }
            TableFormat::Csv => write_table(&table(format), format, false, &mut out)?,
        }
    }
    finish(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_highlighted_plain() {
        let style = Style { color: false };
        assert_eq!(
            highlighted("long delays in vetting", &[(5, 11)], style),
            "long **delays** in vetting"
        );
    }
}
