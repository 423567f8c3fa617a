//! The operation table: every operation of the spec declared through its generated request type.
//!
//! A handler is written once per request type ([`Operation`]); one generic function ([`serve`])
//! decodes the request into that type, runs the spec's `validate()`, calls the handler and
//! encodes the generated response type. The operations so emulated are listed in [`EMULATED`];
//! every other operation of the spec is declared by the generated
//! `iamport::operations::for_each_request`, and answered by [`not_emulated`]: decoded and
//! validated through its generated type, then refused with a documented 400. [`handler`] finds
//! the entry of an operation by its generated [`OperationSpec`] (never by a string), and a test
//! names any operation of `iamport::operations::ALL` that has no entry.

use std::sync::OnceLock;

use iamport::runtime::{OperationSpec, Request, RequestVisitor};
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

/// How an entry decodes and answers its input.
type ServeFn = fn(&Core, &Call<'_>, Map<String, Value>) -> Answered;

/// One entry of the table.
#[derive(Clone, Copy)]
pub struct Handler {
    /// The operation served.
    pub operation: &'static OperationSpec,
    serve: ServeFn,
    /// Whether the sandbox emulates it (else it is declared, not emulated: validated, then
    /// refused with a 400 that points to stubs).
    pub emulated: bool,
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

macro_rules! emulated {
    (without input: $($bare:ty),*; decoded: $($request:ty),* $(,)?) => {
        &[
            $(Handler {
                operation: <$bare as Request>::OPERATION,
                serve: serve_without_input::<$bare>,
                emulated: true,
            },)*
            $(Handler {
                operation: <$request as Request>::OPERATION,
                serve: serve::<$request>,
                emulated: true,
            },)*
        ]
    };
}

/// The operations the sandbox emulates; every other operation of the spec is declared, not
/// emulated ([`not_emulated`]).
static EMULATED: &[Handler] = emulated![
    without input:
    types::ListPgSettingsRequest,
    types::ListBankCodesRequest,
    types::ListCardCodesRequest;
    decoded:
    types::IssueTokenRequest,
    types::ChargeCardRequest,
    types::ChargeBillingKeyRequest,
    types::IssueBillingKeyRequest,
    types::GetBillingKeyRequest,
    types::DeleteBillingKeyRequest,
    types::ListBillingKeysRequest,
    types::ListBillingKeyPaymentsRequest,
    types::SchedulePaymentsRequest,
    types::UnschedulePaymentsRequest,
    types::ListSchedulesRequest,
    types::ListSchedulesByCustomerRequest,
    types::ListBillingKeySchedulesRequest,
    types::GetScheduleRequest,
    types::UpdateScheduleRequest,
    types::ReschedulePaymentRequest,
    types::RetryScheduleRequest,
    types::GetPaymentRequest,
    types::FindPaymentRequest,
    types::FindPaymentByStatusRequest,
    types::FindAllPaymentsRequest,
    types::FindAllPaymentsByStatusRequest,
    types::CancelPaymentRequest,
    types::RegisterPaymentwallDeliveryRequest,
    types::PreparePaymentRequest,
    types::UpdatePaymentPrepareRequest,
    types::GetPaymentPrepareRequest,
    types::ListPaymentsRequest,
    types::ListPaymentsByStatusRequest,
    types::GetPaymentBalanceRequest,
    types::GetBankCodeRequest,
    types::GetCardCodeRequest,
    types::IssueVbankRequest,
    types::UpdateVbankRequest,
    types::RevokeVbankRequest,
    types::GetVbankHolderRequest,
];

/// The message of the answer to an operation the sandbox declares but does not emulate.
fn not_emulated_message(operation: &OperationSpec) -> String {
    format!(
        "operation `{}` ({} {}) is not emulated by the sandbox: the request is valid, but only a stub can answer it (Sandbox::stub, or POST /__sandbox/stubs)",
        operation.operation_id,
        operation.method.as_str(),
        operation.path
    )
}

/// An operation declared, not emulated: the request is decoded and validated through its
/// generated type, then answered HTTP 400, `code: -1` (a 4xx: a 5xx would make a client retry a
/// read and report a charge's outcome as unknown).
fn not_emulated<O: Request + DeserializeOwned>(
    _: &Core,
    _: &Call<'_>,
    input: Map<String, Value>,
) -> Answered {
    let request: O = decode::decode(Value::Object(input))?;
    request.validate().map_err(refusal)?;
    Err(ApiError::bad_request(not_emulated_message(O::OPERATION)))
}

/// The same for an operation that takes no input.
fn not_emulated_without_input<O: Request + Default>(
    _: &Core,
    _: &Call<'_>,
    _: Map<String, Value>,
) -> Answered {
    O::default().validate().map_err(refusal)?;
    Err(ApiError::bad_request(not_emulated_message(O::OPERATION)))
}

/// Declares each operation of the spec: its emulation, or [`not_emulated`].
#[derive(Default)]
struct Declare(Vec<Handler>);

impl Declare {
    fn push(&mut self, operation: &'static OperationSpec, fallback: ServeFn) {
        let handler = match EMULATED.iter().find(|h| h.operation == operation) {
            Some(h) => *h,
            None => Handler {
                operation,
                serve: fallback,
                emulated: false,
            },
        };
        self.0.push(handler);
    }
}

impl RequestVisitor for Declare {
    fn visit<R: Request + DeserializeOwned + 'static>(&mut self) {
        self.push(R::OPERATION, not_emulated::<R>);
    }

    fn visit_without_input<R: Request + Default + 'static>(&mut self) {
        self.push(R::OPERATION, not_emulated_without_input::<R>);
    }
}

/// Every operation of the spec, in spec order, emulated or not.
pub fn declared() -> &'static [Handler] {
    static TABLE: OnceLock<Vec<Handler>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut declare = Declare::default();
        iamport::operations::for_each_request(&mut declare);
        declare.0
    })
}

/// The handler of `operation`: every operation of the spec has one (see the test below).
pub fn handler(operation: &OperationSpec) -> Option<&'static Handler> {
    declared().iter().find(|h| h.operation == operation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_of_the_spec_is_declared_once() {
        let missing: Vec<&str> = iamport::operations::ALL
            .iter()
            .filter(|op| handler(op).is_none())
            .map(|op| op.operation_id)
            .collect();
        assert!(
            missing.is_empty(),
            "operations the sandbox does not declare: {missing:?}"
        );
        assert_eq!(declared().len(), iamport::operations::ALL.len());
        for table in [declared(), EMULATED] {
            for (i, h) in table.iter().enumerate() {
                assert!(
                    !table[..i].iter().any(|o| o.operation == h.operation),
                    "{} is declared twice",
                    h.operation.operation_id
                );
            }
        }
        for h in EMULATED {
            assert!(
                iamport::operations::ALL.contains(&h.operation),
                "{} is emulated but not in the spec",
                h.operation.operation_id
            );
        }
    }
}
