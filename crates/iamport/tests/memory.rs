//! Bounded memory whatever the server sends: a 16 MiB answer costs the client a small multiple of
//! the documented limit, measured by counting allocations (not time).
//!
//! Its own test binary: the counting `#[global_allocator]` would count every other test's allocations.

// A `GlobalAlloc` is an `unsafe` trait: this file alone allows it (see the crate's `[lints]`).
#![allow(unsafe_code)]

use iamport_test_support as support;

use iamport::types::GetPaymentRequest;
use iamport::{ClientBuilder, Error};
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{Reply, TestServer, ok, payment};

/// The system allocator, counting the bytes live now and the peak since the last reset.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
            PEAK.fetch_max(live, Ordering::SeqCst);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The peak of live bytes above the level at the start, while `f` runs.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE.load(Ordering::SeqCst);
    PEAK.store(start, Ordering::SeqCst);
    let out = f();
    (out, PEAK.load(Ordering::SeqCst).saturating_sub(start))
}

const SIXTEEN_MIB: usize = 16 * 1024 * 1024;

/// `{"code":-1,"message":"...","response":[1,1,1,...,1]}`, 16 MiB of JSON that parses.
fn huge_json(status: u16) -> Reply {
    Reply::Generated {
        status,
        head: r#"{"code":-1,"message":"boom","response":["#.to_owned(),
        repeat: "1,",
        count: SIXTEEN_MIB / 2,
        tail: "1]}".to_owned(),
    }
}

fn lookup(imp_uid: &str) -> GetPaymentRequest {
    GetPaymentRequest::new(imp_uid)
}

// One test: the allocator's counters are process-wide.
#[test]
fn a_16_mib_answer_costs_a_small_multiple_of_the_limit() {
    let server = TestServer::with_token(|req| match req.path.as_str() {
        "/payments/imp_error" => huge_json(400),
        "/payments/imp_huge_ok" => huge_json(200),
        _ => ok(payment("imp_ok", "order-ok", "paid", None)),
    });
    let limit: u64 = 1024 * 1024;
    let client = server
        .builder()
        .read_attempts(1)
        .max_response_bytes(limit)
        .build()
        .unwrap();
    // Warm up: token, pooled connection, lazily initialised statics.
    client.get_payment(&lookup("imp_ok")).unwrap();

    // An error status: at most MAX_ERROR_BODY_BYTES are read, and the excerpt parses nothing big.
    let (err, peak) = peak_during(|| client.get_payment(&lookup("imp_error")));
    let err = err.unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 400, excerpt, .. } if excerpt.len() < 1000),
        "{err:?}"
    );
    let error_limit = ClientBuilder::MAX_ERROR_BODY_BYTES as usize;
    eprintln!("error body: peak {peak} bytes");
    assert!(
        peak < 2 * error_limit,
        "a 16 MiB error body cost {peak} bytes (limit {error_limit})"
    );

    // A success status over max_response_bytes: a typed error, not 16 MiB in memory.
    let (err, peak) = peak_during(|| client.get_payment(&lookup("imp_huge_ok")));
    let err = err.unwrap_err();
    assert!(
        matches!(&err, Error::ResponseTooLarge { status: 200, limit: l, .. } if *l == limit),
        "{err:?}"
    );
    assert!(
        peak < 2 * limit as usize,
        "a 16 MiB success body cost {peak} bytes (limit {limit})"
    );

    eprintln!("success body: peak {peak} bytes");
    // The client still works afterwards (the unread connections were dropped, not reused).
    let ok = client.get_payment(&lookup("imp_ok")).unwrap();
    assert_eq!(ok.imp_uid, "imp_ok");
}
