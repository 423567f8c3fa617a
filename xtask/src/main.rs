//! `cargo xtask codegen [--check]`: regenerates `crates/iamport/src/generated.rs` from
//! `spec/iamport.json`, or (with `--check`) fails when the checked-in file is stale.
//! `cargo xtask bench [--quick]`: runs the benchmarks (see `bench.rs` and BENCHMARKS.md).

mod bench;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
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
    let check = match Cli::parse().command {
        Command::Codegen { check } => check,
        Command::Bench { quick } => {
            return match bench::run(&workspace_root(), quick) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::FAILURE
                }
            };
        }
    };
    match xtask::codegen(&workspace_root(), check) {
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

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits in the workspace root")
        .to_path_buf()
}
