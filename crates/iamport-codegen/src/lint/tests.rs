//! The lint's unit tests.
use super::*;
use serde_json::json;

fn doc_with_schema(schema: Value) -> Value {
    json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
           "components": {"schemas": {"Thing": schema}}})
}

#[test]
fn reports_typos_with_pointers_and_hints() {
    let errors = lint(&doc_with_schema(
        json!({"type": "object", "requried": ["a"],
        "properties": {"a": {"type": "integr"}, "b": {"type": "string", "maxLength": "40"}}}),
    ));
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert!(text.contains(&"#/components/schemas/Thing/requried: unknown schema keyword `requried` (did you mean `required`?)".to_string()), "{text:#?}");
    assert!(text.iter().any(|t| t.starts_with("#/components/schemas/Thing/properties/a/type: unknown type `integr` (did you mean `integer`?)")), "{text:#?}");
    assert!(
        text.iter().any(|t| t.starts_with(
            "#/components/schemas/Thing/properties/b/maxLength: `maxLength` must be a number"
        )),
        "{text:#?}"
    );
    assert_eq!(errors.len(), 3);
}

#[test]
fn required_must_name_a_property_and_refs_must_resolve() {
    let errors = lint(&doc_with_schema(
        json!({"type": "object", "required": ["nope"],
        "properties": {"a": {"$ref": "#/components/schemas/Missing"}}}),
    ));
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert_eq!(
        errors[0].pointer,
        "#/components/schemas/Thing/properties/a/$ref"
    );
    assert_eq!(errors[1].pointer, "#/components/schemas/Thing/required/0");
}

#[test]
fn rejects_other_versions() {
    assert!(
        lint(&json!({"swagger": "2.0"}))[0]
            .message
            .contains("Swagger 2.0")
    );
    assert!(
        lint(&json!({"openapi": "3.1.0", "paths": {}}))[0]
            .message
            .contains("OpenAPI 3.1.0 is not supported")
    );
}

#[test]
fn extensions_and_unions_are_checked() {
    let op = |extra: Value| {
        let mut op = json!({"operationId": "a", "x-rust-name": "a", "responses": {"200": {"description": "ok"}}});
        op.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
               "paths": {"/a": {"get": op}}})
    };
    let text = |doc: &Value| -> Vec<String> { lint(doc).iter().map(ToString::to_string).collect() };
    let bad = text(&op(json!({"x-iamport-not-found-on-refusal": "yes",
                              "x-doc-aliases": ["billing key", " charge"]})));
    assert!(
        bad.contains(
            &"#/paths/~1a/get/x-iamport-not-found-on-refusal: must be a boolean".to_string()
        ),
        "{bad:#?}"
    );
    assert!(
        bad.iter()
            .any(|t| t.starts_with("#/paths/~1a/get/x-doc-aliases: must be an array")),
        "{bad:#?}"
    );
    let good = text(&op(json!({"x-iamport-not-found-on-refusal": true,
                               "x-doc-aliases": ["billing key", "charge"]})));
    assert!(good.is_empty(), "{good:#?}");
    // `anyOf` and a one-alternative `oneOf` take `$ref`s only; `allOf` is refused.
    let union = text(&doc_with_schema(json!({"anyOf": [{"type": "string"}]})));
    assert!(
        union
            .iter()
            .any(|t| t.contains("/anyOf/0: `anyOf` alternatives must be `$ref`s")),
        "{union:#?}"
    );
    let all_of = text(&doc_with_schema(json!({"allOf": [{"type": "string"}]})));
    assert!(
        all_of
            .iter()
            .any(|t| t.contains("`allOf` is not supported")),
        "{all_of:#?}"
    );
}

/// Length limits and patterns on an enum or a number, and a body on GET or DELETE, are refused
/// with a message that says what to do.
#[test]
fn misplaced_string_rules_and_bodies_are_refused() {
    let text = |doc: &Value| -> Vec<String> { lint(doc).iter().map(ToString::to_string).collect() };
    let enum_limit = text(&doc_with_schema(
        json!({"type": "string", "enum": ["Y", "N"], "maxLength": 1}),
    ));
    assert!(
        enum_limit
            .iter()
            .any(|t| t.contains("`maxLength` on an enum is not supported")),
        "{enum_limit:#?}"
    );
    let number_limit = text(&doc_with_schema(json!({"type": "integer", "maxLength": 3})));
    assert!(
        number_limit
            .iter()
            .any(|t| t.contains("`maxLength` applies to strings, not to `type: integer`")),
        "{number_limit:#?}"
    );
    let body = json!({"content": {"application/json": {"schema": {"type": "object", "properties": {"a": {"type": "string"}}}}}});
    let get = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"operationId": "a", "x-rust-name": "a", "requestBody": body, "responses": {"200": {"description": "ok"}}}}}});
    let refused = text(&get);
    assert!(
        refused.iter().any(|t| t
            .starts_with("#/paths/~1a/get/requestBody: a request body on `get` is not supported")),
        "{refused:#?}"
    );
}
