//! Generic actor types: the generics that the generated proxy types and impls repeat.

use proc_macro2::Span;
use proc_macro2::TokenStream;
use quote::quote;
use syn::{GenericParam, Generics, Ident, Type};

/// The actor type's generics, as the generated items need them.
pub(crate) struct ActorGenerics {
    /// The generic arguments that name the actor type (`S` in `Worker<S>`): the proxy types
    /// take them first, then the actor parameter `A`.
    pub(crate) args: Vec<TokenStream>,
    /// `<S: Storage>`, for an impl on the actor type (no defaults).
    pub(crate) impl_generics: TokenStream,
    /// `<S: Storage, A: ::pykka::Actor>`, for an impl on a proxy type.
    pub(crate) impl_generics_actor: TokenStream,
    /// The user's where clause, plus `Worker<S>: Send + 'static` when the type is generic
    /// (what an actor or a proxied value needs; a non-generic type gets no extra bounds, so
    /// that existing code expands as before).
    pub(crate) where_clause: TokenStream,
    /// Whether there is anything generic at all.
    pub(crate) generic: bool,
    /// The proxy types' actor parameter: `A`, or `__PykkaActor` if the type has a parameter
    /// named `A` already.
    pub(crate) actor: Ident,
}

impl ActorGenerics {
    /// `generics` of the struct or impl block, whose self type is `self_ty`, named with
    /// `args`.
    pub(crate) fn new(generics: &Generics, self_ty: &Type, args: Vec<TokenStream>) -> syn::Result<Self> {
        if let Some(lifetime) = generics.lifetimes().next() {
            return Err(syn::Error::new_spanned(
                lifetime,
                "an actor's state moves to its own thread or task, so it cannot borrow: a proxied type cannot have \
                 a lifetime parameter (use owned data, `Arc`, or a `'static` reference)",
            ));
        }
        let generic = !generics.params.is_empty();
        let taken = generics.type_params().any(|t| t.ident == "A") || generics.const_params().any(|c| c.ident == "A");
        let actor = Ident::new(if taken { "__PykkaActor" } else { "A" }, Span::call_site());
        let (impl_generics, _, _) = generics.split_for_impl();
        let mut with_actor = generics.clone();
        with_actor.params.push(syn::parse_quote!(#actor: ::pykka::Actor));
        let (impl_generics_actor, _, _) = with_actor.split_for_impl();
        let mut predicates: Vec<TokenStream> =
            generics.where_clause.iter().flat_map(|w| w.predicates.iter()).map(|p| quote!(#p)).collect();
        if generic {
            predicates.push(quote!(#self_ty: ::core::marker::Send + 'static));
        }
        let where_clause = if predicates.is_empty() { quote!() } else { quote!(where #(#predicates),*) };
        Ok(ActorGenerics {
            args,
            impl_generics: quote!(#impl_generics),
            impl_generics_actor: quote!(#impl_generics_actor),
            where_clause,
            generic,
            actor,
        })
    }

    /// The arguments naming a struct's own generic parameters: `S`, `N`.
    pub(crate) fn args_of(generics: &Generics) -> Vec<TokenStream> {
        generics
            .params
            .iter()
            .map(|param| match param {
                GenericParam::Type(t) => {
                    let ident = &t.ident;
                    quote!(#ident)
                }
                GenericParam::Const(c) => {
                    let ident = &c.ident;
                    quote!(#ident)
                }
                GenericParam::Lifetime(l) => {
                    let lifetime = &l.lifetime;
                    quote!(#lifetime)
                }
            })
            .collect()
    }

    /// A proxy type of this actor type in actor `actor`: `WorkerProxy<S, A>`.
    pub(crate) fn proxy_type(&self, proxy: &impl quote::ToTokens, actor: &impl quote::ToTokens) -> TokenStream {
        let args = &self.args;
        quote!(#proxy<#(#args,)* #actor>)
    }
}
