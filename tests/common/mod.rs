//! Test harness: a temporary workspace with a copy of the shipped corpus, and a runner for the
//! real `themis` binary with a pinned environment (no colour, no terminal).

#![allow(dead_code)]

pub mod browser;
pub mod serve;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The shipped corpus folder of the repository.
pub fn shipped_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// A temporary folder with `corpus/` and `index/` paths.
pub struct Workspace {
    pub dir: tempfile::TempDir,
}

impl Workspace {
    /// An empty workspace (the corpus folder exists but is empty).
    pub fn empty() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("corpus")).expect("mkdir corpus");
        Workspace { dir }
    }

    /// A workspace with a copy of the shipped corpus (manifest included).
    pub fn with_corpus() -> Self {
        let ws = Workspace::empty();
        for entry in std::fs::read_dir(shipped_corpus()).expect("read corpus") {
            let entry = entry.expect("entry");
            std::fs::copy(entry.path(), ws.corpus().join(entry.file_name())).expect("copy");
        }
        ws
    }

    /// The same files without the manifest, so metadata must be inferred.
    pub fn without_manifest() -> Self {
        let ws = Workspace::with_corpus();
        std::fs::remove_file(ws.corpus().join("reports.toml")).expect("remove manifest");
        ws
    }

    pub fn corpus(&self) -> PathBuf {
        self.dir.path().join("corpus")
    }

    pub fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let path = self.corpus().join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, bytes).expect("write");
        path
    }

    /// Runs `themis` with `--corpus` and `--index` pointing into the workspace.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_themis"));
        cmd.args(args)
            .arg("--corpus")
            .arg(self.corpus())
            .arg("--index")
            .arg(self.index())
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("TERM");
        Run::from(cmd.output().expect("run themis"))
    }

    /// Runs `themis` as [`Workspace::run`] does, with `env` set too.
    pub fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_themis"));
        cmd.args(args)
            .arg("--corpus")
            .arg(self.corpus())
            .arg("--index")
            .arg(self.index())
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .env_remove("TERM")
            .envs(env.iter().copied());
        Run::from(cmd.output().expect("run themis"))
    }

    /// Runs `themis` with stdin from `input`.
    pub fn run_with_stdin(&self, args: &[&str], input: &[u8]) -> Run {
        use std::io::Write;
        let mut child = Command::new(env!("CARGO_BIN_EXE_themis"))
            .args(args)
            .current_dir(self.dir.path())
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input)
            .expect("write stdin");
        Run::from(child.wait_with_output().expect("wait"))
    }
}

/// What a run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Self {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

impl Run {
    /// Asserts the exit code, showing both streams on failure.
    pub fn expect_code(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }

    pub fn json<T: serde::de::DeserializeOwned>(&self) -> T {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not the expected JSON: {e}\n{}", self.stdout))
    }
}
