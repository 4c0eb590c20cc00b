"""The application workload of `src/app.rs` on Python's Pykka: a Core actor with traversable
playback and tracklist members, a Library actor the tracklist waits on, a Listener that
receives a broadcast per change, and N frontend threads each making M mixed proxy calls.
Prints calls per second. Usage: python3 app_pykka.py FRONTENDS CALLS"""

import sys
import threading
import time

import pykka


class Library(pykka.ThreadingActor):
    def __init__(self):
        super().__init__()
        self.lookups = 0

    def lookup(self, uri):
        self.lookups += 1
        return {"uri": uri, "length_ms": 180_000 + (len(uri) % 7) * 1_000}


class Listener(pykka.ThreadingActor):
    def __init__(self):
        super().__init__()
        self.changes = 0

    def on_receive(self, message):
        if message is not None:
            self.changes += 1
        return self.changes


def announce(change):
    pykka.ActorRegistry.broadcast(change, target_class=Listener)


class Playback:
    pykka_traversable = True

    def __init__(self):
        self.state = "stopped"
        self.volume = 0
        self.position_ms = 0

    def play(self):
        self.state = "playing"
        announce("playback_state_changed")

    def seek(self, position_ms):
        self.position_ms = position_ms
        return True


class Tracklist:
    pykka_traversable = True

    def __init__(self, library):
        self.tracks = []
        self.version = 0
        self.library = library

    def add(self, uri):
        track = self.library.lookup(uri).get()
        if track is not None:
            self.tracks.append(track)
            self.version += 1
            announce("tracklist_changed")
        return len(self.tracks)

    def total_length_ms(self):
        last = len(self.tracks[-1]["uri"]) if self.tracks else 0
        return sum(t["length_ms"] for t in self.tracks) + last


class Core(pykka.ThreadingActor):
    def __init__(self, library):
        super().__init__()
        self.playback = Playback()
        self.tracklist = Tracklist(library)

    def set_volume_and_announce(self, volume):
        self.playback.volume = volume
        announce("volume_changed")


def call(core, frontend, i):
    k = i % 8
    if k == 0:
        core.tracklist.add(f"local:track:{frontend}:{i}").get()
        return 1
    if k == 1:
        core.playback.play().get()
        return 1
    if k == 2:
        core.playback.state.get()
        return 0
    if k == 3:
        core.tracklist.total_length_ms().get()
        return 0
    if k == 4:
        core.playback.seek(i).get()
        return 0
    if k == 5:
        core.playback.volume = i % 100  # a field write through the proxy (blocks until set)
        return 0
    if k == 6:
        core.tracklist.version.get()
        return 0
    core.set_volume_and_announce(i % 100).get()
    return 1


def main():
    frontends, calls = int(sys.argv[1]), int(sys.argv[2])
    library = Library.start().proxy()
    listener = Listener.start()
    core = Core.start(library).proxy()
    announced = [0] * frontends

    def frontend(n):
        announced[n] = sum(call(core, n, i) for i in range(calls))

    threads = [threading.Thread(target=frontend, args=(n,)) for n in range(frontends)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    rate = frontends * calls / (time.perf_counter() - start)
    expected = sum(announced)
    for _ in range(10_000):
        if listener.ask(None) == expected:
            break
        time.sleep(0.001)
    assert listener.ask(None) == expected, "the listener counted every change"
    pykka.ActorRegistry.stop_all()
    print(f"{rate:.1f}")


if __name__ == "__main__":
    main()
