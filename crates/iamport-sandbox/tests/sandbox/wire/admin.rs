//! The admin endpoints, their cross-site rule, the clock range, the request log, credentials
//! and reset.

use super::*;
use iamport::Request;

#[test]
fn admin_endpoints() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let before = send(&agent, "GET", &format!("{base}/__sandbox/clock"), &[], None);
    let now = before.body["response"]["now"].as_i64().expect("now");
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/clock/advance"),
        &[],
        Some(("application/json", r#"{"seconds":3600}"#)),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body["response"]["now"].as_i64().expect("now") >= now + 3600);
    assert_envelope_error(
        &send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/clock/advance"),
            &[],
            Some(("application/json", r#"{"seconds":"soon"}"#)),
        ),
        400,
        "seconds",
    );
    let cards = send(&agent, "GET", &format!("{base}/__sandbox/cards"), &[], None);
    assert!(
        cards.body["response"]
            .as_array()
            .is_some_and(|c| c.len() >= 5)
    );
    let channels = send(
        &agent,
        "GET",
        &format!("{base}/__sandbox/channels"),
        &[],
        None,
    );
    assert_eq!(channels.body["response"][0]["pg_provider"], "keyin");

    // Fault via HTTP: a latency fault on getToken, once.
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/faults"),
        &[],
        Some((
            "application/json",
            r#"{"kind":"error","status":502,"operation":"getToken"}"#,
        )),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let response = agent
        .post(&format!("{base}/users/getToken"))
        .send_json(json!({"imp_key": TEST_API_KEY, "imp_secret": TEST_API_SECRET}))
        .expect("answer");
    assert_eq!(response.status().as_u16(), 502);
    token(&agent, &base);
    assert_envelope_error(
        &send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/faults"),
            &[],
            Some(("application/json", r#"{"kind":"explode"}"#)),
        ),
        400,
        "kind",
    );
    let cleared = send(
        &agent,
        "DELETE",
        &format!("{base}/__sandbox/faults"),
        &[("X-Sandbox-Admin", "1")],
        None,
    );
    assert_eq!(cleared.status, 200);
    assert_envelope_error(
        &send(&agent, "GET", &format!("{base}/__sandbox/nope"), &[], None),
        404,
        "admin endpoint",
    );
}

#[test]
fn admin_endpoints_refuse_cross_site_requests() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let offset = || {
        send(&agent, "GET", &format!("{base}/__sandbox/clock"), &[], None).body["response"]
            ["offset"]
            .as_i64()
            .expect("offset")
    };
    // What an HTML form or a "simple" fetch from another site can send: all refused.
    for (content_type, body) in [
        ("application/x-www-form-urlencoded", "seconds=3600"),
        ("text/plain", r#"{"seconds":3600}"#),
        ("multipart/form-data; boundary=x", "--x--"),
    ] {
        let a = send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/clock/advance"),
            &[],
            Some((content_type, body)),
        );
        assert_envelope_error(&a, 403, "application/json");
    }
    assert_envelope_error(
        &send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/faults?kind=drop"),
            &[],
            None,
        ),
        403,
        "application/json",
    );
    assert_envelope_error(
        &send(
            &agent,
            "DELETE",
            &format!("{base}/__sandbox/faults"),
            &[],
            None,
        ),
        403,
        "application/json",
    );
    assert_eq!(offset(), 0, "a refused request changed nothing");
    // JSON (which a browser only sends cross-site after a preflight the sandbox never
    // approves) or the admin header pass.
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/clock/advance"),
        &[],
        Some(("application/json; charset=utf-8", r#"{"seconds":60}"#)),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/schedules/run"),
        &[("x-sandbox-admin", "1")],
        None,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(offset(), 60);
    // A known admin path with the wrong method: 405 with Allow.
    let response = agent
        .put(&format!("{base}/__sandbox/faults"))
        .header("content-type", "application/json")
        .send("{}")
        .expect("answer");
    assert_eq!(response.status().as_u16(), 405);
    let allow = response
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(allow, "POST, DELETE");
}

#[test]
fn clock_advance_out_of_range_is_a_400_naming_seconds() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    for seconds in [
        "-1",
        "-9223372036854775808",
        "9223372036854775807",
        "99999999999999999999999",
        "3162240001",
    ] {
        let a = send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/clock/advance"),
            &[],
            Some(("application/json", &format!(r#"{{"seconds":{seconds}}}"#))),
        );
        assert_envelope_error(&a, 400, "seconds");
    }
    // Within range in one step, but not in all.
    let limit = iamport_sandbox::MAX_ADVANCE_SECONDS;
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/clock/advance"),
        &[],
        Some(("application/json", &format!(r#"{{"seconds":{limit}}}"#))),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/clock/advance"),
        &[],
        Some(("application/json", r#"{"seconds":1}"#)),
    );
    assert_envelope_error(&a, 400, "seconds");
    assert!(sandbox.advance_clock(Duration::from_secs(1)).is_err());
    assert!(sandbox.advance_clock(Duration::MAX).is_err());
    // The clock still works, and so does getToken.
    let (_, now, expired_at) = token(&agent, &base);
    assert!(now > 0 && expired_at > now, "{now} {expired_at}");
}

#[test]
fn the_request_log_records_what_was_served_and_no_secret() {
    let sandbox = Sandbox::builder()
        .request_log_capacity(5)
        .start()
        .expect("start");
    let base = sandbox.base_url();
    let agent = agent();
    let (token, _, _) = token(&agent, &base);
    let a = send(
        &agent,
        "POST",
        &format!("{base}/subscribe/payments/onetime?secret_query=hidden"),
        &[("Authorization", &token)],
        Some((
            "application/json",
            r#"{"merchant_uid":"log-1","amount":1000,"card_number":"4242-4242-4242-4242","expiry":"2035-12","birth":"880101","pwd_2digit":"12"}"#,
        )),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    send(&agent, "GET", &format!("{base}/nope"), &[], None);
    send(&agent, "GET", &format!("{base}/__sandbox/clock"), &[], None);

    let log = sandbox.requests();
    let ops: Vec<Option<&str>> = log.iter().map(|r| r.operation_id).collect();
    assert_eq!(ops, [Some("getToken"), Some("onetime"), None], "{log:?}");
    let charge = &log[1];
    assert_eq!(charge.method, "POST");
    assert_eq!(charge.path, "/subscribe/payments/onetime");
    assert_eq!(charge.status, Some(200));
    assert_eq!(charge.merchant_uid.as_deref(), Some("log-1"));
    assert!(charge.sandbox_time > 0 && charge.wall_time_ms > 0);
    assert_eq!(log[2].status, Some(404));
    assert!(log.windows(2).all(|w| w[0].seq + 1 == w[1].seq));

    let http = send(
        &agent,
        "GET",
        &format!("{base}/__sandbox/requests"),
        &[],
        None,
    );
    assert_eq!(http.status, 200);
    let text = http.body.to_string();
    for secret in [
        TEST_API_SECRET,
        token.as_str(),
        "4242-4242-4242-4242",
        "880101",
        "hidden",
    ] {
        assert!(!text.contains(secret), "the log shows `{secret}`: {text}");
    }
    assert_eq!(http.body["response"]["capacity"], 5);
    assert_eq!(
        http.body["response"]["requests"][1]["merchant_uid"],
        "log-1"
    );
    let after = send(
        &agent,
        "GET",
        &format!("{base}/__sandbox/requests?after=2"),
        &[],
        None,
    );
    assert_eq!(
        after.body["response"]["requests"].as_array().map(Vec::len),
        Some(1)
    );

    // Bounded: the oldest records go first.
    for _ in 0..10 {
        send(&agent, "GET", &format!("{base}/nope"), &[], None);
    }
    let log = sandbox.requests();
    assert_eq!(log.len(), 5);
    assert_eq!(log[4].seq, 13);
}

#[test]
fn the_published_public_test_pair_works_with_no_option() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    for key in [
        iamport_sandbox::TEST_API_KEY,
        iamport_sandbox::TEST_API_KEY_NPM,
    ] {
        let body = json!({"imp_key": key, "imp_secret": iamport_sandbox::PUBLIC_TEST_API_SECRET})
            .to_string();
        let a = send(
            &agent,
            "POST",
            &format!("{base}/users/getToken"),
            &[],
            Some(("application/json", &body)),
        );
        assert_eq!(a.status, 200, "{key}: {}", a.body);
        assert_eq!(
            a.body["response"]["access_token"].as_str().map(str::len),
            Some(40)
        );
    }
    // The npm spelling with the sandbox's own secret is not a published pair.
    let body = json!({"imp_key": iamport_sandbox::TEST_API_KEY_NPM, "imp_secret": TEST_API_SECRET})
        .to_string();
    let a = send(
        &agent,
        "POST",
        &format!("{base}/users/getToken"),
        &[],
        Some(("application/json", &body)),
    );
    assert_eq!(a.status, 401, "{}", a.body);
}

#[test]
fn a_non_loopback_webhook_url_is_refused_by_the_builder() {
    let err = Sandbox::builder()
        .webhook_url("http://example.com/hook")
        .start()
        .expect_err("refused");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("loopback"), "{err}");
    Sandbox::builder()
        .webhook_url("http://localhost:9/hook")
        .start()
        .expect("a loopback URL is fine");
}

#[test]
fn reset_forgets_payments_and_the_log_but_keeps_tokens_and_faults_are_logged() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let (token, _, _) = token(&agent, &base);
    let charge = |merchant_uid: &str| {
        send(
            &agent,
            "POST",
            &format!("{base}/subscribe/payments/onetime"),
            &[("Authorization", &token)],
            Some((
                "application/json",
                &json!({"merchant_uid": merchant_uid, "amount": 1000, "card_number": "4242-4242-4242-4242", "expiry": "2035-12", "birth": "880101"}).to_string(),
            )),
        )
    };
    assert_eq!(charge("r-1").status, 200);
    // A 5xx injected before processing is logged with its status.
    sandbox.inject_fault(iamport_sandbox::FaultRule::once_for(
        iamport::types::ChargeCardRequest::OPERATION,
        iamport_sandbox::Fault::ServerError {
            status: 503,
            after_processing: false,
        },
    ));
    let response = agent
        .post(&format!("{base}/subscribe/payments/onetime"))
        .header("Authorization", &token)
        .send_json(json!({"merchant_uid": "r-2"}))
        .expect("answer");
    assert_eq!(response.status().as_u16(), 503);
    // A dropped connection is logged without a status.
    sandbox.inject_fault(iamport_sandbox::FaultRule::once_for(
        iamport::types::ChargeCardRequest::OPERATION,
        iamport_sandbox::Fault::DropConnection,
    ));
    assert!(
        agent
            .post(&format!("{base}/subscribe/payments/onetime"))
            .header("Authorization", &token)
            .send_json(json!({"merchant_uid": "r-3"}))
            .is_err()
    );
    let statuses: Vec<Option<u16>> = sandbox.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses, [Some(200), Some(200), Some(503), None]);

    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/reset"),
        &[],
        Some(("application/json", "{}")),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(sandbox.requests().is_empty());
    let found = send(
        &agent,
        "GET",
        &format!("{base}/payments/find/r-1"),
        &[("Authorization", &token)],
        None,
    );
    assert_eq!(
        found.status, 404,
        "the token still works, the payment is gone: {}",
        found.body
    );
    assert_eq!(sandbox.requests()[0].seq, 5, "seq keeps counting");
}
