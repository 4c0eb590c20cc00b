//! The supervisor actor: starts its children, applies the strategy when one ends, counts
//! restarts against the intensity, and gives up (escalates) when there are too many.

use super::child::{ChildControl, Decision};
use super::intensity::Intensity;
use super::spec::{Backoff, Restart, StartChild, Strategy, SupervisorBuilder};
use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::any_ref::AnyActorRef;
use crate::backend::Backend;
use crate::context::Context;
use crate::future::Future;
use crate::observe::event;
use crate::promise::Promise;
use crate::stop_reason::{FailedIn, StopReason};
use crate::watch::FailWith;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::Arc;

/// One child, as its supervisor tracks it.
pub(crate) struct Slot {
    name: String,
    restart: Restart,
    actor: AnyActorRef,
    control: Arc<ChildControl>,
    /// Queues a restart signal in the child's inbox.
    signal: Box<dyn Fn() + Send + Sync>,
    /// Ended for good.
    gone: bool,
}

impl Slot {
    pub(crate) fn new(
        name: String,
        restart: Restart,
        actor: AnyActorRef,
        control: Arc<ChildControl>,
        signal: Box<dyn Fn() + Send + Sync>,
    ) -> Self {
        Slot { name, restart, actor, control, signal, gone: false }
    }
}

/// The children, in start order. Dropping them (however the supervisor ends, even if its
/// runtime goes away) shuts each down without waiting, so that no child waits for a decision
/// from a supervisor that is gone.
#[derive(Default)]
struct Children(Vec<Slot>);

impl Drop for Children {
    fn drop(&mut self) {
        for slot in self.0.iter_mut().rev().filter(|slot| !slot.gone) {
            if let Some(pending) = slot.control.shut_down() {
                drop(pending.decision.set(Decision::Stop(pending.reason)));
            }
            drop(slot.actor.stop());
        }
    }
}

/// A supervisor: an actor that starts children from [`ChildSpec`](crate::ChildSpec)s and
/// restarts them, OTP style, when they end. Build it with [`Supervisor::builder`].
///
/// * A restarted child keeps its address: the same [`ActorRef`] and proxies reach the new
///   instance; messages queued behind a failure are handled by it, after its `on_start`.
/// * More restarts than the intensity allows make the supervisor stop its remaining children
///   (last started first) and fail ([`FailedIn::Supervision`]), so that its own supervisor
///   decides: supervisors nest into trees.
/// * Stopping the supervisor stops its children, last started first, before its `on_stop`
///   returns.
///
/// # Examples
///
/// A worker that fails on bad input, restarted under a one-for-one supervisor, reachable
/// through the same ref afterwards:
///
/// ```
/// use pykka::{Actor, ChildSpec, Context, Supervisor};
/// # use pykka_threading::Threading;
///
/// struct Parser;
/// impl Actor for Parser {
///     type Message = &'static str;
///     type Reply = u32;
///     async fn on_receive(&mut self, text: &'static str, _: &Context<Self>) -> u32 {
///         text.parse().expect("not a number")
///     }
/// }
///
/// let supervisor = Supervisor::builder::<Threading>()
///     .child(ChildSpec::new(|| Parser))
///     .start()?;
/// let parser = supervisor.child::<Parser>("Parser").get()?.expect("started");
/// assert_eq!(parser.ask("42").get()?, 42);
/// parser.tell("forty-two")?;                 // a failed tell: the instance dies
/// assert_eq!(parser.ask("7").get()?, 7);     // same ref, new instance
/// supervisor.stop().get()?;                  // stops the child first
/// assert!(!parser.is_alive());
/// # Ok::<(), pykka::Error>(())
/// ```
pub struct Supervisor {
    strategy: Strategy,
    /// The restarts within the period, counted here and, under one-for-one without
    /// back-off, by the children that restart themselves (`intensity.rs`).
    intensity: Arc<Intensity>,
    backoff: Backoff,
    specs: Vec<Box<dyn StartChild>>,
    children: Children,
    /// Children being restarted together; each restarts when all have ended.
    group: BTreeSet<usize>,
    /// Their decisions, kept until then.
    ended: BTreeMap<usize, (StopReason, Promise<Decision>)>,
    resume_scheduled: bool,
}

/// The supervisor's own messages (children reporting, back-off timers). Not constructible
/// outside pykka: a supervisor is driven by its children and through its ref's methods.
pub struct SupervisorMessage(Message);

enum Message {
    ChildEnded(usize),
    Resume,
}

impl fmt::Debug for SupervisorMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Message::ChildEnded(index) => write!(f, "ChildEnded({index})"),
            Message::Resume => f.write_str("Resume"),
        }
    }
}

impl Supervisor {
    /// A builder for a supervisor whose children run on backend `B` (by default).
    pub fn builder<B: Backend>() -> SupervisorBuilder<B> {
        SupervisorBuilder::new()
    }

    pub(super) fn from_builder<B: Backend>(builder: SupervisorBuilder<B>) -> Self {
        Supervisor {
            strategy: builder.strategy,
            intensity: Intensity::new(builder.intensity, builder.period),
            backoff: builder.backoff,
            specs: builder.children,
            children: Children::default(),
            group: BTreeSet::new(),
            ended: BTreeMap::new(),
            resume_scheduled: false,
        }
    }

    async fn child_ended(&mut self, index: usize, ctx: &Context<Self>) {
        let Some(slot) = self.children.0.get_mut(index) else { return };
        // Already answered by a shutdown, or a stale report.
        let Some(pending) = slot.control.take_pending() else { return };
        let in_group = self.group.contains(&index);
        let restart = !pending.final_stop
            && match slot.restart {
                Restart::Permanent => true,
                Restart::Transient => in_group || pending.reason.is_failure(),
                Restart::Temporary => false,
            };
        let me = ctx.actor_ref();
        if !restart {
            event!(debug, "{me}: child {} {} and is not restarted", slot.actor, pending.reason);
            slot.gone = true;
            drop(pending.decision.set(Decision::Stop(pending.reason)));
            self.group.remove(&index);
            return self.maybe_resume(ctx);
        }
        let child = slot.actor.clone();
        let reason = pending.reason;
        self.ended.insert(index, (reason.clone(), pending.decision));
        if in_group {
            return self.maybe_resume(ctx);
        }
        self.group.insert(index);
        if self.intensity_exceeded() {
            let message = format!(
                "more than {} restarts within {:?}; the last: {child} {}",
                self.intensity.max(),
                self.intensity.period(),
                reason
            );
            event!(error, "{me} gives up: {message}");
            self.shut_down().await;
            let reason = StopReason::Failed { during: FailedIn::Supervision, message };
            std::panic::resume_unwind(Box::new(FailWith(reason)));
        }
        event!(info, "{me} restarts {child} ({}), which {reason}", self.strategy_name());
        let siblings: Vec<usize> = match self.strategy {
            Strategy::OneForOne => Vec::new(),
            Strategy::OneForAll => (0..self.children.0.len()).filter(|&j| j != index).collect(),
            Strategy::RestForOne => (index + 1..self.children.0.len()).collect(),
        };
        // Last started first, as OTP stops them.
        for &j in siblings.iter().rev() {
            let sibling = &mut self.children.0[j];
            if sibling.gone || self.group.contains(&j) {
                continue;
            }
            if sibling.actor.is_terminated() {
                sibling.gone = true;
                continue;
            }
            self.group.insert(j);
            if sibling.control.request_restart() {
                (sibling.signal)();
            }
        }
        self.maybe_resume(ctx);
    }

    fn strategy_name(&self) -> &'static str {
        match self.strategy {
            Strategy::OneForOne => "one for one",
            Strategy::OneForAll => "one for all",
            Strategy::RestForOne => "rest for one",
        }
    }

    /// Counts a restart; whether there are now more than the intensity allows.
    fn intensity_exceeded(&mut self) -> bool {
        self.intensity.exceeded_by_one_more()
    }

    /// Restarts the group once every member has ended, after the back-off.
    fn maybe_resume(&mut self, ctx: &Context<Self>) {
        if self.group.is_empty() || !self.group.iter().all(|j| self.ended.contains_key(j)) {
            return;
        }
        let delay = self.backoff.delay(u32::try_from(self.intensity.count().saturating_sub(1)).unwrap_or(u32::MAX));
        if delay.is_zero() {
            self.resume();
        } else if !self.resume_scheduled {
            self.resume_scheduled = true;
            ctx.send_after(delay, SupervisorMessage(Message::Resume));
        }
    }

    /// Answers "restart" to the group, in start order.
    fn resume(&mut self) {
        self.resume_scheduled = false;
        if self.group.is_empty() || !self.group.iter().all(|j| self.ended.contains_key(j)) {
            return;
        }
        self.group.clear();
        for (_, (_, decision)) in std::mem::take(&mut self.ended) {
            drop(decision.set(Decision::Restart));
        }
    }

    /// Stops every child for good, last started first, each terminated before the next.
    async fn shut_down(&mut self) {
        self.group.clear();
        for (_, (reason, decision)) in std::mem::take(&mut self.ended) {
            drop(decision.set(Decision::Stop(reason)));
        }
        for slot in self.children.0.iter().rev() {
            if let Some(pending) = slot.control.shut_down() {
                drop(pending.decision.set(Decision::Stop(pending.reason)));
            }
        }
        for slot in self.children.0.iter_mut().rev() {
            if !slot.gone {
                let _ = slot.actor.stop().await;
                slot.gone = true;
            }
        }
    }

    fn live_children(&self) -> impl Iterator<Item = &Slot> {
        self.children.0.iter().filter(|slot| !slot.gone && !slot.actor.is_terminated())
    }
}

// The only `Actor` impl in the core: without this, rustc suggests it to every user whose type
// does not implement `Actor` ("the trait `Actor` is implemented for `Supervisor`").
#[diagnostic::do_not_recommend]
impl Actor for Supervisor {
    type Message = SupervisorMessage;
    type Reply = ();

    async fn on_start(&mut self, ctx: &Context<Self>) {
        // One-for-one children without back-off restart themselves within the intensity; the
        // other strategies restart siblings together, and back-off waits on this actor's timer.
        let local = (self.strategy == Strategy::OneForOne && self.backoff == Backoff::None).then_some(&self.intensity);
        for (index, spec) in std::mem::take(&mut self.specs).into_iter().enumerate() {
            let supervisor = ctx.actor_ref().clone();
            let report = Box::new(move |index| supervisor.tell_in_line(SupervisorMessage(Message::ChildEnded(index))));
            match spec.start(index, report, local.cloned()) {
                Ok(slot) => self.children.0.push(slot),
                // The children started so far are stopped as the state drops.
                Err(error) => panic!("could not start child {index}: {error}"),
            }
        }
    }

    async fn on_receive(&mut self, message: SupervisorMessage, ctx: &Context<Self>) {
        match message.0 {
            Message::ChildEnded(index) => self.child_ended(index, ctx).await,
            Message::Resume => self.resume(),
        }
    }

    async fn on_stop(&mut self, _ctx: &Context<Self>) {
        self.shut_down().await;
    }

    async fn on_failure(&mut self, _failure: &crate::Error, _ctx: &Context<Self>) {
        self.shut_down().await;
    }
}

impl fmt::Debug for Supervisor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Supervisor")
            .field("strategy", &self.strategy)
            .field("intensity", &self.intensity.max())
            .field("period", &self.intensity.period())
            .field("children", &self.children.0.len())
            .finish()
    }
}

/// Looking up a supervisor's children.
impl ActorRef<Supervisor> {
    /// The supervisor's live children, in start order. Each is reachable through the same
    /// ref across its restarts.
    pub fn children(&self) -> Future<Vec<AnyActorRef>> {
        self.call(|supervisor, _| supervisor.live_children().map(|slot| slot.actor.clone()).collect())
    }

    /// The live child named `name` (its [`ChildSpec::name`](crate::ChildSpec::name), or its
    /// type name), if it is of type `A`.
    pub fn child<A: Actor>(&self, name: &str) -> Future<Option<ActorRef<A>>> {
        let name = name.to_owned();
        self.call(move |supervisor, _| {
            supervisor.live_children().find(|slot| slot.name == name).and_then(|slot| slot.actor.downcast::<A>())
        })
    }
}
