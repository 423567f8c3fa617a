//! The safe retry recipe after a lost charge, [`iamport::Client::settle_charge`], against the
//! sandbox: it ends in `Paid`, `Declined` or a clear "still unknown", and never charges twice.

use iamport::runtime::Request as _;
use iamport::types::ChargeCardRequest;
use iamport::{Amount, Client, Error};
use iamport_sandbox::{Fault, FaultRule, Sandbox, TEST_API_KEY, TEST_API_SECRET};
use std::time::Duration;

/// A client that gives up on an answer after `timeout`.
fn impatient(sandbox: &Sandbox, timeout: Duration) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .timeout(timeout)
        .build()
        .unwrap()
}

fn onetime(merchant_uid: &str, card_number: &str) -> ChargeCardRequest {
    ChargeCardRequest {
        birth: Some("880101".into()),
        pwd_2digit: Some("12".into()),
        name: Some("Headphones".into()),
        ..ChargeCardRequest::new(merchant_uid, Amount::from(25_000), card_number, "2039-12")
    }
}

fn payments_of(client: &Client, merchant_uid: &str) -> usize {
    client
        .find_all_payments(&iamport::types::FindAllPaymentsRequest::new(merchant_uid))
        .map_or(0, |page| page.list.len())
}

#[test]
fn a_charge_that_lands_late_settles_as_paid_with_exactly_one_payment() {
    let sandbox = Sandbox::start();
    // The first charge is answered after 1.5 s; the client gives up after 0.4 s. While it is in
    // flight the look-up says "not found" and a re-send is refused as a duplicate (HTTP 200,
    // code 1); once it lands, the look-up finds it paid.
    sandbox.inject_fault(FaultRule::once_for(
        ChargeCardRequest::OPERATION,
        Fault::Latency(Duration::from_millis(1500)),
    ));
    let client = impatient(&sandbox, Duration::from_millis(400));
    let request = onetime("order-late-1", "4242-4242-4242-4242");

    // Without the recipe: an unknown outcome, then a typed duplicate refusal for the re-send.
    let first = client.charge_card(&request).unwrap_err();
    assert!(matches!(first, Error::OutcomeUnknown { .. }), "{first:?}");
    let resent = client.charge_card(&request).unwrap_err();
    match &resent {
        Error::DuplicateMerchantUid { merchant_uid, .. } => {
            assert_eq!(merchant_uid, "order-late-1")
        }
        other => panic!("{other:?}"),
    }

    // The recipe, on a second order: it ends in Paid.
    sandbox.inject_fault(FaultRule::once_for(
        ChargeCardRequest::OPERATION,
        Fault::Latency(Duration::from_millis(1500)),
    ));
    let request = onetime("order-late-2", "4242-4242-4242-4242");
    let payment = client
        .settle_charge(&request, 40, Duration::from_millis(100))
        .unwrap();
    assert_eq!(payment.merchant_uid, "order-late-2");
    assert_eq!(payments_of(&client, "order-late-2"), 1);
    let charges = sandbox
        .requests()
        .iter()
        .filter(|r| {
            r.operation_id == Some("onetime") && r.merchant_uid.as_deref() == Some("order-late-2")
        })
        .count();
    assert!(charges >= 2, "the recipe re-sent the charge: {charges}");
}

#[test]
fn the_recipe_ends_still_unknown_when_the_charge_never_lands_within_its_attempts() {
    let sandbox = Sandbox::start();
    sandbox.inject_fault(FaultRule::once_for(
        ChargeCardRequest::OPERATION,
        Fault::Latency(Duration::from_secs(3)),
    ));
    let client = impatient(&sandbox, Duration::from_millis(300));
    let err = client
        .settle_charge(
            &onetime("order-never", "4242-4242-4242-4242"),
            2,
            Duration::ZERO,
        )
        .unwrap_err();
    match &err {
        Error::OutcomeUnknown { merchant_uid, .. } => assert_eq!(merchant_uid, "order-never"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_paid_charge_is_ok_at_once() {
    let sandbox = Sandbox::start();
    let client = impatient(&sandbox, Duration::from_secs(10));
    let payment = client
        .settle_charge(
            &onetime("order-direct", "4242-4242-4242-4242"),
            3,
            Duration::ZERO,
        )
        .unwrap();
    assert_eq!(payment.merchant_uid, "order-direct");
    assert_eq!(
        sandbox
            .requests()
            .iter()
            .filter(|r| r.operation_id == Some("onetime"))
            .count(),
        1
    );
}
