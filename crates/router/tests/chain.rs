//! The candidate chain (openclaw-behaviour §5.1), built from real configs.

mod common;

use common::{config, Provider};
use router::{build_chain, RouteErrorKind};

fn keys(chain: &router::Chain) -> Vec<String> {
    chain.candidates.iter().map(|c| c.key()).collect()
}

fn setup() -> std::sync::Arc<config::Config> {
    let local = Provider::new("lmstudio", "http://127.0.0.1:1234/v1", "qwen/qwen3-8b")
        .model_with_window("gemma-3", 8192);
    let hosted = Provider::new("openai", "https://api.openai.com/v1", "gpt-4o-mini").key("sk-test");
    config(&[local, hosted], "lmstudio/qwen/qwen3-8b", &["openai/gpt-4o-mini", "lmstudio/qwen/qwen3-8b"])
}

#[test]
fn requested_then_fallbacks_then_primary_deduplicated() {
    let cfg = setup();
    let chain = build_chain(&cfg, Some("lmstudio/gemma-3"), false, None).unwrap();
    assert_eq!(keys(&chain), ["lmstudio/gemma-3", "openai/gpt-4o-mini", "lmstudio/qwen/qwen3-8b"]);
    assert!(chain.candidates[2].is_primary && !chain.candidates[0].is_primary);
    let primary = build_chain(&cfg, None, false, None).unwrap();
    assert_eq!(
        keys(&primary),
        ["lmstudio/qwen/qwen3-8b", "openai/gpt-4o-mini"],
        "the primary is not repeated"
    );
}

#[test]
fn strict_and_overrides() {
    let cfg = setup();
    assert_eq!(
        keys(&build_chain(&cfg, Some("openai/gpt-4o-mini"), true, None).unwrap()),
        ["openai/gpt-4o-mini"]
    );
    let empty: Vec<String> = Vec::new();
    assert_eq!(
        keys(&build_chain(&cfg, Some("lmstudio/gemma-3"), false, Some(&empty)).unwrap()),
        ["lmstudio/gemma-3"]
    );
    let over = vec!["openai/gpt-4o-mini".to_owned()];
    assert_eq!(
        keys(&build_chain(&cfg, Some("lmstudio/gemma-3"), false, Some(&over)).unwrap()),
        ["lmstudio/gemma-3", "openai/gpt-4o-mini"],
        "an override replaces the fallbacks and the primary is not appended"
    );
}

#[test]
fn unknown_models_get_suggestions_and_unknown_fallbacks_are_reported() {
    let cfg = setup();
    let error = build_chain(&cfg, Some("qwen3-8"), false, None).unwrap_err();
    let RouteErrorKind::UnknownModel { suggestions, .. } = &error.kind else { panic!("{error}") };
    assert_eq!(suggestions.first().map(String::as_str), Some("lmstudio/qwen/qwen3-8b"), "{error}");
    assert!(error.to_string().contains("clawgate models list"));
    let over = vec!["nosuch/thing".to_owned(), "openai/gpt-4o-mini".to_owned()];
    let chain = build_chain(&cfg, Some("lmstudio/gemma-3"), false, Some(&over)).unwrap();
    assert_eq!(chain.unresolved, ["nosuch/thing"]);
    assert_eq!(keys(&chain), ["lmstudio/gemma-3", "openai/gpt-4o-mini"]);
}

#[test]
fn a_model_the_provider_does_not_list_is_still_callable() {
    let cfg = setup();
    let chain = build_chain(&cfg, Some("lmstudio/some-new-model"), true, None).unwrap();
    assert_eq!(chain.candidates[0].target.model.base_url, "http://127.0.0.1:1234/v1");
}

#[test]
fn cooldown_knobs_are_read_from_auth_cooldowns() {
    let local = Provider::new("lmstudio", "http://127.0.0.1:1234/v1", "qwen/qwen3-8b");
    let extra = serde_json::json!({"auth": {"cooldowns": {
        "billingBackoffHours": 2, "billingMaxHours": 6, "authPermanentBackoffMinutes": 3,
        "billingBackoffHoursByProvider": {"OpenRouter": 1}
    }}});
    let cfg = common::config_with(&[local], "lmstudio/qwen/qwen3-8b", &[], extra);
    let policy = router::CooldownPolicy::from_config(&cfg);
    let hours = |h: u64| std::time::Duration::from_secs(h * 3600);
    assert_eq!(policy.window(llm::FailoverReason::Billing, "anthropic", 1), hours(2));
    assert_eq!(
        policy.window(llm::FailoverReason::Billing, "anthropic", 3),
        hours(6),
        "capped by billingMaxHours"
    );
    assert_eq!(policy.window(llm::FailoverReason::Billing, "openrouter", 1), hours(1));
    assert_eq!(
        policy.window(llm::FailoverReason::AuthPermanent, "x", 1),
        std::time::Duration::from_secs(180)
    );
    assert_eq!(policy.failure_window, hours(24), "unset knobs keep OpenClaw's defaults");
}
