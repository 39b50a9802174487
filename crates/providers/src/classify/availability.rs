//! Whether the model can be served here right now: the server is overloaded, the model is still
//! loading (a cold local box), the model failed to load (the box cannot serve it), or the model does
//! not exist on this provider.
//!
//! Real wordings: llama.cpp `{"error":{"code":503,"message":"Loading model","type":"unavailable_error"}}`
//! and "no slot available"; LM Studio "No models loaded. Please load a model in the developer page or use
//! the `lms load` command." (404, code `model_not_found`), "Failed to load model \"x\". Error: Model
//! loading aborted due to insufficient system resources." (404); Hugging Face / TGI "Model x is currently
//! loading"; Ollama "server busy, please try again.  maximum pending requests exceeded" (503), "model
//! \"x\" not found, try pulling it first" (404), "llama runner process has terminated: exit status 2",
//! "model requires more system memory (X GiB) than is available (Y GiB)"; Bedrock
//! `ModelNotReadyException` "Model is not ready for inference"; Groq `model_decommissioned`.

use super::text::{contains_any, contains_word};

const OVERLOADED_PHRASES: &[&str] = &[
    "overloaded",
    "at capacity",
    "high demand",
    "high load",
    "server busy",
    "server is busy",
    "maximum pending requests exceeded",
    "no slot available",
    "modelnotreadyexception",
    "model is not ready",
    "model not ready",
    "服务过载",
    "当前负载过高",
];

/// Whether a lowercase message says the server or model is overloaded. A bare "service unavailable"
/// is not enough (any proxy says that); it needs an overload word next to it.
pub(crate) fn is_overloaded(text: &str) -> bool {
    if contains_any(text, OVERLOADED_PHRASES) {
        return true;
    }
    contains_any(text, &["service unavailable", "service_unavailable"])
        && contains_any(text, &["overload", "capacity", "high demand", "high_demand"])
}

const LOAD_FAILURE_PHRASES: &[&str] = &[
    "failed to load model",
    "failed to load the model",
    "error loading model",
    "unable to load model",
    "could not load model",
    "model loading aborted",
    "model loading was stopped",
    "not enough resources to load",
    "insufficient system resources",
    "requires more system memory",
    "llama runner process has terminated",
    "llama runner process no longer running",
    "runner process has terminated",
    "runner has unexpectedly stopped",
    "out of memory",
    "the model has crashed",
    "model has crashed",
];

/// Whether a lowercase message says the server could not load or keep the model running (not enough
/// memory, a crashed runner). Waiting a few seconds will not fix it; another model may.
pub(crate) fn is_model_load_failure(text: &str) -> bool {
    contains_any(text, LOAD_FAILURE_PHRASES)
}

const LOADING_PHRASES: &[&str] = &[
    "loading model",
    "model is loading",
    "model is currently loading",
    "is currently loading",
    "model is still loading",
    "still loading",
    "model loading in progress",
    "no models loaded",
    "no model loaded",
    "no model is loaded",
    "model is not loaded",
    "model not loaded",
    "model is unloaded",
    "model unloaded",
    "model was unloaded",
    "模型未加载",
    "模型加载中",
];

/// Whether a lowercase message says the model is not loaded yet or is loading. Check
/// [`is_model_load_failure`] first: "error loading model" contains "loading model".
pub(crate) fn is_model_loading(text: &str) -> bool {
    contains_any(text, LOADING_PHRASES)
}

const NOT_FOUND_PHRASES: &[&str] = &[
    "no endpoints found for",
    "router not found",
    "unknown model",
    "model_not_found",
    "model not found",
    "model-not-found",
    "not_found_error",
    "not supported model",
    "model_not_supported",
    "model is not supported",
    "model not supported",
    "is not a valid model id",
    "has been decommissioned",
    "model_decommissioned",
    "model_is_deactivated",
    "model_deactivated",
    "model has been deactivated",
];

/// Whether a lowercase message says the requested model does not exist (or no longer exists) here.
pub(crate) fn is_model_not_found(text: &str) -> bool {
    if contains_any(text, NOT_FOUND_PHRASES) {
        return true;
    }
    let mentions_model = contains_word(text, "model") || text.contains("models/");
    if !mentions_model {
        return contains_word(text, "404") && contains_any(text, &["not found", "not_found"]);
    }
    model_then_not_found(text)
        || text.contains("does not exist")
        || contains_any(text, &[" was retired", " is retired", "has been retired"])
        || (text.contains("invalid model") && !text.contains("invalid model reference"))
        || (text.contains("deprecated") && contains_any(text, &["upgrade to", "transition to"]))
        || (text.contains("stealth model") && text.contains("find it here"))
        || (contains_word(text, "404") && contains_any(text, &["not found", "not_found"]))
}

/// "model" followed by "not found" within a short distance ("model 'llama3' not found, try pulling it
/// first", "models/gemini-x is not found for API version v1beta").
fn model_then_not_found(text: &str) -> bool {
    const MAX_GAP: usize = 120;
    let mut from = 0;
    while let Some(offset) = text[from..].find("model") {
        let start = from + offset;
        let rest = &text[start..];
        if rest.find("not found").is_some_and(|gap| gap <= MAX_GAP) {
            return true;
        }
        from = start + "model".len();
    }
    false
}
