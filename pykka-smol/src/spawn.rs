//! Running actor tasks on smol's global executor, and refusing blocking waits there.

use crate::inbox::{Receiver, Sender};
use pykka::{Backend, BlockingDecision, BlockingPolicy};
use std::cell::Cell;
use std::future::{Future, poll_fn};
use std::pin::pin;

/// The smol backend: start actors with `actor.start::<Smol>()`.
///
/// Each actor is one task on smol's global executor ([`smol::spawn`]), which runs on
/// `SMOL_THREADS` background threads (default 1) named `smol-1`, `smol-2`, …
#[derive(Debug, Clone, Copy, Default)]
pub struct Smol;

thread_local! {
    /// Set while this thread polls a smol actor's task.
    static IN_SMOL_ACTOR: Cell<bool> = const { Cell::new(false) };
}

/// Marks the thread as running a smol actor until dropped; restores the previous mark.
struct Mark(bool);

impl Mark {
    fn enter() -> Self {
        Mark(IN_SMOL_ACTOR.with(|mark| mark.replace(true)))
    }
}

impl Drop for Mark {
    fn drop(&mut self) {
        IN_SMOL_ACTOR.with(|mark| mark.set(self.0));
    }
}

/// Blocking waits on smol's executor threads are refused: a blocked executor thread runs no
/// other task, and with smol's default of one thread, every smol actor would stall, including
/// the one that must reply.
struct SmolBlocking;

impl BlockingPolicy for SmolBlocking {
    fn decide(&self) -> BlockingDecision {
        if IN_SMOL_ACTOR.with(Cell::get) {
            return BlockingDecision::Forbid(
                "this thread is running a smol actor, and blocking it would stall every task on smol's \
                 executor, possibly the one that must reply"
                    .to_owned(),
            );
        }
        // A user's own task on smol's global executor: its threads are named `smol-N`.
        if std::thread::current().name().is_some_and(is_smol_executor_thread) {
            return BlockingDecision::Forbid(
                "this is one of smol's executor threads, and blocking it would stall every task on \
                 smol's executor, possibly the actor that must reply"
                    .to_owned(),
            );
        }
        BlockingDecision::NotMine
    }
}

fn is_smol_executor_thread(name: &str) -> bool {
    name.strip_prefix("smol-").is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

impl Backend for Smol {
    type Sender<T: Send + 'static> = Sender<T>;
    type Receiver<T: Send + 'static> = Receiver<T>;

    fn inbox<T: Send + 'static>() -> (Sender<T>, Receiver<T>) {
        let (tx, rx) = smol::channel::unbounded();
        (Sender(tx), Receiver(rx))
    }

    /// Spawns the loop as a detached task; smol tasks have no names, so `_name` is unused.
    fn spawn<F>(_name: &str, actor_loop: F) -> std::io::Result<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        // Before the first actor can run, so that every blocking wait is checked; once, to
        // keep the registry's write lock off the spawn path.
        static REGISTER: std::sync::Once = std::sync::Once::new();
        REGISTER.call_once(|| pykka::register_blocking_policy(&SmolBlocking));
        let marked = async move {
            let mut actor_loop = pin!(actor_loop);
            poll_fn(|cx| {
                let _mark = Mark::enter();
                actor_loop.as_mut().poll(cx)
            })
            .await
        };
        smol::spawn(marked).detach();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::is_smol_executor_thread;

    #[test]
    fn recognises_smol_executor_thread_names() {
        assert!(is_smol_executor_thread("smol-1"));
        assert!(is_smol_executor_thread("smol-12"));
        assert!(!is_smol_executor_thread("smol-"));
        assert!(!is_smol_executor_thread("smol-x"));
        assert!(!is_smol_executor_thread("main"));
    }
}
