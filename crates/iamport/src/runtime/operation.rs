//! What a generated method hands to the transport: the operation's static description
//! ([`OperationSpec`]) and this call's path, query and body ([`HttpRequest`]).

use serde::de::DeserializeOwned;
use std::fmt;

/// An HTTP method used by the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// What an operation does to money; decides retries and how the response is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// A read (`GET`): safe to retry on transport errors and 5xx.
    Read,
    /// Any other write: never retried automatically.
    Write,
    /// Charges a card (`x-iamport-payment: charge`): only `status == "paid"` is success, a
    /// `failed` payment is a decline, and a lost response is an unknown outcome.
    Charge,
    /// Issues a payment the buyer completes later (`x-iamport-payment: ready`: a virtual account,
    /// a convenience-store slip): `ready` (or `paid`) is success, `failed` a decline, and a lost
    /// response an unknown outcome. Issuing a virtual account is not a decline.
    Ready,
    /// Cancels a payment (`x-iamport-payment: cancel`).
    Cancel,
}

/// The static description of one operation of the spec (generated, one `const` per operation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationSpec {
    /// The spec's `operationId`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/subscribe/customers/{customer_uid}`.
    pub path: &'static str,
    /// Whether the operation needs an access token (the spec's `security` is not empty).
    pub requires_auth: bool,
    /// What the operation does (see [`OperationKind`]).
    pub kind: OperationKind,
    /// Whether i'mport answers an unknown billing key or customer on this operation with HTTP 200
    /// and a non-zero `code` (a refusal) rather than a 404 (spec extension
    /// `x-iamport-not-found-on-refusal`; the official Python SDK's tests expect
    /// `code: 1` with HTTP 200 for `customer_view`, `customer_delete`, `again` and `schedule`).
    /// The client may then report such a refusal as not-found.
    pub not_found_on_refusal: bool,
    /// How a `code: 0` answer says the work behind it succeeded, when i'mport's `code` alone does
    /// not (spec extension `x-iamport-success`): PAYMENTWALL's delivery registration answers
    /// `response.success == 1` on success and `response.error_code` / `error` otherwise. Any
    /// other answer is [`Error::PgRefused`](crate::Error::PgRefused).
    pub success: Option<SuccessField>,
}

/// The field of `response` (and its value) that marks success ([`OperationSpec::success`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SuccessField {
    /// The field's name in `response`, e.g. `success`.
    pub field: &'static str,
    /// Its value on success, e.g. `1`.
    pub value: i64,
}

/// One call's concrete request, built by a generated `to_http` after validation:
/// `HttpRequest::new(path).query(..).json(self)`.
///
/// Its `Debug` masks the values of secret query pairs (added with [`HttpRequest::query_secret`]).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct HttpRequest {
    /// The path with its parameters filled in and percent-encoded.
    pub path: String,
    /// Query pairs in order; array parameters repeat their name.
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, if the operation has one. It may hold card data: never log it.
    pub body: Option<Vec<u8>>,
    /// The request's `merchant_uid`, for charges (reported in an unknown outcome).
    pub merchant_uid: Option<String>,
    /// Names of the query pairs whose values are secrets (e.g. `pg_api_key`): masked in `Debug`.
    pub secret_query: Vec<&'static str>,
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let query: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(name, value)| match self.secret_query.contains(name) {
                true => (*name, "[REDACTED]"),
                false => (*name, value.as_str()),
            })
            .collect();
        f.debug_struct("HttpRequest")
            .field("path", &self.path)
            .field("query", &query)
            .field("body", &self.body.as_ref().map(|b| b.len()))
            .field("merchant_uid", &self.merchant_uid)
            .finish_non_exhaustive()
    }
}

impl HttpRequest {
    /// A request to `path` (its parameters already percent-encoded), with no query or body.
    pub fn new(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            ..Self::default()
        }
    }

    /// Adds the query pair `name=value`.
    #[must_use]
    pub fn query(mut self, name: &'static str, value: impl fmt::Display) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    /// Adds one `name=value` pair per value: none for a `None`, one per item of a list.
    #[must_use]
    pub fn query_each<V: fmt::Display>(
        mut self,
        name: &'static str,
        values: impl IntoIterator<Item = V>,
    ) -> Self {
        self.query
            .extend(values.into_iter().map(|value| (name, value.to_string())));
        self
    }

    /// Adds the query pair `name=value` for a secret (none for a `None`): sent as is, its value
    /// masked in this request's `Debug`.
    #[must_use]
    pub fn query_secret(mut self, name: &'static str, value: Option<&super::Secret>) -> Self {
        if let Some(value) = value {
            self.query.push((name, value.expose().to_owned()));
            self.secret_query.push(name);
        }
        self
    }

    /// Records the request's `merchant_uid`, which an unknown outcome reports.
    #[must_use]
    pub fn merchant_uid(mut self, merchant_uid: Option<&str>) -> Self {
        self.merchant_uid = merchant_uid.map(str::to_owned);
        self
    }

    /// Sets `body`, serialized as JSON; fails only when it cannot be encoded.
    pub fn json<T: serde::Serialize + ?Sized>(mut self, body: &T) -> Result<Self, crate::Error> {
        self.body = Some(json_body(body)?);
        Ok(self)
    }
}

/// The spec's rules on a request-side type, checked before anything is sent. Generated for
/// every request-side struct; an error names the field and the rule, never the value.
pub trait Validate {
    /// Checks the spec's rules (`Ok` for a type that has none).
    fn validate(&self) -> Result<(), crate::ValidationError> {
        Ok(())
    }
}

/// A request type of the spec: it knows its operation, its response type, its rules (through
/// [`Validate`]) and how it goes on the wire. Generated for every operation (`ChargeBillingKeyRequest`,
/// `GetBillingKeyRequest`, ...), including those of a spec expanded by `api!` in another crate.
///
/// Send one with [`Client::send`](crate::Client::send) (`client.send(&request)`); each
/// operation's own method (`client.charge_billing_key(&request)`) is that call.
pub trait Request: Validate {
    /// The decoded `response` of i'mport's envelope.
    type Response: DeserializeOwned;
    /// The operation this request calls.
    const OPERATION: &'static OperationSpec;
    /// This call's path, query and body. Fails only when the body cannot be encoded.
    fn to_http(&self) -> Result<HttpRequest, crate::Error>;
}

/// The transport a generated `Api` runs on: sends one operation and decodes the envelope's
/// `response` into `T`. [`crate::Client`] implements it.
pub trait Execute {
    /// Sends `request` for `operation` and returns the decoded `response` of the envelope.
    fn execute<T: DeserializeOwned>(
        &self,
        operation: &'static OperationSpec,
        request: HttpRequest,
    ) -> Result<T, crate::Error>;

    /// Validates and sends any generated request, returning its typed response: nothing is
    /// sent when validation fails.
    fn send<R: Request>(&self, request: &R) -> Result<R::Response, crate::Error> {
        request.validate()?;
        self.execute(R::OPERATION, request.to_http()?)
    }
}

/// Percent-encodes one path segment (everything but RFC 3986 unreserved characters).
pub fn encode_path_segment(segment: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(segment, SET).to_string()
}

/// Serializes a request body as JSON bytes.
pub fn json_body<T: serde::Serialize + ?Sized>(body: &T) -> Result<Vec<u8>, crate::Error> {
    serde_json::to_vec(body).map_err(crate::Error::encode)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_segments_are_encoded() {
        assert_eq!(encode_path_segment("order 1/2"), "order%201%2F2");
        assert_eq!(encode_path_segment("cust_1-a.b~c"), "cust_1-a.b~c");
    }
}
