//! [`Execute`] for [`Client`]: tokens, the 401 refresh-and-repeat, read retries, the envelope,
//! and the judgement of charges.
//!
//! The parts, each used only from here (data flows one way, no module imports this one):
//! [`body`] reads a bounded body, [`judge`](mod@judge) turns an answer into a value or the right error,
//! [`outcome`] decides when a failure leaves money unknown, [`pg_success`] reads a PG's verdict
//! inside a `code: 0` answer, [`log_line`] formats log lines.

mod body;
mod judge;
mod log_line;
mod outcome;
mod pg_success;

pub use judge::decode_answer;

use crate::client::{Client, ClientBuilder};
use crate::error::Error;
use crate::masking;
use crate::runtime::{Execute, HttpRequest, Method, OperationKind, OperationSpec, Request, Secret};
use crate::token::{Fetched, Token};
use crate::types;
use body::{Raw, read_bounded};
use judge::judge;
use log_line::{MerchantUid, transport_kind};
use outcome::transport_failure;
use serde::de::DeserializeOwned;
use std::sync::Arc;
use std::time::Instant;

#[doc(hidden)]
impl Execute for Client {
    /// Sends one operation and decodes the envelope's `response`.
    ///
    /// * Authenticated operations get a cached token (see [`crate::Client`]); on HTTP 401 the
    ///   token is refreshed once and the request repeated once.
    /// * [`OperationKind::Read`] operations are attempted up to
    ///   [`read_attempts`](crate::ClientBuilder::read_attempts) times on transport errors and
    ///   5xx, with exponential backoff. Nothing else is ever repeated.
    /// * [`OperationKind::Charge`]: only `status == "paid"` is `Ok`; `failed` is
    ///   [`Error::Declined`], any other status [`Error::NotPaid`]; a failure after the request
    ///   may have reached i'mport (transport, any 5xx, an undecodable or oversized 2xx) is
    ///   [`Error::OutcomeUnknown`].
    /// * [`OperationKind::Cancel`]: a `failed` status is [`Error::Declined`]; a lost answer is
    ///   [`Error::CancelOutcomeUnknown`].
    fn execute<T: DeserializeOwned>(
        &self,
        operation: &'static OperationSpec,
        request: HttpRequest,
    ) -> Result<T, Error> {
        let attempts = if operation.kind == OperationKind::Read {
            self.inner.read_attempts
        } else {
            1
        };
        let mut backoff = self.inner.retry_backoff;
        let mut attempt = 1;
        loop {
            let outcome = self.exchange(operation, &request)?;
            let retryable = match &outcome {
                Err(_) => true,
                Ok(raw) => raw.status >= 500,
            };
            if retryable && attempt < attempts {
                log::warn!(
                    target: "iamport",
                    "{} {}: attempt {attempt} of {attempts} failed ({}); retrying in {} ms",
                    operation.method.as_str(),
                    request.path,
                    match &outcome {
                        Ok(raw) => format!("HTTP {}", raw.status),
                        Err(e) => e.to_string(),
                    },
                    backoff.as_millis(),
                );
                std::thread::sleep(backoff);
                backoff = backoff.saturating_mul(2);
                attempt += 1;
                continue;
            }
            return match outcome {
                Err(source) => Err(transport_failure(operation, &request, source)),
                Ok(raw) => judge(operation, &request, raw),
            };
        }
    }
}

impl Client {
    /// The current access token, fetched (single-flight) when none is cached or it is due.
    fn token(&self) -> Result<Token, Error> {
        self.inner.tokens.get(|| {
            let request = types::IssueTokenRequest {
                imp_key: self.inner.imp_key.clone(),
                imp_secret: self.inner.imp_secret.clone(),
            };
            let token = self.issue_token(&request)?;
            Ok(Fetched {
                token: token.access_token,
                server_now: token.now.unix_seconds(),
                server_expired_at: token.expired_at.unix_seconds(),
            })
        })
    }

    /// One exchange with its token, repeated once after a 401 with a refreshed token.
    ///
    /// The outer `Err` is a failure before the request was sent (the token could not be
    /// fetched); the inner one a transport failure of the request itself.
    fn exchange(
        &self,
        operation: &'static OperationSpec,
        request: &HttpRequest,
    ) -> Result<Result<Raw, ureq::Error>, Error> {
        if !operation.requires_auth {
            return Ok(self.send_once(operation, request, None));
        }
        let token = self.token()?;
        match self.send_once(operation, request, Some(&token.value)) {
            Ok(raw) if raw.status == 401 => {
                self.inner.tokens.invalidate(token.generation);
                let fresh = self.token()?;
                log::info!(
                    target: "iamport",
                    "{} {}: HTTP 401, token refreshed, repeating once",
                    operation.method.as_str(),
                    request.path
                );
                Ok(self.send_once(operation, request, Some(&fresh.value)))
            }
            other => Ok(other),
        }
    }

    /// Sends the request once and reads the whole body. Logs method, path, status, duration and
    /// `merchant_uid`: never the body, the query or a header.
    fn send_once(
        &self,
        operation: &'static OperationSpec,
        request: &HttpRequest,
        token: Option<&Arc<Secret>>,
    ) -> Result<Raw, ureq::Error> {
        let started = Instant::now();
        let result = self.send_unlogged(operation, request, token);
        let millis = started.elapsed().as_millis();
        // Nothing below allocates unless a logger takes the line (the `log` macros check the
        // level before formatting, and `MerchantUid` formats lazily).
        let merchant_uid = MerchantUid(request.merchant_uid.as_deref());
        let method = operation.method.as_str();
        let path = &request.path;
        match &result {
            Ok(raw) if raw.status < 400 => log::debug!(
                target: "iamport",
                "{method} {path} -> {} in {millis} ms{merchant_uid}",
                raw.status
            ),
            Ok(raw) => log::info!(
                target: "iamport",
                "{method} {path} -> {} in {millis} ms{merchant_uid}",
                raw.status
            ),
            Err(e) => log::warn!(
                target: "iamport",
                "{method} {path} -> transport error after {millis} ms{merchant_uid}: {}",
                transport_kind(e)
            ),
        }
        result
    }

    fn send_unlogged(
        &self,
        operation: &'static OperationSpec,
        request: &HttpRequest,
        token: Option<&Arc<Secret>>,
    ) -> Result<Raw, ureq::Error> {
        let mut url = String::with_capacity(self.inner.base_url.len() + request.path.len() + 64);
        url.push_str(&self.inner.base_url);
        url.push_str(&request.path);
        push_query_string(&mut url, &request.query);
        let agent = &self.inner.agent;
        // ureq only ever sees placeholders: see `masking`.
        let mask_token_answer =
            operation.operation_id == crate::types::IssueTokenRequest::OPERATION.operation_id;
        let (_armed, placeholders) =
            masking::arm(token, request.body.as_deref(), mask_token_answer);
        macro_rules! with_auth {
            ($builder:expr) => {{
                let builder = $builder;
                match &placeholders.authorization {
                    Some(value) => builder.header("Authorization", value.as_str()),
                    None => builder,
                }
            }};
        }
        let body = placeholders.body.as_deref();
        let mut response = match (operation.method, body) {
            (Method::Get, _) => with_auth!(agent.get(&url)).call()?,
            (Method::Delete, None) => with_auth!(agent.delete(&url)).call()?,
            (Method::Delete, Some(body)) => with_auth!(agent.delete(&url))
                .force_send_body()
                .content_type("application/json")
                .send(body)?,
            (Method::Post, Some(body)) => with_auth!(agent.post(&url))
                .content_type("application/json")
                .send(body)?,
            (Method::Put, Some(body)) => with_auth!(agent.put(&url))
                .content_type("application/json")
                .send(body)?,
            (Method::Post, None) => with_auth!(agent.post(&url)).send_empty()?,
            (Method::Put, None) => with_auth!(agent.put(&url)).send_empty()?,
        };
        let status = response.status().as_u16();
        let limit = if (200..=299).contains(&status) {
            self.inner.max_response_bytes
        } else {
            ClientBuilder::MAX_ERROR_BODY_BYTES
        };
        let mut raw = read_bounded(status, response.body_mut(), limit)?;
        // The access token came through ureq masked (see `masking`): put it back for decoding,
        // or refuse the answer (an empty body does not decode) rather than hand out the mask.
        if mask_token_answer && !masking::restore_token(&mut raw.body) {
            raw.body.clear();
        }
        Ok(raw)
    }
}

/// Appends `?a=1&b=2`, every key and value percent-encoded (or nothing).
fn push_query_string(out: &mut String, query: &[(&'static str, String)]) {
    for (i, (key, value)) in query.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(&crate::runtime::encode_path_segment(key));
        out.push('=');
        out.push_str(&crate::runtime::encode_path_segment(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query_string(query: &[(&'static str, String)]) -> String {
        let mut out = String::new();
        push_query_string(&mut out, query);
        out
    }

    #[test]
    fn query_strings_encode_keys_and_values() {
        assert_eq!(query_string(&[]), "");
        assert_eq!(
            query_string(&[
                ("customer_uid[]", "a b".into()),
                ("customer_uid[]", "c&d".into())
            ]),
            "?customer_uid%5B%5D=a%20b&customer_uid%5B%5D=c%26d"
        );
    }
}
