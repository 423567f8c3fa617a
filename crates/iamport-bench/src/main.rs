//! `iamport-bench`: the measuring half of `cargo xtask bench` (which builds it and the sandbox in
//! release mode, runs it, then runs the divan decode benchmarks). Prints every table and, at the
//! end, each ratio with its goal.
//!
//! Sections: (a) client vs the raw-ureq floor on `again`, sequential and 8 threads, interleaved
//! rounds; (b) CPU per call; (d) sandbox req/s and p50/p99, fresh and filled; (e) codegen time
//! for synthetic specs; (f) the official Python SDK when installed.

mod codegen;
mod floor;
mod load;
mod python;
mod sandbox;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;

/// The benchmark harness (run it through `cargo xtask bench`).
#[derive(Debug, Parser)]
#[command(name = "iamport-bench")]
struct Args {
    /// Small counts and short runs: a smoke run, not figures to quote.
    #[arg(long)]
    quick: bool,
    /// The sandbox binary (default: `iamport-sandbox` next to this executable).
    #[arg(long)]
    sandbox_bin: Option<PathBuf>,
    /// The spec the codegen benchmark replicates.
    #[arg(long, default_value = "spec/iamport.json")]
    spec: PathBuf,
    /// Sections to run (a = client vs floor and CPU, d = sandbox, e = codegen, f = Python SDK).
    #[arg(long, value_delimiter = ',', default_values_t = ['a', 'd', 'e', 'f'])]
    only: Vec<char>,
}

struct Plan {
    rounds: usize,
    sequential_calls: usize,
    threaded_calls: usize,
    stored: usize,
    cell: Duration,
    codegen_runs: usize,
    python_calls: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("iamport-bench: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> sandbox::BenchResult<()> {
    let plan = if args.quick {
        Plan {
            rounds: 2,
            sequential_calls: 200,
            threaded_calls: 50,
            stored: 3_000,
            cell: Duration::from_millis(300),
            codegen_runs: 1,
            python_calls: 50,
        }
    } else {
        Plan {
            rounds: 5,
            sequential_calls: 2_000,
            threaded_calls: 500,
            stored: 30_000,
            cell: Duration::from_secs(2),
            codegen_runs: 3,
            python_calls: 500,
        }
    };
    let bin = match &args.sandbox_bin {
        Some(bin) => bin.clone(),
        None => std::env::current_exe()?.with_file_name("iamport-sandbox"),
    };
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    println!(
        "iamport-bench{}: {cores} cores, load average {}, sandbox {}",
        if args.quick { " --quick" } else { "" },
        load_average(),
        bin.display()
    );
    let mut ratios = Vec::new();
    let mut client_rate = None;

    if args.only.contains(&'a') {
        println!(
            "\n== (a) client vs raw-ureq floor on `again`, (b) CPU per call: {} interleaved rounds, {} sequential calls, 8 threads × {}",
            plan.rounds, plan.sequential_calls, plan.threaded_calls
        );
        let report = floor::compare(
            &bin,
            plan.rounds,
            plan.sequential_calls,
            plan.threaded_calls,
        )?;
        client_rate = Some(report.client_sequential_rate);
        ratios.push(format!(
            "(a) client / raw-ureq floor, sequential `again` calls/s: {} [goal ≥ 0.95]",
            report.sequential
        ));
        ratios.push(format!(
            "(a) client / raw-ureq floor, 8 threads `again` calls/s: {} [goal ≥ 0.90]",
            report.threaded
        ));
        ratios.push(format!(
            "(b) client CPU per call / floor CPU per call (sequential): {} [goal ≤ 1.20]",
            report.cpu
        ));
    }
    if args.only.contains(&'d') {
        println!(
            "\n== (d) sandbox throughput, {:.1} s per cell, fresh vs after {} stored payments",
            plan.cell.as_secs_f64(),
            plan.stored
        );
        let report = load::compare(&bin, plan.stored, plan.cell)?;
        for (op, connections, fresh, filled) in report.cells {
            ratios.push(format!(
                "(d) sandbox {} at {connections} connections, after {} / fresh req/s: {:.2} [goal ≥ 0.90]",
                op.name(),
                plan.stored,
                filled.rate / fresh.rate
            ));
        }
    }
    if args.only.contains(&'e') {
        println!(
            "\n== (e) codegen time (generate + render), best of {}",
            plan.codegen_runs
        );
        let times = codegen::compare(&args.spec, &[24, 240, 2400], plan.codegen_runs)?;
        if let (Some(&(small_n, small)), Some(&(big_n, big))) = (times.first(), times.last()) {
            let per_op = |t: Duration, n: usize| t.as_secs_f64() / n as f64;
            ratios.push(format!(
                "(e) codegen {big_n} operations: {:.0} ms [goal < 2000 ms]; time per operation at {big_n} / at {small_n}: {:.2} [linear ≈ 1]",
                big.as_secs_f64() * 1e3,
                per_op(big, big_n) / per_op(small, small_n)
            ));
        }
    }
    if args.only.contains(&'f') {
        println!("\n== (f) official Python SDK (iamport-rest-client) on the same sandbox");
        match python::rate(&bin, plan.python_calls)? {
            None => println!("  not installed (pip install iamport-rest-client==0.9.0): skipped"),
            Some(rate) => {
                println!(
                    "  {} sequential pay_again: {rate:.0} calls/s",
                    plan.python_calls
                );
                if let Some(client) = client_rate {
                    ratios.push(format!(
                        "(f) client / Python SDK, sequential `again` calls/s: {:.2}",
                        client / rate
                    ));
                }
            }
        }
    }
    println!("\n== ratios (load average now {})", load_average());
    for line in ratios {
        println!("{line}");
    }
    Ok(())
}

/// `/proc/loadavg`'s 1, 5 and 15-minute figures: other work on the machine skews every rate.
fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".into(),
        |text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        },
    )
}
