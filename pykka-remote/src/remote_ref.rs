//! `RemoteRef<A>`: a ref to an actor exposed by some node, with the local ref's operations.

use crate::by_name::RemoteCall;
use crate::errors::remote;
use crate::node::Node;
use crate::wire;
use pykka::{Actor, Error, Future};
use serde::{Serialize, de::DeserializeOwned};
use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

/// A ref to an actor of type `A` exposed by a node ([`Node::lookup`], [`Node::remote`]).
///
/// It offers what [`ActorRef`](pykka::ActorRef) offers, over NATS: [`tell`](Self::tell),
/// [`ask`](Self::ask) and [`stop`](Self::stop) with the same futures (awaitable and
/// blockable, with `wait_timeout`), and calls by name. Delivery is at most once; messages
/// from one ref (one node) to one actor arrive in the order they were sent. An ask fails with
/// [`Error::ActorDead`] at once if nobody exposes the name (NATS "no responders"), and within
/// the node's failure-detection bound if the exposing node vanishes mid-ask; any other lost
/// reply fails it with [`Error::Timeout`] after [`NodeConfig::ask_timeout`](crate::NodeConfig::ask_timeout).
pub struct RemoteRef<A> {
    node: Node,
    subject: async_nats::Subject,
    display: Arc<str>,
    /// Why the name cannot be a subject token (then every operation fails with it).
    invalid: Option<Arc<str>>,
    _actor: PhantomData<fn() -> A>,
}

impl<A> Clone for RemoteRef<A> {
    fn clone(&self) -> Self {
        RemoteRef {
            node: self.node.clone(),
            subject: self.subject.clone(),
            display: self.display.clone(),
            invalid: self.invalid.clone(),
            _actor: PhantomData,
        }
    }
}

impl<A: Actor> RemoteRef<A> {
    pub(crate) fn new(node: Node, subject: String, display: String, invalid: Option<String>) -> Self {
        RemoteRef {
            node,
            subject: subject.into(),
            display: display.into(),
            invalid: invalid.map(Into::into),
            _actor: PhantomData,
        }
    }

    /// Refuses every operation on a ref whose name is not a subject token.
    fn check(&self) -> Result<(), Error> {
        match &self.invalid {
            Some(reason) => Err(Error::InvalidArgument { reason: reason.to_string() }),
            None => Ok(()),
        }
    }

    /// The NATS subject messages to the actor are published on.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    fn framed<T: Serialize + ?Sized>(&self, kind: u8, value: &T) -> Result<bytes::Bytes, Error> {
        self.check()?;
        let payload = wire::frame(kind, value).map_err(|reason| remote(format!("to {}: {reason}", self.display)))?;
        self.node.connection().check_size(&self.display, &payload)?;
        Ok(payload)
    }

    /// Sends `message` without waiting for anything: at most once, and nothing tells the
    /// sender if the actor is gone (ask when that matters).
    ///
    /// # Errors
    ///
    /// [`Error::Remote`] if the message does not encode, is larger than the server accepts,
    /// or the node has shut down.
    pub fn tell(&self, message: A::Message) -> Result<(), Error>
    where
        A::Message: Serialize,
    {
        let payload = self.framed(wire::TELL, &message)?;
        self.node.connection().publish(self.subject.clone(), payload)
    }

    /// Sends `message` and returns a future of the reply at once.
    ///
    /// The future fails with [`Error::ActorDead`] if nobody exposes the actor, it stops
    /// before handling the message, or its node vanishes; with [`Error::Failure`] if its
    /// handler panicked; with [`Error::Remote`] if the message did not encode or decode or
    /// the connection was lost with the ask in flight or is being re-established; with
    /// [`Error::Timeout`] if no reply came within the node's
    /// [`ask_timeout`](crate::NodeConfig::ask_timeout) (the message may have been handled);
    /// with [`Error::InvalidArgument`] if the ref's name is not a subject token. As locally, a
    /// timed-out wait does not cancel the message.
    pub fn ask(&self, message: A::Message) -> Future<A::Reply>
    where
        A::Message: Serialize,
        A::Reply: DeserializeOwned,
    {
        match self.framed(wire::ASK, &message) {
            Ok(payload) => self.request(payload, |body| wire::decode::<A::Reply>(&body).map_err(remote)),
            Err(error) => Future::failed(error),
        }
    }

    /// Asks the actor to stop; the future resolves to `true` once it has terminated (`false`
    /// if it was already stopping), or fails with [`Error::ActorDead`] if nobody exposes it.
    pub fn stop(&self) -> Future<bool> {
        if let Err(error) = self.check() {
            return Future::failed(error);
        }
        self.request(bytes::Bytes::from_static(&[wire::STOP]), |body| wire::decode::<bool>(&body).map_err(remote))
    }

    /// A future that resolves once the actor is gone, with how it went: terminated (with its
    /// stop reason, as its node reported it), no longer exposed, or its node gone (left, or
    /// dropped for silence after the failure-detection bound). The remote form of
    /// [`ActorRef::terminated`](pykka::ActorRef::terminated), for monitoring an actor in
    /// another process; as locally, watching an actor that is already gone resolves at once
    /// ([`RemoteEnd::Unexposed`](crate::RemoteEnd::Unexposed) if the registry does not list it).
    ///
    /// The watch is in place for everything this node sends after the call (a `stop` or a
    /// `tell` through this node cannot end the actor unseen); to order something else after
    /// it, such as a local stop, wait for [`Node::flush`] first. An actor that ends while the
    /// watch is being set up is reported as [`RemoteEnd::Unexposed`](crate::RemoteEnd::Unexposed), without its reason.
    ///
    /// A ref by name watches the one actor the registry lists under the name; if several
    /// nodes expose it, the future fails with [`Error::InvalidArgument`]: watch one by URN
    /// ([`Node::lookup_urn`]). The future fails with [`Error::Remote`] if this node shuts down
    /// first.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use pykka_remote::{Node, NodeConfig, RemoteEnd};
    /// # #[derive(Default)] struct Db;
    /// # impl pykka::Actor for Db { type Message = (); type Reply = (); }
    ///
    /// let node = Node::connect(NodeConfig::new("nats://127.0.0.1:4222")).wait().unwrap();
    /// let db = node.lookup::<Db>("db").expect("someone exposes `db`");
    /// match db.terminated().wait().unwrap() {
    ///     RemoteEnd::Terminated { reason, failed } => println!("db ended ({reason}), failed: {failed}"),
    ///     RemoteEnd::NodeGone { node } => println!("db's node {node} is gone"),
    ///     other => println!("db is no longer reachable: {other:?}"),
    /// }
    /// ```
    pub fn terminated(&self) -> Future<crate::RemoteEnd> {
        if let Err(error) = self.check() {
            return Future::failed(error);
        }
        self.node.watch(&self.subject, &self.display)
    }

    /// Sends a call by name and returns a future of the reply, decoded as `R` (the member's
    /// type, or a type that deserialises from it). Needs the actor exposed with
    /// [`Node::expose_proxied`]; a call that does not match its proxy fails with
    /// [`Error::InvalidProxyMessage`] and never reaches the actor.
    pub fn ask_by_name<R: DeserializeOwned + Send + 'static>(&self, call: RemoteCall) -> Future<R> {
        match self.call_frame(wire::CALL_ASK, call) {
            Ok(payload) => self.request(payload, |body| wire::decode::<R>(&body).map_err(remote)),
            Err(error) => Future::failed(error),
        }
    }

    /// Sends a call by name with tell semantics.
    ///
    /// # Errors
    ///
    /// As [`tell`](Self::tell); a call that does not match the actor's proxy is logged and
    /// dropped by the exposing node.
    pub fn tell_by_name(&self, call: RemoteCall) -> Result<(), Error> {
        let payload = self.call_frame(wire::CALL_TELL, call)?;
        self.node.connection().publish(self.subject.clone(), payload)
    }

    fn call_frame(&self, kind: u8, call: RemoteCall) -> Result<bytes::Bytes, Error> {
        if let Some(reason) = call.error {
            return Err(remote(format!(
                "an argument of `{}` for {}: {reason}",
                call.body.path.join("."),
                self.display
            )));
        }
        self.framed(kind, &call.body)
    }

    fn request<R: Send + 'static>(
        &self,
        payload: bytes::Bytes,
        decode: impl FnOnce(bytes::Bytes) -> Result<R, Error> + Send + 'static,
    ) -> Future<R> {
        let answering = self.node.answering_actor(&self.subject);
        self.node.connection().request(self.subject.clone(), payload, decode, answering)
    }
}

impl<A> fmt::Display for RemoteRef<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (remote)", self.display)
    }
}

impl<A> fmt::Debug for RemoteRef<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<RemoteRef for {} on {}>", self.display, self.subject)
    }
}
