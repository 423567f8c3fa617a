//! The error model over real HTTP: API codes, 4xx messages, 404, decode errors, retries,
//! and the base-URL rules.

use iamport_test_support as support;

use iamport::types::{
    GetPaymentRequest, ListBillingKeysRequest, ListSchedulesRequest, Schedule,
    SchedulePaymentsRequest,
};
use iamport::{Client, ConfigError, Error, Timestamp};
use serde_json::json;
use support::{Reply, TestServer, api_error, ok, payment};

fn lookup(imp_uid: &str) -> GetPaymentRequest {
    GetPaymentRequest::new(imp_uid)
}

fn schedule() -> SchedulePaymentsRequest {
    SchedulePaymentsRequest::new(
        "customer-42",
        vec![Schedule::new(
            "sched-1",
            Timestamp(1_767_225_600),
            "USD",
            "9.99".parse::<iamport::Amount>().unwrap(),
            "Pro plan",
        )],
    )
}

#[test]
fn a_non_zero_code_under_http_200_is_an_api_error_with_its_message() {
    let server = TestServer::with_token(|_| api_error(200, 1, "예약 시각이 이미 지났습니다."));
    let err = server.client().schedule_payments(&schedule()).unwrap_err();
    match &err {
        Error::Api {
            operation,
            status,
            code,
            message,
            extra,
        } => {
            assert!(extra.is_none());
            assert_eq!(*operation, "schedule");
            assert_eq!(*status, 200);
            assert_eq!(*code, 1);
            assert_eq!(message.as_deref(), Some("예약 시각이 이미 지났습니다."));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(err.to_string().contains("예약 시각이 이미 지났습니다."));
    assert_eq!(err.code(), Some(1));
}

#[test]
fn a_400_body_message_reaches_the_caller() {
    let server =
        TestServer::with_token(|_| api_error(400, -1, "이니시스 빌링결제는 상품명이 필수입니다."));
    let err = server.client().schedule_payments(&schedule()).unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Api {
                status: 400,
                code: -1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.message(),
        Some("이니시스 빌링결제는 상품명이 필수입니다.")
    );
    assert!(err.to_string().contains("상품명이 필수"));
}

#[test]
fn a_404_is_not_found_only_with_an_envelope() {
    let server = TestServer::with_token(|req| {
        if req.path.ends_with("enveloped") {
            api_error(404, -1, "존재하지 않는 결제정보입니다.")
        } else {
            Reply::text(404, "Not Found")
        }
    });
    let client = server.client();
    let err = client.get_payment(&lookup("imp_enveloped")).unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(err.message(), Some("존재하지 않는 결제정보입니다."));
    let err = client.get_payment(&lookup("imp_bare")).unwrap_err();
    // A proxy's 404 page says nothing about i'mport's data.
    assert!(matches!(err, Error::Http { status: 404, .. }), "{err:?}");
    assert!(!err.is_not_found());
    // A 404 is an answer, not a failure: not retried.
    assert_eq!(server.count("GET", "/payments/imp_bare"), 1);
}

#[test]
fn a_body_that_does_not_match_the_spec_is_a_redacted_decode_error() {
    let server = TestServer::with_token(|_| {
        let mut p = payment("imp_1", "order-1", "paid", None);
        p["amount"] = json!({"total": 8900});
        p["card_number"] = json!("4111-1111-1111-1111");
        p["buyer_email"] = json!("private@example.com");
        ok(p)
    });
    let err = server.client().get_payment(&lookup("imp_1")).unwrap_err();
    let Error::Decode {
        status,
        reason,
        excerpt,
        ..
    } = &err
    else {
        panic!("expected Decode, got {err:?}")
    };
    assert_eq!(*status, 200);
    assert!(!reason.is_empty());
    assert!(excerpt.contains("imp_1"), "{excerpt}");
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains("4111"), "{text}");
        assert!(!text.contains("private@example.com"), "{text}");
    }
}

#[test]
fn a_non_json_success_body_is_a_decode_error() {
    let server = TestServer::with_token(|_| Reply::text(200, "<html>maintenance</html>"));
    let err = server.client().get_payment(&lookup("imp_1")).unwrap_err();
    assert!(
        matches!(&err, Error::Decode { status: 200, excerpt, .. } if excerpt.contains("maintenance")),
        "{err:?}"
    );
}

#[test]
fn reads_are_retried_on_5xx_with_backoff_until_they_succeed() {
    let attempts = std::sync::atomic::AtomicUsize::new(0);
    let server = TestServer::with_token(move |_| {
        if attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst) < 2 {
            Reply::text(503, "busy")
        } else {
            ok(payment("imp_1", "order-1", "paid", None))
        }
    });
    let p = server.client().get_payment(&lookup("imp_1")).unwrap();
    assert_eq!(p.imp_uid, "imp_1");
    assert_eq!(server.count("GET", "/payments/imp_1"), 3);
}

#[test]
fn reads_give_up_after_the_configured_attempts() {
    let server = TestServer::with_token(|_| Reply::text(503, "busy"));
    let client = server.builder().read_attempts(2).build().unwrap();
    let err = client.get_payment(&lookup("imp_1")).unwrap_err();
    assert!(matches!(&err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(server.count("GET", "/payments/imp_1"), 2);
}

#[test]
fn reads_are_retried_after_a_dropped_connection() {
    let attempts = std::sync::atomic::AtomicUsize::new(0);
    let server = TestServer::with_token(move |_| {
        if attempts.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            Reply::Hangup {
                delay: std::time::Duration::ZERO,
            }
        } else {
            ok(payment("imp_1", "order-1", "paid", None))
        }
    });
    assert!(server.client().get_payment(&lookup("imp_1")).is_ok());
    assert_eq!(server.count("GET", "/payments/imp_1"), 2);
}

#[test]
fn writes_are_never_retried() {
    let server = TestServer::with_token(|_| Reply::text(503, "busy"));
    let err = server.client().schedule_payments(&schedule()).unwrap_err();
    // Not a charge, so not an unknown outcome: a plain HTTP error.
    assert!(matches!(&err, Error::Http { status: 503, .. }), "{err:?}");
    assert_eq!(server.count("POST", "/subscribe/payments/schedule"), 1);
}

#[test]
fn query_parameters_and_multi_status_are_handled() {
    let server = TestServer::with_token(|req| {
        if req.path == "/subscribe/customers" {
            Reply::json(
                207,
                json!({"code": 0, "message": null, "response": [{
                    "customer_uid": "a b", "pg_provider": "paymentwall", "pg_id": "mid",
                    "card_name": "VISA", "inserted": 1000, "updated": 1000, "sandbox": true
                }]}),
            )
        } else {
            ok(json!({"total": 0, "previous": 0, "next": 0, "list": []}))
        }
    });
    let client = server.client();
    let customers = client
        .list_billing_keys(&ListBillingKeysRequest {
            customer_uid: vec!["a b".into(), "c".into()],
        })
        .unwrap();
    assert_eq!(customers.len(), 1);
    let range = ListSchedulesRequest::new(Timestamp(1000), Timestamp(2000));
    assert_eq!(client.list_schedules(&range).unwrap().total, Some(0));
    let requests = server.requests();
    let multi = requests
        .iter()
        .find(|r| r.path == "/subscribe/customers")
        .unwrap();
    assert_eq!(multi.query, "customer_uid%5B%5D=a%20b&customer_uid%5B%5D=c");
    let ranged = requests
        .iter()
        .find(|r| r.path == "/subscribe/payments/schedule")
        .unwrap();
    assert_eq!(ranged.query, "schedule_from=1000&schedule_to=2000");
}

#[test]
fn plain_http_to_a_non_loopback_host_is_refused_at_build_time() {
    for url in [
        "http://api.iamport.kr",
        "http://192.168.0.10:8080",
        "http://[2001:db8::1]",
        "http://localhost.example.com",
    ] {
        let err = Client::builder()
            .base_url(url)
            .imp_key("k")
            .imp_secret("s")
            .build()
            .unwrap_err();
        assert!(
            matches!(err, Error::Config(ConfigError::InsecureBaseUrl { .. })),
            "{url}: {err:?}"
        );
        assert!(err.to_string().contains("TLS"));
    }
    for url in [
        "https://api.iamport.kr",
        "http://127.0.0.1:1",
        "http://localhost:1",
        "http://[::1]:1",
    ] {
        assert!(
            Client::builder()
                .base_url(url)
                .imp_key("k")
                .imp_secret("s")
                .build()
                .is_ok(),
            "{url}"
        );
    }
}

#[test]
fn missing_credentials_and_zero_timeouts_are_refused() {
    let err = Client::builder().imp_key("k").build().unwrap_err();
    assert!(
        matches!(
            err,
            Error::Config(ConfigError::MissingCredential("imp_secret"))
        ),
        "{err:?}"
    );
    let err = Client::builder()
        .imp_key("k")
        .imp_secret("s")
        .read_timeout(std::time::Duration::ZERO)
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ConfigError::ZeroTimeout("read_timeout"))),
        "{err:?}"
    );
}

#[test]
fn errors_read_as_sentences_and_print_each_cause_once() {
    use std::error::Error as _;
    // `Error`'s Debug is derived (the variant and its fields); `ConfigError`'s is its sentence.
    let config = iamport::Client::builder().build().unwrap_err();
    assert_eq!(
        format!("{config:?}"),
        "Config(missing credential: imp_key (set it on the builder))"
    );
    let Error::Config(inner) = &config else {
        panic!("{config:?}")
    };
    assert_eq!(format!("{inner:?}"), inner.to_string());

    let server = TestServer::with_token(|_| Reply::Hangup {
        delay: std::time::Duration::ZERO,
    });
    let again = iamport::types::ChargeBillingKeyRequest::new(
        "c",
        "order-chain",
        "1000".parse::<iamport::Amount>().unwrap(),
        "plan",
    );
    let err = server.client().charge_billing_key(&again).unwrap_err();
    // Each level's Display leaves its cause to `source()`.
    let mut chain = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    assert_eq!(chain.len(), 2, "{chain:?}");
    assert_eq!(
        chain[0],
        "outcome of again for merchant_uid `order-chain` is unknown; reconcile it"
    );
    // The transport error names its cause (the HTTP library's own error) in its sentence.
    assert!(
        chain[1].starts_with("transport error during again: "),
        "{chain:?}"
    );
    for (i, outer) in chain.iter().enumerate() {
        for inner in &chain[i + 1..] {
            assert!(
                !outer.contains(inner.as_str()),
                "{outer:?} repeats {inner:?}"
            );
        }
    }
    // Debug (derived) shows the structure.
    let structured = format!("{err:#?}");
    assert!(structured.starts_with("OutcomeUnknown {"), "{structured}");
    assert!(
        structured.contains("merchant_uid: \"order-chain\"") && structured.contains("Transport {"),
        "{structured}"
    );
    let Error::OutcomeUnknown { source, .. } = &err else {
        panic!("{err:?}")
    };
    let Error::Transport { cause, .. } = &**source else {
        panic!("{source:?}")
    };
    let transport: &iamport::TransportError = cause;
    assert!(!transport.is_timeout() && !transport.is_connect());
}

#[test]
fn the_overall_deadline_holds_without_a_resolver_thread() {
    // Every byte arrives well within the read timeout, the whole answer does not arrive within
    // the overall one: only the per-call deadline can end this call.
    let server = TestServer::with_token(|_| Reply::Trickle {
        status: 200,
        body: " ".repeat(40),
        every: std::time::Duration::from_millis(50),
    });
    let client = server
        .builder()
        .read_timeout(std::time::Duration::from_millis(400))
        .timeout(std::time::Duration::from_millis(600))
        .read_attempts(1)
        .build()
        .unwrap();
    let err = client
        .get_payment(&GetPaymentRequest::new("imp_slow"))
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[test]
fn a_transport_error_names_its_cause() {
    // Nothing listens on port 1: getToken cannot connect.
    let client = iamport::Client::builder()
        .base_url("http://127.0.0.1:1")
        .imp_key("k")
        .imp_secret("s")
        .build()
        .unwrap();
    let err = client
        .get_payment(&GetPaymentRequest::new("imp_1"))
        .unwrap_err();
    let text = err.to_string();
    let cause = text
        .strip_prefix("transport error during getToken: ")
        .unwrap_or_else(|| panic!("{text}"));
    assert!(!cause.is_empty(), "{text}");
    assert!(
        matches!(&err, Error::Transport { cause, .. } if cause.is_connect()),
        "{err:?}"
    );
}

/// Members of a refusal's envelope beyond `code`, `message` and `response` (KCP Quick Pay's
/// `error`: the PG's own code and message) are kept in `Error::Api`'s `extra`.
#[test]
fn extra_envelope_members_of_a_refusal_are_kept() {
    let server = TestServer::with_token(|_| {
        Reply::json(
            200,
            json!({"code": 1, "message": "생체인증 해제 실패", "response": null,
                   "error": {"code": "C210", "message": "등록된 거래가 없습니다."}}),
        )
    });
    let request = iamport::types::ReleaseKcpquickFidoRequest::new("member-1", "channel-key-1");
    let err = server.client().send(&request).unwrap_err();
    match &err {
        Error::Api {
            code: 1,
            extra: Some(extra),
            ..
        } => {
            assert_eq!(extra["error"]["code"], "C210");
            assert!(!extra.contains_key("response"));
        }
        other => panic!("expected a refusal with `error` kept, got {other:#?}"),
    }
    assert!(format!("{err:#?}").contains("\"error\""), "{err:#?}");
}
