//! Unit tests of the request mapping: `build_request` on hand-made requests, field by field.

use config::api::Api;
use config::registry::ResolvedModel;
use llm::{ContentBlock, ImageSource, Message, ModelRequest, ReasoningEffort, Role, ToolChoice, ToolSpec};
use serde_json::{json, Value};

use super::build_request;
use crate::target::Target;

fn model(id: &str) -> ResolvedModel {
    let mut model = ResolvedModel::new("ollama", id, Api::Ollama, "http://127.0.0.1:11434");
    model.context_window = Some(40_960);
    model
}

fn target() -> Target {
    Target::new(model("qwen3:8b"))
}

fn reasoning_target(id: &str) -> Target {
    let mut model = model(id);
    model.reasoning = true;
    Target::new(model)
}

fn ask(text: &str) -> ModelRequest {
    ModelRequest { model: "qwen3:8b".into(), messages: vec![Message::user(text)], ..ModelRequest::default() }
}

fn body(target: &Target, request: &ModelRequest) -> Value {
    build_request(target, request, true).expect("request builds").body
}

fn weather_tool() -> ToolSpec {
    ToolSpec {
        name: "get_weather".into(),
        description: Some("Current weather of a city".into()),
        parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}),
    }
}

fn time_tool() -> ToolSpec {
    ToolSpec { name: "get_time".into(), description: None, parameters: json!({"type": "object"}) }
}

fn png(data: &str) -> ContentBlock {
    ContentBlock::Image { source: ImageSource::Base64 { media_type: "image/png".into(), data: data.into() } }
}

#[test]
fn system_prompt_leads_and_messages_keep_their_roles() {
    let mut request = ask("Hi");
    request.system = Some("You are terse.".into());
    request.messages.push(Message::assistant("Hello."));
    request.messages.push(Message {
        role: Role::User,
        content: vec![ContentBlock::text("First line"), ContentBlock::text("second line")],
    });
    let body = body(&target(), &request);
    assert_eq!(body["model"], "qwen3:8b");
    assert_eq!(body["stream"], true);
    assert_eq!(
        body["messages"],
        json!([
            {"role": "system", "content": "You are terse."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello."},
            {"role": "user", "content": "First line\nsecond line"}
        ])
    );
    assert!(body.get("tools").is_none());
    assert!(body.get("think").is_none());
}

#[test]
fn non_streaming_requests_say_so() {
    let built = build_request(&target(), &ask("Hi"), false).unwrap();
    assert_eq!(built.body["stream"], false);
    assert_eq!(built.url, "http://127.0.0.1:11434/api/chat");
    assert!(built.headers.contains(&("accept".into(), "application/json".into())));
}

#[test]
fn images_are_bare_base64_for_vision_models_and_dropped_for_others() {
    let request = ModelRequest {
        messages: vec![Message {
            role: Role::User,
            content: vec![
                ContentBlock::text("What is this?"),
                png("iVBORw0KGgo="),
                ContentBlock::Image {
                    source: ImageSource::Url { url: "data:image/jpeg;base64,/9j/4AAQ".into() },
                },
            ],
        }],
        ..ModelRequest::default()
    };
    let mut vision = model("gemma3:4b");
    vision.input = vec!["text".into(), "image".into()];
    let with = body(&Target::new(vision), &request);
    assert_eq!(with["messages"][0]["images"], json!(["iVBORw0KGgo=", "/9j/4AAQ"]));
    assert_eq!(with["messages"][0]["content"], "What is this?");

    let without = body(&target(), &request);
    assert!(without["messages"][0].get("images").is_none());
    assert_eq!(without["messages"][0]["content"], "What is this?");
}

#[test]
fn an_image_url_cannot_be_sent() {
    let mut vision = model("gemma3:4b");
    vision.input = vec!["text".into(), "image".into()];
    let request = ModelRequest {
        messages: vec![Message {
            role: Role::User,
            content: vec![ContentBlock::Image {
                source: ImageSource::Url { url: "https://x.test/cat.png".into() },
            }],
        }],
        ..ModelRequest::default()
    };
    let error = build_request(&Target::new(vision), &request, true).unwrap_err();
    assert!(error.0.contains("base64") && error.0.contains("https://x.test/cat.png"), "{error}");
}

#[test]
fn tools_take_the_function_shape() {
    let mut request = ask("Weather in Paris?");
    request.tools = vec![weather_tool(), time_tool()];
    let body = body(&target(), &request);
    assert_eq!(
        body["tools"],
        json!([
            {"type": "function", "function": {"name": "get_weather", "description": "Current weather of a city",
             "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}},
            {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object"}}}
        ])
    );
}

#[test]
fn tool_choice_is_expressed_through_the_tool_list() {
    let mut request = ask("Weather in Paris?");
    request.tools = vec![weather_tool(), time_tool()];

    request.tool_choice = Some(ToolChoice::None);
    assert!(body(&target(), &request).get("tools").is_none());

    request.tool_choice = Some(ToolChoice::Tool("get_time".into()));
    let named = body(&target(), &request);
    assert_eq!(named["tools"].as_array().unwrap().len(), 1);
    assert_eq!(named["tools"][0]["function"]["name"], "get_time");

    request.tool_choice = Some(ToolChoice::Required);
    assert_eq!(body(&target(), &request)["tools"].as_array().unwrap().len(), 2);

    request.tool_choice = Some(ToolChoice::Tool("missing".into()));
    let error = build_request(&target(), &request, true).unwrap_err();
    assert!(error.0.contains("`missing`"), "{error}");
}

#[test]
fn tool_calls_and_results_round_trip_with_object_arguments_and_tool_names() {
    let request = ModelRequest {
        messages: vec![
            Message::user("Weather in Paris and the time?"),
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::ToolCall {
                        id: "call_1".into(),
                        name: "get_weather".into(),
                        arguments: json!({"city": "Paris"}),
                    },
                    ContentBlock::ToolCall {
                        id: "call_2".into(),
                        name: "get_time".into(),
                        arguments: json!("{\"zone\":\"CET\"}"),
                    },
                ],
            },
            Message {
                role: Role::Tool,
                content: vec![ContentBlock::ToolResult {
                    tool_call_id: "call_1".into(),
                    name: None,
                    content: vec![ContentBlock::text("18°C, clear")],
                    is_error: false,
                }],
            },
            // Anthropic-style: results inside a user turn.
            Message {
                role: Role::User,
                content: vec![ContentBlock::ToolResult {
                    tool_call_id: "call_2".into(),
                    name: Some("get_time".into()),
                    content: vec![ContentBlock::text("14:05")],
                    is_error: false,
                }],
            },
        ],
        ..ModelRequest::default()
    };
    let body = body(&target(), &request);
    assert_eq!(
        body["messages"],
        json!([
            {"role": "user", "content": "Weather in Paris and the time?"},
            {"role": "assistant", "content": "", "tool_calls": [
                {"function": {"name": "get_weather", "arguments": {"city": "Paris"}}},
                {"function": {"name": "get_time", "arguments": {"zone": "CET"}}}
            ]},
            {"role": "tool", "content": "18°C, clear", "tool_name": "get_weather"},
            {"role": "tool", "content": "14:05", "tool_name": "get_time"}
        ])
    );
}

#[test]
fn prior_reasoning_is_replayed_only_to_reasoning_models() {
    let request = ModelRequest {
        messages: vec![
            Message::user("2+2?"),
            Message {
                role: Role::Assistant,
                content: vec![ContentBlock::thinking("Simple sum."), ContentBlock::text("4")],
            },
            Message::user("and 3+3?"),
        ],
        ..ModelRequest::default()
    };
    let reasoning = body(&reasoning_target("qwen3:8b"), &request);
    assert_eq!(
        reasoning["messages"][1],
        json!({"role": "assistant", "content": "4", "thinking": "Simple sum."})
    );
    let plain = body(&target(), &request);
    assert_eq!(plain["messages"][1], json!({"role": "assistant", "content": "4"}));
}

#[test]
fn sampling_stop_and_max_tokens_go_into_options() {
    let mut request = ask("Hi");
    request.temperature = Some(0.7);
    request.top_p = Some(0.9);
    request.stop = vec!["</answer>".into()];
    request.max_tokens = Some(512);
    let body = body(&target(), &request);
    assert_eq!(
        body["options"],
        json!({"num_ctx": 40960, "temperature": 0.7, "top_p": 0.9, "num_predict": 512, "stop": ["</answer>"]})
    );
}

#[test]
fn max_tokens_default_to_the_models() {
    let body = body(&target(), &ask("Hi"));
    assert_eq!(body["options"], json!({"num_ctx": 40960, "num_predict": 8192}));
}

#[test]
fn num_ctx_comes_from_params_then_window_then_context_tokens_then_the_default() {
    let mut target = target();
    target.model.params.insert("num_ctx".into(), json!(8192));
    assert_eq!(body(&target, &ask("Hi"))["options"]["num_ctx"], 8192);
    target.model.params.clear();
    assert_eq!(body(&target, &ask("Hi"))["options"]["num_ctx"], 40960);
    target.model.context_window = None;
    target.model.context_tokens = Some(16_000);
    assert_eq!(body(&target, &ask("Hi"))["options"]["num_ctx"], 16000);
    target.model.context_tokens = None;
    assert_eq!(body(&target, &ask("Hi"))["options"]["num_ctx"], super::DEFAULT_NUM_CTX);
}

#[test]
fn reasoning_effort_becomes_think() {
    let qwen = reasoning_target("qwen3:8b");
    let mut request = ask("Why?");
    request.reasoning = Some(ReasoningEffort::High);
    assert_eq!(body(&qwen, &request)["think"], true);
    assert!(body(&target(), &request).get("think").is_none(), "a model that does not reason gets no think");

    let gpt_oss = reasoning_target("gpt-oss:20b");
    assert_eq!(body(&gpt_oss, &request)["think"], "high");
    request.reasoning = Some(ReasoningEffort::Minimal);
    assert_eq!(body(&gpt_oss, &request)["think"], "low");

    let mut mapped = reasoning_target("magistral:24b");
    mapped.model.compat.supported_reasoning_efforts = Some(vec!["low".into(), "high".into()]);
    mapped.model.compat.reasoning_effort_map =
        Some([("minimal".to_owned(), "low".to_owned())].into_iter().collect());
    assert_eq!(body(&mapped, &request)["think"], "low");

    request.reasoning = Some(ReasoningEffort::Off);
    assert_eq!(body(&qwen, &request)["think"], false);
    assert_eq!(body(&target(), &request)["think"], false);

    request.reasoning = None;
    assert!(body(&qwen, &request).get("think").is_none());
}

#[test]
fn params_known_to_ollama_keep_alive_and_extra_body() {
    let mut target = target();
    let params = json!({
        "top_k": 20, "min_p": 0.05, "repeat_penalty": 1.1, "seed": 42, "num_gpu": 99,
        "temperature": 0.6, "keep_alive": "30m", "cacheRetention": "long",
        "extra_body": {"options": {"temperature": 0.2, "num_thread": 8}, "format": "json"}
    });
    target.model.params = params.as_object().unwrap().clone();
    let body = body(&target, &ask("Hi"));
    assert_eq!(
        body["options"],
        json!({"num_ctx": 40960, "temperature": 0.2, "num_predict": 8192,
               "top_k": 20, "min_p": 0.05, "repeat_penalty": 1.1, "seed": 42, "num_gpu": 99, "num_thread": 8})
    );
    assert_eq!(body["keep_alive"], "30m");
    assert_eq!(body["format"], "json");
    assert!(body.get("cacheRetention").is_none() && body["options"].get("cacheRetention").is_none());
}

#[test]
fn a_request_value_beats_the_same_param() {
    let mut target = target();
    target.model.params.insert("temperature".into(), json!(0.6));
    target.model.params.insert("stop".into(), json!("<|im_end|>"));
    let mut request = ask("Hi");
    assert_eq!(body(&target, &request)["options"]["temperature"], 0.6);
    assert_eq!(body(&target, &request)["options"]["stop"], json!(["<|im_end|>"]));
    request.temperature = Some(0.1);
    assert_eq!(body(&target, &request)["options"]["temperature"], 0.1);
}

#[test]
fn a_param_of_the_wrong_type_names_itself() {
    let mut target = target();
    target.model.params.insert("num_ctx".into(), json!("big"));
    let error = build_request(&target, &ask("Hi"), true).unwrap_err();
    assert!(error.0.contains("params.num_ctx") && error.0.contains("ollama/qwen3:8b"), "{error}");
}
