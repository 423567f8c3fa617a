//! The answer as the HTTP layer writes it: i'mport's envelope `{code, message, response}`.

use serde_json::Value;

use super::request::Incoming;
use crate::decode::numbers::Exact;
use crate::ops::ApiError;
use crate::support::excerpt;

/// One answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    /// Extra response headers (e.g. `allow` on a 405).
    pub headers: Vec<(&'static str, String)>,
    /// The request's `merchant_uid`, for the request log (not sent).
    pub merchant_uid: Option<String>,
    /// The envelope's `code` and `message` (`None` for a success's message), for the request
    /// log (they are in `body` too).
    pub envelope: (i64, Option<String>),
}

/// A successful answer: HTTP status and the envelope's `response`.
pub type Answer = Result<(u16, Value), ApiError>;

/// The envelope bytes. Numbers in `response` are written from their exact text (see
/// [`crate::decode::numbers`]).
pub fn envelope(code: i64, message: Option<&str>, response: &Value) -> Vec<u8> {
    #[derive(serde::Serialize)]
    struct Envelope<'a> {
        code: i64,
        message: Option<&'a str>,
        response: Exact<'a>,
    }
    serde_json::to_vec(&Envelope {
        code,
        message,
        response: Exact(response),
    })
    .unwrap_or_else(|_| b"{\"code\":-1,\"message\":\"encoding failed\",\"response\":null}".to_vec())
}

/// Turns an answer into a reply.
pub fn reply(answer: Answer) -> Reply {
    match answer {
        Ok((status, response)) => Reply {
            status,
            body: envelope(0, None, &response),
            headers: Vec::new(),
            merchant_uid: None,
            envelope: (0, None),
        },
        Err(err) => Reply {
            status: err.status,
            body: envelope(err.code, Some(&err.message), &Value::Null),
            headers: Vec::new(),
            merchant_uid: None,
            envelope: (err.code, Some(err.message)),
        },
    }
}

/// The 405 answer, with its `Allow` header.
pub fn method_not_allowed(req: &Incoming, allowed: &[&str]) -> Reply {
    let mut answer = reply(Err(ApiError {
        status: 405,
        code: -1,
        message: format!(
            "method {} not allowed on {}; allowed: {}",
            excerpt(&req.method, 10),
            excerpt(&req.path, 120),
            allowed.join(", ")
        ),
    }));
    answer.headers.push(("allow", allowed.join(", ")));
    answer
}
