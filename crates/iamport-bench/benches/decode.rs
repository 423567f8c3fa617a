//! (c) decode / encode of a paid payment (`tests/fixtures/payment_paid.json`) and of a 100-item
//! page (`PagedPayments` of 100 copies), against serde_json alone. `cargo xtask bench` runs this
//! and prints the ratios; `cargo bench -p iamport-bench --bench decode` runs it alone.
//!
//! - `typed_one_pass`: `serde_json::from_slice` of the envelope straight into the generated
//!   type (`Envelope<Payment>`): serde_json's single pass into the same types, the floor.
//! - `client_path`: the client's own decoding of an HTTP 200 answer
//!   (`iamport::__decode::decode_answer`: envelope, payment status, typed payment), as a charge
//!   (`again`) for the payment and as a read (`customerPayments`) for the page.
//! - `value`: serde_json into an untyped `Value` (what "serde_json alone" costs without types).

use iamport::Request;
use iamport::types::{PagedPayments, Payment};
use serde::Deserialize;
use serde::de::DeserializeOwned;

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

fn client_path<T: DeserializeOwned>(
    operation: &'static iamport::runtime::OperationSpec,
    body: &[u8],
) -> T {
    iamport::__decode::decode_answer(operation, 200, body).expect("the fixture decodes")
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
        bencher.bench(|| {
            super::client_path::<Payment>(
                iamport::types::ChargeBillingKeyRequest::OPERATION,
                divan::black_box(&body),
            )
        });
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
        let payment: Payment =
            super::client_path(iamport::types::ChargeBillingKeyRequest::OPERATION, &paid());
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
        let body = page();
        bencher.bench(|| {
            super::client_path::<PagedPayments>(
                iamport::types::ListBillingKeyPaymentsRequest::OPERATION,
                divan::black_box(&body),
            )
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
        let page: PagedPayments = super::client_path(
            iamport::types::ListBillingKeyPaymentsRequest::OPERATION,
            &body,
        );
        bencher.bench(|| serde_json::to_vec(divan::black_box(&page)).unwrap());
    }

    #[divan::bench]
    fn encode_value(bencher: divan::Bencher) {
        let value: serde_json::Value = serde_json::from_slice(&page()).unwrap();
        let value = value["response"].clone();
        bencher.bench(|| serde_json::to_vec(divan::black_box(&value)).unwrap());
    }
}
