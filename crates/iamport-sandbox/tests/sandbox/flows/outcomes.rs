//! Cancellations, concurrency, lost answers, timeouts and the merchant_uid reservation, tokens.

use super::*;
use iamport::Request;

#[test]
fn cancel_full_and_partial_with_checksum() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let paid = client
        .charge_card(&onetime("c-1", "4242-4242-4242-4242"))
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
    assert_eq!(partial.cancel_amount, Some(amount("3000")));
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
    assert_eq!(full.cancel_amount, Some(amount("10000")));
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
    setup.charge_card(&req).expect("key");
    let outcomes: Vec<Result<types::Payment, Error>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let c = client(&sandbox);
                scope.spawn(move || c.charge_billing_key(&again("conc", "cc-same")))
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
        .find_all_payments(&FindAllPaymentsRequest::new("cc-same"))
        .expect("findAll");
    assert_eq!(all.total, Some(1));
}

#[test]
fn dropped_connection_after_recording_is_an_unknown_outcome_that_reconciles() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("u-0", "4242-4242-4242-4242");
    req.customer_uid = Some("unk".into());
    client.charge_card(&req).expect("key");

    sandbox.inject_fault(FaultRule::once_for(
        iamport::types::ChargeBillingKeyRequest::OPERATION,
        Fault::DropConnection,
    ));
    match client.charge_billing_key(&again("unk", "u-1")) {
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
        iamport::types::ChargeBillingKeyRequest::OPERATION,
        Fault::ServerError {
            status: 503,
            after_processing: false,
        },
    ));
    match client.charge_billing_key(&again("unk", "u-2")) {
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => {
            assert!(matches!(
                client.reconcile(&merchant_uid),
                Ok(Reconciled::NotFound)
            ));
        }
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    // Faults disarm after use.
    client
        .charge_billing_key(&again("unk", "u-2"))
        .expect("charged normally now");
}

#[test]
fn tokens_expire_with_the_sandbox_clock_and_the_client_refreshes() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    client
        .charge_card(&onetime("t-1", "4242-4242-4242-4242"))
        .expect("paid");
    sandbox
        .advance_clock(Duration::from_secs(31 * 60))
        .expect("advance");
    // The client's cached token expired by the sandbox clock; a 401 makes it fetch a new one.
    client
        .charge_card(&onetime("t-2", "4242-4242-4242-4242"))
        .expect("paid after refresh");
}

#[test]
fn latency_past_the_client_timeout_is_an_unknown_outcome() {
    let sandbox = Sandbox::start();
    let setup = client(&sandbox);
    setup
        .issue_billing_key(&IssueBillingKeyRequest {
            channel_key: Some(iamport_sandbox::channels::KEYIN.channel_key.into()),
            ..IssueBillingKeyRequest::new("slow", "4242-4242-4242-4242", "2039-12")
        })
        .expect("key");
    setup
        .charge_card(&onetime("warm-up", "4242-4242-4242-4242"))
        .expect("token cached");
    let impatient = client_with_timeout(&sandbox, Duration::from_millis(300));
    impatient
        .charge_card(&onetime("warm-up-2", "4242-4242-4242-4242"))
        .expect("token cached");
    sandbox.inject_fault(FaultRule::once_for(
        iamport::types::ChargeBillingKeyRequest::OPERATION,
        Fault::Latency(Duration::from_secs(3)),
    ));
    match impatient.charge_billing_key(&again("slow", "slow-1")) {
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => assert_eq!(merchant_uid, "slow-1"),
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    // The sandbox still handles the request after its delay: poll (bounded) until it shows up.
    let mut outcome = None;
    for _ in 0..100 {
        match setup.reconcile("slow-1").expect("reconcile") {
            Reconciled::NotFound => std::thread::sleep(Duration::from_millis(100)),
            other => {
                outcome = Some(other);
                break;
            }
        }
    }
    assert!(matches!(outcome, Some(Reconciled::Paid(_))), "{outcome:?}");
}

/// A charge delayed past the client's timeout, reconciled too early ("not seen
/// yet"), then re-charged with the SAME merchant_uid, as the safe retry does: one payment at most.
#[test]
fn a_recharge_with_the_same_merchant_uid_after_a_timeout_charges_at_most_once() {
    let sandbox = Sandbox::start();
    let setup = client(&sandbox);
    let mut req = onetime("lat-key", "4242-4242-4242-4242");
    req.customer_uid = Some("lat".into());
    setup.charge_card(&req).expect("key and token");
    let impatient = client_with_timeout(&sandbox, Duration::from_millis(300));
    impatient
        .charge_billing_key(&again("lat", "lat-warm-up"))
        .expect("token cached");
    sandbox.inject_fault(FaultRule::once_for(
        iamport::types::ChargeBillingKeyRequest::OPERATION,
        Fault::Latency(Duration::from_secs(2)),
    ));
    match impatient.charge_billing_key(&again("lat", "lat-1")) {
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => assert_eq!(merchant_uid, "lat-1"),
        other => panic!("expected an unknown outcome, got {other:?}"),
    }
    // Reconciled right away, the first charge is not seen yet...
    let early = setup.reconcile("lat-1").expect("reconcile");
    assert!(early.payment().is_none(), "{early:?}");
    // ...and the re-charge with the same merchant_uid is refused while it is in flight.
    let err = setup
        .charge_billing_key(&again("lat", "lat-1"))
        .expect_err("in flight");
    assert_eq!((err.status(), err.code()), (Some(200), Some(1)), "{err:?}");
    assert!(
        err.message().unwrap_or_default().contains("merchant_uid"),
        "{err:?}"
    );
    // The first charge lands after its delay.
    let mut landed = false;
    for _ in 0..100 {
        if setup.reconcile("lat-1").expect("reconcile").is_paid() {
            landed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(landed, "the delayed charge was recorded");
    // A re-charge now is refused as already paid.
    let err = setup
        .charge_billing_key(&again("lat", "lat-1"))
        .expect_err("paid");
    assert_eq!(err.code(), Some(1), "{err:?}");
    let all = setup
        .find_all_payments(&FindAllPaymentsRequest::new("lat-1"))
        .expect("findAll");
    assert_eq!(all.total, Some(1), "exactly one payment for lat-1");
    // The reservation ends with the charge: a declined merchant_uid can be charged again.
    let mut declined = onetime("lat-2", "4000-0000-0000-9995");
    declined.customer_uid = None;
    assert!(matches!(
        setup.charge_card(&declined),
        Err(Error::Declined { .. })
    ));
    setup
        .charge_card(&onetime("lat-2", "4242-4242-4242-4242"))
        .expect("a declined merchant_uid is free again");
}

/// A schedule's `retry` holds its merchant_uid while in flight too.
#[test]
fn a_retry_in_flight_holds_its_merchant_uid() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("rf-0", "4000-0000-0000-0341");
    req.customer_uid = Some("flaky-rf".into());
    client.charge_card(&req).expect("first charge approves");
    let now = sandbox.now();
    client
        .schedule_payments(&SchedulePaymentsRequest::new(
            "flaky-rf",
            vec![schedule_item("rf-1", now + 60)],
        ))
        .expect("schedule");
    sandbox
        .advance_clock(Duration::from_secs(61))
        .expect("advance");
    sandbox.inject_fault(FaultRule::once_for(
        iamport::types::RetryScheduleRequest::OPERATION,
        Fault::Latency(Duration::from_secs(1)),
    ));
    std::thread::scope(|scope| {
        let slow = client.clone();
        let retry = scope.spawn(move || {
            slow.retry_schedule(&RetryScheduleRequest {
                merchant_uid: "rf-1".into(),
            })
        });
        std::thread::sleep(Duration::from_millis(300));
        let err = client
            .charge_billing_key(&again("flaky-rf", "rf-1"))
            .expect_err("in flight");
        assert_eq!((err.status(), err.code()), (Some(200), Some(1)), "{err:?}");
        assert!(matches!(
            retry.join().expect("thread"),
            Err(Error::Declined { .. })
        ));
    });
    // Released once handled: the declined merchant_uid can be tried again.
    assert!(matches!(
        client.charge_billing_key(&again("flaky-rf", "rf-1")),
        Err(Error::Declined { .. })
    ));
}

/// AMEX (15 digits, 4-digit cvc), Diners (14) and 16-digit cards, with and
/// without dashes, and a 19-character "First Last" on PAYMENTWALL.
#[test]
fn amex_diners_and_undashed_cards_are_accepted() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let cases = [
        ("3782-822463-10005", "378282*****0005", "AMX"),
        ("378282246310005", "378282*****0005", "AMX"),
        ("3056-930902-5904", "305693****5904", "DIN"),
        ("30569309025904", "305693****5904", "DIN"),
        ("4242424242424242", "424242******4242", "VIS"),
    ];
    for (i, (card, masked, brand)) in cases.iter().enumerate() {
        let paid = client
            .charge_card(&onetime(&format!("amex-{i}"), card))
            .unwrap_or_else(|e| panic!("{card}: {e:?}"));
        assert_eq!(paid.status, types::PaymentStatus::Paid, "{card}");
        assert_eq!(paid.card_number.as_deref(), Some(*masked), "{card}");
        assert_eq!(paid.card_code.as_deref(), Some(*brand), "{card}");
    }
    // The AMEX decline card declines however it is written.
    assert!(matches!(
        client.charge_card(&onetime("amex-decl", "371449635398431")),
        Err(Error::Declined { .. })
    ));
    // PAYMENTWALL with an AMEX card wants its 4-digit cvc, and takes a 19-character name.
    let mut req = paymentwall_onetime("amex-pw", "amex-pw-c", "3782-822463-10005");
    req.cvc = Some("1234".into());
    req.buyer_name = Some("Christopher Johnson".into());
    let paid = client.charge_card(&req).expect("AMEX on PAYMENTWALL");
    assert_eq!(paid.buyer_name.as_deref(), Some("Christopher Johnson"));
    let mut req = paymentwall_onetime("amex-pw-3", "amex-pw-c3", "3782-822463-10005");
    req.cvc = Some("123".into());
    let err = client.charge_card(&req).expect_err("3-digit cvc on AMEX");
    assert_eq!((err.status(), err.code()), (Some(200), Some(-1)), "{err:?}");
    // A billing key on an AMEX card charges again.
    let save = IssueBillingKeyRequest::new("amex-key", "3782 822463 10005", "2039-12");
    client.issue_billing_key(&save).expect("AMEX billing key");
    let paid = client
        .charge_billing_key(&again("amex-key", "amex-again"))
        .expect("again");
    assert_eq!(paid.card_number.as_deref(), Some("378282*****0005"));
}

/// `GET /users/pg` lists the merchant's channels; a key from it issues a
/// billing key.
#[test]
fn pg_settings_list_the_channel_keys() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let settings = client.list_pg_settings().expect("GET /users/pg");
    let keys: Vec<(&str, Option<&str>)> = settings
        .iter()
        .map(|s| (s.pg_provider.as_str(), s.channel_key.as_deref()))
        .collect();
    assert_eq!(
        keys,
        [
            ("keyin", Some(iamport_sandbox::channels::KEYIN.channel_key)),
            (
                "paymentwall",
                Some(iamport_sandbox::channels::PAYMENTWALL.channel_key)
            ),
        ]
    );
    assert_eq!(settings[0].r#type.as_deref(), Some("api_payment"));
    let save = IssueBillingKeyRequest {
        channel_key: settings[0].channel_key.clone(),
        ..IssueBillingKeyRequest::new("from-pg-list", "4242-4242-4242-4242", "2039-12")
    };
    let key = client.issue_billing_key(&save).expect("billing key");
    assert!(!key.is_super(), "a card's billing key: {key:?}");
    assert_eq!(key.pg_id.as_deref(), Some(settings[0].pg_id.as_str()));

    let only = Sandbox::builder()
        .paymentwall_only()
        .start()
        .expect("start");
    let settings = self::client(&only).list_pg_settings().expect("list");
    assert_eq!(settings.len(), 1);
    assert_eq!(settings[0].pg_provider, "paymentwall");
}

#[test]
fn the_sandbox_stops_on_drop() {
    let sandbox = Sandbox::start();
    let port = sandbox.port();
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_ok());
    drop(sandbox);
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}
