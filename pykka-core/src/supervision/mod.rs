//! Supervision: supervisors that restart their children with OTP's strategies, restart types,
//! restart intensity and back-off. See `docs/supervision.md`.

mod child;
mod intensity;
mod spec;
mod supervisor;

pub(crate) use child::{ChildControl, ChildLink, Decision};
pub(crate) use intensity::Intensity;
pub use spec::{Backoff, ChildSpec, Restart, Strategy, SupervisorBuilder};
pub use supervisor::{Supervisor, SupervisorMessage};
