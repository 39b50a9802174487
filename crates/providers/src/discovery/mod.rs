//! Discovery of local model servers: what a server serves, with the facts the router and `doctor`
//! need (context window in force, loaded state, capabilities, quantization, parameter size).
//!
//! # Layout
//! - [`Discoverer`] (`fetch.rs`): the HTTP side — short deadlines, one call per server kind:
//!   LM Studio's native `/api/v1/models` (`lmstudio.rs`), Ollama's `/api/tags` + `/api/show` +
//!   `/api/ps` (`ollama.rs`), and the OpenAI-compatible `GET {baseUrl}/models` with vLLM's
//!   `max_model_len` and llama.cpp's `meta` + `/props` (`openai.rs`).
//! - Caching is the caller's: the router keeps reports per server with a short TTL
//!   (`router::discovery`), `doctor` and `scan` ask once.
//! - [`discovery_decision`] (`optin.rs`): OpenClaw's opt-in rules (openclaw-behaviour §3.3).
//! - [`preload_lmstudio`] (`lmstudio.rs`): LM Studio's `params.preload` (load before first use).
//! - `size.rs`: parameter counts and quantization bits read from names (`qwen3-8b`, `Q4_K_M`).

mod error;
mod fetch;
mod lmstudio;
mod ollama;
mod openai;
mod optin;
mod size;

pub use error::DiscoveryError;
pub use fetch::{Discoverer, DiscoveryOptions};
pub use lmstudio::{preload_enabled, preload_lmstudio, PreloadOutcome};
pub use optin::{discovery_decision, DiscoveryDecision};
pub use size::{parameters_from_name, quantization_bits};

use config::catalog::Discovery;

/// Which discovery protocol a server speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerKind {
    /// LM Studio: native `/api/v1/models` on the server root (falls back to `/v1/models`).
    LmStudio,
    /// Ollama: `/api/tags`, `/api/show`, `/api/ps` on the server root (no `/v1`).
    Ollama,
    /// Any OpenAI-compatible server: `GET {baseUrl}/models` (vLLM, SGLang, llama.cpp, LiteLLM …).
    OpenAiCompatible,
}

impl ServerKind {
    /// The kind for a catalog [`Discovery`] value; `None` for providers without discovery.
    pub fn from_discovery(discovery: Discovery) -> Option<Self> {
        match discovery {
            Discovery::Lmstudio => Some(ServerKind::LmStudio),
            Discovery::Ollama => Some(ServerKind::Ollama),
            Discovery::OpenaiModels => Some(ServerKind::OpenAiCompatible),
            Discovery::None => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ServerKind::LmStudio => "lmstudio",
            ServerKind::Ollama => "ollama",
            ServerKind::OpenAiCompatible => "openai-compatible",
        }
    }
}

/// What a model can do, as far as the server says (`None` = the server does not tell).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capabilities {
    pub tools: Option<bool>,
    pub reasoning: Option<bool>,
    pub vision: Option<bool>,
}

/// One model a server reports.
#[derive(Debug, Clone, PartialEq)]
pub struct DiscoveredModel {
    /// The id to put in requests (`qwen3:8b`, `qwen/qwen3-8b`, `Qwen/Qwen3-8B`).
    pub id: String,
    /// The window requests get now: the loaded context (LM Studio, Ollama `ps`, llama.cpp `n_ctx`),
    /// vLLM's `max_model_len`, else the model's maximum.
    pub context_window: Option<u64>,
    /// The most the model supports (trained / `max_context_length`), when the server says.
    pub max_context_window: Option<u64>,
    /// `Some(false)` when the server says the model is on disk only (the first request waits for a
    /// load); `None` when the server does not tell.
    pub loaded: Option<bool>,
    pub capabilities: Capabilities,
    /// As reported (`Q4_K_M`, `4bit`), else read from the id.
    pub quantization: Option<String>,
    /// Bits per weight, reported or read from the quantization name.
    pub quantization_bits: Option<f64>,
    /// As reported (`8B`, `8.2B`), else read from the id.
    pub parameter_size: Option<String>,
    /// Billions of parameters, from `parameter_size`.
    pub parameters_b: Option<f64>,
}

impl DiscoveredModel {
    /// A model with only an id; the facts are filled in per server.
    pub fn new(id: impl Into<String>) -> Self {
        DiscoveredModel {
            id: id.into(),
            context_window: None,
            max_context_window: None,
            loaded: None,
            capabilities: Capabilities::default(),
            quantization: None,
            quantization_bits: None,
            parameter_size: None,
            parameters_b: None,
        }
    }

    /// Fills parameter size and quantization from the id where the server said nothing.
    pub fn infer_from_id(mut self) -> Self {
        if self.parameters_b.is_none() {
            self.parameters_b = self.parameter_size.as_deref().and_then(size::parse_parameter_size);
        }
        if self.parameters_b.is_none() {
            if let Some(b) = parameters_from_name(&self.id) {
                self.parameters_b = Some(b);
                self.parameter_size.get_or_insert_with(|| size::format_parameters(b));
            }
        }
        if self.quantization.is_none() {
            self.quantization = size::quantization_from_name(&self.id);
        }
        if self.quantization_bits.is_none() {
            self.quantization_bits = self.quantization.as_deref().and_then(quantization_bits);
        }
        self
    }
}

/// Whether the server can answer now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerStatus {
    Ready,
    /// The server is up but still loading its model (llama.cpp answers `503 Loading model`).
    Loading,
}

/// One server's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerReport {
    pub kind: ServerKind,
    /// The base URL that was asked.
    pub base_url: String,
    pub status: ServerStatus,
    pub models: Vec<DiscoveredModel>,
}

impl ServerReport {
    /// The model with this id (exact, then ASCII case-insensitive).
    pub fn model(&self, id: &str) -> Option<&DiscoveredModel> {
        self.models
            .iter()
            .find(|m| m.id == id)
            .or_else(|| self.models.iter().find(|m| m.id.eq_ignore_ascii_case(id)))
    }
}

/// `http://host:port/v1` → `http://host:port`: native APIs (LM Studio's, Ollama's) live on the root.
pub fn server_root(base_url: &str) -> String {
    let trimmed = base_url.trim_end_matches('/');
    trimmed.strip_suffix("/v1").unwrap_or(trimmed).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_root_drops_v1_only() {
        assert_eq!(server_root("http://localhost:1234/v1"), "http://localhost:1234");
        assert_eq!(server_root("http://localhost:1234/v1/"), "http://localhost:1234");
        assert_eq!(server_root("http://127.0.0.1:11434"), "http://127.0.0.1:11434");
        assert_eq!(server_root("http://box/api/v1x"), "http://box/api/v1x");
    }

    #[test]
    fn ids_fill_in_size_and_quantization() {
        let m = DiscoveredModel::new("qwen3-8b-q4_k_m.gguf").infer_from_id();
        assert_eq!(m.parameters_b, Some(8.0));
        assert_eq!(m.quantization.as_deref(), Some("Q4_K_M"));
        assert_eq!(m.quantization_bits, Some(4.0));
    }
}
