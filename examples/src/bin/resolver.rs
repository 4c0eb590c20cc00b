//! Pykka's "Pool of actors sharing work" example: resolve a bunch of IP addresses to host names
//! using a pool of resolver actors.
//!
//! ```text
//! cargo run -p examples --bin resolver                      # loopback addresses, works offline
//! cargo run -p examples --bin resolver -- 3 193.35.52.1 193.35.52.2 193.35.52.3
//! ```
//!
//! The arguments are, as in Pykka's example, the pool size and then the addresses. It prints
//! one line an address, in the order given, for example:
//!
//! ```text
//! 127.0.0.1 is localhost
//! ::1 has no host name (no reverse DNS or hosts-file entry)
//! ```
//!
//! Each lookup is a blocking libc call. On the threads backend that blocks only the resolver's
//! own thread; on the async backends it blocks an executor thread for the duration of the
//! lookup, which is fine for a demo of loopback lookups but not for production code, where a
//! handler would hand the lookup to a blocking pool and `.await` it.

use pykka::{Actor, ActorRegistry, Proxy, Start};
use std::net::IpAddr;
use std::time::Duration;

#[derive(Proxy)]
struct Resolver;

#[pykka::proxy]
impl Resolver {
    /// The host name of `ip`, or `None` if it has none (no reverse DNS or hosts-file entry).
    pub(crate) fn resolve(&self, ip: IpAddr) -> Option<String> {
        // getnameinfo gives back the numeric address when there is no name.
        match dns_lookup::lookup_addr(&ip) {
            Ok(host) if host != ip.to_string() => Some(host),
            _ => None,
        }
    }
}

impl Actor for Resolver {
    type Message = ();
    type Reply = ();
}

/// Resolves `ips` with a pool of `pool_size` resolvers; returns `(ip, host)` pairs in order.
fn run(pool_size: usize, ips: &[IpAddr]) -> Result<Vec<(IpAddr, Option<String>)>, pykka::Error> {
    // Start resolvers.
    let resolvers = (0..pool_size.max(1)).map(|_| Resolver.start().proxy()).collect::<Result<Vec<_>, _>>()?;

    // Distribute work by mapping IPs to resolvers (not blocking).
    let hosts: Vec<_> = ips.iter().enumerate().map(|(i, ip)| resolvers[i % resolvers.len()].resolve(*ip)).collect();

    // Gather results (blocking), within one total deadline.
    let hosts = pykka::get_all(hosts, Some(Duration::from_secs(60)))?;

    // Clean up.
    ActorRegistry::stop_all().wait().unwrap();
    Ok(ips.iter().copied().zip(hosts).collect())
}

/// Runs the example with the command line's pool size and addresses.
pub(crate) fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (pool_size, ips) = if args.len() >= 2 {
        let pool_size = args[0].parse().unwrap_or_else(|_| usage(&format!("bad pool size {:?}", args[0])));
        let ips =
            args[1..].iter().map(|a| a.parse().unwrap_or_else(|_| usage(&format!("bad address {a:?}")))).collect();
        (pool_size, ips)
    } else {
        // Pykka resolves 49 public addresses; loopback ones make the default work offline (an
        // address without a hosts-file entry would go to DNS, which may be slow with no network).
        let ips: Vec<IpAddr> = vec!["127.0.0.1".parse().unwrap(), "::1".parse().unwrap()];
        (2, ips)
    };
    match run(pool_size, &ips) {
        Ok(pairs) => {
            for (ip, host) in pairs {
                match host {
                    Some(host) => println!("{ip} is {host}"),
                    None => println!("{ip} has no host name (no reverse DNS or hosts-file entry)"),
                }
            }
        }
        Err(error) => {
            eprintln!("resolver: {error}");
            std::process::exit(1);
        }
    }
}

fn usage(problem: &str) -> ! {
    eprintln!("resolver: {problem}\nusage: resolver [POOL_SIZE IP...]");
    std::process::exit(2);
}
