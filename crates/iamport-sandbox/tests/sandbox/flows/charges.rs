//! Key-in and PAYMENTWALL charges, declines, test cards and billing keys.

use super::*;

#[test]
fn onetime_without_customer_uid_charges_and_stores_no_key() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let paid = client
        .charge_card(&onetime("o-1", "4242-4242-4242-4242"))
        .expect("paid");
    assert_eq!(paid.status, types::PaymentStatus::Paid);
    assert_eq!(paid.amount, amount("10000"));
    assert_eq!(paid.card_number.as_deref(), Some("424242******4242"));
    assert_eq!(paid.customer_uid, None);
    assert_eq!(paid.pg_provider.as_deref(), Some("keyin"));
    assert!(paid.paid_at.is_some_and(|t| t.is_set()));
    let fetched = client
        .get_payment(&GetPaymentRequest::new(paid.imp_uid.clone()))
        .expect("look-up");
    assert_eq!(fetched.merchant_uid, "o-1");
}

#[test]
fn paymentwall_billing_key_then_again_and_email_rule() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let first = client
        .charge_card(&paymentwall_onetime(
            "pw-1",
            "cust-pw",
            "4242-4242-4242-4242",
        ))
        .expect("first payment");
    assert_eq!(first.pg_provider.as_deref(), Some("paymentwall"));
    assert_eq!(first.customer_uid.as_deref(), Some("cust-pw"));
    assert_eq!(first.amount, amount("9.99"));
    let key = client
        .get_billing_key(&GetBillingKeyRequest {
            customer_uid: "cust-pw".into(),
        })
        .expect("key");
    assert!(!key.is_super());
    assert_eq!(key.customer_email.as_deref(), Some("jane@example.com"));
    assert_eq!(key.customer_name.as_deref(), Some("Jane Doe"));

    // buyer_email missing, then different: refused with 400 naming the field.
    let mut req = ChargeBillingKeyRequest {
        browser_ip: Some("203.0.113.7".into()),
        currency: Some("USD".into()),
        amount: amount("9.99"),
        ..again("cust-pw", "pw-2")
    };
    let err = client.charge_billing_key(&req).expect_err("no buyer_email");
    let (status, _, message) = api_code(&err);
    assert_eq!(status, Some(400));
    assert!(message.contains("buyer_email"), "{message}");
    req.buyer_email = Some("other@example.com".into());
    let err = client.charge_billing_key(&req).expect_err("other e-mail");
    assert!(api_code(&err).2.contains("buyer_email"));
    req.buyer_email = Some("jane@example.com".into());
    let second = client.charge_billing_key(&req).expect("again");
    assert_eq!(second.status, types::PaymentStatus::Paid);
    assert!(matches!(
        second.customer_uid_usage,
        Some(types::PaymentCustomerUidUsage::Payment)
    ));
}

#[test]
fn paymentwall_requires_cvc_not_browser_ip_and_refuses_customer_save() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = paymentwall_onetime("pw-cvc", "c", "4242-4242-4242-4242");
    req.cvc = None;
    let (status, _, message) = api_code(&client.charge_card(&req).expect_err("cvc"));
    assert_eq!(status, Some(400));
    assert!(message.contains("cvc"), "{message}");
    // i'mport fills in the caller's IP when `browser_ip` is absent, on `onetime` and `again`.
    let mut req = paymentwall_onetime("pw-ip", "pw-ip-c", "4242-4242-4242-4242");
    req.browser_ip = None;
    let paid = client.charge_card(&req).expect("no browser_ip needed");
    assert_eq!(paid.pg_provider.as_deref(), Some("paymentwall"));
    let next = ChargeBillingKeyRequest {
        buyer_email: Some("jane@example.com".into()),
        currency: Some("USD".into()),
        amount: amount("9.99"),
        ..again("pw-ip-c", "pw-ip-2")
    };
    assert_eq!(next.browser_ip, None);
    let paid = client
        .charge_billing_key(&next)
        .expect("again without browser_ip");
    assert_eq!(paid.status, types::PaymentStatus::Paid);

    let save = IssueBillingKeyRequest {
        pg: Some("paymentwall".into()),
        channel_key: Some(iamport_sandbox::channels::PAYMENTWALL.channel_key.into()),
        cvc: Some("123".into()),
        ..IssueBillingKeyRequest::new("pw-save", "4242-4242-4242-4242", "2039-12")
    };
    let err = client
        .issue_billing_key(&save)
        .expect_err("paymentwall key without payment");
    let (status, code, message) = api_code(&err);
    assert_eq!((status, code), (Some(200), Some(1)));
    assert!(message.contains("PAYMENTWALL"), "{message}");
}

#[test]
fn paymentwall_only_merchant_defaults_to_paymentwall() {
    let sandbox = Sandbox::builder()
        .paymentwall_only()
        .start()
        .expect("start");
    let client = client(&sandbox);
    let mut req = paymentwall_onetime("pwo-1", "pwo-c", "4242-4242-4242-4242");
    req.pg = None;
    let paid = client
        .charge_card(&req)
        .expect("paid on the default channel");
    assert_eq!(paid.pg_provider.as_deref(), Some("paymentwall"));
    // A `pg` the merchant has not set up falls back to the default channel (Swagger, `pg`).
    let mut keyin = paymentwall_onetime("pwo-2", "pwo-c2", "4242-4242-4242-4242");
    keyin.pg = Some("keyin".into());
    let paid = client.charge_card(&keyin).expect("default channel");
    assert_eq!(paid.pg_provider.as_deref(), Some("paymentwall"));
    // An unknown `channel_key` is refused.
    let save = IssueBillingKeyRequest {
        channel_key: Some("channel-key-nope".into()),
        ..IssueBillingKeyRequest::new("pwo-key", "4242-4242-4242-4242", "2039-12")
    };
    let (status, code, _) = api_code(&client.issue_billing_key(&save).expect_err("unknown key"));
    assert_eq!((status, code), (Some(200), Some(1)));
}

#[test]
fn declined_cards_are_code_0_failed_with_fail_reason() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let cases = [
        ("4000-0000-0000-9995", cards::INSUFFICIENT_FUNDS),
        ("4000-0000-0000-0069", cards::EXPIRED_CARD),
        ("4000-0000-0000-9979", cards::STOLEN_CARD),
    ];
    for (i, (card, reason)) in cases.iter().enumerate() {
        let merchant_uid = format!("decl-{i}");
        match client.charge_card(&onetime(&merchant_uid, card)) {
            Err(Error::Declined {
                fail_reason,
                payment,
                ..
            }) => {
                assert_eq!(fail_reason.as_deref(), Some(*reason));
                assert_eq!(payment.status, types::PaymentStatus::Failed);
                assert!(payment.failed_at.is_some_and(|t| t.is_set()));
                assert_eq!(payment.paid_at, Some(Timestamp::NOT_YET));
            }
            other => panic!("expected a decline, got {other:?}"),
        }
        // A declined merchant_uid may be charged again (with another card).
        let retry = client
            .charge_card(&onetime(&merchant_uid, "4242-4242-4242-4242"))
            .expect("retry after decline");
        assert_eq!(retry.status, types::PaymentStatus::Paid);
        let all = client
            .find_all_payments(&FindAllPaymentsRequest::new(merchant_uid.clone()))
            .expect("findAll");
        assert_eq!(all.total, Some(2));
    }
    // A declined onetime with customer_uid stores no key.
    let mut req = onetime("decl-key", "4000-0000-0000-9995");
    req.customer_uid = Some("never-stored".into());
    assert!(matches!(
        client.charge_card(&req),
        Err(Error::Declined { .. })
    ));
    assert!(
        client
            .get_billing_key(&GetBillingKeyRequest {
                customer_uid: "never-stored".into()
            })
            .expect_err("no key")
            .code()
            == Some(1)
    );
}

#[test]
fn approve_then_decline_card_and_past_expiry_and_refused_card() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("atd-1", "4000-0000-0000-0341");
    req.customer_uid = Some("atd".into());
    client.charge_card(&req).expect("first charge approves");
    match client.charge_billing_key(&again("atd", "atd-2")) {
        Err(Error::Declined { fail_reason, .. }) => {
            assert_eq!(fail_reason.as_deref(), Some(cards::INSUFFICIENT_FUNDS))
        }
        other => panic!("expected a decline, got {other:?}"),
    }

    let mut past = onetime("exp-1", "4242-4242-4242-4242");
    past.expiry = "2001-01".into();
    let (status, code, message) = api_code(&client.charge_card(&past).expect_err("expired"));
    assert_eq!((status, code), (Some(200), Some(-1)));
    assert_eq!(message, cards::EXPIRY_IN_PAST);

    let (_, code, message) = api_code(
        &client
            .charge_card(&onetime("ref-1", "4000-0000-0000-0127"))
            .expect_err("refused"),
    );
    assert_eq!(code, Some(-1));
    assert_eq!(message, cards::CARD_AUTH_FAILED);
    assert!(matches!(
        client.reconcile("ref-1"),
        Ok(Reconciled::NotFound)
    ));
}

#[test]
fn customers_save_get_list_payments_delete() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let save = |uid: &str| IssueBillingKeyRequest {
        channel_key: Some(iamport_sandbox::channels::KEYIN.channel_key.into()),
        customer_name: Some("Kim".into()),
        customer_email: Some("kim@example.com".into()),
        ..IssueBillingKeyRequest::new(uid, "5555-5555-5555-4444", "2039-12")
    };
    let saved = client.issue_billing_key(&save("k1")).expect("save");
    assert!(!saved.is_super());
    assert_eq!(saved.card_number.as_deref(), Some("555555******4444"));
    client.issue_billing_key(&save("k2")).expect("save 2");

    let all = client
        .list_billing_keys(&ListBillingKeysRequest {
            customer_uid: vec!["k1".into(), "k2".into()],
        })
        .expect("200");
    assert_eq!(all.len(), 2);
    let some = client
        .list_billing_keys(&ListBillingKeysRequest {
            customer_uid: vec!["k1".into(), "nope".into()],
        })
        .expect("207 is a success");
    assert_eq!(some.len(), 1);

    client
        .charge_billing_key(&again("k1", "k1-a"))
        .expect("charge");
    client
        .charge_billing_key(&again("k1", "k1-b"))
        .expect("charge");
    let payments = client
        .list_billing_key_payments(&ListBillingKeyPaymentsRequest {
            customer_uid: "k1".into(),
            page: None,
        })
        .expect("payments");
    assert_eq!(payments.total, Some(2));
    assert_eq!(payments.list[0].merchant_uid, "k1-b");

    let deleted = client
        .delete_billing_key(&DeleteBillingKeyRequest::new("k1"))
        .expect("delete");
    assert_eq!(deleted.customer_uid, "k1");
    assert!(!deleted.is_super());
    let err = client
        .get_billing_key(&GetBillingKeyRequest {
            customer_uid: "k1".into(),
        })
        .expect_err("gone");
    // HTTP 200 with `code: 1`, as the real server answers an unknown billing key.
    assert_eq!((err.status(), err.code()), (Some(200), Some(1)), "{err:?}");
    let err = client
        .delete_billing_key(&DeleteBillingKeyRequest::new("k1"))
        .expect_err("already deleted");
    assert_eq!((err.status(), err.code()), (Some(200), Some(1)), "{err:?}");
    let err = client
        .charge_billing_key(&again("k1", "k1-c"))
        .expect_err("unknown buyer");
    assert_eq!(api_code(&err).1, Some(1));
}

/// `GET /subscribe/customers` may list super billing keys, and both kinds decode
/// into one `BillingKey`: a card's key, and a smart-routing super billing key issued with
/// `channel_group_id` (its per-channel keys and refusals typed), listed together.
#[test]
fn super_billing_keys_are_listed_with_card_keys() {
    use iamport_sandbox::channels::{CHANNEL_GROUP_ID, KEYIN, PAYMENTWALL};
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let save = |uid: &str, group: Option<&str>| IssueBillingKeyRequest {
        channel_group_id: group.map(Into::into),
        customer_email: Some("kim@example.com".into()),
        ..IssueBillingKeyRequest::new(uid, "5555-5555-5555-4444", "2039-12")
    };
    assert!(
        !client
            .issue_billing_key(&save("card-1", None))
            .unwrap()
            .is_super()
    );
    let issued = client
        .issue_billing_key(&save("group-1", Some(CHANNEL_GROUP_ID)))
        .expect("super billing key");
    assert!(issued.is_super());

    let listed = client
        .list_billing_keys(&ListBillingKeysRequest {
            customer_uid: vec!["card-1".into(), "group-1".into()],
        })
        .expect("listed");
    assert_eq!(listed.len(), 2);
    let find = |uid: &str| listed.iter().find(|k| k.customer_uid == uid).unwrap();
    let card = find("card-1");
    assert!(!card.is_super());
    assert_eq!(card.pg_provider.as_deref(), Some(KEYIN.pg_provider));
    assert_eq!(card.card_number.as_deref(), Some("555555******4444"));
    assert!(card.succeeded_channels.is_none() && card.failed_channels.is_none());
    let group = find("group-1");
    assert!(group.is_super());
    assert_eq!(group.channel_group_id.as_deref(), Some(CHANNEL_GROUP_ID));
    assert_eq!(group.customer_email.as_deref(), Some("kim@example.com"));
    assert_eq!(group.card_number, None, "card data is per channel");
    let succeeded = group.succeeded_channels.as_deref().unwrap();
    assert_eq!(succeeded.len(), 1);
    assert_eq!(succeeded[0].pg_id, KEYIN.pg_id);
    assert_eq!(
        succeeded[0].card_number.as_deref(),
        Some("555555******4444")
    );
    let failed = group.failed_channels.as_deref().unwrap();
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0].pg_provider, PAYMENTWALL.pg_provider);
    assert_eq!(failed[0].r#type, Some(types::FailedChannelType::PgProvider));

    // Charged on its succeeded channel.
    let paid = client
        .charge_billing_key(&again("group-1", "g-1"))
        .expect("charge");
    assert_eq!(paid.pg_provider.as_deref(), Some(KEYIN.pg_provider));

    // An unknown group, or a group with no channel that can issue a key without a payment, is
    // refused like i'mport's business refusals.
    let err = client
        .issue_billing_key(&save("group-2", Some("channel-group-nope")))
        .expect_err("unknown group");
    let (status, code, message) = api_code(&err);
    assert_eq!((status, code), (Some(200), Some(1)));
    assert!(message.contains("channel-group-nope"), "{message}");
    let only = Sandbox::builder()
        .paymentwall_only()
        .start()
        .expect("start");
    let err = self::client(&only)
        .issue_billing_key(&save("group-3", Some(CHANNEL_GROUP_ID)))
        .expect_err("PAYMENTWALL issues no key without a payment");
    assert_eq!(api_code(&err).1, Some(1));
}
