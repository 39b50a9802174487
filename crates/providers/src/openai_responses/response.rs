//! A non-streamed Responses answer: the response object's `output` items, in order, through the same
//! [`ResponseMapper`] as a stream, so reasoning and inline tags are separated the same way.

use llm::{ModelRequest, StreamEvent};
use wire::openai_responses::ResponseObject;

use super::mapper::ResponseMapper;
use super::outcome;
use crate::decode::StreamFault;
use crate::target::Target;

/// Decodes a whole response object.
pub fn decode_response(
    target: &Target,
    request: &ModelRequest,
    body: &[u8],
) -> Result<Vec<StreamEvent>, StreamFault> {
    let response: ResponseObject = serde_json::from_slice(body).map_err(|e| {
        StreamFault::malformed(format!("openai-responses: the answer is not a response object: {e}"))
    })?;
    if response.error.is_some() && response.status.is_none() {
        return Err(outcome::failure(&response, &target.model.provider));
    }
    let mut mapper = ResponseMapper::new(target, request);
    let mut out = Vec::new();
    for (index, item) in response.output.iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        mapper.item_done(index, item, &mut out);
    }
    mapper.finish(&response, &mut out)?;
    Ok(out)
}
