//! LM Studio: the native `GET /api/v1/models` (loaded instances with their context length, the
//! model's maximum, capabilities, quantization, size), falling back to `/v1/models` on servers
//! without it; and `params.preload` — loading a model through `POST /api/v1/models/load` before
//! the first request instead of letting LM Studio's JIT load it mid-request.

use std::time::Duration;

use config::registry::ResolvedProvider;
use serde_json::{json, Value};
use wire::models::{LmStudioModel, LmStudioModelList};

use super::error::DiscoveryError;
use super::fetch::{Answer, Discoverer};
use super::{openai, server_root, Capabilities, DiscoveredModel, ServerKind, ServerStatus};

pub(crate) async fn discover(
    discoverer: &Discoverer,
    base_url: &str,
    bearer: Option<&str>,
) -> Result<(ServerStatus, Vec<DiscoveredModel>), DiscoveryError> {
    let url = format!("{}/api/v1/models", server_root(base_url));
    match discoverer.get_json::<LmStudioModelList>(&url, bearer).await {
        Ok(Answer::Ok(list)) => Ok((
            ServerStatus::Ready,
            list.models.iter().filter(|m| m.kind != "embedding").map(from_native).collect(),
        )),
        Ok(Answer::Loading) => Ok(super::fetch::loading()),
        // Before 0.4 there is no native v1 API (LM Studio answers unknown routes with a 200 text).
        Err(DiscoveryError::Status { .. } | DiscoveryError::Body { .. }) => {
            openai::discover(discoverer, base_url, bearer).await
        }
        Err(e) => Err(e),
    }
}

/// One model of `/api/v1/models`.
pub(crate) fn from_native(m: &LmStudioModel) -> DiscoveredModel {
    let mut model = DiscoveredModel::new(&m.key);
    model.max_context_window = m.max_context_length;
    model.context_window = m.loaded_context_length().or(m.max_context_length);
    model.loaded = Some(m.is_loaded());
    model.capabilities = Capabilities {
        tools: Some(m.supports_tools()),
        vision: Some(m.supports_vision()),
        reasoning: m.capabilities.as_ref().map(|c| c.reasoning.as_ref().is_some_and(|r| r.is_supported())),
    };
    if let Some(q) = &m.quantization {
        model.quantization = q.name.clone();
        model.quantization_bits = q.bits_per_weight;
    }
    model.parameter_size = m.params_string.clone();
    model
}

/// Whether clawgate loads LM Studio models itself before use: `params.preload`, default on
/// (`false` hands the lifecycle to LM Studio's JIT loading and TTL).
pub fn preload_enabled(provider: &ResolvedProvider) -> bool {
    provider.config.params.get("preload").and_then(Value::as_bool).unwrap_or(true)
}

/// What [`preload_lmstudio`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum PreloadOutcome {
    /// The model was loaded already, with this context length.
    AlreadyLoaded { context_length: Option<u64> },
    /// clawgate asked LM Studio to load it; it did, in this many seconds.
    Loaded { context_length: Option<u64>, load_seconds: Option<f64> },
}

/// Makes sure `model_id` is loaded on the LM Studio server at `base_url`: asks `/api/v1/models`,
/// and if the model has no loaded instance, loads it (with `context_length` when given).
/// `load_timeout` bounds the load itself (a large model takes tens of seconds).
pub async fn preload_lmstudio(
    discoverer: &Discoverer,
    base_url: &str,
    bearer: Option<&str>,
    model_id: &str,
    context_length: Option<u64>,
    load_timeout: Duration,
) -> Result<PreloadOutcome, DiscoveryError> {
    let report = discoverer.discover(ServerKind::LmStudio, base_url, bearer).await?;
    if let Some(m) = report.model(model_id).filter(|m| m.loaded == Some(true)) {
        return Ok(PreloadOutcome::AlreadyLoaded { context_length: m.context_window });
    }
    let url = format!("{}/api/v1/models/load", server_root(base_url));
    let mut body = json!({ "model": model_id });
    if let Some(ctx) = context_length {
        body["config"] = json!({ "context_length": ctx });
    }
    match discoverer.post_json::<_, Value>(&url, &body, bearer, Some(load_timeout)).await? {
        Answer::Ok(answer) => Ok(PreloadOutcome::Loaded {
            context_length: answer.pointer("/config/context_length").and_then(Value::as_u64),
            load_seconds: answer.get("load_time_seconds").and_then(Value::as_f64),
        }),
        Answer::Loading => Ok(PreloadOutcome::Loaded { context_length, load_seconds: None }),
    }
}
