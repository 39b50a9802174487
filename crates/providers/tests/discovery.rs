//! Discovery against mock LM Studio, Ollama, vLLM and llama.cpp servers: what each reports, the
//! cold and loading states, dead boxes failing fast, the TTL cache on an injected clock, LM Studio
//! preload, and OpenClaw's opt-in rules.

use std::path::Path;
use std::time::{Duration, Instant};

use config::{Config, ConfigLocation, ConfigOrigin, Env};
use providers::discovery::{
    discovery_decision, preload_enabled, preload_lmstudio, Discoverer, DiscoveryError, PreloadOutcome,
    ServerKind, ServerStatus,
};
use testkit::{Flavor, MockModel, MockUpstream};

fn load(text: &str, env: &[(&str, &str)]) -> Config {
    let location = ConfigLocation { path: Some("/tmp/openclaw.json".into()), origin: ConfigOrigin::Flag };
    config::load_text(Path::new("/tmp/openclaw.json"), text, location, Env::from_pairs(env.iter().copied()))
        .unwrap_or_else(|e| panic!("{}", e.render()))
}

#[tokio::test]
async fn lm_studio_reports_loaded_state_context_and_capabilities() {
    let up = MockUpstream::builder(Flavor::LmStudio)
        .models([
            MockModel::new("qwen/qwen3-8b")
                .arch("qwen3")
                .context_length(32_768)
                .loaded(8_192)
                .reasoning(true),
            MockModel::new("google/gemma-3-12b")
                .arch("gemma3")
                .context_length(131_072)
                .not_loaded()
                .vision(true),
        ])
        .start()
        .await;
    let report = Discoverer::default().discover(ServerKind::LmStudio, &up.base_url(), None).await.unwrap();
    assert_eq!(report.status, ServerStatus::Ready);
    assert_eq!(report.models.len(), 2);
    let qwen = report.model("qwen/qwen3-8b").unwrap();
    assert_eq!(qwen.loaded, Some(true));
    assert_eq!(qwen.context_window, Some(8_192), "the loaded instance's context is what requests get");
    assert_eq!(qwen.max_context_window, Some(32_768));
    assert_eq!(qwen.capabilities.reasoning, Some(true));
    assert_eq!(qwen.capabilities.tools, Some(true));
    assert_eq!(qwen.quantization.as_deref(), Some("Q4_K_M"));
    assert_eq!(qwen.quantization_bits, Some(4.0));
    assert_eq!(qwen.parameters_b, Some(8.0));
    let gemma = report.model("google/gemma-3-12b").unwrap();
    assert_eq!(gemma.loaded, Some(false), "on disk only: the first request waits for a load");
    assert_eq!(gemma.context_window, Some(131_072));
    assert_eq!(gemma.capabilities.vision, Some(true));
    assert_eq!(gemma.capabilities.reasoning, Some(false));
    let paths: Vec<String> = up.requests().iter().map(|r| r.path.clone()).collect();
    assert_eq!(paths, ["/api/v1/models"], "the native API on the server root, one call");
}

#[tokio::test]
async fn ollama_reports_cold_and_loaded_models_with_their_context() {
    let up = MockUpstream::builder(Flavor::Ollama)
        .models([
            MockModel::new("qwen3:8b").arch("qwen3").context_length(40_960).loaded(8_192).reasoning(true),
            MockModel::new("llama3.2:3b").context_length(131_072).not_loaded().tools(false),
        ])
        .start()
        .await;
    let report = Discoverer::default().discover(ServerKind::Ollama, &up.base_url(), None).await.unwrap();
    let qwen = report.model("qwen3:8b").unwrap();
    assert_eq!(
        (qwen.loaded, qwen.context_window, qwen.max_context_window),
        (Some(true), Some(8_192), Some(40_960))
    );
    assert_eq!(qwen.capabilities.reasoning, Some(true), "`thinking` capability");
    assert_eq!(qwen.parameter_size.as_deref(), Some("8.2B"));
    let llama = report.model("llama3.2:3b").unwrap();
    assert_eq!(llama.loaded, Some(false), "absent from /api/ps");
    assert_eq!(llama.context_window, Some(131_072));
    assert_eq!(llama.capabilities.tools, Some(false));
    let shows = up.requests_to("/api/show");
    assert_eq!(shows.len(), 2, "one /api/show per pulled model");
    assert_eq!(up.requests_to("/api/tags").len(), 1);
    assert_eq!(up.requests_to("/api/ps").len(), 1);
}

#[tokio::test]
async fn vllm_reports_max_model_len() {
    let up = MockUpstream::builder(Flavor::Vllm)
        .models([MockModel::new("Qwen/Qwen3-8B").context_length(16_384)])
        .start()
        .await;
    let report =
        Discoverer::default().discover(ServerKind::OpenAiCompatible, &up.base_url(), None).await.unwrap();
    let m = report.model("qwen/qwen3-8b").expect("ids match case-insensitively as a fallback");
    assert_eq!((m.context_window, m.loaded), (Some(16_384), Some(true)));
    assert_eq!(up.requests()[0].path, "/v1/models");
}

#[tokio::test]
async fn llama_cpp_reports_props_context_and_loading_state() {
    let up = MockUpstream::builder(Flavor::LlamaCpp)
        .models([MockModel::new("qwen3-8b-q4_k_m.gguf").context_length(40_960).loaded(4_096)])
        .start()
        .await;
    let discoverer = Discoverer::default();
    let report = discoverer.discover(ServerKind::OpenAiCompatible, &up.base_url(), None).await.unwrap();
    let m = &report.models[0];
    assert_eq!((m.context_window, m.max_context_window), (Some(4_096), Some(40_960)));
    assert_eq!(m.quantization.as_deref(), Some("Q4_K_M"), "read from the file name");
    assert!(up.requests_to("/props").len() == 1);

    up.set_loading(true);
    let report = discoverer.discover(ServerKind::OpenAiCompatible, &up.base_url(), None).await.unwrap();
    assert_eq!(report.status, ServerStatus::Loading);
    assert!(report.models.is_empty());
}

#[tokio::test]
async fn a_dead_box_is_unreachable_in_milliseconds() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let started = Instant::now();
    let err = Discoverer::default()
        .discover(ServerKind::LmStudio, &format!("http://127.0.0.1:{port}/v1"), None)
        .await
        .unwrap_err();
    let took = started.elapsed();
    assert!(err.is_unreachable(), "{err:?}");
    assert!(matches!(err, DiscoveryError::Unreachable { .. }));
    assert!(err.to_string().contains("connection refused"), "{err}");
    assert!(took < Duration::from_millis(200), "took {took:?}");
}

#[tokio::test]
async fn a_silent_server_hits_the_request_deadline() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Accepts and never answers.
    let _keep = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let discoverer = Discoverer::new(providers::discovery::DiscoveryOptions {
        connect_timeout: Duration::from_millis(200),
        request_timeout: Duration::from_millis(300),
    });
    let started = Instant::now();
    let err = discoverer
        .discover(ServerKind::OpenAiCompatible, &format!("http://{addr}/v1"), None)
        .await
        .unwrap_err();
    assert!(matches!(err, DiscoveryError::Timeout { ms: 300, .. }), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn lm_studio_preload_loads_a_cold_model_once() {
    let up = MockUpstream::builder(Flavor::LmStudio)
        .models([MockModel::new("qwen/qwen3-8b").context_length(32_768).not_loaded()])
        .start()
        .await;
    let discoverer = Discoverer::default();
    let timeout = Duration::from_secs(5);
    let outcome = preload_lmstudio(&discoverer, &up.base_url(), None, "qwen/qwen3-8b", Some(16_384), timeout)
        .await
        .unwrap();
    assert_eq!(outcome, PreloadOutcome::Loaded { context_length: Some(16_384), load_seconds: Some(2.146) });
    let loads = up.requests_to("/api/v1/models/load");
    assert_eq!(loads.len(), 1);
    assert_eq!(
        loads[0].body,
        serde_json::json!({"model": "qwen/qwen3-8b", "config": {"context_length": 16384}})
    );

    let outcome = preload_lmstudio(&discoverer, &up.base_url(), None, "qwen/qwen3-8b", Some(16_384), timeout)
        .await
        .unwrap();
    assert_eq!(outcome, PreloadOutcome::AlreadyLoaded { context_length: Some(16_384) });
    assert_eq!(up.requests_to("/api/v1/models/load").len(), 1, "no second load");
}

#[test]
fn preload_is_on_unless_params_preload_is_false() {
    let on = load("{}", &[]);
    assert!(preload_enabled(on.registry.provider("lmstudio").unwrap()));
    let off = load(r#"{ models: { providers: { lmstudio: { params: { preload: false } } } } }"#, &[]);
    assert!(!preload_enabled(off.registry.provider("lmstudio").unwrap()));
}

#[test]
fn opt_in_rules_follow_openclaw() {
    let decision = |cfg: &Config, id: &str| discovery_decision(cfg, cfg.registry.provider(id).unwrap());

    let bare = load("{}", &[]);
    assert!(!decision(&bare, "vllm").is_enabled());
    assert!(decision(&bare, "vllm").reason().contains("VLLM_API_KEY"));
    assert!(!decision(&bare, "anthropic").is_enabled());

    let env = load("{}", &[("VLLM_API_KEY", "x"), ("OLLAMA_API_KEY", "anything")]);
    assert!(decision(&env, "vllm").is_enabled());
    assert!(decision(&env, "ollama").is_enabled());

    let explicit = load(
        r#"{ models: { providers: { vllm: { baseUrl: "http://127.0.0.1:8000/v1", models: [{ id: "m", name: "m" }] } } } }"#,
        &[("VLLM_API_KEY", "x")],
    );
    let d = decision(&explicit, "vllm");
    assert!(!d.is_enabled() && d.reason().contains("\"vllm/*\""), "{d:?}");

    let wildcard = load(
        r#"{ models: { providers: { vllm: { baseUrl: "http://127.0.0.1:8000/v1", models: [{ id: "m", name: "m" }] } } },
             agents: { defaults: { models: { "vllm/*": {} } } } }"#,
        &[],
    );
    assert!(decision(&wildcard, "vllm").is_enabled());

    let other_ollama = load(
        r#"{ models: { providers: { gpu: { baseUrl: "http://10.0.0.5:11434", api: "ollama", models: [{ id: "qwen3:8b", name: "Qwen3 8B" }] } } } }"#,
        &[("OLLAMA_API_KEY", "x")],
    );
    let d = decision(&other_ollama, "ollama");
    assert!(!d.is_enabled() && d.reason().contains("models.providers.gpu"), "{d:?}");

    let lmstudio = load(
        r#"{ models: { providers: { lmstudio: { models: [{ id: "qwen/qwen3-8b", name: "Qwen3 8B" }] } } } }"#,
        &[],
    );
    assert!(
        decision(&lmstudio, "lmstudio").is_enabled(),
        "LM Studio keeps discovery with an explicit provider"
    );
}
