//! `cargo xtask codegen [--check]`: regenerates `crates/iamport/src/generated.rs` from
//! `spec/iamport.json`, or (with `--check`) fails when the checked-in file is stale.

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
}

fn main() -> ExitCode {
    let Cli {
        command: Command::Codegen { check },
    } = Cli::parse();
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
