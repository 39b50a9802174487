//! Helpers shared by the router's integration tests: configs pointing at mock upstreams, routers on
//! tokio's (paused) clock, requests, and draining a routed stream.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use config::{Config, ConfigLocation, ConfigOrigin, Env};
use futures::StreamExt;
use llm::{Message, ModelRequest, StreamEvent};
use router::{RouteError, RouteRequest, Router, RouterOptions, StateStore, TokioClock};
use serde_json::{json, Value};

/// A wall-clock origin for cooldown bookkeeping (any fixed instant works).
pub const ORIGIN_MS: u64 = 1_750_000_000_000;

/// One provider of a test config.
pub struct Provider {
    pub id: &'static str,
    pub base_url: String,
    pub api: &'static str,
    pub models: Vec<Value>,
    pub timeout_seconds: Option<u64>,
    pub api_key: Option<&'static str>,
}

impl Provider {
    pub fn new(id: &'static str, base_url: impl Into<String>, model: &str) -> Self {
        Provider {
            id,
            base_url: base_url.into(),
            api: "openai-completions",
            models: vec![json!({"id": model, "name": model})],
            timeout_seconds: None,
            api_key: None,
        }
    }

    /// A provider for a running mock: its base URL and dialect, with `model`.
    pub fn on(id: &'static str, up: &testkit::MockUpstream, model: &str) -> Self {
        Provider::new(id, up.base_url(), model).api(up.flavor().api())
    }

    pub fn api(mut self, api: &'static str) -> Self {
        self.api = api;
        self
    }

    pub fn timeout(mut self, secs: u64) -> Self {
        self.timeout_seconds = Some(secs);
        self
    }

    pub fn key(mut self, key: &'static str) -> Self {
        self.api_key = Some(key);
        self
    }

    /// Adds a model with a context window.
    pub fn model_with_window(mut self, id: &str, window: u64) -> Self {
        self.models.push(json!({"id": id, "name": id, "contextWindow": window}));
        self
    }

    /// Sets the context window of the first model.
    pub fn window(mut self, window: u64) -> Self {
        self.models[0]["contextWindow"] = json!(window);
        self
    }
}

/// A config with these providers, `primary` and `fallbacks`.
pub fn config(providers: &[Provider], primary: &str, fallbacks: &[&str]) -> Arc<Config> {
    config_with(providers, primary, fallbacks, json!({}))
}

/// The same, with extra top-level sections merged in (e.g. `auth.cooldowns`).
pub fn config_with(providers: &[Provider], primary: &str, fallbacks: &[&str], extra: Value) -> Arc<Config> {
    let mut map = serde_json::Map::new();
    for p in providers {
        let mut entry = json!({"baseUrl": p.base_url, "api": p.api, "models": p.models});
        if let Some(t) = p.timeout_seconds {
            entry["timeoutSeconds"] = json!(t);
        }
        if let Some(k) = p.api_key {
            entry["apiKey"] = json!(k);
        }
        map.insert(p.id.to_owned(), entry);
    }
    let mut doc = json!({
        "agents": {"defaults": {"model": {"primary": primary, "fallbacks": fallbacks}}},
        "models": {"mode": "merge", "providers": map},
    });
    if let (Some(doc), Some(extra)) = (doc.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            doc.insert(k.clone(), v.clone());
        }
    }
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let location = ConfigLocation { path: None, origin: ConfigOrigin::Flag };
    let config = config::load_text(
        Path::new("/tmp/router-test/openclaw.json"),
        &text,
        location,
        Env::from_pairs::<&str, &str>([]),
    )
    .unwrap_or_else(|e| panic!("test config is valid: {e:?}"));
    Arc::new(config)
}

/// A router with an in-memory state store, on tokio's clock.
pub fn router(config: Arc<Config>) -> Router {
    router_with(config, StateStore::in_memory(), RouterOptions::default())
}

pub fn router_with(config: Arc<Config>, store: StateStore, options: RouterOptions) -> Router {
    Router::with_parts(
        config,
        providers::Client::default(),
        store,
        Arc::new(TokioClock::new(ORIGIN_MS)),
        options,
    )
}

/// A one-message chat request.
pub fn ask(text: &str) -> ModelRequest {
    ModelRequest {
        messages: vec![Message::user(text)],
        max_tokens: Some(256),
        stream: true,
        ..Default::default()
    }
}

/// The configured primary with its fallbacks.
pub fn default_route(text: &str) -> RouteRequest {
    RouteRequest { model: None, request: ask(text), strict: false, fallbacks: None }
}

/// What a drained stream gave.
#[derive(Debug)]
pub struct Drained {
    pub text: String,
    pub thinking: String,
    pub events: Vec<StreamEvent>,
    pub error: Option<RouteError>,
    /// Items after the error (must be none).
    pub after_error: usize,
}

impl Drained {
    pub fn stopped(&self) -> bool {
        self.events.iter().any(|e| matches!(e, StreamEvent::Stop { .. }))
    }
}

/// Reads a routed stream to its end (bounded by `limit` of tokio time).
pub async fn drain(mut stream: router::RoutedStream, limit: Duration) -> Drained {
    let mut d = Drained {
        text: String::new(),
        thinking: String::new(),
        events: Vec::new(),
        error: None,
        after_error: 0,
    };
    let read = async {
        while let Some(item) = stream.next().await {
            match item {
                Ok(event) => {
                    if d.error.is_some() {
                        d.after_error += 1;
                    }
                    match &event {
                        StreamEvent::TextDelta { text } => d.text.push_str(text),
                        StreamEvent::ThinkingDelta { text } => d.thinking.push_str(text),
                        _ => {}
                    }
                    d.events.push(event);
                }
                Err(e) => {
                    if d.error.is_some() {
                        d.after_error += 1;
                    }
                    d.error = Some(e);
                }
            }
        }
    };
    tokio::time::timeout(limit, read).await.expect("the routed stream ended within its limit");
    d
}

/// Inference requests an upstream received (discovery excluded).
pub fn inference(up: &testkit::MockUpstream) -> Vec<testkit::RecordedRequest> {
    up.requests().into_iter().filter(|r| r.method == "POST").collect()
}

/// Starts a mock of `flavor` serving `model` (a 32k window).
pub async fn start(flavor: testkit::Flavor, model: &str) -> testkit::MockUpstream {
    testkit::MockUpstream::builder(flavor)
        .models([testkit::MockModel::new(model).context_length(32_768)])
        .start()
        .await
}
