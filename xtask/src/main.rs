//! `cargo xtask codegen [--check]`: regenerates `crates/iamport/src/generated.rs` from
//! `spec/iamport.json`, or (with `--check`) fails when the checked-in file is stale.
//! `cargo xtask bench [--quick]`: runs the benchmarks (see `bench.rs` and BENCHMARKS.md).

mod bench;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Developer chores for the iamport workspace"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Regenerate crates/iamport/src/generated.rs from spec/iamport.json.
    Codegen {
        /// Do not write: exit non-zero if the checked-in file differs from what the spec generates.
        #[arg(long)]
        check: bool,
    },
    /// Run the benchmarks (release builds) and print every ratio; see BENCHMARKS.md.
    Bench {
        /// Small counts and short runs: a smoke run, not figures to quote.
        #[arg(long)]
        quick: bool,
    },
}

fn main() -> ExitCode {
    let command = Cli::parse().command;
    let root = std::env::current_dir()
        .map_err(|e| format!("cannot read the current directory: {e}"))
        .and_then(|dir| xtask::workspace_root(&dir));
    let check = match command {
        Command::Codegen { check } => check,
        Command::Bench { quick } => {
            return match root.and_then(|root| bench::run(&root, quick)) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    match root.and_then(|root| xtask::codegen(&root, check)) {
        Ok(message) => {
            println!("{message}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
