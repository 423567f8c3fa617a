//! Reading a response body up to a limit, never allocating more than the limit.

/// A response that arrived: its status and its body, read up to a limit.
pub(super) struct Raw {
    pub(super) status: u16,
    /// The body, or its first bytes when `truncated`.
    pub(super) body: Vec<u8>,
    /// The body was longer than the limit for its status (see [`read_bounded`]).
    pub(super) truncated: bool,
    /// The limit that applied.
    pub(super) limit: u64,
}

/// Reads at most `limit` bytes of a body (one more to notice a longer one), never allocating
/// more than `limit + 1` bytes whatever `Content-Length` says. A longer body is left unread: ureq
/// then closes the connection instead of returning it to the pool.
pub(super) fn read_bounded(
    status: u16,
    body: &mut ureq::Body,
    limit: u64,
) -> Result<Raw, ureq::Error> {
    use std::io::Read as _;
    let cap = limit.saturating_add(1);
    let expected = body.content_length().unwrap_or(8 * 1024).min(cap);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    body.with_config()
        .limit(u64::MAX)
        .reader()
        .take(cap)
        .read_to_end(&mut bytes)
        // `From` unwraps ureq errors the reader wrapped in `io::Error` (e.g. a passed deadline).
        .map_err(ureq::Error::from)?;
    let truncated = bytes.len() as u64 > limit;
    if truncated {
        bytes.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    }
    Ok(Raw {
        status,
        body: bytes,
        truncated,
        limit,
    })
}
