//! Golden transcripts of Ollama's native `/api/chat` stream (`tests/transcripts/ollama/*.ndjson`),
//! decoded and snapshotted, and decoded again split into 1-, 3- and 7-byte pieces, which must give the
//! same events and the same outcome.
//!
//! The transcripts follow what the servers send: reasoning in `message.thinking` (Ollama 0.9+) or
//! inline `<think>` in `content` (older versions, models without the thinking capability), tool calls
//! whole in `message.tool_calls` with ids (recent versions) or without (0.8), the `"done": true` line
//! with `done_reason` and counts (absent when zero), an `{"error":…}` line, and a stream cut off
//! before its `done` line. The model of a transcript is read from its first line; models known to
//! reason are decoded as reasoning models.

use std::path::{Path, PathBuf};

use config::api::Api;
use config::registry::ResolvedModel;
use llm::{Message, ModelRequest, StreamEvent, ToolSpec};
use providers::decode::{decode_all, decode_in_pieces};
use providers::{ollama, StreamFault, Target};
use serde_json::{json, Value};

/// Model families that reason (Ollama's `thinking` capability).
const REASONING_FAMILIES: &[&str] = &["qwen3", "deepseek-r1", "gpt-oss", "magistral"];

fn transcripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts/ollama");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ndjson"))
        .collect();
    files.sort();
    files
}

/// The model named on the transcript's first line.
fn model_of(bytes: &[u8]) -> String {
    let first = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let line: Value = serde_json::from_slice(first).unwrap_or(Value::Null);
    line["model"].as_str().unwrap_or("llama3.2:3b").to_owned()
}

fn target(model: &str) -> Target {
    let mut resolved = ResolvedModel::new("ollama", model, Api::Ollama, "http://127.0.0.1:11434");
    resolved.reasoning = REASONING_FAMILIES.iter().any(|family| model.starts_with(family));
    Target::new(resolved)
}

fn request(model: &str) -> ModelRequest {
    let tool = |name: &str, property: &str| ToolSpec {
        name: name.into(),
        description: None,
        parameters: json!({"type": "object", "properties": {property: {"type": "string"}}}),
    };
    ModelRequest {
        model: model.into(),
        messages: vec![Message::user("question")],
        tools: vec![tool("get_weather", "city"), tool("get_time", "timezone")],
        ..ModelRequest::default()
    }
}

/// The outcome as snapshot data.
fn outcome(result: &Result<(), StreamFault>) -> Value {
    match result {
        Ok(()) => json!("complete"),
        Err(StreamFault::EndedWithoutTerminal) => json!("ended_without_terminal"),
        Err(StreamFault::Malformed { detail }) => json!({"malformed": detail}),
        Err(StreamFault::Upstream { signal }) => {
            json!({"upstream": {"message": signal.message, "reason": signal.classify().to_string()}})
        }
    }
}

/// Invariants every decoded answer keeps, whatever the transcript.
fn check_invariants(name: &str, events: &[StreamEvent], result: &Result<(), StreamFault>) {
    for event in events {
        if let StreamEvent::TextDelta { text } = event {
            let lower = text.to_ascii_lowercase();
            assert!(
                !lower.contains("<think") && !lower.contains("</think"),
                "{name}: reasoning tag in text: {text:?}"
            );
        }
    }
    let usages = events.iter().filter(|e| matches!(e, StreamEvent::Usage { .. })).count();
    let stops = events.iter().filter(|e| matches!(e, StreamEvent::Stop { .. })).count();
    if result.is_ok() {
        assert_eq!((usages, stops), (1, 1), "{name}: a complete answer has one Usage and one Stop");
        assert!(matches!(events.last(), Some(StreamEvent::Stop { .. })), "{name}: Stop comes last");
    } else {
        assert_eq!(stops, 0, "{name}: a failed answer must not look finished");
    }
}

#[test]
fn golden_transcripts_decode_the_same_in_any_pieces() {
    let files = transcripts();
    assert!(files.len() >= 8, "expected at least 8 Ollama transcripts, found {}", files.len());
    for path in files {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("file name").to_owned();
        let bytes = std::fs::read(&path).expect("transcript readable");
        let model = model_of(&bytes);
        let (target, request) = (target(&model), request(&model));

        let (events, result) = decode_all(&mut ollama::decoder(&target, &request), &bytes);
        check_invariants(&name, &events, &result);
        for piece in [1, 3, 7] {
            let (split, split_result) =
                decode_in_pieces(&mut ollama::decoder(&target, &request), &bytes, piece);
            assert_eq!(split, events, "{name}: events differ when fed {piece} bytes at a time");
            assert_eq!(split_result, result, "{name}: outcome differs when fed {piece} bytes at a time");
        }
        insta::assert_json_snapshot!(
            name.clone(),
            json!({"model": model, "events": events, "outcome": outcome(&result)})
        );
    }
}

#[test]
fn a_whole_non_streaming_answer_decodes_like_its_stream() {
    // The non-streaming form of `ollama-thinking-tool-call`: one object, `done: true`.
    let body = json!({
        "model": "qwen3:8b", "created_at": "2025-10-14T09:21:33.4213Z",
        "message": {"role": "assistant", "content": "",
            "thinking": "The user wants the weather in Oslo; I should call get_weather.",
            "tool_calls": [{"id": "call_p9d1c4ra", "function": {"index": 0, "name": "get_weather", "arguments": {"city": "Oslo"}}}]},
        "done": true, "done_reason": "stop", "total_duration": 1843211750, "load_duration": 31477125,
        "prompt_eval_count": 176, "prompt_eval_duration": 98211000, "eval_count": 37, "eval_duration": 1702311959
    });
    let (target, request) = (target("qwen3:8b"), request("qwen3:8b"));
    let events = ollama::decode_response(&target, &request, body.to_string().as_bytes()).expect("decodes");
    insta::assert_json_snapshot!("ollama-non-streaming-thinking-tool-call", events);
}

#[test]
fn a_non_streaming_answer_with_inline_think_keeps_reasoning_out_of_the_text() {
    let body = json!({
        "model": "deepseek-r1:7b", "created_at": "2025-10-14T09:21:33.4213Z",
        "message": {"role": "assistant", "content": "<think>\nSimple arithmetic.\n</think>\n\n2 + 2 = 4."},
        "done": true, "done_reason": "stop", "prompt_eval_count": 9, "eval_count": 19
    });
    let (target, request) = (target("deepseek-r1:7b"), request("deepseek-r1:7b"));
    let events = ollama::decode_response(&target, &request, body.to_string().as_bytes()).expect("decodes");
    let text: String = events
        .iter()
        .filter_map(|e| if let StreamEvent::TextDelta { text } = e { Some(text.as_str()) } else { None })
        .collect();
    let thinking: String = events
        .iter()
        .filter_map(|e| if let StreamEvent::ThinkingDelta { text } = e { Some(text.as_str()) } else { None })
        .collect();
    assert_eq!(text.trim(), "2 + 2 = 4.");
    assert_eq!(thinking.trim(), "Simple arithmetic.");
}
