//! OpenAI-compatible servers: `GET {baseUrl}/models`. vLLM adds `max_model_len` (the window it runs
//! the model with); llama.cpp adds `meta.n_ctx_train` and serves `/props` with the `n_ctx` in force
//! (and answers `503 Loading model` while it loads).

use serde_json::Value;
use wire::models::{ModelCard, ModelList};

use super::error::DiscoveryError;
use super::fetch::{loading, Answer, Discoverer};
use super::{server_root, DiscoveredModel, ServerStatus};

pub(crate) async fn discover(
    discoverer: &Discoverer,
    base_url: &str,
    bearer: Option<&str>,
) -> Result<(ServerStatus, Vec<DiscoveredModel>), DiscoveryError> {
    let url = format!("{}/models", base_url.trim_end_matches('/'));
    let list: ModelList = match discoverer.get_json(&url, bearer).await? {
        Answer::Ok(list) => list,
        Answer::Loading => return Ok(loading()),
    };
    let is_llama_cpp = list.data.iter().any(|card| card.extra.contains_key("meta"));
    // llama.cpp's `/props` tells the context the server was started with (`-c`); optional.
    let n_ctx = if is_llama_cpp {
        let props_url = format!("{}/props", server_root(base_url));
        match discoverer.get_json::<Value>(&props_url, bearer).await {
            Ok(Answer::Ok(props)) => {
                props.pointer("/default_generation_settings/n_ctx").and_then(Value::as_u64)
            }
            Ok(Answer::Loading) => return Ok(loading()),
            Err(_) => None,
        }
    } else {
        None
    };
    Ok((ServerStatus::Ready, list.data.iter().map(|card| from_card(card, n_ctx)).collect()))
}

/// One `/models` card. `n_ctx` is llama.cpp's context in force, from `/props`.
pub(crate) fn from_card(card: &ModelCard, n_ctx: Option<u64>) -> DiscoveredModel {
    let mut model = DiscoveredModel::new(&card.id);
    let meta = card.extra.get("meta");
    if let Some(len) = card.max_model_len {
        // vLLM: the server serves what it lists, with this window.
        model.context_window = Some(len);
        model.loaded = Some(true);
    }
    if let Some(meta) = meta {
        // llama.cpp serves exactly the model it was started with.
        model.max_context_window = meta.get("n_ctx_train").and_then(Value::as_u64);
        model.context_window = n_ctx.or(model.max_context_window);
        model.loaded = Some(true);
        if let Some(params) = meta.get("n_params").and_then(Value::as_u64) {
            let b = params as f64 / 1e9;
            model.parameters_b = Some(b);
            model.parameter_size = Some(super::size::format_parameters(b));
        }
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn vllm_card_has_the_window_in_force() {
        let card: ModelCard = serde_json::from_value(json!({
            "id": "Qwen/Qwen3-8B", "object": "model", "owned_by": "vllm", "max_model_len": 32768
        }))
        .unwrap();
        let m = from_card(&card, None).infer_from_id();
        assert_eq!(m.context_window, Some(32768));
        assert_eq!(m.loaded, Some(true));
        assert_eq!(m.parameters_b, Some(8.0));
    }

    #[test]
    fn llama_cpp_card_prefers_props_n_ctx() {
        let card: ModelCard = serde_json::from_value(json!({
            "id": "m.gguf", "object": "model", "meta": {"n_ctx_train": 40960, "n_params": 8_190_735_360u64}
        }))
        .unwrap();
        let m = from_card(&card, Some(4096));
        assert_eq!((m.context_window, m.max_context_window), (Some(4096), Some(40960)));
        assert_eq!(m.parameter_size.as_deref(), Some("8.2B"));
    }

    #[test]
    fn plain_card_says_nothing_it_does_not_know() {
        let card: ModelCard = serde_json::from_value(json!({"id": "some-model", "object": "model"})).unwrap();
        let m = from_card(&card, None);
        assert_eq!((m.context_window, m.loaded), (None, None));
    }
}
