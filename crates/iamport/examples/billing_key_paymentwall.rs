//! A billing key issued with a first payment, on PAYMENTWALL: `charge_card` with a `customer_uid`
//! charges the card and stores it under that id (PAYMENTWALL issues no key without a payment).
//!
//! `cargo run -p iamport --example billing_key_paymentwall` runs it against an embedded sandbox
//! whose merchant has only PAYMENTWALL. With `IAMPORT_API_KEY` / `IAMPORT_API_SECRET` set it
//! uses the real API and the card in `IAMPORT_EXAMPLE_CARD_*` (plus `IAMPORT_EXAMPLE_CARD_CVC`).

mod common;

use iamport::types::{ChargeCardRequest, GetBillingKeyRequest};
use iamport::{Amount, Error};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::setup_with(iamport_sandbox::Sandbox::builder().paymentwall_only())?;
    let card = common::card(setup.live())?;
    let cvc = if setup.live() {
        std::env::var("IAMPORT_EXAMPLE_CARD_CVC")
            .map_err(|_| "IAMPORT_EXAMPLE_CARD_CVC is not set")?
    } else {
        "123".to_owned()
    };
    let customer_uid = common::order_id("customer-42-card");
    let first = ChargeCardRequest {
        pg: Some("paymentwall".into()),
        customer_uid: Some(customer_uid.clone()),
        currency: Some("USD".into()),
        cvc: Some(cvc.into()),
        birth: Some(card.birth.into()),
        name: Some("Pro plan, first month".into()),
        // PAYMENTWALL wants the buyer's full name, e-mail and IP; `charge_billing_key` must repeat it.
        buyer_name: Some("Jane Doe".into()),
        buyer_email: Some("jane@example.com".into()),
        browser_ip: Some("203.0.113.7".into()),
        ..ChargeCardRequest::new(
            common::order_id("sub-42-first"),
            "9.99".parse::<Amount>()?,
            card.number,
            card.expiry,
        )
    };
    match setup.client.charge_card(&first) {
        Ok(payment) => println!(
            "paid {} (imp_uid {}); billing key stored as {customer_uid}",
            payment.amount, payment.imp_uid
        ),
        Err(Error::Declined { fail_reason, .. }) => {
            println!(
                "declined, no billing key: {}",
                fail_reason.unwrap_or_default()
            );
            return Ok(());
        }
        Err(other) => return Err(other.into()),
    }
    let key = setup.client.get_billing_key(&GetBillingKeyRequest {
        customer_uid: customer_uid.clone(),
    })?;
    if key.is_super() {
        println!("smart-routing billing key {}", key.customer_uid);
    } else {
        println!(
            "billing key {}: card {}, issued for {}",
            key.customer_uid,
            key.card_number.as_deref().unwrap_or("-"),
            key.customer_email.as_deref().unwrap_or("-"),
        );
    }
    Ok(())
}
