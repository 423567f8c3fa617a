//! `iamport-sandbox`: serves the i'mport emulator on 127.0.0.1 and prints its base URL.
//!
//! Logs go to stderr, filtered by `RUST_LOG` (default `warn`; e.g. `RUST_LOG=iamport_sandbox=debug`).

use std::io::Write;

use clap::Parser;
use iamport_sandbox::{
    PUBLIC_TEST_API_SECRET, Sandbox, TEST_API_KEY, TEST_API_KEY_NPM, TEST_API_SECRET,
};

/// A local emulator of the i'mport (PortOne V1) subscription API.
#[derive(Debug, Parser)]
#[command(name = "iamport-sandbox", version)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Make PAYMENTWALL the merchant's only channel.
    #[arg(long)]
    paymentwall_only: bool,
    /// Default ("console") webhook URL for payments and schedules without `notice_url`
    /// (http:// to a loopback host: the sandbox delivers nowhere else).
    #[arg(long)]
    webhook_url: Option<String>,
    /// Resend failed webhooks as i'mport does when its support switches it on (up to 5 more
    /// attempts, 1 minute apart on the sandbox clock, after network errors and 5xx answers).
    #[arg(long)]
    webhook_retries: bool,
    /// Additional accepted credentials, as IMP_KEY:IMP_SECRET (repeatable).
    #[arg(long = "credentials", value_name = "IMP_KEY:IMP_SECRET")]
    credentials: Vec<String>,
}

fn main() -> std::process::ExitCode {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("warn")).init();
    let args = Args::parse();
    let mut builder = Sandbox::builder().port(args.port);
    if args.paymentwall_only {
        builder = builder.paymentwall_only();
    }
    if let Some(url) = args.webhook_url {
        builder = builder.webhook_url(url);
    }
    if args.webhook_retries {
        builder = builder.webhook_retries();
    }
    for pair in &args.credentials {
        let Some((key, secret)) = pair.split_once(':') else {
            eprintln!("iamport-sandbox: --credentials takes IMP_KEY:IMP_SECRET");
            return std::process::ExitCode::from(2);
        };
        builder = builder.credentials(key, secret);
    }
    let sandbox = match builder.start() {
        Ok(s) => s,
        Err(err) if err.kind() == std::io::ErrorKind::InvalidInput => {
            eprintln!("iamport-sandbox: {err}");
            return std::process::ExitCode::from(2);
        }
        Err(err) => {
            eprintln!(
                "iamport-sandbox: cannot listen on 127.0.0.1:{}: {err}",
                args.port
            );
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout();
    let _ = writeln!(out, "{}", sandbox.base_url());
    let _ = out.flush();
    eprintln!(
        "iamport-sandbox: listening on {}; accepts imp_key {TEST_API_KEY} with imp_secret {TEST_API_SECRET}, and i'mport's public test pair ({TEST_API_KEY} or {TEST_API_KEY_NPM} with {PUBLIC_TEST_API_SECRET}); Ctrl-C stops it",
        sandbox.base_url()
    );
    eprintln!(
        "iamport-sandbox: dashboard at {}/__sandbox/",
        sandbox.base_url()
    );
    log::info!(
        "request log, clock and faults under {}/__sandbox/",
        sandbox.base_url()
    );
    sandbox.wait();
    std::process::ExitCode::SUCCESS
}
