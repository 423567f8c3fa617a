//! The sandbox's integration tests, in one binary (the browser test is its own, `tests/browser`).

mod binary;
mod dashboard;
mod fidelity;
mod flows;
mod fuzz_entry;
mod layers;
mod server_limits;
mod stubs;
mod wire;
