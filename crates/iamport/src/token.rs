//! The access-token cache: fetched on first use, reused until shortly before it expires,
//! single-flight, immune to local clock skew.
//!
//! i'mport's `getToken` answers `access_token`, `now` and `expired_at` in the **server's** unix
//! seconds. The cache never compares those with the local wall clock (which may be off by
//! minutes): it keeps the server-stated lifetime `expired_at - now` and the local monotonic
//! [`Instant`] at which the `getToken` request was sent (a little earlier than the token's
//! arrival, so network latency eats into the lifetime rather than extending it), and refreshes
//! once `lifetime - margin` has passed on that monotonic clock.
//!
//! i'mport answers a `getToken` for a still-valid token with the **same** token and, unless
//! the token is in its last minute (when it extends it by five minutes), the same `expired_at`.
//! A refresh asked for too early therefore changes nothing; when the server answers the
//! `expired_at` it answered before, the cache keeps the token until that expiry itself (or a
//! 401) instead of asking again before every call.

use crate::Error;
use crate::runtime::Secret;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The monotonic clock the cache reads: time elapsed since some fixed point.
#[derive(Clone)]
pub(crate) struct Clock(Arc<dyn Fn() -> Duration + Send + Sync>);

impl Clock {
    /// A clock from any elapsed-time source (tests move it with a sandbox clock).
    pub(crate) fn new(now: impl Fn() -> Duration + Send + Sync + 'static) -> Self {
        Clock(Arc::new(now))
    }

    fn now(&self) -> Duration {
        (self.0)()
    }
}

impl Default for Clock {
    /// [`Instant`]: immune to changes of the wall clock.
    fn default() -> Self {
        let start = Instant::now();
        Clock::new(move || start.elapsed())
    }
}

impl fmt::Debug for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Clock")
    }
}

/// One cached token.
struct Cached {
    token: Arc<Secret>,
    /// The clock reading after which the token must be refreshed before use.
    refresh_at: Duration,
    /// The server's `expired_at` for this token, to notice an answer that changes nothing.
    server_expired_at: i64,
    /// Increases with every fetched token; lets a 401 invalidate exactly the token it used.
    generation: u64,
}

/// A token handed to one call, with its generation (for [`TokenCache::invalidate`]).
#[derive(Clone)]
pub(crate) struct Token {
    pub(crate) value: Arc<Secret>,
    pub(crate) generation: u64,
}

/// What a fetch returns: the token and the server's `now` / `expired_at` (unix seconds).
pub(crate) struct Fetched {
    pub(crate) token: Secret,
    pub(crate) server_now: i64,
    pub(crate) server_expired_at: i64,
}

/// A single-flight token cache (see the module docs).
pub(crate) struct TokenCache {
    margin: Duration,
    clock: Clock,
    state: Mutex<State>,
    /// Held by the one thread fetching a token; the others wait on it, then reuse its token.
    fetching: Mutex<()>,
}

#[derive(Default)]
struct State {
    cached: Option<Cached>,
    generation: u64,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves consistent data behind (plain assignments only).
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl TokenCache {
    /// A cache that refreshes `margin` before the server-stated expiry.
    pub(crate) fn new(margin: Duration, clock: Clock) -> Self {
        TokenCache {
            margin,
            clock,
            state: Mutex::new(State::default()),
            fetching: Mutex::new(()),
        }
    }

    /// The current token, fetching one with `fetch` if there is none or it is due for refresh.
    ///
    /// At most one thread runs `fetch` at a time; threads that waited for it use the token it
    /// fetched, even when that token is already due (a lifetime shorter than the margin): a
    /// freshly fetched token is always used at least once.
    pub(crate) fn get(
        &self,
        fetch: impl FnOnce() -> Result<Fetched, Error>,
    ) -> Result<Token, Error> {
        let seen_generation = {
            let state = lock(&self.state);
            if let Some(token) = self.fresh(&state) {
                return Ok(token);
            }
            state.generation
        };
        let _fetching = lock(&self.fetching);
        {
            let state = lock(&self.state);
            if let Some(token) = self.fresh(&state) {
                return Ok(token);
            }
            if state.generation != seen_generation
                && let Some(cached) = &state.cached
            {
                // Another thread fetched while this one waited: use its token.
                return Ok(Token {
                    value: cached.token.clone(),
                    generation: cached.generation,
                });
            }
        }
        let sent_at = self.clock.now();
        let fetched = fetch()?;
        let lifetime = Duration::from_secs(
            u64::try_from(fetched.server_expired_at.saturating_sub(fetched.server_now))
                .unwrap_or(0),
        );
        let mut state = lock(&self.state);
        // The same expiry as before: asking earlier than that changes nothing, so keep the
        // token until it expires (or a 401 says otherwise).
        let unchanged = state
            .cached
            .as_ref()
            .is_some_and(|c| c.server_expired_at == fetched.server_expired_at);
        let usable = if unchanged {
            lifetime
        } else {
            lifetime.saturating_sub(self.margin)
        };
        state.generation += 1;
        let cached = Cached {
            token: Arc::new(fetched.token),
            refresh_at: sent_at + usable,
            server_expired_at: fetched.server_expired_at,
            generation: state.generation,
        };
        let token = Token {
            value: cached.token.clone(),
            generation: cached.generation,
        };
        state.cached = Some(cached);
        Ok(token)
    }

    /// Forgets the token of `generation` (after a 401), unless a newer one replaced it already.
    pub(crate) fn invalidate(&self, generation: u64) {
        let mut state = lock(&self.state);
        if state
            .cached
            .as_ref()
            .is_some_and(|c| c.generation == generation)
        {
            state.cached = None;
        }
    }
}

impl TokenCache {
    fn fresh(&self, state: &State) -> Option<Token> {
        let now = self.clock.now();
        state
            .cached
            .as_ref()
            .filter(|c| now < c.refresh_at)
            .map(|c| Token {
                value: c.token.clone(),
                generation: c.generation,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn fetched(token: &str, now: i64, expired_at: i64) -> Fetched {
        Fetched {
            token: Secret::new(token),
            server_now: now,
            server_expired_at: expired_at,
        }
    }

    #[test]
    fn reuses_until_due_and_ignores_the_local_clock() {
        // Server clock in 1970: a wall-clock comparison would call this token expired.
        let cache = TokenCache::new(Duration::from_secs(60), Clock::default());
        let calls = Cell::new(0);
        for _ in 0..3 {
            let t = cache
                .get(|| {
                    calls.set(calls.get() + 1);
                    Ok(fetched("a", 1000, 2800))
                })
                .unwrap();
            assert_eq!(t.value.expose(), "a");
        }
        assert_eq!(calls.get(), 1);
    }

    #[test]
    fn lifetime_within_margin_refreshes_until_the_server_answers_the_same_expiry() {
        let cache = TokenCache::new(Duration::from_secs(60), Clock::default());
        let calls = Cell::new(0);
        for _ in 0..4 {
            cache
                .get(|| {
                    calls.set(calls.get() + 1);
                    Ok(fetched("a", 1000, 1030))
                })
                .unwrap();
        }
        // Due at once (a lifetime within the margin), asked again, same expiry: kept until it.
        assert_eq!(calls.get(), 2);
    }

    #[test]
    fn invalidate_only_drops_the_named_generation() {
        let cache = TokenCache::new(Duration::from_secs(60), Clock::default());
        let first = cache.get(|| Ok(fetched("a", 0, 1800))).unwrap();
        cache.invalidate(first.generation + 7);
        let again = cache.get(|| panic!("must reuse")).unwrap();
        assert_eq!(again.generation, first.generation);
        cache.invalidate(first.generation);
        let second = cache.get(|| Ok(fetched("b", 0, 1800))).unwrap();
        assert_eq!(second.value.expose(), "b");
        assert!(second.generation > first.generation);
    }

    #[test]
    fn a_failed_fetch_caches_nothing() {
        let cache = TokenCache::new(Duration::from_secs(60), Clock::default());
        let err = cache.get(|| Err(crate::Error::InvalidWebhook { reason: "x".into() }));
        assert!(err.is_err());
        let t = cache.get(|| Ok(fetched("b", 0, 1800))).unwrap();
        assert_eq!(t.value.expose(), "b");
    }
}
