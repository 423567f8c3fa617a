//! A request with required fields cannot be built without them: there is no `Default` to fill
//! them in, and `new` takes every one.

use iamport::Amount;
use iamport::types::ChargeBillingKeyRequest;

fn main() {
    // `merchant_uid` left out of a struct literal: no `Default` supplies it.
    let _ = ChargeBillingKeyRequest {
        customer_uid: "customer-42".into(),
        amount: Amount::from(9900),
        name: "Monthly plan".into(),
        ..Default::default()
    };
    // `name` left out of `new`.
    let _ = ChargeBillingKeyRequest::new("customer-42", "order-1", Amount::from(9900));
}
