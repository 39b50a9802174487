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
