//! Moving the sandbox clock: the range allowed, then the virtual-account deposits planned up to
//! then are made, the late approvals due are made and the schedules that fell due are run (their
//! typed report, [`ExecutedSchedule`], belongs to `schedules`, which this module calls).

use super::merchant::Core;
use super::schedules::ExecutedSchedule;

/// Makes the virtual-account deposits planned up to now, the late approvals due, then runs the
/// schedules that are due and lets the webhook worker send the retries due (what the clock's
/// tick, an advance and `POST /__sandbox/schedules/run` do).
pub fn run_due_schedules(core: &Core) -> Vec<ExecutedSchedule> {
    core.run_due_deposits();
    let now = core.clock.now();
    super::charges::run_late_approvals(core, now);
    let report = super::schedules::run_due_schedules(core, now);
    core.webhooks.clock_moved(now);
    report
}

/// The most the clock can be moved in one step, and in all: 100 years, in seconds. Beyond it,
/// [`crate::Sandbox::advance_clock`] returns [`AdvanceError`] and
/// `POST /__sandbox/clock/advance` answers 400 naming `seconds`.
pub const MAX_ADVANCE_SECONDS: i64 = 100 * 366 * 86_400;

/// The clock was not moved: the step is negative or would take the clock past
/// [`MAX_ADVANCE_SECONDS`] from the machine's clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdvanceError {
    /// The step asked for, in seconds (saturated to `i64`).
    pub seconds: i64,
}

impl std::fmt::Display for AdvanceError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "invalid parameter `seconds`: the sandbox clock moves forward only, by at most {MAX_ADVANCE_SECONDS} s (100 years) in all; {} s is out of range",
            self.seconds
        )
    }
}

impl std::error::Error for AdvanceError {}

/// Checks that moving a clock now `offset` seconds ahead by `seconds` stays in range; returns
/// the new offset.
fn checked_offset(offset: i64, seconds: i64) -> Result<i64, AdvanceError> {
    let error = AdvanceError { seconds };
    if !(0..=MAX_ADVANCE_SECONDS).contains(&seconds) {
        return Err(error);
    }
    match offset.checked_add(seconds) {
        Some(total) if total <= MAX_ADVANCE_SECONDS => Ok(total),
        _ => Err(error),
    }
}

impl Core {
    /// Moves the clock forward and runs the schedules that fell due.
    pub fn advance(&self, seconds: i64) -> Result<Vec<ExecutedSchedule>, AdvanceError> {
        checked_offset(self.clock.offset(), seconds)?;
        self.clock
            .advance(seconds)
            .map_err(|_| AdvanceError { seconds })?;
        Ok(run_due_schedules(self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_forward_and_bounded_in_all() {
        assert_eq!(checked_offset(0, 60), Ok(60));
        assert!(checked_offset(0, -1).is_err());
        assert!(checked_offset(0, i64::MAX).is_err());
        assert!(checked_offset(0, MAX_ADVANCE_SECONDS + 1).is_err());
        assert!(checked_offset(MAX_ADVANCE_SECONDS, 1).is_err());
        assert!(checked_offset(i64::MAX, 1).is_err());
        let e = checked_offset(0, -5).unwrap_err().to_string();
        assert!(e.contains("`seconds`"), "{e}");
    }
}
