//! The `openai-responses` dialect (placeholder until its transport lands).

use llm::{ModelRequest, StreamEvent};

use crate::decode::{StreamDecoder, StreamFault};
use crate::request::{RequestError, UpstreamRequest};
use crate::target::Target;

pub fn build_request(
    _target: &Target,
    _request: &ModelRequest,
    _stream: bool,
) -> Result<UpstreamRequest, RequestError> {
    Err(RequestError("not implemented yet".into()))
}

pub struct Decoder;

pub fn decoder(_target: &Target, _request: &ModelRequest) -> Decoder {
    Decoder
}

impl StreamDecoder for Decoder {
    fn push(&mut self, _bytes: &[u8], _out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        Err(StreamFault::malformed("not implemented yet"))
    }

    fn finish(&mut self, _out: &mut Vec<StreamEvent>) -> Result<(), StreamFault> {
        Err(StreamFault::EndedWithoutTerminal)
    }
}

pub fn decode_response(
    _target: &Target,
    _request: &ModelRequest,
    _body: &[u8],
) -> Result<Vec<StreamEvent>, StreamFault> {
    Err(StreamFault::malformed("not implemented yet"))
}
