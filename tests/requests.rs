//! The typed request trait through the real client, the generated constructors, the footgun
//! guards, and the generated enums' wire names.

use iamport::runtime::{CardNumber, Request};
use iamport::types::*;
use iamport::{Amount, Error, Timestamp, Validate};
use serde_json::json;

use iamport_test_support::{Reply, TestServer, ok, payment};

fn paid_server() -> TestServer {
    TestServer::with_token(|_| ok(payment("imp_1", "order_1", "paid", None)))
}

#[test]
fn send_takes_any_request_and_returns_its_typed_response() {
    let server = paid_server();
    let client = server.client();
    let again = ChargeBillingKeyRequest::new("customer_1234", "order_1", 8900, "Monthly plan");
    let paid: Payment = client.send(&again).unwrap();
    assert_eq!(paid.status, PaymentStatus::Paid);
    // The method is one-line sugar over `send`: the same request goes out.
    client.charge_billing_key(&again).unwrap();
    let sent: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.is("POST", "/subscribe/payments/again"))
        .collect();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].body, sent[1].body);
    assert_eq!(
        sent[0].json(),
        json!({"customer_uid": "customer_1234", "merchant_uid": "order_1", "amount": 8900, "name": "Monthly plan"})
    );
    assert_eq!(
        <ChargeBillingKeyRequest as Request>::OPERATION.operation_id,
        "again"
    );
}

#[test]
fn send_validates_before_sending() {
    let server = paid_server();
    let mut again = ChargeBillingKeyRequest::new("customer_1234", "order_1", 8900, "Monthly plan");
    again.merchant_uid = "x".repeat(41);
    let err = server.client().send(&again).unwrap_err();
    assert!(
        matches!(&err, Error::Validation(v) if v.field() == "merchant_uid"),
        "{err}"
    );
    assert_eq!(server.count("POST", "/subscribe/payments/again"), 0);
}

#[test]
fn constructors_take_the_required_fields() {
    let onetime = ChargeCardRequest::new("order_1", 1000, "4242 4242 4242 4242", "2031-07");
    assert_eq!(onetime.card_number.expose(), "4242-4242-4242-4242");
    assert!(onetime.customer_uid.is_none() && onetime.buyer_name.is_none());
    let schedule = Schedule::new("order_2", 1_800_000_000, "KRW", 8900, "Monthly plan");
    assert_eq!(
        schedule.schedule_at,
        Timestamp::from_unix_seconds(1_800_000_000)
    );
    let cancel = CancelPaymentRequest::new();
    assert!(cancel.amount.is_none());
    let view = GetBillingKeyRequest::new("customer_1234");
    assert_eq!(
        view.to_http().unwrap().path,
        "/subscribe/customers/customer_1234"
    );
}

/// Card numbers, display text and the footgun guards, through `validate()`.
#[test]
fn validation_is_strict_only_where_iamport_is() {
    for card in [
        "378282246310005",     // AMEX, 15 digits
        "3782-822463-10005",   // AMEX, dashed
        "30569309025904",      // Diners, 14 digits
        "3056 930902 5904",    // Diners, spaced
        "4242424242424242",    // 16 digits
        "4242-4242-4242-4242", // 16 digits, dashed
    ] {
        let mut r = ChargeCardRequest::new("order_1", 1000, card, "2031-07");
        r.cvc = Some("1234".into());
        r.buyer_name = Some("Christopher Johnson".into());
        r.validate().unwrap_or_else(|e| panic!("{card}: {e}"));
    }
    let luhn = ChargeCardRequest::new("order_1", 1000, "4242424242424241", "2031-07")
        .validate()
        .unwrap_err();
    assert_eq!(luhn.field(), "card_number");
    assert!(!luhn.to_string().contains("4242424242424241"));
    let card: CardNumber = "378282246310005".into();
    assert_eq!(card.expose(), "3782-822463-10005");

    let empty = UnschedulePaymentsRequest {
        customer_uid: Some("customer_1234".into()),
        merchant_uid: Some(Vec::new()),
    };
    assert_eq!(empty.validate().unwrap_err().field(), "merchant_uid");
    let all = UnschedulePaymentsRequest {
        customer_uid: Some("customer_1234".into()),
        merchant_uid: None,
    };
    assert!(
        all.validate().is_ok(),
        "omitting the list revokes all on purpose"
    );

    let mut zero = CancelPaymentRequest::new();
    zero.imp_uid = Some("imp_1".into());
    zero.amount = Some(Amount::ZERO);
    let err = zero.validate().unwrap_err();
    assert_eq!(
        (err.field(), err.rule()),
        ("amount", "must be greater than 0 (is 0)")
    );
    zero.amount = None;
    assert!(zero.validate().is_ok(), "no amount is a full refund");

    let millis = Schedule::new(
        "order_2",
        1_800_000_000_000_i64,
        "KRW",
        8900,
        "Monthly plan",
    );
    let err = SchedulePaymentsRequest::new("customer_1234", vec![millis])
        .validate()
        .unwrap_err();
    assert_eq!(err.field(), "schedules[0].schedule_at");
}

/// The dashed form is what goes on the wire, whatever the spelling.
#[test]
fn card_numbers_go_out_dashed() {
    let server = TestServer::with_token(|_| ok(payment("imp_1", "order_1", "paid", None)));
    let request = ChargeCardRequest::new("order_1", 1000, "378282246310005", "2031-07");
    server.client().charge_card(&request).unwrap();
    let sent = server
        .requests()
        .into_iter()
        .find(|r| r.is("POST", "/subscribe/payments/onetime"))
        .unwrap();
    assert_eq!(sent.json()["card_number"], json!("3782-822463-10005"));
}

/// A server built on the same types (the sandbox) decodes every spelling of a card number.
#[test]
fn requests_decode_every_card_spelling() {
    for card in ["378282246310005", "3782 822463 10005", "3782-822463-10005"] {
        let body = json!({"merchant_uid": "order_1", "amount": 1000, "card_number": card,
                          "expiry": "2031-07", "cvc": "1234"});
        let decoded: ChargeCardRequest = serde_json::from_value(body).unwrap();
        assert_eq!(decoded.card_number.expose(), "3782-822463-10005");
        decoded.validate().unwrap();
    }
}

/// `GET /users/pg` decodes through the client.
#[test]
fn pg_settings_list_channel_keys() {
    let server = TestServer::with_token(|_| {
        Reply::json(
            200,
            json!({"code": 0, "message": null, "response": [
                {"pg_provider": "paymentwall", "pg_id": "mid", "sandbox": true, "type": "api_payment",
                 "channel_name": "PW", "channel_key": "channel-key-1"}
            ]}),
        )
    });
    let settings = server.client().list_pg_settings().unwrap();
    assert_eq!(settings[0].channel_key.as_deref(), Some("channel-key-1"));
    assert_eq!(server.count("GET", "/users/pg"), 1);
}

/// An enum's wire strings are written once (the `wire_enum!` list): serde, `as_str`, `Display`
/// and `FromStr` all come from it; Rust-shaped variants still send i'mport's strings.
#[test]
fn enums_send_and_read_their_wire_strings() {
    assert_eq!(
        serde_json::to_value(PaymentSorting::StartedDesc).unwrap(),
        json!("-started")
    );
    let decoded: PaymentSorting = serde_json::from_value(json!("updated")).unwrap();
    assert_eq!(decoded, PaymentSorting::UpdatedAsc);
    assert_eq!(PaymentSorting::PaidDesc.to_string(), "-paid");
    let unknown: PaymentStatus = serde_json::from_value(json!("partial_cancelled")).unwrap();
    assert_eq!(
        serde_json::to_value(&unknown).unwrap(),
        json!("partial_cancelled")
    );
    assert!(serde_json::from_value::<ProductType>(json!("virtual")).is_err());
    // Open enums keep new values; closed (request-only) ones refuse them.
    assert_eq!(
        "partial_cancelled".parse::<PaymentStatus>(),
        Ok(PaymentStatus::Unknown("partial_cancelled".into()))
    );
    assert!("virtual".parse::<ProductType>().is_err());
}
