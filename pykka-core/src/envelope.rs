//! What travels through an actor's inbox.

use crate::actor::Actor;
use crate::context::Context;
use crate::error::Error;
use crate::promise::Promise;
use std::future::Future;
use std::pin::Pin;

/// A boxed future that borrows the actor for the duration of one call.
pub(crate) type CallFuture<'a> = Pin<Box<dyn Future<Output = Result<(), Error>> + Send + 'a>>;

/// A closure run in the actor's context. Its future completes its own promise (if any) and
/// reports a failure back to the loop, which decides between ask and tell semantics.
pub(crate) type CallFn<A> = Box<dyn for<'a> FnOnce(&'a mut A, &'a Context<A>) -> CallFuture<'a> + Send>;

pub(crate) enum Envelope<A: Actor> {
    /// A plain message for `on_receive`; `reply` is `None` for a tell.
    Message { message: A::Message, reply: Option<Promise<A::Reply>> },
    /// A closure run against the actor (the mechanism under proxies); `expects_reply` chooses
    /// ask or tell semantics for a failure.
    Call { call: CallFn<A>, expects_reply: bool },
    /// A request to stop, queued behind earlier messages.
    Stop,
}
