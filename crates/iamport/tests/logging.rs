//! Request logging through the `log` facade: method, path, status, duration and merchant_uid,
//! never a secret. One test only: the logger is process-global.

mod support;

use iamport::Api;
use iamport::types::{AgainRequest, OnetimeRequest};
use std::sync::Mutex;
use std::time::Duration;
use support::{IMP_SECRET, TestServer, api_error, ok, payment};

struct Capture(Mutex<Vec<String>>);

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        self.0.lock().unwrap().push(format!(
            "{} {}: {}",
            record.level(),
            record.target(),
            record.args()
        ));
    }
    fn flush(&self) {}
}

static LOGGER: Capture = Capture(Mutex::new(Vec::new()));

const TOKEN: &str = "tok-LOGGED-NEVER-5b4a3c2d1e";
const CARD: &str = "5555-4444-3333-1111";

#[test]
fn requests_are_logged_without_secrets() {
    log::set_logger(&LOGGER).unwrap();
    log::set_max_level(log::LevelFilter::Trace);

    let server = TestServer::start(|req| {
        if req.is_get_token() {
            return support::token(TOKEN, 1000, 2800);
        }
        match req.json()["merchant_uid"].as_str().unwrap_or_default() {
            "order-log-1" => ok(payment("imp_l1", "order-log-1", "paid", None)),
            "order-log-2" => ok(payment(
                "imp_l2",
                "order-log-2",
                "failed",
                Some("Insufficient funds"),
            )),
            "order-log-3" => {
                ok(payment("imp_l3", "order-log-3", "paid", None)).delayed(Duration::from_secs(5))
            }
            _ => api_error(400, -1, "bad"),
        }
    });
    let client = server
        .builder()
        .read_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let onetime = OnetimeRequest {
        merchant_uid: "order-log-1".into(),
        amount: "1000".parse().unwrap(),
        card_number: CARD.into(),
        expiry: "2031-07".into(),
        birth: Some("770317".into()),
        ..Default::default()
    };
    client.onetime(&onetime).unwrap();
    let again = |merchant_uid: &str| AgainRequest {
        customer_uid: "cust-log".into(),
        merchant_uid: merchant_uid.into(),
        amount: "1000".parse().unwrap(),
        name: "plan".into(),
        ..Default::default()
    };
    assert!(client.again(&again("order-log-2")).is_err());
    assert!(client.again(&again("order-log-3")).is_err());

    let lines = LOGGER.0.lock().unwrap().clone();
    let ours: Vec<&String> = lines.iter().filter(|l| l.contains(" iamport: ")).collect();
    let has = |needle: &str| ours.iter().any(|l| l.contains(needle));
    assert!(has("POST /users/getToken -> 200 in "), "{ours:#?}");
    assert!(
        has("POST /subscribe/payments/onetime -> 200 in "),
        "{ours:#?}"
    );
    assert!(has(" ms merchant_uid=order-log-1"), "{ours:#?}");
    assert!(has("merchant_uid=order-log-2"), "{ours:#?}");
    assert!(
        has("POST /subscribe/payments/again -> transport error after"),
        "{ours:#?}"
    );
    assert!(
        has("outcome unknown for merchant_uid=order-log-3"),
        "{ours:#?}"
    );
    // Every line, ureq's included.
    for line in &lines {
        for secret in [
            IMP_SECRET,
            TOKEN,
            CARD,
            "5555444433331111",
            "2031-07",
            "770317",
        ] {
            assert!(!line.contains(secret), "log line leaks `{secret}`: {line}");
        }
    }
}
