//! A user crate's own copy of the spec, extended with one more upstream endpoint
//! (`GET /payments/status/{payment_status}`), expanded by `api!` and called.

mod billing {
    iamport_macros::api!("specs/extended.json");
}

use billing::Api as _;
use billing::types::{GetPaymentsByStatusRequest, GetPaymentsByStatusRequestPaymentStatus, PaymentStatus};
use iamport::runtime::{Execute, HttpRequest, OperationSpec};
use std::cell::RefCell;

/// A transport that records the request and answers from a canned body.
struct Canned(RefCell<Vec<(&'static str, HttpRequest)>>);

impl Execute for Canned {
    fn execute<T: serde::de::DeserializeOwned>(&self, op: &'static OperationSpec, request: HttpRequest) -> Result<T, iamport::Error> {
        self.0.borrow_mut().push((op.operation_id, request));
        let body = r#"{"total":1,"previous":0,"next":0,"list":[{"imp_uid":"imp_1","merchant_uid":"m_1",
            "amount":1000,"cancel_amount":0,"currency":"KRW","status":"paid","sandbox":true}]}"#;
        Ok(serde_json::from_str(body).expect("canned body decodes"))
    }
}

fn main() {
    let transport = Canned(RefCell::new(Vec::new()));
    let request = GetPaymentsByStatusRequest {
        payment_status: GetPaymentsByStatusRequestPaymentStatus::Paid,
        limit: Some(50),
        page: None,
        from: None,
        to: None,
        sorting: None,
    };
    let page = transport.get_payments_by_status(&request).expect("the canned call succeeds");
    assert_eq!(page.total, Some(1));
    assert_eq!(page.list[0].status, PaymentStatus::Paid);
    let calls = transport.0.borrow();
    assert_eq!(calls[0].0, "getPaymentsByStatus");
    assert_eq!(calls[0].1.path, "/payments/status/paid");
    assert_eq!(calls[0].1.query, vec![("limit", "50".to_string())]);

    // The spec's `maximum: 1000` is checked before anything is sent.
    let too_many = GetPaymentsByStatusRequest { limit: Some(5000), ..request };
    let err = transport.get_payments_by_status(&too_many).unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
    assert_eq!(transport.0.borrow().len(), 1);

    drop(calls);
    // Any generated request, including one of this crate's own spec, goes through `send`.
    let by_send = transport
        .send(&GetPaymentsByStatusRequest::new(GetPaymentsByStatusRequestPaymentStatus::Failed))
        .expect("the canned call succeeds");
    assert_eq!(by_send.list.len(), 1);
    let calls = transport.0.borrow();
    assert_eq!(calls[1].0, "getPaymentsByStatus");
    assert_eq!(calls[1].1.path, "/payments/status/failed");
}
