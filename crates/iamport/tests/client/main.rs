//! `iamport`'s integration tests: the real [`iamport::Client`] against a loopback server
//! (`iamport-test-support`) that answers like i'mport, one module per concern.
//!
//! Three tests live in binaries of their own because each installs process-global
//! instrumentation that other tests in the same process would disturb: `memory.rs` (a counting
//! `#[global_allocator]`), `threads.rs` (`pthread_create` interposed) and `logging.rs` (the global
//! `log` logger).

mod delivery;
mod errors;
mod outcomes;
mod payments;
mod ready;
mod secrets;
mod settle;
mod tokens;
mod webhook;
