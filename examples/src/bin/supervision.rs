//! Supervision: a flaky worker, restarted by a one-for-one supervisor, keeps its address.
//!
//! ```text
//! cargo run -p examples --bin supervision
//! ```
//!
//! Output (URNs shortened):
//!
//! ```text
//! A supervisor started one child: Worker (urn:uuid:…).
//! ask job 1 -> instance #1 did job 1
//! ask job 2 -> instance #1 did job 2
//! tell a job the worker cannot do: instance #1 panics ("flaky worker dropped job 3")
//! ask job 4 -> instance #2 did job 4   (same ActorRef; the supervisor restarted it)
//! The registry still has 1 Worker.
//! Three more failures: 4 restarts within 5s, more than 3, so the supervisor gives up.
//! The supervisor ended: failed in supervision: more than 3 restarts within 5s; the last: Worker (urn:uuid:…) failed: flaky worker dropped job 7
//! The worker ended: failed: flaky worker dropped job 7
//! ```

use pykka::{Actor, ActorRef, ActorRegistry, ChildSpec, Context, DefaultBackend, Strategy, Supervisor};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A worker that does numbered jobs, but panics on a job it is only told (never asked) to do.
struct Worker {
    instance: usize,
}

enum Job {
    /// Does the job and says which instance did it.
    Do(u32),
    /// A job this worker cannot do: it panics, and a told message that panics ends the actor.
    Drop(u32),
}

impl Actor for Worker {
    type Message = Job;
    type Reply = String;

    async fn on_receive(&mut self, job: Job, _ctx: &Context<Self>) -> String {
        match job {
            Job::Do(n) => format!("instance #{} did job {n}", self.instance),
            Job::Drop(n) => panic!("flaky worker dropped job {n}"),
        }
    }
}

/// Runs the example.
pub(crate) fn main() {
    // The panics below are the point of the example; keep them off the terminal.
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = run();
    std::panic::set_hook(previous_hook);
    if let Err(error) = result {
        eprintln!("supervision: {error}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), pykka::Error> {
    // The factory builds a fresh worker for every (re)start.
    let instances = Arc::new(AtomicUsize::new(0));
    let factory = move || Worker { instance: instances.fetch_add(1, Ordering::SeqCst) + 1 };
    let supervisor = Supervisor::builder::<DefaultBackend>()
        .strategy(Strategy::OneForOne)
        .intensity(3, Duration::from_secs(5))
        .child(ChildSpec::new(factory).name("worker"))
        .start()?;
    let worker: ActorRef<Worker> = supervisor.child("worker").wait()?.expect("the supervisor started it");
    println!("A supervisor started one child: {worker}.");

    for n in 1..=2 {
        println!("ask job {n} -> {}", worker.ask(Job::Do(n)).wait()?);
    }
    worker.tell(Job::Drop(3))?;
    println!("tell a job the worker cannot do: instance #1 panics (\"flaky worker dropped job 3\")");
    // Queued behind the failure, this ask is handled by the new instance.
    println!("ask job 4 -> {}   (same ActorRef; the supervisor restarted it)", worker.ask(Job::Do(4)).wait()?);
    println!("The registry still has {} Worker.", ActorRegistry::get_by_class::<Worker>().len());

    println!("Three more failures: 4 restarts within 5s, more than 3, so the supervisor gives up.");
    for n in 5..=7 {
        worker.tell(Job::Drop(n))?;
    }
    println!("The supervisor ended: {}", supervisor.terminated().wait()?);
    println!("The worker ended: {}", worker.terminated().wait()?);
    Ok(())
}
