//! Registered names: a string the user chose, unique within an actor system, that finds one
//! running actor until it stops (Erlang's `register`/`whereis`, kameo's `register`/`lookup`).

use crate::any_ref::AnyActorRef;
use crate::error::{Error, Result};
use std::collections::BTreeMap;

/// One system's names, kept under the system's lock with its actors, so that a name is freed
/// in the same step as its actor leaves the registry.
#[derive(Default)]
pub(crate) struct Names {
    by_name: BTreeMap<String, AnyActorRef>,
    /// The names each named actor holds, so that freeing them when it stops costs a lookup,
    /// not a scan of every name.
    by_actor: BTreeMap<u64, Vec<String>>,
}

impl Names {
    /// Gives `actor` the name; registering the same name for the same actor again is harmless.
    pub(crate) fn register(&mut self, name: String, actor: AnyActorRef) -> Result<()> {
        if let Some(holder) = self.by_name.get(&name) {
            if holder == &actor {
                return Ok(());
            }
            return Err(Error::NameTaken { name, holder: holder.to_string() });
        }
        self.by_actor.entry(actor.id()).or_default().push(name.clone());
        self.by_name.insert(name, actor);
        Ok(())
    }

    /// Frees `name`; gives back the actor that held it.
    pub(crate) fn unregister(&mut self, name: &str) -> Option<AnyActorRef> {
        let holder = self.by_name.remove(name)?;
        if let Some(names) = self.by_actor.get_mut(&holder.id()) {
            names.retain(|held| held != name);
            if names.is_empty() {
                self.by_actor.remove(&holder.id());
            }
        }
        Some(holder)
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<AnyActorRef> {
        self.by_name.get(name).cloned()
    }

    /// Frees every name `actor` holds: it is stopping.
    pub(crate) fn forget_actor(&mut self, actor: &AnyActorRef) {
        if let Some(names) = self.by_actor.remove(&actor.id()) {
            for name in names {
                self.by_name.remove(&name);
            }
        }
    }
}
