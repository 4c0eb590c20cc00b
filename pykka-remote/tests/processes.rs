//! Two node processes: this test binary re-executes itself as the second node (the test
//! `child_node` does the child's part when `PYKKA_REMOTE_CHILD` names a server, and nothing
//! otherwise).

mod support;

use pykka::Actor;
use pykka_remote::{Auth, Node, NodeConfig, RemoteCall};
use pykka_threading::Threading;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;
use support::*;

const CHILD_URL: &str = "PYKKA_REMOTE_CHILD";
const CHILD_TOKEN: &str = "PYKKA_REMOTE_CHILD_TOKEN";

/// The child process's part; a no-op in a normal test run.
#[test]
fn child_node() {
    let Ok(url) = std::env::var(CHILD_URL) else { return };
    let mut config = NodeConfig::new(url).heartbeat(HEARTBEAT).node_name("child");
    if let Ok(token) = std::env::var(CHILD_TOKEN) {
        config = config.auth(Auth::Token(token));
    }
    let node = match Node::connect(config).wait_timeout(TIMEOUT) {
        Ok(node) => node,
        Err(error) => {
            println!("CHILD-REFUSED {error}");
            std::process::exit(3);
        }
    };
    let recorder = Recorder::default().start_on::<Threading>();
    let calc = Calculator::default().start_on::<Threading>();
    node.expose(&recorder, "child-recorder").wait_timeout(TIMEOUT).unwrap();
    node.expose_proxied(&calc, "child-calc").wait_timeout(TIMEOUT).unwrap();

    // Talk to the parent: tell, ask, call by name.
    node.wait_for_name("parent-recorder", TIMEOUT).wait().unwrap();
    let parent = node.lookup::<Recorder>("parent-recorder").unwrap();
    parent.tell(Cmd::Push(1)).unwrap();
    parent.tell(Cmd::Push(2)).unwrap();
    assert_eq!(parent.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List(vec![1, 2]));
    let parent_calc = node.remote::<Calculator>("parent-calc");
    let sum: i64 = parent_calc.ask_by_name(RemoteCall::method(["add"]).arg(2).arg(3)).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(sum, 5);
    println!("CHILD-OK");

    // Then keep pushing to the parent (through server restarts) until killed.
    let mut n = 100;
    loop {
        if parent.ask(Cmd::Push(n)).wait_timeout(TIMEOUT).is_ok() {
            n += 1;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A child node process, killed on drop; its stdout lines arrive on `lines`.
struct ChildNode {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl ChildNode {
    fn spawn(url: &str, token: Option<&str>) -> ChildNode {
        let mut command = Command::new(std::env::current_exe().unwrap());
        command.args(["--exact", "child_node", "--nocapture", "--test-threads=1"]).env(CHILD_URL, url);
        if let Some(token) = token {
            command.env(CHILD_TOKEN, token);
        }
        let mut child = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        ChildNode { child, lines }
    }

    /// Waits for a line starting with `marker`.
    fn expect(&self, marker: &str) -> String {
        loop {
            match self.lines.recv_timeout(TIMEOUT * 2) {
                // libtest may have written `test child_node ... ` on the same line first.
                Ok(line) if line.contains(marker) => return line[line.find(marker).unwrap_or(0)..].to_owned(),
                Ok(_) => continue,
                Err(error) => panic!("the child never said {marker}: {error}"),
            }
        }
    }

    fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ChildNode {
    fn drop(&mut self) {
        self.kill();
    }
}

fn pushes(actor: &pykka::ActorRef<Recorder>) -> usize {
    match actor.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap() {
        Answer::List(seen) => seen.len(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn two_processes_talk_both_ways_survive_a_server_restart_and_a_killed_node_fails_asks() {
    let Some(mut server) = server() else { return };
    let node = Node::connect(config(&server).node_name("parent")).wait_timeout(TIMEOUT).unwrap();
    let recorder = Recorder::default().start_on::<Threading>();
    let calc = Calculator::default().start_on::<Threading>();
    node.expose(&recorder, "parent-recorder").wait_timeout(TIMEOUT).unwrap();
    node.expose_proxied(&calc, "parent-calc").wait_timeout(TIMEOUT).unwrap();

    let mut child = ChildNode::spawn(&server.url(), None);
    child.expect("CHILD-OK");
    node.wait_for_name("child-recorder", TIMEOUT).wait().unwrap();
    let remote = node.lookup::<Recorder>("child-recorder").unwrap();
    remote.tell(Cmd::Push(9)).unwrap();
    assert_eq!(remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap(), Answer::List(vec![9]));
    let child_calc = node.remote::<Calculator>("child-calc");
    let greeting: String =
        child_calc.ask_by_name(RemoteCall::method(["greet"]).arg("parent")).wait_timeout(TIMEOUT).unwrap();
    assert_eq!(greeting, "Hi, parent!");
    assert_eq!(node.nodes().iter().map(|n| n.node.as_str()).collect::<Vec<_>>(), ["parent", "child"]);

    // The server restarts under both processes: both reconnect, and messages flow both ways.
    server.restart().unwrap();
    assert!(eventually(|| remote.ask(Cmd::Get).wait_timeout(TIMEOUT).is_ok()), "parent to child after the restart");
    let before = pushes(&recorder);
    assert!(eventually(|| pushes(&recorder) > before + 2), "child to parent after the restart");

    // The child dies in the middle of an ask: the ask fails with ActorDead, within the
    // failure-detection bound, not never.
    let pending = remote.ask(Cmd::Sleep(60_000));
    std::thread::sleep(Duration::from_millis(200));
    child.kill();
    let error = pending.wait_timeout(TIMEOUT).unwrap_err();
    assert!(error.is_actor_dead(), "{error:?}");
    assert!(eventually(|| node.lookup::<Recorder>("child-recorder").is_none()));
    assert!(remote.ask(Cmd::Get).wait_timeout(TIMEOUT).unwrap_err().is_actor_dead());
    recorder.stop().wait().unwrap();
    calc.stop().wait().unwrap();
}

#[test]
fn a_node_process_with_a_wrong_token_is_refused() {
    let Some(server) = started(NatsServer::builder().token("right")) else { return };
    let mut child = ChildNode::spawn(&server.url(), Some("wrong"));
    let line = child.expect("CHILD-REFUSED");
    assert!(line.contains("refused the node's credentials"), "{line}");
    let status = child.child.wait().unwrap();
    assert_eq!(status.code(), Some(3));
}
