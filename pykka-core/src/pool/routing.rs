//! How a pool picks the member that gets a message.

use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

/// How a [`Pool`](crate::Pool) routes what is sent to it, for messages of type `M`.
///
/// * [`round_robin`](Self::round_robin) (the default): each member in turn.
/// * [`least_loaded`](Self::least_loaded): the member with the fewest messages in its inbox
///   (ties go round-robin).
/// * [`broadcast`](Self::broadcast): every member gets a clone of each told message; an ask
///   needs one reply, so asks fail (use [`Pool::ask_all`](crate::Pool::ask_all)).
/// * [`by_key`](Self::by_key): a key taken from the message picks the member, so messages
///   with the same key reach the same member, in order, while the pool's size is unchanged
///   (resizing moves keys).
pub struct Routing<M>(pub(crate) Route<M>);

pub(crate) enum Route<M> {
    RoundRobin,
    LeastLoaded,
    Broadcast(fn(&M) -> M),
    ByKey(Box<dyn Fn(&M) -> u64 + Send + Sync>),
}

impl<M> Routing<M> {
    /// Each member in turn.
    pub fn round_robin() -> Self {
        Routing(Route::RoundRobin)
    }

    /// The member with the shortest inbox.
    pub fn least_loaded() -> Self {
        Routing(Route::LeastLoaded)
    }

    /// The member that `key(&message)` hashes to.
    ///
    /// # Examples
    ///
    /// ```
    /// use pykka::Routing;
    ///
    /// struct Order { customer: u32, item: String }
    /// let by_customer = Routing::by_key(|order: &Order| order.customer);
    /// # let _ = by_customer;
    /// ```
    pub fn by_key<K: Hash>(key: impl Fn(&M) -> K + Send + Sync + 'static) -> Self {
        Routing(Route::ByKey(Box::new(move |message| hash(&key(message)))))
    }
}

impl<M: Clone> Routing<M> {
    /// Every member gets each told message.
    pub fn broadcast() -> Self {
        Routing(Route::Broadcast(M::clone))
    }
}

impl<M> Default for Routing<M> {
    fn default() -> Self {
        Self::round_robin()
    }
}

impl<M> fmt::Debug for Routing<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.0 {
            Route::RoundRobin => "Routing::round_robin",
            Route::LeastLoaded => "Routing::least_loaded",
            Route::Broadcast(_) => "Routing::broadcast",
            Route::ByKey(_) => "Routing::by_key",
        })
    }
}

/// The same key hashes alike for the life of the process (`DefaultHasher::new` has fixed keys).
pub(crate) fn hash<K: Hash + ?Sized>(key: &K) -> u64 {
    let mut hasher = DefaultHasher::new();
    key.hash(&mut hasher);
    hasher.finish()
}
