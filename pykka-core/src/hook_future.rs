//! `HookFuture`: what an actor's handler and hooks return, with a compile error that says to
//! write them as `async fn`.

use std::future::Future;

/// What [`Actor::on_receive`](crate::Actor::on_receive) and the hooks (`on_start`, `on_stop`,
/// `on_failure`) return: a `Send` future of `T`. Every `Future<Output = T> + Send` is one, so
/// write them as `async fn` (a body that never awaits costs no more than a plain call), or
/// return `impl Future<Output = T> + Send`.
///
/// It exists for its compile error: a handler written as a plain `fn` ("`String` is not a
/// future") is reported as "an actor's handler or hook must be an `async fn`".
///
/// # Examples
///
/// ```
/// use pykka::{Actor, Context};
/// # use pykka_threading::Threading;
///
/// struct Greeter;
///
/// impl Actor for Greeter {
///     type Message = String;
///     type Reply = String;
///
///     // `async fn`, not `fn`: the trait's handler returns a `HookFuture`.
///     async fn on_receive(&mut self, name: String, _ctx: &Context<Self>) -> String {
///         format!("Hi, {name}!")
///     }
/// }
///
/// let greeter = Greeter.start_on::<Threading>();
/// assert_eq!(greeter.ask("Ada".to_owned()).wait().unwrap(), "Hi, Ada!");
/// greeter.stop().wait().unwrap();
/// ```
#[diagnostic::on_unimplemented(
    message = "an actor's handler or hook must be an `async fn`: `{Self}` is not a future",
    label = "not a future: make this an `async fn`",
    note = "`on_receive`, `on_start`, `on_stop` and `on_failure` are async: add `async` before `fn` (a body that never awaits costs no more than a plain call)"
)]
pub trait HookFuture<T>: Future<Output = T> + Send {}

// Not recommended in errors, so that a plain `fn` handler is reported with the message above
// rather than as "`String` is not a future".
#[diagnostic::do_not_recommend]
impl<F: Future<Output = T> + Send, T> HookFuture<T> for F {}
