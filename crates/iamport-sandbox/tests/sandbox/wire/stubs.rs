//! Stubs over the admin HTTP API: register, list, answer in order, see what was received
//! (secrets masked), remove; and the list of operations.

use super::*;

#[test]
fn stubs_over_http_answer_in_order_and_show_masked_inputs() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let post = |path: &str, body: Value| {
        let text = body.to_string();
        send(
            &agent,
            "POST",
            &format!("{base}{path}"),
            &[],
            Some(("application/json", &text)),
        )
    };
    // A sequence for getToken: a refusal, then a canned token, then the emulation again.
    let a = post(
        "/__sandbox/stubs",
        json!({ "operation": "getToken", "replies": [
            { "status": 401, "code": -1, "message": "stubbed refusal" },
            { "response": { "access_token": "canned", "now": 1, "expired_at": 2 } },
        ]}),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let listed = send(&agent, "GET", &format!("{base}/__sandbox/stubs"), &[], None);
    assert_eq!(listed.body["response"][0]["operation"], json!("getToken"));
    assert_eq!(
        listed.body["response"][0]["replies"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    let login = json!({ "imp_key": TEST_API_KEY, "imp_secret": TEST_API_SECRET });
    let first = post("/users/getToken", login.clone());
    assert_envelope_error(&first, 401, "stubbed refusal");
    let second = post("/users/getToken", login.clone());
    assert_eq!(second.status, 200);
    assert_eq!(second.body["response"]["access_token"], json!("canned"));
    let third = post("/users/getToken", login.clone());
    assert_eq!(third.status, 200);
    assert_ne!(third.body["response"]["access_token"], json!("canned"));
    // Received: all three, the secret masked.
    let received = send(
        &agent,
        "GET",
        &format!("{base}/__sandbox/received?operation=getToken"),
        &[],
        None,
    );
    let inputs = received.body["response"].as_array().expect("list");
    assert_eq!(inputs.len(), 3, "{}", received.body);
    for r in inputs {
        assert_eq!(r["operation"], json!("getToken"));
        assert_eq!(r["input"]["imp_key"], json!(TEST_API_KEY));
        assert_eq!(r["input"]["imp_secret"], json!("***"));
    }
    assert!(!received.body.to_string().contains(TEST_API_SECRET));
    // A raw body that repeats, then removed by DELETE.
    let a = post(
        "/__sandbox/stubs",
        json!({ "operation": "getPaymentByImpUid", "reply": { "status": 200, "body": { "odd": true } } }),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let (t, _, _) = token(&agent, &base);
    let url = format!("{base}/payments/imp_1");
    for _ in 0..2 {
        let a = send(&agent, "GET", &url, &[("Authorization", &t)], None);
        assert_eq!((a.status, &a.body), (200, &json!({ "odd": true })));
    }
    // A stubbed operation still needs a token.
    assert_envelope_error(&send(&agent, "GET", &url, &[], None), 401, "Unauthorized");
    let ops = send(
        &agent,
        "GET",
        &format!("{base}/__sandbox/operations"),
        &[],
        None,
    );
    let get = ops.body["response"]
        .as_array()
        .expect("list")
        .iter()
        .find(|o| o["operation"] == json!("getPaymentByImpUid"))
        .cloned()
        .expect("listed");
    assert_eq!(get["stubbed"], json!(true));
    assert_eq!(get["method"], json!("GET"));
    assert_eq!(get["path"], json!("/payments/{imp_uid}"));
    let deleted = send(
        &agent,
        "DELETE",
        &format!("{base}/__sandbox/stubs"),
        &[("x-sandbox-admin", "1")],
        None,
    );
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    let a = send(&agent, "GET", &url, &[("Authorization", &t)], None);
    assert_envelope_error(&a, 404, "존재하지 않는 결제정보입니다.");
}

#[test]
fn bad_stub_registrations_are_400s() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    for (body, needle) in [
        (
            json!({ "operation": "nope", "reply": {} }),
            "unknown operation",
        ),
        (json!({ "operation": "getToken" }), "`reply`"),
        (
            json!({ "operation": "getToken", "replies": [] }),
            "`replies`",
        ),
        (
            json!({ "operation": "getToken", "reply": { "status": 99 } }),
            "`status`",
        ),
    ] {
        let a = send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/stubs"),
            &[],
            Some(("application/json", &body.to_string())),
        );
        assert_envelope_error(&a, 400, needle);
    }
    // Cross-site protection applies to the stub endpoints too.
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/stubs"),
        &[],
        Some(("text/plain", "{}")),
    );
    assert_eq!(a.status, 403);
}
