//! The operation table: every operation of the spec served through its generated request type.
//!
//! A handler is written once per request type ([`Operation`]); one generic function ([`serve`])
//! decodes the request into that type, runs the spec's `validate()`, calls the handler and
//! encodes the generated response type. [`handler`] finds the entry of an operation by its
//! generated [`OperationSpec`] (never by a string), and a test names any operation of
//! `iamport::operations::ALL` that has no entry.

use iamport::runtime::{OperationSpec, Request};
use iamport::types;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::ApiError;
use super::merchant::{Call, Core};
use crate::decode;
use crate::state::cards;

/// A successful answer: the HTTP status (200, or 207 for a partial list) and the response.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer<T> {
    /// The HTTP status.
    pub status: u16,
    /// The envelope's `response`.
    pub response: T,
}

impl<T> Answer<T> {
    /// HTTP 200 with `response`.
    pub fn ok(response: T) -> Self {
        Answer {
            status: 200,
            response,
        }
    }
}

/// What a handler returns for the request type `O`.
pub type Outcome<O> = Result<Answer<<O as Request>::Response>, ApiError>;

/// A request type the sandbox serves: its handler, and what to adjust in the raw input before
/// it is decoded.
pub trait Operation: Request<Response: Serialize> {
    /// Adjusts the raw input (query, body and path parameters merged) before it is decoded:
    /// a default i'mport applies, a presence check the generated type cannot express.
    fn prepare(_input: &mut Map<String, Value>) -> Result<(), ApiError> {
        Ok(())
    }

    /// Handles the decoded, validated request.
    fn answer(self, core: &Core, call: &Call<'_>) -> Outcome<Self>;

    /// Adjusts the encoded `response` before it is sent: drops what i'mport's body of that shape
    /// does not hold, where one generated type stands for several shapes.
    fn finish(_response: &mut Value) {}
}

/// An answer on its way to the envelope: the HTTP status and the encoded `response`.
pub type Answered = Result<(u16, Value), ApiError>;

/// One entry of the table.
pub struct Handler {
    /// The operation served.
    pub operation: &'static OperationSpec,
    serve: fn(&Core, &Call<'_>, Map<String, Value>) -> Answered,
}

impl Handler {
    /// Decodes `input` for this operation, validates it and answers it.
    pub fn serve(&self, core: &Core, call: &Call<'_>, input: Map<String, Value>) -> Answered {
        (self.serve)(core, call, input)
    }
}

/// Decode, validate, answer and encode, for any request type read from the input (as the
/// server decodes every body: form values coerced to the types the spec declares).
fn serve<O: Operation + DeserializeOwned>(
    core: &Core,
    call: &Call<'_>,
    mut input: Map<String, Value>,
) -> Answered {
    O::prepare(&mut input)?;
    let request: O = decode::decode(Value::Object(input))?;
    answer(request, core, call)
}

/// The same for a request type that takes no input (`GET /users/pg`).
fn serve_without_input<O: Operation + Default>(
    core: &Core,
    call: &Call<'_>,
    _: Map<String, Value>,
) -> Answered {
    answer(O::default(), core, call)
}

/// Validate, answer and encode.
fn answer<O: Operation>(request: O, core: &Core, call: &Call<'_>) -> Answered {
    request.validate().map_err(refusal)?;
    let Answer { status, response } = request.answer(core, call)?;
    let mut response = crate::decode::numbers::to_value(&response)
        .map_err(|e| ApiError::internal(format!("sandbox bug: response encoding failed: {e}")))?;
    O::finish(&mut response);
    Ok((status, response))
}

/// A broken spec rule: 400 naming the field, except an ill-formed card number or `cvc`, which
/// is card data the PG refuses: HTTP 200 with `code: -1`, as i'mport answers (the official
/// Python SDK's `tests/test_pay_onetime.py`).
fn refusal(err: iamport::ValidationError) -> ApiError {
    match err.field() {
        "card_number" => ApiError::card_refused(cards::INVALID_CARD_NUMBER),
        "cvc" => ApiError::card_refused(cards::INVALID_CVC),
        _ => err.into(),
    }
}

macro_rules! table {
    (without input: $($bare:ty),*; decoded: $($request:ty),* $(,)?) => {
        &[
            $(Handler {
                operation: <$bare as Request>::OPERATION,
                serve: serve_without_input::<$bare>,
            },)*
            $(Handler {
                operation: <$request as Request>::OPERATION,
                serve: serve::<$request>,
            },)*
        ]
    };
}

/// Every operation the sandbox serves.
static HANDLERS: &[Handler] = table![
    without input: types::GetPgSettingListRequest;
    decoded:
    types::GetTokenRequest,
    types::OnetimeRequest,
    types::AgainRequest,
    types::CustomerSaveRequest,
    types::CustomerViewRequest,
    types::CustomerDeleteRequest,
    types::CustomerViewMultipleRequest,
    types::CustomerPaymentsRequest,
    types::ScheduleRequest,
    types::UnscheduleRequest,
    types::FindSchedulesByRangeRequest,
    types::FindSchedulesByCustomerRequest,
    types::CustomerSchedulesRequest,
    types::GetScheduleByMidRequest,
    types::UpdateScheduleByMidRequest,
    types::RescheduleByMidRequest,
    types::RetryScheduleByMidRequest,
    types::GetPaymentByImpUidRequest,
    types::GetPaymentByMerchantUidRequest,
    types::GetPaymentByMerchantUidAndStatusRequest,
    types::GetAllPaymentsByMerchantUidRequest,
    types::GetAllPaymentsByMerchantUidAndStatusRequest,
    types::CancelPaymentRequest,
    types::PaymentwallDeliveryRequest,
];

/// The handler of `operation`, if the sandbox serves it (every operation of the spec: see the
/// test below).
pub fn handler(operation: &OperationSpec) -> Option<&'static Handler> {
    HANDLERS.iter().find(|h| h.operation == operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_spec_has_a_handler() {
        let missing: Vec<&str> = iamport::operations::ALL
            .iter()
            .filter(|op| handler(op).is_none())
            .map(|op| op.operation_id)
            .collect();
        assert!(
            missing.is_empty(),
            "operations without a sandbox handler: {missing:?}"
        );
        for (i, h) in HANDLERS.iter().enumerate() {
            assert!(
                !HANDLERS[..i].iter().any(|o| o.operation == h.operation),
                "{} is in the table twice",
                h.operation.operation_id
            );
        }
    }
}
