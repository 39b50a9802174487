//! [`Discoverer`]: asks a server what it serves, with short deadlines so a dead box answers
//! "unreachable" in milliseconds. Local servers are never reached through a proxy.

use std::time::Duration;

use config::registry::ResolvedProvider;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::error::DiscoveryError;
use super::{lmstudio, ollama, openai, server_root, ServerKind, ServerReport, ServerStatus};
use crate::http::{build_client, transport_failure, Phase};

/// Deadlines of discovery calls.
#[derive(Debug, Clone, Copy)]
pub struct DiscoveryOptions {
    /// Connecting (a refused connection fails at once; this bounds a silent host).
    pub connect_timeout: Duration,
    /// Each request, from send to the last byte.
    pub request_timeout: Duration,
}

impl Default for DiscoveryOptions {
    fn default() -> Self {
        DiscoveryOptions {
            connect_timeout: Duration::from_millis(500),
            request_timeout: Duration::from_secs(3),
        }
    }
}

/// The discovery client. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Discoverer {
    client: reqwest::Client,
    options: DiscoveryOptions,
}

impl Default for Discoverer {
    fn default() -> Self {
        Discoverer::new(DiscoveryOptions::default())
    }
}

/// An answer with its status, for the callers that read error statuses themselves.
pub(crate) enum Answer<T> {
    Ok(T),
    /// The server is up and says it is loading a model (llama.cpp's `503 Loading model`).
    Loading,
}

impl Discoverer {
    pub fn new(options: DiscoveryOptions) -> Self {
        Discoverer { client: build_client(options.connect_timeout, true), options }
    }

    pub fn options(&self) -> DiscoveryOptions {
        self.options
    }

    /// What `base_url` serves, read the way a `kind` server tells it. `bearer` is sent as
    /// `Authorization: Bearer` (LM Studio's `LM_API_TOKEN`, vLLM's `--api-key`).
    pub async fn discover(
        &self,
        kind: ServerKind,
        base_url: &str,
        bearer: Option<&str>,
    ) -> Result<ServerReport, DiscoveryError> {
        let (status, models) = match kind {
            ServerKind::LmStudio => lmstudio::discover(self, base_url, bearer).await?,
            ServerKind::Ollama => ollama::discover(self, &server_root(base_url), bearer).await?,
            ServerKind::OpenAiCompatible => openai::discover(self, base_url, bearer).await?,
        };
        let models = models.into_iter().map(|m| m.infer_from_id()).collect();
        Ok(ServerReport { kind, base_url: base_url.to_string(), status, models })
    }

    /// The discovery kind of a provider: its catalog discovery, else by `api` for a custom server
    /// (`ollama` → Ollama, OpenAI dialects → `/models`). `None` for hosted-only dialects.
    pub fn kind_of(provider: &ResolvedProvider) -> Option<ServerKind> {
        use config::api::Api;
        ServerKind::from_discovery(provider.discovery).or(match provider.api {
            Api::Ollama => Some(ServerKind::Ollama),
            Api::OpenaiCompletions | Api::OpenaiResponses => Some(ServerKind::OpenAiCompatible),
            _ => None,
        })
    }

    pub(crate) async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        bearer: Option<&str>,
    ) -> Result<Answer<T>, DiscoveryError> {
        self.send(self.client.get(url), url, bearer, self.options.request_timeout).await
    }

    pub(crate) async fn post_json<B: Serialize, T: DeserializeOwned>(
        &self,
        url: &str,
        body: &B,
        bearer: Option<&str>,
        timeout: Option<Duration>,
    ) -> Result<Answer<T>, DiscoveryError> {
        let request = self.client.post(url).json(body);
        self.send(request, url, bearer, timeout.unwrap_or(self.options.request_timeout)).await
    }

    async fn send<T: DeserializeOwned>(
        &self,
        mut request: reqwest::RequestBuilder,
        url: &str,
        bearer: Option<&str>,
        timeout: Duration,
    ) -> Result<Answer<T>, DiscoveryError> {
        if let Some(token) = bearer {
            request = request.bearer_auth(token);
        }
        let started = tokio::time::Instant::now();
        let response =
            request.timeout(timeout).send().await.map_err(|e| self.error(url, e, Phase::Send, timeout))?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(|e| self.error(url, e, Phase::Body, timeout))?;
        tracing::debug!(url, status, ms = started.elapsed().as_millis() as u64, "discovery call");
        if status == 503 && String::from_utf8_lossy(&body).to_ascii_lowercase().contains("loading") {
            return Ok(Answer::Loading);
        }
        if !(200..300).contains(&status) {
            let text = String::from_utf8_lossy(&body);
            return Err(DiscoveryError::Status {
                url: url.to_string(),
                status,
                body: text.chars().take(300).collect::<String>().trim().to_string(),
            });
        }
        serde_json::from_slice(&body).map(Answer::Ok).map_err(|e| DiscoveryError::Body {
            url: url.to_string(),
            detail: format!(
                "{e} (got: {})",
                String::from_utf8_lossy(&body).chars().take(120).collect::<String>()
            ),
            source: Some(Box::new(e)),
        })
    }

    fn error(&self, url: &str, e: reqwest::Error, phase: Phase, timeout: Duration) -> DiscoveryError {
        if e.is_timeout() && !e.is_connect() {
            return DiscoveryError::Timeout { url: url.to_string(), ms: timeout.as_millis() };
        }
        let failure = transport_failure(&e, phase);
        DiscoveryError::Unreachable { url: url.to_string(), failure, source: Some(Box::new(e)) }
    }
}

/// The report of a server that is up but still loading.
pub(crate) fn loading() -> (ServerStatus, Vec<super::DiscoveredModel>) {
    (ServerStatus::Loading, Vec::new())
}
