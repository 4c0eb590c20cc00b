//! `--remote`: pykka-remote against raw async-nats on the same `nats-server`, in the same
//! run (issue 16's targets: ask round trip and tell throughput within 1.3x of the raw
//! request-reply and publish). The server is started for the run on a free loopback port.

use crate::workload::median;
use futures_util::StreamExt;
use pykka::{Actor, Context};
use pykka_remote::testing::NatsServer;
use pykka_remote::{Node, NodeConfig};
use pykka_threading::Threading;
use std::fmt::Write;
use std::time::{Duration, Instant};

/// Answers each number with itself; counts what it is told.
struct Echo {
    told: u64,
}

impl Actor for Echo {
    type Message = Option<u64>;
    type Reply = u64;

    async fn on_receive(&mut self, message: Option<u64>, _ctx: &Context<Self>) -> u64 {
        match message {
            Some(n) => {
                self.told += 1;
                n
            }
            None => self.told,
        }
    }
}

/// The same echo through a typed remote proxy (a call by name).
#[derive(pykka::Proxy)]
#[pykka(actor, remote)]
struct TypedEcho;

#[pykka::proxy(remote)]
impl TypedEcho {
    pub(crate) fn echo(&self, n: u64) -> u64 {
        n
    }
}

/// The MessagePack of `Some(n)`, what the raw baseline sends, so that both carry one body.
fn body(n: u64) -> bytes::Bytes {
    rmp_serde::to_vec(&Some(n)).expect("a u64 encodes").into()
}

struct Raw {
    runtime: tokio::runtime::Runtime,
    requester: async_nats::Client,
    subscriber_count: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl Raw {
    /// A responder (echo) and a counting subscriber on one connection, a requester on another.
    fn start(url: &str) -> Raw {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let count = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
        let requester = runtime.block_on(async {
            let responder = async_nats::connect(url).await.expect("raw responder connects");
            let mut requests = responder.subscribe("bench.raw.echo").await.unwrap();
            let mut tells = responder.subscribe("bench.raw.tell").await.unwrap();
            responder.flush().await.unwrap();
            let replier = responder.clone();
            tokio::spawn(async move {
                while let Some(message) = requests.next().await {
                    if let Some(reply) = message.reply {
                        let _ = replier.publish(reply, message.payload).await;
                    }
                }
            });
            let counted = count.clone();
            tokio::spawn(async move {
                while tells.next().await.is_some() {
                    counted.fetch_add(1, std::sync::atomic::Ordering::Release);
                }
            });
            async_nats::connect(url).await.expect("raw requester connects")
        });
        Raw { runtime, requester, subscriber_count: count }
    }

    fn round_trips(&self, n: u64) -> Duration {
        self.runtime.block_on(async {
            let started = Instant::now();
            for i in 0..n {
                let reply = self.requester.request("bench.raw.echo", body(i)).await.expect("raw reply");
                assert_eq!(reply.payload, body(i));
            }
            started.elapsed()
        })
    }

    /// Publishes `n` messages, flushes, and waits until the subscriber has them all.
    fn tells(&self, n: u64) -> Duration {
        let before = self.subscriber_count.load(std::sync::atomic::Ordering::Acquire);
        self.runtime.block_on(async {
            let started = Instant::now();
            for i in 0..n {
                self.requester.publish("bench.raw.tell", body(i)).await.unwrap();
            }
            self.requester.flush().await.unwrap();
            let deadline = Instant::now() + Duration::from_secs(30);
            while self.subscriber_count.load(std::sync::atomic::Ordering::Acquire) < before + n {
                assert!(Instant::now() < deadline, "raw: messages lost (a slow consumer?)");
                tokio::task::yield_now().await;
            }
            started.elapsed()
        })
    }
}

/// The Markdown report.
pub(crate) fn report(quick: bool, runs: usize) -> String {
    let mut out = String::from("### Remote actors over NATS (pykka-remote) against raw async-nats\n\n");
    let Some(server) = NatsServer::start_if_installed() else {
        out.push_str("nats-server is not installed: skipped.\n");
        return out;
    };
    // Tells stay below a subscription's buffer (65,536 messages in async-nats): a burst
    // larger than that can overflow a slow consumer, in both set-ups, and NATS drops it.
    let (asks, tells) = if quick { (500, 5_000) } else { (5_000, 50_000) };
    let url = server.url();
    let raw = Raw::start(&url);
    let exposing = Node::connect(NodeConfig::new(&url)).wait().expect("a node connects");
    let asking = Node::connect(NodeConfig::new(&url)).wait().expect("a node connects");
    let echo = Echo { told: 0 }.start_on::<Threading>();
    exposing.expose(&echo, "echo").wait().expect("exposed");
    let remote = asking.remote::<Echo>("echo");
    let typed_echo = TypedEcho.start_on::<Threading>();
    exposing.expose_proxied(&typed_echo, "typed-echo").wait().expect("exposed");
    let typed = asking.remote::<TypedEcho>("typed-echo").proxy();

    let (mut raw_rtt, mut remote_rtt, mut raw_tps, mut remote_tps) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut typed_rtt = Vec::new();
    for run in 1..=runs {
        eprintln!("remote: run {run}/{runs}");
        raw_rtt.push(raw.round_trips(asks).as_secs_f64() * 1e6 / asks as f64);
        let started = Instant::now();
        for i in 0..asks {
            assert_eq!(remote.ask(Some(i)).wait().expect("a remote reply"), i);
        }
        remote_rtt.push(started.elapsed().as_secs_f64() * 1e6 / asks as f64);
        let started = Instant::now();
        for i in 0..asks {
            assert_eq!(typed.echo(i).wait().expect("a typed remote reply"), i);
        }
        typed_rtt.push(started.elapsed().as_secs_f64() * 1e6 / asks as f64);

        raw_tps.push(tells as f64 / raw.tells(tells).as_secs_f64());
        let before = echo.ask(None).wait().unwrap();
        let started = Instant::now();
        for i in 0..tells {
            remote.tell(Some(i)).expect("a remote tell");
        }
        asking.flush().wait().unwrap();
        // Every tell is in the actor once it has counted them all.
        let deadline = Instant::now() + Duration::from_secs(30);
        while echo.ask(None).wait().unwrap() < before + tells {
            assert!(Instant::now() < deadline, "remote: tells lost (a slow consumer?)");
            std::thread::yield_now();
        }
        remote_tps.push(tells as f64 / started.elapsed().as_secs_f64());
    }
    let (raw_rtt, remote_rtt, typed_rtt) = (median(raw_rtt), median(remote_rtt), median(typed_rtt));
    let (raw_tps, remote_tps) = (median(raw_tps), median(remote_tps));
    let _ = writeln!(
        out,
        "{asks} sequential asks and {tells} tells (then a flush, until the receiver has them all) per run; medians of {runs} runs.\n"
    );
    out.push_str("| measure | raw async-nats | pykka-remote | ratio (target ≤ 1.3) |\n| --- | --- | --- | --- |\n");
    let _ = writeln!(out, "| ask round trip (µs) | {raw_rtt:.1} | {remote_rtt:.1} | {:.2} |", remote_rtt / raw_rtt);
    let _ = writeln!(
        out,
        "| ask round trip, typed remote proxy (µs) | {raw_rtt:.1} | {typed_rtt:.1} | {:.2} |",
        typed_rtt / raw_rtt
    );
    let _ = writeln!(out, "| tell throughput (msg/s) | {raw_tps:.0} | {remote_tps:.0} | {:.2} |", raw_tps / remote_tps);
    let _ = writeln!(
        out,
        "\nBytes per message beyond the raw body: 1 (the frame kind) on a tell, an ask and its reply. \
         Subjects are the user's choice in both (here `pykka.actor.echo`, 16 bytes, against `bench.raw.echo`, 14); \
         an ask's reply subject is `_INBOX.pykka.<32 hex>.<id>` ({} bytes here) against async-nats's \
         `_INBOX.<22>.<22>` (52).",
        "_INBOX.pykka.".len() + 32 + 1 + asks.to_string().len()
    );
    echo.stop().wait().unwrap();
    typed_echo.stop().wait().unwrap();
    out
}
