//! Small questions about types and names that both macros ask.

use proc_macro2::Span;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Ident, Path, Type};

/// Replaces `Self` in a type with the actor's type, because the generated code that names
/// the type is in the proxy's impl, where `Self` means the proxy.
pub(crate) fn replace_self(ty: &mut Type, with: &Type) {
    struct Replace<'a>(&'a Type);
    impl VisitMut for Replace<'_> {
        fn visit_type_mut(&mut self, ty: &mut Type) {
            if let Type::Path(path) = ty
                && path.qself.is_none()
                && path.path.is_ident("Self")
            {
                *ty = self.0.clone();
                return;
            }
            visit_mut::visit_type_mut(self, ty);
        }
    }
    Replace(with).visit_type_mut(ty);
}

/// The actor type `X` if a parameter is an actor's context, `&Context<X>` (any path ending in
/// `Context` with one type argument): the proxy fills it in instead of asking the caller.
pub(crate) fn context_actor(ty: &Type) -> Option<Type> {
    let Type::Reference(reference) = ty else { return None };
    if reference.mutability.is_some() {
        return None;
    }
    let Type::Path(path) = &*reference.elem else { return None };
    let last = path.path.segments.last()?;
    if path.qself.is_some() || last.ident != "Context" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(arguments) = &last.arguments else { return None };
    match arguments.args.iter().collect::<Vec<_>>().as_slice() {
        [syn::GenericArgument::Type(actor)] => Some(actor.clone()),
        _ => None,
    }
}

/// Rejects types a proxied call cannot carry to or from another thread: borrowed references
/// (other than `'static` ones) and `impl Trait`.
pub(crate) fn check_sendable(ty: &Type, what: &str) -> syn::Result<()> {
    match ty {
        Type::Reference(reference) if reference.lifetime.as_ref().is_none_or(|l| l.ident != "static") => {
            Err(syn::Error::new_spanned(
                ty,
                format!("{what} is a borrowed reference, which cannot cross to the actor and back; use an owned type"),
            ))
        }
        Type::ImplTrait(_) => Err(syn::Error::new_spanned(
            ty,
            format!("{what} is `impl Trait`, which a proxy cannot name; use a concrete type"),
        )),
        _ => Ok(()),
    }
}

/// The path of a generated type next to the actor's (`audio::Player<S>` gives
/// `audio::PlayerProxy`), and the actor type's generic arguments (`S`).
pub(crate) fn sibling(self_ty: &Type, suffix: &str) -> syn::Result<(Path, Vec<TokenStream>)> {
    let unsupported =
        || syn::Error::new_spanned(self_ty, "#[pykka::proxy] supports impl blocks of a named struct type");
    let Type::Path(type_path) = self_ty else { return Err(unsupported()) };
    if type_path.qself.is_some() {
        return Err(unsupported());
    }
    let mut path = type_path.path.clone();
    let last = path.segments.last_mut().ok_or_else(unsupported)?;
    let args = match std::mem::replace(&mut last.arguments, syn::PathArguments::None) {
        syn::PathArguments::None => Vec::new(),
        syn::PathArguments::AngleBracketed(arguments) => arguments.args.iter().map(|a| quote!(#a)).collect(),
        syn::PathArguments::Parenthesized(_) => return Err(unsupported()),
    };
    last.ident = format_ident!("{}{}", last.ident, suffix);
    Ok((path, args))
}

/// The actor type's own name, for generated docs and error messages.
pub(crate) fn type_name(self_ty: &Type) -> String {
    match self_ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// An identifier that cannot collide with the user's names.
pub(crate) fn hidden(name: &str) -> Ident {
    Ident::new(&format!("__pykka_{name}"), Span::call_site())
}
