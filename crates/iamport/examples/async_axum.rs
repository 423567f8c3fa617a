//! The client inside an async web server: an axum handler that runs the (synchronous) client on
//! tokio's blocking pool with `spawn_blocking` and a clone of the `Client`.
//!
//! `cargo run -p iamport --example async_axum` starts the embedded sandbox, serves the handler on
//! a free loopback port, sends it one request, prints the answer and exits. With
//! `IAMPORT_API_KEY` / `IAMPORT_API_SECRET` set, the handler asks the real API (a read-only
//! look-up of an order id that does not exist).
//!
//! The rules, also in the crate docs ("Calling the client from async code"):
//!
//! * every call goes through `tokio::task::spawn_blocking` (or `block_in_place`), never straight
//!   on a runtime worker, where it would stall every task scheduled on that worker;
//! * one `Client` for the process, cloned into each closure: a clone shares the connection pool
//!   and the access-token cache;
//! * the client's timeouts bound how long a call can hold a blocking thread; an outer
//!   `tokio::time::timeout` only stops the waiting, not the call (for a charge, the outcome is
//!   then unknown: reconcile it).

mod common;

use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use iamport::{Client, Reconciled};

/// `GET /orders/{merchant_uid}/payment`: what i'mport holds for an order.
async fn order_payment(
    State(iamport): State<Client>,
    Path(merchant_uid): Path<String>,
) -> Result<String, (StatusCode, String)> {
    // Not `iamport.reconcile(&merchant_uid)` right here: it blocks this runtime worker for the
    // whole HTTP exchange. On the blocking pool, with a clone (cheap: the pool and the token
    // cache are shared).
    let client = iamport.clone();
    let outcome = tokio::task::spawn_blocking(move || client.reconcile(&merchant_uid))
        .await
        .map_err(|panicked| (StatusCode::INTERNAL_SERVER_ERROR, panicked.to_string()))?
        .map_err(|error| (StatusCode::BAD_GATEWAY, error.to_string()))?;
    Ok(match outcome {
        Reconciled::Paid(payment) => format!("paid: {}", payment.imp_uid),
        Reconciled::NotFound => "not seen by i'mport (yet)".to_owned(),
        other => match other.payment() {
            Some(payment) => format!("{:?}: {}", payment.status, payment.imp_uid),
            None => format!("{other:?}"),
        },
    })
}

/// Serves [`order_payment`] on a free loopback port and asks it about one order.
async fn serve_one_request(iamport: Client) -> Result<String, Box<dyn std::error::Error>> {
    let app = Router::new()
        .route("/orders/{merchant_uid}/payment", get(order_payment))
        .with_state(iamport);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let url = format!(
        "http://{address}/orders/{}/payment",
        common::order_id("async-demo")
    );
    // This example's own HTTP client is blocking too (ureq): on the blocking pool as well.
    let answer = tokio::task::spawn_blocking(move || -> Result<String, ureq::Error> {
        ureq::get(&url).call()?.body_mut().read_to_string()
    })
    .await??;
    server.abort();
    Ok(answer)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // The client's timeouts bound how long one call can hold a blocking thread: a connection
    // attempt ends within `connect_timeout`, each HTTP exchange within `timeout`.
    let setup = common::setup_configured(iamport_sandbox::Sandbox::builder(), |client| {
        client
            .connect_timeout(Duration::from_secs(3))
            .timeout(Duration::from_secs(20))
    })?;
    // A server of your own starts with `#[tokio::main]`. Here the embedded sandbox has a runtime
    // of its own, which is started and stopped outside this one.
    let runtime = tokio::runtime::Runtime::new()?;
    let answer = runtime.block_on(serve_one_request(setup.client.clone()))?;
    println!("GET /orders/…/payment answered: {answer}");
    if !setup.live() && answer != "not seen by i'mport (yet)" {
        return Err(format!("the sandbox holds no payment yet, got {answer:?}").into());
    }
    Ok(())
}
