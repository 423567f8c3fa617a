//! [`Client::send`]: any request of the spec, validated and sent, without a trait in scope.

use crate::client::Client;
use crate::error::Error;
use crate::runtime::{Execute, Request};

impl Client {
    /// Validates and sends any request of the spec, returning its typed response: nothing is
    /// sent when validation fails. Every operation also has its own method (e.g.
    /// [`Client::charge_billing_key`]), which is this call.
    ///
    /// ```no_run
    /// use iamport::Client;
    /// use iamport::types::GetPaymentRequest;
    ///
    /// # fn main() -> Result<(), iamport::Error> {
    /// let client = Client::from_env()?;
    /// let payment = client.send(&GetPaymentRequest::new("imp_123456789012"))?;
    /// println!("{}: {}", payment.imp_uid, payment.status);
    /// # Ok(()) }
    /// ```
    pub fn send<R: Request>(&self, request: &R) -> Result<R::Response, Error> {
        Execute::send(self, request)
    }
}
