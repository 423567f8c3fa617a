//! [`Client`] and its [`ClientBuilder`].

use crate::error::{ConfigError, Error};
use crate::masking::MaskingConnector;
use crate::resolver::CachingResolver;
use crate::runtime::Secret;
use crate::token::{Clock, TokenCache};
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::sync::Arc;
use std::time::Duration;
use ureq::unversioned::transport::{Connector as _, DefaultConnector};

/// The TLS library: rustls unless only the `native-tls` feature is on.
#[cfg(feature = "rustls")]
const TLS_PROVIDER: ureq::tls::TlsProvider = ureq::tls::TlsProvider::Rustls;
#[cfg(all(feature = "native-tls", not(feature = "rustls")))]
const TLS_PROVIDER: ureq::tls::TlsProvider = ureq::tls::TlsProvider::NativeTls;

/// A synchronous i'mport client. Every operation of the spec is a method of `Client`
/// (`client.charge_billing_key(&request)`), and [`Client::send`] sends any request.
///
/// One `Client` holds one `ureq` agent (a connection pool) and one access-token cache. It is
/// `Send + Sync` and cloning it is cheap (an `Arc`): share one per process, across threads.
///
/// See the [crate docs](crate) for the payment flows, tokens, retries and errors.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) agent: ureq::Agent,
    pub(crate) base_url: String,
    pub(crate) imp_key: String,
    pub(crate) imp_secret: Secret,
    pub(crate) tokens: TokenCache,
    pub(crate) read_attempts: u32,
    pub(crate) retry_backoff: Duration,
    pub(crate) max_response_bytes: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("imp_key", &self.inner.imp_key)
            .field("imp_secret", &self.inner.imp_secret)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder with the defaults (production base URL, 10 s connect / 30 s read / 60 s overall
    /// timeouts, 30 s token refresh margin, 3 attempts for reads).
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client for `imp_key` / `imp_secret` with every default.
    pub fn new(imp_key: impl Into<String>, imp_secret: impl Into<Secret>) -> Result<Client, Error> {
        Client::builder()
            .imp_key(imp_key)
            .imp_secret(imp_secret)
            .build()
    }

    /// A client from the environment: `IAMPORT_API_KEY`, `IAMPORT_API_SECRET` and, optionally,
    /// `IAMPORT_BASE_URL`. A missing variable is [`ConfigError::MissingEnvVar`] naming it.
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::from_env()?.build()
    }

    /// The base URL requests go to (without a trailing `/`).
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }
}

/// Builds a [`Client`]. Every timeout has a finite default: ureq 3 has none.
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    imp_key: Option<String>,
    imp_secret: Option<Secret>,
    connect_timeout: Duration,
    read_timeout: Duration,
    timeout: Duration,
    user_agent: String,
    token_refresh_margin: Duration,
    read_attempts: u32,
    retry_backoff: Duration,
    max_response_bytes: u64,
    clock: Clock,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder {
            base_url: ClientBuilder::DEFAULT_BASE_URL.to_owned(),
            imp_key: None,
            imp_secret: None,
            connect_timeout: ClientBuilder::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: ClientBuilder::DEFAULT_READ_TIMEOUT,
            timeout: ClientBuilder::DEFAULT_TIMEOUT,
            user_agent: concat!("iamport-rust/", env!("CARGO_PKG_VERSION")).to_owned(),
            token_refresh_margin: ClientBuilder::DEFAULT_TOKEN_REFRESH_MARGIN,
            read_attempts: ClientBuilder::DEFAULT_READ_ATTEMPTS,
            retry_backoff: ClientBuilder::DEFAULT_RETRY_BACKOFF,
            max_response_bytes: ClientBuilder::DEFAULT_MAX_RESPONSE_BYTES,
            clock: Clock::default(),
        }
    }
}

impl ClientBuilder {
    /// The production API.
    pub const DEFAULT_BASE_URL: &'static str = "https://api.iamport.kr";
    /// Default [`connect_timeout`](ClientBuilder::connect_timeout): 10 s.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default [`read_timeout`](ClientBuilder::read_timeout): 30 s (a card company can take a
    /// while).
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default [`timeout`](ClientBuilder::timeout): 60 s for a whole exchange.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
    /// Default [`token_refresh_margin`](ClientBuilder::token_refresh_margin): 30 s. i'mport
    /// answers a `getToken` for a valid token with the same token and, unless the token is in its
    /// last minute (which extends it by five minutes), the same expiry: a refresh only does
    /// something inside that last minute. 30 s lands in it and still leaves half a minute for a
    /// slow request to use the token.
    pub const DEFAULT_TOKEN_REFRESH_MARGIN: Duration = Duration::from_secs(30);
    /// Default [`read_attempts`](ClientBuilder::read_attempts): 3.
    pub const DEFAULT_READ_ATTEMPTS: u32 = 3;
    /// Default [`retry_backoff`](ClientBuilder::retry_backoff): 200 ms, doubled after each failed
    /// attempt.
    pub const DEFAULT_RETRY_BACKOFF: Duration = Duration::from_millis(200);
    /// Default [`max_response_bytes`](ClientBuilder::max_response_bytes): 8 MiB. i'mport's
    /// largest answer, a page of 1,000 payments (`limit` is at most 1000), is about 2 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 8 * 1024 * 1024;
    /// The most read of an error answer (any status outside 2xx): 64 KiB. i'mport's error
    /// envelopes are a few hundred bytes; the rest of a longer body is not read (the connection
    /// is then closed rather than reused), and the error keeps an excerpt of what was read.
    pub const MAX_ERROR_BODY_BYTES: u64 = 64 * 1024;

    /// Environment variable read by [`Client::from_env`] for the REST API key.
    pub const ENV_API_KEY: &'static str = "IAMPORT_API_KEY";
    /// Environment variable read by [`Client::from_env`] for the REST API secret.
    pub const ENV_API_SECRET: &'static str = "IAMPORT_API_SECRET";
    /// Optional environment variable read by [`Client::from_env`] for the base URL.
    pub const ENV_BASE_URL: &'static str = "IAMPORT_BASE_URL";

    /// A builder with `imp_key`, `imp_secret` and (if set) the base URL taken from the
    /// environment (see [`Client::from_env`]); the other settings can still be changed.
    pub fn from_env() -> Result<ClientBuilder, Error> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    pub(crate) fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
    ) -> Result<ClientBuilder, Error> {
        let get = |name: &'static str| lookup(name).filter(|v| !v.trim().is_empty());
        let key = get(ClientBuilder::ENV_API_KEY)
            .ok_or(ConfigError::MissingEnvVar(ClientBuilder::ENV_API_KEY))?;
        let secret = get(ClientBuilder::ENV_API_SECRET)
            .ok_or(ConfigError::MissingEnvVar(ClientBuilder::ENV_API_SECRET))?;
        let mut builder = ClientBuilder::default()
            .imp_key(key.trim())
            .imp_secret(secret.trim());
        if let Some(url) = get(ClientBuilder::ENV_BASE_URL) {
            builder = builder.base_url(url.trim());
        }
        Ok(builder)
    }

    /// The API's base URL (default `https://api.iamport.kr`). `http://` is accepted only for
    /// loopback hosts (`127.0.0.0/8`, `::1`, `localhost`), e.g. a local sandbox.
    #[must_use]
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// The REST API key (`imp_key`).
    #[must_use]
    pub fn imp_key(mut self, imp_key: impl Into<String>) -> Self {
        self.imp_key = Some(imp_key.into());
        self
    }

    /// The REST API secret (`imp_secret`); kept as a [`Secret`], never printed.
    #[must_use]
    pub fn imp_secret(mut self, imp_secret: impl Into<Secret>) -> Self {
        self.imp_secret = Some(imp_secret.into());
        self
    }

    /// Limit for establishing a connection, TLS handshake included (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Limit for each read from the connection (default 30 s).
    #[must_use]
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Limit for one whole HTTP exchange, from connecting to the last byte of the body
    /// (default 60 s). Host names are resolved on the calling thread and cached for 60 s, so a
    /// call never starts a thread: a look-up that misses the cache is bounded by the system
    /// resolver's own timeouts, not by this one.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The `User-Agent` header (default `iamport-rust/<version>`).
    #[must_use]
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// How long before the server-stated expiry a token is refreshed (default 30 s). The expiry
    /// is computed from the server's `expired_at - now` and the local monotonic clock, so a
    /// skewed local clock does not matter. When a refresh is answered with the expiry the
    /// server gave before (asked outside i'mport's one-minute extension window), the token is
    /// kept until that expiry: `getToken` is not asked again before every call.
    #[must_use]
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// The monotonic clock the token cache reads (default: [`std::time::Instant`]), as the time
    /// elapsed since any fixed point. For tests that move a sandbox clock forward and the
    /// client's with it.
    #[doc(hidden)]
    #[must_use]
    pub fn monotonic_clock(mut self, now: impl Fn() -> Duration + Send + Sync + 'static) -> Self {
        self.clock = Clock::new(now);
        self
    }

    /// How many times a [`Read`](crate::runtime::OperationKind::Read) operation is attempted on
    /// transport errors and 5xx (default 3; `1` disables retries). Other operations are never
    /// retried.
    #[must_use]
    pub fn read_attempts(mut self, attempts: u32) -> Self {
        self.read_attempts = attempts.max(1);
        self
    }

    /// The pause before the first retry of a read (default 200 ms), doubled for each further one.
    #[must_use]
    pub fn retry_backoff(mut self, backoff: Duration) -> Self {
        self.retry_backoff = backoff;
        self
    }

    /// The largest successful (2xx) answer read (default 8 MiB). A longer body is not read past
    /// the limit and the call fails with [`Error::ResponseTooLarge`] (for a charge or a cancel,
    /// wrapped in an unknown outcome: the money may have moved). Memory use per call stays
    /// within about twice this limit.
    #[must_use]
    pub fn max_response_bytes(mut self, limit: u64) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Builds the client: checks the credentials, the base URL (TLS unless loopback) and the
    /// timeouts, and creates the shared `ureq` agent.
    pub fn build(self) -> Result<Client, Error> {
        let base_url = check_base_url(&self.base_url)?;
        if !cfg!(any(feature = "rustls", feature = "native-tls"))
            && base_url
                .get(..8)
                .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
        {
            return Err(ConfigError::NoTls.into());
        }
        let imp_key = self
            .imp_key
            .filter(|k| !k.is_empty())
            .ok_or(ConfigError::MissingCredential("imp_key"))?;
        let imp_secret = self
            .imp_secret
            .filter(|s| !s.expose().is_empty())
            .ok_or(ConfigError::MissingCredential("imp_secret"))?;
        for (name, value) in [
            ("connect_timeout", self.connect_timeout),
            ("read_timeout", self.read_timeout),
            ("timeout", self.timeout),
        ] {
            if value.is_zero() {
                return Err(ConfigError::ZeroTimeout(name).into());
            }
        }
        let config = ureq::Agent::config_builder()
            // Statuses are judged here, with the body: 4xx/5xx bodies carry i'mport's message.
            .http_status_as_error(false)
            // i'mport does not redirect; following one could leave TLS or replay a payment.
            .max_redirects(0)
            .max_redirects_will_error(false)
            .timeout_connect(Some(self.connect_timeout))
            .timeout_per_read(Some(self.read_timeout))
            .timeout_per_write(Some(self.read_timeout))
            .timeout_global(Some(self.timeout))
            .user_agent(self.user_agent.as_str())
            .accept("application/json")
            // Uncompressed answers, even if another crate enables ureq's `gzip`: the masking
            // transport must see getToken's answer as it will be decoded.
            .accept_encoding("identity");
        #[cfg(any(feature = "rustls", feature = "native-tls"))]
        let config = config.tls_config(
            ureq::tls::TlsConfig::builder()
                .provider(TLS_PROVIDER)
                .build(),
        );
        let config = config.build();
        // The last layer of every connection keeps secrets out of ureq's own logs (`masking`).
        let connector = DefaultConnector::new().chain(MaskingConnector);
        // No OS thread per call: see `resolver` (ureq's default one spawns a thread per look-up
        // once an overall deadline is set).
        let agent = ureq::Agent::with_parts(config, connector, CachingResolver::default());
        Ok(Client {
            inner: Arc::new(Inner {
                agent,
                base_url,
                imp_key,
                imp_secret,
                tokens: TokenCache::new(self.token_refresh_margin, self.clock),
                read_attempts: self.read_attempts.max(1),
                retry_backoff: self.retry_backoff,
                max_response_bytes: self.max_response_bytes.max(1),
            }),
        })
    }
}

/// Checks a base URL and returns it without a trailing `/`.
fn check_base_url(url: &str) -> Result<String, ConfigError> {
    let invalid = |reason| ConfigError::InvalidBaseUrl {
        url: url.to_owned(),
        reason,
    };
    let (scheme, rest) = url.split_once("://").ok_or_else(|| invalid("no scheme"))?;
    let secure = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        _ => return Err(invalid("the scheme must be https (or http for loopback)")),
    };
    if rest.contains(['?', '#']) {
        return Err(invalid("a base URL has no query or fragment"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(invalid("credentials go to the builder, not into the URL"));
    }
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed.split(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return Err(invalid("no host"));
    }
    if !secure && !is_loopback(host) {
        return Err(ConfigError::InsecureBaseUrl {
            host: host.to_owned(),
        });
    }
    Ok(url.trim_end_matches('/').to_owned())
}

fn is_loopback(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || host.parse::<Ipv6Addr>().is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(
            check_base_url("https://api.iamport.kr/").unwrap(),
            "https://api.iamport.kr"
        );
        assert_eq!(
            check_base_url("HTTPS://proxy.example/iamport").unwrap(),
            "HTTPS://proxy.example/iamport"
        );
        for ok in [
            "http://127.0.0.1:8080",
            "http://127.3.4.5",
            "http://localhost:1/x",
            "http://[::1]:99",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
        for insecure in [
            "http://api.iamport.kr",
            "http://10.0.0.1",
            "http://[::2]",
            "http://localhost.evil.com",
            "http://127.0.0.1.nip.io",
        ] {
            assert!(
                matches!(
                    check_base_url(insecure),
                    Err(ConfigError::InsecureBaseUrl { .. })
                ),
                "{insecure}"
            );
        }
        for invalid in [
            "api.iamport.kr",
            "ftp://x",
            "https://",
            "https://u:p@host",
            "https://h/?q=1",
        ] {
            assert!(
                matches!(
                    check_base_url(invalid),
                    Err(ConfigError::InvalidBaseUrl { .. })
                ),
                "{invalid}"
            );
        }
    }

    #[test]
    fn env_lookup_names_the_missing_variable() {
        let none = ClientBuilder::from_lookup(|_| None).unwrap_err();
        assert!(matches!(
            none,
            Error::Config(ConfigError::MissingEnvVar("IAMPORT_API_KEY"))
        ));
        assert!(none.to_string().contains("IAMPORT_API_KEY"));
        let no_secret = ClientBuilder::from_lookup(|n| {
            (n == ClientBuilder::ENV_API_KEY).then(|| "key".to_owned())
        })
        .unwrap_err();
        assert!(
            no_secret.to_string().contains("IAMPORT_API_SECRET"),
            "{no_secret}"
        );
        let client = ClientBuilder::from_lookup(|n| match n {
            ClientBuilder::ENV_API_KEY => Some("key".into()),
            ClientBuilder::ENV_API_SECRET => Some("s3cr3t-value".into()),
            ClientBuilder::ENV_BASE_URL => Some("http://127.0.0.1:9/".into()),
            _ => None,
        })
        .unwrap()
        .build()
        .unwrap();
        assert_eq!(client.base_url(), "http://127.0.0.1:9");
        assert!(!format!("{client:?}").contains("s3cr3t-value"));
        let insecure = ClientBuilder::from_lookup(|n| match n {
            ClientBuilder::ENV_BASE_URL => Some("http://api.iamport.kr".into()),
            _ => Some("x".into()),
        })
        .unwrap()
        .build()
        .unwrap_err();
        assert!(matches!(
            insecure,
            Error::Config(ConfigError::InsecureBaseUrl { .. })
        ));
    }

    #[test]
    fn https_without_a_tls_feature_is_refused_at_build_time() {
        let built = Client::new("k", "s");
        if cfg!(any(feature = "rustls", feature = "native-tls")) {
            assert!(built.is_ok());
        } else {
            assert!(matches!(built, Err(Error::Config(ConfigError::NoTls))));
        }
    }

    #[test]
    fn client_is_send_sync_and_cheap_to_clone() {
        fn assert_send_sync<T: Send + Sync + Clone>() {}
        assert_send_sync::<Client>();
        fn assert_error<T: std::error::Error + Send + Sync + 'static>() {}
        assert_error::<Error>();
        let a = Client::builder()
            .base_url("http://127.0.0.1:9")
            .imp_key("k")
            .imp_secret("s")
            .build()
            .unwrap();
        let b = a.clone();
        assert!(Arc::ptr_eq(&a.inner, &b.inner));
    }
}
