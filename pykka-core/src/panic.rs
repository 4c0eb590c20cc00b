//! Turning a panic in user code into a message that can be logged and delivered.

use std::any::Any;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::task::Poll;

/// A caught panic's payload.
pub(crate) type Payload = Box<dyn Any + Send>;

/// The payload the default `on_receive` unwinds with: not a failure, but Pykka's
/// "unexpected message" warning, which the loop handles without stopping the actor.
pub(crate) struct UnhandledMessage;

/// Runs `future` to completion, catching a panic in any of its polls.
///
/// Pass an `async` block that *calls* the user's function (`async { actor.on_stop(ctx).await }`),
/// not the function's returned future: a hook or closure written as a plain `fn` returning
/// `impl Future` runs code before it returns its future, and a panic there must be caught
/// too, or it would unwind through the actor loop and kill the actor without its cleanup.
///
/// The actor state behind `&mut` may be left half-updated by the panic; Pykka's semantics
/// (the actor keeps running after a failed ask) accept that, which is why the unwind-safety
/// assertion is sound here. The docs say so to users.
pub(crate) async fn catch_panic<F: Future>(future: F) -> Result<F::Output, Payload> {
    catch_panic_pinned(pin!(future)).await
}

/// [`catch_panic`] for a future pinned by the caller, which it is not moved out of.
#[inline]
pub(crate) async fn catch_panic_pinned<F: Future>(mut future: std::pin::Pin<&mut F>) -> Result<F::Output, Payload> {
    poll_fn(|cx| poll_catching(future.as_mut(), cx)).await
}

/// Polls `future` once, catching a panic in the poll: the one place a poll is caught.
#[inline(always)]
pub(crate) fn poll_catching<F: Future>(
    future: std::pin::Pin<&mut F>,
    cx: &mut std::task::Context<'_>,
) -> Poll<Result<F::Output, Payload>> {
    match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
        Ok(Poll::Ready(value)) => Poll::Ready(Ok(value)),
        Ok(Poll::Pending) => Poll::Pending,
        Err(payload) => Poll::Ready(Err(payload)),
    }
}

/// Runs `make`, catching a panic in it (an `FnOnce` bound, so that a closure that reborrows
/// the actor to make its future is accepted).
#[inline(always)]
pub(crate) fn make_catching<F>(make: impl FnOnce() -> F) -> Result<F, Payload> {
    catch_unwind(AssertUnwindSafe(make))
}

/// [`catch_panic_with`] written into the caller's `async` code (evaluates to
/// `Result<output, Payload>`; `$make` is a closure that makes the future): the made future is
/// the caller's pinned local, held once. Through the `async fn`, the closure (an argument, so
/// kept for the whole await), the pinned future and the inner poller were each a field of the
/// loop's state: 56 bytes more in every actor's task than the user's future itself (issue 18).
macro_rules! await_catching {
    ($make:expr) => {
        'caught: {
            let future = match $crate::panic::make_catching($make) {
                Ok(future) => future,
                Err(payload) => break 'caught Err(payload),
            };
            let mut future = ::std::pin::pin!(future);
            // Moved into the poller, so that the pin is not also a local of the caller's state.
            ::std::future::poll_fn(move |cx| $crate::panic::poll_catching(future.as_mut(), cx)).await
        }
    };
}
pub(crate) use await_catching;

/// [`catch_panic`] for a future made by `make`, which runs inside the catch too: the loop's
/// hooks and handlers, whose futures are made here rather than passed in, so that the loop's
/// state machine holds each user future once (a future passed to an `async fn` is stored twice,
/// as the argument and as the pinned local, which doubled the size of every actor's task).
pub(crate) async fn catch_panic_with<F: Future>(make: impl FnOnce() -> F) -> Result<F::Output, Payload> {
    await_catching!(make)
}

/// The panic's message, as `panic!` formatted it.
pub(crate) fn panic_message(payload: &Payload) -> String {
    if let Some(s) = payload.downcast_ref::<&'static str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic with a non-string payload".to_owned()
    }
}
