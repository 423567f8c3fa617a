//! Every operation of the spec through the real client: a stub's answer decodes into the
//! operation's generated response type; an operation the sandbox does not emulate answers a
//! 4xx, never a 5xx.

mod every_operation;
mod not_emulated;
mod sample;
