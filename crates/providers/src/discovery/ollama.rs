//! Ollama: `GET /api/tags` lists pulled models, `POST /api/show` describes each (trained context
//! length, `num_ctx` from the Modelfile, capabilities `tools` / `thinking` / `vision`), and
//! `GET /api/ps` says which are loaded and with what context. Ollama loads on demand, so a model
//! absent from `ps` is cold: the first request waits for the load.

use serde_json::{json, Value};
use wire::ollama::{ModelSummary, ShowResponse, TagsResponse};

use super::error::DiscoveryError;
use super::fetch::{loading, Answer, Discoverer};
use super::{Capabilities, DiscoveredModel, ServerStatus};

pub(crate) async fn discover(
    discoverer: &Discoverer,
    root: &str,
    bearer: Option<&str>,
) -> Result<(ServerStatus, Vec<DiscoveredModel>), DiscoveryError> {
    let tags: TagsResponse = match discoverer.get_json(&format!("{root}/api/tags"), bearer).await? {
        Answer::Ok(tags) => tags,
        Answer::Loading => return Ok(loading()),
    };
    let show_url = format!("{root}/api/show");
    let shows = futures::future::join_all(tags.models.iter().map(|m| {
        let url = show_url.clone();
        async move {
            match discoverer.post_json::<_, ShowResponse>(&url, &json!({"model": m.name}), bearer, None).await
            {
                Ok(Answer::Ok(show)) => Some(show),
                _ => None,
            }
        }
    }))
    .await;
    // `ps` is optional (older servers): without it the loaded state is unknown.
    let running: Option<Vec<(String, Option<u64>)>> =
        match discoverer.get_json::<Value>(&format!("{root}/api/ps"), bearer).await {
            Ok(Answer::Ok(ps)) => Some(
                ps.get("models")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|m| {
                        let name = m.get("name").or_else(|| m.get("model"))?.as_str()?.to_string();
                        Some((name, m.get("context_length").and_then(Value::as_u64)))
                    })
                    .collect(),
            ),
            _ => None,
        };
    let models = tags
        .models
        .iter()
        .zip(shows)
        .map(|(summary, show)| from_tag(summary, show.as_ref(), running.as_deref()))
        .collect();
    Ok((ServerStatus::Ready, models))
}

/// One pulled model, with its `/api/show` answer and the `/api/ps` list when available.
pub(crate) fn from_tag(
    summary: &ModelSummary,
    show: Option<&ShowResponse>,
    running: Option<&[(String, Option<u64>)]>,
) -> DiscoveredModel {
    let mut model = DiscoveredModel::new(&summary.name);
    let details = show.and_then(|s| s.details.as_ref()).or(summary.details.as_ref());
    if let Some(d) = details {
        model.parameter_size = d.parameter_size.clone().filter(|s| !s.is_empty());
        model.quantization = d.quantization_level.clone().filter(|s| !s.is_empty());
    }
    if let Some(show) = show {
        model.max_context_window = show.context_length();
        model.capabilities = Capabilities {
            tools: Some(show.has_capability("tools")),
            reasoning: Some(show.has_capability("thinking")),
            vision: Some(show.has_capability("vision")),
        };
    }
    let num_ctx = show.and_then(|s| s.parameters.as_deref()).and_then(num_ctx);
    let loaded = running.map(|r| r.iter().find(|(name, _)| name == &summary.name));
    model.loaded = loaded.map(|l| l.is_some());
    let loaded_ctx = loaded.flatten().and_then(|(_, ctx)| *ctx);
    model.context_window = loaded_ctx.or(num_ctx).or(model.max_context_window);
    model
}

/// `num_ctx 8192` from the Modelfile parameters text.
fn num_ctx(parameters: &str) -> Option<u64> {
    parameters.lines().find_map(|line| {
        let mut parts = line.split_whitespace();
        (parts.next() == Some("num_ctx")).then(|| parts.next()?.parse().ok()).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(extra: Value) -> ShowResponse {
        let mut base = json!({
            "details": {"parameter_size": "8.2B", "quantization_level": "Q4_K_M"},
            "model_info": {"general.architecture": "qwen3", "qwen3.context_length": 40960},
            "capabilities": ["completion", "tools", "thinking"]
        });
        for (k, v) in extra.as_object().unwrap() {
            base[k] = v.clone();
        }
        serde_json::from_value(base).unwrap()
    }

    fn summary(name: &str) -> ModelSummary {
        serde_json::from_value(json!({"name": name, "model": name})).unwrap()
    }

    #[test]
    fn cold_model_uses_num_ctx_then_the_trained_length() {
        let s = show(json!({"parameters": "temperature 0.6\nnum_ctx 16384"}));
        let m = from_tag(&summary("qwen3:8b"), Some(&s), Some(&[]));
        assert_eq!(m.loaded, Some(false));
        assert_eq!(m.context_window, Some(16384));
        assert_eq!(m.max_context_window, Some(40960));
        assert_eq!(m.capabilities.reasoning, Some(true));
        assert_eq!(m.capabilities.vision, Some(false));
        assert_eq!(m.quantization.as_deref(), Some("Q4_K_M"));
        let m = from_tag(&summary("qwen3:8b"), Some(&show(json!({}))), None);
        assert_eq!((m.loaded, m.context_window), (None, Some(40960)));
    }

    #[test]
    fn loaded_model_reports_the_ps_context() {
        let running = vec![("qwen3:8b".to_string(), Some(8192))];
        let m = from_tag(&summary("qwen3:8b"), Some(&show(json!({}))), Some(&running));
        assert_eq!((m.loaded, m.context_window), (Some(true), Some(8192)));
    }
}
