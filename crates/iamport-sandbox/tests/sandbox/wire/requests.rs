//! Tokens, auth headers, form bodies, bad input, raw HTTP and many clients.

use super::*;

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
    assert_eq!(a.status, 200, "still valid just before expiry: {}", a.body);
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
            200, // card data the PG refuses: HTTP 200, code -1, as i'mport answers
            "카드번호",
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
fn payments_of_a_merchant_uid_are_sorted_and_filtered_as_asked() {
    let sandbox = Sandbox::start();
    let base = sandbox.base_url();
    let agent = agent();
    let (t, _, _) = token(&agent, &base);
    let auth = [("Authorization", t.as_str())];
    let charge = |card: &str| {
        let body = json!({"merchant_uid": "sorted-1", "amount": 1000, "card_number": card,
            "expiry": "2039-12", "birth": "880101"})
        .to_string();
        let a = send(
            &agent,
            "POST",
            &format!("{base}/subscribe/payments/onetime"),
            &auth,
            Some(("application/json", &body)),
        );
        assert_eq!(a.body["code"], json!(0), "{}", a.body);
        a.body["response"]["imp_uid"]
            .as_str()
            .expect("imp_uid")
            .to_owned()
    };
    // A declined attempt, then an approved one under the same merchant_uid.
    let failed = charge("4000-0000-0000-9995");
    let paid = charge("4242-4242-4242-4242");
    let list = |query: &str| -> Vec<String> {
        let a = send(
            &agent,
            "GET",
            &format!("{base}/payments/findAll/sorted-1{query}"),
            &auth,
            None,
        );
        assert_eq!(a.status, 200, "{}", a.body);
        a.body["response"]["list"]
            .as_array()
            .expect("list")
            .iter()
            .map(|p| p["imp_uid"].as_str().expect("imp_uid").to_owned())
            .collect()
    };
    assert_eq!(
        list(""),
        [paid.clone(), failed.clone()],
        "newest first by default"
    );
    assert_eq!(list("?sorting=started"), [failed.clone(), paid.clone()]);
    assert_eq!(list("?sorting=-updated"), [paid.clone(), failed.clone()]);
    assert_eq!(list("/failed"), std::slice::from_ref(&failed));
    let first = |query: &str| {
        let a = send(
            &agent,
            "GET",
            &format!("{base}/payments/find/sorted-1{query}"),
            &auth,
            None,
        );
        a.body["response"]["imp_uid"]
            .as_str()
            .expect("imp_uid")
            .to_owned()
    };
    assert_eq!(first(""), paid);
    assert_eq!(first("?sorting=started"), failed);
    assert_eq!(first("/failed"), failed);
    let unknown = send(
        &agent,
        "GET",
        &format!("{base}/payments/findAll/sorted-1?sorting=sideways"),
        &auth,
        None,
    );
    assert_envelope_error(&unknown, 400, "sorting");
}
