//! The `themis` binary: parse the command line, run one command, print errors as one line and
//! map outcomes to the documented exit codes.

mod allocator;
mod cli;
mod commands;
mod output;

use std::process::ExitCode;

use clap::Parser;

/// Exit codes are a contract with scripts: see README "Exit codes".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// The command did what was asked.
    Success = 0,
    /// A search ran fine but found nothing.
    NoMatch = 1,
    /// Bad usage, a bad query, an unreadable file or an unusable index.
    Error = 2,
    /// Interrupted by Ctrl-C (128 + SIGINT, as shells report it).
    Interrupted = 130,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> ExitCode {
        ExitCode::from(exit as u8)
    }
}

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // clap prints help and version to stdout with success; usage errors to stderr.
            let _ = err.print();
            return if err.use_stderr() {
                Exit::Error
            } else {
                Exit::Success
            }
            .into();
        }
    };
    match commands::run(cli) {
        Ok(exit) => exit.into(),
        Err(err) => {
            if is_broken_pipe(&err) {
                return Exit::Success.into();
            }
            if err
                .chain()
                .any(|c| matches!(c.downcast_ref(), Some(themis::Error::Interrupted)))
            {
                eprintln!("themis: {err:#}");
                return Exit::Interrupted.into();
            }
            eprintln!("themis: {}", output::sanitize(&format!("{err:#}")));
            Exit::Error.into()
        }
    }
}

/// `themis search … | head` closes the pipe early; that is not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_exit_codes_are_stable() {
        assert_eq!(Exit::Success as u8, 0);
        assert_eq!(Exit::NoMatch as u8, 1);
        assert_eq!(Exit::Error as u8, 2);
        assert_eq!(Exit::Interrupted as u8, 130);
    }
}
