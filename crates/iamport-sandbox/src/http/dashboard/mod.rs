//! The dashboard: a server-rendered page at `GET /__sandbox/` that shows payments, billing keys,
//! schedules, webhook deliveries, the request log and armed faults, and drives the admin
//! endpoints (advance the clock, arm and clear faults, reset the store).
//!
//! - [`snapshot`] is the one place that reads the sandbox's state; it copies it into view structs
//!   that hold no secret (masked card numbers only; no expiry, birth, cvc, secret or token).
//! - [`view`] filters (`?status=paid|failed|cancelled|partially_cancelled`, `?q=` part of a
//!   `merchant_uid`/`customer_uid`/`imp_uid`, `?payment=<imp_uid>` for the detail view) and
//!   renders `templates/dashboard.html` with askama, whose HTML escaping is on for every value.
//! - `assets/dashboard.js` (no build step) posts the controls' forms to the admin endpoints as
//!   `application/json`, like any other client, and refreshes the page's data every 2 seconds.
//!
//! The page is served with a Content-Security-Policy that allows only its own script, style and
//! requests, and forbids framing.

mod snapshot;
mod view;

use askama::Template;
use http_body_util::Full;
use hyper::body::Bytes;
use hyper::header::{HeaderName, HeaderValue};
use hyper::{Response, StatusCode};

use super::app::App;
use super::request::Incoming;
use super::routing::ADMIN_PREFIX;

const SCRIPT: &str = include_str!("assets/dashboard.js");
const STYLE: &str = include_str!("assets/dashboard.css");

/// The page's Content-Security-Policy: its own script, style and `fetch`es only; no framing.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; \
                   img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Answers `GET /__sandbox/` (the page) and its script and style sheet; `None` for any other
/// request, which then goes to the admin endpoints or the API.
pub(crate) fn serve(app: &App, req: &Incoming) -> Option<Response<Full<Bytes>>> {
    if req.method != "GET" {
        return None;
    }
    let rest = req.path.strip_prefix(ADMIN_PREFIX.trim_end_matches('/'))?;
    match rest {
        "" | "/" => Some(page(app, req.query.as_deref())),
        "/dashboard.js" => Some(respond(
            200,
            "text/javascript; charset=utf-8",
            SCRIPT.to_owned(),
        )),
        "/dashboard.css" => Some(respond(200, "text/css; charset=utf-8", STYLE.to_owned())),
        _ => None,
    }
}

/// The rendered page for a query string.
pub(crate) fn render(app: &App, query: Option<&str>) -> Result<String, askama::Error> {
    let data = snapshot::snapshot(app);
    let query = view::Query::parse(query);
    view::Page::new(&data, &query, ADMIN_PREFIX).render()
}

fn page(app: &App, query: Option<&str>) -> Response<Full<Bytes>> {
    match render(app, query) {
        Ok(html) => respond(200, "text/html; charset=utf-8", html),
        Err(err) => {
            log::error!("iamport-sandbox: the dashboard failed to render: {err}");
            respond(
                500,
                "text/plain; charset=utf-8",
                "sandbox bug: the dashboard failed to render\n".to_owned(),
            )
        }
    }
}

fn respond(status: u16, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let headers = response.headers_mut();
    for (name, value) in [
        ("content-type", content_type),
        ("content-security-policy", CSP),
        ("x-content-type-options", "nosniff"),
        ("x-frame-options", "DENY"),
        ("referrer-policy", "no-referrer"),
        ("cache-control", "no-store"),
    ] {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}
