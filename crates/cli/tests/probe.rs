//! `clawgate models status --probe` against mock LM Studio, Ollama, vLLM and llama.cpp servers:
//! OpenClaw's buckets with latency, a cold-loading model, a missing key that is never sent, the
//! concurrency cap and timeout, and the `--check` exit codes.

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use testkit::{Fault, Flavor, MockModel, MockUpstream, Script};

async fn clawgate(config: &Path, args: &[&str]) -> Output {
    let config = config.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_clawgate"))
            .arg("--config")
            .arg(config)
            .args(args)
            .env_clear()
            .env("HOME", "/nonexistent")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

/// Mock addresses by name, the temp dir, latencies as `N ms`, and table padding collapsed (cell
/// widths depend on the port and latency digits).
fn normalize(text: &str, names: &[(&str, String)], dir: &Path) -> String {
    let mut out = text.replace(&dir.display().to_string(), "[DIR]");
    for (name, base_url) in names {
        let authority = base_url.trim_start_matches("http://").split('/').next().unwrap().to_string();
        out = out.replace(&authority, &format!("[{name}]"));
    }
    out.lines()
        .map(|line| {
            let cells: Vec<&str> = line.split("  ").map(str::trim).filter(|w| !w.is_empty()).collect();
            mask_latency(&cells.join("  ")) + "\n"
        })
        .collect()
}

/// Replaces the number before every ` ms` with `N`.
fn mask_latency(line: &str) -> String {
    let mut out = line.to_string();
    while let Some(pos) = find_ms(&out) {
        let start = out[..pos].rfind(|c: char| !c.is_ascii_digit()).map_or(0, |i| i + 1);
        out.replace_range(start..pos, "N");
    }
    out
}

/// Index of the first ` ms` preceded by a digit.
fn find_ms(s: &str) -> Option<usize> {
    s.match_indices(" ms").map(|(i, _)| i).find(|&i| i > 0 && s.as_bytes()[i - 1].is_ascii_digit())
}

struct Servers {
    lmstudio: MockUpstream,
    ollama: MockUpstream,
    vllm: MockUpstream,
    llamacpp: MockUpstream,
    limited: MockUpstream,
}

impl Servers {
    fn names(&self) -> Vec<(&'static str, String)> {
        vec![
            ("LMSTUDIO", self.lmstudio.base_url()),
            ("OLLAMA", self.ollama.base_url()),
            ("VLLM", self.vllm.base_url()),
            ("LLAMACPP", self.llamacpp.base_url()),
            ("LIMITED", self.limited.base_url()),
        ]
    }
}

async fn servers() -> Servers {
    let lmstudio = MockUpstream::builder(Flavor::LmStudio)
        .models([MockModel::new("qwen/qwen3-8b").context_length(32_768).not_loaded().reasoning(true)])
        .start()
        .await;
    lmstudio.set_default(Script::reasoning_then_text("they want OK", "OK"));
    let ollama = MockUpstream::builder(Flavor::Ollama).models([MockModel::new("qwen3:8b")]).start().await;
    ollama.set_default(Script::text("OK"));
    let vllm = MockUpstream::builder(Flavor::Vllm).models([MockModel::new("Qwen/Qwen3-8B")]).start().await;
    vllm.set_default(Script::text("OK"));
    // A cold llama.cpp box still loading its model answers 503 "Loading model".
    let llamacpp = MockUpstream::start(Flavor::LlamaCpp).await;
    llamacpp.set_loading(true);
    let limited = MockUpstream::start(Flavor::Vllm).await;
    limited.set_default(Script::fault(Fault::RateLimited { retry_after: Some(7) }));
    Servers { lmstudio, ollama, vllm, llamacpp, limited }
}

fn write_config(dir: &Path, s: &Servers) -> std::path::PathBuf {
    let text = format!(
        r#"{{
  agents: {{ defaults: {{ model: {{
    primary: "lmstudio/qwen/qwen3-8b",
    fallbacks: ["ollama/qwen3:8b", "vllm/Qwen/Qwen3-8B", "llama-cpp/qwen3-8b-q4_k_m.gguf", "anthropic/claude-sonnet-4-5"],
  }} }} }},
  models: {{ providers: {{
    lmstudio: {{ baseUrl: "{lm}", models: [{{ id: "qwen/qwen3-8b", name: "Qwen3 8B", reasoning: true }}] }},
    ollama: {{ baseUrl: "{ol}", api: "ollama", models: [{{ id: "qwen3:8b", name: "Qwen3 8B" }}] }},
    vllm: {{ baseUrl: "{vl}", models: [{{ id: "Qwen/Qwen3-8B", name: "Qwen3 8B" }}] }},
    "llama-cpp": {{ baseUrl: "{lc}", models: [{{ id: "qwen3-8b-q4_k_m.gguf", name: "Qwen3 8B Q4" }}] }},
    busy: {{ baseUrl: "{li}", models: [{{ id: "Qwen/Qwen3-8B", name: "Qwen3 8B" }}] }},
  }} }},
}}"#,
        lm = s.lmstudio.base_url(),
        ol = s.ollama.base_url(),
        vl = s.vllm.base_url(),
        lc = s.llamacpp.base_url(),
        li = s.limited.base_url(),
    );
    let path = dir.join("openclaw.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_buckets_every_model_with_latency() {
    let dir = tempfile::tempdir().unwrap();
    let s = servers().await;
    let config = write_config(dir.path(), &s);

    let out = clawgate(&config, &["models", "status", "--probe", "--timeout", "10"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "without --check the exit code stays 0\n{stdout}");
    insta::assert_snapshot!("probe_text", normalize(&stdout, &s.names(), dir.path()));

    // Each server saw exactly one tiny request.
    for (up, path) in [
        (&s.lmstudio, "/v1/chat/completions"),
        (&s.ollama, "/api/chat"),
        (&s.vllm, "/v1/chat/completions"),
        (&s.llamacpp, "/v1/chat/completions"),
        (&s.limited, "/v1/chat/completions"),
    ] {
        let calls = up.requests_to(path);
        assert_eq!(calls.len(), 1, "{path} on {}", up.base_url());
        let body = &calls[0].body;
        let text = body.pointer("/messages/0/content").and_then(Value::as_str).unwrap_or_default();
        assert!(text.contains("Reply with OK"), "{body}");
        let cap = body
            .get("max_tokens")
            .or_else(|| body.get("max_completion_tokens"))
            .or_else(|| body.pointer("/options/num_predict"))
            .and_then(Value::as_u64);
        assert_eq!(cap, Some(8), "a tiny answer: {body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probe_json_and_check_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let s = servers().await;
    let config = write_config(dir.path(), &s);

    let out =
        clawgate(&config, &["models", "status", "--probe", "--json", "--check", "--concurrency", "2"]).await;
    assert_eq!(out.status.code(), Some(1), "some probes failed");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let status = |model: &str| {
        let p = v["probes"].as_array().unwrap().iter().find(|p| p["model"] == model).unwrap().clone();
        (p["status"].as_str().unwrap().to_string(), p["reason"].as_str().map(str::to_string))
    };
    assert_eq!(status("lmstudio/qwen/qwen3-8b"), ("ok".into(), None));
    assert_eq!(status("ollama/qwen3:8b"), ("ok".into(), None));
    assert_eq!(status("llama-cpp/qwen3-8b-q4_k_m.gguf"), ("timeout".into(), Some("model_loading".into())));
    assert_eq!(status("busy/Qwen/Qwen3-8B"), ("rate_limit".into(), Some("rate_limit".into())));
    assert_eq!(status("anthropic/claude-sonnet-4-5"), ("unknown".into(), Some("missing_credential".into())));
    let lat = v["probes"][0]["latencyMs"].as_u64().unwrap();
    assert!(lat < 10_000);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("sk-"), "no secret in the output");

    // All healthy: exit 0.
    let healthy = dir.path().join("healthy.json");
    std::fs::write(
        &healthy,
        format!(
            r#"{{ agents: {{ defaults: {{ model: {{ primary: "vllm/Qwen/Qwen3-8B" }} }} }},
                 models: {{ providers: {{ vllm: {{ baseUrl: "{}", models: [{{ id: "Qwen/Qwen3-8B", name: "Q" }}] }} }} }} }}"#,
            s.vllm.base_url()
        ),
    )
    .unwrap();
    let out = clawgate(&healthy, &["models", "status", "--probe", "--check"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 probed: 1 ok"));

    // Invalid config: exit 2.
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{ models: { providers: { vllm: { baseUrl: 42 } } } }").unwrap();
    let out = clawgate(&broken, &["models", "status", "--probe", "--check"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("baseUrl"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_server_is_a_timeout_within_the_probe_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let up = MockUpstream::start(Flavor::Vllm).await;
    up.set_default(Script::fault(Fault::NoResponse));
    let path = dir.path().join("openclaw.json");
    std::fs::write(
        &path,
        format!(
            r#"{{ agents: {{ defaults: {{ model: {{ primary: "vllm/Qwen/Qwen3-8B" }} }} }},
                 models: {{ providers: {{ vllm: {{ baseUrl: "{}", models: [{{ id: "Qwen/Qwen3-8B", name: "Q" }}] }} }} }} }}"#,
            up.base_url()
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let out = clawgate(&path, &["models", "status", "--probe", "--timeout", "0.5", "--json"]).await;
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["probes"][0]["status"], "timeout");
    assert!(v["probes"][0]["latencyMs"].as_u64().unwrap() >= 500);
    assert_eq!(up.request_count(), 1, "one probe, no retry");
}
