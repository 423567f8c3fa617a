//! The one place where the dashboard reads the sandbox's state.
//!
//! Everything the page shows is copied here, under the locks, into the dashboard's own view
//! structs, so the page never sees the store's records. The views hold no card number, expiry,
//! birth, password digits, cvc, `imp_secret` or token: the store's full card number and expiry
//! and its tokens are never read, and the masked card number is the one i'mport answers.

use iamport::Amount;

use super::super::app::App;
use super::super::faults::{Fault, FaultRule};
use crate::support::lock;

/// A payment's status as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum PaymentStatus {
    /// Approved, nothing cancelled.
    Paid,
    /// Declined or refused by the PG.
    Failed,
    /// Cancelled in full.
    Cancelled,
    /// Approved, then part of the amount cancelled (i'mport keeps `status: "paid"`).
    PartiallyCancelled,
    /// Any other status, as the store holds it.
    Other(String),
}

impl PaymentStatus {
    fn of(status: &str, cancel_amount: Amount) -> Self {
        match status {
            "paid" if cancel_amount > Amount::ZERO => PaymentStatus::PartiallyCancelled,
            "paid" => PaymentStatus::Paid,
            "failed" => PaymentStatus::Failed,
            "cancelled" => PaymentStatus::Cancelled,
            other => PaymentStatus::Other(other.to_owned()),
        }
    }

    /// The words shown on the page (and in the `data-status` attribute).
    pub(crate) fn label(&self) -> &str {
        match self {
            PaymentStatus::Paid => "paid",
            PaymentStatus::Failed => "failed",
            PaymentStatus::Cancelled => "cancelled",
            PaymentStatus::PartiallyCancelled => "partially cancelled",
            PaymentStatus::Other(s) => s,
        }
    }

    /// The value of the status filter that selects it (`paid`, `partially_cancelled`, ...).
    pub(crate) fn key(&self) -> &str {
        match self {
            PaymentStatus::PartiallyCancelled => "partially_cancelled",
            other => other.label(),
        }
    }
}

/// One cancellation of a payment.
#[derive(Debug, Clone)]
pub(crate) struct CancelView {
    pub amount: Amount,
    pub cancelled_at: i64,
    pub reason: String,
    pub cancellation_id: String,
}

/// One payment attempt.
#[derive(Debug, Clone)]
pub(crate) struct PaymentView {
    pub imp_uid: String,
    pub merchant_uid: String,
    pub customer_uid: Option<String>,
    pub customer_uid_usage: Option<String>,
    pub status: PaymentStatus,
    pub name: Option<String>,
    pub amount: Amount,
    pub cancel_amount: Amount,
    pub currency: String,
    /// Masked as i'mport answers it (`424242******4242`).
    pub card_number: String,
    pub card_name: String,
    pub pg_provider: String,
    pub pg_id: String,
    pub pg_tid: String,
    pub apply_num: Option<String>,
    pub fail_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub buyer_name: Option<String>,
    pub buyer_email: Option<String>,
    pub started_at: i64,
    pub paid_at: i64,
    pub failed_at: i64,
    pub cancelled_at: i64,
    pub cancel_history: Vec<CancelView>,
}

/// One billing key (its card masked).
#[derive(Debug, Clone)]
pub(crate) struct BillingKeyView {
    pub customer_uid: String,
    pub card_number: String,
    pub card_name: String,
    pub pg_provider: String,
    pub customer_name: Option<String>,
    pub customer_email: Option<String>,
    pub inserted: i64,
}

/// One scheduled payment.
#[derive(Debug, Clone)]
pub(crate) struct ScheduleView {
    pub merchant_uid: String,
    pub customer_uid: String,
    pub name: String,
    pub amount: Amount,
    pub currency: String,
    pub schedule_at: i64,
    pub executed_at: i64,
    pub revoked_at: i64,
    pub schedule_status: String,
    pub payment_status: Option<String>,
    pub imp_uid: Option<String>,
    pub fail_reason: Option<String>,
}

/// One webhook and what became of it.
#[derive(Debug, Clone)]
pub(crate) struct WebhookView {
    pub url: String,
    pub imp_uid: String,
    pub merchant_uid: String,
    pub status: String,
    pub attempts: u32,
    pub delivered: bool,
    pub pending: bool,
    pub last_error: Option<String>,
}

/// One armed fault.
#[derive(Debug, Clone)]
pub(crate) struct FaultView {
    pub kind: String,
    pub operation: Option<String>,
    pub times: Option<u32>,
}

/// One served request (never a body, a header or a secret).
#[derive(Debug, Clone)]
pub(crate) struct RequestView {
    /// On the sandbox clock.
    pub time: i64,
    pub method: String,
    pub path: String,
    /// `None`: the connection was closed without an answer (the `drop` fault).
    pub status: Option<u16>,
    /// The envelope's `code` and `message`, when one was sent.
    pub code: Option<i64>,
    pub message: Option<String>,
    pub operation: Option<String>,
    pub merchant_uid: Option<String>,
}

/// Everything the page shows, copied at one moment.
#[derive(Debug, Clone, Default)]
pub(crate) struct DashboardData {
    /// The sandbox clock, unix seconds.
    pub now: i64,
    /// How far the sandbox clock is ahead of the machine's, in seconds.
    pub offset: i64,
    /// Newest first.
    pub payments: Vec<PaymentView>,
    /// Newest first.
    pub billing_keys: Vec<BillingKeyView>,
    /// Latest `schedule_at` first.
    pub schedules: Vec<ScheduleView>,
    /// Newest first.
    pub webhooks: Vec<WebhookView>,
    /// Newest first.
    pub requests: Vec<RequestView>,
    /// In the order they apply.
    pub faults: Vec<FaultView>,
}

/// A stored optional text as an owned one.
fn owned(text: &crate::state::store::Text) -> Option<String> {
    text.as_deref().map(str::to_owned)
}

/// Copies the sandbox's state into the dashboard's views.
pub(crate) fn snapshot(app: &App) -> DashboardData {
    let now = app.core.clock.now();
    let offset = app.core.clock.offset();
    let (payments, mut billing_keys, mut schedules) = {
        let store = lock(&app.core.store);
        let mut payments: Vec<(u64, PaymentView)> = store
            .payments()
            .map(|p| {
                (
                    p.seq,
                    PaymentView {
                        imp_uid: p.imp_uid(),
                        merchant_uid: p.merchant_uid.to_string(),
                        customer_uid: p.customer_uid.as_deref().map(str::to_owned),
                        customer_uid_usage: p
                            .customer_uid_usage
                            .as_ref()
                            .map(|u| u.as_str().to_owned()),
                        status: PaymentStatus::of(p.status.as_str(), p.cancel_amount),
                        name: owned(&p.name),
                        amount: p.amount,
                        cancel_amount: p.cancel_amount,
                        currency: p.currency.to_string(),
                        card_number: p.card_number.to_string(),
                        card_name: p.card_name.to_owned(),
                        pg_provider: p.channel.pg_provider.to_owned(),
                        pg_id: p.channel.pg_id.to_owned(),
                        pg_tid: p.pg_tid.to_string(),
                        apply_num: p.apply_num.map(|n| format!("{n:08}")),
                        fail_reason: owned(&p.fail_reason),
                        cancel_reason: owned(&p.cancel_reason),
                        buyer_name: owned(&p.buyer.name),
                        buyer_email: owned(&p.buyer.email),
                        started_at: p.started_at,
                        paid_at: p.paid_at,
                        failed_at: p.failed_at,
                        cancelled_at: p.cancelled_at,
                        cancel_history: p
                            .cancel_history
                            .iter()
                            .map(|c| CancelView {
                                amount: c.amount,
                                cancelled_at: c.cancelled_at,
                                reason: c.reason.to_string(),
                                cancellation_id: c.cancellation_id.to_string(),
                            })
                            .collect(),
                    },
                )
            })
            .collect();
        payments.sort_by_key(|(seq, _)| std::cmp::Reverse(*seq));
        let billing_keys: Vec<BillingKeyView> = store
            .customers
            .values()
            .map(|c| BillingKeyView {
                customer_uid: c.customer_uid.clone(),
                card_number: c.card_number.clone(),
                card_name: c.card_name.to_owned(),
                pg_provider: c.channel.pg_provider.to_owned(),
                customer_name: owned(&c.buyer.name),
                customer_email: owned(&c.buyer.email),
                inserted: c.inserted,
            })
            .collect();
        let schedules: Vec<(i64, u64, ScheduleView)> = store
            .schedules()
            .map(|s| {
                (
                    s.schedule_at,
                    s.seq,
                    ScheduleView {
                        merchant_uid: s.merchant_uid.clone(),
                        customer_uid: s.customer_uid.clone(),
                        name: s.name.clone(),
                        amount: s.amount,
                        currency: s.currency.clone(),
                        schedule_at: s.schedule_at,
                        executed_at: s.executed_at,
                        revoked_at: s.revoked_at,
                        schedule_status: s.schedule_status.as_str().to_owned(),
                        payment_status: s.payment_status.as_ref().map(|p| p.as_str().to_owned()),
                        imp_uid: s.imp_uid.clone(),
                        fail_reason: s.fail_reason.clone(),
                    },
                )
            })
            .collect();
        (
            payments.into_iter().map(|(_, p)| p).collect::<Vec<_>>(),
            billing_keys,
            schedules,
        )
    };
    billing_keys.sort_by(|a, b| {
        b.inserted
            .cmp(&a.inserted)
            .then_with(|| a.customer_uid.cmp(&b.customer_uid))
    });
    schedules.sort_by_key(|(at, seq, _)| std::cmp::Reverse((*at, *seq)));
    let faults = lock(&app.faults).rules().iter().map(fault_view).collect();
    let mut webhooks: Vec<WebhookView> = app
        .core
        .webhooks
        .deliveries()
        .into_iter()
        .map(|d| WebhookView {
            url: d.url,
            imp_uid: d.body.imp_uid,
            merchant_uid: d.body.merchant_uid,
            status: d.body.status,
            attempts: d.attempts,
            delivered: d.delivered,
            pending: d.pending,
            last_error: d.last_error,
        })
        .collect();
    webhooks.reverse();
    let (records, _) = app.requests.since(0);
    let requests = records
        .into_iter()
        .rev()
        .map(|r| RequestView {
            time: r.sandbox_time,
            method: r.method,
            path: r.path,
            status: r.status,
            code: r.code,
            message: r.message,
            operation: r.operation_id.map(str::to_owned),
            merchant_uid: r.merchant_uid,
        })
        .collect();
    DashboardData {
        now,
        offset,
        payments,
        billing_keys,
        schedules: schedules.into_iter().map(|(_, _, s)| s).collect(),
        webhooks,
        requests,
        faults,
    }
}

fn fault_view(rule: &FaultRule) -> FaultView {
    let kind = match rule.fault {
        Fault::Latency(d) => format!("latency {} ms", d.as_millis()),
        Fault::ServerError {
            status,
            after_processing: false,
        } => format!("HTTP {status} (request not processed)"),
        Fault::ServerError {
            status,
            after_processing: true,
        } => format!("HTTP {status} after processing"),
        Fault::DropConnection => "drop connection after processing".to_owned(),
    };
    FaultView {
        kind,
        operation: rule.operation.map(|op| op.operation_id.to_owned()),
        times: rule.times,
    }
}
