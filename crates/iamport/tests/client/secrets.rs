//! No secret in clear in any Debug or Display of the public request, response, client and error
//! types that hold one.

use iamport_test_support as support;

use iamport::types::{
    AccessToken, ChargeBillingKeyRequest, ChargeCardRequest, GetPaymentRequest,
    IssueBillingKeyRequest, IssueTokenRequest, Schedule, SchedulePaymentsRequest,
};
use iamport::{Amount, Client, ClientBuilder, Error, Secret, Timestamp, WebhookPayload};
use serde_json::json;
use std::fmt::Debug;
use std::time::Duration;
use support::{IMP_SECRET, Reply, TestServer, api_error, ok, payment};

const TOKEN: &str = "tok-SECRET-c659d285a0c97e";
const CARD: &str = "4242-4242-4242-4242";
const EXPIRY: &str = "2031-07";
const BIRTH: &str = "770317";
const PWD: &str = "97";
const CVC: &str = "864";

/// Every secret value, and the forms a leak would take in Debug output.
fn secrets() -> Vec<String> {
    let mut all: Vec<String> = [
        IMP_SECRET,
        TOKEN,
        CARD,
        "4242424242424242",
        "4242424242424241",
        EXPIRY,
        BIRTH,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Short values only leak as a quoted field value.
    all.extend([format!("\"{PWD}\""), format!("\"{CVC}\"")]);
    all
}

fn assert_clean(what: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(&secret), "{what} leaks `{secret}`: {text}");
    }
}

fn assert_debug_clean<T: Debug>(what: &str, value: &T) {
    assert_clean(what, &format!("{value:?}"));
    assert_clean(what, &format!("{value:#?}"));
}

fn assert_error_clean(what: &str, error: &Error) {
    assert_debug_clean(what, error);
    assert_clean(what, &error.to_string());
    let mut source = std::error::Error::source(error);
    while let Some(s) = source {
        assert_clean(what, &s.to_string());
        source = s.source();
    }
}

fn card_fields() -> (
    iamport::runtime::CardNumber,
    Secret,
    Option<Secret>,
    Option<Secret>,
    Option<Secret>,
) {
    (
        CARD.into(),
        EXPIRY.into(),
        Some(BIRTH.into()),
        Some(PWD.into()),
        Some(CVC.into()),
    )
}

fn onetime() -> ChargeCardRequest {
    let (card_number, expiry, birth, pwd_2digit, cvc) = card_fields();
    ChargeCardRequest {
        birth,
        pwd_2digit,
        cvc,
        ..ChargeCardRequest::new(
            "order-s",
            "1000".parse::<iamport::Amount>().unwrap(),
            card_number,
            expiry,
        )
    }
}

#[test]
fn request_response_and_client_types_never_print_secrets() {
    let (card_number, expiry, birth, pwd_2digit, cvc) = card_fields();
    assert_debug_clean("Secret", &Secret::from(CARD));
    assert_debug_clean(
        "IssueTokenRequest",
        &IssueTokenRequest {
            imp_key: "key".into(),
            imp_secret: IMP_SECRET.into(),
        },
    );
    assert_debug_clean(
        "AccessToken",
        &AccessToken {
            access_token: TOKEN.into(),
            now: Timestamp(1000),
            expired_at: Timestamp(2800),
        },
    );
    assert_debug_clean("ChargeCardRequest", &onetime());
    assert_debug_clean(
        "SchedulePaymentsRequest",
        &SchedulePaymentsRequest {
            card_number: Some(card_number.clone()),
            expiry: Some(expiry.clone()),
            birth: birth.clone(),
            pwd_2digit: pwd_2digit.clone(),
            cvc: cvc.clone(),
            ..SchedulePaymentsRequest::new(
                "c",
                vec![Schedule::new(
                    "m",
                    Timestamp(0),
                    "KRW",
                    Amount::from(1),
                    "n",
                )],
            )
        },
    );
    assert_debug_clean(
        "IssueBillingKeyRequest",
        &IssueBillingKeyRequest {
            birth,
            pwd_2digit,
            cvc,
            ..IssueBillingKeyRequest::new("c", card_number, expiry)
        },
    );
    let builder = ClientBuilder::default()
        .imp_key("key")
        .imp_secret(IMP_SECRET);
    assert_debug_clean("ClientBuilder", &builder);
    let client = builder.build().unwrap();
    assert_debug_clean("Client", &client);
    assert!(format!("{client:?}").contains("[REDACTED]"));
}

#[test]
fn every_error_variant_is_free_of_secrets() {
    // A server that knows all the secrets and echoes them wherever it can.
    let server = TestServer::start(|req| {
        let path = req.path.as_str();
        if req.is_get_token() {
            return support::token(TOKEN, 1000, 2800);
        }
        match path {
            "/payments/api" => api_error(400, -1, "잘못된 요청입니다."),
            "/payments/missing" => api_error(404, -1, "존재하지 않는 결제정보입니다."),
            "/payments/http" => Reply::text(418, &format!("teapot {TOKEN} {CARD}")),
            "/payments/decode" => ok(json!({
                "access_token": TOKEN, "card_number": CARD, "expiry": EXPIRY, "birth": BIRTH,
                "imp_uid": 12, "status": "paid"
            })),
            "/payments/hijacked" => ok(payment("hijacked", "someone-else", "paid", None)),
            "/payments/huge" => ok(json!({
                "imp_uid": "imp_h", "access_token": TOKEN, "card_number": CARD,
                "padding": "x".repeat(4096)
            })),
            "/payments/cancel" => Reply::text(502, &format!("proxy saw {CARD} {TOKEN}")),
            "/subscribe/payments/onetime" => {
                let body = req.json();
                match body["merchant_uid"].as_str().unwrap() {
                    "declined" => ok(payment("imp_d", "declined", "failed", Some("Do not honor"))),
                    "ready" => ok(payment("imp_r", "ready", "ready", None)),
                    "timeout" => ok(payment("imp_t", "timeout", "paid", None))
                        .delayed(Duration::from_secs(5)),
                    _ => Reply::text(502, &format!("proxy saw {CARD} {TOKEN}")),
                }
            }
            _ => api_error(400, -1, "unexpected"),
        }
    });
    let client = server
        .builder()
        .read_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let lookup = |imp_uid: &str| {
        client
            .get_payment(&GetPaymentRequest::new(imp_uid))
            .unwrap_err()
    };
    let charge = |merchant_uid: &str| {
        let mut request = onetime();
        request.merchant_uid = merchant_uid.into();
        client.charge_card(&request).unwrap_err()
    };
    let mut invalid_card = onetime();
    invalid_card.card_number = "4242424242424241".into();
    let validation = client.charge_card(&invalid_card).unwrap_err();
    let mut errors = vec![
        ("Validation", validation),
        ("Api", lookup("api")),
        ("NotFound", lookup("missing")),
        ("Http", lookup("http")),
        ("Decode", lookup("decode")),
        ("Declined", charge("declined")),
        ("NotPaid", charge("ready")),
        ("OutcomeUnknown(timeout)", charge("timeout")),
        ("OutcomeUnknown(502)", charge("proxied")),
        (
            "CancelOutcomeUnknown",
            client
                .cancel_payment(&iamport::types::CancelPaymentRequest {
                    imp_uid: Some("imp_c".into()),
                    ..Default::default()
                })
                .unwrap_err(),
        ),
        (
            "ResponseTooLarge",
            server
                .builder()
                .max_response_bytes(1024)
                .build()
                .unwrap()
                .get_payment(&GetPaymentRequest::new("huge"))
                .unwrap_err(),
        ),
        (
            "InvalidWebhook",
            WebhookPayload::parse(Some("application/json"), CARD.as_bytes()).unwrap_err(),
        ),
        (
            "WebhookMismatch",
            client
                .verify_webhook(
                    &WebhookPayload::parse(
                        None,
                        br#"{"imp_uid":"hijacked","merchant_uid":"mine","status":"paid"}"#,
                    )
                    .unwrap(),
                )
                .unwrap_err(),
        ),
        (
            "Config",
            Client::builder()
                .base_url(format!("http://example.com/{TOKEN}"))
                .imp_key("k")
                .imp_secret(IMP_SECRET)
                .build()
                .unwrap_err(),
        ),
        (
            "Config(missing)",
            Client::builder().imp_key("k").build().unwrap_err(),
        ),
        (
            "Encode",
            iamport::runtime::json_body(&std::collections::HashMap::from([((1u8, 2u8), CARD)]))
                .unwrap_err(),
        ),
    ];
    // A transport error: nothing listens on this port.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let offline = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .imp_key("k")
        .imp_secret(IMP_SECRET)
        .build()
        .unwrap();
    let again =
        ChargeBillingKeyRequest::new("c", "m", "1".parse::<iamport::Amount>().unwrap(), "n");
    errors.push(("Transport", offline.charge_billing_key(&again).unwrap_err()));

    let kinds: Vec<&str> = errors
        .iter()
        .map(|(_, e)| match e {
            Error::Validation(_) => "Validation",
            Error::Encode(_) => "Encode",
            Error::Config(_) => "Config",
            Error::Api { .. } => "Api",
            Error::NotFound { .. } => "NotFound",
            Error::Http { .. } => "Http",
            Error::Transport { .. } => "Transport",
            Error::Decode { .. } => "Decode",
            Error::Declined { .. } => "Declined",
            Error::NotPaid { .. } => "NotPaid",
            Error::OutcomeUnknown { .. } => "OutcomeUnknown",
            Error::CancelOutcomeUnknown { .. } => "CancelOutcomeUnknown",
            Error::ResponseTooLarge { .. } => "ResponseTooLarge",
            Error::InvalidWebhook { .. } => "InvalidWebhook",
            Error::WebhookMismatch { .. } => "WebhookMismatch",
            _ => "other",
        })
        .collect();
    // Each test case produced the variant it names (so every variant is covered).
    for ((name, _), kind) in errors.iter().zip(&kinds) {
        assert!(name.starts_with(kind), "case {name} produced {kind}");
    }
    for (name, error) in &errors {
        assert_error_clean(name, error);
    }
}

#[test]
fn get_token_returns_the_real_token() {
    let server = TestServer::start(|req| {
        if req.is_get_token() {
            support::token(TOKEN, 1000, 2800)
        } else {
            api_error(400, -1, "unexpected")
        }
    });
    let issued = server
        .client()
        .issue_token(&iamport::types::IssueTokenRequest {
            imp_key: support::IMP_KEY.into(),
            imp_secret: IMP_SECRET.into(),
        })
        .unwrap();
    assert_eq!(issued.access_token.expose(), TOKEN);
    // Still masked in Debug.
    assert!(!format!("{issued:?}").contains(TOKEN));
}
