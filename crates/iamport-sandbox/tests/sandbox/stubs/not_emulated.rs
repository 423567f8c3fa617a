//! An operation the sandbox declares but does not emulate, through the real client.

use iamport::runtime::Execute;
use iamport::types::GetReceiptRequest;
use iamport::{Client, Request};
use iamport_sandbox::{Sandbox, StubReply, TEST_API_KEY, TEST_API_SECRET};
use serde_json::json;

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .build()
        .expect("client")
}

#[test]
fn a_valid_request_is_a_400_pointing_to_stubs_and_a_stub_answers_it() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let request = GetReceiptRequest::new("imp_123412341234");
    let err = client.send(&request).expect_err("not emulated");
    assert_eq!((err.status(), err.code()), (Some(400), Some(-1)), "{err}");
    let message = err.message().unwrap_or_default().to_owned();
    assert!(
        message.contains("not emulated") && message.contains("stub"),
        "{message}"
    );
    assert!(message.contains("getReceipt"), "{message}");
    // With a stub: the canned answer, decoded into the generated response type.
    sandbox.stub(
        GetReceiptRequest::OPERATION,
        StubReply::ok(json!({ "imp_uid": "imp_123412341234", "receipt_url": "https://r" })),
    );
    let receipt = client.send(&request).expect("stubbed");
    assert_eq!(
        serde_json::to_value(&receipt).expect("encode")["imp_uid"],
        json!("imp_123412341234")
    );
    let received = sandbox.received(GetReceiptRequest::OPERATION);
    assert_eq!(received.len(), 2);
    assert_eq!(received[1]["imp_uid"], json!("imp_123412341234"));
}

#[test]
fn an_invalid_request_is_refused_naming_the_field_before_not_emulated() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let issue = iamport::operations::ALL
        .iter()
        .copied()
        .find(|op| op.operation_id == "issueReceipt")
        .expect("issueReceipt is in the spec");
    let http = iamport::runtime::HttpRequest::new("/receipts/imp_123412341234")
        .json(&json!({}))
        .expect("body");
    let err = client
        .execute::<serde_json::Value>(issue, http)
        .expect_err("identifier missing");
    let message = err.message().unwrap_or_default().to_owned();
    assert_eq!(err.status(), Some(400), "{err}");
    assert!(message.contains("identifier"), "{message}");
    assert!(!message.contains("not emulated"), "{message}");
}

#[test]
fn a_sequence_then_the_sandbox_again_and_reset_removes_stubs() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let request = GetReceiptRequest::new("imp_123412341234");
    let op = GetReceiptRequest::OPERATION;
    sandbox.stub_sequence(
        op,
        [
            StubReply::refusal(200, 1, "first"),
            StubReply::ok(json!({ "imp_uid": "imp_123412341234" })),
        ],
    );
    let first = client.send(&request).expect_err("first: a refusal");
    assert_eq!((first.code(), first.message()), (Some(1), Some("first")));
    client.send(&request).expect("second: the canned receipt");
    let third = client.send(&request).expect_err("third: the sandbox again");
    assert_eq!(third.status(), Some(400), "{third}");
    sandbox.stub(op, StubReply::ok(json!({ "imp_uid": "x" })));
    sandbox.reset();
    let after = client.send(&request).expect_err("reset removed the stub");
    assert_eq!(after.status(), Some(400), "{after}");
    assert_eq!(
        sandbox.received(op).len(),
        1,
        "reset forgot the earlier inputs"
    );
}
