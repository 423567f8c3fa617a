//! The sandbox's integration tests, in one binary (the browser test is its own, `tests/browser`).

#[cfg(feature = "cli")]
mod binary;
#[cfg(feature = "dashboard")]
mod dashboard;
mod features;
mod fidelity;
mod flows;
mod fuzz_entry;
mod layers;
mod server_limits;
mod stubs;
mod wire;
