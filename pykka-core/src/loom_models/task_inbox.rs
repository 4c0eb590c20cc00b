//! The task inbox (`task_inbox.rs`): the queue itself under every interleaving (no message lost,
//! duplicated or reordered per sender, no lost wake-up, `close` atomic against racing sends, the
//! bound never exceeded), and the real actor loop on it, polled by loom's `block_on` as a
//! runtime polls a task.

use super::check;
use crate::actor::Actor;
use crate::backend::{Backend, InboxReceiver, InboxSender, TrySendError};
use crate::context::Context;
use crate::task_inbox::{TaskReceiver, TaskSender, task_inbox};
use loom::sync::Mutex;
use loom::thread::{self, JoinHandle};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// An item that counts its drops.
struct Item(u32, Arc<AtomicUsize>);

impl Drop for Item {
    fn drop(&mut self) {
        self.1.fetch_add(1, Ordering::Relaxed);
    }
}

/// Two senders, two messages each, while the task waits: everything arrives once, in each
/// sender's order, and the receiver is woken for each (a lost wake-up deadlocks `block_on`).
#[test]
fn every_message_arrives_once_in_each_senders_order() {
    check(|| {
        let (sender, mut receiver) = task_inbox::<u32>(None);
        let sender = Arc::new(sender);
        let senders: Vec<_> = [0, 10]
            .into_iter()
            .map(|base| {
                let sender = sender.clone();
                thread::spawn(move || {
                    sender.send(base + 1).unwrap();
                    sender.send(base + 2).unwrap();
                })
            })
            .collect();
        let mut got = Vec::new();
        for _ in 0..4 {
            got.push(loom::future::block_on(receiver.recv()).unwrap());
        }
        for sender in senders {
            sender.join().unwrap();
        }
        for base in [0, 10] {
            let mine: Vec<u32> = got.iter().copied().filter(|n| (base..base + 10).contains(n)).collect();
            assert_eq!(mine, [base + 1, base + 2], "{got:?}");
        }
        assert_eq!(sender.len(), 0);
    });
}

/// `close` racing sends: once it returns, every send fails, and every message that was
/// accepted has been taken or dropped, exactly once.
#[test]
fn close_is_atomic_against_racing_sends() {
    check(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (sender, mut receiver) = task_inbox::<Item>(None);
        let sender = Arc::new(sender);
        let racer = {
            let (sender, drops) = (sender.clone(), drops.clone());
            thread::spawn(move || {
                let accepted = [1, 2].map(|n| sender.send(Item(n, drops.clone())).is_ok());
                accepted.iter().filter(|ok| **ok).count()
            })
        };
        sender.send(Item(0, drops.clone())).unwrap_or_else(|_| panic!("open"));
        // 0, or the racer's 1 if it came first.
        let first = loom::future::block_on(receiver.recv()).unwrap();
        assert!(first.0 <= 1);
        drop(first);
        receiver.close();
        assert!(sender.send(Item(9, drops.clone())).is_err());
        let accepted = racer.join().unwrap();
        // Items 0 and 9 and both racing ones are dropped by now, accepted or refused.
        assert_eq!(drops.load(Ordering::Relaxed), 4, "accepted {accepted}");
        assert_eq!(sender.len(), 0);
    });
}

/// A bounded inbox never holds more than its capacity, whatever the receiver takes meanwhile.
#[test]
fn the_bound_holds_under_racing_takes() {
    check(|| {
        let (sender, mut receiver) = task_inbox::<u32>(NonZeroUsize::new(1));
        let sender = Arc::new(sender);
        assert!(sender.try_send(1).is_ok());
        // The receiver comes back: dropping it would close the inbox.
        let taker = thread::spawn(move || (loom::future::block_on(receiver.recv()), receiver));
        let second = sender.try_send(2);
        assert!(sender.len() <= 1);
        let (taken, _receiver) = taker.join().unwrap();
        assert_eq!(taken, Some(1));
        match second {
            Ok(()) => assert_eq!(sender.len(), 1),
            Err(TrySendError::Full(2)) => assert_eq!(sender.len(), 0),
            Err(other) => panic!("refused as {:?}", other.into_inner()),
        }
    });
}

loom::lazy_static! {
    static ref TASKS: Mutex<Vec<JoinHandle<()>>> = Mutex::new(Vec::new());
}

/// A backend whose actors are futures polled by loom's `block_on` (which parks the thread
/// until woken, as an executor parks a task) on the task inbox.
struct LoomTasks;

impl Backend for LoomTasks {
    type Sender<T: Send + 'static> = TaskSender<T>;
    type Receiver<T: Send + 'static> = TaskReceiver<T>;

    fn inbox<T: Send + 'static>() -> (TaskSender<T>, TaskReceiver<T>) {
        task_inbox(None)
    }

    fn spawn<F>(_name: &str, actor_loop: F) -> std::io::Result<()>
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let handle = thread::spawn(move || loom::future::block_on(actor_loop));
        TASKS.lock().unwrap().push(handle);
        Ok(())
    }
}

struct Adder(Arc<AtomicUsize>);

impl Actor for Adder {
    type Message = u32;
    type Reply = usize;

    async fn on_receive(&mut self, _: u32, _ctx: &Context<Self>) -> usize {
        self.0.fetch_add(1, Ordering::Relaxed) + 1
    }
}

/// Through the real loop: a tell and an ask from one thread racing a stop from another: the
/// ask is answered (after the tell) or fails as dead, never hangs, and the task ends.
#[test]
fn an_actor_task_on_the_task_inbox_never_hangs_an_ask_racing_stop() {
    check(|| {
        let handled = Arc::new(AtomicUsize::new(0));
        let actor = Adder(handled.clone()).start_on::<LoomTasks>();
        let sender = {
            let actor = actor.clone();
            thread::spawn(move || (actor.tell(1).is_ok(), actor.ask(2).wait()))
        };
        assert_eq!(actor.stop().wait(), Ok(true));
        let (told, asked) = sender.join().unwrap();
        for task in std::mem::take(&mut *TASKS.lock().unwrap()) {
            task.join().unwrap();
        }
        match asked {
            Ok(n) => assert!(told && n == 2, "told: {told}, ask answered {n}"),
            Err(error) => assert!(error.is_actor_dead(), "{error}"),
        }
        assert!(handled.load(Ordering::Relaxed) <= 2);
    });
}
