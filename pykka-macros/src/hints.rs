//! Help for mistakes in a `#[pykka::proxy]` block: stand-in proxy types for a type without
//! `#[derive(Proxy)]` (one clear error instead of many), and hint traits that make a call to
//! a method that is not `pub` say so.

use crate::methods::{ProxyTarget, typed};
use crate::types::context_actor;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{ImplItemFn, ItemImpl, Type, Visibility};

/// Stand-ins for `NameProxy` and `NameDeferred`, glob-imported, so that a block on a type
/// without `#[derive(Proxy)]` is one error (the missing `Proxied`, whose message says to add
/// the derive) rather than "cannot find type `NameProxy`" at every use. The derive's types are
/// items of the module, which shadow a glob import, so with the derive these are never used.
/// Only for a type named by one identifier with type arguments only: a path, or a const
/// argument, would need the stand-ins to repeat it.
pub(crate) fn fallback_types(item: &ItemImpl, self_ty: &Type, remote: bool) -> Option<TokenStream> {
    let Type::Path(path) = self_ty else { return None };
    if path.qself.is_some() || path.path.leading_colon.is_some() || path.path.segments.len() != 1 {
        return None;
    }
    let segment = &path.path.segments[0];
    let ident = &segment.ident;
    let const_params: Vec<_> = item.generics.const_params().map(|c| &c.ident).collect();
    let arity = match &segment.arguments {
        syn::PathArguments::None => 0,
        syn::PathArguments::AngleBracketed(arguments) => {
            for argument in &arguments.args {
                let syn::GenericArgument::Type(ty) = argument else { return None };
                if let Type::Path(p) = ty
                    && p.path.get_ident().is_some_and(|i| const_params.contains(&i))
                {
                    return None;
                }
            }
            arguments.args.len()
        }
        syn::PathArguments::Parenthesized(_) => return None,
    };
    let params: Vec<_> = (0..arity).map(|i| format_ident!("__PykkaArg{}", i)).collect();
    let proxy = format_ident!("{}Proxy", ident);
    let deferred = format_ident!("{}Deferred", ident);
    // With `remote` (never generic), `NameRemoteProxy` too: a block whose struct lacks
    // `#[pykka(remote)]` is then only the missing `RemoteProxied` (whose message says to add it).
    let remote_proxy = format_ident!("{}RemoteProxy", ident);
    let remote_stand_in = (remote && arity == 0).then(|| {
        quote! {
            pub struct #remote_proxy<A: 'static = ()> {
                pub(crate) __pykka_remote: ::pykka_remote::RemoteProxyBase<A>,
            }
        }
    });
    // Unique per block: two blocks (an error of its own) must not add a clash of these.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::hash::Hash::hash(&quote!(#item).to_string(), &mut hasher);
    let module = format_ident!("__pykka_without_derive_{}_{:x}", ident, std::hash::Hasher::finish(&hasher));
    Some(quote! {
        #[doc(hidden)]
        #[allow(dead_code, non_snake_case, unreachable_pub, missing_docs)]
        mod #module {
            pub struct #proxy<#(#params: ?Sized,)* A: 'static = ()> {
                pub(crate) __pykka_core: ::pykka::__private::NoDerive<A>,
                args: ::core::marker::PhantomData<fn() -> (#(*const #params,)*)>,
            }
            pub struct #deferred<#(#params: ?Sized,)* A: 'static = ()> {
                pub(crate) __pykka_core: ::pykka::__private::NoDerive<A>,
                args: ::core::marker::PhantomData<fn() -> (#(*const #params,)*)>,
            }
            #remote_stand_in
        }
        #[allow(unused_imports)]
        use #module::*;
    })
}

/// Names that a proxy reaches through `Deref` (its base's methods) or a derived trait: a
/// non-`pub` method of one of these names gets no hint, so that the proxy's own stays callable.
const NOT_HINTED: &[&str] = &[
    "actor_ref",
    "attr_path",
    "call",
    "child",
    "defer",
    "get",
    "root",
    "set",
    "stop",
    "clone",
    "eq",
    "ne",
    "fmt",
    "hash",
];

/// A method that is not `pub` and takes `self` by reference: its name and how many arguments a
/// caller would pass (the context excluded).
pub(crate) fn non_pub_hint(function: &ImplItemFn) -> Option<(syn::Ident, usize)> {
    let sig = &function.sig;
    if !matches!(function.vis, Visibility::Inherited) || sig.receiver().is_none() {
        return None;
    }
    if NOT_HINTED.contains(&sig.ident.to_string().as_str()) {
        return None;
    }
    let arity = sig.inputs.iter().filter_map(typed).filter(|input| context_actor(&input.ty).is_none()).count();
    Some((sig.ident.clone(), arity))
}

/// For the methods that are not `pub`, a trait with a method of the same name on the proxies
/// whose only purpose is its compile error: calling `proxy.reset()` reports that `reset` is not
/// `pub`, instead of "no method named `reset`". Its methods are trait methods, so the proxy's
/// own (a field's getter of the same name, say) win over them.
pub(crate) fn non_pub_hints(target: &ProxyTarget, methods: &[(syn::Ident, usize)]) -> TokenStream {
    let Some((first, _)) = methods.first() else { return TokenStream::new() };
    let ProxyTarget { proxy, deferred, generics } = target;
    // Named after the first such method too, so that two blocks' traits do not clash.
    let trait_name = format_ident!(
        "{}NonPubMethods_{}",
        proxy.segments.last().map_or_else(|| "Proxy".to_owned(), |s| s.ident.to_string()),
        first
    );
    let (impl_generics, where_clause) = (&generics.impl_generics_actor, &generics.where_clause);
    let proxy_a = generics.proxy_type(proxy, &generics.actor);
    let deferred_a = generics.proxy_type(deferred, &generics.actor);
    let declarations = methods.iter().map(|(ident, arity)| {
        let params: Vec<_> = (0..*arity).map(|i| format_ident!("__PykkaArg{}", i)).collect();
        quote! {
            fn #ident<#(#params),*>(&self, #(_: #params),*) -> ::core::convert::Infallible
            where
                Self: ::pykka::__private::NotPub;
        }
    });
    let definitions: Vec<_> = methods
        .iter()
        .map(|(ident, arity)| {
            let params: Vec<_> = (0..*arity).map(|i| format_ident!("__PykkaArg{}", i)).collect();
            quote! {
                fn #ident<#(#params),*>(&self, #(_: #params),*) -> ::core::convert::Infallible
                where
                    Self: ::pykka::__private::NotPub,
                {
                    ::core::unreachable!()
                }
            }
        })
        .collect();
    quote! {
        /// The methods of the actor's `#[pykka::proxy]` block that are not `pub`: calling one
        /// through the proxy is a compile error that says so.
        #[doc(hidden)]
        #[allow(dead_code, non_camel_case_types)]
        pub(crate) trait #trait_name {
            #(#declarations)*
        }
        impl #impl_generics #trait_name for #proxy_a #where_clause {
            #(#definitions)*
        }
        impl #impl_generics #trait_name for #deferred_a #where_clause {
            #(#definitions)*
        }
    }
}
