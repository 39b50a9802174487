//! One module per command group.

pub mod config;
pub mod edit;
pub mod gateway;
pub mod infer;
pub mod models;
pub mod usage;
