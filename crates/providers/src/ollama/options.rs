//! `options` (runtime parameters) and `keep_alive` of an `/api/chat` request.
//!
//! - `num_ctx` is always sent: Ollama's default window is small (2k–4k tokens, by version) and a
//!   longer prompt is cut silently from the front. It comes from `params.num_ctx` (OpenClaw's
//!   per-model override), else the model's context window, else its `contextTokens`, else
//!   [`DEFAULT_NUM_CTX`] (OpenClaw's fallback).
//! - `num_predict` is the request's max tokens, else `params.num_predict`, else the model's `maxTokens`.
//! - `temperature`, `top_p`, `stop`: the request's, else the same-named params.
//! - Every other param Ollama knows as an option ([`PASSTHROUGH_OPTIONS`]) is copied verbatim.
//! - `keep_alive` comes from `params.keep_alive` and goes at the top level, not in `options`.

use llm::ModelRequest;
use serde_json::{Map, Value};
use wire::ollama::ModelOptions;

use crate::request::RequestError;
use crate::target::Target;

/// `num_ctx` when neither the params nor the model say (OpenClaw's native-Ollama fallback).
pub const DEFAULT_NUM_CTX: u64 = 65_536;

/// Ollama options copied from `params` as they are (those with typed handling are not listed).
pub const PASSTHROUGH_OPTIONS: &[&str] = &[
    "top_k",
    "min_p",
    "typical_p",
    "tfs_z",
    "repeat_penalty",
    "repeat_last_n",
    "presence_penalty",
    "frequency_penalty",
    "penalize_newline",
    "mirostat",
    "mirostat_tau",
    "mirostat_eta",
    "seed",
    "num_keep",
    "num_batch",
    "num_gpu",
    "main_gpu",
    "num_thread",
    "numa",
    "low_vram",
    "use_mmap",
    "use_mlock",
];

/// The `options` object for `target` and `request`.
pub(crate) fn model_options(target: &Target, request: &ModelRequest) -> Result<ModelOptions, RequestError> {
    let params = &target.model.params;
    let num_predict = match request.max_tokens {
        Some(max) => i64::from(max),
        None => match param(params, "num_predict") {
            Some(value) => {
                value.as_f64().map(|n| n as i64).ok_or_else(|| not_a(target, "num_predict", "number"))?
            }
            None => i64::try_from(target.model.max_tokens).unwrap_or(i64::MAX),
        },
    };
    let temperature = match request.temperature {
        Some(t) => Some(f32_to_f64(t)),
        None => number_param(target, "temperature")?,
    };
    let top_p = match request.top_p {
        Some(p) => Some(f32_to_f64(p)),
        None => number_param(target, "top_p")?,
    };
    let stop =
        if request.stop.is_empty() { string_list_param(target, "stop")? } else { Some(request.stop.clone()) };
    let extra: Map<String, Value> = PASSTHROUGH_OPTIONS
        .iter()
        .filter_map(|key| param(params, key).map(|value| ((*key).to_owned(), value.clone())))
        .collect();
    Ok(ModelOptions {
        num_ctx: Some(num_ctx(target)?),
        temperature,
        top_p,
        top_k: None,
        num_predict: Some(num_predict),
        stop,
        seed: None,
        extra,
    })
}

/// `keep_alive` from the params (a duration string such as `"30m"`, or seconds).
pub(crate) fn keep_alive(target: &Target) -> Option<Value> {
    param(&target.model.params, "keep_alive").cloned()
}

fn num_ctx(target: &Target) -> Result<u32, RequestError> {
    let model = &target.model;
    let tokens = match param(&model.params, "num_ctx") {
        Some(value) => value
            .as_f64()
            .filter(|n| *n >= 1.0)
            .map(|n| n as u64)
            .ok_or_else(|| not_a(target, "num_ctx", "positive number"))?,
        None => model.context_window.or(model.context_tokens).unwrap_or(DEFAULT_NUM_CTX),
    };
    Ok(u32::try_from(tokens.max(1)).unwrap_or(u32::MAX))
}

/// A param, unless absent or null.
fn param<'a>(params: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    params.get(key).filter(|v| !v.is_null())
}

fn number_param(target: &Target, key: &str) -> Result<Option<f64>, RequestError> {
    param(&target.model.params, key)
        .map(|value| value.as_f64().ok_or_else(|| not_a(target, key, "number")))
        .transpose()
}

fn string_list_param(target: &Target, key: &str) -> Result<Option<Vec<String>>, RequestError> {
    let Some(value) = param(&target.model.params, key) else {
        return Ok(None);
    };
    let list = match value {
        Value::String(one) => Some(vec![one.clone()]),
        Value::Array(items) => items.iter().map(|v| v.as_str().map(str::to_owned)).collect(),
        _ => None,
    };
    list.map(Some).ok_or_else(|| not_a(target, key, "string or list of strings"))
}

fn not_a(target: &Target, key: &str, kind: &str) -> RequestError {
    RequestError(format!(
        "params.{key} of model `{}` must be a {kind} for Ollama; fix it in openclaw.json \
         (agents.defaults.models[\"{}\"].params or the provider's model entry)",
        target.key(),
        target.key()
    ))
}

/// An `f32` as the `f64` it was written as (`0.7`, not `0.699999988079071`).
fn f32_to_f64(value: f32) -> f64 {
    value.to_string().parse().unwrap_or(f64::from(value))
}
