//! The sandbox's rules, exercised through the real `iamport::Client` over HTTP.

use std::time::Duration;

use iamport::types::{
    AgainRequest, CancelPaymentRequest, CustomerDeleteRequest, CustomerPaymentsRequest,
    CustomerSaveRequest, CustomerViewMultipleRequest, CustomerViewRequest,
    FindSchedulesByRangeRequest, GetAllPaymentsByMerchantUidRequest, GetPaymentByImpUidRequest,
    GetScheduleByMidRequest, OnetimeRequest, RescheduleByMidRequest, RetryScheduleByMidRequest,
    Schedule, ScheduleRequest, UnscheduleRequest, UpdateScheduleByMidRequest,
};
use iamport::{Amount, Api, Client, Error, Reconciled, Timestamp, types};
use iamport_sandbox::{Fault, FaultRule, Sandbox, TEST_API_KEY, TEST_API_SECRET, cards};

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

fn amount(s: &str) -> Amount {
    s.parse().expect("amount")
}

fn onetime(merchant_uid: &str, card: &str) -> OnetimeRequest {
    OnetimeRequest {
        merchant_uid: merchant_uid.into(),
        amount: amount("10000"),
        card_number: card.into(),
        expiry: "2039-12".into(),
        birth: Some("900101".into()),
        pwd_2digit: Some("12".into()),
        name: Some("Plan".into()),
        ..Default::default()
    }
}

fn paymentwall_onetime(merchant_uid: &str, customer_uid: &str, card: &str) -> OnetimeRequest {
    OnetimeRequest {
        pg: Some("paymentwall".into()),
        customer_uid: Some(customer_uid.into()),
        currency: Some("USD".into()),
        amount: amount("9.99"),
        cvc: Some("123".into()),
        browser_ip: Some("203.0.113.7".into()),
        buyer_name: Some("Jane Doe".into()),
        buyer_email: Some("jane@example.com".into()),
        ..onetime(merchant_uid, card)
    }
}

fn again(customer_uid: &str, merchant_uid: &str) -> AgainRequest {
    AgainRequest {
        customer_uid: customer_uid.into(),
        merchant_uid: merchant_uid.into(),
        amount: amount("10000"),
        name: "Plan, next month".into(),
        ..Default::default()
    }
}

fn api_code(err: &Error) -> (Option<u16>, Option<i64>, String) {
    (
        err.status(),
        err.code(),
        err.message().unwrap_or_default().to_owned(),
    )
}

#[test]
fn onetime_without_customer_uid_charges_and_stores_no_key() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let paid = client
        .onetime(&onetime("o-1", "4242-4242-4242-4242"))
        .expect("paid");
    assert_eq!(paid.status, types::PaymentStatus::Paid);
    assert_eq!(paid.amount, amount("10000"));
    assert_eq!(paid.card_number.as_deref(), Some("424242******4242"));
    assert_eq!(paid.customer_uid, None);
    assert_eq!(paid.pg_provider.as_deref(), Some("keyin"));
    assert!(paid.paid_at.is_some_and(|t| t.is_set()));
    let fetched = client
        .get_payment_by_imp_uid(&GetPaymentByImpUidRequest {
            imp_uid: paid.imp_uid.clone(),
            ..Default::default()
        })
        .expect("look-up");
    assert_eq!(fetched.merchant_uid, "o-1");
}

#[test]
fn paymentwall_billing_key_then_again_and_email_rule() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let first = client
        .onetime(&paymentwall_onetime(
            "pw-1",
            "cust-pw",
            "4242-4242-4242-4242",
        ))
        .expect("first payment");
    assert_eq!(first.pg_provider.as_deref(), Some("paymentwall"));
    assert_eq!(first.customer_uid.as_deref(), Some("cust-pw"));
    assert_eq!(first.amount, amount("9.99"));
    let key = client
        .customer_view(&CustomerViewRequest {
            customer_uid: "cust-pw".into(),
        })
        .expect("key");
    let types::BillingKey::Customer(customer) = key else {
        panic!("expected a Customer")
    };
    assert_eq!(customer.customer_email.as_deref(), Some("jane@example.com"));
    assert_eq!(customer.customer_name.as_deref(), Some("Jane Doe"));

    // buyer_email missing, then different: refused with 400 naming the field.
    let mut req = AgainRequest {
        browser_ip: Some("203.0.113.7".into()),
        currency: Some("USD".into()),
        amount: amount("9.99"),
        ..again("cust-pw", "pw-2")
    };
    let err = client.again(&req).expect_err("no buyer_email");
    let (status, _, message) = api_code(&err);
    assert_eq!(status, Some(400));
    assert!(message.contains("buyer_email"), "{message}");
    req.buyer_email = Some("other@example.com".into());
    let err = client.again(&req).expect_err("other e-mail");
    assert!(api_code(&err).2.contains("buyer_email"));
    req.buyer_email = Some("jane@example.com".into());
    let second = client.again(&req).expect("again");
    assert_eq!(second.status, types::PaymentStatus::Paid);
    assert!(matches!(
        second.customer_uid_usage,
        Some(types::PaymentCustomerUidUsage::Payment)
    ));
}

#[test]
fn paymentwall_requires_cvc_and_browser_ip_and_refuses_customer_save() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = paymentwall_onetime("pw-cvc", "c", "4242-4242-4242-4242");
    req.cvc = None;
    let (status, _, message) = api_code(&client.onetime(&req).expect_err("cvc"));
    assert_eq!(status, Some(400));
    assert!(message.contains("cvc"), "{message}");
    let mut req = paymentwall_onetime("pw-ip", "c", "4242-4242-4242-4242");
    req.browser_ip = None;
    assert!(
        api_code(&client.onetime(&req).expect_err("browser_ip"))
            .2
            .contains("browser_ip")
    );

    let save = CustomerSaveRequest {
        customer_uid: "pw-save".into(),
        pg: Some("paymentwall".into()),
        channel_key: iamport_sandbox::channels::PAYMENTWALL.channel_key.into(),
        card_number: "4242-4242-4242-4242".into(),
        expiry: "2039-12".into(),
        cvc: Some("123".into()),
        ..Default::default()
    };
    let err = client
        .customer_save(&save)
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
    let paid = client.onetime(&req).expect("paid on the default channel");
    assert_eq!(paid.pg_provider.as_deref(), Some("paymentwall"));
    let mut keyin = onetime("pwo-2", "4242-4242-4242-4242");
    keyin.pg = Some("keyin".into());
    let (_, code, _) = api_code(&client.onetime(&keyin).expect_err("no key-in channel"));
    assert_eq!(code, Some(1));
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
        match client.onetime(&onetime(&merchant_uid, card)) {
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
            .onetime(&onetime(&merchant_uid, "4242-4242-4242-4242"))
            .expect("retry after decline");
        assert_eq!(retry.status, types::PaymentStatus::Paid);
        let all = client
            .get_all_payments_by_merchant_uid(&GetAllPaymentsByMerchantUidRequest {
                merchant_uid: merchant_uid.clone(),
                ..Default::default()
            })
            .expect("findAll");
        assert_eq!(all.total, 2);
    }
    // A declined onetime with customer_uid stores no key.
    let mut req = onetime("decl-key", "4000-0000-0000-9995");
    req.customer_uid = Some("never-stored".into());
    assert!(matches!(client.onetime(&req), Err(Error::Declined { .. })));
    assert!(
        client
            .customer_view(&CustomerViewRequest {
                customer_uid: "never-stored".into()
            })
            .expect_err("no key")
            .is_not_found()
    );
}

#[test]
fn approve_then_decline_card_and_past_expiry_and_refused_card() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("atd-1", "4000-0000-0000-0341");
    req.customer_uid = Some("atd".into());
    client.onetime(&req).expect("first charge approves");
    match client.again(&again("atd", "atd-2")) {
        Err(Error::Declined { fail_reason, .. }) => {
            assert_eq!(fail_reason.as_deref(), Some(cards::INSUFFICIENT_FUNDS))
        }
        other => panic!("expected a decline, got {other:?}"),
    }

    let mut past = onetime("exp-1", "4242-4242-4242-4242");
    past.expiry = "2001-01".into();
    let (status, code, message) = api_code(&client.onetime(&past).expect_err("expired"));
    assert_eq!((status, code), (Some(200), Some(-1)));
    assert_eq!(message, cards::EXPIRY_IN_PAST);

    let (_, code, message) = api_code(
        &client
            .onetime(&onetime("ref-1", "4000-0000-0000-0127"))
            .expect_err("refused"),
    );
    assert_eq!(code, Some(-1));
    assert_eq!(message, cards::CARD_AUTH_FAILED);
    assert!(matches!(
        client.reconcile("ref-1"),
        Ok(Reconciled::NotCharged)
    ));
}

#[test]
fn customers_save_get_list_payments_delete() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let save = |uid: &str| CustomerSaveRequest {
        customer_uid: uid.into(),
        channel_key: iamport_sandbox::channels::KEYIN.channel_key.into(),
        card_number: "5555-5555-5555-4444".into(),
        expiry: "2039-12".into(),
        customer_name: Some("Kim".into()),
        customer_email: Some("kim@example.com".into()),
        ..Default::default()
    };
    let saved = client.customer_save(&save("k1")).expect("save");
    let types::BillingKey::Customer(saved) = saved else {
        panic!("Customer")
    };
    assert_eq!(saved.card_number.as_deref(), Some("555555******4444"));
    client.customer_save(&save("k2")).expect("save 2");

    let all = client
        .customer_view_multiple(&CustomerViewMultipleRequest {
            customer_uid: vec!["k1".into(), "k2".into()],
        })
        .expect("200");
    assert_eq!(all.len(), 2);
    let some = client
        .customer_view_multiple(&CustomerViewMultipleRequest {
            customer_uid: vec!["k1".into(), "nope".into()],
        })
        .expect("207 is a success");
    assert_eq!(some.len(), 1);

    client.again(&again("k1", "k1-a")).expect("charge");
    client.again(&again("k1", "k1-b")).expect("charge");
    let payments = client
        .customer_payments(&CustomerPaymentsRequest {
            customer_uid: "k1".into(),
            page: None,
        })
        .expect("payments");
    assert_eq!(payments.total, 2);
    assert_eq!(payments.list[0].merchant_uid, "k1-b");

    let deleted = client
        .customer_delete(&CustomerDeleteRequest {
            customer_uid: "k1".into(),
            ..Default::default()
        })
        .expect("delete");
    assert!(matches!(deleted, types::BillingKey::Customer(c) if c.customer_uid == "k1"));
    let err = client
        .customer_view(&CustomerViewRequest {
            customer_uid: "k1".into(),
        })
        .expect_err("gone");
    assert!(err.is_not_found());
    let err = client
        .again(&again("k1", "k1-c"))
        .expect_err("unknown buyer");
    assert_eq!(api_code(&err).1, Some(1));
}

fn schedule_item(merchant_uid: &str, at: i64) -> Schedule {
    Schedule {
        merchant_uid: merchant_uid.into(),
        schedule_at: Timestamp(at),
        currency: "KRW".into(),
        amount: amount("10000"),
        name: "Monthly".into(),
        ..Default::default()
    }
}

#[test]
fn schedules_run_when_the_clock_advances_and_send_webhooks() {
    let hook = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let hook_url = format!("http://{}/hook", hook.local_addr().expect("addr"));
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("s-0", "4242-4242-4242-4242");
    req.customer_uid = Some("sched".into());
    client.onetime(&req).expect("key");

    let now = sandbox.now();
    let mut first = schedule_item("s-1", now + 3600);
    first.notice_url = Some(hook_url.clone());
    let scheduled = client
        .schedule(&ScheduleRequest {
            customer_uid: "sched".into(),
            schedules: vec![first, schedule_item("s-2", now + 7200)],
            ..Default::default()
        })
        .expect("schedule");
    assert_eq!(scheduled.len(), 2);
    assert!(
        scheduled
            .iter()
            .all(|s| s.payment_status.is_none() && s.imp_uid.is_none())
    );

    let range = client
        .find_schedules_by_range(&FindSchedulesByRangeRequest {
            schedule_from: Timestamp(now),
            schedule_to: Timestamp(now + 86_400),
            ..Default::default()
        })
        .expect("range");
    assert_eq!(range.total, 2);

    let moved = client
        .update_schedule_by_mid(&UpdateScheduleByMidRequest {
            merchant_uid: "s-2".into(),
            schedule_at: Timestamp(now + 9000),
        })
        .expect("PUT");
    assert_eq!(moved.schedule_at, Some(Timestamp(now + 9000)));

    // Nothing runs before its time.
    assert!(
        sandbox
            .advance_clock(Duration::from_secs(60))
            .expect("advance")
            .is_empty()
    );
    let executed = sandbox
        .advance_clock(Duration::from_secs(3600))
        .expect("advance");
    assert_eq!(executed.len(), 1);
    let s1 = client
        .get_schedule_by_mid(&GetScheduleByMidRequest {
            merchant_uid: "s-1".into(),
        })
        .expect("s-1");
    assert!(matches!(
        s1.payment_status,
        Some(types::ScheduleResultPaymentStatus::Paid)
    ));
    let imp_uid = s1.imp_uid.clone().expect("imp_uid");
    let payment = client
        .get_payment_by_imp_uid(&GetPaymentByImpUidRequest {
            imp_uid: imp_uid.clone(),
            ..Default::default()
        })
        .expect("payment");
    assert!(matches!(
        payment.customer_uid_usage,
        Some(types::PaymentCustomerUidUsage::PaymentScheduled)
    ));

    // The webhook arrives at our listener: {imp_uid, merchant_uid, status}.
    let body = read_one_request_body(&hook, true);
    let json: serde_json::Value = serde_json::from_str(&body).expect("webhook JSON");
    assert_eq!(
        json,
        serde_json::json!({"imp_uid": imp_uid, "merchant_uid": "s-1", "status": "paid"})
    );

    // Unschedule the other one.
    let revoked = client
        .unschedule(&UnscheduleRequest {
            customer_uid: Some("sched".into()),
            merchant_uid: Some(vec!["s-2".into()]),
        })
        .expect("unschedule");
    assert_eq!(revoked.len(), 1);
    assert!(
        sandbox
            .advance_clock(Duration::from_secs(86_400))
            .expect("advance")
            .is_empty()
    );
    let err = client
        .unschedule(&UnscheduleRequest {
            customer_uid: Some("sched".into()),
            merchant_uid: None,
        })
        .expect_err("nothing left");
    assert_eq!(api_code(&err).1, Some(1));
}

/// Accepts one connection, reads one HTTP request and answers 200 (or 500); returns the body.
fn read_one_request_body(listener: &std::net::TcpListener, ok: bool) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let (stream, _) = listener.accept().expect("webhook connection");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut length = 0usize;
    for _ in 0..100 {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("header line") == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().expect("length");
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).expect("body");
    let status = if ok {
        "200 OK"
    } else {
        "500 Internal Server Error"
    };
    let mut stream = stream;
    let _ = stream.write_all(
        format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").as_bytes(),
    );
    String::from_utf8(body).expect("utf-8")
}

#[test]
fn webhooks_are_retried_after_a_failure() {
    let hook = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let hook_url = format!("http://{}/hook", hook.local_addr().expect("addr"));
    let sandbox = Sandbox::builder()
        .webhook_url(hook_url)
        .start()
        .expect("start");
    let client = client(&sandbox);
    let paid = client
        .onetime(&onetime("wh-1", "4242-4242-4242-4242"))
        .expect("paid");
    let first = read_one_request_body(&hook, false);
    let second = read_one_request_body(&hook, true);
    assert_eq!(first, second);
    assert!(first.contains(&paid.imp_uid));
    let log = sandbox.wait_for_webhooks(Duration::from_secs(20));
    assert_eq!(log.len(), 1);
    assert!(log[0].delivered);
    assert_eq!(log[0].attempts, 2);
}

#[test]
fn failed_schedules_can_be_retried_and_rescheduled() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("f-0", "4000-0000-0000-0341");
    req.customer_uid = Some("flaky".into());
    client.onetime(&req).expect("first charge approves");
    let now = sandbox.now();
    client
        .schedule(&ScheduleRequest {
            customer_uid: "flaky".into(),
            schedules: vec![schedule_item("f-1", now + 60)],
            ..Default::default()
        })
        .expect("schedule");
    let executed = sandbox
        .advance_clock(Duration::from_secs(61))
        .expect("advance");
    assert_eq!(executed[0].payment_status.as_deref(), Some("failed"));
    let s = client
        .get_schedule_by_mid(&GetScheduleByMidRequest {
            merchant_uid: "f-1".into(),
        })
        .expect("s");
    assert_eq!(s.fail_reason.as_deref(), Some(cards::INSUFFICIENT_FUNDS));

    // PUT is only for pending schedules.
    let err = client
        .update_schedule_by_mid(&UpdateScheduleByMidRequest {
            merchant_uid: "f-1".into(),
            schedule_at: Timestamp(now + 9999),
        })
        .expect_err("executed");
    assert_eq!(err.status(), Some(400));
    // retry: still declines (the card declines after its first charge).
    assert!(matches!(
        client.retry_schedule_by_mid(&RetryScheduleByMidRequest {
            merchant_uid: "f-1".into()
        }),
        Err(Error::Declined { .. })
    ));
    let later = sandbox.now() + 3600;
    let rescheduled = client
        .reschedule_by_mid(&RescheduleByMidRequest {
            merchant_uid: "f-1".into(),
            schedule_at: Timestamp(later),
        })
        .expect("reschedule");
    assert!(matches!(
        rescheduled.schedule_status,
        Some(types::ScheduleStatus::Scheduled)
    ));
    let err = client
        .get_schedule_by_mid(&GetScheduleByMidRequest {
            merchant_uid: "unknown".into(),
        })
        .expect_err("404");
    assert!(err.is_not_found());
}

#[test]
fn cancel_full_and_partial_with_checksum() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let paid = client
        .onetime(&onetime("c-1", "4242-4242-4242-4242"))
        .expect("paid");
    let partial = client
        .cancel_payment(&CancelPaymentRequest {
            imp_uid: Some(paid.imp_uid.clone()),
            amount: Some(amount("3000")),
            checksum: Some(amount("10000")),
            reason: Some("partial".into()),
            ..Default::default()
        })
        .expect("partial cancel");
    assert_eq!(partial.cancel_amount, amount("3000"));
    assert_eq!(partial.status, types::PaymentStatus::Paid);
    assert_eq!(partial.cancel_history.as_ref().map(Vec::len), Some(1));

    let err = client
        .cancel_payment(&CancelPaymentRequest {
            merchant_uid: Some("c-1".into()),
            checksum: Some(amount("10000")),
            ..Default::default()
        })
        .expect_err("stale checksum");
    assert_eq!(api_code(&err).1, Some(1));

    let full = client
        .cancel_payment(&CancelPaymentRequest {
            merchant_uid: Some("c-1".into()),
            checksum: Some(amount("7000")),
            ..Default::default()
        })
        .expect("cancel the rest");
    assert_eq!(full.status, types::PaymentStatus::Cancelled);
    assert_eq!(full.cancel_amount, amount("10000"));
    assert_eq!(full.cancel_history.as_ref().map(Vec::len), Some(2));

    let err = client
        .cancel_payment(&CancelPaymentRequest {
            merchant_uid: Some("nope".into()),
            ..Default::default()
        })
        .expect_err("unknown");
    assert_eq!((err.status(), err.code()), (Some(200), Some(1)));
}

#[test]
fn concurrent_identical_again_calls_charge_exactly_once() {
    let sandbox = Sandbox::start();
    let setup = client(&sandbox);
    let mut req = onetime("cc-0", "4242-4242-4242-4242");
    req.customer_uid = Some("conc".into());
    setup.onetime(&req).expect("key");
    let outcomes: Vec<Result<types::Payment, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let c = client(&sandbox);
                scope.spawn(move || c.again(&again("conc", "cc-same")))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    let paid = outcomes.iter().filter(|o| o.is_ok()).count();
    assert_eq!(paid, 1, "{outcomes:?}");
    assert!(
        outcomes
            .iter()
            .filter_map(|o| o.as_ref().err())
            .all(|e| e.code() == Some(1))
    );
    let all = setup
        .get_all_payments_by_merchant_uid(&GetAllPaymentsByMerchantUidRequest {
            merchant_uid: "cc-same".into(),
            ..Default::default()
        })
        .expect("findAll");
    assert_eq!(all.total, 1);
}

#[test]
fn dropped_connection_after_recording_is_an_unknown_outcome_that_reconciles() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("u-0", "4242-4242-4242-4242");
    req.customer_uid = Some("unk".into());
    client.onetime(&req).expect("key");

    sandbox.inject_fault(FaultRule::once_for(
        &iamport::operations::AGAIN,
        Fault::DropConnection,
    ));
    match client.again(&again("unk", "u-1")) {
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => {
            assert_eq!(merchant_uid, "u-1");
            assert!(matches!(
                client.reconcile(&merchant_uid),
                Ok(Reconciled::Paid(_))
            ));
        }
        other => panic!("expected an unknown outcome, got {other:?}"),
    }

    sandbox.inject_fault(FaultRule::once_for(
        &iamport::operations::AGAIN,
        Fault::ServerError {
            status: 503,
            after_processing: false,
        },
    ));
    match client.again(&again("unk", "u-2")) {
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => {
            assert!(matches!(
                client.reconcile(&merchant_uid),
                Ok(Reconciled::NotCharged)
            ));
        }
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    // Faults disarm after use.
    client
        .again(&again("unk", "u-2"))
        .expect("charged normally now");
}

#[test]
fn tokens_expire_with_the_sandbox_clock_and_the_client_refreshes() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    client
        .onetime(&onetime("t-1", "4242-4242-4242-4242"))
        .expect("paid");
    sandbox
        .advance_clock(Duration::from_secs(31 * 60))
        .expect("advance");
    // The client's cached token expired by the sandbox clock; a 401 makes it fetch a new one.
    client
        .onetime(&onetime("t-2", "4242-4242-4242-4242"))
        .expect("paid after refresh");
}

#[test]
fn latency_past_the_client_timeout_is_an_unknown_outcome() {
    let sandbox = Sandbox::start();
    let setup = client(&sandbox);
    setup
        .customer_save(&CustomerSaveRequest {
            customer_uid: "slow".into(),
            channel_key: iamport_sandbox::channels::KEYIN.channel_key.into(),
            card_number: "4242-4242-4242-4242".into(),
            expiry: "2039-12".into(),
            ..Default::default()
        })
        .expect("key");
    setup
        .onetime(&onetime("warm-up", "4242-4242-4242-4242"))
        .expect("token cached");
    let impatient = Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .timeout(Duration::from_millis(300))
        .build()
        .expect("client");
    impatient
        .onetime(&onetime("warm-up-2", "4242-4242-4242-4242"))
        .expect("token cached");
    sandbox.inject_fault(FaultRule::once_for(
        &iamport::operations::AGAIN,
        Fault::Latency(Duration::from_secs(3)),
    ));
    match impatient.again(&again("slow", "slow-1")) {
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => assert_eq!(merchant_uid, "slow-1"),
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    // The sandbox still handles the request after its delay: poll (bounded) until it shows up.
    let mut outcome = None;
    for _ in 0..100 {
        match setup.reconcile("slow-1").expect("reconcile") {
            Reconciled::NotCharged => std::thread::sleep(Duration::from_millis(100)),
            other => {
                outcome = Some(other);
                break;
            }
        }
    }
    assert!(matches!(outcome, Some(Reconciled::Paid(_))), "{outcome:?}");
}

#[test]
fn the_sandbox_stops_on_drop() {
    let sandbox = Sandbox::start();
    let port = sandbox.port();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
    drop(sandbox);
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}
