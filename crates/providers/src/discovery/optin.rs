//! OpenClaw's opt-in rules for listing a local server's models implicitly (openclaw-behaviour
//! §3.3): which providers get their discovered models added to the registry.
//!
//! - `"<provider>/*"` in `agents.defaults.models` always opts in (even with an explicit provider).
//! - Ollama, vLLM, SGLang, llama.cpp, LiteLLM: an explicit `models.providers.<id>` turns discovery
//!   off (its model list is the list); for Ollama so does any other custom `api: "ollama"`
//!   provider. Otherwise the provider's key variable (any value: `OLLAMA_API_KEY`,
//!   `VLLM_API_KEY`, …) opts in.
//! - LM Studio: an explicit provider keeps discovery (loaded state, preload, reasoning options);
//!   otherwise `LM_API_TOKEN` opts in.
//!
//! `doctor` and `models scan` ask servers regardless: these rules are about what the router lists.

use config::api::Api;
use config::catalog::Discovery;
use config::registry::ResolvedProvider;
use config::Config;

/// Whether a provider's models are discovered, and why (the text names the setting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiscoveryDecision {
    Enabled(String),
    Disabled(String),
}

impl DiscoveryDecision {
    pub fn is_enabled(&self) -> bool {
        matches!(self, DiscoveryDecision::Enabled(_))
    }

    pub fn reason(&self) -> &str {
        match self {
            DiscoveryDecision::Enabled(r) | DiscoveryDecision::Disabled(r) => r,
        }
    }
}

/// The decision for `provider` under `config`.
pub fn discovery_decision(config: &Config, provider: &ResolvedProvider) -> DiscoveryDecision {
    let id = provider.id.as_str();
    if provider.discovery == Discovery::None {
        return DiscoveryDecision::Disabled(format!("provider `{id}` has no discovery"));
    }
    let wildcard = format!("{id}/*");
    if config.raw.agents.defaults.models.keys().any(|k| k.trim().eq_ignore_ascii_case(&wildcard)) {
        return DiscoveryDecision::Enabled(format!("`{wildcard}` is in agents.defaults.models"));
    }
    let keep_with_explicit = provider.discovery == Discovery::Lmstudio;
    if provider.configured && !keep_with_explicit {
        return DiscoveryDecision::Disabled(format!(
            "models.providers.{id} is set, so its model list is used as written; add \"{wildcard}\": {{}} to agents.defaults.models to keep discovery"
        ));
    }
    if provider.discovery == Discovery::Ollama {
        let other =
            config.registry.providers.values().find(|p| p.configured && p.id != id && p.api == Api::Ollama);
        if let Some(other) = other {
            return DiscoveryDecision::Disabled(format!(
                "models.providers.{} already uses api \"ollama\"; add \"{wildcard}\": {{}} to agents.defaults.models to discover {id} as well",
                other.id
            ));
        }
    }
    if provider.configured {
        return DiscoveryDecision::Enabled(format!("models.providers.{id} is set"));
    }
    match provider.env_keys.iter().find(|k| config.env.get(k).is_some()) {
        Some(var) => DiscoveryDecision::Enabled(format!("{var} is set")),
        None => DiscoveryDecision::Disabled(format!(
            "not opted in: set {} (any value) or add \"{wildcard}\": {{}} to agents.defaults.models",
            provider.env_keys.first().map_or("the provider's key variable", String::as_str)
        )),
    }
}
