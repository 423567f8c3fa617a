//! The state layer: what the sandbox remembers and the machinery beside it, below the operations
//! and above the leaves (see "Layers" in the crate docs): the indexed records (`store`), the
//! sandbox clock, the webhook queue and its delivery thread, the test-card table and the
//! channels. Its modules import none of the layers above.

pub mod cards;
pub mod channels;
pub(crate) mod clock;
pub(crate) mod store;
pub(crate) mod webhook;
