//! Amounts stay exact through the sandbox: read from the request's text, written back without
//! rounding or exponent form.

use super::*;

#[test]
fn an_amount_beyond_f64_precision_is_charged_and_answered_exactly() {
    let sandbox = Sandbox::start();
    let client = iamport::Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .build()
        .expect("client");
    let exact: iamport::Amount = "9007199254740993.5".parse().expect("amount");
    let paid = client
        .charge_card(&iamport::types::ChargeCardRequest {
            currency: Some("USD".into()),
            birth: Some("900101".into()),
            ..iamport::types::ChargeCardRequest::new(
                "exact-1",
                exact,
                "4242-4242-4242-4242",
                "2039-12",
            )
        })
        .expect("paid");
    assert_eq!(paid.amount, exact);
    let found = client
        .get_payment(&iamport::types::GetPaymentRequest::new(
            paid.imp_uid.clone(),
        ))
        .expect("look-up");
    assert_eq!(found.amount, exact);
}

#[test]
fn amounts_sent_as_numbers_or_strings_come_back_as_the_same_digits() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let (token, _, _) = token(&agent, &base);
    for (uid, sent, written) in [
        ("exact-n", "9007199254740993.5", "9007199254740993.5"),
        (
            "exact-s",
            "\"123456789012345678901234.25\"",
            "123456789012345678901234.25",
        ),
    ] {
        let body = format!(
            r#"{{"merchant_uid":"{uid}","amount":{sent},"currency":"USD","card_number":"4242-4242-4242-4242","expiry":"2039-12","birth":"900101"}}"#
        );
        let request = ureq::http::Request::builder()
            .method("POST")
            .uri(format!("{base}/subscribe/payments/onetime"))
            .header("authorization", token.as_str())
            .header("content-type", "application/json")
            .body(body)
            .expect("request");
        let text = agent
            .run(request)
            .expect("answer")
            .into_body()
            .read_to_string()
            .expect("body");
        assert!(
            text.contains(&format!("\"amount\":{written},")),
            "{uid}: {text}"
        );
    }
}
