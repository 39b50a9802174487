//! [`UpstreamRequest`]: the HTTP request a dialect module built (URL, its own headers, JSON body),
//! before the driver adds authentication and the provider's headers.

use serde_json::{Map, Value};

/// One request, ready to send.
#[derive(Debug, Clone, PartialEq)]
pub struct UpstreamRequest {
    pub url: String,
    /// Dialect headers (`anthropic-version`, `accept`); auth and provider headers are added later.
    pub headers: Vec<(String, String)>,
    pub body: Value,
}

/// Why a request could not be expressed in a dialect.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RequestError(pub String);

/// Merges `extra` into `body` key by key, `extra` winning (OpenClaw's `params.extra_body`, merged
/// last). Objects are merged one level deep so `extra_body.chat_template_kwargs` adds to, not
/// replaces, what the transport set.
pub fn merge_extra_body(body: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (key, value) in extra {
        match (body.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(incoming)) => {
                for (k, v) in incoming {
                    existing.insert(k.clone(), v.clone());
                }
            }
            _ => {
                body.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn extra_body_wins_and_merges_objects_one_level() {
        let mut body =
            json!({"model": "m", "chat_template_kwargs": {"enable_thinking": true}, "temperature": 0.2});
        let extra = json!({"temperature": 0.7, "chat_template_kwargs": {"force_nonempty_content": true}, "top_k": 20});
        merge_extra_body(body.as_object_mut().unwrap(), extra.as_object().unwrap());
        assert_eq!(
            body,
            json!({"model": "m", "chat_template_kwargs": {"enable_thinking": true, "force_nonempty_content": true},
                   "temperature": 0.7, "top_k": 20})
        );
    }
}
