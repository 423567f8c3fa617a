//! The dashboard in a real browser: headless Chromium driven through chromedriver (WebDriver) by
//! fantoccini, after the quickstart's flow ran through the real client.
//!
//! Needs Debian's `chromium`, `chromium-driver` and `fonts-noto-cjk` (see [`driver`] for how
//! they are found). Without them the tests print `SKIPPED ...` and pass, unless `CI` is set, in
//! which case they fail. Each test is bounded (90 s) and kills its chromedriver and browser when
//! it ends. A screenshot of the main page is written to `target/tmp/dashboard.png` (and to
//! `$DASHBOARD_SCREENSHOT` when set, e.g. `docs/dashboard.png`).

mod driver;
mod flow;

use std::future::Future;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use driver::ChromeDriver;
use fantoccini::{Client as Browser, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use iamport::types::GetScheduleRequest;
use iamport::{Error, Reconciled};

/// One browser at a time: the machine's cores are shared.
static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// How long one test may take in all.
const TEST_LIMIT: Duration = Duration::from_secs(90);
/// How long the page may take to show a change (it refreshes every 2 s, and at once after a
/// control is used).
const PAGE_LIMIT: Duration = Duration::from_secs(15);

/// chromedriver for one test, the browsers of other tests closed; `None` = skipped.
fn browser_for(test: &str) -> Option<(MutexGuard<'static, ()>, ChromeDriver)> {
    let one = ONE_BROWSER.lock().unwrap_or_else(|p| p.into_inner());
    ChromeDriver::start_or_skip(test).map(|driver| (one, driver))
}

/// Runs `body` with a fresh headless Chromium session, within [`TEST_LIMIT`].
fn with_browser<F, Fut>(test: &str, driver: &ChromeDriver, body: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()>,
{
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let run = async {
            let browser = ClientBuilder::new(HttpConnector::new())
                .capabilities(driver.capabilities())
                .connect(&driver.url)
                .await
                .expect("a WebDriver session with headless Chromium");
            body(browser.clone()).await;
            let _ = browser.close().await;
        };
        tokio::time::timeout(TEST_LIMIT, run)
            .await
            .unwrap_or_else(|_| panic!("{test} took more than {TEST_LIMIT:?}"));
    });
    runtime.shutdown_timeout(Duration::from_secs(1));
}

fn dashboard(sandbox: &iamport_sandbox::Sandbox) -> String {
    format!("{}/__sandbox/", sandbox.base_url())
}

async fn wait_for(browser: &Browser, css: &str) -> fantoccini::elements::Element {
    browser
        .wait()
        .at_most(PAGE_LIMIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("the page never showed `{css}`: {e}"))
}

async fn text_of(browser: &Browser, css: &str) -> String {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no `{css}`: {e}"))
        .text()
        .await
        .expect("text")
}

#[test]
fn the_page_shows_each_payment_with_its_status_and_no_secret() {
    let Some((_one, driver)) = browser_for("the_page_shows_each_payment") else {
        return;
    };
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    let flow = flow::run(&sandbox, &client);
    sandbox.wait_for_webhooks(Duration::from_secs(10));
    with_browser(
        "the_page_shows_each_payment",
        &driver,
        |browser| async move {
            browser.goto(&dashboard(&sandbox)).await.expect("open");
            assert_eq!(
                browser.title().await.expect("title"),
                "i'mport sandbox dashboard"
            );
            let rows = browser
                .find_all(Locator::Css("tr.payment"))
                .await
                .expect("rows");
            assert_eq!(rows.len(), flow.payments.len(), "payments listed");
            for p in &flow.payments {
                let row = format!("tr.payment[data-imp-uid='{}']", p.imp_uid);
                let badge = text_of(&browser, &format!("{row} .badge")).await;
                let shown = p.status.replace('_', " ");
                assert_eq!(badge, shown, "{} shows `{badge}`", p.merchant_uid);
                let merchant_uid = text_of(&browser, &format!("{row} td:nth-child(3)")).await;
                assert_eq!(merchant_uid, p.merchant_uid);
            }
            // The badges are told apart by colour too, not only by their words.
            let paid = browser
                .find(Locator::Css("tr.payment[data-status='paid'] .badge"))
                .await
                .expect("paid badge")
                .css_value("color")
                .await
                .expect("colour");
            let failed = browser
                .find(Locator::Css("tr.payment[data-status='failed'] .badge"))
                .await
                .expect("failed badge")
                .css_value("color")
                .await
                .expect("colour");
            assert_ne!(paid, failed);
            let source = browser.source().await.expect("source");
            let rendered: String = browser
                .execute("return document.documentElement.outerHTML;", vec![])
                .await
                .expect("outerHTML")
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let token = flow::access_token(&sandbox);
            flow::assert_no_secret(&source, std::slice::from_ref(&token));
            flow::assert_no_secret(&rendered, &[token]);
            // Keyboard: a link focused in the list keeps the focus while the page refreshes itself.
            let link = format!(
                "#payments a[href='/__sandbox/?payment={}']",
                flow.payments[0].imp_uid
            );
            browser
            .execute(
                "document.querySelector(arguments[0]).focus(); return document.body.dataset.refreshed || '';",
                vec![serde_json::Value::String(link.clone())],
            )
            .await
            .expect("focus a link");
            let before: String = browser
                .execute("return document.body.dataset.refreshed || '';", vec![])
                .await
                .expect("refreshed")
                .as_str()
                .unwrap_or_default()
                .to_owned();
            let mut refreshed = false;
            for _ in 0..50 {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let now = browser
                    .execute("return document.body.dataset.refreshed || '';", vec![])
                    .await
                    .expect("refreshed");
                if now.as_str().unwrap_or_default() != before {
                    refreshed = true;
                    break;
                }
            }
            assert!(refreshed, "the page did not refresh itself within 10 s");
            let still = browser
                .execute(
                    "return document.activeElement === document.querySelector(arguments[0]);",
                    vec![serde_json::Value::String(link.clone())],
                )
                .await
                .expect("active element");
            assert_eq!(
                still,
                serde_json::Value::Bool(true),
                "focus lost on refresh"
            );
            // Enter on the focused link opens the detail view with the cancel history.
            browser
                .active_element()
                .await
                .expect("active")
                .send_keys("\u{E007}")
                .await
                .expect("Enter");
            wait_for(&browser, "#detail h3").await;
            browser
                .goto(&dashboard(&sandbox))
                .await
                .expect("back to the list");
            wait_for(&browser, "tr.payment").await;
            let png = browser.screenshot().await.expect("screenshot");
            assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
            let artifact = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("dashboard.png");
            std::fs::write(&artifact, &png).expect("write the screenshot");
            eprintln!("screenshot: {}", artifact.display());
            if let Some(extra) = std::env::var_os("DASHBOARD_SCREENSHOT") {
                std::fs::write(&extra, &png).expect("write $DASHBOARD_SCREENSHOT");
            }
        },
    );
}

#[test]
fn advancing_the_clock_from_the_page_executes_the_schedule() {
    let Some((_one, driver)) = browser_for("advancing_the_clock_from_the_page") else {
        return;
    };
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    let flow = flow::run(&sandbox, &client);
    with_browser(
        "advancing_the_clock_from_the_page",
        &driver,
        |browser| async move {
            browser.goto(&dashboard(&sandbox)).await.expect("open");
            let new_row = format!(
                "tr.payment[data-merchant-uid='{}'][data-status='paid']",
                flow::SCHEDULED_MID
            );
            assert!(browser.find(Locator::Css(&new_row)).await.is_err());
            wait_for(
                &browser,
                &format!(
                    "tr.schedule[data-merchant-uid='{}'][data-schedule-status='scheduled']",
                    flow::SCHEDULED_MID
                ),
            )
            .await;
            // By keyboard: type the seconds and press Enter in the field.
            let seconds = browser
                .find(Locator::Id("advance-seconds"))
                .await
                .expect("seconds field");
            seconds.clear().await.expect("clear");
            seconds
                .send_keys("3600\u{E007}")
                .await
                .expect("type + Enter");
            wait_for(&browser, &new_row).await;
            wait_for(
                &browser,
                &format!(
                    "tr.schedule[data-merchant-uid='{}'][data-schedule-status='executed']",
                    flow::SCHEDULED_MID
                ),
            )
            .await;
            let rows = browser
                .find_all(Locator::Css("tr.payment"))
                .await
                .expect("rows");
            assert_eq!(rows.len(), flow.payments.len() + 1);
            assert!(text_of(&browser, "#control-status").await.contains("done"));
            assert!(
                text_of(&browser, "#clock")
                    .await
                    .contains("1 h 0 min ahead")
            );
            // The client sees the same.
            let schedule = client
                .get_schedule(&GetScheduleRequest {
                    merchant_uid: flow::SCHEDULED_MID.into(),
                })
                .expect("schedule");
            assert_eq!(
                schedule.payment_status.map(|s| s.to_string()).as_deref(),
                Some("paid")
            );
        },
    );
}

#[test]
fn arming_a_fault_from_the_page_makes_the_next_charge_unknown() {
    let Some((_one, driver)) = browser_for("arming_a_fault_from_the_page") else {
        return;
    };
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    flow::run(&sandbox, &client);
    with_browser(
        "arming_a_fault_from_the_page",
        &driver,
        |browser| async move {
            browser.goto(&dashboard(&sandbox)).await.expect("open");
            browser
                .find(Locator::Id("fault-kind"))
                .await
                .expect("kind")
                .select_by_value("drop")
                .await
                .expect("drop");
            browser
                .find(Locator::Id("fault-operation"))
                .await
                .expect("operation")
                .select_by_value("again")
                .await
                .expect("again");
            browser
                .find(Locator::Id("fault-button"))
                .await
                .expect("arm")
                .click()
                .await
                .expect("click");
            let armed = wait_for(&browser, "#faults li.fault").await;
            assert!(armed.text().await.expect("text").contains("again"));

            let lost = flow::again("sub-42-2026-05", "Pro plan, May");
            match client.charge_billing_key(&lost) {
                Err(Error::OutcomeUnknown { merchant_uid, .. }) => {
                    assert_eq!(merchant_uid, "sub-42-2026-05");
                    assert!(matches!(
                        client.reconcile(&merchant_uid),
                        Ok(Reconciled::Paid(_))
                    ));
                }
                other => {
                    panic!("expected an unknown outcome after arming from the page, got {other:?}")
                }
            }
            // The fault was used up; the charge shows up as paid.
            wait_for(
                &browser,
                "tr.payment[data-merchant-uid='sub-42-2026-05'][data-status='paid']",
            )
            .await;
            assert!(
                browser
                    .find(Locator::Css("#faults li.fault"))
                    .await
                    .is_err()
            );
            // The request log shows the charge whose answer was dropped.
            browser
                .find(Locator::XPath(
                    "//tr[@class='request'][td/code[.='/subscribe/payments/again']][td[contains(., 'no answer')]]",
                ))
                .await
                .expect("the dropped `again` in the request log");

            // Arm again, then clear from the page: the next charge goes through.
            browser
                .find(Locator::Id("fault-button"))
                .await
                .expect("arm")
                .click()
                .await
                .expect("click");
            wait_for(&browser, "#faults li.fault").await;
            browser
                .find(Locator::Id("clear-faults-button"))
                .await
                .expect("clear")
                .click()
                .await
                .expect("click");
            browser
                .wait()
                .at_most(PAGE_LIMIT)
                .for_element(Locator::XPath(
                    "//div[@id='faults']/p[contains(., 'No fault armed')]",
                ))
                .await
                .expect("faults cleared");
            let paid = client
                .charge_billing_key(&flow::again("sub-42-2026-06", "Pro plan, June"))
                .expect("paid once the faults are cleared");
            assert_eq!(paid.merchant_uid, "sub-42-2026-06");
        },
    );
}

#[test]
fn resetting_from_the_page_empties_it() {
    let Some((_one, driver)) = browser_for("resetting_from_the_page") else {
        return;
    };
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    flow::run(&sandbox, &client);
    with_browser("resetting_from_the_page", &driver, |browser| async move {
        browser.goto(&dashboard(&sandbox)).await.expect("open");
        wait_for(&browser, "tr.payment").await;
        browser
            .find(Locator::Id("reset-button"))
            .await
            .expect("reset")
            .click()
            .await
            .expect("click");
        browser.accept_alert().await.expect("confirm the reset");
        browser
            .wait()
            .at_most(PAGE_LIMIT)
            .for_element(Locator::XPath(
                "//section[@id='payments']/p[contains(., 'No payment')]",
            ))
            .await
            .expect("the page empties");
        assert!(browser.find(Locator::Css("tr.billing-key")).await.is_err());
    });
}
