//! Webhooks in a small HTTP handler (tiny_http): i'mport POSTs `{imp_uid, merchant_uid, status}`
//! after a payment. V1 webhooks are not signed, so the handler parses the body, looks the
//! payment up with `verify_webhook` and acts on i'mport's copy, then answers 200.
//!
//! `cargo run -p iamport --example webhook_handler` serves on a free loopback port, starts the
//! embedded sandbox with that URL as its webhook URL, makes a payment and handles the webhook the
//! sandbox sends. With `IAMPORT_API_KEY` / `IAMPORT_API_SECRET` set it serves on
//! `IAMPORT_EXAMPLE_WEBHOOK_ADDR` (default `0.0.0.0:8000`) until stopped: point the i'mport
//! console's webhook URL at it.

mod common;

use std::io::Read;
use std::sync::mpsc;
use std::time::Duration;

use iamport::types::{ChargeCardRequest, Payment, PaymentStatus};
use iamport::{Amount, Client, Error, WebhookPayload};

/// Handles one webhook request: the HTTP status to answer, and the verified payment if any.
fn handle(client: &Client, request: &mut tiny_http::Request) -> (u16, Option<Payment>) {
    if request.method() != &tiny_http::Method::Post {
        return (405, None);
    }
    let content_type = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Content-Type"))
        .map(|h| h.value.as_str().to_owned());
    let mut body = Vec::new();
    let mut limited = <&mut dyn Read as Read>::take(request.as_reader(), 64 * 1024);
    if limited.read_to_end(&mut body).is_err() {
        return (400, None);
    }
    let payload = match WebhookPayload::parse(content_type.as_deref(), &body) {
        Ok(payload) => payload,
        Err(err) => {
            eprintln!("ignored: {err}");
            return (400, None);
        }
    };
    match client.verify_webhook(&payload) {
        // Act on the payment as i'mport holds it (and compare its amount with the order),
        // idempotently: the same webhook may arrive twice.
        Ok(payment) => {
            match &payment.status {
                PaymentStatus::Paid => println!(
                    "webhook: {} paid {}: fulfil the order",
                    payment.merchant_uid, payment.amount
                ),
                PaymentStatus::Cancelled => {
                    println!("webhook: {} cancelled: revoke it", payment.merchant_uid)
                }
                other => println!("webhook: {} is {other}", payment.merchant_uid),
            }
            (200, Some(payment))
        }
        // A forged or foreign webhook: answer 200 anyway so it is not re-sent, do nothing.
        Err(err @ (Error::NotFound { .. } | Error::WebhookMismatch { .. })) => {
            eprintln!("webhook not trusted: {err}");
            (200, None)
        }
        // i'mport unreachable: answer 500 so the webhook is sent again later.
        Err(err) => {
            eprintln!("cannot verify now: {err}");
            (500, None)
        }
    }
}

/// Serves webhooks on `server`, sending each verified payment to `verified`.
fn serve(server: &tiny_http::Server, client: &Client, verified: &mpsc::Sender<Payment>) {
    for mut request in server.incoming_requests() {
        let (status, payment) = handle(client, &mut request);
        let _ = request.respond(tiny_http::Response::empty(status));
        if let Some(payment) = payment {
            let _ = verified.send(payment);
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (verified, received) = mpsc::channel();
    if common::credentials_in_env() {
        let setup = common::setup()?;
        let addr =
            std::env::var("IAMPORT_EXAMPLE_WEBHOOK_ADDR").unwrap_or_else(|_| "0.0.0.0:8000".into());
        let server = tiny_http::Server::http(&addr).map_err(|e| e as Box<dyn std::error::Error>)?;
        println!("serving i'mport webhooks on http://{addr}/ (Ctrl-C stops)");
        std::thread::spawn(move || received.iter().for_each(drop));
        serve(&server, &setup.client, &verified);
        return Ok(());
    }

    let server =
        tiny_http::Server::http("127.0.0.1:0").map_err(|e| e as Box<dyn std::error::Error>)?;
    let port = server
        .server_addr()
        .to_ip()
        .map(|a| a.port())
        .ok_or("not an IP address")?;
    let url = format!("http://127.0.0.1:{port}/iamport/webhook");
    println!("webhook handler at {url}");
    let setup = common::setup_with(iamport_sandbox::Sandbox::builder().webhook_url(url))?;
    let client = setup.client.clone();
    std::thread::spawn(move || serve(&server, &client, &verified));

    let card = common::card(false)?;
    let paid = setup.client.charge_card(&ChargeCardRequest {
        birth: Some(card.birth.into()),
        pwd_2digit: Some(card.pwd_2digit.into()),
        name: Some("Concert ticket".into()),
        ..ChargeCardRequest::new(
            common::order_id("order"),
            Amount::from(15000),
            card.number,
            card.expiry,
        )
    })?;
    println!(
        "paid {} (imp_uid {}); waiting for the webhook",
        paid.amount, paid.imp_uid
    );
    let payment = received.recv_timeout(Duration::from_secs(10))?;
    if payment.imp_uid != paid.imp_uid {
        return Err(format!(
            "webhook for {} instead of {}",
            payment.imp_uid, paid.imp_uid
        )
        .into());
    }
    println!("webhook handled for {}", payment.imp_uid);
    Ok(())
}
