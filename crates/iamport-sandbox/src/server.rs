//! The HTTP layer: hyper 1 (HTTP/1.1, keep-alive) on a tokio runtime that lives on its own
//! background thread.

use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Bytes;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::oneshot;

use crate::app::{self, ApiError, App, Incoming, MAX_BODY_BYTES, Reply, Route};
use crate::faults::Fault;

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
            runtime.block_on(run(app, listener, tick, rx));
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

async fn run(
    app: Arc<App>,
    listener: std::net::TcpListener,
    tick: Duration,
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
            crate::ops::run_due_schedules(&ticker_app);
        }
    });
    loop {
        let accepted = tokio::select! {
            _ = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        let (stream, _) = match accepted {
            Ok(pair) => pair,
            Err(err) => {
                log::warn!("iamport-sandbox: accept failed: {err}");
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let app = Arc::clone(&app);
        tokio::spawn(async move {
            let service = service_fn(move |req| serve(Arc::clone(&app), req));
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service);
            if let Err(err) = conn.await {
                log::debug!("iamport-sandbox: connection ended: {err}");
            }
        });
    }
}

fn respond(reply: Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() =
        StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert(
        hyper::header::CONTENT_TYPE,
        hyper::header::HeaderValue::from_static("application/json; charset=UTF-8"),
    );
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

async fn serve(
    app: Arc<App>,
    req: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, DropConnection> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes().to_vec(),
        Err(err) => {
            if err
                .downcast_ref::<http_body_util::LengthLimitError>()
                .is_some()
            {
                return Ok(respond(app::reply(Err(ApiError {
                    status: 413,
                    code: -1,
                    message: format!("request body too large (at most {MAX_BODY_BYTES} bytes)"),
                }))));
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
    let route = app::route(&incoming.method, &incoming.path);
    let fault = match &route {
        Route::Operation(op, _) => app.take_fault(op.operation_id),
        _ => None,
    };
    if let Some(Fault::ServerError {
        status,
        after_processing: false,
    }) = fault
    {
        return Ok(server_error(status));
    }
    // The delay and the handling run in their own task: a client that gives up (timeout) closes
    // the connection, which drops this future, but the request still takes effect, as on a real
    // server that was merely slow.
    // A charge holds its merchant_uid from now until it has been handled (see ops.rs).
    let reservation = match app.reserve_charge(&route, &incoming) {
        Ok(reservation) => reservation,
        Err(refused) => return Ok(respond(refused)),
    };
    let worker_app = Arc::clone(&app);
    let work = tokio::spawn(async move {
        if let Some(Fault::Latency(delay)) = fault {
            tokio::time::sleep(delay).await;
        }
        let handled =
            tokio::task::spawn_blocking(move || worker_app.handle(&incoming, route)).await;
        drop(reservation);
        handled
    });
    let reply = match work.await {
        Ok(Ok(reply)) => reply,
        _ => Reply {
            status: 500,
            body: app::envelope(
                -1,
                Some("sandbox bug: the handler failed"),
                &serde_json::Value::Null,
            ),
        },
    };
    match fault {
        Some(Fault::DropConnection) => Err(DropConnection),
        Some(Fault::ServerError {
            status,
            after_processing: true,
        }) => Ok(server_error(status)),
        _ => Ok(respond(reply)),
    }
}
