//! The page: filters applied to a [`DashboardData`], times formatted, rendered by askama from
//! `templates/dashboard.html` (HTML auto-escaping on: every value is escaped).

use askama::Template;

use super::snapshot::{
    BillingKeyView, CancelView, DashboardData, FaultView, PaymentView, RequestView, ScheduleView,
    WebhookView,
};

/// What the query string asks for: `status`, `q` and `payment` (the detail view).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Query {
    /// `paid`, `failed`, `cancelled`, `partially_cancelled`, or empty for all.
    pub status: String,
    /// A part of a `merchant_uid`, `customer_uid` or `imp_uid`, or empty.
    pub q: String,
    /// The `imp_uid` whose details are shown.
    pub payment: String,
}

impl Query {
    /// Reads `status`, `q` and `payment` from a query string (other names are ignored).
    pub(crate) fn parse(query: Option<&str>) -> Self {
        let mut out = Query::default();
        for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
            let value: String = value.trim().chars().take(200).collect();
            match name.as_ref() {
                "status" => out.status = value,
                "q" => out.q = value,
                "payment" => out.payment = value,
                _ => {}
            }
        }
        out
    }

    fn matches(&self, ids: &[Option<&str>]) -> bool {
        if self.q.is_empty() {
            return true;
        }
        let needle = self.q.to_lowercase();
        ids.iter()
            .flatten()
            .any(|id| id.to_lowercase().contains(&needle))
    }
}

/// The status filter's choices: (value, label).
pub(crate) const STATUS_CHOICES: &[(&str, &str)] = &[
    ("", "all statuses"),
    ("paid", "paid"),
    ("failed", "failed"),
    ("cancelled", "cancelled"),
    ("partially_cancelled", "partially cancelled"),
];

/// A moment, formatted in UTC and relative to the sandbox clock.
#[derive(Debug, Clone, Default)]
pub(crate) struct Stamp {
    /// Whether the moment happened (i'mport sends 0 for "never").
    pub set: bool,
    /// `2026-11-25 07:31:02`.
    pub utc: String,
    /// `2026-11-25T07:31:02Z`, for `<time datetime>`.
    pub iso: String,
    /// `3 min ago`, `in 1 h`, by the sandbox clock.
    pub relative: String,
}

impl Stamp {
    fn new(unix: i64, now: i64) -> Self {
        if unix <= 0 {
            return Stamp::default();
        }
        let (utc, iso) = match time::OffsetDateTime::from_unix_timestamp(unix) {
            Ok(t) => (
                t.format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute]:[second]"
                ))
                .unwrap_or_else(|_| unix.to_string()),
                t.format(time::macros::format_description!(
                    "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
                ))
                .unwrap_or_default(),
            ),
            Err(_) => (format!("unix {unix}"), String::new()),
        };
        Stamp {
            set: true,
            utc,
            iso,
            relative: relative(now.saturating_sub(unix)),
        }
    }
}

/// `3 min ago` for positive `seconds_ago`, `in 1 h` for negative, `now` within a second.
fn relative(seconds_ago: i64) -> String {
    let magnitude = seconds_ago.unsigned_abs();
    let span = match magnitude {
        0 => return "now".to_owned(),
        1..60 => format!("{magnitude} s"),
        60..3600 => format!("{} min", magnitude / 60),
        3600..86_400 => format!("{} h {} min", magnitude / 3600, magnitude % 3600 / 60),
        _ => format!("{} d {} h", magnitude / 86_400, magnitude % 86_400 / 3600),
    };
    if seconds_ago > 0 {
        format!("{span} ago")
    } else {
        format!("in {span}")
    }
}

/// A payment with its times formatted.
pub(crate) struct PaymentRow<'a> {
    pub p: &'a PaymentView,
    /// The moment of its current state (cancelled, failed, paid or started).
    pub when: Stamp,
    pub started: Stamp,
    pub paid: Stamp,
    pub failed: Stamp,
    pub cancelled: Stamp,
    pub cancels: Vec<(&'a CancelView, Stamp)>,
}

/// A billing key and the payments made with it.
pub(crate) struct KeyRow<'a> {
    pub k: &'a BillingKeyView,
    pub inserted: Stamp,
    pub payments: Vec<&'a PaymentView>,
}

/// A schedule with its times formatted.
pub(crate) struct ScheduleRow<'a> {
    pub s: &'a ScheduleView,
    pub at: Stamp,
    pub executed: Stamp,
    pub revoked: Stamp,
}

/// A request with its time formatted.
pub(crate) struct RequestRow<'a> {
    pub r: &'a RequestView,
    pub at: Stamp,
}

/// The whole page.
#[derive(Template)]
#[template(path = "dashboard.html")]
pub(crate) struct Page<'a> {
    pub prefix: &'static str,
    pub query: &'a Query,
    pub now: Stamp,
    pub offset: i64,
    pub payment_total: usize,
    pub payments: Vec<PaymentRow<'a>>,
    pub detail: Option<PaymentRow<'a>>,
    pub detail_missing: bool,
    pub detail_webhooks: Vec<&'a WebhookView>,
    pub keys: Vec<KeyRow<'a>>,
    pub schedules: Vec<ScheduleRow<'a>>,
    pub webhooks: Vec<&'a WebhookView>,
    pub requests: Option<Vec<RequestRow<'a>>>,
    pub faults: &'a [FaultView],
    pub operations: Vec<&'static str>,
    pub status_choices: &'static [(&'static str, &'static str)],
}

/// At most this many rows of the request log are shown.
const REQUEST_ROWS: usize = 200;

impl<'a> Page<'a> {
    /// Applies `query` to `data`.
    pub(crate) fn new(data: &'a DashboardData, query: &'a Query, prefix: &'static str) -> Self {
        let now = data.now;
        let row = |p: &'a PaymentView| PaymentRow {
            p,
            when: Stamp::new(
                [p.cancelled_at, p.failed_at, p.paid_at, p.started_at]
                    .into_iter()
                    .find(|t| *t > 0)
                    .unwrap_or(0),
                now,
            ),
            started: Stamp::new(p.started_at, now),
            paid: Stamp::new(p.paid_at, now),
            failed: Stamp::new(p.failed_at, now),
            cancelled: Stamp::new(p.cancelled_at, now),
            cancels: p
                .cancel_history
                .iter()
                .map(|c| (c, Stamp::new(c.cancelled_at, now)))
                .collect(),
        };
        let payments = data
            .payments
            .iter()
            .filter(|p| query.status.is_empty() || p.status.key() == query.status)
            .filter(|p| {
                query.matches(&[
                    Some(&p.merchant_uid),
                    p.customer_uid.as_deref(),
                    Some(&p.imp_uid),
                ])
            })
            .map(row)
            .collect();
        let detail = (!query.payment.is_empty())
            .then(|| data.payments.iter().find(|p| p.imp_uid == query.payment))
            .flatten();
        let detail_webhooks = detail
            .map(|d| {
                data.webhooks
                    .iter()
                    .filter(|w| w.imp_uid == d.imp_uid)
                    .collect()
            })
            .unwrap_or_default();
        let keys = data
            .billing_keys
            .iter()
            .filter(|k| query.matches(&[Some(&k.customer_uid)]))
            .map(|k| KeyRow {
                k,
                inserted: Stamp::new(k.inserted, now),
                payments: data
                    .payments
                    .iter()
                    .filter(|p| p.customer_uid.as_deref() == Some(k.customer_uid.as_str()))
                    .collect(),
            })
            .collect();
        let schedules = data
            .schedules
            .iter()
            .filter(|s| query.matches(&[Some(&s.merchant_uid), Some(&s.customer_uid)]))
            .map(|s| ScheduleRow {
                s,
                at: Stamp::new(s.schedule_at, now),
                executed: Stamp::new(s.executed_at, now),
                revoked: Stamp::new(s.revoked_at, now),
            })
            .collect();
        let webhooks = data
            .webhooks
            .iter()
            .filter(|w| query.matches(&[Some(&w.merchant_uid), Some(&w.imp_uid)]))
            .collect();
        let requests = data.requests.as_ref().map(|list| {
            list.iter()
                .filter(|r| query.q.is_empty() || query.matches(&[r.merchant_uid.as_deref()]))
                .take(REQUEST_ROWS)
                .map(|r| RequestRow {
                    r,
                    at: Stamp::new(r.time, now),
                })
                .collect()
        });
        Page {
            prefix,
            query,
            now: Stamp::new(now, now),
            offset: data.offset,
            payment_total: data.payments.len(),
            payments,
            detail_missing: !query.payment.is_empty() && detail.is_none(),
            detail: detail.map(row),
            detail_webhooks,
            keys,
            schedules,
            webhooks,
            requests,
            faults: &data.faults,
            operations: iamport::operations::ALL
                .iter()
                .map(|o| o.operation_id)
                .collect(),
            status_choices: STATUS_CHOICES,
        }
    }

    /// Whether `value` is the status filter's current choice.
    pub(crate) fn selected(&self, value: &str) -> bool {
        self.query.status == value
    }

    /// The query string of the list with the current filters (`?status=...&q=...`).
    pub(crate) fn back_query(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !self.query.status.is_empty() {
            out.append_pair("status", &self.query.status);
        }
        if !self.query.q.is_empty() {
            out.append_pair("q", &self.query.q);
        }
        let out = out.finish();
        if out.is_empty() {
            out
        } else {
            format!("?{out}")
        }
    }

    /// How far the sandbox clock is ahead of the machine's clock, in words.
    pub(crate) fn offset_text(&self) -> String {
        if self.offset == 0 {
            "same as the machine's clock".to_owned()
        } else {
            let ahead = relative(self.offset);
            format!(
                "{} ahead of the machine's clock",
                ahead.trim_end_matches(" ago")
            )
        }
    }
}
