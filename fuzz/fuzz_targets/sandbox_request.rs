//! The sandbox's request decoding, JSON and form: `iamport_sandbox::__fuzz::decode_request`
//! decodes a body for an operation exactly as the server does and runs the operation on an
//! in-memory sandbox. Must never panic, never answer 5xx, and always answer the JSON envelope.
//!
//! Input: `operationId` `\n` `Content-Type` `\n` body (see `fuzz/seeds.py` for the seeds).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |b| *b == b'\n');
    let (Some(op), Some(content_type), Some(body)) = (parts.next(), parts.next(), parts.next())
    else {
        return;
    };
    let (Ok(op), Ok(content_type)) = (std::str::from_utf8(op), std::str::from_utf8(content_type))
    else {
        return;
    };
    let (status, reply) = iamport_sandbox::__fuzz::decode_request(op, content_type, body);
    assert!(status < 500, "{op}: HTTP {status}");
    let envelope: serde_json::Value =
        serde_json::from_slice(&reply).expect("every answer is a JSON envelope");
    assert!(
        envelope.get("code").is_some_and(serde_json::Value::is_i64),
        "{op}: no code"
    );
});
