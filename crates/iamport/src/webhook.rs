//! i'mport (V1) webhooks: [`WebhookPayload`] and [`Client::verify_webhook`].
//!
//! i'mport POSTs `{imp_uid, merchant_uid, status}` (plus `cancellation_id` for cancellations) to
//! your URL as `application/json` or `application/x-www-form-urlencoded`, whichever the console
//! says. V1 webhooks are **not signed**: anyone can post one. Never act on the payload itself;
//! [`Client::verify_webhook`] fetches the payment from i'mport and you act on that. Duplicates and
//! late deliveries happen (Paymentwall may send `paid` for a payment first reported `failed`):
//! make the handler idempotent and answer HTTP 200.

use crate::client::Client;
use crate::error::Error;
use crate::types::{GetPaymentRequest, Payment, PaymentStatus};
use serde::{Deserialize, Serialize};

/// The body of an i'mport webhook. Unknown fields are ignored.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct WebhookPayload {
    /// i'mport's id of the payment.
    pub imp_uid: String,
    /// Your id of the order.
    pub merchant_uid: String,
    /// The status the webhook reports (`paid`, `failed`, `cancelled`, `ready`). Only a hint:
    /// the payment returned by [`Client::verify_webhook`] is what counts.
    pub status: PaymentStatus,
    /// The id of the cancellation, on cancellation webhooks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancellation_id: Option<String>,
}

fn invalid(reason: impl Into<String>) -> Error {
    Error::InvalidWebhook {
        reason: reason.into(),
    }
}

impl WebhookPayload {
    /// Parses a body given its `Content-Type` header: `application/json` or
    /// `application/x-www-form-urlencoded` (parameters such as `; charset=utf-8` are ignored).
    /// Without a content type, a body starting with `{` is read as JSON and any other as a form.
    pub fn parse(content_type: Option<&str>, body: &[u8]) -> Result<Self, Error> {
        let essence = content_type.map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
        match essence.as_deref() {
            Some("application/json") => Self::from_json(body),
            Some("application/x-www-form-urlencoded") => Self::from_form(body),
            Some(other) => Err(invalid(format!("unsupported content type `{other}`"))),
            None if body.trim_ascii_start().starts_with(b"{") => Self::from_json(body),
            None => Self::from_form(body),
        }
    }

    /// Parses a JSON body.
    pub fn from_json(body: &[u8]) -> Result<Self, Error> {
        let payload: WebhookPayload =
            serde_json::from_slice(body).map_err(|e| invalid(crate::redact::serde_reason(&e)))?;
        payload.checked()
    }

    /// Parses an `application/x-www-form-urlencoded` body.
    pub fn from_form(body: &[u8]) -> Result<Self, Error> {
        let mut map = serde_json::Map::new();
        for (key, value) in form_urlencoded::parse(body) {
            if map
                .insert(key.clone().into_owned(), value.into_owned().into())
                .is_some()
            {
                return Err(invalid(format!("field `{key}` appears twice")));
            }
        }
        let payload: WebhookPayload = serde_json::from_value(map.into())
            .map_err(|e| invalid(crate::redact::serde_reason(&e)))?;
        payload.checked()
    }

    fn checked(self) -> Result<Self, Error> {
        if self.imp_uid.is_empty() {
            return Err(invalid("`imp_uid` is empty"));
        }
        if self.merchant_uid.is_empty() {
            return Err(invalid("`merchant_uid` is empty"));
        }
        Ok(self)
    }
}

impl Client {
    /// Verifies an (unsigned) webhook by looking its payment up with
    /// [`get_payment`](crate::Client::get_payment) and checking that the
    /// payment's `merchant_uid` is the webhook's. Returns the payment as i'mport holds it: act on
    /// **its** `status` and `amount` (compare the amount with your order), not on the webhook's.
    ///
    /// Errors: [`Error::NotFound`] when i'mport has no such payment (a forged webhook, or a
    /// test-channel payment, which i'mport hides unless asked with `include_sandbox`),
    /// [`Error::WebhookMismatch`] when the `merchant_uid`s differ, or any error of the look-up.
    pub fn verify_webhook(&self, payload: &WebhookPayload) -> Result<Payment, Error> {
        let request = GetPaymentRequest::new(payload.imp_uid.clone());
        let payment = self.get_payment(&request)?;
        if payment.merchant_uid != payload.merchant_uid {
            return Err(Error::WebhookMismatch {
                imp_uid: payload.imp_uid.clone(),
                webhook_merchant_uid: payload.merchant_uid.clone(),
                payment_merchant_uid: payment.merchant_uid,
            });
        }
        Ok(payment)
    }
}
