//! # pykka-macros: typed actor proxies, generated at compile time
//!
//! Use these macros through their re-exports, `pykka::Proxy` and `pykka::proxy`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod derive;
mod methods;
mod options;
mod types;

use proc_macro::TokenStream;

/// Generates the proxy type `NameProxy` (and its tell-semantics form `NameDeferred`) for an
/// actor's state struct, with an accessor per `pub` field, and implements `pykka::Proxied`.
///
/// Field options: `#[pykka(traversable)]` (the accessor returns a nested proxy; the field's
/// type must derive `Proxy` too) and `#[pykka(skip)]` (keep a `pub` field off the proxy).
/// See the [crate documentation](crate).
#[proc_macro_derive(Proxy, attributes(pykka))]
pub fn derive_proxy(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    derive::expand(input).unwrap_or_else(syn::Error::into_compile_error).into()
}

/// On the inherent `impl` block of a type that derives `Proxy`: adds every `pub fn` and
/// `pub async fn` taking `&self` or `&mut self` to the type's proxy. Method option:
/// `#[pykka(skip)]`. See the [crate documentation](crate).
#[proc_macro_attribute]
pub fn proxy(args: TokenStream, input: TokenStream) -> TokenStream {
    if !args.is_empty() {
        let args = proc_macro2::TokenStream::from(args);
        return syn::Error::new_spanned(args, "#[pykka::proxy] takes no arguments").into_compile_error().into();
    }
    let item = syn::parse_macro_input!(input as syn::ItemImpl);
    methods::expand(item).unwrap_or_else(syn::Error::into_compile_error).into()
}
