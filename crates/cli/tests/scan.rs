//! `clawgate models scan --local` against mock LM Studio, Ollama and vLLM servers on the ports
//! `CLAWGATE_SCAN_PORTS` names: what is listed, and `--write` merging into a commented config.

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use testkit::{Flavor, MockModel, MockUpstream};

async fn clawgate(config: &Path, args: &[&str], ports: &str) -> Output {
    let config = config.to_path_buf();
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let ports = ports.to_string();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_clawgate"))
            .arg("--config")
            .arg(config)
            .args(args)
            .env_clear()
            .env("HOME", "/nonexistent")
            .env("CLAWGATE_SCAN_PORTS", ports)
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn port(up: &MockUpstream) -> u16 {
    up.addr().port()
}

fn dead_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Servers {
    lmstudio: MockUpstream,
    ollama: MockUpstream,
    vllm: MockUpstream,
    ports: String,
}

async fn servers() -> Servers {
    let lmstudio = MockUpstream::builder(Flavor::LmStudio)
        .models([
            MockModel::new("qwen/qwen3-8b").context_length(32_768).loaded(8_192).reasoning(true),
            MockModel::new("google/gemma-3-12b").context_length(131_072).not_loaded().vision(true),
        ])
        .start()
        .await;
    let ollama = MockUpstream::builder(Flavor::Ollama)
        .models([MockModel::new("qwen3:8b").arch("qwen3").context_length(40_960).not_loaded()])
        .start()
        .await;
    let vllm = MockUpstream::builder(Flavor::Vllm)
        .models([MockModel::new("Qwen/Qwen3-8B").context_length(16_384)])
        .start()
        .await;
    let ports = format!(
        "lmstudio={},ollama={},vllm={},sglang={}",
        port(&lmstudio),
        port(&ollama),
        port(&vllm),
        dead_port()
    );
    Servers { lmstudio, ollama, vllm, ports }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_lists_each_servers_models_with_context_and_loaded_state() {
    let dir = tempfile::tempdir().unwrap();
    let s = servers().await;
    let config = dir.path().join("openclaw.json");
    std::fs::write(&config, "{}").unwrap();

    let out = clawgate(&config, &["models", "scan", "--local", "--json"], &s.ports).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let server =
        |id: &str| v["servers"].as_array().unwrap().iter().find(|x| x["provider"] == id).unwrap().clone();
    let lm = server("lmstudio");
    assert_eq!(lm["found"], true);
    assert_eq!(lm["url"], format!("http://127.0.0.1:{}/v1", port(&s.lmstudio)));
    assert_eq!(lm["models"][0]["id"], "qwen/qwen3-8b");
    assert_eq!(lm["models"][0]["contextWindow"], 8192);
    assert_eq!(lm["models"][0]["maxContextWindow"], 32768);
    assert_eq!(lm["models"][0]["loaded"], true);
    assert_eq!(lm["models"][1]["loaded"], false);
    let ol = server("ollama");
    assert_eq!(ol["url"], format!("http://127.0.0.1:{}", port(&s.ollama)), "Ollama's base URL has no /v1");
    assert_eq!(ol["models"][0]["loaded"], false);
    assert_eq!(ol["models"][0]["contextWindow"], 40960);
    assert_eq!(server("vllm")["models"][0]["contextWindow"], 16384);
    assert_eq!(s.vllm.requests_to("/v1/models").len(), 1, "one listing per server");
    assert_eq!(s.lmstudio.requests_to("/api/v1/models").len(), 1);
    let sg = server("sglang");
    assert_eq!((sg["found"].clone(), sg["error"].clone()), (Value::Bool(false), Value::from("unreachable")));

    let out = clawgate(&config, &["models", "scan", "--local"], &s.ports).await;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("qwen/qwen3-8b") && text.contains("8192 (max 32768)") && text.contains("not loaded"),
        "{text}"
    );
    assert!(text.contains("Nothing at: http://127.0.0.1:"), "{text}");
    assert!(text.contains("--write"), "{text}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), "{}", "no --write, no change");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_write_merges_by_id_keeps_comments_and_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let s = servers().await;
    let config = dir.path().join("openclaw.json");
    let original = format!(
        r#"{{
  // my LM Studio box
  models: {{
    providers: {{
      lmstudio: {{
        baseUrl: "{}",
        models: [{{ id: "qwen/qwen3-8b", name: "My Qwen", contextWindow: 8192 }}],
      }},
    }},
  }},
}}
"#,
        s.lmstudio.base_url()
    );
    std::fs::write(&config, &original).unwrap();

    let out = clawgate(&config, &["models", "scan", "--local", "--write"], &s.ports).await;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("lmstudio: added 1 model(s)"), "{stdout}");
    assert!(stdout.contains("ollama: added 1 model(s)"), "{stdout}");
    assert!(stdout.contains("(previous version kept as .bak)"), "{stdout}");

    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains("// my LM Studio box"), "comments are kept:\n{written}");
    assert_eq!(std::fs::read_to_string(dir.path().join("openclaw.json.bak")).unwrap(), original);
    let listed = clawgate(&config, &["models", "list", "--json"], "").await;
    let v: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let row = |key: &str| v["models"].as_array().unwrap().iter().find(|m| m["key"] == key).cloned();
    assert_eq!(row("lmstudio/qwen/qwen3-8b").unwrap()["name"], "My Qwen", "an existing entry is untouched");
    let gemma = row("lmstudio/google/gemma-3-12b").expect("added");
    assert_eq!(gemma["contextWindow"], 131072);
    assert_eq!(gemma["input"], serde_json::json!(["text", "image"]));
    let ollama = row("ollama/qwen3:8b").expect("a new provider block");
    assert_eq!(ollama["api"], "ollama");
    assert_eq!(ollama["baseUrl"], s.ollama.base_url());
    assert!(row("vllm/Qwen/Qwen3-8B").is_some());

    let again = clawgate(&config, &["models", "scan", "--local", "--write"], &s.ports).await;
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(stdout.contains("lmstudio: every model is already in"), "{stdout}");
    assert!(!stdout.contains("wrote"), "nothing new, nothing written: {stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_write_leaves_a_file_it_cannot_merge_into_alone() {
    let dir = tempfile::tempdir().unwrap();
    let s = servers().await;
    let config = dir.path().join("openclaw.json");
    // `ollama` is a string: nothing can be merged into it.
    let original = "{ models: { providers: { ollama: \"oops\" } } }";
    std::fs::write(&config, original).unwrap();
    let out = clawgate(&config, &["models", "scan", "--local", "--write"], &s.ports).await;
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("models.providers.ollama"), "{err}");
    assert_eq!(std::fs::read_to_string(&config).unwrap(), original, "the file is left alone");
    assert!(!dir.path().join("openclaw.json.bak").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_requires_local_and_a_sane_port_list() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("openclaw.json");
    std::fs::write(&config, "{}").unwrap();
    let out = clawgate(&config, &["models", "scan"], "").await;
    assert!(String::from_utf8_lossy(&out.stderr).contains("models scan --local"));
    let out = clawgate(&config, &["models", "scan", "--local"], "lmstudio:1234").await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("provider=port"));
}
