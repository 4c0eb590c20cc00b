//! Restart intensity, shared by a supervisor and its children, and the restarts a one-for-one
//! child decides itself.
//!
//! Under one-for-one without back-off, a child whose instance ends with a restart due needs
//! nothing from its supervisor but the count of recent restarts: it counts its restart here
//! and builds its new instance on the spot, in its own thread or task, instead of a round trip
//! through the supervisor's inbox (two wake-ups, the larger part of a restart's time). Whatever
//! needs the supervisor still goes to it: the other strategies (siblings restart together),
//! back-off (its timer), temporary children and normal ends of transient ones (they end for
//! good), a stop from outside, a supervisor shutting down, and the restart that exceeds the
//! intensity, after which the supervisor gives up as before.

use super::spec::Restart;
use crate::stop_reason::StopReason;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// At most `max` restarts within `period`: when the restarts within the period happened.
pub(crate) struct Intensity {
    max: u32,
    period: Duration,
    restarts: Mutex<VecDeque<Instant>>,
}

impl Intensity {
    pub(crate) fn new(max: u32, period: Duration) -> Arc<Self> {
        Arc::new(Intensity { max, period, restarts: Mutex::new(VecDeque::new()) })
    }

    pub(crate) fn max(&self) -> u32 {
        self.max
    }

    pub(crate) fn period(&self) -> Duration {
        self.period
    }

    /// The restarts within the period, older ones forgotten.
    fn recent(&self) -> MutexGuard<'_, VecDeque<Instant>> {
        let mut restarts = self.restarts.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        while restarts.front().is_some_and(|at| now.duration_since(*at) > self.period) {
            restarts.pop_front();
        }
        restarts
    }

    /// The supervisor's count: counts a restart; whether there are now more than allowed.
    pub(crate) fn exceeded_by_one_more(&self) -> bool {
        let mut restarts = self.recent();
        restarts.push_back(Instant::now());
        restarts.len() > self.max as usize
    }

    /// A child's count: counts a restart only if it stays within the intensity; `false`,
    /// counting nothing, if it would not (the supervisor then counts it, and gives up).
    pub(crate) fn try_count(&self) -> bool {
        let mut restarts = self.recent();
        if restarts.len() >= self.max as usize {
            return false;
        }
        restarts.push_back(Instant::now());
        true
    }

    /// How many restarts within the period, the last one included (for the back-off).
    pub(crate) fn count(&self) -> usize {
        self.recent().len()
    }
}

/// What a one-for-one child without back-off may decide itself.
pub(crate) struct LocalRestart {
    pub(crate) intensity: Arc<Intensity>,
    pub(crate) restart: Restart,
}

impl LocalRestart {
    /// Whether an instance that ended with `reason` restarts on the spot, counted against the
    /// intensity; `false` leaves the decision to the supervisor.
    pub(crate) fn restarts(&self, reason: &StopReason) -> bool {
        let due = match self.restart {
            Restart::Permanent => true,
            Restart::Transient => reason.is_failure(),
            Restart::Temporary => false,
        };
        due && self.intensity.try_count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_counts_only_within_the_intensity_and_the_supervisor_finds_it_exceeded() {
        let intensity = Intensity::new(2, Duration::from_secs(3600));
        assert!(intensity.try_count());
        assert!(intensity.try_count());
        assert!(!intensity.try_count(), "a third restart is the supervisor's to count");
        assert_eq!(intensity.count(), 2);
        assert!(intensity.exceeded_by_one_more());
    }

    #[test]
    fn restarts_older_than_the_period_are_forgotten() {
        let intensity = Intensity::new(1, Duration::ZERO);
        assert!(intensity.try_count());
        std::thread::sleep(Duration::from_millis(2));
        assert!(intensity.try_count());
    }

    #[test]
    fn only_due_restarts_are_local() {
        let failure = StopReason::Failed { during: crate::FailedIn::Handler, message: "boom".into() };
        let local = |restart| LocalRestart { intensity: Intensity::new(10, Duration::from_secs(60)), restart };
        assert!(local(Restart::Permanent).restarts(&StopReason::Normal));
        assert!(local(Restart::Transient).restarts(&failure));
        assert!(!local(Restart::Transient).restarts(&StopReason::Normal));
        assert!(!local(Restart::Temporary).restarts(&failure));
    }
}
