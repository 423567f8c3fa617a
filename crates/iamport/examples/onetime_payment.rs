//! A one-time key-in payment: the card is charged once and not stored.
//!
//! `cargo run -p iamport --example onetime_payment` runs it against the embedded sandbox. With
//! `IAMPORT_API_KEY` / `IAMPORT_API_SECRET` set it charges the real API, with the card given in
//! `IAMPORT_EXAMPLE_CARD_NUMBER`, `_EXPIRY`, `_BIRTH` and `_PWD_2DIGIT` (1,004 KRW).

mod common;

use iamport::types::ChargeCardRequest;
use iamport::{Amount, Error, Validate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::setup()?;
    let card = common::card(setup.live())?;
    let request = ChargeCardRequest {
        birth: Some(card.birth.into()),
        pwd_2digit: Some(card.pwd_2digit.into()),
        name: Some("E-book".into()),
        ..ChargeCardRequest::new(
            common::order_id("ebook"),
            Amount::from(1004),
            card.number,
            card.expiry,
        )
    };
    // `validate()` runs inside `charge_card` too; calling it first shows the error without a request.
    request.validate()?;
    match setup.client.charge_card(&request) {
        Ok(payment) => println!(
            "paid {} (imp_uid {}, card {})",
            payment.amount,
            payment.imp_uid,
            payment.card_number.as_deref().unwrap_or("-"),
        ),
        Err(Error::Declined { fail_reason, .. }) => {
            println!("declined: {}", fail_reason.unwrap_or_default())
        }
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => {
            println!("answer lost: run the reconcile_unknown_outcome example for {merchant_uid}")
        }
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
