//! The PG's own verdict inside a `code: 0` answer, on the operations whose spec names a success
//! field (`x-iamport-success`, [`OperationSpec::success`]): PAYMENTWALL's delivery registration
//! answers `code: 0` both when PAYMENTWALL registered the delivery (`response.success == 1`) and
//! when it refused (`response.error_code` / `error` / `notices`).

use crate::decode::{self, Envelope};
use crate::error::Error;
use crate::runtime::OperationSpec;
use serde_json::Value;

/// `Ok` when `operation` names no success field, or the answer's `response` holds it with its
/// success value; else [`Error::PgRefused`] with the PG's code and message.
pub(super) fn check(operation: &'static OperationSpec, body: &[u8]) -> Result<(), Error> {
    let Some(success) = operation.success else {
        return Ok(());
    };
    let response: Value = decode::parse::<Envelope<Value>>(body)
        .ok()
        .and_then(|envelope| envelope.response)
        .unwrap_or(Value::Null);
    if response.get(success.field).and_then(Value::as_i64) == Some(success.value) {
        return Ok(());
    }
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    let notices = response
        .get("notices")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(text).collect::<Vec<_>>().join("; "))
        .filter(|n| !n.is_empty());
    let pg_message = response.get("error").and_then(text).or(notices);
    Err(Error::PgRefused {
        operation: operation.operation_id,
        pg_code: response.get("error_code").and_then(text),
        pg_message: pg_message.or_else(|| {
            Some(format!(
                "the answer has no `{}: {}`",
                success.field, success.value
            ))
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runtime::Request as _;
    use crate::types::RegisterPaymentwallDeliveryRequest;

    fn judge(body: &str) -> Result<(), Error> {
        check(
            RegisterPaymentwallDeliveryRequest::OPERATION,
            body.as_bytes(),
        )
    }

    #[test]
    fn success_one_is_ok_and_anything_else_is_refused() {
        assert!(judge(r#"{"code":0,"message":null,"response":{"success":1}}"#).is_ok());
        match judge(
            r#"{"code":0,"response":{"error_code":9000,"error":"Shipping address is required","notices":["a"]}}"#,
        ) {
            Err(Error::PgRefused {
                pg_code,
                pg_message,
                ..
            }) => {
                assert_eq!(pg_code.as_deref(), Some("9000"));
                assert_eq!(pg_message.as_deref(), Some("Shipping address is required"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            judge(r#"{"code":0,"response":{"success":0}}"#),
            Err(Error::PgRefused { .. })
        ));
        assert!(matches!(
            judge(r#"{"code":0,"response":null}"#),
            Err(Error::PgRefused { .. })
        ));
        // Operations without a success field are not looked at.
        assert!(check(crate::types::IssueTokenRequest::OPERATION, b"{}").is_ok());
    }
}
