//! `#[pykka::proxy]` on an impl block: one proxy method (and one deferred method) per public
//! method, and the by-name dispatch for them.

use crate::options::take_method_options;
use crate::types::{check_sendable, context_actor, hidden, replace_self, sibling, type_name};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{FnArg, ImplItem, ImplItemFn, ItemImpl, Pat, ReturnType, Type, Visibility};

/// One argument of a proxied method, as the caller passes it.
struct Arg {
    ident: syn::Ident,
    ty: Type,
}

/// One proxied method.
struct Method {
    /// The method's own visibility, which its proxy forms get.
    vis: Visibility,
    ident: syn::Ident,
    /// The caller's arguments, without the context.
    args: Vec<Arg>,
    /// Where the `&Context<X>` parameter goes among the method's parameters, if it has one,
    /// and the actor `X` (`Self` replaced): the method runs in the context of that actor, so
    /// its proxy forms exist only on proxies into an `X`.
    context: Option<(usize, Type)>,
    ret: Type,
    is_async: bool,
}

pub(crate) fn expand(mut item: ItemImpl) -> syn::Result<TokenStream> {
    // These errors keep the impl block as written, so that only the attribute is reported.
    if let Some((_, path, _)) = &item.trait_ {
        let error = syn::Error::new_spanned(
            path,
            "#[pykka::proxy] goes on the type's inherent impl block (`impl MyActor { ... }`), not on a trait impl",
        )
        .into_compile_error();
        return Ok(quote!(#item #error));
    }
    if !item.generics.params.is_empty() {
        let error = syn::Error::new_spanned(&item.generics, "#[pykka::proxy] does not support generic impl blocks")
            .into_compile_error();
        return Ok(quote!(#item #error));
    }
    let self_ty = (*item.self_ty).clone();
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
    let generated = generate(&self_ty, &methods)?;
    let hints = non_pub_hints(&self_ty, &non_pub)?;
    let errors = errors.map(syn::Error::into_compile_error);
    Ok(quote! {
        #item
        #generated
        #hints
        #errors
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
fn non_pub_hint(function: &ImplItemFn) -> Option<(syn::Ident, usize)> {
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
fn non_pub_hints(self_ty: &Type, methods: &[(syn::Ident, usize)]) -> syn::Result<TokenStream> {
    if methods.is_empty() {
        return Ok(TokenStream::new());
    }
    let proxy = sibling(self_ty, "Proxy")?;
    let deferred = sibling(self_ty, "Deferred")?;
    let trait_name = format_ident!(
        "{}NonPubMethods",
        proxy.segments.last().map_or_else(|| "Proxy".to_owned(), |s| s.ident.to_string())
    );
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
    Ok(quote! {
        /// The methods of the actor's `#[pykka::proxy]` block that are not `pub`: calling one
        /// through the proxy is a compile error that says so.
        #[doc(hidden)]
        #[allow(dead_code, non_camel_case_types)]
        pub(crate) trait #trait_name {
            #(#declarations)*
        }
        impl<A: ::pykka::Actor> #trait_name for #proxy<A> {
            #(#definitions)*
        }
        impl<A: ::pykka::Actor> #trait_name for #deferred<A> {
            #(#definitions)*
        }
    })
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
    }))
}

fn typed(arg: &FnArg) -> Option<&syn::PatType> {
    match arg {
        FnArg::Typed(pat) => Some(pat),
        FnArg::Receiver(_) => None,
    }
}

impl Method {
    /// `this.method(a, ctx, b)` (with `.await` for an async method), the call every form of
    /// the method makes in the actor's context.
    fn invocation(&self, this: &syn::Ident, ctx: &TokenStream) -> TokenStream {
        let mut passed: Vec<TokenStream> = self.args.iter().map(|a| a.ident.clone()).map(|i| quote!(#i)).collect();
        if let Some((position, _)) = &self.context {
            passed.insert(*position, ctx.clone());
        }
        let ident = &self.ident;
        let await_ = if self.is_async { quote!(.await) } else { quote!() };
        quote!(#this.#ident(#(#passed),*) #await_)
    }
}

fn generate(self_ty: &Type, methods: &[Method]) -> syn::Result<TokenStream> {
    let proxy = sibling(self_ty, "Proxy")?;
    let deferred = sibling(self_ty, "Deferred")?;
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
    let allow = quote!(#[allow(unreachable_pub, clippy::async_yields_async)]);
    let mut in_actor = Vec::new();
    let mut specs = Vec::new();
    let mut dispatch = Vec::new();
    for method in methods {
        let (vis, ident) = (&method.vis, &method.ident);
        let ident_str = ident.to_string();
        let params: Vec<_> = method.args.iter().map(|Arg { ident, ty }| quote!(#ident: #ty)).collect();
        let ret = &method.ret;
        let invocation = method.invocation(&this, &quote!(#ctx));
        let ask_doc = format!(
            "Calls `{name}::{ident_str}` in the actor's context, queued in its inbox, and returns a future of its result.\n\n\
             A panic in the method fails the future with `pykka::Error::Failure`; the actor keeps running."
        );
        let tell_doc = format!(
            "Calls `{name}::{ident_str}` with tell semantics: queued, with no future; a panic in it is logged at \
             ERROR, runs `on_failure` and stops the actor.\n\n# Errors\n\n`pykka::Error::ActorDead` if the actor has stopped."
        );
        let ask = quote! {
            #[doc = #ask_doc]
            #vis fn #ident(&self, #(#params),*) -> ::pykka::Future<#ret> {
                #core.call_named(#ident_str, move |#this, #ctx| ::std::boxed::Box::pin(async move { #invocation }))
            }
        };
        let tell = quote! {
            #[doc = #tell_doc]
            #vis fn #ident(&self, #(#params),*) -> ::pykka::Result<()> {
                #deferred_core.defer_named(#ident_str, move |#this, #ctx| ::std::boxed::Box::pin(async move {
                    ::pykka::__private::discard(#invocation)
                }))
            }
        };
        if let Some((_, actor)) = &method.context {
            in_actor.push(quote! {
                #allow
                impl #proxy<#actor> {
                    #ask
                }

                #allow
                impl #deferred<#actor> {
                    #tell
                }

                // Names the reason when `X` in `&Context<X>` is not an actor.
                const _: () = ::pykka::__private::assert_context_actor::<#actor>();
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
        let call = method.invocation(&format_ident!("self"), &quote!(#ctx));
        dispatch.push(quote! {
            #ident_str => {
                #(#unpack)*
                #context
                ::core::option::Option::Some(::std::boxed::Box::pin(async move {
                    ::std::boxed::Box::new(#call) as ::std::boxed::Box<dyn ::core::any::Any + ::core::marker::Send>
                }))
            }
        });
    }

    Ok(quote! {
        #allow
        impl<A: ::pykka::Actor> #proxy<A> {
            #(#any_actor)*
        }

        #allow
        impl<A: ::pykka::Actor> #deferred<A> {
            #(#any_actor_deferred)*
        }

        #(#in_actor)*

        impl #self_ty {
            #[doc(hidden)]
            pub(crate) fn __pykka_methods() -> &'static [::pykka::__private::MethodSpec] {
                const METHODS: &[::pykka::__private::MethodSpec] = &[#(#specs),*];
                METHODS
            }

            #[doc(hidden)]
            #[allow(unused_mut, unused_variables, clippy::async_yields_async)]
            pub(crate) fn __pykka_call_method<'a>(
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
    })
}
