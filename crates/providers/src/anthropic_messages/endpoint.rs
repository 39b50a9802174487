//! Where a Messages request goes.
//!
//! OpenClaw's `baseUrl` for this api normally has no `/v1` (`https://api.anthropic.com`,
//! `https://api.minimax.io/anthropic`) and the client appends `/v1/messages`. Users also paste base
//! URLs that already end in `/v1` (LiteLLM, llama.cpp and Ollama examples do) or even the full
//! endpoint. The rule, after trailing slashes are trimmed:
//! - ends with `/v1/messages` → used as is;
//! - ends with `/v1` → `/messages` is appended (never `/v1/v1/messages`);
//! - otherwise → `/v1/messages` is appended.

/// The `POST` URL for messages under `base_url` (see the module docs for the rule).
pub fn messages_url(base_url: &str) -> String {
    let base = base_url.trim_end_matches('/');
    if base.ends_with("/v1/messages") {
        base.to_owned()
    } else if base.ends_with("/v1") {
        format!("{base}/messages")
    } else {
        format!("{base}/v1/messages")
    }
}

#[cfg(test)]
mod tests {
    use super::messages_url;

    #[test]
    fn v1_is_appended_once() {
        assert_eq!(messages_url("https://api.anthropic.com"), "https://api.anthropic.com/v1/messages");
        assert_eq!(messages_url("https://api.anthropic.com/"), "https://api.anthropic.com/v1/messages");
        assert_eq!(
            messages_url("https://api.minimax.io/anthropic"),
            "https://api.minimax.io/anthropic/v1/messages"
        );
        assert_eq!(messages_url("http://127.0.0.1:4000/v1"), "http://127.0.0.1:4000/v1/messages");
        assert_eq!(messages_url("http://127.0.0.1:4000/v1/"), "http://127.0.0.1:4000/v1/messages");
        assert_eq!(messages_url("http://host/anthropic/v1/messages"), "http://host/anthropic/v1/messages");
        // A path segment that merely ends in "v1" is not the version segment.
        assert_eq!(messages_url("http://host/apiv1"), "http://host/apiv1/v1/messages");
    }
}
