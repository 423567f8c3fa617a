//! A small HTTP/1.1 test server on 127.0.0.1 (std::net + one thread per connection) and helpers
//! that answer like i'mport. Each test starts its own server with a handler closure; the server
//! records every request so tests can count them.
//!
//! Shared by `iamport`'s integration tests and the workspace's wire snapshots (`tests/`), as a
//! dev-dependency of both.

// Not published: its fields and helpers are read in the tests that use them, not in rustdoc
// (the workspace asks `missing_docs` of the published crates).
#![allow(missing_docs)]

use iamport::Client;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// The credentials every test client uses; tests assert they never leak.
pub const IMP_KEY: &str = "imp_test_key_1234";
/// The secret every test client uses (see [`IMP_KEY`]).
pub const IMP_SECRET: &str = "SECRET-imp-secret-9f8e7d6c5b4a";

/// One request as the server received it.
#[derive(Debug, Clone)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    pub fn is(&self, method: &str, path: &str) -> bool {
        self.method == method && self.path == path
    }

    pub fn is_get_token(&self) -> bool {
        self.is("POST", "/users/getToken")
    }
}

/// What the server does with a request.
#[derive(Debug, Clone)]
pub enum Reply {
    /// Answers with a status and a body after an optional delay.
    Respond {
        status: u16,
        body: String,
        content_type: &'static str,
        delay: Duration,
    },
    /// Reads the request, waits, and closes the connection without answering.
    Hangup { delay: Duration },
    /// Answers `body` one byte at a time, pausing `every` before each byte (a slow server
    /// that never lets a single read time out).
    Trickle {
        status: u16,
        body: String,
        every: Duration,
    },
    /// A long JSON body, `head + repeat × count + tail`, written in small pieces so that the
    /// server never holds it in memory (for allocation-measuring tests).
    Generated {
        status: u16,
        head: String,
        repeat: &'static str,
        count: usize,
        tail: String,
    },
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Reply {
        Reply::Respond {
            status,
            body: body.to_string(),
            content_type: "application/json",
            delay: Duration::ZERO,
        }
    }

    pub fn text(status: u16, body: &str) -> Reply {
        Reply::Respond {
            status,
            body: body.to_owned(),
            content_type: "text/html",
            delay: Duration::ZERO,
        }
    }

    #[must_use]
    pub fn delayed(self, by: Duration) -> Reply {
        match self {
            Reply::Respond {
                status,
                body,
                content_type,
                ..
            } => Reply::Respond {
                status,
                body,
                content_type,
                delay: by,
            },
            Reply::Hangup { .. } => Reply::Hangup { delay: by },
            generated @ Reply::Generated { .. } => generated,
            trickle @ Reply::Trickle { .. } => trickle,
        }
    }
}

/// `{code: 0, message: null, response}` under HTTP 200.
pub fn ok(response: Value) -> Reply {
    Reply::json(
        200,
        json!({"code": 0, "message": null, "response": response}),
    )
}

/// An i'mport error envelope.
pub fn api_error(status: u16, code: i64, message: &str) -> Reply {
    Reply::json(
        status,
        json!({"code": code, "message": message, "response": null}),
    )
}

/// A getToken answer.
pub fn token(access_token: &str, now: i64, expired_at: i64) -> Reply {
    ok(json!({"access_token": access_token, "now": now, "expired_at": expired_at}))
}

/// A payment as i'mport returns it.
pub fn payment(
    imp_uid: &str,
    merchant_uid: &str,
    status: &str,
    fail_reason: Option<&str>,
) -> Value {
    json!({
        "imp_uid": imp_uid,
        "merchant_uid": merchant_uid,
        "amount": 9.99,
        "cancel_amount": 0,
        "currency": "USD",
        "status": status,
        "sandbox": false,
        "pay_method": "card",
        "channel": "api",
        "pg_provider": "paymentwall",
        "card_number": "424242*********2",
        "buyer_email": "jane@example.com",
        "fail_reason": fail_reason,
        "paid_at": if status == "paid" { 1_767_225_600 } else { 0 },
        "failed_at": if status == "failed" { 1_767_225_600 } else { 0 },
        "customer_uid": null,
        "cancel_history": [],
    })
}

type Handler = dyn Fn(&Request) -> Reply + Send + Sync;

/// The server. Dropping it stops accepting connections.
pub struct TestServer {
    addr: SocketAddr,
    log: Arc<Mutex<Vec<Request>>>,
    stop: Arc<AtomicBool>,
}

impl TestServer {
    pub fn start(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let log = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let log = log.clone();
            let stop = stop.clone();
            thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(stream) = stream else { continue };
                    let handler = handler.clone();
                    let log = log.clone();
                    thread::spawn(move || serve(stream, &*handler, &log));
                }
            });
        }
        TestServer { addr, log, stop }
    }

    /// A server that answers getToken with a long-lived token and everything else with `handler`.
    pub fn with_token(handler: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> TestServer {
        TestServer::start(move |req| {
            if req.is_get_token() {
                token("tok-0123456789abcdef", 1000, 2800)
            } else {
                handler(req)
            }
        })
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Request> {
        self.log.lock().unwrap().clone()
    }

    pub fn count(&self, method: &str, path: &str) -> usize {
        self.log
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.is(method, path))
            .count()
    }

    pub fn token_count(&self) -> usize {
        self.count("POST", "/users/getToken")
    }

    /// A client for this server with fast retries.
    pub fn client(&self) -> Client {
        self.builder().build().expect("client")
    }

    pub fn builder(&self) -> iamport::ClientBuilder {
        Client::builder()
            .base_url(self.url())
            .imp_key(IMP_KEY)
            .imp_secret(IMP_SECRET)
            .retry_backoff(Duration::from_millis(10))
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr); // wakes the accept loop
    }
}

fn serve(stream: TcpStream, handler: &Handler, log: &Mutex<Vec<Request>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    // Head and body are two writes: without this, Nagle + delayed ACK add 40 ms per answer.
    let _ = stream.set_nodelay(true);
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    loop {
        let Some(request) = read_request(&mut reader) else {
            return;
        };
        log.lock().unwrap().push(request.clone());
        match handler(&request) {
            Reply::Hangup { delay } => {
                thread::sleep(delay);
                let _ = writer.shutdown(Shutdown::Both);
                return;
            }
            Reply::Trickle {
                status,
                body,
                every,
            } => {
                let head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    reason(status),
                    body.len()
                );
                if writer.write_all(head.as_bytes()).is_err() {
                    return;
                }
                for byte in body.as_bytes() {
                    thread::sleep(every);
                    if writer.write_all(&[*byte]).is_err() {
                        return;
                    }
                }
            }
            Reply::Generated {
                status,
                head,
                repeat,
                count,
                tail,
            } => {
                let length = head.len() + repeat.len() * count + tail.len();
                let start = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n{head}",
                    reason(status),
                );
                let per_chunk = (4096 / repeat.len()).max(1);
                let chunk = repeat.repeat(per_chunk);
                if writer.write_all(start.as_bytes()).is_err() {
                    return;
                }
                let mut left = count;
                while left > 0 {
                    let n = left.min(per_chunk);
                    if writer
                        .write_all(&chunk.as_bytes()[..n * repeat.len()])
                        .is_err()
                    {
                        return; // the client stopped reading: fine
                    }
                    left -= n;
                }
                if writer.write_all(tail.as_bytes()).is_err() {
                    return;
                }
                let _ = writer.flush();
            }
            Reply::Respond {
                status,
                body,
                content_type,
                delay,
            } => {
                thread::sleep(delay);
                let head = format!(
                    "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}; charset=UTF-8\r\nContent-Length: {}\r\nConnection: keep-alive\r\n\r\n",
                    reason(status),
                    body.len()
                );
                if writer.write_all(head.as_bytes()).is_err()
                    || writer.write_all(body.as_bytes()).is_err()
                {
                    return;
                }
                let _ = writer.flush();
            }
        }
    }
}

fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let target = parts.next()?.to_owned();
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target, String::new()),
    };
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        query,
        headers,
        body,
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        207 => "Multi-Status",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    }
}
