//! Payments the buyer completes later (`x-iamport-payment: ready`): issuing a virtual account
//! answers a `ready` payment, which is success, not a decline; its `pg_api_key` travels in the
//! query and is never shown by `Debug`.

use iamport::Error;
use iamport::runtime::Request;
use iamport::types::IssueVbankRequest;
use iamport_test_support::{TestServer, ok, payment};

fn vbank() -> IssueVbankRequest {
    IssueVbankRequest {
        pg_api_key: Some("pg-key-123".into()),
        ..IssueVbankRequest::new(
            "channel-key-1",
            "order-vbank-1",
            "10000".parse::<iamport::Amount>().unwrap(),
            "004",
            iamport::Timestamp::from_unix_seconds(1_900_000_000),
        )
    }
}

#[test]
fn an_issued_virtual_account_is_ready_not_declined() {
    let server = TestServer::with_token(|_| ok(payment("imp_v1", "order-vbank-1", "ready", None)));
    let issued = server
        .client()
        .send(&vbank())
        .expect("a ready payment is success");
    assert_eq!(issued.imp_uid, "imp_v1");
    let sent = server
        .requests()
        .into_iter()
        .find(|r| r.is("POST", "/vbanks"))
        .unwrap();
    assert_eq!(sent.query, "pg_api_key=pg-key-123");
    let http = vbank().to_http().unwrap();
    assert!(!format!("{http:?}").contains("pg-key-123"), "{http:?}");
}

#[test]
fn a_failed_virtual_account_is_a_decline() {
    let server = TestServer::with_token(|_| {
        ok(payment(
            "imp_v2",
            "order-vbank-1",
            "failed",
            Some("no account"),
        ))
    });
    let err = server.client().send(&vbank()).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Declined {
                operation: "createVbank",
                ..
            }
        ),
        "{err:?}"
    );
}
