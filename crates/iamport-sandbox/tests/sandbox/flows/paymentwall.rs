//! PAYMENTWALL's buyer rules on every charge path: `onetime` issuing a key, `again`, a schedule
//! run by the clock and a schedule's `retry`.

use super::*;

/// A PAYMENTWALL billing key `customer_uid` issued with jane@example.com.
fn paymentwall_key(client: &Client, customer_uid: &str) {
    client
        .charge_card(&paymentwall_onetime(
            &format!("{customer_uid}-first"),
            customer_uid,
            "4242-4242-4242-4242",
        ))
        .expect("first payment issues the key");
}

fn usd_item(merchant_uid: &str, at: i64) -> Schedule {
    Schedule {
        currency: "USD".into(),
        amount: amount("9.99"),
        ..schedule_item(merchant_uid, at)
    }
}

#[test]
fn paymentwall_buyer_names_need_two_words_not_exactly_two() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = paymentwall_onetime("pw-n-1", "pw-n", "4242-4242-4242-4242");
    req.buyer_name = Some("Mary Ann Smith".into());
    let paid = client
        .charge_card(&req)
        .expect("three words are a buyer name");
    assert_eq!(paid.status, types::PaymentStatus::Paid);
    let mut req = paymentwall_onetime("pw-n-2", "pw-n2", "4242-4242-4242-4242");
    req.buyer_name = Some("Madonna".into());
    let err = client.charge_card(&req).expect_err("one word");
    let (status, _, message) = api_code(&err);
    assert_eq!(status, Some(400));
    assert!(message.contains("buyer_name"), "{message}");
}

#[test]
fn paymentwall_onetime_issuing_a_key_requires_buyer_email() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = paymentwall_onetime("pw-e-1", "pw-e", "4242-4242-4242-4242");
    req.buyer_email = None;
    let err = client.charge_card(&req).expect_err("a key without e-mail");
    let (status, _, message) = api_code(&err);
    assert_eq!(status, Some(400));
    assert!(message.contains("buyer_email"), "{message}");
    // Nothing was charged and no key was stored.
    assert!(
        client
            .get_billing_key(&GetBillingKeyRequest {
                customer_uid: "pw-e".into()
            })
            .is_err()
    );
    // A key-in payment without a key needs no e-mail.
    req.customer_uid = None;
    client.charge_card(&req).expect("key-in without e-mail");
}

#[test]
fn paymentwall_scheduled_charges_that_break_the_buyer_rules_fail() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    paymentwall_key(&client, "pw-s");
    let now = sandbox.now();
    let mut other_email = usd_item("pw-s-1", now + 60);
    other_email.buyer_email = Some("other@example.com".into());
    let mut one_word = usd_item("pw-s-2", now + 60);
    one_word.buyer_name = Some("Jane".into());
    // Buyer fields left out are the key's (jane@example.com, "Jane Doe"): valid.
    let inherited = usd_item("pw-s-3", now + 60);
    client
        .schedule_payments(&SchedulePaymentsRequest::new(
            "pw-s",
            vec![other_email, one_word, inherited],
        ))
        .expect("schedule");
    let mut executed = sandbox
        .advance_clock(Duration::from_secs(61))
        .expect("advance");
    executed.sort_by(|a, b| a.merchant_uid.cmp(&b.merchant_uid));
    let outcome: Vec<_> = executed
        .iter()
        .map(|e| (e.merchant_uid.as_str(), e.payment_status.as_deref()))
        .collect();
    assert_eq!(
        outcome,
        [
            ("pw-s-1", Some("failed")),
            ("pw-s-2", Some("failed")),
            ("pw-s-3", Some("paid"))
        ]
    );
    let reason = executed[0].fail_reason.as_deref().unwrap_or_default();
    assert!(reason.contains("buyer_email"), "{reason}");
    let reason = executed[1].fail_reason.as_deref().unwrap_or_default();
    assert!(reason.contains("buyer_name"), "{reason}");

    // The failed payment is recorded, and a retry breaks the same rule: declined again.
    let failed = client
        .get_payment(&GetPaymentRequest::new(
            executed[0].imp_uid.clone().expect("imp_uid"),
        ))
        .expect("failed payment");
    assert_eq!(failed.status, types::PaymentStatus::Failed);
    let err = client
        .retry_schedule(&RetryScheduleRequest {
            merchant_uid: "pw-s-1".into(),
        })
        .expect_err("retry breaks the rule too");
    assert!(matches!(err, Error::Declined { .. }), "{err:?}");
}

#[test]
fn a_declined_payment_can_be_approved_minutes_later_with_a_webhook() {
    let (hook, hook_url) = super::schedules::hook();
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = paymentwall_onetime("late-1", "late-c", "4000-0000-0000-0259");
    req.customer_uid = None;
    req.notice_url = Some(hook_url);
    let err = client.charge_card(&req).expect_err("declined first");
    let Error::Declined { payment, .. } = err else {
        panic!("{err:?}");
    };
    assert_eq!(payment.status, types::PaymentStatus::Failed);
    let look_up = |client: &Client| {
        client
            .get_payment(&GetPaymentRequest::new(payment.imp_uid.clone()))
            .expect("look-up")
    };
    // Not yet after a minute...
    sandbox
        .advance_clock(Duration::from_secs(60))
        .expect("advance");
    assert_eq!(look_up(&client).status, types::PaymentStatus::Failed);
    // ...approved once the review is over, with a `paid` webhook for the same payment.
    sandbox
        .advance_clock(Duration::from_secs(
            cards::LATE_APPROVAL_SECONDS.unsigned_abs(),
        ))
        .expect("advance");
    let body = super::schedules::read_one_request_body(&hook, true);
    let json: serde_json::Value = serde_json::from_str(&body).expect("webhook JSON");
    assert_eq!(
        json,
        serde_json::json!({"imp_uid": payment.imp_uid, "merchant_uid": "late-1", "status": "paid"})
    );
    let approved = look_up(&client);
    assert_eq!(approved.status, types::PaymentStatus::Paid);
    assert!(approved.paid_at.is_some_and(|t| t.0 > 0));
    assert!(matches!(
        client.reconcile("late-1").expect("reconcile"),
        Reconciled::Paid(_)
    ));
}
