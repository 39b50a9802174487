//! Whether a request fits a model's context window before anything is sent (openclaw-behaviour
//! §6.1): the prompt's estimated tokens against the window (`contextTokens` capped by
//! `contextWindow`, else 200 000) minus the room kept for the answer.
//!
//! The room for the answer is the request's `max_tokens` when it sets one; otherwise the model's
//! `maxTokens`, but never more than half the window (OpenClaw's default `maxTokens` of 8192 would
//! otherwise leave nothing of a 4096-token local window, which still answers short prompts).

use config::registry::ResolvedModel;
use llm::ModelRequest;

/// Tokens the prompt may use on `model` for `request`.
pub fn prompt_room(model: &ResolvedModel, request: &ModelRequest) -> u64 {
    let window = model.context_limit();
    let answer = match request.max_tokens {
        Some(n) => u64::from(n),
        None => model.max_tokens.min(window / 2),
    };
    window.saturating_sub(answer)
}

/// `Err((needed, available))` when the prompt cannot fit.
pub fn check(model: &ResolvedModel, request: &ModelRequest, estimated: u64) -> Result<(), (u64, u64)> {
    let room = prompt_room(model, request);
    if estimated > room {
        Err((estimated, room))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use config::api::Api;

    fn model(window: Option<u64>, tokens: Option<u64>) -> ResolvedModel {
        let mut m = ResolvedModel::new("vllm", "m", Api::OpenaiCompletions, "http://127.0.0.1:8000/v1");
        m.context_window = window;
        m.context_tokens = tokens;
        m
    }

    #[test]
    fn room_is_window_minus_answer() {
        let req = ModelRequest { max_tokens: Some(1000), ..Default::default() };
        assert_eq!(prompt_room(&model(Some(4096), None), &req), 3096);
        assert_eq!(prompt_room(&model(Some(32_000), Some(8000)), &req), 7000);
        assert_eq!(prompt_room(&model(None, None), &req), 199_000);
    }

    #[test]
    fn default_answer_room_is_at_most_half_the_window() {
        let req = ModelRequest::default();
        assert_eq!(prompt_room(&model(Some(4096), None), &req), 2048);
        assert_eq!(prompt_room(&model(Some(128_000), None), &req), 128_000 - 8192);
        assert_eq!(check(&model(Some(4096), None), &req, 3000), Err((3000, 2048)));
        assert_eq!(check(&model(Some(4096), None), &req, 2000), Ok(()));
    }
}
