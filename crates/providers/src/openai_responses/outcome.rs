//! What a finished response object says about the call: its usage, why it stopped, or why it failed.
//! Shared by the stream decoder (`response.completed` / `.incomplete` / `.failed`) and the
//! non-streaming decoder (the object itself).

use llm::{StopReason, Usage};
use wire::openai_responses::{ResponseObject, ResponseStatus, ResponsesUsage};

use crate::classify::ErrorSignal;
use crate::decode::StreamFault;

/// How a response ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// It finished (completely or cut by a limit or filter).
    Stopped(StopReason),
    /// It is still queued or in progress: a non-streamed answer that is not an answer yet.
    Unfinished,
    /// It failed or was cancelled.
    Failed(StreamFault),
}

/// The outcome of `response` given its `status` (a missing status counts as completed: some
/// compatible servers leave it out). `refused` says a refusal part was seen.
pub fn outcome(response: &ResponseObject, refused: bool, provider: &str) -> Outcome {
    match &response.status {
        None | Some(ResponseStatus::Completed) => {
            Outcome::Stopped(if refused { StopReason::Refusal } else { StopReason::EndTurn })
        }
        Some(ResponseStatus::Incomplete) => Outcome::Stopped(incomplete_stop(response)),
        Some(ResponseStatus::Failed) => Outcome::Failed(failure(response, provider)),
        Some(ResponseStatus::Cancelled) => Outcome::Failed(StreamFault::Upstream {
            signal: ErrorSignal::from_message("the response was cancelled by the server")
                .with_provider(provider),
        }),
        Some(ResponseStatus::Queued | ResponseStatus::InProgress) => Outcome::Unfinished,
        Some(ResponseStatus::Other(status)) => {
            tracing::debug!(status = status.as_str(), "unknown response status read as completed");
            Outcome::Stopped(if refused { StopReason::Refusal } else { StopReason::EndTurn })
        }
    }
}

/// `incomplete_details.reason` as a stop reason: `content_filter`, else a token limit.
pub fn incomplete_stop(response: &ResponseObject) -> StopReason {
    let reason = response.incomplete_details.as_ref().and_then(|d| d.reason.as_deref());
    match reason {
        Some("content_filter") => StopReason::ContentFilter,
        _ => StopReason::MaxTokens,
    }
}

/// The error of a failed response as an upstream fault, with its code and message.
pub fn failure(response: &ResponseObject, provider: &str) -> StreamFault {
    let signal = match &response.error {
        Some(error) => coded_signal(&error.message, Some(&error.code)),
        None => ErrorSignal::from_message("the response failed and the server gave no details"),
    };
    StreamFault::Upstream { signal: signal.with_provider(provider) }
}

/// The signal of a Responses error object (`response.error`, the `error` event). It has only a
/// `code`, whose values are the classes Chat Completions puts in `error.type` (`server_error`,
/// `rate_limit_exceeded`, `invalid_prompt`), so the code is read as both code and type.
pub fn coded_signal(message: &str, code: Option<&str>) -> ErrorSignal {
    let mut signal = ErrorSignal::from_message(message);
    let code = code.map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned);
    signal.error_type = code.clone();
    signal.code = code;
    signal
}

/// Responses usage in clawgate's terms: `input` without the cached part, which goes to `cache_read`;
/// `output` includes reasoning tokens, also reported alone.
pub fn usage(usage: &ResponsesUsage) -> Usage {
    let cached = usage.input_tokens_details.as_ref().map_or(0, |d| d.cached_tokens);
    Usage {
        input: usage.input_tokens.saturating_sub(cached),
        output: usage.output_tokens,
        cache_read: cached,
        cache_write: 0,
        reasoning: usage.output_tokens_details.as_ref().map_or(0, |d| d.reasoning_tokens),
        estimated: false,
    }
}
