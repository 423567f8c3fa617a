//! The merchant the operations run on ([`Core`]: its options, clock, store and webhook queue)
//! and what a call may read beyond its fields ([`Call`]): a leaf that every operation module
//! imports, importing none of them.

use std::sync::Mutex;

use crate::state::channels::Channels;
use crate::state::clock::Clock;
use crate::state::store::Store;
use crate::state::webhook::{WebhookBody, Webhooks};
use crate::support::lock;

/// Options fixed at start.
#[derive(Debug, Clone)]
pub struct Config {
    /// Accepted `(imp_key, imp_secret)` pairs.
    pub credentials: Vec<(String, String)>,
    /// The merchant's channels, the default first.
    pub channels: Channels,
    /// Where webhooks go when a payment or schedule names no `notice_url`.
    pub webhook_url: Option<String>,
}

/// One emulated merchant: its configuration, the sandbox clock, the store and the webhook
/// queue. The operations run on it; the HTTP layer owns it.
pub struct Core {
    /// Options fixed at start.
    pub config: Config,
    /// The sandbox clock.
    pub clock: Clock,
    /// Everything recorded, under one lock.
    pub store: Mutex<Store>,
    /// The webhook queue and its delivery log.
    pub webhooks: Webhooks,
}

/// What an operation may read of the request beyond its decoded fields.
#[derive(Debug, Clone, Copy, Default)]
pub struct Call<'a> {
    /// The request's `User-Agent` (a payment echoes it).
    pub user_agent: Option<&'a str>,
}

impl Core {
    /// A merchant with an empty store.
    pub fn new(config: Config, webhooks: Webhooks) -> Self {
        Core {
            config,
            clock: Clock::default(),
            store: Mutex::new(Store::new()),
            webhooks,
        }
    }

    /// Queues a webhook to `url` (or the configured default URL).
    pub fn notify(&self, url: Option<&str>, body: WebhookBody) {
        let url = url
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .or_else(|| self.config.webhook_url.clone());
        if let Some(url) = url {
            self.webhooks.enqueue(url, body, self.clock.now());
        }
    }

    /// Whether `token` is a valid access token now.
    pub fn token_valid(&self, token: &str) -> bool {
        let now = self.clock.now();
        lock(&self.store).token_valid(token, now)
    }

    /// Forgets every payment, billing key and schedule; access tokens, the clock and the
    /// webhook log stay.
    pub fn forget_records(&self) {
        let mut store = lock(&self.store);
        let tokens = std::mem::take(&mut store.tokens);
        let current_tokens = std::mem::take(&mut store.current_tokens);
        *store = Store::new();
        store.tokens = tokens;
        store.current_tokens = current_tokens;
    }
}
