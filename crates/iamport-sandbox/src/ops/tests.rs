//! The store under load: look-ups and duplicate checks touch O(1) records, records stay lean.

use iamport::Amount;
use iamport::types::{PaymentCustomerUidUsage, ScheduleStatus};

use super::charges::{Charge, record_charge};
use super::rules::buyer_of;
use crate::state::channels::KEYIN;
use crate::state::store::DUPLICATE_PAID;
use crate::state::store::{Buyer, PaymentRec, ScheduleRec, Store};

/// A typical `again` charge, as the client sends it.
fn charge(i: usize) -> Charge {
    Charge {
        merchant_uid: format!("order-2026-11-{i:08}"),
        amount: Amount::from(9_900),
        currency: "KRW".into(),
        name: Some("Monthly plan".into()),
        buyer: buyer_of([
            &Some("Hong Gildong".into()),
            &Some("hong@example.com".into()),
            &Some("010-1234-5678".into()),
            &None,
            &None,
        ]),
        custom_data: None,
        notice_url: None,
        card_quota: 0,
        channel: KEYIN,
        card_number: "4242-4242-4242-4242".into(),
        expiry: "2039-12".into(),
        customer_uid: Some(format!("customer-{}", i % 1000)),
        usage: Some(PaymentCustomerUidUsage::Payment),
        prior_approved: Some(1),
        user_agent: Some("iamport-rust/0.1.0 (ureq)".into()),
        refused: None,
    }
}

fn schedule(i: usize, at: i64) -> ScheduleRec {
    ScheduleRec {
        seq: i as u64,
        customer_uid: format!("customer-{}", i % 1000),
        customer_id: None,
        merchant_uid: format!("sched-{i}"),
        schedule_at: at,
        executed_at: 0,
        revoked_at: 0,
        amount: Amount::from(9_900),
        currency: "KRW".into(),
        name: "Monthly plan".into(),
        buyer: Buyer::default(),
        custom_data: None,
        notice_url: None,
        card_quota: 0,
        schedule_status: ScheduleStatus::Scheduled,
        payment_status: None,
        fail_reason: None,
        imp_uid: None,
        channel: KEYIN,
        promotion_id: None,
    }
}

const NOW: i64 = 1_800_000_000;

fn filled(payments: usize, schedules: usize) -> Store {
    let mut store = Store::new();
    for i in 0..payments {
        record_charge(&mut store, charge(i), NOW);
    }
    for i in 0..schedules {
        store.insert_schedule(schedule(i, NOW + 3600 + i as i64));
    }
    store
}

/// The records touched by one round of look-ups and duplicate checks.
fn examined_by_checks(store: &mut Store, n: usize, schedules: usize) -> u64 {
    let before = store.records_examined();
    let known = format!("order-2026-11-{:08}", n / 2);
    assert_eq!(store.merchant_uid_taken(&known), Some(DUPLICATE_PAID));
    assert_eq!(store.merchant_uid_taken("order-new"), None);
    let index = store.payment_indices_by_merchant_uid(&known)[0];
    let imp_uid = store.payment(index).imp_uid();
    assert_eq!(
        store.payment_by_imp_uid(&imp_uid).map(|p| &*p.merchant_uid),
        Some(known.as_str())
    );
    assert!(store.payment_by_imp_uid("imp_000000000001").is_none());
    assert!(store.reserve(&known).is_err());
    assert!(store.reserve("order-new").is_ok());
    store.release("order-new");
    let mid = format!("sched-{}", schedules / 2);
    assert!(store.schedule_pending(&mid));
    assert!(!store.schedule_pending("sched-none"));
    assert!(store.due_schedule_indices(NOW).is_empty());
    assert_eq!(
        store.schedule_indices_between(NOW + 3600, NOW + 3602).len(),
        2
    );
    store.records_examined() - before
}

/// The cost of a look-up or duplicate check does not grow with the store.
#[test]
fn lookups_and_duplicate_checks_touch_o1_records() {
    let mut small = filled(10, 10);
    let mut large = filled(100_000, 10_000);
    let few = examined_by_checks(&mut small, 10, 10);
    let many = examined_by_checks(&mut large, 100_000, 10_000);
    assert_eq!(
        few, many,
        "the same records are touched with 10 or 100k payments"
    );
    assert!(many <= 12, "{many} records touched");
    // The per-customer list is proportional to that customer's payments only.
    let before = large.records_examined();
    assert_eq!(large.payment_indices_by_customer("customer-7").len(), 100);
    assert_eq!(large.records_examined() - before, 100);
}

fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

const RSS_CHILD: &str = "IAMPORT_SANDBOX_RSS_CHILD";

/// Run alone in a child process by [`rss_per_stored_payment_is_under_1_5_kib`].
#[test]
#[ignore = "run by rss_per_stored_payment_is_under_1_5_kib in a process of its own"]
fn rss_child() {
    if std::env::var_os(RSS_CHILD).is_none() {
        return;
    }
    let mut store = Store::new();
    record_charge(&mut store, charge(usize::MAX), NOW);
    let before = rss_kib().expect("VmRSS");
    for i in 0..100_000 {
        record_charge(&mut store, charge(i), NOW);
    }
    let after = rss_kib().expect("VmRSS");
    println!(
        "rss_per_payment_bytes={} size_of_record={}",
        (after.saturating_sub(before) * 1024) / 100_000,
        std::mem::size_of::<PaymentRec>()
    );
    drop(store);
}

/// RSS per stored payment (record and index entries) under 1.5 KiB, measured in a
/// process of its own over 100k typical `again` payments.
#[test]
#[cfg(target_os = "linux")]
fn rss_per_stored_payment_is_under_1_5_kib() {
    let exe = std::env::current_exe().expect("test binary");
    let out = std::process::Command::new(exe)
        .args([
            "--exact",
            "ops::tests::rss_child",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(RSS_CHILD, "1")
        .output()
        .expect("child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let per_payment: u64 = stdout
        .split_whitespace()
        .find_map(|w| w.strip_prefix("rss_per_payment_bytes="))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no measurement in: {stdout}"));
    println!("{stdout}");
    assert!(per_payment > 100, "implausible: {per_payment} bytes");
    assert!(
        per_payment < 1536,
        "{per_payment} bytes of RSS per stored payment"
    );
}
