//! Who an actor is: its URN, its name, how a ref prints, and ref equality.

use crate::actors::Probe;
use crate::support::TIMEOUT;
use pykka::{Actor, ActorRef, Backend, Context};
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

/// Whether `text` is a lowercase hyphenated UUID of version 4 and the RFC 4122 variant.
fn is_uuid_v4(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    let shape_ok = groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)));
    shape_ok && groups[2].starts_with('4') && groups[3].starts_with(['8', '9', 'a', 'b'])
}

/// The URN is `urn:uuid:` followed by a version-4 UUID, and the context sees the same one.
pub fn urn_is_urn_uuid_followed_by_a_v4_uuid<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let uuid = probe.urn().strip_prefix("urn:uuid:").unwrap_or_else(|| panic!("{} lacks urn:uuid:", probe.urn()));
    assert!(is_uuid_v4(uuid), "{uuid} is not a v4 UUID");
    let seen_inside = probe.call(|_, ctx| ctx.urn().to_owned()).get_timeout(TIMEOUT);
    assert_eq!(seen_inside.as_deref(), Ok(probe.urn()));
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Every actor gets its own URN, even actors of the same type.
pub fn every_actor_has_a_unique_urn<B: Backend>() {
    let probes: Vec<_> = (0..20).map(|_| Probe::default().start_on::<B>()).collect();
    let urns: HashSet<&str> = probes.iter().map(ActorRef::urn).collect();
    assert_eq!(urns.len(), probes.len());
    for probe in probes {
        probe.stop().wait_timeout(TIMEOUT).unwrap();
    }
}

/// The name is the actor's type name without its module path or generic arguments (Pykka
/// names actors by class name).
pub fn name_is_the_actor_type_name<B: Backend>() {
    struct Wrapper<T>(T);
    impl<T: Send + 'static> Actor for Wrapper<T> {
        type Message = ();
        type Reply = ();
    }
    let probe = Probe::default().start_on::<B>();
    let wrapper = Wrapper(vec![1_u8]).start_on::<B>();
    assert_eq!(probe.name(), "Probe");
    assert_eq!(wrapper.name(), "Wrapper");
    assert_eq!(wrapper.as_any().name(), "Wrapper");
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    wrapper.stop().wait_timeout(TIMEOUT).unwrap();
}

/// A ref displays as `Name (urn:uuid:…)`, as Pykka prints actors, typed or not.
pub fn display_is_name_and_urn<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let expected = format!("Probe ({})", probe.urn());
    assert_eq!(probe.to_string(), expected);
    assert_eq!(probe.as_any().to_string(), expected);
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    assert_eq!(probe.to_string(), expected, "a dead actor prints the same");
}

/// A ref's `Debug` is Pykka's repr: `<ActorRef for Name (urn:uuid:…)>`.
pub fn debug_is_actor_ref_for_name_and_urn<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let expected = format!("<ActorRef for Probe ({})>", probe.urn());
    assert_eq!(format!("{probe:?}"), expected);
    assert_eq!(format!("{:?}", probe.as_any()), expected);
    probe.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Clones of a ref are equal and hash alike; refs to different actors are not equal. The
/// type-erased ref follows the same rules and turns back into an equal typed ref.
pub fn clones_are_equal_and_hash_alike<B: Backend>() {
    let probe = Probe::default().start_on::<B>();
    let other = Probe::default().start_on::<B>();
    let clone = probe.clone();
    let hasher = RandomState::new();
    assert_eq!(probe, clone);
    assert_eq!(hasher.hash_one(&probe), hasher.hash_one(&clone));
    assert_ne!(probe, other);
    assert_eq!(HashSet::from([probe.clone(), clone.clone(), other.clone()]).len(), 2);
    assert_eq!(probe.as_any(), clone.as_any());
    assert_eq!(hasher.hash_one(probe.as_any()), hasher.hash_one(clone.as_any()));
    assert_ne!(probe.as_any(), other.as_any());
    assert_eq!(probe.as_any().downcast::<Probe>(), Some(probe.clone()));
    probe.stop().wait_timeout(TIMEOUT).unwrap();
    other.stop().wait_timeout(TIMEOUT).unwrap();
}

/// The context's ref is the ref `start` returned.
pub fn context_ref_is_the_started_ref<B: Backend>() {
    struct Mirror;
    impl Actor for Mirror {
        type Message = ();
        type Reply = ActorRef<Mirror>;
        async fn on_receive(&mut self, _: (), ctx: &Context<Self>) -> ActorRef<Mirror> {
            ctx.actor_ref().clone()
        }
    }
    let mirror = Mirror.start_on::<B>();
    assert_eq!(mirror.ask(()).wait_timeout(TIMEOUT), Ok(mirror.clone()));
    mirror.stop().wait_timeout(TIMEOUT).unwrap();
}
