//! The inbox-close-on-stop protocol, through the real actor loop.
//!
//! crossbeam-channel (the threading backend's inbox) and the async backends' channels are not
//! built on loom, so the inbox here is a small loom model of the contract every backend's
//! inbox must meet ([`InboxReceiver::close`]): after `close`, every send fails, and every item
//! that was queued has been dropped. Everything above the inbox (`ActorRef`'s alive check and
//! send, the loop, stop replies, promises, the stopped flag) is the production code.

use super::check;
use crate::actor::Actor;
use crate::backend::{Backend, InboxReceiver, InboxSender};
use crate::context::Context;
use crate::error::Error;
use loom::sync::{Condvar, Mutex};
use loom::thread::{self, JoinHandle};
use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Queue<T> {
    items: VecDeque<T>,
    closed: bool,
}

struct Shared<T> {
    queue: Mutex<Queue<T>>,
    ready: Condvar,
}

struct Sender<T>(Arc<Shared<T>>);
struct Receiver<T>(Arc<Shared<T>>);

impl<T: Send + 'static> InboxSender<T> for Sender<T> {
    fn send(&self, item: T) -> Result<(), T> {
        let mut queue = self.0.queue.lock().unwrap();
        if queue.closed {
            return Err(item);
        }
        queue.items.push_back(item);
        drop(queue);
        self.0.ready.notify_one();
        Ok(())
    }

    fn len(&self) -> usize {
        self.0.queue.lock().unwrap().items.len()
    }
}

impl<T: Send + 'static> InboxReceiver<T> for Receiver<T> {
    /// Blocks the actor's own (loom) thread, as the threading backend does.
    fn recv(&mut self) -> impl std::future::Future<Output = Option<T>> + Send {
        let mut queue = self.0.queue.lock().unwrap();
        let item = loop {
            if let Some(item) = queue.items.pop_front() {
                break item;
            }
            queue = self.0.ready.wait(queue).unwrap();
        };
        std::future::ready(Some(item))
    }

    /// Rejects later sends and takes the queue in one critical section; the queued items are
    /// dropped after the lock is released, since dropping them completes promises.
    fn close(self) {
        let mut queue = self.0.queue.lock().unwrap();
        queue.closed = true;
        let leftover = std::mem::take(&mut queue.items);
        drop(queue);
        drop(leftover);
    }
}

loom::lazy_static! {
    /// Every actor thread of the current execution, joined by the model at its end.
    static ref ACTOR_THREADS: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());
}

struct LoomBackend;

impl Backend for LoomBackend {
    type Sender<T: Send + 'static> = Sender<T>;
    type Receiver<T: Send + 'static> = Receiver<T>;

    fn inbox<T: Send + 'static>() -> (Sender<T>, Receiver<T>) {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue { items: VecDeque::new(), closed: false }),
            ready: Condvar::new(),
        });
        (Sender(shared.clone()), Receiver(shared))
    }

    fn spawn<F>(_name: &str, actor_loop: F) -> std::io::Result<()>
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let handle = thread::spawn(move || loom::future::block_on(actor_loop));
        ACTOR_THREADS.lock().unwrap().push(handle);
        Ok(())
    }
}

/// Joins every actor thread: each must end (loom reports a deadlock otherwise).
fn join_actor_threads() {
    let handles = std::mem::take(&mut *ACTOR_THREADS.lock().unwrap());
    for handle in handles {
        handle.join().unwrap();
    }
}

/// Counts the messages it handles; counts its own drop.
struct Counter {
    handled: Arc<AtomicUsize>,
    dropped: Arc<AtomicUsize>,
}

impl Counter {
    fn new() -> (Self, Arc<AtomicUsize>, Arc<AtomicUsize>) {
        let handled = Arc::new(AtomicUsize::new(0));
        let dropped = Arc::new(AtomicUsize::new(0));
        (Counter { handled: handled.clone(), dropped: dropped.clone() }, handled, dropped)
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
    }
}

impl Actor for Counter {
    type Message = u32;
    type Reply = usize;

    async fn on_receive(&mut self, _: u32, _ctx: &Context<Self>) -> usize {
        self.handled.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// Pykka's hung ask: an ask racing a stop gets its reply or `ActorDead`, never hangs, and the
/// actor's thread ends with its state dropped.
#[test]
fn ask_racing_stop_always_resolves() {
    check(|| {
        let (counter, handled, dropped) = Counter::new();
        let actor = counter.start_on::<LoomBackend>();
        let asker = {
            let actor = actor.clone();
            thread::spawn(move || actor.ask(1).wait())
        };
        assert_eq!(actor.stop().wait(), Ok(true));
        match asker.join().unwrap() {
            Ok(n) => assert_eq!(n, 1),
            Err(error) => assert!(matches!(error, Error::ActorDead { .. }), "{error}"),
        }
        join_actor_threads();
        assert!(handled.load(Ordering::Relaxed) <= 1);
        assert_eq!(dropped.load(Ordering::Relaxed), 1);
        assert!(actor.tell(2).unwrap_err().is_actor_dead());
    });
}

/// A tell accepted before the sender's own ask is handled before it, exactly once, however a
/// concurrent stop falls: if the ask was answered, both messages were handled.
#[test]
fn messages_accepted_before_a_racing_stop_are_handled_once_in_order() {
    check(|| {
        let (counter, handled, dropped) = Counter::new();
        let actor = counter.start_on::<LoomBackend>();
        let sender = {
            let actor = actor.clone();
            thread::spawn(move || (actor.tell(1).is_ok(), actor.ask(2).wait()))
        };
        assert_eq!(actor.stop().wait(), Ok(true));
        let (told, asked) = sender.join().unwrap();
        join_actor_threads();
        match asked {
            // The tell was accepted (it was sent before the ask), and handled first.
            Ok(n) => assert!(told && n == 2, "told: {told}, ask answered {n}"),
            Err(error) => assert!(error.is_actor_dead(), "{error}"),
        }
        assert!(handled.load(Ordering::Relaxed) <= 2);
        assert_eq!(dropped.load(Ordering::Relaxed), 1);
    });
}

/// Two stops racing: each returns, at least one reports it stopped the actor, and the actor's
/// thread ends.
#[test]
fn racing_stops_both_return() {
    check(|| {
        let (counter, _handled, dropped) = Counter::new();
        let actor = counter.start_on::<LoomBackend>();
        let other = {
            let actor = actor.clone();
            thread::spawn(move || actor.stop().wait())
        };
        let mine = actor.stop().wait().unwrap();
        let theirs = other.join().unwrap().unwrap();
        assert!(mine || theirs);
        join_actor_threads();
        assert!(!actor.is_alive());
        assert_eq!(dropped.load(Ordering::Relaxed), 1);
    });
}
