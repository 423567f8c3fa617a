//! DOCS_PLACEHOLDER

#![warn(missing_docs)]
#![recursion_limit = "256"]

mod app;
pub mod cards;
pub mod channels;
mod clock;
mod decode;
pub mod faults;
mod ops;
mod server;
mod store;
mod webhook;

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

pub use app::ADMIN_PREFIX;
pub use channels::{Channel, Channels, PgRules};
pub use faults::{Fault, FaultRule};
pub use webhook::{RetryPolicy, WebhookBody, WebhookDelivery};

use app::{App, Config};
use server::ServerThread;

/// i'mport's public test REST API key: the sandbox's default `imp_key`.
pub const TEST_API_KEY: &str = "imp_apikey";
/// The sandbox's default `imp_secret` (a sandbox value, not i'mport's published test secret).
pub const TEST_API_SECRET: &str = "sandboxSecretForImpApikeyOnly";

/// Options for [`Sandbox::builder`].
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    port: u16,
    credentials: Vec<(String, String)>,
    channels: Channels,
    webhook_url: Option<String>,
    retry: RetryPolicy,
    tick: Duration,
}

impl Default for SandboxBuilder {
    fn default() -> Self {
        SandboxBuilder {
            port: 0,
            credentials: vec![(TEST_API_KEY.to_owned(), TEST_API_SECRET.to_owned())],
            channels: Channels::standard(),
            webhook_url: None,
            retry: RetryPolicy::default(),
            tick: Duration::from_secs(1),
        }
    }
}

impl SandboxBuilder {
    /// The port on 127.0.0.1 (0, the default, picks a free one).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Accepts one more `imp_key`/`imp_secret` pair (the test pair stays accepted).
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

    /// The "console" webhook URL, used when a payment or schedule has no `notice_url`.
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

    /// Binds 127.0.0.1 and starts serving on a background thread.
    pub fn start(self) -> io::Result<Sandbox> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, self.port)))?;
        let addr = listener.local_addr()?;
        let webhooks = webhook::Webhooks::start(self.retry);
        let app = Arc::new(App::new(
            Config {
                credentials: self.credentials,
                channels: self.channels,
                webhook_url: self.webhook_url,
            },
            webhooks,
        ));
        let server = server::spawn(Arc::clone(&app), listener, self.tick)?;
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

    /// Moves the sandbox clock forward and executes the schedules that fell due (their webhooks
    /// are queued). Returns one JSON object per executed schedule
    /// (`merchant_uid`, `imp_uid`, `payment_status`, `fail_reason`).
    pub fn advance_clock(&self, by: Duration) -> Vec<serde_json::Value> {
        let seconds = i64::try_from(by.as_secs()).unwrap_or(i64::MAX / 4);
        self.app.advance(seconds)
    }

    /// Executes the schedules that are due now.
    pub fn run_due_schedules(&self) -> Vec<serde_json::Value> {
        ops::run_due_schedules(&self.app)
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
