//! A local emulator of the i'mport (PortOne V1) subscription API, for tests and offline work.
//!
//! It serves every operation of `spec/iamport.json` (routed from [`iamport::operations::ALL`]:
//! method + path template; request bodies decoded into the generated `iamport::types::*Request`
//! types; answers built through the generated response types) with i'mport's semantics as
//! described in `iamport-api.md`: the `{code, message, response}` envelope, 30-minute reusable
//! tokens, declines as `code: 0` + `status: "failed"`, billing keys, schedules, cancellations.
//! Where the reference is uncertain, the choice made is listed under [Choices](#choices-where-the-reference-is-uncertain).
//!
//! ```no_run
//! use iamport::{Api, Client};
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
//! The binary: `cargo run -p iamport-sandbox -- --port 8080` prints the base URL on its first
//! line of stdout (`--port 0` picks a free port; `--paymentwall-only`, `--webhook-url URL`,
//! `--credentials KEY:SECRET` as options). `cargo run --example quickstart` walks a whole flow.
//!
//! # Server
//!
//! **hyper 1** (HTTP/1.1 with keep-alive) on a **tokio** multi-thread runtime (2 workers) that
//! lives on its own background thread, so synchronous tests and the synchronous client need no
//! async of their own. Why hyper rather than axum or tiny_http:
//! - routing comes from `iamport::operations::ALL`, so a router framework (axum) would only be a
//!   second place where paths are written; hyper is what axum runs on anyway, the most used and
//!   maintained HTTP implementation in Rust;
//! - a hyper service that returns an error makes hyper close the connection **without an
//!   answer**: exactly the "charge recorded, answer lost" fault. tiny_http answers 500 to a
//!   dropped request and serves connections from a small fixed pool.
//! - many clients at once: one task per connection; handlers run in `spawn_blocking` and hold
//!   the state lock only for short, I/O-free critical sections.
//!
//! # Credentials and tokens
//!
//! `imp_key` [`TEST_API_KEY`] (`imp_apikey`, i'mport's public test key) and `imp_secret`
//! [`TEST_API_SECRET`] (a sandbox value); more pairs with [`SandboxBuilder::credentials`]. A wrong
//! pair is HTTP 401 with the envelope. Tokens are 40 lowercase hex characters, valid 30 minutes
//! by the sandbox clock; getToken returns the same token with the same `expired_at` until expiry,
//! extends it by 5 minutes when asked in its last minute, and issues a new one after expiry. A
//! token is valid while `now < expired_at`. Accepted as `Authorization: <t>`,
//! `Authorization: Bearer <t>` or `X-ImpTokenHeader: <t>` (`Authorization` wins); header names
//! in any case; no `User-Agent` needed. Missing, unknown or expired tokens: HTTP 401,
//! `{"code": -1, "message": "Unauthorized: ...", "response": null}`.
//!
//! # Requests
//!
//! Bodies may be JSON or `application/x-www-form-urlencoded` (bracket keys `a[]`, `a[0][b]`,
//! `a[b]` become arrays and objects; a JSON object sent with a form content type is read as JSON).
//! Form values are strings: decoding retries after converting the value at the path that serde
//! reports as wanting a number, boolean or sequence (bounded by the number of values), so the
//! generated types guide the coercion; numbers sent where strings are expected become strings.
//! Query parameters and path parameters decode into the same generated request types. Then the
//! generated `validate()` checks the spec's rules (required, maxLength, patterns, enums).
//! Trailing slashes are ignored.
//!
//! # Errors
//!
//! Every error is the envelope with a message naming the field (never echoing its value):
//!
//! | situation | HTTP | `code` |
//! |---|---|---|
//! | missing or ill-formed parameter, spec rule broken, PG-specific required field | 400 | -1 |
//! | missing/expired/unknown token, wrong `imp_key`/`imp_secret` | 401 | -1 |
//! | unknown `imp_uid` / `merchant_uid` look-up | 404 | -1 (`존재하지 않는 결제정보입니다.`) |
//! | unknown `customer_uid` (GET/DELETE key, key payments), unknown schedule | 404 | 1 |
//! | unknown path / wrong method | 404 / 405 | -1 |
//! | body over 256 KiB | 413 | -1 |
//! | business refusal (duplicate `merchant_uid`, unknown buyer on `again`, nothing to unschedule, cancel refused, no such channel) | 200 | 1 |
//! | card data refused by the "PG" (refused test card, expiry in the past) | 200 | -1 |
//! | declined charge | 200 | **0**, `status: "failed"` |
//!
//! Strings longer than 4096 characters are refused with 400 before decoding. No client input
//! leads to a panic or a 500.
//!
//! # Test cards
//!
//! Card numbers are `dddd-dddd-dddd-dddd`; any well-formed number not listed approves. Expiry
//! `YYYY-MM` is valid through the end of that month (sandbox clock, UTC).
//!
//! | card number | behaviour | `fail_reason` / message |
//! |---|---|---|
//! | `4242-4242-4242-4242` | approves (VISA) | |
//! | `5555-5555-5555-4444` | approves (Mastercard) | |
//! | `4000-0000-0000-9995` | declines | [`cards::INSUFFICIENT_FUNDS`] |
//! | `4000-0000-0000-0069` | declines | [`cards::EXPIRED_CARD`] |
//! | `4000-0000-0000-9979` | declines | [`cards::STOLEN_CARD`] |
//! | `4000-0000-0000-9987` | declines | [`cards::LOST_CARD`] |
//! | `4000-0000-0000-9920` | declines | [`cards::LIMIT_EXCEEDED`] |
//! | `4000-0000-0000-0002` | declines | [`cards::DO_NOT_HONOR`] |
//! | `4000-0000-0000-0119` | fails with a PG error | [`cards::PG_INTERNAL_ERROR`] |
//! | `4000-0000-0000-0341` | first charge on the billing key approves, later ones (`again`, schedules, retry) decline | [`cards::INSUFFICIENT_FUNDS`] |
//! | `4000-0000-0000-0127` | refused: `code: -1`, no payment, no key | [`cards::CARD_AUTH_FAILED`] |
//! | any card, expiry in the past | refused on `onetime`/`customer_save`/`schedule`: `code: -1` | [`cards::EXPIRY_IN_PAST`] |
//! | stored key whose expiry passes (clock advanced) | later charges decline | [`cards::EXPIRED_CARD`] |
//!
//! A decline is recorded: `code: 0`, `status: "failed"`, `fail_reason`, `failed_at` > 0,
//! `paid_at: 0`; it can be looked up and appears in `findAll`. Card numbers are reported masked
//! (`424242******4242`, 7th–12th digits). `GET /__sandbox/cards` lists the table.
//!
//! # Channels and PG rules
//!
//! | channel | `pg_provider` | `pg_id` | `channel_key` | rules |
//! |---|---|---|---|---|
//! | key-in (default) | `keyin` | `sandbox_keyin_mid` | `channel-key-sandbox-keyin` | card number + expiry suffice; billing keys with or without a payment |
//! | PAYMENTWALL | `paymentwall` | `sandbox_paymentwall_project` | `channel-key-sandbox-paymentwall` | see below |
//!
//! A channel is chosen by `channel_key`, else `pg` (`{pg}` or `{pg}.{pg_id}`), else the default;
//! an unknown one is `code: 1`, `비인증결제모듈 사용정보를 찾을 수 없습니다.` (HTTP 200).
//! [`SandboxBuilder::paymentwall_only`] (`--paymentwall-only`) gives a merchant that only set up
//! PAYMENTWALL (it is then the default and `pg: "keyin"` is refused). PAYMENTWALL:
//! - `onetime` requires `cvc` and `browser_ip` (400 naming the field); `buyer_name`, when given,
//!   must be "First Last" (400);
//! - no billing key without a payment: `customer_save` (and `schedule` with card data for a new
//!   customer) is refused with `code: 1` and [`PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT`] — issue the key
//!   with `onetime` + `customer_uid`;
//! - `again` requires `buyer_email` and `browser_ip` (400), and `buyer_email` must equal the
//!   e-mail given when the key was issued (400 otherwise).
//!
//! # Billing keys
//!
//! `onetime` with `customer_uid` stores the card under it **when the payment is approved** (a
//! declined first payment stores nothing); `buyer_*` become the key's `customer_*`. Re-using a
//! `customer_uid` replaces the card. `customer_save` issues a key without a payment (key-in
//! only). `GET /subscribe/customers?customer_uid[]=...` answers 200 when all are found, 207
//! with the found ones when some are missing, 404 when none is.
//!
//! # Clock, schedules and webhooks
//!
//! The sandbox clock is the machine's clock plus an offset that only moves forward:
//! [`Sandbox::advance_clock`] or `POST /__sandbox/clock/advance {"seconds": N}`. Advancing runs
//! every due schedule at once (and, as real time passes, a ticker checks every second). A due
//! schedule executes as an `again` payment (`customer_uid_usage: "payment.scheduled"`, buyer
//! fields falling back to the key's `customer_*`), becomes `executed` with `payment_status`
//! `paid` or `failed`, and sends a webhook `{imp_uid, merchant_uid, status}` (JSON POST) to its
//! `notice_url`, else to the builder's [`SandboxBuilder::webhook_url`]. Approved `onetime`/`again`
//! payments send a `paid` webhook the same way; declined ones send none (as i'mport); cancels
//! send `cancelled` + `cancellation_id` only with `enable_webhook: true`. Deliveries are retried on
//! network errors and non-2xx answers ([`RetryPolicy`]: 5 attempts, 200 ms doubling), only to
//! loopback addresses; [`Sandbox::webhooks`] / `GET /__sandbox/webhooks` show the log.
//!
//! # Duplicate `merchant_uid` (reference §9 q7 and §3)
//!
//! A `merchant_uid` that already has a payment in any status but `failed` (paid, cancelled) is
//! refused on `onetime`/`again` with `code: 1` (HTTP 200), and so is one held by a pending
//! schedule; a `merchant_uid` whose earlier attempts all **failed** may be charged again,
//! creating another payment under the same `merchant_uid` (which is why `findAll` exists, and
//! what `reschedule`/`retry` of a failed schedule do). The check and the recording of the
//! payment happen under one lock, so N concurrent identical `again` calls charge exactly once
//! (the others get `code: 1`).
//!
//! # Fault injection
//!
//! [`Sandbox::inject_fault`] or `POST /__sandbox/faults` with
//! `{"kind": "latency"|"error"|"drop", "ms": 1500, "status": 503, "after_processing": true,
//! "operation": "again", "times": 1}` (`operation` = an operationId, omitted = all; `times`
//! default 1); `DELETE /__sandbox/faults` (or [`Sandbox::clear_faults`]) disarms all.
//! - `latency`: waits, then handles the request normally (even when the client gave up
//!   meanwhile: the request still takes effect, as on a slow server);
//! - `error`: answers the 5xx as a gateway would (plain text, no envelope); with
//!   `after_processing` the request takes effect first (a charge is recorded);
//! - `drop`: handles the request (a charge is recorded), then closes the connection without an
//!   answer — an unknown outcome that `client.reconcile(merchant_uid)` resolves.
//!
//! # Admin endpoints (reserved prefix `/__sandbox/`, no token needed, envelope answers)
//!
//! | endpoint | does |
//! |---|---|
//! | `GET /__sandbox/clock` | `{now, offset}` |
//! | `POST /__sandbox/clock/advance` `{"seconds": N}` | moves the clock, runs due schedules, returns them |
//! | `POST /__sandbox/schedules/run` | runs the schedules due now |
//! | `POST /__sandbox/faults`, `DELETE /__sandbox/faults` | arms / clears faults |
//! | `GET /__sandbox/webhooks` | the webhook delivery log |
//! | `GET /__sandbox/cards`, `GET /__sandbox/channels` | the test-card table, the channels |
//!
//! # Choices where the reference is uncertain
//!
//! - **401 body** (§9 q1): the envelope with `code: -1`, a message, `response: null`.
//! - **Unknown `customer_uid` on GET/DELETE** (§9 q2): HTTP 404 (SPEC) with `code: 1` and the
//!   Korean message the SDK tests quote.
//! - **Failed payment body** (§9 q3): every `Payment` field present, `imp_uid` always set,
//!   `status: "failed"`, `fail_reason`, `failed_at` > 0, `paid_at: 0`, `apply_num: null`.
//! - **`customer_uid_usage`** (§9 q4): `issue` for `onetime` with `customer_uid`, `payment` for
//!   `again`, `payment.scheduled` for schedules.
//! - **`channel_key` on `customer_save`** (§9 q5): not enforced; when absent the channel chosen by
//!   `pg` (or the default) stands in, as legacy SDKs send none.
//! - **Partial cancel status** (§9 q6): stays `paid` (with `cancel_amount` increased);
//!   `cancelled` only when nothing remains. `checksum` must equal the remaining amount, else
//!   `code: 1` (HTTP 200). Cancelling more than remains, a failed or fully cancelled payment:
//!   `code: 1`. Unknown payment: HTTP 200, `code: 1`, `취소할 결제건이 존재하지 않습니다.` (per the
//!   official SDK's test, not 404).
//! - **Duplicate `merchant_uid`** (§9 q7): see above.
//! - **`again` on an unknown `customer_uid`**: HTTP 200, `code: 1`, `등록되지 않은 구매자입니다.`
//!   (HTTP status unobserved; `schedule`'s sibling case is 200).
//! - **Business refusals** are HTTP 200 + `code: 1`, PG-specific missing fields 400 (as the INICIS
//!   "상품명이 필수" case); refused card data `code: -1`.
//! - **`sandbox` field**: `false`: the emulated channels behave as live channels, so
//!   `include_sandbox` changes nothing.
//! - **Schedules**: `currency` defaults to `KRW` when omitted (older clients omit it though the
//!   spec requires it); `schedule_at` must be in the future (400), a value in milliseconds is
//!   accepted as i'mport does (it lands in the far future); a new schedule replaces a revoked or
//!   failed one with the same `merchant_uid`; `checking_amount` is ignored; PUT only on pending
//!   schedules, reschedule/retry only on failed or revoked ones (400 otherwise); the range query
//!   spans at most 92 days; deleting a key leaves its schedules, which then fail with
//!   `등록되지 않은 구매자입니다.` and send no webhook. By-customer schedule queries take
//!   `from`/`to`/`schedule-status` (SPEC spelling only).
//! - **Paged lists** (`{total, previous, next, list}`): 20 per page by default, `limit` 1–1000;
//!   `findAll` with no match is 404 (SPEC declares it).
//! - **KRW amounts** must be whole numbers; every amount must be positive.
//! - **Smart routing** (`channelGroupId`, `channel_group_id`) is not emulated: ignored on
//!   `onetime`, refused (`code: 1`) on `customer_save`.
//! - **`user_agent`** of a payment echoes the request's `User-Agent`.
//! - **One merchant**: every credential pair sees the same data; tokens are per `imp_key`.
//! - **Absent values** are sent as `null` (real traffic), although the generated types skip `None`
//!   when serializing: the sandbox keeps its own `null`s after round-tripping through them.

#![warn(missing_docs)]
#![recursion_limit = "256"]

mod advance;
mod app;
pub mod cards;
pub mod channels;
mod clock;
mod conn_io;
mod decode;
pub mod faults;
mod ops;
mod request_log;
mod server;
mod store;
mod webhook;

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

pub use advance::{AdvanceError, ExecutedSchedule, MAX_ADVANCE_SECONDS};
pub use app::{ADMIN_HEADER, ADMIN_PREFIX, MAX_BODY_BYTES};
pub use channels::{Channel, Channels, PgRules};
pub use faults::{Fault, FaultRule};
pub use request_log::{REQUEST_LOG_CAPACITY, RequestRecord};
pub use webhook::{RetryPolicy, WebhookBody, WebhookDelivery};

use app::{App, Config};
pub use ops::PAYMENTWALL_NO_KEY_WITHOUT_PAYMENT;
use server::ServerThread;

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
        let reply = crate::app::fuzz_request(op_id, content_type, body);
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
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Accepts one more `imp_key`/`imp_secret` pair (the default pairs stay accepted).
    pub fn credentials(
        mut self,
        imp_key: impl Into<String>,
        imp_secret: impl Into<String>,
    ) -> Self {
        self.credentials.push((imp_key.into(), imp_secret.into()));
        self
    }

    /// Makes PAYMENTWALL the merchant's only (and so default) channel.
    pub fn paymentwall_only(mut self) -> Self {
        self.channels = Channels::paymentwall_only();
        self
    }

    /// The "console" webhook URL, used when a payment or schedule has no `notice_url`. It must
    /// be `http://` to a loopback host (the only place the sandbox delivers to), else
    /// [`SandboxBuilder::start`] fails.
    pub fn webhook_url(mut self, url: impl Into<String>) -> Self {
        self.webhook_url = Some(url.into());
        self
    }

    /// How webhooks are retried (default: 5 attempts, 200 ms doubling).
    pub fn webhook_retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// How often pending schedules are checked against the clock as real time passes
    /// (default 1 s; [`Sandbox::advance_clock`] runs them at once anyway).
    pub fn tick(mut self, tick: Duration) -> Self {
        self.tick = tick.max(Duration::from_millis(10));
        self
    }

    /// The header-read timeout (default [`HEADER_READ_TIMEOUT`]; at least 10 ms).
    pub fn header_read_timeout(mut self, timeout: Duration) -> Self {
        self.limits.header_read_timeout = timeout.max(Duration::from_millis(10));
        self
    }

    /// The idle timeout of a connection (default [`IDLE_TIMEOUT`]; at least 10 ms).
    pub fn idle_timeout(mut self, timeout: Duration) -> Self {
        self.limits.idle_timeout = timeout.max(Duration::from_millis(10));
        self
    }

    /// The most connections open at once (default [`MAX_CONNECTIONS`]; at least 1).
    pub fn max_connections(mut self, max: usize) -> Self {
        self.limits.max_connections = max.max(1);
        self
    }

    /// How many requests the request log keeps (default [`REQUEST_LOG_CAPACITY`]; at least 1).
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
            && !webhook::is_loopback_url(url)
        {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "webhook URL `{}` refused: the sandbox delivers webhooks only over http:// to a loopback host (127.0.0.1, [::1], localhost)",
                    app::excerpt(url, 200)
                ),
            ));
        }
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)))?;
        let addr = listener.local_addr()?;
        let webhooks = webhook::Webhooks::start(self.retry);
        let app = Arc::new(App::new(
            Config {
                credentials: self.credentials,
                channels: self.channels,
                webhook_url: self.webhook_url,
                request_log_capacity: self.request_log_capacity,
            },
            webhooks,
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
        self.app.clock.now()
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

    /// Executes the schedules that are due now.
    pub fn run_due_schedules(&self) -> Vec<ExecutedSchedule> {
        advance::typed(ops::run_due_schedules(&self.app))
    }

    /// The requests served so far (API operations and unknown paths, not admin endpoints),
    /// oldest first; at most the newest [`REQUEST_LOG_CAPACITY`] (see
    /// [`SandboxBuilder::request_log_capacity`]).
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.app.requests.since(0).0
    }

    /// Arms a fault.
    pub fn inject_fault(&self, rule: FaultRule) {
        app::lock(&self.app.faults).add(rule);
    }

    /// Disarms every fault.
    pub fn clear_faults(&self) {
        app::lock(&self.app.faults).clear();
    }

    /// The webhooks queued so far and what became of them.
    pub fn webhooks(&self) -> Vec<WebhookDelivery> {
        self.app.webhooks.deliveries()
    }

    /// Waits (at most `timeout`) until no webhook delivery is pending, then returns the log.
    pub fn wait_for_webhooks(&self, timeout: Duration) -> Vec<WebhookDelivery> {
        self.app.webhooks.wait_idle(timeout)
    }

    /// Blocks until the server stops (for the binary; it serves until the process ends).
    pub fn wait(mut self) {
        self.server.join();
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        self.server.stop();
        self.app.webhooks.stop();
    }
}
