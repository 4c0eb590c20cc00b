//! `#[pykka::proxy]` on an impl block: one proxy method (and one deferred method) per public
//! method, and the by-name dispatch for them.

use crate::generics::ActorGenerics;
use crate::hints::{fallback_types, non_pub_hint, non_pub_hints};
use crate::options::take_method_options;
use crate::types::{check_sendable, context_actor, hidden, replace_self, sibling, type_name};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{FnArg, ImplItem, ImplItemFn, ItemImpl, Pat, ReturnType, Type, Visibility};

/// One argument of a proxied method, as the caller passes it.
pub(crate) struct Arg {
    pub(crate) ident: syn::Ident,
    pub(crate) ty: Type,
}

/// One proxied method.
pub(crate) struct Method {
    /// The method's own visibility, which its proxy forms get.
    pub(crate) vis: Visibility,
    pub(crate) ident: syn::Ident,
    /// The caller's arguments, without the context.
    pub(crate) args: Vec<Arg>,
    /// Where the `&Context<X>` parameter goes among the method's parameters, if it has one,
    /// and the actor `X` (`Self` replaced): the method runs in the context of that actor, so
    /// its proxy forms exist only on proxies into an `X`.
    pub(crate) context: Option<(usize, Type)>,
    pub(crate) ret: Type,
    is_async: bool,
    /// `#[pykka(local)]`: not on the typed remote proxy.
    pub(crate) local: bool,
}

pub(crate) fn expand(mut item: ItemImpl, remote: bool) -> syn::Result<TokenStream> {
    // These errors keep the impl block as written, so that only the attribute is reported.
    if let Some((_, path, _)) = &item.trait_ {
        let error = syn::Error::new_spanned(
            path,
            "#[pykka::proxy] goes on the type's inherent impl block (`impl MyActor { ... }`), not on a trait impl",
        )
        .into_compile_error();
        return Ok(quote!(#item #error));
    }
    let self_ty = (*item.self_ty).clone();
    let target = match ProxyTarget::new(&item, &self_ty) {
        Ok(target) => target,
        Err(error) => {
            let error = error.into_compile_error();
            return Ok(quote!(#item #error));
        }
    };
    let mut methods = Vec::new();
    // A method that cannot be proxied is reported at its own tokens, and the others stay on the
    // proxy (and the impl block stays as written), so that their calls do not fail as well.
    let mut errors: Option<syn::Error> = None;
    let mut non_pub = Vec::new();
    for impl_item in &mut item.items {
        if let ImplItem::Fn(function) = impl_item {
            if let Some(hint) = non_pub_hint(function) {
                non_pub.push(hint);
            }
            match proxied_method(function, &self_ty) {
                Ok(Some(method)) => methods.push(method),
                Ok(None) => {}
                Err(error) => match &mut errors {
                    Some(errors) => errors.combine(error),
                    None => errors = Some(error),
                },
            }
        }
    }
    let generated = generate(&self_ty, &target, &methods, remote);
    // Only with `remote` does the expansion name `pykka_remote`.
    let remote = if remote {
        match remote_methods(&item, &self_ty, &methods) {
            Ok(remote) => Some(remote),
            Err(error) => Some(error.into_compile_error()),
        }
    } else {
        None
    };
    let hints = non_pub_hints(&target, &non_pub);
    let fallback = fallback_types(&item, &self_ty, remote.is_some());
    let errors = errors.map(syn::Error::into_compile_error);
    Ok(quote! {
        #item
        #generated
        #hints
        #fallback
        #errors
        #remote
    })
}

/// The typed remote proxy's methods (`#[pykka::proxy(remote)]`).
fn remote_methods(item: &ItemImpl, self_ty: &Type, methods: &[Method]) -> syn::Result<TokenStream> {
    crate::remote::reject_generic(&item.generics, "#[pykka::proxy(remote)]")?;
    let (remote, _) = sibling(self_ty, "RemoteProxy")?;
    Ok(crate::remote::methods(self_ty, &remote, methods.iter().filter(|m| !m.local)))
}

/// Where the generated methods go: the proxy types of the block's self type, with the block's
/// generics.
pub(crate) struct ProxyTarget {
    /// `WorkerProxy` (with the self type's path: `audio::Player` gives `audio::PlayerProxy`).
    pub(crate) proxy: syn::Path,
    pub(crate) deferred: syn::Path,
    pub(crate) generics: ActorGenerics,
}

impl ProxyTarget {
    fn new(item: &ItemImpl, self_ty: &Type) -> syn::Result<Self> {
        let (proxy, args) = sibling(self_ty, "Proxy")?;
        let (deferred, _) = sibling(self_ty, "Deferred")?;
        let generics = ActorGenerics::new(&item.generics, self_ty, args)?;
        Ok(ProxyTarget { proxy, deferred, generics })
    }
}

/// The proxied form of `function`, or `None` if it stays off the proxy (not `pub`, skipped,
/// or an associated function without `self`).
fn proxied_method(function: &mut ImplItemFn, self_ty: &Type) -> syn::Result<Option<Method>> {
    let options = take_method_options(&mut function.attrs)?;
    let sig = &function.sig;
    // Any `pub` form exposes a method; Rust's private (no modifier) is Python's underscore.
    if options.skip || matches!(function.vis, Visibility::Inherited) {
        return Ok(None);
    }
    let Some(receiver) = sig.receiver() else { return Ok(None) };
    let ident = &sig.ident;
    if !matches!(*receiver.ty, Type::Reference(_)) {
        return Err(syn::Error::new_spanned(
            receiver,
            format!(
                "`{ident}` takes `self` by value, but a proxied method runs on the actor's state in place; take `&self` or `&mut self`, or mark it #[pykka(skip)]"
            ),
        ));
    }
    if sig.generics.params.iter().any(|p| !matches!(p, syn::GenericParam::Lifetime(_))) {
        return Err(syn::Error::new_spanned(
            &sig.generics,
            format!(
                "`{ident}` is generic; a proxy needs concrete types: make it non-generic or mark it #[pykka(skip)]"
            ),
        ));
    }
    if let Some(unsafety) = &sig.unsafety {
        return Err(syn::Error::new_spanned(unsafety, "unsafe methods cannot be proxied"));
    }

    let mut args = Vec::new();
    let mut context = None;
    for (position, input) in sig.inputs.iter().filter_map(typed).enumerate() {
        let mut ty = (*input.ty).clone();
        replace_self(&mut ty, self_ty);
        if let Some(actor) = context_actor(&ty) {
            if context.is_some() {
                return Err(syn::Error::new_spanned(&ty, "a proxied method takes the actor's Context at most once"));
            }
            context = Some((position, actor));
            continue;
        }
        check_sendable(&ty, &format!("an argument of `{ident}`"))?;
        let arg_ident = match &*input.pat {
            Pat::Ident(pat) => pat.ident.clone(),
            _ => format_ident!("arg{}", position),
        };
        args.push(Arg { ident: arg_ident, ty });
    }
    let mut ret = match &sig.output {
        ReturnType::Default => syn::parse_quote!(()),
        ReturnType::Type(_, ty) => (**ty).clone(),
    };
    replace_self(&mut ret, self_ty);
    check_sendable(&ret, &format!("the return type of `{ident}`"))?;
    Ok(Some(Method {
        vis: function.vis.clone(),
        ident: ident.clone(),
        args,
        context,
        ret,
        is_async: sig.asyncness.is_some(),
        local: options.local,
    }))
}

pub(crate) fn typed(arg: &FnArg) -> Option<&syn::PatType> {
    match arg {
        FnArg::Typed(pat) => Some(pat),
        FnArg::Receiver(_) => None,
    }
}

impl Method {
    /// The generated function that starts this method in the actor's context:
    /// `__pykka_call_name(this, args..., [ctx,] map)`, a boxed `Send` future of `map` of the
    /// method's result. Every form of the method (ask, tell, by name) calls it, so the future's
    /// `Send` check is made once, and reported at the method's name; each form still boxes once.
    fn helper_ident(&self) -> syn::Ident {
        format_ident!("__pykka_call_{}", self.ident)
    }

    /// The arguments for the helper, after `this`: the caller's arguments and the context.
    fn helper_args(&self, ctx: &syn::Ident) -> Vec<TokenStream> {
        let mut passed: Vec<TokenStream> = self.args.iter().map(|a| &a.ident).map(|i| quote!(#i)).collect();
        if self.context.is_some() {
            passed.push(quote!(#ctx));
        }
        passed
    }
}

fn helper(method: &Method, self_ty: &Type, generics: &ActorGenerics) -> TokenStream {
    let helper = method.helper_ident();
    let ident = &method.ident;
    let ret = &method.ret;
    let this = hidden("this");
    let ctx = hidden("ctx");
    let map = hidden("map");
    let mut params: Vec<TokenStream> = method.args.iter().map(|Arg { ident, ty }| quote!(#ident: #ty)).collect();
    let mut passed: Vec<TokenStream> = method.args.iter().map(|a| &a.ident).map(|i| quote!(#i)).collect();
    if let Some((position, actor)) = &method.context {
        params.push(quote!(#ctx: &'a ::pykka::Context<#actor>));
        passed.insert(*position, quote!(#ctx));
    }
    let await_ = if method.is_async { quote!(.await) } else { quote!() };
    let bounds = method_bounds(method, generics);
    // Spanned at the method's name: an async method whose future is not `Send` is reported
    // there, once, with the compiler's note on the value held across an `.await`.
    let boxed = quote_spanned! {ident.span()=>
        ::std::boxed::Box::pin(async move { #map(#this.#ident(#(#passed),*) #await_) })
    };
    quote! {
        #[doc(hidden)]
        #[allow(clippy::async_yields_async, clippy::too_many_arguments, clippy::type_complexity)]
        fn #helper<'a, __PykkaOut, __PykkaMap>(
            #this: &'a mut #self_ty,
            #(#params,)*
            #map: __PykkaMap,
        ) -> ::core::pin::Pin<::std::boxed::Box<dyn ::core::future::Future<Output = __PykkaOut> + ::core::marker::Send + 'a>>
        where
            __PykkaMap: ::core::ops::FnOnce(#ret) -> __PykkaOut + ::core::marker::Send + 'a,
            #bounds
        {
            #boxed
        }
    }
}

/// For a generic block, what a method's argument and result types must be to cross to the
/// actor and back (for a concrete type the compiler checks them where they are used).
fn method_bounds(method: &Method, generics: &ActorGenerics) -> TokenStream {
    if !generics.generic {
        return TokenStream::new();
    }
    let types = method.args.iter().map(|a| &a.ty).chain(std::iter::once(&method.ret));
    quote!(#(#types: ::core::marker::Send + 'static,)*)
}

fn generate(self_ty: &Type, target: &ProxyTarget, methods: &[Method], remote: bool) -> TokenStream {
    let ProxyTarget { proxy, deferred, generics } = target;
    let ActorGenerics { impl_generics, impl_generics_actor, where_clause, .. } = generics;
    let name = type_name(self_ty);
    let core_field = hidden("core");
    let core = quote!(::pykka::__private::core(&self.#core_field));
    let deferred_core = quote!(::pykka::__private::deferred_core(&self.#core_field));
    let this = hidden("this");
    let ctx = hidden("ctx");
    let (name_in, args_in, ctx_in) = (hidden("name"), hidden("args"), hidden("context"));

    // A method that takes `&Context<X>` runs in the context of actor `X`, so it exists only
    // on proxies into an `X` (`NameProxy<X>`): for `X = Self` the actor's own proxy, for a
    // traversable member the proxies reached from an `X` actor. The rest are on every proxy.
    let (mut any_actor, mut any_actor_deferred) = (Vec::new(), Vec::new());
    // A method may return a future (of a call to itself): the proxy's future then resolves to
    // that future, not flattened, as in Pykka.
    // An actor with a typed remote proxy may be used through that one only.
    let dead_code = remote.then(|| quote!(dead_code,));
    let allow = quote!(#[allow(unreachable_pub, #dead_code clippy::async_yields_async)]);
    let mut in_actor = Vec::new();
    let mut helpers = Vec::new();
    let mut specs = Vec::new();
    let mut dispatch = Vec::new();
    for method in methods {
        let (vis, ident) = (&method.vis, &method.ident);
        let ident_str = ident.to_string();
        let params: Vec<_> = method.args.iter().map(|Arg { ident, ty }| quote!(#ident: #ty)).collect();
        let ret = &method.ret;
        let helper_ident = method.helper_ident();
        let passed = method.helper_args(&ctx);
        let bounds = method_bounds(method, generics);
        let bounds = if bounds.is_empty() { quote!() } else { quote!(where #bounds) };
        helpers.push(helper(method, self_ty, generics));
        let ask_doc = format!(
            "Calls `{name}::{ident_str}` in the actor's context, queued in its inbox, and returns a future of its result.\n\n\
             A panic in the method fails the future with `pykka::Error::Failure`; the actor keeps running."
        );
        let tell_doc = format!(
            "Calls `{name}::{ident_str}` with tell semantics: queued, with no future; a panic in it is logged at \
             ERROR, runs `on_failure` and stops the actor.\n\n# Errors\n\n`pykka::Error::ActorDead` if the actor has stopped."
        );
        // Spanned at the method's name (the body's tokens keep theirs), so that a clash with a
        // field's accessor ("duplicate definitions") points at the method, not the attribute.
        let ask_body = quote! {
            #core.call_named(#ident_str, move |#this, #ctx| {
                <#self_ty>::#helper_ident(#this, #(#passed,)* ::core::convert::identity)
            })
        };
        // `self` with the body's span: declared under the method name's span, it would not be
        // the `self` the body uses when the block comes out of a `macro_rules!` macro (hygiene).
        let receiver = quote!(&self);
        let ask = quote_spanned! {ident.span()=>
            #[doc = #ask_doc]
            #vis fn #ident(#receiver, #(#params),*) -> ::pykka::Future<#ret> #bounds {
                #ask_body
            }
        };
        let tell = quote! {
            #[doc = #tell_doc]
            #vis fn #ident(&self, #(#params),*) -> ::pykka::Result<()> #bounds {
                #deferred_core.defer_named(#ident_str, move |#this, #ctx| {
                    <#self_ty>::#helper_ident(#this, #(#passed,)* ::pykka::__private::discard)
                })
            }
        };
        if let Some((_, actor)) = &method.context {
            let proxy_x = generics.proxy_type(proxy, actor);
            let deferred_x = generics.proxy_type(deferred, actor);
            // Names the reason when `X` in `&Context<X>` is not an actor. A free item, so
            // only for a block without generics (which it could not name).
            let assertion = (!generics.generic)
                .then(|| quote!(const _: () = ::pykka::__private::assert_context_actor::<#actor>();));
            in_actor.push(quote! {
                #allow
                impl #impl_generics #proxy_x #where_clause {
                    #ask
                }

                #allow
                impl #impl_generics #deferred_x #where_clause {
                    #tell
                }

                #assertion
            });
        } else {
            any_actor.push(ask);
            any_actor_deferred.push(tell);
        }

        let arg_types: Vec<_> = method.args.iter().map(|a| &a.ty).collect();
        let context = match &method.context {
            Some((_, actor)) => quote!(::core::option::Option::Some(::pykka::__private::TypeSpec::of::<#actor>())),
            None => quote!(::core::option::Option::None),
        };
        specs.push(quote! {
            ::pykka::__private::MethodSpec {
                name: #ident_str,
                args: &[#(::pykka::__private::TypeSpec::of::<#arg_types>()),*],
                ret: ::pykka::__private::TypeSpec::of::<#ret>(),
                context: #context,
            }
        });
        let unpack = method.args.iter().map(|Arg { ident, ty }| {
            quote! { let #ident: #ty = *#args_in.next()?.downcast::<#ty>().ok()?; }
        });
        let context = method.context.as_ref().map(|(_, actor)| {
            quote! { let #ctx = #ctx_in.downcast_ref::<::pykka::Context<#actor>>()?; }
        });
        dispatch.push(quote! {
            #ident_str => {
                #(#unpack)*
                #context
                ::core::option::Option::Some(<#self_ty>::#helper_ident(self, #(#passed,)* ::pykka::__private::box_any))
            }
        });
    }

    let proxy_a = generics.proxy_type(proxy, &generics.actor);
    let deferred_a = generics.proxy_type(deferred, &generics.actor);
    let args = &generics.args;
    let check = quote_spanned! {self_ty.span()=>
        (&::pykka::__private::MethodsOf::<Self>::new())
            .check_proxy_types::<(#proxy<#(#args),*>, #deferred<#(#args),*>)>();
    };
    // Spanned at the block's type: a second block for the type ("conflicting implementations")
    // and a type without `#[derive(Proxy)]` (the supertrait `Proxied`) are reported there.
    let methods_impl = quote_spanned! {self_ty.span()=>
        impl #impl_generics ::pykka::__private::OneProxyBlockPerType for #self_ty #where_clause {
            fn __pykka_methods() -> &'static [::pykka::__private::MethodSpec] {
                // With the derive, the proxy types in scope must be the type's own, not the
                // stand-ins of `fallback_types` (which a missing import would leave in scope).
                #[allow(unused_imports)]
                use ::pykka::__private::{CheckNoDerive as _, CheckViaDerive as _};
                #check
                const { &[#(#specs),*] }
            }

            #[allow(unused_mut, unused_variables)]
            fn __pykka_call_method<'a>(
                &'a mut self,
                #name_in: &str,
                #args_in: ::std::vec::Vec<::std::boxed::Box<dyn ::core::any::Any + ::core::marker::Send>>,
                #ctx_in: &'a (dyn ::core::any::Any + ::core::marker::Send + ::core::marker::Sync),
            ) -> ::core::option::Option<::pykka::__private::MethodFuture<'a>> {
                let mut #args_in = #args_in.into_iter();
                match #name_in {
                    #(#dispatch)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    };
    quote! {
        #allow
        impl #impl_generics_actor #proxy_a #where_clause {
            #(#any_actor)*
        }

        #allow
        impl #impl_generics_actor #deferred_a #where_clause {
            #(#any_actor_deferred)*
        }

        #(#in_actor)*

        #[allow(dead_code)]
        impl #impl_generics #self_ty #where_clause {
            #(#helpers)*
        }

        #methods_impl
    }
}
