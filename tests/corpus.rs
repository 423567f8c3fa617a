//! The tolerant reader, proved on the real-world corpus in `fixtures/real/`
//! (see its README for each body's source).
//!
//! Every body decodes as is, and again with every non-identity field of its record removed, set
//! to `null`, and with unknown extra fields and unknown enum values. The identity of each record
//! is what the issue names (`imp_uid`, `merchant_uid`, `status`, `amount` for a payment;
//! `customer_uid` for a billing key; the schedule's ids), written here on purpose rather than
//! read from the spec, so that the spec cannot quietly require more.

use iamport::types::*;
use iamport::{Amount, Error};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use iamport_test_support::{Reply, TestServer};

/// i'mport's envelope, as a tolerant reader sees it.
#[derive(serde::Deserialize)]
struct Envelope<T> {
    code: i64,
    #[allow(dead_code)]
    message: Option<String>,
    response: Option<T>,
}

/// What a corpus file holds, from its name.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Token,
    Payment,
    BillingKey,
    Schedule,
    PagedSchedules,
    Refusal,
}

impl Kind {
    fn of(file: &str) -> Kind {
        let name = file.split('.').next().unwrap();
        match name {
            n if n.starts_with("token") => Kind::Token,
            n if n.starts_with("error") || n.ends_with("not_found_404") => Kind::Refusal,
            n if n.starts_with("customer") || n.starts_with("super_billing_key") => {
                Kind::BillingKey
            }
            n if n.starts_with("paged_schedules") => Kind::PagedSchedules,
            n if n.starts_with("schedule") => Kind::Schedule,
            n if n.contains("cancel") || n.starts_with("payment") => Kind::Payment,
            other => panic!("fixtures/real/{file}: no kind for `{other}`: extend Kind::of"),
        }
    }

    /// The fields that identify the record (kept by every variant).
    fn identity(self) -> &'static [&'static str] {
        match self {
            Kind::Token => &["access_token", "now", "expired_at"],
            Kind::Payment => &["imp_uid", "merchant_uid", "status", "amount"],
            // A super billing key is told apart by its group id.
            Kind::BillingKey => &["customer_uid", "channelGroupId"],
            Kind::Schedule => &["customer_uid", "merchant_uid"],
            // The paged wrapper's own fields are nulled; its items are schedules.
            Kind::PagedSchedules => Kind::Schedule.identity(),
            Kind::Refusal => &[],
        }
    }

    /// Checks that `body` decodes as this kind; returns what it decoded to, for messages.
    fn decode(self, body: &str) -> Result<String, String> {
        fn envelope<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> Result<String, String> {
            let e: Envelope<T> = serde_json::from_str(body).map_err(|e| e.to_string())?;
            match (e.code, e.response) {
                (0, Some(r)) => Ok(format!("{r:?}")),
                (code, r) => Err(format!("code {code}, response {r:?}")),
            }
        }
        match self {
            Kind::Token => envelope::<AccessToken>(body),
            Kind::Payment => envelope::<Payment>(body),
            Kind::BillingKey => envelope::<BillingKey>(body),
            Kind::Schedule => envelope::<ScheduleResult>(body),
            Kind::PagedSchedules => envelope::<PagedSchedules>(body),
            Kind::Refusal => {
                let e: Envelope<Value> = serde_json::from_str(body).map_err(|e| e.to_string())?;
                if e.code != 0 && e.response.is_none() {
                    Ok(format!("refusal code {}", e.code))
                } else {
                    Err(format!("not a refusal: code {}", e.code))
                }
            }
        }
    }
}

fn corpus() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/real");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// The record(s) inside the envelope that the variants edit: the response object, or each item
/// of a paged list (whose wrapper fields `total`, `previous`, `next` become `null`).
fn records(kind: Kind, envelope: &mut Value) -> Vec<&mut Map<String, Value>> {
    match (kind, &mut envelope["response"]) {
        (Kind::PagedSchedules, Value::Object(paged)) => {
            let mut out = Vec::new();
            let (list, rest): (Vec<_>, Vec<_>) = paged.iter_mut().partition(|(k, _)| *k == "list");
            for (_, v) in rest {
                *v = Value::Null;
            }
            if let Some((_, Value::Array(items))) = list.into_iter().next() {
                for item in items {
                    out.extend(item.as_object_mut());
                }
            }
            out
        }
        (_, Value::Object(record)) => vec![record],
        _ => Vec::new(),
    }
}

/// Enum-valued fields of the records, set to a value no version of the spec lists.
const ENUM_FIELDS: &[&str] = &[
    "status",
    "schedule_status",
    "payment_status",
    "customer_uid_usage",
];

fn variants(kind: Kind, body: &str) -> Vec<(&'static str, String)> {
    let original: Value = serde_json::from_str(body).unwrap();
    let identity = kind.identity();
    let edit = |f: &dyn Fn(&mut Map<String, Value>)| {
        let mut v = original.clone();
        for record in records(kind, &mut v) {
            f(record);
        }
        v.to_string()
    };
    let removed = edit(&|r| r.retain(|k, _| identity.contains(&k.as_str())));
    let nulled = edit(&|r| {
        for (k, v) in r.iter_mut() {
            if !identity.contains(&k.as_str()) {
                *v = Value::Null;
            }
        }
    });
    let extended = {
        let mut v: Value = serde_json::from_str(&edit(&|r| {
            r.insert("a_field_added_in_2030".into(), json!({"nested": [1, "x"]}));
            for f in ENUM_FIELDS {
                if r.contains_key(*f) {
                    r.insert((*f).into(), json!("a_value_added_in_2030"));
                }
            }
        }))
        .unwrap();
        v["an_envelope_field_added_in_2030"] = json!(true);
        v.to_string()
    };
    vec![
        ("as is", body.to_string()),
        ("non-identity fields removed", removed),
        ("non-identity fields null", nulled),
        ("unknown field and enum values", extended),
    ]
}

#[test]
fn every_corpus_body_decodes_in_every_variant() {
    let corpus = corpus();
    assert!(
        corpus.len() >= 14,
        "fixtures/real/ lost bodies: {}",
        corpus.len()
    );
    let mut failures = Vec::new();
    for (file, body) in &corpus {
        let kind = Kind::of(file);
        for (variant, text) in variants(kind, body) {
            if let Err(e) = kind.decode(&text) {
                failures.push(format!("{file} ({variant}): {e}\n  body: {text}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The variants really change what they claim (so the test above could fail).
#[test]
fn the_variants_strip_null_and_extend() {
    let body = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/real/kcp_cancel_2022.SAMPLE-23165939870.json"
    ))
    .unwrap();
    let v = variants(Kind::Payment, &body);
    let parse = |i: usize| -> Value { serde_json::from_str(&v[i].1).unwrap() };
    let removed = parse(1);
    let mut keys: Vec<&String> = removed["response"].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(keys, ["amount", "imp_uid", "merchant_uid", "status"]);
    let nulled = parse(2);
    assert_eq!(nulled["response"]["cancel_history"], Value::Null);
    assert_eq!(nulled["response"]["status"], json!("cancelled"));
    let extended = parse(3);
    assert_eq!(
        extended["response"]["status"],
        json!("a_value_added_in_2030")
    );
    let decoded: Envelope<Payment> = serde_json::from_str(&v[3].1).unwrap();
    assert_eq!(
        decoded.response.unwrap().status,
        PaymentStatus::Unknown("a_value_added_in_2030".into())
    );
    // A super billing key stays one, with its per-channel keys typed; a card's key is not one.
    let super_key = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/real/super_billing_key.reconstructed-s4.2.json"
    ))
    .unwrap();
    let key = serde_json::from_str::<Envelope<BillingKey>>(&super_key)
        .unwrap()
        .response
        .unwrap();
    assert!(key.is_super());
    assert_eq!(key.channel_group_id.as_deref(), Some("channel-group-0001"));
    let succeeded = key.succeeded_channels.unwrap();
    assert_eq!(succeeded.len(), 1);
    assert_eq!(succeeded[0].pg_provider, "nice_v2");
    assert_eq!(
        succeeded[0].card_number.as_deref(),
        Some("424242*********4242")
    );
    let failed = key.failed_channels.unwrap();
    assert_eq!(failed[0].pg_provider, "tosspayments");
    assert_eq!(failed[0].r#type, Some(FailedChannelType::PgProvider));
    assert_eq!(key.card_number, None);
    let nulled: Envelope<BillingKey> =
        serde_json::from_str(&variants(Kind::BillingKey, &super_key)[2].1).unwrap();
    let nulled = nulled.response.unwrap();
    assert!(nulled.is_super());
    assert!(nulled.succeeded_channels.is_none());
    let card_key = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/real/customer.reconstructed-s4.2.json"
    ))
    .unwrap();
    let key = serde_json::from_str::<Envelope<BillingKey>>(&card_key)
        .unwrap()
        .response
        .unwrap();
    assert!(!key.is_super());
    assert_eq!(key.card_number.as_deref(), Some("424242*********4242"));
    assert_eq!(key.card_name.as_deref(), Some("BC카드"));
    assert!(key.succeeded_channels.is_none());
}

/// Through the real client over HTTP: a paid charge whose cosmetic fields are all missing is a
/// paid charge, not an unknown outcome.
#[test]
fn a_paid_charge_with_only_its_identity_is_paid() {
    let body = json!({
        "code": 0,
        "message": null,
        "response": {
            "imp_uid": "imp_1", "merchant_uid": "order_1", "status": "paid", "amount": 8900,
        },
    });
    let server = TestServer::with_token(move |_| Reply::json(200, body.clone()));
    let paid = server
        .client()
        .charge_billing_key(&ChargeBillingKeyRequest::new(
            "customer_1234",
            "order_1",
            Amount::from(8900),
            "Monthly plan",
        ))
        .unwrap();
    assert_eq!(paid.status, PaymentStatus::Paid);
    assert_eq!(paid.cancel_amount, None);
    assert_eq!(paid.sandbox, None);
}

/// Through the real client: every real payment body of the corpus decodes as a look-up answer.
#[test]
fn real_payment_bodies_decode_through_the_client() {
    for (file, body) in corpus() {
        if !matches!(Kind::of(&file), Kind::Payment) {
            continue;
        }
        for (variant, text) in variants(Kind::Payment, &body) {
            let server = TestServer::with_token(move |_| Reply::Respond {
                status: 200,
                body: text.clone(),
                content_type: "application/json; charset=UTF-8",
                delay: std::time::Duration::ZERO,
            });
            let got: Result<Payment, Error> = server
                .client()
                .get_payment(&GetPaymentRequest::new("imp_1"));
            assert!(got.is_ok(), "{file} ({variant}): {got:?}");
        }
    }
}
