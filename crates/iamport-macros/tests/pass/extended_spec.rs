//! A user crate's own copy of the spec, extended with one more endpoint
//! (`GET /payments/count/{payment_status}`, from `tests/ui/specs/extension.json`), expanded by
//! `api!` and called.

mod billing {
    iamport_macros::api!("specs/extended.json");
}

use billing::Api as _;
use billing::types::{CountPaymentsByStatusRequest, CountPaymentsByStatusRequestPaymentStatus};
use iamport::runtime::{Execute, HttpRequest, OperationSpec};
use std::cell::RefCell;

/// A transport that records the request and answers from a canned body.
struct Canned(RefCell<Vec<(&'static str, HttpRequest)>>);

impl Execute for Canned {
    fn execute<T: serde::de::DeserializeOwned>(&self, op: &'static OperationSpec, request: HttpRequest) -> Result<T, iamport::Error> {
        self.0.borrow_mut().push((op.operation_id, request));
        Ok(serde_json::from_str(r#"{"count":7}"#).expect("canned body decodes"))
    }
}

fn main() {
    let transport = Canned(RefCell::new(Vec::new()));
    let request = CountPaymentsByStatusRequest {
        payment_status: CountPaymentsByStatusRequestPaymentStatus::Paid,
        limit: Some(50),
    };
    let count = transport.count_payments_by_status(&request).expect("the canned call succeeds");
    assert_eq!(count.count, 7);
    let calls = transport.0.borrow();
    assert_eq!(calls[0].0, "countPaymentsByStatus");
    assert_eq!(calls[0].1.path, "/payments/count/paid");
    assert_eq!(calls[0].1.query, vec![("limit", "50".to_string())]);

    // The spec's `maximum: 1000` is checked before anything is sent.
    let too_many = CountPaymentsByStatusRequest { limit: Some(5000), ..request };
    let err = transport.count_payments_by_status(&too_many).unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
    assert_eq!(transport.0.borrow().len(), 1);

    drop(calls);
    // Any generated request, including one of this crate's own spec, goes through `send`.
    let by_send = transport
        .send(&CountPaymentsByStatusRequest::new(CountPaymentsByStatusRequestPaymentStatus::Failed))
        .expect("the canned call succeeds");
    assert_eq!(by_send.count, 7);
    let calls = transport.0.borrow();
    assert_eq!(calls[1].0, "countPaymentsByStatus");
    assert_eq!(calls[1].1.path, "/payments/count/failed");
}
