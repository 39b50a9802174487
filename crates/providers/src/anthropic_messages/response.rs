//! A non-streamed Messages answer: one message object (`content` blocks, `stop_reason`, `usage`),
//! turned into the same events a stream gives, through an [`EventShaper`](crate::shape::EventShaper) so inline reasoning tags
//! never reach the text and the events end with one `Usage` and one `Stop`.

use llm::{ModelRequest, StreamEvent};
use wire::anthropic as w;

use super::content::{open_block, shaper, BlockKind};
use super::stop::stop_reason;
use super::usage::UsageReport;
use crate::decode::StreamFault;
use crate::target::Target;

/// Decodes the body of a non-streamed answer.
pub fn decode_response(
    target: &Target,
    request: &ModelRequest,
    body: &[u8],
) -> Result<Vec<StreamEvent>, StreamFault> {
    let message: w::MessageResponse = serde_json::from_slice(body).map_err(|error| {
        StreamFault::malformed(format!("the Anthropic Messages answer is not a message object: {error}"))
    })?;
    let stop =
        stop_reason(message.stop_reason.as_ref()).map_err(|signal| StreamFault::Upstream { signal })?;
    let mut shaper = shaper(target, request);
    let mut out = Vec::new();
    for (index, block) in message.content.iter().enumerate() {
        let key = index as u64;
        if let BlockKind::Tool { .. } = open_block(&mut shaper, key, block, &mut out) {
            shaper.tool_call_end(key, &mut out);
        }
    }
    if let Some(usage) = UsageReport::from_message(&message.usage).reported() {
        shaper.set_usage(usage);
    }
    shaper.finish(stop, &mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::api::Api;
    use config::registry::ResolvedModel;
    use llm::{StopReason, Usage};
    use serde_json::json;

    fn decode(body: serde_json::Value, reasoning: bool) -> Result<Vec<StreamEvent>, StreamFault> {
        let mut model =
            ResolvedModel::new("litellm", "qwen3", Api::AnthropicMessages, "http://127.0.0.1:4000");
        model.reasoning = reasoning;
        decode_response(&Target::new(model), &ModelRequest::default(), body.to_string().as_bytes())
    }

    fn message(content: serde_json::Value, stop: &str, usage: serde_json::Value) -> serde_json::Value {
        json!({"id": "msg_1", "type": "message", "role": "assistant", "model": "m", "content": content,
               "stop_reason": stop, "stop_sequence": null, "usage": usage})
    }

    #[test]
    fn blocks_usage_and_stop_of_a_whole_message() {
        let body = message(
            json!([
                {"type": "thinking", "thinking": "plan", "signature": "EqSig"},
                {"type": "text", "text": "Calling."},
                {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Oslo"}}
            ]),
            "tool_use",
            json!({"input_tokens": 30, "output_tokens": 12, "cache_read_input_tokens": 100}),
        );
        assert_eq!(
            decode(body, false).unwrap(),
            [
                StreamEvent::ThinkingDelta { text: "plan".into() },
                StreamEvent::ThinkingSignature { signature: "EqSig".into() },
                StreamEvent::TextDelta { text: "Calling.".into() },
                StreamEvent::ToolCallStart { index: 0, id: "toolu_1".into(), name: "get_weather".into() },
                StreamEvent::ToolCallDelta { index: 0, arguments: r#"{"city":"Oslo"}"#.into() },
                StreamEvent::ToolCallEnd { index: 0 },
                StreamEvent::Usage {
                    usage: Usage { input: 30, output: 12, cache_read: 100, ..Usage::default() }
                },
                StreamEvent::Stop { reason: StopReason::ToolUse },
            ]
        );
    }

    #[test]
    fn inline_tags_in_a_whole_message_become_thinking() {
        let body = message(
            json!([{"type": "text", "text": "<think>hidden</think>Visible."}]),
            "end_turn",
            json!({"input_tokens": 0, "output_tokens": 0}),
        );
        let events = decode(body, true).unwrap();
        assert_eq!(events[0], StreamEvent::ThinkingDelta { text: "hidden".into() });
        assert_eq!(events[1], StreamEvent::TextDelta { text: "Visible.".into() });
        assert!(matches!(events[2], StreamEvent::Usage { usage } if usage.estimated));
    }

    #[test]
    fn a_body_that_is_not_a_message_is_malformed() {
        let fault = decode(json!({"choices": []}), false).unwrap_err();
        assert!(
            matches!(fault, StreamFault::Malformed { ref detail } if detail.contains("not a message object"))
        );
    }
}
