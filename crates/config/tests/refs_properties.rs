//! Property tests for model-ref parsing and alias resolution (openclaw-behaviour §4).

use config::refs::{model_key, parse_model_ref, split_profile};
use config::{load_text, ConfigLocation, ConfigOrigin, Env};
use proptest::prelude::*;

fn provider() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,12}"
}
fn model_id() -> impl Strategy<Value = String> {
    // Model ids may contain slashes, dots, colons and upper case.
    "[A-Za-z0-9][A-Za-z0-9._:-]{0,10}(/[A-Za-z0-9][A-Za-z0-9._:-]{0,10}){0,2}"
}

proptest! {
    #[test]
    fn splits_on_the_first_slash_only(p in provider(), m in model_id()) {
        let r = parse_model_ref(&format!("{p}/{m}")).unwrap();
        prop_assert_eq!(&r.provider, &p);
        prop_assert_eq!(&r.model, &m);
        prop_assert_eq!(r.profile, None);
    }

    #[test]
    fn provider_is_case_insensitive_model_case_is_kept(p in provider(), m in model_id()) {
        let r = parse_model_ref(&format!("  {}/{m} ", p.to_uppercase())).unwrap();
        prop_assert_eq!(r.provider, p);
        prop_assert_eq!(r.model, m);
    }

    #[test]
    fn profile_suffix_round_trips(p in provider(), m in model_id(), prof in "p[a-z][a-z0-9_-]{0,7}") {
        let r = parse_model_ref(&format!("{p}/{m}@{prof}")).unwrap();
        prop_assert_eq!(r.profile.as_deref(), Some(prof.as_str()));
        prop_assert_eq!(&r.model, &m);
        prop_assert_eq!(r.to_string(), format!("{p}/{m}@{prof}"));
    }

    #[test]
    fn version_suffix_stays_in_the_model(p in provider(), m in "[a-z0-9]{1,8}", v in "v?[0-9]{1,3}(\\.[0-9]{1,3}){0,2}") {
        let raw = format!("{p}/{m}@{v}");
        prop_assert_eq!(split_profile(&raw).1, None);
        prop_assert_eq!(parse_model_ref(&raw).unwrap().model, format!("{m}@{v}"));
    }

    #[test]
    fn model_key_is_idempotent(p in provider(), m in model_id()) {
        let k = model_key(&p, &m);
        let r = parse_model_ref(&k).unwrap();
        // The provider prefix is compared case-insensitively (as OpenClaw's modelKey does), so a model
        // id that already carries it in another case (`z` + `Z/a`) keeps its spelling: equal up to
        // the case of the provider part.
        prop_assert_eq!(provider_case_folded(&model_key(&r.provider, &r.model)), provider_case_folded(&k));
        prop_assert_eq!(model_key(&p, &k), k);
    }

    #[test]
    fn aliases_resolve_case_insensitively(alias in "[A-Za-z][A-Za-z0-9 _-]{0,12}", p in provider(), m in "[a-z0-9.-]{1,12}") {
        let text = format!(
            r#"{{ agents: {{ defaults: {{ models: {{ "{p}/{m}": {{ alias: {alias:?} }} }} }} }} }}"#
        );
        let loc = ConfigLocation { path: None, origin: ConfigOrigin::BuiltinDefaults };
        let cfg = load_text(std::path::Path::new("x.json5"), &text, loc, Env::default()).unwrap();
        for variant in [alias.clone(), alias.to_uppercase(), alias.to_lowercase(), format!(" {alias} ")] {
            let r = cfg.resolve(&variant).unwrap();
            prop_assert_eq!(r.model_ref.key(), format!("{p}/{m}"));
        }
    }
}

#[test]
fn bare_ids_resolve_alias_then_unique_provider_then_default() {
    let text = r#"{
      agents: { defaults: {
        model: { primary: "lmstudio/qwen3-32b" },
        models: { "anthropic/claude-opus-4-6": { alias: "Opus" } },
      } },
      models: { providers: {
        lmstudio: { baseUrl: "http://127.0.0.1:1234/v1", models: [{ id: "qwen3-32b", name: "Q" }, { id: "shared", name: "S" }] },
        vllm: { baseUrl: "http://127.0.0.1:8000/v1", models: [{ id: "Only-Here", name: "O" }, { id: "shared", name: "S" }] },
      } },
    }"#;
    let loc = ConfigLocation { path: None, origin: ConfigOrigin::BuiltinDefaults };
    let cfg = load_text(std::path::Path::new("x.json5"), text, loc, Env::default()).unwrap();
    use config::resolve::Resolution;
    let r = cfg.resolve("opus").unwrap();
    assert_eq!(
        (r.model_ref.key(), r.via),
        ("anthropic/claude-opus-4-6".into(), Resolution::Alias("opus".into()))
    );
    let r = cfg.resolve("only-here").unwrap();
    assert_eq!((r.model_ref.key(), r.via), ("vllm/Only-Here".into(), Resolution::UniqueProvider));
    // Two providers have "shared": falls to the default provider (the primary's), with a warning.
    let r = cfg.resolve("shared").unwrap();
    assert_eq!(r.model_ref.key(), "lmstudio/shared");
    assert_eq!(r.via, Resolution::DefaultProvider);
    assert!(r.warning.unwrap().contains("lmstudio/shared"));
    // Refs with a slash never go through aliases.
    assert_eq!(cfg.resolve("x/opus").unwrap().model_ref.key(), "x/opus");
}

#[test]
fn allowlist_exact_alias_and_prefix() {
    use config::resolve::{policy_allows, Aliases};
    use indexmap::IndexMap;
    let mut models = IndexMap::new();
    models.insert(
        "anthropic/claude-opus-4-6".to_string(),
        config::types::AgentModelEntry { alias: Some("Opus".into()), ..Default::default() },
    );
    let aliases = Aliases::from_models(&models);
    let allow = vec![
        "opus".to_string(),
        "ollama/*".to_string(),
        "openrouter/moonshotai/*".to_string(),
        "vllm/qwen3".to_string(),
    ];
    let ok = |s: &str| policy_allows(&allow, &parse_model_ref(s).unwrap(), &aliases);
    assert!(ok("anthropic/claude-opus-4-6"));
    assert!(ok("ollama/gemma4:26b"));
    assert!(ok("Ollama/qwen3:8b"));
    assert!(ok("openrouter/moonshotai/kimi-k2"));
    assert!(!ok("openrouter/anthropic/claude"));
    assert!(ok("vllm/qwen3"));
    assert!(!ok("vllm/qwen3-coder"));
    assert!(!ok("anthropic/claude-sonnet-4-5"));
    assert!(policy_allows(&[], &parse_model_ref("any/thing").unwrap(), &aliases));
}

/// `Provider/rest` with the provider part lower-cased.
fn provider_case_folded(key: &str) -> String {
    match key.split_once('/') {
        Some((provider, rest)) => format!("{}/{rest}", provider.to_ascii_lowercase()),
        None => key.to_owned(),
    }
}

#[test]
fn a_model_id_carrying_its_provider_in_another_case_keeps_its_spelling() {
    // Found by the property above: p = "z", m = "Z/a".
    assert_eq!(model_key("z", "Z/a"), "Z/a");
    assert_eq!(model_key("z", "a"), "z/a");
    let r = parse_model_ref("Z/a").unwrap();
    assert_eq!((r.provider.as_str(), r.model.as_str()), ("z", "a"));
}
