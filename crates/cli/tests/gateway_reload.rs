//! `clawgate gateway` hot reload, with the real binary: a valid edit of the config file is applied
//! (a new alias answers), an invalid one is rejected with the same error text `config validate`
//! prints and the last good config keeps serving.

mod gateway_support;

use std::path::Path;
use std::time::{Duration, Instant};

use gateway_support::GatewayProcess;
use serde_json::json;
use testkit::{Flavor, MockUpstream, Script};

/// The config: a local model (primary) and a hosted one; `alias` (if any) names the hosted one.
fn config_text(local: &str, hosted: &str, alias: Option<&str>) -> String {
    let alias = alias.map_or(String::new(), |a| format!(r#""ant/claude-sonnet-4-5": {{ alias: "{a}" }},"#));
    format!(
        r#"{{
  models: {{ providers: {{
    box: {{ baseUrl: "{local}", api: "openai-completions", models: [{{ id: "qwen3-8b", name: "Qwen3 8B" }}] }},
    ant: {{ baseUrl: "{hosted}", api: "anthropic-messages", models: [{{ id: "claude-sonnet-4-5", name: "Sonnet" }}] }},
  }} }},
  agents: {{ defaults: {{ model: {{ primary: "box/qwen3-8b" }}, models: {{ {alias} }} }} }},
}}"#
    )
}

fn chat(model: &str) -> serde_json::Value {
    json!({"model": model, "messages": [{"role": "user", "content": "hi"}]})
}

/// `clawgate config validate` on `config`: its error report.
fn validate_errors(config: &Path, state: &Path) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_clawgate"))
        .arg("--config")
        .arg(config)
        .args(["config", "validate"])
        .env_clear()
        .env("HOME", "/nonexistent")
        .env("CLAWGATE_STATE_DIR", state)
        .output()
        .unwrap();
    assert!(!out.status.success(), "config validate accepts the broken config");
    String::from_utf8(out.stderr).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_of_the_config_file_are_applied_or_rejected_while_serving() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let local = MockUpstream::start(Flavor::LmStudio).await;
    local.set_default(Script::text("Hello from the local model."));
    let hosted = MockUpstream::start(Flavor::Anthropic).await;
    hosted.set_default(Script::text("Hello from the hosted model."));
    let config = dir.path().join("openclaw.json");
    let text = |alias: Option<&str>| config_text(&local.base_url(), &hosted.base_url(), alias);
    std::fs::write(&config, text(None)).unwrap();

    let gw = GatewayProcess::start(&config, &state, &[]).await;
    let before = gw.post("/v1/chat/completions", &[], &chat("box/qwen3-8b")).await;
    assert_eq!(before.status, 200, "{}", before.body);
    assert_eq!(before.header("x-clawgate-model"), Some("box/qwen3-8b"));
    let unknown = gw.post("/v1/chat/completions", &[], &chat("fresh")).await;
    assert_ne!(unknown.status, 200, "no alias `fresh` yet: {}", unknown.body);

    // A valid change: a new alias for the hosted model. The watcher polls once a second.
    std::fs::write(&config, text(Some("fresh"))).unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let fresh = loop {
        let reply = gw.post("/v1/chat/completions", &[], &chat("fresh")).await;
        if reply.status == 200 {
            break reply;
        }
        assert!(Instant::now() < deadline, "the new alias never worked:\n{}", gw.stderr());
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(fresh.header("x-clawgate-model"), Some("ant/claude-sonnet-4-5"));
    assert_eq!(fresh.json()["choices"][0]["message"]["content"], "Hello from the hosted model.");
    gw.wait_for_stderr("config reloaded", Duration::from_secs(5)).await;

    // An invalid change: the comma after a provider deleted (a JSON5 syntax error). Rejected, and
    // logged with the text `config validate` prints.
    let broken = text(Some("fresh")).replacen("}] },", "}] }", 1);
    assert_ne!(broken, text(Some("fresh")));
    std::fs::write(&config, broken).unwrap();
    let stderr = gw.wait_for_stderr("config change rejected", Duration::from_secs(15)).await;
    let report = validate_errors(&config, &state);
    assert!(report.contains("openclaw.json:4:"), "config validate names the line:\n{report}");
    assert!(
        stderr.contains(report.trim_end()),
        "the gateway logs the same text as `config validate`.\n--- validate:\n{report}\n--- gateway stderr:\n{stderr}"
    );

    // The last good config keeps serving: the alias still works, the primary too.
    let still = gw.post("/v1/chat/completions", &[], &chat("fresh")).await;
    assert_eq!(still.status, 200, "{}", still.body);
    assert_eq!(still.header("x-clawgate-model"), Some("ant/claude-sonnet-4-5"));
    let primary = gw
        .post(
            "/v1/messages",
            &[],
            &json!({"model": "box/qwen3-8b", "max_tokens": 50,
        "messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(primary.status, 200, "{}", primary.body);
    assert_eq!(primary.json()["content"][0]["text"], "Hello from the local model.");
    assert_eq!(local.requests_to("/v1/chat/completions").len(), 2);
}
