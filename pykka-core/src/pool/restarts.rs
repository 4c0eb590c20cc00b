//! Whether a pool replaces a member that ended on its own: the member's [`Restart`] type and
//! the pool's restart intensity, with the meanings a supervisor gives them.

use crate::stop_reason::StopReason;
use crate::supervision::{Intensity, Restart};
use std::sync::Arc;
use std::time::Duration;

/// What the pool does with a member that ended without the pool stopping it.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Start a fresh member from the factory in its place.
    Replace,
    /// Remove it: its restart type does not restart it after this reason.
    Remove,
    /// Remove it: more than the intensity's restarts happened within its period.
    GiveUp,
}

/// A pool's restart policy and its recent replacements, counted as a supervisor counts its
/// children's restarts.
pub(super) struct Restarts {
    restart: Restart,
    intensity: Arc<Intensity>,
}

impl Restarts {
    pub(super) fn new(restart: Restart, max_restarts: u32, period: Duration) -> Self {
        Restarts { restart, intensity: Intensity::new(max_restarts, period) }
    }

    /// The verdict for a member that ended with `reason`, counting a replacement against the
    /// intensity when it is one. A stop or kill from outside the member (someone holding its
    /// ref) is final, as it is for a supervised child.
    pub(super) fn judge(&self, reason: &StopReason, stopped_from_outside: bool) -> Verdict {
        let restarts = match self.restart {
            Restart::Permanent => match reason {
                StopReason::Failed { .. } => true,
                StopReason::Normal => !stopped_from_outside,
                _ => false,
            },
            Restart::Transient => reason.is_failure(),
            Restart::Temporary => false,
        };
        if !restarts {
            Verdict::Remove
        } else if self.intensity.try_count() {
            Verdict::Replace
        } else {
            Verdict::GiveUp
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stop_reason::FailedIn;

    fn failed() -> StopReason {
        StopReason::Failed { during: FailedIn::Handler, message: "boom".into() }
    }

    #[test]
    fn restart_types_decide_by_the_reason() {
        let permanent = Restarts::new(Restart::Permanent, 10, Duration::from_secs(5));
        assert_eq!(permanent.judge(&StopReason::Normal, false), Verdict::Replace);
        assert_eq!(permanent.judge(&failed(), false), Verdict::Replace);
        assert_eq!(permanent.judge(&StopReason::Killed, false), Verdict::Remove, "a kill is final");
        assert_eq!(permanent.judge(&StopReason::Normal, true), Verdict::Remove, "a stop from outside is final");
        assert_eq!(permanent.judge(&StopReason::RuntimeGone, false), Verdict::Remove);
        let transient = Restarts::new(Restart::Transient, 10, Duration::from_secs(5));
        assert_eq!(transient.judge(&StopReason::Normal, false), Verdict::Remove);
        assert_eq!(transient.judge(&failed(), false), Verdict::Replace);
        let temporary = Restarts::new(Restart::Temporary, 10, Duration::from_secs(5));
        assert_eq!(temporary.judge(&failed(), false), Verdict::Remove);
    }

    #[test]
    fn more_than_the_intensity_within_the_period_gives_up() {
        let restarts = Restarts::new(Restart::Transient, 2, Duration::from_secs(60));
        assert_eq!(restarts.judge(&failed(), false), Verdict::Replace);
        assert_eq!(restarts.judge(&failed(), false), Verdict::Replace);
        assert_eq!(restarts.judge(&failed(), false), Verdict::GiveUp);
        let forgetful = Restarts::new(Restart::Transient, 1, Duration::ZERO);
        assert_eq!(forgetful.judge(&failed(), false), Verdict::Replace);
        std::thread::sleep(Duration::from_millis(2));
        assert_eq!(forgetful.judge(&failed(), false), Verdict::Replace, "older restarts left the period");
    }
}
