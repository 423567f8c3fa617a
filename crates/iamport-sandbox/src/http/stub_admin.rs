//! The admin endpoints of stubs: `/__sandbox/stubs` (register, list, remove),
//! `/__sandbox/received` and `/__sandbox/operations` (see `docs/stubs.md`).

use std::collections::VecDeque;

use serde::Deserialize;
use serde_json::{Value, json};

use super::app::App;
use super::reply::Answer;
use super::stubs::{StubReply, operation_named};
use crate::decode;
use crate::ops::ApiError;

/// A reply as the admin API takes it: `{status, body}`, or `{status, code, message, response}`
/// for an envelope (`status` 200 and `code` 0 by default).
#[derive(Deserialize)]
struct ReplySpec {
    status: Option<u16>,
    body: Option<Value>,
    code: Option<i64>,
    message: Option<String>,
    response: Option<Value>,
}

impl ReplySpec {
    fn into_reply(self) -> Result<StubReply, ApiError> {
        let status = self.status.unwrap_or(200);
        if !(200..=599).contains(&status) {
            return Err(ApiError::bad_request(
                "`status` must be between 200 and 599",
            ));
        }
        Ok(match self.body {
            Some(body) => StubReply::raw(status, body),
            None => StubReply::envelope(
                status,
                self.code.unwrap_or(0),
                self.message,
                self.response.unwrap_or(Value::Null),
            ),
        })
    }
}

/// `POST /__sandbox/stubs`: `{operation, reply}` (answers every request) or
/// `{operation, replies: [..]}` (each once, then the sandbox answers as usual).
#[derive(Deserialize)]
struct StubSpec {
    operation: String,
    reply: Option<ReplySpec>,
    replies: Option<Vec<ReplySpec>>,
}

/// `?operation=` of the stub endpoints.
#[derive(Deserialize)]
struct Filter {
    operation: Option<String>,
}

impl App {
    /// Answers `/__sandbox/stubs`, `/__sandbox/received` and `/__sandbox/operations`.
    pub(super) fn stub_admin(&self, method: &str, sub: &str, input: Value) -> Answer {
        match (method, sub) {
            ("POST", "/stubs") => {
                let spec: StubSpec = decode::decode(input)?;
                let operation = operation_named(&spec.operation)?;
                let (replies, repeat) = match (spec.reply, spec.replies) {
                    (Some(one), None) => (vec![one], true),
                    (None, Some(many)) if !many.is_empty() => (many, false),
                    _ => {
                        return Err(ApiError::bad_request(
                            "give either `reply` (answers every request) or a non-empty `replies` (each answers one request, in order)",
                        ));
                    }
                };
                let replies = replies
                    .into_iter()
                    .map(ReplySpec::into_reply)
                    .collect::<Result<VecDeque<_>, _>>()?;
                self.stubs.set(operation, replies, repeat);
                Ok((200, json!({ "stubbed": operation.operation_id })))
            }
            ("GET", "/stubs") => Ok((200, self.stubs.listing())),
            ("DELETE", "/stubs") => {
                let filter: Filter = decode::decode(input)?;
                match filter.operation {
                    Some(id) => self
                        .stubs
                        .set(operation_named(&id)?, VecDeque::new(), false),
                    None => self.stubs.clear(false),
                }
                Ok((200, json!({ "cleared": true })))
            }
            ("GET", "/received") => {
                let filter: Filter = decode::decode(input)?;
                let operation = filter
                    .operation
                    .as_deref()
                    .map(operation_named)
                    .transpose()?;
                let received: Vec<Value> = self
                    .stubs
                    .received(operation)
                    .into_iter()
                    .map(|(id, input)| json!({ "operation": id, "input": input }))
                    .collect();
                Ok((200, Value::Array(received)))
            }
            _ => Ok((200, self.operations_listing())),
        }
    }

    /// `GET /__sandbox/operations`: every operation of the spec, whether the sandbox emulates
    /// it and whether it has a stub.
    fn operations_listing(&self) -> Value {
        Value::Array(
            iamport::operations::ALL
                .iter()
                .map(|op| {
                    json!({
                        "operation": op.operation_id,
                        "method": op.method.as_str(),
                        "path": op.path,
                        "emulated": crate::ops::handler(op).is_some_and(|h| h.emulated),
                        "stubbed": self.stubs.is_stubbed(op),
                    })
                })
                .collect(),
        )
    }
}
