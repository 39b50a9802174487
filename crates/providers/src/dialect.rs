//! Dispatch from a model's `api` to its dialect module. Each module offers the same three functions:
//! `build_request(target, request, stream)`, `decoder(target, request)` and
//! `decode_response(target, request, body)`.

use config::api::Api;
use llm::{ModelRequest, StreamEvent};

use crate::decode::{StreamDecoder, StreamFault};
use crate::request::{RequestError, UpstreamRequest};
use crate::target::Target;
use crate::{anthropic_messages, ollama, openai_completions, openai_responses};

/// The four wire dialects clawgate speaks to upstreams.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    OpenaiCompletions,
    OpenaiResponses,
    AnthropicMessages,
    Ollama,
}

impl Dialect {
    /// The dialect of an `api`, or `None` for the ones clawgate has no transport for.
    pub fn of(api: Api) -> Option<Self> {
        Some(match api {
            Api::OpenaiCompletions => Dialect::OpenaiCompletions,
            Api::OpenaiResponses => Dialect::OpenaiResponses,
            Api::AnthropicMessages => Dialect::AnthropicMessages,
            Api::Ollama => Dialect::Ollama,
            _ => return None,
        })
    }

    pub fn build_request(
        self,
        target: &Target,
        request: &ModelRequest,
        stream: bool,
    ) -> Result<UpstreamRequest, RequestError> {
        match self {
            Dialect::OpenaiCompletions => openai_completions::build_request(target, request, stream),
            Dialect::OpenaiResponses => openai_responses::build_request(target, request, stream),
            Dialect::AnthropicMessages => anthropic_messages::build_request(target, request, stream),
            Dialect::Ollama => ollama::build_request(target, request, stream),
        }
    }

    pub fn decoder(self, target: &Target, request: &ModelRequest) -> Box<dyn StreamDecoder> {
        match self {
            Dialect::OpenaiCompletions => Box::new(openai_completions::decoder(target, request)),
            Dialect::OpenaiResponses => Box::new(openai_responses::decoder(target, request)),
            Dialect::AnthropicMessages => Box::new(anthropic_messages::decoder(target, request)),
            Dialect::Ollama => Box::new(ollama::decoder(target, request)),
        }
    }

    pub fn decode_response(
        self,
        target: &Target,
        request: &ModelRequest,
        body: &[u8],
    ) -> Result<Vec<StreamEvent>, StreamFault> {
        match self {
            Dialect::OpenaiCompletions => openai_completions::decode_response(target, request, body),
            Dialect::OpenaiResponses => openai_responses::decode_response(target, request, body),
            Dialect::AnthropicMessages => anthropic_messages::decode_response(target, request, body),
            Dialect::Ollama => ollama::decode_response(target, request, body),
        }
    }
}
