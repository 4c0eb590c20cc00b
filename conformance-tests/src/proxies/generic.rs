//! Generic actors through proxies: an actor generic over its collaborator (what
//! `docs/testing.md` recommends, to test it with a fake) gets a proxy generic the same way,
//! `AccountProxy<S>`, and every form of call works for each instantiation separately.

use crate::support::TIMEOUT;
use pykka::{Actor, Backend, Context, Error, Proxy, ProxyCall, ProxyGetAttr};
use std::collections::HashMap;

/// The collaborator an `Account` is generic over.
pub trait Ledger: Send + Sync + 'static {
    /// Records `amount` for `who` and returns the new balance.
    fn record(&mut self, who: &str, amount: i64) -> i64;
}

/// A fake ledger in memory.
#[derive(Default, Debug, Clone, PartialEq)]
pub struct MemoryLedger(HashMap<String, i64>);

impl Ledger for MemoryLedger {
    fn record(&mut self, who: &str, amount: i64) -> i64 {
        let balance = self.0.entry(who.to_owned()).or_default();
        *balance += amount;
        *balance
    }
}

/// A ledger that refuses everything, to check that a failure in a generic method comes back
/// through the future.
#[derive(Default, Debug, Clone, PartialEq)]
pub struct ClosedLedger;

impl Ledger for ClosedLedger {
    fn record(&mut self, _who: &str, _amount: i64) -> i64 {
        panic!("the ledger is closed")
    }
}

/// An account actor, generic over its ledger, with a bound, a where clause and a field of the
/// generic type.
#[derive(Proxy, Default)]
pub struct Account<L: Ledger>
where
    L: Clone,
{
    /// The ledger itself, readable and writable through the proxy (it is `Clone`).
    pub ledger: L,
    /// The owner's name.
    pub owner: String,
}

#[pykka::proxy]
impl<L: Ledger> Account<L>
where
    L: Clone,
{
    /// Records a deposit.
    pub fn deposit(&mut self, amount: i64) -> i64 {
        self.ledger.record(&self.owner, amount)
    }

    /// Records a deposit after yielding to the runtime once.
    pub async fn deposit_later(&mut self, amount: i64) -> i64 {
        pykka::sleep(std::time::Duration::from_millis(1)).await;
        self.ledger.record(&self.owner, amount)
    }

    /// Swaps the ledger for another of the same type.
    pub fn replace_ledger(&mut self, ledger: L) -> L {
        std::mem::replace(&mut self.ledger, ledger)
    }

    /// The actor's name, from its context.
    pub fn name(&self, ctx: &Context<Self>) -> String {
        ctx.actor_ref().name().to_owned()
    }
}

impl<L: Ledger + Clone> Actor for Account<L> {
    type Message = ();
    type Reply = ();
}

fn account<L: Ledger + Clone + Default>() -> Account<L> {
    Account { ledger: L::default(), owner: "ada".into() }
}

/// Methods (sync, async, with the context), fields, `defer()` and calls by name work through
/// the proxy of a generic actor.
pub fn generic_actor_proxy_calls_work<B: Backend>() {
    let actor_ref = account::<MemoryLedger>().start_on::<B>();
    let proxy: AccountProxy<MemoryLedger> = actor_ref.proxy().unwrap();
    assert_eq!(proxy.deposit(5).get_timeout(TIMEOUT), Ok(5));
    assert_eq!(proxy.deposit_later(2).get_timeout(TIMEOUT), Ok(7));
    proxy.defer().deposit(1).unwrap();
    assert_eq!(proxy.name().get_timeout(TIMEOUT).unwrap(), "Account");
    let old = proxy.replace_ledger(MemoryLedger::default()).get_timeout(TIMEOUT).unwrap();
    assert_eq!(old.0["ada"], 8);
    assert_eq!(proxy.ledger().get_timeout(TIMEOUT), Ok(MemoryLedger::default()));
    proxy.set_owner("bob".into()).wait().unwrap();
    let balance: i64 = actor_ref.ask_by_name(ProxyCall::new(["deposit"]).arg(3_i64)).wait().unwrap();
    assert_eq!(balance, 3);
    let owner: String = actor_ref.ask_by_name(ProxyGetAttr::new(["owner"])).wait().unwrap();
    assert_eq!(owner, "bob");
    proxy.stop().wait_timeout(TIMEOUT).unwrap();
}

/// Two instantiations of one generic actor are different actors with different proxies: a
/// call by name checks the argument types of the instantiation it reaches, and a panic in a
/// generic method fails its future without stopping the actor, as for any other actor.
pub fn generic_actor_instantiations_are_checked_separately<B: Backend>() {
    let memory = account::<MemoryLedger>().start_on::<B>();
    let closed = account::<ClosedLedger>().start_on::<B>();
    // `replace_ledger` takes a `MemoryLedger` on one and a `ClosedLedger` on the other.
    let wrong = memory.ask_by_name::<ClosedLedger>(ProxyCall::new(["replace_ledger"]).arg(ClosedLedger)).wait();
    assert!(matches!(wrong, Err(Error::InvalidProxyMessage { .. })), "{wrong:?}");
    let right = closed.ask_by_name::<ClosedLedger>(ProxyCall::new(["replace_ledger"]).arg(ClosedLedger)).wait();
    assert_eq!(right, Ok(ClosedLedger));
    let failed = closed.proxy().unwrap().deposit(1).get_timeout(TIMEOUT);
    assert!(failed.as_ref().is_err_and(Error::is_failure), "{failed:?}");
    assert!(closed.is_alive());
    assert_eq!(memory.proxy().unwrap().deposit(4).get_timeout(TIMEOUT), Ok(4));
    for actor in [memory.stop(), closed.stop()] {
        actor.wait_timeout(TIMEOUT).unwrap();
    }
}
