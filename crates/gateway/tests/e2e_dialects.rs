//! End to end, each ingress dialect × each upstream `api` (9 combinations, plus Ollama's native API
//! as a bonus), streamed and whole: a
//! client of the gateway, the real router and transports, and a mock upstream answering with
//! reasoning, then text, then a tool call. The exact bytes the client gets are snapshots; the code
//! checks that reasoning stays in the reasoning field, that the answering model is named, and that
//! the upstream got one request in its own dialect with the translated messages and tools.

mod common;

use common::client;
use common::e2e::sse::{read, without_reasoning, without_upstream_randomness, Reading};
use common::e2e::{
    e2e_transcript, upstream_path, weather_request, ConfigDoc, Provider, Stack, INGRESS, UPSTREAMS,
};
use serde_json::{json, Value};
use testkit::{Flavor, MockUpstream, Script};

const REASONING: &str = "The user is in Paris, so I ponder the forecast there.";
const TEXT: &str = "Let me check the weather in Paris.";
/// A word only the reasoning has: finding it anywhere else is a leak.
const REASONING_ONLY: &str = "ponder";

fn script() -> Script {
    Script::reasoning_then_text(REASONING, TEXT)
        .then_tool_call("get_weather", json!({"city": "Paris"}))
        .usage(40, 25)
}

/// One mock per upstream `api` (and Ollama), each configured as its own provider.
struct World {
    upstreams: Vec<(Provider, MockUpstream)>,
    stack: Stack,
}

impl World {
    async fn start() -> World {
        let mut upstreams = Vec::new();
        let models = [("lms", "qwen3-8b"), ("oai", "gpt-5-mini"), ("ant", "claude-sonnet-4-5")];
        for ((api, flavor), (id, model)) in UPSTREAMS.into_iter().zip(models) {
            let mock = MockUpstream::start(flavor).await;
            mock.set_default(script());
            upstreams.push((Provider::on(id, api, model, &mock), mock));
        }
        let ollama = MockUpstream::start(Flavor::Ollama).await;
        ollama.set_default(script());
        upstreams.push((Provider::on("oll", "ollama", "qwen3:8b", &ollama), ollama));
        let providers: Vec<Provider> = upstreams.iter().map(|(p, _)| p.clone()).collect();
        let primary = providers[0].key();
        let stack = Stack::start(ConfigDoc::new(providers, primary).load()).await;
        World { upstreams, stack }
    }

    fn upstream(&self, api: &str) -> &(Provider, MockUpstream) {
        self.upstreams.iter().find(|(p, _)| p.api == api).unwrap()
    }
}

/// What one combination produced.
struct Outcome {
    /// Status, headers and body, with the upstream's tool-call id (random) normalised.
    transcript: String,
    /// The request the upstream received, pretty JSON.
    upstream_request: String,
}

async fn combination(dialect: &str, api: &str, stream: bool) -> Outcome {
    let world = World::start().await;
    let (provider, _) = world.upstream(api);
    let path = INGRESS.iter().find(|(d, _)| *d == dialect).unwrap().1;
    let response = client()
        .post(world.stack.url(path))
        .json(&weather_request(dialect, &provider.key(), stream))
        .send()
        .await
        .unwrap();
    let label = format!("{dialect} ← {api} (stream: {stream})");
    assert_eq!(response.status(), 200, "{label}");
    assert_eq!(response.headers()["x-clawgate-model"], provider.key().as_str(), "{label}");
    let attempts = response.headers()["x-clawgate-attempts"].to_str().unwrap().to_owned();
    assert!(attempts.starts_with(&format!("{}:ok:", provider.key())), "{label}: {attempts}");
    assert!(!attempts.contains(','), "{label}: one attempt only: {attempts}");
    let transcript = e2e_transcript(response).await;
    let body = transcript.split_once("\n\n").unwrap().1;

    let reading = read(dialect, body, stream);
    check_reading(&label, &reading, &provider.key(), body);
    if !stream {
        assert_eq!(reading.reasoning.len(), 1, "{label}: one reasoning block / item\n{body}");
    }
    assert!(reading.signatures.len() <= 1, "{label}: one signature at most: {:?}", reading.signatures);
    let upstream_request = check_upstream(&label, &world, api, stream);

    assert!(!reading.tool_calls[0].id.is_empty(), "{label}: the tool call has an id");
    Outcome { transcript: without_upstream_randomness(transcript, &reading), upstream_request }
}

/// Reasoning only in the reasoning field, the text and the tool call whole, the answering model named,
/// and the completion marker present.
fn check_reading(label: &str, reading: &Reading, key: &str, body: &str) {
    assert!(reading.completed, "{label}: no completion marker\n{body}");
    assert_eq!(reading.error, None, "{label}");
    assert_eq!(reading.model.as_deref(), Some(key), "{label}: the response names the model that answered");
    assert_eq!(reading.reasoning_text(), REASONING, "{label}: the reasoning field\n{body}");
    assert_eq!(reading.text(), TEXT, "{label}: the text\n{body}");
    for text in &reading.texts {
        assert!(!text.contains(REASONING_ONLY), "{label}: reasoning leaked into a text field: {text:?}");
    }
    let rest = without_reasoning(body);
    assert!(!rest.contains(REASONING_ONLY), "{label}: reasoning outside the reasoning fields:\n{rest}");
    assert_eq!(reading.tool_calls.len(), 1, "{label}: {:?}", reading.tool_calls);
    let call = &reading.tool_calls[0];
    assert_eq!(call.name, "get_weather", "{label}");
    let arguments: Value = serde_json::from_str(&call.arguments).unwrap();
    assert_eq!(arguments, json!({"city": "Paris"}), "{label}");
}

/// The chosen upstream got exactly one request, in its dialect, with the conversation and tools
/// translated; the others got none.
fn check_upstream(label: &str, world: &World, api: &str, stream: bool) -> String {
    for (provider, mock) in &world.upstreams {
        let inference = mock.requests_to(upstream_path(provider.api));
        if provider.api != api {
            assert!(inference.is_empty(), "{label}: {} was called", provider.key());
        }
    }
    let (provider, mock) = world.upstream(api);
    let requests = mock.requests_to(upstream_path(api));
    assert_eq!(requests.len(), 1, "{label}: one upstream request");
    assert_eq!(mock.request_count(), 1, "{label}: nothing but the inference request");
    let body = &requests[0].body;
    assert_eq!(body["model"], provider.model.as_str(), "{label}");
    let _ = stream;
    let tool_names = |tools: &Value, pointer: &str| -> Vec<String> {
        tools
            .as_array()
            .unwrap_or_else(|| panic!("{label}: no tools in {body}"))
            .iter()
            .map(|t| t.pointer(pointer).and_then(Value::as_str).unwrap_or_default().to_owned())
            .collect()
    };
    let messages = match api {
        "openai-completions" => {
            assert_eq!(
                tool_names(&body["tools"], "/function/name"),
                ["get_weather", "get_location"],
                "{label}"
            );
            let m = body["messages"].as_array().unwrap();
            assert_eq!(m[0]["role"], "system", "{label}");
            assert_eq!(m[0]["content"], "You are terse.", "{label}");
            assert_eq!(m[1]["role"], "user", "{label}");
            assert_eq!(m[2]["tool_calls"][0]["function"]["name"], "get_location", "{label}");
            assert_eq!(m[3]["role"], "tool", "{label}");
            assert_eq!(m[3]["tool_call_id"], "call_loc", "{label}");
            assert_eq!(m[3]["content"], "Paris", "{label}");
            m.len()
        }
        "openai-responses" => {
            assert_eq!(tool_names(&body["tools"], "/name"), ["get_weather", "get_location"], "{label}");
            let input = body["input"].as_array().unwrap();
            let system =
                body["instructions"].as_str().map(str::to_owned).unwrap_or_else(|| input[0].to_string());
            assert!(system.contains("You are terse."), "{label}: {body}");
            let call = input.iter().find(|i| i["type"] == "function_call").expect("the earlier tool call");
            assert_eq!(call["call_id"], "call_loc", "{label}");
            let output = input.iter().find(|i| i["type"] == "function_call_output").expect("the tool result");
            assert_eq!(output["call_id"], "call_loc", "{label}");
            assert_eq!(output["output"], "Paris", "{label}");
            input.len()
        }
        "anthropic-messages" => {
            assert_eq!(tool_names(&body["tools"], "/name"), ["get_weather", "get_location"], "{label}");
            assert!(body["system"].to_string().contains("You are terse."), "{label}: {body}");
            let m = body["messages"].as_array().unwrap();
            assert_eq!(m[0]["role"], "user", "{label}");
            assert_eq!(m[1]["content"][0]["type"], "tool_use", "{label}");
            assert_eq!(m[1]["content"][0]["id"], "call_loc", "{label}");
            assert_eq!(m[2]["content"][0]["type"], "tool_result", "{label}");
            assert_eq!(m[2]["content"][0]["tool_use_id"], "call_loc", "{label}");
            m.len()
        }
        "ollama" => {
            assert_eq!(
                tool_names(&body["tools"], "/function/name"),
                ["get_weather", "get_location"],
                "{label}"
            );
            let m = body["messages"].as_array().unwrap();
            assert_eq!(m[0]["role"], "system", "{label}");
            assert_eq!(m[0]["content"], "You are terse.", "{label}");
            assert_eq!(m[2]["tool_calls"][0]["function"]["name"], "get_location", "{label}");
            assert_eq!(m[3]["role"], "tool", "{label}");
            assert_eq!(m[3]["content"], "Paris", "{label}");
            m.len()
        }
        other => panic!("{label}: unexpected api {other}"),
    };
    assert!(messages >= 3, "{label}: the whole conversation reached the upstream");
    serde_json::to_string_pretty(body).unwrap()
}

macro_rules! combination_tests {
    ($($name:ident: $dialect:literal, $api:literal;)*) => {
        mod streamed {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let outcome = combination($dialect, $api, true).await;
                    insta::assert_snapshot!(concat!(stringify!($name), "_streamed"), outcome.transcript);
                    insta::assert_snapshot!(
                        concat!(stringify!($name), "_upstream_request"),
                        outcome.upstream_request
                    );
                }
            )*
        }
        mod whole {
            use super::*;
            $(
                #[tokio::test]
                async fn $name() {
                    let outcome = combination($dialect, $api, false).await;
                    insta::assert_snapshot!(concat!(stringify!($name), "_whole"), outcome.transcript);
                }
            )*
        }
    };
}

combination_tests! {
    chat_from_completions: "chat", "openai-completions";
    chat_from_responses: "chat", "openai-responses";
    chat_from_messages: "chat", "anthropic-messages";
    responses_from_completions: "responses", "openai-completions";
    responses_from_responses: "responses", "openai-responses";
    responses_from_messages: "responses", "anthropic-messages";
    messages_from_completions: "messages", "openai-completions";
    messages_from_responses: "messages", "openai-responses";
    messages_from_messages: "messages", "anthropic-messages";
    // Bonus: Ollama's native API upstream.
    chat_from_ollama: "chat", "ollama";
    responses_from_ollama: "responses", "ollama";
    messages_from_ollama: "messages", "ollama";
}
