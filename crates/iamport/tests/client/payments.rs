//! Charges and cancels over real HTTP: declines, other statuses, unknown outcomes, reconcile.

use iamport_test_support as support;

use iamport::types::{
    CancelPaymentRequest, ChargeBillingKeyRequest, ChargeCardRequest, PaymentStatus,
    RetryScheduleRequest,
};
use iamport::{Error, Reconciled};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Reply, TestServer, api_error, ok, payment};

fn again(merchant_uid: &str) -> ChargeBillingKeyRequest {
    ChargeBillingKeyRequest {
        currency: Some("USD".into()),
        buyer_email: Some("jane@example.com".into()),
        browser_ip: Some("203.0.113.7".into()),
        ..ChargeBillingKeyRequest::new(
            "customer-42-card-1",
            merchant_uid,
            "9.99".parse::<iamport::Amount>().unwrap(),
            "Pro plan",
        )
    }
}

fn onetime(merchant_uid: &str) -> ChargeCardRequest {
    ChargeCardRequest {
        pg: Some("paymentwall".into()),
        customer_uid: Some("customer-42-card-1".into()),
        cvc: Some("123".into()),
        buyer_email: Some("jane@example.com".into()),
        browser_ip: Some("203.0.113.7".into()),
        ..ChargeCardRequest::new(
            merchant_uid,
            "9.99".parse::<iamport::Amount>().unwrap(),
            "4242-4242-4242-4242",
            "2029-12",
        )
    }
}

const AGAIN: &str = "/subscribe/payments/again";
const ONETIME: &str = "/subscribe/payments/onetime";

#[test]
fn a_paid_charge_is_ok_and_sends_the_card_in_the_body() {
    let server = TestServer::with_token(|_| ok(payment("imp_1", "order-1", "paid", None)));
    let p = server.client().charge_card(&onetime("order-1")).unwrap();
    assert_eq!(p.status, PaymentStatus::Paid);
    assert_eq!(p.amount.to_string(), "9.99");
    let sent = server
        .requests()
        .into_iter()
        .find(|r| r.is("POST", ONETIME))
        .unwrap();
    assert_eq!(sent.header("content-type"), Some("application/json"));
    let body = sent.json();
    assert_eq!(body["card_number"], "4242-4242-4242-4242");
    assert_eq!(body["pg"], "paymentwall");
    assert_eq!(body["amount"].to_string(), "9.99");
}

#[test]
fn a_declined_charge_is_an_error_carrying_the_payment_and_fail_reason() {
    let server = TestServer::with_token(|_| {
        ok(payment(
            "imp_2",
            "order-2",
            "failed",
            Some("Insufficient funds"),
        ))
    });
    let err = server
        .client()
        .charge_billing_key(&again("order-2"))
        .unwrap_err();
    match &err {
        Error::Declined {
            operation,
            fail_reason,
            payment,
        } => {
            assert_eq!(*operation, "again");
            assert_eq!(fail_reason.as_deref(), Some("Insufficient funds"));
            assert_eq!(payment.imp_uid, "imp_2");
            assert_eq!(payment.status, PaymentStatus::Failed);
        }
        other => panic!("expected a decline, got {other:?}"),
    }
    assert_eq!(err.message(), Some("Insufficient funds"));
    assert!(err.to_string().contains("Insufficient funds"));
    // A decline is final: never repeated.
    assert_eq!(server.count("POST", AGAIN), 1);
}

#[test]
fn a_decline_on_onetime_and_on_schedule_retry_is_an_error_too() {
    let server =
        TestServer::with_token(|_| ok(payment("imp_3", "order-3", "failed", Some("Stolen card"))));
    let client = server.client();
    assert!(matches!(
        client.charge_card(&onetime("order-3")),
        Err(Error::Declined {
            operation: "onetime",
            ..
        })
    ));
    let retry = RetryScheduleRequest {
        merchant_uid: "order-3".into(),
    };
    assert!(matches!(
        client.retry_schedule(&retry),
        Err(Error::Declined {
            operation: "retryScheduleByMid",
            ..
        })
    ));
}

#[test]
fn a_charge_in_any_other_status_is_not_paid() {
    let server = TestServer::with_token(|_| ok(payment("imp_4", "order-4", "ready", None)));
    let err = server
        .client()
        .charge_billing_key(&again("order-4"))
        .unwrap_err();
    match err {
        Error::NotPaid {
            status, payment, ..
        } => {
            assert_eq!(status, PaymentStatus::Ready);
            assert_eq!(payment.imp_uid, "imp_4");
        }
        other => panic!("expected NotPaid, got {other:?}"),
    }
}

#[test]
fn a_failed_cancel_is_a_decline_and_a_cancelled_payment_is_ok() {
    let answer = Arc::new(Mutex::new("failed"));
    let server = {
        let answer = answer.clone();
        TestServer::with_token(move |_| {
            let status = *answer.lock().unwrap();
            ok(payment(
                "imp_5",
                "order-5",
                status,
                (status == "failed").then_some("PG refused the cancel"),
            ))
        })
    };
    let client = server.client();
    let cancel = CancelPaymentRequest {
        imp_uid: Some("imp_5".into()),
        ..Default::default()
    };
    let err = client.cancel_payment(&cancel).unwrap_err();
    assert!(
        matches!(&err, Error::Declined { operation: "cancelPayment", fail_reason: Some(r), .. } if r == "PG refused the cancel"),
        "{err:?}"
    );
    *answer.lock().unwrap() = "cancelled";
    assert_eq!(
        client.cancel_payment(&cancel).unwrap().status,
        PaymentStatus::Cancelled
    );
}

#[test]
fn a_timeout_after_the_server_charged_is_an_unknown_outcome_that_reconcile_resolves() {
    // The server records the payment as paid, then answers too late for the client.
    let charged: Arc<Mutex<Vec<String>>> = Arc::default();
    let server = {
        let charged = charged.clone();
        TestServer::with_token(move |req| {
            if req.is("POST", AGAIN) {
                let merchant_uid = req.json()["merchant_uid"].as_str().unwrap().to_owned();
                charged.lock().unwrap().push(merchant_uid.clone());
                ok(payment("imp_6", &merchant_uid, "paid", None)).delayed(Duration::from_secs(5))
            } else if let Some(mid) = req.path.strip_prefix("/payments/find/") {
                if charged.lock().unwrap().iter().any(|m| m == mid) {
                    ok(payment("imp_6", mid, "paid", None))
                } else {
                    api_error(404, -1, "존재하지 않는 결제정보입니다.")
                }
            } else {
                api_error(400, 1, "unexpected")
            }
        })
    };
    let client = server
        .builder()
        .read_timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let err = client.charge_billing_key(&again("order-6")).unwrap_err();
    let merchant_uid = match &err {
        Error::OutcomeUnknown {
            operation,
            merchant_uid,
            source,
        } => {
            assert_eq!(*operation, "again");
            assert!(matches!(**source, Error::Transport { .. }), "{source:?}");
            merchant_uid.clone()
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    };
    assert_eq!(merchant_uid, "order-6");
    assert!(err.is_timeout());
    // Never retried blindly.
    assert_eq!(server.count("POST", AGAIN), 1);
    match client.reconcile(&merchant_uid).unwrap() {
        Reconciled::Paid(payment) => assert_eq!(payment.imp_uid, "imp_6"),
        other => panic!("expected Paid, got {other:?}"),
    }
    assert_eq!(server.count("GET", "/payments/find/order-6"), 1);
    assert!(matches!(
        client.reconcile("order-never-sent").unwrap(),
        Reconciled::NotFound
    ));
}

#[test]
fn reconcile_reports_declines_and_other_statuses() {
    let server = TestServer::with_token(|req| match req.path.as_str() {
        "/payments/find/declined" => {
            ok(payment("imp_7", "declined", "failed", Some("Do not honor")))
        }
        "/payments/find/ready" => ok(payment("imp_8", "ready", "ready", None)),
        _ => api_error(500, -1, "internal"),
    });
    let client = server.client();
    match client.reconcile("declined").unwrap() {
        Reconciled::Declined(p) => assert_eq!(p.fail_reason.as_deref(), Some("Do not honor")),
        other => panic!("{other:?}"),
    }
    assert!(
        matches!(client.reconcile("ready").unwrap(), Reconciled::Other(p) if p.imp_uid == "imp_8")
    );
    // A failing look-up is an error, not "not charged".
    let err = client.reconcile("broken").unwrap_err();
    assert_eq!(err.status(), Some(500));
}

#[test]
fn a_closed_connection_on_a_charge_is_an_unknown_outcome() {
    let server = TestServer::with_token(|req| {
        if req.is("POST", ONETIME) {
            Reply::Hangup {
                delay: Duration::ZERO,
            }
        } else {
            api_error(400, 1, "no")
        }
    });
    let err = server
        .client()
        .charge_card(&onetime("order-10"))
        .unwrap_err();
    assert!(
        matches!(&err, Error::OutcomeUnknown { merchant_uid, operation: "onetime", .. } if merchant_uid == "order-10"),
        "{err:?}"
    );
    assert_eq!(server.count("POST", ONETIME), 1);
}

#[test]
fn a_5xx_without_an_envelope_on_a_charge_is_an_unknown_outcome_and_not_retried() {
    let server = TestServer::with_token(|_| Reply::text(502, "<html>Bad Gateway</html>"));
    let err = server
        .client()
        .charge_billing_key(&again("order-11"))
        .unwrap_err();
    match &err {
        Error::OutcomeUnknown { source, .. } => {
            assert!(
                matches!(**source, Error::Http { status: 502, .. }),
                "{source:?}"
            )
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(err.status(), Some(502));
    assert_eq!(server.count("POST", AGAIN), 1);
}

#[test]
fn a_5xx_with_an_envelope_on_a_charge_is_an_unknown_outcome_too() {
    // A PG timeout surfaces as i'mport's own 500: it proves nothing about the card.
    let server = TestServer::with_token(|_| api_error(500, -1, "PG사 통신 시간 초과"));
    let client = server.client();
    let retry = RetryScheduleRequest {
        merchant_uid: "order-12".into(),
    };
    let err = client.retry_schedule(&retry).unwrap_err();
    match &err {
        Error::OutcomeUnknown {
            operation: "retryScheduleByMid",
            merchant_uid,
            source,
        } => {
            assert_eq!(merchant_uid, "order-12");
            assert!(
                matches!(&**source, Error::Api { status: 500, message: Some(m), .. } if m == "PG사 통신 시간 초과"),
                "{source:?}"
            );
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert_eq!(err.status(), Some(500));
    let err = client.charge_billing_key(&again("order-12b")).unwrap_err();
    assert!(matches!(&err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(
        server.count("POST", "/subscribe/payments/schedule/order-12/retry"),
        1
    );
    assert_eq!(server.count("POST", AGAIN), 1);
}

#[test]
fn a_charge_that_could_not_connect_is_a_plain_transport_error() {
    // A port nobody listens on: the request certainly never left.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = iamport::Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .imp_key(support::IMP_KEY)
        .imp_secret(support::IMP_SECRET)
        .build()
        .unwrap();
    // The token fetch already fails: nothing was charged, so it is not an unknown outcome.
    let err = client.charge_billing_key(&again("order-13")).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                operation: "getToken",
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn invalid_charges_are_refused_before_any_request() {
    let server = TestServer::with_token(|_| ok(payment("imp_1", "x", "paid", None)));
    let mut request = onetime("order-14");
    request.expiry = "12/29".into();
    let err = server.client().charge_card(&request).unwrap_err();
    match err {
        Error::Validation(v) => {
            assert_eq!(v.field(), "expiry");
            // A message a person can act on, from the spec's `x-pattern-text`, not the regex.
            assert_eq!(v.rule(), "must be YYYY-MM (e.g. 2029-12)");
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

/// The field and rule of the validation error `result` must be.
fn refused<T: std::fmt::Debug>(result: Result<T, Error>) -> (String, String) {
    match result {
        Err(Error::Validation(v)) => (v.field().to_owned(), v.rule().to_owned()),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn amounts_and_lengths_where_iamport_is_strict_are_refused_before_any_request() {
    use iamport::Amount;
    use iamport::types::{Schedule, SchedulePaymentsRequest};
    let server = TestServer::with_token(|_| ok(payment("imp_1", "x", "paid", None)));
    let client = server.client();
    for amount in ["0", "-1000", "-0.01"] {
        let mut charge = again("order-zero");
        charge.amount = amount.parse().unwrap();
        let (field, rule) = refused(client.charge_billing_key(&charge));
        assert_eq!(
            (field.as_str(), rule.as_str()),
            (
                "amount",
                format!("must be greater than 0 (is {amount})").as_str()
            )
        );
        let mut card = onetime("order-zero");
        card.amount = amount.parse().unwrap();
        assert_eq!(refused(client.charge_card(&card)).0, "amount");
    }
    let mut vat_above = again("order-vat");
    vat_above.amount = Amount::from(1000);
    vat_above.vat_amount = Some(Amount::from(1001));
    let (field, rule) = refused(client.charge_billing_key(&vat_above));
    assert_eq!(field, "vat_amount");
    assert!(rule.starts_with("must be at most `amount`"), "{rule}");
    vat_above.vat_amount = Some("-1".parse().unwrap());
    assert_eq!(
        refused(client.charge_billing_key(&vat_above)).0,
        "vat_amount"
    );
    vat_above.vat_amount = Some(Amount::from(1000));
    client.charge_billing_key(&vat_above).unwrap();

    let mut card = onetime("order-long-card");
    card.card_number = "4242-4242-4242-4242-4".into();
    let (field, rule) = refused(client.charge_card(&card));
    assert_eq!(field, "card_number");
    assert!(rule.starts_with("must have at most 16 digits"), "{rule}");

    let schedule = |merchant_uid: &str, amount: i64| {
        SchedulePaymentsRequest::new(
            "customer-42-card-1",
            vec![Schedule::new(
                merchant_uid,
                4_102_444_800,
                "KRW",
                amount,
                "plan",
            )],
        )
    };
    let (field, rule) = refused(client.schedule_payments(&schedule(&"m".repeat(41), 1000)));
    assert_eq!(field, "schedules[0].merchant_uid");
    assert_eq!(rule, "must be at most 40 characters long (is 41)");
    assert_eq!(
        refused(client.schedule_payments(&schedule("order-s", 0))).0,
        "schedules[0].amount"
    );
    // Only the one valid charge above went out.
    let sent: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| !r.is_get_token())
        .collect();
    assert_eq!(sent.len(), 1);
}

#[test]
fn an_undecodable_success_body_on_a_charge_is_an_unknown_outcome() {
    // code 0 with a payment that breaks the spec: the card may have been charged.
    let server = TestServer::with_token(|_| {
        let mut p = payment("imp_15", "order-15", "paid", None);
        p["amount"] = serde_json::json!({"total": 8900});
        ok(p)
    });
    let err = server
        .client()
        .charge_billing_key(&again("order-15"))
        .unwrap_err();
    match &err {
        Error::OutcomeUnknown {
            merchant_uid,
            source,
            ..
        } => {
            assert_eq!(merchant_uid, "order-15");
            assert!(
                matches!(**source, Error::Decode { status: 200, .. }),
                "{source:?}"
            );
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}
