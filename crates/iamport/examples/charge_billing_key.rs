//! A later charge on a stored billing key: `charge_billing_key` (the monthly renewal of a
//! subscription; i'mport's `again`).
//!
//! `cargo run -p iamport --example charge_billing_key` runs it against the embedded sandbox,
//! where it first stores a key with a paid `charge_card` + `customer_uid`. With `IAMPORT_API_KEY` /
//! `IAMPORT_API_SECRET` set it charges the key named by `IAMPORT_EXAMPLE_CUSTOMER_UID` on the real
//! API (1,004 KRW).

mod common;

use iamport::types::{ChargeBillingKeyRequest, ChargeCardRequest};
use iamport::{Amount, Error, Reconciled};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::setup()?;
    let customer_uid = if setup.live() {
        std::env::var("IAMPORT_EXAMPLE_CUSTOMER_UID")
            .map_err(|_| "IAMPORT_EXAMPLE_CUSTOMER_UID is not set")?
    } else {
        // The sandbox starts empty: issue a key with a first payment.
        let card = common::card(false)?;
        let customer_uid = "customer-7".to_owned();
        setup.client.charge_card(&ChargeCardRequest {
            customer_uid: Some(customer_uid.clone()),
            birth: Some(card.birth.into()),
            pwd_2digit: Some(card.pwd_2digit.into()),
            name: Some("Monthly plan, first month".into()),
            ..ChargeCardRequest::new(
                common::order_id("sub-7-first"),
                Amount::from(8900),
                card.number,
                card.expiry,
            )
        })?;
        customer_uid
    };

    let renewal = ChargeBillingKeyRequest::new(
        customer_uid,
        common::order_id("sub-7-renewal"),
        Amount::from(if setup.live() { 1004 } else { 8900 }),
        "Monthly plan",
    );
    match setup.client.charge_billing_key(&renewal) {
        Ok(payment) => println!("paid {} (imp_uid {})", payment.amount, payment.imp_uid),
        Err(Error::Declined { fail_reason, .. }) => {
            // Tell the customer; retry another day (a new merchant_uid, or the same one: a
            // merchant_uid whose attempts all failed may be charged again).
            println!("declined: {}", fail_reason.unwrap_or_default())
        }
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => {
            // Never charge again blindly: find out what happened first.
            match setup.client.reconcile(&merchant_uid)? {
                Reconciled::Paid(payment) => println!("charged after all: {}", payment.imp_uid),
                other => println!("not charged: {other:?}"),
            }
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
