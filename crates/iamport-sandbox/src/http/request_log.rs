//! The request log: what the sandbox served (operation, method, path, status, the envelope's
//! `code` and `message`, `merchant_uid`, times), never a body, a query string or a header, in a
//! ring buffer of bounded size.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::support::{excerpt, lock};

/// How many requests the log keeps by default; older ones are dropped first.
pub const REQUEST_LOG_CAPACITY: usize = 10_000;

/// One request the sandbox served (API operations and unknown paths; admin endpoints under
/// `/__sandbox/` are not recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestRecord {
    /// Position in the log: 1 for the first request served, increasing by one.
    pub seq: u64,
    /// The operation's `operationId`, when the path and method name one.
    pub operation_id: Option<&'static str>,
    /// The HTTP method.
    pub method: String,
    /// The path, without the query string (at most 200 characters).
    pub path: String,
    /// The HTTP status answered; `None` when the connection was closed without an answer
    /// (the `drop` fault).
    pub status: Option<u16>,
    /// The envelope's `code` answered (`0` success, `1` or `-1` a refusal, even with HTTP 200);
    /// `None` when no envelope was sent (no answer, or an injected 5xx).
    pub code: Option<i64>,
    /// The envelope's `message` (a refusal's reason; at most 200 characters).
    pub message: Option<String>,
    /// The request's `merchant_uid` (path, query or body), when it has a single one.
    pub merchant_uid: Option<String>,
    /// When it was served, on the sandbox clock (unix seconds).
    pub sandbox_time: i64,
    /// When it was served, on the machine's clock (unix milliseconds).
    pub wall_time_ms: u64,
}

/// The log itself.
#[derive(Debug)]
pub(crate) struct RequestLog {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    records: VecDeque<RequestRecord>,
    next_seq: u64,
}

/// What the server knows about a served request.
pub(crate) struct Served<'a> {
    pub(crate) operation_id: Option<&'static str>,
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) status: Option<u16>,
    /// The envelope's `code` and `message`, when one was sent.
    pub(crate) envelope: Option<(i64, Option<&'a str>)>,
    pub(crate) merchant_uid: Option<String>,
    pub(crate) sandbox_time: i64,
}

impl RequestLog {
    /// An empty log keeping at most `capacity` records (at least 1).
    pub(crate) fn new(capacity: usize) -> Self {
        RequestLog {
            capacity: capacity.max(1),
            inner: Mutex::default(),
        }
    }

    /// The most records kept.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// Appends a record, dropping the oldest one when full.
    pub(crate) fn record(&self, served: Served<'_>) {
        let wall_time_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
            .unwrap_or(0);
        let mut inner = lock(&self.inner);
        inner.next_seq = inner.next_seq.saturating_add(1);
        let record = RequestRecord {
            seq: inner.next_seq,
            operation_id: served.operation_id,
            method: excerpt(served.method, 16),
            path: excerpt(served.path, 200),
            status: served.status,
            code: served.envelope.map(|(code, _)| code),
            message: served
                .envelope
                .and_then(|(_, message)| message)
                .map(|m| excerpt(m, 200)),
            merchant_uid: served.merchant_uid.map(|m| excerpt(&m, 200)),
            sandbox_time: served.sandbox_time,
            wall_time_ms,
        };
        if inner.records.len() >= self.capacity {
            inner.records.pop_front();
        }
        inner.records.push_back(record);
    }

    /// Forgets every record (`seq` keeps counting).
    pub(crate) fn clear(&self) {
        lock(&self.inner).records.clear();
    }

    /// The records with `seq > after`, oldest first, and how many were ever recorded.
    pub(crate) fn since(&self, after: u64) -> (Vec<RequestRecord>, u64) {
        let inner = lock(&self.inner);
        let records = inner
            .records
            .iter()
            .filter(|r| r.seq > after)
            .cloned()
            .collect();
        (records, inner.next_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn served(path: &str) -> Served<'_> {
        Served {
            operation_id: Some("again"),
            method: "POST",
            path,
            status: Some(200),
            envelope: Some((0, None)),
            merchant_uid: Some("m1".into()),
            sandbox_time: 1,
        }
    }

    #[test]
    fn keeps_the_newest_records_up_to_its_capacity() {
        let log = RequestLog::new(3);
        for i in 0..5 {
            log.record(served(&format!("/p{i}")));
        }
        let (records, total) = log.since(0);
        assert_eq!(total, 5);
        let paths: Vec<&str> = records.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["/p2", "/p3", "/p4"]);
        assert_eq!(records[0].seq, 3);
        assert_eq!(log.since(4).0.len(), 1);
        assert!(records[0].wall_time_ms > 0);
    }
}
