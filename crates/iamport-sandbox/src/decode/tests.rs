//! Decoding tests: bracket forms, coercion, limits, and one linear pass.

use serde_json::Value;

use super::coerce::{PASSES, VISITS};
use super::*;
use serde::Deserialize;

#[derive(Debug, Deserialize, PartialEq)]
struct Item {
    merchant_uid: String,
    schedule_at: i64,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Req {
    customer_uid: String,
    flag: Option<bool>,
    count: Option<i64>,
    ids: Option<Vec<String>>,
    schedules: Vec<Item>,
}

#[test]
fn form_with_brackets_and_strings_decodes() {
    let body = b"customer_uid=c1&flag=true&count=3&ids=a&schedules[0][merchant_uid]=m1&schedules[0][schedule_at]=100&schedules[1][merchant_uid]=m2&schedules[1][schedule_at]=200";
    let map = parse_form(body).unwrap();
    let req: Req = decode(Value::Object(map)).unwrap();
    assert_eq!(req.count, Some(3));
    assert_eq!(req.flag, Some(true));
    assert_eq!(req.ids, Some(vec!["a".to_owned()]));
    assert_eq!(
        req.schedules[1],
        Item {
            merchant_uid: "m2".into(),
            schedule_at: 200
        }
    );
}

#[test]
fn errors_name_the_field_without_the_value() {
    let map =
        parse_form(b"customer_uid=c1&schedules[0][merchant_uid]=m1&schedules[0][schedule_at]=soon")
            .unwrap();
    let err = decode::<Req>(Value::Object(map)).unwrap_err();
    assert!(err.0.contains("schedules[0].schedule_at"), "{}", err.0);
    assert!(!err.0.contains("soon"));
    let err = decode::<Req>(serde_json::json!({"schedules": []})).unwrap_err();
    assert_eq!(err.0, "missing required parameter `customer_uid`");
}

#[test]
fn numbers_become_strings_and_arrays_repeat() {
    let req: Req =
        decode(serde_json::json!({"customer_uid": 42, "schedules": [], "ids": ["x", "y"]}))
            .unwrap();
    assert_eq!(req.customer_uid, "42");
    let map = parse_query(Some("ids[]=a&ids[]=b&customer_uid=c&schedules[]=")).unwrap();
    assert_eq!(map["ids"], serde_json::json!(["a", "b"]));
}

#[test]
fn hostile_forms_are_refused() {
    assert!(parse_form(b"a[99999999]=1").is_err());
    assert!(parse_form(b"a[b][c][d][e][f]=1").is_err());
    assert!(parse_form(b"a[b=1").is_err());
    assert!(parse_body(Some("application/json"), b"{\"a\":").is_err());
    assert!(parse_body(Some("application/json"), b"[1,2]").is_err());
}

#[derive(Debug, Deserialize)]
struct Many {
    ids: Vec<i64>,
    flags: Vec<bool>,
}

#[test]
fn form_coercion_is_one_linear_pass() {
    let n = 8000;
    // The form parser caps `a[]` keys at MAX_FORM_INDEX values; build the shape it
    // produces (arrays of strings) directly, so the decoder sees 8,000-element arrays.
    let value = serde_json::json!({
        "ids": (0..n).map(|i| i.to_string()).collect::<Vec<_>>(),
        "flags": (0..n).map(|i| (i % 2 == 0).to_string()).collect::<Vec<_>>(),
    });
    PASSES.with(|p| p.set(0));
    VISITS.with(|v| v.set(0));
    let many: Many = decode(value).unwrap();
    assert_eq!(many.ids.len(), n);
    assert_eq!(many.ids[7999], 7999);
    assert!(many.flags[0] && !many.flags[1]);
    assert_eq!(PASSES.with(|p| p.get()), 1, "one decode pass");
    // Every coerced value is visited once: 2 × 8,000 elements (+ the two arrays).
    let visits = VISITS.with(|v| v.get());
    assert!(
        visits <= 2 * n + 2,
        "{visits} nodes visited for {} values",
        2 * n
    );
}
