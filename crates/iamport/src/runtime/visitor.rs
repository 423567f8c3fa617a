//! A walk over every request type of a spec, for code that must treat each operation generically
//! (a server that declares them all, a test that calls them all).

use serde::de::DeserializeOwned;

use super::Request;

/// Called once per operation of a spec, with its generated request type, by the generated
/// `operations::for_each_request`.
///
/// Because the request type is a type parameter, an implementation can build anything typed from
/// it (decode a body into it, send one, keep a function pointer instantiated for it) without
/// the spec's operations being listed by hand.
pub trait RequestVisitor {
    /// An operation whose request has input (path, query or body); its request type decodes from
    /// JSON.
    fn visit<R: Request + DeserializeOwned + 'static>(&mut self);

    /// An operation that takes no input; its request type is a unit struct.
    fn visit_without_input<R: Request + Default + 'static>(&mut self);
}
