//! `cargo xtask codegen [--check]`: regenerates `crates/iamport/src/generated.rs` from
//! `spec/iamport.json`, or (with `--check`) fails when the checked-in file is stale.
//! `cargo xtask import [--from PATH] [--all] OPERATION_ID|METHOD PATH...`: adds operations of
//! i'mport's Swagger document to the spec (see `import/`). `cargo xtask drift [SWAGGER]`: what
//! differs between the spec and that document.
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
    /// Add operations of i'mport's Swagger document to spec/iamport.json, in the spec's conventions.
    Import {
        /// The Swagger 2.0 document to read (default: spec/upstream/portone-v1.swagger.json).
        #[arg(long, value_name = "PATH")]
        from: Option<std::path::PathBuf>,
        /// Every upstream operation the spec does not hold yet.
        #[arg(long)]
        all: bool,
        /// operationIds, or `METHOD /path` pairs, e.g. `preparePayment` or `POST /payments/prepare`.
        #[arg(value_name = "OPERATION_ID|METHOD PATH")]
        operations: Vec<String>,
    },
    /// Report how spec/iamport.json differs from i'mport's Swagger document; exit 1 when
    /// something differs that docs/deviations.md does not list as deliberate.
    Drift {
        /// The Swagger 2.0 document (default: spec/upstream/portone-v1.swagger.json).
        swagger: Option<std::path::PathBuf>,
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
    report(root.and_then(|root| match command {
        Command::Codegen { check } => xtask::codegen(&root, check),
        Command::Import {
            from,
            all,
            operations,
        } => xtask::import::run(&root, from.as_deref(), &operations, all),
        Command::Drift { swagger } => xtask::import::drift::run(&root, swagger.as_deref()),
        Command::Bench { quick } => bench::run(&root, quick).map(|()| String::new()),
    }))
}

/// Prints a command's report (stdout) or error (stderr) and turns it into the exit status.
fn report(outcome: Result<String, String>) -> ExitCode {
    match outcome {
        Ok(message) => {
            if !message.is_empty() {
                println!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
