//! Prepared amounts, payment lists, balances and bank/card codes, through the real client.

use iamport::Request;
use iamport::runtime::Execute;
use iamport::types::{
    FindPaymentRequest, GetBankCodeRequest, GetCardCodeRequest, GetPaymentBalanceRequest,
    GetPaymentPrepareRequest, ListBankCodesRequest, ListCardCodesRequest,
    ListPaymentsByStatusRequest, ListPaymentsByStatusRequestPaymentStatus, ListPaymentsRequest,
    PreparePaymentRequest, UpdatePaymentPrepareRequest,
};

use super::*;

#[test]
fn a_charge_must_have_its_prepared_amount() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let prepared = client
        .send(&PreparePaymentRequest::new("prep-1", amount("10000")))
        .expect("prepare");
    assert_eq!(prepared.merchant_uid, "prep-1");
    assert_eq!(prepared.amount, Some(amount("10000")));
    let again = client
        .send(&PreparePaymentRequest::new("prep-1", amount("5000")))
        .expect_err("prepared twice");
    assert_eq!(again.code(), Some(1), "{again}");
    let changed = client
        .send(&UpdatePaymentPrepareRequest::new("prep-1", amount("12000")))
        .expect("update");
    assert_eq!(changed.amount, Some(amount("12000")));
    let looked_up = client
        .send(&GetPaymentPrepareRequest::new("prep-1"))
        .expect("look up");
    assert_eq!(looked_up.amount, Some(amount("12000")));
    // Another amount than prepared: refused, nothing charged.
    let refused = client
        .charge_card(&onetime("prep-1", "4242-4242-4242-4242"))
        .expect_err("10000 is not the prepared 12000");
    let (_, code, message) = api_code(&refused);
    assert_eq!(code, Some(1), "{refused}");
    assert!(message.contains("12000"), "{message}");
    let nothing = client.send(&FindPaymentRequest::new("prep-1"));
    assert!(
        matches!(nothing, Err(Error::NotFound { .. })),
        "{nothing:?}"
    );
    // The prepared amount: charged.
    let paid = client
        .charge_card(&ChargeCardRequest {
            amount: amount("12000"),
            ..onetime("prep-1", "4242-4242-4242-4242")
        })
        .expect("the prepared amount");
    assert_eq!(paid.amount, amount("12000"));
    // Unknown merchant_uid: 404 on update and look-up.
    for err in [
        client
            .send(&UpdatePaymentPrepareRequest::new("none", amount("1")))
            .expect_err("update unknown"),
        client
            .send(&GetPaymentPrepareRequest::new("none"))
            .expect_err("look up unknown"),
    ] {
        assert_eq!(err.status(), Some(404), "{err}");
    }
}

#[test]
fn payments_are_listed_by_ids_and_by_status_with_their_balance() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let paid = client
        .charge_card(&onetime("list-paid", "4242-4242-4242-4242"))
        .expect("paid");
    let Err(Error::Declined { payment, .. }) =
        client.charge_card(&onetime("list-failed", "4000-0000-0000-9995"))
    else {
        panic!("expected a decline");
    };
    let failed = *payment;
    let by_ids = |imp_uids: &[&str], merchant_uids: &[&str]| {
        client.send(&ListPaymentsRequest {
            imp_uid: Some(imp_uids.iter().map(|s| s.to_string()).collect()),
            merchant_uid: Some(merchant_uids.iter().map(|s| s.to_string()).collect()),
        })
    };
    let both = by_ids(&[&paid.imp_uid], &["list-failed"]).expect("both");
    let uids: Vec<&str> = both.iter().map(|p| p.imp_uid.as_str()).collect();
    assert_eq!(uids, [paid.imp_uid.as_str(), failed.imp_uid.as_str()]);
    // Some unknown: HTTP 207 with those found, which the client accepts.
    let some = by_ids(&[&paid.imp_uid, "imp_000000000000"], &[]).expect("207");
    assert_eq!(some.len(), 1);
    let none = by_ids(&["imp_000000000000"], &[]).expect_err("none found");
    assert_eq!(none.status(), Some(404), "{none}");
    // By status.
    let by_status = |status: ListPaymentsByStatusRequestPaymentStatus| {
        client
            .send(&ListPaymentsByStatusRequest::new(status))
            .expect("by status")
            .list
            .into_iter()
            .map(|p| p.imp_uid)
            .collect::<Vec<_>>()
    };
    use ListPaymentsByStatusRequestPaymentStatus as S;
    assert_eq!(by_status(S::Paid), [paid.imp_uid.as_str()]);
    assert_eq!(by_status(S::Failed), [failed.imp_uid.as_str()]);
    assert_eq!(by_status(S::All).len(), 2);
    assert!(by_status(S::Cancelled).is_empty());
    // Balance: the whole amount, then what a partial cancellation leaves.
    let balance = || {
        client
            .send(&GetPaymentBalanceRequest::new(paid.imp_uid.clone()))
            .expect("balance")
    };
    assert_eq!(balance().amount, Some(amount("10000")));
    client
        .cancel_payment(&CancelPaymentRequest {
            imp_uid: Some(paid.imp_uid.clone()),
            amount: Some(amount("3000")),
            ..Default::default()
        })
        .expect("partial cancel");
    let after = balance();
    assert_eq!(after.amount, Some(amount("7000")));
    assert_eq!(after.histories.map(|h| h.len()), Some(2));
    assert_eq!(by_status(S::Paid), [paid.imp_uid.as_str()]);
}

#[test]
fn bank_and_card_codes_are_fixed_tables() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let banks = client.send(&ListBankCodesRequest).expect("banks");
    assert!(banks.iter().any(|b| b.code == "004"));
    let kb = client
        .send(&GetBankCodeRequest::new("004"))
        .expect("bank 004");
    assert_eq!(kb.name.as_deref(), Some("KB국민은행"));
    let cards = client.send(&ListCardCodesRequest).expect("cards");
    assert!(cards.iter().any(|c| c.code == "361"));
    let bc = client
        .send(&GetCardCodeRequest::new("361"))
        .expect("card 361");
    assert_eq!(bc.name.as_deref(), Some("BC카드"));
    for err in [
        client
            .send(&GetBankCodeRequest::new("999"))
            .expect_err("bank"),
        client
            .send(&GetCardCodeRequest::new("999"))
            .expect_err("card"),
    ] {
        assert_eq!(err.status(), Some(404), "{err}");
    }
    // The codes are a read: the same through the dynamic entry point.
    let raw: Vec<serde_json::Value> = client
        .execute(
            ListBankCodesRequest::OPERATION,
            ListBankCodesRequest.to_http().expect("http"),
        )
        .expect("execute");
    assert_eq!(raw.len(), banks.len());
}
