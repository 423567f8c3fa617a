//! The refusal of an operation: an HTTP status, i'mport's `code` and a message naming the field.

use crate::decode::DecodeError;

/// An error answered with the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The envelope's `code`.
    pub code: i64,
    /// The envelope's `message`.
    pub message: String,
}

impl ApiError {
    fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    /// HTTP 400 (missing or ill-formed parameter).
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError::new(400, -1, message)
    }
    /// HTTP 401.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError::new(401, -1, message)
    }
    /// HTTP 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError::new(404, -1, message)
    }
    /// HTTP 404 with `code: 1` (an unknown billing key or schedule where the spec declares 404).
    pub fn not_found_refusal(message: impl Into<String>) -> Self {
        ApiError::new(404, 1, message)
    }
    /// HTTP 200 with `code: 1`: a business failure, as i'mport answers most of them.
    pub fn business(message: impl Into<String>) -> Self {
        ApiError::new(200, 1, message)
    }
    /// HTTP 200 with `code: -1`: card data refused by the PG.
    pub fn card_refused(message: impl Into<String>) -> Self {
        ApiError::new(200, -1, message)
    }
    /// HTTP 500: the sandbox's own failure (never a client's mistake).
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(500, -1, message)
    }
}

impl From<DecodeError> for ApiError {
    fn from(err: DecodeError) -> Self {
        ApiError::bad_request(err.0)
    }
}

impl From<iamport::ValidationError> for ApiError {
    fn from(err: iamport::ValidationError) -> Self {
        ApiError::bad_request(format!(
            "invalid parameter `{}`: {}",
            err.field(),
            err.rule()
        ))
    }
}
