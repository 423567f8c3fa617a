//! The HTTP layer: hyper 1 (HTTP/1.1, keep-alive) on a tokio runtime that lives on its own
//! background thread.

use std::collections::HashMap;
use std::io;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::{Notify, oneshot};

use super::app::App;
use super::conn_io::ConnIo;
use super::dispatch::dispatch;
use super::faults::Fault;
use super::limits::{MAX_HEAD_BYTES, MAX_HEADERS};
use super::reply::{self, Reply};
use super::request::{Incoming, MAX_BODY_BYTES};
use super::request_log::Served;
use super::routing::{self, Route};
use crate::ops::ApiError;
use crate::support::lock;

/// Connection limits; the defaults are documented in the crate docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// How long the server waits for a complete request head (and then for the body).
    pub(crate) header_read_timeout: Duration,
    /// How long a connection may stay open with no request in progress and nothing received.
    pub(crate) idle_timeout: Duration,
    /// The most open connections.
    pub(crate) max_connections: usize,
}

/// Returned by the service to make hyper close the connection without an answer.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by fault injection")
    }
}

impl std::error::Error for DropConnection {}

/// A running server thread.
pub(crate) struct ServerThread {
    pub(crate) shutdown: Option<oneshot::Sender<()>>,
    pub(crate) thread: Option<JoinHandle<()>>,
}

/// Starts serving `listener` on a new thread with its own runtime; schedules that fall due as
/// real time passes are run every `tick`.
pub(crate) fn spawn(
    app: Arc<App>,
    listener: std::net::TcpListener,
    tick: Duration,
    limits: Limits,
) -> io::Result<ServerThread> {
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("iamport-sandbox-http")
        .enable_all()
        .build()?;
    let (tx, rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("iamport-sandbox".into())
        .spawn(move || {
            runtime.block_on(run(app, listener, tick, limits, rx));
            runtime.shutdown_timeout(Duration::from_millis(200));
        })?;
    Ok(ServerThread {
        shutdown: Some(tx),
        thread: Some(thread),
    })
}

impl ServerThread {
    /// Stops accepting, closes connections and joins the thread.
    pub(crate) fn stop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }

    /// Waits until the server thread ends (it does not, unless stopped).
    pub(crate) fn join(&mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One open connection, as the accept loop and its own task see it.
struct Slot {
    /// Requests being handled (head read, answer not yet produced).
    busy: AtomicUsize,
    /// Bytes read from the socket so far.
    bytes_read: Arc<AtomicU64>,
    /// When the connection last became idle, and `bytes_read` then.
    idle: Mutex<(Instant, u64)>,
    /// Told to close (evicted to make room for a new connection).
    close: Notify,
}

impl Slot {
    fn new() -> Self {
        Slot {
            busy: AtomicUsize::new(0),
            bytes_read: Arc::new(AtomicU64::new(0)),
            idle: Mutex::new((Instant::now(), 0)),
            close: Notify::new(),
        }
    }

    /// Whether no request is in progress and nothing arrived since the connection became idle;
    /// returns since when.
    fn idle_since(&self) -> Option<Instant> {
        if self.busy.load(Ordering::SeqCst) > 0 {
            return None;
        }
        let (since, bytes) = *lock(&self.idle);
        (self.bytes_read.load(Ordering::SeqCst) == bytes).then_some(since)
    }

    /// Whether no request is in progress (the connection may be reading a head).
    fn evictable_since(&self) -> Option<Instant> {
        if self.busy.load(Ordering::SeqCst) > 0 {
            return None;
        }
        Some(lock(&self.idle).0)
    }

    fn start_request(&self) {
        self.busy.fetch_add(1, Ordering::SeqCst);
    }

    fn end_request(&self) {
        *lock(&self.idle) = (Instant::now(), self.bytes_read.load(Ordering::SeqCst));
        self.busy.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Marks a request as in progress for as long as it lives (also when its future is dropped).
struct InProgress(Arc<Slot>);

impl InProgress {
    fn new(slot: &Arc<Slot>) -> Self {
        slot.start_request();
        InProgress(Arc::clone(slot))
    }
}

impl Drop for InProgress {
    fn drop(&mut self) {
        self.0.end_request();
    }
}

/// The open connections, bounded by `Limits::max_connections`.
#[derive(Default)]
struct Connections {
    open: Mutex<HashMap<u64, Arc<Slot>>>,
    next_id: AtomicU64,
    /// Notified when a connection ends.
    freed: Notify,
}

impl Connections {
    /// Registers a new (accepted) connection. At the cap, the connection that has been without
    /// a request in progress the longest is closed to make room; when every connection is busy,
    /// waits until one ends (further connections wait in the listen backlog meanwhile).
    async fn admit(&self, max: usize) -> (u64, Arc<Slot>) {
        loop {
            let freed = self.freed.notified();
            {
                let mut open = lock(&self.open);
                if open.len() >= max {
                    let oldest = open
                        .iter()
                        .filter_map(|(id, slot)| slot.evictable_since().map(|t| (t, *id)))
                        .min();
                    if let Some((_, id)) = oldest
                        && let Some(slot) = open.remove(&id)
                    {
                        log::debug!("iamport-sandbox: connection cap reached, closing an idle one");
                        slot.close.notify_one();
                    }
                }
                if open.len() < max {
                    let id = self.next_id.fetch_add(1, Ordering::SeqCst);
                    let slot = Arc::new(Slot::new());
                    open.insert(id, Arc::clone(&slot));
                    return (id, slot);
                }
            }
            freed.await;
        }
    }

    /// Closes the connection that has been without a request in progress the longest, to free
    /// its descriptor; waits (briefly) until it is gone. Returns whether one was closed.
    async fn shed_idle(&self) -> bool {
        let freed = self.freed.notified();
        let shed = {
            let mut open = lock(&self.open);
            let oldest = open
                .iter()
                .filter_map(|(id, slot)| slot.evictable_since().map(|t| (t, *id)))
                .min();
            match oldest.and_then(|(_, id)| open.remove(&id)) {
                Some(slot) => {
                    slot.close.notify_one();
                    true
                }
                None => false,
            }
        };
        if shed {
            // Its task drops the socket when it sees the notification.
            let _ = tokio::time::timeout(Duration::from_millis(100), freed).await;
        }
        shed
    }

    fn release(&self, id: u64) {
        lock(&self.open).remove(&id);
        self.freed.notify_waiters();
    }
}

async fn run(
    app: Arc<App>,
    listener: std::net::TcpListener,
    tick: Duration,
    limits: Limits,
    mut shutdown: oneshot::Receiver<()>,
) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(err) => {
            log::error!("iamport-sandbox: cannot listen: {err}");
            return;
        }
    };
    let ticker_app = Arc::clone(&app);
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(tick);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            interval.tick().await;
            crate::ops::clock::run_due_schedules(&ticker_app.core);
        }
    });
    let connections = Arc::new(Connections::default());
    let max = limits.max_connections.max(1);
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, _) = match accepted {
            Ok(pair) => pair,
            Err(err) => {
                // Out of descriptors (EMFILE/ENFILE, e.g. under `ulimit -n 256` with idle
                // connections held open): the connection cap has not been reached, so nothing
                // else would make room. Shed the longest-idle connection and accept again.
                if out_of_descriptors(&err) && connections.shed_idle().await {
                    log::debug!("iamport-sandbox: out of descriptors, closed an idle connection");
                    continue;
                }
                log::warn!("iamport-sandbox: accept failed: {err}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let (id, slot) = tokio::select! {
            _ = &mut shutdown => break,
            admitted = connections.admit(max) => admitted,
        };
        let _ = stream.set_nodelay(true);
        let app = Arc::clone(&app);
        let connections = Arc::clone(&connections);
        tokio::spawn(async move {
            serve_connection(app, stream, Arc::clone(&slot), limits).await;
            connections.release(id);
        });
    }
}

/// Whether `accept` failed for lack of file descriptors (per process or system-wide).
fn out_of_descriptors(err: &io::Error) -> bool {
    /// `EMFILE` and `ENFILE` on Linux and the BSDs, macOS included.
    const EMFILE: i32 = 24;
    const ENFILE: i32 = 23;
    matches!(err.raw_os_error(), Some(EMFILE | ENFILE))
}

/// Serves one connection until it ends, is idle too long or is evicted.
async fn serve_connection(
    app: Arc<App>,
    stream: tokio::net::TcpStream,
    slot: Arc<Slot>,
    limits: Limits,
) {
    let io = ConnIo::new(stream, Arc::clone(&slot.bytes_read));
    let service_slot = Arc::clone(&slot);
    let service = service_fn(move |req| {
        let in_progress = InProgress::new(&service_slot);
        serve(Arc::clone(&app), req, limits, in_progress)
    });
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_headers(MAX_HEADERS)
        .max_header_size(MAX_HEAD_BYTES)
        .writev(false)
        .keep_alive(true)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(conn);
    loop {
        let deadline = match slot.idle_since() {
            Some(since) => since + limits.idle_timeout,
            None => Instant::now() + limits.idle_timeout,
        };
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(err) = result {
                    log::debug!("iamport-sandbox: connection ended: {err}");
                }
                return;
            }
            _ = slot.close.notified() => return,
            _ = tokio::time::sleep_until(deadline.into()) => {
                if slot
                    .idle_since()
                    .is_some_and(|since| since.elapsed() >= limits.idle_timeout)
                {
                    log::debug!("iamport-sandbox: closing an idle connection");
                    return;
                }
            }
        }
    }
}

fn respond(reply: Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json; charset=UTF-8"),
    );
    for (name, value) in reply.headers {
        if let Ok(value) = hyper::header::HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// An injected 5xx, answered as a gateway in front of i'mport would: plain text, no envelope
/// (an envelope would tell the client that i'mport itself refused the request).
fn server_error(status: u16) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(format!(
        "{status} injected fault (iamport-sandbox fault injection)\n"
    ))));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("text/plain; charset=UTF-8"),
    );
    response
}

/// What the request log records about a request, known once it is routed.
struct LogEntry {
    operation_id: Option<&'static str>,
    method: String,
    path: String,
}

impl LogEntry {
    /// The entry for a routed request; `None` for admin endpoints (not logged).
    fn of(route: &Route, method: &str, path: &str) -> Option<LogEntry> {
        let operation_id = match route {
            Route::Admin => return None,
            Route::Operation(op, _) => Some(op.operation_id),
            Route::MethodNotAllowed(_) | Route::NotFound => None,
        };
        Some(LogEntry {
            operation_id,
            method: method.to_owned(),
            path: path.to_owned(),
        })
    }

    /// Records the request: the HTTP status sent (`None`: no answer) and the envelope sent
    /// with it (`None`: no envelope, e.g. an injected 5xx).
    fn record(self, app: &App, status: Option<u16>, reply: Option<&Reply>) {
        app.requests.record(Served {
            operation_id: self.operation_id,
            method: &self.method,
            path: &self.path,
            status,
            envelope: reply.map(|r| (r.envelope.0, r.envelope.1.as_deref())),
            merchant_uid: reply.and_then(|r| r.merchant_uid.clone()),
            sandbox_time: app.core.clock.now(),
        });
    }
}

/// Handles a routed request on the calling (async) worker: the handlers are short and do no
/// I/O (state under a lock held briefly; webhooks are queued to their own thread). A panic in a
/// handler is a 500 envelope, never a lost connection.
fn handle(app: &App, incoming: &Incoming, route: Route) -> Reply {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        dispatch(app, incoming, route)
    }))
    .unwrap_or_else(|_| reply::reply(Err(ApiError::internal("sandbox bug: the handler failed"))))
}

async fn serve(
    app: Arc<App>,
    req: Request<hyper::body::Incoming>,
    limits: Limits,
    _in_progress: InProgress,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    let (parts, body) = req.into_parts();
    if parts.uri.path() == "/favicon.ico" {
        // The browser asks for it beside the dashboard: not an API request, so not logged.
        let mut response = Response::new(Full::new(Bytes::new()));
        *response.status_mut() = StatusCode::NO_CONTENT;
        return Ok(response);
    }
    let route = routing::route(parts.method.as_str(), parts.uri.path());
    let log = LogEntry::of(&route, parts.method.as_str(), parts.uri.path());
    let refuse = |log: Option<LogEntry>, err: ApiError| {
        let reply = reply::reply(Err(err));
        if let Some(log) = log {
            log.record(&app, Some(reply.status), Some(&reply));
        }
        Ok(respond(reply))
    };
    let collected = tokio::time::timeout(
        limits.header_read_timeout,
        Limited::new(body, MAX_BODY_BYTES).collect(),
    )
    .await;
    let Ok(collected) = collected else {
        return refuse(
            log,
            ApiError {
                status: 408,
                code: -1,
                message: format!(
                    "request body not received within {} ms",
                    limits.header_read_timeout.as_millis()
                ),
            },
        );
    };
    let body = match collected {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(err) => {
            if err
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                return refuse(
                    log,
                    ApiError {
                        status: 413,
                        code: -1,
                        message: format!("request body too large (at most {MAX_BODY_BYTES} bytes)"),
                    },
                );
            }
            return Err(DropConnection);
        }
    };
    let headers = parts
        .headers
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let incoming = Incoming {
        method: parts.method.as_str().to_owned(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers,
        body,
    };
    #[cfg(feature = "dashboard")]
    if let Some(page) = super::dashboard::serve(&app, &incoming) {
        return Ok(page);
    }
    let fault = match &route {
        Route::Operation(op, _) => app.take_fault(op),
        _ => None,
    };
    if let Some(Fault::ServerError {
        status,
        after_processing: false,
    }) = fault
    {
        if let Some(log) = log {
            log.record(&app, Some(status), None);
        }
        return Ok(server_error(status));
    }
    // A charge holds its merchant_uid from its arrival, before any latency fault delays it,
    // until it has been handled (see `App::reserve_charge`).
    let reservation = match app.reserve(&route, &incoming) {
        Ok(reservation) => reservation,
        Err(refused) => {
            if let Some(log) = log {
                log.record(&app, Some(refused.status), Some(&refused));
            }
            return Ok(respond(refused));
        }
    };
    let reply = match fault {
        Some(Fault::Latency(delay)) => {
            // The delay and the handling run in their own task: a client that gives up
            // (timeout) closes the connection, which drops this future, but the request still
            // takes effect (and is logged), as on a real server that was merely slow.
            let worker_app = Arc::clone(&app);
            let work = tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                let reply = handle(&worker_app, &incoming, route);
                drop(reservation);
                if let Some(log) = log {
                    log.record(&worker_app, Some(reply.status), Some(&reply));
                }
                reply
            });
            return match work.await {
                Ok(reply) => Ok(respond(reply)),
                Err(_) => Err(DropConnection),
            };
        }
        _ => {
            let reply = handle(&app, &incoming, route);
            drop(reservation);
            reply
        }
    };
    let (status, sent) = match fault {
        Some(Fault::DropConnection) => (None, None),
        Some(Fault::ServerError { status, .. }) => (Some(status), None),
        _ => (Some(reply.status), Some(&reply)),
    };
    if let Some(log) = log {
        log.record(&app, status, sent);
    }
    match fault {
        Some(Fault::DropConnection) => Err(DropConnection),
        Some(Fault::ServerError { status, .. }) => Ok(server_error(status)),
        _ => Ok(respond(reply)),
    }
}
