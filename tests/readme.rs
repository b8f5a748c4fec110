//! The README's examples are run, so they cannot drift from what themis prints: every ```text
//! block that starts with `$ ` is a session. Each `$ COMMAND` line runs (through `sh`, with the
//! built `themis` first on the PATH) in a workspace holding a copy of the shipped corpus, as
//! `corpus/` beside a fresh `index/`, the README's own defaults. The lines after it, up to the
//! next `$ ` line, are its expected standard output; a line that is only `…` stands for any
//! number of lines (the README shortens long outputs with it).

mod common;

use std::path::Path;
use std::process::Command;

use common::Workspace;

/// One `$ COMMAND` with the output the README shows for it.
struct Example {
    line: usize,
    command: String,
    expected: Vec<String>,
}

fn examples(readme: &str) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut in_session = false;
    let mut in_block = false;
    for (number, line) in readme.lines().enumerate() {
        if line.starts_with("```") {
            if in_block {
                in_block = false;
                in_session = false;
            } else {
                in_block = true;
                in_session = false;
            }
            continue;
        }
        if !in_block {
            continue;
        }
        if let Some(command) = line.strip_prefix("$ ") {
            in_session = true;
            out.push(Example {
                line: number + 1,
                command: command.to_string(),
                expected: Vec::new(),
            });
        } else if in_session {
            out.last_mut()
                .expect("a session starts with a command")
                .expected
                .push(line.to_string());
        }
    }
    out
}

/// `true` when `actual` matches `expected`, where a `…` line in `expected` matches any run of
/// lines (shortest first).
fn matches(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((first, rest)) if first.trim() == "…" => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((first, rest)) => actual
            .split_first()
            .is_some_and(|(line, more)| line.trim_end() == first.trim_end() && matches(rest, more)),
    }
}

fn trimmed(lines: &[String]) -> Vec<String> {
    let mut lines = lines.to_vec();
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
}

#[test]
fn test_readme_examples_print_what_the_readme_says() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let examples = examples(&readme);
    assert!(examples.len() >= 6, "found {} examples", examples.len());
    let ws = Workspace::with_corpus();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_themis")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    for example in &examples {
        let output = Command::new("sh")
            .arg("-c")
            .arg(&example.command)
            .current_dir(ws.dir.path())
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env_remove("TERM")
            .output()
            .expect("run sh");
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        let actual: Vec<String> = stdout.lines().map(str::to_string).collect();
        let actual = trimmed(&actual);
        let expected = trimmed(&example.expected);
        let actual_refs: Vec<&str> = actual.iter().map(String::as_str).collect();
        if !matches(&expected, &actual_refs) {
            failures.push(format!(
                "README.md line {}: $ {}\n--- README\n{}\n--- themis printed (exit {:?}, stderr: {})\n{}",
                example.line,
                example.command,
                expected.join("\n"),
                output.status.code(),
                String::from_utf8_lossy(&output.stderr).trim(),
                actual.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

#[test]
fn test_every_subcommand_help_has_examples() {
    let ws = Workspace::empty();
    let subcommands = [
        "index",
        "search",
        "tag",
        "themes",
        "findings",
        "report",
        "trends",
        "cooccur",
        "discover",
        "rule",
        "check",
        "recommendations",
        "scores",
        "facts",
        "train",
        "eval",
        "show",
        "export",
    ];
    for sub in subcommands {
        let run = ws.run(&[sub, "--help"]).expect_code(0);
        assert!(
            run.stdout.contains("Examples:\n  themis "),
            "`themis {sub} --help` has no examples:\n{}",
            run.stdout
        );
    }
}

#[test]
fn test_ellipsis_matches_any_run_of_lines() {
    let expected: Vec<String> = ["a", "…", "d"].iter().map(|s| s.to_string()).collect();
    assert!(matches(&expected, &["a", "b", "c", "d"]));
    assert!(matches(&expected, &["a", "d"]));
    assert!(!matches(&expected, &["a", "b"]));
    assert!(!matches(&expected, &["x", "d"]));
}
