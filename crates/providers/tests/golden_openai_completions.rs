//! Golden transcripts of the `openai-completions` dialect: every `tests/transcripts/openai_completions/
//! <server>-<case>.sse` is decoded, its events and outcome snapshotted, and the same bytes fed in
//! 1-, 3- and 7-byte pieces must give exactly the same events and outcome.

use std::path::{Path, PathBuf};

use config::api::Api;
use config::registry::ResolvedModel;
use llm::{Message, ModelRequest, StreamEvent, ToolSpec};
use providers::decode::{decode_all, decode_in_pieces};
use providers::{openai_completions, StreamFault, Target};
use serde_json::{json, Value};

const MIN_TRANSCRIPTS: usize = 12;

fn transcripts() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts/openai_completions");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sse"))
        .collect();
    files.sort();
    files
}

/// The model a transcript's server serves: provider, base URL, and whether it is configured as a
/// reasoning model. LM Studio and llama.cpp separate reasoning themselves (`reasoning_content`), so
/// their models are plain here and text streams at once; vLLM, SGLang and Ollama serve Qwen3 / R1
/// templates whose answers may start inside an implicit `<think>`.
fn target_for(server: &str) -> Target {
    let (provider, base_url, id, reasoning) = match server {
        "lmstudio" => ("lmstudio", "http://127.0.0.1:1234/v1", "qwen/qwen3-8b", false),
        "vllm" => ("vllm", "http://127.0.0.1:8000/v1", "Qwen/Qwen3-8B", true),
        "llamacpp" => ("llama-cpp", "http://127.0.0.1:8080/v1", "qwen3-8b-q4_k_m.gguf", false),
        "sglang" => ("sglang", "http://127.0.0.1:30000/v1", "deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", true),
        "ollama" => ("ollama", "http://127.0.0.1:11434/v1", "qwen3:8b", true),
        "openai" => ("openai", "https://api.openai.com/v1", "gpt-4o-mini", false),
        "openrouter" => ("openrouter", "https://openrouter.ai/api/v1", "deepseek/deepseek-r1-0528", true),
        "litellm" => ("litellm", "http://127.0.0.1:4000/v1", "gpt-4o", false),
        // Recorded from a real llama-cpp-python 0.3.36 server with scripts/real-llama-cpp.sh: no usage
        // even when `stream_options.include_usage` is sent; a prompt over the context window answers
        // 200 with an empty event stream (the server logs the error), which must not count as an answer.
        "llamacpppy" => ("llamacpp", "http://127.0.0.1:8000/v1", "smollm2", false),
        "deepseek" => ("deepseek", "https://api.deepseek.com/v1", "deepseek-reasoner", true),
        other => panic!("transcript for unknown server `{other}`: add it to target_for"),
    };
    let mut model = ResolvedModel::new(provider, id, Api::OpenaiCompletions, base_url);
    model.reasoning = reasoning;
    Target::new(model)
}

fn request() -> ModelRequest {
    let tool = |name: &str, arg: &str| ToolSpec {
        name: name.into(),
        description: None,
        parameters: json!({"type": "object", "properties": {arg: {"type": "string"}}}),
    };
    ModelRequest {
        messages: vec![Message::user("Hello")],
        tools: vec![tool("get_weather", "city"), tool("get_time", "timezone")],
        ..ModelRequest::default()
    }
}

fn outcome(result: &Result<(), StreamFault>) -> Value {
    match result {
        Ok(()) => json!("finished"),
        Err(StreamFault::EndedWithoutTerminal) => json!({"fault": "ended_without_terminal"}),
        Err(StreamFault::Malformed { detail }) => json!({"fault": "malformed", "detail": detail}),
        Err(StreamFault::Upstream { signal }) => json!({
            "fault": "upstream",
            "message": signal.message,
            "code": signal.code,
            "reason": signal.classify(),
        }),
    }
}

/// What every decoded transcript must satisfy, whatever the snapshot says.
fn check_invariants(name: &str, events: &[StreamEvent], result: &Result<(), StreamFault>) {
    for event in events {
        if let StreamEvent::TextDelta { text } = event {
            assert!(!text.contains("think>"), "{name}: reasoning tag leaked into text: {text:?}");
        }
    }
    let stops = events.iter().filter(|e| matches!(e, StreamEvent::Stop { .. })).count();
    match result {
        Ok(()) => {
            assert_eq!(stops, 1, "{name}: a finished answer has exactly one Stop");
            assert!(
                matches!(events[events.len() - 2], StreamEvent::Usage { .. }),
                "{name}: Usage before Stop"
            );
            assert!(matches!(events[events.len() - 1], StreamEvent::Stop { .. }), "{name}: Stop last");
        }
        Err(_) => assert_eq!(stops, 0, "{name}: a failed stream must never report a Stop"),
    }
}

#[test]
fn golden_transcripts_decode_the_same_whole_and_in_pieces() {
    let files = transcripts();
    assert!(
        files.len() >= MIN_TRANSCRIPTS,
        "expected at least {MIN_TRANSCRIPTS} transcripts, found {}",
        files.len()
    );
    for path in files {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("utf-8 file name").to_owned();
        let server = name.split('-').next().expect("<server>-<case>");
        let bytes = std::fs::read(&path).expect("transcript readable");
        let target = target_for(server);
        let request = request();

        let mut decoder = openai_completions::decoder(&target, &request);
        let (events, result) = decode_all(&mut decoder, &bytes);
        check_invariants(&name, &events, &result);
        for piece in [1, 3, 7] {
            let mut decoder = openai_completions::decoder(&target, &request);
            let (split_events, split_result) = decode_in_pieces(&mut decoder, &bytes, piece);
            assert_eq!(split_events, events, "{name}: events differ when fed in {piece}-byte pieces");
            assert_eq!(split_result, result, "{name}: outcome differs when fed in {piece}-byte pieces");
        }
        insta::assert_json_snapshot!(name.clone(), json!({"events": events, "outcome": outcome(&result)}));
    }
}
