//! Golden transcripts of the `anthropic-messages` dialect: every file under
//! `tests/transcripts/anthropic_messages/` (`<server>-<case>.sse`, shaped like what that server
//! sends) is decoded whole, its events and ending snapshotted, and decoded again split into 1-, 3-
//! and 7-byte pieces, which must give exactly the same events and ending.

use std::path::{Path, PathBuf};

use config::api::Api;
use config::registry::ResolvedModel;
use llm::{Message, ModelRequest, StreamEvent, ToolSpec};
use providers::decode::{decode_all, decode_in_pieces};
use providers::{anthropic_messages, StreamFault, Target};
use serde_json::{json, Value};

fn transcripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts/anthropic_messages");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sse"))
        .collect();
    files.sort();
    files
}

/// A reasoning model at the base URL of the server a transcript comes from (the file name's
/// prefix), so the shaper treats it as it would in use.
fn target(server: &str) -> Target {
    let (provider, base_url) = match server {
        "anthropic" => ("anthropic", "https://api.anthropic.com"),
        "minimax" => ("minimax", "https://api.minimax.io/anthropic"),
        "kimi" => ("kimi-coding", "https://api.moonshot.ai/anthropic"),
        "litellm" => ("litellm", "http://127.0.0.1:4000"),
        "ollama" => ("ollama", "http://127.0.0.1:11434"),
        other => panic!("no base URL for server `{other}`: add it to target()"),
    };
    let mut model = ResolvedModel::new(provider, "model", Api::AnthropicMessages, base_url);
    model.reasoning = true;
    Target::new(model)
}

/// A request with two tools declared, as an agent turn would have.
fn request() -> ModelRequest {
    let tool = |name: &str, property: &str| ToolSpec {
        name: name.into(),
        description: None,
        parameters: json!({"type": "object", "properties": {property: {"type": "string"}}}),
    };
    ModelRequest {
        model: "claude-sonnet-4-5".into(),
        messages: vec![Message::user("What's the weather and time in Shanghai?")],
        tools: vec![tool("get_weather", "city"), tool("get_time", "timezone")],
        ..ModelRequest::default()
    }
}

/// How a decode ended, as data.
fn ending(result: &Result<(), StreamFault>) -> Value {
    match result {
        Ok(()) => json!("complete"),
        Err(StreamFault::EndedWithoutTerminal) => json!("ended_without_terminal"),
        Err(StreamFault::Malformed { detail }) => json!({"malformed": detail}),
        Err(StreamFault::Upstream { signal }) => json!({"upstream": {
            "error_type": signal.error_type, "code": signal.code, "message": signal.message,
            "reason": signal.classify().as_str(),
        }}),
    }
}

fn decode_whole(server: &str, bytes: &[u8]) -> (Vec<StreamEvent>, Result<(), StreamFault>) {
    let (target, request) = (target(server), request());
    decode_all(&mut anthropic_messages::decoder(&target, &request), bytes)
}

fn decode_split(server: &str, bytes: &[u8], piece: usize) -> (Vec<StreamEvent>, Result<(), StreamFault>) {
    let (target, request) = (target(server), request());
    decode_in_pieces(&mut anthropic_messages::decoder(&target, &request), bytes, piece)
}

/// What must hold for every transcript, whatever the snapshot says.
fn check_invariants(name: &str, events: &[StreamEvent], result: &Result<(), StreamFault>) {
    for event in events {
        if let StreamEvent::TextDelta { text } = event {
            assert!(
                !text.contains("<think") && !text.contains("</think"),
                "{name}: reasoning tag in text {text:?}"
            );
        }
    }
    let stops = events.iter().filter(|e| matches!(e, StreamEvent::Stop { .. })).count();
    let usages = events.iter().filter(|e| matches!(e, StreamEvent::Usage { .. })).count();
    if result.is_ok() {
        assert_eq!((usages, stops), (1, 1), "{name}: a complete stream has one Usage and one Stop");
        assert!(matches!(events.last(), Some(StreamEvent::Stop { .. })), "{name}: Stop comes last");
    } else {
        assert_eq!(stops, 0, "{name}: a failed stream must not report a Stop");
    }
}

#[test]
fn golden_transcripts() {
    let files = transcripts();
    assert!(files.len() >= 8, "expected at least 8 transcripts, found {}", files.len());
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let server = name.split('-').next().unwrap_or_default();
        let bytes = std::fs::read(&path).unwrap();
        let (events, result) = decode_whole(server, &bytes);
        check_invariants(&name, &events, &result);
        insta::assert_json_snapshot!(name.clone(), json!({"events": events, "end": ending(&result)}));
        for piece in [1, 3, 7] {
            let (split_events, split_result) = decode_split(server, &bytes, piece);
            assert_eq!(split_events, events, "{name}: events differ when split into {piece}-byte pieces");
            assert_eq!(split_result, result, "{name}: ending differs when split into {piece}-byte pieces");
        }
    }
}

#[test]
fn every_required_case_has_a_transcript() {
    let names: Vec<String> =
        transcripts().iter().map(|p| p.file_stem().unwrap().to_string_lossy().into_owned()).collect();
    for case in
        ["text", "thinking", "parallel-tools", "thinking-tool", "usage-absent", "error", "no-terminal"]
    {
        assert!(names.iter().any(|n| n.contains(case)), "no transcript for case `{case}` in {names:?}");
    }
}
