//! The server-independent core: routing from `iamport::operations::ALL`, authentication, the
//! response envelope, admin endpoints and fault selection.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use iamport::runtime::{Method, OperationSpec};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::advance::{self, AdvanceError, ExecutedSchedule};
use crate::cards;
use crate::channels::Channels;
use crate::clock::Clock;
use crate::decode::{self, DecodeError};
use crate::faults::{Fault, FaultRule, Faults};
use crate::request_log::RequestLog;
use crate::store::Store;
use crate::webhook::{WebhookBody, Webhooks};

/// The largest accepted request body.
pub const MAX_BODY_BYTES: usize = 256 * 1024;
/// The longest accepted string in any request field (the spec's own limits are checked too).
pub const MAX_FIELD_CHARS: usize = 4096;
/// The reserved path prefix of the admin endpoints.
pub const ADMIN_PREFIX: &str = "/__sandbox/";

/// One request, as the server layer hands it over.
#[derive(Debug, Clone, Default)]
pub struct Incoming {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Incoming {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: Vec<u8>,
    /// Extra response headers (e.g. `allow` on a 405).
    pub headers: Vec<(&'static str, String)>,
    /// The request's `merchant_uid`, for the request log (not sent).
    pub merchant_uid: Option<String>,
}

/// An error answered with the envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: i64,
    pub message: String,
}

impl ApiError {
    /// HTTP 400 (missing or ill-formed parameter).
    pub fn bad_request(message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            code: -1,
            message: message.into(),
        }
    }
    /// HTTP 401.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        ApiError {
            status: 401,
            code: -1,
            message: message.into(),
        }
    }
    /// HTTP 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        ApiError {
            status: 404,
            code: -1,
            message: message.into(),
        }
    }
    /// HTTP 200 with `code: 1`: a business failure, as i'mport answers most of them.
    pub fn business(message: impl Into<String>) -> Self {
        ApiError {
            status: 200,
            code: 1,
            message: message.into(),
        }
    }
    /// HTTP 200 with `code: -1`: card data refused by the PG.
    pub fn card_refused(message: impl Into<String>) -> Self {
        ApiError {
            status: 200,
            code: -1,
            message: message.into(),
        }
    }
    /// HTTP 500: the sandbox's own failure (never a client's mistake).
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError {
            status: 500,
            code: -1,
            message: message.into(),
        }
    }
}

impl From<DecodeError> for ApiError {
    fn from(err: DecodeError) -> Self {
        ApiError::bad_request(err.0)
    }
}

impl From<iamport::ValidationError> for ApiError {
    fn from(err: iamport::ValidationError) -> Self {
        ApiError::bad_request(format!(
            "invalid parameter `{}`: {}",
            err.field(),
            err.rule()
        ))
    }
}

/// A successful answer: HTTP status and the envelope's `response`.
pub type Answer = Result<(u16, Value), ApiError>;

/// The envelope bytes.
pub fn envelope(code: i64, message: Option<&str>, response: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({ "code": code, "message": message, "response": response }))
        .unwrap_or_else(|_| {
            b"{\"code\":-1,\"message\":\"encoding failed\",\"response\":null}".to_vec()
        })
}

/// Turns an answer into a reply.
pub fn reply(answer: Answer) -> Reply {
    match answer {
        Ok((status, response)) => Reply {
            status,
            body: envelope(0, None, &response),
            headers: Vec::new(),
            merchant_uid: None,
        },
        Err(err) => Reply {
            status: err.status,
            body: envelope(err.code, Some(&err.message), &Value::Null),
            headers: Vec::new(),
            merchant_uid: None,
        },
    }
}

/// Decodes `raw` (the sandbox's own JSON for a response object) through the generated type `T`,
/// so every answer conforms to it, and returns `T`'s JSON with the `null`s of `raw` kept (i'mport
/// sends absent values as `null`; the generated types skip `None`).
pub fn typed<T: DeserializeOwned + Serialize>(raw: Value) -> Result<Value, ApiError> {
    let decoded: T = serde_json::from_value(raw.clone()).map_err(|e| {
        ApiError::internal(format!("sandbox bug: response does not fit its type: {e}"))
    })?;
    let mut out = serde_json::to_value(&decoded)
        .map_err(|e| ApiError::internal(format!("sandbox bug: response encoding failed: {e}")))?;
    keep_nulls(&raw, &mut out);
    Ok(out)
}

fn keep_nulls(raw: &Value, out: &mut Value) {
    match (raw, out) {
        (Value::Object(r), Value::Object(o)) => {
            for (k, v) in r {
                match o.get_mut(k) {
                    Some(slot) => keep_nulls(v, slot),
                    None if v.is_null() => {
                        o.insert(k.clone(), Value::Null);
                    }
                    None => {}
                }
            }
        }
        (Value::Array(r), Value::Array(o)) => {
            for (rv, ov) in r.iter().zip(o.iter_mut()) {
                keep_nulls(rv, ov);
            }
        }
        _ => {}
    }
}

/// Options fixed at start.
#[derive(Debug, Clone)]
pub struct Config {
    pub credentials: Vec<(String, String)>,
    pub channels: Channels,
    pub webhook_url: Option<String>,
    /// How many requests the request log keeps.
    pub request_log_capacity: usize,
}

/// Where a request goes.
pub enum Route {
    Admin,
    Operation(&'static OperationSpec, Vec<(String, String)>),
    MethodNotAllowed(Vec<&'static str>),
    NotFound,
}

/// The sandbox: configuration, clock, state, faults and webhooks.
pub struct App {
    pub config: Config,
    pub clock: Clock,
    pub store: Mutex<Store>,
    pub faults: Mutex<Faults>,
    pub webhooks: Webhooks,
    pub requests: RequestLog,
}

/// Locks a mutex, recovering from poisoning (a panic elsewhere must not wedge the sandbox).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn method_of(name: &str) -> Option<Method> {
    match name {
        "GET" => Some(Method::Get),
        "POST" => Some(Method::Post),
        "PUT" => Some(Method::Put),
        "DELETE" => Some(Method::Delete),
        _ => None,
    }
}

/// Matches `path` against a template, returning the (decoded) path parameters.
fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
    let t: Vec<&str> = template.trim_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_matches('/').split('/').collect();
    if t.len() != p.len() {
        return None;
    }
    let mut params = Vec::new();
    for (ts, ps) in t.iter().zip(p.iter()) {
        if let Some(name) = ts.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            if ps.is_empty() {
                return None;
            }
            let value = percent_encoding::percent_decode_str(ps)
                .decode_utf8()
                .ok()?;
            params.push((name.to_owned(), value.into_owned()));
        } else if ts != ps {
            return None;
        }
    }
    Some(params)
}

/// Path parameters by name, percent-decoded.
type PathParams = Vec<(String, String)>;

/// Routes a request by the operations of the spec; the most literal template wins.
pub fn route(method: &str, path: &str) -> Route {
    if path.starts_with(ADMIN_PREFIX) || path == ADMIN_PREFIX.trim_end_matches('/') {
        return Route::Admin;
    }
    let method = method_of(method);
    let mut best: Option<(usize, &'static OperationSpec, PathParams)> = None;
    let mut allowed = Vec::new();
    for op in iamport::operations::ALL.iter().copied() {
        let Some(params) = match_template(op.path, path) else {
            continue;
        };
        if Some(op.method) != method {
            if !allowed.contains(&op.method.as_str()) {
                allowed.push(op.method.as_str());
            }
            continue;
        }
        let literal = op.path.split('/').filter(|s| !s.starts_with('{')).count();
        if best.as_ref().is_none_or(|(l, _, _)| literal > *l) {
            best = Some((literal, op, params));
        }
    }
    match best {
        Some((_, op, params)) => Route::Operation(op, params),
        None if !allowed.is_empty() => Route::MethodNotAllowed(allowed),
        None => Route::NotFound,
    }
}

/// The access token of a request: `Authorization: Bearer <t>`, `Authorization: <t>`, or
/// `X-ImpTokenHeader: <t>` (`Authorization` wins when both are sent).
pub fn token_of(req: &Incoming) -> Option<String> {
    if let Some(auth) = req.header("authorization") {
        let auth = auth.trim();
        let token = match auth.split_once(' ') {
            Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
            _ => auth,
        };
        if !token.is_empty() {
            return Some(token.to_owned());
        }
    }
    req.header("x-imptokenheader")
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// Message of a 401 for a missing, unknown or expired token.
pub const UNAUTHORIZED: &str = "Unauthorized: 인증 토큰이 전달되지 않았거나 유효하지 않습니다. (access token missing, unknown or expired: call POST /users/getToken)";

impl App {
    /// Creates the core.
    pub fn new(config: Config, webhooks: Webhooks) -> Self {
        App {
            requests: RequestLog::new(config.request_log_capacity),
            config,
            clock: Clock::default(),
            store: Mutex::new(Store::new()),
            faults: Mutex::default(),
            webhooks,
        }
    }

    /// The fault to apply to `operation_id`, if one is armed.
    pub fn take_fault(&self, operation_id: &str) -> Option<Fault> {
        lock(&self.faults).take(operation_id)
    }

    /// Handles a routed request (faults already applied by the caller).
    pub fn handle(&self, req: &Incoming, route: Route) -> Reply {
        match route {
            Route::Admin => {
                let allowed = admin_methods(&req.path);
                if !allowed.is_empty() && !allowed.contains(&req.method.as_str()) {
                    return method_not_allowed(req, &allowed);
                }
                reply(self.admin(req))
            }
            Route::NotFound => reply(Err(ApiError::not_found(format!(
                "no such endpoint: {} {} (the sandbox serves the operations of spec/iamport.json and {ADMIN_PREFIX}...)",
                excerpt(&req.method, 10),
                excerpt(&req.path, 120)
            )))),
            Route::MethodNotAllowed(allowed) => method_not_allowed(req, &allowed),
            Route::Operation(op, params) => {
                let mut merchant_uid = None;
                let mut answer = reply(self.operation(req, op, params, &mut merchant_uid));
                answer.merchant_uid = merchant_uid;
                answer
            }
        }
    }

    fn operation(
        &self,
        req: &Incoming,
        op: &'static OperationSpec,
        params: Vec<(String, String)>,
        merchant_uid: &mut Option<String>,
    ) -> Answer {
        if op.requires_auth {
            let now = self.clock.now();
            let valid = token_of(req).is_some_and(|t| lock(&self.store).token_valid(&t, now));
            if !valid {
                return Err(ApiError::unauthorized(UNAUTHORIZED));
            }
        }
        let input = self.input(req, params)?;
        *merchant_uid = input
            .get("merchant_uid")
            .and_then(Value::as_str)
            .map(str::to_owned);
        crate::ops::dispatch(self, op, input, req)
    }

    /// Path parameters, query and body merged into one object (body wins over query, path wins
    /// over both).
    fn input(
        &self,
        req: &Incoming,
        params: Vec<(String, String)>,
    ) -> Result<Map<String, Value>, ApiError> {
        let mut map = decode::parse_query(req.query.as_deref())?;
        let body = decode::parse_body(req.header("content-type"), &req.body)?;
        map.extend(body);
        for (k, v) in params {
            map.insert(k, Value::String(v));
        }
        check_sizes(&map, "")?;
        Ok(map)
    }

    /// Queues a webhook to `url` (or the configured default URL).
    pub fn notify(&self, url: Option<&str>, body: WebhookBody) {
        let url = url
            .filter(|u| !u.is_empty())
            .map(str::to_owned)
            .or_else(|| self.config.webhook_url.clone());
        if let Some(url) = url {
            self.webhooks.enqueue(url, body);
        }
    }

    fn admin(&self, req: &Incoming) -> Answer {
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
            ("GET", "/clock") => Ok((200, json!({ "now": self.clock.now(), "offset": self.clock.offset() }))),
            ("POST", "/clock/advance") => {
                #[derive(serde::Deserialize)]
                struct Advance {
                    seconds: i64,
                }
                let a: Advance = decode::decode(input()?)?;
                let executed = self
                    .advance(a.seconds)
                    .map_err(|e| ApiError::bad_request(e.to_string()))?;
                Ok((200, json!({ "now": self.clock.now(), "executed": executed })))
            }
            ("POST", "/schedules/run") => Ok((200, json!({ "executed": advance::typed(crate::ops::run_due_schedules(self)) }))),
            ("POST", "/faults") => {
                let rule = parse_fault(input()?)?;
                lock(&self.faults).add(rule);
                Ok((200, json!({ "armed": true })))
            }
            ("DELETE", "/faults") => {
                lock(&self.faults).clear();
                Ok((200, json!({ "cleared": true })))
            }
            ("GET", "/webhooks") => Ok((200, serde_json::to_value(self.webhooks.deliveries()).unwrap_or(Value::Null))),
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
                            };
                            json!({ "number": c.number, "behavior": kind, "fail_reason": reason, "description": c.description })
                        })
                        .collect(),
                ),
            )),
            ("GET", "/channels") => Ok((
                200,
                Value::Array(
                    self.config
                        .channels
                        .0
                        .iter()
                        .enumerate()
                        .map(|(i, c)| json!({ "pg_provider": c.pg_provider, "pg_id": c.pg_id, "channel_key": c.channel_key, "default": i == 0 }))
                        .collect(),
                ),
            )),
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

    /// Moves the clock forward and runs the schedules that fell due.
    pub fn advance(&self, seconds: i64) -> Result<Vec<ExecutedSchedule>, AdvanceError> {
        advance::checked_offset(self.clock.offset(), seconds)?;
        self.clock.advance(seconds);
        Ok(advance::typed(crate::ops::run_due_schedules(self)))
    }
}

/// The admin endpoints (method, path under [`ADMIN_PREFIX`]).
pub const ADMIN_ENDPOINTS: &[(&str, &str)] = &[
    ("GET", "/clock"),
    ("POST", "/clock/advance"),
    ("POST", "/schedules/run"),
    ("POST", "/faults"),
    ("DELETE", "/faults"),
    ("GET", "/webhooks"),
    ("GET", "/requests"),
    ("GET", "/cards"),
    ("GET", "/channels"),
];

/// The path of an admin request below [`ADMIN_PREFIX`], e.g. `/clock/advance`.
fn admin_sub_path(path: &str) -> &str {
    path.trim_end_matches('/')
        .strip_prefix(ADMIN_PREFIX.trim_end_matches('/'))
        .unwrap_or("")
}

/// The methods an admin path allows, when the path is an admin endpoint.
fn admin_methods(path: &str) -> Vec<&'static str> {
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
fn check_not_cross_site(req: &Incoming) -> Result<(), ApiError> {
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

/// The 405 answer, with its `Allow` header.
fn method_not_allowed(req: &Incoming, allowed: &[&str]) -> Reply {
    let mut answer = reply(Err(ApiError {
        status: 405,
        code: -1,
        message: format!(
            "method {} not allowed on {}; allowed: {}",
            excerpt(&req.method, 10),
            excerpt(&req.path, 120),
            allowed.join(", ")
        ),
    }));
    answer.headers.push(("allow", allowed.join(", ")));
    answer
}

/// Handles `body` for the operation `op_id` as the server does (content type, decoding,
/// coercion, validation, then the operation itself) on a shared in-memory sandbox whose store is
/// emptied first, skipping authentication. For fuzzing: it must never panic.
pub fn fuzz_request(op_id: &str, content_type: &str, body: &[u8]) -> Reply {
    static APP: std::sync::OnceLock<App> = std::sync::OnceLock::new();
    let app = APP.get_or_init(|| {
        App::new(
            Config {
                credentials: Vec::new(),
                channels: Channels::standard(),
                webhook_url: None,
                request_log_capacity: 1,
            },
            Webhooks::start(crate::webhook::RetryPolicy {
                attempts: 1,
                delay: Duration::ZERO,
            }),
        )
    });
    *lock(&app.store) = Store::new();
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
    reply(
        app.input(&req, Vec::new())
            .and_then(|input| crate::ops::dispatch(app, op, input, &req)),
    )
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

fn check_sizes(map: &Map<String, Value>, prefix: &str) -> Result<(), ApiError> {
    for (k, v) in map {
        let name = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::String(s) if s.chars().count() > MAX_FIELD_CHARS => {
                return Err(ApiError::bad_request(format!(
                    "parameter `{}` is too long (at most {MAX_FIELD_CHARS} characters)",
                    excerpt(&name, 80)
                )));
            }
            Value::Object(inner) => check_sizes(inner, &name)?,
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(inner) = item {
                        check_sizes(inner, &name)?;
                    } else if let Value::String(s) = item
                        && s.chars().count() > MAX_FIELD_CHARS
                    {
                        return Err(ApiError::bad_request(format!(
                            "parameter `{}` is too long",
                            excerpt(&name, 80)
                        )));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// At most `n` characters of `s` (for echoing paths and names, never values).
pub fn excerpt(s: &str, n: usize) -> String {
    let mut out: String = s.chars().take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routing_prefers_literal_segments() {
        match route("GET", "/subscribe/payments/schedule/customers/c1") {
            Route::Operation(op, params) => {
                assert_eq!(op.operation_id, "findSchedulesByCustomer");
                assert_eq!(params, vec![("customer_uid".to_owned(), "c1".to_owned())]);
            }
            _ => panic!("not routed"),
        }
        match route("GET", "/payments/find/m%201") {
            Route::Operation(op, params) => {
                assert_eq!(op.operation_id, "getPaymentByMerchantUid");
                assert_eq!(params[0].1, "m 1");
            }
            _ => panic!("not routed"),
        }
        assert!(matches!(
            route("PATCH", "/payments/cancel"),
            Route::MethodNotAllowed(_)
        ));
        assert!(matches!(route("GET", "/nope"), Route::NotFound));
        assert!(matches!(
            route("POST", "/subscribe/payments/onetime/"),
            Route::Operation(..)
        ));
    }

    #[test]
    fn tokens_from_every_header_form() {
        let mut req = Incoming::default();
        req.headers.push(("x-imptokenheader".into(), "abc".into()));
        assert_eq!(token_of(&req).as_deref(), Some("abc"));
        req.headers
            .push(("Authorization".into(), "Bearer xyz".into()));
        assert_eq!(token_of(&req).as_deref(), Some("xyz"));
        req.headers[1].1 = "raw".into();
        assert_eq!(token_of(&req).as_deref(), Some("raw"));
    }
}
