//! Cooldown state: which model (or provider) failed, why, and until when; the ladder and lanes of
//! [`policy`]; the scope rules and probe slots of [`book`].

pub mod book;
pub mod entry;
pub mod policy;

pub use book::{Blocked, CooldownBook, CooldownView, FailureScope};
pub use entry::{CooldownEntry, CooldownKey};
pub use policy::{CooldownPolicy, Lane};
