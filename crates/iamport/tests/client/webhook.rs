//! Webhook payloads (JSON and form-encoded) and their verification by look-up.

use iamport_test_support as support;

use iamport::types::PaymentStatus;
use iamport::{Error, WebhookPayload};
use support::{TestServer, api_error, ok, payment};

#[test]
fn json_and_form_payloads_parse_alike() {
    let json = br#"{"imp_uid":"imp_1234567890","merchant_uid":"order_id_8237352","status":"paid","extra":1}"#;
    let from_json = WebhookPayload::parse(Some("application/json; charset=utf-8"), json).unwrap();
    assert_eq!(from_json.imp_uid, "imp_1234567890");
    assert_eq!(from_json.merchant_uid, "order_id_8237352");
    assert_eq!(from_json.status, PaymentStatus::Paid);
    assert_eq!(from_json.cancellation_id, None);

    let form = b"imp_uid=imp_1234567890&merchant_uid=order_id_8237352&status=cancelled&cancellation_id=06JC8FVHJTW2WY16FEY0";
    let from_form = WebhookPayload::parse(Some("application/x-www-form-urlencoded"), form).unwrap();
    assert_eq!(from_form.merchant_uid, "order_id_8237352");
    assert_eq!(from_form.status, PaymentStatus::Cancelled);
    assert_eq!(
        from_form.cancellation_id.as_deref(),
        Some("06JC8FVHJTW2WY16FEY0")
    );

    // Without a content type the body decides; percent-encoding is decoded.
    let sniffed =
        WebhookPayload::parse(None, b"imp_uid=imp_1&merchant_uid=order%2F1&status=failed").unwrap();
    assert_eq!(sniffed.merchant_uid, "order/1");
    assert_eq!(sniffed.status, PaymentStatus::Failed);
    assert_eq!(
        WebhookPayload::parse(None, json).unwrap().imp_uid,
        "imp_1234567890"
    );

    // New statuses still parse.
    let odd =
        WebhookPayload::from_json(br#"{"imp_uid":"a","merchant_uid":"b","status":"partial"}"#)
            .unwrap();
    assert_eq!(odd.status, PaymentStatus::Unknown("partial".into()));
}

#[test]
fn malformed_payloads_are_invalid_webhooks() {
    let cases: [(Option<&str>, &[u8]); 5] = [
        (Some("application/json"), b"{\"imp_uid\":\"a\"}"),
        (Some("application/json"), b"not json"),
        (Some("text/plain"), b"imp_uid=a&merchant_uid=b&status=paid"),
        (
            Some("application/x-www-form-urlencoded"),
            b"imp_uid=&merchant_uid=b&status=paid",
        ),
        (None, b"imp_uid=a&imp_uid=b&merchant_uid=c&status=paid"),
    ];
    for (content_type, body) in cases {
        let err = WebhookPayload::parse(content_type, body).unwrap_err();
        assert!(
            matches!(err, Error::InvalidWebhook { .. }),
            "{content_type:?} {body:?}: {err:?}"
        );
    }
}

#[test]
fn verify_webhook_looks_the_payment_up_and_checks_merchant_uid() {
    let server = TestServer::with_token(|req| match req.path.as_str() {
        "/payments/imp_good" => ok(payment("imp_good", "order-1", "paid", None)),
        "/payments/imp_other" => ok(payment("imp_other", "order-2", "paid", None)),
        _ => api_error(404, -1, "존재하지 않는 결제정보입니다."),
    });
    let client = server.client();
    let payload = |imp_uid: &str, status: &str| {
        WebhookPayload::from_json(
            format!(r#"{{"imp_uid":"{imp_uid}","merchant_uid":"order-1","status":"{status}"}}"#)
                .as_bytes(),
        )
        .unwrap()
    };
    // The webhook claims `failed`; the looked-up payment is what counts.
    let payment = client
        .verify_webhook(&payload("imp_good", "failed"))
        .unwrap();
    assert_eq!(payment.status, PaymentStatus::Paid);
    assert_eq!(server.count("GET", "/payments/imp_good"), 1);

    let err = client
        .verify_webhook(&payload("imp_other", "paid"))
        .unwrap_err();
    match err {
        Error::WebhookMismatch {
            webhook_merchant_uid,
            payment_merchant_uid,
            ..
        } => {
            assert_eq!(webhook_merchant_uid, "order-1");
            assert_eq!(payment_merchant_uid, "order-2");
        }
        other => panic!("expected a mismatch, got {other:?}"),
    }
    assert!(
        client
            .verify_webhook(&payload("imp_forged", "paid"))
            .unwrap_err()
            .is_not_found()
    );
}
