//! Quickstart: starts the embedded i'mport sandbox and walks a subscription flow through the
//! real client. No credentials, no network: `cargo run --example quickstart`.
//!
//! With `--keep-running` (and the `dashboard` feature:
//! `cargo run -p iamport-sandbox --features dashboard --example quickstart -- --keep-running`)
//! the sandbox stays up after the flow, so its dashboard can show what the flow did, until
//! Ctrl-C.

use iamport::Request;
use std::time::Duration;

use iamport::types::{
    ChargeBillingKeyRequest, ChargeCardRequest, GetScheduleRequest, Payment, Schedule,
    SchedulePaymentsRequest,
};
use iamport::{Amount, Client, Error, Reconciled, Timestamp};
use iamport_sandbox::{Fault, FaultRule, Sandbox, TEST_API_KEY, TEST_API_SECRET};

fn amount(text: &str) -> Amount {
    text.parse().unwrap_or(Amount::ZERO)
}

fn show(step: &str, payment: &Payment) {
    println!(
        "  {step}: {} {} {} — {} on card {} via {} (imp_uid {}, merchant_uid {})",
        payment.status,
        payment.amount,
        payment.currency.as_deref().unwrap_or("-"),
        payment.name.as_deref().unwrap_or("-"),
        payment.card_number.as_deref().unwrap_or("-"),
        payment.pg_provider.as_deref().unwrap_or("-"),
        payment.imp_uid,
        payment.merchant_uid,
    );
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::try_start()?;
    println!("i'mport sandbox running at {}", sandbox.base_url());
    let client = Client::builder()
        .base_url(sandbox.base_url())
        .imp_key(TEST_API_KEY)
        .imp_secret(TEST_API_SECRET)
        .build()?;

    println!("\n1. One-time key-in payment, card not saved");
    let one = client.charge_card(&ChargeCardRequest {
        birth: Some("880101".into()),
        pwd_2digit: Some("12".into()),
        name: Some("E-book".into()),
        ..ChargeCardRequest::new(
            "order-0001",
            amount("12000"),
            "4242-4242-4242-4242",
            "2039-12",
        )
    })?;
    show("paid", &one);

    println!("\n2. Billing key + first payment on PAYMENTWALL (onetime with customer_uid)");
    let first = client.charge_card(&ChargeCardRequest {
        pg: Some("paymentwall".into()),
        customer_uid: Some("customer-42-card-1".into()),
        currency: Some("USD".into()),
        cvc: Some("123".into()),
        birth: Some("000000".into()),
        name: Some("Pro plan, January".into()),
        buyer_name: Some("Jane Doe".into()),
        buyer_email: Some("jane@example.com".into()),
        browser_ip: Some("203.0.113.7".into()),
        ..ChargeCardRequest::new(
            "sub-42-2026-01",
            amount("9.99"),
            "5555-5555-5555-4444",
            "2039-12",
        )
    })?;
    show("paid, billing key stored", &first);

    println!("\n3. Next month: `again` with the billing key");
    let again = ChargeBillingKeyRequest {
        currency: Some("USD".into()),
        buyer_name: Some("Jane Doe".into()),
        buyer_email: Some("jane@example.com".into()),
        browser_ip: Some("203.0.113.7".into()),
        ..ChargeBillingKeyRequest::new(
            "customer-42-card-1",
            "sub-42-2026-02",
            amount("9.99"),
            "Pro plan, February",
        )
    };
    show("paid", &client.charge_billing_key(&again)?);

    println!("\n4. A declined card (the test card ending 9995 declines: insufficient funds)");
    match client.charge_card(&ChargeCardRequest {
        name: Some("Gift card".into()),
        ..ChargeCardRequest::new(
            "order-0002",
            amount("50000"),
            "4000-0000-0000-9995",
            "2039-12",
        )
    }) {
        Ok(payment) => show("unexpectedly paid", &payment),
        Err(Error::Declined {
            fail_reason,
            payment,
            ..
        }) => {
            show("declined", &payment);
            println!("  fail_reason: {}", fail_reason.unwrap_or_default());
        }
        Err(other) => return Err(other.into()),
    }

    println!("\n5. A lost answer: the sandbox records the charge, then drops the connection");
    sandbox.inject_fault(FaultRule::once_for(
        iamport::types::ChargeBillingKeyRequest::OPERATION,
        Fault::DropConnection,
    ));
    let lost = ChargeBillingKeyRequest {
        merchant_uid: "sub-42-2026-03".into(),
        name: "Pro plan, March".into(),
        ..again.clone()
    };
    match client.charge_billing_key(&lost) {
        Err(Error::OutcomeUnknown { merchant_uid, .. }) => {
            println!("  outcome unknown for {merchant_uid}: reconciling instead of retrying");
            match client.reconcile(&merchant_uid)? {
                Reconciled::Paid(payment) => show("reconciled: it was charged", &payment),
                other => println!("  reconciled: {other:?}"),
            }
        }
        Ok(payment) => show("paid", &payment),
        Err(other) => return Err(other.into()),
    }

    println!("\n6. A scheduled payment, executed by advancing the sandbox clock one hour");
    let at = sandbox.now() + 3600;
    client.schedule_payments(&SchedulePaymentsRequest::new(
        "customer-42-card-1",
        vec![Schedule::new(
            "sub-42-2026-04",
            Timestamp(at),
            "USD",
            amount("9.99"),
            "Pro plan, April",
        )],
    ))?;
    println!("  scheduled sub-42-2026-04 at {at}");
    sandbox.advance_clock(Duration::from_secs(3600))?;
    let executed = client.get_schedule(&GetScheduleRequest {
        merchant_uid: "sub-42-2026-04".into(),
    })?;
    println!(
        "  schedule {}: payment {} (imp_uid {})",
        executed
            .schedule_status
            .map(|s| s.to_string())
            .unwrap_or_default(),
        executed
            .payment_status
            .map(|s| s.to_string())
            .unwrap_or_else(|| "pending".into()),
        executed.imp_uid.unwrap_or_default(),
    );

    println!(
        "\nDone. Test cards, channels and admin endpoints: see the iamport-sandbox crate docs."
    );
    if std::env::args().skip(1).any(|arg| arg == "--keep-running") {
        println!(
            "Dashboard: {}/__sandbox/ (Ctrl-C stops the sandbox)",
            sandbox.base_url()
        );
        sandbox.wait();
    }
    Ok(())
}
