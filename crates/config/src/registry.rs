//! The providers and models clawgate can call, after the catalog and config were merged and
//! OpenClaw's defaults applied (custom providers: `api` openai-completions, `reasoning` false,
//! `input` ["text"], cost 0, `maxTokens` the provider's or 8192; context window unset = discovery,
//! then 200 000).

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::api::{Api, ApiParse};
use crate::catalog::{Catalog, Discovery};
use crate::diagnostic::Diagnostic;
use crate::local::is_local_base_url;
use crate::merge::merge_providers;
use crate::refs::model_key;
use crate::types::{Compat, MergeMode, ProviderConfig, RawConfig};

/// OpenClaw's `DEFAULT_CONTEXT_TOKENS`, used when neither config nor discovery gives a window.
pub const DEFAULT_CONTEXT_WINDOW: u64 = 200_000;
/// Output cap of a model with no `maxTokens` anywhere.
pub const DEFAULT_MAX_TOKENS: u64 = 8192;

/// One callable model.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedModel {
    pub provider: String,
    pub id: String,
    pub name: String,
    pub api: Api,
    pub base_url: String,
    pub reasoning: bool,
    pub input: Vec<String>,
    pub price: llm::Price,
    /// The native window as configured or catalogued (`None` = unknown; see [`Self::context_limit`]).
    pub context_window: Option<u64>,
    /// The effective input cap, when set.
    pub context_tokens: Option<u64>,
    pub max_tokens: u64,
    pub params: Map<String, Value>,
    pub headers: IndexMap<String, String>,
    pub compat: Compat,
    /// Written in the user's config (not only in the built-in catalog).
    pub configured: bool,
}

impl ResolvedModel {
    /// A model with OpenClaw's defaults for a custom provider (discovered models, tests): text input,
    /// no reasoning, free, unknown window, 8192 output tokens.
    pub fn new(
        provider: impl Into<String>,
        id: impl Into<String>,
        api: Api,
        base_url: impl Into<String>,
    ) -> Self {
        let id = id.into();
        ResolvedModel {
            provider: provider.into(),
            name: id.clone(),
            id,
            api,
            base_url: base_url.into(),
            reasoning: false,
            input: vec!["text".to_owned()],
            price: llm::Price::default(),
            context_window: None,
            context_tokens: None,
            max_tokens: DEFAULT_MAX_TOKENS,
            params: Map::new(),
            headers: IndexMap::new(),
            compat: Compat::default(),
            configured: false,
        }
    }

    /// `provider/id`.
    pub fn key(&self) -> String {
        model_key(&self.provider, &self.id)
    }

    /// Tokens the prompt may use: `contextTokens` capped by the window, else the window, else the default.
    pub fn context_limit(&self) -> u64 {
        let window = self.context_window.unwrap_or(DEFAULT_CONTEXT_WINDOW);
        self.context_tokens.map_or(window, |t| t.min(window))
    }

    pub fn accepts_images(&self) -> bool {
        self.input.iter().any(|i| i == "image")
    }

    pub fn is_local(&self) -> bool {
        is_local_base_url(&self.base_url)
    }
}

/// One provider with its merged settings and models.
#[derive(Debug, Clone)]
pub struct ResolvedProvider {
    pub id: String,
    pub base_url: Option<String>,
    pub api: Api,
    /// A self-hosted server (catalog says so, or its base URL is local).
    pub local: bool,
    /// Known to the built-in catalog.
    pub builtin: bool,
    /// Written in the user's config.
    pub configured: bool,
    pub env_keys: Vec<String>,
    pub discovery: Discovery,
    pub default_port: Option<u16>,
    /// The merged provider block (apiKey, headers, params, timeouts, localService …).
    pub config: ProviderConfig,
    pub models: Vec<ResolvedModel>,
}

/// All callable providers, in config order then catalog order.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub providers: IndexMap<String, ResolvedProvider>,
}

impl Registry {
    /// Merges `catalog` with the config's providers; problems (unknown `api`) become warnings and the
    /// provider or model is left out.
    pub fn build(raw: &RawConfig, catalog: &Catalog, warnings: &mut Vec<Diagnostic>) -> Registry {
        let explicit = &raw.models.providers;
        let implicit: IndexMap<String, ProviderConfig> = match raw.models.mode {
            MergeMode::Merge => {
                catalog.providers.iter().map(|(k, v)| (k.clone(), v.config.clone())).collect()
            }
            // Replace: only the config's providers, but a built-in id keeps its provider-level
            // defaults (base URL, api) so an overlay still works; catalog models are dropped.
            MergeMode::Replace => explicit
                .keys()
                .filter_map(|k| {
                    catalog
                        .get(k.trim())
                        .map(|c| (k.trim().to_string(), ProviderConfig { models: None, ..c.config.clone() }))
                })
                .collect(),
        };
        let merged = merge_providers(&implicit, explicit);
        // Config providers first (their order), then the rest of the catalog.
        let mut order: Vec<&String> = merged.keys().filter(|k| explicit.contains_key(k.as_str())).collect();
        order.extend(merged.keys().filter(|k| !explicit.contains_key(k.as_str())));

        let mut providers = IndexMap::new();
        for id in order {
            let pc = &merged[id];
            let path = crate::edit::display_path(&[
                crate::edit::Segment::Key("models".into()),
                crate::edit::Segment::Key("providers".into()),
                crate::edit::Segment::Key(id.clone()),
            ]);
            let cat = catalog.get(id);
            let api = match pc.api.as_deref().map(Api::parse) {
                None => Api::OpenaiCompletions,
                Some(ApiParse::Known(a)) => a,
                Some(ApiParse::Legacy(a)) => {
                    warnings.push(
                        Diagnostic::warning(
                            format!("{path}.api"),
                            format!("{:?} is a legacy value", pc.api.as_deref().unwrap_or_default()),
                            None,
                        )
                        .help(format!("write api: \"{a}\" (it is read as that)")),
                    );
                    a
                }
                Some(ApiParse::Unknown) => {
                    warnings.push(
                        Diagnostic::warning(
                            format!("{path}.api"),
                            format!(
                                "unknown api {:?}; provider {id:?} is skipped",
                                pc.api.as_deref().unwrap_or_default()
                            ),
                            None,
                        )
                        .expected(format!("one of: {}", crate::schema::openclaw::MODEL_APIS.join(", "))),
                    );
                    continue;
                }
            };
            let configured = explicit.contains_key(id.as_str());
            let base_url = pc.base_url.clone();
            let local = cat.is_some_and(|c| c.local) || base_url.as_deref().is_some_and(is_local_base_url);
            let provider_max = pc.max_tokens.filter(|v| *v > 0.0).map(|v| v as u64);
            let explicit_ids: Vec<&str> = explicit
                .get(id.as_str())
                .and_then(|p| p.models.as_ref())
                .map(|ms| ms.iter().map(|m| m.id.as_str()).collect())
                .unwrap_or_default();
            let mut models = Vec::new();
            for (i, m) in pc.models.iter().flatten().enumerate() {
                let model_api = match m.api.as_deref().map(Api::parse) {
                    None => api,
                    Some(ApiParse::Known(a) | ApiParse::Legacy(a)) => a,
                    Some(ApiParse::Unknown) => {
                        warnings.push(Diagnostic::warning(
                            format!("{path}.models[{i}].api"),
                            format!(
                                "unknown api {:?}; model {:?} is skipped",
                                m.api.as_deref().unwrap_or_default(),
                                m.id
                            ),
                            None,
                        ));
                        continue;
                    }
                };
                let Some(model_base) = m.base_url.clone().or_else(|| base_url.clone()) else { continue };
                models.push(ResolvedModel {
                    provider: id.clone(),
                    id: m.id.clone(),
                    name: if m.name.is_empty() { m.id.clone() } else { m.name.clone() },
                    api: model_api,
                    base_url: model_base,
                    reasoning: m.reasoning.unwrap_or(false),
                    input: m.input.clone().unwrap_or_else(|| vec!["text".into()]),
                    price: m.cost.as_ref().map(|c| c.to_price()).unwrap_or_default(),
                    context_window: m
                        .context_window
                        .or(pc.context_window)
                        .filter(|v| *v > 0.0)
                        .map(|v| v as u64),
                    context_tokens: m.context_tokens.or(pc.context_tokens),
                    max_tokens: m
                        .max_tokens
                        .filter(|v| *v > 0.0)
                        .map(|v| v as u64)
                        .or(provider_max)
                        .unwrap_or(DEFAULT_MAX_TOKENS),
                    params: m.params.clone(),
                    headers: m.headers.clone(),
                    compat: m.compat.clone().unwrap_or_default(),
                    configured: explicit_ids.contains(&m.id.as_str()),
                });
            }
            providers.insert(
                id.clone(),
                ResolvedProvider {
                    id: id.clone(),
                    base_url,
                    api,
                    local,
                    builtin: cat.is_some(),
                    configured,
                    env_keys: cat.map(|c| c.env_keys.clone()).unwrap_or_default(),
                    discovery: cat.map(|c| c.discovery).unwrap_or_default(),
                    default_port: cat.and_then(|c| c.default_port),
                    config: pc.clone(),
                    models,
                },
            );
        }
        Registry { providers }
    }

    pub fn provider(&self, id: &str) -> Option<&ResolvedProvider> {
        self.providers.get(id)
    }

    /// A model by provider and provider-local id (exact id first, then case-insensitive).
    pub fn model(&self, provider: &str, id: &str) -> Option<&ResolvedModel> {
        let p = self.providers.get(provider)?;
        p.models
            .iter()
            .find(|m| m.id == id)
            .or_else(|| p.models.iter().find(|m| m.id.eq_ignore_ascii_case(id)))
    }

    pub fn models(&self) -> impl Iterator<Item = &ResolvedModel> {
        self.providers.values().flat_map(|p| p.models.iter())
    }
}
