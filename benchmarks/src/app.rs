//! An application workload shaped like Pykka's best-known user, Mopidy (`--app`): a `Core`
//! actor with traversable `playback` and `tracklist` members used through proxies, a `Library`
//! actor that the core awaits to look tracks up, a `Listener` that receives a broadcast per
//! change, and 8 frontends (OS threads on the threads backend, tasks on Tokio and smol), each
//! making 2,000 mixed proxy calls: method calls with and without a reply value, a method that
//! awaits the library, field reads and field writes. Reported as calls per second, with the
//! same scenario on Python's Pykka (`app_pykka.py`) where `python3` can import `pykka`.

use crate::executor::Exec;
use crate::workload::median;
use pykka::{Actor, ActorRef, ActorRegistry, Backend, Context, Proxy};
use std::time::{Duration, Instant};

/// Frontends, and proxy calls each makes.
const FRONTENDS: usize = 8;
const CALLS: usize = 2_000;

/// A change the core announces to every listener.
#[derive(Clone, Debug)]
pub(crate) enum Change {
    Tracklist,
    PlaybackState,
    Volume,
}

/// A track, as the library returns it.
#[derive(Clone, Debug)]
pub(crate) struct Track {
    uri: String,
    length_ms: u32,
}

/// The music library: looks tracks up by URI.
#[derive(Proxy, Default)]
#[pykka(actor)]
pub(crate) struct Library {
    lookups: u64,
}

#[pykka::proxy]
impl Library {
    pub(crate) fn lookup(&mut self, uri: String) -> Option<Track> {
        self.lookups += 1;
        let length_ms = 180_000 + (uri.len() as u32 % 7) * 1_000;
        Some(Track { uri, length_ms })
    }
}

/// Counts the changes broadcast to it.
#[derive(Default)]
pub(crate) struct Listener {
    changes: u64,
}

impl Actor for Listener {
    type Message = Option<Change>;
    type Reply = u64;

    /// `Some(change)` counts it; `None` asks for the count.
    async fn on_receive(&mut self, change: Option<Change>, _ctx: &Context<Self>) -> u64 {
        if change.is_some() {
            self.changes += 1;
        }
        self.changes
    }
}

fn announce(change: Change) {
    ActorRegistry::broadcast_to::<Listener>(Some(change));
}

/// Mopidy's `core.playback`.
#[derive(Proxy, Default)]
pub(crate) struct Playback {
    pub(crate) state: &'static str,
    pub(crate) volume: u8,
    position_ms: u32,
}

#[pykka::proxy]
impl Playback {
    pub(crate) fn play(&mut self) {
        self.state = "playing";
        announce(Change::PlaybackState);
    }

    pub(crate) fn seek(&mut self, position_ms: u32) -> bool {
        self.position_ms = position_ms;
        true
    }
}

/// Mopidy's `core.tracklist`: adding awaits the library actor.
#[derive(Proxy, Default)]
pub(crate) struct Tracklist {
    tracks: Vec<Track>,
    pub(crate) version: u64,
    library: Option<LibraryProxy>,
}

#[pykka::proxy]
impl Tracklist {
    pub(crate) async fn add(&mut self, uri: String) -> usize {
        let library = self.library.clone().expect("the core gives the tracklist its library");
        if let Ok(Some(track)) = library.lookup(uri).await {
            self.tracks.push(track);
            self.version += 1;
            announce(Change::Tracklist);
        }
        self.tracks.len()
    }

    pub(crate) fn total_length_ms(&self) -> u64 {
        self.tracks.iter().map(|t| u64::from(t.length_ms)).sum::<u64>()
            + self.tracks.last().map_or(0, |t| t.uri.len() as u64)
    }
}

/// The core actor: everything a frontend uses, through its proxy's traversable members.
#[derive(Proxy, Default)]
#[pykka(actor)]
pub(crate) struct Core {
    #[pykka(traversable)]
    pub(crate) playback: Playback,
    #[pykka(traversable)]
    pub(crate) tracklist: Tracklist,
}

#[pykka::proxy]
impl Core {
    pub(crate) fn set_volume_and_announce(&mut self, volume: u8) {
        self.playback.volume = volume;
        announce(Change::Volume);
    }
}

/// One frontend's `i`-th call, blocking (`wait`): an eighth of the calls each of the mix.
/// Returns how many changes the call announced.
fn blocking_call(core: &CoreProxy, frontend: usize, i: usize) -> u64 {
    let failed = "the core replies";
    match i % 8 {
        0 => {
            core.tracklist().add(format!("local:track:{frontend}:{i}")).wait().expect(failed);
            1
        }
        1 => {
            core.playback().play().wait().expect(failed);
            1
        }
        2 => u64::from(core.playback().state().wait().expect(failed).is_empty()),
        3 => u64::from(core.tracklist().total_length_ms().wait().expect(failed) == u64::MAX),
        4 => u64::from(!core.playback().seek(i as u32).wait().expect(failed)),
        5 => {
            core.playback().set_volume((i % 100) as u8).wait().expect(failed);
            0
        }
        6 => u64::from(core.tracklist().version().wait().expect(failed) == u64::MAX),
        _ => {
            core.set_volume_and_announce((i % 100) as u8).wait().expect(failed);
            1
        }
    }
}

/// The same mix as [`blocking_call`], awaited.
async fn awaited_call(core: &CoreProxy, frontend: usize, i: usize) -> u64 {
    let failed = "the core replies";
    match i % 8 {
        0 => {
            core.tracklist().add(format!("local:track:{frontend}:{i}")).await.expect(failed);
            1
        }
        1 => {
            core.playback().play().await.expect(failed);
            1
        }
        2 => u64::from(core.playback().state().await.expect(failed).is_empty()),
        3 => u64::from(core.tracklist().total_length_ms().await.expect(failed) == u64::MAX),
        4 => u64::from(!core.playback().seek(i as u32).await.expect(failed)),
        5 => {
            core.playback().set_volume((i % 100) as u8).await.expect(failed);
            0
        }
        6 => u64::from(core.tracklist().version().await.expect(failed) == u64::MAX),
        _ => {
            core.set_volume_and_announce((i % 100) as u8).await.expect(failed);
            1
        }
    }
}

/// The actors of one run; stopped at its end.
struct App {
    library: ActorRef<Library>,
    listener: ActorRef<Listener>,
    core: ActorRef<Core>,
    proxy: CoreProxy,
}

async fn start_app<B: Backend>() -> App {
    let library = Library::default().start_on::<B>();
    let listener = Listener::default().start_on::<B>();
    let tracklist = Tracklist { library: Some(library.proxy().expect("Library has a proxy")), ..Default::default() };
    let core = Core { tracklist, ..Default::default() }.start_on::<B>();
    let proxy = core.proxy().expect("Core has a proxy");
    App { library, listener, core, proxy }
}

impl App {
    /// Checks that every change reached the listener, then stops the actors.
    async fn finish(self, announced: u64) {
        let mut counted = 0;
        // Broadcasts are tells from the core: they may still be queued when the last call returns.
        for _ in 0..10_000 {
            counted = self.listener.ask(None).await.expect("the listener replies");
            if counted == announced {
                break;
            }
            pykka::sleep(Duration::from_millis(1)).await;
        }
        assert_eq!(counted, announced, "app: the listener counted every change");
        for actor in [self.core.as_any(), self.library.as_any(), self.listener.as_any()] {
            assert_eq!(actor.stop().await, Ok(true));
        }
    }
}

/// Calls per second of one run on the threads backend: frontends are OS threads.
fn run_threads() -> f64 {
    Exec::Smol.block_on(async {
        let app = start_app::<pykka_threading::Threading>().await;
        let start = Instant::now();
        let frontends: Vec<_> = (0..FRONTENDS)
            .map(|frontend| {
                let core = app.proxy.clone();
                std::thread::spawn(move || (0..CALLS).map(|i| blocking_call(&core, frontend, i)).sum::<u64>())
            })
            .collect();
        let announced: u64 = frontends.into_iter().map(|f| f.join().expect("a frontend does not panic")).sum();
        let rate = (FRONTENDS * CALLS) as f64 / start.elapsed().as_secs_f64();
        app.finish(announced).await;
        rate
    })
}

/// Calls per second of one run on an async backend: frontends are tasks of `exec`.
fn run_async<B: Backend>(exec: Exec) -> f64 {
    exec.block_on(async move {
        let app = start_app::<B>().await;
        let start = Instant::now();
        let frontends: Vec<_> = (0..FRONTENDS)
            .map(|frontend| {
                let core = app.proxy.clone();
                let (done, result) = std::sync::mpsc::channel();
                let task = exec.spawn(async move {
                    let mut announced = 0;
                    for i in 0..CALLS {
                        announced += awaited_call(&core, frontend, i).await;
                    }
                    let _ = done.send(announced);
                });
                (task, result)
            })
            .collect();
        let mut announced = 0;
        for (task, result) in frontends {
            task.await;
            announced += result.recv().expect("the frontend reports");
        }
        let rate = (FRONTENDS * CALLS) as f64 / start.elapsed().as_secs_f64();
        app.finish(announced).await;
        rate
    })
}

/// The same scenario on Python's Pykka, in a child process; `None` (with a message) when
/// `python3` cannot import `pykka`.
fn run_python() -> Option<f64> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/app_pykka.py");
    let output =
        std::process::Command::new("python3").arg(script).arg(FRONTENDS.to_string()).arg(CALLS.to_string()).output();
    match output {
        Ok(out) if out.status.success() => String::from_utf8_lossy(&out.stdout).trim().parse().ok(),
        Ok(out) => {
            eprintln!(
                "app: Python Pykka skipped: {}",
                String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("failed")
            );
            None
        }
        Err(error) => {
            eprintln!("app: Python Pykka skipped: cannot run python3: {error}");
            None
        }
    }
}

/// `--app`: medians of `runs` runs per backend (and Pykka), as a Markdown table.
/// `threads_only` (`--only threads`) runs only the threads backend, for profiling it.
pub(crate) fn report(runs: usize, threads_only: bool) -> String {
    let subjects: [(&str, &dyn Fn() -> Option<f64>); 5] = [
        ("pykka-rs threads", &|| Some(run_threads())),
        ("pykka-rs tokio mt", &|| Some(run_async::<pykka_tokio::Tokio>(Exec::TokioMulti))),
        ("pykka-rs tokio ct", &|| Some(run_async::<pykka_tokio::Tokio>(Exec::TokioCurrent))),
        ("pykka-rs smol", &|| Some(run_async::<pykka_smol::Smol>(Exec::Smol))),
        ("Python Pykka (threads)", &run_python),
    ];
    let mut rates: Vec<Vec<f64>> = vec![Vec::new(); subjects.len()];
    for run in 1..=runs {
        for (k, (label, subject)) in subjects.iter().enumerate() {
            if threads_only && k > 0 {
                continue;
            }
            eprintln!("app run {run}/{runs}: {label}");
            rates[k].extend(subject());
        }
    }
    let mut out = format!(
        "| app workload: {FRONTENDS} frontends × {CALLS} mixed proxy calls, median of {runs} | calls/s |\n| --- | ---: |\n"
    );
    for ((label, _), rates) in subjects.iter().zip(rates) {
        let cell = if rates.is_empty() { "skipped".to_string() } else { format!("{:.0}", median(rates)) };
        out.push_str(&format!("| {label} | {cell} |\n"));
    }
    out
}
