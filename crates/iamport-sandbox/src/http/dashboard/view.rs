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
    /// The newest of them.
    pub payments: Vec<&'a PaymentView>,
    /// How many older ones are not listed.
    pub more_payments: usize,
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
    /// How many payments match the filters (at most [`MAX_ROWS`] of them are listed).
    pub payment_matching: usize,
    pub max_rows: usize,
    pub payments: Vec<PaymentRow<'a>>,
    pub detail: Option<PaymentRow<'a>>,
    pub detail_missing: bool,
    pub detail_webhooks: Vec<&'a WebhookView>,
    pub keys: Vec<KeyRow<'a>>,
    pub schedules: Vec<ScheduleRow<'a>>,
    pub webhooks: Vec<&'a WebhookView>,
    pub requests: Vec<RequestRow<'a>>,
    pub faults: &'a [FaultView],
    pub operations: Vec<&'static str>,
    pub status_choices: &'static [(&'static str, &'static str)],
}

/// At most this many rows of each list (payments, schedules, webhooks, requests) are shown,
/// newest first, so that a long-running sandbox still answers a small page; filters reach the
/// older ones.
pub(crate) const MAX_ROWS: usize = 200;
/// At most this many payments are listed under one billing key.
const KEY_PAYMENTS: usize = 12;

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
        let matching: Vec<&PaymentView> = data
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
            .collect();
        let payment_matching = matching.len();
        let payments = matching.into_iter().take(MAX_ROWS).map(row).collect();
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
            .take(MAX_ROWS)
            .map(|k| {
                let mut payments = data
                    .payments
                    .iter()
                    .filter(|p| p.customer_uid.as_deref() == Some(k.customer_uid.as_str()));
                KeyRow {
                    k,
                    inserted: Stamp::new(k.inserted, now),
                    payments: payments.by_ref().take(KEY_PAYMENTS).collect(),
                    more_payments: payments.count(),
                }
            })
            .collect();
        let schedules = data
            .schedules
            .iter()
            .filter(|s| query.matches(&[Some(&s.merchant_uid), Some(&s.customer_uid)]))
            .take(MAX_ROWS)
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
            .take(MAX_ROWS)
            .collect();
        let requests = data
            .requests
            .iter()
            .filter(|r| query.matches(&[r.merchant_uid.as_deref(), Some(&r.path)]))
            .take(MAX_ROWS)
            .map(|r| RequestRow {
                r,
                at: Stamp::new(r.time, now),
            })
            .collect();
        Page {
            prefix,
            query,
            now: Stamp::new(now, now),
            offset: data.offset,
            payment_total: data.payments.len(),
            payment_matching,
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
            max_rows: MAX_ROWS,
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

#[cfg(test)]
mod tests {
    use super::super::snapshot::PaymentStatus;
    use super::*;

    fn payment(n: usize, status: &str) -> PaymentView {
        PaymentView {
            imp_uid: format!("imp_{n:012}"),
            merchant_uid: format!("m-{n}"),
            customer_uid: n.is_multiple_of(2).then(|| format!("c-{}", n % 4)),
            customer_uid_usage: None,
            status: match status {
                "failed" => PaymentStatus::Failed,
                _ => PaymentStatus::Paid,
            },
            name: None,
            amount: "1000".parse().expect("amount"),
            cancel_amount: iamport::Amount::ZERO,
            currency: "KRW".into(),
            card_number: "424242******4242".into(),
            card_name: "VISA".into(),
            pg_provider: "keyin".into(),
            pg_id: "mid".into(),
            pg_tid: "tid".into(),
            apply_num: None,
            fail_reason: None,
            cancel_reason: None,
            buyer_name: None,
            buyer_email: None,
            started_at: 1_700_000_000,
            paid_at: 1_700_000_000,
            failed_at: 0,
            cancelled_at: 0,
            cancel_history: Vec::new(),
        }
    }

    #[test]
    fn relative_times_read_naturally() {
        assert_eq!(relative(0), "now");
        assert_eq!(relative(59), "59 s ago");
        assert_eq!(relative(-3600), "in 1 h 0 min");
        assert_eq!(relative(3 * 86_400 + 7200), "3 d 2 h ago");
        assert_eq!(relative(i64::MIN), relative(i64::MIN)); // no overflow
        let stamp = Stamp::new(1_624_322_656, 1_624_322_656 + 120);
        assert_eq!(stamp.utc, "2021-06-22 00:44:16");
        assert_eq!(stamp.iso, "2021-06-22T00:44:16Z");
        assert_eq!(stamp.relative, "2 min ago");
        assert!(!Stamp::new(0, 5).set);
        assert_eq!(Stamp::new(i64::MAX, 0).utc, format!("unix {}", i64::MAX));
    }

    #[test]
    fn the_query_string_selects_filters() {
        let q = Query::parse(Some("status=failed&q=+cust%2D1+&payment=imp_1&other=x"));
        assert_eq!(
            q,
            Query {
                status: "failed".into(),
                q: "cust-1".into(),
                payment: "imp_1".into()
            }
        );
        assert_eq!(Query::parse(None), Query::default());
        assert!(q.matches(&[None, Some("CUST-12")]));
        assert!(!q.matches(&[Some("m-1"), None]));
    }

    #[test]
    fn long_lists_are_cut_to_the_newest_rows_with_a_note() {
        let data = DashboardData {
            now: 1_700_000_100,
            payments: (0..MAX_ROWS + 50)
                .rev()
                .map(|n| {
                    payment(
                        n,
                        if n.is_multiple_of(10) {
                            "failed"
                        } else {
                            "paid"
                        },
                    )
                })
                .collect(),
            ..DashboardData::default()
        };
        let query = Query::default();
        let page = Page::new(&data, &query, "/__sandbox/");
        assert_eq!(page.payments.len(), MAX_ROWS);
        assert_eq!(page.payment_matching, MAX_ROWS + 50);
        assert_eq!(
            page.payments[0].p.merchant_uid,
            format!("m-{}", MAX_ROWS + 49)
        );
        let html = page.render().expect("render");
        assert!(html.contains(&format!(
            "Showing the newest {MAX_ROWS} of the {} matching",
            MAX_ROWS + 50
        )));
        let failed = Query::parse(Some("status=failed"));
        let page = Page::new(&data, &failed, "/__sandbox/");
        assert_eq!(page.payments.len(), (MAX_ROWS + 50) / 10);
        assert!(
            page.payments
                .iter()
                .all(|r| r.p.status == PaymentStatus::Failed)
        );
        assert!(
            !page
                .render()
                .expect("render")
                .contains("Showing the newest")
        );
    }
}
