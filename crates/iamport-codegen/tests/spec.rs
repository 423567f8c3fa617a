//! The project's spec through the generator: every operation of the subscription API becomes a
//! method, with the kind and auth the runtime relies on.

use iamport_codegen::model::{Kind, Ty, TypeDef};

fn model() -> iamport_codegen::model::Model {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/iamport.json"
    ))
    .unwrap();
    iamport_codegen::generate(&json, iamport_codegen::Target::UserCrate)
        .expect("the spec passes the strict lint and builds a model")
        .model
}

#[test]
fn every_operation_of_the_spec_is_generated() {
    let m = model();
    let got: Vec<(String, String)> = m
        .operations
        .iter()
        .map(|o| (o.method.clone(), o.path.clone()))
        .collect();
    let expected = [
        ("POST", "/users/getToken"),
        ("POST", "/subscribe/payments/onetime"),
        ("POST", "/subscribe/payments/again"),
        ("POST", "/subscribe/payments/schedule"),
        ("POST", "/subscribe/payments/unschedule"),
        ("GET", "/subscribe/payments/schedule"),
        ("GET", "/subscribe/payments/schedule/{merchant_uid}"),
        ("PUT", "/subscribe/payments/schedule/{merchant_uid}"),
        (
            "POST",
            "/subscribe/payments/schedule/{merchant_uid}/reschedule",
        ),
        ("POST", "/subscribe/payments/schedule/{merchant_uid}/retry"),
        (
            "GET",
            "/subscribe/payments/schedule/customers/{customer_uid}",
        ),
        ("GET", "/subscribe/customers"),
        ("GET", "/subscribe/customers/{customer_uid}"),
        ("POST", "/subscribe/customers/{customer_uid}"),
        ("DELETE", "/subscribe/customers/{customer_uid}"),
        ("GET", "/subscribe/customers/{customer_uid}/payments"),
        ("GET", "/subscribe/customers/{customer_uid}/schedules"),
        ("GET", "/payments/{imp_uid}"),
        ("GET", "/payments/find/{merchant_uid}"),
        ("GET", "/payments/find/{merchant_uid}/{payment_status}"),
        ("GET", "/payments/findAll/{merchant_uid}"),
        ("GET", "/payments/findAll/{merchant_uid}/{payment_status}"),
        ("POST", "/payments/cancel"),
        ("POST", "/paymentwall/delivery"),
        ("GET", "/users/pg"),
    ];
    for (method, path) in expected {
        assert!(
            got.contains(&(method.to_string(), path.to_string())),
            "missing {method} {path}"
        );
    }
    // Every operation of the spec, however many `cargo xtask import` has added.
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/iamport.json"
    ))
    .unwrap();
    let spec: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut declared = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            declared.push((method.to_uppercase(), path.clone()));
        }
    }
    declared.sort();
    let mut got = got;
    got.sort();
    assert_eq!(got, declared);
}

#[test]
fn kinds_auth_and_shapes_follow_the_spec() {
    let m = model();
    let op = |id: &str| m.operations.iter().find(|o| o.id == id).unwrap();
    for id in ["onetime", "again", "retryScheduleByMid"] {
        assert_eq!(op(id).kind, Kind::Charge, "{id}");
    }
    assert_eq!(op("cancelPayment").kind, Kind::Cancel);
    assert_eq!(op("getPaymentByImpUid").kind, Kind::Read);
    assert_eq!(op("schedule").kind, Kind::Write);
    assert!(!op("getToken").requires_auth);
    assert!(
        m.operations
            .iter()
            .filter(|o| o.id != "getToken")
            .all(|o| o.requires_auth)
    );
    assert_eq!(op("customerViewMultiple").success_statuses, vec![200, 207]);
    // An unknown billing key / customer is an HTTP 200 refusal on these (the official Python
    // SDK's tests/test_customer_get.py, kde713/iamporter-python's tests).
    let refusing: Vec<&str> = m
        .operations
        .iter()
        .filter(|o| o.not_found_on_refusal)
        .map(|o| o.id.as_str())
        .collect();
    assert_eq!(
        refusing,
        ["again", "schedule", "customerView", "customerDelete"]
    );
    assert_eq!(
        op("findSchedulesByRange").returns,
        Ty::Named("PagedSchedules".into())
    );
    assert_eq!(
        op("schedule").returns,
        Ty::Vec(Box::new(Ty::Named("ScheduleResult".into())))
    );
    // One billing-key object decodes both kinds: a card's key, and a super billing key (its
    // `channelGroupId` and per-channel lists optional), with nothing required but the id.
    let Some(TypeDef::Struct { fields, .. }) = m.types.get("BillingKey") else {
        panic!("BillingKey is one struct")
    };
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| !f.optional())
        .map(|f| f.wire.as_str())
        .collect();
    assert_eq!(required, ["customer_uid"]);
    for wire in [
        "card_number",
        "channelGroupId",
        "succeededChannels",
        "failedChannels",
    ] {
        assert!(fields.iter().any(|f| f.wire == wire), "BillingKey.{wire}");
    }
    assert_eq!(
        op("customerViewMultiple").returns,
        Ty::Vec(Box::new(Ty::Named("BillingKey".into())))
    );
    // Card data is secret, money exact, timestamps typed; enums open only on the response side.
    let (_, fields) = op("onetime").request.clone().unwrap();
    let field = |name: &str| fields.iter().find(|f| f.wire == name).unwrap().clone();
    assert_eq!(field("card_number").ty, Ty::CardNumber);
    assert_eq!(field("cvc").ty, Ty::Secret);
    assert_eq!(field("amount").ty, Ty::Amount);
    // Display text has no length limit; identifiers keep theirs.
    assert_eq!(field("buyer_name").constraints.max_length, None);
    assert_eq!(field("name").constraints.max_length, None);
    assert_eq!(field("merchant_uid").constraints.max_length, Some(40));
    // Footgun guards.
    let (_, fields) = op("unschedule").request.clone().unwrap();
    let uids = fields.iter().find(|f| f.wire == "merchant_uid").unwrap();
    assert_eq!(uids.constraints.min_items, Some(1));
    let (_, fields) = op("cancelPayment").request.clone().unwrap();
    let amount = fields.iter().find(|f| f.wire == "amount").unwrap();
    assert_eq!(
        (
            amount.constraints.minimum,
            amount.constraints.exclusive_minimum
        ),
        (Some(0), true)
    );
    let (_, fields) = op("customerSave").request.clone().unwrap();
    assert!(
        fields
            .iter()
            .any(|f| f.wire == "channel_key" && !f.required)
    );
    // Tolerant reader: only a payment's identity is required.
    let Some(TypeDef::Struct { fields, .. }) = m.types.get("Payment") else {
        panic!("Payment is a struct")
    };
    let required: Vec<&str> = fields
        .iter()
        .filter(|f| !f.optional())
        .map(|f| f.wire.as_str())
        .collect();
    assert_eq!(required, ["imp_uid", "merchant_uid", "amount", "status"]);
    assert!(m.sides["PaymentStatus"].response && m.sides["PaymentStatus"].request);
    assert!(!m.sides["ProductType"].response);
}

#[test]
fn the_generated_code_parses_and_is_deterministic() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/iamport.json"
    ))
    .unwrap();
    let a = iamport_codegen::generate(&json, iamport_codegen::Target::UserCrate).unwrap();
    let b = iamport_codegen::generate(&json, iamport_codegen::Target::UserCrate).unwrap();
    assert_eq!(a.tokens.to_string(), b.tokens.to_string());
    assert_eq!(a.operations_table, b.operations_table);
    // Plain names after `use` lines: no `::core::`/`::std::` paths.
    let text = a.tokens.to_string();
    assert!(!text.contains(":: core ::") && !text.contains(":: std ::"));
    let file: syn::File = syn::parse2(a.tokens).expect("the generated code parses");
    assert_eq!(
        file.items.len(),
        4,
        "types, operations, api and `pub use self::api::Api`"
    );
}

#[test]
fn several_problems_are_reported_at_once_with_pointers() {
    let bad = r##"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{
        "/a":{"get":{"operationId":"a","x-rust-name":"a","responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}},
        "/b":{"get":{"operationId":"a","x-rust-name":"b","responses":{"200":{"description":"ok"}}}}},
        "components":{"schemas":{"T":{"type":"object","properties":{"n":{"type":"integer","maximum":"1000"}}}}}}"##;
    let err = iamport_codegen::generate(bad, iamport_codegen::Target::UserCrate).unwrap_err();
    let text = err.to_string();
    assert_eq!(err.problems().len(), 3, "{text}");
    assert!(
        text.contains("#/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
        "{text}"
    );
    assert!(text.contains("duplicate operationId `a`"), "{text}");
    assert!(
        text.contains("#/components/schemas/T/properties/n/maximum: `maximum` must be a number"),
        "{text}"
    );
}

/// English first, in every operation's summary and every field of the seed
/// flows' types; aliases find the main calls.
#[test]
fn docs_are_english_first_and_aliases_find_the_main_calls() {
    let m = model();
    for op in &m.operations {
        let (english, upstream) = op.summary_parts();
        assert!(
            !english.is_empty() && english.is_ascii(),
            "{}: the summary must open with an English sentence: {english}",
            op.id
        );
        assert!(!upstream.is_empty(), "{}: upstream's text is kept", op.id);
    }
    let aliases = |id: &str| {
        m.operations
            .iter()
            .find(|o| o.id == id)
            .unwrap()
            .doc_aliases
            .clone()
    };
    for (id, alias) in [
        // The operationId and the path stay searchable beside the Rust name.
        ("again", "again"),
        ("again", "/subscribe/payments/again"),
        ("onetime", "onetime"),
        ("getPaymentByImpUid", "getPaymentByImpUid"),
        ("again", "billing key"),
        ("again", "charge"),
        ("again", "subscription"),
        ("onetime", "charge"),
        ("schedule", "subscription"),
        ("customerSave", "billing key"),
        ("cancelPayment", "refund"),
    ] {
        assert!(aliases(id).iter().any(|a| a == alias), "{id}: {alias}");
    }
    let seed_types = [
        "ChargeCardRequest",
        "ChargeBillingKeyRequest",
        "SchedulePaymentsRequest",
        "Schedule",
        "IssueBillingKeyRequest",
        "BillingKey",
        "Payment",
        "PaymentCancel",
        "CancelPaymentRequest",
        "ScheduleResult",
    ];
    for name in seed_types {
        let Some(TypeDef::Struct { fields, .. }) = m.types.get(name) else {
            panic!("{name} is a struct")
        };
        for f in fields {
            let doc = f.doc.as_deref().unwrap_or("");
            let first = doc.split("\n\n").next().unwrap();
            assert!(
                !first.is_empty() && first.is_ascii(),
                "{name}.{}: the doc must open with an English sentence: {doc}",
                f.wire
            );
        }
    }
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/iamport.json"
    ))
    .unwrap();
    let table = iamport_codegen::generate(&json, iamport_codegen::Target::UserCrate)
        .unwrap()
        .operations_table;
    assert!(
        table.contains(
            "| [`charge_billing_key`](crate::Client::charge_billing_key) | `again` | `POST /subscribe/payments/again` | Charges a stored billing key"
        ),
        "{table}"
    );
    assert_eq!(
        table.matches("](crate::Client::").count(),
        m.operations.len()
    );
}

/// The spec declares what a server really sends: every 200 envelope allows
/// `response: null` (a refusal with a non-zero `code`), and every operation declares the
/// 400/401/404 error envelopes.
#[test]
fn refusals_and_error_envelopes_are_declared() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/iamport.json"
    ))
    .unwrap();
    let spec: serde_json::Value = serde_json::from_str(&json).unwrap();
    let schema = |reference: &str| {
        let name = reference.rsplit('/').next().unwrap();
        spec["components"]["schemas"][name].clone()
    };
    let mut operations = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            operations += 1;
            let responses = &op["responses"];
            for status in ["400", "401", "404"] {
                assert!(
                    responses[status]["$ref"].is_string(),
                    "{method} {path}: {status} is not declared"
                );
            }
            let envelope = responses["200"]["content"]["application/json"]["schema"]["$ref"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path}: 200 is not an envelope `$ref`"));
            let response = &schema(envelope)["properties"]["response"];
            assert_eq!(
                response["nullable"],
                serde_json::json!(true),
                "{method} {path}: `response` must be nullable"
            );
        }
    }
    assert_eq!(operations, model().operations.len());
    let error = schema("#/components/schemas/ErrorResponse");
    assert_eq!(
        error["properties"]["response"]["nullable"],
        serde_json::json!(true)
    );
}

/// A payment issued for the buyer to complete later is its own kind (its success is `ready`, not a
/// decline), and an envelope without `response` returns free-form JSON.
#[test]
fn ready_payments_and_envelopes_without_response() {
    let doc = serde_json::json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/vbanks": {"post": {
            "operationId": "createVbank", "x-rust-name": "issue_vbank", "x-iamport-payment": "ready",
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object", "required": ["code"],
                "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}
            }}}}}
        }}}
    });
    let model = iamport_codegen::generate(&doc.to_string(), iamport_codegen::Target::UserCrate)
        .expect("the document builds")
        .model;
    assert_eq!(model.operations[0].kind, Kind::Ready);
    assert_eq!(model.operations[0].returns, Ty::Json);
}
