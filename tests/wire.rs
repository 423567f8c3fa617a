//! The wire format, locked by insta snapshots:
//! - for every operation, the request the real `iamport::Client` sends for a typical input
//!   (method, path and query exactly as sent, content type, auth scheme, body byte for byte with
//!   the values of sensitive fields replaced by `[REDACTED]`);
//! - the decoding of i'mport's documented response bodies (`fixtures/`, see its README).
//!
//! Review each `.snap` against i'mport's published Swagger (https://api.iamport.kr/api/docs,
//! copied in portone-io/developers.portone.io as `src/schema/v1.openapi.json`) and the official
//! SDKs before accepting it.
//!
//! The workspace's one test binary: its modules hold the other workspace-level tests (`corpus`:
//! real-world bodies, `requests`: the typed request trait, `layout`: file lengths and import
//! loops, `hygiene`: public sources only, the README's opening, lints). The snapshots stay here,
//! at the crate root, so their names keep the `wire__` prefix.

mod corpus;
mod every_operation;
mod hygiene;
mod layout;
mod requests;

use iamport::types::*;
use iamport::{Amount, Client, Error, Timestamp};
use iamport_test_support::{IMP_SECRET, Reply, Request, TestServer};

const SENSITIVE: &[&str] = &[
    "card_number",
    "expiry",
    "birth",
    "pwd_2digit",
    "cvc",
    "imp_secret",
];
const CARD: &str = "4242-4242-4242-4242";

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/fixtures/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// A loopback server that answers getToken, then every other call with `status` and `body`
/// byte for byte.
fn answering(status: u16, body: String) -> TestServer {
    TestServer::with_token(move |_| Reply::Respond {
        status,
        body: body.clone(),
        content_type: "application/json; charset=UTF-8",
        delay: std::time::Duration::ZERO,
    })
}

/// The request as a reviewable text: request line, the headers that matter, the body with secret
/// values redacted (after checking each is present in clear, as the wire needs it).
fn wire(r: &Request, secrets: &[(&str, &str)]) -> String {
    let target = if r.query.is_empty() {
        r.path.clone()
    } else {
        format!("{}?{}", r.path, r.query)
    };
    let mut out = format!("{} {target}\n", r.method);
    if let Some(ct) = r.header("content-type") {
        out.push_str(&format!("content-type: {ct}\n"));
    }
    match r.header("authorization") {
        Some(v) => out.push_str(&format!(
            "authorization: {} [token]\n",
            v.split(' ').next().unwrap()
        )),
        None => out.push_str("(no authorization)\n"),
    }
    if !r.body.is_empty() {
        let body = String::from_utf8(r.body.clone()).unwrap();
        for (key, value) in secrets {
            assert!(
                body.contains(&format!("\"{key}\":\"{value}\"")),
                "{key} must be sent in clear: {body}"
            );
        }
        let re =
            regex_lite::Regex::new(&format!(r#""({})":"[^"]*""#, SENSITIVE.join("|"))).unwrap();
        out.push('\n');
        out.push_str(&re.replace_all(&body, r#""$1":"[REDACTED]""#));
        out.push('\n');
    }
    out
}

/// Runs one call against a fresh server answering `answer`, returns the one request it made.
fn capture<T>(answer: &str, call: impl FnOnce(&Client) -> Result<T, Error>) -> Request {
    let server = answering(200, fixture(answer));
    call(&server.client()).expect("the call succeeds");
    let mut requests: Vec<Request> = server
        .requests()
        .into_iter()
        .filter(|r| !r.is_get_token())
        .collect();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

macro_rules! snap {
    ($name:literal, $answer:literal, $secrets:expr, |$c:ident| $call:expr) => {{
        let recorded = capture($answer, |$c| $call);
        insta::assert_snapshot!($name, wire(&recorded, $secrets));
    }};
}

#[test]
fn get_token_request() {
    let server = answering(200, fixture("payment_paid"));
    server
        .client()
        .get_payment(&GetPaymentRequest::new("imp_803037736674"))
        .unwrap();
    let token = server
        .requests()
        .into_iter()
        .find(|r| r.is_get_token())
        .unwrap();
    insta::assert_snapshot!("get_token", wire(&token, &[("imp_secret", IMP_SECRET)]));
}

#[test]
fn charges() {
    snap!(
        "onetime_with_customer_uid",
        "payment_paid",
        &[("card_number", CARD), ("expiry", "2030-12"), ("cvc", "123")],
        |c| c.charge_card(&ChargeCardRequest {
            cvc: Some("123".into()),
            customer_uid: Some("customer_1234".into()),
            pg: Some("paymentwall".into()),
            name: Some("Monthly plan".into()),
            buyer_name: Some("Gildong Hong".into()),
            buyer_email: Some("gildong@example.com".into()),
            browser_ip: Some("203.0.113.7".into()),
            ..ChargeCardRequest::new("order_monthly_0001", Amount::from(8900), CARD, "2030-12")
        })
    );
    snap!(
        "onetime_key_in",
        "payment_paid",
        &[
            ("card_number", CARD),
            ("expiry", "2030-12"),
            ("birth", "880101"),
            ("pwd_2digit", "12")
        ],
        |c| c.charge_card(&ChargeCardRequest {
            currency: Some("USD".into()),
            birth: Some("880101".into()),
            pwd_2digit: Some("12".into()),
            name: Some("Single purchase".into()),
            ..ChargeCardRequest::new(
                "order_single_0001",
                "12.34".parse::<iamport::Amount>().unwrap(),
                CARD,
                "2030-12"
            )
        })
    );
    snap!("again", "payment_paid", &[], |c| c.charge_billing_key(
        &ChargeBillingKeyRequest {
            buyer_email: Some("gildong@example.com".into()),
            browser_ip: Some("203.0.113.7".into()),
            ..ChargeBillingKeyRequest::new(
                "customer_1234",
                "order_monthly_0002",
                Amount::from(8900),
                "Monthly plan"
            )
        }
    ));
    snap!("retry_schedule_by_mid", "payment_paid", &[], |c| c
        .retry_schedule(&RetryScheduleRequest {
            merchant_uid: "order_monthly_0002".into()
        }));
    snap!(
        "cancel_payment_partial",
        "payment_usd_partially_cancelled",
        &[],
        |c| c.cancel_payment(&CancelPaymentRequest {
            imp_uid: Some("imp_803037736676".into()),
            amount: Some("2.30".parse().unwrap()),
            checksum: Some("12.34".parse().unwrap()),
            reason: Some("partial refund".into()),
            ..Default::default()
        })
    );
}

#[test]
fn schedules() {
    snap!("schedule", "schedules", &[], |c| c.schedule_payments(
        &SchedulePaymentsRequest::new(
            "customer_1234",
            vec![Schedule {
                notice_url: Some("https://merchant.example/iamport/webhook".into()),
                ..Schedule::new(
                    "order_monthly_0003",
                    Timestamp::from_unix_seconds(1_700_035_200),
                    "KRW",
                    Amount::from(8900),
                    "Monthly plan"
                )
            }]
        )
    ));
    snap!("unschedule", "schedules", &[], |c| c.unschedule_payments(
        &UnschedulePaymentsRequest {
            customer_uid: Some("customer_1234".into()),
            merchant_uid: Some(vec![
                "order_monthly_0003".into(),
                "order_monthly_0004".into()
            ]),
        }
    ));
    snap!("find_schedules_by_range", "paged_schedules", &[], |c| c
        .list_schedules(&ListSchedulesRequest {
            schedule_status: Some(ScheduleStatus::Scheduled),
            page: Some(1),
            limit: Some(50),
            ..ListSchedulesRequest::new(
                Timestamp::from_unix_seconds(1_697_000_000),
                Timestamp::from_unix_seconds(1_700_000_000)
            )
        }));
    snap!("get_schedule_by_mid", "schedule", &[], |c| c.get_schedule(
        &GetScheduleRequest {
            merchant_uid: "order monthly/0003".into()
        }
    ));
    snap!("update_schedule_by_mid", "schedule", &[], |c| c
        .update_schedule(&UpdateScheduleRequest {
            merchant_uid: "order_monthly_0003".into(),
            schedule_at: Timestamp::from_unix_seconds(1_700_121_600),
        }));
    snap!("reschedule_by_mid", "schedule", &[], |c| c
        .reschedule_payment(&ReschedulePaymentRequest {
            merchant_uid: "order_monthly_0002".into(),
            schedule_at: Timestamp::from_unix_seconds(1_700_121_600),
        }));
    snap!("find_schedules_by_customer", "paged_schedules", &[], |c| c
        .list_schedules_by_customer(&ListSchedulesByCustomerRequest {
            customer_uid: "customer_1234".into(),
            from: Timestamp::from_unix_seconds(1_697_000_000),
            to: Timestamp::from_unix_seconds(1_700_000_000),
            schedule_status: Some(ScheduleStatus::Executed),
            page: Some(2),
        }));
}

#[test]
fn billing_keys() {
    snap!("customer_view_multiple", "customers", &[], |c| c
        .list_billing_keys(&ListBillingKeysRequest {
            customer_uid: vec!["customer_1234".into(), "customer_5678".into()],
        }));
    snap!("customer_view", "customer", &[], |c| c.get_billing_key(
        &GetBillingKeyRequest {
            customer_uid: "customer_1234".into()
        }
    ));
    snap!(
        "customer_save",
        "customer",
        &[
            ("card_number", CARD),
            ("expiry", "2030-12"),
            ("birth", "880101"),
            ("pwd_2digit", "12")
        ],
        |c| c.issue_billing_key(&IssueBillingKeyRequest {
            channel_key: Some("channel-key-0000-1111".into()),
            birth: Some("880101".into()),
            pwd_2digit: Some("12".into()),
            customer_name: Some("홍길동".into()),
            customer_email: Some("gildong@example.com".into()),
            ..IssueBillingKeyRequest::new("customer_1234", CARD, "2030-12")
        })
    );
    snap!("customer_delete", "customer", &[], |c| c
        .delete_billing_key(&DeleteBillingKeyRequest {
            customer_uid: "customer_1234".into(),
            reason: Some("구독 해지".into()),
            extra_requester: Some("customer".into()),
        }));
    snap!("customer_payments", "paged_payments", &[], |c| c
        .list_billing_key_payments(&ListBillingKeyPaymentsRequest {
            customer_uid: "customer_1234".into(),
            page: Some(1)
        }));
    snap!("customer_schedules", "paged_schedules", &[], |c| c
        .list_billing_key_schedules(
            &ListBillingKeySchedulesRequest::new(
                "customer_1234",
                Timestamp::from_unix_seconds(1_697_000_000),
                Timestamp::from_unix_seconds(1_700_000_000)
            )
        ));
}

#[test]
fn payments() {
    snap!("get_payment_by_imp_uid", "payment_paid", &[], |c| c
        .get_payment(&GetPaymentRequest {
            imp_uid: "imp_803037736674".into(),
            include_sandbox: Some(true),
        }));
    snap!("get_payment_by_merchant_uid", "payment_paid", &[], |c| c
        .find_payment(&FindPaymentRequest {
            merchant_uid: "order_monthly_0001".into(),
            sorting: Some(PaymentSorting::PaidDesc),
        }));
    snap!(
        "get_payment_by_merchant_uid_and_status",
        "payment_paid",
        &[],
        |c| c.find_payment_by_status(&FindPaymentByStatusRequest {
            merchant_uid: "order_monthly_0001".into(),
            payment_status: PaymentStatus::Paid,
            sorting: None,
        })
    );
    snap!(
        "get_all_payments_by_merchant_uid",
        "paged_payments",
        &[],
        |c| c.find_all_payments(&FindAllPaymentsRequest {
            merchant_uid: "order_monthly_0001".into(),
            page: Some(1),
            limit: Some(20),
            sorting: None,
        })
    );
    snap!(
        "get_all_payments_by_merchant_uid_and_status",
        "paged_payments",
        &[],
        |c| c.find_all_payments_by_status(&FindAllPaymentsByStatusRequest {
            merchant_uid: "order_monthly_0001".into(),
            payment_status: PaymentStatus::Failed,
            page: None,
            limit: None,
            sorting: Some(PaymentSorting::StartedAsc),
        })
    );
    snap!("paymentwall_delivery", "paymentwall_delivery", &[], |c| c
        .register_paymentwall_delivery(
            &RegisterPaymentwallDeliveryRequest::new(
                "imp_803037736674",
                "order_monthly_0001",
                PaymentwallDeliveryType::Digital,
                PaymentwallDeliveryStatus::Delivered,
                Timestamp::from_unix_seconds(1_697_443_300),
                Timestamp::from_unix_seconds(1_697_443_300),
                PaymentwallDeliveryRefundable::Yes,
                "gildong@example.com",
            )
        ));
}

/// Decodes a documented body through the real client and returns the value or error, as Debug.
fn decoded<T: std::fmt::Debug>(
    status: u16,
    body: &str,
    call: impl FnOnce(&Client) -> Result<T, Error>,
) -> String {
    let server = answering(status, body.to_string());
    match call(&server.client()) {
        Ok(v) => format!("Ok({v:#?})"),
        Err(e) => format!("Err: {e}\n{e:#?}"),
    }
}

fn by_imp_uid(c: &Client) -> Result<Payment, Error> {
    c.get_payment(&GetPaymentRequest::new("imp_803037736674"))
}

#[test]
fn documented_responses_decode() {
    insta::assert_snapshot!(
        "decode_payment_paid",
        decoded(200, &fixture("payment_paid"), by_imp_uid)
    );
    insta::assert_snapshot!(
        "decode_payment_usd_partially_cancelled",
        decoded(200, &fixture("payment_usd_partially_cancelled"), by_imp_uid)
    );
    insta::assert_snapshot!(
        "decode_customer",
        decoded(200, &fixture("customer"), |c| c.get_billing_key(
            &GetBillingKeyRequest {
                customer_uid: "customer_1234".into()
            }
        ))
    );
    insta::assert_snapshot!(
        "decode_paged_schedules",
        decoded(200, &fixture("paged_schedules"), |c| c
            .list_schedules_by_customer(
                &ListSchedulesByCustomerRequest::new(
                    "customer_1234",
                    Timestamp::from_unix_seconds(1),
                    Timestamp::from_unix_seconds(2)
                )
            ))
    );
    insta::assert_snapshot!(
        "decode_paged_payments",
        decoded(200, &fixture("paged_payments"), |c| c
            .list_billing_key_payments(&ListBillingKeyPaymentsRequest {
                customer_uid: "customer_1234".into(),
                page: None
            }))
    );
    insta::assert_snapshot!(
        "decode_error_not_found_404",
        decoded(404, &fixture("error_not_found"), by_imp_uid)
    );
    insta::assert_snapshot!(
        "decode_error_code_1_under_200",
        decoded(200, &fixture("error_cancel_unknown"), |c| c.cancel_payment(
            &CancelPaymentRequest {
                merchant_uid: Some("order_unknown".into()),
                ..Default::default()
            }
        ))
    );
    insta::assert_snapshot!(
        "decode_error_400_message",
        decoded(400, &fixture("error_bad_request"), |c| c
            .charge_billing_key(&ChargeBillingKeyRequest::new(
                "customer_1234",
                "order_0009",
                Amount::from(1000),
                "n"
            )))
    );
}

#[test]
fn a_declined_again_decodes_as_a_decline() {
    let out = decoded(200, &fixture("payment_failed"), |c| {
        c.charge_billing_key(&ChargeBillingKeyRequest::new(
            "customer_1234",
            "order_monthly_0002",
            Amount::from(8900),
            "Monthly plan",
        ))
    });
    assert!(out.starts_with("Err"), "{out}");
    insta::assert_snapshot!("decode_payment_failed_as_decline", out);
}

#[test]
fn the_token_is_decoded_and_redacted() {
    let token: serde_json::Value = serde_json::from_str(&fixture("token")).unwrap();
    let access: AccessToken = serde_json::from_value(token["response"].clone()).unwrap();
    assert_eq!(
        access.expired_at.unix_seconds() - access.now.unix_seconds(),
        1800
    );
    let shown = format!("{access:?}");
    assert!(!shown.contains("0a1b2c3d4e5f"), "{shown}");
    insta::assert_snapshot!("decode_token", shown);
}
