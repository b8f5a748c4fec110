//! Reliability: interrupted runs, concurrent use, damaged indexes and hostile input never cost
//! the user their index or a confusing failure.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::Workspace;
use serde_json::Value;

/// Adds `copies` variants of every shipped report (each with a unique first line, so each is a
/// distinct file to index).
fn grow_corpus(ws: &Workspace, copies: usize) {
    let originals: Vec<(String, String)> = std::fs::read_dir(common::shipped_corpus())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect();
    for copy in 0..copies {
        for (name, text) in &originals {
            ws.write(
                &format!("bulk/{copy:04}/{name}"),
                format!("Copy {copy} of {name}\n{text}"),
            );
        }
    }
}

fn spawn_index(ws: &Workspace) -> Child {
    Command::new(env!("CARGO_BIN_EXE_themis"))
        .args(["index", "--quiet", "--corpus"])
        .arg(ws.corpus())
        .arg("--index")
        .arg(ws.index())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn themis index")
}

fn check(ws: &Workspace) -> Value {
    let run = ws.run(&["check", "--json"]).expect_code(0);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn test_sigkill_at_any_moment_keeps_last_commit() {
    let ws = Workspace::with_corpus();
    ws.run(&["index"]).expect_code(0);
    let committed = check(&ws)["passages"].as_u64().unwrap();
    grow_corpus(&ws, 60);

    let mut interrupted = 0;
    for delay_ms in [50, 250, 600, 1200, 2500] {
        let mut child = spawn_index(&ws);
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        if finished {
            break;
        }
        let after = check(&ws);
        let passages = after["passages"].as_u64().unwrap();
        assert!(after["problems"].as_array().unwrap().is_empty(), "{after}");
        if passages == committed {
            interrupted += 1;
        } else {
            // The run committed just before the kill: the new commit is whole.
            assert!(passages > committed, "{after}");
            break;
        }
        // Search works on what was committed.
        ws.run(&["search", "vetting", "--json"]).expect_code(0);
    }
    assert!(
        interrupted > 0,
        "at least one kill landed before the commit"
    );

    let rerun = ws.run(&["index", "--json"]).expect_code(0);
    let summary: Value = serde_json::from_str(&rerun.stdout).unwrap();
    assert_eq!(summary["reports"], 5 + 60 * 5, "{summary}");
    let full = check(&ws);
    assert_eq!(full["reports"], 5 + 60 * 5);
    assert!(full["passages"].as_u64().unwrap() > committed * 50);
}

#[test]
fn test_second_writer_fails_fast_and_readers_keep_working() {
    let ws = Workspace::with_corpus();
    ws.run(&["index"]).expect_code(0);
    grow_corpus(&ws, 60);
    let mut first = spawn_index(&ws);
    std::thread::sleep(Duration::from_millis(200));
    let mut saw_lock = false;
    let mut searches = 0;
    let deadline = Instant::now() + Duration::from_secs(120);
    while first.try_wait().unwrap().is_none() && Instant::now() < deadline {
        let second = ws.run(&["index"]);
        if first.try_wait().unwrap().is_none() {
            assert_eq!(second.code, 2, "{second:?}");
            assert!(
                second
                    .stderr
                    .contains("being updated by another themis process"),
                "{}",
                second.stderr
            );
            saw_lock = true;
        }
        // Readers see the old or the new commit, never an error.
        let search = ws.run(&["search", "vetting", "--json"]);
        assert_eq!(search.code, 0, "{search:?}");
        searches += 1;
    }
    let status = first.wait().unwrap();
    assert!(status.success());
    assert!(
        saw_lock,
        "the second writer ran while the first held the lock"
    );
    assert!(searches > 0);
}

#[test]
fn test_damaged_index_gets_a_clear_message() {
    let ws = Workspace::with_corpus();
    ws.run(&["index"]).expect_code(0);
    // Truncate the largest segment file.
    let mut files: Vec<_> = std::fs::read_dir(ws.index())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "idx" || x == "pos" || x == "store")
        })
        .collect();
    files.sort_by_key(|p| std::fs::metadata(p).unwrap().len());
    let victim = files.last().unwrap();
    let len = std::fs::metadata(victim).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(victim)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let check = ws.run(&["check"]);
    assert_eq!(check.code, 2, "{check:?}");
    assert!(
        check.stderr.contains("--rebuild") || check.stdout.contains("--rebuild"),
        "{check:?}"
    );
    let search = ws.run(&["search", "vetting"]);
    assert_eq!(search.code, 2, "{search:?}");
    assert!(
        search.stderr.contains("themis index --rebuild"),
        "{}",
        search.stderr
    );
    assert!(!search.stderr.contains("panicked"));
    // A plain index run refuses; --rebuild recovers.
    ws.run(&["index"]).expect_code(2);
    ws.run(&["index", "--rebuild"]).expect_code(0);
    ws.run(&["search", "vetting"]).expect_code(0);

    // A deleted segment file.
    let victim = std::fs::read_dir(ws.index())
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "term"))
        .unwrap();
    std::fs::remove_file(victim).unwrap();
    let search = ws.run(&["search", "vetting"]);
    assert_eq!(search.code, 2, "{search:?}");
    assert!(search.stderr.contains("--rebuild"), "{}", search.stderr);
}

/// One flipped byte in the middle of a segment file: `search` notices it when it opens the
/// index (the checksums of files not verified since they were written), not only `check`.
#[test]
fn test_a_flipped_byte_is_noticed_by_search_and_by_check() {
    for extension in ["idx", "store", "term"] {
        let ws = Workspace::with_corpus();
        ws.run(&["index"]).expect_code(0);
        ws.run(&["search", "vetting"]).expect_code(0);
        let victim = std::fs::read_dir(ws.index())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == extension))
            .max_by_key(|p| std::fs::metadata(p).unwrap().len())
            .unwrap();
        let mut bytes = std::fs::read(&victim).unwrap();
        let middle = bytes.len() / 3;
        bytes[middle] ^= 0x5a;
        std::fs::write(&victim, &bytes).unwrap();

        let search = ws.run(&["search", "vetting"]);
        assert_eq!(search.code, 2, "{extension}: {search:?}");
        assert!(
            search.stderr.contains("checksum mismatch") && search.stderr.contains("--rebuild"),
            "{extension}: {}",
            search.stderr
        );
        let check = ws.run(&["check"]);
        assert_eq!(check.code, 2, "{extension}: {check:?}");
        assert!(
            format!("{}{}", check.stdout, check.stderr).contains("checksum mismatch"),
            "{extension}: {check:?}"
        );
        ws.run(&["index", "--rebuild"]).expect_code(0);
        ws.run(&["search", "vetting"]).expect_code(0);
    }
}

#[test]
fn test_index_from_other_format_version() {
    let ws = Workspace::with_corpus();
    ws.run(&["index"]).expect_code(0);
    let meta_path = ws.index().join("meta.json");
    let meta = std::fs::read_to_string(&meta_path).unwrap();
    let current = format!("\\\"format\\\":{}", themis::index::FORMAT_VERSION);
    let edited = meta.replace(&current, "\\\"format\\\":999");
    assert_ne!(meta, edited, "the payload records the format version");
    std::fs::write(&meta_path, edited).unwrap();
    let search = ws.run(&["search", "vetting"]).expect_code(2);
    assert!(
        search.stderr.contains("format version 999"),
        "{}",
        search.stderr
    );
    assert!(search.stderr.contains("themis index --rebuild"));
    // `themis index` rebuilds an index of another version by itself.
    let run = ws.run(&["index"]).expect_code(0);
    assert!(run.stderr.contains("rebuilt"), "{}", run.stderr);
    ws.run(&["search", "vetting"]).expect_code(0);
}

#[test]
fn test_hostile_files_are_reported_and_bounded() {
    let ws = Workspace::with_corpus();
    // A 20 MB single line: indexed in bounded units.
    let line: String = "staff vacancies delayed vetting ".repeat(20 * 1024 * 1024 / 32);
    ws.write("huge-line.txt", &line);
    ws.write("nul.txt", vec![0u8; 4096]);
    ws.write("too-big.md", "x ".repeat(600_000));
    let mut deep = String::from("deep");
    for i in 0..70 {
        deep.push_str(&format!("/d{i}"));
    }
    ws.write(
        &format!("{deep}/buried.txt"),
        "Buried report about caseloads.",
    );
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(ws.corpus(), ws.corpus().join("loop")).unwrap();
        std::os::unix::fs::symlink("/nonexistent/gone.txt", ws.corpus().join("gone.txt")).unwrap();
    }
    ws.write(
        "control.txt",
        "Bidi\u{202e} trick and \x1b[31mred\x1b[0m escape in a report about vetting delays.\n",
    );
    let run = ws.run(&["index", "--json", "--max-file-size", "1100000"]);
    assert_eq!(run.code, 2, "{run:?}");
    let err = &run.stderr;
    assert!(err.contains("nul.txt") && err.contains("binary"), "{err}");
    assert!(err.contains("too-big.md") && err.contains("limit"), "{err}");
    assert!(
        err.contains("huge-line.txt") && err.contains("limit"),
        "{err}"
    );
    assert!(err.contains("nested deeper"), "{err}");
    #[cfg(unix)]
    {
        assert!(err.contains("loop") && err.contains("link loop"), "{err}");
        assert!(err.contains("gone.txt"), "{err}");
    }
    let summary: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(summary["reports"].as_u64().unwrap() >= 6, "{summary}");

    // With a bigger limit the 20 MB line is indexed, cut into bounded units.
    ws.run(&["index", "--max-file-size", "30000000"]);
    let hits = ws
        .run(&["search", "vacancies", "--report", "huge-line", "--json"])
        .expect_code(0);
    let results: Value = serde_json::from_str(&hits.stdout).unwrap();
    for e in results["reports"][0]["excerpts"].as_array().unwrap() {
        assert!(e["text"].as_str().unwrap().len() <= 4000);
    }

    // Control and bidi characters never reach the terminal raw.
    let shown = ws.run(&["search", "bidi"]).expect_code(0);
    assert!(
        !shown.stdout.contains('\x1b') && !shown.stdout.contains('\u{202e}'),
        "{}",
        shown.stdout
    );
    assert!(shown.stdout.contains("\\u{202e}"), "{}", shown.stdout);
}

#[test]
fn test_long_and_strange_queries() {
    let ws = Workspace::with_corpus();
    ws.run(&["index"]).expect_code(0);
    let long = "vetting ".repeat(1250);
    let run = ws.run(&["search", &long]);
    assert!(run.code == 0 || run.code == 1 || run.code == 2, "{run:?}");
    assert!(!run.stderr.contains("panicked"));
    for q in [
        "((((", "\"", "AND", "-", "title:", "year:abc", "\u{202e}", "*", "~",
    ] {
        let run = ws.run(&["search", q]);
        assert!([0, 1, 2].contains(&run.code), "{q}: {run:?}");
        assert!(!run.stderr.contains("panicked"), "{q}: {}", run.stderr);
    }
}

#[cfg(unix)]
#[test]
fn test_ctrl_c_stops_cleanly_with_exit_130() {
    let ws = Workspace::with_corpus();
    ws.run(&["index"]).expect_code(0);
    let committed = check(&ws)["passages"].as_u64().unwrap();
    grow_corpus(&ws, 60);
    let child = spawn_index(&ws);
    std::thread::sleep(Duration::from_millis(400));
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if out.status.code() == Some(0) {
        // The run had already committed: nothing to test on this machine's timing.
        return;
    }
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert_eq!(check(&ws)["passages"].as_u64().unwrap(), committed);
}

#[test]
fn test_interrupted_first_run_leaves_no_index_not_a_foreign_one() {
    let ws = Workspace::with_corpus();
    grow_corpus(&ws, 60);
    let mut child = spawn_index(&ws);
    std::thread::sleep(Duration::from_millis(300));
    let finished = child.try_wait().unwrap().is_some();
    child.kill().ok();
    child.wait().unwrap();
    if finished {
        return;
    }
    let run = ws.run(&["search", "vetting", "--json"]).expect_code(0);
    assert!(run.stderr.contains("no index yet"), "{}", run.stderr);
}

/// One file's memory is bounded whatever its size: a 200 MB file that is a single line is
/// indexed (its first 32 MiB of text, with a warning naming it) under a 1.5 GiB limit on the
/// process's data (`prlimit --data`, which counts the memory it has written to, not the address
/// space it has only reserved). Before the cut at `MAX_TEXT_BYTES` it peaked at 2.7 GB resident
/// and this run died on an allocation failure. Release builds only (CI's `cargo test
/// --release`): a debug build takes minutes over the 32 MiB it indexes.
#[cfg(target_os = "linux")]
#[test]
fn test_a_200_mb_single_line_file_is_indexed_under_a_memory_limit() {
    use std::fmt::Write;
    if cfg!(debug_assertions) {
        eprintln!("skipped: release builds only");
        return;
    }
    let ws = Workspace::empty();
    let mut line = String::with_capacity(200_000_100);
    line.push_str("Overture: the opening words of a very long report. ");
    let mut n = 0u64;
    while line.len() < 200_000_000 {
        n += 1;
        write!(
            line,
            "Case {n} showed staff vacancies delaying vetting in team {}. ",
            n % 997
        )
        .unwrap();
    }
    line.push_str("Coda: the closing words. ");
    ws.write("one-line.txt", &line);
    drop(line);

    let out = Command::new("prlimit")
        .arg(format!("--data={}", 1536u64 << 20))
        .arg(env!("CARGO_BIN_EXE_themis"))
        .args(["index", "--quiet", "--corpus"])
        .arg(ws.corpus())
        .arg("--index")
        .arg(ws.index())
        .output()
        .expect("run prlimit (util-linux)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("one-line.txt") && stderr.contains("only the first 32.0 MiB"),
        "{stderr}"
    );
    ws.run(&["search", "overture"]).expect_code(0);
    assert_eq!(ws.run(&["search", "coda"]).code, 1);
}
