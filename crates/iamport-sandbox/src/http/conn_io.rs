//! The socket as hyper sees it: counts the bytes it reads (for the idle timeout) and turns the
//! bodyless answers hyper writes on its own for unparsable requests (400, 414, 431) into the
//! `{code, message, response}` envelope.
//!
//! hyper answers a request it cannot parse itself, before any service runs, with a status line
//! and no body. Every answer the sandbox's service writes carries a `content-type` header, so a
//! response head written without one is hyper's own; it is replaced, as it is written, by the same
//! status with the envelope and `connection: close` (hyper closes the connection after it anyway).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, ready};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::reply;

/// A stream wrapper; see the module docs.
pub(crate) struct ConnIo<S> {
    inner: S,
    bytes_read: Arc<AtomicU64>,
    /// Replacement bytes still to be written to `inner`.
    pending: Vec<u8>,
    written: usize,
}

impl<S> ConnIo<S> {
    /// Wraps `inner`; `bytes_read` counts every byte read from it.
    pub(crate) fn new(inner: S, bytes_read: Arc<AtomicU64>) -> Self {
        ConnIo {
            inner,
            bytes_read,
            pending: Vec::new(),
            written: 0,
        }
    }
}

/// The envelope answer that replaces hyper's own bodyless error answer `head`, if it is one.
pub(crate) fn replacement(head: &[u8]) -> Option<Vec<u8>> {
    let rest = head.strip_prefix(b"HTTP/1.1 ")?;
    let end = head.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head_text = std::str::from_utf8(&head[..end]).ok()?;
    if head_text
        .lines()
        .any(|l| l.to_ascii_lowercase().starts_with("content-type:"))
    {
        return None;
    }
    let status: u16 = std::str::from_utf8(rest.get(..3)?).ok()?.parse().ok()?;
    let (reason, message) = match status {
        400 => (
            "Bad Request",
            "malformed HTTP request (request line, header or framing)".to_owned(),
        ),
        414 => (
            "URI Too Long",
            format!(
                "request target too long (at most {} bytes)",
                super::limits::MAX_URI_BYTES
            ),
        ),
        431 => (
            "Request Header Fields Too Large",
            format!(
                "request header fields too large (at most {} headers, {} bytes in all)",
                super::limits::MAX_HEADERS,
                super::limits::MAX_HEAD_BYTES
            ),
        ),
        _ => return None,
    };
    let body = reply::envelope(-1, Some(&message), &serde_json::Value::Null);
    let mut out = format!(
        "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json; charset=UTF-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(&body);
    Some(out)
}

impl<S: AsyncWrite + Unpin> ConnIo<S> {
    /// Writes what remains of a replacement answer.
    fn drain(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while self.written < self.pending.len() {
            let n =
                ready!(Pin::new(&mut self.inner).poll_write(cx, &self.pending[self.written..]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.written += n;
        }
        self.pending.clear();
        self.written = 0;
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for ConnIo<S> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        ready!(Pin::new(&mut this.inner).poll_read(cx, buf))?;
        let n = buf.filled().len().saturating_sub(before);
        this.bytes_read
            .fetch_add(u64::try_from(n).unwrap_or(u64::MAX), Ordering::Relaxed);
        Poll::Ready(Ok(()))
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for ConnIo<S> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        if let Some(answer) = replacement(buf) {
            this.pending = answer;
            this.written = 0;
            // The original bytes count as written; the replacement goes out on the next
            // write, flush or shutdown.
            let _ = this.drain(cx)?;
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drain(cx))?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bodyless_error_heads_are_replaced() {
        let hyper_431 =
            b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: x\r\n\r\n";
        let out = String::from_utf8(replacement(hyper_431).unwrap()).unwrap();
        assert!(out.starts_with("HTTP/1.1 431 "), "{out}");
        let body = &out[out.find("\r\n\r\n").unwrap() + 4..];
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["code"], -1);
        assert!(v["response"].is_null());
        assert!(out.contains(&format!("content-length: {}\r\n", body.len())));
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json; charset=UTF-8\r\ncontent-length: 2\r\n\r\n{}";
        assert!(replacement(ours).is_none());
        assert!(replacement(b"{\"code\":0}").is_none());
        assert!(replacement(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
    }
}
