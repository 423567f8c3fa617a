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
fn ill_formed_card_numbers_are_http_200_code_minus_1() {
    let sandbox = Sandbox::start();
    let raw = Raw::new(&sandbox);
    let path = "/subscribe/payments/onetime";

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
