//! The sandbox clock: the machine's clock plus an offset that tests move forward.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Wall-clock time shifted by an adjustable offset, in whole unix seconds.
#[derive(Debug, Default)]
pub struct Clock {
    offset: AtomicI64,
}

impl Clock {
    /// The sandbox's current time in unix seconds.
    pub fn now(&self) -> i64 {
        let real = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        real.saturating_add(self.offset.load(Ordering::SeqCst))
    }

    /// Moves the clock forward (or backward, for negative values) by `seconds`.
    pub fn advance(&self, seconds: i64) -> i64 {
        self.offset.fetch_add(seconds, Ordering::SeqCst);
        self.now()
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
    }
}
