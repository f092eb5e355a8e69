//! `backlog`: parse the command line, then run a command or the TUI.

use std::io::{self, Write};
use std::process::ExitCode;

use backlog::cli::{self, Cli};
use backlog::{store, text, tui};
use clap::Parser;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = store::resolve_path(cli.file.as_deref()).and_then(|path| match &cli.command {
        Some(cli::Command::Meeting(args)) => {
            cli::meeting::agenda(args, &path).and_then(|agenda| tui::run_with(&path, Some(agenda)))
        }
        Some(command) => {
            let mut out = io::stdout().lock();
            cli::run(command, &path, &mut out).and_then(|()| Ok(out.flush()?))
        }
        None => tui::run(&path),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `backlog list | head` closes the pipe early; that is no error.
        Err(e)
            if e.downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) => {
            // Messages may quote the file (serde names a bad value), and
            // the file's text never reaches the terminal raw.
            if let Some(located) = e.downcast_ref::<cli::LocatedError>() {
                // `FILE:LINE: message`, as compilers write it, for editors.
                eprintln!("{}", text::multi_line(&located.to_string()));
            } else {
                eprintln!("backlog: {}", text::multi_line(&format!("{e:#}")));
            }
            ExitCode::FAILURE
        }
    }
}
