//! The fuzzing entry point decodes as the server does and survives hostile bodies.

use iamport_sandbox::__fuzz::decode_request;
use serde_json::Value;

fn envelope(body: &[u8]) -> Value {
    let v: Value = serde_json::from_slice(body).expect("envelope JSON");
    assert!(
        v.get("code").is_some() && v.get("response").is_some(),
        "{v}"
    );
    v
}

#[test]
fn json_and_form_bodies_decode_like_the_server() {
    let (status, body) = decode_request(
        "getToken",
        "application/x-www-form-urlencoded",
        b"imp_key=nobody&imp_secret=x",
    );
    assert_eq!(status, 401, "{}", String::from_utf8_lossy(&body));
    envelope(&body);
    let (status, body) = decode_request("onetime", "application/json", br#"{"amount": "#);
    assert_eq!(status, 400);
    assert!(
        envelope(&body)["message"]
            .as_str()
            .unwrap()
            .contains("JSON")
    );
    let (status, body) = decode_request(
        "unschedule",
        "application/x-www-form-urlencoded",
        b"customer_uid=c&merchant_uid[]=a&merchant_uid[]=b",
    );
    envelope(&body);
    assert!(status == 200 || status == 400 || status == 404, "{status}");
    let (status, _) = decode_request("noSuchOperation", "application/json", b"{}");
    assert_eq!(status, 404);
}

#[test]
fn hostile_bodies_never_panic() {
    let bodies: [&[u8]; 8] = [
        b"",
        b"\xff\xfe",
        b"[[[[[[[[[[",
        b"a[0][0][0][0][0]=1",
        b"amount=99999999999999999999999999999999&schedules[0][schedule_at]=-9223372036854775808",
        b"{\"schedules\": {\"x\": 1}}",
        b"customer_uid[]=&customer_uid[]=",
        b"{\"amount\": 1e400}",
    ];
    for op in iamport::operations::ALL {
        for body in bodies {
            for ct in ["application/json", "application/x-www-form-urlencoded", ""] {
                let (status, reply) = decode_request(op.operation_id, ct, body);
                assert!(status < 500, "{} {ct} {body:?}: {status}", op.operation_id);
                envelope(&reply);
            }
        }
    }
}
