//! PAYMENTWALL delivery registration over HTTP against the sandbox: i'mport answers `code: 0`
//! whether PAYMENTWALL registered the delivery (`success: 1`) or refused it (`error_code` /
//! `error`), and a refusal must be an `Err` (an unregistered physical delivery is not paid out).

use iamport::types::{
    ChargeCardRequest, PaymentwallDeliveryRefundable, PaymentwallDeliveryStatus,
    PaymentwallDeliveryType, RegisterPaymentwallDeliveryRequest,
};
use iamport::{Client, Error, Timestamp};
use iamport_sandbox::{Sandbox, TEST_API_KEY, TEST_API_SECRET};

fn paid_on_paymentwall(client: &Client, merchant_uid: &str) -> String {
    let payment = client
        .charge_card(&ChargeCardRequest {
            pg: Some("paymentwall".into()),
            currency: Some("USD".into()),
            cvc: Some("123".into()),
            birth: Some("880101".into()),
            name: Some("Headphones".into()),
            buyer_name: Some("Jane Doe".into()),
            buyer_email: Some("jane@example.com".into()),
            browser_ip: Some("203.0.113.7".into()),
            ..ChargeCardRequest::new(
                merchant_uid,
                "9.99".parse::<iamport::Amount>().unwrap(),
                "4242-4242-4242-4242",
                "2039-12",
            )
        })
        .unwrap();
    payment.imp_uid
}

fn delivery(imp_uid: &str, merchant_uid: &str) -> RegisterPaymentwallDeliveryRequest {
    RegisterPaymentwallDeliveryRequest::new(
        imp_uid,
        merchant_uid,
        PaymentwallDeliveryType::Physical,
        PaymentwallDeliveryStatus::OrderShipped,
        Timestamp::from_unix_seconds(1_900_000_000),
        Timestamp::from_unix_seconds(1_900_000_000),
        PaymentwallDeliveryRefundable::Yes,
        "jane@example.com",
    )
}

#[test]
fn a_refused_physical_delivery_is_an_error_naming_paymentwalls_code_and_message() {
    let sandbox = Sandbox::builder().paymentwall_only().start().unwrap();
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .build()
        .unwrap();
    let imp_uid = paid_on_paymentwall(&client, "order-ship-1");

    // A physical delivery without carrier and address: i'mport says `code: 0`, PAYMENTWALL no.
    let err = client
        .register_paymentwall_delivery(&delivery(&imp_uid, "order-ship-1"))
        .unwrap_err();
    match &err {
        Error::PgRefused {
            operation,
            pg_code,
            pg_message,
        } => {
            assert_eq!(*operation, "paymentwallDelivery");
            assert!(pg_code.is_some(), "{err:?}");
            assert!(
                pg_message
                    .as_deref()
                    .unwrap_or_default()
                    .contains("carrier_tracking_id"),
                "{err:?}"
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(err.status(), Some(200));
    assert!(
        err.to_string().contains("PG refused paymentwallDelivery"),
        "{err}"
    );

    // With them, the registration succeeds.
    let mut complete = delivery(&imp_uid, "order-ship-1");
    complete.carrier_tracking_id = Some("1Z999AA10123456784".into());
    complete.carrier_type = Some("UPS".into());
    complete.shipping_address_country = Some("US".into());
    complete.shipping_address_city = Some("Springfield".into());
    complete.shipping_address_zip = Some("62701".into());
    complete.shipping_address_state = Some("IL".into());
    complete.shipping_address_street = Some("1 Main St".into());
    complete.shipping_address_phone = Some("+1-217-555-0100".into());
    complete.shipping_address_firstname = Some("Jane".into());
    complete.shipping_address_lastname = Some("Doe".into());
    let registered = client.register_paymentwall_delivery(&complete).unwrap();
    assert_eq!(registered.success, Some(1));

    // A digital delivery needs no address.
    let mut digital = delivery(&imp_uid, "order-ship-1");
    digital.r#type = PaymentwallDeliveryType::Digital;
    digital.status = PaymentwallDeliveryStatus::Delivered;
    assert!(client.register_paymentwall_delivery(&digital).is_ok());
}
