//! What a handler is doing, by name: a proxied method or field, on the actor or on one of its
//! traversable members, a call by name's path, or a message's `Debug`. Set by the handler,
//! read by the debug dump and recorded as the `method` field of the message's span.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// A message's label. A proxy member's is its owner's attribute path and its own name, held
/// as they are (an `Arc` the proxy already has, a `&'static str` of the generated code) and
/// joined only when someone reads it, so that labelling a call allocates nothing.
#[derive(Clone, Debug)]
pub(crate) enum Label {
    /// A finished text: a method or field of the actor itself, a path, a message's `Debug`.
    Text(Cow<'static, str>),
    /// A member of a traversable attribute: `playback.volume` is `(["playback"], "volume")`.
    Member(Arc<[&'static str]>, &'static str),
}

impl Label {
    /// The label of `name` on a proxy at `attr_path` (empty for the actor's own proxy).
    #[inline]
    pub(crate) fn member(attr_path: &Arc<[&'static str]>, name: &'static str) -> Self {
        if attr_path.is_empty() { Label::Text(Cow::Borrowed(name)) } else { Label::Member(attr_path.clone(), name) }
    }
}

impl From<String> for Label {
    fn from(text: String) -> Self {
        Label::Text(Cow::Owned(text))
    }
}

impl From<Cow<'static, str>> for Label {
    fn from(text: Cow<'static, str>) -> Self {
        Label::Text(text)
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Label::Text(text) => f.write_str(text),
            Label::Member(path, name) => {
                for step in path.iter() {
                    write!(f, "{step}.")?;
                }
                f.write_str(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_label_is_its_dotted_path() {
        let root: Arc<[&'static str]> = Arc::from([]);
        assert_eq!(Label::member(&root, "volume").to_string(), "volume");
        let nested: Arc<[&'static str]> = Arc::from(["core", "playback"]);
        assert_eq!(Label::member(&nested, "set_volume").to_string(), "core.playback.set_volume");
        assert_eq!(Label::from("play(3)".to_owned()).to_string(), "play(3)");
    }
}
