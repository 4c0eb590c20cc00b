//! Calls: closures run against an actor's state, in its context and inbox order (the
//! mechanism under proxies), with or without a reply, sync or async.

use super::ActorRef;
use crate::actor::Actor;
use crate::context::Context;
use crate::envelope::{CallFn, Content};
use crate::error::{Error, Result};
use crate::future::Future;
use crate::panic::{catch_panic, panic_message};
use crate::promise::Promise;

impl<A: Actor> ActorRef<A> {
    /// Runs `f` against the actor's state, in the actor's context, in inbox order with all other
    /// messages, and returns a future of its result. This is the mechanism under proxies; use
    /// it for one-off queries and commands without a message type.
    ///
    /// A panic in `f` fails the future with [`Error::Failure`]; the actor keeps running.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, Context};
    /// # use pykka_threading::Threading;
    ///
    /// struct Account { balance: i64 }
    /// impl Actor for Account {
    ///     type Message = ();
    ///     type Reply = ();
    /// }
    ///
    /// let account = Account { balance: 10 }.start_on::<Threading>();
    /// let balance = account.call(|account, _ctx| { account.balance += 5; account.balance });
    /// assert_eq!(balance.get(), Ok(15));
    /// account.stop().wait().unwrap();
    /// ```
    pub fn call<R, F>(&self, f: F) -> Future<R>
    where
        R: Send + 'static,
        F: FnOnce(&mut A, &Context<A>) -> R + Send + 'static,
    {
        self.call_async(move |actor, ctx| {
            let result = f(actor, ctx);
            Box::pin(async move { result })
        })
    }

    /// Like [`call`](Self::call), for a closure that returns a future borrowing the actor, so
    /// that it can `.await` (other actors' replies, timers) while holding `&mut A`.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, Context};
    /// # use pykka_threading::Threading;
    ///
    /// struct Doubler;
    /// impl Actor for Doubler {
    ///     type Message = u32;
    ///     type Reply = u32;
    ///     async fn on_receive(&mut self, n: u32, _: &Context<Self>) -> u32 { 2 * n }
    /// }
    /// struct Client { doubler: pykka::ActorRef<Doubler>, total: u32 }
    /// impl Actor for Client {
    ///     type Message = ();
    ///     type Reply = ();
    /// }
    ///
    /// let doubler = Doubler.start_on::<Threading>();
    /// let client = Client { doubler, total: 0 }.start_on::<Threading>();
    /// let total = client.call_async(|client, _ctx| Box::pin(async move {
    ///     client.total += client.doubler.ask(21).await.unwrap();
    ///     client.total
    /// }));
    /// assert_eq!(total.get(), Ok(42));
    /// pykka::ActorRegistry::stop_all().wait().unwrap();
    /// ```
    pub fn call_async<R, F>(&self, f: F) -> Future<R>
    where
        R: Send + 'static,
        F: for<'a> FnOnce(
                &'a mut A,
                &'a Context<A>,
            ) -> std::pin::Pin<Box<dyn std::future::Future<Output = R> + Send + 'a>>
            + Send
            + 'static,
    {
        let (promise, future) = Promise::with_target(Some(self.shared.cell.clone()));
        let actor = self.shared.cell.clone();
        let call: CallFn<A> = Box::new(move |state, ctx| {
            Box::pin(async move {
                match catch_panic(async move { f(state, ctx).await }).await {
                    Ok(value) => {
                        let _ = promise.set(value);
                        Ok(())
                    }
                    Err(payload) => {
                        let failure = Error::Failure { actor: actor.to_string(), message: panic_message(&payload) };
                        let _ = promise.fail(failure.clone());
                        Err(failure)
                    }
                }
            })
        });
        if let Err(Content::Call { call }) = self.deliver(Content::Call { call }) {
            // The closure owns the promise; dropping it unrun would say "stopped before
            // handling", but the truth is that the actor was already dead.
            drop(call);
            return Future::failed(Error::not_found(self.cell()));
        }
        future
    }

    /// Runs `f` in the actor's context with tell semantics: no future is created, and a panic
    /// in `f` is handled like a panic in a told message (logged at ERROR, `on_failure`, the
    /// actor stops). Pykka's `defer()`.
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the actor has stopped; [`Error::MailboxFull`] if its bounded
    /// mailbox has no room (the closure is dropped unrun).
    pub fn call_deferred<F>(&self, f: F) -> Result<()>
    where
        F: FnOnce(&mut A, &Context<A>) + Send + 'static,
    {
        let actor = self.shared.cell.clone();
        let call: CallFn<A> = Box::new(move |state, ctx| {
            Box::pin(async move {
                catch_panic(async move { f(state, ctx) })
                    .await
                    .map_err(|payload| Error::Failure { actor: actor.to_string(), message: panic_message(&payload) })
            })
        });
        self.offer(Content::Defer { call }).map_err(|refused| self.refusal(refused))
    }

    /// Like [`call_deferred`](Self::call_deferred), for a closure that returns a future borrowing
    /// the actor (as [`call_async`](Self::call_async) takes): tell semantics for async work,
    /// such as a deferred call of a proxied `async fn`.
    ///
    /// # Errors
    ///
    /// As [`call_deferred`](Self::call_deferred).
    pub fn call_deferred_async<F>(&self, f: F) -> Result<()>
    where
        F: for<'a> FnOnce(
                &'a mut A,
                &'a Context<A>,
            ) -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send + 'a>>
            + Send
            + 'static,
    {
        let actor = self.shared.cell.clone();
        let call: CallFn<A> = Box::new(move |state, ctx| {
            Box::pin(async move {
                // `f` itself is called inside the catch, so a panic before its first await
                // takes the same tell path as one after it.
                catch_panic(async move { f(state, ctx).await })
                    .await
                    .map_err(|payload| Error::Failure { actor: actor.to_string(), message: panic_message(&payload) })
            })
        });
        self.offer(Content::Defer { call }).map_err(|refused| self.refusal(refused))
    }
}
