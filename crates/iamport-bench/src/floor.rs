//! (a) the client against the raw-ureq floor on `again`, sequential and 8 threads, interleaved
//! rounds; (b) CPU per call (getrusage) of both.
//!
//! Each measurement gets a fresh sandbox process (so neither side pays for the payments the
//! other stored), a token and a billing key; bodies and requests are built before the clock
//! starts; one warm-up call opens the connection (and, for the client, fetches its token).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use iamport::types::ChargeBillingKeyRequest;
use iamport::{Amount, Client};
use iamport_sandbox::{TEST_API_KEY, TEST_API_SECRET};

use crate::sandbox::{BenchResult, Prepared, post_json, raw_agent};
use crate::stats::{Spread, process_cpu};

/// One timed run: calls per second and CPU per call of this process.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// Completed calls per second (wall clock).
    pub rate: f64,
    /// User + system CPU of the calling process per call.
    pub cpu_per_call: Duration,
}

/// Which side makes the calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `iamport::Client::charge_billing_key`.
    Client,
    /// One shared ureq agent, pre-built bodies, a fixed token.
    Floor,
}

/// Runs `threads × calls` `again` charges from `side` against a fresh sandbox.
pub fn run(bin: &Path, side: Side, threads: usize, calls: usize) -> BenchResult<Run> {
    let prepared = Prepared::start(bin)?;
    let url = format!("{}/subscribe/payments/again", prepared.sandbox.url);
    let elapsed;
    let cpu;
    match side {
        Side::Floor => {
            let agent = raw_agent();
            let warm = prepared.again_body("warm-up");
            expect_paid(post_json(&agent, &url, Some(&prepared.auth), &warm)?)?;
            let bodies: Vec<Vec<Vec<u8>>> = (0..threads)
                .map(|t| {
                    (0..calls)
                        .map(|i| prepared.again_body(&format!("floor-{t}-{i}")))
                        .collect()
                })
                .collect();
            let auth = prepared.auth.as_str();
            let (agent, url) = (&agent, url.as_str());
            let (start, cpu0) = (Instant::now(), process_cpu());
            std::thread::scope(|scope| -> BenchResult<()> {
                let handles: Vec<_> = bodies
                    .iter()
                    .map(|mine| {
                        scope.spawn(move || -> BenchResult<()> {
                            for body in mine {
                                expect_paid(post_json(agent, url, Some(auth), body)?)?;
                            }
                            Ok(())
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .try_for_each(|h| h.join().map_err(|_| "a floor thread panicked")?)
            })?;
            (elapsed, cpu) = (start.elapsed(), process_cpu() - cpu0);
        }
        Side::Client => {
            let client = Client::builder()
                .base_url(&prepared.sandbox.url)
                .imp_key(TEST_API_KEY)
                .imp_secret(TEST_API_SECRET)
                .build()?;
            let request = |merchant_uid: String| {
                ChargeBillingKeyRequest::new(
                    prepared.customer_uid.clone(),
                    merchant_uid,
                    Amount::from(8900),
                    "Monthly plan",
                )
            };
            client.charge_billing_key(&request("warm-up".into()))?;
            let requests: Vec<Vec<ChargeBillingKeyRequest>> = (0..threads)
                .map(|t| {
                    (0..calls)
                        .map(|i| request(format!("client-{t}-{i}")))
                        .collect()
                })
                .collect();
            let client = Arc::new(client);
            let (start, cpu0) = (Instant::now(), process_cpu());
            std::thread::scope(|scope| -> BenchResult<()> {
                let handles: Vec<_> = requests
                    .iter()
                    .map(|mine| {
                        let client = &client;
                        scope.spawn(move || -> BenchResult<()> {
                            for request in mine {
                                client.charge_billing_key(request)?;
                            }
                            Ok(())
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .try_for_each(|h| h.join().map_err(|_| "a client thread panicked")?)
            })?;
            (elapsed, cpu) = (start.elapsed(), process_cpu() - cpu0);
        }
    }
    let total = (threads * calls) as u32;
    Ok(Run {
        rate: f64::from(total) / elapsed.as_secs_f64(),
        cpu_per_call: cpu / total,
    })
}

fn expect_paid((status, body): (u16, Vec<u8>)) -> BenchResult<()> {
    if status == 200 && body.windows(15).any(|w| w == b"\"status\":\"paid\"") {
        Ok(())
    } else {
        Err(format!(
            "floor again: HTTP {status} {}",
            String::from_utf8_lossy(&body)
        )
        .into())
    }
}

/// The figures of (a) and (b).
pub struct Report {
    /// Client rate / floor rate per round, sequential.
    pub sequential: Spread,
    /// Client rate / floor rate per round, 8 threads.
    pub threaded: Spread,
    /// Median client calls/s, sequential (for the Python comparison).
    pub client_sequential_rate: f64,
    /// Client CPU per call / floor CPU per call per round (sequential runs).
    pub cpu: Spread,
}

/// Interleaved rounds (the order alternates each round), printing every run.
pub fn compare(
    bin: &Path,
    rounds: usize,
    sequential_calls: usize,
    threaded_calls: usize,
) -> BenchResult<Report> {
    let mut seq = Vec::new();
    let mut thr = Vec::new();
    let mut cpu = Vec::new();
    let mut client_rates = Vec::new();
    println!(
        "  round  mode        client calls/s  floor calls/s  ratio  client CPU/call  floor CPU/call  CPU ratio"
    );
    for round in 0..rounds {
        for (threads, calls) in [(1, sequential_calls), (8, threaded_calls)] {
            let order = if round % 2 == 0 {
                [Side::Client, Side::Floor]
            } else {
                [Side::Floor, Side::Client]
            };
            let mut client = None;
            let mut floor = None;
            for side in order {
                let r = run(bin, side, threads, calls)?;
                match side {
                    Side::Client => client = Some(r),
                    Side::Floor => floor = Some(r),
                }
            }
            let (client, floor) = (client.ok_or("no client run")?, floor.ok_or("no floor run")?);
            let ratio = client.rate / floor.rate;
            let cpu_ratio = client.cpu_per_call.as_secs_f64() / floor.cpu_per_call.as_secs_f64();
            println!(
                "  {:>5}  {:<10}  {:>14.0}  {:>13.0}  {:>5.2}  {:>12.1} µs  {:>11.1} µs  {:>9.2}",
                round + 1,
                if threads == 1 {
                    "sequential"
                } else {
                    "8 threads"
                },
                client.rate,
                floor.rate,
                ratio,
                client.cpu_per_call.as_secs_f64() * 1e6,
                floor.cpu_per_call.as_secs_f64() * 1e6,
                cpu_ratio,
            );
            if threads == 1 {
                seq.push(ratio);
                cpu.push(cpu_ratio);
                client_rates.push(client.rate);
            } else {
                thr.push(ratio);
            }
        }
    }
    Ok(Report {
        sequential: Spread::of(&seq),
        threaded: Spread::of(&thr),
        client_sequential_rate: crate::stats::median(&mut client_rates),
        cpu: Spread::of(&cpu),
    })
}
