//! Actor proxies: the runtime half of `#[derive(Proxy)]` and `#[pykka::proxy]`.
//!
//! Pykka builds a proxy by introspecting the actor object at run time. Here the macros in
//! `pykka-macros` generate, at compile time, one proxy type per actor (and per traversable
//! attribute type); this module holds what those generated types run on:
//!
//! * [`Proxied`], the trait the derive implements, and [`ActorRef::proxy`];
//! * `ProxyCore`, the (hidden) state of every generated proxy: the actor's ref, the attribute
//!   path, and a function from the actor to the attribute the proxy stands for;
//! * [`ProxyBase`] and [`DeferredBase`], which generated proxies dereference to: what a proxy
//!   has besides its type's members, with the whole-actor operations on the actor's own
//!   proxy only;
//! * calls by name through an untyped [`AnyActorRef`](crate::AnyActorRef), for actor types
//!   enabled in the [`ActorRegistry`](crate::ActorRegistry);
//! * the call-by-name escape hatch ([`ProxyCall`], [`ProxyGetAttr`], [`ProxySetAttr`]), checked
//!   against a static [schema](private::Schema) the derive also generates.
//!
//! Every proxied operation is an [`ActorRef::call_async`] (ask semantics) or
//! [`ActorRef::call_deferred_async`] (tell semantics): proxies add no message path of their own.

mod by_name;
mod handle;
mod schema;
mod untyped;

pub use by_name::{ExpectedTypes, ProxyCall, ProxyGetAttr, ProxyMessage, ProxySetAttr, ValueType};
pub use handle::{DeferredBase, ProxyBase};
pub(crate) use schema::TypeSpec;
pub(crate) use untyped::{UntypedCalls, invalid_untyped};

use crate::actor::Actor;
use crate::actor_ref::ActorRef;
use crate::error::{Error, Result};
use std::fmt;
use std::hash::Hash;

/// What the generated code needs from `pykka` and users never name. Not public API: it may
/// change in any release.
#[doc(hidden)] // hidden here too, so that the facade's glob re-export of the core hides it
pub mod private {
    pub use super::handle::ProxyCore;
    pub use super::schema::{
        CheckNoDerive, CheckViaDerive, DynProxied, FieldKind, FieldSpec, MethodFuture, MethodSpec, MethodsOf,
        NoProxyMethods, OneProxyBlockPerType, ProxyTypesOf, Schema, TypeSpec, ViaProxyMethods,
    };

    /// A generated proxy's base, holding its core.
    pub fn base<A: 'static, T: 'static>(core: ProxyCore<A, T>) -> super::ProxyBase<A, T> {
        super::ProxyBase::new(core)
    }

    /// A generated deferred proxy's base, holding its core.
    pub fn deferred_base<A: 'static, T: 'static>(core: ProxyCore<A, T>) -> super::DeferredBase<A, T> {
        super::DeferredBase::new(core)
    }

    /// What a generated proxy holds its core in: its base, or the stand-in of a
    /// `#[pykka::proxy]` block whose type lacks `#[derive(Proxy)]` ([`NoDerive`]).
    pub trait CoreOf<A: 'static, T: 'static> {
        /// The core.
        fn core_of(&self) -> &ProxyCore<A, T>;
    }

    impl<A: 'static, T: 'static> CoreOf<A, T> for super::ProxyBase<A, T> {
        fn core_of(&self) -> &ProxyCore<A, T> {
            self.core()
        }
    }

    impl<A: 'static, T: 'static> CoreOf<A, T> for super::DeferredBase<A, T> {
        fn core_of(&self) -> &ProxyCore<A, T> {
            self.core()
        }
    }

    /// The core of a proxy's base. A function, not a method, so that it is not reachable
    /// through the proxy's `Deref` with method syntax.
    pub fn core<A: 'static, T: 'static, B: CoreOf<A, T>>(base: &B) -> &ProxyCore<A, T> {
        base.core_of()
    }

    /// The core of a deferred proxy's base.
    pub fn deferred_core<A: 'static, T: 'static, B: CoreOf<A, T>>(base: &B) -> &ProxyCore<A, T> {
        base.core_of()
    }

    /// The field of the stand-in proxy types that `#[pykka::proxy]` declares in case the type
    /// lacks `#[derive(Proxy)]` (the derive's types shadow them): the block's methods then
    /// type-check against it, and the one error is the missing `Proxied` impl, which says to
    /// add the derive. It cannot be built, so no code that holds one ever runs.
    pub struct NoDerive<A: 'static> {
        never: std::convert::Infallible,
        actor: std::marker::PhantomData<fn() -> A>,
    }

    impl<A: 'static, T: 'static> CoreOf<A, T> for NoDerive<A> {
        fn core_of(&self) -> &ProxyCore<A, T> {
            let _ = &self.actor;
            match self.never {}
        }
    }

    /// Boxes a proxied method's result for a call by name.
    pub fn box_any<T: std::any::Any + Send>(value: T) -> Box<dyn std::any::Any + Send> {
        Box::new(value)
    }

    /// Implemented for every actor type. A proxied method's `&Context<X>` parameter makes the
    /// generated code require `X: ContextActor`, so that naming a type that is not an actor
    /// (a traversable member's own `Self`) gets this explanation.
    #[diagnostic::on_unimplemented(
        message = "a proxied method takes `&Context<{Self}>`, but `{Self}` is not an actor",
        label = "not an actor",
        note = "a traversable member's methods run in the context of the actor that holds it: take that actor's context, e.g. `ctx: &Context<Core>`, and the method is then callable on that actor's proxies only",
        note = "or give the member a ref or proxy of its actor when the actor builds it (for example in `on_start`, from `ctx.actor_ref()`)"
    )]
    pub trait ContextActor {}

    impl<A: crate::Actor> ContextActor for A {}

    /// Compiles only when `A` is an actor (see [`ContextActor`]).
    pub const fn assert_context_actor<A: ContextActor + ?Sized>() {}

    /// Drops a deferred call's result without a lint about what kind of value it is.
    pub fn discard<T>(_result: T) {}

    /// The bound on a `pub` field's type: reading it through the proxy returns a clone. It
    /// exists for its compile error, which says what to do.
    #[diagnostic::on_unimplemented(
        message = "a `pub` field is read through the proxy as a clone, and `{Self}` is not `Clone`: implement `Clone` for it, make the field private, or mark it #[pykka(skip)]"
    )]
    pub trait FieldValue: Clone {}

    impl<T: Clone> FieldValue for T {}

    /// Implemented by nothing: the bound of the stand-ins `#[pykka::proxy]` puts on the proxy
    /// for the methods that are not `pub`, so that calling one says why it is not there.
    #[diagnostic::on_unimplemented(
        message = "this method is not `pub`, so it is not on the actor's proxy: make it `pub` (any `pub` form) in the actor's #[pykka::proxy] impl block",
        label = "not `pub` in the actor's impl block"
    )]
    pub trait NotPub {}

    /// A clone of a plain field, for a read by name.
    pub fn field_value<V: FieldValue>(value: &V) -> V {
        value.clone()
    }

    /// A traversable field as a by-name target. Requiring `Proxied` (rather than the hidden
    /// `DynProxied`) makes a missing derive report `Proxied`'s explanation.
    pub fn traverse<T: super::Proxied>(field: &mut T) -> &mut dyn DynProxied {
        field
    }
}

/// A type that can be used through a proxy: an actor (reached with [`ActorRef::proxy`]) or a
/// traversable attribute of one. Implemented by `#[derive(pykka::Proxy)]`; do not implement it
/// by hand.
///
/// [`Proxy<A>`](Self::Proxy) is the generated proxy type, `NameProxy<A>`, where `A` is the
/// actor whose context the calls run in. For an actor's own proxy `A` is the actor itself,
/// which is the default, so `CalculatorProxy` means `CalculatorProxy<Calculator>`.
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Proxied, Proxy};
/// # use pykka_threading::Threading;
///
/// #[derive(Proxy)]
/// struct Counter {
///     pub count: u64,
/// }
/// impl Actor for Counter {
///     type Message = ();
///     type Reply = ();
/// }
///
/// fn proxy_of<T: Actor + Proxied>(actor: &pykka::ActorRef<T>) -> T::Proxy<T> {
///     actor.proxy().unwrap()
/// }
///
/// let counter = Counter { count: 3 }.start_on::<Threading>();
/// let proxy: CounterProxy = proxy_of(&counter);
/// assert_eq!(proxy.count().get(), Ok(3));
/// counter.stop().wait().unwrap();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used through a proxy",
    label = "no proxy for this type",
    note = "add `#[derive(pykka::Proxy)]` to `{Self}`, and `#[pykka::proxy]` to its `impl` block to proxy its methods"
)]
pub trait Proxied: private::DynProxied + Send + Sized + 'static {
    /// The generated proxy type for values of this type inside actor `A`.
    ///
    /// It dereferences to [`ProxyBase`], which holds what every proxy has besides the type's
    /// own members.
    type Proxy<A: Actor>: Clone
        + Eq
        + Hash
        + fmt::Debug
        + Send
        + Sync
        + std::ops::Deref<Target = ProxyBase<A, Self>>
        + 'static;

    /// The generated tell-semantics proxy type, `NameDeferred<A>`, from `defer()`.
    type Deferred<A: Actor>: Clone
        + fmt::Debug
        + Send
        + Sync
        + std::ops::Deref<Target = DeferredBase<A, Self>>
        + 'static;

    /// Wraps a proxy core in the generated proxy type.
    #[doc(hidden)]
    fn __proxy<A: Actor>(core: private::ProxyCore<A, Self>) -> Self::Proxy<A>;

    /// Wraps a proxy core in the generated deferred proxy type.
    #[doc(hidden)]
    fn __deferred<A: Actor>(core: private::ProxyCore<A, Self>) -> Self::Deferred<A>;

    /// The members the proxy exposes, for calls by name.
    #[doc(hidden)]
    fn __schema() -> private::Schema;
}

impl<A: Actor + Proxied> ActorRef<A> {
    /// A proxy to this actor (Pykka's `actor_ref.proxy()`): call its public methods and read
    /// and write its public fields as if it were a local value, each call queued in the
    /// actor's inbox. The type is generated by `#[derive(pykka::Proxy)]`.
    ///
    /// Creating a proxy sends nothing to the actor and runs none of its methods.
    ///
    /// # Errors
    ///
    /// [`Error::ActorDead`] if the actor has stopped. A proxy made earlier keeps working as a
    /// handle (its calls then fail with `ActorDead`, and its
    /// `actor_ref()` stays usable).
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::{Actor, Proxy};
    /// # use pykka_threading::Threading;
    ///
    /// #[derive(Proxy)]
    /// struct Calculator {
    ///     pub last_result: i64,
    /// }
    ///
    /// #[pykka::proxy]
    /// impl Calculator {
    ///     pub fn add(&mut self, a: i64, b: i64) -> i64 {
    ///         self.last_result = a + b;
    ///         self.last_result
    ///     }
    /// }
    ///
    /// impl Actor for Calculator {
    ///     type Message = ();
    ///     type Reply = ();
    /// }
    ///
    /// let actor_ref = Calculator { last_result: 0 }.start_on::<Threading>();
    /// let proxy = actor_ref.proxy().unwrap();
    /// assert_eq!(proxy.add(1, 3).get(), Ok(4));
    /// assert_eq!(proxy.last_result().get(), Ok(4));
    /// proxy.set_last_result(17).wait().unwrap();
    /// assert_eq!(proxy.last_result().get(), Ok(17));
    /// actor_ref.stop().wait().unwrap();
    /// assert!(actor_ref.proxy().unwrap_err().is_actor_dead());
    /// ```
    pub fn proxy(&self) -> Result<A::Proxy<A>> {
        if !self.is_alive() {
            return Err(Error::not_found(self.cell()));
        }
        Ok(A::__proxy(private::ProxyCore::root(self.clone())))
    }
}
