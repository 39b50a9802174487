//! The real stack for end-to-end tests: configs whose providers point at testkit mock upstreams, the
//! failover router over the real transports, [`RouterBackend`] and the gateway on `127.0.0.1:0`.
//! `sse.rs` reads what the client got per dialect; `tap.rs` watches the gateway's upstream connections.

pub mod sse;
pub mod tap;

use std::path::Path;
use std::sync::Arc;

use config::{Config, ConfigLocation, ConfigOrigin, Env};
use gateway::RouterBackend;
use router::{Router, StateStore};
use serde_json::{json, Map, Value};
use testkit::{Flavor, MockUpstream};

use super::{settings, start, Running};

/// One configured provider: an id, its upstream `api`, one model, and where it is served.
#[derive(Debug, Clone)]
pub struct Provider {
    pub id: String,
    pub api: &'static str,
    pub model: String,
    pub base_url: String,
}

impl Provider {
    /// A provider served by a running mock, speaking `api` to it.
    pub fn on(id: &str, api: &'static str, model: &str, mock: &MockUpstream) -> Self {
        Provider { id: id.into(), api, model: model.into(), base_url: mock.base_url() }
    }

    /// A provider at an address nothing listens on (connection refused).
    pub fn unreachable(id: &str, api: &'static str, model: &str, base_url: String) -> Self {
        Provider { id: id.into(), api, model: model.into(), base_url }
    }

    /// `provider/model`, the ref clients send and the gateway reports.
    pub fn key(&self) -> String {
        format!("{}/{}", self.id, self.model)
    }
}

/// The config document: providers, the chain and aliases.
#[derive(Debug, Clone, Default)]
pub struct ConfigDoc {
    pub providers: Vec<Provider>,
    pub primary: String,
    pub fallbacks: Vec<String>,
    /// `(provider/model, alias)`.
    pub aliases: Vec<(String, String)>,
}

impl ConfigDoc {
    pub fn new(providers: Vec<Provider>, primary: impl Into<String>) -> Self {
        ConfigDoc { providers, primary: primary.into(), ..ConfigDoc::default() }
    }

    pub fn fallbacks(mut self, fallbacks: &[&str]) -> Self {
        self.fallbacks = fallbacks.iter().map(|f| f.to_string()).collect();
        self
    }

    pub fn alias(mut self, key: &str, alias: &str) -> Self {
        self.aliases.push((key.into(), alias.into()));
        self
    }

    /// The openclaw.json text.
    pub fn text(&self) -> String {
        let mut providers = Map::new();
        for p in &self.providers {
            let model = json!({
                "id": p.model, "name": p.model, "reasoning": true,
                "contextWindow": 32768, "maxTokens": 1024,
                "cost": {"input": 3, "output": 15, "cacheRead": 0, "cacheWrite": 0},
            });
            providers.insert(p.id.clone(), json!({"baseUrl": p.base_url, "api": p.api, "models": [model]}));
        }
        let mut models = Map::new();
        for (key, alias) in &self.aliases {
            models.insert(key.clone(), json!({"alias": alias}));
        }
        let doc = json!({
            "models": {"mode": "merge", "providers": providers},
            "agents": {"defaults": {
                "model": {"primary": self.primary, "fallbacks": self.fallbacks},
                "models": models,
            }},
        });
        serde_json::to_string_pretty(&doc).unwrap()
    }

    /// Loaded and validated, as `clawgate gateway` would.
    pub fn load(&self) -> Arc<Config> {
        let location = ConfigLocation { path: None, origin: ConfigOrigin::Flag };
        let config = config::load_text(
            Path::new("/tmp/gateway-e2e/openclaw.json"),
            &self.text(),
            location,
            Env::from_pairs::<&str, &str>([]),
        )
        .unwrap_or_else(|e| panic!("the test config is valid:\n{}", e.render()));
        Arc::new(config)
    }
}

/// A running gateway over the real router.
pub struct Stack {
    pub gw: Running,
    pub backend: Arc<RouterBackend>,
}

impl Stack {
    pub async fn start(config: Arc<Config>) -> Stack {
        let router = Router::new(config, providers::Client::default(), StateStore::in_memory());
        let backend = Arc::new(RouterBackend::new(router, None));
        let gw = start(settings(), backend.clone()).await;
        Stack { gw, backend }
    }

    pub fn url(&self, path: &str) -> String {
        self.gw.url(path)
    }
}

/// The upstream `api` values and the mock flavour that speaks each (one per upstream dialect).
pub const UPSTREAMS: [(&str, Flavor); 3] = [
    ("openai-completions", Flavor::LmStudio),
    ("openai-responses", Flavor::OpenAi),
    ("anthropic-messages", Flavor::Anthropic),
];

/// The inference path each upstream `api` is called on.
pub fn upstream_path(api: &str) -> &'static str {
    match api {
        "openai-completions" => "/v1/chat/completions",
        "openai-responses" => "/v1/responses",
        "anthropic-messages" => "/v1/messages",
        "ollama" => "/api/chat",
        other => panic!("no path for api {other}"),
    }
}

/// The ingress endpoints, by the dialect name the gateway uses.
pub const INGRESS: [(&str, &str); 3] =
    [("chat", "/v1/chat/completions"), ("responses", "/v1/responses"), ("messages", "/v1/messages")];

/// The attempts header with each attempt's milliseconds replaced by `<ms>` (timing is not stable).
pub fn attempts_without_timing(header: &str) -> String {
    header
        .split(',')
        .map(|a| match a.rsplit_once(':') {
            Some((head, ms)) if ms.chars().all(|c| c.is_ascii_digit()) => format!("{head}:<ms>"),
            _ => a.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A snapshot-ready transcript: status, the shown headers (attempt timings normalised) and the body.
pub async fn e2e_transcript(response: reqwest::Response) -> String {
    let mut head = format!("status: {}\n", response.status().as_u16());
    for name in ["content-type", "x-clawgate-model", "x-clawgate-attempts", "retry-after"] {
        if let Some(value) = response.headers().get(name) {
            let value = value.to_str().unwrap();
            let value =
                if name == "x-clawgate-attempts" { attempts_without_timing(value) } else { value.to_owned() };
            head.push_str(&format!("{name}: {value}\n"));
        }
    }
    let body = response.text().await.unwrap();
    format!("{head}\n{body}")
}

/// The address of a port that was free a moment ago and is now closed (connection refused).
pub async fn closed_port_url(path: &str) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    format!("http://{addr}{path}")
}

/// Request body of `dialect` asking `model` for the weather, with a prior tool round trip and tools.
pub fn weather_request(dialect: &str, model: &str, stream: bool) -> Value {
    match dialect {
        "chat" => json!({
            "model": model,
            "stream": stream,
            "messages": [
                {"role": "system", "content": "You are terse."},
                {"role": "user", "content": "Weather where I am?"},
                {"role": "assistant", "content": null, "tool_calls": [{"id": "call_loc", "type": "function",
                    "function": {"name": "get_location", "arguments": "{}"}}]},
                {"role": "tool", "tool_call_id": "call_loc", "content": "Paris"}
            ],
            "tools": [
                {"type": "function", "function": {"name": "get_weather", "description": "Weather by city",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}},
                {"type": "function", "function": {"name": "get_location", "description": "Where the user is",
                    "parameters": {"type": "object", "properties": {}}}}
            ],
            "tool_choice": "auto",
            "max_tokens": 300
        }),
        "responses" => json!({
            "model": model,
            "stream": stream,
            "instructions": "You are terse.",
            "input": [
                {"type": "message", "role": "user", "content": "Weather where I am?"},
                {"type": "function_call", "call_id": "call_loc", "name": "get_location", "arguments": "{}"},
                {"type": "function_call_output", "call_id": "call_loc", "output": "Paris"}
            ],
            "tools": [
                {"type": "function", "name": "get_weather", "description": "Weather by city",
                    "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}},
                {"type": "function", "name": "get_location", "description": "Where the user is",
                    "parameters": {"type": "object", "properties": {}}}
            ],
            "tool_choice": "auto",
            "max_output_tokens": 300
        }),
        "messages" => json!({
            "model": model,
            "stream": stream,
            "system": "You are terse.",
            "messages": [
                {"role": "user", "content": "Weather where I am?"},
                {"role": "assistant", "content": [
                    {"type": "tool_use", "id": "call_loc", "name": "get_location", "input": {}}
                ]},
                {"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": "call_loc", "content": "Paris"}
                ]}
            ],
            "tools": [
                {"name": "get_weather", "description": "Weather by city",
                    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}},
                {"name": "get_location", "description": "Where the user is",
                    "input_schema": {"type": "object", "properties": {}}}
            ],
            "tool_choice": {"type": "auto"},
            "max_tokens": 300
        }),
        other => panic!("unknown dialect {other}"),
    }
}

/// A short text request of `dialect`.
pub fn hello_request(dialect: &str, model: &str, stream: bool) -> Value {
    match dialect {
        "chat" => json!({"model": model, "stream": stream, "messages": [{"role": "user", "content": "hi"}]}),
        "responses" => json!({"model": model, "stream": stream, "input": "hi"}),
        "messages" => json!({"model": model, "stream": stream, "max_tokens": 100,
            "messages": [{"role": "user", "content": "hi"}]}),
        other => panic!("unknown dialect {other}"),
    }
}
