//! Routing: a method and path to an operation of `iamport::operations::ALL` (the most literal
//! template wins), an admin endpoint, a 405 with the methods allowed, or a 404.

use iamport::runtime::{Method, OperationSpec};

/// The reserved path prefix of the admin endpoints.
pub const ADMIN_PREFIX: &str = "/__sandbox/";

/// Where a request goes.
pub enum Route {
    Admin,
    Operation(&'static OperationSpec, Vec<(String, String)>),
    MethodNotAllowed(Vec<&'static str>),
    NotFound,
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
}
