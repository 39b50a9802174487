//! The candidate chain of one request (openclaw-behaviour §5.1): the requested model first, then the
//! per-request override or the configured fallbacks, then the configured primary appended (only when
//! no override was given); every entry resolved through aliases and refs and deduplicated by model
//! key. A strict selection (a user's explicit choice) is a chain of one.

use config::refs::ModelRef;
use config::registry::ResolvedModel;
use config::resolve::Resolution;
use config::Config;
use providers::{Auth, Target};

use crate::credential::credential_id;
use crate::error::RouteError;

/// One model the router may call for a request.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub model_ref: ModelRef,
    pub target: Target,
    /// The credential fingerprint that keys its cooldowns.
    pub credential: String,
    /// Position in the chain as built (before any re-sorting).
    pub position: usize,
    /// The configured primary (`agents.defaults.model.primary`).
    pub is_primary: bool,
}

impl Candidate {
    /// `provider/model`.
    pub fn key(&self) -> String {
        self.target.key()
    }

    pub fn provider(&self) -> &str {
        &self.target.model.provider
    }

    pub fn model_id(&self) -> &str {
        &self.target.model.id
    }

    pub fn model(&self) -> &ResolvedModel {
        &self.target.model
    }
}

/// The chain, plus fallback entries that could not be resolved (reported as skipped attempts).
#[derive(Debug, Clone)]
pub struct Chain {
    pub candidates: Vec<Candidate>,
    pub unresolved: Vec<String>,
    /// Whether any fallback exists beyond the first candidate.
    pub has_fallbacks: bool,
}

/// Builds the chain for a request.
pub fn build_chain(
    config: &Config,
    requested: Option<&str>,
    strict: bool,
    override_fallbacks: Option<&[String]>,
) -> Result<Chain, RouteError> {
    let requested = match requested.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => r.to_owned(),
        None => config.primary_raw().map(str::to_owned).ok_or_else(RouteError::no_model)?,
    };
    let first = candidate(config, &requested, 0).map_err(|_| unknown_model(config, &requested))?;
    let mut candidates = vec![first];
    let mut unresolved = Vec::new();
    if !strict {
        let mut entries: Vec<String> = match override_fallbacks {
            Some(list) => list.to_vec(),
            None => config.fallbacks_raw().to_vec(),
        };
        if override_fallbacks.is_none() {
            entries.extend(config.primary_raw().map(str::to_owned));
        }
        for raw in entries {
            match candidate(config, &raw, candidates.len()) {
                Ok(c) if !candidates.iter().any(|seen| same_model(seen, &c)) => candidates.push(c),
                Ok(_) => {}
                Err(()) => {
                    tracing::warn!(fallback = %raw, "fallback model is not known to the config; skipped");
                    unresolved.push(raw);
                }
            }
        }
    }
    let primary = config.primary().map(|r| r.key().to_lowercase());
    for c in &mut candidates {
        c.is_primary = primary.as_deref() == Some(c.key().to_lowercase().as_str());
    }
    let has_fallbacks = candidates.len() > 1;
    Ok(Chain { candidates, unresolved, has_fallbacks })
}

fn same_model(a: &Candidate, b: &Candidate) -> bool {
    a.key().eq_ignore_ascii_case(&b.key())
}

/// Resolves one entry to a callable candidate. A model the provider does not list is still callable
/// when it was written as `provider/model` and its provider is known and has a base URL (discovered
/// and ad-hoc models).
fn candidate(config: &Config, raw: &str, position: usize) -> Result<Candidate, ()> {
    let resolved = config.resolve(raw).map_err(|_| ())?;
    let explicit = resolved.via == Resolution::Explicit;
    let model_ref = resolved.model_ref;
    let model = match config.model(&model_ref) {
        Some(m) => m.clone(),
        // A bare id that only landed on the default provider is a typo more often than not.
        None if !explicit => return Err(()),
        None => {
            let provider = config.registry.provider(&model_ref.provider).ok_or(())?;
            let base_url = provider.base_url.clone().ok_or(())?;
            ResolvedModel::new(&provider.id, &model_ref.model, provider.api, base_url)
        }
    };
    let target = Target::from_config(config, &model);
    let credential = credential_id(&target.auth, model_ref.profile.as_deref());
    Ok(Candidate { model_ref, target, credential, position, is_primary: false })
}

/// The error for a model the config does not know, with the closest known names.
fn unknown_model(config: &Config, raw: &str) -> RouteError {
    let wanted = raw.trim().to_lowercase();
    let mut known: Vec<String> = config.registry.models().map(|m| m.key()).collect();
    known.extend(config.aliases.entries().into_iter().map(|(alias, _)| alias.to_owned()));
    let mut scored: Vec<(f64, String)> = known
        .into_iter()
        .map(|k| {
            let lower = k.to_lowercase();
            let tail = lower.rsplit('/').next().unwrap_or(&lower).to_owned();
            let score = strsim::jaro_winkler(&wanted, &lower).max(strsim::jaro_winkler(&wanted, &tail));
            (score, k)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    let suggestions = scored.into_iter().take(3).map(|(_, k)| k).collect();
    RouteError::unknown_model(raw, suggestions)
}

/// Whether a target is refused before sending for want of a credential.
pub fn missing_credential(target: &Target) -> Option<&str> {
    match &target.auth {
        Auth::Unusable(detail) => Some(detail),
        _ => None,
    }
}
