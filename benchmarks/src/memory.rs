//! W6: resident memory per idle actor, read from `/proc/self/statm`.
//!
//! Each measurement runs in a fresh child process (this binary, re-executed with
//! `--memory-child`), so that memory freed by earlier workloads and kept by the allocator does
//! not hide the growth.

use std::process::Command;

/// Resident set size of this process, in bytes.
pub(crate) fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm is readable on Linux");
    let resident_pages: u64 =
        statm.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("statm's second field is RSS in pages");
    resident_pages * page_size()
}

fn page_size() -> u64 {
    // `getconf` avoids unsafe libc calls; the page size is 4 KiB on every machine this runs on
    // unless it says otherwise.
    Command::new("getconf")
        .arg("PAGESIZE")
        .output()
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(4096)
}

/// Measures `measure` (which spawns `actors` idle actors and returns RSS growth) in a child
/// process: runs this binary with `--memory-child SUBJECT ACTORS`, and returns bytes per actor.
pub(crate) fn in_child(subject: &str, actors: usize) -> f64 {
    let exe = std::env::current_exe().expect("the benchmark knows its own path");
    let out = Command::new(exe)
        .args(["--memory-child", subject, &actors.to_string()])
        .output()
        .expect("the benchmark can re-execute itself");
    assert!(out.status.success(), "memory child for {subject} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("memory child for {subject} printed {:?}", String::from_utf8_lossy(&out.stdout)))
}

/// RSS growth per actor between `before` and now.
pub(crate) fn per_actor_since(before: u64, actors: usize) -> f64 {
    rss_bytes().saturating_sub(before) as f64 / actors as f64
}
