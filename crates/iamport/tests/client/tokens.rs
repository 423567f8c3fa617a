//! Access tokens over real HTTP: reuse, single-flight, expiry from the server's clock, 401.

use iamport_test_support as support;

use iamport::types::GetPaymentByImpUidRequest;
use iamport::{Api, Error};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;
use support::{TestServer, api_error, ok, payment, token};

fn lookup(imp_uid: &str) -> GetPaymentByImpUidRequest {
    GetPaymentByImpUidRequest {
        imp_uid: imp_uid.into(),
        ..Default::default()
    }
}

/// Answers each token request with the next of `{prefix}-0`, `{prefix}-1`, ...
fn numbered_tokens(
    prefix: &'static str,
    now: i64,
    expired_at: i64,
) -> impl Fn() -> support::Reply + Send + Sync {
    let issued = AtomicUsize::new(0);
    move || {
        let n = issued.fetch_add(1, Ordering::SeqCst);
        token(&format!("{prefix}-{n}"), now, expired_at)
    }
}

fn payment_route(req: &support::Request) -> support::Reply {
    let imp_uid = req.path.trim_start_matches("/payments/");
    ok(payment(imp_uid, "order-1", "paid", None))
}

#[test]
fn token_is_fetched_once_and_reused_across_calls() {
    let server = TestServer::start(|req| {
        if req.is_get_token() {
            token("tok-reused", 1000, 2800)
        } else {
            payment_route(req)
        }
    });
    let client = server.client();
    for i in 0..5 {
        let p = client
            .get_payment_by_imp_uid(&lookup(&format!("imp_{i}")))
            .unwrap();
        assert_eq!(p.imp_uid, format!("imp_{i}"));
    }
    assert_eq!(server.token_count(), 1);
    assert_eq!(server.count("GET", "/payments/imp_4"), 1);
    let requests = server.requests();
    let get_token = requests.iter().find(|r| r.is_get_token()).unwrap();
    assert_eq!(get_token.json()["imp_key"], support::IMP_KEY);
    assert_eq!(get_token.json()["imp_secret"], support::IMP_SECRET);
    assert!(get_token.header("authorization").is_none());
    for r in requests.iter().filter(|r| !r.is_get_token()) {
        assert_eq!(r.header("authorization"), Some("Bearer tok-reused"));
    }
}

#[test]
fn thirty_two_threads_share_one_get_token() {
    // getToken is slow, so all 32 threads are waiting for a token at the same time.
    let server = TestServer::start(|req| {
        if req.is_get_token() {
            token("tok-shared", 1000, 2800).delayed(Duration::from_millis(300))
        } else {
            payment_route(req)
        }
    });
    let client = server.client();
    let barrier = Arc::new(Barrier::new(32));
    let handles: Vec<_> = (0..32)
        .map(|i| {
            let client = client.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                client
                    .get_payment_by_imp_uid(&lookup(&format!("imp_{i}")))
                    .map(|p| p.imp_uid)
            })
        })
        .collect();
    for (i, handle) in handles.into_iter().enumerate() {
        assert_eq!(handle.join().unwrap().unwrap(), format!("imp_{i}"));
    }
    assert_eq!(server.token_count(), 1);
    let payments = server
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("/payments/"))
        .count();
    assert_eq!(payments, 32);
}

#[test]
fn expiry_comes_from_server_time_not_the_local_clock() {
    // The server's clock says 1970 (now = 1000). A client comparing `expired_at` with the local
    // clock would find the token long expired and fetch one per call.
    let server = TestServer::start(|req| {
        if req.is_get_token() {
            token("tok-1970", 1000, 2800)
        } else {
            payment_route(req)
        }
    });
    let client = server.client();
    for _ in 0..3 {
        client.get_payment_by_imp_uid(&lookup("imp_1")).unwrap();
    }
    assert_eq!(server.token_count(), 1);
}

#[test]
fn token_within_the_margin_of_its_server_expiry_is_refreshed() {
    // now = 1000, expired_at = 1002: a 2 s lifetime is inside the 90 s margin, so every call
    // needs a fresh token; each fetched token is still used for the call that fetched it.
    let next_token = numbered_tokens("tok-short", 1000, 1002);
    let server = TestServer::start(move |req| {
        if req.is_get_token() {
            next_token()
        } else {
            payment_route(req)
        }
    });
    let client = server.client();
    for _ in 0..3 {
        client.get_payment_by_imp_uid(&lookup("imp_1")).unwrap();
    }
    assert_eq!(server.token_count(), 3);
    let auths: Vec<_> = server
        .requests()
        .iter()
        .filter(|r| !r.is_get_token())
        .map(|r| r.header("authorization").unwrap().to_owned())
        .collect();
    assert_eq!(
        auths,
        [
            "Bearer tok-short-0",
            "Bearer tok-short-1",
            "Bearer tok-short-2"
        ]
    );
}

#[test]
fn token_is_refreshed_once_its_lifetime_minus_margin_has_passed() {
    // A 1800 s lifetime with a 1799 s margin: due one second after it was requested.
    let server = TestServer::start(|req| {
        if req.is_get_token() {
            token("tok", 5_000_000, 5_001_800)
        } else {
            payment_route(req)
        }
    });
    let client = server
        .builder()
        .token_refresh_margin(Duration::from_secs(1799))
        .build()
        .unwrap();
    client.get_payment_by_imp_uid(&lookup("imp_1")).unwrap();
    assert_eq!(server.token_count(), 1);
    std::thread::sleep(Duration::from_millis(1500));
    client.get_payment_by_imp_uid(&lookup("imp_1")).unwrap();
    assert_eq!(server.token_count(), 2);
}

#[test]
fn http_401_refreshes_the_token_once_and_repeats_the_call_once() {
    let next_token = numbered_tokens("tok", 1000, 2800);
    let server = TestServer::start(move |req| {
        if req.is_get_token() {
            next_token()
        } else if req.header("authorization") == Some("Bearer tok-0") {
            api_error(401, -1, "Unauthorized")
        } else {
            payment_route(req)
        }
    });
    let client = server.client();
    let p = client.get_payment_by_imp_uid(&lookup("imp_1")).unwrap();
    assert_eq!(p.imp_uid, "imp_1");
    assert_eq!(server.token_count(), 2);
    assert_eq!(server.count("GET", "/payments/imp_1"), 2);
    // The refreshed token is cached for the next call.
    client.get_payment_by_imp_uid(&lookup("imp_1")).unwrap();
    assert_eq!(server.token_count(), 2);
}

#[test]
fn a_second_401_is_returned_without_more_repeats() {
    let server = TestServer::start(|req| {
        if req.is_get_token() {
            token("tok", 1000, 2800)
        } else {
            api_error(401, -1, "인증 Token이 전달되지 않았거나 유효하지 않습니다.")
        }
    });
    let client = server.client();
    let err = client.get_payment_by_imp_uid(&lookup("imp_1")).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Api {
                status: 401,
                code: -1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.count("GET", "/payments/imp_1"), 2);
    assert_eq!(server.token_count(), 2);
}

#[test]
fn http_401_on_a_charge_is_repeated_once_too() {
    let next_token = numbered_tokens("tok", 1000, 2800);
    let server = TestServer::start(move |req| {
        if req.is_get_token() {
            next_token()
        } else if req.header("authorization") == Some("Bearer tok-0") {
            api_error(401, -1, "expired")
        } else {
            ok(payment("imp_9", "order-9", "paid", None))
        }
    });
    let client = server.client();
    let request = iamport::types::AgainRequest {
        customer_uid: "cust-1".into(),
        merchant_uid: "order-9".into(),
        amount: "9.99".parse().unwrap(),
        name: "plan".into(),
        ..Default::default()
    };
    assert_eq!(client.again(&request).unwrap().imp_uid, "imp_9");
    assert_eq!(server.count("POST", "/subscribe/payments/again"), 2);
}

#[test]
fn bad_credentials_are_an_api_error_without_a_loop() {
    let server =
        TestServer::start(|_| api_error(401, -1, "imp_key, imp_secret 인증에 실패했습니다."));
    let client = server.client();
    let err = client.get_payment_by_imp_uid(&lookup("imp_1")).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.message().unwrap().contains("인증에 실패"));
    // getToken is not authenticated itself, so it is not repeated; the call never went out.
    assert_eq!(server.token_count(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn the_default_refresh_margin_is_90_seconds() {
    // An 85 s lifetime is inside the 90 s margin (so refreshed on every call); 95 s is not.
    for (lifetime, expected_fetches) in [(85, 3), (95, 1)] {
        let server = TestServer::start(move |req| {
            if req.is_get_token() {
                token("tok-margin", 10_000, 10_000 + lifetime)
            } else {
                payment_route(req)
            }
        });
        let client = server.client();
        for _ in 0..3 {
            client.get_payment_by_imp_uid(&lookup("imp_1")).unwrap();
        }
        assert_eq!(
            server.token_count(),
            expected_fetches,
            "lifetime {lifetime} s"
        );
    }
    assert_eq!(
        iamport::ClientBuilder::DEFAULT_TOKEN_REFRESH_MARGIN,
        Duration::from_secs(90)
    );
}
