//! A routed request to the handler that answers it: an operation (through [`App`]), an admin
//! endpoint, or the 404 and 405 envelopes. It sits above both `app` and `admin`, so neither
//! imports the other's caller.

use super::admin::admin_methods;
use super::app::App;
use super::reply::{Reply, method_not_allowed, reply};
use super::request::Incoming;
use super::routing::{ADMIN_PREFIX, Route};
use crate::ops::ApiError;
use crate::support::excerpt;

/// Handles a routed request (faults already applied by the caller).
pub(super) fn dispatch(app: &App, req: &Incoming, route: Route) -> Reply {
    match route {
        Route::Admin => {
            let allowed = admin_methods(&req.path);
            if !allowed.is_empty() && !allowed.contains(&req.method.as_str()) {
                return method_not_allowed(req, &allowed);
            }
            reply(app.admin(req))
        }
        Route::NotFound => reply(Err(ApiError::not_found(format!(
            "no such endpoint: {} {} (the sandbox serves the operations of spec/iamport.json and {ADMIN_PREFIX}...)",
            excerpt(&req.method, 10),
            excerpt(&req.path, 120)
        )))),
        Route::MethodNotAllowed(allowed) => method_not_allowed(req, &allowed),
        Route::Operation(op, params) => {
            let mut merchant_uid = None;
            let mut answer = app.operation(req, op, params, &mut merchant_uid);
            answer.merchant_uid = merchant_uid;
            answer
        }
    }
}
