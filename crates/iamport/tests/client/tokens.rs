//! Access tokens over real HTTP: reuse, single-flight, expiry from the server's clock, 401.

use iamport_test_support as support;

use iamport::Error;
use iamport::types::GetPaymentRequest;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;
use support::{TestServer, api_error, ok, payment, token};

fn lookup(imp_uid: &str) -> GetPaymentRequest {
    GetPaymentRequest::new(imp_uid)
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
        let p = client.get_payment(&lookup(&format!("imp_{i}"))).unwrap();
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
                    .get_payment(&lookup(&format!("imp_{i}")))
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
        client.get_payment(&lookup("imp_1")).unwrap();
    }
    assert_eq!(server.token_count(), 1);
}

#[test]
fn token_within_the_margin_is_refreshed_until_the_server_answers_the_same_expiry() {
    // now = 1000, expired_at = 1002: a 2 s lifetime is inside the 30 s margin, so the next call
    // asks again; each fetched token is still used for the call that fetched it. The second
    // answer names the same expiry, so the token is kept until then: no third getToken.
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
        client.get_payment(&lookup("imp_1")).unwrap();
    }
    assert_eq!(server.token_count(), 2);
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
            "Bearer tok-short-1"
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
    client.get_payment(&lookup("imp_1")).unwrap();
    assert_eq!(server.token_count(), 1);
    std::thread::sleep(Duration::from_millis(1500));
    client.get_payment(&lookup("imp_1")).unwrap();
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
    let p = client.get_payment(&lookup("imp_1")).unwrap();
    assert_eq!(p.imp_uid, "imp_1");
    assert_eq!(server.token_count(), 2);
    assert_eq!(server.count("GET", "/payments/imp_1"), 2);
    // The refreshed token is cached for the next call.
    client.get_payment(&lookup("imp_1")).unwrap();
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
    let err = client.get_payment(&lookup("imp_1")).unwrap_err();
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
    let request = iamport::types::ChargeBillingKeyRequest::new(
        "cust-1",
        "order-9",
        "9.99".parse::<iamport::Amount>().unwrap(),
        "plan",
    );
    assert_eq!(
        client.charge_billing_key(&request).unwrap().imp_uid,
        "imp_9"
    );
    assert_eq!(server.count("POST", "/subscribe/payments/again"), 2);
}

#[test]
fn bad_credentials_are_an_api_error_without_a_loop() {
    let server =
        TestServer::start(|_| api_error(401, -1, "imp_key, imp_secret 인증에 실패했습니다."));
    let client = server.client();
    let err = client.get_payment(&lookup("imp_1")).unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert!(err.message().unwrap().contains("인증에 실패"));
    // getToken is not authenticated itself, so it is not repeated; the call never went out.
    assert_eq!(server.token_count(), 1);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn the_default_refresh_margin_is_30_seconds() {
    // A 25 s lifetime is inside the 30 s margin (so asked again once, answered with the same
    // expiry, then kept); 35 s is not.
    for (lifetime, expected_fetches) in [(25, 2), (35, 1)] {
        let server = TestServer::start(move |req| {
            if req.is_get_token() {
                token("tok-margin", 10_000, 10_000 + lifetime)
            } else {
                payment_route(req)
            }
        });
        let client = server.client();
        for _ in 0..3 {
            client.get_payment(&lookup("imp_1")).unwrap();
        }
        assert_eq!(
            server.token_count(),
            expected_fetches,
            "lifetime {lifetime} s"
        );
    }
    assert_eq!(
        iamport::ClientBuilder::DEFAULT_TOKEN_REFRESH_MARGIN,
        Duration::from_secs(30)
    );
}

/// Reads through `client` every `step` of sandbox time for `span`, moving the client's clock with
/// the sandbox's; returns how many `getToken` requests the sandbox served.
fn get_tokens_over(margin: Option<Duration>, step: u64, span: u64) -> usize {
    let sandbox = Arc::new(
        iamport_sandbox::Sandbox::builder()
            .request_log_capacity(10_000)
            .start()
            .unwrap(),
    );
    let clock = Arc::clone(&sandbox);
    let mut builder = iamport::Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(iamport_sandbox::TEST_API_KEY)
        .imp_secret(iamport_sandbox::TEST_API_SECRET)
        .monotonic_clock(move || Duration::from_secs(clock.now().unsigned_abs()));
    if let Some(margin) = margin {
        builder = builder.token_refresh_margin(margin);
    }
    let client = builder.build().unwrap();
    for _ in 0..span / step {
        // A 404 for an unknown payment is an answer like any other: the token was accepted.
        let err = client.get_payment(&lookup("imp_none")).unwrap_err();
        assert!(err.is_not_found(), "{err:?}");
        sandbox.advance_clock(Duration::from_secs(step)).unwrap();
    }
    sandbox
        .requests()
        .iter()
        .filter(|r| r.operation_id == Some("getToken"))
        .count()
}

#[test]
fn a_token_lives_its_whole_life_on_one_get_token_per_expiry_on_the_sandbox_clock() {
    // i'mport (and the sandbox) hand out 30-minute tokens and extend a token asked for in its last
    // minute by five minutes. A read every 10 s for two hours: one getToken for the first token,
    // then one per extension (every 300 s once 30 s are left), never one per read.
    let span = 2 * 3600;
    let fetches = get_tokens_over(None, 10, span);
    let extensions = (span - (1800 - 30)).div_ceil(300) as usize;
    assert!(fetches <= 1 + extensions, "{fetches} getToken calls");
    assert!(fetches >= 2, "the token was never extended: {fetches}");
}

#[test]
fn a_refresh_answered_with_the_same_expiry_is_not_asked_again_before_it() {
    // With a 90 s margin the refresh lands outside the one-minute extension window: i'mport
    // answers the same expiry. The client keeps that token until it expires (then fetches a
    // new one) instead of asking before every read: at most two getToken per 30-minute token.
    let span = 2 * 1800;
    let fetches = get_tokens_over(Some(Duration::from_secs(90)), 10, span);
    assert!(fetches <= 2 * 2 + 1, "{fetches} getToken calls");
}
