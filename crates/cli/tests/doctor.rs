//! `clawgate doctor` against mock LM Studio, Ollama and vLLM servers: a context-window mismatch,
//! cold models, a model the server does not serve, a dead server, a hosted fallback without a key,
//! small quantized models and the Responses-API advice — each with where and the fix.

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use testkit::{Flavor, MockModel, MockUpstream};

/// Runs the binary off the test's runtime so the mocks keep serving.
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

/// Replaces each mock's address with its name, and the temp dir, so snapshots are stable.
fn normalize(text: &str, names: &[(&str, String)], dir: &Path) -> String {
    let mut out = text.replace(&dir.display().to_string(), "[DIR]");
    for (name, base_url) in names {
        let authority = base_url.trim_start_matches("http://").split('/').next().unwrap().to_string();
        out = out.replace(&authority, &format!("[{name}]"));
    }
    out
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Setup {
    lmstudio: MockUpstream,
    ollama: MockUpstream,
    vllm: MockUpstream,
    dead: String,
}

async fn servers() -> Setup {
    let lmstudio = MockUpstream::builder(Flavor::LmStudio)
        .models([
            MockModel::new("qwen/qwen3-8b")
                .arch("qwen3")
                .context_length(32_768)
                .loaded(8_192)
                .reasoning(true),
            MockModel::new("google/gemma-3-12b").arch("gemma3").context_length(131_072).not_loaded(),
        ])
        .start()
        .await;
    let ollama = MockUpstream::builder(Flavor::Ollama)
        .models([MockModel::new("qwen3:8b")
            .arch("qwen3")
            .context_length(40_960)
            .not_loaded()
            .reasoning(true)])
        .start()
        .await;
    let vllm = MockUpstream::builder(Flavor::Vllm)
        .models([MockModel::new("Qwen/Qwen3-235B-A22B").arch("qwen3").context_length(16_384)])
        .start()
        .await;
    let dead = format!("http://127.0.0.1:{}/v1", free_port());
    Setup { lmstudio, ollama, vllm, dead }
}

fn write_config(
    dir: &Path,
    s: &Setup,
    lmstudio_window: u64,
    vllm_models: &str,
    vllm_fallback: &str,
) -> std::path::PathBuf {
    let text = format!(
        r#"{{
  // The local box first, hosted models as the safety net.
  agents: {{ defaults: {{
    model: {{
      primary: "lmstudio/qwen/qwen3-8b",
      fallbacks: ["ollama/qwen3:8b", "vllm/{vllm_fallback}", "anthropic/claude-sonnet-4-5"],
    }},
  }} }},
  models: {{ providers: {{
    lmstudio: {{ baseUrl: "{lm}", models: [
      {{ id: "qwen/qwen3-8b", name: "Qwen3 8B", reasoning: true, contextWindow: {lmstudio_window} }},
      {{ id: "google/gemma-3-12b", name: "Gemma 3 12B", contextWindow: 131072 }},
    ] }},
    ollama: {{ baseUrl: "{ol}", api: "ollama", models: [
      {{ id: "qwen3:8b", name: "Qwen3 8B", reasoning: true, contextWindow: 40960 }},
    ] }},
    vllm: {{ baseUrl: "{vl}", models: [{vllm_models}] }},
    sglang: {{ baseUrl: "{dead}", models: [{{ id: "Qwen/Qwen3-8B", name: "Qwen3 8B" }}] }},
  }} }},
}}"#,
        lm = s.lmstudio.base_url(),
        ol = s.ollama.base_url(),
        vl = s.vllm.base_url(),
        dead = s.dead,
    );
    let path = dir.join("openclaw.json");
    std::fs::write(&path, text).unwrap();
    path
}

fn names(s: &Setup) -> Vec<(&'static str, String)> {
    vec![
        ("LMSTUDIO", s.lmstudio.base_url()),
        ("OLLAMA", s.ollama.base_url()),
        ("VLLM", s.vllm.base_url()),
        ("DEAD", s.dead.clone()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_reports_every_problem_with_its_fix() {
    let dir = tempfile::tempdir().unwrap();
    let s = servers().await;
    let vllm_models = r#"{ id: "Qwen/Qwen3-235B-A22B", name: "Qwen3 235B", contextWindow: 16384 },
      { id: "Qwen/Qwen3-32B", name: "Qwen3 32B" }"#;
    // The second vLLM fallback is not what the server serves.
    let config = write_config(dir.path(), &s, 32_768, vllm_models, "Qwen/Qwen3-32B");

    let out = clawgate(&config, &["doctor"]).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a configured model the server does not serve is an error\n{stdout}"
    );
    insta::assert_snapshot!("doctor_text", normalize(&stdout, &names(&s), dir.path()));

    // What the servers saw: discovery only, no inference, one listing each.
    assert_eq!(s.lmstudio.requests_to("/api/v1/models").len(), 1);
    assert_eq!(s.ollama.requests_to("/api/tags").len(), 1);
    assert_eq!(s.vllm.requests_to("/v1/models").len(), 1);
    for up in [&s.lmstudio, &s.ollama, &s.vllm] {
        assert!(
            up.requests().iter().all(|r| !r.path.contains("chat") && !r.path.contains("responses")),
            "doctor must not run inference"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_json_has_severity_what_where_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    let s = servers().await;
    let config = write_config(
        dir.path(),
        &s,
        8_192,
        r#"{ id: "Qwen/Qwen3-235B-A22B", name: "Qwen3 235B", contextWindow: 16384 }"#,
        "Qwen/Qwen3-235B-A22B",
    );
    let out = clawgate(&config, &["doctor", "--json"]).await;
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    assert!(findings
        .iter()
        .all(|f| f["severity"].is_string() && f["what"].is_string() && f["where"].is_string()));
    assert!(
        findings.iter().filter(|f| f["severity"] != "ok").all(|f| f["fix"].is_string()),
        "every problem has a next step"
    );
    // The LM Studio window now matches what the server runs the model with.
    let ctx: Vec<&Value> = findings
        .iter()
        .filter(|f| f["check"] == "context-window" && f["what"].as_str().unwrap().contains("qwen/qwen3-8b"))
        .collect();
    assert_eq!(ctx.len(), 1);
    assert_eq!(ctx[0]["severity"], "ok");
    // The dead sglang box is not in the chain: a warning, so only warnings remain.
    let dead = findings
        .iter()
        .find(|f| f["check"] == "reachable" && f["what"].as_str().unwrap().starts_with("sglang"));
    assert_eq!(dead.unwrap()["severity"], "warning");
    assert_eq!(dead.unwrap()["where"], "models.providers.sglang.baseUrl");
    assert_eq!(v["summary"]["error"], 0);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_on_an_invalid_config_prints_the_validate_text_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openclaw.json");
    std::fs::write(&path, "{ models: { providers: { lmstudio: { baseUrl: 42 } } } }").unwrap();
    let doctor = clawgate(&path, &["doctor"]).await;
    let validate = clawgate(&path, &["config", "validate"]).await;
    assert_eq!(doctor.status.code(), Some(1));
    let report = String::from_utf8_lossy(&validate.stderr);
    let first_line = report.lines().next().unwrap();
    assert!(String::from_utf8_lossy(&doctor.stdout).contains(first_line), "same text as `config validate`");
    assert!(String::from_utf8_lossy(&doctor.stdout).contains("fix:"));
}
