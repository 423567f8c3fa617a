use iamport::runtime::{
    Execute, HttpRequest, OperationKind, OperationSpec, Request, RequestVisitor,
};
use iamport::{Client, Error};
use iamport_sandbox::{Sandbox, StubReply, TEST_API_KEY, TEST_API_SECRET};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::sample;

fn client(sandbox: &Sandbox) -> Client {
    Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .read_attempts(1)
        .build()
        .expect("client")
}

/// A request for `operation` with every path parameter set to `p-NAME` and an empty JSON
/// body (for the dynamic entry point, `Execute::execute`, which sends it as is).
fn request(operation: &OperationSpec) -> HttpRequest {
    let path: Vec<String> = operation
        .path
        .split('/')
        .map(
            |segment| match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => format!("p-{name}"),
                None => segment.to_owned(),
            },
        )
        .collect();
    let http = HttpRequest::new(path.join("/"));
    match operation.method.as_str() {
        "POST" | "PUT" => http.json(&json!({})).expect("body"),
        _ => http,
    }
}

/// The path parameters of `operation`, as [`request`] fills them.
fn path_params(operation: &OperationSpec) -> Vec<(String, Value)> {
    operation
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| (name.to_owned(), json!(format!("p-{name}"))))
        .collect()
}

struct StubEach<'a> {
    sandbox: &'a Sandbox,
    client: Client,
    spec: Value,
    failures: Vec<String>,
    visited: usize,
}

impl StubEach<'_> {
    fn check<R: Request>(&mut self) {
        let operation = R::OPERATION;
        let id = operation.operation_id;
        self.visited += 1;
        let mut response = sample::response(&self.spec, id);
        if operation.kind == OperationKind::Charge
            && let Some(object) = response.as_object_mut()
        {
            object.insert("status".to_owned(), json!("paid"));
        }
        // An operation whose success is a field's value (PAYMENTWALL's `success: 1`).
        if let (Some(success), Some(object)) = (operation.success, response.as_object_mut()) {
            object.insert(success.field.to_owned(), json!(success.value));
        }
        self.sandbox
            .stub(operation, StubReply::ok(response.clone()));
        let answer: Result<R::Response, Error> = self.client.execute(operation, request(operation));
        self.sandbox.clear_stubs();
        if let Err(err) = answer {
            self.failures
                .push(format!("{id}: stub {response} -> {err}"));
            return;
        }
        let received = self.sandbox.received(operation);
        let Some(last) = received.last() else {
            self.failures.push(format!("{id}: nothing received"));
            return;
        };
        for (name, value) in path_params(operation) {
            if last[&name] != value {
                self.failures.push(format!(
                    "{id}: received {last}, path parameter {name} missing"
                ));
            }
        }
    }
}

impl RequestVisitor for StubEach<'_> {
    fn visit<R: Request + DeserializeOwned + 'static>(&mut self) {
        self.check::<R>();
    }

    fn visit_without_input<R: Request + Default + 'static>(&mut self) {
        self.check::<R>();
    }
}

#[test]
fn every_operation_answers_its_stub_through_the_client() {
    let sandbox = Sandbox::start();
    let mut each = StubEach {
        sandbox: &sandbox,
        client: client(&sandbox),
        spec: sample::spec(),
        failures: Vec::new(),
        visited: 0,
    };
    iamport::operations::for_each_request(&mut each);
    assert_eq!(each.visited, iamport::operations::ALL.len());
    assert!(each.failures.is_empty(), "{:#?}", each.failures);
}

/// The operations the sandbox declares but does not emulate, from `GET /__sandbox/operations`.
fn not_emulated(sandbox: &Sandbox) -> Vec<String> {
    let url = format!("{}/__sandbox/operations", sandbox.base_url());
    let body: Value = ureq::get(&url)
        .call()
        .expect("operations")
        .into_body()
        .read_json()
        .expect("JSON");
    let listed = body["response"].as_array().expect("a list");
    assert_eq!(listed.len(), iamport::operations::ALL.len());
    listed
        .iter()
        .filter(|op| op["emulated"] == json!(false))
        .map(|op| op["operation"].as_str().expect("operationId").to_owned())
        .collect()
}

/// Whatever the request, no operation answers a 5xx (which a client retries, or reports as an
/// unknown outcome for a charge); one the sandbox does not emulate answers HTTP 400, `code: -1`.
#[test]
fn no_operation_answers_a_5xx_and_those_not_emulated_answer_400() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let not_emulated = not_emulated(&sandbox);
    for operation in iamport::operations::ALL {
        let id = operation.operation_id;
        let Err(err) = client.execute::<Value>(operation, request(operation)) else {
            assert!(!not_emulated.iter().any(|n| n == id), "{id} answered");
            continue;
        };
        let status = err.status().unwrap_or_else(|| panic!("{id}: {err}"));
        assert!(status < 500, "{id}: HTTP {status}: {err}");
        if not_emulated.iter().any(|n| n == id) {
            assert_eq!((status, err.code()), (400, Some(-1)), "{id}: {err}");
        }
    }
}
