//! Schedules executed by the sandbox clock, webhooks and their retries, failed schedules.

use super::*;

#[test]
fn schedules_run_when_the_clock_advances_and_send_webhooks() {
    let (hook, hook_url) = hook();
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("s-0", "4242-4242-4242-4242");
    req.customer_uid = Some("sched".into());
    client.charge_card(&req).expect("key");

    let now = sandbox.now();
    let mut first = schedule_item("s-1", now + 3600);
    first.notice_url = Some(hook_url.clone());
    let scheduled = client
        .schedule_payments(&SchedulePaymentsRequest::new(
            "sched",
            vec![first, schedule_item("s-2", now + 7200)],
        ))
        .expect("schedule");
    assert_eq!(scheduled.len(), 2);
    assert!(
        scheduled
            .iter()
            .all(|s| s.payment_status.is_none() && s.imp_uid.is_none())
    );

    let range = client
        .list_schedules(&ListSchedulesRequest::new(
            Timestamp(now),
            Timestamp(now + 86_400),
        ))
        .expect("range");
    assert_eq!(range.total, Some(2));

    let moved = client
        .update_schedule(&UpdateScheduleRequest {
            merchant_uid: "s-2".into(),
            schedule_at: Timestamp(now + 9000),
        })
        .expect("PUT");
    assert_eq!(moved.schedule_at, Some(Timestamp(now + 9000)));

    // Nothing runs before its time.
    assert!(
        sandbox
            .advance_clock(Duration::from_secs(60))
            .expect("advance")
            .is_empty()
    );
    let executed = sandbox
        .advance_clock(Duration::from_secs(3600))
        .expect("advance");
    assert_eq!(executed.len(), 1);
    let s1 = client
        .get_schedule(&GetScheduleRequest {
            merchant_uid: "s-1".into(),
        })
        .expect("s-1");
    assert!(matches!(
        s1.payment_status,
        Some(types::ScheduleResultPaymentStatus::Paid)
    ));
    let imp_uid = s1.imp_uid.clone().expect("imp_uid");
    let payment = client
        .get_payment(&GetPaymentRequest::new(imp_uid.clone()))
        .expect("payment");
    assert!(matches!(
        payment.customer_uid_usage,
        Some(types::PaymentCustomerUidUsage::PaymentScheduled)
    ));

    // The webhook arrives at our listener: {imp_uid, merchant_uid, status}.
    let body = read_one_request_body(&hook, true);
    let json: serde_json::Value = serde_json::from_str(&body).expect("webhook JSON");
    assert_eq!(
        json,
        serde_json::json!({"imp_uid": imp_uid, "merchant_uid": "s-1", "status": "paid"})
    );

    // Unschedule the other one.
    let revoked = client
        .unschedule_payments(&UnschedulePaymentsRequest {
            customer_uid: Some("sched".into()),
            merchant_uid: Some(vec!["s-2".into()]),
        })
        .expect("unschedule");
    assert_eq!(revoked.len(), 1);
    assert!(
        sandbox
            .advance_clock(Duration::from_secs(86_400))
            .expect("advance")
            .is_empty()
    );
    let err = client
        .unschedule_payments(&UnschedulePaymentsRequest {
            customer_uid: Some("sched".into()),
            merchant_uid: None,
        })
        .expect_err("nothing left");
    assert_eq!(api_code(&err).1, Some(1));
}

/// Accepts one connection, reads one HTTP request and answers 200 (or 500); returns the body.
pub(super) fn read_one_request_body(listener: &std::net::TcpListener, ok: bool) -> String {
    let status = if ok {
        "200 OK"
    } else {
        "500 Internal Server Error"
    };
    answer_one_request(listener, status)
}

/// Accepts one connection, reads one HTTP request and answers `status`; returns the body.
fn answer_one_request(listener: &std::net::TcpListener, status: &str) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let (stream, _) = listener.accept().expect("webhook connection");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut length = 0usize;
    for _ in 0..100 {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("header line") == 0 || line == "\r\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().expect("length");
        }
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body).expect("body");
    let mut stream = stream;
    let _ = stream.write_all(
        format!("HTTP/1.1 {status}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").as_bytes(),
    );
    String::from_utf8(body).expect("utf-8")
}

/// A webhook receiver on a free port, and its URL.
pub(super) fn hook() -> (std::net::TcpListener, String) {
    let hook = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hook", hook.local_addr().expect("addr"));
    (hook, url)
}

#[test]
fn webhooks_are_sent_once_by_default() {
    let (hook, hook_url) = hook();
    let sandbox = Sandbox::builder()
        .webhook_url(hook_url)
        .start()
        .expect("start");
    let client = client(&sandbox);
    client
        .charge_card(&onetime("wh-0", "4242-4242-4242-4242"))
        .expect("paid");
    read_one_request_body(&hook, false);
    let log = sandbox.wait_for_webhooks(Duration::from_secs(20));
    assert_eq!(log.len(), 1);
    assert!(!log[0].delivered && !log[0].pending, "{log:?}");
    // Not even when the clock passes the minute a configured retry would wait.
    sandbox
        .advance_clock(Duration::from_secs(3600))
        .expect("advance");
    let log = sandbox.wait_for_webhooks(Duration::from_secs(20));
    assert_eq!(log[0].attempts, 1, "{log:?}");
}

#[test]
fn configured_webhook_retries_wait_a_minute_on_the_sandbox_clock_and_skip_4xx() {
    let (hook, hook_url) = hook();
    let sandbox = Sandbox::builder()
        .webhook_url(hook_url)
        .webhook_retries()
        .start()
        .expect("start");
    let client = client(&sandbox);
    let paid = client
        .charge_card(&onetime("wh-1", "4242-4242-4242-4242"))
        .expect("paid");
    let first = read_one_request_body(&hook, false);
    assert!(sandbox.webhooks()[0].pending);
    sandbox
        .advance_clock(Duration::from_secs(60))
        .expect("advance");
    let second = read_one_request_body(&hook, true);
    assert_eq!(first, second);
    assert!(first.contains(&paid.imp_uid));
    let log = sandbox.wait_for_webhooks(Duration::from_secs(20));
    assert_eq!(log.len(), 1);
    assert!(log[0].delivered);
    assert_eq!(log[0].attempts, 2);
    assert_eq!(iamport_sandbox::RetryPolicy::iamport().attempts, 6);

    // A 4xx answer is final: no retry however far the clock moves.
    client
        .charge_card(&onetime("wh-2", "4242-4242-4242-4242"))
        .expect("paid");
    answer_one_request(&hook, "404 Not Found");
    sandbox
        .advance_clock(Duration::from_secs(600))
        .expect("advance");
    let log = sandbox.wait_for_webhooks(Duration::from_secs(20));
    assert!(!log[1].delivered && !log[1].pending, "{log:?}");
    assert_eq!(log[1].attempts, 1);
}

#[test]
fn failed_schedules_can_be_retried_and_rescheduled() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("f-0", "4000-0000-0000-0341");
    req.customer_uid = Some("flaky".into());
    client.charge_card(&req).expect("first charge approves");
    let now = sandbox.now();
    client
        .schedule_payments(&SchedulePaymentsRequest::new(
            "flaky",
            vec![schedule_item("f-1", now + 60)],
        ))
        .expect("schedule");
    let executed = sandbox
        .advance_clock(Duration::from_secs(61))
        .expect("advance");
    assert_eq!(executed[0].payment_status.as_deref(), Some("failed"));
    let s = client
        .get_schedule(&GetScheduleRequest {
            merchant_uid: "f-1".into(),
        })
        .expect("s");
    assert_eq!(s.fail_reason.as_deref(), Some(cards::INSUFFICIENT_FUNDS));

    // PUT is only for pending schedules.
    let err = client
        .update_schedule(&UpdateScheduleRequest {
            merchant_uid: "f-1".into(),
            schedule_at: Timestamp(now + 9999),
        })
        .expect_err("executed");
    assert_eq!(err.status(), Some(400));
    // retry: still declines (the card declines after its first charge).
    assert!(matches!(
        client.retry_schedule(&RetryScheduleRequest {
            merchant_uid: "f-1".into()
        }),
        Err(Error::Declined { .. })
    ));
    let later = sandbox.now() + 3600;
    let rescheduled = client
        .reschedule_payment(&ReschedulePaymentRequest {
            merchant_uid: "f-1".into(),
            schedule_at: Timestamp(later),
        })
        .expect("reschedule");
    assert!(matches!(
        rescheduled.schedule_status,
        Some(types::ScheduleStatus::Scheduled)
    ));
    let err = client
        .get_schedule(&GetScheduleRequest {
            merchant_uid: "unknown".into(),
        })
        .expect_err("404");
    assert!(err.is_not_found());
}

#[test]
fn retry_and_reschedule_of_a_schedule_that_has_not_run_are_400() {
    let sandbox = Sandbox::start();
    let client = client(&sandbox);
    let mut req = onetime("p-0", "4242-4242-4242-4242");
    req.customer_uid = Some("pending".into());
    client.charge_card(&req).expect("key");
    let now = sandbox.now();
    client
        .schedule_payments(&SchedulePaymentsRequest::new(
            "pending",
            vec![schedule_item("p-1", now + 3600)],
        ))
        .expect("schedule");
    let err = client
        .retry_schedule(&RetryScheduleRequest {
            merchant_uid: "p-1".into(),
        })
        .expect_err("not run yet");
    let (status, code, message) = api_code(&err);
    assert_eq!((status, code), (Some(400), Some(-1)), "{message}");
    assert!(message.contains("failed or revoked"), "{message}");
    let err = client
        .reschedule_payment(&ReschedulePaymentRequest {
            merchant_uid: "p-1".into(),
            schedule_at: Timestamp(now + 7200),
        })
        .expect_err("not run yet");
    let (status, code, message) = api_code(&err);
    assert_eq!((status, code), (Some(400), Some(-1)), "{message}");
    // The schedule is untouched and still runs.
    let executed = sandbox
        .advance_clock(Duration::from_secs(3601))
        .expect("advance");
    assert_eq!(executed[0].payment_status.as_deref(), Some("paid"));
    // A paid schedule is not retried either: 400, nothing charged twice.
    let err = client
        .retry_schedule(&RetryScheduleRequest {
            merchant_uid: "p-1".into(),
        })
        .expect_err("already paid");
    assert_eq!(api_code(&err).0, Some(400), "{err:?}");
}
