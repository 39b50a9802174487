//! [`ConfigWatcher`]: notices that the config file (or a file it `$include`s, or the `.env` beside
//! it) changed, and reloads it into a new snapshot. Polling by content, not by file-system events:
//! editors save by rename, truncate-and-write or in place, and network and container file systems
//! drop inotify events; comparing a few kilobytes twice a second catches all of them.
//!
//! IO only, no async: the gateway calls [`ConfigWatcher::poll`] from its own timer. A reload that
//! fails returns the same [`ConfigError`] `config validate` prints, and the caller keeps the last good
//! snapshot; the watcher then waits for the next change before trying again.

use std::path::PathBuf;

use crate::{Config, ConfigError, ConfigLocation, Env};

/// What one poll found.
#[derive(Debug)]
pub enum WatchEvent {
    /// A file changed and the config loaded: swap to this snapshot.
    Reloaded(Box<Config>),
    /// A file changed but the config is invalid: keep the current snapshot.
    Rejected(ConfigError),
}

/// Watches the files one config snapshot was read from.
#[derive(Debug)]
pub struct ConfigWatcher {
    location: ConfigLocation,
    /// The environment before any `.env` or `env` section was applied.
    base_env: Env,
    /// Each watched file with the content last seen (`None` = did not exist).
    files: Vec<(PathBuf, Option<String>)>,
}

impl ConfigWatcher {
    /// Watches the files `config` was loaded from. `base_env` is the process environment the first
    /// load used (reloads start from it again, so a removed `.env` line really disappears).
    pub fn new(config: &Config, base_env: Env) -> Self {
        let mut watcher = ConfigWatcher { location: config.location.clone(), base_env, files: Vec::new() };
        watcher.remember(config);
        watcher
    }

    /// Checks the files; on a change, reloads. `None` when nothing changed.
    pub fn poll(&mut self) -> Option<WatchEvent> {
        if !self.changed() {
            return None;
        }
        match crate::load(&self.location, self.base_env.clone()) {
            Ok(config) => {
                self.remember(&config);
                Some(WatchEvent::Reloaded(Box::new(config)))
            }
            Err(error) => {
                // Remember what is on disk now so the same broken content is reported once.
                for (path, seen) in &mut self.files {
                    *seen = std::fs::read_to_string(&*path).ok();
                }
                Some(WatchEvent::Rejected(error))
            }
        }
    }

    /// The files being watched.
    pub fn files(&self) -> impl Iterator<Item = &PathBuf> {
        self.files.iter().map(|(p, _)| p)
    }

    fn changed(&self) -> bool {
        self.files.iter().any(|(path, seen)| std::fs::read_to_string(path).ok() != *seen)
    }

    fn remember(&mut self, config: &Config) {
        let mut files: Vec<(PathBuf, Option<String>)> = config
            .sources
            .files()
            .iter()
            .filter(|f| f.path.is_file())
            .map(|f| (f.path.clone(), std::fs::read_to_string(&f.path).ok()))
            .collect();
        if let Some(dotenv) = config.location.path.as_ref().and_then(|p| p.parent()).map(|d| d.join(".env")) {
            if !files.iter().any(|(p, _)| *p == dotenv) {
                let seen = std::fs::read_to_string(&dotenv).ok();
                files.push((dotenv, seen));
            }
        }
        if files.is_empty() {
            if let Some(path) = &config.location.path {
                files.push((path.clone(), std::fs::read_to_string(path).ok()));
            }
        }
        self.files = files;
    }
}
