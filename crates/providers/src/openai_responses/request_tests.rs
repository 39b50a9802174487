//! Unit tests of the request mapping: messages, system prompt, images, tools, tool results,
//! `tool_choice`, stop, max tokens, sampling, reasoning effort and the native-only fields.

use config::api::Api;
use config::registry::ResolvedModel;
use llm::{ContentBlock, ImageSource, Message, ModelRequest, ReasoningEffort, Role, ToolChoice, ToolSpec};
use serde_json::{json, Value};

use super::build_request;
use crate::target::Target;

const OPENAI: &str = "https://api.openai.com/v1";
const LMSTUDIO: &str = "http://127.0.0.1:1234/v1";

fn target(base_url: &str, reasoning: bool) -> Target {
    let mut model = ResolvedModel::new("p", "m-1", Api::OpenaiResponses, base_url);
    model.reasoning = reasoning;
    Target::new(model)
}

fn user(text: &str) -> ModelRequest {
    ModelRequest { model: "m-1".into(), messages: vec![Message::user(text)], ..ModelRequest::default() }
}

fn body(target: &Target, request: &ModelRequest) -> Value {
    build_request(target, request, true).expect("request builds").body
}

fn weather_tool() -> ToolSpec {
    ToolSpec {
        name: "get_weather".into(),
        description: Some("Weather of a city".into()),
        parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}}),
    }
}

#[test]
fn url_headers_and_minimal_body() {
    let request = build_request(&target(LMSTUDIO, false), &user("hi"), true).unwrap();
    assert_eq!(request.url, "http://127.0.0.1:1234/v1/responses");
    assert_eq!(request.headers, vec![("accept".to_owned(), "text/event-stream".to_owned())]);
    assert_eq!(
        request.body,
        json!({"model": "m-1", "input": [
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]}
        ], "stream": true})
    );
    let plain = build_request(&target(LMSTUDIO, false), &user("hi"), false).unwrap();
    assert_eq!(plain.body["stream"], false);
    assert_eq!(plain.headers[0].1, "application/json");
}

#[test]
fn system_prompt_is_developer_only_for_reasoning_models_on_openai() {
    let mut request = user("hi");
    request.system = Some("Be brief.".into());
    let role = |t: &Target| body(t, &request)["input"][0]["role"].clone();
    assert_eq!(role(&target(OPENAI, true)), "developer");
    assert_eq!(role(&target(OPENAI, false)), "system");
    assert_eq!(role(&target(LMSTUDIO, true)), "system");
    let mut no_developer = target(OPENAI, true);
    no_developer.model.compat.supports_developer_role = Some(false);
    assert_eq!(role(&no_developer), "system");
    assert_eq!(body(&target(LMSTUDIO, false), &request)["input"][0]["content"], "Be brief.");
}

#[test]
fn images_become_input_images_or_are_dropped() {
    let request = ModelRequest {
        messages: vec![
            Message {
                role: Role::User,
                content: vec![
                    ContentBlock::text("what is this?"),
                    ContentBlock::Image {
                        source: ImageSource::Base64 { media_type: "image/png".into(), data: "iVBO".into() },
                    },
                    ContentBlock::Image { source: ImageSource::Url { url: "https://x.test/a.jpg".into() } },
                ],
            },
            Message {
                role: Role::User,
                content: vec![ContentBlock::Image {
                    source: ImageSource::Url { url: "https://x.test/b.jpg".into() },
                }],
            },
        ],
        ..ModelRequest::default()
    };
    let mut vision = target(LMSTUDIO, false);
    vision.model.input = vec!["text".into(), "image".into()];
    let with = body(&vision, &request);
    assert_eq!(
        with["input"][0]["content"],
        json!([
            {"type": "input_text", "text": "what is this?"},
            {"type": "input_image", "image_url": "data:image/png;base64,iVBO", "detail": "auto"},
            {"type": "input_image", "image_url": "https://x.test/a.jpg", "detail": "auto"}
        ])
    );
    assert_eq!(with["input"].as_array().unwrap().len(), 2);
    let without = body(&target(LMSTUDIO, false), &request);
    assert_eq!(without["input"][0]["content"], json!([{"type": "input_text", "text": "what is this?"}]));
    assert_eq!(without["input"].as_array().unwrap().len(), 1, "an image-only message is dropped whole");
}

fn assistant_turn(thinking: ContentBlock) -> ModelRequest {
    ModelRequest {
        messages: vec![
            Message::user("weather in Paris?"),
            Message {
                role: Role::Assistant,
                content: vec![
                    thinking,
                    ContentBlock::text("Let me check."),
                    ContentBlock::ToolCall {
                        id: "call_A1|fc_01".into(),
                        name: "get_weather".into(),
                        arguments: json!({"city": "Paris"}),
                    },
                ],
            },
            Message {
                role: Role::Tool,
                content: vec![ContentBlock::ToolResult {
                    tool_call_id: "call_A1|fc_01".into(),
                    name: Some("get_weather".into()),
                    content: vec![ContentBlock::text("18°C"), ContentBlock::text("sunny")],
                    is_error: false,
                }],
            },
        ],
        ..ModelRequest::default()
    }
}

#[test]
fn assistant_history_replays_encrypted_reasoning_text_and_calls() {
    let thinking = ContentBlock::Thinking {
        thinking: "Need the weather tool.".into(),
        signature: Some("rs_9|gAAAAB-enc".into()),
        encrypted: None,
    };
    let input = body(&target(OPENAI, true), &assistant_turn(thinking))["input"].clone();
    assert_eq!(
        input,
        json!([
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "weather in Paris?"}]},
            {"type": "reasoning", "id": "rs_9",
             "summary": [{"type": "summary_text", "text": "Need the weather tool."}],
             "encrypted_content": "gAAAAB-enc"},
            {"type": "message", "role": "assistant", "status": "completed",
             "content": [{"type": "output_text", "text": "Let me check.", "annotations": []}]},
            {"type": "function_call", "id": "fc_01", "call_id": "call_A1", "name": "get_weather",
             "arguments": "{\"city\":\"Paris\"}"},
            {"type": "function_call_output", "call_id": "call_A1", "output": "18°C\nsunny"}
        ])
    );
}

#[test]
fn reasoning_without_replay_state_is_not_sent_and_unpairs_the_call() {
    let input = body(&target(LMSTUDIO, true), &assistant_turn(ContentBlock::thinking("private thoughts")))
        ["input"]
        .clone();
    let items = input.as_array().unwrap();
    assert!(items.iter().all(|i| i["type"] != "reasoning"));
    assert!(!input.to_string().contains("private thoughts"));
    let call = items.iter().find(|i| i["type"] == "function_call").unwrap();
    assert_eq!(call["call_id"], "call_A1");
    assert!(call.get("id").is_none(), "an fc_ id without its reasoning item is rejected by OpenAI");
}

#[test]
fn encrypted_field_wins_and_a_state_without_id_is_not_replayed() {
    let thinking = ContentBlock::Thinking {
        thinking: String::new(),
        signature: Some("reasoning_content".into()),
        encrypted: Some("rs_7|gAAAA".into()),
    };
    let input = body(&target(OPENAI, true), &assistant_turn(thinking))["input"].clone();
    assert_eq!(
        input[1],
        json!({"type": "reasoning", "id": "rs_7", "summary": [], "encrypted_content": "gAAAA"})
    );
    let bare =
        ContentBlock::Thinking { thinking: "t".into(), signature: None, encrypted: Some("gAAAA".into()) };
    let input = body(&target(OPENAI, true), &assistant_turn(bare))["input"].clone();
    assert!(input.as_array().unwrap().iter().all(|i| i["type"] != "reasoning"));
}

#[test]
fn tool_result_images_follow_as_a_user_message() {
    let request = ModelRequest {
        messages: vec![Message {
            role: Role::Tool,
            content: vec![ContentBlock::ToolResult {
                tool_call_id: "call_B".into(),
                name: None,
                content: vec![ContentBlock::Image {
                    source: ImageSource::Base64 { media_type: "image/jpeg".into(), data: "/9j/".into() },
                }],
                is_error: false,
            }],
        }],
        ..ModelRequest::default()
    };
    let mut vision = target(LMSTUDIO, false);
    vision.model.input = vec!["text".into(), "image".into()];
    assert_eq!(
        body(&vision, &request)["input"],
        json!([
            {"type": "function_call_output", "call_id": "call_B", "output": "(see attached image)"},
            {"type": "message", "role": "user", "content": [
                {"type": "input_text", "text": "Attached image(s) from tool result:"},
                {"type": "input_image", "image_url": "data:image/jpeg;base64,/9j/", "detail": "auto"}
            ]}
        ])
    );
    assert_eq!(body(&target(LMSTUDIO, false), &request)["input"].as_array().unwrap().len(), 1);
}

#[test]
fn tools_and_tool_choice() {
    let mut request = user("hi");
    request.tools = vec![weather_tool()];
    let proxy = body(&target(LMSTUDIO, false), &request);
    assert_eq!(
        proxy["tools"],
        json!([{"type": "function", "name": "get_weather", "description": "Weather of a city",
                "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}])
    );
    assert_eq!(proxy["tool_choice"], "auto");
    assert_eq!(body(&target(OPENAI, false), &request)["tools"][0]["strict"], false);
    for (choice, wire) in [
        (ToolChoice::Auto, json!("auto")),
        (ToolChoice::None, json!("none")),
        (ToolChoice::Required, json!("required")),
        (ToolChoice::Tool("get_weather".into()), json!({"type": "function", "name": "get_weather"})),
    ] {
        request.tool_choice = Some(choice);
        assert_eq!(body(&target(LMSTUDIO, false), &request)["tool_choice"], wire);
    }
    let mut no_tools = target(LMSTUDIO, false);
    no_tools.model.compat.supports_tools = Some(false);
    let sent = body(&no_tools, &request);
    assert!(sent.get("tools").is_none() && sent.get("tool_choice").is_none());
    assert!(body(&target(LMSTUDIO, false), &user("hi")).get("tool_choice").is_none());
}

#[test]
fn stop_is_dropped_and_sampling_settings_are_exact() {
    let mut request = user("hi");
    request.stop = vec!["END".into()];
    request.max_tokens = Some(512);
    request.temperature = Some(0.7);
    request.top_p = Some(0.95);
    let sent = body(&target(LMSTUDIO, false), &request);
    assert!(sent.get("stop").is_none());
    assert!(!sent.to_string().contains("END"));
    assert_eq!(sent["max_output_tokens"], 512);
    assert_eq!(sent["temperature"], json!(0.7));
    assert_eq!(sent["top_p"], json!(0.95));
    let mut no_sampling = target(LMSTUDIO, false);
    no_sampling.model.compat.supports_temperature = Some(false);
    let sent = body(&no_sampling, &request);
    assert!(sent.get("temperature").is_none() && sent.get("top_p").is_none());
}

#[test]
fn reasoning_only_for_reasoning_models() {
    let mut request = user("hi");
    request.reasoning = Some(ReasoningEffort::High);
    let plain = body(&target(LMSTUDIO, false), &request);
    assert!(plain.get("reasoning").is_none() && plain.get("include").is_none());
    let sent = body(&target(LMSTUDIO, true), &request);
    assert_eq!(sent["reasoning"], json!({"effort": "high", "summary": "auto"}));
    assert_eq!(sent["include"], json!(["reasoning.encrypted_content"]));
    request.reasoning = None;
    assert_eq!(body(&target(LMSTUDIO, true), &request)["reasoning"], json!({"summary": "auto"}));
}

#[test]
fn reasoning_effort_names_maps_and_clamps() {
    let effort = |t: &Target, e: ReasoningEffort| {
        let mut request = user("hi");
        request.reasoning = Some(e);
        body(t, &request)["reasoning"].get("effort").cloned()
    };
    let plain = target(OPENAI, true);
    assert_eq!(effort(&plain, ReasoningEffort::Off), Some(json!("none")));
    assert_eq!(effort(&plain, ReasoningEffort::Minimal), Some(json!("minimal")));
    assert_eq!(effort(&plain, ReasoningEffort::Max), Some(json!("xhigh")));
    let mut listed = target(OPENAI, true);
    listed.model.compat.supported_reasoning_efforts =
        Some(vec!["low".into(), "medium".into(), "high".into()]);
    assert_eq!(effort(&listed, ReasoningEffort::Xhigh), Some(json!("high")));
    assert_eq!(effort(&listed, ReasoningEffort::Off), Some(json!("low")));
    assert_eq!(effort(&listed, ReasoningEffort::Medium), Some(json!("medium")));
    let mut mapped = target(LMSTUDIO, true);
    mapped.model.compat.reasoning_effort_map =
        Some([("high".to_owned(), "on".to_owned())].into_iter().collect());
    assert_eq!(effort(&mapped, ReasoningEffort::High), Some(json!("on")));
    let mut unsupported = target(LMSTUDIO, true);
    unsupported.model.compat.supports_reasoning_effort = Some(false);
    assert_eq!(effort(&unsupported, ReasoningEffort::High), None);
}

#[test]
fn store_cache_key_and_service_tier_only_on_openai() {
    let mut request = user("hi");
    request.params.insert("promptCacheKey".into(), json!("session-42"));
    request.params.insert("serviceTier".into(), json!("priority"));
    let native = body(&target(OPENAI, false), &request);
    assert_eq!(native["store"], false);
    assert_eq!(native["prompt_cache_key"], "session-42");
    assert_eq!(native["service_tier"], "priority");
    let proxy = body(&target(LMSTUDIO, false), &request);
    for key in ["store", "prompt_cache_key", "service_tier"] {
        assert!(proxy.get(key).is_none(), "{key} sent to a proxy route");
    }
    let mut no_store = target(OPENAI, false);
    no_store.model.compat.supports_store = Some(false);
    no_store.model.compat.supports_prompt_cache_key = Some(false);
    let sent = body(&no_store, &request);
    assert!(sent.get("store").is_none() && sent.get("prompt_cache_key").is_none());
}

#[test]
fn extra_body_is_merged_last_and_store_stays_off_proxies() {
    let mut request = user("hi");
    request.temperature = Some(0.2);
    request.params.insert(
        "extra_body".into(),
        json!({"temperature": 0.9, "store": true, "text": {"verbosity": "low"}, "top_k": 20}),
    );
    let proxy = body(&target(LMSTUDIO, false), &request);
    assert_eq!(proxy["temperature"], json!(0.9));
    assert_eq!(proxy["top_k"], 20);
    assert_eq!(proxy["text"], json!({"verbosity": "low"}));
    assert!(proxy.get("store").is_none());
    assert_eq!(body(&target(OPENAI, false), &request)["store"], true);
    let mut from_model = target(LMSTUDIO, false);
    from_model.model.params.insert("extraBody".into(), json!({"top_k": 40}));
    assert_eq!(body(&from_model, &user("hi"))["top_k"], 40);
}
