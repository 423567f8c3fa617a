//! Keeps secrets out of ureq's own logs: a transport layer that puts them on the wire **below**
//! ureq's protocol layer.
//!
//! At `trace` level, ureq's protocol crate (`ureq-proto`) logs every byte it writes and reads as
//! hex rows: the request head (`Authorization: Bearer <token>`), request bodies (`imp_secret`,
//! card numbers) and response bodies (`getToken`'s `access_token`). ureq offers no setting to
//! turn that off, and a `log` filter is not enough: the user may install any logger at any
//! level. So the protocol layer never sees a secret:
//!
//! * the token is handed to ureq as `Bearer ****…` (same length), the request body as `****…`
//!   (same length, so `Content-Length` holds); [`MaskingTransport`], the last layer of the
//!   connector chain (above TLS, below ureq's protocol layer), writes the real bytes into the
//!   outgoing buffer after ureq logged it;
//! * in `getToken`'s answer, the `access_token` value is replaced by `*`s as the bytes arrive,
//!   before ureq's protocol layer reads (and logs) them; the real characters are kept aside for
//!   this thread and put back into the answer by [`restore_token`], before it is decoded.
//!
//! What to substitute is set per call, for the calling thread ([`arm`]): ureq runs a call's I/O
//! on the thread that made the call (the resolver aside, which never sees a secret).

use crate::runtime::Secret;
use secrecy::zeroize::{Zeroize, Zeroizing};
use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;
use ureq::unversioned::transport::{
    Buffers, ConnectionDetails, Connector, LazyBuffers, NextTimeout, Transport,
};

/// The byte that stands for a secret byte in what ureq sees.
pub(crate) const MASK: u8 = b'*';

thread_local! {
    /// The secrets of the exchange running on this thread, if any.
    static CURRENT: RefCell<Option<Exchange>> = const { RefCell::new(None) };
    /// The `access_token` bytes taken out of the last `getToken` answer on this thread.
    static CAPTURED: RefCell<Zeroizing<Vec<u8>>> = RefCell::new(Zeroizing::new(Vec::new()));
}

/// What one exchange substitutes.
struct Exchange {
    /// The real token, for the `Bearer ****` placeholder of the request head.
    token: Option<Arc<Secret>>,
    /// The real request body, for the same-length placeholder body (wiped when dropped).
    body: Option<Zeroizing<Vec<u8>>>,
    /// Where the outgoing stream is.
    phase: Phase,
    /// Whether to take the `access_token` out of the answer.
    scan: Option<TokenScan>,
}

enum Phase {
    /// In the request head: look for the token placeholder and the blank line.
    Head,
    /// In the body: `sent` body bytes already replaced.
    Body { sent: usize },
}

/// Removes the exchange from this thread when the call is over (also on panic).
pub(crate) struct Armed(());

impl Drop for Armed {
    fn drop(&mut self) {
        CURRENT.with_borrow_mut(|current| *current = None);
    }
}

/// What ureq is given instead of the secrets: the `Authorization` value and the body.
pub(crate) struct Placeholders {
    /// `Bearer ****…`, when the call has a token.
    pub(crate) authorization: Option<String>,
    /// `****…`, as long as the real body.
    pub(crate) body: Option<Vec<u8>>,
}

/// Registers the secrets of the call about to run on this thread and returns what ureq sends
/// instead. `mask_token_answer` takes the `access_token` out of the answer (`getToken`).
pub(crate) fn arm(
    token: Option<&Arc<Secret>>,
    body: Option<&[u8]>,
    mask_token_answer: bool,
) -> (Armed, Placeholders) {
    let placeholders = Placeholders {
        authorization: token.map(|t| {
            let mut value = String::with_capacity(7 + t.expose().len());
            value.push_str("Bearer ");
            value.extend(std::iter::repeat_n(MASK as char, t.expose().len()));
            value
        }),
        body: body.map(|b| vec![MASK; b.len()]),
    };
    if mask_token_answer {
        CAPTURED.with_borrow_mut(|captured| captured.zeroize());
    }
    let exchange = Exchange {
        token: token.cloned(),
        body: body.map(|b| Zeroizing::new(b.to_vec())),
        phase: Phase::Head,
        scan: mask_token_answer.then(TokenScan::default),
    };
    CURRENT.with_borrow_mut(|current| *current = Some(exchange));
    (Armed(()), placeholders)
}

/// Puts the `access_token` characters taken out of the last `getToken` answer on this thread
/// back into that answer's `body`, as read through ureq (with `*` where they were), so that the
/// caller decodes the real token. `false` when they do not fit (a token that itself holds `*`,
/// or an answer split in a way the scan could not follow); the body is then left as it was.
pub(crate) fn restore_token(body: &mut [u8]) -> bool {
    let captured = CAPTURED.with_borrow_mut(|c| std::mem::replace(c, Zeroizing::new(Vec::new())));
    let mut positions = Vec::with_capacity(captured.len());
    let mut scan = TokenScan::default();
    for (i, byte) in body.iter().enumerate() {
        if scan.step(*byte) && *byte == MASK {
            positions.push(i);
        }
    }
    if positions.len() != captured.len() {
        return false;
    }
    for (i, real) in positions.into_iter().zip(captured.iter()) {
        body[i] = *real;
    }
    true
}

impl Exchange {
    /// Replaces the placeholders in outgoing bytes (after ureq logged them).
    fn unmask_output(&mut self, out: &mut [u8]) {
        let mut at = 0;
        if let Phase::Head = self.phase {
            let head_end = find(out, b"\r\n\r\n").map(|i| i + 4);
            let head_len = head_end.unwrap_or(out.len());
            let head = &mut out[..head_len];
            if let Some(token) = &self.token {
                let secret = token.expose().as_bytes();
                if let Some(i) = find_placeholder(head, secret.len()) {
                    head[i..i + secret.len()].copy_from_slice(secret);
                }
            }
            match head_end {
                Some(end) => {
                    self.phase = Phase::Body { sent: 0 };
                    at = end;
                }
                None => return,
            }
        }
        if let (Phase::Body { sent }, Some(body)) = (&mut self.phase, &self.body) {
            let rest = &mut out[at..];
            let n = rest.len().min(body.len() - *sent);
            rest[..n].copy_from_slice(&body[*sent..*sent + n]);
            *sent += n;
        }
    }

    /// Takes the `access_token` out of incoming bytes (before ureq reads them).
    fn mask_input(&mut self, input: &mut [u8]) {
        if let Some(scan) = &mut self.scan {
            CAPTURED.with_borrow_mut(|captured| scan.run(input, captured));
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `Bearer ` followed by `len` masks: where the masks start.
fn find_placeholder(head: &[u8], len: usize) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find(&head[from..], b"Bearer ") {
        let start = from + i + 7;
        if head.len() >= start + len && head[start..start + len].iter().all(|b| *b == MASK) {
            return Some(start);
        }
        from = start;
    }
    None
}

/// A streaming scan for the value of `"access_token"` in a JSON answer, across reads.
#[derive(Default)]
struct TokenScan {
    state: ScanState,
}

#[derive(Default)]
enum ScanState {
    /// Matched this many bytes of `"access_token"`.
    #[default]
    Key,
    Matched(usize),
    /// After the key: expecting `:`.
    Colon,
    /// After the colon: expecting the opening quote.
    Quote,
    /// Inside the value.
    Value,
    /// Done (or given up).
    Done,
}

const KEY: &[u8] = b"\"access_token\"";

impl TokenScan {
    fn run(&mut self, input: &mut [u8], captured: &mut Vec<u8>) {
        for byte in input.iter_mut() {
            if self.step(*byte) && (byte.is_ascii_alphanumeric() || b"-_.~+/=".contains(byte)) {
                captured.push(*byte);
                *byte = MASK;
            }
        }
    }

    /// Moves the scan over `byte`; `true` when `byte` is inside the token's value.
    fn step(&mut self, byte: u8) -> bool {
        self.state = match std::mem::take(&mut self.state) {
            ScanState::Key => Self::key(0, byte),
            ScanState::Matched(n) => Self::key(n, byte),
            ScanState::Colon => match byte {
                b':' => ScanState::Quote,
                b if b.is_ascii_whitespace() => ScanState::Colon,
                _ => ScanState::Key,
            },
            ScanState::Quote => match byte {
                b'"' => ScanState::Value,
                b if b.is_ascii_whitespace() => ScanState::Quote,
                _ => ScanState::Key,
            },
            ScanState::Value => match byte {
                b'"' | b'\r' | b'\n' => ScanState::Done,
                _ => {
                    self.state = ScanState::Value;
                    return true;
                }
            },
            ScanState::Done => ScanState::Done,
        };
        false
    }

    fn key(matched: usize, byte: u8) -> ScanState {
        if byte == KEY[matched] {
            if matched + 1 == KEY.len() {
                ScanState::Colon
            } else {
                ScanState::Matched(matched + 1)
            }
        } else if byte == KEY[0] {
            ScanState::Matched(1)
        } else {
            ScanState::Key
        }
    }
}

/// The last connector of the chain: wraps every connection in a [`MaskingTransport`].
#[derive(Debug)]
pub(crate) struct MaskingConnector;

impl Connector<Box<dyn Transport>> for MaskingConnector {
    type Out = Box<dyn Transport>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<Box<dyn Transport>>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        Ok(chained.map(|inner| {
            let buffers = LazyBuffers::new(
                details.config.input_buffer_size(),
                details.config.output_buffer_size(),
            );
            Box::new(MaskingTransport { inner, buffers }) as Box<dyn Transport>
        }))
    }
}

/// A connection whose protocol-side buffers hold placeholders only (see the module docs).
pub(crate) struct MaskingTransport {
    inner: Box<dyn Transport>,
    /// What ureq's protocol layer reads and writes (and logs).
    buffers: LazyBuffers,
}

impl fmt::Debug for MaskingTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MaskingTransport")
            .field("inner", &self.inner)
            .finish_non_exhaustive()
    }
}

impl Transport for MaskingTransport {
    fn buffers(&mut self) -> &mut dyn Buffers {
        &mut self.buffers
    }

    fn transmit_output(&mut self, amount: usize, timeout: NextTimeout) -> Result<(), ureq::Error> {
        let mut done = 0;
        while done < amount {
            let out = self.inner.buffers().output();
            let n = out.len().min(amount - done);
            out[..n].copy_from_slice(&self.buffers.output()[done..done + n]);
            CURRENT.with_borrow_mut(|current| {
                if let Some(exchange) = current {
                    exchange.unmask_output(&mut out[..n]);
                }
            });
            self.inner.transmit_output(n, timeout)?;
            done += n;
        }
        Ok(())
    }

    fn await_input(&mut self, timeout: NextTimeout) -> Result<bool, ureq::Error> {
        // Wait until the inner transport has bytes (a layer may make progress without any,
        // e.g. TLS records that carry no data) or reports none.
        while self.inner.buffers().input().is_empty() {
            if !self.inner.await_input(timeout)? {
                return Ok(false);
            }
        }
        let src = self.inner.buffers().input();
        let dst = self.buffers.input_append_buf();
        let n = src.len().min(dst.len());
        dst[..n].copy_from_slice(&src[..n]);
        CURRENT.with_borrow_mut(|current| {
            if let Some(exchange) = current {
                exchange.mask_input(&mut dst[..n]);
            }
        });
        self.buffers.input_appended(n);
        self.inner.buffers().input_consume(n);
        Ok(n > 0)
    }

    fn is_open(&mut self) -> bool {
        self.inner.is_open()
    }

    fn is_tls(&self) -> bool {
        self.inner.is_tls()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_taken_out_of_an_answer_split_anywhere() {
        let answer = br#"HTTP/1.1 200 OK\r\n\r\n{"code":0,"response":{"access_token" : "c659d285aa0c97e", "now":1}}"#;
        for split in 0..answer.len() {
            let mut bytes = answer.to_vec();
            let mut scan = TokenScan::default();
            let mut captured = Vec::new();
            let (a, b) = bytes.split_at_mut(split);
            scan.run(a, &mut captured);
            scan.run(b, &mut captured);
            let text = String::from_utf8(bytes).unwrap();
            assert!(
                text.contains(r#""access_token" : "***************""#),
                "{text}"
            );
            assert_eq!(captured, b"c659d285aa0c97e");
        }
    }

    #[test]
    fn placeholders_are_replaced_in_the_head_and_the_body() {
        let token = Arc::new(Secret::new("tok-123"));
        let (_armed, placeholders) = arm(Some(&token), Some(b"{\"s\":1}"), false);
        let mut wire = format!(
            "POST / HTTP/1.1\r\nauthorization: {}\r\n\r\n",
            placeholders.authorization.unwrap()
        )
        .into_bytes();
        wire.extend(placeholders.body.unwrap());
        // ureq writes a request head into the output buffer in one piece; the body may follow
        // in the same piece or in later ones.
        let split = wire.len() - 3;
        let (head, body) = wire.split_at_mut(split);
        CURRENT.with_borrow_mut(|c| {
            let exchange = c.as_mut().unwrap();
            exchange.unmask_output(head);
            exchange.unmask_output(body);
        });
        let text = String::from_utf8(wire).unwrap();
        assert!(text.contains("authorization: Bearer tok-123\r\n"), "{text}");
        assert!(text.ends_with("\r\n\r\n{\"s\":1}"), "{text}");
    }

    #[test]
    fn restore_puts_the_token_back_in_order_or_refuses() {
        CAPTURED.with_borrow_mut(|c| *c = Zeroizing::new(b"ab1".to_vec()));
        let mut body = br#"{"code":0,"response":{"access_token":"***","now":1}}"#.to_vec();
        assert!(restore_token(&mut body));
        assert_eq!(
            body,
            br#"{"code":0,"response":{"access_token":"ab1","now":1}}"#
        );
        CAPTURED.with_borrow_mut(|c| *c = Zeroizing::new(b"a".to_vec()));
        let mut short = br#"{"access_token":"**"}"#.to_vec();
        assert!(!restore_token(&mut short));
        assert_eq!(short, br#"{"access_token":"**"}"#);
    }
}
