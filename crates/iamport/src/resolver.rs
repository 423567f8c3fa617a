//! [`CachingResolver`]: host names resolved on the calling thread, at most once per
//! [`DNS_TTL`], so that a call never starts an OS thread.
//!
//! ureq's default resolver, given any overall deadline (`timeout_global`, `timeout_per_call` or
//! `timeout_resolve`), runs each look-up on a **new OS thread** so that it can stop waiting for
//! it, and it resolves on every call, even when a pooled connection is then reused: one thread
//! and one DNS query per payment. This resolver answers from a small cache instead and, on a
//! miss, resolves on the calling thread. The deadline still covers every other phase (connect,
//! TLS, send, receive); a look-up that misses the cache is bounded by the system resolver's own
//! timeouts (`/etc/resolv.conf`: 5 s per attempt by default) rather than by the client's
//! deadline, which is the price of not spawning a thread, paid at most once per host per TTL.

use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};
use ureq::config::Config;
use ureq::http::Uri;
use ureq::unversioned::resolver::{ResolvedSocketAddrs, Resolver};
use ureq::unversioned::transport::NextTimeout;

/// How long a resolved address is reused: 60 s. A host that moves is followed within a minute.
pub(crate) const DNS_TTL: Duration = Duration::from_secs(60);

/// At most this many hosts are cached (a client talks to one).
const MAX_HOSTS: usize = 8;

/// ureq takes at most 16 addresses per host.
const MAX_ADDRS: usize = 16;

/// See the module docs.
#[derive(Debug, Default)]
pub(crate) struct CachingResolver {
    cache: Mutex<Vec<Entry>>,
}

#[derive(Debug)]
struct Entry {
    authority: String,
    resolved_at: Instant,
    addrs: Vec<SocketAddr>,
}

impl CachingResolver {
    fn copy(&self, addrs: &[SocketAddr]) -> ResolvedSocketAddrs {
        let mut out = self.empty();
        for addr in addrs {
            out.push(*addr);
        }
        out
    }
}

impl Resolver for CachingResolver {
    fn resolve(
        &self,
        uri: &Uri,
        config: &Config,
        _timeout: NextTimeout,
    ) -> Result<ResolvedSocketAddrs, ureq::Error> {
        let authority = uri
            .authority()
            .ok_or_else(|| ureq::Error::BadUri("no host".to_owned()))?;
        {
            let cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(entry) = cache
                .iter()
                .find(|e| e.authority == authority.as_str() && e.resolved_at.elapsed() < DNS_TTL)
            {
                return Ok(self.copy(&entry.addrs));
            }
        }
        let port = authority
            .port_u16()
            .unwrap_or(if uri.scheme_str() == Some("https") {
                443
            } else {
                80
            });
        let found = format!("{}:{port}", authority.host()).to_socket_addrs()?;
        let addrs: Vec<SocketAddr> = config
            .ip_family()
            .keep_wanted(found)
            .take(MAX_ADDRS)
            .collect();
        if addrs.is_empty() {
            return Err(ureq::Error::HostNotFound);
        }
        let resolved = self.copy(&addrs);
        let mut cache = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        cache.retain(|e| e.authority != authority.as_str() && e.resolved_at.elapsed() < DNS_TTL);
        if cache.len() >= MAX_HOSTS {
            cache.remove(0);
        }
        cache.push(Entry {
            authority: authority.as_str().to_owned(),
            resolved_at: Instant::now(),
            addrs,
        });
        Ok(resolved)
    }
}
