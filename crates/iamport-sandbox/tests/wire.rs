//! Wire-level rules checked with raw HTTP (ureq and a bare TCP socket): tokens, auth headers,
//! the envelope, form bodies, bad input, admin endpoints.

use std::io::{Read, Write};
use std::time::Duration;

use iamport_sandbox::{Sandbox, TEST_API_KEY, TEST_API_SECRET};
use serde_json::{Value, json};

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

struct Answer {
    status: u16,
    body: Value,
}

fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<(&str, &str)>,
) -> Answer {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let response = match body {
        Some((content_type, text)) => {
            let request = builder
                .header("content-type", content_type)
                .body(text.to_owned())
                .expect("request");
            agent.run(request)
        }
        None => agent.run(builder.body(()).expect("request")),
    }
    .expect("answer");
    let status = response.status().as_u16();
    let text = response.into_body().read_to_string().expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    Answer { status, body }
}

fn token(agent: &ureq::Agent, base: &str) -> (String, i64, i64) {
    let body = format!("{{\"imp_key\":\"{TEST_API_KEY}\",\"imp_secret\":\"{TEST_API_SECRET}\"}}");
    let a = send(
        agent,
        "POST",
        &format!("{base}/users/getToken"),
        &[],
        Some(("application/json", &body)),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let r = &a.body["response"];
    (
        r["access_token"].as_str().expect("token").to_owned(),
        r["now"].as_i64().expect("now"),
        r["expired_at"].as_i64().expect("expired_at"),
    )
}

fn assert_envelope_error(a: &Answer, status: u16, needle: &str) {
    assert_eq!(a.status, status, "{}", a.body);
    assert_ne!(a.body["code"], json!(0), "{}", a.body);
    assert!(a.body["code"].is_i64());
    assert_eq!(a.body["response"], Value::Null);
    let message = a.body["message"].as_str().expect("message");
    assert!(message.contains(needle), "`{message}` lacks `{needle}`");
}

#[test]
fn get_token_reuses_extends_and_expires() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let (t1, now, expired_at) = token(&agent, &base);
    assert_eq!(expired_at - now, 1800);
    assert_eq!(t1.len(), 40);
    assert!(
        t1.chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
    );
    // Same token, same expiry, before the last minute.
    sandbox
        .advance_clock(Duration::from_secs(600))
        .expect("advance");
    let (t2, now2, e2) = token(&agent, &base);
    assert_eq!((t2.as_str(), e2), (t1.as_str(), expired_at));
    assert!(
        (1190..=1200).contains(&(e2 - now2)),
        "a reused token advertises its remaining life"
    );
    // In the last minute: extended by 5 minutes.
    sandbox
        .advance_clock(Duration::from_secs(1200 - 30))
        .expect("advance");
    let (t3, _, e3) = token(&agent, &base);
    assert_eq!((t3.as_str(), e3), (t1.as_str(), expired_at + 300));
    // Valid until the advertised expiry, then 401.
    let url = format!("{base}/subscribe/customers/none");
    // (Real time also passes: keep a few seconds of margin before, none after.)
    let until =
        |target: i64| Duration::from_secs(u64::try_from(target - sandbox.now()).unwrap_or(0));
    sandbox.advance_clock(until(e3 - 5)).expect("advance");
    let a = send(&agent, "GET", &url, &[("Authorization", &t1)], None);
    assert_eq!(a.status, 404, "still valid just before expiry: {}", a.body);
    sandbox.advance_clock(until(e3)).expect("advance");
    let a = send(&agent, "GET", &url, &[("Authorization", &t1)], None);
    assert_envelope_error(&a, 401, "Unauthorized");
    let (t4, _, _) = token(&agent, &base);
    assert_ne!(t4, t1);
}

#[test]
fn auth_headers_and_401s() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let (t, _, _) = token(&agent, &base);
    let url = format!("{base}/payments/imp_000000000000");
    let bearer = format!("Bearer {t}");
    for headers in [
        vec![("Authorization", t.as_str())],
        vec![("authorization", bearer.as_str())],
        vec![("X-ImpTokenHeader", t.as_str())],
        vec![
            ("x-imptokenheader", t.as_str()),
            ("AUTHORIZATION", bearer.as_str()),
        ],
    ] {
        let a = send(&agent, "GET", &url, &headers, None);
        assert_envelope_error(&a, 404, "존재하지 않는 결제정보입니다.");
    }
    assert_envelope_error(&send(&agent, "GET", &url, &[], None), 401, "Unauthorized");
    assert_envelope_error(
        &send(
            &agent,
            "GET",
            &url,
            &[("Authorization", "Bearer nope")],
            None,
        ),
        401,
        "Unauthorized",
    );
    let wrong = send(
        &agent,
        "POST",
        &format!("{base}/users/getToken"),
        &[],
        Some((
            "application/x-www-form-urlencoded",
            "imp_key=imp_apikey&imp_secret=wrong",
        )),
    );
    assert_envelope_error(&wrong, 401, "imp_key");
    let other = Sandbox::builder()
        .credentials("my_key", "my_secret")
        .start()
        .expect("start");
    let a = send(
        &agent,
        "POST",
        &format!("{}/users/getToken", other.base_url()),
        &[],
        Some((
            "application/x-www-form-urlencoded",
            "imp_key=my_key&imp_secret=my_secret",
        )),
    );
    assert_eq!(a.status, 200);
}

#[test]
fn form_bodies_are_coerced_to_the_generated_types() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let (t, _, _) = token(&agent, &base);
    let auth = [("Authorization", t.as_str())];
    let form = "application/x-www-form-urlencoded";
    let a = send(
        &agent,
        "POST",
        &format!("{base}/subscribe/payments/onetime"),
        &auth,
        Some((
            form,
            "merchant_uid=f1&amount=1000&card_number=4242-4242-4242-4242&expiry=2039-01&customer_uid=fc&card_quota=0&use_card_point=false",
        )),
    );
    assert_eq!(
        (a.status, a.body["code"].clone()),
        (200, json!(0)),
        "{}",
        a.body
    );
    assert_eq!(a.body["response"]["amount"], json!(1000));
    let at = sandbox.now() + 3600;
    let body = format!(
        "customer_uid=fc&schedules[0][merchant_uid]=fs1&schedules[0][schedule_at]={at}&schedules[0][amount]=500&schedules[0][name]=n&schedules[1][merchant_uid]=fs2&schedules[1][schedule_at]={}&schedules[1][amount]=600&schedules[1][name]=n",
        at + 1
    );
    let a = send(
        &agent,
        "POST",
        &format!("{base}/subscribe/payments/schedule"),
        &auth,
        Some((form, &body)),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["response"][1]["amount"], json!(600));
    assert_eq!(a.body["response"][0]["currency"], json!("KRW"));
    assert_eq!(a.body["response"][0]["payment_status"], Value::Null);
    let a = send(
        &agent,
        "POST",
        &format!("{base}/subscribe/payments/unschedule"),
        &auth,
        Some((
            form,
            "customer_uid=fc&merchant_uid[]=fs1&merchant_uid[]=fs2",
        )),
    );
    assert_eq!(
        a.body["response"].as_array().map(Vec::len),
        Some(2),
        "{}",
        a.body
    );
    // Query arrays: customer_uid[] repeated.
    let a = send(
        &agent,
        "GET",
        &format!("{base}/subscribe/customers?customer_uid[]=fc&customer_uid[]=zz"),
        &auth,
        None,
    );
    assert_eq!(a.status, 207);
    assert_eq!(a.body["response"].as_array().map(Vec::len), Some(1));
}

#[test]
fn bad_input_gets_the_envelope_never_a_crash() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let (t, _, _) = token(&agent, &base);
    let auth = [("Authorization", t.as_str())];
    let onetime = format!("{base}/subscribe/payments/onetime");
    let json_ct = "application/json";
    let cases: Vec<(&str, &str, u16, &str)> = vec![
        (json_ct, "{", 400, "malformed JSON"),
        (json_ct, "[1,2]", 400, "JSON object"),
        (json_ct, "{}", 400, "merchant_uid"),
        (
            json_ct,
            r#"{"merchant_uid":"m","amount":"ten","card_number":"4242-4242-4242-4242","expiry":"2039-01"}"#,
            400,
            "amount",
        ),
        (
            json_ct,
            r#"{"merchant_uid":"m","amount":100,"card_number":"4242","expiry":"2039-01"}"#,
            400,
            "card_number",
        ),
        (
            json_ct,
            r#"{"merchant_uid":"m","amount":100,"card_number":"4242-4242-4242-4242","expiry":"2039-13"}"#,
            400,
            "expiry",
        ),
        (
            json_ct,
            r#"{"merchant_uid":"m","amount":-5,"card_number":"4242-4242-4242-4242","expiry":"2039-01"}"#,
            400,
            "amount",
        ),
        (
            json_ct,
            r#"{"merchant_uid":"m","amount":100.5,"card_number":"4242-4242-4242-4242","expiry":"2039-01"}"#,
            400,
            "KRW",
        ),
        (
            json_ct,
            r#"{"merchant_uid":{"a":1},"amount":100,"card_number":"4242-4242-4242-4242","expiry":"2039-01"}"#,
            400,
            "merchant_uid",
        ),
        (
            json_ct,
            r#"{"merchant_uid":"m","amount":100,"card_number":"4242-4242-4242-4242","expiry":"2039-01","use_card_point":"maybe"}"#,
            400,
            "use_card_point",
        ),
        (
            "application/x-www-form-urlencoded",
            "merchant_uid[=1",
            400,
            "malformed form key",
        ),
        (
            "application/x-www-form-urlencoded",
            "a[99999999]=1",
            400,
            "index",
        ),
        ("text/plain", "\u{1}\u{2}", 400, "merchant_uid"),
    ];
    for (ct, body, status, needle) in cases {
        let a = send(&agent, "POST", &onetime, &auth, Some((ct, body)));
        assert_envelope_error(&a, status, needle);
        assert!(
            !a.body["message"]
                .as_str()
                .unwrap_or("")
                .contains("4242-4242"),
            "card number echoed"
        );
    }
    // Oversized field: the spec's maxLength (40 for merchant_uid), then the sandbox's own cap.
    let long_mid = format!(
        r#"{{"merchant_uid":"{}","amount":100,"card_number":"4242-4242-4242-4242","expiry":"2039-01"}}"#,
        "m".repeat(41)
    );
    assert_envelope_error(
        &send(&agent, "POST", &onetime, &auth, Some((json_ct, &long_mid))),
        400,
        "merchant_uid",
    );
    let huge = format!(r#"{{"merchant_uid":"m","name":"{}"}}"#, "x".repeat(10_000));
    assert_envelope_error(
        &send(&agent, "POST", &onetime, &auth, Some((json_ct, &huge))),
        400,
        "name",
    );
    let too_big = "x".repeat(300 * 1024);
    assert_envelope_error(
        &send(&agent, "POST", &onetime, &auth, Some((json_ct, &too_big))),
        413,
        "too large",
    );
    // Unknown paths and methods.
    assert_envelope_error(
        &send(&agent, "GET", &format!("{base}/no/such/path"), &auth, None),
        404,
        "no such endpoint",
    );
    assert_envelope_error(
        &send(
            &agent,
            "DELETE",
            &format!("{base}/payments/cancel"),
            &auth,
            None,
        ),
        405,
        "not allowed",
    );
    // Missing required query parameters name the field.
    assert_envelope_error(
        &send(
            &agent,
            "GET",
            &format!("{base}/subscribe/payments/schedule?schedule_from=1"),
            &auth,
            None,
        ),
        400,
        "schedule_to",
    );
    assert_envelope_error(
        &send(
            &agent,
            "GET",
            &format!("{base}/subscribe/payments/schedule?schedule_from=1&schedule_to=99999999"),
            &auth,
            None,
        ),
        400,
        "3 months",
    );
    assert_envelope_error(
        &send(
            &agent,
            "GET",
            &format!("{base}/payments/findAll/m?limit=5000"),
            &auth,
            None,
        ),
        400,
        "limit",
    );
    // Still serving.
    assert_eq!(token(&agent, &base).0, t);
}

#[test]
fn raw_http_without_user_agent_odd_header_case_and_keep_alive() {
    let sandbox = Sandbox::start();
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", sandbox.port())).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let body = format!("imp_key={TEST_API_KEY}&imp_secret={TEST_API_SECRET}");
    for _ in 0..3 {
        let request = format!(
            "POST /users/getToken HTTP/1.1\r\nHOST: 127.0.0.1\r\nCONTENT-TYPE: application/x-www-form-urlencoded\r\nContent-LENGTH: {}\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(request.as_bytes()).expect("write");
        let text = read_response(&mut stream);
        assert!(text.starts_with("HTTP/1.1 200"), "{text}");
        assert!(text.contains("\"access_token\""), "{text}");
    }
}

fn read_response(stream: &mut std::net::TcpStream) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    for _ in 0..1000 {
        let n = stream.read(&mut chunk).expect("read");
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf);
        if let Some((head, rest)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                })
                .unwrap_or(0);
            if rest.len() >= length {
                return text.into_owned();
            }
        }
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[test]
fn many_clients_at_once() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let tokens: Vec<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..16)
            .map(|_| {
                let base = base.clone();
                scope.spawn(move || {
                    let agent = agent();
                    (0..5).map(|_| token(&agent, &base).0).collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(tokens.len(), 80);
    assert!(
        tokens.iter().all(|t| *t == tokens[0]),
        "racing getToken calls share one token"
    );
}

#[test]
fn admin_endpoints() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let before = send(&agent, "GET", &format!("{base}/__sandbox/clock"), &[], None);
    let now = before.body["response"]["now"].as_i64().expect("now");
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/clock/advance"),
        &[],
        Some(("application/json", r#"{"seconds":3600}"#)),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body["response"]["now"].as_i64().expect("now") >= now + 3600);
    assert_envelope_error(
        &send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/clock/advance"),
            &[],
            Some(("application/json", r#"{"seconds":"soon"}"#)),
        ),
        400,
        "seconds",
    );
    let cards = send(&agent, "GET", &format!("{base}/__sandbox/cards"), &[], None);
    assert!(
        cards.body["response"]
            .as_array()
            .is_some_and(|c| c.len() >= 5)
    );
    let channels = send(
        &agent,
        "GET",
        &format!("{base}/__sandbox/channels"),
        &[],
        None,
    );
    assert_eq!(channels.body["response"][0]["pg_provider"], "keyin");

    // Fault via HTTP: a latency fault on getToken, once.
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/faults"),
        &[],
        Some((
            "application/json",
            r#"{"kind":"error","status":502,"operation":"getToken"}"#,
        )),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let response = agent
        .post(&format!("{base}/users/getToken"))
        .send_json(json!({"imp_key": TEST_API_KEY, "imp_secret": TEST_API_SECRET}))
        .expect("answer");
    assert_eq!(response.status().as_u16(), 502);
    token(&agent, &base);
    assert_envelope_error(
        &send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/faults"),
            &[],
            Some(("application/json", r#"{"kind":"explode"}"#)),
        ),
        400,
        "kind",
    );
    let cleared = send(
        &agent,
        "DELETE",
        &format!("{base}/__sandbox/faults"),
        &[("X-Sandbox-Admin", "1")],
        None,
    );
    assert_eq!(cleared.status, 200);
    assert_envelope_error(
        &send(&agent, "GET", &format!("{base}/__sandbox/nope"), &[], None),
        404,
        "admin endpoint",
    );
}

#[test]
fn admin_endpoints_refuse_cross_site_requests() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let offset = || {
        send(&agent, "GET", &format!("{base}/__sandbox/clock"), &[], None).body["response"]
            ["offset"]
            .as_i64()
            .expect("offset")
    };
    // What an HTML form or a "simple" fetch from another site can send: all refused.
    for (content_type, body) in [
        ("application/x-www-form-urlencoded", "seconds=3600"),
        ("text/plain", r#"{"seconds":3600}"#),
        ("multipart/form-data; boundary=x", "--x--"),
    ] {
        let a = send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/clock/advance"),
            &[],
            Some((content_type, body)),
        );
        assert_envelope_error(&a, 403, "application/json");
    }
    assert_envelope_error(
        &send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/faults?kind=drop"),
            &[],
            None,
        ),
        403,
        "application/json",
    );
    assert_envelope_error(
        &send(
            &agent,
            "DELETE",
            &format!("{base}/__sandbox/faults"),
            &[],
            None,
        ),
        403,
        "application/json",
    );
    assert_eq!(offset(), 0, "a refused request changed nothing");
    // JSON (which a browser only sends cross-site after a preflight the sandbox never
    // approves) or the admin header pass.
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/clock/advance"),
        &[],
        Some(("application/json; charset=utf-8", r#"{"seconds":60}"#)),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/schedules/run"),
        &[("x-sandbox-admin", "1")],
        None,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(offset(), 60);
    // A known admin path with the wrong method: 405 with Allow.
    let response = agent
        .put(&format!("{base}/__sandbox/faults"))
        .header("content-type", "application/json")
        .send("{}")
        .expect("answer");
    assert_eq!(response.status().as_u16(), 405);
    let allow = response
        .headers()
        .get("allow")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert_eq!(allow, "POST, DELETE");
}

#[test]
fn clock_advance_out_of_range_is_a_400_naming_seconds() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    for seconds in [
        "-1",
        "-9223372036854775808",
        "9223372036854775807",
        "99999999999999999999999",
        "3162240001",
    ] {
        let a = send(
            &agent,
            "POST",
            &format!("{base}/__sandbox/clock/advance"),
            &[],
            Some(("application/json", &format!(r#"{{"seconds":{seconds}}}"#))),
        );
        assert_envelope_error(&a, 400, "seconds");
    }
    // Within range in one step, but not in all.
    let limit = iamport_sandbox::MAX_ADVANCE_SECONDS;
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/clock/advance"),
        &[],
        Some(("application/json", &format!(r#"{{"seconds":{limit}}}"#))),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    let a = send(
        &agent,
        "POST",
        &format!("{base}/__sandbox/clock/advance"),
        &[],
        Some(("application/json", r#"{"seconds":1}"#)),
    );
    assert_envelope_error(&a, 400, "seconds");
    assert!(sandbox.advance_clock(Duration::from_secs(1)).is_err());
    assert!(sandbox.advance_clock(Duration::MAX).is_err());
    // The clock still works, and so does getToken.
    let (_, now, expired_at) = token(&agent, &base);
    assert!(now > 0 && expired_at > now, "{now} {expired_at}");
}

#[test]
fn the_request_log_records_what_was_served_and_no_secret() {
    let sandbox = Sandbox::builder()
        .request_log_capacity(5)
        .start()
        .expect("start");
    let base = sandbox.base_url();
    let agent = agent();
    let (token, _, _) = token(&agent, &base);
    let a = send(
        &agent,
        "POST",
        &format!("{base}/subscribe/payments/onetime?secret_query=hidden"),
        &[("Authorization", &token)],
        Some((
            "application/json",
            r#"{"merchant_uid":"log-1","amount":1000,"card_number":"4242-4242-4242-4242","expiry":"2035-12","birth":"880101","pwd_2digit":"12"}"#,
        )),
    );
    assert_eq!(a.status, 200, "{}", a.body);
    send(&agent, "GET", &format!("{base}/nope"), &[], None);
    send(&agent, "GET", &format!("{base}/__sandbox/clock"), &[], None);

    let log = sandbox.requests();
    let ops: Vec<Option<&str>> = log.iter().map(|r| r.operation_id).collect();
    assert_eq!(ops, [Some("getToken"), Some("onetime"), None], "{log:?}");
    let charge = &log[1];
    assert_eq!(charge.method, "POST");
    assert_eq!(charge.path, "/subscribe/payments/onetime");
    assert_eq!(charge.status, Some(200));
    assert_eq!(charge.merchant_uid.as_deref(), Some("log-1"));
    assert!(charge.sandbox_time > 0 && charge.wall_time_ms > 0);
    assert_eq!(log[2].status, Some(404));
    assert!(log.windows(2).all(|w| w[0].seq + 1 == w[1].seq));

    let http = send(
        &agent,
        "GET",
        &format!("{base}/__sandbox/requests"),
        &[],
        None,
    );
    assert_eq!(http.status, 200);
    let text = http.body.to_string();
    for secret in [
        TEST_API_SECRET,
        token.as_str(),
        "4242-4242-4242-4242",
        "880101",
        "hidden",
    ] {
        assert!(!text.contains(secret), "the log shows `{secret}`: {text}");
    }
    assert_eq!(http.body["response"]["capacity"], 5);
    assert_eq!(
        http.body["response"]["requests"][1]["merchant_uid"],
        "log-1"
    );
    let after = send(
        &agent,
        "GET",
        &format!("{base}/__sandbox/requests?after=2"),
        &[],
        None,
    );
    assert_eq!(
        after.body["response"]["requests"].as_array().map(Vec::len),
        Some(1)
    );

    // Bounded: the oldest records go first.
    for _ in 0..10 {
        send(&agent, "GET", &format!("{base}/nope"), &[], None);
    }
    let log = sandbox.requests();
    assert_eq!(log.len(), 5);
    assert_eq!(log[4].seq, 13);
}

#[test]
fn the_published_public_test_pair_works_with_no_option() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    for key in [
        iamport_sandbox::TEST_API_KEY,
        iamport_sandbox::TEST_API_KEY_NPM,
    ] {
        let body = json!({"imp_key": key, "imp_secret": iamport_sandbox::PUBLIC_TEST_API_SECRET})
            .to_string();
        let a = send(
            &agent,
            "POST",
            &format!("{base}/users/getToken"),
            &[],
            Some(("application/json", &body)),
        );
        assert_eq!(a.status, 200, "{key}: {}", a.body);
        assert_eq!(
            a.body["response"]["access_token"].as_str().map(str::len),
            Some(40)
        );
    }
    // The npm spelling with the sandbox's own secret is not a published pair.
    let body = json!({"imp_key": iamport_sandbox::TEST_API_KEY_NPM, "imp_secret": TEST_API_SECRET})
        .to_string();
    let a = send(
        &agent,
        "POST",
        &format!("{base}/users/getToken"),
        &[],
        Some(("application/json", &body)),
    );
    assert_eq!(a.status, 401, "{}", a.body);
}

#[test]
fn a_non_loopback_webhook_url_is_refused_by_the_builder() {
    let err = Sandbox::builder()
        .webhook_url("http://example.com/hook")
        .start()
        .expect_err("refused");
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("loopback"), "{err}");
    Sandbox::builder()
        .webhook_url("http://localhost:9/hook")
        .start()
        .expect("a loopback URL is fine");
}
