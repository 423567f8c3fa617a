//! The client's response decoding: any bytes a server may answer, decoded as the client does
//! (the `{code, message, response}` envelope, then the operation's generated type), for every
//! response type of the spec, and as a webhook body. Must never panic; what decodes must encode.
//!
//! The client's own path (`iamport::__decode::decode_answer`) is fuzzed for the charge, cancel,
//! page, billing-key and token operations at HTTP 200, 404 and 500.
//!
//! Seeds: `tests/fixtures/*.json` (real-shaped envelopes).

#![no_main]

use iamport::WebhookPayload;
use iamport::types::{
    AccessToken, BillingKey, CancelPaymentRequest, ChargeBillingKeyRequest, GetBillingKeyRequest,
    IssueTokenRequest, ListBillingKeyPaymentsRequest, PagedPayments, PagedSchedules, Payment,
    PaymentwallDeliveryDetail, ScheduleResult,
};
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

/// The envelope as the client reads it (`iamport`'s transport: `code`, optional `message`, the
/// raw `response` decoded afterwards into the operation's type).
#[derive(Deserialize)]
struct Envelope {
    #[allow(dead_code)]
    code: i64,
    #[serde(default)]
    #[allow(dead_code)]
    message: Option<String>,
    #[serde(default)]
    response: Option<Box<RawValue>>,
}

fn decode<T: DeserializeOwned + serde::Serialize>(response: &str) {
    if let Ok(value) = serde_json::from_str::<T>(response) {
        let encoded = serde_json::to_vec(&value).expect("a decoded value encodes");
        let _ = serde_json::from_slice::<T>(&encoded);
    }
}

fn decode_all(response: &str) {
    decode::<AccessToken>(response);
    decode::<Payment>(response);
    decode::<Vec<Payment>>(response);
    decode::<BillingKey>(response);
    decode::<Vec<BillingKey>>(response);
    decode::<PagedPayments>(response);
    decode::<PagedSchedules>(response);
    decode::<ScheduleResult>(response);
    decode::<Vec<ScheduleResult>>(response);
    decode::<PaymentwallDeliveryDetail>(response);
}

/// The client's own judgement of an answer (`iamport::__decode::decode_answer`): status,
/// envelope, payment status, typed response; any status, any body, never a panic.
fn judge_as_client(data: &[u8]) {
    use iamport::__decode::decode_answer;
    use iamport::Request;
    for status in [200, 404, 500] {
        let _ = decode_answer::<Payment>(ChargeBillingKeyRequest::OPERATION, status, data);
        let _ = decode_answer::<Payment>(CancelPaymentRequest::OPERATION, status, data);
        let _ =
            decode_answer::<PagedPayments>(ListBillingKeyPaymentsRequest::OPERATION, status, data);
        let _ = decode_answer::<BillingKey>(GetBillingKeyRequest::OPERATION, status, data);
        let _ = decode_answer::<AccessToken>(IssueTokenRequest::OPERATION, status, data);
    }
}

fuzz_target!(|data: &[u8]| {
    judge_as_client(data);
    if let Ok(envelope) = serde_json::from_slice::<Envelope>(data) {
        decode_all(envelope.response.as_deref().map_or("null", RawValue::get));
    }
    // The payload alone too, so inputs need not carry an envelope to reach the types.
    if let Ok(text) = std::str::from_utf8(data) {
        decode_all(text);
    }
    let _ = WebhookPayload::parse(Some("application/json"), data);
    let _ = WebhookPayload::parse(Some("application/x-www-form-urlencoded"), data);
    let _ = WebhookPayload::parse(None, data);
});
