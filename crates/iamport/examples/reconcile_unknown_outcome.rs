//! Reconciliation after an unknown outcome: the answer to a charge is lost (a timeout, a reset
//! connection, a gateway 5xx), so the card may or may not have been charged. Charging again under
//! a new `merchant_uid` could charge twice; the safe recipe asks i'mport by `merchant_uid` and
//! re-sends only the **same** request, which i'mport refuses once that `merchant_uid` is paid.
//! `Client::settle_charge` runs that recipe to a typed end: paid, declined, or still unknown.
//!
//! `cargo run -p iamport --example reconcile_unknown_outcome` makes the embedded sandbox answer
//! the first charge late (its latency fault), after the client gave up on it: the re-send is
//! refused as a duplicate while the first is in flight, and the recipe ends in `Paid` with
//! exactly one payment. With `IAMPORT_API_KEY` / `IAMPORT_API_SECRET` set it reconciles the
//! `merchant_uid` given as the first argument against the real API.

mod common;

use iamport::Request;
use iamport::types::{ChargeCardRequest, FindAllPaymentsRequest};
use iamport::{Amount, Client, Error, Reconciled};
use iamport_sandbox::{Fault, FaultRule, TEST_API_KEY, TEST_API_SECRET};
use std::time::Duration;

fn report(client: &Client, merchant_uid: &str) -> Result<(), Error> {
    match client.reconcile(merchant_uid)? {
        Reconciled::Paid(payment) => println!(
            "{merchant_uid}: charged ({}, imp_uid {}): do not charge again",
            payment.amount, payment.imp_uid
        ),
        Reconciled::Declined(payment) => println!(
            "{merchant_uid}: declined ({}); the same merchant_uid may be retried",
            payment.fail_reason.as_deref().unwrap_or("-")
        ),
        other if other.payment().is_none() => {
            println!("{merchant_uid}: i'mport has no payment yet; ask again shortly")
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

    // The sandbox answers the next `charge_card` charge after 2 s; this client gives up after
    // 0.5 s, so the charge lands after its outcome was declared unknown.
    sandbox.inject_fault(FaultRule::once_for(
        ChargeCardRequest::OPERATION,
        Fault::Latency(Duration::from_secs(2)),
    ));
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .timeout(Duration::from_millis(500))
        .build()?;
    let card = common::card(false)?;
    let request = ChargeCardRequest {
        birth: Some(card.birth.into()),
        pwd_2digit: Some(card.pwd_2digit.into()),
        name: Some("Headphones".into()),
        ..ChargeCardRequest::new(
            common::order_id("order"),
            Amount::from(25000),
            card.number,
            card.expiry,
        )
    };
    // Send; on a lost answer reconcile every 250 ms (at most 20 times), re-sending the same
    // request while i'mport has not seen it: a typed end, and never a second charge.
    match client.settle_charge(&request, 20, Duration::from_millis(250)) {
        Ok(payment) => println!(
            "{}: paid ({}, imp_uid {})",
            payment.merchant_uid, payment.amount, payment.imp_uid
        ),
        Err(Error::Declined { fail_reason, .. }) => {
            println!("declined: {}", fail_reason.as_deref().unwrap_or("-"));
        }
        Err(still_unknown @ Error::OutcomeUnknown { .. }) => {
            println!("{still_unknown}; reconcile it later, never under a new merchant_uid");
            return Err(still_unknown.into());
        }
        Err(other) => return Err(other.into()),
    }
    let payments = client
        .find_all_payments(&FindAllPaymentsRequest::new(request.merchant_uid.clone()))?
        .list;
    println!(
        "payments under {}: {}",
        request.merchant_uid,
        payments.len()
    );
    assert_eq!(payments.len(), 1, "exactly one payment");
    report(&client, &request.merchant_uid)?;
    Ok(())
}
