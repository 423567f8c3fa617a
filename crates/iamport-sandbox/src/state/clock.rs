//! The sandbox clock: the machine's clock plus an offset that tests move forward.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The latest time the sandbox clock may show: 9999-12-31T23:59:59Z, in unix seconds (the
/// largest time a four-digit year, and so `YYYY-MM` card expiries, can express).
pub const MAX_TIME: i64 = 253_402_300_799;

/// A clock advance refused because it would move the clock backward or past [`MAX_TIME`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockOutOfRange {
    /// The largest `seconds` that would have been accepted.
    pub max_seconds: i64,
}

impl std::fmt::Display for ClockOutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`seconds` must be between 0 and {}: the sandbox clock only moves forward and stops at 9999-12-31T23:59:59Z",
            self.max_seconds
        )
    }
}

impl std::error::Error for ClockOutOfRange {}

/// Wall-clock time shifted by an adjustable offset, in whole unix seconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
}

/// The machine's clock in unix seconds (0 before 1970, [`MAX_TIME`] after it).
fn real_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(MAX_TIME))
        .unwrap_or(0)
        .min(MAX_TIME)
}

impl Clock {
    /// The sandbox's current time in unix seconds, at most [`MAX_TIME`].
    pub fn now(&self) -> i64 {
        real_now()
            .saturating_add(self.offset.load(Ordering::SeqCst))
            .min(MAX_TIME)
    }

    /// Moves the clock forward by `seconds` and returns the new time. Refused, the clock
    /// unchanged, when `seconds` is negative or the clock would pass [`MAX_TIME`].
    pub fn advance(&self, seconds: i64) -> Result<i64, ClockOutOfRange> {
        let mut refused = None;
        let updated = self
            .offset
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |offset| {
                let max_seconds = MAX_TIME
                    .saturating_sub(real_now().saturating_add(offset))
                    .max(0);
                if (0..=max_seconds).contains(&seconds) {
                    offset.checked_add(seconds)
                } else {
                    refused = Some(ClockOutOfRange { max_seconds });
                    None
                }
            });
        match (updated, refused) {
            (Ok(_), _) => Ok(self.now()),
            (Err(_), Some(err)) => Err(err),
            (Err(_), None) => Err(ClockOutOfRange { max_seconds: 0 }),
        }
    }

    /// The current offset from the machine's clock, in seconds.
    pub fn offset(&self) -> i64 {
        self.offset.load(Ordering::SeqCst)
    }
}

/// The (year, month) of a unix time, UTC.
pub fn year_month(unix_seconds: i64) -> (i64, u32) {
    let days = unix_seconds.div_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = if m <= 2 { y + 1 } else { y };
    (year, u32::try_from(m).unwrap_or(1))
}

/// Whether a card expiry `YYYY-MM` (valid through the end of that month) has passed at `now`.
/// An ill-formed expiry counts as expired.
pub fn expiry_passed(expiry: &str, now: i64) -> bool {
    let Some((y, m)) = expiry.split_once('-') else {
        return true;
    };
    let (Ok(y), Ok(m)) = (y.parse::<i64>(), m.parse::<u32>()) else {
        return true;
    };
    (y, m) < year_month(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(year_month(0), (1970, 1));
        assert_eq!(year_month(1_624_322_656), (2021, 6));
        assert_eq!(year_month(951_782_400), (2000, 2)); // 2000-02-29
        assert!(expiry_passed("2021-05", 1_624_322_656));
        assert!(!expiry_passed("2021-06", 1_624_322_656));
        assert!(!expiry_passed("2030-01", 1_624_322_656));
        assert!(expiry_passed("garbage", 1_624_322_656));
        assert_eq!(year_month(MAX_TIME), (9999, 12));
        // Extremes neither panic nor produce an impossible month.
        for t in [i64::MAX, i64::MIN, -1] {
            assert!((1..=12).contains(&year_month(t).1), "{t}");
        }
        assert!(year_month(i64::MIN).0 < 0);
    }

    #[test]
    fn the_clock_refuses_to_wrap_or_go_back() {
        let clock = Clock::default();
        let before = clock.now();
        let moved = clock.advance(3600).expect("an hour");
        assert!((before + 3600..=before + 3602).contains(&moved));
        for bad in [i64::MAX, -1, i64::MIN, MAX_TIME] {
            let err = clock.advance(bad).expect_err("out of range");
            assert!(err.to_string().contains("`seconds`"), "{err}");
            assert!(err.max_seconds < MAX_TIME);
        }
        assert_eq!(clock.offset(), 3600, "unchanged by refused advances");
        let to_the_end = clock
            .advance(MAX_TIME - clock.now())
            .expect("up to the end");
        assert_eq!(to_the_end, MAX_TIME);
        assert_eq!(clock.now(), MAX_TIME);
        assert_eq!(clock.advance(1).expect_err("past the end").max_seconds, 0);
        assert_eq!(clock.advance(0), Ok(MAX_TIME));
    }
}
