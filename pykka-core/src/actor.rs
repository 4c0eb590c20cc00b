//! The `Actor` trait: what a user type implements to become an actor.

use crate::actor_ref::ActorRef;
use crate::backend::Backend;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::hook_future::HookFuture;
use crate::panic::UnhandledMessage;
use crate::start::StartBuilder;

/// An actor: state that only its own thread or task touches, driven by messages.
///
/// Implement it for your type, choose the [`Message`](Self::Message) it receives and the
/// [`Reply`](Self::Reply) an ask gets back, and override whichever hooks you need. Every hook
/// and handler may be written as an `async fn`; a handler may `.await` another actor's reply
/// while holding `&mut self`. Handlers that never await are plain functions in `async`
/// clothing and cost no more than a call.
///
/// A panic in a handler or hook is Pykka's "unhandled exception": it is caught, and
///
/// * in [`on_receive`](Self::on_receive) for an **ask**, it fails the caller's future with
///   [`Error::Failure`] (logged at INFO) and the actor keeps running;
/// * in `on_receive` for a **tell**, it is logged at ERROR, the actor stops (unregistered,
///   stopped flag set), [`on_failure`](Self::on_failure) runs, and `on_stop` does not;
/// * in [`on_start`](Self::on_start), it is logged at ERROR and the actor stops without running
///   `on_failure` or `on_stop`;
/// * in `on_stop` or `on_failure`, it is logged at ERROR.
///
/// A child of a [`Supervisor`](crate::Supervisor) that stops this way stays registered and
/// reachable through the same ref while its supervisor decides whether to restart it (see
/// `docs/supervision.md`).
///
/// # Examples
///
/// Pykka's "basic actor", with a reply:
///
/// ```
/// use pykka::{Actor, Context};
/// # use pykka_threading::Threading;
///
/// struct Greeter {
///     greeting: String,
/// }
///
/// impl Actor for Greeter {
///     type Message = &'static str;
///     type Reply = String;
///
///     async fn on_receive(&mut self, name: &'static str, _ctx: &Context<Self>) -> String {
///         format!("{}, {name}!", self.greeting)
///     }
/// }
///
/// let greeter = Greeter { greeting: "Hi".into() }.start_on::<Threading>();
/// assert_eq!(greeter.ask("Alice").wait().unwrap(), "Hi, Alice!");
/// greeter.stop().wait().unwrap();
/// ```
pub trait Actor: Sized + Send + 'static {
    /// The plain message type that [`on_receive`](Self::on_receive) handles. Use `()` for an
    /// actor that is only used through calls or proxies.
    type Message: Send + 'static;
    /// What `on_receive` returns; an ask's caller gets it. Use `()` if there is nothing to say.
    type Reply: Send + 'static;

    /// Runs in the actor's context after the actor is registered and before it handles its
    /// first message. It may stop the actor with [`Context::stop`].
    fn on_start(&mut self, ctx: &Context<Self>) -> impl HookFuture<()> {
        let _ = ctx;
        async {}
    }

    /// Runs in the actor's context when the actor stops normally, after its stopped flag is set
    /// and it is unregistered, and before a blocking [`stop`](ActorRef::stop) returns. It does
    /// not run when the actor stops because of a failure.
    fn on_stop(&mut self, ctx: &Context<Self>) -> impl HookFuture<()> {
        let _ = ctx;
        async {}
    }

    /// Runs in the actor's context when a failure with nowhere else to go (a panic while
    /// handling a tell) stops the actor. `failure` is the [`Error::Failure`] carrying the
    /// panic's message.
    fn on_failure(&mut self, failure: &Error, ctx: &Context<Self>) -> impl HookFuture<()> {
        let _ = (failure, ctx);
        async {}
    }

    /// Runs in the actor's context when an actor it [watches](ActorRef::watch) or is
    /// [linked](ActorRef::link) to has terminated, in inbox order with its other messages.
    ///
    /// The default does nothing for a watched actor. For a linked actor that *failed*, it fails
    /// this actor too (with [`FailedIn::Link`](crate::FailedIn::Link)), as an Erlang process
    /// that does not trap exits; override it to survive a linked actor's failure. A panic here
    /// is handled as in a told message.
    fn on_actor_stopped(
        &mut self,
        stopped: crate::ActorStopped,
        ctx: &Context<Self>,
    ) -> impl Future<Output = ()> + Send {
        let _ = ctx;
        async move { crate::watch::default_reaction(&stopped) }
    }

    /// Handles a plain message sent with [`tell`](ActorRef::tell) or
    /// [`ask`](ActorRef::ask); the return value is the ask's reply.
    ///
    /// The default, for actors used only through calls and proxies, logs Pykka's WARNING
    /// "Unexpected message received by …" and fails an ask with
    /// [`Error::UnhandledMessage`]; a tell is dropped after the warning and the actor keeps
    /// running.
    fn on_receive(&mut self, message: Self::Message, ctx: &Context<Self>) -> impl HookFuture<Self::Reply> {
        drop(message);
        log::warn!(target: "pykka", "Unexpected message received by {}", ctx.actor_ref());
        async { std::panic::resume_unwind(Box::new(UnhandledMessage)) }
    }

    /// Describes a message for the debug dump ([`debug::actor_states`](crate::debug::actor_states))
    /// while the actor handles it. The default, `None`, costs nothing: the dump then says only
    /// "Message". Opt in with the message's `Debug` form:
    ///
    /// ```
    /// # use pykka::{Actor, Context};
    /// #[derive(Debug)]
    /// enum Command { Play(u32), Pause }
    /// struct Player;
    /// impl Actor for Player {
    ///     type Message = Command;
    ///     type Reply = ();
    ///     fn describe_message(message: &Command) -> Option<String> {
    ///         Some(format!("{message:?}"))
    ///     }
    ///     async fn on_receive(&mut self, _: Command, _: &Context<Self>) {}
    /// }
    /// ```
    ///
    /// It runs for every message the actor handles, so keep it cheap.
    fn describe_message(message: &Self::Message) -> Option<String> {
        let _ = message;
        None
    }

    /// Starts the actor on backend `B` and returns its ref at once.
    ///
    /// The actor value was built by the caller (Pykka's `__init__` runs in the starting
    /// context too). It is registered in the [`ActorRegistry`](crate::ActorRegistry) of the
    /// [current](crate::ActorSystem::current) system (the starting actor's own, else the one entered
    /// on this thread, else the default one), then its loop starts on `B`,
    /// where [`on_start`](Self::on_start) runs before the first message.
    ///
    /// # Panics
    ///
    /// If the backend cannot start the actor (for example, the OS refuses another thread),
    /// as [`std::thread::spawn`] does. Use [`try_start_on`](Self::try_start_on) to handle that.
    fn start_on<B: Backend>(self) -> ActorRef<Self> {
        match self.try_start_on::<B>() {
            Ok(actor_ref) => actor_ref,
            Err(error) => panic!("{error}"),
        }
    }

    /// Like [`start_on`](Self::start_on), but returns an error if the backend cannot start the actor.
    ///
    /// # Errors
    ///
    /// [`Error::SpawnFailed`]; the actor is then unregistered and its ref is dead.
    /// [`Error::SystemStopped`] if the current [`ActorSystem`](crate::ActorSystem) is stopped.
    fn try_start_on<B: Backend>(self) -> Result<ActorRef<Self>> {
        self.builder().try_start_on::<B>()
    }

    /// The actor with start options, such as a bounded mailbox: a [`StartBuilder`], started
    /// with its own `start_on::<B>()` (or `start()` through the `pykka` facade).
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::Actor;
    /// # use pykka_threading::Threading;
    ///
    /// struct Worker;
    /// impl Actor for Worker {
    ///     type Message = ();
    ///     type Reply = ();
    /// }
    ///
    /// let worker = Worker.builder().capacity(1024).start_on::<Threading>();
    /// assert_eq!(worker.capacity(), Some(1024));
    /// worker.stop().wait().unwrap();
    /// ```
    fn builder(self) -> StartBuilder<Self> {
        StartBuilder::new(self)
    }
}
