//! (d) sandbox throughput and latency: `again` and a look-up (`GET /payments/{imp_uid}`) at 1, 8
//! and 32 connections, on a fresh sandbox and on one holding `stored` payments. Each connection
//! is a thread with its own ureq agent (one keep-alive connection); the load generator runs on
//! the same machine, so on 2 cores it competes with the server: compare the ratios, not the
//! absolute rates, across machines.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::sandbox::{BenchResult, Prepared, envelope_response, post_json, raw_agent};
use crate::stats::percentile;

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `POST /subscribe/payments/again`, a new `merchant_uid` each call.
    Again,
    /// `GET /payments/{imp_uid}` of one stored payment.
    LookUp,
}

impl Op {
    /// How the report names it.
    pub fn name(self) -> &'static str {
        match self {
            Op::Again => "again",
            Op::LookUp => "GET /payments/{imp_uid}",
        }
    }
}

/// One cell: requests per second and latency percentiles.
#[derive(Debug, Clone, Copy)]
pub struct Cell {
    /// Completed requests per second.
    pub rate: f64,
    /// Median latency.
    pub p50: Duration,
    /// 99th-percentile latency.
    pub p99: Duration,
}

/// Stores `count` paid payments through `again` (8 threads) and returns the `imp_uid` of one.
pub fn fill(prepared: &Prepared, count: usize) -> BenchResult<String> {
    let url = format!("{}/subscribe/payments/again", prepared.sandbox.url);
    let first = prepared.again_body("fill-first");
    let (status, body) = post_json(&raw_agent(), &url, Some(&prepared.auth), &first)?;
    let imp_uid = envelope_response("again", status, &body)?["imp_uid"]
        .as_str()
        .ok_or("again: no imp_uid")?
        .to_owned();
    let next = AtomicUsize::new(1);
    std::thread::scope(|scope| -> BenchResult<()> {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                scope.spawn(|| -> BenchResult<()> {
                    let agent = raw_agent();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count {
                            return Ok(());
                        }
                        let body = prepared.again_body(&format!("fill-{i}"));
                        let (status, answer) =
                            post_json(&agent, &url, Some(&prepared.auth), &body)?;
                        envelope_response("again", status, &answer)?;
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().map_err(|_| "a fill thread panicked")?)
    })?;
    Ok(imp_uid)
}

/// Drives `op` over `connections` connections for `duration`.
pub fn measure(
    prepared: &Prepared,
    imp_uid: &str,
    op: Op,
    connections: usize,
    duration: Duration,
    tag: &str,
) -> BenchResult<Cell> {
    let again_url = format!("{}/subscribe/payments/again", prepared.sandbox.url);
    let look_up_url = format!("{}/payments/{imp_uid}", prepared.sandbox.url);
    let deadline = Instant::now() + duration;
    let start = Instant::now();
    let mut latencies: Vec<Duration> = std::thread::scope(|scope| -> BenchResult<Vec<Duration>> {
        let handles: Vec<_> = (0..connections)
            .map(|c| {
                let (again_url, look_up_url) = (&again_url, &look_up_url);
                scope.spawn(move || -> BenchResult<Vec<Duration>> {
                    let agent = raw_agent();
                    let mut mine = Vec::new();
                    let mut i = 0usize;
                    while Instant::now() < deadline {
                        let t0 = Instant::now();
                        let status = match op {
                            Op::Again => {
                                let body = prepared.again_body(&format!("{tag}-{c}-{i}"));
                                post_json(&agent, again_url, Some(&prepared.auth), &body)?.0
                            }
                            Op::LookUp => {
                                let mut response = agent
                                    .get(look_up_url)
                                    .header("Authorization", &prepared.auth)
                                    .call()?;
                                response.body_mut().read_to_vec()?;
                                response.status().as_u16()
                            }
                        };
                        mine.push(t0.elapsed());
                        if status != 200 {
                            return Err(format!("{}: HTTP {status}", op.name()).into());
                        }
                        i += 1;
                    }
                    Ok(mine)
                })
            })
            .collect();
        let mut all = Vec::new();
        for handle in handles {
            all.extend(handle.join().map_err(|_| "a load thread panicked")??);
        }
        Ok(all)
    })?;
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    Ok(Cell {
        rate: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: percentile(&latencies, 50.0),
        p99: percentile(&latencies, 99.0),
    })
}

/// Filled / fresh rate per (operation, connections).
pub struct Report {
    /// `(op, connections, fresh, filled)`.
    pub cells: Vec<(Op, usize, Cell, Cell)>,
}

/// Measures every cell fresh (a new sandbox per cell) and after `stored` payments (one sandbox).
pub fn compare(bin: &Path, stored: usize, duration: Duration) -> BenchResult<Report> {
    let filled = Prepared::start(bin)?;
    let fill_start = Instant::now();
    let filled_imp_uid = fill(&filled, stored)?;
    println!(
        "  stored {stored} payments in {:.1} s",
        fill_start.elapsed().as_secs_f64()
    );
    println!(
        "  operation                connections  fresh req/s  p50      p99      | after {stored}: req/s  p50      p99      | ratio"
    );
    let mut cells = Vec::new();
    for op in [Op::Again, Op::LookUp] {
        for connections in [1, 8, 32] {
            let fresh = {
                let prepared = Prepared::start(bin)?;
                let imp_uid = fill(&prepared, 1)?;
                measure(&prepared, &imp_uid, op, connections, duration, "fresh")?
            };
            let tag = format!("filled-{connections}");
            let full = measure(&filled, &filled_imp_uid, op, connections, duration, &tag)?;
            println!(
                "  {:<24} {:>11}  {:>11.0}  {:>7}  {:>7}  | {:>17.0}  {:>7}  {:>7}  | {:.2}",
                op.name(),
                connections,
                fresh.rate,
                micros(fresh.p50),
                micros(fresh.p99),
                full.rate,
                micros(full.p50),
                micros(full.p99),
                full.rate / fresh.rate,
            );
            cells.push((op, connections, fresh, full));
        }
    }
    Ok(Report { cells })
}

fn micros(d: Duration) -> String {
    format!("{}µs", d.as_micros())
}
