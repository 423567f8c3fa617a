//! The project's spec through the generator: every operation of the subscription API becomes a
//! method, with the kind and auth the runtime relies on.

use iamport_codegen::model::{Kind, Ty, TypeDef};

fn model() -> iamport_codegen::model::Model {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/iamport.json"
    ))
    .unwrap();
    let api = iamport_codegen::parse(&json).expect("the spec passes the strict lint");
    iamport_codegen::model::build(&api).expect("the spec builds a model")
}

#[test]
fn every_operation_of_the_issue_is_generated() {
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
    ];
    for (method, path) in expected {
        assert!(
            got.contains(&(method.to_string(), path.to_string())),
            "missing {method} {path}"
        );
    }
    assert_eq!(got.len(), expected.len());
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
    // Reference §2: an unknown billing key / customer is an HTTP 200 refusal on these.
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
    assert!(
        matches!(m.types.get("BillingKey"), Some(TypeDef::OneOf { variants, .. }) if variants == &["Customer", "SuperBillingKey"])
    );
    // Card data is secret, money exact, timestamps typed; enums open only on the response side.
    let (_, fields) = op("onetime").request.clone().unwrap();
    let ty = |name: &str| fields.iter().find(|f| f.wire == name).unwrap().ty.clone();
    assert_eq!(ty("card_number"), Ty::Secret);
    assert_eq!(ty("cvc"), Ty::Secret);
    assert_eq!(ty("amount"), Ty::Amount);
    let card = fields.iter().find(|f| f.wire == "card_number").unwrap();
    assert_eq!(
        card.constraints.pattern.as_deref(),
        Some(r"^\d{4}-\d{4}-\d{4}-\d{4}$")
    );
    assert!(m.sides["PaymentStatus"].response && m.sides["PaymentStatus"].request);
    assert!(!m.sides["OnetimeRequestProductType"].response);
}

#[test]
fn the_generated_code_parses_and_is_deterministic() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../spec/iamport.json"
    ))
    .unwrap();
    let a = iamport_codegen::render(iamport_codegen::generate(&json).unwrap()).unwrap();
    let b = iamport_codegen::render(iamport_codegen::generate(&json).unwrap()).unwrap();
    assert_eq!(a, b);
    assert!(a.starts_with(iamport_codegen::PREAMBLE));
}

#[test]
fn several_problems_are_reported_at_once_with_pointers() {
    let bad = r##"{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{
        "/a":{"get":{"operationId":"a","responses":{"200":{"description":"ok","content":{"application/json":{"schema":{"$ref":"#/components/schemas/Nope"}}}}}}},
        "/b":{"get":{"operationId":"a","responses":{"200":{"description":"ok"}}}}},
        "components":{"schemas":{"T":{"type":"object","properties":{"n":{"type":"integer","maximum":"1000"}}}}}}"##;
    let err = iamport_codegen::generate(bad).unwrap_err();
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
