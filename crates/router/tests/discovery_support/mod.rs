//! A tiny scripted HTTP/1.1 server for the discovery tests, for what `testkit`'s mocks cannot do:
//! a discovery endpoint that never answers, and an LM Studio model load that takes a while. Every
//! reply closes its connection; delays follow tokio's (paused) clock. It also counts the
//! connections still open, so a test can see that a client's background call was dropped.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;
use tokio::time::Instant;

/// What the server does with one request.
pub enum Reply {
    /// Answer after `delay`.
    After { delay: Duration, status: u16, content_type: &'static str, body: String },
    /// Never answer; the connection stays open until the client closes it.
    Never,
}

impl Reply {
    pub fn json(body: Value) -> Reply {
        Reply::After {
            delay: Duration::ZERO,
            status: 200,
            content_type: "application/json",
            body: body.to_string(),
        }
    }

    pub fn json_after(delay: Duration, body: Value) -> Reply {
        Reply::After { delay, status: 200, content_type: "application/json", body: body.to_string() }
    }

    /// An OpenAI chat-completions stream answering `text`.
    pub fn sse_text(model: &str, text: &str) -> Reply {
        let chunk = |delta: Value, finish: Value| {
            json!({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": model,
                "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})
        };
        let body = format!(
            "data: {}\n\ndata: {}\n\ndata: [DONE]\n\n",
            chunk(json!({"role": "assistant", "content": text}), Value::Null),
            chunk(json!({}), json!("stop"))
        );
        Reply::After { delay: Duration::ZERO, status: 200, content_type: "text/event-stream", body }
    }
}

/// One request the server saw.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub at: Instant,
}

type Handler = dyn Fn(&str, &str) -> Reply + Send + Sync;

struct Shared {
    handler: Box<Handler>,
    seen: Mutex<Vec<Seen>>,
    open: AtomicUsize,
}

/// The running server; stops (and drops its connections) when dropped.
pub struct FakeServer {
    addr: std::net::SocketAddr,
    shared: Arc<Shared>,
    tasks: Arc<Mutex<JoinSet<()>>>,
    accept: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    /// Serves on 127.0.0.1 with `handler(method, path)` deciding every reply.
    pub async fn start(handler: impl Fn(&str, &str) -> Reply + Send + Sync + 'static) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            handler: Box::new(handler),
            seen: Mutex::default(),
            open: AtomicUsize::new(0),
        });
        let tasks = Arc::new(Mutex::new(JoinSet::new()));
        let accept = {
            let shared = Arc::clone(&shared);
            let tasks = Arc::clone(&tasks);
            tokio::spawn(async move {
                while let Ok((socket, _)) = listener.accept().await {
                    shared.open.fetch_add(1, Ordering::SeqCst);
                    let shared = Arc::clone(&shared);
                    tasks.lock().unwrap().spawn(async move {
                        serve(&shared, socket).await;
                        shared.open.fetch_sub(1, Ordering::SeqCst);
                    });
                }
            })
        };
        FakeServer { addr, shared, tasks, accept }
    }

    /// `http://127.0.0.1:<port>` followed by `path` (e.g. `/v1`).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.shared.seen.lock().unwrap().clone()
    }

    /// Requests of `method` to `path`.
    pub fn count(&self, method: &str, path: &str) -> usize {
        self.seen().iter().filter(|s| s.method == method && s.path == path).count()
    }

    /// Connections the server still holds open.
    pub fn open_connections(&self) -> usize {
        self.shared.open.load(Ordering::SeqCst)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.accept.abort();
        self.tasks.lock().unwrap().abort_all();
    }
}

async fn serve(shared: &Shared, mut socket: TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let mut words = head.split_whitespace();
    let method = words.next().unwrap_or_default().to_owned();
    let path = words.next().unwrap_or_default().to_owned();
    let length = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0usize);
    while buf.len() < head_end + length {
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    shared.seen.lock().unwrap().push(Seen { method: method.clone(), path: path.clone(), at: Instant::now() });
    match (shared.handler)(&method, &path) {
        Reply::Never => {
            // Hold the connection until the client goes away.
            while let Ok(n) = socket.read(&mut chunk).await {
                if n == 0 {
                    return;
                }
            }
        }
        Reply::After { delay, status, content_type, body } => {
            tokio::time::sleep(delay).await;
            let head = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = socket.write_all(head.as_bytes()).await;
            let _ = socket.write_all(body.as_bytes()).await;
            let _ = socket.shutdown().await;
        }
    }
}

/// One LM Studio `/api/v1/models` entry; `loaded` = the context it is loaded with.
pub fn lmstudio_model(id: &str, max_context: u64, loaded: Option<u64>) -> Value {
    let instances: Vec<Value> =
        loaded.map(|ctx| json!({"id": id, "config": {"context_length": ctx}})).into_iter().collect();
    json!({"type": "llm", "publisher": "qwen", "key": id, "display_name": id, "architecture": "qwen3",
        "quantization": {"name": "Q4_K_M", "bits_per_weight": 4}, "size_bytes": 5_027_783_488u64,
        "params_string": "8B", "loaded_instances": instances, "max_context_length": max_context,
        "format": "gguf", "capabilities": {"vision": false, "trained_for_tool_use": true}})
}

/// A config from a whole `openclaw.json` document.
pub fn load(doc: Value) -> Arc<config::Config> {
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let location = config::ConfigLocation { path: None, origin: config::ConfigOrigin::Flag };
    let config = config::load_text(
        std::path::Path::new("/tmp/router-test/openclaw.json"),
        &text,
        location,
        config::Env::from_pairs::<&str, &str>([]),
    )
    .unwrap_or_else(|e| panic!("test config is valid: {e:?}"));
    Arc::new(config)
}
