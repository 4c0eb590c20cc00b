//! The `#[pykka(...)]` options on the struct, its fields and methods.

use syn::Attribute;

/// What `#[pykka(...)]` said about one field or method.
#[derive(Default)]
pub(crate) struct Options {
    /// `#[pykka(traversable)]`: the proxy gives a nested proxy instead of the value.
    pub(crate) traversable: bool,
    /// `#[pykka(skip)]`: the member stays off the proxy even though it is `pub`.
    pub(crate) skip: bool,
}

fn is_ours(attr: &Attribute) -> bool {
    attr.path().is_ident("pykka")
}

/// Reads the `#[pykka(...)]` options of a field (left in place: they are the derive's helper
/// attributes).
pub(crate) fn field_options(attrs: &[Attribute]) -> syn::Result<Options> {
    let mut options = Options::default();
    for attr in attrs.iter().filter(|a| is_ours(a)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("traversable") {
                options.traversable = true;
                Ok(())
            } else if meta.path.is_ident("skip") {
                options.skip = true;
                Ok(())
            } else {
                Err(meta.error("unknown pykka option on a field: expected `traversable` or `skip`"))
            }
        })?;
    }
    Ok(options)
}

/// Takes the `#[pykka(...)]` options off a method: inside an attribute macro's input nothing
/// else would remove them, and the compiler knows no `pykka` attribute on its own.
pub(crate) fn take_method_options(attrs: &mut Vec<Attribute>) -> syn::Result<Options> {
    let mut options = Options::default();
    for attr in attrs.iter().filter(|a| is_ours(a)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("skip") {
                options.skip = true;
                Ok(())
            } else if meta.path.is_ident("traversable") {
                Err(meta.error("`traversable` marks a field, not a method"))
            } else {
                Err(meta.error("unknown pykka option on a method: expected `skip`"))
            }
        })?;
    }
    attrs.retain(|a| !is_ours(a));
    Ok(options)
}

/// Reads the `#[pykka(...)]` options on the struct itself: `actor` (implement `pykka::Actor`
/// with no messages, for an actor used only through its proxy). Returns whether `actor` was given.
pub(crate) fn struct_options(attrs: &[Attribute]) -> syn::Result<bool> {
    let mut actor = false;
    for attr in attrs.iter().filter(|a| is_ours(a)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("actor") {
                actor = true;
                Ok(())
            } else if meta.path.is_ident("traversable") || meta.path.is_ident("skip") {
                Err(meta.error("`traversable` and `skip` mark a field, not the struct"))
            } else {
                Err(meta.error("unknown pykka option on the struct: expected `actor`"))
            }
        })?;
    }
    Ok(actor)
}
