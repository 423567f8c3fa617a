//! Spec problems, each located by a JSON pointer, reported several at once.

use std::fmt;

/// One problem in the spec, at a JSON pointer such as `#/paths/~1users~1getToken/post`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// Where in the document (JSON pointer, `#` for the root).
    pub pointer: String,
    /// What is wrong and, where possible, how to fix it.
    pub message: String,
}

impl SpecError {
    /// A problem at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        SpecError {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)
    }
}

/// Everything wrong with a spec: parsing or validating it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file is not JSON.
    #[error("the spec is not valid JSON: {0} (the spec must be an OpenAPI 3.0 document in JSON)")]
    Json(#[source] serde_json::Error),
    /// The document breaks rules of OpenAPI 3.0 or of this generator.
    #[error("{} problem{} in the spec:\n{}", .0.len(), if .0.len() == 1 { "" } else { "s" }, list(.0))]
    Invalid(Vec<SpecError>),
}

fn list(errors: &[SpecError]) -> String {
    errors
        .iter()
        .map(|e| format!("  - {e}"))
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// The individual spec problems (empty for a JSON error).
    pub fn problems(&self) -> &[SpecError] {
        match self {
            Error::Invalid(list) => list,
            _ => &[],
        }
    }
}

/// Escapes one JSON-pointer token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `pointer` + `/token`, escaped.
pub fn join(pointer: &str, token: &str) -> String {
    format!("{pointer}/{}", escape_token(token))
}
