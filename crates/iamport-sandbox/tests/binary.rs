//! The `iamport-sandbox` binary: start-up checks and logging.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_iamport-sandbox");

#[test]
fn a_webhook_url_the_sandbox_would_not_deliver_to_is_refused_at_start_up() {
    for url in [
        "http://example.com/hook",
        "https://127.0.0.1/hook",
        "http://10.0.0.1/hook",
    ] {
        let out = Command::new(BIN)
            .args(["--port", "0", "--webhook-url", url])
            .stdin(Stdio::null())
            .output()
            .expect("run");
        assert_eq!(out.status.code(), Some(2), "{url}");
        assert!(out.stdout.is_empty(), "no URL printed for {url}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("loopback"), "{err}");
    }
}

#[test]
fn the_binary_honours_rust_log() {
    let mut child = Command::new(BIN)
        .args(["--port", "0", "--webhook-url", "http://127.0.0.1:9/hook"])
        .env("RUST_LOG", "iamport_sandbox=info")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut url = String::new();
    stdout.read_line(&mut url).expect("url line");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let stderr = BufReader::new(child.stderr.take().expect("stderr"));
    let mut seen = false;
    for line in stderr.lines().take(5) {
        let line = line.expect("stderr line");
        if line.contains("INFO") && line.contains("__sandbox") {
            seen = true;
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "no info-level log line on stderr with RUST_LOG=info");
}
