// An actor generic over its collaborator (as docs/testing.md recommends), with bounds, a where
// clause, a const parameter with a default and a generic traversable member: the proxy is
// `StamperProxy<C, N>` (the actor parameter last, defaulting to the actor), and every form of
// call works.
use pykka::{Actor, Context, Proxy, ProxyGetAttr};
use pykka_threading::Threading;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> u64;
}

#[derive(Clone, Debug, PartialEq)]
struct Fixed(u64);

impl Clock for Fixed {
    fn now(&self) -> u64 {
        self.0
    }
}

#[derive(Proxy, Default)]
struct Tally<A: Clone + Send + 'static> {
    pub seen: Vec<A>,
}

// A parameter named `A`, like the proxy types' own actor parameter (which is then renamed).
#[pykka::proxy]
impl<A: Clone + Send + 'static> Tally<A> {
    pub fn record(&mut self, item: A) -> usize {
        self.seen.push(item);
        self.seen.len()
    }
}

#[derive(Proxy)]
struct Stamper<C: Clock, const N: usize = 2>
where
    C: Clone,
{
    pub clock: C,
    #[pykka(traversable)]
    pub tally: Tally<u64>,
    #[pykka(traversable)]
    pub clocks: Tally<C>,
}

#[pykka::proxy]
impl<C: Clock, const N: usize> Stamper<C, N>
where
    C: Clone,
{
    pub fn stamp(&mut self) -> [u64; N] {
        [self.clock.now(); N]
    }

    pub async fn later(&self, offset: u64) -> u64 {
        pykka::sleep(std::time::Duration::from_millis(1)).await;
        self.clock.now() + offset
    }

    pub fn swap_clock(&mut self, clock: C) -> C {
        std::mem::replace(&mut self.clock, clock)
    }

    pub fn name(&self, ctx: &Context<Self>) -> String {
        ctx.actor_ref().name().to_owned()
    }
}

impl<C: Clock + Clone, const N: usize> Actor for Stamper<C, N> {
    type Message = ();
    type Reply = ();
}

fn main() {
    let actor_ref = Stamper::<Fixed, 3> { clock: Fixed(7), tally: Tally::default(), clocks: Tally { seen: Vec::new() } }.start_on::<Threading>();
    let proxy: StamperProxy<Fixed, 3> = actor_ref.proxy().unwrap();
    assert_eq!(proxy.stamp().get(), Ok([7, 7, 7]));
    assert_eq!(proxy.later(1).get(), Ok(8));
    assert_eq!(proxy.swap_clock(Fixed(9)).get(), Ok(Fixed(7)));
    assert_eq!(proxy.clock().get(), Ok(Fixed(9)));
    assert_eq!(proxy.name().get().unwrap(), "Stamper");
    assert_eq!(proxy.tally().record(5).get(), Ok(1));
    proxy.tally().defer().record(6).unwrap();
    assert_eq!(proxy.tally().seen().get(), Ok(vec![5, 6]));
    let seen: Vec<u64> = actor_ref.ask_by_name(ProxyGetAttr::new(["tally", "seen"])).wait().unwrap();
    assert_eq!(seen, [5, 6]);
    assert_eq!(proxy.clocks().record(Fixed(1)).get(), Ok(1));
    proxy.stop().wait().unwrap();
}
