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
    let dashboard = format!(
        "iamport-sandbox: dashboard at {}/__sandbox/",
        url.trim_end()
    );
    let (mut seen, mut dashboard_seen) = (false, false);
    for line in stderr.lines().take(5) {
        let line = line.expect("stderr line");
        dashboard_seen |= line == dashboard;
        if line.contains("INFO") && line.contains("__sandbox") {
            seen = true;
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen, "no info-level log line on stderr with RUST_LOG=info");
    assert!(dashboard_seen, "no `{dashboard}` line before the log line");
}

/// Under a low descriptor limit with idle connections held open, `accept` fails with EMFILE
/// long before the connection cap; the server sheds the longest-idle connection and keeps
/// serving, well within its idle timeout (5 s), which would otherwise be the only way out.
#[cfg(unix)]
#[test]
fn out_of_descriptors_sheds_idle_connections_and_keeps_serving() {
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -n 64 && exec \"$0\" --port 0", BIN])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut url = String::new();
    stdout.read_line(&mut url).expect("url line");
    let base = url.trim_end().to_owned();
    let addr = base.trim_start_matches("http://").to_owned();
    // More idle connections than the process has descriptors.
    let held: Vec<std::net::TcpStream> = (0..100)
        .map(|_| std::net::TcpStream::connect(&addr).expect("connect"))
        .collect();
    let client = iamport::Client::builder()
        .base_url(&base)
        .imp_key(iamport_sandbox::TEST_API_KEY)
        .imp_secret(iamport_sandbox::TEST_API_SECRET)
        .timeout(std::time::Duration::from_secs(3))
        .build()
        .expect("client");
    // getToken, then the call itself.
    let served = iamport::Api::list_pg_settings(&client);
    let _ = child.kill();
    let _ = child.wait();
    drop(held);
    assert!(served.is_ok(), "{served:?}");
}
