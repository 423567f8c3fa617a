//! The sandbox binary as a separate process (so its CPU is not the client's), and the raw-ureq
//! calls that set it up: a token, a billing key, `again` bodies.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use iamport_sandbox::{TEST_API_KEY, TEST_API_SECRET};

/// What a bench step returns on failure.
pub type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A running `iamport-sandbox` process on a free port; killed on drop.
pub struct SandboxProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
}

impl SandboxProcess {
    /// Starts `bin --port 0` and waits for the URL it prints.
    pub fn start(bin: &Path) -> BenchResult<SandboxProcess> {
        let mut child = Command::new(bin)
            .args(["--port", "0"])
            .env_remove("RUST_LOG")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line)?;
        let url = line.trim().to_owned();
        if !url.starts_with("http://") {
            let _ = child.kill();
            return Err(format!("{} printed {url:?}, not its URL", bin.display()).into());
        }
        Ok(SandboxProcess { child, url })
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain ureq agent that hands back 4xx/5xx answers instead of errors.
pub fn raw_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .new_agent()
}

/// POSTs JSON and returns the status and the body.
pub fn post_json(
    agent: &ureq::Agent,
    url: &str,
    auth: Option<&str>,
    body: &[u8],
) -> BenchResult<(u16, Vec<u8>)> {
    let mut request = agent.post(url).content_type("application/json");
    if let Some(auth) = auth {
        request = request.header("Authorization", auth);
    }
    let mut response = request.send(body)?;
    let status = response.status().as_u16();
    Ok((status, response.body_mut().read_to_vec()?))
}

/// `response` of an envelope with `code: 0`, else an error naming `what`.
pub fn envelope_response(what: &str, status: u16, body: &[u8]) -> BenchResult<serde_json::Value> {
    let mut envelope: serde_json::Value = serde_json::from_slice(body)?;
    if status != 200 || envelope["code"] != 0 {
        return Err(format!("{what}: HTTP {status} {}", String::from_utf8_lossy(body)).into());
    }
    Ok(envelope["response"].take())
}

/// A sandbox ready for `again`: its URL, a `Bearer` header and a billing key.
pub struct Prepared {
    /// The running sandbox.
    pub sandbox: SandboxProcess,
    /// `Bearer <token>`.
    pub auth: String,
    /// A billing key with an approving card.
    pub customer_uid: String,
}

impl Prepared {
    /// A fresh sandbox with a token and a billing key (issued with a first payment).
    pub fn start(bin: &Path) -> BenchResult<Prepared> {
        let sandbox = SandboxProcess::start(bin)?;
        let agent = raw_agent();
        let body = serde_json::json!({"imp_key": TEST_API_KEY, "imp_secret": TEST_API_SECRET});
        let (status, answer) = post_json(
            &agent,
            &format!("{}/users/getToken", sandbox.url),
            None,
            body.to_string().as_bytes(),
        )?;
        let token = envelope_response("getToken", status, &answer)?["access_token"]
            .as_str()
            .ok_or("getToken: no access_token")?
            .to_owned();
        let auth = format!("Bearer {token}");
        let customer_uid = "bench-customer".to_owned();
        let body = serde_json::json!({
            "merchant_uid": "bench-key", "customer_uid": customer_uid, "amount": 1000,
            "card_number": "4242-4242-4242-4242", "expiry": "2039-12", "birth": "880101",
            "pwd_2digit": "12", "name": "bench",
        });
        let (status, answer) = post_json(
            &agent,
            &format!("{}/subscribe/payments/onetime", sandbox.url),
            Some(&auth),
            body.to_string().as_bytes(),
        )?;
        envelope_response("onetime", status, &answer)?;
        Ok(Prepared {
            sandbox,
            auth,
            customer_uid,
        })
    }

    /// The JSON body of an `again` charge of 8,900 KRW under `merchant_uid`.
    pub fn again_body(&self, merchant_uid: &str) -> Vec<u8> {
        serde_json::json!({
            "customer_uid": self.customer_uid, "merchant_uid": merchant_uid,
            "amount": 8900, "name": "Monthly plan",
        })
        .to_string()
        .into_bytes()
    }
}
