//! Pools: N actors of one type built from a factory, addressed like one actor, with routing
//! (round-robin, least-loaded, broadcast, by key), resizing, and stopping together.

mod restarts;
mod routing;

pub use routing::Routing;

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::backend::Backend;
use crate::error::{DeadReason, Error, Result};
use crate::future::Future;
use crate::supervision::Restart;
use crate::system::{ActorSystem, SystemShared};
use restarts::{Restarts, Verdict};
use routing::Route;
use std::fmt;
use std::hash::Hash;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

/// Starts one more member: the factory, the backend and the system, captured at start.
type StartMember<A> = Box<dyn Fn(usize) -> Result<ActorRef<A>> + Send + Sync>;

/// A pool of actors of type `A`, built from a factory and addressed like one actor: what is
/// told or asked goes to one member chosen by the pool's [`Routing`] (Pykka's pool pattern,
/// ractor's factory, kameo's pool). Use it to spread work over several cores: a pool of N
/// members handles up to N messages at once.
///
/// * **Sending**: [`tell`](Self::tell) and [`ask`](Self::ask) as on an [`ActorRef`];
///   [`broadcast`](Self::broadcast) and [`ask_all`](Self::ask_all) reach every member.
/// * **Calls and proxies**: [`member`](Self::member) routes once and gives that member's ref;
///   [`proxy`](Self::proxy) gives the routed member's proxy, so `pool.proxy()?.work(x)` routes
///   each call. A proxy kept and reused talks to one member.
/// * **Size**: [`resize`](Self::resize) starts or stops members; a key-routed pool's keys move
///   when its size changes.
/// * **End**: [`stop`](Self::stop) stops every member and waits for them; dropping the last
///   handle of a pool stops its members too (without waiting). A stopped pool fails sends with
///   [`Error::ActorDead`].
/// * **Failures**: a member that ends on its own is handled as a supervisor handles a
///   child, by its [`Restart`] type ([`PoolBuilder::restart`]; transient by default): a member
///   that failed (a panic in a told message) is replaced by a fresh one from the factory, in
///   the same place (so keys keep their member), with a WARNING in the log; one that stopped
///   normally (`ctx.stop()`) is removed. More replacements than the restart intensity allows
///   ([`PoolBuilder::intensity`]; 3 within 5 seconds by default) and the member is removed
///   instead, with an ERROR. This happens the next time the pool routes, lists or counts its
///   members. A send that meets a member dying is given to another member; what was queued
///   in the failed member fails with its [`StopReason`](crate::StopReason).
///
/// Members are ordinary actors of the pool's [`ActorSystem`] (the current one at start, or
/// the one given to [`PoolBuilder::system`]).
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Context, Pool, Routing};
/// # use pykka_threading::Threading;
///
/// struct Hasher;
/// impl Actor for Hasher {
///     type Message = u64;
///     type Reply = u64;
///     async fn on_receive(&mut self, n: u64, _: &Context<Self>) -> u64 {
///         n.wrapping_mul(0x9E37_79B9_7F4A_7C15)
///     }
/// }
///
/// let pool = Pool::builder(2, |_member| Hasher).start_on::<Threading>()?;
/// let replies: Vec<_> = (0..4).map(|n| pool.ask(n)).collect();
/// assert_eq!(replies[1].get()?, 0x9E37_79B9_7F4A_7C15);
/// pool.resize(3)?;
/// assert_eq!(pool.size(), 3);
/// assert_eq!(pool.stop().wait()?, [true, true, true]);
/// assert!(pool.tell(1).unwrap_err().is_actor_dead());
///
/// assert!(Pool::builder(0, |_| Hasher).start_on::<Threading>().is_err(), "a pool of 0 is an error");
/// # let _ = Routing::<u64>::least_loaded();
/// # Ok::<(), pykka::Error>(())
/// ```
pub struct Pool<A: Actor> {
    inner: Arc<PoolInner<A>>,
}

struct PoolInner<A: Actor> {
    members: Mutex<Vec<ActorRef<A>>>,
    routing: Routing<A::Message>,
    /// The round-robin cursor (and the tie-breaker of least-loaded).
    next: AtomicUsize,
    /// Numbers the members the factory builds, for its argument.
    started: AtomicUsize,
    start: StartMember<A>,
    stopped: AtomicBool,
    restarts: Restarts,
    /// Held while gone members are replaced or removed, so that two routers racing over the
    /// same dead member start one replacement, not two.
    repairing: Mutex<()>,
}

/// Prepares a [`Pool`]: its size, factory, routing and system. Made by [`Pool::builder`].
pub struct PoolBuilder<A: Actor> {
    size: usize,
    factory: Arc<dyn Fn(usize) -> A + Send + Sync>,
    routing: Routing<A::Message>,
    system: Option<ActorSystem>,
    restart: Restart,
    intensity: (u32, Duration),
}

impl<A: Actor> PoolBuilder<A> {
    /// How the pool routes messages; [`Routing::round_robin`] by default.
    pub fn routing(mut self, routing: Routing<A::Message>) -> Self {
        self.routing = routing;
        self
    }

    /// When a member that ended on its own is replaced, as for a supervised child:
    /// [`Restart::Transient`] (the default) after a failure only, [`Restart::Permanent`] also
    /// after a normal stop from its own handler, [`Restart::Temporary`] never (it is removed).
    /// A stop or kill from outside the member is final.
    pub fn restart(mut self, restart: Restart) -> Self {
        self.restart = restart;
        self
    }

    /// The restart intensity: more than `max_restarts` replacements within `period` and a
    /// member that ends is removed instead (3 within 5 seconds by default). A pool has no
    /// supervisor to escalate to, so it shrinks rather than fails; when the last member is
    /// gone, sends fail with [`Error::ActorDead`].
    pub fn intensity(mut self, max_restarts: u32, period: Duration) -> Self {
        self.intensity = (max_restarts, period);
        self
    }

    /// Starts the members in `system` instead of the current one.
    pub fn system(mut self, system: &ActorSystem) -> Self {
        self.system = Some(system.clone());
        self
    }

    /// Starts the members on backend `B` and returns the pool.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a pool of 0 members; [`Error::SystemStopped`] or
    /// [`Error::SpawnFailed`] if a member cannot start (those already started are stopped).
    pub fn start_on<B: Backend>(self) -> Result<Pool<A>> {
        if self.size == 0 {
            return Err(Error::InvalidArgument { reason: "a pool needs at least one member".into() });
        }
        let system: Arc<SystemShared> = self.system.unwrap_or_else(ActorSystem::current).shared().clone();
        let factory = self.factory;
        let inner = Arc::new(PoolInner {
            members: Mutex::new(Vec::with_capacity(self.size)),
            routing: self.routing,
            next: AtomicUsize::new(0),
            started: AtomicUsize::new(0),
            start: Box::new(move |number| factory(number).builder().in_system(system.clone()).try_start_on::<B>()),
            stopped: AtomicBool::new(false),
            restarts: Restarts::new(self.restart, self.intensity.0, self.intensity.1),
            repairing: Mutex::new(()),
        });
        let pool = Pool { inner };
        pool.grow(self.size)?;
        Ok(pool)
    }
}

impl<A: Actor> Pool<A> {
    /// Prepares a pool of `size` members, each built by `factory(n)` for `n` = 0, 1, 2, …
    /// (numbers keep counting up as [`resize`](Self::resize) adds members).
    pub fn builder(size: usize, factory: impl Fn(usize) -> A + Send + Sync + 'static) -> PoolBuilder<A> {
        PoolBuilder {
            size,
            factory: Arc::new(factory),
            routing: Routing::default(),
            system: None,
            restart: Restart::Transient,
            intensity: (3, Duration::from_secs(5)),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Vec<ActorRef<A>>> {
        self.inner.members.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts `count` more members. On failure, the members started by this call are stopped.
    fn grow(&self, count: usize) -> Result<()> {
        let mut started = Vec::with_capacity(count);
        for _ in 0..count {
            let number = self.inner.started.fetch_add(1, Ordering::Relaxed);
            match (self.inner.start)(number) {
                Ok(member) => started.push(member),
                Err(error) => {
                    for member in started {
                        drop(member.stop());
                    }
                    return Err(error);
                }
            }
        }
        self.lock().extend(started);
        Ok(())
    }

    /// The living members, after replacing or removing (and logging) those that ended on
    /// their own.
    fn living(&self) -> Result<Vec<ActorRef<A>>> {
        if self.inner.stopped.load(Ordering::Acquire) {
            return Err(self.dead());
        }
        let mut living = self.lock().clone();
        if living.iter().any(|member| !member.is_alive()) {
            // One router repairs; the others route around the dead meanwhile, so that a tell
            // never waits for a factory.
            if let Ok(_repairing) = self.inner.repairing.try_lock() {
                self.repair();
                living = self.lock().clone();
            }
            living.retain(ActorRef::is_alive);
        }
        match living.is_empty() {
            true => Err(self.dead()),
            false => Ok(living),
        }
    }

    /// Replaces or removes every member that ended without the pool stopping it (a panic in a
    /// told message, a `ctx.stop()`, a stop sent to it directly), by the pool's restart type
    /// and intensity. Called with `repairing` held.
    fn repair(&self) {
        let gone: Vec<ActorRef<A>> = self.lock().iter().filter(|member| !member.is_alive()).cloned().collect();
        // Outside the members' lock: the factory and logging are user code.
        let outcomes: Vec<_> = gone.into_iter().map(|member| (self.replacement_for(&member), member)).collect();
        let mut members = self.lock();
        for (replacement, member) in outcomes {
            let place = members.iter().position(|m| *m == member);
            match (place, replacement) {
                (Some(place), Some(fresh)) if !self.inner.stopped.load(Ordering::Acquire) => members[place] = fresh,
                (Some(place), None) => drop(members.remove(place)),
                // Stopped, resized away or taken by `stop` meanwhile: the fresh member has no
                // place to take.
                (place, fresh) => {
                    if let Some(place) = place {
                        members.remove(place);
                    }
                    if let Some(fresh) = fresh {
                        drop(fresh.stop());
                    }
                }
            }
        }
    }

    /// A fresh member from the factory for `member`, which ended on its own, or `None` if it
    /// is to be removed (logged either way).
    fn replacement_for(&self, member: &ActorRef<A>) -> Option<ActorRef<A>> {
        let status = &member.cell().status;
        let reason = status.reason();
        match self.inner.restarts.judge(&reason, status.final_stop_requested()) {
            Verdict::Remove => {
                log::warn!(target: "pykka", "{member} {reason}; removed from {self}");
                None
            }
            Verdict::GiveUp => {
                log::error!(
                    target: "pykka",
                    "{member} {reason}; removed from {self}: more restarts than its intensity allows"
                );
                None
            }
            Verdict::Replace => {
                let number = self.inner.started.fetch_add(1, Ordering::Relaxed);
                let started = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| (self.inner.start)(number)));
                match started {
                    Ok(Ok(fresh)) => {
                        log::warn!(target: "pykka", "{member} {reason}; replaced in {self} by {fresh}");
                        Some(fresh)
                    }
                    Ok(Err(error)) => {
                        log::error!(target: "pykka", "{member} {reason}; removed from {self}: its replacement did not start: {error}");
                        None
                    }
                    Err(panic) => {
                        let message = crate::panic::panic_message(&panic);
                        log::error!(target: "pykka", "{member} {reason}; removed from {self}: the factory panicked: {message}");
                        None
                    }
                }
            }
        }
    }

    fn dead(&self) -> Error {
        Error::ActorDead { actor: self.to_string(), reason: DeadReason::NotFound, cause: crate::StopReason::Normal }
    }

    /// The member a message goes to, for routings that need no message.
    fn pick(&self, living: &[ActorRef<A>]) -> ActorRef<A> {
        let turn = self.inner.next.fetch_add(1, Ordering::Relaxed);
        match self.inner.routing.0 {
            Route::LeastLoaded => {
                let start = turn % living.len();
                let rotated = living[start..].iter().chain(&living[..start]);
                rotated.min_by_key(|member| member.inbox_len()).expect("a pool has members").clone()
            }
            _ => living[turn % living.len()].clone(),
        }
    }

    fn pick_for(&self, living: &[ActorRef<A>], message: &A::Message) -> ActorRef<A> {
        match &self.inner.routing.0 {
            Route::ByKey(key) => living[(key(message) % living.len() as u64) as usize].clone(),
            _ => self.pick(living),
        }
    }

    /// Tells `message` to the member the routing picks (to every member, cloned, with
    /// [`Routing::broadcast`]). Never blocks. A member found dead meanwhile is skipped and
    /// the message goes to another.
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the pool is stopped or has no living member.
    pub fn tell(&self, mut message: A::Message) -> Result<()> {
        if let Route::Broadcast(clone) = self.inner.routing.0 {
            let told = self.living()?.iter().filter(|member| member.tell(clone(&message)).is_ok()).count();
            return if told > 0 { Ok(()) } else { Err(self.dead()) };
        }
        // Each failed try found a member dead, which the next `living` removes; the bound
        // only guards against a member that refuses without dying.
        let tries = self.lock().len() + 1;
        for _ in 0..tries {
            let living = self.living()?;
            // A dead member is passed over; a full bounded mailbox is the caller's error.
            match self.pick_for(&living, &message).tell(message) {
                Ok(()) => return Ok(()),
                Err(refused) if refused.is_actor_dead() => message = refused.into_message(),
                Err(refused) => return Err(refused.error()),
            }
        }
        Err(self.dead())
    }

    /// Asks the member the routing picks and returns a future of its reply at once, as
    /// [`ActorRef::ask`] does.
    ///
    /// With [`Routing::broadcast`] there is no one reply to give: the future fails with
    /// [`Error::InvalidArgument`]; use [`ask_all`](Self::ask_all). If the pool is stopped or has
    /// no living member, it fails with [`Error::ActorDead`].
    pub fn ask(&self, mut message: A::Message) -> Future<A::Reply> {
        if let Route::Broadcast(_) = self.inner.routing.0 {
            let reason = format!("{self} broadcasts: an ask would get many replies; use `ask_all`");
            return Future::failed(Error::InvalidArgument { reason });
        }
        let tries = self.lock().len() + 1;
        for _ in 0..tries {
            let living = match self.living() {
                Ok(living) => living,
                Err(error) => return Future::failed(error),
            };
            match self.pick_for(&living, &message).ask_or_return(message) {
                Ok(reply) => return reply,
                Err(back) => message = back,
            }
        }
        Future::failed(self.dead())
    }

    /// Tells a clone of `message` to every living member; returns how many it was sent to.
    pub fn broadcast(&self, message: A::Message) -> usize
    where
        A::Message: Clone,
    {
        let living = self.living().unwrap_or_default();
        living.iter().filter(|member| member.tell(message.clone()).is_ok()).count()
    }

    /// Asks every living member, in member order; one future per member.
    pub fn ask_all(&self, message: A::Message) -> Vec<Future<A::Reply>>
    where
        A::Message: Clone,
    {
        let living = self.living().unwrap_or_default();
        living.iter().map(|member| member.ask(message.clone())).collect()
    }

    /// The member the pool's routing picks now, for a [`call`](ActorRef::call) or anything
    /// else an [`ActorRef`] does.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a pool routing by key ([`member_for_key`](Self::member_for_key)
    /// picks then) or broadcasting ([`members`](Self::members)); [`Error::ActorDead`] if the
    /// pool is stopped or has no living member.
    pub fn member(&self) -> Result<ActorRef<A>> {
        if let Route::Broadcast(_) | Route::ByKey(_) = self.inner.routing.0 {
            let reason = format!("{self} routes by {:?}: use `member_for_key` or `members`", self.inner.routing);
            return Err(Error::InvalidArgument { reason });
        }
        Ok(self.pick(&self.living()?))
    }

    /// The member that `key` maps to while the pool's size is unchanged: the one
    /// [`Routing::by_key`] sends a message with that key to.
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the pool is stopped or has no living member.
    pub fn member_for_key<K: Hash + ?Sized>(&self, key: &K) -> Result<ActorRef<A>> {
        let living = self.living()?;
        Ok(living[(routing::hash(key) % living.len() as u64) as usize].clone())
    }

    /// The routed member's proxy: `pool.proxy()?.method(…)` routes each call as
    /// [`member`](Self::member) does.
    ///
    /// # Errors
    ///
    /// As [`member`](Self::member).
    pub fn proxy(&self) -> Result<A::Proxy<A>>
    where
        A: crate::Proxied,
    {
        self.member()?.proxy()
    }

    /// The living members, in the order they joined.
    pub fn members(&self) -> Vec<ActorRef<A>> {
        self.living().unwrap_or_default()
    }

    /// How many living members the pool has.
    pub fn size(&self) -> usize {
        self.members().len()
    }

    /// Starts or stops members until the pool has `size`. Members removed are taken out of the
    /// routing at once and stopped behind the messages already in their inboxes; `resize`
    /// does not wait for them.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidArgument`] for a size of 0 (use [`stop`](Self::stop));
    /// [`Error::ActorDead`] if the pool is stopped; a member's start error.
    pub fn resize(&self, size: usize) -> Result<()> {
        if size == 0 {
            return Err(Error::InvalidArgument { reason: "a pool needs at least one member; use `stop`".into() });
        }
        let current = match self.living() {
            Ok(living) => living.len(),
            Err(_) if !self.inner.stopped.load(Ordering::Acquire) => 0,
            Err(error) => return Err(error),
        };
        if size > current {
            return self.grow(size - current);
        }
        let removed = {
            let mut members = self.lock();
            let keep = size.min(members.len());
            members.split_off(keep)
        };
        for member in removed {
            drop(member.stop());
        }
        Ok(())
    }

    /// Stops the pool and every member, and returns a future that resolves once they have all
    /// terminated: each member's [`stop`](ActorRef::stop) result, in member order. The stops
    /// are sent at once (members stop in parallel, each behind its queued messages). After
    /// it, sends to the pool fail with [`Error::ActorDead`].
    pub fn stop(&self) -> Future<Vec<bool>> {
        self.inner.stopped.store(true, Ordering::Release);
        let members = std::mem::take(&mut *self.lock());
        crate::join(members.iter().map(ActorRef::stop))
    }

    /// Whether the pool has been stopped.
    pub fn is_stopped(&self) -> bool {
        self.inner.stopped.load(Ordering::Acquire)
    }
}

/// Dropping the last handle stops the members (without waiting): nothing could reach them
/// through the pool any more.
impl<A: Actor> Drop for PoolInner<A> {
    fn drop(&mut self) {
        let members = std::mem::take(self.members.get_mut().unwrap_or_else(PoisonError::into_inner));
        for member in members {
            drop(member.stop());
        }
    }
}

impl<A: Actor> Clone for Pool<A> {
    fn clone(&self) -> Self {
        Pool { inner: self.inner.clone() }
    }
}

impl<A: Actor> fmt::Display for Pool<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pool of {}", crate::identity::short_type_name::<A>())
    }
}

impl<A: Actor> fmt::Debug for Pool<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{self} ({:?}, {} members)>", self.inner.routing, self.lock().len())
    }
}

impl<A: Actor> fmt::Debug for PoolBuilder<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<PoolBuilder of {} x {}>", self.size, crate::identity::short_type_name::<A>())
    }
}
