//! What a proxy exposes, described statically (for checking calls by name before they are
//! sent) and reachable dynamically (for running them in the actor).
//!
//! Pykka discovers an actor's attributes at run time, when the proxy is built. Here the derive
//! writes the same information down at compile time: a [`Schema`] per proxied type, and a
//! [`DynProxied`] implementation that reaches the members by name.

use std::any::{Any, TypeId};
use std::future::Future;
use std::pin::Pin;

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// A type, as far as a call by name needs to know it: its `TypeId` and its name for errors.
#[derive(Clone, Copy)]
pub struct TypeSpec {
    id: fn() -> TypeId,
    name: fn() -> &'static str,
}

impl TypeSpec {
    /// The spec of `T`; `const`, so the generated schemas are plain constants.
    pub const fn of<T: ?Sized + 'static>() -> Self {
        TypeSpec { id: TypeId::of::<T>, name: std::any::type_name::<T> }
    }

    /// The type's `TypeId`.
    pub(crate) fn id(&self) -> TypeId {
        (self.id)()
    }

    /// Whether this is the type with `id`.
    pub(crate) fn is(&self, id: TypeId) -> bool {
        self.id() == id
    }

    /// The type's name, as `std::any::type_name` gives it.
    pub(crate) fn name(&self) -> &'static str {
        (self.name)()
    }
}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// One public field of a proxied type.
pub struct FieldSpec {
    /// The field's name.
    pub name: &'static str,
    /// What reading it gives.
    pub kind: FieldKind,
}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// Whether a field is read as a value or traversed into.
#[derive(Clone, Copy)]
pub enum FieldKind {
    /// A plain field: reads return a clone of a value of this type.
    Value(TypeSpec),
    /// A `#[pykka(traversable)]` field: a path continues into its members.
    Traversable(fn() -> Schema),
}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// One public method of a proxied type.
pub struct MethodSpec {
    /// The method's name.
    pub name: &'static str,
    /// The types of its arguments, in order (without the `Context` argument, if any).
    pub args: &'static [TypeSpec],
    /// The type of its result (for an `async fn`, of the value it resolves to).
    pub ret: TypeSpec,
    /// The actor `X` if it takes `&Context<X>`: then it runs only in an `X` actor (the actor
    /// itself for `Context<Self>`, or the actor holding a traversable member).
    pub context: Option<TypeSpec>,
}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// Everything a proxied type exposes.
pub struct Schema {
    /// The type's name, without its module path.
    pub type_name: &'static str,
    /// Its public, non-skipped fields.
    pub fields: &'static [FieldSpec],
    /// Its proxied methods (those of its `#[pykka::proxy]` impl block).
    pub methods: &'static [MethodSpec],
}

impl Schema {
    /// Every member name, for "no attribute" errors.
    pub(crate) fn member_names(&self) -> Vec<&'static str> {
        let mut names: Vec<_> = self.fields.iter().map(|f| f.name).chain(self.methods.iter().map(|m| m.name)).collect();
        names.sort_unstable();
        names
    }
}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// The future of a method called by name, borrowing the actor; it yields the boxed result.
pub type MethodFuture<'a> = Pin<Box<dyn Future<Output = Box<dyn Any + Send>> + Send + 'a>>;

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// The members of a proxied value, reached by name. Implemented by the derive; the method part
/// by `#[pykka::proxy]` on the impl block (through [`OneProxyBlockPerType`], or [`NoProxyMethods`] when there is none).
pub trait DynProxied: Send {
    /// A clone of the named plain field, or `None` if there is no such field.
    fn __get_field(&self, name: &str) -> Option<Box<dyn Any + Send>>;

    /// Writes the named plain field; gives `value` back if there is no such field or the
    /// value has the wrong type.
    ///
    /// # Errors
    ///
    /// The value, given back.
    fn __set_field(&mut self, name: &str, value: Box<dyn Any + Send>) -> Result<(), Box<dyn Any + Send>>;

    /// The named traversable field.
    fn __traverse(&mut self, name: &str) -> Option<&mut dyn DynProxied>;

    /// Starts the named method with `args` (each boxed, in order); `ctx` is the actor's
    /// `Context`, for methods that take it. `None` if the name or the arguments do not match.
    fn __call_method<'a>(
        &'a mut self,
        name: &str,
        args: Vec<Box<dyn Any + Send>>,
        ctx: &'a (dyn Any + Send + Sync),
    ) -> Option<MethodFuture<'a>>;
}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// The method part of a proxied type, implemented by `#[pykka::proxy]` on its impl block.
///
/// A trait impl rather than inherent functions, so that a second `#[pykka::proxy]` block for
/// the same type is one "conflicting implementations" error at that block (the trait's name
/// says what is wrong), and so that a block on a type without `#[derive(Proxy)]` is one error
/// that says to add it (the supertrait's explanation). Several blocks cannot be supported:
/// the derive's by-name dispatch and schema need every method, and one macro invocation
/// cannot see another's.
pub trait OneProxyBlockPerType: crate::Proxied {
    /// The proxied methods' specs.
    fn __pykka_methods() -> &'static [MethodSpec];

    /// Starts the named method (see [`DynProxied::__call_method`]).
    fn __pykka_call_method<'a>(
        &'a mut self,
        name: &str,
        args: Vec<Box<dyn Any + Send>>,
        ctx: &'a (dyn Any + Send + Sync),
    ) -> Option<MethodFuture<'a>>;
}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// What the derive asks for a type's methods: `(&MethodsOf::<Self>::new()).methods()` finds
/// [`ViaProxyMethods`] when the type has a `#[pykka::proxy]` block (it needs no autoref), and
/// [`NoProxyMethods`] otherwise, so the derive never needs to know whether the block exists.
/// Resolved at compile time: no cost at run time.
pub struct MethodsOf<T: ?Sized>(std::marker::PhantomData<fn() -> std::marker::PhantomData<T>>);

impl<T: ?Sized> MethodsOf<T> {
    /// The probe.
    #[allow(clippy::new_without_default)]
    pub const fn new() -> Self {
        MethodsOf(std::marker::PhantomData)
    }
}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// The methods of a type with a `#[pykka::proxy]` block.
pub trait ViaProxyMethods<T> {
    /// Its methods' specs.
    fn methods(&self) -> &'static [MethodSpec];

    /// Starts its named method.
    fn call_method<'a>(
        &self,
        this: &'a mut T,
        name: &str,
        args: Vec<Box<dyn Any + Send>>,
        ctx: &'a (dyn Any + Send + Sync),
    ) -> Option<MethodFuture<'a>>;
}

impl<T: OneProxyBlockPerType> ViaProxyMethods<T> for MethodsOf<T> {
    fn methods(&self) -> &'static [MethodSpec] {
        T::__pykka_methods()
    }

    fn call_method<'a>(
        &self,
        this: &'a mut T,
        name: &str,
        args: Vec<Box<dyn Any + Send>>,
        ctx: &'a (dyn Any + Send + Sync),
    ) -> Option<MethodFuture<'a>> {
        this.__pykka_call_method(name, args, ctx)
    }
}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// The method part of a type without a `#[pykka::proxy]` impl block: no methods.
pub trait NoProxyMethods<T> {
    /// No methods.
    fn methods(&self) -> &'static [MethodSpec] {
        &[]
    }

    /// No method to call.
    fn call_method<'a>(
        &self,
        _this: &'a mut T,
        _name: &str,
        _args: Vec<Box<dyn Any + Send>>,
        _ctx: &'a (dyn Any + Send + Sync),
    ) -> Option<MethodFuture<'a>> {
        None
    }
}

impl<T> NoProxyMethods<T> for &MethodsOf<T> {}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// Implemented by the derive for `(NameProxy<…, A>, NameDeferred<…, B>)`: the proxy types of `T`.
#[diagnostic::on_unimplemented(
    message = "the #[pykka::proxy] block for `{T}` cannot see the proxy types that `#[derive(Proxy)]` generated for it",
    label = "the block's methods would go on stand-ins, not on the proxy of `{T}`",
    note = "import the generated types where the block is (`use path::to::{{NameProxy, NameDeferred}};`, not a glob), or write the type's path in the block's header (`impl path::to::Name {{ ... }}`)"
)]
pub trait ProxyTypesOf<T: ?Sized> {}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// The check `#[pykka::proxy]` makes when its type derives `Proxy`: the proxy types it puts the
/// methods on are that type's (not stand-ins, see [`OneProxyBlockPerType`]).
pub trait CheckViaDerive<T> {
    /// Compiles only if `P` holds the proxy types of `T`.
    fn check_proxy_types<P: ProxyTypesOf<T>>(&self) {}
}

impl<T: crate::Proxied> CheckViaDerive<T> for MethodsOf<T> {}

#[doc(hidden)] // support for generated code: keeps its impls out of users' docs
/// Without the derive there is nothing to check: the missing `Proxied` is the error.
pub trait CheckNoDerive<T> {
    /// Nothing to check.
    fn check_proxy_types<P>(&self) {}
}

impl<T> CheckNoDerive<T> for &MethodsOf<T> {}
