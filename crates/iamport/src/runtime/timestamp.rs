//! [`Timestamp`]: i'mport's unix time in seconds, where 0 means "not yet".

use serde::{Deserialize, Serialize};
use std::fmt;

/// A unix timestamp in **seconds** (`type: integer, format: unix-time` in the spec).
///
/// i'mport uses `0` for an event that has not happened (`paid_at` of an unpaid payment,
/// `executed_at` of a pending schedule): [`Timestamp::get`] turns that into `None`.
/// Never milliseconds: a `schedule_at` in milliseconds lands in the year 57659.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// "Not yet": the value `0`.
    pub const NOT_YET: Timestamp = Timestamp(0);

    /// A timestamp from unix seconds.
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Timestamp(seconds)
    }

    /// The unix seconds, `0` included.
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// The unix seconds, or `None` when the event has not happened (`0`).
    pub const fn get(self) -> Option<i64> {
        if self.0 == 0 { None } else { Some(self.0) }
    }

    /// Whether the event has happened (the value is not `0`).
    pub const fn is_set(self) -> bool {
        self.0 != 0
    }

    /// The current time from the system clock.
    pub fn now() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Timestamp(secs)
    }
}

impl From<i64> for Timestamp {
    fn from(seconds: i64) -> Self {
        Timestamp(seconds)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({})", self.0)
    }
}
