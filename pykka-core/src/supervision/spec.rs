//! What a supervisor is built from: child specs, the strategy, intensity and back-off.

use super::child::{ChildControl, ChildLink};
use super::intensity::{Intensity, LocalRestart};
use super::supervisor::{Slot, Supervisor};
use crate::actor::Actor;
use crate::backend::Backend;
use crate::error::Result;
use crate::start::StartBuilder;
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

/// Which children a supervisor restarts when one of them must be restarted (OTP's
/// `one_for_one`, `one_for_all`, `rest_for_one`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Strategy {
    /// Only the child that ended.
    #[default]
    OneForOne,
    /// Every child: the others are stopped (last started first) and all are restarted in start
    /// order. For children that cannot work without each other.
    OneForAll,
    /// The child that ended and those started after it, which depend on it.
    RestForOne,
}

/// When a child is restarted (OTP's restart types).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Restart {
    /// Always, whatever the reason it ended, even a normal stop from its own handler.
    #[default]
    Permanent,
    /// Only after a failure.
    Transient,
    /// Never: when it ends it is gone.
    Temporary,
}

/// How long a supervisor waits before restarting (the same for every strategy): the `n`th
/// restart within the intensity period waits `delay(n)`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Backoff {
    /// Restart at once (OTP's behaviour).
    #[default]
    None,
    /// Always the same delay.
    Fixed(Duration),
    /// `initial`, doubled for each further restart within the period, at most `max`.
    Exponential {
        /// The first delay.
        initial: Duration,
        /// The cap.
        max: Duration,
    },
}

impl Backoff {
    /// The delay before restart number `n` (0 for the first) within the period.
    pub fn delay(&self, n: u32) -> Duration {
        match *self {
            Backoff::None => Duration::ZERO,
            Backoff::Fixed(delay) => delay,
            Backoff::Exponential { initial, max } => {
                initial.checked_mul(2u32.saturating_pow(n.min(31))).map_or(max, |delay| delay.min(max))
            }
        }
    }
}

/// How to start (and restart) one child: a factory that builds a fresh actor value, its
/// [`Restart`] type, and a name for logs and [`child`](crate::ActorRef::child) lookups
/// (the actor's type name unless given).
///
/// The factory runs in the child's own loop, once per instance; a panic in it is a failed
/// start, counted against the supervisor's restart intensity.
pub struct ChildSpec<A: Actor> {
    factory: Box<dyn FnMut() -> A + Send>,
    restart: Restart,
    name: Option<String>,
}

impl<A: Actor> ChildSpec<A> {
    /// A permanent child built by `factory`.
    pub fn new(factory: impl FnMut() -> A + Send + 'static) -> Self {
        ChildSpec { factory: Box::new(factory), restart: Restart::Permanent, name: None }
    }

    /// Sets the restart type (permanent by default).
    #[must_use]
    pub fn restart(mut self, restart: Restart) -> Self {
        self.restart = restart;
        self
    }

    /// Names the child (its actor type name by default).
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}

impl<A: Actor> fmt::Debug for ChildSpec<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChildSpec").field("restart", &self.restart).field("name", &self.name).finish()
    }
}

/// A child spec with its actor type and backend erased, as a supervisor keeps it until it
/// starts the child.
pub(crate) trait StartChild: Send {
    /// `local`: the intensity, if the child may decide its own restarts (one-for-one without
    /// back-off).
    fn start(
        self: Box<Self>,
        index: usize,
        report: Box<dyn Fn(usize) -> bool + Send + Sync>,
        local: Option<Arc<Intensity>>,
    ) -> Result<Slot>;
}

struct OnBackend<A: Actor, B>(ChildSpec<A>, PhantomData<fn() -> B>);

impl<A: Actor, B: Backend> StartChild for OnBackend<A, B> {
    fn start(
        self: Box<Self>,
        index: usize,
        report: Box<dyn Fn(usize) -> bool + Send + Sync>,
        local: Option<Arc<Intensity>>,
    ) -> Result<Slot> {
        let ChildSpec { factory, restart, name } = self.0;
        let local = local.map(|intensity| LocalRestart { intensity, restart });
        let control = ChildControl::new(index, report, local);
        let actor = StartBuilder::supervised(ChildLink::new(factory, control.clone())).try_start_on::<B>()?;
        let signal_to = actor.clone();
        let signal = Box::new(move || {
            let restart = crate::envelope::Content::Signal(crate::envelope::Signal::Restart);
            drop(signal_to.deliver(restart));
        });
        let name = name.unwrap_or_else(|| actor.name().to_owned());
        Ok(Slot::new(name, restart, actor.as_any(), control, signal))
    }
}

/// Builds a [`Supervisor`]: its strategy, restart intensity, back-off and children, in start
/// order. Children run on backend `B` unless added with [`child_on`](Self::child_on).
///
/// # Examples
///
/// See [`Supervisor`].
pub struct SupervisorBuilder<B> {
    pub(super) strategy: Strategy,
    pub(super) intensity: u32,
    pub(super) period: Duration,
    pub(super) backoff: Backoff,
    pub(super) children: Vec<Box<dyn StartChild>>,
    backend: PhantomData<fn() -> B>,
}

impl<B: Backend> SupervisorBuilder<B> {
    pub(super) fn new() -> Self {
        SupervisorBuilder {
            strategy: Strategy::OneForOne,
            intensity: 3,
            period: Duration::from_secs(5),
            backoff: Backoff::None,
            children: Vec::new(),
            backend: PhantomData,
        }
    }

    /// The restart strategy ([`Strategy::OneForOne`] by default).
    #[must_use]
    pub fn strategy(mut self, strategy: Strategy) -> Self {
        self.strategy = strategy;
        self
    }

    /// The restart intensity: more than `max_restarts` restarts within `period` make the
    /// supervisor give up (3 in 5 seconds by default). OTP's `intensity` and `period`.
    #[must_use]
    pub fn intensity(mut self, max_restarts: u32, period: Duration) -> Self {
        self.intensity = max_restarts;
        self.period = period;
        self
    }

    /// The delay before each restart ([`Backoff::None`] by default).
    #[must_use]
    pub fn backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Adds a child, started on `B` after the children added before it.
    #[must_use]
    pub fn child<A: Actor>(self, spec: ChildSpec<A>) -> Self {
        self.child_on::<A, B>(spec)
    }

    /// Adds a child that runs on backend `C`.
    #[must_use]
    pub fn child_on<A: Actor, C: Backend>(mut self, spec: ChildSpec<A>) -> Self {
        self.children.push(Box::new(OnBackend::<A, C>(spec, PhantomData)));
        self
    }

    /// The supervisor, not yet started: give it to [`Actor::start_on`], or return it from a
    /// parent supervisor's child factory to nest supervisors.
    pub fn build(self) -> Supervisor {
        Supervisor::from_builder(self)
    }

    /// Builds the supervisor and starts it on `B`; it starts its children (in the order they
    /// were added) before it handles anything.
    ///
    /// # Errors
    ///
    /// [`Error::SpawnFailed`](crate::Error::SpawnFailed) if `B` cannot start it.
    pub fn start(self) -> Result<crate::ActorRef<Supervisor>> {
        self.build().try_start_on::<B>()
    }
}

impl<B> fmt::Debug for SupervisorBuilder<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SupervisorBuilder")
            .field("strategy", &self.strategy)
            .field("intensity", &self.intensity)
            .field("period", &self.period)
            .field("backoff", &self.backoff)
            .field("children", &self.children.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_delays_grow_to_the_cap_and_never_overflow() {
        let ms = Duration::from_millis;
        assert_eq!(Backoff::None.delay(7), Duration::ZERO);
        assert_eq!(Backoff::Fixed(ms(5)).delay(0), ms(5));
        assert_eq!(Backoff::Fixed(ms(5)).delay(99), ms(5));
        let exponential = Backoff::Exponential { initial: ms(10), max: ms(100) };
        let delays: Vec<Duration> = (0..6).map(|n| exponential.delay(n)).collect();
        assert_eq!(delays, [ms(10), ms(20), ms(40), ms(80), ms(100), ms(100)]);
        assert_eq!(exponential.delay(u32::MAX), ms(100));
        let huge = Backoff::Exponential { initial: Duration::MAX, max: Duration::from_secs(1) };
        assert_eq!(huge.delay(3), Duration::from_secs(1));
    }
}
