//! openclaw.json, read the way OpenClaw reads it: JSON5 with `${VAR}` substitution and `$include`,
//! strict validation of the sections clawgate owns (every error at once, with file, line, column
//! and a did-you-mean), the built-in provider catalog merged with `models.providers`, model refs and
//! aliases, and credential lookup with secrets kept out of every printout.

pub mod api;
pub mod catalog;
mod config;
pub mod credentials;
pub mod diagnostic;
pub mod env;
pub mod include;
pub mod json5;
pub mod loader;
pub mod local;
pub mod merge;
pub mod node;
pub mod refs;
pub mod registry;
pub mod resolve;
pub mod schema;
pub mod secret;
pub mod semantic;
pub mod source;
pub mod types;
pub mod watch;

pub use config::Config;
pub use diagnostic::{Diagnostic, Severity};
pub use env::Env;
pub use loader::{load, load_text, locate, ConfigError, ConfigLocation, ConfigOrigin};
pub use secret::Secret;
pub mod edit;
