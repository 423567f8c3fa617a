//! Where the sandbox answers as the real i'mport server does (see `src/docs/decisions.md`),
//! checked with raw HTTP so that the client's own validation cannot hide what the server says.

use std::time::Duration;

use iamport_sandbox::{Sandbox, TEST_API_KEY, TEST_API_SECRET};
use serde_json::{Value, json};

/// A raw HTTP session with a token.
struct Raw {
    agent: ureq::Agent,
    base: String,
    token: String,
}

impl Raw {
    fn new(sandbox: &Sandbox) -> Raw {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        let mut raw = Raw {
            agent,
            base: sandbox.base_url(),
            token: String::new(),
        };
        let (status, body) = raw.call(
            "POST",
            "/users/getToken",
            Some(json!({ "imp_key": TEST_API_KEY, "imp_secret": TEST_API_SECRET })),
        );
        assert_eq!(status, 200, "{body}");
        raw.token = body["response"]["access_token"]
            .as_str()
            .expect("token")
            .to_owned();
        raw
    }

    /// Sends a request (JSON body when given) and returns the status and the envelope.
    fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base))
            .header("authorization", format!("Bearer {}", self.token));
        let response = match body {
            Some(body) => self.agent.run(
                builder
                    .header("content-type", "application/json")
                    .body(body.to_string())
                    .expect("request"),
            ),
            None => self.agent.run(builder.body(()).expect("request")),
        }
        .expect("answer");
        let status = response.status().as_u16();
        let text = response.into_body().read_to_string().expect("body");
        let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
        (status, body)
    }
}

fn onetime(merchant_uid: &str, card: &str) -> Value {
    json!({
        "merchant_uid": merchant_uid, "amount": 1000, "card_number": card,
        "expiry": "2039-12", "birth": "900101", "pwd_2digit": "12",
    })
}

#[test]
fn card_numbers_match_on_digits_and_ill_formed_ones_are_http_200_code_minus_1() {
    let sandbox = Sandbox::start();
    let raw = Raw::new(&sandbox);
    let path = "/subscribe/payments/onetime";

    // Matched on digits: without dashes, with spaces, AMEX and Diners layouts.
    for (i, (card, masked)) in [
        ("4242424242424242", "424242******4242"),
        ("4242 4242 4242 4242", "424242******4242"),
        ("378282246310005", "378282*****0005"),
        ("3056 930902 5904", "305693****5904"),
    ]
    .iter()
    .enumerate()
    {
        let (status, body) = raw.call("POST", path, Some(onetime(&format!("d-{i}"), card)));
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["response"]["status"], "paid", "{card}: {body}");
        assert_eq!(body["response"]["card_number"], *masked);
    }
    let (_, body) = raw.call("POST", path, Some(onetime("d-decl", "4000 0000 0000 9995")));
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(body["response"]["status"], "failed", "{body}");

    // Ill-formed numbers: HTTP 200, code -1, nothing charged.
    for (i, bad) in ["4242-4242-4242-4241", "4242-4242", "4242-4242-4242-42ab"]
        .iter()
        .enumerate()
    {
        let merchant_uid = format!("bad-{i}");
        let (status, body) = raw.call("POST", path, Some(onetime(&merchant_uid, bad)));
        assert_eq!((status, &body["code"]), (200, &json!(-1)), "{bad}: {body}");
        assert_eq!(body["response"], Value::Null);
        let message = body["message"].as_str().expect("message");
        assert!(message.contains("카드번호"), "{message}");
        assert!(!message.contains(bad), "the number is not echoed");
        let (status, _) = raw.call("GET", &format!("/payments/find/{merchant_uid}"), None);
        assert_eq!(status, 404, "nothing recorded for {bad}");
    }
    let (status, body) = raw.call(
        "POST",
        "/subscribe/customers/bad-key",
        Some(json!({ "card_number": "4242-4242-4242-4241", "expiry": "2039-12" })),
    );
    assert_eq!((status, &body["code"]), (200, &json!(-1)), "{body}");
    let (_, body) = raw.call("GET", "/subscribe/customers/bad-key", None);
    assert_eq!(body["code"], 1, "no key stored: {body}");
}

#[test]
fn unknown_billing_key_is_http_200_code_1() {
    let sandbox = Sandbox::start();
    let raw = Raw::new(&sandbox);
    for method in ["GET", "DELETE"] {
        let (status, body) = raw.call(method, "/subscribe/customers/nobody", None);
        assert_eq!(
            (status, &body["code"]),
            (200, &json!(1)),
            "{method}: {body}"
        );
        assert_eq!(body["response"], Value::Null);
        let message = body["message"].as_str().expect("message");
        assert!(message.contains("nobody"), "{message}");
    }
    let (status, body) = raw.call(
        "POST",
        "/subscribe/payments/again",
        Some(
            json!({ "customer_uid": "nobody", "merchant_uid": "a-1", "amount": 1000, "name": "x" }),
        ),
    );
    assert_eq!((status, &body["code"]), (200, &json!(1)), "{body}");
}

#[test]
fn an_unknown_pg_uses_the_default_channel() {
    let sandbox = Sandbox::start();
    let raw = Raw::new(&sandbox);
    let mut body = onetime("pg-1", "4242-4242-4242-4242");
    body["pg"] = json!("kcp.no-such-mid");
    let (status, answer) = raw.call("POST", "/subscribe/payments/onetime", Some(body));
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["response"]["pg_provider"], "keyin", "{answer}");
    let (status, answer) = raw.call(
        "POST",
        "/subscribe/customers/pg-key",
        Some(json!({ "pg": "nice", "card_number": "4242-4242-4242-4242", "expiry": "2039-12" })),
    );
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["response"]["pg_provider"], "keyin", "{answer}");
}

/// Extreme numbers are a 400 envelope naming the field, never a 500 or a
/// wrapped value.
#[test]
fn extreme_numbers_are_400_naming_the_field() {
    let sandbox = Sandbox::start();
    let raw = Raw::new(&sandbox);
    let (max, min) = (i64::MAX, i64::MIN);
    let range = |from: String, to: String| {
        raw.call(
            "GET",
            &format!("/subscribe/payments/schedule?schedule_from={from}&schedule_to={to}"),
            None,
        )
    };
    let refused = |(status, body): (u16, Value), field: &str| {
        assert_eq!(status, 400, "{field}: {body}");
        assert_eq!(body["code"], -1, "{body}");
        let message = body["message"].as_str().expect("message");
        assert!(message.contains(field), "`{message}` names `{field}`");
    };
    refused(range(min.to_string(), max.to_string()), "schedule_from");
    refused(range("-1".into(), "10".into()), "schedule_from");
    refused(range("10".into(), "-1".into()), "schedule_to");
    refused(range("0".into(), max.to_string()), "schedule_to");
    refused(range("1e30".into(), "10".into()), "schedule_from");
    refused(
        range("0".into(), "99999999999999999999999".into()),
        "schedule_to",
    );
    let (status, body) = range((max - 10).to_string(), max.to_string());
    assert_eq!(
        (status, &body["response"]["total"]),
        (200, &json!(0)),
        "{body}"
    );

    let by_customer = |from: i64, to: i64| {
        raw.call(
            "GET",
            &format!("/subscribe/payments/schedule/customers/c?from={from}&to={to}"),
            None,
        )
    };
    refused(by_customer(min, max), "from");
    refused(by_customer(0, min), "to");
    assert_eq!(by_customer(0, max).0, 200);

    // Amounts: negative or absurd values are refused; i64::MAX KRW is charged exactly.
    let path = "/subscribe/payments/onetime";
    for bad in [json!(-1), json!(-9223372036854775808_i64), json!(0)] {
        let mut body = onetime("amt-bad", "4242-4242-4242-4242");
        body["amount"] = bad;
        refused(raw.call("POST", path, Some(body)), "amount");
    }
    let mut body = onetime("amt-max", "4242-4242-4242-4242");
    body["amount"] = json!(max);
    let (status, paid) = raw.call("POST", path, Some(body));
    assert_eq!(status, 200, "{paid}");
    assert_eq!(paid["response"]["amount"], json!(max), "exact: {paid}");
    // Cancelling more than that is a business refusal, not an overflow.
    let (status, body) = raw.call(
        "POST",
        "/payments/cancel",
        Some(json!({ "merchant_uid": "amt-max", "amount": 1e27 })),
    );
    assert_eq!((status, &body["code"]), (200, &json!(1)), "{body}");
    // Paging far past the end is an empty page.
    let (status, body) = raw.call(
        "GET",
        &format!("/payments/findAll/amt-max?page={max}&limit=1000"),
        None,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["response"]["list"], json!([]), "{body}");

    // `schedule_at` beyond 10^11 (milliseconds, by mistake) is refused by the spec's guard; the
    // latest accepted time is stored and never runs; the clock refuses to wrap.
    let schedule = |at: i64| {
        raw.call(
            "POST",
            "/subscribe/payments/schedule",
            Some(json!({
                "customer_uid": "far", "card_number": "4242-4242-4242-4242", "expiry": "2039-12",
                "schedules": [{ "merchant_uid": "far-1", "schedule_at": at, "amount": 1000, "name": "x" }],
            })),
        )
    };
    refused(schedule(max), "schedule_at");
    let (status, body) = schedule(100_000_000_000);
    assert_eq!(status, 200, "{body}");
    for seconds in [json!(max), json!(-1), json!(min), json!(1e30)] {
        refused(
            raw.call(
                "POST",
                "/__sandbox/clock/advance",
                Some(json!({ "seconds": seconds })),
            ),
            "seconds",
        );
    }
    let now = sandbox.now();
    assert!(now > 1_600_000_000, "the clock did not wrap: {now}");
    let (status, body) = raw.call(
        "POST",
        "/users/getToken",
        Some(json!({ "imp_key": TEST_API_KEY, "imp_secret": TEST_API_SECRET })),
    );
    assert_eq!(status, 200, "getToken still works: {body}");
    let (status, body) = raw.call("GET", "/subscribe/payments/schedule/far-1", None);
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["response"]["schedule_status"], "scheduled");
}
