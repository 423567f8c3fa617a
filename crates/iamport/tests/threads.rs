//! No OS thread per call: every `pthread_create` of this test binary is counted (the symbol is
//! interposed), and 100 calls through one client create none.
//!
//! Its own test binary: other tests running in the same process would create threads it counts.

// Interposing a libc symbol is `unsafe`: this file alone allows it (see the crate's `[lints]`).
#![allow(unsafe_code)]

use iamport_test_support as support;

use iamport::types::GetPaymentRequest;
use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
use support::{TestServer, ok, payment};

static CREATED: AtomicUsize = AtomicUsize::new(0);

type StartRoutine = extern "C" fn(*mut c_void) -> *mut c_void;
type Create = unsafe extern "C" fn(
    *mut libc::pthread_t,
    *const libc::pthread_attr_t,
    StartRoutine,
    *mut c_void,
) -> c_int;

/// Counts, then calls the C library's own `pthread_create`.
///
/// # Safety
/// Same contract as `pthread_create(3)`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn pthread_create(
    thread: *mut libc::pthread_t,
    attr: *const libc::pthread_attr_t,
    start: StartRoutine,
    arg: *mut c_void,
) -> c_int {
    CREATED.fetch_add(1, Ordering::SeqCst);
    // SAFETY: RTLD_NEXT finds the C library's pthread_create, whose signature is `Create`.
    unsafe {
        let real = libc::dlsym(libc::RTLD_NEXT, c"pthread_create".as_ptr());
        assert!(!real.is_null(), "no pthread_create after this one");
        let real: Create = std::mem::transmute(real);
        real(thread, attr, start, arg)
    }
}

#[test]
fn one_hundred_calls_start_no_thread() {
    // The counter sees std's threads (the interposition works).
    let before = CREATED.load(Ordering::SeqCst);
    std::thread::spawn(|| ()).join().unwrap();
    assert_eq!(CREATED.load(Ordering::SeqCst), before + 1);

    let server = TestServer::with_token(|req| {
        let imp_uid = req.path.trim_start_matches("/payments/");
        ok(payment(imp_uid, "order-t", "paid", None))
    });
    // A host name, not an IP: the resolver path that used to start a thread per call.
    let url = server.url().replace("127.0.0.1", "localhost");
    let client = server.builder().base_url(url).build().unwrap();
    let lookup = |i: usize| GetPaymentRequest::new(format!("imp_{i}"));
    // Warm up: token, the one keep-alive connection (and the server's thread for it).
    client.get_payment(&lookup(0)).unwrap();

    let before = CREATED.load(Ordering::SeqCst);
    for i in 1..=100 {
        let payment = client.get_payment(&lookup(i)).unwrap();
        assert_eq!(payment.imp_uid, format!("imp_{i}"));
    }
    let created = CREATED.load(Ordering::SeqCst) - before;
    assert_eq!(created, 0, "{created} threads started over 100 calls");
}
