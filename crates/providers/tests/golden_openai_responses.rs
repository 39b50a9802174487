//! Golden transcripts of the `openai-responses` dialect: recorded-style SSE streams of OpenAI and LM
//! Studio (`transcripts/openai_responses/<server>-<case>.sse`), decoded and snapshotted with insta.
//! Every transcript is also decoded split into 1-, 3- and 7-byte pieces, which must give the same
//! events and the same outcome as the whole body.

use std::path::{Path, PathBuf};

use config::api::Api;
use config::registry::ResolvedModel;
use llm::{Message, ModelRequest, StreamEvent, ToolSpec};
use providers::decode::{decode_all, decode_in_pieces};
use providers::{openai_responses, StreamFault, Target};
use serde_json::{json, Value};

fn transcripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts/openai_responses");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "sse"))
        .collect();
    files.sort();
    files
}

/// The model the transcript's server answered as: OpenAI's own API or a local LM Studio; a reasoning
/// model for the cases that reason.
fn target_for(case: &str) -> Target {
    let (provider, base_url) = match case.split('-').next() {
        Some("openai") => ("openai", "https://api.openai.com/v1"),
        Some("lmstudio") => ("lmstudio", "http://127.0.0.1:1234/v1"),
        other => panic!("transcript `{case}` names no known server ({other:?})"),
    };
    let mut model = ResolvedModel::new(provider, "model", Api::OpenaiResponses, base_url);
    model.reasoning = case.contains("reasoning") || case.contains("think") || case.contains("incomplete");
    Target::new(model)
}

fn request() -> ModelRequest {
    ModelRequest {
        model: "model".into(),
        messages: vec![Message::user("hello")],
        tools: vec![ToolSpec {
            name: "get_weather".into(),
            description: Some("Current weather of a city".into()),
            parameters: json!({"type": "object", "properties": {"city": {"type": "string"}}}),
        }],
        ..ModelRequest::default()
    }
}

fn outcome(result: &Result<(), StreamFault>) -> Value {
    match result {
        Ok(()) => json!("finished"),
        Err(StreamFault::Upstream { signal }) => json!({
            "fault": "upstream", "code": signal.code, "message": signal.message, "reason": signal.classify()
        }),
        Err(StreamFault::Malformed { detail }) => json!({"fault": "malformed", "detail": detail}),
        Err(StreamFault::EndedWithoutTerminal) => json!({"fault": "ended_without_terminal"}),
    }
}

/// Invariants every decoded transcript keeps, whatever its case.
fn check_invariants(case: &str, events: &[StreamEvent], result: &Result<(), StreamFault>) {
    for event in events {
        if let StreamEvent::TextDelta { text } = event {
            assert!(
                !text.contains("<think") && !text.contains("</think"),
                "{case}: reasoning tag in text: {text:?}"
            );
        }
    }
    let stops = events.iter().filter(|e| matches!(e, StreamEvent::Stop { .. })).count();
    let usages = events.iter().filter(|e| matches!(e, StreamEvent::Usage { .. })).count();
    if result.is_ok() {
        assert_eq!((stops, usages), (1, 1), "{case}: a finished answer has exactly one Usage and one Stop");
        assert!(matches!(events.last(), Some(StreamEvent::Stop { .. })), "{case}: Stop comes last");
    } else {
        assert_eq!(stops, 0, "{case}: a failed stream must not report a stop");
    }
}

#[test]
fn transcripts_decode_to_their_snapshots_at_any_split() {
    let files = transcripts();
    assert!(files.len() >= 8, "expected at least 8 transcripts, found {}", files.len());
    let request = request();
    for path in files {
        let case = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 file name").to_owned();
        let bytes = std::fs::read(&path).expect("transcript readable");
        let target = target_for(&case);
        let (events, result) = decode_all(&mut openai_responses::decoder(&target, &request), &bytes);
        check_invariants(&case, &events, &result);
        for piece in [1, 3, 7] {
            let mut decoder = openai_responses::decoder(&target, &request);
            let (split_events, split_result) = decode_in_pieces(&mut decoder, &bytes, piece);
            assert_eq!(split_events, events, "{case}: events differ when split into {piece}-byte pieces");
            assert_eq!(split_result, result, "{case}: outcome differs when split into {piece}-byte pieces");
        }
        insta::assert_json_snapshot!(case.as_str(), json!({"events": events, "outcome": outcome(&result)}));
    }
}
