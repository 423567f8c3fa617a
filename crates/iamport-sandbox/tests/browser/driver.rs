//! Finding and running chromedriver and Chromium for the browser tests.
//!
//! - chromedriver: `$CHROMEDRIVER` (when set, only there), else `chromedriver` on `PATH`, else Debian's
//!   `/usr/bin/chromedriver` (package `chromium-driver`).
//! - Chromium: `$CHROME_BIN` (when set, only there), else `chromium`, `chromium-browser`, `google-chrome` on `PATH`.
//!
//! When either is missing the tests are skipped with a message, unless `CI` is set (to anything
//! but `false` or `0`): then they fail, so CI cannot pass without running them.

use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The Debian packages the tests need.
pub const APT_INSTALL: &str = "apt-get install -y chromium chromium-driver fonts-noto-cjk";

/// A running chromedriver, killed (with the browsers it started) when dropped.
pub struct ChromeDriver {
    child: Child,
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// The Chromium binary for `goog:chromeOptions.binary`.
    pub chromium: PathBuf,
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// `Some(found)` when `var` is set (an explicit setting is not second-guessed: a wrong path
/// counts as missing), `None` when it is not set.
fn from_env(var: &str) -> Option<Option<PathBuf>> {
    std::env::var_os(var).map(|p| Some(PathBuf::from(p)).filter(|p| p.is_file()))
}

fn find_chromedriver() -> Option<PathBuf> {
    from_env("CHROMEDRIVER").unwrap_or_else(|| {
        on_path("chromedriver")
            .or_else(|| Some(PathBuf::from("/usr/bin/chromedriver")).filter(|p| p.is_file()))
    })
}

fn find_chromium() -> Option<PathBuf> {
    from_env("CHROME_BIN").unwrap_or_else(|| {
        ["chromium", "chromium-browser", "google-chrome"]
            .iter()
            .find_map(|name| on_path(name))
    })
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port on 127.0.0.1")
}

impl ChromeDriver {
    /// Starts chromedriver on a free port and waits (at most 20 s) until it is ready. `None`
    /// (after printing why) when chromedriver or Chromium is not installed and `CI` is not set.
    ///
    /// # Panics
    ///
    /// When they are missing and `CI` is set, or chromedriver does not start.
    pub fn start_or_skip(test: &str) -> Option<ChromeDriver> {
        let (driver, chromium) = match (find_chromedriver(), find_chromium()) {
            (Some(d), Some(c)) => (d, c),
            (driver, chromium) => {
                let missing = match (driver, chromium) {
                    (None, None) => "chromedriver and chromium",
                    (None, _) => "chromedriver",
                    _ => "chromium",
                };
                let message = format!(
                    "{test}: {missing} not found (looked at $CHROMEDRIVER, $CHROME_BIN, PATH and \
                     /usr/bin/chromedriver); install them with `{APT_INSTALL}`"
                );
                if in_ci() {
                    panic!("{message} (CI is set, so this browser test must run)");
                }
                // Past the test harness's capture, so that the skip is seen.
                let _ = writeln!(std::io::stderr(), "SKIPPED {message}");
                return None;
            }
        };
        let port = free_port();
        let mut command = Command::new(&driver);
        command
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        {
            use std::os::unix::process::CommandExt;
            // Its own process group, so dropping it also stops the browsers it started.
            command.process_group(0);
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver.display()));
        let mut this = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            chromium,
        };
        this.wait_ready(&driver);
        Some(this)
    }

    fn wait_ready(&mut self, driver: &Path) {
        let deadline = Instant::now() + Duration::from_secs(20);
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(2)))
            .build()
            .into();
        loop {
            if let Ok(mut response) = agent.get(format!("{}/status", self.url)).call()
                && response
                    .body_mut()
                    .read_to_string()
                    .is_ok_and(|b| b.contains("\"ready\":true"))
            {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited at start: {status}", driver.display());
            }
            assert!(
                Instant::now() < deadline,
                "{} did not become ready within 20 s",
                driver.display()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Capabilities for headless Chromium with a laptop-sized window.
    pub fn capabilities(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut caps = serde_json::Map::new();
        caps.insert("browserName".into(), "chrome".into());
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": self.chromium,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--window-size=1440,1400", "--lang=en-US", "--no-first-run",
                    "--disable-extensions", "--hide-scrollbars",
                ],
            }),
        );
        caps
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            // The whole process group: chromedriver and any browser it left behind.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", self.child.id())])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
