//! Reconciliation after an unknown outcome: the answer to a charge is lost (a timeout, a reset
//! connection, a gateway 5xx), so the card may or may not have been charged. Charging again could
//! charge twice; asking i'mport by `merchant_uid` tells what happened.
//!
//! `cargo run -p iamport --example reconcile_unknown_outcome` makes the embedded sandbox record a
//! charge and then drop the connection, and reconciles it. With `IAMPORT_API_KEY` /
//! `IAMPORT_API_SECRET` set it reconciles the `merchant_uid` given as the first argument against
//! the real API.

mod common;

use iamport::Request;
use iamport::types::OnetimeRequest;
use iamport::{Amount, Api, Client, Error, Reconciled};
use iamport_sandbox::{Fault, FaultRule};

fn report(client: &Client, merchant_uid: &str) -> Result<(), Error> {
    match client.reconcile(merchant_uid)? {
        Reconciled::Paid(payment) => println!(
            "{merchant_uid}: charged ({}, imp_uid {}): do not charge again",
            payment.amount, payment.imp_uid
        ),
        Reconciled::Declined(payment) => println!(
            "{merchant_uid}: declined ({}): not charged; the same merchant_uid may be retried",
            payment.fail_reason.as_deref().unwrap_or("-")
        ),
        other if other.payment().is_none() => {
            println!("{merchant_uid}: i'mport has no payment: not charged (yet); ask again shortly")
        }
        other => println!("{merchant_uid}: {other:?}"),
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let setup = common::setup()?;
    let Some(sandbox) = &setup.sandbox else {
        let Some(merchant_uid) = std::env::args().nth(1) else {
            println!("usage against the real API: reconcile_unknown_outcome <merchant_uid>");
            return Ok(());
        };
        report(&setup.client, &merchant_uid)?;
        return Ok(());
    };

    // The sandbox records the next `onetime` charge, then closes the connection unanswered.
    sandbox.inject_fault(FaultRule::once_for(
        OnetimeRequest::OPERATION,
        Fault::DropConnection,
    ));
    let card = common::card(false)?;
    let request = OnetimeRequest {
        merchant_uid: common::order_id("order"),
        amount: Amount::from(25000),
        card_number: card.number.into(),
        expiry: card.expiry.into(),
        birth: Some(card.birth.into()),
        pwd_2digit: Some(card.pwd_2digit.into()),
        name: Some("Headphones".into()),
        ..Default::default()
    };
    match setup.client.onetime(&request) {
        Err(Error::OutcomeUnknown {
            merchant_uid,
            source,
            ..
        }) => {
            println!("outcome unknown for {merchant_uid} ({source}); reconciling");
            report(&setup.client, &merchant_uid)?;
        }
        Ok(payment) => println!("the answer arrived after all: paid {}", payment.imp_uid),
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
