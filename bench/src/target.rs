//! One endpoint under test (the mock directly, or the gateway in front of it) and the requests the
//! benchmark sends it.

use serde_json::{json, Value};

/// Where requests go and how they are authenticated.
#[derive(Clone)]
pub struct Endpoint {
    pub name: &'static str,
    /// `http://127.0.0.1:PORT/v1/chat/completions`.
    pub url: String,
    /// The `model` to send (the mock's id, or the gateway's `provider/model` ref).
    pub model: String,
    pub token: Option<String>,
}

impl Endpoint {
    pub fn body(&self, stream: bool) -> Value {
        json!({
            "model": self.model,
            "messages": [{"role": "user", "content": "Say hello."}],
            "max_tokens": 64,
            "stream": stream,
        })
    }

    pub fn post(&self, client: &reqwest::Client, stream: bool) -> reqwest::RequestBuilder {
        let mut request = client.post(&self.url).json(&self.body(stream));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        request
    }
}

/// A client tuned for the benchmark: pooled keep-alive connections, no proxy, TCP_NODELAY.
pub fn client(pool: usize) -> reqwest::Client {
    reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(pool)
        .build()
        .expect("HTTP client")
}
