//! Request logging through the `log` facade: method, path, status, duration and merchant_uid,
//! never a secret. One test only: the logger is process-global.
//!
//! Its own test binary: the `log` logger is process-global and would capture other tests' lines.

use iamport_test_support as support;

use iamport::types::{ChargeBillingKeyRequest, ChargeCardRequest};
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
        // The same record's message alone, for the hex-row reassembly.
        if record.target().starts_with("ureq_proto") {
            ROWS.lock().unwrap().push(record.args().to_string());
        }
    }
    fn flush(&self) {}
}

static LOGGER: Capture = Capture(Mutex::new(Vec::new()));
static ROWS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// ureq-proto's rows: 16 bytes as 8 groups of 4 hex digits (`--` past the end), then the text.
fn reassemble_hex_rows(_lines: &[String]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for row in ROWS.lock().unwrap().iter() {
        let Some(hex) = row.get(..40) else { continue };
        let digits: String = hex.chars().filter(|c| *c != ' ').collect();
        if digits.len() != 32 || !digits.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            continue;
        }
        for pair in digits.as_bytes().chunks(2) {
            if pair != b"--" {
                let pair = std::str::from_utf8(pair).unwrap();
                bytes.push(u8::from_str_radix(pair, 16).unwrap());
            }
        }
    }
    bytes
}

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
    let onetime = ChargeCardRequest {
        birth: Some("770317".into()),
        ..ChargeCardRequest::new(
            "order-log-1",
            "1000".parse::<iamport::Amount>().unwrap(),
            CARD,
            "2031-07",
        )
    };
    client.charge_card(&onetime).unwrap();
    // The public getToken hands the caller the real token; the logs still never hold it.
    let issued = client
        .issue_token(&iamport::types::IssueTokenRequest {
            imp_key: support::IMP_KEY.into(),
            imp_secret: IMP_SECRET.into(),
        })
        .unwrap();
    assert_eq!(issued.access_token.expose(), TOKEN);
    let again = |merchant_uid: &str| {
        ChargeBillingKeyRequest::new(
            "cust-log",
            merchant_uid,
            "1000".parse::<iamport::Amount>().unwrap(),
            "plan",
        )
    };
    assert!(client.charge_billing_key(&again("order-log-2")).is_err());
    assert!(client.charge_billing_key(&again("order-log-3")).is_err());

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
    // ureq's protocol layer dumps raw bytes as hex rows at trace level: reassemble them, so a
    // secret split across two rows is still found.
    let wire = reassemble_hex_rows(&lines);
    let wire_text = String::from_utf8_lossy(&wire);
    assert!(
        wire_text.contains("POST /users/getToken HTTP/1.1"),
        "the capture must hold ureq's dumps: {} bytes",
        wire.len()
    );
    assert!(wire_text.contains("access_token"), "{wire_text}");
    assert!(
        wire_text
            .to_ascii_lowercase()
            .contains("authorization: bearer ****"),
        "{wire_text}"
    );
    for secret in [IMP_SECRET, TOKEN, CARD, "2031-07", "770317"] {
        assert!(
            !wire_text.contains(secret),
            "ureq's hex dump leaks `{secret}`"
        );
    }
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
