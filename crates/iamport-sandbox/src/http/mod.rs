//! Layer 1, HTTP: the hyper server and its limits, routing, the envelope, the admin endpoints,
//! faults, the request log and the dashboard. It turns requests into calls of the operation
//! table (layer 2, [`crate::ops`]) and answers; nothing below it imports it.

mod admin;
pub(crate) mod app;
mod conn_io;
#[cfg(feature = "dashboard")]
pub(crate) mod dashboard;
mod dispatch;
pub mod faults;
mod limits;
mod reply;
pub(crate) mod request;
pub(crate) mod request_log;
pub(crate) mod routing;
pub(crate) mod server;
mod stub_admin;
pub(crate) mod stubs;

pub use admin::ADMIN_HEADER;
pub use app::App;
pub use request::MAX_BODY_BYTES;
pub use routing::ADMIN_PREFIX;
