//! (f) the official Python SDK (`iamport-rest-client`) on the same sandbox, when installed:
//! sequential `pay_again` calls per second.

use std::path::Path;
use std::process::Command;

use crate::sandbox::{BenchResult, Prepared};
use iamport_sandbox::{TEST_API_KEY, TEST_API_SECRET};

const SCRIPT: &str = r#"
import sys, time
from iamport import Iamport
url, key, secret, customer_uid, calls = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
client = Iamport(imp_key=key, imp_secret=secret, imp_url=url.rstrip("/") + "/")
client.pay_again(customer_uid=customer_uid, merchant_uid="py-warm-up", amount=8900, name="Monthly plan")
start = time.perf_counter()
for i in range(calls):
    client.pay_again(customer_uid=customer_uid, merchant_uid="py-%d" % i, amount=8900, name="Monthly plan")
print(calls / (time.perf_counter() - start))
"#;

/// Calls per second of the Python SDK, or `None` when `iamport` is not importable.
pub fn rate(bin: &Path, calls: usize) -> BenchResult<Option<f64>> {
    let installed = Command::new("python3")
        .args(["-c", "import iamport"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        return Ok(None);
    }
    let prepared = Prepared::start(bin)?;
    let output = Command::new("python3")
        .args([
            "-c",
            SCRIPT,
            &prepared.sandbox.url,
            TEST_API_KEY,
            TEST_API_SECRET,
        ])
        .arg(&prepared.customer_uid)
        .arg(calls.to_string())
        .output()?;
    if !output.status.success() {
        return Err(format!(
            "python SDK run failed: {}",
            String::from_utf8_lossy(&output.stderr)
        )
        .into());
    }
    Ok(Some(String::from_utf8(output.stdout)?.trim().parse()?))
}
