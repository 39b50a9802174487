//! [`Target`]: everything a transport needs to call one model — the resolved model (base URL, api,
//! compat flags, params, window), how to authenticate, extra headers and the provider's timeout.
//! Built once per model from a config snapshot ([`Target::from_config`]) or by hand in tests.

use std::time::Duration;

use config::credentials::Credential;
use config::registry::{ResolvedModel, ResolvedProvider};
use config::types::{SecretInput, SecretSource};
use config::{Config, Secret};

use config::api::Api;

/// How the credential goes on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum Auth {
    /// Nothing is sent (local server, marker, or no key needed).
    None,
    /// `Authorization: Bearer <key>`.
    Bearer(Secret),
    /// `<name>: <prefix><key>` (Anthropic's `x-api-key`, `request.auth.mode: "header"`).
    Header { name: String, value: Secret },
    /// A hosted provider with no usable key: the call is refused before it is sent. The text says
    /// which variables were tried or why the configured key cannot be used.
    Unusable(String),
}

/// One model, ready to call.
#[derive(Debug, Clone)]
pub struct Target {
    pub model: ResolvedModel,
    pub auth: Auth,
    /// Provider and model headers, in that order (later wins).
    pub headers: Vec<(String, String)>,
    /// Ollama behind `openai-completions`: send `options.num_ctx` (`injectNumCtxForOpenAICompat`).
    pub inject_num_ctx: bool,
    /// The provider's `timeoutSeconds`, when set.
    pub timeout: Option<Duration>,
    /// The provider runs on this machine or network (short connect deadline, no proxy).
    pub local: bool,
}

impl Target {
    /// A target with no credential and no extra headers (tests, local servers).
    pub fn new(model: ResolvedModel) -> Self {
        let local = model.is_local();
        let headers = model.headers.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        Target { model, auth: Auth::None, headers, inject_num_ctx: true, timeout: None, local }
    }

    /// Sends `key` the way this model's `api` expects by default.
    pub fn with_key(mut self, key: impl Into<String>) -> Self {
        self.auth = default_auth(self.model.api, Secret::new(key), false);
        self
    }

    /// The target of `model` under `config`: credential, headers, auth mode and timeout of its provider.
    pub fn from_config(config: &Config, model: &ResolvedModel) -> Self {
        let mut target = Target::new(model.clone());
        let Some(provider) = config.registry.provider(&model.provider) else {
            return target;
        };
        let credential = config.credential(&model.provider).unwrap_or(Credential::NotRequired);
        target.auth = auth_for(provider, model.api, credential, config);
        let mut headers: Vec<(String, String)> = provider
            .config
            .headers
            .iter()
            .filter_map(|(name, value)| Some((name.clone(), secret_input_value(value, config)?)))
            .collect();
        headers.append(&mut target.headers);
        target.headers = headers;
        target.inject_num_ctx = provider.config.inject_num_ctx_for_open_ai_compat.unwrap_or(true);
        target.timeout = provider.config.timeout_seconds.map(Duration::from_secs);
        target.local = provider.local || model.is_local();
        target
    }

    /// `provider/model`.
    pub fn key(&self) -> String {
        self.model.key()
    }

    /// Whether the base URL is OpenAI's own API (only there are `store`, `service_tier`, the
    /// developer role and cache hints sent; every other host is a proxy route).
    pub fn is_native_openai(&self) -> bool {
        host_of(&self.model.base_url).is_some_and(|h| h == "api.openai.com")
    }

    /// Whether the base URL is Anthropic's own API.
    pub fn is_native_anthropic(&self) -> bool {
        host_of(&self.model.base_url).is_some_and(|h| h == "api.anthropic.com")
    }

    /// `base_url` without a trailing slash, joined with `path` (which starts with `/`).
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{}", self.model.base_url.trim_end_matches('/'), path)
    }
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = host.split(':').next()?;
    Some(host.to_ascii_lowercase())
}

fn default_auth(api: Api, key: Secret, force_bearer: bool) -> Auth {
    if api == Api::AnthropicMessages && !force_bearer {
        Auth::Header { name: "x-api-key".into(), value: key }
    } else {
        Auth::Bearer(key)
    }
}

/// The auth of a provider: `request.auth` overrides, `authHeader: true` forces `Authorization`,
/// otherwise the api's default header carries the resolved credential.
fn auth_for(provider: &ResolvedProvider, api: Api, credential: Credential, config: &Config) -> Auth {
    let request_auth = provider.config.request.as_ref().and_then(|r| r.get("auth"));
    if let Some(auth) = request_auth {
        let string = |key: &str| auth.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        match string("mode").as_deref() {
            Some("authorization-bearer") => {
                if let Some(token) = auth.get("token").and_then(|t| json_secret(t, config)) {
                    return Auth::Bearer(Secret::new(token));
                }
            }
            Some("header") => {
                if let (Some(name), Some(value)) =
                    (string("headerName"), auth.get("value").and_then(|v| json_secret(v, config)))
                {
                    let prefix = string("prefix").unwrap_or_default();
                    return Auth::Header { name, value: Secret::new(format!("{prefix}{value}")) };
                }
            }
            _ => {}
        }
    }
    match credential {
        Credential::Key { secret, .. } => {
            default_auth(api, secret, provider.config.auth_header == Some(true))
        }
        Credential::LocalMarker(_) | Credential::NotRequired => Auth::None,
        Credential::Missing { tried } => Auth::Unusable(format!(
            "no API key for provider `{}`: set one of {} or `models.providers.{}.apiKey`",
            provider.id,
            if tried.is_empty() { "its API-key variables".to_owned() } else { tried.join(", ") },
            provider.id
        )),
        Credential::Unusable { reason } => Auth::Unusable(reason),
    }
}

fn json_secret(value: &serde_json::Value, config: &Config) -> Option<String> {
    let input: SecretInput = serde_json::from_value(value.clone()).ok()?;
    secret_input_value(&input, config)
}

fn secret_input_value(input: &SecretInput, config: &Config) -> Option<String> {
    match input {
        SecretInput::Literal(s) => Some(s.clone()),
        SecretInput::Ref(r) if r.source == SecretSource::Env => config.env.get(&r.id).map(str::to_owned),
        SecretInput::Ref(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn host_is_read_from_any_url_shape() {
        assert_eq!(host_of("https://api.openai.com/v1").as_deref(), Some("api.openai.com"));
        assert_eq!(host_of("http://user:pw@127.0.0.1:1234/v1").as_deref(), Some("127.0.0.1"));
        assert_eq!(host_of("https://API.OpenAI.com").as_deref(), Some("api.openai.com"));
        assert_ne!(host_of("https://api.openai.com.evil.test/v1").as_deref(), Some("api.openai.com"));
    }
}
