//! Calls by name through an [`AnyActorRef`](crate::AnyActorRef), whose actor type is erased:
//! each proxied actor type's typed functions, recorded when the type is enabled.

use super::Proxied;
use super::by_name::{ExpectedTypes, ProxyMessage, check, expected, run, schema_mismatch};
use super::schema::TypeSpec;
use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::error::{Error, Result};
use crate::future::Future;
use std::any::{Any, TypeId};

/// Calls by name through an [`AnyActorRef`](crate::AnyActorRef), whose actor type is erased:
/// the typed functions of one proxied actor type, kept by its `TypeId`.
///
/// Rust cannot ask at run time whether a type has a proxy, so a type's functions are recorded
/// when it is enabled ([`ActorRegistry::enable_calls_by_name`](crate::ActorRegistry::enable_calls_by_name)),
/// not discovered.
#[derive(Clone, Copy)]
pub(crate) struct UntypedCalls {
    check: fn(&ProxyMessage, Option<TypeSpec>) -> std::result::Result<(), String>,
    expected: fn(&ProxyMessage) -> std::result::Result<ExpectedTypes, String>,
    ask: fn(&crate::AnyActorRef, ProxyMessage) -> Future<Box<dyn Any + Send>>,
    tell: fn(&crate::AnyActorRef, ProxyMessage) -> Result<()>,
}

/// Enabled actor types, by `TypeId`. Written once per type, read on every untyped call.
static UNTYPED: std::sync::RwLock<Vec<(TypeId, UntypedCalls)>> = std::sync::RwLock::new(Vec::new());

impl UntypedCalls {
    /// Records `A`'s functions; enabling a type twice is harmless.
    pub(crate) fn enable<A: Actor + Proxied>() {
        let mut enabled = UNTYPED.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if !enabled.iter().any(|(id, _)| *id == TypeId::of::<A>()) {
            enabled.push((
                TypeId::of::<A>(),
                UntypedCalls {
                    check: check::<A>,
                    expected: expected::<A>,
                    ask: ask_untyped::<A>,
                    tell: tell_untyped::<A>,
                },
            ));
        }
    }

    /// The functions of the actor type `actor_type`, if it was enabled.
    pub(crate) fn of(actor_type: TypeId) -> Option<UntypedCalls> {
        let enabled = UNTYPED.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        enabled.iter().find(|(id, _)| *id == actor_type).map(|(_, calls)| *calls)
    }

    /// Checks `message` against the actor's schema, as the typed forms do.
    pub(crate) fn check(&self, message: &ProxyMessage, reply: Option<TypeSpec>) -> std::result::Result<(), String> {
        (self.check)(message, reply)
    }

    /// The types `message`'s member expects; see [`expected`].
    pub(crate) fn expected(&self, message: &ProxyMessage) -> std::result::Result<ExpectedTypes, String> {
        (self.expected)(message)
    }

    /// Sends a message that [`check`](Self::check) accepted; the future holds the boxed reply.
    pub(crate) fn ask(&self, actor: &crate::AnyActorRef, message: ProxyMessage) -> Future<Box<dyn Any + Send>> {
        (self.ask)(actor, message)
    }

    /// Sends a message that [`check`](Self::check) accepted, with tell semantics.
    pub(crate) fn tell(&self, actor: &crate::AnyActorRef, message: ProxyMessage) -> Result<()> {
        (self.tell)(actor, message)
    }
}

/// The error of an untyped call by name that does not match, or whose actor type was never
/// enabled.
pub(crate) fn invalid_untyped(actor: &crate::AnyActorRef, message: &ProxyMessage, reason: String) -> Error {
    Error::InvalidProxyMessage { actor: actor.to_string(), attr_path: message.attr_path().join("."), reason }
}

fn typed<A: Actor + Proxied>(actor: &crate::AnyActorRef) -> ActorRef<A> {
    match actor.downcast::<A>() {
        Some(actor) => actor,
        // `UntypedCalls::of` was looked up by this very actor's type.
        None => schema_mismatch(A::__schema(), "the actor type"),
    }
}

fn ask_untyped<A: Actor + Proxied>(actor: &crate::AnyActorRef, message: ProxyMessage) -> Future<Box<dyn Any + Send>> {
    typed::<A>(actor).call_async(move |actor, ctx| Box::pin(run(actor, ctx, message)))
}

fn tell_untyped<A: Actor + Proxied>(actor: &crate::AnyActorRef, message: ProxyMessage) -> Result<()> {
    typed::<A>(actor).call_deferred_async(move |actor, ctx| {
        Box::pin(async move {
            drop(run(actor, ctx, message).await);
        })
    })
}
