//! The `tracing` feature: a proxied field read or write, and a member of a traversable
//! attribute, name themselves in the message span's `method` field, as proxied methods do.
//!
//! `cargo test -p pykka --features tracing --test tracing_fields`
#![cfg(all(feature = "tracing", feature = "threading"))]
#![allow(unreachable_pub)] // proxied members must be `pub`

mod capture;

use capture::Captured;
use pykka::{Actor, Proxy, Threading};
use tracing_subscriber::layer::SubscriberExt;

#[derive(Proxy, Default)]
struct Player {
    pub track: u32,
    #[pykka(traversable)]
    pub playback: Playback,
}

#[derive(Proxy, Default)]
struct Playback {
    pub volume: u8,
}

#[pykka::proxy]
impl Playback {
    pub fn mute(&mut self) {
        self.volume = 0;
    }
}

impl Actor for Player {
    type Message = ();
    type Reply = ();
}

#[test]
fn field_reads_writes_and_member_paths_name_the_message_span() {
    let captured = Captured::default();
    tracing::subscriber::set_global_default(tracing_subscriber::registry().with(captured.clone())).unwrap();

    let player = Player::default().start_on::<Threading>();
    let proxy = player.proxy().unwrap();
    proxy.set_track(3).wait().unwrap();
    assert_eq!(proxy.track().wait(), Ok(3));
    proxy.playback().set_volume(7).wait().unwrap();
    assert_eq!(proxy.playback().volume().wait(), Ok(7));
    proxy.playback().mute().wait().unwrap();
    proxy.defer().set_track(4).unwrap();
    proxy.playback().defer().set_volume(9).unwrap();
    player.stop().wait().unwrap();

    let spans = captured.spans.lock().unwrap().clone();
    let mut named: Vec<(String, String)> = spans
        .values()
        .filter(|s| s.name == "message" && s.fields["actor"] == "Player" && s.fields["kind"] != "stop")
        .map(|s| (s.fields["kind"].clone(), s.fields.get("method").cloned().unwrap_or_default()))
        .collect();
    named.sort();
    let expected = [
        ("call", "playback.mute"),
        ("call", "playback.set_volume"),
        ("call", "playback.volume"),
        ("call", "set_track"),
        ("call", "track"),
        ("defer", "playback.set_volume"),
        ("defer", "set_track"),
    ];
    assert_eq!(named, expected.map(|(kind, method)| (kind.to_owned(), method.to_owned())));
}
