//! Virtual accounts through the real client: issued `ready`, changed, revoked, and paid on a
//! deposit made now, planned on the clock, or asked over the admin API, with webhooks.

use iamport::types::{
    GetVbankHolderRequest, IssueVbankRequest, RevokeVbankRequest, UpdateVbankRequest,
};
use iamport_sandbox::{Channels, RetryPolicy};

use super::*;

fn vbank(sandbox: &Sandbox, merchant_uid: &str) -> IssueVbankRequest {
    let channel_key = Channels::standard().0[0].channel_key;
    IssueVbankRequest {
        vbank_holder: Some("Shop".into()),
        buyer_name: Some("Jane".into()),
        notice_url: Some(vec![format!("http://127.0.0.1:9/{merchant_uid}")]),
        ..IssueVbankRequest::new(
            channel_key,
            merchant_uid,
            amount("25000"),
            "004",
            Timestamp(sandbox.now() + 86_400),
        )
    }
}

fn webhook_statuses(sandbox: &Sandbox, merchant_uid: &str) -> Vec<String> {
    sandbox
        .webhooks()
        .into_iter()
        .filter(|w| w.body.merchant_uid == merchant_uid)
        .map(|w| w.body.status)
        .collect()
}

#[test]
fn a_virtual_account_is_ready_then_paid_on_deposit() {
    let sandbox = Sandbox::builder()
        .webhook_retry(RetryPolicy {
            attempts: 1,
            delay: Duration::ZERO,
        })
        .start()
        .expect("sandbox");
    let client = client(&sandbox);
    let issued = client.send(&vbank(&sandbox, "vb-1")).expect("issue");
    assert_eq!(issued.status, types::PaymentStatus::Ready);
    assert_eq!(issued.pay_method.as_deref(), Some("vbank"));
    assert_eq!(issued.vbank_code.as_deref(), Some("004"));
    assert_eq!(issued.vbank_name.as_deref(), Some("KB국민은행"));
    assert_eq!(issued.vbank_holder.as_deref(), Some("Shop"));
    assert!(issued.vbank_num.is_some_and(|n| !n.is_empty()));
    assert_eq!(issued.card_number, None);
    // Change the amount before the deposit.
    let changed = client
        .send(&UpdateVbankRequest {
            amount: Some(30_000),
            ..UpdateVbankRequest::new(issued.imp_uid.clone())
        })
        .expect("modify");
    assert_eq!(changed.amount, amount("30000"));
    // The deposit: paid, and a `paid` webhook after the `ready` one.
    let paid = sandbox
        .deposit_vbank(&issued.imp_uid, None)
        .expect("deposit");
    assert_eq!(paid.status, types::PaymentStatus::Paid);
    let looked_up = client
        .get_payment(&GetPaymentRequest::new(issued.imp_uid.clone()))
        .expect("look up");
    assert_eq!(looked_up.status, types::PaymentStatus::Paid);
    assert_eq!(looked_up.pay_method.as_deref(), Some("vbank"));
    sandbox.wait_for_webhooks(Duration::from_secs(10));
    assert_eq!(webhook_statuses(&sandbox, "vb-1"), ["ready", "paid"]);
    // A paid account cannot be revoked or changed, nor deposited into again.
    let err = client
        .send(&RevokeVbankRequest::new(issued.imp_uid.clone()))
        .expect_err("revoke a paid account");
    assert_eq!(err.status(), Some(400), "{err}");
    assert!(sandbox.deposit_vbank(&issued.imp_uid, None).is_err());
    // Not a virtual account; unknown imp_uid.
    let card = client
        .charge_card(&onetime("vb-card", "4242-4242-4242-4242"))
        .expect("card");
    let err = client
        .send(&UpdateVbankRequest::new(card.imp_uid.clone()))
        .expect_err("a card payment");
    assert_eq!(err.status(), Some(400), "{err}");
    let err = client
        .send(&RevokeVbankRequest::new("imp_000000000000"))
        .expect_err("unknown");
    assert_eq!(err.status(), Some(404), "{err}");
}

#[test]
fn a_deposit_planned_on_the_clock_and_a_revoked_account() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let issued = client.send(&vbank(&sandbox, "vb-2")).expect("issue");
    let planned = sandbox
        .deposit_vbank(&issued.imp_uid, Some(sandbox.now() + 3600))
        .expect("plan");
    assert_eq!(planned.status, types::PaymentStatus::Ready);
    // After the deadline: refused.
    assert!(
        sandbox
            .deposit_vbank(&issued.imp_uid, Some(sandbox.now() + 2 * 86_400))
            .is_err()
    );
    sandbox
        .advance_clock(Duration::from_secs(3600))
        .expect("advance");
    let paid = client
        .get_payment(&GetPaymentRequest::new(issued.imp_uid.clone()))
        .expect("look up");
    assert_eq!(paid.status, types::PaymentStatus::Paid);
    // Revoked before any deposit: cancelled, and no deposit afterwards.
    let other = client.send(&vbank(&sandbox, "vb-3")).expect("issue");
    let revoked = client
        .send(&RevokeVbankRequest::new(other.imp_uid.clone()))
        .expect("revoke");
    assert_eq!(revoked.status, types::PaymentStatus::Cancelled);
    assert!(sandbox.deposit_vbank(&other.imp_uid, None).is_err());
    // Over the admin API.
    let third = client.send(&vbank(&sandbox, "vb-4")).expect("issue");
    let answer: serde_json::Value =
        ureq::post(format!("{}/__sandbox/vbanks/deposit", sandbox.base_url()))
            .send_json(serde_json::json!({ "imp_uid": third.imp_uid }))
            .expect("deposit over HTTP")
            .into_body()
            .read_json()
            .expect("JSON");
    assert_eq!(answer["response"]["status"], serde_json::json!("paid"));
    // Account holders: any account of a known bank.
    let holder = client
        .send(&GetVbankHolderRequest::new("004", "1234567890"))
        .expect("holder");
    assert!(!holder.bank_holder.is_empty());
    let err = client
        .send(&GetVbankHolderRequest::new("999", "1234567890"))
        .expect_err("unknown bank");
    assert_eq!(err.status(), Some(400), "{err}");
}
