//! PLACEHOLDER until `cargo xtask codegen` writes the generated API.
pub mod types {}
pub mod operations {}
pub trait Api: ::iamport::runtime::Execute {}
impl<T: ::iamport::runtime::Execute + ?Sized> Api for T {}
