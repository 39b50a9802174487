//! What reaches an Ollama server: `Client::stream` and `Client::complete` against the testkit's
//! Ollama mock, asserting the recorded request (path, headers, JSON body) field by field for each
//! option the native transport maps.

use config::api::Api;
use config::registry::ResolvedModel;
use futures::StreamExt;
use llm::{ContentBlock, ImageSource, Message, ModelRequest, ReasoningEffort, Role, ToolChoice, ToolSpec};
use providers::{Client, Target};
use serde_json::json;
use testkit::{Flavor, MockUpstream, RecordedRequest, Script};

fn target(up: &MockUpstream, id: &str) -> Target {
    let mut model = ResolvedModel::new("ollama", id, Api::Ollama, up.base_url());
    model.context_window = Some(40_960);
    Target::new(model)
}

fn reasoning_target(up: &MockUpstream, id: &str) -> Target {
    let mut target = target(up, id);
    target.model.reasoning = true;
    target
}

fn ask(model: &str, text: &str) -> ModelRequest {
    ModelRequest { model: model.into(), messages: vec![Message::user(text)], ..ModelRequest::default() }
}

fn weather_tool() -> ToolSpec {
    ToolSpec {
        name: "get_weather".into(),
        description: Some("Current weather".into()),
        parameters: json!({"type": "object", "properties": {"city": {"type": "string", "pattern": "^[A-Z]"}}}),
    }
}

/// Streams `request` to the end and returns what the mock received.
async fn streamed(up: &MockUpstream, target: &Target, request: &ModelRequest) -> RecordedRequest {
    let mut stream = Client::default().stream(target, request).await.expect("stream starts");
    while let Some(event) = stream.next().await {
        event.expect("stream event");
    }
    up.last_request().expect("a request was recorded")
}

/// Completes `request` and returns what the mock received.
async fn completed(up: &MockUpstream, target: &Target, request: &ModelRequest) -> RecordedRequest {
    Client::default().complete(target, request).await.expect("completes");
    up.last_request().expect("a request was recorded")
}

#[tokio::test]
async fn a_streamed_call_posts_the_native_chat_request() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let mut request = ask("qwen3:8b", "Hi");
    request.system = Some("Be brief.".into());
    let sent = streamed(&up, &target(&up, "qwen3:8b"), &request).await;

    assert_eq!(sent.method, "POST");
    assert_eq!(sent.path, "/api/chat");
    assert_eq!(sent.header("content-type"), Some("application/json"));
    assert_eq!(sent.header("accept"), Some("application/x-ndjson"));
    assert_eq!(sent.header("authorization"), None);
    assert_eq!(
        sent.body,
        json!({
            "model": "qwen3:8b",
            "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
            "stream": true,
            "options": {"num_ctx": 40960, "num_predict": 8192}
        })
    );
}

#[tokio::test]
async fn a_completed_call_asks_for_one_object() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    up.push(Script::text("Bonjour."));
    let target = target(&up, "qwen3:8b");
    let completion = Client::default().complete(&target, &ask("qwen3:8b", "Hi")).await.expect("completes");
    let sent = up.last_request().unwrap();
    assert_eq!(sent.path, "/api/chat");
    assert_eq!(sent.body["stream"], false);
    assert_eq!(sent.header("accept"), Some("application/json"));
    assert_eq!(completion.response.message.text(), "Bonjour.");
}

#[tokio::test]
async fn a_base_url_with_v1_still_reaches_the_native_api() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let mut target = target(&up, "qwen3:8b");
    target.model.base_url = format!("{}/v1/", up.base_url());
    let sent = streamed(&up, &target, &ask("qwen3:8b", "Hi")).await;
    assert_eq!(sent.path, "/api/chat");
}

#[tokio::test]
async fn num_ctx_is_always_sent_from_params_window_or_context_tokens() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let mut target = target(&up, "qwen3:8b");
    assert_eq!(streamed(&up, &target, &ask("qwen3:8b", "Hi")).await.body["options"]["num_ctx"], 40960);

    target.model.context_window = None;
    target.model.context_tokens = Some(12_000);
    assert_eq!(streamed(&up, &target, &ask("qwen3:8b", "Hi")).await.body["options"]["num_ctx"], 12000);

    target.model.params.insert("num_ctx".into(), json!(8192));
    assert_eq!(completed(&up, &target, &ask("qwen3:8b", "Hi")).await.body["options"]["num_ctx"], 8192);
}

#[tokio::test]
async fn sampling_stop_and_max_tokens_are_options() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let mut request = ask("qwen3:8b", "Hi");
    request.temperature = Some(0.3);
    request.top_p = Some(0.95);
    request.stop = vec!["\n\n".into(), "User:".into()];
    request.max_tokens = Some(256);
    let options = streamed(&up, &target(&up, "qwen3:8b"), &request).await.body["options"].clone();
    assert_eq!(options["temperature"], 0.3);
    assert_eq!(options["top_p"], 0.95);
    assert_eq!(options["stop"], json!(["\n\n", "User:"]));
    assert_eq!(options["num_predict"], 256);
    assert_eq!(options["num_ctx"], 40960);
}

#[tokio::test]
async fn params_known_to_ollama_keep_alive_and_extra_body_arrive() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let mut target = target(&up, "qwen3:8b");
    target.model.params = json!({
        "top_k": 20, "min_p": 0.0, "repeat_penalty": 1.05, "seed": 7, "num_gpu": 99,
        "keep_alive": "1h", "maxTokens": 999,
        "extra_body": {"options": {"num_batch": 1024}, "format": "json", "keep_alive": -1}
    })
    .as_object()
    .unwrap()
    .clone();
    let body = completed(&up, &target, &ask("qwen3:8b", "Hi")).await.body;
    let options = &body["options"];
    assert_eq!(options["top_k"], 20);
    assert_eq!(options["min_p"], 0.0);
    assert_eq!(options["repeat_penalty"], 1.05);
    assert_eq!(options["seed"], 7);
    assert_eq!(options["num_gpu"], 99);
    assert_eq!(options["num_batch"], 1024, "extra_body.options adds to the options");
    assert_eq!(options["num_ctx"], 40960, "extra_body.options does not replace the options");
    assert_eq!(body["format"], "json");
    assert_eq!(body["keep_alive"], -1, "extra_body wins over params.keep_alive");
    assert!(options.get("maxTokens").is_none() && body.get("maxTokens").is_none());
}

#[tokio::test]
async fn think_follows_the_reasoning_level_and_the_model() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let mut request = ask("qwen3:8b", "Why?");
    request.reasoning = Some(ReasoningEffort::Medium);
    assert_eq!(streamed(&up, &reasoning_target(&up, "qwen3:8b"), &request).await.body["think"], true);
    assert_eq!(streamed(&up, &target(&up, "llama3.2:3b"), &request).await.body.get("think"), None);
    assert_eq!(streamed(&up, &reasoning_target(&up, "gpt-oss:20b"), &request).await.body["think"], "medium");
    request.reasoning = Some(ReasoningEffort::Off);
    assert_eq!(streamed(&up, &reasoning_target(&up, "qwen3:8b"), &request).await.body["think"], false);
}

#[tokio::test]
async fn tools_and_tool_choice_shape_the_tool_list() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let target = target(&up, "qwen3:8b");
    let mut request = ask("qwen3:8b", "Weather in Paris?");
    request.tools = vec![weather_tool()];
    let body = streamed(&up, &target, &request).await.body;
    assert_eq!(
        body["tools"],
        json!([{"type": "function", "function": {"name": "get_weather", "description": "Current weather",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]),
        "pattern is stripped by the llamacpp schema profile"
    );
    request.tool_choice = Some(ToolChoice::None);
    assert_eq!(streamed(&up, &target, &request).await.body.get("tools"), None);
}

#[tokio::test]
async fn tool_history_images_and_prior_reasoning_arrive_in_ollamas_shape() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let mut target = reasoning_target(&up, "qwen2.5vl:7b");
    target.model.input = vec!["text".into(), "image".into()];
    let request = ModelRequest {
        model: "qwen2.5vl:7b".into(),
        messages: vec![
            Message {
                role: Role::User,
                content: vec![
                    ContentBlock::text("Weather where this was taken?"),
                    ContentBlock::Image {
                        source: ImageSource::Base64 {
                            media_type: "image/png".into(),
                            data: "iVBORw0KGgo=".into(),
                        },
                    },
                ],
            },
            Message {
                role: Role::Assistant,
                content: vec![
                    ContentBlock::thinking("Looks like Paris."),
                    ContentBlock::ToolCall {
                        id: "call_1".into(),
                        name: "get_weather".into(),
                        arguments: json!({"city": "Paris"}),
                    },
                ],
            },
            Message {
                role: Role::Tool,
                content: vec![ContentBlock::ToolResult {
                    tool_call_id: "call_1".into(),
                    name: None,
                    content: vec![ContentBlock::text("{\"temp_c\":18}")],
                    is_error: false,
                }],
            },
        ],
        tools: vec![weather_tool()],
        ..ModelRequest::default()
    };
    let messages = streamed(&up, &target, &request).await.body["messages"].clone();
    assert_eq!(
        messages,
        json!([
            {"role": "user", "content": "Weather where this was taken?", "images": ["iVBORw0KGgo="]},
            {"role": "assistant", "content": "", "thinking": "Looks like Paris.",
             "tool_calls": [{"function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
            {"role": "tool", "content": "{\"temp_c\":18}", "tool_name": "get_weather"}
        ])
    );
}

#[tokio::test]
async fn a_model_without_image_input_gets_no_images() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let request = ModelRequest {
        model: "llama3.2:3b".into(),
        messages: vec![Message {
            role: Role::User,
            content: vec![
                ContentBlock::text("Describe"),
                ContentBlock::Image {
                    source: ImageSource::Base64 {
                        media_type: "image/png".into(),
                        data: "iVBORw0KGgo=".into(),
                    },
                },
            ],
        }],
        ..ModelRequest::default()
    };
    let sent = streamed(&up, &target(&up, "llama3.2:3b"), &request).await;
    assert_eq!(sent.body["messages"], json!([{"role": "user", "content": "Describe"}]));
}

#[tokio::test]
async fn provider_headers_and_a_cloud_key_are_sent() {
    let up = MockUpstream::builder(Flavor::Ollama).api_key("ollama-cloud-key").start().await;
    let mut target = target(&up, "gpt-oss:120b-cloud").with_key("ollama-cloud-key");
    target.headers.push(("x-team".into(), "lab".into()));
    let sent = streamed(&up, &target, &ask("gpt-oss:120b-cloud", "Hi")).await;
    assert_eq!(sent.header("authorization"), Some("Bearer ollama-cloud-key"));
    assert_eq!(sent.header("x-team"), Some("lab"));
    assert_eq!(sent.api_key(), Some("ollama-cloud-key"));
}

#[tokio::test]
async fn a_request_that_cannot_be_expressed_is_refused_before_sending() {
    let up = MockUpstream::start(Flavor::Ollama).await;
    let mut target = target(&up, "gemma3:4b");
    target.model.input = vec!["text".into(), "image".into()];
    let request = ModelRequest {
        model: "gemma3:4b".into(),
        messages: vec![Message {
            role: Role::User,
            content: vec![ContentBlock::Image {
                source: ImageSource::Url { url: "https://x.test/cat.png".into() },
            }],
        }],
        ..ModelRequest::default()
    };
    let error = Client::default().stream(&target, &request).await.err().expect("refused");
    assert_eq!(error.reason, llm::FailoverReason::Format);
    assert!(error.to_string().contains("base64"), "{error}");
    assert_eq!(up.request_count(), 0);
}
