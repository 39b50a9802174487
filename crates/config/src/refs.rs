//! Model refs: `provider/model[@profile]` (openclaw-behaviour §4.1).
//!
//! Split on the first `/` (model ids may contain more), provider trimmed, lower-cased and mapped
//! through OpenClaw's legacy aliases, model id kept as written. An `@profile` suffix after the last
//! `/` is an auth-profile pin unless it looks like a version (`@2`, `@v1.2.3`).

use std::fmt;

/// A parsed ref. `model` is provider-local (what goes on the wire).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ModelRef {
    pub provider: String,
    pub model: String,
    pub profile: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefError {
    Empty,
    EmptyProvider,
    EmptyModel,
}

impl fmt::Display for RefError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RefError::Empty => "the model ref is empty",
            RefError::EmptyProvider => "the provider part before '/' is empty",
            RefError::EmptyModel => "the model part after '/' is empty",
        })
    }
}

impl std::error::Error for RefError {}

impl ModelRef {
    /// `provider/model` (the profile is not part of the key).
    pub fn key(&self) -> String {
        model_key(&self.provider, &self.model)
    }
}

impl fmt::Display for ModelRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.provider, self.model)?;
        if let Some(p) = &self.profile {
            write!(f, "@{p}")?;
        }
        Ok(())
    }
}

/// Parses a ref that contains a `/`. Bare ids go through [`crate::resolve`] instead.
pub fn parse_model_ref(raw: &str) -> Result<ModelRef, RefError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err(RefError::Empty);
    }
    let (body, profile) = split_profile(raw);
    let Some((p, m)) = body.split_once('/') else {
        return Err(RefError::EmptyProvider);
    };
    let provider = normalize_provider_id(p);
    let model = m.trim();
    if provider.is_empty() {
        return Err(RefError::EmptyProvider);
    }
    if model.is_empty() {
        return Err(RefError::EmptyModel);
    }
    Ok(ModelRef { provider, model: model.to_string(), profile: profile.map(str::to_string) })
}

/// Splits `body@profile` at the first `@` after the last `/`, unless the suffix looks like a version.
pub fn split_profile(raw: &str) -> (&str, Option<&str>) {
    let tail_start = raw.rfind('/').map_or(0, |i| i + 1);
    match raw[tail_start..].find('@') {
        Some(at) => {
            let at = tail_start + at;
            let suffix = &raw[at + 1..];
            if suffix.is_empty() || looks_like_version(suffix) {
                (raw, None)
            } else {
                (&raw[..at], Some(suffix))
            }
        }
        None => (raw, None),
    }
}

/// All digits, or semver-ish `v?N(.N)*(-pre)?(+build)?`.
pub fn looks_like_version(s: &str) -> bool {
    let core = s.strip_prefix('v').unwrap_or(s);
    let core = core.split(['-', '+']).next().unwrap_or("");
    !core.is_empty() && core.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Trims, lower-cases and maps OpenClaw's legacy provider aliases.
pub fn normalize_provider_id(raw: &str) -> String {
    let p = raw.trim().to_ascii_lowercase();
    match p.as_str() {
        "z.ai" | "z-ai" => "zai".into(),
        "opencode-zen" => "opencode".into(),
        "opencode-go-auth" => "opencode-go".into(),
        "kimi-code" => "kimi-coding".into(),
        "bedrock" | "aws-bedrock" => "amazon-bedrock".into(),
        "bytedance" | "doubao" => "volcengine".into(),
        _ => p,
    }
}

/// `p/m`, or `m` when it already starts with `p/` (case-insensitive). Used for dedup and allowlists.
pub fn model_key(provider: &str, model: &str) -> String {
    let prefix_len = provider.len() + 1;
    if model.len() > prefix_len
        && model[..provider.len()].eq_ignore_ascii_case(provider)
        && model.as_bytes()[provider.len()] == b'/'
    {
        model.to_string()
    } else {
        format!("{provider}/{model}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_first_slash_and_keeps_model_case() {
        let r = parse_model_ref(" LMStudio/qwen/Qwen3.5-9B ").unwrap();
        assert_eq!((r.provider.as_str(), r.model.as_str()), ("lmstudio", "qwen/Qwen3.5-9B"));
        let r = parse_model_ref("openrouter/moonshotai/kimi-k2").unwrap();
        assert_eq!(r.model, "moonshotai/kimi-k2");
    }

    #[test]
    fn legacy_aliases() {
        assert_eq!(parse_model_ref("z.ai/glm-4.7").unwrap().provider, "zai");
        assert_eq!(parse_model_ref("bedrock/x").unwrap().provider, "amazon-bedrock");
        assert_eq!(parse_model_ref("Doubao/x").unwrap().provider, "volcengine");
    }

    #[test]
    fn profile_suffix_unless_version() {
        let r = parse_model_ref("anthropic/claude-opus-4-6@work").unwrap();
        assert_eq!(r.profile.as_deref(), Some("work"));
        assert_eq!(r.model, "claude-opus-4-6");
        for v in ["ollama/qwen3@2", "ollama/qwen3@v1.2.3", "x/y@1.0.0-rc1+b5"] {
            let r = parse_model_ref(v).unwrap();
            assert_eq!(r.profile, None, "{v}");
            assert!(r.model.contains('@'), "{v}");
        }
        // An @ before the last slash is part of the model path.
        assert_eq!(parse_model_ref("p/a@b/c").unwrap().profile, None);
    }

    #[test]
    fn empty_sides_are_errors() {
        assert_eq!(parse_model_ref(""), Err(RefError::Empty));
        assert_eq!(parse_model_ref("/m"), Err(RefError::EmptyProvider));
        assert_eq!(parse_model_ref("p/"), Err(RefError::EmptyModel));
    }

    #[test]
    fn model_key_does_not_double_prefix() {
        assert_eq!(model_key("openrouter", "openrouter/auto"), "openrouter/auto");
        assert_eq!(model_key("openrouter", "anthropic/claude"), "openrouter/anthropic/claude");
        assert_eq!(model_key("lmstudio", "LMSTUDIO/x"), "LMSTUDIO/x");
    }
}
