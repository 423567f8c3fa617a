//! Stubs: canned answers a test registers for any operation (one answer for every request, or a
//! sequence), and the inputs the sandbox received, secrets masked. Used from Rust through
//! `Sandbox::stub` and over HTTP through `/__sandbox/stubs`, `/__sandbox/received` and
//! `/__sandbox/operations` (see `docs/stubs.md`).

use std::collections::VecDeque;
use std::sync::Mutex;

use iamport::runtime::OperationSpec;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::reply::Reply;
use crate::ops::ApiError;
use crate::support::{excerpt, lock};

/// How many received inputs are kept (all operations together); older ones are dropped first.
pub const RECEIVED_CAPACITY: usize = 1000;

/// A canned answer: the HTTP status and the JSON body sent as is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StubReply {
    /// The HTTP status.
    pub status: u16,
    /// The body, usually i'mport's envelope `{code, message, response}`.
    pub body: Value,
}

impl StubReply {
    /// HTTP 200 with the envelope `{code: 0, message: null, response}`; a `response` that
    /// cannot be encoded as JSON is sent as `null`.
    pub fn ok(response: impl Serialize) -> Self {
        StubReply::envelope(
            200,
            0,
            None,
            serde_json::to_value(response).unwrap_or(Value::Null),
        )
    }

    /// The envelope `{code, message, response: null}` with `status`: a refusal as i'mport sends
    /// it (e.g. `refusal(200, 1, "...")` for a business failure, `refusal(404, -1, "...")`).
    pub fn refusal(status: u16, code: i64, message: impl Into<String>) -> Self {
        StubReply::envelope(status, code, Some(message.into()), Value::Null)
    }

    /// Any envelope.
    pub fn envelope(status: u16, code: i64, message: Option<String>, response: Value) -> Self {
        StubReply {
            status,
            body: json!({ "code": code, "message": message, "response": response }),
        }
    }

    /// Any JSON body, not necessarily an envelope (to test how a client copes with a body
    /// i'mport should not send).
    pub fn raw(status: u16, body: Value) -> Self {
        StubReply { status, body }
    }

    fn to_reply(&self) -> Reply {
        Reply {
            status: self.status,
            body: serde_json::to_vec(&self.body).unwrap_or_default(),
            headers: Vec::new(),
            merchant_uid: None,
            envelope: (
                self.body.get("code").and_then(Value::as_i64).unwrap_or(0),
                self.body
                    .get("message")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
            ),
        }
    }
}

/// The stubs of one operation.
#[derive(Debug, Clone, Serialize)]
struct Stub {
    #[serde(serialize_with = "operation_id")]
    operation: &'static OperationSpec,
    replies: VecDeque<StubReply>,
    /// Whether the last reply answers every further request (else the stub is removed when its
    /// replies are used up).
    repeat: bool,
}

fn operation_id<S: serde::Serializer>(op: &&OperationSpec, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(op.operation_id)
}

/// One input received, secrets masked.
#[derive(Debug, Clone)]
struct Received {
    operation: &'static OperationSpec,
    input: Value,
}

/// The registered stubs and the received inputs.
#[derive(Debug, Default)]
pub(crate) struct Stubs {
    stubs: Mutex<Vec<Stub>>,
    received: Mutex<VecDeque<Received>>,
}

impl Stubs {
    /// Registers `replies` for `operation`, replacing its earlier stub.
    pub(crate) fn set(
        &self,
        operation: &'static OperationSpec,
        replies: VecDeque<StubReply>,
        repeat: bool,
    ) {
        let mut stubs = lock(&self.stubs);
        stubs.retain(|s| s.operation != operation);
        if !replies.is_empty() {
            stubs.push(Stub {
                operation,
                replies,
                repeat,
            });
        }
    }

    /// Removes every stub; with `received`, forgets the received inputs too.
    pub(crate) fn clear(&self, received: bool) {
        lock(&self.stubs).clear();
        if received {
            lock(&self.received).clear();
        }
    }

    /// Whether `operation` has a stub.
    pub(crate) fn is_stubbed(&self, operation: &OperationSpec) -> bool {
        lock(&self.stubs).iter().any(|s| s.operation == operation)
    }

    /// Records `input` for `operation` (secrets masked), then takes its next canned reply.
    pub(crate) fn receive(
        &self,
        operation: &'static OperationSpec,
        input: &Map<String, Value>,
    ) -> Option<Reply> {
        let mut input = Value::Object(input.clone());
        mask(&mut input);
        {
            let mut received = lock(&self.received);
            if received.len() >= RECEIVED_CAPACITY {
                received.pop_front();
            }
            received.push_back(Received { operation, input });
        }
        let mut stubs = lock(&self.stubs);
        let at = stubs.iter().position(|s| s.operation == operation)?;
        let stub = &mut stubs[at];
        if stub.repeat && stub.replies.len() == 1 {
            return stub.replies.front().map(StubReply::to_reply);
        }
        let reply = stub.replies.pop_front().map(|r| r.to_reply());
        if stub.replies.is_empty() {
            stubs.remove(at);
        }
        reply
    }

    /// The inputs received for `operation` (every operation when `None`), oldest first.
    pub(crate) fn received(&self, operation: Option<&OperationSpec>) -> Vec<(&'static str, Value)> {
        lock(&self.received)
            .iter()
            .filter(|r| operation.is_none_or(|op| r.operation == op))
            .map(|r| (r.operation.operation_id, r.input.clone()))
            .collect()
    }

    /// The stubs registered, as `GET /__sandbox/stubs` lists them.
    pub(crate) fn listing(&self) -> Value {
        serde_json::to_value(&*lock(&self.stubs)).unwrap_or(Value::Null)
    }
}

/// Replaces the value of every secret field of the spec (`iamport::operations::SECRET_FIELDS`),
/// at any depth, by `"***"`.
fn mask(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                if iamport::operations::SECRET_FIELDS.contains(&key.as_str()) {
                    *v = Value::String("***".to_owned());
                } else {
                    mask(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

/// The operation of the spec whose `operationId` is `id`.
pub(crate) fn operation_named(id: &str) -> Result<&'static OperationSpec, ApiError> {
    iamport::operations::ALL
        .iter()
        .copied()
        .find(|o| o.operation_id == id)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "unknown operation `{}` (use an operationId of the spec; GET /__sandbox/operations lists them)",
                excerpt(id, 60)
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_at_any_depth() {
        let mut v = json!({ "card_number": "4242", "x": [{ "cvc": "123", "imp_uid": "i" }] });
        mask(&mut v);
        assert_eq!(
            v,
            json!({ "card_number": "***", "x": [{ "cvc": "***", "imp_uid": "i" }] })
        );
    }

    #[test]
    fn a_sequence_is_used_up_and_a_single_reply_repeats() {
        let stubs = Stubs::default();
        let op = iamport::operations::ALL[0];
        let input = Map::new();
        stubs.set(
            op,
            [StubReply::refusal(500, -1, "a"), StubReply::ok(1)].into(),
            false,
        );
        assert_eq!(stubs.receive(op, &input).map(|r| r.status), Some(500));
        assert_eq!(stubs.receive(op, &input).map(|r| r.status), Some(200));
        assert!(stubs.receive(op, &input).is_none());
        stubs.set(op, [StubReply::ok(2)].into(), true);
        for _ in 0..3 {
            assert_eq!(stubs.receive(op, &input).map(|r| r.status), Some(200));
        }
        assert_eq!(stubs.received(Some(op)).len(), 6);
    }
}
