//! hyper's limits on a request head, shared by the server that sets them and the connection
//! wrapper that answers when a request breaks them.

/// hyper's fixed limit on the request target (`414 URI Too Long` beyond it).
pub(crate) const MAX_URI_BYTES: usize = u16::MAX as usize - 1;
/// The most header fields in a request (`431` beyond it).
pub(crate) const MAX_HEADERS: usize = 100;
/// The largest request head (request line and headers), in bytes (`431` beyond it).
pub(crate) const MAX_HEAD_BYTES: usize = 96 * 1024;
