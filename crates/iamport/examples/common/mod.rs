//! What every example shares: a client for the embedded sandbox by default, or for the real
//! i'mport API when `IAMPORT_API_KEY` and `IAMPORT_API_SECRET` are set, and order ids that do not
//! collide between runs.

#![allow(dead_code)] // each example uses a part of this module

use std::time::{SystemTime, UNIX_EPOCH};

use iamport::{Client, ClientBuilder};
use iamport_sandbox::{Sandbox, TEST_API_KEY, TEST_API_SECRET};

/// A client and, unless it talks to the real API, the sandbox it talks to.
pub struct Setup {
    /// The client every example uses.
    pub client: Client,
    /// The embedded sandbox (`None` against the real API). Dropping it stops it.
    pub sandbox: Option<Sandbox>,
}

impl Setup {
    /// Whether the example runs against the real API.
    pub fn live(&self) -> bool {
        self.sandbox.is_none()
    }
}

/// The variables `Client::from_env` reads the credentials from.
const CREDENTIAL_VARS: [&str; 2] = ["IAMPORT_API_KEY", "IAMPORT_API_SECRET"];

/// Whether both credentials are in the environment.
pub fn credentials_in_env() -> bool {
    CREDENTIAL_VARS
        .iter()
        .all(|name| std::env::var(name).is_ok_and(|v| !v.trim().is_empty()))
}

/// The real API when both credentials are set, else a fresh embedded sandbox.
pub fn setup() -> Result<Setup, Box<dyn std::error::Error>> {
    setup_with(Sandbox::builder())
}

/// Like [`setup`], with a sandbox configured by the caller (e.g. a webhook URL).
pub fn setup_with(
    sandbox: iamport_sandbox::SandboxBuilder,
) -> Result<Setup, Box<dyn std::error::Error>> {
    setup_configured(sandbox, |client| client)
}

/// Like [`setup_with`], with the client's settings (e.g. timeouts) adjusted by `configure`.
pub fn setup_configured(
    sandbox: iamport_sandbox::SandboxBuilder,
    configure: impl FnOnce(ClientBuilder) -> ClientBuilder,
) -> Result<Setup, Box<dyn std::error::Error>> {
    if credentials_in_env() {
        println!(
            "talking to the real i'mport API ({} is set)",
            CREDENTIAL_VARS[0]
        );
        return Ok(Setup {
            client: configure(ClientBuilder::from_env()?).build()?,
            sandbox: None,
        });
    }
    let sandbox = sandbox.start()?;
    println!("talking to the embedded sandbox at {}", sandbox.base_url());
    let client = configure(
        Client::builder()
            .base_url(sandbox.base_url())
            .imp_key(TEST_API_KEY)
            .imp_secret(TEST_API_SECRET),
    )
    .build()?;
    Ok(Setup {
        client,
        sandbox: Some(sandbox),
    })
}

/// An order id unique to this run: `{prefix}-{unix millis}`.
pub fn order_id(prefix: &str) -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    format!("{prefix}-{millis}")
}

/// Card data for a charge: the sandbox's approving test card, or against the real API the card
/// in `IAMPORT_EXAMPLE_CARD_NUMBER` (`dddd-dddd-dddd-dddd`), `IAMPORT_EXAMPLE_CARD_EXPIRY`
/// (`YYYY-MM`), `IAMPORT_EXAMPLE_CARD_BIRTH` and `IAMPORT_EXAMPLE_CARD_PWD_2DIGIT`.
pub struct Card {
    /// `dddd-dddd-dddd-dddd`.
    pub number: String,
    /// `YYYY-MM`.
    pub expiry: String,
    /// `YYMMDD` (or a 10-digit business number).
    pub birth: String,
    /// The first two digits of the card password.
    pub pwd_2digit: String,
}

/// The card to charge (see [`Card`]).
pub fn card(live: bool) -> Result<Card, String> {
    if !live {
        return Ok(Card {
            number: "4242-4242-4242-4242".into(),
            expiry: "2039-12".into(),
            birth: "880101".into(),
            pwd_2digit: "12".into(),
        });
    }
    let var = |name: &str| std::env::var(name).map_err(|_| format!("{name} is not set"));
    Ok(Card {
        number: var("IAMPORT_EXAMPLE_CARD_NUMBER")?,
        expiry: var("IAMPORT_EXAMPLE_CARD_EXPIRY")?,
        birth: var("IAMPORT_EXAMPLE_CARD_BIRTH")?,
        pwd_2digit: var("IAMPORT_EXAMPLE_CARD_PWD_2DIGIT")?,
    })
}
