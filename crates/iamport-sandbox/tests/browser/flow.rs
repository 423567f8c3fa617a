//! The quickstart's flow through the real client (plus a partial and a full cancel), shared by
//! the HTML-level tests (`tests/dashboard.rs`) and the browser tests (`tests/browser/`).

#![allow(dead_code)]

use iamport::Request;
use std::time::Duration;

use iamport::types::{
    CancelPaymentRequest, ChargeBillingKeyRequest, ChargeCardRequest, Schedule,
    SchedulePaymentsRequest,
};
use iamport::{Amount, Client, Error, Reconciled, Timestamp};
use iamport_sandbox::{Fault, FaultRule, Sandbox, TEST_API_KEY, TEST_API_SECRET};

/// Card numbers, expiry and birth used by the flow: none may appear on the page.
pub const CARD_VISA: &str = "4242-4242-4242-4242";
pub const CARD_MASTER: &str = "5555-5555-5555-4444";
pub const CARD_DECLINED: &str = "4000-0000-0000-9995";
pub const EXPIRY: &str = "2039-12";
pub const BIRTH: &str = "880101";
pub const CVC: &str = "987";
pub const PWD_2DIGIT: &str = "12";
/// A product name with markup: the page must show it escaped.
pub const MARKUP_NAME: &str = "<b>E-book</b> & \"more\"";

/// The billing key of the flow.
pub const CUSTOMER_UID: &str = "customer-42-card-1";
/// The schedule the flow leaves pending, one hour ahead.
pub const SCHEDULED_MID: &str = "sub-42-2026-04";

/// One payment the page must show.
#[derive(Debug, Clone)]
pub struct Expected {
    pub merchant_uid: String,
    pub imp_uid: String,
    /// The `data-status` value: `paid`, `failed`, `cancelled` or `partially_cancelled`.
    pub status: &'static str,
}

/// What the flow did.
#[derive(Debug)]
pub struct Flow {
    pub payments: Vec<Expected>,
}

pub fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

pub fn amount(s: &str) -> Amount {
    s.parse().expect("amount")
}

fn onetime(merchant_uid: &str, card: &str, amount_text: &str, name: &str) -> ChargeCardRequest {
    ChargeCardRequest {
        birth: Some(BIRTH.into()),
        pwd_2digit: Some(PWD_2DIGIT.into()),
        name: Some(name.into()),
        ..ChargeCardRequest::new(merchant_uid, amount(amount_text), card, EXPIRY)
    }
}

/// The `again` request of the flow's billing key.
pub fn again(merchant_uid: &str, name: &str) -> ChargeBillingKeyRequest {
    ChargeBillingKeyRequest {
        currency: Some("USD".into()),
        buyer_name: Some("Jane Doe".into()),
        buyer_email: Some("jane@example.com".into()),
        browser_ip: Some("203.0.113.7".into()),
        ..ChargeBillingKeyRequest::new(CUSTOMER_UID, merchant_uid, amount("9.99"), name)
    }
}

/// Runs the flow: paid, billing key + paid, `again` paid, declined, a lost answer reconciled as
/// paid, a partial and a full cancel, and a schedule one hour ahead (left pending).
pub fn run(sandbox: &Sandbox, client: &Client) -> Flow {
    let mut payments = Vec::new();
    let mut expect = |p: &iamport::types::Payment, status: &'static str| {
        payments.push(Expected {
            merchant_uid: p.merchant_uid.clone(),
            imp_uid: p.imp_uid.clone(),
            status,
        })
    };

    let one = client
        .charge_card(&onetime("order-0001", CARD_VISA, "12000", MARKUP_NAME))
        .expect("order-0001 paid");
    expect(&one, "paid");

    let first = client
        .charge_card(&ChargeCardRequest {
            pg: Some("paymentwall".into()),
            customer_uid: Some(CUSTOMER_UID.into()),
            currency: Some("USD".into()),
            cvc: Some(CVC.into()),
            buyer_name: Some("Jane Doe".into()),
            buyer_email: Some("jane@example.com".into()),
            browser_ip: Some("203.0.113.7".into()),
            ..onetime("sub-42-2026-01", CARD_MASTER, "9.99", "Pro plan, January")
        })
        .expect("billing key + first payment");
    expect(&first, "paid");

    let second = client
        .charge_billing_key(&again("sub-42-2026-02", "Pro plan, February"))
        .expect("again paid");
    expect(&second, "paid");

    match client.charge_card(&onetime("order-0002", CARD_DECLINED, "50000", "Gift card")) {
        Err(Error::Declined { payment, .. }) => expect(&payment, "failed"),
        other => panic!("expected a decline, got {other:?}"),
    }

    sandbox.inject_fault(FaultRule::once_for(
        iamport::types::ChargeBillingKeyRequest::OPERATION,
        Fault::DropConnection,
    ));
    match client.charge_billing_key(&again("sub-42-2026-03", "Pro plan, March")) {
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => {
            match client.reconcile(&merchant_uid).expect("reconcile") {
                Reconciled::Paid(payment) => expect(&payment, "paid"),
                other => panic!("expected the lost charge to be paid, got {other:?}"),
            }
        }
        other => panic!("expected an unknown outcome, got {other:?}"),
    }

    let partial = client
        .charge_card(&onetime("order-0003", CARD_VISA, "12000", "Course"))
        .expect("order-0003 paid");
    client
        .cancel_payment(&CancelPaymentRequest {
            imp_uid: Some(partial.imp_uid.clone()),
            amount: Some(amount("2000")),
            checksum: Some(amount("12000")),
            reason: Some("one lesson refunded".into()),
            ..Default::default()
        })
        .expect("partial cancel");
    expect(&partial, "partially_cancelled");

    let full = client
        .charge_card(&onetime("order-0004", CARD_VISA, "3000", "Sticker"))
        .expect("order-0004 paid");
    client
        .cancel_payment(&CancelPaymentRequest {
            imp_uid: Some(full.imp_uid.clone()),
            reason: Some("changed my mind".into()),
            ..Default::default()
        })
        .expect("full cancel");
    expect(&full, "cancelled");

    client
        .schedule_payments(&SchedulePaymentsRequest::new(
            CUSTOMER_UID,
            vec![Schedule {
                buyer_email: Some("jane@example.com".into()),
                ..Schedule::new(
                    SCHEDULED_MID,
                    Timestamp(sandbox.now() + 3600),
                    "USD",
                    amount("9.99"),
                    "Pro plan, April",
                )
            }],
        ))
        .expect("schedule");

    Flow { payments }
}

/// The access token the sandbox issued to the test credentials (getToken returns the same one
/// until it expires).
pub fn access_token(sandbox: &Sandbox) -> String {
    let body: serde_json::Value = ureq::post(format!("{}/users/getToken", sandbox.base_url()))
        .send_json(serde_json::json!({ "imp_key": TEST_API_KEY, "imp_secret": TEST_API_SECRET }))
        .expect("getToken")
        .body_mut()
        .read_json()
        .expect("getToken body");
    body["response"]["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// Panics naming the secret if `html` holds any card number (with or without dashes), expiry,
/// birth, cvc, password digits, `imp_secret` or one of `tokens`.
pub fn assert_no_secret(html: &str, tokens: &[String]) {
    let mut secrets: Vec<(String, String)> = [CARD_VISA, CARD_MASTER, CARD_DECLINED]
        .iter()
        .flat_map(|c| {
            [
                (format!("card number {c}"), c.to_string()),
                (
                    format!("card number {c} without dashes"),
                    c.replace('-', ""),
                ),
            ]
        })
        .collect();
    secrets.extend([
        ("expiry".to_owned(), EXPIRY.to_owned()),
        ("birth".to_owned(), BIRTH.to_owned()),
        ("imp_secret".to_owned(), TEST_API_SECRET.to_owned()),
        // A short value: looked for as a field's value, not as digits inside ids (the two
        // password digits are too short even for that: the field names are checked below).
        ("cvc".to_owned(), format!(">{CVC}<")),
        ("cvc".to_owned(), format!("\"{CVC}\"")),
    ]);
    for token in tokens {
        secrets.push(("access token".to_owned(), token.clone()));
    }
    for (what, value) in &secrets {
        assert!(!html.contains(value.as_str()), "the page shows the {what}");
    }
    for field in [
        "cvc",
        "birth",
        "pwd_2digit",
        "expiry",
        "imp_secret",
        "access_token",
    ] {
        assert!(
            !html.to_lowercase().contains(field),
            "the page names the secret field `{field}`"
        );
    }
}

/// A loopback HTTP server that answers every request `200 OK` (a webhook receiver that lives as
/// long as the test process); returns its URL.
pub fn webhook_sink() -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the webhook sink");
    let url = format!(
        "http://{}/webhooks/iamport",
        listener.local_addr().expect("addr")
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut seen = Vec::new();
            let mut buf = [0u8; 4096];
            // Read the head, then as many body bytes as Content-Length says.
            let complete = loop {
                let Ok(n) = stream.read(&mut buf) else {
                    break false;
                };
                if n == 0 {
                    break false;
                }
                seen.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&seen).to_string();
                if let Some(end) = text.find("\r\n\r\n") {
                    let length = text[..end]
                        .lines()
                        .find_map(|l| {
                            let (name, value) = l.split_once(':')?;
                            name.eq_ignore_ascii_case("content-length")
                                .then(|| value.trim().parse::<usize>().ok())?
                        })
                        .unwrap_or(0);
                    if seen.len() >= end + 4 + length {
                        break true;
                    }
                }
            };
            if complete {
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                );
            }
        }
    });
    url
}

/// A sandbox whose payments and schedules send webhooks to a [`webhook_sink`].
pub fn sandbox() -> Sandbox {
    Sandbox::builder()
        .webhook_url(webhook_sink())
        .start()
        .expect("start the sandbox")
}
