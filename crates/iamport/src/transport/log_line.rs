//! What the client's log lines say about a request: never a URL, a query, a body or a header.

/// ` merchant_uid=…` for a log line, formatted only when the line is written.
pub(super) struct MerchantUid<'a>(pub(super) Option<&'a str>);

impl std::fmt::Display for MerchantUid<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(m) => write!(f, " merchant_uid={m}"),
            None => Ok(()),
        }
    }
}

/// A transport error's short description for a log line (no URL, so no query values).
pub(super) fn transport_kind(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(t) => format!("timeout ({t:?})"),
        ureq::Error::Io(e) => format!("io error ({:?})", e.kind()),
        ureq::Error::HostNotFound => "host not found".to_owned(),
        ureq::Error::ConnectionFailed => "connection failed".to_owned(),
        ureq::Error::BadUri(_) => "bad URI".to_owned(),
        other => other.to_string(),
    }
}
