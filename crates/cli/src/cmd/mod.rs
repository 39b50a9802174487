//! One module per command group.

pub mod config;
pub mod doctor;
pub mod edit;
pub mod gateway;
pub mod infer;
pub mod models;
pub mod probe;
pub mod scan;
pub mod usage;
