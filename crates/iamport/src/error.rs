//! The one error type of the client. (Stub: the client-runtime issue completes it.)

use crate::runtime::ValidationError;

/// Everything that can go wrong in a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke a rule of the spec; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// A request body could not be encoded.
    #[error("could not encode the request body: {0}")]
    Encode(#[source] serde_json::Error),
}

impl Error {
    /// An encoding error.
    pub(crate) fn encode(err: serde_json::Error) -> Self {
        Error::Encode(err)
    }
}
