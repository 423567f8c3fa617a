//! Hygiene: user types named like std's (`Option`, `String`, `Result`, `Vec`, `Box`, `Some`)
//! beside an `api!` call do not reach into the generated modules.

#![allow(dead_code, non_camel_case_types)]

mod billing {
    pub struct Option;
    pub struct String;
    pub struct Result;
    pub struct Vec;
    pub struct Box;
    pub struct Some;
    pub struct Error;
    pub struct Default;

    iamport_macros::api!("specs/iamport.json");
}

use billing::types::{ChargeBillingKeyRequest, PaymentStatus};
use iamport::runtime::{Request, Validate};

fn main() {
    let again = ChargeBillingKeyRequest::new("customer_1", "order_1", 8900, "Monthly plan");
    assert!(again.validate().is_ok());
    let http = again.to_http().expect("encodes");
    assert_eq!(http.path, "/subscribe/payments/again");
    assert_eq!(http.merchant_uid.as_deref(), std::option::Option::Some("order_1"));
    assert_eq!(<ChargeBillingKeyRequest as Request>::OPERATION.operation_id, "again");
    assert_eq!("paid".parse::<PaymentStatus>(), Ok(PaymentStatus::Paid));
}
