//! Each ingress dialect, streamed and not, with reasoning, text and a tool call: the exact bytes the
//! client gets (headers included), and the `ModelRequest` the backend was handed.

mod common;

use common::*;
use serde_json::{json, Value};

/// A Chat Completions request using every translated feature.
fn chat_body(stream: bool) -> Value {
    json!({
        "model": "sonnet",
        "stream": stream,
        "stream_options": {"include_usage": true},
        "messages": [
            {"role": "system", "content": "You are terse."},
            {"role": "developer", "content": "Use tools."},
            {"role": "user", "content": [
                {"type": "text", "text": "Weather here?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
            ]},
            {"role": "assistant", "content": null, "reasoning_content": "need a tool",
             "tool_calls": [{"id": "call_0", "type": "function",
                             "function": {"name": "get_location", "arguments": "{}"}}]},
            {"role": "tool", "tool_call_id": "call_0", "content": "Paris"}
        ],
        "tools": [{"type": "function", "function": {"name": "get_weather", "description": "Weather by city",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}},
                  {"type": "function", "function": {"name": "get_location"}}],
        "tool_choice": "auto",
        "reasoning_effort": "high",
        "stop": ["\n\nUser:"],
        "max_tokens": 100,
        "max_completion_tokens": 200,
        "temperature": 0.2,
        "top_p": 0.9
    })
}

fn responses_body(stream: bool) -> Value {
    json!({
        "model": "sonnet",
        "stream": stream,
        "instructions": "You are terse.",
        "input": [
            {"role": "developer", "content": "Use tools."},
            {"type": "message", "role": "user", "content": [
                {"type": "input_text", "text": "Weather here?"},
                {"type": "input_image", "image_url": "data:image/png;base64,iVBORw0KGgo="}
            ]},
            {"type": "reasoning", "id": "rs_0", "summary": [{"type": "summary_text", "text": "need a tool"}],
             "encrypted_content": "enc-0"},
            {"type": "function_call", "call_id": "call_0", "name": "get_location", "arguments": "{}"},
            {"type": "function_call_output", "call_id": "call_0", "output": "Paris"}
        ],
        "tools": [{"type": "function", "name": "get_weather", "description": "Weather by city",
                   "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}},
                  {"type": "function", "name": "get_location"}],
        "tool_choice": {"type": "function", "name": "get_weather"},
        "reasoning": {"effort": "medium", "summary": "auto"},
        "max_output_tokens": 200,
        "temperature": 0.2,
        "top_p": 0.9,
        "store": false,
        "metadata": {"run": "1"}
    })
}

fn messages_body(stream: bool) -> Value {
    json!({
        "model": "sonnet",
        "stream": stream,
        "system": [{"type": "text", "text": "You are terse."}, {"type": "text", "text": "Use tools."}],
        "messages": [
            {"role": "user", "content": [
                {"type": "text", "text": "Weather here?"},
                {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBORw0KGgo="}}
            ]},
            {"role": "assistant", "content": [
                {"type": "thinking", "thinking": "need a tool", "signature": "sig-0"},
                {"type": "tool_use", "id": "toolu_0", "name": "get_location", "input": {}}
            ]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_0", "content": "Paris"}]}
        ],
        "tools": [{"name": "get_weather", "description": "Weather by city",
                   "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}},
                  {"name": "get_location", "input_schema": {"type": "object"}}],
        "tool_choice": {"type": "any"},
        "thinking": {"type": "enabled", "budget_tokens": 2048},
        "stop_sequences": ["\n\nHuman:"],
        "max_tokens": 4096,
        "temperature": 0.2,
        "top_p": 0.9
    })
}

async fn run(path: &str, body: Value) -> (String, String) {
    let backend = FakeBackend::new([answer(rich_answer())]);
    let gw = start(settings(), backend.clone()).await;
    let response = client().post(gw.url(path)).json(&body).send().await.unwrap();
    let transcript = transcript(response).await;
    let seen = backend.requests();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].model, "sonnet", "the backend gets the model as the client wrote it");
    let request = serde_json::to_string_pretty(&seen[0].request).unwrap();
    (transcript, request)
}

#[tokio::test]
async fn chat_streamed() {
    let (bytes, request) = run("/v1/chat/completions", chat_body(true)).await;
    insta::assert_snapshot!(bytes);
    insta::assert_snapshot!("chat_request", request);
}

#[tokio::test]
async fn chat_whole() {
    let (bytes, _) = run("/v1/chat/completions", chat_body(false)).await;
    insta::assert_snapshot!(bytes);
}

#[tokio::test]
async fn responses_streamed() {
    let (bytes, request) = run("/v1/responses", responses_body(true)).await;
    insta::assert_snapshot!(bytes);
    insta::assert_snapshot!("responses_request", request);
}

#[tokio::test]
async fn responses_whole() {
    let (bytes, _) = run("/v1/responses", responses_body(false)).await;
    insta::assert_snapshot!(bytes);
}

#[tokio::test]
async fn messages_streamed() {
    let (bytes, request) = run("/v1/messages", messages_body(true)).await;
    insta::assert_snapshot!(bytes);
    insta::assert_snapshot!("messages_request", request);
}

#[tokio::test]
async fn messages_whole() {
    let (bytes, _) = run("/v1/messages", messages_body(false)).await;
    insta::assert_snapshot!(bytes);
}

/// Reasoning never reaches a text field, in any dialect, streamed or not.
#[tokio::test]
async fn reasoning_stays_out_of_text() {
    for (path, body) in [
        ("/v1/chat/completions", chat_body(true)),
        ("/v1/chat/completions", chat_body(false)),
        ("/v1/responses", responses_body(true)),
        ("/v1/responses", responses_body(false)),
        ("/v1/messages", messages_body(true)),
        ("/v1/messages", messages_body(false)),
    ] {
        let (bytes, _) = run(path, body).await;
        assert!(bytes.contains("The user"), "{path}: the reasoning was not delivered at all\n{bytes}");
        let mut texts = Vec::new();
        for doc in json_documents(&bytes) {
            answer_texts(&doc, &mut texts);
        }
        assert!(
            texts.iter().any(|t| t.contains("check.") || t.contains("Let me")),
            "{path}: no text found\n{bytes}"
        );
        let leaked = texts.iter().any(|t| t.contains("The user") || t.contains("the weather"));
        assert!(!leaked, "{path}: reasoning leaked into text\n{bytes}");
    }
}

/// Every JSON document of a body: the SSE `data:` payloads, or the body itself.
fn json_documents(transcript: &str) -> Vec<Value> {
    let body = transcript.split_once("\n\n").map_or(transcript, |(_, body)| body);
    if let Ok(whole) = serde_json::from_str(body) {
        return vec![whole];
    }
    body.lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter_map(|d| serde_json::from_str(d).ok())
        .collect()
}

/// The answer-text fields of any dialect: Chat `content`, Responses `output_text` parts and deltas,
/// Anthropic `text` blocks and `text_delta`s.
fn answer_texts(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            let kind = map.get("type").and_then(Value::as_str).unwrap_or_default();
            let field = match kind {
                "output_text" | "text" | "text_delta" | "response.output_text.done" => "text",
                "response.output_text.delta" => "delta",
                _ => "content",
            };
            if let Some(Value::String(text)) = map.get(field) {
                out.push(text.clone());
            }
            map.values().for_each(|v| answer_texts(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| answer_texts(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn chat_usage_chunk_only_when_asked() {
    let backend = FakeBackend::new([text_answer("hi")]);
    let gw = start(settings(), backend).await;
    let mut body = chat_body(true);
    body.as_object_mut().unwrap().remove("stream_options");
    let text =
        client().post(gw.url("/v1/chat/completions")).json(&body).send().await.unwrap().text().await.unwrap();
    assert!(!text.contains("\"usage\""), "{text}");
    assert!(text.ends_with("data: [DONE]\n\n"), "{text}");
}

#[tokio::test]
async fn models_list_and_one_with_a_slash() {
    let gw = start(settings(), FakeBackend::new([])).await;
    let list = client().get(gw.url("/v1/models")).send().await.unwrap();
    insta::assert_snapshot!("models_list", transcript(list).await);
    let one = client().get(gw.url("/v1/models/anthropic/claude-sonnet-4-5")).send().await.unwrap();
    assert_eq!(one.status(), 200);
    let card: Value = one.json().await.unwrap();
    assert_eq!(card["id"], "anthropic/claude-sonnet-4-5");
    let missing = client().get(gw.url("/v1/models/nope/nothing")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let body: Value = missing.json().await.unwrap();
    assert_eq!(body["error"]["type"], "invalid_request_error");
}

#[tokio::test]
async fn count_tokens_estimates_the_prompt() {
    let gw = start(settings(), FakeBackend::new([])).await;
    let body = json!({"model": "sonnet", "system": "x".repeat(40), "messages": [{"role": "user", "content": "y".repeat(40)}]});
    let response = client().post(gw.url("/v1/messages/count_tokens")).json(&body).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let counted: Value = response.json().await.unwrap();
    assert_eq!(counted, json!({"input_tokens": 20}));
}
