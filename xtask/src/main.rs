//! `cargo xtask codegen [--check]`: regenerates `crates/iamport/src/generated.rs` from
//! `spec/iamport.json`, or (with `--check`) fails when the checked-in file is stale.

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
}

fn main() -> ExitCode {
    let Cli {
        command: Command::Codegen { check },
    } = Cli::parse();
    let root = std::env::current_dir()
        .map_err(|e| format!("cannot read the current directory: {e}"))
        .and_then(|dir| xtask::workspace_root(&dir));
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
