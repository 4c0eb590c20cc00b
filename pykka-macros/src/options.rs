//! The `#[pykka(...)]` options on the struct, its fields and methods.

use syn::Attribute;

/// What `#[pykka(...)]` said about one field or method.
#[derive(Default)]
pub(crate) struct Options {
    /// `#[pykka(traversable)]`: the proxy gives a nested proxy instead of the value.
    pub(crate) traversable: bool,
    /// `#[pykka(skip)]`: the member stays off the proxy even though it is `pub`.
    pub(crate) skip: bool,
    /// `#[pykka(local)]`: the member is on the local proxy only, not on the typed remote
    /// proxy (its type need not be serde).
    pub(crate) local: bool,
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
            } else if meta.path.is_ident("local") {
                options.local = true;
                Ok(())
            } else {
                Err(meta.error("unknown pykka option on a field: expected `traversable`, `skip` or `local`"))
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
            } else if meta.path.is_ident("local") {
                options.local = true;
                Ok(())
            } else if meta.path.is_ident("traversable") {
                Err(meta.error("`traversable` marks a field, not a method"))
            } else {
                Err(meta.error("unknown pykka option on a method: expected `skip` or `local`"))
            }
        })?;
    }
    attrs.retain(|a| !is_ours(a));
    Ok(options)
}

/// The `#[pykka(...)]` options on the struct itself.
#[derive(Default)]
pub(crate) struct StructOptions {
    /// `actor`: implement `pykka::Actor` with no messages, for an actor used only through its
    /// proxy.
    pub(crate) actor: bool,
    /// `remote`: also generate the typed remote proxy `NameRemoteProxy` (needs `pykka-remote`).
    pub(crate) remote: bool,
}

/// Reads the `#[pykka(...)]` options on the struct itself.
pub(crate) fn struct_options(attrs: &[Attribute]) -> syn::Result<StructOptions> {
    let mut options = StructOptions::default();
    for attr in attrs.iter().filter(|a| is_ours(a)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("actor") {
                options.actor = true;
                Ok(())
            } else if meta.path.is_ident("remote") {
                options.remote = true;
                Ok(())
            } else if meta.path.is_ident("traversable") || meta.path.is_ident("skip") || meta.path.is_ident("local") {
                Err(meta.error("`traversable`, `skip` and `local` mark a field, not the struct"))
            } else {
                Err(meta.error("unknown pykka option on the struct: expected `actor` or `remote`"))
            }
        })?;
    }
    Ok(options)
}
