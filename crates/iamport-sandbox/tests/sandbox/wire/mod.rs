//! Wire-level rules checked with raw HTTP (ureq and a bare TCP socket): tokens, auth headers,
//! the envelope, form bodies, bad input, admin endpoints.

use std::io::{Read, Write};
use std::time::Duration;

use iamport_sandbox::{Sandbox, TEST_API_KEY, TEST_API_SECRET};
use serde_json::{Value, json};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

struct Answer {
    status: u16,
    body: Value,
}

fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, &str)>,
) -> Answer {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let response = match body {
        Some((content_type, text)) => {
            let request = builder
                .header("content-type", content_type)
                .body(text.to_owned())
                .expect("request");
            agent.run(request)
        }
        None => agent.run(builder.body(()).expect("request")),
    }
    .expect("answer");
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    Answer { status, body }
}

fn token(agent: &ureq::Agent, base: &str) -> (String, i64, i64) {
    let body = format!("{{\"imp_key\":\"{TEST_API_KEY}\",\"imp_secret\":\"{TEST_API_SECRET}\"}}");
    let a = send(
        agent,
        "POST",
        &format!("{base}/users/getToken"),
        &[],
        Some(("application/json", &body)),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let r = &a.body["response"];
    (
        r["access_token"].as_str().expect("token").to_owned(),
        r["now"].as_i64().expect("now"),
        r["expired_at"].as_i64().expect("expired_at"),
    )
}

fn assert_envelope_error(a: &Answer, status: u16, needle: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    assert_ne!(a.body["code"], json!(0), "{}", a.body);
    assert!(a.body["code"].is_i64());
    assert_eq!(a.body["response"], Value::Null);
    let message = a.body["message"].as_str().expect("message");
    assert!(message.contains(needle), "`{message}` lacks `{needle}`");
}

mod admin;
mod amounts;
mod requests;
mod stubs;
