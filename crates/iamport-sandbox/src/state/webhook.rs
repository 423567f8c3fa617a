//! Webhook delivery: a worker thread POSTs `{imp_uid, merchant_uid, status}` (and
//! `cancellation_id` for cancellations) as JSON to the `notice_url` once, or, when configured,
//! again on the sandbox clock after network errors and 5xx answers; it keeps a log the tests read.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::support::lock;

/// The body of a V1 webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookBody {
    /// The payment's `imp_uid`.
    pub imp_uid: String,
    /// The payment's `merchant_uid`.
    pub merchant_uid: String,
    /// `paid`, `failed` or `cancelled`.
    pub status: String,
    /// The cancellation's id, for `cancelled` webhooks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cancellation_id: Option<String>,
}

/// What became of one webhook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WebhookDelivery {
    /// Where it was sent.
    pub url: String,
    /// What was sent.
    pub body: WebhookBody,
    /// How many attempts were made so far.
    pub attempts: u32,
    /// `true` once a 2xx answer arrived.
    pub delivered: bool,
    /// `true` while further attempts are planned.
    pub pending: bool,
    /// The last failure (HTTP status or transport error), if any.
    pub last_error: Option<String>,
}

/// Retry policy: `attempts` tries in total, `delay` apart on the sandbox clock.
///
/// i'mport sends a webhook once; resending (up to 5 more times, a minute apart, on network errors
/// and 5xx answers) is switched on by i'mport support on request. [`RetryPolicy::default`] is
/// the first (one attempt), [`RetryPolicy::iamport`] the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total attempts (at least 1).
    pub attempts: u32,
    /// Time between two attempts, on the sandbox clock (whole seconds; a retry goes out when
    /// the clock reaches it, as real time passes or [`crate::Sandbox::advance_clock`] moves it).
    pub delay: Duration,
}

impl Default for RetryPolicy {
    /// One attempt, no retry: how i'mport sends webhooks unless support switches resending on.
    fn default() -> Self {
        RetryPolicy {
            attempts: 1,
            delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// Resending as i'mport support switches it on: the first attempt and up to 5 more, 1 minute
    /// apart, after a network error or a 5xx answer.
    pub const fn iamport() -> Self {
        RetryPolicy {
            attempts: 6,
            delay: Duration::from_secs(60),
        }
    }
}

enum Message {
    /// Send entry `index` now; the sandbox clock reads the second value.
    Send(usize, i64),
    /// The sandbox clock reads this now: retries due by then go out.
    Clock(i64),
    Stop,
}

/// The shared log plus the worker's queue.
pub(crate) struct Webhooks {
    log: Arc<(Mutex<Vec<WebhookDelivery>>, Condvar)>,
    sender: Mutex<Sender<Message>>,
}

impl Webhooks {
    /// Starts the worker thread.
    pub(crate) fn start(policy: RetryPolicy) -> Self {
        let log: Arc<(Mutex<Vec<WebhookDelivery>>, Condvar)> = Arc::default();
        let (sender, receiver) = channel();
        let worker_log = Arc::clone(&log);
        let spawned = std::thread::Builder::new()
            .name("iamport-sandbox-webhooks".into())
            .spawn(move || worker(receiver, worker_log, policy));
        if let Err(err) = spawned {
            log::error!("could not start the webhook worker: {err}");
        }
        Webhooks {
            log,
            sender: Mutex::new(sender),
        }
    }

    /// Queues a webhook; `now` is the sandbox clock.
    pub(crate) fn enqueue(&self, url: String, body: WebhookBody, now: i64) {
        let index = {
            let mut log = lock(&self.log.0);
            log.push(WebhookDelivery {
                url,
                body,
                attempts: 0,
                delivered: false,
                pending: true,
                last_error: None,
            });
            log.len() - 1
        };
        let _ = lock(&self.sender).send(Message::Send(index, now));
    }

    /// Tells the worker the sandbox clock reads `now`: the retries due by then are sent.
    pub(crate) fn clock_moved(&self, now: i64) {
        let _ = lock(&self.sender).send(Message::Clock(now));
    }

    /// A copy of the log.
    pub(crate) fn deliveries(&self) -> Vec<WebhookDelivery> {
        lock(&self.log.0).clone()
    }

    /// Waits (at most `timeout`) until no delivery is pending; returns the log.
    pub(crate) fn wait_idle(&self, timeout: Duration) -> Vec<WebhookDelivery> {
        // A timeout too large for an `Instant` waits as long as a day (checked, never a panic).
        let start = Instant::now();
        let deadline = start
            .checked_add(timeout)
            .unwrap_or_else(|| start + Duration::from_secs(86_400));
        let mut log = lock(&self.log.0);
        while log.iter().any(|d| d.pending) {
            let now = Instant::now();
            if now >= deadline {
                break;
            }
            log = match self.log.1.wait_timeout(log, deadline - now) {
                Ok((guard, _)) => guard,
                Err(poisoned) => poisoned.into_inner().0,
            };
        }
        log.clone()
    }

    /// Stops the worker (pending retries are abandoned).
    pub(crate) fn stop(&self) {
        let _ = lock(&self.sender).send(Message::Stop);
    }
}

fn worker(
    receiver: Receiver<Message>,
    log: Arc<(Mutex<Vec<WebhookDelivery>>, Condvar)>,
    policy: RetryPolicy,
) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let delay = i64::try_from(policy.delay.as_secs()).unwrap_or(i64::MAX);
    // Retries due later on the sandbox clock: (due, index).
    let mut queue: BinaryHeap<Reverse<(i64, usize)>> = BinaryHeap::new();
    while let Ok(message) = receiver.recv() {
        let (now, mut due) = match message {
            Message::Stop => return,
            Message::Send(index, now) => (now, vec![index]),
            Message::Clock(now) => (now, Vec::new()),
        };
        while let Some(Reverse((at, index))) = queue.peek().copied()
            && at <= now
        {
            queue.pop();
            due.push(index);
        }
        for index in due {
            let (url, body, attempt) = {
                let log = lock(&log.0);
                let Some(entry) = log.get(index) else {
                    continue;
                };
                (entry.url.clone(), entry.body.clone(), entry.attempts + 1)
            };
            let outcome = deliver(&agent, &url, &body);
            let mut entries = lock(&log.0);
            if let Some(entry) = entries.get_mut(index) {
                entry.attempts = attempt;
                match outcome {
                    Ok(()) => {
                        entry.delivered = true;
                        entry.pending = false;
                        entry.last_error = None;
                    }
                    Err(err) => {
                        entry.last_error = Some(err.message);
                        if err.retry && attempt < policy.attempts.max(1) {
                            queue.push(Reverse((now.saturating_add(delay), index)));
                        } else {
                            entry.pending = false;
                        }
                    }
                }
            }
            log.1.notify_all();
        }
    }
}

struct DeliveryError {
    message: String,
    retry: bool,
}

fn deliver(agent: &ureq::Agent, url: &str, body: &WebhookBody) -> Result<(), DeliveryError> {
    if !is_loopback_url(url) {
        return Err(DeliveryError {
            message: "not sent: the sandbox delivers webhooks to loopback addresses only (http://127.0.0.1, http://localhost, http://[::1])".into(),
            retry: false,
        });
    }
    match agent.post(url).send_json(body) {
        Ok(response) if response.status().is_success() => Ok(()),
        // Only a 5xx answer (like a network error) is worth resending; a 4xx would answer the same.
        Ok(response) => Err(DeliveryError {
            message: format!("HTTP {}", response.status().as_u16()),
            retry: response.status().is_server_error(),
        }),
        Err(err) => Err(DeliveryError {
            message: err.to_string(),
            retry: true,
        }),
    }
}

/// Whether `url` is `http://` to a loopback host.
pub(crate) fn is_loopback_url(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return false;
    }
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    host.parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback() {
        assert!(is_loopback_url("http://127.0.0.1:8080/hook"));
        assert!(is_loopback_url("http://localhost/hook"));
        assert!(is_loopback_url("http://[::1]:9/x"));
        assert!(!is_loopback_url("http://example.com/hook"));
        assert!(!is_loopback_url("https://127.0.0.1/hook"));
        assert!(!is_loopback_url("http://127.0.0.1@evil.com/"));
        assert!(!is_loopback_url("http://10.0.0.1/"));
    }
}
