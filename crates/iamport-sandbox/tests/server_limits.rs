//! Connection limits: header-read timeout, idle timeout, connection cap, and the envelope on the
//! answers the HTTP layer itself produces (431, 414, malformed requests, 405).

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use iamport_sandbox::Sandbox;
use serde_json::Value;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(5)))
        .build()
        .into()
}

fn clock_ok(agent: &ureq::Agent, base: &str) {
    let mut response = agent
        .get(&format!("{base}/__sandbox/clock"))
        .call()
        .expect("a normal client is served");
    assert_eq!(response.status(), 200);
    let body: Value = response.body_mut().read_json().expect("JSON");
    assert_eq!(body["code"], 0);
}

/// Reads until the server closes the connection (EOF or reset); `None` if it stays open for
/// `patience`.
fn wait_closed(stream: &mut TcpStream, patience: Duration) -> Option<Vec<u8>> {
    stream
        .set_read_timeout(Some(patience))
        .expect("read timeout");
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some(out),
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == ErrorKind::WouldBlock || e.kind() == ErrorKind::TimedOut => {
                return None;
            }
            Err(_) => return Some(out),
        }
    }
}

#[test]
fn a_slow_header_client_is_cut_off_while_a_normal_client_is_served() {
    let sandbox = Sandbox::builder()
        .header_read_timeout(Duration::from_millis(400))
        .idle_timeout(Duration::from_secs(30))
        .start()
        .expect("start");
    let addr = format!("127.0.0.1:{}", sandbox.port());
    let mut slow = TcpStream::connect(&addr).expect("connect");
    let mut writer = slow.try_clone().expect("clone");
    let trickle = std::thread::spawn(move || {
        // A header byte every 50 ms, for up to 8 s: never a complete head.
        let _ = writer.write_all(b"GET /__sandbox/clock HTTP/1.1\r\nHost: x\r\nX-Slow: ");
        for _ in 0..160 {
            if writer.write_all(b"a").is_err() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    });
    let agent = agent();
    let started = Instant::now();
    for _ in 0..5 {
        clock_ok(&agent, &sandbox.base_url());
    }
    let closed = wait_closed(&mut slow, Duration::from_secs(6));
    assert!(
        closed.is_some(),
        "the trickling client was still connected after {:?}",
        started.elapsed()
    );
    assert!(
        !String::from_utf8_lossy(&closed.unwrap()).contains("\"code\":0"),
        "the incomplete request was not served"
    );
    clock_ok(&agent, &sandbox.base_url());
    trickle.join().expect("trickle thread");
}

#[test]
fn idle_connections_are_closed_after_the_idle_timeout() {
    let sandbox = Sandbox::builder()
        .header_read_timeout(Duration::from_secs(30))
        .idle_timeout(Duration::from_millis(200))
        .start()
        .expect("start");
    let addr = format!("127.0.0.1:{}", sandbox.port());
    // Never sends anything.
    let mut silent = TcpStream::connect(&addr).expect("connect");
    // One keep-alive request, then silence.
    let mut used = TcpStream::connect(&addr).expect("connect");
    used.write_all(b"GET /__sandbox/clock HTTP/1.1\r\nHost: x\r\n\r\n")
        .expect("write");
    let answer = wait_closed(&mut used, Duration::from_secs(6)).expect("closed when idle");
    let text = String::from_utf8_lossy(&answer);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(
        wait_closed(&mut silent, Duration::from_secs(6)).is_some(),
        "a silent connection stayed open"
    );
}

#[test]
fn idle_sockets_beyond_the_cap_do_not_starve_a_real_client() {
    let sandbox = Sandbox::builder()
        .max_connections(4)
        .header_read_timeout(Duration::from_secs(60))
        .idle_timeout(Duration::from_secs(60))
        .start()
        .expect("start");
    let addr = format!("127.0.0.1:{}", sandbox.port());
    let mut idle: Vec<TcpStream> = (0..12)
        .map(|_| TcpStream::connect(&addr).expect("connect"))
        .collect();
    std::thread::sleep(Duration::from_millis(200));
    let agent = agent();
    for _ in 0..3 {
        clock_ok(&agent, &sandbox.base_url());
    }
    let closed = idle
        .iter_mut()
        .map(|s| wait_closed(s, Duration::from_millis(500)).is_some())
        .filter(|closed| *closed)
        .count();
    assert!(
        closed >= 8,
        "at most 4 connections stay open; {closed} of 12 idle sockets were closed"
    );
}

/// Sends raw bytes and reads the whole answer (the server closes after an error).
fn raw(sandbox: &Sandbox, request: &[u8]) -> (u16, String, Value) {
    let mut stream = TcpStream::connect(("127.0.0.1", sandbox.port())).expect("connect");
    let _ = stream.write_all(request);
    let answer = wait_closed(&mut stream, Duration::from_secs(10)).expect("closed");
    let text = String::from_utf8_lossy(&answer).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").expect("a head");
    let status = head[9..12].parse().expect("status");
    let body: Value = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, head.to_ascii_lowercase(), body)
}

fn assert_envelope(body: &Value, needle: &str) {
    assert_eq!(body["code"], -1, "{body}");
    assert!(body["response"].is_null(), "{body}");
    let message = body["message"].as_str().expect("message");
    assert!(message.contains(needle), "`{message}` lacks `{needle}`");
}

#[test]
fn http_layer_errors_carry_the_envelope() {
    let sandbox = Sandbox::start();
    let huge = "a".repeat(100 * 1024);
    let (status, head, body) = raw(
        &sandbox,
        format!("GET /__sandbox/clock HTTP/1.1\r\nHost: x\r\nX-Big: {huge}\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 431);
    assert!(head.contains("content-type: application/json"), "{head}");
    assert_envelope(&body, "header");

    let long = "a".repeat(70_000);
    let (status, _, body) = raw(
        &sandbox,
        format!("GET /{long} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 414);
    assert_envelope(&body, "too long");

    let (status, _, body) = raw(&sandbox, b"THIS IS NOT HTTP\r\n\r\n");
    assert_eq!(status, 400);
    assert_envelope(&body, "malformed");

    let (status, _, body) = raw(
        &sandbox,
        b"GET /__sandbox/clock HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
    );
    assert_eq!(status, 400);
    assert_envelope(&body, "malformed");

    // The server still serves afterwards.
    clock_ok(&agent(), &sandbox.base_url());
}

#[test]
fn wrong_method_is_405_with_allow_and_the_envelope() {
    let sandbox = Sandbox::start();
    let (status, head, body) = raw(
        &sandbox,
        b"PATCH /payments/cancel HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status, 405);
    let allow = head
        .lines()
        .find_map(|l| l.strip_prefix("allow: "))
        .unwrap_or_else(|| panic!("no allow header: {head}"));
    assert!(allow.split(", ").any(|m| m == "post"), "{allow}");
    assert!(!allow.split(", ").any(|m| m == "patch"), "{allow}");
    assert_envelope(&body, "not allowed");
}
