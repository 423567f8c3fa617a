//! The HTTP layer's state and its handling of one request, independent of hyper: authentication,
//! the operation table, admin endpoints, fault selection and the `merchant_uid` reservation.

use std::sync::{Arc, Mutex};

use iamport::runtime::{OperationKind, OperationSpec};
use serde_json::{Map, Value};

use super::faults::{Fault, Faults};
use super::reply::{Answer, Reply, reply};
use super::request::{Incoming, input_of, token_of};
use super::request_log::RequestLog;
use super::routing::Route;
use super::stubs::Stubs;
use crate::ops::{AdvanceError, ApiError, Call, Config, Core, ExecutedSchedule, Reservation};
use crate::state::channels::Channels;
use crate::state::webhook::Webhooks;
use crate::support::lock;

/// The HTTP layer's state: the merchant it serves ([`Core`]), the armed faults and the request
/// log.
pub struct App {
    pub core: Arc<Core>,
    pub faults: Mutex<Faults>,
    pub requests: RequestLog,
    /// The stubs registered and the inputs received.
    pub stubs: Stubs,
}

/// Message of a 401 for a missing, unknown or expired token.
pub const UNAUTHORIZED: &str = "Unauthorized: 인증 토큰이 전달되지 않았거나 유효하지 않습니다. (access token missing, unknown or expired: call POST /users/getToken)";

impl App {
    /// Creates the HTTP layer's state around a new merchant.
    pub fn new(config: Config, webhooks: Webhooks, request_log_capacity: usize) -> Self {
        App {
            core: Arc::new(Core::new(config, webhooks)),
            faults: Mutex::default(),
            requests: RequestLog::new(request_log_capacity),
            stubs: Stubs::default(),
        }
    }

    /// Reserves the `merchant_uid` of a charge when it arrives (see [`Core::reserve_charge`]);
    /// a refusal is the answer to send.
    pub fn reserve(&self, route: &Route, req: &Incoming) -> Result<Option<Reservation>, Reply> {
        let Route::Operation(op, params) = route else {
            return Ok(None);
        };
        if op.kind != OperationKind::Charge {
            return Ok(None);
        }
        let Ok(input) = input_of(req, params.clone()) else {
            return Ok(None);
        };
        let merchant_uid = input.get("merchant_uid").and_then(Value::as_str);
        self.core
            .reserve_charge(op, token_of(req).as_deref(), merchant_uid)
            .map_err(|refused| Reply {
                merchant_uid: merchant_uid.map(str::to_owned),
                ..reply(Err(refused))
            })
    }

    /// The fault to apply to `operation`, if one is armed.
    pub fn take_fault(&self, operation: &OperationSpec) -> Option<Fault> {
        lock(&self.faults).take(operation)
    }

    /// Answers an operation request: authentication, input, then its stub if it has one, else
    /// the operation table; the request's `merchant_uid` is left in `merchant_uid` for the
    /// request log.
    pub(super) fn operation(
        &self,
        req: &Incoming,
        op: &'static OperationSpec,
        params: Vec<(String, String)>,
        merchant_uid: &mut Option<String>,
    ) -> Reply {
        if op.requires_auth && !token_of(req).is_some_and(|t| self.core.token_valid(&t)) {
            return reply(Err(ApiError::unauthorized(UNAUTHORIZED)));
        }
        let input = match input_of(req, params) {
            Ok(input) => input,
            Err(refused) => return reply(Err(refused)),
        };
        *merchant_uid = input
            .get("merchant_uid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(stubbed) = self.stubs.receive(op, &input) {
            return stubbed;
        }
        reply(serve(&self.core, op, req, input))
    }

    /// Forgets every payment, billing key and schedule, disarms the faults, removes the stubs
    /// and empties the request log and the received inputs; access tokens, the clock and the
    /// webhook log stay.
    pub fn reset(&self) {
        self.core.forget_records();
        lock(&self.faults).clear();
        self.requests.clear();
        self.stubs.clear(true);
    }

    /// Moves the clock forward and runs the schedules that fell due.
    pub fn advance(&self, seconds: i64) -> Result<Vec<ExecutedSchedule>, AdvanceError> {
        self.core.advance(seconds)
    }
}

/// Runs an operation through its handler in the operation table.
fn serve(
    core: &Core,
    op: &'static OperationSpec,
    req: &Incoming,
    input: Map<String, Value>,
) -> Answer {
    // Every operation of `iamport::operations::ALL` is declared (a unit test of `ops::table`
    // checks it); a 4xx all the same, never a 5xx a client would retry.
    let handler = crate::ops::handler(op).ok_or_else(|| {
        ApiError::bad_request(format!(
            "operation `{}` is not declared by the sandbox",
            op.operation_id
        ))
    })?;
    let call = Call {
        user_agent: req.header("user-agent"),
    };
    handler.serve(core, &call, input)
}

/// Handles `body` for the operation `op_id` as the server does (content type, decoding,
/// coercion, validation, then the operation itself) on a shared in-memory sandbox whose store is
/// emptied first, skipping authentication. For fuzzing: it must never panic.
pub fn fuzz_request(op_id: &str, content_type: &str, body: &[u8]) -> Reply {
    static APP: std::sync::OnceLock<Core> = std::sync::OnceLock::new();
    let app = APP.get_or_init(|| {
        Core::new(
            Config {
                credentials: Vec::new(),
                channels: Channels::standard(),
                webhook_url: None,
            },
            Webhooks::start(crate::state::webhook::RetryPolicy::default()),
        )
    });
    app.forget_records();
    let Some(op) = iamport::operations::ALL
        .iter()
        .copied()
        .find(|o| o.operation_id == op_id)
    else {
        return reply(Err(ApiError::not_found("no such operation")));
    };
    let req = Incoming {
        method: op.method.as_str().to_owned(),
        path: op.path.to_owned(),
        query: None,
        headers: vec![("content-type".to_owned(), content_type.to_owned())],
        body: body.to_vec(),
    };
    reply(input_of(&req, Vec::new()).and_then(|input| serve(app, op, &req, input)))
}
