//! The dashboard's HTML (no browser): after the quickstart's flow through the real client, the
//! page lists each payment with its status, filters and searches, shows a payment's cancel
//! history, escapes what it shows and holds no secret.

#[path = "../browser/flow.rs"]
mod flow;

use std::time::Duration;

use iamport_sandbox::Sandbox;

fn get(url: &str) -> (u16, String, Vec<(String, String)>) {
    let mut response = ureq::get(url)
        .config()
        .http_status_as_error(false)
        .build()
        .call()
        .expect("GET");
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().expect("body"),
        headers,
    )
}

fn page(sandbox: &Sandbox, query: &str) -> String {
    let (status, html, _) = get(&format!("{}/__sandbox/{query}", sandbox.base_url()));
    assert_eq!(status, 200, "{html}");
    html
}

/// The opening tag of the payment row of `imp_uid`, if the page lists it.
fn row<'a>(html: &'a str, imp_uid: &str) -> Option<&'a str> {
    let start = html.find(&format!("<tr class=\"payment\" data-imp-uid=\"{imp_uid}\""))?;
    let end = start + html[start..].find('>')?;
    Some(&html[start..=end])
}

fn listed(html: &str) -> usize {
    html.matches("<tr class=\"payment\"").count()
}

#[test]
fn the_page_lists_every_payment_with_its_status_newest_first() {
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    let flow = flow::run(&sandbox, &client);
    let html = page(&sandbox, "");
    assert_eq!(listed(&html), flow.payments.len(), "{html}");
    let mut positions = Vec::new();
    for p in &flow.payments {
        let tag = row(&html, &p.imp_uid)
            .unwrap_or_else(|| panic!("{} ({}) is not listed", p.merchant_uid, p.imp_uid));
        assert!(
            tag.contains(&format!("data-status=\"{}\"", p.status)),
            "{} should be {}: {tag}",
            p.merchant_uid,
            p.status
        );
        assert!(tag.contains(&format!("data-merchant-uid=\"{}\"", p.merchant_uid)));
        positions.push(html.find(tag).expect("position"));
    }
    let mut newest_first = positions.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(positions, newest_first, "payments are not newest first");
    for label in ["paid", "failed", "cancelled", "partially cancelled"] {
        assert!(
            html.contains(&format!("\">{label}</span>")),
            "no `{label}` badge"
        );
    }
    // Amount + currency, masked card, channel, fail_reason, the billing key and the schedule.
    assert!(html.contains("9.99 USD") && html.contains("12000 KRW"));
    assert!(html.contains("424242******4242") && html.contains("555555******4444"));
    assert!(html.contains(">paymentwall<") && html.contains(">keyin<"));
    assert!(html.contains(iamport_sandbox::cards::INSUFFICIENT_FUNDS));
    assert!(html.contains(&format!("data-customer-uid=\"{}\"", flow::CUSTOMER_UID)));
    assert!(html.contains(&format!(
        "data-merchant-uid=\"{}\" data-schedule-status=\"scheduled\"",
        flow::SCHEDULED_MID
    )));
    assert!(html.contains(" UTC"));
    // The request log: every API request, newest first, the dropped one without an answer.
    let served = sandbox.requests();
    assert_eq!(html.matches("<tr class=\"request\">").count(), served.len());
    let newest = served.last().expect("requests");
    let first_row = &html[html.find("<tr class=\"request\">").expect("a request row")..];
    let first_row = &first_row[..first_row.find("</tr>").expect("row end")];
    assert!(first_row.contains(&newest.path), "{first_row}");
    assert_eq!(html.matches(">no answer</span>").count(), 1);
    assert!(html.contains("<td>again</td>") && html.contains("<td>onetime</td>"));
    // Approved payments sent `paid` webhooks to the sink.
    let deliveries = sandbox.wait_for_webhooks(Duration::from_secs(10));
    assert!(deliveries.iter().all(|d| d.delivered), "{deliveries:?}");
    let html = page(&sandbox, "");
    assert_eq!(
        html.matches("<tr class=\"webhook\">").count(),
        deliveries.len()
    );
    assert_eq!(html.matches(">delivered</span>").count(), deliveries.len());
    flow::assert_no_secret(&html, &[flow::access_token(&sandbox)]);
}

#[test]
fn advancing_the_clock_shows_the_scheduled_payment() {
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    let flow = flow::run(&sandbox, &client);
    let before = page(&sandbox, "");
    assert!(!before.contains(&format!(
        "data-merchant-uid=\"{}\" data-status",
        flow::SCHEDULED_MID
    )));
    sandbox
        .advance_clock(Duration::from_secs(3600))
        .expect("advance");
    let after = page(&sandbox, "");
    assert_eq!(listed(&after), flow.payments.len() + 1);
    assert!(
        after.contains(&format!(
            "data-merchant-uid=\"{}\" data-status=\"paid\"",
            flow::SCHEDULED_MID
        )),
        "{after}"
    );
    assert!(after.contains(&format!(
        "data-merchant-uid=\"{}\" data-schedule-status=\"executed\"",
        flow::SCHEDULED_MID
    )));
    assert!(after.contains("1 h 0 min ahead of the machine"));
    flow::assert_no_secret(&after, &[flow::access_token(&sandbox)]);
}

#[test]
fn filters_by_status_and_searches_by_uid() {
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    let flow = flow::run(&sandbox, &client);
    for status in ["paid", "failed", "cancelled", "partially_cancelled"] {
        let html = page(&sandbox, &format!("?status={status}"));
        let expected: Vec<_> = flow
            .payments
            .iter()
            .filter(|p| p.status == status)
            .collect();
        assert_eq!(listed(&html), expected.len(), "status={status}");
        for p in expected {
            assert!(row(&html, &p.imp_uid).is_some(), "status={status}: {p:?}");
        }
    }
    let by_customer = page(&sandbox, "?q=customer-42");
    assert_eq!(listed(&by_customer), 3, "{by_customer}");
    let by_merchant = page(&sandbox, "?q=ORDER-000");
    assert_eq!(listed(&by_merchant), 4);
    let nothing = page(&sandbox, "?q=nobody&status=paid");
    assert_eq!(listed(&nothing), 0);
    assert!(nothing.contains("matches the filters"));
    // The search box keeps the (escaped) search.
    let hostile = page(&sandbox, "?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E");
    assert!(!hostile.contains("<script>alert(1)"));
    assert!(
        hostile.contains("&#34;&#62;&#60;script&#62;")
            || hostile.contains("&quot;&gt;&lt;script&gt;")
    );
}

#[test]
fn the_detail_view_shows_the_cancel_history() {
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    let flow = flow::run(&sandbox, &client);
    let partial = flow
        .payments
        .iter()
        .find(|p| p.status == "partially_cancelled")
        .expect("partial");
    let html = page(&sandbox, &format!("?payment={}", partial.imp_uid));
    let detail = &html[html.find("id=\"detail\"").expect("detail")..];
    let detail = &detail[..detail.find("</section>").expect("end")];
    assert!(detail.contains(&partial.merchant_uid));
    assert!(detail.contains("partially cancelled"));
    assert_eq!(
        detail.matches("<tr class=\"cancel\">").count(),
        1,
        "{detail}"
    );
    assert!(detail.contains("2000 KRW") && detail.contains("one lesson refunded"));
    let missing = page(&sandbox, "?payment=imp_000000000000");
    assert!(missing.contains("No payment <code>imp_000000000000</code>"));
    flow::assert_no_secret(&html, &[flow::access_token(&sandbox)]);
}

#[test]
fn everything_shown_is_escaped() {
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    let flow = flow::run(&sandbox, &client);
    let first = &flow.payments[0];
    let html = page(&sandbox, "");
    assert!(!html.contains(flow::MARKUP_NAME));
    assert!(!html.contains("<b>E-book"));
    assert!(
        html.contains("&#60;b&#62;E-book&#60;/b&#62; &#38; &#34;more&#34;")
            || html.contains("&lt;b&gt;E-book"),
        "{}",
        row(&html, &first.imp_uid).unwrap_or_default()
    );
}

#[test]
fn the_page_and_its_assets_are_served_with_a_strict_policy() {
    let sandbox = Sandbox::start();
    for (path, content_type) in [
        ("/__sandbox/", "text/html"),
        ("/__sandbox", "text/html"),
        ("/__sandbox/dashboard.js", "text/javascript"),
        ("/__sandbox/dashboard.css", "text/css"),
    ] {
        let (status, body, headers) = get(&format!("{}{path}", sandbox.base_url()));
        assert_eq!(status, 200, "{path}");
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        assert!(header("content-type").starts_with(content_type), "{path}");
        assert!(header("content-security-policy").contains("script-src 'self'"));
        assert!(header("content-security-policy").contains("frame-ancestors 'none'"));
        assert_eq!(header("x-content-type-options"), "nosniff");
        assert!(!body.is_empty());
    }
    // The page's script sends JSON to the admin endpoints, as their cross-site protection asks.
    let (_, script, _) = get(&format!("{}/__sandbox/dashboard.js", sandbox.base_url()));
    assert!(script.contains("'Content-Type': 'application/json'"));
    // Other admin paths still answer the envelope.
    let (status, body, _) = get(&format!("{}/__sandbox/clock", sandbox.base_url()));
    assert_eq!(status, 200);
    assert!(body.contains("\"now\""));
}

#[test]
fn reset_forgets_payments_but_keeps_the_client_working() {
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    let flow = flow::run(&sandbox, &client);
    assert_eq!(listed(&page(&sandbox, "")), flow.payments.len());
    // Cross-site protection: a form post (what another site's page could send) is refused.
    let refused = ureq::post(format!("{}/__sandbox/reset", sandbox.base_url()))
        .config()
        .http_status_as_error(false)
        .build()
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send("a=b")
        .expect("reset as a form");
    assert_eq!(refused.status().as_u16(), 403);
    assert_eq!(listed(&page(&sandbox, "")), flow.payments.len());
    let mut response = ureq::post(format!("{}/__sandbox/reset", sandbox.base_url()))
        .header("Content-Type", "application/json")
        .send("{}")
        .expect("reset");
    let body = response.body_mut().read_to_string().expect("body");
    assert!(body.contains("\"reset\":true"), "{body}");
    let html = page(&sandbox, "");
    assert_eq!(listed(&html), 0);
    assert!(!html.contains("class=\"billing-key\"") && !html.contains("class=\"schedule\""));
    // The token survived: the same client charges again without a new getToken round trip failing.
    let paid = client
        .charge_billing_key(&flow::again("after-reset", "x"))
        .expect_err("the billing key is gone");
    assert_eq!(paid.code(), Some(1), "{paid:?}");
    assert_eq!(listed(&page(&sandbox, "")), 0);
}

#[test]
fn the_request_log_shows_the_envelope_code_and_message_and_skips_the_favicon() {
    let sandbox = flow::sandbox();
    let client = flow::client(&sandbox);
    // An `again` on an unknown billing key: HTTP 200, but `code: 1`.
    let refused = client
        .charge_billing_key(&iamport::types::ChargeBillingKeyRequest::new(
            "nobody",
            "refused-1",
            "1000".parse::<iamport::Amount>().expect("amount"),
            "Plan",
        ))
        .expect_err("unknown billing key");
    let message = refused.message().expect("message").to_owned();
    let (status, body, _) = get(&format!("{}/favicon.ico", sandbox.base_url()));
    assert_eq!((status, body.as_str()), (204, ""));

    let served = sandbox.requests();
    assert!(
        served.iter().all(|r| r.path != "/favicon.ico"),
        "{served:?}"
    );
    let again = served
        .iter()
        .find(|r| r.operation_id == Some("again"))
        .expect("again logged");
    assert_eq!(
        (again.status, again.code, again.message.as_deref()),
        (Some(200), Some(1), Some(message.as_str()))
    );
    let html = page(&sandbox, "");
    let row = html
        .split("<tr class=\"request\">")
        .find(|row| row.contains("<td>again</td>"))
        .expect("again row");
    assert!(
        row.contains("<td class=\"num\">200</td><td class=\"num\"><span class=\"badge st-failed\">1</span></td>"),
        "{row}"
    );
    assert!(row.contains(&message), "{row}");
    assert!(!html.contains("favicon"));
}
