//! (c) decode / encode of a paid payment (`tests/fixtures/payment_paid.json`) and of a 100-item
//! page (`PagedPayments` of 100 copies), against serde_json alone. `cargo xtask bench` runs this
//! and prints the ratios; `cargo bench -p iamport-bench --bench decode` runs it alone.
//!
//! - `typed_one_pass`: `serde_json::from_slice` of the envelope straight into the generated
//!   type (`Envelope<Payment>`): serde_json's single pass into the same types, the floor.
//! - `client_path`: what `iamport`'s transport does today for a charge (`transport.rs`
//!   `judge_response`): the envelope with a raw `response`, a peek at `status`, then the payment
//!   (three passes). Mirrored here because the transport is private; replace it with the
//!   client's own entry point when it exposes one.
//! - `value`: serde_json into an untyped `Value` (what "serde_json alone" costs without types).

use iamport::types::{PagedPayments, Payment};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

fn main() {
    divan::main();
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[allow(dead_code)]
    code: i64,
    #[allow(dead_code)]
    message: Option<String>,
    response: Option<T>,
}

#[derive(Deserialize)]
struct RawEnvelope {
    #[allow(dead_code)]
    code: i64,
    #[allow(dead_code)]
    message: Option<String>,
    response: Option<Box<RawValue>>,
}

#[derive(Deserialize)]
struct PaymentPeek {
    #[allow(dead_code)]
    status: Option<String>,
}

fn paid() -> Vec<u8> {
    std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/payment_paid.json"
    ))
    .expect("tests/fixtures/payment_paid.json")
}

fn page() -> Vec<u8> {
    let envelope: serde_json::Value = serde_json::from_slice(&paid()).expect("fixture is JSON");
    let list: Vec<serde_json::Value> = (0..100).map(|_| envelope["response"].clone()).collect();
    serde_json::json!({"code": 0, "message": null,
        "response": {"total": 100, "previous": 0, "next": 0, "list": list}})
    .to_string()
    .into_bytes()
}

fn client_path<T: DeserializeOwned>(body: &[u8]) -> T {
    let envelope: RawEnvelope = serde_json::from_slice(body).unwrap();
    let raw = envelope.response.unwrap();
    let _peek: PaymentPeek = serde_json::from_str(raw.get()).unwrap();
    serde_json::from_str(raw.get()).unwrap()
}

mod payment {
    use super::*;

    #[divan::bench]
    fn typed_one_pass(bencher: divan::Bencher) {
        let body = paid();
        bencher.bench(|| {
            serde_json::from_slice::<Envelope<Payment>>(divan::black_box(&body))
                .unwrap()
                .response
                .unwrap()
        });
    }

    #[divan::bench]
    fn client_path(bencher: divan::Bencher) {
        let body = paid();
        bencher.bench(|| super::client_path::<Payment>(divan::black_box(&body)));
    }

    #[divan::bench]
    fn value(bencher: divan::Bencher) {
        let body = paid();
        bencher.bench(|| {
            serde_json::from_slice::<serde_json::Value>(divan::black_box(&body)).unwrap()
        });
    }

    #[divan::bench]
    fn encode_typed(bencher: divan::Bencher) {
        let payment: Payment = super::client_path(&paid());
        bencher.bench(|| serde_json::to_vec(divan::black_box(&payment)).unwrap());
    }

    #[divan::bench]
    fn encode_value(bencher: divan::Bencher) {
        let value: serde_json::Value = serde_json::from_slice(&paid()).unwrap();
        let value = value["response"].clone();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&value)).unwrap());
    }
}

mod page100 {
    use super::*;

    #[divan::bench]
    fn typed_one_pass(bencher: divan::Bencher) {
        let body = page();
        bencher.bench(|| {
            serde_json::from_slice::<Envelope<PagedPayments>>(divan::black_box(&body))
                .unwrap()
                .response
                .unwrap()
        });
    }

    #[divan::bench]
    fn client_path(bencher: divan::Bencher) {
        // Pages are not charges: the transport decodes the envelope, then the response (2 passes).
        let body = page();
        bencher.bench(|| {
            let envelope: RawEnvelope = serde_json::from_slice(divan::black_box(&body)).unwrap();
            serde_json::from_str::<PagedPayments>(envelope.response.unwrap().get()).unwrap()
        });
    }

    #[divan::bench]
    fn value(bencher: divan::Bencher) {
        let body = page();
        bencher.bench(|| {
            serde_json::from_slice::<serde_json::Value>(divan::black_box(&body)).unwrap()
        });
    }

    #[divan::bench]
    fn encode_typed(bencher: divan::Bencher) {
        let body = page();
        let envelope: RawEnvelope = serde_json::from_slice(&body).unwrap();
        let page: PagedPayments = serde_json::from_str(envelope.response.unwrap().get()).unwrap();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&page)).unwrap());
    }

    #[divan::bench]
    fn encode_value(bencher: divan::Bencher) {
        let value: serde_json::Value = serde_json::from_slice(&page()).unwrap();
        let value = value["response"].clone();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&value)).unwrap());
    }
}
