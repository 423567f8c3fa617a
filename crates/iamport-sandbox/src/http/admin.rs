//! The admin endpoints under `/__sandbox/` (clock, schedules, faults, reset, logs, tables) and
//! their cross-site protection.

use std::time::Duration;

use serde_json::{Value, json};

use super::app::App;
use super::faults::{Fault, FaultRule};
use super::reply::Answer;
use super::request::Incoming;
use super::routing::ADMIN_PREFIX;
use crate::decode;
use crate::ops::ApiError;
use crate::state::cards;
use crate::support::{excerpt, lock};

impl App {
    /// Answers an admin request.
    pub(super) fn admin(&self, req: &Incoming) -> Answer {
        let sub = admin_sub_path(&req.path);
        let input = || -> Result<Value, ApiError> {
            let mut map = decode::parse_query(req.query.as_deref())?;
            map.extend(decode::parse_body(req.header("content-type"), &req.body)?);
            Ok(Value::Object(map))
        };
        if req.method != "GET" && req.method != "HEAD" {
            check_not_cross_site(req)?;
        }
        match (req.method.as_str(), sub) {
            ("GET", "/clock") => Ok((200, json!({ "now": self.core.clock.now(), "offset": self.core.clock.offset() }))),
            ("POST", "/clock/advance") => {
                #[derive(serde::Deserialize)]
                struct Advance {
                    seconds: i64,
                }
                let a: Advance = decode::decode(input()?)?;
                let executed = self
                    .advance(a.seconds)
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                Ok((200, json!({ "now": self.core.clock.now(), "executed": executed })))
            }
            ("POST", "/vbanks/deposit") => {
                #[derive(serde::Deserialize)]
                struct Deposit {
                    imp_uid: String,
                    at: Option<i64>,
                }
                let d: Deposit = decode::decode(input()?)?;
                let payment = self.core.deposit_vbank(&d.imp_uid, d.at)?;
                Ok((200, serde_json::to_value(payment).unwrap_or(Value::Null)))
            }
            ("POST", "/schedules/run") => Ok((200, json!({ "executed": crate::ops::clock::run_due_schedules(&self.core) }))),
            ("POST", "/faults") => {
                let rule = parse_fault(input()?)?;
                lock(&self.faults).add(rule);
                Ok((200, json!({ "armed": true })))
            }
            ("DELETE", "/faults") => {
                lock(&self.faults).clear();
                Ok((200, json!({ "cleared": true })))
            }
            ("POST", "/reset") => {
                self.reset();
                Ok((200, json!({ "reset": true })))
            }
            ("GET", "/webhooks") => Ok((200, serde_json::to_value(self.core.webhooks.deliveries()).unwrap_or(Value::Null))),
            ("GET", "/requests") => {
                #[derive(serde::Deserialize)]
                struct Since {
                    after: Option<u64>,
                }
                let since: Since = decode::decode(input()?)?;
                let (requests, total) = self.requests.since(since.after.unwrap_or(0));
                Ok((
                    200,
                    json!({ "capacity": self.requests.capacity(), "total": total, "requests": requests }),
                ))
            }
            ("GET", "/cards") => Ok((
                200,
                Value::Array(
                    cards::TEST_CARDS
                        .iter()
                        .map(|c| {
                            let (kind, reason) = match c.behavior {
                                cards::CardBehavior::Approve => ("approve", None),
                                cards::CardBehavior::Decline(r) => ("decline", Some(r)),
                                cards::CardBehavior::ApproveThenDecline(r) => ("approve_then_decline", Some(r)),
                                cards::CardBehavior::Refuse(r) => ("refuse", Some(r)),
                                cards::CardBehavior::DeclineThenApproveLater(r) => ("decline_then_approve_later", Some(r)),
                            };
                            json!({ "number": c.number, "behavior": kind, "fail_reason": reason, "description": c.description })
                        })
                        .collect(),
                ),
            )),
            ("GET", "/channels") => Ok((
                200,
                Value::Array(
                    self.core
                        .config
                        .channels
                        .0
                        .iter()
                        .enumerate()
                        .map(|(i, c)| json!({ "pg_provider": c.pg_provider, "pg_id": c.pg_id, "channel_key": c.channel_key, "default": i == 0 }))
                        .collect(),
                ),
            )),
            (method @ ("GET" | "POST" | "DELETE"), "/stubs" | "/received" | "/operations")
                if admin_methods(&req.path).contains(&method) =>
            {
                self.stub_admin(method, sub, input()?)
            }
            _ => Err(ApiError::not_found(format!(
                "no such admin endpoint: {} {}; the admin endpoints are: {}",
                excerpt(&req.method, 10),
                excerpt(&req.path, 120),
                ADMIN_ENDPOINTS
                    .iter()
                    .map(|(m, p)| format!("{m} {ADMIN_PREFIX}{}", p.trim_start_matches('/')))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))),
        }
    }
}

/// The admin endpoints (method, path under [`ADMIN_PREFIX`]).
pub const ADMIN_ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/clock"),
    ("POST", "/clock/advance"),
    ("POST", "/schedules/run"),
    ("POST", "/vbanks/deposit"),
    ("POST", "/faults"),
    ("DELETE", "/faults"),
    ("POST", "/reset"),
    ("GET", "/webhooks"),
    ("GET", "/requests"),
    ("GET", "/cards"),
    ("GET", "/channels"),
    ("POST", "/stubs"),
    ("GET", "/stubs"),
    ("DELETE", "/stubs"),
    ("GET", "/received"),
    ("GET", "/operations"),
];

/// The path of an admin request below [`ADMIN_PREFIX`], e.g. `/clock/advance`.
fn admin_sub_path(path: &str) -> &str {
    path.trim_end_matches('/')
        .strip_prefix(ADMIN_PREFIX.trim_end_matches('/'))
        .unwrap_or("")
}

/// The methods an admin path allows, when the path is an admin endpoint.
pub(super) fn admin_methods(path: &str) -> Vec<&'static str> {
    let sub = admin_sub_path(path);
    ADMIN_ENDPOINTS
        .iter()
        .filter(|(_, p)| *p == sub)
        .map(|(m, _)| *m)
        .collect()
}

/// The header that, like a JSON content type, marks a state-changing admin request as not
/// coming from a cross-site page (a browser sends neither without a CORS preflight, which the
/// sandbox never approves).
pub const ADMIN_HEADER: &str = "x-sandbox-admin";

/// Refuses a state-changing admin request that a web page of another site could have sent:
/// it needs `Content-Type: application/json` or the [`ADMIN_HEADER`] header.
pub(super) fn check_not_cross_site(req: &Incoming) -> Result<(), ApiError> {
    let json = req.header("content-type").is_some_and(|ct| {
        ct.split(';')
            .next()
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
    });
    if json || req.header(ADMIN_HEADER).is_some() {
        return Ok(());
    }
    Err(ApiError {
        status: 403,
        code: -1,
        message: format!(
            "admin requests that change state need `Content-Type: application/json` (or an `{ADMIN_HEADER}` header): form, text/plain and untyped bodies are refused so that a web page cannot drive the sandbox"
        ),
    })
}

fn parse_fault(value: Value) -> Result<FaultRule, ApiError> {
    #[derive(serde::Deserialize)]
    struct Spec {
        kind: String,
        ms: Option<u64>,
        status: Option<u16>,
        after_processing: Option<bool>,
        operation: Option<String>,
        times: Option<u32>,
    }
    let spec: Spec = decode::decode(value)?;
    let fault = match spec.kind.as_str() {
        "latency" => Fault::Latency(Duration::from_millis(spec.ms.unwrap_or(1000).min(120_000))),
        "error" => {
            let status = spec.status.unwrap_or(500);
            if !(500..=599).contains(&status) {
                return Err(ApiError::bad_request("`status` must be a 5xx status"));
            }
            Fault::ServerError {
                status,
                after_processing: spec.after_processing.unwrap_or(false),
            }
        }
        "drop" => Fault::DropConnection,
        _ => {
            return Err(ApiError::bad_request(
                "`kind` must be one of: latency, error, drop",
            ));
        }
    };
    let operation = match &spec.operation {
        None => None,
        Some(name) => Some(
            iamport::operations::ALL
                .iter()
                .copied()
                .find(|o| o.operation_id == name)
                .ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "unknown operation `{}` (use an operationId of the spec)",
                        excerpt(name, 60)
                    ))
                })?,
        ),
    };
    Ok(FaultRule {
        fault,
        operation,
        times: spec.times.or(Some(1)).filter(|t| *t > 0),
    })
}
