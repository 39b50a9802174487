//! Unit tests of the decoders on shapes the golden transcripts do not cover: items that arrive only
//! whole, proxies' `[DONE]`, a last event without its blank line, error shapes, and non-streamed
//! response objects.

use config::api::Api;
use config::registry::ResolvedModel;
use llm::{Message, ModelRequest, StopReason, StreamEvent};
use serde_json::{json, Value};

use super::{decode_response, decoder};
use crate::decode::{decode_all, StreamFault};
use crate::target::Target;

fn target() -> Target {
    Target::new(ResolvedModel::new("lmstudio", "m", Api::OpenaiResponses, "http://127.0.0.1:1234/v1"))
}

fn request() -> ModelRequest {
    ModelRequest { model: "m".into(), messages: vec![Message::user("hi")], ..ModelRequest::default() }
}

fn sse(events: &[Value]) -> String {
    events.iter().map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap())).collect()
}

fn completed(output: Value, usage: Value) -> Value {
    json!({"type": "response.completed", "response": {"id": "resp_1", "status": "completed", "output": output, "usage": usage}})
}

fn decode(body: &str) -> (Vec<StreamEvent>, Result<(), StreamFault>) {
    decode_all(&mut decoder(&target(), &request()), body.as_bytes())
}

#[test]
fn items_that_arrive_only_whole_are_emitted_at_their_done_event() {
    let call = json!({"id": "fc_1", "type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{\"a\":1}"});
    let message = json!({"id": "msg_1", "type": "message", "role": "assistant",
        "content": [{"type": "output_text", "text": "done", "annotations": []}]});
    let body = sse(&[
        json!({"type": "response.output_item.done", "output_index": 0, "item": message}),
        json!({"type": "response.output_item.done", "output_index": 1, "item": call}),
        completed(json!([]), Value::Null),
    ]) + "data: [DONE]\n\n";
    let (events, result) = decode(&body);
    assert_eq!(result, Ok(()));
    assert_eq!(
        events[..4],
        [
            StreamEvent::TextDelta { text: "done".into() },
            StreamEvent::ToolCallStart { index: 0, id: "call_1".into(), name: "f".into() },
            StreamEvent::ToolCallDelta { index: 0, arguments: "{\"a\":1}".into() },
            StreamEvent::ToolCallEnd { index: 0 },
        ]
    );
    assert_eq!(events.last(), Some(&StreamEvent::Stop { reason: StopReason::ToolUse }));
}

#[test]
fn a_whole_last_event_without_its_blank_line_still_ends_the_stream() {
    let body = sse(&[
        json!({"type": "response.output_text.delta", "item_id": "m", "output_index": 0, "delta": "hi"}),
    ]) + &format!("data: {}", completed(json!([]), Value::Null));
    let (events, result) = decode(&body);
    assert_eq!(result, Ok(()));
    assert_eq!(events[0], StreamEvent::TextDelta { text: "hi".into() });
    let cut = &body[..body.len() - 10];
    assert_eq!(decode(cut).1, Err(StreamFault::EndedWithoutTerminal));
}

#[test]
fn error_shapes_become_upstream_faults_and_garbage_is_malformed() {
    let nested = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\",\"code\":\"context_length_exceeded\",\"message\":\"Your input exceeds the context window of this model.\"}}\n\n";
    match decode(nested).1 {
        Err(StreamFault::Upstream { signal }) => {
            assert_eq!(signal.code.as_deref(), Some("context_length_exceeded"));
            assert_eq!(signal.classify(), llm::FailoverReason::ContextOverflow);
        }
        other => panic!("expected an upstream fault, got {other:?}"),
    }
    let flat = "data: {\"type\":\"error\",\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\",\"param\":null}\n\n";
    assert!(
        matches!(decode(flat).1, Err(StreamFault::Upstream { signal }) if signal.classify() == llm::FailoverReason::RateLimit)
    );
    assert!(matches!(decode("data: {not json\n\n").1, Err(StreamFault::Malformed { .. })));
    let wrong_shape = "data: {\"type\":\"response.output_text.delta\",\"delta\":7}\n\n";
    assert!(matches!(decode(wrong_shape).1, Err(StreamFault::Malformed { .. })));
    assert_eq!(decode("").1, Err(StreamFault::EndedWithoutTerminal));
}

#[test]
fn events_after_the_terminal_one_are_ignored() {
    let body = sse(&[
        completed(json!([]), json!({"input_tokens": 3, "output_tokens": 1})),
        json!({"type": "response.output_text.delta", "item_id": "m", "output_index": 0, "delta": "late"}),
    ]);
    let (events, result) = decode(&body);
    assert_eq!(result, Ok(()));
    assert!(!events.iter().any(|e| matches!(e, StreamEvent::TextDelta { .. })));
}

#[test]
fn non_streamed_response_objects() {
    let body = json!({
        "id": "resp_1", "object": "response", "status": "completed",
        "output": [
            {"id": "rs_1", "type": "reasoning", "summary": [], "content": [{"type": "reasoning_text", "text": "think"}]},
            {"id": "msg_1", "type": "message", "role": "assistant", "status": "completed",
             "content": [{"type": "refusal", "refusal": "No."}]}
        ],
        "usage": {"input_tokens": 10, "input_tokens_details": {"cached_tokens": 4}, "output_tokens": 3,
                  "output_tokens_details": {"reasoning_tokens": 1}, "total_tokens": 13}
    });
    let events = decode_response(&target(), &request(), body.to_string().as_bytes()).unwrap();
    assert_eq!(events[0], StreamEvent::ThinkingDelta { text: "think".into() });
    assert_eq!(events[1], StreamEvent::TextDelta { text: "No.".into() });
    let usage = llm::Usage { input: 6, output: 3, cache_read: 4, reasoning: 1, ..llm::Usage::default() };
    assert_eq!(events[2], StreamEvent::Usage { usage });
    assert_eq!(events[3], StreamEvent::Stop { reason: StopReason::Refusal });

    let failed = json!({"id": "r", "status": "failed", "output": [],
        "error": {"code": "server_error", "message": "The model produced invalid content."}});
    let fault = decode_response(&target(), &request(), failed.to_string().as_bytes()).unwrap_err();
    assert!(
        matches!(fault, StreamFault::Upstream { signal } if signal.classify() == llm::FailoverReason::ServerError)
    );
    let queued = json!({"id": "r", "status": "queued", "output": []});
    let fault = decode_response(&target(), &request(), queued.to_string().as_bytes()).unwrap_err();
    assert_eq!(fault, StreamFault::EndedWithoutTerminal);
    assert!(matches!(decode_response(&target(), &request(), b"<html>"), Err(StreamFault::Malformed { .. })));
}

#[test]
fn argument_deltas_of_an_unannounced_call_are_taken_from_its_done_item() {
    let call =
        json!({"id": "fc_1", "type": "function_call", "call_id": "call_1", "name": "f", "arguments": "{}"});
    let body = sse(&[
        json!({"type": "response.function_call_arguments.delta", "item_id": "fc_1", "output_index": 0, "delta": "{"}),
        json!({"type": "response.function_call_arguments.delta", "item_id": "fc_1", "output_index": 0, "delta": "}"}),
        json!({"type": "response.output_item.done", "output_index": 0, "item": call}),
        completed(json!([]), Value::Null),
    ]);
    let (events, result) = decode(&body);
    assert_eq!(result, Ok(()));
    let deltas: Vec<&StreamEvent> =
        events.iter().filter(|e| matches!(e, StreamEvent::ToolCallDelta { .. })).collect();
    assert_eq!(deltas, [&StreamEvent::ToolCallDelta { index: 0, arguments: "{}".into() }]);
}
