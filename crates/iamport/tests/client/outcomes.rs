//! Unknown outcomes over real HTTP: the safe re-charge (same `merchant_uid`), "not seen yet",
//! lost cancels, and which 404s prove anything.

use iamport_test_support as support;

use iamport::types::{CancelPaymentRequest, ChargeBillingKeyRequest, GetPaymentRequest};
use iamport::{Error, Reconciled};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use support::{Reply, TestServer, api_error, ok, payment};

const AGAIN: &str = "/subscribe/payments/again";

fn again(merchant_uid: &str) -> ChargeBillingKeyRequest {
    ChargeBillingKeyRequest::new(
        "customer-42-card-1",
        merchant_uid,
        "9.99".parse::<iamport::Amount>().unwrap(),
        "Pro plan",
    )
}

/// A server that behaves like i'mport under load: a charge is accepted at once but becomes
/// visible to look-ups only once the card company answered (`processing` later), and a second
/// charge for a `merchant_uid` already taken is refused with `code: 1`.
struct SlowPg {
    server: TestServer,
    /// merchant_uid -> (imp_uid, visible from)
    payments: Arc<Mutex<HashMap<String, (String, Instant)>>>,
}

impl SlowPg {
    fn start(processing: Duration) -> SlowPg {
        let payments: Arc<Mutex<HashMap<String, (String, Instant)>>> = Arc::default();
        let server = {
            let payments = payments.clone();
            TestServer::with_token(move |req| {
                if req.is("POST", AGAIN) {
                    let mid = req.json()["merchant_uid"].as_str().unwrap().to_owned();
                    let mut payments = payments.lock().unwrap();
                    if payments.contains_key(&mid) {
                        return api_error(200, 1, "이미 결제된 주문번호입니다.");
                    }
                    let imp_uid = format!("imp_{}", payments.len() + 1);
                    payments.insert(mid.clone(), (imp_uid.clone(), Instant::now() + processing));
                    ok(payment(&imp_uid, &mid, "paid", None)).delayed(processing)
                } else if let Some(mid) = req.path.strip_prefix("/payments/find/") {
                    match payments.lock().unwrap().get(mid) {
                        Some((imp_uid, visible)) if Instant::now() >= *visible => {
                            ok(payment(imp_uid, mid, "paid", None))
                        }
                        _ => api_error(404, -1, "존재하지 않는 결제정보입니다."),
                    }
                } else {
                    api_error(400, 1, "unexpected")
                }
            })
        };
        SlowPg { server, payments }
    }
}

#[test]
fn a_recharge_with_the_same_merchant_uid_after_a_timeout_charges_at_most_once() {
    let pg = SlowPg::start(Duration::from_millis(1200));
    let client = pg
        .server
        .builder()
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let request = again("renewal-2026-02");

    let err = client.charge_billing_key(&request).unwrap_err();
    let merchant_uid = match &err {
        Error::OutcomeUnknown { merchant_uid, .. } => merchant_uid.clone(),
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    };
    // i'mport is still processing: not seen yet, which proves nothing.
    let early = client.reconcile(&merchant_uid).unwrap();
    assert!(matches!(early, Reconciled::NotFound), "{early:?}");
    assert!(early.payment().is_none() && !early.is_paid());

    // The documented safe retry: the same request, same merchant_uid. i'mport refuses it, as a
    // typed duplicate that the recipe answers by reconciling again.
    let retry = client.charge_billing_key(&request).unwrap_err();
    assert!(
        matches!(
            &retry,
            Error::DuplicateMerchantUid { code: 1, merchant_uid, .. } if merchant_uid == "renewal-2026-02"
        ),
        "{retry:?}"
    );
    assert_eq!(retry.status(), Some(200));

    // Once the first request completed, reconcile finds the one payment.
    std::thread::sleep(Duration::from_millis(1300));
    match client.reconcile(&merchant_uid).unwrap() {
        Reconciled::Paid(p) => assert_eq!(p.imp_uid, "imp_1"),
        other => panic!("expected Paid, got {other:?}"),
    }
    assert_eq!(pg.payments.lock().unwrap().len(), 1, "one payment at most");
    assert_eq!(pg.server.count("POST", AGAIN), 2);
}

#[test]
fn reconcile_treats_only_an_imp_envelope_404_as_not_seen() {
    let server = TestServer::with_token(|req| match req.path.as_str() {
        "/payments/find/enveloped" => api_error(404, -1, "존재하지 않는 결제정보입니다."),
        _ => Reply::text(404, "<html><body>404 Not Found</body><hr>nginx</html>"),
    });
    let client = server.client();
    assert!(matches!(
        client.reconcile("enveloped").unwrap(),
        Reconciled::NotFound
    ));
    let err = client.reconcile("behind-a-proxy").unwrap_err();
    assert!(matches!(&err, Error::Http { status: 404, .. }), "{err:?}");
    assert!(!err.is_not_found());
}

fn cancel_by_imp_uid() -> CancelPaymentRequest {
    CancelPaymentRequest {
        imp_uid: Some("imp_77".into()),
        reason: Some("customer asked".into()),
        ..Default::default()
    }
}

#[test]
fn a_cancel_whose_answer_is_lost_is_an_unknown_outcome_with_its_keys() {
    let cancelled = Arc::new(Mutex::new(false));
    let server = {
        let cancelled = cancelled.clone();
        TestServer::with_token(move |req| {
            if req.is("POST", "/payments/cancel") {
                *cancelled.lock().unwrap() = true;
                ok(payment("imp_77", "order-77", "cancelled", None)).delayed(Duration::from_secs(3))
            } else if req.path == "/payments/imp_77" {
                let status = if *cancelled.lock().unwrap() {
                    "cancelled"
                } else {
                    "paid"
                };
                ok(payment("imp_77", "order-77", status, None))
            } else {
                api_error(400, 1, "unexpected")
            }
        })
    };
    let client = server
        .builder()
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client.cancel_payment(&cancel_by_imp_uid()).unwrap_err();
    match &err {
        Error::CancelOutcomeUnknown {
            operation: "cancelPayment",
            imp_uid,
            merchant_uid,
            source,
        } => {
            assert_eq!(imp_uid.as_deref(), Some("imp_77"));
            assert_eq!(merchant_uid, &None);
            assert!(matches!(**source, Error::Transport { .. }), "{source:?}");
        }
        other => panic!("expected CancelOutcomeUnknown, got {other:?}"),
    }
    assert!(err.is_timeout());
    // Never repeated automatically.
    assert_eq!(server.count("POST", "/payments/cancel"), 1);
    // The way to reconcile: look the payment up.
    match client.reconcile_imp_uid("imp_77").unwrap() {
        Reconciled::Cancelled(p) => assert_eq!(p.imp_uid, "imp_77"),
        other => panic!("expected Cancelled, got {other:?}"),
    }
}

#[test]
fn a_5xx_on_a_cancel_is_an_unknown_outcome_with_or_without_an_envelope() {
    let server = TestServer::with_token(|req| {
        if req.json()["imp_uid"] == "imp_env" {
            api_error(500, -1, "PG사 통신 오류")
        } else {
            Reply::text(504, "<html>Gateway Timeout</html>")
        }
    });
    let client = server.client();
    for (imp_uid, status) in [("imp_env", 500), ("imp_bare", 504)] {
        let request = CancelPaymentRequest {
            imp_uid: Some(imp_uid.into()),
            merchant_uid: Some(format!("order-of-{imp_uid}")),
            ..Default::default()
        };
        let err = client.cancel_payment(&request).unwrap_err();
        assert!(
            matches!(&err, Error::CancelOutcomeUnknown { merchant_uid: Some(m), .. } if *m == format!("order-of-{imp_uid}")),
            "{err:?}"
        );
        assert_eq!(err.status(), Some(status));
    }
    assert_eq!(server.count("POST", "/payments/cancel"), 2);
}

#[test]
fn a_refused_cancel_is_an_api_error_not_an_unknown_outcome() {
    let server =
        TestServer::with_token(|_| api_error(200, 1, "취소할 결제건이 존재하지 않습니다."));
    let err = server
        .client()
        .cancel_payment(&cancel_by_imp_uid())
        .unwrap_err();
    assert!(matches!(&err, Error::Api { code: 1, .. }), "{err:?}");
    let lookup = GetPaymentRequest::new("imp_77");
    // Reads of an unknown payment answered 200 + code != 0 stay plain API errors.
    let err = server.client().get_payment(&lookup).unwrap_err();
    assert!(matches!(&err, Error::Api { .. }), "{err:?}");
}

#[test]
fn an_unknown_billing_key_is_one_not_found_error_whether_404_or_200_with_a_code() {
    use iamport::types::{DeleteBillingKeyRequest, GetBillingKeyRequest};
    // The real server answers HTTP 200 + code 1 (official Python SDK tests); the published spec
    // says 404. Both are the same error for the caller.
    let server = TestServer::with_token(|req| {
        let as_404 = req.path.ends_with("-404") || req.query.contains("404");
        match (req.method.as_str(), req.path.as_str()) {
            (_, p) if p.starts_with("/subscribe/customers/") && as_404 => api_error(
                404,
                1,
                "요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다.",
            ),
            (_, p) if p.starts_with("/subscribe/customers/") => api_error(
                200,
                1,
                "요청하신 customer_uid(cust-x)로 등록된 정보를 찾을 수 없습니다.",
            ),
            ("POST", AGAIN) => match req.json()["customer_uid"].as_str() {
                Some("cust-unknown") => api_error(200, 1, "등록되지 않은 구매자입니다."),
                Some("cust-unknown-404") => api_error(404, 1, "등록되지 않은 구매자입니다."),
                _ => api_error(200, -1, "비인증결제모듈 사용정보를 찾을 수 없습니다."),
            },
            _ => api_error(400, 1, "unexpected"),
        }
    });
    let client = server.client();
    let view = |uid: &str| GetBillingKeyRequest {
        customer_uid: uid.into(),
    };
    let delete = |uid: &str| DeleteBillingKeyRequest::new(uid);
    let charge = |uid: &str| ChargeBillingKeyRequest {
        customer_uid: uid.into(),
        ..again("order-nf")
    };
    let errors = [
        client.get_billing_key(&view("cust-x")).unwrap_err(),
        client.get_billing_key(&view("cust-x-404")).unwrap_err(),
        client.delete_billing_key(&delete("cust-x")).unwrap_err(),
        client
            .delete_billing_key(&delete("cust-x-404"))
            .unwrap_err(),
        client
            .charge_billing_key(&charge("cust-unknown"))
            .unwrap_err(),
        client
            .charge_billing_key(&charge("cust-unknown-404"))
            .unwrap_err(),
    ];
    for err in &errors {
        assert!(
            matches!(
                err,
                Error::NotFound {
                    code: 1,
                    message: Some(_),
                    ..
                }
            ),
            "{err:?}"
        );
        assert!(err.is_not_found());
    }
    // The status says how i'mport answered.
    assert_eq!(errors[0].status(), Some(200));
    assert_eq!(errors[1].status(), Some(404));
    assert_eq!(errors[0].operation_id(), Some("customerView"));
    assert_eq!(errors[4].operation_id(), Some("again"));
    // Another refusal of a charge stays what it is.
    let other = client
        .charge_billing_key(&charge("cust-no-channel"))
        .unwrap_err();
    assert!(matches!(&other, Error::Api { code: -1, .. }), "{other:?}");
}
