//! x
#![forbid(unsafe_code)]
mod by_name;
mod config;
mod connection;
mod errors;
mod exposed;
mod node;
mod pending;
mod registry;
mod remote_ref;
pub mod testing;
mod wire;

pub use by_name::{RemoteCall, register_type};
pub use config::{Auth, NodeConfig, Tls};
pub use node::Node;
pub use registry::{ExposedName, NodeInfo};
pub use remote_ref::RemoteRef;
