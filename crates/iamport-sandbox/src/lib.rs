//! A local emulator of the i'mport (PortOne V1) subscription API, for tests and offline work.
//!
//! It serves every operation of `spec/iamport.json` (routed from [`iamport::operations::ALL`]:
//! method + path template; request bodies decoded into the generated `iamport::types::*Request`
//! types; answers built through the generated response types) with i'mport's semantics as its
//! docs, its Swagger and its official SDKs describe them: the `{code, message, response}`
//! envelope, 30-minute reusable tokens, declines as `code: 0` + `status: "failed"`, billing keys,
//! schedules, cancellations.
//! Where the evidence is uncertain, the choice made is listed under [Choices](#choices-where-the-evidence-is-uncertain);
//! where the evidence about the real server differs from the spec, the sandbox follows the real
//! server, as listed under [Where the sandbox follows the real server](#where-the-sandbox-follows-the-real-server-and-why).
//!
//! ```no_run
//! use iamport::{Client};
//! use iamport_sandbox::{Sandbox, TEST_API_KEY, TEST_API_SECRET};
//!
//! let sandbox = Sandbox::start(); // 127.0.0.1, a free port; stops on drop
//! let client = Client::builder()
//!     .base_url(sandbox.base_url())
//!     .imp_key(TEST_API_KEY)
//!     .imp_secret(TEST_API_SECRET)
//!     .build()?;
//! // ... client.onetime(...), client.again(...), sandbox.advance_clock(...)
//! # Ok::<(), iamport::Error>(())
//! ```
//!
//! **Features.** With the default features (none), as a dev-dependency, the crate builds only
//! the library: no CLI parser, logger or template engine. `dashboard` adds the page at
//! `/__sandbox/` (askama, time); `cli` adds the binary (clap, env_logger) and the dashboard.
//!
//! The binary: `cargo run -p iamport-sandbox --features cli -- --port 8080` prints the base URL
//! on its first line of stdout (`--port 0` picks a free port; `--paymentwall-only`,
//! `--webhook-url URL`, `--webhook-retries`, `--credentials KEY:SECRET` as options; a `--webhook-url` the sandbox would not deliver to, i.e.
//! not `http://` to a loopback host, is refused at start-up with exit status 2). It logs to stderr
//! through `env_logger`, filtered by `RUST_LOG` (default `warn`; `RUST_LOG=iamport_sandbox=debug`
//! shows connections closed by the limits below). The binary also prints the address of the
//! **dashboard**, `{base}/__sandbox/`: a page that shows the payments, billing keys, schedules,
//! webhook deliveries and request log, and drives the clock, the faults and a reset.
//! `cargo run --example quickstart` walks a whole flow (with `--features dashboard` and
//! `-- --keep-running`, the sandbox stays up afterwards so the dashboard can be looked at).
//!
//! Everything below is also in `src/docs/*.md`: the [layers](#layers) of the crate, the
//! [server and its limits](#server), [behaviour](#credentials-and-tokens), the
//! [choices](#choices-where-the-evidence-is-uncertain) where the evidence is uncertain and
//! where the sandbox [follows the real server](#where-the-sandbox-follows-the-real-server-and-why).
//!
#![doc = include_str!("docs/layers.md")]
#![doc = include_str!("docs/server.md")]
#![doc = include_str!("docs/behaviour.md")]
#![doc = include_str!("docs/choices.md")]
#![doc = include_str!("docs/decisions.md")]
#![doc = include_str!("docs/stubs.md")]
#![warn(missing_docs)]
#![recursion_limit = "256"]

mod decode;
mod http;
mod ops;
mod state;
mod support;

pub use state::{cards, channels};

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

pub use http::faults;
pub use http::faults::{Fault, FaultRule};
pub use http::request_log::{REQUEST_LOG_CAPACITY, RequestRecord};
pub use http::stubs::{RECEIVED_CAPACITY, StubReply};
pub use http::{ADMIN_HEADER, ADMIN_PREFIX, MAX_BODY_BYTES};
pub use ops::{AdvanceError, ExecutedSchedule, MAX_ADVANCE_SECONDS};
pub use state::channels::{Channel, Channels, PgRules};
pub use state::webhook::{RetryPolicy, WebhookBody, WebhookDelivery};

use http::App;
use http::server::{self, ServerThread};
use ops::Config;
pub use ops::PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT;

/// i'mport's public test REST API key, as i'mport's docs and the official Python SDK's tests
/// spell it. Accepted by default with [`PUBLIC_TEST_API_SECRET`] and with [`TEST_API_SECRET`].
pub const TEST_API_KEY: &str = "imp_apikey";
/// The same public test key as the npm SDK `iamport` spells it (`Iamport.DEFAULT_KEY`).
/// Accepted by default with [`PUBLIC_TEST_API_SECRET`].
pub const TEST_API_KEY_NPM: &str = "imp_apiKey";
/// i'mport's published test secret, the `imp_secret` that the SDKs' built-in test defaults pair
/// with [`TEST_API_KEY`] / [`TEST_API_KEY_NPM`] (npm `iamport`'s defaults, the official Python
/// SDK's `tests/conftest.py`). It is public: it grants nothing on the real API beyond i'mport's
/// shared test merchant.
pub const PUBLIC_TEST_API_SECRET: &str =
    "ekKoeW8RyKuT0zgaZsUtXXTLQ4AhPFW3ZGseDA6bkA5lamv9OqDMnxyeB9wqOsuO9W3Mx9YSJ4dTqJ3f";
/// The sandbox's own `imp_secret` for [`TEST_API_KEY`] (a sandbox value, not i'mport's).
pub const TEST_API_SECRET: &str = "sandboxSecretForImpApikeyOnly";

/// The pairs accepted without any option.
fn default_credentials() -> Vec<(String, String)> {
    [
        (TEST_API_KEY, TEST_API_SECRET),
        (TEST_API_KEY, PUBLIC_TEST_API_SECRET),
        (TEST_API_KEY_NPM, PUBLIC_TEST_API_SECRET),
    ]
    .into_iter()
    .map(|(k, s)| (k.to_owned(), s.to_owned()))
    .collect()
}

/// Entry points for fuzz targets; not part of the API.
#[doc(hidden)]
pub mod __fuzz {
    /// Decodes `body` for the operation `op_id` (an `operationId`) exactly as the server does,
    /// JSON or form according to `content_type`, then runs the operation on a shared in-memory
    /// sandbox (emptied first; authentication skipped). Returns the HTTP status and the envelope
    /// bytes. Never panics on any input.
    pub fn decode_request(op_id: &str, content_type: &str, body: &[u8]) -> (u16, Vec<u8>) {
        let reply = crate::http::app::fuzz_request(op_id, content_type, body);
        (reply.status, reply.body)
    }
}

/// Options for [`Sandbox::builder`].
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    port: u16,
    credentials: Vec<(String, String)>,
    channels: Channels,
    webhook_url: Option<String>,
    retry: RetryPolicy,
    tick: Duration,
    limits: server::Limits,
    request_log_capacity: usize,
}

/// How long the server waits for a complete request head, counted from when it starts waiting
/// (connection opened, or previous answer sent); then the same again for the body. A client that
/// is slower has its connection closed (head) or gets a 408 envelope (body).
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a connection may stay open with no request in progress and no byte received; it is
/// then closed.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// The shortest timeout the builder accepts.
const MIN_TIMEOUT: Duration = Duration::from_millis(10);
/// The longest timeout the builder accepts (so that deadlines computed from it never overflow).
const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);

/// The most connections open at once. A new connection beyond it closes the connection that has
/// been without a request in progress the longest; when all are busy, it waits until one ends.
pub const MAX_CONNECTIONS: usize = 256;

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            port: 0,
            credentials: default_credentials(),
            channels: Channels::standard(),
            webhook_url: None,
            retry: RetryPolicy::default(),
            tick: Duration::from_secs(1),
            limits: server::Limits {
                header_read_timeout: HEADER_READ_TIMEOUT,
                idle_timeout: IDLE_TIMEOUT,
                max_connections: MAX_CONNECTIONS,
            },
            request_log_capacity: REQUEST_LOG_CAPACITY,
        }
    }
}

impl SandboxBuilder {
    /// The port on 127.0.0.1 (0, the default, picks a free one).
    #[must_use]
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Accepts one more `imp_key`/`imp_secret` pair (the default pairs stay accepted).
    #[must_use]
    pub fn credentials(
        mut self,
        imp_key: impl Into<String>,
        imp_secret: impl Into<String>,
    ) -> Self {
        self.credentials.push((imp_key.into(), imp_secret.into()));
        self
    }

    /// Makes PAYMENTWALL the merchant's only (and so default) channel.
    #[must_use]
    pub fn paymentwall_only(mut self) -> Self {
        self.channels = Channels::paymentwall_only();
        self
    }

    /// The "console" webhook URL, used when a payment or schedule has no `notice_url`. It must
    /// be `http://` to a loopback host (the only place the sandbox delivers to), else
    /// [`SandboxBuilder::start`] fails.
    #[must_use]
    pub fn webhook_url(mut self, url: impl Into<String>) -> Self {
        self.webhook_url = Some(url.into());
        self
    }

    /// How webhooks are retried (default [`RetryPolicy::default`]: sent once, no retry).
    #[must_use]
    pub fn webhook_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Resends webhooks as i'mport does once its support switches resending on
    /// ([`RetryPolicy::iamport`]: up to 5 more attempts, 1 minute apart on the sandbox clock,
    /// after a network error or a 5xx answer).
    #[must_use]
    pub fn webhook_retries(self) -> Self {
        self.webhook_retry(RetryPolicy::iamport())
    }

    /// How often pending schedules are checked against the clock as real time passes
    /// (default 1 s; [`Sandbox::advance_clock`] runs them at once anyway).
    #[must_use]
    pub fn tick(mut self, tick: Duration) -> Self {
        self.tick = tick.clamp(MIN_TIMEOUT, MAX_TIMEOUT);
        self
    }

    /// The header-read timeout (default [`HEADER_READ_TIMEOUT`]; kept between 10 ms and one
    /// day). Since the server starts it when it waits for a request head, it also closes a
    /// keep-alive connection that stays idle longer, whatever the idle timeout.
    #[must_use]
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout.clamp(MIN_TIMEOUT, MAX_TIMEOUT);
        self
    }

    /// The idle timeout of a connection (default [`IDLE_TIMEOUT`]; kept between 10 ms and one
    /// day).
    #[must_use]
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout.clamp(MIN_TIMEOUT, MAX_TIMEOUT);
        self
    }

    /// The most connections open at once (default [`MAX_CONNECTIONS`]; at least 1).
    #[must_use]
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max.max(1);
        self
    }

    /// How many requests the request log keeps (default [`REQUEST_LOG_CAPACITY`]; at least 1).
    #[must_use]
    pub fn request_log_capacity(mut self, capacity: usize) -> Self {
        self.request_log_capacity = capacity.max(1);
        self
    }

    /// Binds 127.0.0.1 and starts serving on a background thread.
    ///
    /// # Errors
    ///
    /// [`io::ErrorKind::InvalidInput`] when the webhook URL is not `http://` to a loopback host;
    /// the bind error when the port is taken.
    pub fn start(self) -> io::Result<Sandbox> {
        if let Some(url) = &self.webhook_url
            && !state::webhook::is_loopback_url(url)
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "webhook URL `{}` refused: the sandbox delivers webhooks only over http:// to a loopback host (127.0.0.1, [::1], localhost)",
                    support::excerpt(url, 200)
                ),
            ));
        }
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)))?;
        let addr = listener.local_addr()?;
        let webhooks = state::webhook::Webhooks::start(self.retry);
        let app = Arc::new(App::new(
            Config {
                credentials: self.credentials,
                channels: self.channels,
                webhook_url: self.webhook_url,
            },
            webhooks,
            self.request_log_capacity,
        ));
        let server = server::spawn(Arc::clone(&app), listener, self.tick, self.limits)?;
        Ok(Sandbox { app, addr, server })
    }
}

/// A running sandbox on 127.0.0.1; it stops when dropped.
pub struct Sandbox {
    app: Arc<App>,
    addr: SocketAddr,
    server: ServerThread,
}

impl std::fmt::Debug for Sandbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sandbox")
            .field("base_url", &self.base_url())
            .finish()
    }
}

impl Sandbox {
    /// Starts a sandbox with the default options on a free port.
    ///
    /// # Panics
    ///
    /// When no port on 127.0.0.1 can be bound or no thread started (use [`Sandbox::try_start`]
    /// to handle that).
    pub fn start() -> Sandbox {
        match Sandbox::try_start() {
            Ok(sandbox) => sandbox,
            Err(err) => panic!("iamport-sandbox: cannot start on 127.0.0.1: {err}"),
        }
    }

    /// Starts a sandbox with the default options on a free port.
    pub fn try_start() -> io::Result<Sandbox> {
        SandboxBuilder::default().start()
    }

    /// Options: port, credentials, channels, webhook URL and retries.
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder::default()
    }

    /// The base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The sandbox clock, in unix seconds.
    pub fn now(&self) -> i64 {
        self.app.core.clock.now()
    }

    /// Moves the sandbox clock forward (whole seconds) and executes the schedules that fell due
    /// (their webhooks are queued), in order.
    ///
    /// # Errors
    ///
    /// [`AdvanceError`] when the clock would end up more than [`MAX_ADVANCE_SECONDS`] ahead of
    /// the machine's clock; the clock is then not moved.
    pub fn advance_clock(&self, by: Duration) -> Result<Vec<ExecutedSchedule>, AdvanceError> {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX);
        self.app.advance(seconds)
    }

    /// Makes the virtual-account deposits planned up to now, then executes the schedules that
    /// are due now.
    pub fn run_due_schedules(&self) -> Vec<ExecutedSchedule> {
        ops::clock::run_due_schedules(&self.app.core)
    }

    /// The requests served so far (API operations and unknown paths, not admin endpoints),
    /// oldest first; at most the newest [`REQUEST_LOG_CAPACITY`] (see
    /// [`SandboxBuilder::request_log_capacity`]).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.app.requests.since(0).0
    }

    /// Arms a fault.
    pub fn inject_fault(&self, rule: FaultRule) {
        support::lock(&self.app.faults).add(rule);
    }

    /// Forgets every payment, billing key, schedule, prepared amount and virtual account, disarms
    /// the faults, removes the stubs and empties the request log and the received inputs (as
    /// `POST /__sandbox/reset`); access tokens, the clock and the webhook log stay.
    pub fn reset(&self) {
        self.app.reset();
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        support::lock(&self.app.faults).clear();
    }

    /// The webhooks queued so far and what became of them.
    pub fn webhooks(&self) -> Vec<WebhookDelivery> {
        self.app.core.webhooks.deliveries()
    }

    /// Waits (at most `timeout`) until no webhook delivery is pending, then returns the log.
    /// With [`SandboxBuilder::webhook_retries`], a delivery whose retry is due later on the
    /// sandbox clock stays pending until the clock gets there: move it with
    /// [`Sandbox::advance_clock`] rather than waiting.
    pub fn wait_for_webhooks(&self, timeout: Duration) -> Vec<WebhookDelivery> {
        self.app.core.webhooks.wait_idle(timeout)
    }

    /// The buyer deposits the amount of the virtual account `imp_uid` (issued by `POST /vbanks`):
    /// at once when `at` is `None` or not in the future, else once the sandbox clock reaches
    /// `at` (unix seconds), as real time passes or through [`Sandbox::advance_clock`]. The payment becomes `paid` and a `paid`
    /// webhook is queued. Returns the payment as it is now (still `ready` for a deposit planned
    /// later), or the refusal's message: unknown `imp_uid`, not a virtual account, not `ready`,
    /// or a deposit after the account's deadline. Also `POST /__sandbox/vbanks/deposit`
    /// `{"imp_uid", "at"}`.
    pub fn deposit_vbank(
        &self,
        imp_uid: &str,
        at: Option<i64>,
    ) -> Result<iamport::types::Payment, String> {
        self.app
            .core
            .deposit_vbank(imp_uid, at)
            .map_err(|e| e.message)
    }

    /// Answers every request for `operation` with `reply` (until [`Sandbox::clear_stubs`] or a
    /// reset), instead of emulating it: the request is routed and authenticated, then answered
    /// as is, not decoded. This is how a test exercises an operation the sandbox does not
    /// emulate, or a reply it cannot produce. Replaces `operation`'s earlier stub.
    ///
    /// ```no_run
    /// use iamport::Request;
    /// use iamport::types::GetPaymentRequest;
    /// use iamport_sandbox::{Sandbox, StubReply};
    ///
    /// let sandbox = Sandbox::start();
    /// sandbox.stub(
    ///     GetPaymentRequest::OPERATION,
    ///     StubReply::refusal(404, -1, "존재하지 않는 결제정보입니다."),
    /// );
    /// ```
    pub fn stub(&self, operation: &'static iamport::runtime::OperationSpec, reply: StubReply) {
        self.app.stubs.set(operation, [reply].into(), true);
    }

    /// Answers the next requests for `operation` with `replies`, one each, in order; once they
    /// are used up, the sandbox answers `operation` as usual again. Replaces `operation`'s
    /// earlier stub (an empty sequence just removes it).
    pub fn stub_sequence(
        &self,
        operation: &'static iamport::runtime::OperationSpec,
        replies: impl IntoIterator<Item = StubReply>,
    ) {
        self.app
            .stubs
            .set(operation, replies.into_iter().collect(), false);
    }

    /// Removes every stub (the received inputs stay).
    pub fn clear_stubs(&self) {
        self.app.stubs.clear(false);
    }

    /// The inputs the sandbox received for `operation` (stubbed or not), oldest first: path
    /// parameters, query and body merged into one JSON object, every secret field of the spec
    /// masked as `"***"`; at most the newest [`RECEIVED_CAPACITY`] of all operations.
    pub fn received(
        &self,
        operation: &'static iamport::runtime::OperationSpec,
    ) -> Vec<serde_json::Value> {
        self.app
            .stubs
            .received(Some(operation))
            .into_iter()
            .map(|(_, input)| input)
            .collect()
    }

    /// Blocks until the server stops (for the binary; it serves until the process ends).
    pub fn wait(mut self) {
        self.server.join();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.server.stop();
        self.app.core.webhooks.stop();
    }
}
