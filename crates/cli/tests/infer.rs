//! `clawgate infer` against mock upstream servers: the answer, reasoning kept apart, usage and cost,
//! and classified errors with a next step.

use std::path::Path;
use std::process::Output;

use serde_json::Value;
use testkit::{Fault, Flavor, MockUpstream, Script};

fn config_for(dir: &Path, base_url: &str, api: &str, reasoning: bool) -> String {
    let text = format!(
        r#"{{
  models: {{ providers: {{ box: {{
    baseUrl: "{base_url}", api: "{api}",
    models: [{{ id: "qwen3-8b", name: "Qwen3 8B", reasoning: {reasoning}, contextWindow: 32768, maxTokens: 512,
               cost: {{ input: 1, output: 2, cacheRead: 0, cacheWrite: 0 }} }}],
  }} }} }},
  agents: {{ defaults: {{ model: {{ primary: "box/qwen3-8b" }}, models: {{ "box/qwen3-8b": {{ alias: "Local" }} }} }} }},
}}"#
    );
    let path = dir.join("openclaw.json");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Runs the binary off the test's runtime so the mock server keeps serving.
async fn infer(config: String, args: &[&str]) -> Output {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_clawgate"))
            .arg("--config")
            .arg(config)
            .arg("infer")
            .args(args)
            .env_clear()
            .env("HOME", "/nonexistent")
            .output()
            .unwrap()
    })
    .await
    .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prints_the_answer_without_reasoning_and_the_usage() {
    let dir = tempfile::tempdir().unwrap();
    let up = MockUpstream::start(Flavor::LmStudio).await;
    up.push(Script::reasoning_then_text("the user wants a greeting", "Hello there!").usage(100, 20));
    let cfg = config_for(dir.path(), &up.base_url(), "openai-completions", true);

    let out = infer(cfg, &["--model", "Local", "--prompt", "hi"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "Hello there!");
    assert!(!stdout(&out).contains("greeting"), "reasoning leaked into the answer");
    let err = stderr(&out);
    assert!(err.contains("box/qwen3-8b"), "{err}");
    assert!(err.contains("100 in / 20 out"), "{err}");
    // 100 input × $1/M + 20 output × $2/M
    assert!(err.contains("$0.000140"), "{err}");
    assert_eq!(up.requests()[0].body["model"], "qwen3-8b");
    assert_eq!(up.requests()[0].body["messages"][0]["content"], "hi");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_and_shows_reasoning_separately_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let up = MockUpstream::start(Flavor::LlamaCpp).await;
    up.push(Script::inline_think("plan the reply", "Bonjour!").without_usage());
    let cfg = config_for(dir.path(), &up.base_url(), "openai-completions", true);

    let out = infer(cfg, &["--model", "box/qwen3-8b", "--prompt", "salut", "--stream", "--reasoning"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "Bonjour!");
    let err = stderr(&out);
    assert!(err.contains("plan the reply"), "reasoning not shown on stderr: {err}");
    assert!(err.contains("estimated"), "usage should be marked estimated: {err}");
    assert_eq!(up.requests()[0].body["stream"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_output_has_text_reasoning_usage_and_cost() {
    let dir = tempfile::tempdir().unwrap();
    let up = MockUpstream::start(Flavor::LmStudio).await;
    up.push(Script::reasoning_then_text("think", "42").usage(10, 5));
    let cfg = config_for(dir.path(), &up.base_url(), "openai-responses", true);

    let out = infer(cfg, &["--model", "Local", "--prompt", "answer?", "--json"]).await;
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["model"], "box/qwen3-8b");
    assert_eq!(v["text"], "42");
    assert_eq!(v["reasoning"], "think");
    assert_eq!(v["usage"]["input"], 10);
    assert_eq!(v["usage"]["output"], 5);
    assert_eq!(v["stop"], "end_turn");
    assert_eq!(up.requests()[0].path, "/v1/responses");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_are_classified_with_a_next_step() {
    let dir = tempfile::tempdir().unwrap();
    let up = MockUpstream::start(Flavor::Vllm).await;
    up.push(Script::fault(Fault::ContextLengthExceeded));
    let cfg = config_for(dir.path(), &up.base_url(), "openai-completions", false);

    let out = infer(cfg, &["--model", "Local", "--prompt", "long"]).await;
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("reason: context_overflow"), "{err}");
    assert!(err.contains("next step:"), "{err}");
    assert!(err.contains(&up.base_url()), "the error should say where: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_server_is_a_timeout_class_error() {
    let dir = tempfile::tempdir().unwrap();
    // Bind and drop a listener to get a port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let cfg = config_for(dir.path(), &format!("http://127.0.0.1:{port}/v1"), "openai-completions", false);

    let out = infer(cfg, &["--model", "Local", "--prompt", "hi", "--json"]).await;
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["error"]["reason"], "timeout");
    assert!(v["error"]["message"].as_str().unwrap().contains("connection refused"), "{v}");
}
