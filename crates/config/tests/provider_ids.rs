//! A configured provider id is used as written: `llamacpp/x` must reach `models.providers.llamacpp`,
//! not the built-in `llama-cpp` (found with scripts/real-llama-cpp.sh, whose calls went to port 8080).

use config::{ConfigLocation, ConfigOrigin, Env};

#[test]
fn a_configured_provider_id_is_not_rewritten_to_a_builtin_one() {
    let text = r#"{
      models: { providers: {
        llamacpp: { baseUrl: "http://127.0.0.1:9999/v1", models: [{ id: "smollm2", name: "SmolLM2" }] },
        "lm-studio": { baseUrl: "http://127.0.0.1:9998/v1", models: [{ id: "q", name: "Q" }] },
      } },
    }"#;
    let location = ConfigLocation { path: None, origin: ConfigOrigin::Flag };
    let cfg = config::load_text(
        std::path::Path::new("openclaw.json"),
        text,
        location,
        Env::from_pairs([("HOME", "/none")]),
    )
    .unwrap();
    for (raw, url) in
        [("llamacpp/smollm2", "http://127.0.0.1:9999/v1"), ("lm-studio/q", "http://127.0.0.1:9998/v1")]
    {
        let r = cfg.resolve(raw).unwrap().model_ref;
        let model = cfg.model(&r).unwrap_or_else(|| panic!("{raw} resolved to unknown {}", r.key()));
        assert_eq!(model.base_url, url, "{raw}");
    }
    // OpenClaw's own legacy aliases still apply.
    assert_eq!(cfg.resolve("z.ai/glm-4.6").unwrap().model_ref.provider, "zai");
}
