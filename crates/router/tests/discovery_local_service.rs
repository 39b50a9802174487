//! `localService` on the request path, with real child processes: a tiny Python `http.server`
//! plays the model server (`/v1/models` and a streamed `/v1/chat/completions`) and writes its pid
//! to a file each time it starts. Started on demand before the first request and shared; not stopped
//! while an answer is read; stopped when idle and when the router is dropped; a start that fails
//! moves to the next candidate with the reason, and cools the provider down so it is not re-spawned
//! on every request.

mod common;
mod discovery_support;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{default_route, drain, inference, router, start};
use llm::FailoverReason;
use router::{AttemptOutcome, SkipReason};
use serde_json::{json, Value};
use testkit::{Flavor, Script};

const MODEL: &str = "local-model";

const SERVER: &str = r#"
import http.server, json, os, sys
port, pids = int(sys.argv[1]), sys.argv[2]
with open(pids, "a") as f:
    f.write(f"{os.getpid()}\n")

def chunk(delta, finish):
    body = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": "local-model",
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
    return "data: " + json.dumps(body) + "\n\n"

class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, content_type, body):
        self.send_response(200)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path != "/v1/models":
            return self.send_error(404)
        models = {"object": "list", "data": [{"id": "local-model", "object": "model", "max_model_len": 8192}]}
        self.reply("application/json", json.dumps(models).encode())

    def do_POST(self):
        self.rfile.read(int(self.headers.get("content-length", 0)))
        text = chunk({"role": "assistant", "content": "from the service"}, None) + chunk({}, "stop") + "data: [DONE]\n\n"
        self.reply("text/event-stream", text.encode())

http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
"#;

/// The real interpreter (not a version-manager shim), so the child is the server itself.
fn python() -> String {
    let out = Command::new("python3").args(["-c", "import sys; print(sys.executable)"]).output().unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A scratch directory with the server script; removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir =
            std::env::temp_dir().join(format!("clawgate-router-svc-{}-{}", std::process::id(), free_port()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("server.py"), SERVER).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }

    /// Pids written by the started servers, in start order.
    fn pids(&self) -> Vec<u32> {
        std::fs::read_to_string(self.0.join("pids"))
            .unwrap_or_default()
            .lines()
            .map(|l| l.trim().parse().unwrap())
            .collect()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn alive(pid: u32) -> bool {
    // A reaped child no longer exists; `kill -0` checks without signalling.
    Command::new("kill").args(["-0", &pid.to_string()]).stderr(Stdio::null()).status().unwrap().success()
}

async fn answers(url: &str) -> bool {
    tokio::net::TcpStream::connect(url).await.is_ok()
}

/// `local/local-model` behind `localService`, then `fallback` when given.
fn service_config(
    port: u16,
    service: Value,
    fallback: Option<&testkit::MockUpstream>,
) -> std::sync::Arc<config::Config> {
    let mut providers = json!({"local": {
        "baseUrl": format!("http://127.0.0.1:{port}/v1"), "api": "openai-completions",
        "localService": service, "models": [{"id": MODEL, "name": MODEL}]
    }});
    let mut fallbacks = vec![];
    if let Some(up) = fallback {
        providers["vllm"] = json!({"baseUrl": up.base_url(), "api": "openai-completions",
            "models": [{"id": "Qwen/Qwen3-8B", "name": "Qwen/Qwen3-8B", "contextWindow": 32768}]});
        fallbacks.push("vllm/Qwen/Qwen3-8B");
    }
    discovery_support::load(json!({
        "agents": {"defaults": {"model": {"primary": "local/local-model", "fallbacks": fallbacks}}},
        "models": {"providers": providers}
    }))
}

fn python_service(scratch: &Scratch, port: u16, idle_stop_ms: u64) -> Value {
    json!({"command": python(), "args": [scratch.file("server.py"), port.to_string(), scratch.file("pids")],
        "readyTimeoutMs": 15_000, "idleStopMs": idle_stop_ms})
}

async fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + limit;
    while std::time::Instant::now() < end {
        if done() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    done()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn started_on_demand_shared_held_while_answering_and_stopped_when_idle() {
    let scratch = Scratch::new();
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let router = router(service_config(port, python_service(&scratch, port, 400), None));
    assert!(!answers(&addr).await, "nothing listens before the first request");

    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "local/local-model");
    assert_eq!(drain(stream, Duration::from_secs(10)).await.text, "from the service");
    let second = router.stream(default_route("again")).await.unwrap();
    assert_eq!(scratch.pids().len(), 1, "the second request uses the server the first one started");

    // An answer being read holds the server past its idle time.
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert!(answers(&addr).await, "not stopped while a request holds it");
    assert_eq!(drain(second, Duration::from_secs(10)).await.text, "from the service");

    let pid = scratch.pids()[0];
    assert!(wait_until(Duration::from_secs(5), || !alive(pid)).await, "stopped after 400 ms idle");

    // The next request starts it again.
    let stream = router.stream(default_route("later")).await.unwrap();
    assert_eq!(drain(stream, Duration::from_secs(10)).await.text, "from the service");
    assert_eq!(scratch.pids().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_router_stops_the_server_it_started() {
    let scratch = Scratch::new();
    let port = free_port();
    let router = router(service_config(port, python_service(&scratch, port, 0), None));
    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(drain(stream, Duration::from_secs(10)).await.text, "from the service");
    let pid = scratch.pids()[0];
    assert!(alive(pid), "no idle stop configured: it keeps running");

    drop(router);
    assert!(wait_until(Duration::from_secs(2), || !alive(pid)).await, "the router's child was stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_exits_fails_over_with_the_reason_and_is_not_respawned_per_request() {
    let scratch = Scratch::new();
    let port = free_port();
    let fallback = start(Flavor::Vllm, "Qwen/Qwen3-8B").await;
    fallback.set_default(Script::text("fallback"));
    let service = json!({"command": "/bin/sh",
        "args": ["-c", format!("echo $$ >> {}; exit 3", scratch.file("pids"))], "readyTimeoutMs": 15_000});
    let router = router(service_config(port, service, Some(&fallback)));

    let stream = router.stream(default_route("hi")).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
    let attempt = &stream.attempts()[0];
    assert_eq!(attempt.outcome, AttemptOutcome::Failed(FailoverReason::ServerError));
    let detail = attempt.detail.as_deref().unwrap();
    assert!(
        detail.contains("for provider `local` exited") && detail.contains("run it by hand"),
        "the reason and the next step: {detail}"
    );
    assert_eq!(drain(stream, Duration::from_secs(10)).await.text, "fallback");

    let stream = router.stream(default_route("again")).await.unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
    assert!(matches!(
        stream.attempts()[0].outcome,
        AttemptOutcome::Skipped(SkipReason::CoolingDown { provider_wide: true, .. })
    ));
    assert_eq!(scratch.pids().len(), 1, "started once, then the provider cools down");
    assert_eq!(inference(&fallback).len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_server_that_never_gets_ready_is_stopped_at_ready_timeout_and_failed_over() {
    let scratch = Scratch::new();
    let port = free_port();
    let fallback = start(Flavor::Vllm, "Qwen/Qwen3-8B").await;
    fallback.set_default(Script::text("fallback"));
    let pids = scratch.file("pids");
    let service = json!({"command": "/bin/sh",
        "args": ["-c", format!("echo $$ >> {pids}; exec /bin/sleep 600")], "readyTimeoutMs": 5_000});
    let router = router(service_config(port, service, Some(&fallback)));

    let t0 = tokio::time::Instant::now();
    let request = tokio::spawn(async move { router.stream(default_route("hi")).await });
    // Keep the runtime busy (so virtual time stands still) until the child has written its pid.
    let pid = wait_for_pid(Path::new(&pids)).await;
    let stream = request.await.unwrap().unwrap();
    assert_eq!(stream.answered_by(), "vllm/Qwen/Qwen3-8B");
    let waited = t0.elapsed();
    assert!(waited >= Duration::from_secs(5) && waited < Duration::from_secs(6), "{waited:?}");
    let attempt = &stream.attempts()[0];
    assert_eq!(attempt.outcome, AttemptOutcome::Failed(FailoverReason::Timeout));
    assert!(attempt.detail.as_deref().unwrap().contains("readyTimeoutMs"), "{:?}", attempt.detail);
    assert_eq!(drain(stream, Duration::from_secs(10)).await.text, "fallback");
    assert!(!alive(pid), "the server that never got ready was stopped");
}

/// The pid the child wrote, yielding to the runtime (without letting virtual time pass) meanwhile.
async fn wait_for_pid(path: &Path) -> u32 {
    for _ in 0..5_000 {
        if let Some(pid) = std::fs::read_to_string(path).ok().and_then(|t| t.trim().parse().ok()) {
            return pid;
        }
        tokio::task::yield_now().await;
        std::thread::sleep(Duration::from_millis(1));
    }
    panic!("the service never wrote its pid to {}", path.display());
}
